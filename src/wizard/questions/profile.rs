//! Rows of the profile step: which deployment profile, release and namespace.
use crate::format::Format;

use super::row::{choice, example, Ids, KindSpec, Phrase, Row};
use super::{Choice, Context, QuestionId, Step};

/// The profile step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::Profile),
        step: Step::Profile,
        path: Phrase::Is("profile"),
        prompt: Phrase::Is("Profile"),
        help: Phrase::Is(
            "How serious this install is: image channel, secrets, scaling, network policy, audit.",
        ),
        kind: KindSpec::Choices(profiles),
        applies: &[],
    },
    Row {
        ids: Ids::One(QuestionId::Release),
        step: Step::Profile,
        path: Phrase::Is("release"),
        prompt: Phrase::Is("Helm release"),
        help: Phrase::Is("Prefixes every object the chart creates (`<release>-caracal-…`)."),
        kind: KindSpec::Text(Phrase::Is(example(Format::K8sName))),
        applies: &[],
    },
    Row {
        ids: Ids::One(QuestionId::Namespace),
        step: Step::Profile,
        path: Phrase::Is("namespace"),
        prompt: Phrase::Is("Namespace"),
        help: Phrase::Is(
            "Where Caracal runs; the overlay creates it and scopes the secret store to it.",
        ),
        kind: KindSpec::Text(Phrase::Is(example(Format::K8sName))),
        applies: &[],
    },
];

/// One choice per profile of the catalog, with its summary.
fn profiles(ctx: &Context<'_>, _: QuestionId) -> Option<Vec<Choice>> {
    let choices = ctx.catalog.profiles.iter();
    Some(
        choices
            .map(|p| choice(&p.id, &p.title, &p.summary))
            .collect(),
    )
}
