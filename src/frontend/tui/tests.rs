use std::collections::VecDeque;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;

use super::*;
use crate::answers::Answers;
use crate::catalog::Catalog;

fn example(name: &str) -> Answers {
    Answers::builtin_example(name).expect("built-in example")
}

fn tui(answers: Answers) -> Tui {
    let session = Session {
        // Never created: the review only reads it.
        out: PathBuf::from("/nonexistent/caracal-overlay"),
        force: false,
        drafts: None,
    };
    Tui::new(
        Wizard::new(Catalog::builtin().unwrap(), answers),
        session,
        Templates::builtin().unwrap(),
        None,
    )
}

fn render(tui: &Tui, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, tui)).unwrap();
    terminal
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Runs the real loop on a `TestBackend` with scripted events.
fn drive(tui: &mut Tui, events: Vec<Event>) -> Finished {
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    let mut events: VecDeque<Event> = events.into();
    run_loop(&mut terminal, tui, || {
        events
            .pop_front()
            .ok_or_else(|| io::Error::other("script ran out of events"))
    })
    .unwrap()
}

#[test]
fn every_step_at_80x24_and_120x36() {
    for name in ["eks-production", "gke-regulated"] {
        let mut t = tui(example(name));
        loop {
            let step = t.wizard.step();
            for (w, h) in [(80, 24), (120, 36)] {
                let terminal = render(&t, w, h);
                insta::assert_snapshot!(
                    format!("{name}_{}_{w}x{h}", step.key()),
                    terminal.backend()
                );
            }
            if step == Step::Review {
                break;
            }
            t.handle(Input::Wizard(Msg::Next));
            assert_ne!(t.wizard.step(), step, "{name} stuck at {step:?}");
        }
    }
}

#[test]
fn a_fresh_start_shows_the_cloud_choices() {
    let mut t = tui(Answers::default());
    insta::assert_snapshot!("fresh_cloud_80x24", render(&t, 80, 24).backend());
    t.handle(Input::Wizard(Msg::Next));
    insta::assert_snapshot!("fresh_cloud_next_80x24", render(&t, 80, 24).backend());
}

#[test]
fn the_preview_shows_from_the_profile_step_with_example_stand_ins() {
    let mut t = tui(Answers::default());
    assert!(t.preview.files.is_empty());
    t.handle(Input::Choose(1));
    t.handle(Input::Wizard(Msg::Next));
    t.handle(Input::Choose(1));
    assert_eq!(t.wizard.answers().profile, "evaluation");
    t.handle(Input::Choose(1));
    assert_eq!(t.wizard.answers().profile, "production");
    assert!(!t.preview.files.is_empty(), "{:?}", t.preview.note);
    let note = t.preview.note.clone().unwrap_or_default();
    assert!(note.contains("from the built-in example"), "{note}");
    let answers = &t.wizard.answers();
    assert!(answers.postgres.is_none(), "stand-ins never become answers");
}

#[test]
fn private_profile_shows_public_disabled_with_reason() {
    let mut t = tui(example("aks-private"));
    t.handle(Input::Wizard(Msg::Next));
    t.handle(Input::Wizard(Msg::Next));
    assert_eq!(t.wizard.step(), Step::Endpoints);
    let screen = render(&t, 80, 24).backend().to_string();
    assert!(
        screen.contains("public: unavailable, a private cluster has no public"),
        "{screen}"
    );
}

#[test]
fn narrow_preview_is_a_toggled_panel_and_help_opens() {
    let mut t = tui(example("eks-production"));
    t.handle(Input::TogglePreview);
    insta::assert_snapshot!("preview_panel_80x24", render(&t, 80, 24).backend());
    t.handle(Input::TogglePreview);
    t.handle(Input::Help);
    insta::assert_snapshot!("help_80x24", render(&t, 80, 24).backend());
}

/// The EKS production example on its Postgres & Redis step.
fn at_data_step() -> Tui {
    let mut t = tui(example("eks-production"));
    for _ in 0..4 {
        t.handle(Input::Wizard(Msg::Next));
    }
    assert_eq!(t.wizard.step(), Step::Data);
    t
}

#[test]
fn typing_replaces_a_default_and_ctrl_u_clears_back_to_it() {
    let mut t = at_data_step();
    // Postgres host, port, CIDR, then the database name (a default).
    for _ in 0..3 {
        t.handle(Input::Field(1));
    }
    let focused = t.focused().unwrap();
    assert_eq!(focused.id, QuestionId::PostgresDatabase);
    assert!(focused.is_default);
    // The default shows as a placeholder, the edit starts empty.
    assert_eq!(t.ui.edit.as_ref().map(|e| e.text.as_str()), Some(""));
    let screen = format!("{:?}", render(&t, 80, 24).backend());
    assert!(screen.contains("Database           caracal"), "{screen}");
    for c in "prod".chars() {
        t.handle(Input::Type(c));
    }
    let pg = t.wizard.answers().postgres.clone().unwrap();
    assert_eq!(pg.database.as_deref(), Some("prod"));
    // A typed value is edited in place; Ctrl-U clears it, which restores the default.
    assert!(matches!(
        keys::translate(
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
            t.key_context()
        ),
        Some(Input::EraseAll)
    ));
    t.handle(Input::EraseAll);
    assert_eq!(t.wizard.answers().postgres.clone().unwrap().database, None);
    assert_eq!(t.ui.edit.as_ref().map(|e| e.text.as_str()), Some(""));
}

#[test]
fn typing_updates_the_preview_and_marks_the_changed_lines() {
    let mut t = at_data_step();
    t.handle(Input::Field(1));
    assert_eq!(t.ui.edit.as_ref().map(|e| e.text.as_str()), Some("5432"));
    t.handle(Input::Erase);
    t.handle(Input::Type('3'));
    assert_eq!(
        t.wizard.answers().postgres.as_ref().unwrap().port,
        Some(5433)
    );
    let values = &t.preview.files[0];
    assert_eq!(values.path, "values.yaml");
    let marked: Vec<&String> = values
        .lines
        .iter()
        .zip(&values.changed)
        .filter(|(_, c)| **c)
        .map(|(l, _)| l)
        .collect();
    assert!(
        marked.iter().any(|l| l.contains("port: 5433")),
        "{marked:?}"
    );
    insta::assert_snapshot!("typing_marks_changes_120x36", render(&t, 120, 36).backend());
}

#[test]
fn an_invalid_field_is_shown_inline_and_back_still_works() {
    let mut t = tui(example("eks-production"));
    for _ in 0..3 {
        t.handle(Input::Wizard(Msg::Next));
    }
    assert_eq!(t.wizard.step(), Step::Hosts);
    // Focus is on the domain; break it.
    t.handle(Input::Type('!'));
    t.handle(Input::Wizard(Msg::Next));
    assert_eq!(t.wizard.step(), Step::Hosts);
    insta::assert_snapshot!("invalid_domain_80x24", render(&t, 80, 24).backend());
    t.handle(Input::Wizard(Msg::Back));
    assert_eq!(t.wizard.step(), Step::Endpoints);
}

#[test]
fn enter_through_every_step_finishes_with_the_prefilled_answers() {
    for name in [
        "eks-production",
        "gke-regulated",
        "aks-private",
        "evaluation",
    ] {
        let answers = example(name);
        let mut t = tui(answers.clone());
        let steps = t.wizard.steps().len();
        let got = drive(&mut t, vec![key(KeyCode::Enter); steps]);
        assert_eq!(got, Some(answers), "{name}");
    }
}

#[test]
fn ctrl_c_quits_at_once_and_esc_goes_back_then_asks_on_the_first_step() {
    let mut t = tui(example("eks-production"));
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(drive(&mut t, vec![key(KeyCode::Enter), ctrl_c]), None);
    let mut t = tui(example("eks-production"));
    let script = vec![
        Event::Resize(80, 24),
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        key(KeyCode::Esc),
        key(KeyCode::Char('y')),
    ];
    assert_eq!(drive(&mut t, script), None);
    // Step by step: Esc goes back; on the first step it asks, and `n` stays.
    let mut t = tui(example("eks-production"));
    t.handle(Input::Wizard(Msg::Next));
    assert_eq!(t.wizard.step(), Step::Profile);
    let esc = |t: &Tui| {
        keys::translate(
            KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            t.key_context(),
        )
    };
    let input = esc(&t).unwrap();
    assert_eq!(t.handle(input), None);
    assert_eq!(t.wizard.step(), Step::Cloud);
    let input = esc(&t).unwrap();
    assert_eq!(t.handle(input), None);
    assert!(t.ui.quitting);
    insta::assert_snapshot!("quit_question_80x24", render(&t, 80, 24).backend());
    assert_eq!(t.handle(Input::ConfirmQuit(false)), None);
    assert!(!t.ui.quitting);
    assert_eq!(t.wizard.step(), Step::Cloud);
}

#[test]
fn esc_closes_the_preview_panel_before_anything_else() {
    let mut t = tui(example("eks-production"));
    t.handle(Input::Wizard(Msg::Next));
    t.handle(Input::TogglePreview);
    let esc = keys::translate(
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        t.key_context(),
    );
    t.handle(esc.unwrap());
    assert!(!t.ui.preview_open);
    assert_eq!(t.wizard.step(), Step::Profile);
}

#[test]
fn a_draft_is_offered_and_resumes_at_its_step() {
    let draft = Draft {
        step: "hosts".into(),
        answers: example("gke-regulated"),
    };
    let session = Session {
        out: PathBuf::from("/nonexistent/caracal-overlay"),
        force: false,
        drafts: None,
    };
    let mut t = Tui::new(
        Wizard::new(Catalog::builtin().unwrap(), Answers::default()),
        session,
        Templates::builtin().unwrap(),
        Some(draft),
    );
    insta::assert_snapshot!("resume_offer_80x24", render(&t, 80, 24).backend());
    t.handle(Input::Resume(true));
    assert_eq!(t.wizard.step(), Step::Hosts);
    assert_eq!(t.wizard.position(), (4, 10));
}

/// Release-build timing of a redraw with the preview, and of the first frame from nothing.
/// `cargo test --release --lib redraw_timing -- --ignored --nocapture`
#[test]
#[ignore = "timing; run in release"]
fn redraw_timing() {
    let start = std::time::Instant::now();
    let t = {
        let catalog = Catalog::builtin().unwrap();
        let templates = Templates::builtin().unwrap();
        let session = Session {
            out: PathBuf::from("/nonexistent/caracal-overlay"),
            force: false,
            drafts: None,
        };
        Tui::new(
            Wizard::new(catalog, example("eks-production")),
            session,
            templates,
            None,
        )
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    terminal.draw(|f| view::draw(f, &t)).unwrap();
    let first = start.elapsed();
    let n = 1000;
    let start = std::time::Instant::now();
    for _ in 0..n {
        terminal.draw(|f| view::draw(f, &t)).unwrap();
    }
    let per = start.elapsed() / n;
    // A measurement worth seeing with --nocapture.
    crate::stdio::diagnostic(&format!("first frame (catalog, templates, plan+render, draw): {first:?}; redraw with preview: {per:?}"));
    assert!(per < std::time::Duration::from_millis(2), "{per:?}");
}

/// The EKS production example with long ARNs, as operators paste them.
fn long_arns() -> Answers {
    let text = include_str!("../../../assets/examples/eks-production.yaml").replace(
        "role/caracal-runtime",
        "role/platform/workloads/caracal/production/caracal-runtime-irsa-role-eu-central-1",
    );
    Answers::parse("long-arns", &text, &[]).expect("answers with long ARNs")
}

/// The rows of a drawn screen, as text.
fn rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn long_arns_wrap_in_the_review_and_the_preview_at_80x24_and_120x36() {
    let mut t = tui(long_arns());
    while t.wizard.step() != Step::Review {
        let step = t.wizard.step();
        t.handle(Input::Wizard(Msg::Next));
        assert_ne!(t.wizard.step(), step, "stuck at {step:?}");
    }
    let arn_tail = "role-eu-central-1";
    for (w, h) in [(80, 24), (120, 36)] {
        // Scroll the review to the identity answers.
        t.ui.review_scroll = 0;
        let mut screen = String::new();
        for _ in 0..40 {
            screen = rows(&render(&t, w, h)).join("\n");
            if screen.contains(arn_tail) {
                break;
            }
            t.handle(Input::Scroll(3));
        }
        assert!(screen.contains(arn_tail), "the role ARN is cut:\n{screen}");
        insta::assert_snapshot!(format!("review_long_arns_{w}x{h}"), screen);
    }
    t.handle(Input::TogglePreview);
    let file = t.preview.files.iter().position(|f| f.path == "values.yaml");
    t.ui.file = file.expect("values.yaml in the preview");
    let at = t.preview.files[t.ui.file]
        .lines
        .iter()
        .position(|l| l.contains("caracal-runtime-irsa"))
        .expect("the role ARN in values.yaml");
    t.ui.scroll = at.saturating_sub(2);
    let screen = rows(&render(&t, 80, 24)).join("\n");
    assert!(screen.contains("↪"), "no continuation row:\n{screen}");
    assert!(screen.contains("eu-central-1"), "the ARN is cut:\n{screen}");
    insta::assert_snapshot!("preview_long_arn_80x24", screen);
}

#[test]
fn title_bars_never_run_into_the_cloud_and_profile() {
    let mut t = tui(example("gke-regulated"));
    t.ui.title = Some("caracal-wizard demo (nothing is kept)".into());
    while t.wizard.step() != Step::Network {
        t.handle(Input::Wizard(Msg::Next));
    }
    let screen = rows(&render(&t, 80, 24));
    assert!(screen[0].ends_with(" gke · regulated "), "{}", screen[0]);
    assert!(screen[0].contains("… gke · regulated"), "{}", screen[0]);
}

#[test]
fn fields_below_a_long_warning_are_announced() {
    let mut t = tui(example("gke-regulated"));
    while t.wizard.step() != Step::Network {
        t.handle(Input::Wizard(Msg::Next));
    }
    let screen = rows(&render(&t, 80, 16));
    assert!(
        screen.iter().any(|r| r.contains("more below")),
        "{}",
        screen.join("\n")
    );
    // Focus the controller's pod labels, far below the warning (its index depends on how
    // many egress questions the step asks).
    let mut screen = Vec::new();
    for i in 0..40 {
        t.handle(Input::Field(i));
        screen = rows(&render(&t, 80, 16));
        if screen.iter().any(|r| r.contains("› Controller pod labels")) {
            break;
        }
    }
    assert!(
        screen.iter().any(|r| r.contains("› Controller pod labels")),
        "{}",
        screen.join("\n")
    );
    assert!(screen.iter().any(|r| r.contains("more above")));
}

#[test]
fn the_help_promises_a_draft_only_where_one_is_kept() {
    let mut t = tui(example("eks-production"));
    t.handle(Input::Help);
    let demo = rows(&render(&t, 80, 24)).join("\n");
    assert!(demo.contains("quit at once: nothing is written"), "{demo}");
    assert!(!demo.contains("draft"), "demo keeps no draft:\n{demo}");
    let data = tempfile::tempdir().unwrap();
    t.session.drafts = Some(data.path().to_path_buf());
    let wizard = rows(&render(&t, 80, 24)).join("\n");
    assert!(wizard.contains("the draft is kept"), "{wizard}");
}
