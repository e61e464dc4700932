use std::collections::{BTreeMap, VecDeque};

use super::*;
use crate::answers::Answers;
use crate::catalog::Catalog;

/// Answers prompts from a script keyed by prompt; anything unscripted accepts the default.
#[derive(Default)]
struct Script {
    replies: BTreeMap<String, VecDeque<Reply<String>>>,
    confirms: VecDeque<bool>,
    said: Vec<String>,
    asked: Vec<String>,
    offered: Vec<(String, Vec<String>)>,
}

impl Script {
    fn on(mut self, prompt: &str, reply: Reply<&str>) -> Self {
        let reply = match reply {
            Reply::Value(v) => Reply::Value(v.to_string()),
            Reply::Back => Reply::Back,
        };
        self.replies
            .entry(prompt.into())
            .or_default()
            .push_back(reply);
        self
    }

    fn next(&mut self, prompt: &str) -> Option<Reply<String>> {
        self.asked.push(prompt.to_string());
        self.replies.get_mut(prompt).and_then(VecDeque::pop_front)
    }
}

impl Prompter for Script {
    fn select(
        &mut self,
        prompt: &str,
        _help: &str,
        options: &[String],
        start: usize,
    ) -> Result<Reply<usize>, PromptError> {
        self.offered.push((prompt.to_string(), options.to_vec()));
        Ok(match self.next(prompt) {
            None => Reply::Value(start),
            Some(Reply::Back) => Reply::Back,
            Some(Reply::Value(v)) => Reply::Value(
                options
                    .iter()
                    .position(|o| o.starts_with(&v))
                    .unwrap_or_else(|| panic!("no option {v} in {options:?}")),
            ),
        })
    }

    fn text(
        &mut self,
        prompt: &str,
        _help: &str,
        default: &str,
    ) -> Result<Reply<String>, PromptError> {
        Ok(self
            .next(prompt)
            .unwrap_or_else(|| Reply::Value(default.to_string())))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, PromptError> {
        self.asked.push(prompt.to_string());
        Ok(self.confirms.pop_front().unwrap_or(default))
    }

    fn say(&mut self, line: &str) {
        self.said.push(line.to_string());
    }
}

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let s = Session {
        out: dir.path().join("overlay"),
        force: false,
        drafts: Some(dir.path().join("data")),
    };
    (dir, s)
}

fn run_script(answers: Answers, script: &mut Script, session: &Session) -> Finished {
    let wizard = Wizard::new(Catalog::builtin().unwrap(), answers);
    run(wizard, session, &Templates::builtin().unwrap(), script).unwrap()
}

#[test]
fn accepting_every_default_returns_the_prefilled_answers() {
    let text = include_str!("../../../assets/examples/eks-production.yaml");
    let answers = Answers::parse("eks-production.yaml", text, &[]).unwrap();
    let (_dir, session) = session();
    let mut script = Script::default();
    assert_eq!(
        run_script(answers.clone(), &mut script, &session),
        Some(answers)
    );
    assert!(
        script
            .said
            .iter()
            .any(|l| l == "Step 9 of 9: Review & write"),
        "{:?}",
        script.said
    );
    assert!(script.said.iter().any(|l| l.contains("create values.yaml")));
    let saved = draft::load(session.drafts.as_ref().unwrap()).unwrap();
    assert_eq!(
        saved.step(),
        Step::Review,
        "a draft is saved after every step"
    );
}

#[test]
fn a_fresh_evaluation_is_answered_through_the_question_table() {
    let (_dir, session) = session();
    let mut script = Script::default()
        .on("Cloud", Reply::Value("Google GKE"))
        .on("Profile", Reply::Value("Evaluation"))
        .on("Domain", Reply::Value("not a domain!"))
        .on("Domain", Reply::Value("caracal.example.net"));
    let got = run_script(Answers::default(), &mut script, &session).unwrap();
    assert_eq!(
        (got.cloud.as_str(), got.profile.as_str()),
        ("gke", "evaluation")
    );
    assert_eq!(got.domain, "caracal.example.net");
    assert!(
        script
            .said
            .iter()
            .any(|l| l.starts_with("  problem with Domain:")),
        "the engine's message is shown and the question asked again: {:?}",
        script.said
    );
    assert!(
        !script.asked.contains(&"Workload identity".to_string()),
        "evaluation skips identity"
    );
}

#[test]
fn back_returns_to_the_previous_step_and_cancel_returns_none() {
    let (_dir, session) = session();
    let text = include_str!("../../../assets/examples/aks-private.yaml");
    let answers = Answers::parse("aks-private.yaml", text, &[]).unwrap();
    let mut script = Script::default()
        .on("Web console", Reply::Back)
        .on("Profile", Reply::Value("Private cluster"));
    let got = run_script(answers.clone(), &mut script, &session);
    assert_eq!(got, Some(answers));
    let profile_asks = script.asked.iter().filter(|p| *p == "Profile").count();
    assert_eq!(
        profile_asks, 2,
        "back re-asked the profile step: {:?}",
        script.asked
    );

    let wizard = Wizard::new(Catalog::builtin().unwrap(), Answers::default());
    assert_eq!(
        run(
            wizard,
            &session,
            &Templates::builtin().unwrap(),
            &mut Cancelling
        )
        .unwrap(),
        None
    );
}

#[test]
fn a_bad_answer_is_refused_at_its_own_prompt_not_at_the_end_of_the_step() {
    let (_dir, session) = session();
    let mut script = Script::default()
        .on("Cloud", Reply::Value("Google GKE"))
        .on("Profile", Reply::Value("Evaluation"))
        .on("Domain", Reply::Value("not a domain!"))
        .on("Domain", Reply::Value("caracal.example.net"));
    run_script(Answers::default(), &mut script, &session).unwrap();
    let first = script.asked.iter().position(|p| p == "Domain").unwrap();
    assert_eq!(
        script.asked.get(first + 1).map(String::as_str),
        Some("Domain"),
        "asked again right away: {:?}",
        script.asked
    );
}

#[test]
fn unavailable_choices_are_listed_with_why_and_cannot_be_selected() {
    let (_dir, session) = session();
    let text = include_str!("../../../assets/examples/aks-private.yaml");
    let answers = Answers::parse("aks-private.yaml", text, &[]).unwrap();
    let mut script = Script::default();
    run_script(answers, &mut script, &session).unwrap();
    assert!(
        script
            .said
            .iter()
            .any(|l| l.contains("(public is unavailable: a private cluster")),
        "{:?}",
        script.said
    );
    for (prompt, options) in &script.offered {
        assert!(
            !options.iter().any(|o| o.starts_with("public:")),
            "{prompt} offers public: {options:?}"
        );
    }
}

#[test]
fn long_lines_wrap_at_spaces_keeping_their_indent() {
    let line = "  problem with Domain: `not a domain!` is not a DNS name; use lower-case labels";
    let rows = wrap_line(line, 40);
    assert!(rows.iter().all(|r| r.chars().count() <= 40), "{rows:?}");
    assert!(rows[1..].iter().all(|r| r.starts_with("    ")), "{rows:?}");
    let words: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
    assert_eq!(words, line.split_whitespace().collect::<Vec<_>>());
    let arn = format!(
        "  Workload identity: arn:aws:iam::1:role/{}",
        "x".repeat(60)
    );
    assert!(wrap_line(&arn, 40).iter().all(|r| r.chars().count() <= 40));
    assert_eq!(wrap_line("short", 40), ["short"]);
}
