//! Service planning: replicas, HPA/PDB, the STS issuer, the web tier's URL and env, audit env,
//! and the private hosts the STS and the API may reach.
use std::collections::BTreeMap;

use crate::answers::{Answers, Endpoint, SignInProvider};
use crate::manifest::{EnvVar, ServiceValues, Toggle};

use super::context::Context;
use super::data_tls::{mount_ca_bundle, web_database_ssl};
use super::secrets::audit_specs;
use super::{RUNTIME_SECRET, SERVICES};

/// `services.<name>` values for every chart service.
pub(super) fn plan_services(cx: &Context) -> BTreeMap<String, ServiceValues> {
    let mut services: BTreeMap<String, ServiceValues> = SERVICES
        .iter()
        .map(|s| (s.to_string(), scaled(cx)))
        .collect();
    if let Some(sts) = services.get_mut("sts") {
        if is_exposed(cx, Endpoint::Sts) {
            sts.issuer_url = Some(format!("https://{}", cx.host(Endpoint::Sts)));
        }
    }
    if let Some(web) = services.get_mut("web") {
        plan_web(cx, web);
    }
    if let Some(audit) = services.get_mut("audit") {
        audit.extra_env.extend(audit_env(cx));
    }
    if let Some(env) = private_egress_hosts(&cx.answers) {
        for name in PRIVATE_EGRESS_SERVICES {
            if let Some(svc) = services.get_mut(name) {
                svc.extra_env.push(env.clone());
            }
        }
    }
    for c in &cx.components.components {
        if let Some(svc) = services.get_mut(&c.id) {
            mount_ca_bundle(cx, c, svc);
        }
    }
    services
}

/// The profile's replicas, autoscaling and disruption budget.
fn scaled(cx: &Context) -> ServiceValues {
    ServiceValues {
        replicas: cx.profile.replicas,
        hpa: Some(Toggle {
            enabled: cx.profile.autoscaling,
        }),
        pdb: Some(Toggle {
            enabled: cx.profile.disruption_budgets,
        }),
        ..Default::default()
    }
}

fn is_exposed(cx: &Context, e: Endpoint) -> bool {
    cx.answers
        .endpoints
        .get(&e)
        .is_some_and(|x| *x != crate::answers::Exposure::Disabled)
}

/// The web tier: its public URL, its database TLS and its sign-in settings.
fn plan_web(cx: &Context, web: &mut ServiceValues) {
    web.public_url = Some(if is_exposed(cx, Endpoint::Web) {
        format!("https://{}", cx.host(Endpoint::Web))
    } else {
        format!("http://localhost:{}", Endpoint::Web.port())
    });
    web.database_ssl = Some(web_database_ssl(cx).into());
    web.extra_env = sign_in_env(&cx.answers);
    web.extra_env.extend(operator_allowlist(&cx.answers));
}

/// Who may register, as `CARACAL_OPERATOR_ALLOWLIST` (#10). The env var rather than the
/// runtime Secret's `operatorAllowlist.json`: e-mail addresses are not secret, so they stay
/// reviewable in Git with the rest of the overlay, and the file (whose entries win per
/// address) remains free for locking or removing someone without a redeploy.
fn operator_allowlist(a: &Answers) -> Option<EnvVar> {
    let ops = &a.sign_in.as_ref()?.operators;
    (!ops.is_empty()).then(|| EnvVar::literal("CARACAL_OPERATOR_ALLOWLIST", ops.join(",")))
}

/// The services that read `CARACAL_PRIVATE_EGRESS_HOSTS`: the STS (token refresh, issuer
/// JWKS) and the API (provider checks, notification sinks) must agree, or a provider
/// that connects from one fails from the other.
const PRIVATE_EGRESS_SERVICES: [&str; 2] = ["sts", "api"];

/// `egress.privateHosts` as `CARACAL_PRIVATE_EGRESS_HOSTS` (#10): sorted and deduplicated,
/// comma-joined as both services split it; `None` when no host is named.
fn private_egress_hosts(a: &Answers) -> Option<EnvVar> {
    let hosts = a.egress.as_ref()?.named_private_hosts();
    (!hosts.is_empty()).then(|| EnvVar::literal("CARACAL_PRIVATE_EGRESS_HOSTS", hosts.join(",")))
}

fn sign_in_env(a: &Answers) -> Vec<EnvVar> {
    let Some(s) = &a.sign_in else {
        // The chart's serving gate wants a sign-in method; an evaluation has none.
        return vec![
            EnvVar::literal("GITHUB_CLIENT_ID", "evaluation-placeholder"),
            EnvVar::literal("GITHUB_CLIENT_SECRET", "evaluation-placeholder"),
        ];
    };
    let (id_var, secret_var) = match s.provider {
        SignInProvider::Github => ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"),
        SignInProvider::Google => ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"),
        SignInProvider::Smtp => {
            return vec![
                EnvVar::secret("CARACAL_SMTP_URL", RUNTIME_SECRET, "smtpUrl"),
                EnvVar::literal("CARACAL_SMTP_FROM", s.from.clone().unwrap_or_default()),
                EnvVar::literal("CARACAL_PASSWORD_SIGNUP", "1"),
            ]
        }
    };
    vec![
        match &s.client_id {
            Some(id) => EnvVar::literal(id_var, id.clone()),
            None => EnvVar::secret(id_var, RUNTIME_SECRET, "signInClientId"),
        },
        EnvVar::secret(secret_var, RUNTIME_SECRET, "signInClientSecret"),
    ]
}

/// HMAC keys for object stores that don't take the workload identity: the AWS SDK's default
/// chain reads them from the environment. Its default request checksums (CRC32) are refused
/// by Cloud Storage's interoperability API and many S3 gateways, so ask only where required.
fn audit_hmac_env(cx: &Context) -> Vec<EnvVar> {
    let specs = audit_specs(&cx.answers, &cx.cloud);
    // An evaluation's chart-made Secret has no such keys (validation warns).
    let [id, secret] = specs.as_slice() else {
        return vec![];
    };
    if !cx.profile.external_secrets {
        return vec![];
    };
    vec![
        EnvVar::secret("AWS_ACCESS_KEY_ID", RUNTIME_SECRET, id.variable),
        EnvVar::secret("AWS_SECRET_ACCESS_KEY", RUNTIME_SECRET, secret.variable),
        EnvVar::literal("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required"),
        EnvVar::literal("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
    ]
}

/// The audit service's export target (if any) and retention.
fn audit_env(cx: &Context) -> Vec<EnvVar> {
    let mut env = Vec::new();
    if let Some(x) = &cx.answers.audit_export {
        let field = |v: &Option<String>| v.clone().unwrap_or_default();
        env.push(EnvVar::literal(
            "AUDIT_EXPORT_S3_ENDPOINT",
            field(&x.endpoint),
        ));
        env.push(EnvVar::literal("AUDIT_EXPORT_S3_BUCKET", field(&x.bucket)));
        env.push(EnvVar::literal("AUDIT_EXPORT_S3_REGION", field(&x.region)));
        env.extend(audit_hmac_env(cx));
    }
    let days = cx
        .answers
        .retention
        .as_ref()
        .and_then(|r| r.audit_days)
        .unwrap_or(cx.profile.audit_retention_days);
    env.push(EnvVar::literal("AUDIT_RETENTION_DAYS", days.to_string()));
    env
}
