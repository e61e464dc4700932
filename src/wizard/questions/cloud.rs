//! Rows of the cloud step: which managed Kubernetes.
use super::row::{choice, Ids, KindSpec, Phrase, Row};
use super::{Choice, Context, QuestionId, Step};

/// The cloud step's rows, in order.
pub(super) static ROWS: &[Row] = &[Row {
    ids: Ids::One(QuestionId::Cloud),
    step: Step::Cloud,
    path: Phrase::Is("cloud"),
    prompt: Phrase::Is("Cloud"),
    help: Phrase::Is(
        "Where the cluster runs: decides ingress classes, identity, secret manager and storage.",
    ),
    kind: KindSpec::Choices(clouds),
    applies: &[],
}];

/// One choice per cloud of the catalog, saying what it decides.
fn clouds(ctx: &Context<'_>, _: QuestionId) -> Option<Vec<Choice>> {
    let choices = ctx.catalog.clouds.values().map(|c| {
        choice(
            &c.id,
            &c.title,
            format!(
                "secrets in {}, identity through {}, storage class {}",
                c.secret_store.provider, c.identity.annotation, c.storage_class
            ),
        )
    });
    Some(choices.collect())
}
