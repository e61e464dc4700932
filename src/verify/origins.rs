//! The rendered check of origins: the console's and the STS's URLs in the workloads' env
//! match where their Ingresses serve them.
use serde_yaml::Value;

use super::ingress::endpoint_of;
use super::workload::env_values;
use super::{Expectations, VALUES};
use crate::answers::Endpoint;
use crate::check::doc::{kind, seq, str_at};
use crate::check::Finding;
use crate::plan::Plan;

/// Checks `CARACAL_WEB_ORIGIN`/`CARACAL_AUTH_URL` and `ISSUER_URL` against the served URLs.
pub(super) fn check_origins(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let web_answer = if planned_url(exp.plan, Endpoint::Web).is_some() {
        "hosts.web"
    } else {
        "endpoints.web"
    };
    if let Some(want) = web_origin(docs, exp.plan) {
        for (w, var, got) in env_values(docs, &["CARACAL_WEB_ORIGIN", "CARACAL_AUTH_URL"]) {
            if got.trim_end_matches('/') != want {
                out.push(Finding::error(
                    VALUES,
                    format!("{w}: {var} is `{got}` but the console's origin is `{want}`: sign-in cookies and CSRF checks would fail (services.web.publicUrl)"),
                    Some(web_answer),
                ));
            }
        }
    }
    if let Some(want) = sts_url(docs, exp.plan) {
        for (w, var, got) in env_values(docs, &["ISSUER_URL"]) {
            if got.trim_end_matches('/') != want {
                out.push(Finding::error(
                    VALUES,
                    format!("{w}: {var} is `{got}` but the STS is served at `{want}`: verifiers would reject every mandate's `iss` (services.sts.issuerUrl)"),
                    Some("hosts.sts"),
                ));
            }
        }
    }
}

/// The console's origin: the planned one, else (without answers) its rendered Ingress host.
fn web_origin(docs: &[Value], plan: Option<&Plan>) -> Option<String> {
    match plan {
        Some(p) => planned_url(plan, Endpoint::Web).or_else(|| {
            p.values
                .services
                .get("web")
                .and_then(|w| w.public_url.clone())
        }),
        None => ingress_host(docs, Endpoint::Web).map(|h| format!("https://{h}")),
    }
}

/// The STS's URL: the planned one, else (without answers) its rendered Ingress host.
fn sts_url(docs: &[Value], plan: Option<&Plan>) -> Option<String> {
    match plan {
        Some(_) => planned_url(plan, Endpoint::Sts),
        None => ingress_host(docs, Endpoint::Sts).map(|h| format!("https://{h}")),
    }
}

/// The URL the plan exposes endpoint `e` at.
fn planned_url(plan: Option<&Plan>, e: Endpoint) -> Option<String> {
    plan.and_then(|p| {
        p.ingresses
            .iter()
            .find(|i| i.endpoint == e.key())
            .map(|i| i.url.clone())
    })
}

/// The first host of the rendered Ingress of endpoint `e`.
fn ingress_host(docs: &[Value], e: Endpoint) -> Option<String> {
    docs.iter()
        .filter(|d| kind(d) == "Ingress" && endpoint_of(d, None) == Some(e))
        .find_map(|d| {
            seq(d, &["spec", "rules"])
                .iter()
                .find_map(|r| str_at(r, &["host"]))
                .map(str::to_string)
        })
}
