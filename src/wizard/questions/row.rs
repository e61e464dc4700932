//! One row of the question table: a question (or a family of them) as data.
use crate::answers::Endpoint;
use crate::format::Format;

use super::when::When;
use super::{Choice, Context, Kind, QuestionId, Step};

/// A row of the question table: which question(s), where, what it says, what it takes,
/// and when it applies.
pub(super) struct Row {
    /// The question, or the family of questions the row expands to.
    pub ids: Ids,
    /// The step that asks it.
    pub step: Step,
    /// Key path in the answers.
    pub path: Phrase,
    /// Short label.
    pub prompt: Phrase,
    /// One line on what it changes and why it matters.
    pub help: Phrase,
    /// Kind of answer, with its hint or choices.
    pub kind: KindSpec,
    /// Conditions that must all hold for the question to be asked (none: always).
    pub applies: &'static [When],
}

/// Which question ids a row stands for.
pub(super) enum Ids {
    /// Exactly this one.
    One(QuestionId),
    /// One per exposable endpoint (any endpoint can still be looked up).
    PerEndpoint(fn(Endpoint) -> QuestionId),
    /// One per field of the cloud's secret store.
    PerSecretStoreField,
}

/// Wording that is fixed, or phrased from the context and the question id.
///
/// A phrasing function returns `None` when what it needs is missing; the question then
/// does not apply.
pub(super) enum Phrase {
    /// Fixed text.
    Is(&'static str),
    /// Text that depends on the catalog or the answers.
    From(fn(&Context<'_>, QuestionId) -> Option<String>),
}

/// A question's kind as data: fixed hints and choices, or functions of the context.
pub(super) enum KindSpec {
    /// One line of text with this hint.
    Text(Phrase),
    /// A comma-separated list with this hint.
    List(Phrase),
    /// Comma-separated `key=value` pairs with this hint.
    Labels(Phrase),
    /// A fixed list of choices.
    Picks(&'static [Pick]),
    /// Choices phrased from the catalog or the answers.
    Choices(fn(&Context<'_>, QuestionId) -> Option<Vec<Choice>>),
}

/// A fixed choice: value, label, explanation.
pub(super) struct Pick(pub &'static str, pub &'static str, pub &'static str);

/// `yes` and `no` for a boolean question, each with what it means.
pub(super) const fn yes_no(yes: &'static str, no: &'static str) -> [Pick; 2] {
    [Pick("true", "yes", yes), Pick("false", "no", no)]
}

/// A choice that can be chosen.
pub(super) fn choice(value: &str, label: &str, explain: impl Into<String>) -> Choice {
    Choice {
        value: value.into(),
        label: label.into(),
        explain: explain.into(),
        disabled: None,
    }
}

/// An example of a format, shown as the hint of a text field.
pub(super) const fn example(format: Format) -> &'static str {
    match format {
        Format::Hostname => "e.g. caracal.example.com",
        Format::Cidr => "e.g. 10.0.0.0/16",
        Format::K8sName => "lower-case letters, digits and `-`",
        Format::AwsRoleArn => "arn:aws:iam::<account>:role/<name>",
        Format::AwsAcmArn => "arn:aws:acm:<region>:<account>:certificate/<id>",
        Format::AwsRegion => "e.g. us-east-1",
        Format::GcpServiceAccount => "<name>@<project>.iam.gserviceaccount.com",
        Format::GcpProject => "e.g. acme-caracal-prod",
        Format::GcpLocation => "e.g. europe-west4",
        Format::Uuid => "a UUID",
        Format::AzureVaultUrl => "https://<vault>.vault.azure.net",
        Format::Bool => "true or false",
    }
}

/// The endpoint a per-endpoint question is about.
pub(super) fn endpoint(id: QuestionId) -> Option<Endpoint> {
    match id {
        QuestionId::Exposure(e) | QuestionId::Host(e) => Some(e),
        _ => None,
    }
}

impl Row {
    /// Whether `id` is this row's question, or one of its family.
    pub fn is_for(&self, id: QuestionId) -> bool {
        match self.ids {
            Ids::One(one) => one == id,
            Ids::PerEndpoint(make) => endpoint(id).is_some_and(|e| make(e) == id),
            Ids::PerSecretStoreField => matches!(id, QuestionId::SecretStore(_)),
        }
    }

    /// The row's question ids for these answers, in order.
    pub fn ids(&self, ctx: &Context<'_>) -> Vec<QuestionId> {
        match self.ids {
            Ids::One(id) => vec![id],
            Ids::PerEndpoint(make) => Endpoint::EXPOSABLE.map(make).to_vec(),
            Ids::PerSecretStoreField => {
                let fields = ctx.cloud.map_or(0, |c| c.secret_store.fields.len());
                (0..fields)
                    .filter_map(|i| u8::try_from(i).ok())
                    .map(QuestionId::SecretStore)
                    .collect()
            }
        }
    }

    /// Whether every condition of the row holds for `id` in this context.
    pub fn applies(&self, ctx: &Context<'_>, id: QuestionId) -> bool {
        self.applies.iter().all(|w| w.holds(ctx, id))
    }
}

impl Phrase {
    /// The text for `id` in this context.
    pub fn text(&self, ctx: &Context<'_>, id: QuestionId) -> Option<String> {
        match self {
            Phrase::Is(s) => Some((*s).to_string()),
            Phrase::From(phrase) => phrase(ctx, id),
        }
    }
}

impl KindSpec {
    /// The kind, with hint or choices, for `id` in this context.
    pub fn kind(&self, ctx: &Context<'_>, id: QuestionId) -> Option<Kind> {
        Some(match self {
            KindSpec::Text(hint) => Kind::Text {
                hint: hint.text(ctx, id)?,
            },
            KindSpec::List(hint) => Kind::List {
                hint: hint.text(ctx, id)?,
            },
            KindSpec::Labels(hint) => Kind::Labels {
                hint: hint.text(ctx, id)?,
            },
            KindSpec::Picks(picks) => Kind::Choice(
                picks
                    .iter()
                    .map(|Pick(value, label, explain)| choice(value, label, *explain))
                    .collect(),
            ),
            KindSpec::Choices(choices) => Kind::Choice(choices(ctx, id)?),
        })
    }
}
