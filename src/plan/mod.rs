//! `plan`: answers + catalog → a complete, validated description of the overlay.
//!
//! Pure: reads no environment, clock, terminal or file.
//!
//! `plan` reads like a table of contents: one shared `context` built from the validated
//! answers, then one pure planner per concern, each returning its part of the [`Plan`] (#9).
use serde::Serialize;

use crate::answers::Answers;
use crate::catalog::{Catalog, Cloud, Profile};
use crate::error::{Problem, Problems};
use crate::manifest::{ExternalSecret, PlainObject, ServiceMonitor, ValuesOverlay};
use crate::validate;

mod context;
mod data_tls;
pub mod docs;
mod egress;
mod gitops;
mod ingress;
mod monitoring;
mod namespace;
mod network;
pub use network::BASELINE_FILE;
mod placeholders;
pub mod runbook;
mod secrets;
mod services;
mod values;

pub use egress::{
    component_egress, component_selector, ComponentEgress, PlannedPolicy, COMPONENT_LISTS,
};
pub use gitops::GitOpsPlan;
pub use ingress::{PlannedIngress, PlannedManifest};
pub(crate) use namespace::part_of;
pub use secrets::{runtime_keys, SecretEntry, StorePlan};

use context::Context;
use values::ValuesParts;

/// Name of the runtime Secret the chart reads.
pub const RUNTIME_SECRET: &str = "caracal-runtime";
/// The six roles with their own Postgres login.
pub const DB_ROLES: [&str; 6] = ["api", "sts", "gateway", "audit", "coordinator", "auth"];
/// Chart services in the order the values list them.
pub const SERVICES: [&str; 6] = ["sts", "api", "gateway", "audit", "coordinator", "web"];

/// Everything `render` needs, decided.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Complete answers.
    pub answers: Answers,
    /// The cloud.
    pub cloud: Cloud,
    /// The profile.
    pub profile: Profile,
    /// The Helm values overlay.
    pub values: ValuesOverlay,
    /// Exposed endpoints.
    pub ingresses: Vec<PlannedIngress>,
    /// Entries to create in the secret manager (not for evaluation).
    pub secret_entries: Vec<SecretEntry>,
    /// Keys the runtime Secret carries.
    pub runtime_keys: Vec<String>,
    /// The ExternalSecret (not for evaluation).
    pub external_secret: Option<ExternalSecret>,
    /// The ClusterSecretStore's inputs (not for evaluation).
    pub store: Option<StorePlan>,
    /// ServiceAccount the store authenticates as.
    pub store_service_account: Option<PlainObject>,
    /// The namespace.
    pub namespace: PlainObject,
    /// Manifests rendered from per-cloud templates.
    pub manifests: Vec<PlannedManifest>,
    /// What each component may reach beyond the chart's policy (#10).
    pub component_egress: Vec<ComponentEgress>,
    /// The per-component NetworkPolicies the overlay ships (#10).
    pub egress_policies: Vec<PlannedPolicy>,
    /// The authenticated ServiceMonitors the overlay ships, by file (#10).
    pub service_monitors: Vec<(String, ServiceMonitor)>,
    /// What the NetworkPolicy allows out, in words.
    pub egress_summary: Vec<String>,
    /// Who may reach the pods, in words.
    pub ingress_summary: Vec<String>,
    /// The GitOps hand-off, when the answers ask for one (#5).
    pub gitops: Option<GitOpsPlan>,
    /// Non-fatal findings.
    pub warnings: Vec<Problem>,
}

/// Plans an overlay: completes and validates the answers, then decides every file.
pub fn plan(answers: &Answers, catalog: &Catalog) -> Result<Plan, Problems> {
    let checked = validate::check(answers, catalog)?;
    let cx = Context::new(checked.answers, catalog)?;
    let ingress = ingress::plan_ingress(&cx);
    let mut network = network::plan_network(&cx, &ingress);
    let monitoring = monitoring::plan_monitoring(&cx);
    if let Some(rule) = &monitoring.scraper_ingress {
        network.policy.extra_ingress.push(rule.clone());
    }
    network.ingress_summary.extend(monitoring.summary.clone());
    let component_egress =
        egress::component_egress(&cx.answers, &cx.profile, &cx.components.components);
    network
        .egress_summary
        .extend(egress::summary(&component_egress));
    network
        .egress_summary
        .extend(egress::private_hosts_summary(&cx.answers));
    let mut egress_policies = egress::plan_policies(&component_egress, &cx.release, &cx.namespace);
    if !cx.profile.chart_network_policy {
        let base = network::baseline(&network.policy, &cx.release, &cx.namespace);
        egress_policies.insert(0, base);
    }
    let secrets = secrets::plan_secrets(&cx);
    let service_monitors = monitoring.monitors.clone();
    let values = values::values_overlay(
        &cx,
        ValuesParts {
            ingress: ingress.values,
            network_policy: network.policy,
            services: services::plan_services(&cx),
            monitoring,
        },
    );
    Ok(Plan {
        gitops: gitops::plan_gitops(&cx.answers),
        namespace: namespace::namespace_object(&cx),
        values,
        ingresses: ingress.ingresses,
        manifests: ingress.manifests,
        secret_entries: secrets.entries,
        runtime_keys: secrets.runtime_keys,
        external_secret: secrets.external_secret,
        store: secrets.store,
        store_service_account: secrets.store_service_account,
        component_egress,
        egress_policies,
        service_monitors,
        egress_summary: network.egress_summary,
        ingress_summary: network.ingress_summary,
        warnings: checked.warnings,
        answers: cx.answers,
        cloud: cx.cloud,
        profile: cx.profile,
    })
}

#[cfg(test)]
mod tests;
