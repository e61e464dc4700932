//! `runbook`: a plan → what the README's shell blocks need: prerequisites, cloud identity,
//! the verify steps and the diagram (#12). Pure.
//!
//! Names the answers don't have (the cluster, its resource group, …) become shell variables
//! set at the top of a block, never `<placeholder>` text inside a command.
use serde::Serialize;

use super::Plan;
use crate::answers::SignInProvider;
use crate::catalog::StorageSetup;
use crate::validate::EXTERNAL_SECRETS_IDENTITY;

mod diagram;
mod iam;

pub use diagram::diagram;
pub use iam::{aws_policies, CloudDocument, CLOUD_DIR};

/// ESO's Helm chart version the prerequisites pin.
pub const ESO_CHART_VERSION: &str = "2.9.0";
/// cert-manager's version the prerequisites pin.
pub const CERT_MANAGER_VERSION: &str = "v1.21.0";
/// The Prometheus Operator release whose CRDs the prerequisites install.
pub const PROMETHEUS_OPERATOR_VERSION: &str = "v0.86.0";
/// The AWS Load Balancer Controller chart version the prerequisites pin.
pub const AWS_LBC_CHART_VERSION: &str = "3.5.0";

/// What the runbook sections render.
#[derive(Debug, Clone, Serialize)]
pub struct Runbook {
    /// `eks`, `gke` or `aks`.
    pub cloud_id: String,
    /// Whether this overlay uses External Secrets (not evaluation).
    pub external_secrets: bool,
    /// The workloads' ServiceAccount and its `system:serviceaccount:` subject.
    pub workload_sa: String,
    /// Its subject.
    pub workload_subject: String,
    /// External Secrets' ServiceAccount in the release namespace.
    pub store_sa: String,
    /// Its subject.
    pub store_subject: String,
    /// The workloads' identity (role ARN, Google SA, client ID).
    pub workload_identity: String,
    /// External Secrets' identity (the workloads' when no `identity.externalSecrets`).
    pub store_identity: String,
    /// Whether External Secrets has an identity of its own.
    pub separate_identity: bool,
    /// The secret-name prefix.
    pub key_prefix: String,
    /// Secret-store answers (region, project, vault, …).
    pub store: std::collections::BTreeMap<String, String>,
    /// The vault's name (AKS).
    pub vault_name: String,
    /// The GKE cluster's project, whose `<project>.svc.id.goog` pool the identity bindings name:
    /// `secretStore.gcpClusterProject`, else the secrets' project (empty on other clouds).
    pub gcp_cluster_project: String,
    /// The AWS account (from the role ARN), EKS only.
    pub aws_account: String,
    /// The IAM roles to set up, EKS only.
    pub aws_roles: Vec<iam::AwsRole>,
    /// Whether the AWS Load Balancer Controller serves an endpoint.
    pub alb: bool,
    /// Whether AKS app routing serves an endpoint.
    pub approuting: bool,
    /// The cert-manager ClusterIssuer the endpoints use, if any.
    pub cluster_issuer: Option<String>,
    /// The StorageClass of replay volumes when the runbook must create it (EKS gp3).
    pub create_storage_class: Option<String>,
    /// Its manifest (the cloud's `storageSetup`), without `reclaimPolicy`.
    pub storage_manifest: Option<String>,
    /// The `reclaimPolicy` the profile gives that class.
    pub storage_reclaim_policy: &'static str,
    /// Whether the cluster must enforce the overlay's NetworkPolicies (not evaluation).
    pub network_policy: bool,
    /// Whether the Metrics Server must be installed for the HPAs (autoscaling on a cloud
    /// that doesn't ship it).
    pub metrics_server: bool,
    /// `private` or `restricted` when egress relies on Private Google Access.
    pub google_access_zone: Option<&'static str>,
    /// Pinned versions.
    pub versions: Versions,
    /// The sign-in provider's OAuth callback, when OAuth.
    pub oauth_callback: Option<String>,
    /// `GitHub` or `Google`.
    pub oauth_provider: Option<&'static str>,
    /// The STS issuer when it is served at an https origin.
    pub sts_url: Option<String>,
    /// The web console's URL, if exposed.
    pub web_url: Option<String>,
    /// Mermaid lines of the diagram.
    pub diagram: Vec<String>,
}

/// Versions the prerequisites pin.
#[derive(Debug, Clone, Serialize)]
pub struct Versions {
    /// External Secrets chart.
    pub eso: &'static str,
    /// cert-manager.
    pub cert_manager: &'static str,
    /// Prometheus Operator (CRDs).
    pub prometheus_operator: &'static str,
    /// AWS Load Balancer Controller chart.
    pub aws_lbc: &'static str,
}

/// The runbook of `plan`.
pub fn runbook(plan: &Plan) -> Runbook {
    let (ns, release) = (plan.answers.namespace(), plan.answers.release());
    let workload_sa = format!("{release}-caracal");
    let store_sa = plan
        .store
        .as_ref()
        .map(|s| s.service_account.clone())
        .unwrap_or_default();
    let id = &plan.cloud.identity;
    let workload_identity = plan.answers.identity.get(&id.field).cloned();
    let workload_identity = workload_identity.unwrap_or_default();
    let own = plan.answers.identity.get(EXTERNAL_SECRETS_IDENTITY);
    let separate_identity = own.is_some_and(|o| *o != workload_identity);
    let store_identity = own.cloned().unwrap_or_else(|| workload_identity.clone());
    let store = plan.answers.secret_store.clone();
    let key_prefix = store.get("keyPrefix").cloned();
    let key_prefix = key_prefix.unwrap_or_else(|| plan.cloud.secret_store.key_prefix.clone());
    Runbook {
        cloud_id: plan.cloud.id.clone(),
        external_secrets: plan.profile.external_secrets,
        workload_subject: format!("system:serviceaccount:{ns}:{workload_sa}"),
        store_subject: format!("system:serviceaccount:{ns}:{store_sa}"),
        aws_account: aws_account(&workload_identity),
        aws_roles: iam::aws_roles(plan),
        vault_name: vault_name(&store),
        gcp_cluster_project: gcp_cluster_project(&store),
        alb: plan
            .ingresses
            .iter()
            .any(|i| i.requires.contains("Load Balancer Controller")),
        approuting: plan
            .ingresses
            .iter()
            .any(|i| i.requires.contains("app routing")),
        cluster_issuer: plan
            .answers
            .tls
            .get("clusterIssuer")
            .filter(|_| !plan.ingresses.is_empty())
            .map(|v| v.to_string()),
        create_storage_class: storage_setup(plan).map(|s| s.storage_class.clone()),
        storage_manifest: storage_setup(plan).map(|s| s.manifest.clone()),
        storage_reclaim_policy: storage_reclaim_policy(plan),
        network_policy: enforces_network_policy(plan),
        metrics_server: needs_metrics_server(plan),
        google_access_zone: google_access_zone(plan),
        versions: Versions {
            eso: ESO_CHART_VERSION,
            cert_manager: CERT_MANAGER_VERSION,
            prometheus_operator: PROMETHEUS_OPERATOR_VERSION,
            aws_lbc: AWS_LBC_CHART_VERSION,
        },
        oauth_callback: oauth_callback(plan),
        oauth_provider: oauth_provider(plan),
        sts_url: endpoint_url(plan, "sts"),
        web_url: endpoint_url(plan, "web"),
        diagram: diagram(plan),
        workload_sa,
        store_sa,
        workload_identity,
        store_identity,
        separate_identity,
        key_prefix,
        store,
    }
}

/// The account of an `arn:aws:iam::<account>:role/<name>` ARN (empty otherwise).
pub fn aws_account(arn: &str) -> String {
    arn.split(':').nth(4).unwrap_or_default().to_string()
}

/// The role name (last path segment) of a role ARN.
pub fn aws_role_name(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or_default().to_string()
}

fn vault_name(store: &std::collections::BTreeMap<String, String>) -> String {
    let url = store
        .get("azureVaultUrl")
        .map(String::as_str)
        .unwrap_or_default();
    let host = url.strip_prefix("https://").unwrap_or(url);
    host.split('.').next().unwrap_or_default().to_string()
}

/// The cluster's project: its own answer, else the secrets' (the same project unless told).
fn gcp_cluster_project(store: &std::collections::BTreeMap<String, String>) -> String {
    let own = store
        .get("gcpClusterProject")
        .or_else(|| store.get("gcpProject"));
    own.cloned().unwrap_or_default()
}

/// The cloud's storage-class setup, when the replay volumes use the class it creates.
pub(crate) fn storage_setup(plan: &Plan) -> Option<&StorageSetup> {
    let rp = &plan.values.replay_persistence;
    let setup = plan.cloud.storage_setup.as_ref()?;
    (rp.enabled && setup.storage_class == rp.storage_class_name).then_some(setup)
}

/// The profile's `reclaimPolicy` for that class: an evaluation is disposable; any other
/// profile keeps the replay state when a claim goes away.
fn storage_reclaim_policy(plan: &Plan) -> &'static str {
    if plan.profile.evaluation {
        "Delete"
    } else {
        "Retain"
    }
}

/// Whether the README asks for NetworkPolicy enforcement: the overlay renders NetworkPolicies
/// and the profile relies on them (an evaluation works, unprotected, without it).
/// Whether the HPAs need a Metrics Server the cluster doesn't come with.
pub fn needs_metrics_server(plan: &Plan) -> bool {
    plan.profile.autoscaling && !plan.cloud.ships_metrics_server
}

pub fn enforces_network_policy(plan: &Plan) -> bool {
    let policies = plan.values.network_policy.enabled || !plan.egress_policies.is_empty();
    policies && !plan.profile.evaluation
}

/// Private Google Access's zone when the egress answers use its ranges (GKE).
fn google_access_zone(plan: &Plan) -> Option<&'static str> {
    let eg = plan.answers.egress.clone().unwrap_or_default();
    let cidrs: Vec<String> = eg
        .categories()
        .iter()
        .flat_map(|(_, v)| v.iter().map(|e| e.cidr().to_string()))
        .collect();
    if cidrs.iter().any(|c| c == "199.36.153.4/30") {
        Some("restricted")
    } else if cidrs.iter().any(|c| c == "199.36.153.8/30") {
        Some("private")
    } else {
        None
    }
}

fn endpoint_url(plan: &Plan, endpoint: &str) -> Option<String> {
    let i = plan.ingresses.iter().find(|i| i.endpoint == endpoint)?;
    Some(i.url.clone())
}

fn oauth_provider(plan: &Plan) -> Option<&'static str> {
    match plan.answers.sign_in.as_ref()?.provider {
        SignInProvider::Github => Some("github"),
        SignInProvider::Google => Some("google"),
        SignInProvider::Smtp => None,
    }
}

/// `https://<web host>/api/auth/callback/<github|google>` (Better Auth under `/api/auth`).
fn oauth_callback(plan: &Plan) -> Option<String> {
    let provider = oauth_provider(plan)?;
    let base = plan.values.services.get("web")?.public_url.clone();
    let base = base.or_else(|| endpoint_url(plan, "web"))?;
    Some(format!(
        "{}/api/auth/callback/{provider}",
        base.trim_end_matches('/')
    ))
}

#[cfg(test)]
mod tests;
