//! THE question table: every question both front ends ask, with its step, key path, wording,
//! choices and when it applies. Choices, explanations and refusals come from the catalog.
//!
//! The rows are data, one file per step; this module looks questions up in them.
use crate::answers::{Answers, Endpoint, Exposure};
use crate::catalog::{Catalog, Cloud, Profile};
use crate::validate;

use super::answers as paths;
pub use super::question::{Choice, Kind, Question, QuestionId, Step};
use row::Row;

mod audit;
mod cloud;
mod data;
mod delivery;
mod endpoints;
mod hosts;
mod identity;
mod network;
mod profile;
mod row;
mod when;

/// What the table needs to phrase questions.
pub struct Context<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// The answers as given.
    pub answers: &'a Answers,
    /// The answers with defaults, once cloud and profile are known.
    pub complete: Option<Answers>,
    /// The chosen cloud.
    pub cloud: Option<&'a Cloud>,
    /// The chosen profile.
    pub profile: Option<&'a Profile>,
}

impl<'a> Context<'a> {
    /// Context for `answers`.
    pub fn new(catalog: &'a Catalog, answers: &'a Answers) -> Self {
        let cloud = catalog.cloud(&answers.cloud);
        let profile = catalog.profile(&answers.profile);
        let complete = match (cloud, profile) {
            (Some(c), Some(p)) => Some(validate::complete(answers, c, p)),
            _ => None,
        };
        Self {
            catalog,
            answers,
            complete,
            cloud,
            profile,
        }
    }

    fn effective(&self) -> &Answers {
        self.complete.as_ref().unwrap_or(self.answers)
    }

    fn exposure(&self, e: Endpoint) -> Exposure {
        self.effective()
            .endpoints
            .get(&e)
            .copied()
            .unwrap_or(Exposure::Disabled)
    }

    fn exposed(&self) -> Vec<(Endpoint, Exposure)> {
        Endpoint::EXPOSABLE
            .into_iter()
            .map(|e| (e, self.exposure(e)))
            .filter(|(_, x)| *x != Exposure::Disabled)
            .collect()
    }

    fn tls_mode(&self) -> Option<String> {
        self.effective().tls.keys().next().cloned()
    }
}

/// The question table: each step's rows, steps in order.
///
/// Both front ends drive this one table (issue 9): the order of the rows is the order asked.
static TABLE: [&[Row]; 9] = [
    cloud::ROWS,
    profile::ROWS,
    endpoints::ROWS,
    hosts::ROWS,
    data::ROWS,
    network::ROWS,
    identity::ROWS,
    audit::ROWS,
    delivery::ROWS,
];

/// Every row of the table, in order.
fn rows() -> impl Iterator<Item = &'static Row> {
    TABLE.iter().flat_map(|rows| rows.iter())
}

/// The questions that apply to these answers, in order.
pub fn questions(ctx: &Context<'_>) -> Vec<Question> {
    rows()
        .flat_map(|row| row.ids(ctx))
        .filter_map(|id| question(id, ctx))
        .collect()
}

/// The steps that apply to these answers, in order (always ends with review).
///
/// Until cloud and profile are chosen, every step counts: the count only shrinks later.
pub fn steps(questions: &[Question], ctx: &Context<'_>) -> Vec<Step> {
    if ctx.cloud.is_none() || ctx.profile.is_none() {
        return Step::ALL.to_vec();
    }
    Step::ALL
        .into_iter()
        .filter(|s| {
            matches!(s, Step::Cloud | Step::Profile | Step::Review)
                || questions.iter().any(|q| q.step == *s)
        })
        .collect()
}

/// One question, or `None` when it does not apply to these answers.
pub fn question(id: QuestionId, ctx: &Context<'_>) -> Option<Question> {
    let row = rows().find(|row| row.is_for(id))?;
    if !row.applies(ctx, id) {
        return None;
    }
    let path = row.path.text(ctx, id)?;
    let (answered, effective) = values(id, &path, ctx);
    let value = answered.as_ref().or(effective.as_ref()).map(paths::display);
    Some(Question {
        id,
        step: row.step,
        prompt: row.prompt.text(ctx, id)?,
        explain: row.help.text(ctx, id)?,
        kind: row.kind.kind(ctx, id)?,
        path,
        value: value.filter(|v| !v.is_empty() || answered.is_some()),
        is_default: answered.is_none(),
    })
}

/// The answer to `id` as given, and as it takes effect with defaults.
fn values(
    id: QuestionId,
    path: &str,
    ctx: &Context<'_>,
) -> (Option<serde_yaml::Value>, Option<serde_yaml::Value>) {
    // `tls` holds one key per mode: the source question's answer is which key is set.
    if id == QuestionId::TlsSource {
        let answered = ctx.answers.tls.keys().next().cloned();
        let effective = ctx.tls_mode();
        return (
            answered.map(serde_yaml::Value::String),
            effective.map(serde_yaml::Value::String),
        );
    }
    (
        paths::get(ctx.answers, path),
        paths::get(ctx.effective(), path),
    )
}

#[cfg(test)]
mod tests;
