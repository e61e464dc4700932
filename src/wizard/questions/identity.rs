//! Rows of the identity step: workload identity, the secret manager and console sign-in.
use crate::catalog::FieldSpec;

use super::row::{example, Ids, KindSpec, Phrase, Pick, Row};
use super::when::When;
use super::{Context, QuestionId, Step};

/// Conditions of the questions that configure the External Secrets Operator.
const SECRETS: [When; 3] = [When::CloudKnown, When::ProfileKnown, When::ExternalSecrets];

/// The identity step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::Identity),
        step: Step::Identity,
        path: Phrase::From(|ctx, _| Some(format!("identity.{}", ctx.cloud?.identity.field))),
        prompt: Phrase::Is("Workload identity"),
        help: Phrase::From(|ctx, _| {
            let spec = &ctx.cloud?.identity;
            Some(format!("{}; set as {}.", capitalise(&spec.hint), spec.annotation))
        }),
        kind: KindSpec::Text(Phrase::From(|ctx, _| {
            Some(example(ctx.cloud?.identity.format).into())
        })),
        applies: &SECRETS,
    },
    Row {
        ids: Ids::One(QuestionId::ExternalSecretsIdentity),
        step: Step::Identity,
        path: Phrase::Is("identity.externalSecrets"),
        prompt: Phrase::Is("Secrets identity"),
        help: Phrase::From(|ctx, _| {
            Some(format!(
                "External Secrets' own identity ({}): only it reads the secret manager, so a compromised pod can't read the KEK. Empty shares the workloads' identity (warned).",
                ctx.cloud?.identity.hint
            ))
        }),
        kind: KindSpec::Text(Phrase::From(|ctx, _| {
            Some(example(ctx.cloud?.identity.format).into())
        })),
        applies: &SECRETS,
    },
    Row {
        ids: Ids::PerSecretStoreField,
        step: Step::Identity,
        path: Phrase::From(|ctx, id| Some(format!("secretStore.{}", field(ctx, id)?.name))),
        prompt: Phrase::From(|ctx, id| Some(field(ctx, id)?.label.clone())),
        help: Phrase::From(|ctx, id| {
            let provider = &ctx.cloud?.secret_store.provider;
            Some(format!("{provider}: {}.", field(ctx, id)?.hint))
        }),
        kind: KindSpec::Text(Phrase::From(|ctx, id| {
            let f = field(ctx, id)?;
            let e = example(f.format);
            Some(if f.optional { format!("optional, {e}") } else { e.into() })
        })),
        applies: &SECRETS,
    },
    Row {
        ids: Ids::One(QuestionId::KeyPrefix),
        step: Step::Identity,
        path: Phrase::Is("secretStore.keyPrefix"),
        prompt: Phrase::Is("Secret name prefix"),
        help: Phrase::From(|ctx, _| {
            Some(format!(
                "Every {} entry the ExternalSecret reads starts with it.",
                ctx.cloud?.secret_store.provider
            ))
        }),
        kind: KindSpec::Text(Phrase::From(|ctx, _| {
            Some(format!("e.g. {}", ctx.cloud?.secret_store.key_prefix))
        })),
        applies: &SECRETS,
    },
    Row {
        ids: Ids::One(QuestionId::SignInProvider),
        step: Step::Identity,
        path: Phrase::Is("signIn.provider"),
        prompt: Phrase::Is("Console sign-in"),
        help: Phrase::Is(
            "How operators sign in to the console: it refuses to serve without a method.",
        ),
        kind: KindSpec::Picks(&[
            Pick("github", "GitHub", "a GitHub OAuth app; its secret comes from the secret manager"),
            Pick("google", "Google", "a Google OAuth client; its secret comes from the secret manager"),
            Pick("smtp", "Email (SMTP)", "email and password with verification mail; the SMTP URL comes from the secret manager"),
        ]),
        applies: &[When::NotEvaluation],
    },
    Row {
        ids: Ids::One(QuestionId::SignInClientId),
        step: Step::Identity,
        path: Phrase::Is("signIn.clientId"),
        prompt: Phrase::Is("OAuth client ID"),
        help: Phrase::Is("Not secret; leave empty to read it from the secret manager too."),
        kind: KindSpec::Text(Phrase::Is("optional")),
        applies: &[When::NotEvaluation, When::OAuthSignIn],
    },
    Row {
        ids: Ids::One(QuestionId::SignInFrom),
        step: Step::Identity,
        path: Phrase::Is("signIn.from"),
        prompt: Phrase::Is("Sender address"),
        help: Phrase::Is("From address of verification and reset mail."),
        kind: KindSpec::Text(Phrase::Is("e.g. Caracal <no-reply@example.com>")),
        applies: &[When::NotEvaluation, When::SmtpSignIn],
    },
    Row {
        ids: Ids::One(QuestionId::SmtpCidr),
        step: Step::Identity,
        path: Phrase::Is("signIn.smtp.cidr"),
        prompt: Phrase::Is("SMTP relay CIDR"),
        help: Phrase::Is("Where the mail relay of the SMTP URL lives: only the console may reach it. The URL itself, with its password, stays in the secret manager."),
        kind: KindSpec::Text(Phrase::Is("e.g. 10.0.5.10/32")),
        applies: &[When::NotEvaluation, When::SmtpSignIn],
    },
    Row {
        ids: Ids::One(QuestionId::SmtpPort),
        step: Step::Identity,
        path: Phrase::Is("signIn.smtp.port"),
        prompt: Phrase::Is("SMTP relay port"),
        help: Phrase::Is("The relay's port as in the SMTP URL: 587 (submission) unless given, 465 for smtps."),
        kind: KindSpec::Text(Phrase::Is("e.g. 587")),
        applies: &[When::NotEvaluation, When::SmtpSignIn],
    },
    Row {
        ids: Ids::One(QuestionId::Operators),
        step: Step::Identity,
        path: Phrase::Is("signIn.operators"),
        prompt: Phrase::Is("Operators"),
        help: Phrase::Is("Who may register on the console: e-mail addresses, or `@domain` for everyone there. Empty: nobody can, until you add them."),
        kind: KindSpec::List(Phrase::Is("e.g. alice@example.com, @example.com")),
        applies: &[When::NotEvaluation],
    },
];

/// The secret-store field a `SecretStore(i)` question asks for.
fn field<'a>(ctx: &Context<'a>, id: QuestionId) -> Option<&'a FieldSpec> {
    let QuestionId::SecretStore(i) = id else {
        return None;
    };
    ctx.cloud?.secret_store.fields.get(usize::from(i))
}

/// `s` with its first letter upper-case.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
