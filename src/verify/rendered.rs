//! The rendered-manifest checks: helm's output against what the answers promise, one
//! module per promise.
use serde_yaml::Value;

use super::{
    data_tls, ingress, monitoring, network, origins, runtime_keys, secrets, store, VALUES,
};
use crate::catalog::{Cloud, Component};
use crate::check::Finding;
use crate::plan::Plan;

/// What the rendered manifests are checked against.
#[derive(Debug, Clone)]
pub struct Expectations<'a> {
    /// The plan of the overlay's answers, when they plan.
    pub plan: Option<&'a Plan>,
    /// Whether the profile is the evaluation (chart-made Secret, no monitoring).
    pub evaluation: bool,
    /// Name of the runtime Secret.
    pub runtime_secret: String,
    /// The overlay's ExternalSecret, when it has one.
    pub external_secret: Option<Value>,
    /// The overlay's ClusterSecretStore, when it has one.
    pub secret_store: Option<Value>,
    /// The answers' cloud, when the answers name a known one (even if they don't plan).
    pub cloud: Option<Cloud>,
    /// What each workload is at runtime (the catalog's components).
    pub components: Vec<Component>,
}

/// Checks helm's rendered manifests against the answers.
pub fn check_rendered(docs: &[Value], exp: &Expectations<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    secrets::check_secrets(docs, exp, VALUES, &mut out);
    network::check_network_policy(docs, exp, &mut out);
    ingress::check_ingresses(docs, exp, &mut out);
    origins::check_origins(docs, exp, &mut out);
    data_tls::check_database_tls(docs, exp, &mut out);
    store::check_store(exp, &mut out);
    if !exp.evaluation {
        monitoring::check_monitoring(docs, exp, &mut out);
        runtime_keys::check_runtime_keys(docs, exp, &mut out);
    }
    out
}
