//! Rows of the hosts step: domain, host names and certificates.
use crate::answers::Endpoint;
use crate::catalog::TlsMode;
use crate::format::Format;

use super::row::{choice, endpoint, example, Ids, KindSpec, Phrase, Pick, Row};
use super::when::When;
use super::{Choice, Context, QuestionId, Step};

/// The hosts step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::Domain),
        step: Step::Hosts,
        path: Phrase::Is("domain"),
        prompt: Phrase::Is("Domain"),
        help: Phrase::Is("Every host defaults to <label>.<domain>; nest it under a product label."),
        kind: KindSpec::Text(Phrase::Is(example(Format::Hostname))),
        applies: &[],
    },
    Row {
        ids: Ids::PerEndpoint(QuestionId::Host),
        step: Step::Hosts,
        path: Phrase::From(|_, id| Some(format!("hosts.{}", endpoint(id)?))),
        prompt: Phrase::From(|_, id| Some(format!("{} host", endpoint(id)?.title()))),
        help: Phrase::From(|_, id| Some(host_help(endpoint(id)?).into())),
        kind: KindSpec::Text(Phrase::Is(example(Format::Hostname))),
        applies: &[When::CloudKnown, When::ProfileKnown, When::Exposed],
    },
    Row {
        ids: Ids::One(QuestionId::TlsSource),
        step: Step::Hosts,
        path: Phrase::Is("tls"),
        prompt: Phrase::Is("Certificates"),
        help: Phrase::Is("Where the exposed endpoints get their TLS certificates."),
        kind: KindSpec::Choices(tls_modes),
        applies: &[When::CloudKnown, When::ProfileKnown, When::AnyExposed],
    },
    Row {
        ids: Ids::One(QuestionId::TlsValue),
        step: Step::Hosts,
        path: Phrase::From(|ctx, _| Some(format!("tls.{}", tls_mode(ctx)?.id))),
        prompt: Phrase::From(|ctx, _| tls_mode(ctx).map(tls_label)),
        help: Phrase::From(|ctx, _| Some(tls_mode(ctx)?.describe.clone())),
        kind: KindSpec::Text(Phrase::From(|ctx, _| {
            Some(example(tls_mode(ctx)?.format).into())
        })),
        applies: &[
            When::CloudKnown,
            When::ProfileKnown,
            When::AnyExposed,
            When::TlsNeedsValue,
        ],
    },
    Row {
        ids: Ids::One(QuestionId::IssuerProof),
        step: Step::Hosts,
        path: Phrase::Is("issuerProof"),
        prompt: Phrase::Is("Domain proof"),
        help: Phrase::Is("How cert-manager's issuer shows it owns the domain. HTTP-01 needs the load balancer to answer plain HTTP from the internet, so it can't serve internal endpoints."),
        kind: KindSpec::Picks(&ISSUER_PROOFS),
        applies: &[
            When::CloudKnown,
            When::ProfileKnown,
            When::AnyExposed,
            When::TlsIssuer,
        ],
    },
];

/// The ways an issuer proves the domain.
static ISSUER_PROOFS: [Pick; 3] = [
    Pick(
        "http01",
        "HTTP-01",
        "ACME over port 80 of a public load balancer",
    ),
    Pick(
        "dns01",
        "DNS-01",
        "ACME with a TXT record in your DNS zone; works for internal endpoints",
    ),
    Pick(
        "ca",
        "private CA",
        "your own CA issues; clients must trust it",
    ),
];

/// Why a host name matters for `e`.
fn host_help(e: Endpoint) -> &'static str {
    if e == Endpoint::Sts {
        "The issuer origin verifiers check: decide it once, changing it invalidates mandates."
    } else {
        "One host per endpoint; a wildcard certificate covers one label only."
    }
}

/// The chosen TLS mode, from the catalog.
fn tls_mode<'a>(ctx: &Context<'a>) -> Option<&'a TlsMode> {
    ctx.catalog.tls_mode(&ctx.tls_mode()?)
}

/// The mode's title as a label, or its id when the title is too long to line up.
fn tls_label(mode: &TlsMode) -> String {
    // Labels stay short enough to line up; the detail box gives the full title.
    if mode.title.chars().count() <= 22 {
        mode.title.clone()
    } else {
        mode.id.clone()
    }
}

/// The TLS modes the cloud offers, disabled where an exposed endpoint's exposure can't use them.
fn tls_modes(ctx: &Context<'_>, _: QuestionId) -> Option<Vec<Choice>> {
    let cloud = ctx.cloud?;
    let exposed = ctx.exposed();
    let choices = offered_tls_modes(ctx).into_iter().map(|mode| {
        let refused = exposed.iter().find(|(_, x)| {
            cloud
                .exposures
                .get(x.key())
                .is_some_and(|s| !s.tls.contains(&mode.id))
        });
        Choice {
            disabled: refused.map(|(e, x)| {
                format!(
                    "can't serve {x} endpoints such as {} on {}",
                    e.title(),
                    cloud.title
                )
            }),
            ..choice(&mode.id, &mode.title, &mode.describe)
        }
    });
    Some(choices.collect())
}

/// Every TLS mode some exposure of the cloud offers, once each, in the cloud's order.
fn offered_tls_modes<'a>(ctx: &Context<'a>) -> Vec<&'a TlsMode> {
    let mut offered: Vec<&String> = Vec::new();
    for spec in ctx.cloud.into_iter().flat_map(|c| c.exposures.values()) {
        for m in &spec.tls {
            if !offered.contains(&m) {
                offered.push(m);
            }
        }
    }
    offered
        .into_iter()
        .filter_map(|id| ctx.catalog.tls_mode(id))
        .collect()
}
