//! Plain mode of the migration (#4): the flow's screens as line prompts, its questions
//! through the wizard's own prompts.
use std::path::Path;

use crate::answers::Answers;
use crate::migrate::{
    ConflictKind, FlowMsg, FlowOutcome, MigrationFlow, MigrationPlan, Side, Stage,
};
use crate::wizard::{Msg, Outcome, Step, Wizard};

use super::{answer_step, PromptError, Prompter, Reply, BACK};

/// Runs the migration of the overlay in `dir` with line prompts; `Ok(None)` when cancelled.
pub fn run(
    mut flow: MigrationFlow,
    dir: &Path,
    prompter: &mut dyn Prompter,
) -> Result<Option<MigrationPlan>, PromptError> {
    match drive(&mut flow, dir, prompter) {
        Err(PromptError::Cancelled) => Ok(None),
        other => other,
    }
}

fn drive(
    flow: &mut MigrationFlow,
    dir: &Path,
    p: &mut dyn Prompter,
) -> Result<Option<MigrationPlan>, PromptError> {
    loop {
        let out = match flow.stage() {
            Stage::Profile => choose_profile(flow, dir, p)?,
            Stage::Questions => {
                for r in flow.reasons() {
                    p.say(&format!("  needed: {r}"));
                }
                match flow.wizard() {
                    Some(mut w) => match ask_wizard(&mut w, p)? {
                        Some(a) => flow.update(FlowMsg::Answered(Box::new(a))),
                        None => flow.update(FlowMsg::Back),
                    },
                    None => flow.update(FlowMsg::Back),
                }
            }
            Stage::Summary => {
                let Some(plan) = flow.plan() else {
                    return Err(PromptError::Terminal("no plan to show (a bug)".into()));
                };
                say_summary(p, dir, plan);
                if plan.conflicts.is_empty() {
                    confirm_write(flow, dir, p)?
                } else {
                    flow.update(FlowMsg::Next)
                }
            }
            Stage::Conflicts => settle(flow, dir, p)?,
        };
        if let Some(s) = flow.status() {
            p.say(s);
        }
        match out {
            Some(FlowOutcome::Write(plan)) => return Ok(Some(*plan)),
            Some(FlowOutcome::Cancelled) => return Err(PromptError::Cancelled),
            None => {}
        }
    }
}

fn choose_profile(
    flow: &mut MigrationFlow,
    dir: &Path,
    p: &mut dyn Prompter,
) -> Result<Option<FlowOutcome>, PromptError> {
    p.say(&format!(
        "Moving {} ({} on {}) to another profile.",
        dir.display(),
        flow.current_profile(),
        flow.cloud()
    ));
    let choices = flow.choices().to_vec();
    let options: Vec<String> = choices
        .iter()
        .map(|c| match &c.disabled {
            Some(why) => format!("{} (unavailable: {why})", c.label),
            None => format!("{}: {}", c.label, c.explain),
        })
        .collect();
    let start = choices
        .iter()
        .position(|c| c.value == flow.target())
        .unwrap_or(0);
    let help = "Only the questions the new profile adds or changes are asked; nothing is written before you confirm";
    match p.select("Target profile", help, &options, start)? {
        Reply::Value(i) => {
            if let Some(c) = choices.get(i) {
                flow.update(FlowMsg::Target(c.value.clone()));
                if c.disabled.is_some() {
                    return Ok(None);
                }
            }
            Ok(flow.update(FlowMsg::Next))
        }
        Reply::Back => Ok(None),
    }
}

/// Asks the restricted wizard through; `None` when the operator went back from its first step.
fn ask_wizard(w: &mut Wizard, p: &mut dyn Prompter) -> Result<Option<Answers>, PromptError> {
    loop {
        let step = w.step();
        if step == Step::Review {
            if let Some(Outcome::Finished(a)) = w.update(Msg::Next) {
                return Ok(Some(*a));
            }
            if w.step() == Step::Review {
                let problems: Vec<String> =
                    w.problems().iter().map(|p| p.problem.to_string()).collect();
                return Err(PromptError::Terminal(problems.join("; ")));
            }
            continue;
        }
        let (n, m) = w.position();
        p.say(&format!(
            "Step {n} of {}: {}",
            m.saturating_sub(1),
            step.title()
        ));
        if answer_step(w, p)? {
            if w.steps().first() == Some(&step) {
                return Ok(None);
            }
            w.update(Msg::Back);
        }
    }
}

fn say_summary(p: &mut dyn Prompter, dir: &Path, plan: &MigrationPlan) {
    p.say(&format!(
        "Moving {} from profile `{}` to `{}`.",
        dir.display(),
        plan.from_profile,
        plan.to_profile
    ));
    p.say("What changes in the deployment:");
    if plan.changes.is_empty() {
        p.say("  (nothing)");
    }
    for c in &plan.changes {
        p.say(&format!("  - {c}"));
    }
    if !plan.merged.is_empty() {
        p.say(&format!(
            "Hand edits merged into: {}",
            plan.merged.join(", ")
        ));
    }
    for n in &plan.notes {
        p.say(&format!("note: {n}"));
    }
    for w in &plan.warnings {
        p.say(&format!("warning: {w}"));
    }
    for d in plan.diffs() {
        for l in d.diff.lines() {
            p.say(l);
        }
    }
}

fn confirm_write(
    flow: &mut MigrationFlow,
    dir: &Path,
    p: &mut dyn Prompter,
) -> Result<Option<FlowOutcome>, PromptError> {
    if p.confirm(&format!("Write these changes to {}?", dir.display()), true)? {
        Ok(flow.update(FlowMsg::Next))
    } else {
        Ok(flow.update(FlowMsg::Back))
    }
}

/// Asks a side for every conflict, then whether to write.
fn settle(
    flow: &mut MigrationFlow,
    dir: &Path,
    p: &mut dyn Prompter,
) -> Result<Option<FlowOutcome>, PromptError> {
    let conflicts = flow.plan().map(|p| p.conflicts.clone()).unwrap_or_default();
    p.say(&format!(
        "{} conflict(s) between your hand edits and the migration: choose per key.",
        conflicts.len()
    ));
    for (i, c) in conflicts.iter().enumerate() {
        let why = match c.kind {
            ConflictKind::BothChanged => "you and the migration both changed it",
            ConflictKind::Pinned => "the target profile decides this key",
            ConflictKind::UnknownBase => "edited, and the wizard's original can't be rebuilt",
        };
        let options = vec![
            format!("keep yours: {}", c.ours),
            format!("take new: {}", c.theirs),
            format!("{BACK} back to the summary"),
        ];
        let start = usize::from(c.resolution == Some(Side::Theirs));
        let prompt = format!("{} {}", c.file, c.path.as_deref().unwrap_or("(whole file)"));
        match p.select(&prompt, why, &options, start)? {
            Reply::Value(0) => flow.update(FlowMsg::Resolve(i, Side::Ours)),
            Reply::Value(1) => flow.update(FlowMsg::Resolve(i, Side::Theirs)),
            _ => return Ok(flow.update(FlowMsg::Back)),
        };
    }
    if p.confirm(&format!("Write these changes to {}?", dir.display()), true)? {
        Ok(flow.update(FlowMsg::Next))
    } else {
        Ok(flow.update(FlowMsg::Back))
    }
}

#[cfg(test)]
mod tests;
