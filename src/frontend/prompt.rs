//! Plain mode: the wizard's questions as line prompts (inquire), for screen readers and
//! terminals that can't host the full-screen UI. Talks to a [`Prompter`] so tests can script it.
use crate::render::Templates;
use crate::wizard::{Kind, Msg, Outcome, Question, Step, Wizard};

pub mod migrate;

use super::draft::{self, Draft};
use super::review::Review;
use super::visible::visible;
use super::{Finished, Session};

/// Typed at a text prompt (or chosen in a list) to go back one step.
pub const BACK: &str = "<";

/// A reply to one prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    /// The answer.
    Value(T),
    /// Go back one step.
    Back,
}

/// Why prompting stopped.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    /// Esc or Ctrl-C.
    #[error("cancelled")]
    Cancelled,
    /// No terminal, or the terminal failed.
    #[error("{0}")]
    Terminal(String),
}

/// Line prompts. [`Inquire`] asks a person; tests use a script.
pub trait Prompter {
    /// One of `options`, starting at `start`.
    fn select(
        &mut self,
        prompt: &str,
        help: &str,
        options: &[String],
        start: usize,
    ) -> Result<Reply<usize>, PromptError>;
    /// One line of text, `default` when the user just presses Enter.
    fn text(
        &mut self,
        prompt: &str,
        help: &str,
        default: &str,
    ) -> Result<Reply<String>, PromptError>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, PromptError>;
    /// A line of output.
    fn say(&mut self, line: &str);
}

/// Runs the wizard with line prompts. `Ok(None)` when the user cancelled.
pub fn run(
    mut wizard: Wizard,
    session: &Session,
    templates: &Templates,
    prompter: &mut dyn Prompter,
) -> Result<Finished, PromptError> {
    match drive(&mut wizard, session, templates, prompter) {
        Err(PromptError::Cancelled) => Ok(None),
        other => other,
    }
}

fn drive(
    wizard: &mut Wizard,
    session: &Session,
    templates: &Templates,
    p: &mut dyn Prompter,
) -> Result<Finished, PromptError> {
    loop {
        let (n, m) = wizard.position();
        let step = wizard.step();
        p.say(&format!("Step {n} of {m}: {}", step.title()));
        if step == Step::Review {
            let review = Review::of(wizard, templates, &session.out, session.force);
            say_review(p, &review, session);
            if review.blocked.is_some() && review.problems.is_empty() {
                // Nothing in the wizard fixes the target; go back or cancel.
                if p.confirm("Go back to change the answers?", true)? {
                    wizard.update(Msg::Back);
                    continue;
                }
                return Err(PromptError::Cancelled);
            }
            let question = format!(
                "Write {} files to {}?",
                review.files.len(),
                crate::frontend::visible::shown(&session.out)
            );
            if review.problems.is_empty() && !p.confirm(&question, true)? {
                wizard.update(Msg::Back);
                continue;
            }
            if let Some(Outcome::Finished(a)) = wizard.update(Msg::Next) {
                return Ok(Some(*a));
            }
            continue;
        }
        if answer_step(wizard, p)? {
            wizard.update(Msg::Back);
            continue;
        }
        save_draft(wizard, session);
    }
}

/// Asks the current step's questions, then goes on, asking again only what has a problem
/// until the step is left. `true`: the operator asked to go back at the step's first round
/// (going back from a later round is done here).
pub(super) fn answer_step(w: &mut Wizard, p: &mut dyn Prompter) -> Result<bool, PromptError> {
    let step = w.step();
    if ask_step(w, p, false)? {
        return Ok(true);
    }
    loop {
        w.update(Msg::Next);
        if w.step() != step {
            return Ok(false);
        }
        // Stopped: ask again only what has a problem.
        if ask_step(w, p, true)? {
            w.update(Msg::Back);
            return Ok(false);
        }
    }
}

/// Asks the current step's questions (or only those with problems); `true` means "back".
fn ask_step(
    wizard: &mut Wizard,
    p: &mut dyn Prompter,
    only_problems: bool,
) -> Result<bool, PromptError> {
    let mut done = std::collections::BTreeSet::new();
    loop {
        // The set of questions can change with each answer (e.g. the TLS value follows the
        // source, or an answer pulls in a question with a problem): ask the first not asked.
        let qs: Vec<Question> = wizard.questions().into_iter().cloned().collect();
        let Some(q) = qs.iter().find(|q| !done.contains(&q.id)) else {
            return Ok(false);
        };
        done.insert(q.id);
        let problems: Vec<String> = wizard
            .problems_for(q.id)
            .iter()
            .map(|s| s.to_string())
            .collect();
        if only_problems && problems.is_empty() {
            continue;
        }
        for msg in &problems {
            p.say(&format!("  problem with {}: {msg}", q.prompt));
        }
        let mut asked = q.clone();
        let mut last: Option<String> = None;
        loop {
            match ask(&asked, p)? {
                Reply::Back => return Ok(true),
                Reply::Value(v) => {
                    wizard.update(Msg::Answer(q.id, v.clone()));
                    if let Some(r) = wizard.rejected(q.id) {
                        p.say(&format!("  not accepted: {}", r.message));
                        continue;
                    }
                    // Checked as it is given: a problem at this question's own path is shown
                    // now and the question asked again, unless the same answer is given twice
                    // (then the step's end stops). Problems of the object it belongs to (e.g.
                    // "give endpoint, bucket and region") wait for the step's other answers.
                    let problems: Vec<String> = wizard
                        .problems()
                        .iter()
                        .filter(|p| p.question == Some(q.id) && p.problem.path == q.path)
                        .map(|p| p.problem.message.clone())
                        .collect();
                    if problems.is_empty() || last.as_deref() == Some(v.trim()) {
                        break;
                    }
                    for msg in &problems {
                        p.say(&format!("  problem with {}: {msg}", q.prompt));
                    }
                    last = Some(v.trim().to_string());
                    match wizard.questions().into_iter().find(|x| x.id == q.id) {
                        Some(fresh) => asked = fresh.clone(),
                        None => break,
                    }
                }
            }
        }
    }
}

fn ask(q: &Question, p: &mut dyn Prompter) -> Result<Reply<String>, PromptError> {
    let help = format!("{} [{}]", q.explain, q.path);
    match &q.kind {
        Kind::Choice(choices) => {
            // inquire can't grey options out: unavailable choices are listed before the
            // prompt, with why, and left out of what can be selected.
            for c in choices {
                if let Some(why) = &c.disabled {
                    p.say(&format!("  ({} is unavailable: {why})", c.label));
                }
            }
            let offered: Vec<_> = choices.iter().filter(|c| c.disabled.is_none()).collect();
            let mut options: Vec<String> = offered
                .iter()
                .map(|c| format!("{}: {}", c.label, c.explain))
                .collect();
            options.push(format!("{BACK} back to the previous step"));
            let start = offered
                .iter()
                .position(|c| Some(&c.value) == q.value.as_ref())
                .unwrap_or(0);
            match p.select(&q.prompt, &help, &options, start)? {
                Reply::Value(i) if i < offered.len() => Ok(Reply::Value(offered[i].value.clone())),
                _ => Ok(Reply::Back),
            }
        }
        Kind::Text { hint } | Kind::List { hint } | Kind::Labels { hint } => {
            let help = format!("{help}; {hint}; `{BACK}` goes back");
            match p.text(&q.prompt, &help, q.value.as_deref().unwrap_or(""))? {
                Reply::Value(v) if v.trim() == BACK => Ok(Reply::Back),
                other => Ok(other),
            }
        }
    }
}

fn say_review(p: &mut dyn Prompter, review: &Review, session: &Session) {
    for (step, rows) in &review.summary {
        p.say(&format!("{}:", step.title()));
        for (q, v) in rows {
            p.say(&format!("  {q}: {v}"));
        }
    }
    for problem in &review.problems {
        p.say(&format!("problem: {problem}"));
    }
    for f in &review.findings {
        p.say(f);
    }
    p.say(&format!(
        "Files in {}:",
        crate::frontend::visible::shown(&session.out)
    ));
    for (path, change) in &review.files {
        p.say(&format!("  {:<6} {path}", change.word()));
    }
    for line in &review.diff {
        p.say(line);
    }
    if let Some(b) = &review.blocked {
        p.say(&format!("can't write: {b}"));
    }
}

fn save_draft(wizard: &Wizard, session: &Session) {
    if let Some(dir) = &session.drafts {
        // A draft is a convenience: failing to save one must not stop the wizard.
        let _ = draft::save(dir, &Draft::of(wizard));
    }
}

/// Asks whether to resume `draft`, the one saved for the overlay at `out`.
pub fn offer_resume(
    draft: &Draft,
    out: &std::path::Path,
    p: &mut dyn Prompter,
) -> Result<bool, PromptError> {
    p.confirm(&resume_question(draft, out), true)
}

/// The resume question, naming the target directory, the step and what was chosen.
pub fn resume_question(draft: &Draft, out: &std::path::Path) -> String {
    let chosen = match (draft.answers.cloud.as_str(), draft.answers.profile.as_str()) {
        ("", _) => String::new(),
        (cloud, "") => format!(" ({cloud})"),
        (cloud, profile) => format!(" ({cloud}, {profile})"),
    };
    crate::frontend::visible::visible(&format!(
        "An unfinished run for {} stopped at \"{}\"{chosen}. Resume it?",
        crate::frontend::visible::shown(out),
        draft.step().title(),
    ))
    .into_owned()
}

/// The real prompts, through inquire.
pub struct Inquire;

fn inquire_error(e: inquire::InquireError) -> PromptError {
    match e {
        inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted => PromptError::Cancelled,
        inquire::InquireError::NotTTY => PromptError::Terminal(
            "plain mode needs a terminal for its prompts; without one, use `caracal-wizard new --answers FILE --out DIR`".into(),
        ),
        other => PromptError::Terminal(other.to_string()),
    }
}

impl Prompter for Inquire {
    fn select(
        &mut self,
        prompt: &str,
        help: &str,
        options: &[String],
        start: usize,
    ) -> Result<Reply<usize>, PromptError> {
        let prompt = visible(prompt);
        let help = visible(help);
        let options: Vec<String> = options.iter().map(|o| visible(o).into_owned()).collect();
        let chosen = inquire::Select::new(&prompt, options.clone())
            .with_help_message(&help)
            .with_starting_cursor(start)
            .with_page_size(options.len())
            .raw_prompt()
            .map_err(inquire_error)?;
        Ok(Reply::Value(chosen.index))
    }

    fn text(
        &mut self,
        prompt: &str,
        help: &str,
        default: &str,
    ) -> Result<Reply<String>, PromptError> {
        let (prompt, help, default) = (visible(prompt), visible(help), visible(default));
        let mut t = inquire::Text::new(&prompt).with_help_message(&help);
        if !default.is_empty() {
            t = t.with_default(&default);
        }
        Ok(Reply::Value(t.prompt().map_err(inquire_error)?))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, PromptError> {
        inquire::Confirm::new(&visible(prompt))
            .with_default(default)
            .prompt()
            .map_err(inquire_error)
    }

    fn say(&mut self, line: &str) {
        // Answers, files and diffs pass through here: control characters are shown, not obeyed.
        let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
        for row in wrap_line(&visible(line), width.saturating_sub(1)) {
            crate::stdio::diagnostic(&row);
        }
    }
}

/// `line` cut into rows of at most `width` characters at spaces (inside a word only when it
/// is longer than a row); continuation rows keep the line's indent and two more spaces.
pub fn wrap_line(line: &str, width: usize) -> Vec<String> {
    let width = width.max(20);
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= width {
        return vec![line.to_string()];
    }
    let indent = chars
        .iter()
        .take_while(|c| **c == ' ')
        .count()
        .min(width / 2)
        + 2;
    let mut rows = Vec::new();
    let mut rest: &[char] = &chars;
    let mut lead = 0;
    while lead + rest.len() > width {
        let room = width - lead;
        // The last space within the row that isn't part of the indent.
        let cut = (1..=room.min(rest.len() - 1))
            .rev()
            .find(|i| rest[*i] == ' ' && rest[..*i].iter().any(|c| *c != ' '))
            .unwrap_or(room);
        let row: String = rest[..cut].iter().collect();
        rows.push(format!("{}{}", " ".repeat(lead), row.trim_end()));
        rest = &rest[cut..];
        while rest.first() == Some(&' ') {
            rest = &rest[1..];
        }
        lead = indent;
    }
    if !rest.is_empty() {
        rows.push(format!(
            "{}{}",
            " ".repeat(lead),
            rest.iter().collect::<String>()
        ));
    }
    rows
}

/// A prompter that cancels at the first question (Esc or Ctrl-C), for tests.
#[cfg(test)]
pub(crate) struct Cancelling;

#[cfg(test)]
impl Prompter for Cancelling {
    fn select(
        &mut self,
        _: &str,
        _: &str,
        _: &[String],
        _: usize,
    ) -> Result<Reply<usize>, PromptError> {
        Err(PromptError::Cancelled)
    }
    fn text(&mut self, _: &str, _: &str, _: &str) -> Result<Reply<String>, PromptError> {
        Err(PromptError::Cancelled)
    }
    fn confirm(&mut self, _: &str, _: bool) -> Result<bool, PromptError> {
        Err(PromptError::Cancelled)
    }
    fn say(&mut self, _: &str) {}
}

#[cfg(test)]
mod tests;
