//! values.yaml: the Helm values overlay, one YAML section at a time with comments saying why.
use std::collections::BTreeMap;

use serde::Serialize;

use super::{yaml, Overlay, Templates};
use crate::error::RenderError;
use crate::manifest::ValuesOverlay;
use crate::plan::docs::{self, Audit, Overview};
use crate::plan::Plan;
use crate::validate::{IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};

/// Path of the values overlay.
const VALUES_FILE: &str = "values.yaml";

/// What values.yaml.tera renders.
#[derive(Serialize)]
struct ValuesModel<'a> {
    #[serde(flatten)]
    overview: Overview<'a>,
    #[serde(flatten)]
    audit: Audit,
    mode: &'a str,
    pod_labels_note: Option<&'static str>,
    identity_note: Option<String>,
    secrets_note: String,
    postgres_where: String,
    redis_where: String,
    egress_summary: &'a [String],
    ingress_summary: &'a [String],
    chart_network_policy: bool,
    scaling_note: String,
    web_origin: &'a str,
    #[serde(flatten)]
    sections: Sections,
}

/// The overlay's top-level keys, each already YAML.
#[derive(Serialize)]
struct Sections {
    global: String,
    service_account: String,
    secrets: String,
    network_policy: String,
    replay_persistence: String,
    service_monitor: String,
    alert_rules: String,
    services: String,
    ingress: String,
}

/// Adds values.yaml.
pub(super) fn values(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let model = model(plan)?;
    out.file(
        VALUES_FILE,
        templates.render_model("values.yaml.tera", &model)?,
    );
    Ok(())
}

fn model(plan: &Plan) -> Result<ValuesModel<'_>, RenderError> {
    let v = &plan.values;
    let products = &plan.cloud.products;
    Ok(ValuesModel {
        overview: docs::overview(plan),
        audit: docs::audit(plan),
        mode: &v.global.mode,
        pod_labels_note: (!v.global.pod_labels.is_empty()).then_some(
            "The pod label lets the identity webhook inject the workload identity token.",
        ),
        identity_note: identity_note(plan),
        secrets_note: secrets_note(plan),
        postgres_where: place(
            &v.secrets.database.host,
            IN_CLUSTER_POSTGRES,
            &products.postgres,
        ),
        redis_where: place(&v.secrets.redis.host, IN_CLUSTER_REDIS, &products.redis),
        egress_summary: &plan.egress_summary,
        ingress_summary: &plan.ingress_summary,
        chart_network_policy: plan.profile.chart_network_policy,
        scaling_note: scaling_note(plan),
        web_origin: v
            .services
            .get("web")
            .and_then(|s| s.public_url.as_deref())
            .unwrap_or_default(),
        sections: sections(v)?,
    })
}

fn identity_note(plan: &Plan) -> Option<String> {
    let identity = &plan.cloud.identity;
    let value = plan.answers.identity.get(&identity.field)?;
    // Off AWS the audit service's S3 client can't use the workload identity: it reads HMAC
    // keys from its environment (services.audit.extraEnv).
    let serves = if plan.cloud.audit_export_hmac {
        "the secret backend (audit export uses HMAC keys from the secret manager)"
    } else {
        "the secret backend and audit export"
    };
    Some(format!(
        "Bound to {value} ({}) for {serves}.",
        identity.annotation
    ))
}

fn secrets_note(plan: &Plan) -> String {
    let secret = &plan.values.secrets.runtime_secret_name;
    if plan.profile.evaluation {
        format!(
            "The chart creates `{secret}` from secrets.local.yaml (git-ignored): pass it with -f."
        )
    } else {
        format!(
            "The chart only reads `{secret}`; External Secrets writes it from {} (external-secrets/).",
            plan.cloud.secret_store.provider
        )
    }
}

/// Where a dependency runs: in the cluster when `host` is the chart's default, else `product`.
fn place(host: &str, in_cluster: &str, product: &str) -> String {
    if host == in_cluster {
        "in the cluster (evaluation)".to_string()
    } else {
        format!("on {product}")
    }
}

fn scaling_note(plan: &Plan) -> String {
    match plan.profile.replicas {
        Some(n) => format!("{n} replica each, no autoscaling or disruption budgets."),
        None => "the chart's replica counts, with HPAs and PodDisruptionBudgets on.".to_string(),
    }
}

fn sections(v: &ValuesOverlay) -> Result<Sections, RenderError> {
    Ok(Sections {
        global: section("global", &v.global)?,
        service_account: section("serviceAccount", &v.service_account)?,
        secrets: section("secrets", &v.secrets)?,
        network_policy: section("networkPolicy", &v.network_policy)?,
        replay_persistence: section("replayPersistence", &v.replay_persistence)?,
        service_monitor: section("serviceMonitor", &v.service_monitor)?,
        alert_rules: section("alertRules", &v.alert_rules)?,
        services: section("services", &v.services)?,
        ingress: section("ingress", &v.ingress)?,
    })
}

/// One top-level key as YAML.
fn section<T: Serialize>(key: &str, v: &T) -> Result<String, RenderError> {
    let mut m = BTreeMap::new();
    m.insert(key, v);
    yaml(VALUES_FILE, &m)
}
