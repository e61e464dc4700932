use std::collections::VecDeque;
use std::path::Path;

use super::*;
use crate::migrate::tests::fixtures::source;
use crate::migrate::tests::flow_over;

/// Replies in order; selects match an option by prefix.
#[derive(Default)]
struct Script {
    replies: VecDeque<(&'static str, &'static str)>,
    said: Vec<String>,
}

impl Script {
    fn next(&mut self, prompt: &str) -> &'static str {
        let (p, v) = self
            .replies
            .pop_front()
            .unwrap_or_else(|| panic!("unscripted prompt {prompt}; said: {:?}", self.said));
        assert_eq!(p, prompt, "said: {:?}", self.said);
        v
    }
}

impl Prompter for Script {
    fn select(
        &mut self,
        prompt: &str,
        _help: &str,
        options: &[String],
        _start: usize,
    ) -> Result<Reply<usize>, PromptError> {
        let v = self.next(prompt);
        let i = options
            .iter()
            .position(|o| o.starts_with(v))
            .unwrap_or_else(|| panic!("no option {v} in {options:?}"));
        Ok(Reply::Value(i))
    }

    fn text(
        &mut self,
        prompt: &str,
        _help: &str,
        default: &str,
    ) -> Result<Reply<String>, PromptError> {
        let v = self.next(prompt);
        Ok(Reply::Value(
            if v.is_empty() { default } else { v }.to_string(),
        ))
    }

    fn confirm(&mut self, prompt: &str, _default: bool) -> Result<bool, PromptError> {
        Ok(self.next(prompt) == "yes")
    }

    fn say(&mut self, line: &str) {
        self.said.push(line.to_string());
    }
}

fn flow(edit: impl FnOnce(&mut crate::migrate::DirState)) -> MigrationFlow {
    flow_over(&source("eks", "production"), edit)
}

#[test]
fn plain_mode_asks_only_the_new_answers_settles_conflicts_and_writes() {
    let f = flow(|s| {
        let v = s.files["values.yaml"].replace("allowOpenHttps: false", "allowOpenHttps: true");
        s.files.insert("values.yaml".into(), v);
    });
    let write = "Write these changes to overlay?";
    let mut p = Script {
        replies: [
            ("Target profile", "Regulated"),
            ("Export endpoint", "https://s3.us-east-1.amazonaws.com"),
            // The endpoint needs egress to it: asked right away, on this step; nothing
            // answered is asked again.
            ("Object store", "10.60.0.0/16"),
            ("Export bucket", "acme-caracal-audit"),
            ("Export region", "us-east-1"),
            ("Audit retention (days)", ""),
            ("values.yaml networkPolicy.allowOpenHttps", "take new"),
            (write, "yes"),
        ]
        .into(),
        ..Script::default()
    };
    let plan = run(f, Path::new("overlay"), &mut p)
        .unwrap()
        .expect("a plan to write");
    assert!(p.replies.is_empty(), "left: {:?}", p.replies);
    assert_eq!(plan.answers.profile, "regulated");
    assert!(plan.is_ready());
    assert!(plan.files["values.yaml"].contains("AUDIT_EXPORT_S3_ENDPOINT"));
    assert!(
        p.said.iter().any(|l| l == "  - retention: 365 → 2555 days"),
        "{:?}",
        p.said
    );
    assert!(!p.said.iter().any(|l| l.contains("Helm release")));
}

#[test]
fn a_cancel_at_the_first_prompt_writes_nothing() {
    assert!(run(
        flow(|_| {}),
        Path::new("overlay"),
        &mut crate::frontend::prompt::Cancelling
    )
    .unwrap()
    .is_none());
}
