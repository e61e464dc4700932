//! The wizard's state machine: it owns the answers and the current step, and is the only
//! thing that knows the order of the questions. Both front ends drive it with [`Msg`]s.
//!
//! Pure and synchronous: no terminal, no disk, no clock.
use std::collections::{BTreeMap, BTreeSet};

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::error::Problem;
use crate::format::Format;
use crate::validate;

pub mod answers;
pub mod question;
pub mod questions;

pub use question::{Choice, Kind, Question, QuestionId, Step};

/// What the user did, in the wizard's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// Answer a question with text as typed (for a choice: the choice's value).
    ///
    /// Empty text removes the answer so the default applies again.
    Answer(QuestionId, String),
    /// Accept the current step: go on when its answers are valid; on review, finish.
    Next,
    /// Go to the previous step. Always allowed, whatever the state of the current one.
    Back,
    /// Stop without writing.
    Cancel,
}

/// How a run of the wizard ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The user accepted the review: these answers are complete and valid.
    Finished(Box<Answers>),
    /// The user cancelled.
    Cancelled,
}

/// An answer that could not be applied, kept with the text the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// What the user typed.
    pub text: String,
    /// Why it was refused.
    pub message: String,
}

/// A problem or warning from the engine, placed at the question it concerns (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The question, or `None` when no question of the wizard sets that key.
    pub question: Option<QuestionId>,
    /// The engine's problem.
    pub problem: Problem,
}

/// The wizard: answers, current step, and what the engine says about them.
#[derive(Debug, Clone)]
pub struct Wizard {
    catalog: Catalog,
    answers: Answers,
    step: Step,
    questions: Vec<Question>,
    steps: Vec<Step>,
    problems: Vec<Placed>,
    warnings: Vec<Placed>,
    rejected: BTreeMap<QuestionId, Rejected>,
    touched: BTreeSet<QuestionId>,
    attempted: BTreeSet<Step>,
    revision: u64,
    last_answered: Option<QuestionId>,
    scope: Option<BTreeSet<QuestionId>>,
    /// The furthest step shown so far.
    reached: Step,
    /// With a scope: the step each question a problem pulled in is asked at. One whose own
    /// step was already passed is asked at the furthest step instead, so the numbering never
    /// jumps back and no answered step is asked again (#13).
    pulled: BTreeMap<QuestionId, Step>,
    /// Why some questions are asked (e.g. what a migration needs), shown under them.
    notes: Vec<Problem>,
}

impl Wizard {
    /// A wizard at the first step, prefilled with `answers`.
    pub fn new(catalog: Catalog, answers: Answers) -> Self {
        let mut w = Self {
            catalog,
            answers,
            step: Step::Cloud,
            questions: Vec::new(),
            steps: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            rejected: BTreeMap::new(),
            touched: BTreeSet::new(),
            attempted: BTreeSet::new(),
            revision: 0,
            last_answered: None,
            scope: None,
            reached: Step::Cloud,
            pulled: BTreeMap::new(),
            notes: Vec::new(),
        };
        w.refresh();
        w
    }

    /// A wizard resumed at `step` (or the first applicable step after it).
    pub fn resume(catalog: Catalog, answers: Answers, step: Step) -> Self {
        let mut w = Self::new(catalog, answers);
        w.step = w
            .steps
            .iter()
            .copied()
            .find(|s| *s >= step)
            .unwrap_or(Step::Review);
        w
    }

    /// The wizard restricted to the questions in `scope`, plus any other question that gets
    /// a problem (it stays asked from then on): a migration asks only what the new profile
    /// adds or changes (#4). Steps without such a question drop out, cloud and profile too.
    pub fn with_scope(mut self, scope: BTreeSet<QuestionId>) -> Self {
        self.scope = Some(scope);
        self.refresh();
        self
    }

    /// Says why questions are asked: each note shows under the question that sets its path.
    pub fn with_notes(mut self, notes: Vec<Problem>) -> Self {
        self.notes = notes;
        self
    }

    /// The notes about `id` (see [`Wizard::with_notes`]), except those its problems and
    /// warnings already say.
    pub fn notes_for(&self, id: QuestionId) -> Vec<&str> {
        let said: Vec<&str> = self
            .problems_for(id)
            .into_iter()
            .chain(self.warnings_for(id))
            .collect();
        self.notes
            .iter()
            .filter(|n| self.question_for(&n.path) == Some(id))
            .map(|n| n.message.as_str())
            .filter(|m| !said.contains(m))
            .collect()
    }

    /// Applies one message; returns the outcome once the run is over.
    pub fn update(&mut self, msg: Msg) -> Option<Outcome> {
        match msg {
            Msg::Answer(id, text) => {
                self.answer(id, &text);
                None
            }
            Msg::Back => {
                if let Some(prev) = self.steps.iter().rev().find(|s| **s < self.step) {
                    self.step = *prev;
                }
                None
            }
            Msg::Next => self.next(),
            Msg::Cancel => Some(Outcome::Cancelled),
        }
    }

    fn next(&mut self) -> Option<Outcome> {
        self.attempted.insert(self.step);
        if self.step == Step::Review {
            if let Some(step) = self
                .problems
                .iter()
                .filter_map(|p| p.question)
                .filter_map(|id| self.question(id).map(|q| q.step))
                .min()
            {
                self.step = step;
                self.attempted.insert(step);
                return None;
            }
            if !self.problems.is_empty() || !self.rejected.is_empty() {
                return None;
            }
            return Some(Outcome::Finished(Box::new(self.answers.clone())));
        }
        if self.has_problems(self.step) {
            return None;
        }
        if let Some(next) = self.steps.iter().find(|s| **s > self.step) {
            self.step = *next;
        }
        self.reached = self.reached.max(self.step);
        None
    }

    fn answer(&mut self, id: QuestionId, text: &str) {
        let Some(q) = self.question(id).cloned() else {
            return;
        };
        self.touched.insert(id);
        let text = text.trim();
        let result = self.answered(&q, text);
        match result {
            Ok(new) => {
                self.rejected.remove(&id);
                if new != self.answers {
                    self.answers = new;
                    self.last_answered = Some(id);
                    self.refresh();
                }
            }
            Err(message) => {
                self.rejected.insert(
                    id,
                    Rejected {
                        text: text.to_string(),
                        message,
                    },
                );
            }
        }
    }

    /// The answers after answering `q` with `text`, or why not.
    fn answered(&self, q: &Question, text: &str) -> Result<Answers, String> {
        let mut a = self.answers.clone();
        if let Kind::Choice(choices) = &q.kind {
            let c = choices.iter().find(|c| c.value == text).ok_or_else(|| {
                let all: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                format!(
                    "`{text}` is not a choice here; choose one of: {}",
                    all.join(", ")
                )
            })?;
            if let Some(reason) = &c.disabled {
                return Err(format!("{} is unavailable: {reason}", c.label));
            }
        }
        let unchanged =
            q.value.as_deref() == Some(text) && (q.is_default || q.id == QuestionId::TlsSource);
        if unchanged {
            return Ok(a);
        }
        if q.id == QuestionId::TlsSource {
            answers::unset(&mut a, "tls")?;
            let mode = self
                .catalog
                .tls_mode(text)
                .ok_or_else(|| format!("`{text}` is not a certificate source"))?;
            let value = if mode.format == Format::Bool {
                "true".to_string()
            } else {
                self.catalog
                    .cloud(&a.cloud)
                    .and_then(|c| c.tls_default.get(text))
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            answers::set(&mut a, &format!("tls.{text}"), &value)?;
            return Ok(a);
        }
        if text.is_empty() {
            answers::unset(&mut a, &q.path)?;
        } else if matches!(q.kind, Kind::List { .. }) {
            answers::ensure_list_ports(text)?;
            answers::set(&mut a, &q.path, &answers::list_to_set_value(text))?;
        } else if matches!(q.kind, Kind::Labels { .. }) {
            answers::set_value(&mut a, &q.path, answers::labels_value(text)?)?;
        } else {
            answers::set(&mut a, &q.path, text)?;
        }
        Ok(a)
    }

    /// Recomputes questions, steps and problems after the answers changed.
    fn refresh(&mut self) {
        self.revision += 1;
        let ctx = questions::Context::new(&self.catalog, &self.answers);
        self.questions = questions::questions(&ctx);
        let (result, warnings) = validate::check_with_warnings(&self.answers, &self.catalog);
        let problems = result.err().map(|p| p.0).unwrap_or_default();
        self.problems = problems.into_iter().map(|p| self.place(p)).collect();
        self.warnings = warnings.into_iter().map(|p| self.place(p)).collect();
        match &mut self.scope {
            None => self.steps = questions::steps(&self.questions, &ctx),
            Some(scope) => {
                for id in self.problems.iter().filter_map(|p| p.question) {
                    if scope.insert(id) && self.reached != Step::Review {
                        let own = self.questions.iter().find(|q| q.id == id).map(|q| q.step);
                        if let Some(own) = own {
                            self.pulled.insert(id, own.max(self.reached));
                        }
                    }
                }
                self.questions.retain(|q| scope.contains(&q.id));
                for q in &mut self.questions {
                    if let Some(step) = self.pulled.get(&q.id) {
                        q.step = *step;
                    }
                }
                let questions = &self.questions;
                self.steps = Step::ALL
                    .into_iter()
                    .filter(|s| *s == Step::Review || questions.iter().any(|q| q.step == *s))
                    .collect();
            }
        }
        if !self.steps.contains(&self.step) {
            self.step = self
                .steps
                .iter()
                .copied()
                .find(|s| *s >= self.step)
                .unwrap_or(Step::Review);
        }
        self.reached = self.reached.max(self.step);
    }

    fn place(&self, problem: Problem) -> Placed {
        let question = self.question_for(&problem.path);
        Placed { question, problem }
    }

    /// The question that sets `path`, or the one whose key it is under.
    fn question_for(&self, path: &str) -> Option<QuestionId> {
        self.questions
            .iter()
            .find(|q| q.path == path)
            .or_else(|| self.questions.iter().find(|q| q.concerns(path)))
            .map(|q| q.id)
    }

    /// The current step.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The steps that apply to the current answers, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// "Step N of M": the current step's number (from 1) and the number of steps.
    pub fn position(&self) -> (usize, usize) {
        let n = self.steps.iter().position(|s| *s == self.step).unwrap_or(0);
        (n + 1, self.steps.len())
    }

    /// The questions of the current step.
    pub fn questions(&self) -> Vec<&Question> {
        self.questions_of(self.step)
    }

    /// The questions of `step` that apply.
    pub fn questions_of(&self, step: Step) -> Vec<&Question> {
        self.questions.iter().filter(|q| q.step == step).collect()
    }

    /// One question, if it applies.
    pub fn question(&self, id: QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The answers as given (defaults not filled in).
    pub fn answers(&self) -> &Answers {
        &self.answers
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Increases whenever the answers change (front ends rebuild their preview on change).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The question whose answer changed the answers last.
    pub fn last_answered(&self) -> Option<QuestionId> {
        self.last_answered
    }

    /// A refused answer to `id`, with the text the user typed.
    pub fn rejected(&self, id: QuestionId) -> Option<&Rejected> {
        self.rejected.get(&id)
    }

    fn is_shown(&self, q: &Question) -> bool {
        !q.is_default || self.touched.contains(&q.id) || self.attempted.contains(&q.step)
    }

    /// The engine's problems with `id` the user should see now: those of questions they
    /// answered, prefilled, or tried to leave.
    pub fn problems_for(&self, id: QuestionId) -> Vec<&str> {
        let Some(q) = self.question(id) else {
            return Vec::new();
        };
        let mut out: Vec<&str> = Vec::new();
        if let Some(r) = self.rejected.get(&id) {
            out.push(&r.message);
        }
        // A default derived from a broken answer repeats that answer's problem: show it once,
        // at the answer (e.g. hosts derived from a bad domain).
        let echo = q.is_default
            && self
                .questions_of(q.step)
                .iter()
                .any(|o| !o.is_default && self.problems.iter().any(|p| p.question == Some(o.id)));
        if self.is_shown(q) && !echo {
            out.extend(
                self.problems
                    .iter()
                    .filter(|p| p.question == Some(id))
                    .map(|p| p.problem.message.as_str()),
            );
        }
        out
    }

    /// The engine's warnings about `id`.
    pub fn warnings_for(&self, id: QuestionId) -> Vec<&str> {
        self.warnings
            .iter()
            .filter(|p| p.question == Some(id))
            .map(|p| p.problem.message.as_str())
            .collect()
    }

    /// Whether `step` has a problem that stops Next.
    pub fn has_problems(&self, step: Step) -> bool {
        let ids: Vec<QuestionId> = self.questions_of(step).iter().map(|q| q.id).collect();
        self.rejected.keys().any(|id| ids.contains(id))
            || self
                .problems
                .iter()
                .any(|p| p.question.is_some_and(|id| ids.contains(&id)))
    }

    /// Every problem with the answers, placed.
    pub fn problems(&self) -> &[Placed] {
        &self.problems
    }

    /// Every warning, placed.
    pub fn warnings(&self) -> &[Placed] {
        &self.warnings
    }
}

#[cfg(test)]
mod tests;
