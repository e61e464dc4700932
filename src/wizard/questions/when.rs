//! The named conditions that decide whether a row of the question table is asked.
use crate::answers::{DnsMode, Exposure, SignInProvider};
use crate::format::Format;

use super::row::endpoint;
use super::{Context, QuestionId};

/// A condition on the answers; a row is asked when all of its conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    /// The cloud is one of the catalog's.
    CloudKnown,
    /// The profile is one of the catalog's.
    ProfileKnown,
    /// The question's endpoint is exposed (not `disabled`).
    Exposed,
    /// At least one endpoint is exposed.
    AnyExposed,
    /// At least one endpoint is exposed this way.
    Uses(Exposure),
    /// The chosen TLS mode takes a value (it is not a plain switch).
    TlsNeedsValue,
    /// The chosen TLS mode is a cert-manager issuer (it writes a TLS Secret).
    TlsIssuer,
    /// The cloud's managed Postgres or Redis presents a private chain.
    PrivateDataCa,
    /// The profile restricts egress, so the NetworkPolicy needs its destinations.
    EgressRequired,
    /// DNS egress goes to a resolver named by CIDR.
    DnsByCidr,
    /// An exposure needs the load balancer's CIDRs, or they were given anyway.
    IngressCidrsWanted,
    /// The profile reads secrets through the External Secrets Operator.
    ExternalSecrets,
    /// The profile is not the evaluation one (console sign-in, GitOps).
    NotEvaluation,
    /// Console sign-in goes through an OAuth provider.
    OAuthSignIn,
    /// Console sign-in is by email (SMTP).
    SmtpSignIn,
    /// A GitOps hand-off was chosen.
    GitOpsChosen,
    /// The profile requires audit export.
    AuditExport,
}

/// Both cloud and profile are known: most questions need them to be phrased.
pub(super) const KNOWN: [When; 2] = [When::CloudKnown, When::ProfileKnown];

impl When {
    /// Whether the condition holds for `id` in this context.
    pub fn holds(self, ctx: &Context<'_>, id: QuestionId) -> bool {
        let profile = ctx.profile;
        match self {
            When::CloudKnown => ctx.cloud.is_some(),
            When::ProfileKnown => profile.is_some(),
            When::Exposed => endpoint(id).is_some_and(|e| ctx.exposure(e) != Exposure::Disabled),
            When::AnyExposed => !ctx.exposed().is_empty(),
            When::Uses(x) => ctx.exposed().iter().any(|(_, e)| *e == x),
            When::TlsNeedsValue => tls_needs_value(ctx),
            When::TlsIssuer => ctx
                .tls_mode()
                .and_then(|m| ctx.catalog.tls_mode(&m))
                .is_some_and(|mode| mode.tls_secret),
            When::PrivateDataCa => ctx
                .cloud
                .is_some_and(|c| !c.data_tls.postgres_public_ca || !c.data_tls.redis_public_ca),
            When::EgressRequired => profile.is_some_and(|p| p.require_egress),
            When::DnsByCidr => ctx
                .effective()
                .dns
                .as_ref()
                .is_some_and(|d| d.mode == DnsMode::Cidr),
            When::IngressCidrsWanted => ingress_cidrs_wanted(ctx),
            When::ExternalSecrets => profile.is_some_and(|p| p.external_secrets),
            When::NotEvaluation => profile.is_some_and(|p| !p.evaluation),
            When::OAuthSignIn => sign_in_provider(ctx) != SignInProvider::Smtp,
            When::SmtpSignIn => sign_in_provider(ctx) == SignInProvider::Smtp,
            When::GitOpsChosen => ctx.answers.gitops.is_some(),
            When::AuditExport => profile.is_some_and(|p| p.require_audit_export),
        }
    }
}

/// The chosen TLS mode is in the catalog and takes a value (ARN, issuer name…).
fn tls_needs_value(ctx: &Context<'_>) -> bool {
    ctx.tls_mode()
        .and_then(|m| ctx.catalog.tls_mode(&m))
        .is_some_and(|mode| mode.format != Format::Bool)
}

/// Some exposed endpoint's load balancer has no default controller but a hint about its
/// CIDRs, or the user already gave CIDRs.
fn ingress_cidrs_wanted(ctx: &Context<'_>) -> bool {
    let needed = ctx.cloud.is_some_and(|cloud| {
        ctx.exposed().iter().any(|(_, x)| {
            cloud
                .exposures
                .get(x.key())
                .is_some_and(|s| s.default_controller.is_none() && s.controller_hint.is_some())
        })
    });
    let given = ctx
        .answers
        .ingress_controller
        .as_ref()
        .is_some_and(|i| !i.cidrs.is_empty());
    needed || given
}

/// The sign-in provider in effect (GitHub until one is chosen).
fn sign_in_provider(ctx: &Context<'_>) -> SignInProvider {
    ctx.effective()
        .sign_in
        .as_ref()
        .map(|s| s.provider)
        .unwrap_or(SignInProvider::Github)
}
