//! Rows of the network step: DNS, egress and the ingress controller.
use crate::answers::Exposure;
use crate::format::Format;

use super::row::{choice, example, Ids, KindSpec, Phrase, Row};
use super::when::When;
use super::{Choice, Context, QuestionId, Step};

/// The hint of the egress lists.
const EGRESS_HINT: Phrase = Phrase::Is("CIDRs, comma-separated; 443 unless CIDR:PORT+PORT");

/// Conditions of the ingress controller's questions.
const INGRESS: [When; 3] = [When::CloudKnown, When::ProfileKnown, When::AnyExposed];

/// The network step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::DnsMode),
        step: Step::Network,
        path: Phrase::Is("dns.mode"),
        prompt: Phrase::Is("DNS egress"),
        help: Phrase::Is("The NetworkPolicy must admit DNS or nothing resolves."),
        kind: KindSpec::Choices(dns_modes),
        applies: &[When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::DnsCidr),
        step: Step::Network,
        path: Phrase::Is("dns.cidr"),
        prompt: Phrase::Is("Resolver CIDR"),
        help: Phrase::Is("Where the pods' queries land on port 53 once the kube-dns Service is translated: the DNS pods' CIDR or resolvers outside the cluster, never the Service IP (a NetworkPolicy never sees it)."),
        kind: KindSpec::Text(Phrase::Is("e.g. 10.244.0.0/16")),
        applies: &[When::EgressRequired, When::DnsByCidr],
    },
    Row {
        ids: Ids::One(QuestionId::EgressIdentityProvider),
        step: Step::Network,
        path: Phrase::Is("egress.identityProvider"),
        prompt: Phrase::Is("Identity provider"),
        help: Phrase::From(|ctx, _| egress_help(ctx, "identityProvider")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::CloudKnown, When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::EgressProviderApis),
        step: Step::Network,
        path: Phrase::Is("egress.providerApis"),
        prompt: Phrase::Is("Provider APIs"),
        help: Phrase::From(|ctx, _| egress_help(ctx, "providerApis")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::CloudKnown, When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::EgressObjectStore),
        step: Step::Network,
        path: Phrase::Is("egress.objectStore"),
        prompt: Phrase::Is("Object store"),
        help: Phrase::From(|ctx, _| egress_help(ctx, "objectStore")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::CloudKnown, When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::EgressOther),
        step: Step::Network,
        path: Phrase::Is("egress.other"),
        prompt: Phrase::Is("Other egress"),
        help: Phrase::From(|ctx, _| egress_help(ctx, "other")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::CloudKnown, When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::EgressSignIn),
        step: Step::Network,
        path: Phrase::Is("egress.signIn"),
        prompt: Phrase::Is("Sign-in provider"),
        help: Phrase::From(|ctx, _| component_help(ctx, "the console, to reach GitHub's or Google's OAuth endpoints when operators sign in")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::EgressRequired, When::OAuthSignIn],
    },
    Row {
        ids: Ids::One(QuestionId::EgressUpstreams),
        step: Step::Network,
        path: Phrase::Is("egress.upstreams"),
        prompt: Phrase::Is("Gateway upstreams"),
        help: Phrase::From(|ctx, _| component_help(ctx, "the Gateway, to forward requests to the resources it protects")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::EgressProviders),
        step: Step::Network,
        path: Phrase::Is("egress.providers"),
        prompt: Phrase::Is("Provider endpoints"),
        help: Phrase::From(|ctx, _| component_help(ctx, "the API and the STS, to reach providers' token endpoints and federated issuers' signing keys (not the cloud's own APIs, which are `egress.providerApis`)")),
        kind: KindSpec::List(EGRESS_HINT),
        applies: &[When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::EgressPrivateHosts),
        step: Step::Network,
        path: Phrase::Is("egress.privateHosts"),
        prompt: Phrase::Is("Private hosts"),
        help: Phrase::Is("Host names of token endpoints and federated issuers on private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the STS and the API refuse those unless named here, exactly. Empty: public ones only."),
        kind: KindSpec::List(Phrase::Is("host names, comma-separated, e.g. login.corp.example")),
        applies: &[When::NotEvaluation],
    },
    Row {
        ids: Ids::One(QuestionId::OpenHttps),
        step: Step::Network,
        path: Phrase::Is("egress.openHttps"),
        prompt: Phrase::Is("Open HTTPS"),
        help: Phrase::Is("Whether pods may reach any address on 443."),
        kind: KindSpec::Choices(open_https),
        applies: &[When::EgressRequired],
    },
    Row {
        ids: Ids::One(QuestionId::IngressCidrs),
        step: Step::Network,
        path: Phrase::Is("ingressController.cidrs"),
        prompt: Phrase::Is("Load balancer CIDRs"),
        help: Phrase::From(ingress_cidrs_help),
        kind: KindSpec::List(Phrase::Is(example(Format::Cidr))),
        applies: &[When::CloudKnown, When::ProfileKnown, When::IngressCidrsWanted],
    },
    Row {
        ids: Ids::One(QuestionId::IngressClassName),
        step: Step::Network,
        path: Phrase::Is("ingressController.className"),
        prompt: Phrase::Is("Own public class"),
        help: Phrase::From(|ctx, _| {
            Some(format!(
                "Leave empty for {}; name an IngressClass to serve public endpoints with your own controller (e.g. ingress-nginx with cert-manager).",
                describe(ctx, Exposure::Public)?
            ))
        }),
        kind: KindSpec::Text(Phrase::Is("optional, e.g. nginx")),
        applies: &[
            When::CloudKnown,
            When::ProfileKnown,
            When::AnyExposed,
            When::Uses(Exposure::Public),
        ],
    },
    Row {
        ids: Ids::One(QuestionId::IngressInternalClassName),
        step: Step::Network,
        path: Phrase::Is("ingressController.internalClassName"),
        prompt: Phrase::Is("Own internal class"),
        help: Phrase::From(|ctx, _| {
            Some(format!(
                "Leave empty for {}; name an IngressClass to serve internal endpoints with your own controller.",
                describe(ctx, Exposure::Internal)?
            ))
        }),
        kind: KindSpec::Text(Phrase::Is("optional, e.g. nginx-internal")),
        applies: &[
            When::CloudKnown,
            When::ProfileKnown,
            When::AnyExposed,
            When::Uses(Exposure::Internal),
        ],
    },
    Row {
        ids: Ids::One(QuestionId::IngressNamespace),
        step: Step::Network,
        path: Phrase::Is("ingressController.namespace"),
        prompt: Phrase::Is("Controller namespace"),
        help: Phrase::Is("Namespace of the ingress controller pods the NetworkPolicy admits (with your own class); empty keeps the cloud's default."),
        kind: KindSpec::Text(Phrase::Is("optional, e.g. ingress-nginx")),
        applies: &INGRESS,
    },
    Row {
        ids: Ids::One(QuestionId::IngressPodLabels),
        step: Step::Network,
        path: Phrase::Is("ingressController.podLabels"),
        prompt: Phrase::Is("Controller pod labels"),
        help: Phrase::Is("Labels of the ingress controller pods the NetworkPolicy admits (with your own class); empty keeps the cloud's default."),
        kind: KindSpec::Labels(Phrase::Is(
            "key=value, comma-separated, e.g. app.kubernetes.io/name=ingress-nginx",
        )),
        applies: &INGRESS,
    },
];

/// Where DNS may go; `open` is disabled where the profile refuses it.
fn dns_modes(ctx: &Context<'_>, _: QuestionId) -> Option<Vec<Choice>> {
    let profile = ctx.profile?;
    let mut open = choice("open", "open", "port 53 to any address");
    if !profile.open_dns {
        open.disabled = Some(format!("refused in profile {}", profile.title));
    }
    Some(vec![
        choice(
            "cluster",
            "cluster",
            "the cloud's kube-dns pods (and node-local caches)",
        ),
        choice("cidr", "cidr", "a resolver you name by CIDR"),
        open,
    ])
}

/// `yes` and `no` for open HTTPS; `yes` is disabled where the profile refuses it.
fn open_https(ctx: &Context<'_>, _: QuestionId) -> Option<Vec<Choice>> {
    let profile = ctx.profile?;
    let mut choices = vec![
        choice(
            "true",
            "yes",
            "HTTPS to any address: simpler, but the policy no longer limits egress",
        ),
        choice("false", "no", "only the CIDRs listed above"),
    ];
    if !profile.open_https {
        choices[0].disabled = Some(format!("refused in profile {}", profile.title));
    }
    Some(choices)
}

/// The cloud's hint on egress category `cat` (its addresses), or a generic one.
/// What a component's own egress list is for, and what leaving it empty means here.
fn component_help(ctx: &Context<'_>, who: &str) -> Option<String> {
    let empty = if ctx.profile?.component_https {
        "empty: HTTPS (443) to anywhere, for that component alone"
    } else {
        "empty: nothing, so that call fails"
    };
    Some(format!("CIDRs only {who} may reach; {empty}."))
}

fn egress_help(ctx: &Context<'_>, cat: &str) -> Option<String> {
    let hint = ctx.cloud?.egress_hints.get(cat).cloned();
    Some(hint.unwrap_or_else(|| "Anything else the pods must reach over HTTPS.".into()))
}

/// The first exposed endpoint's hint on where its load balancer sends from.
fn ingress_cidrs_help(ctx: &Context<'_>, _: QuestionId) -> Option<String> {
    let cloud = ctx.cloud?;
    let hint = ctx.exposed().iter().find_map(|(_, x)| {
        cloud
            .exposures
            .get(x.key())
            .and_then(|s| s.controller_hint.clone())
    });
    Some(hint.unwrap_or_else(|| "Where the load balancer sends from.".into()))
}

/// How the cloud serves exposure `x` by default (empty when it doesn't).
fn describe(ctx: &Context<'_>, x: Exposure) -> Option<String> {
    let spec = ctx.cloud?.exposures.get(x.key());
    Some(spec.map(|s| s.describe.clone()).unwrap_or_default())
}
