//! The interactive migration's state machine: choose the target profile, answer what it adds
//! or changes, read the summary and the diffs, settle the conflicts, write (#4).
//!
//! Pure and synchronous like [`Wizard`]: both front ends drive it with [`FlowMsg`]s. While the
//! flow is at [`Stage::Questions`], the front end asks a [`Wizard`] restricted to those
//! questions ([`MigrationFlow::wizard`]) and hands back its answers.
use std::collections::BTreeSet;

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::error::Problem;
use crate::render::Templates;
use crate::wizard::questions::{self, Context};
use crate::wizard::{Choice, Msg, QuestionId, Step, Wizard};

use super::{propose, DirState, MigrationPlan, OldAnswers, Proposal, Side};

/// Where the flow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Choosing the target profile.
    Profile,
    /// Answering what the target adds or changes (a restricted wizard).
    Questions,
    /// Reading what changes and the per-file diff.
    Summary,
    /// Choosing a side for each conflict between hand edits and the migration.
    Conflicts,
}

impl Stage {
    /// Heading shown to the operator.
    pub fn title(self) -> &'static str {
        match self {
            Stage::Profile => "Target profile",
            Stage::Questions => "Questions",
            Stage::Summary => "What changes",
            Stage::Conflicts => "Conflicts",
        }
    }
}

/// What the operator did, in the flow's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowMsg {
    /// Highlight a target profile (by id); unavailable ones are refused.
    Target(String),
    /// Go on: plan the chosen profile, leave the summary, or write once every conflict is settled.
    Next,
    /// Go back one stage.
    Back,
    /// The questions' wizard finished with these answers.
    Answered(Box<Answers>),
    /// Choose a side for conflict number `.0`.
    Resolve(usize, Side),
    /// Stop without writing.
    Cancel,
}

/// How the flow ended.
#[derive(Debug, Clone)]
pub enum FlowOutcome {
    /// Write this plan (every conflict resolved).
    Write(Box<MigrationPlan>),
    /// The operator cancelled: write nothing.
    Cancelled,
}

/// The interactive migration of one overlay.
#[derive(Clone)]
pub struct MigrationFlow {
    catalog: Catalog,
    templates: Templates,
    old: OldAnswers,
    dir: DirState,
    choices: Vec<Choice>,
    target: String,
    stage: Stage,
    proposal: Option<Proposal>,
    scope: BTreeSet<QuestionId>,
    answers: Option<Answers>,
    plan: Option<MigrationPlan>,
    status: Option<String>,
}

impl MigrationFlow {
    /// A flow at the profile choice for the overlay whose answers are `old` and whose files are `dir`.
    pub fn new(old: OldAnswers, dir: DirState, catalog: Catalog, templates: Templates) -> Self {
        let choices = profile_choices(&old, &catalog, &templates);
        // The next profile after the current one is highlighted first.
        let at = choices
            .iter()
            .position(|c| c.value == old.answers.profile)
            .unwrap_or(0);
        let target = choices
            .iter()
            .cycle()
            .skip(at)
            .take(choices.len())
            .find(|c| c.disabled.is_none())
            .map(|c| c.value.clone())
            .unwrap_or_default();
        Self {
            catalog,
            templates,
            old,
            dir,
            choices,
            target,
            stage: Stage::Profile,
            proposal: None,
            scope: BTreeSet::new(),
            answers: None,
            plan: None,
            status: None,
        }
    }

    /// Applies one message; returns the outcome once the flow is over.
    pub fn update(&mut self, msg: FlowMsg) -> Option<FlowOutcome> {
        self.status = None;
        match msg {
            FlowMsg::Cancel => return Some(FlowOutcome::Cancelled),
            FlowMsg::Target(id) => {
                let offered = self
                    .choices
                    .iter()
                    .find(|c| c.value == id)
                    .map(|c| c.disabled.clone());
                match offered {
                    Some(None) if self.stage == Stage::Profile => self.target = id,
                    Some(Some(why)) => self.status = Some(why),
                    _ => {}
                }
            }
            FlowMsg::Next => return self.next(),
            FlowMsg::Back => {
                self.stage = match self.stage {
                    Stage::Profile | Stage::Questions => Stage::Profile,
                    Stage::Summary if self.scope.is_empty() => Stage::Profile,
                    Stage::Summary => Stage::Questions,
                    Stage::Conflicts => Stage::Summary,
                };
            }
            FlowMsg::Answered(answers) if self.stage == Stage::Questions => {
                self.answers = Some(*answers);
                self.plan_answers();
            }
            FlowMsg::Answered(_) => {}
            FlowMsg::Resolve(i, side) => {
                if let Some(plan) = &mut self.plan {
                    plan.resolve(i, side);
                }
            }
        }
        None
    }

    fn next(&mut self) -> Option<FlowOutcome> {
        match self.stage {
            Stage::Profile => self.choose(),
            Stage::Questions => {}
            Stage::Summary => {
                let plan = self.plan.as_ref()?;
                if plan.conflicts.is_empty() {
                    return Some(FlowOutcome::Write(Box::new(plan.clone())));
                }
                self.stage = Stage::Conflicts;
            }
            Stage::Conflicts => {
                let plan = self.plan.as_ref()?;
                if plan.is_ready() {
                    return Some(FlowOutcome::Write(Box::new(plan.clone())));
                }
                self.status = Some(format!(
                    "{} conflict(s) still open: choose yours (←) or the new value (→) for each",
                    plan.unresolved().count()
                ));
            }
        }
        None
    }

    /// Plans the highlighted target: its questions next, or straight to the summary.
    fn choose(&mut self) {
        if let Some(Some(why)) = self
            .choices
            .iter()
            .find(|c| c.value == self.target)
            .map(|c| c.disabled.clone())
        {
            self.status = Some(why);
            return;
        }
        let proposal = match propose(&self.old, &self.target, &self.catalog, &self.templates) {
            Ok(p) => p,
            Err(e) => {
                self.status = Some(e.to_string());
                return;
            }
        };
        let same_target = self
            .proposal
            .as_ref()
            .is_some_and(|p| p.answers.profile == proposal.answers.profile);
        if !same_target {
            // Answers given for another target don't carry over.
            self.answers = None;
        }
        self.scope = questions_to_ask(&proposal, &self.catalog);
        self.proposal = Some(proposal);
        self.stage = Stage::Questions;
        if self.scope.is_empty() {
            self.plan_answers();
        }
    }

    /// Plans the answers given (or the proposal's, with nothing to ask); on to the summary.
    fn plan_answers(&mut self) {
        let Some(proposal) = &self.proposal else {
            return;
        };
        let answers = self.answers.as_ref().unwrap_or(&proposal.answers);
        match proposal.plan(
            &self.old,
            answers,
            &self.dir,
            &self.catalog,
            &self.templates,
        ) {
            Ok(plan) => {
                self.plan = Some(plan);
                self.stage = Stage::Summary;
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    /// The wizard to ask the target's questions with, while at [`Stage::Questions`]: only the
    /// questions the target adds or changes, prefilled from the old answers (or, coming back
    /// from the summary, from the answers given, at the last step).
    pub fn wizard(&self) -> Option<Wizard> {
        if self.stage != Stage::Questions {
            return None;
        }
        let proposal = self.proposal.as_ref()?;
        let catalog = self.catalog.clone();
        let scope = self.scope.clone();
        let notes = self.reasons();
        Some(
            match &self.answers {
                None => Wizard::new(catalog, proposal.answers.clone()).with_scope(scope),
                Some(a) => {
                    let mut w = Wizard::resume(catalog, a.clone(), Step::Review).with_scope(scope);
                    w.update(Msg::Back);
                    w
                }
            }
            .with_notes(notes),
        )
    }

    /// Why the questions are asked: what the target needs that the old answers lack.
    pub fn reasons(&self) -> Vec<Problem> {
        self.proposal
            .as_ref()
            .map(|p| p.problems(&p.answers, &self.catalog))
            .unwrap_or_default()
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The overlay's current profile.
    pub fn current_profile(&self) -> &str {
        &self.old.answers.profile
    }

    /// The overlay's cloud.
    pub fn cloud(&self) -> &str {
        &self.old.answers.cloud
    }

    /// The highlighted (or chosen) target profile.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Every profile, the unavailable ones (the current one) with the reason.
    pub fn choices(&self) -> &[Choice] {
        &self.choices
    }

    /// Whether the target asks questions.
    pub fn has_questions(&self) -> bool {
        !self.scope.is_empty()
    }

    /// The planned migration, from the summary on.
    pub fn plan(&self) -> Option<&MigrationPlan> {
        self.plan.as_ref()
    }

    /// Why the last message did not go on, if it did not.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The templates.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }
}

/// The questions a move asks: those the target profile adds, those whose value it changes,
/// and those with a problem. Cloud, profile, release and namespace stay as they are.
pub fn questions_to_ask(proposal: &Proposal, catalog: &Catalog) -> BTreeSet<QuestionId> {
    let before = questions::questions(&Context::new(catalog, &proposal.old));
    let after = questions::questions(&Context::new(catalog, &proposal.answers));
    let problems = proposal.problems(&proposal.answers, catalog);
    after
        .iter()
        .filter(|q| {
            !matches!(
                q.id,
                QuestionId::Cloud
                    | QuestionId::Profile
                    | QuestionId::Release
                    | QuestionId::Namespace
            )
        })
        .filter(|q| {
            let changed = before
                .iter()
                .find(|o| o.id == q.id)
                .is_none_or(|o| o.value != q.value);
            changed || problems.iter().any(|p| q.concerns(&p.path))
        })
        .map(|q| q.id)
        .collect()
}

/// Every profile as a choice: what it is and which steps moving to it asks; the current one
/// (nothing to move) unavailable.
fn profile_choices(old: &OldAnswers, catalog: &Catalog, templates: &Templates) -> Vec<Choice> {
    catalog
        .profiles
        .iter()
        .map(|p| {
            let mut explain = p.summary.clone();
            let mut disabled = None;
            if p.id == old.answers.profile {
                disabled = Some(format!(
                    "the overlay is already {}: nothing to move",
                    p.title
                ));
            } else {
                match propose(old, &p.id, catalog, templates) {
                    Ok(proposal) => {
                        let scope = questions_to_ask(&proposal, catalog);
                        let ctx = Context::new(catalog, &proposal.answers);
                        let steps: BTreeSet<Step> = questions::questions(&ctx)
                            .iter()
                            .filter(|q| scope.contains(&q.id))
                            .map(|q| q.step)
                            .collect();
                        let asks: Vec<&str> = steps.iter().map(|s| s.title()).collect();
                        explain = if asks.is_empty() {
                            format!("{explain}; moving asks nothing")
                        } else {
                            format!("{explain}; moving asks about {}", asks.join(", "))
                        };
                    }
                    Err(e) => disabled = Some(e.to_string()),
                }
            }
            Choice {
                value: p.id.clone(),
                label: p.title.clone(),
                explain,
                disabled,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
