use std::collections::VecDeque;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;

use super::*;
use crate::migrate::tests::fixtures::source;
use crate::migrate::tests::flow_over;
use crate::migrate::DirState;
use crate::wizard::QuestionId;

fn screen(edit: impl FnOnce(&mut DirState)) -> MigrateTui {
    let flow = flow_over(&source("eks", "production"), edit);
    MigrateTui::new(flow, PathBuf::from("overlay"))
}

fn snapshot(mt: &MigrateTui, name: &str) {
    for (w, h) in [(80, 24), (120, 36)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view::migrate::draw(f, mt)).unwrap();
        insta::assert_snapshot!(format!("migrate_{name}_{w}x{h}"), terminal.backend());
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(s: &str) -> Vec<Event> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

#[test]
fn the_profile_choice_a_question_the_summary_and_the_conflicts_at_80x24_and_120x36() {
    let mut mt = screen(|s| {
        let v = s.files["values.yaml"].replace("allowOpenHttps: false", "allowOpenHttps: true");
        s.files.insert("values.yaml".into(), v);
    });
    assert_eq!(
        mt.flow.target(),
        "private",
        "the next profile is offered first"
    );
    snapshot(&mt, "profile");
    mt.handle(Input::Choose(1));
    mt.handle(Input::Wizard(Msg::Next));
    assert_eq!(mt.flow.stage(), Stage::Questions);
    snapshot(&mt, "question");
    to_regulated_from_questions(&mut mt);
    snapshot(&mt, "summary");
    mt.handle(Input::Wizard(Msg::Next));
    assert_eq!(mt.flow.stage(), Stage::Conflicts);
    mt.handle(Input::Choose(-1));
    snapshot(&mt, "conflicts");
}

fn to_regulated_from_questions(mt: &mut MigrateTui) {
    let tui = mt.questions.as_mut().unwrap();
    for (id, v) in [
        (
            QuestionId::AuditEndpoint,
            "https://s3.us-east-1.amazonaws.com",
        ),
        (QuestionId::AuditBucket, "acme-caracal-audit"),
        (QuestionId::AuditRegion, "us-east-1"),
    ] {
        tui.wizard.update(Msg::Answer(id, v.into()));
    }
    mt.handle(Input::Wizard(Msg::Next));
    let tui = mt.questions.as_mut().unwrap();
    tui.wizard.update(Msg::Answer(
        QuestionId::EgressObjectStore,
        "10.60.0.0/16".into(),
    ));
    for _ in 0..3 {
        if mt.flow.stage() != Stage::Questions {
            break;
        }
        mt.handle(Input::Wizard(Msg::Next));
    }
    assert_eq!(mt.flow.stage(), Stage::Summary);
}

#[test]
fn back_from_the_first_question_returns_to_the_profile_choice() {
    let mut mt = screen(|_| {});
    mt.handle(Input::Choose(1));
    mt.handle(Input::Wizard(Msg::Next));
    assert!(mt.questions.is_some());
    mt.handle(Input::Wizard(Msg::Back));
    assert_eq!(mt.flow.stage(), Stage::Profile);
    assert!(mt.questions.is_none());
}

#[test]
fn enter_through_the_loop_writes_the_hand_edit_and_the_audit_env() {
    let mut mt = screen(|s| {
        let v = s.files["values.yaml"].replace(
            "services:\n  api:\n",
            "services:\n  api:\n    replicas: 5\n",
        );
        s.files.insert("values.yaml".into(), v);
    });
    let mut events = vec![key(KeyCode::Down), key(KeyCode::Enter)];
    events.extend(typed("https://s3.us-east-1.amazonaws.com"));
    events.push(key(KeyCode::Down));
    events.extend(typed("acme-caracal-audit"));
    events.push(key(KeyCode::Down));
    events.extend(typed("us-east-1"));
    events.push(key(KeyCode::Enter));
    events.extend(typed("10.60.0.0/16"));
    events.extend([
        key(KeyCode::Enter),
        key(KeyCode::Enter),
        key(KeyCode::Enter),
    ]);
    let mut events: VecDeque<Event> = events.into();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let plan = run_loop(&mut terminal, &mut mt, || {
        events
            .pop_front()
            .ok_or_else(|| io::Error::other("script ran out of events"))
    })
    .unwrap()
    .expect("a plan to write");
    let values = &plan.files["values.yaml"];
    assert!(values.contains("replicas: 5"), "{values}");
    assert!(values.contains("AUDIT_EXPORT_S3_ENDPOINT"), "{values}");
}

#[test]
fn escape_goes_back_to_the_first_screen_and_quits_from_it_after_asking() {
    for steps in 0..3 {
        let mut mt = screen(|_| {});
        // Each Enter went one screen on: as many Escs go back, then Esc asks and `y` quits.
        let back = usize::from(steps == 2);
        let mut events: VecDeque<Event> = [key(KeyCode::Down), key(KeyCode::Enter)]
            .into_iter()
            .take(steps)
            .chain(std::iter::repeat_n(key(KeyCode::Esc), back))
            .chain([key(KeyCode::Esc), key(KeyCode::Char('y'))])
            .collect();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let out = run_loop(&mut terminal, &mut mt, || {
            events
                .pop_front()
                .ok_or_else(|| io::Error::other("script ran out of events"))
        })
        .unwrap();
        assert!(out.is_none());
    }
}

#[test]
fn a_question_an_answer_pulls_in_is_asked_where_the_operator_is_never_a_step_back() {
    let mut mt = screen(|_| {});
    mt.handle(Input::Choose(1));
    mt.handle(Input::Wizard(Msg::Next));
    let at = |mt: &MigrateTui| {
        let tui = mt.questions.as_ref().unwrap();
        (tui.wizard.position(), tui.wizard.step())
    };
    assert_eq!(at(&mt), ((1, 2), Step::Audit));
    let tui = mt.questions.as_mut().unwrap();
    for (id, v) in [
        (
            QuestionId::AuditEndpoint,
            "https://s3.us-east-1.amazonaws.com",
        ),
        (QuestionId::AuditBucket, "acme-caracal-audit"),
        (QuestionId::AuditRegion, "us-east-1"),
    ] {
        tui.wizard.update(Msg::Answer(id, v.into()));
    }
    // The regulated profile's egress rule now needs the object store: asked here, on Audit.
    assert_eq!(at(&mt), ((1, 2), Step::Audit));
    mt.handle(Input::Wizard(Msg::Next));
    assert_eq!(at(&mt), ((1, 2), Step::Audit));
    let tui = mt.questions.as_ref().unwrap();
    assert_eq!(
        tui.focused().map(|q| q.id),
        Some(QuestionId::EgressObjectStore)
    );
}
