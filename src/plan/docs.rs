//! `docs`: a plan → the flat view model of the overlay's README.md (#9). Pure.
//!
//! Everything the README states is decided here, as strings, bools and lists, so the
//! template only lays it out. [`Overview`] and [`Audit`] also feed the comments of values.yaml.
use serde::Serialize;

use super::{GitOpsPlan, Plan, PlannedIngress, SecretEntry};
use crate::answers::GitOps;
use crate::error::Problem;
use crate::gitops::{
    APPLICATION_FILE, ARGOCD_PREREQS_FILE, ARGOCD_RELEASE_FILE, FLUX_HELMRELEASE_FILE,
    FLUX_KUSTOMIZATION_FILE, FLUX_KUSTOMIZECONFIG_FILE, FLUX_RELEASE_KUSTOMIZATION_FILE,
    FLUX_SOURCE_FILE,
};
use crate::render::{CLUSTER_SECRET_STORE_FILE, EXTERNAL_SECRET_FILE, SERVICE_ACCOUNT_FILE};
use crate::validate::IN_CLUSTER_POSTGRES;

/// Audit retention when the answers set none.
const DEFAULT_AUDIT_DAYS: u32 = 365;

/// What README.md.tera renders: one flat set of variables.
#[derive(Debug, Clone, Serialize)]
pub struct ReadmeModel<'a> {
    /// Title, install command and endpoints.
    #[serde(flatten)]
    pub overview: Overview<'a>,
    /// Files beyond values.yaml and namespace.yaml, for the table of files.
    pub extra_files: Vec<FileNote<'a>>,
    /// What the cluster must run before the chart is installed (production).
    pub prerequisites: Vec<String>,
    /// The *Identity* section.
    #[serde(flatten)]
    pub identity: IdentitySection<'a>,
    /// The *Secrets* section.
    #[serde(flatten)]
    pub secrets: SecretsSection<'a>,
    /// The *Managed dependency contract* section.
    #[serde(flatten)]
    pub dependencies: DependencySection<'a>,
    /// Whether the *Regulated workload* section is shown.
    pub regulated: bool,
    /// The cloud's immutable-backup checklist, for a regulated workload.
    pub immutable_backups: &'a [String],
    /// Audit retention and export.
    #[serde(flatten)]
    pub audit: Audit,
    /// The *GitOps* section.
    #[serde(flatten)]
    pub gitops: GitOpsSection<'a>,
    /// What the *Validation checklist* says of the NetworkPolicy's egress.
    #[serde(flatten)]
    pub egress: EgressChecks,
    /// TLS to the data services and the storage class setup.
    #[serde(flatten)]
    pub data_tls: DataTlsSection,
    /// Non-fatal findings, listed at the end.
    pub warnings: &'a [Problem],
}

/// Who and where: shared by README.md and the comments of values.yaml.
#[derive(Debug, Clone, Serialize)]
pub struct Overview<'a> {
    /// The cloud's title.
    pub cloud_title: &'a str,
    /// The profile's title.
    pub profile_title: &'a str,
    /// The profile's one-line summary.
    pub profile_summary: &'a str,
    /// Helm release name.
    pub release: &'a str,
    /// Namespace.
    pub namespace: &'a str,
    /// `<release>-caracal`, the chart's name prefix.
    pub fullname: String,
    /// Whether this is an evaluation (chart-made Secret from secrets.local.yaml).
    pub evaluation: bool,
    /// Whether ServiceMonitor and PrometheusRule are on.
    pub monitoring: bool,
    /// The `helm upgrade --install` command for this overlay.
    pub helm_command: String,
    /// The `helm template` command rendering what it would install.
    pub helm_template_command: String,
    /// The chart's OCI reference.
    pub chart_ref: &'a str,
    /// The chart's pinned version.
    pub chart_version: &'a str,
    /// The STS issuer URL, or where the in-cluster one lives.
    pub issuer: String,
    /// Whether the issuer is the in-cluster Service's (the STS is not exposed).
    pub issuer_in_cluster: bool,
    /// Exposed endpoints.
    pub ingresses: &'a [PlannedIngress],
}

/// Audit retention and export, as README.md and values.yaml state them.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// Whether audit records are exported.
    pub audit_export: bool,
    /// Retention in days.
    pub audit_days: u32,
    /// Export bucket (empty without export).
    pub audit_bucket: String,
    /// Export endpoint (empty without export).
    pub audit_endpoint: String,
    /// Export region (empty without export).
    pub audit_region: String,
}

/// One file in a README table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileNote<'a> {
    /// Path inside the overlay.
    pub path: std::borrow::Cow<'a, str>,
    /// What it is.
    pub what: &'static str,
    /// Who applies it (GitOps files only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_by: Option<&'static str>,
}

/// The README's *Identity* section.
#[derive(Debug, Clone, Serialize)]
pub struct IdentitySection<'a> {
    /// ServiceAccount External Secrets authenticates as (empty for evaluation).
    pub store_service_account: &'a str,
    /// The cloud's workload-identity annotation.
    pub identity_annotation: &'a str,
    /// Its value from the answers.
    pub identity_value: &'a str,
    /// The pod label the identity webhook needs, as `key: "value"`, if any.
    pub identity_pod_label: Option<String>,
    /// One sentence saying what the identity is.
    pub identity_hint_sentence: String,
}

/// The README's *Secrets* section.
#[derive(Debug, Clone, Serialize)]
pub struct SecretsSection<'a> {
    /// The cloud's secret manager.
    pub secret_provider: &'a str,
    /// Entries to create in it.
    pub secret_entries: &'a [SecretEntry],
    /// Keys of the runtime Secret.
    pub runtime_keys: &'a [String],
    /// How many.
    pub runtime_key_count: usize,
    /// `rediss` with TLS, else `redis`.
    pub redis_scheme: &'static str,
}

/// The README's *Managed dependency contract* section.
#[derive(Debug, Clone, Serialize)]
pub struct DependencySection<'a> {
    /// Whether Postgres runs in the cluster (evaluation).
    pub in_cluster: bool,
    /// Postgres host.
    pub postgres_host: &'a str,
    /// Postgres port.
    pub postgres_port: u32,
    /// Main database.
    pub postgres_database: &'a str,
    /// Console sessions' database.
    pub postgres_auth_database: &'a str,
    /// Migration role.
    pub postgres_user: &'a str,
    /// The cloud's managed Postgres.
    pub postgres_product: &'a str,
    /// What to check on it.
    pub postgres_checklist: &'a [String],
    /// Redis host.
    pub redis_host: &'a str,
    /// Redis port.
    pub redis_port: u32,
    /// Whether Redis is reached over TLS.
    pub redis_tls: bool,
    /// The cloud's managed Redis.
    pub redis_product: &'a str,
    /// What to check on it.
    pub redis_checklist: &'a [String],
}

/// The README's *GitOps* section (#5).
#[derive(Debug, Clone, Serialize)]
pub struct GitOpsSection<'a> {
    /// `argocd` or `flux`, if any.
    pub gitops: Option<&'static str>,
    /// The GitOps files and who applies each.
    pub gitops_files: Vec<FileNote<'static>>,
    /// Where the overlay and the chart live in Git.
    pub gitops_plan: Option<&'a GitOpsPlan>,
    /// values.yaml's path in the overlay's repository.
    pub gitops_values_path: Option<String>,
    /// Whether the overlay's repository is reached over SSH (a deploy key Secret).
    pub gitops_ssh: bool,
}

/// What the NetworkPolicy lets out, for the validation checklist.
#[derive(Debug, Clone, Serialize)]
pub struct EgressChecks {
    /// The overlay's policy replacing the chart's (regulated), if any.
    pub baseline_policy: Option<&'static str>,
    /// HTTPS to anywhere is open.
    pub open_https: bool,
    /// The provider APIs and identity endpoints are reachable.
    pub provider_egress: bool,
    /// The audit export's object store is reachable.
    pub object_store_egress: bool,
    /// What each component that calls out may reach through its own policy (#10).
    pub component_egress: Vec<String>,
    /// The host names the STS and the API may reach on private addresses (#10).
    pub private_hosts: Vec<String>,
    /// Who scrapes what, and why the Coordinator and the console are not scraped (#10).
    pub metrics_note: String,
}

/// The README's view model for `plan`.
pub fn docs(plan: &Plan) -> ReadmeModel<'_> {
    ReadmeModel {
        overview: overview(plan),
        extra_files: extra_files(plan),
        prerequisites: prerequisites(plan),
        identity: identity(plan),
        secrets: secrets(plan),
        dependencies: dependencies(plan),
        regulated: plan.profile.require_audit_export,
        immutable_backups: &plan.cloud.products.immutable_backups,
        audit: audit(plan),
        gitops: gitops(plan),
        egress: egress(plan),
        data_tls: data_tls(plan),
        warnings: &plan.warnings,
    }
}

/// Who and where, for README.md and values.yaml.
pub fn overview(plan: &Plan) -> Overview<'_> {
    let fullname = fullname(plan);
    Overview {
        cloud_title: &plan.cloud.title,
        profile_title: &plan.profile.title,
        profile_summary: &plan.profile.summary,
        release: plan.answers.release(),
        namespace: plan.answers.namespace(),
        evaluation: plan.profile.evaluation,
        monitoring: plan.profile.monitoring,
        helm_command: helm_command(plan),
        helm_template_command: helm_template_command(plan),
        chart_ref: plan.answers.chart_ref(),
        chart_version: plan.answers.chart_version(),
        issuer: issuer(plan, &fullname),
        issuer_in_cluster: exposed_issuer(plan).is_none(),
        ingresses: &plan.ingresses,
        fullname,
    }
}

/// Audit retention and export, for README.md and values.yaml.
pub fn audit(plan: &Plan) -> Audit {
    let a = &plan.answers;
    let export = a.audit_export.clone().unwrap_or_default();
    Audit {
        audit_export: a.audit_export.is_some(),
        audit_days: a
            .retention
            .as_ref()
            .and_then(|r| r.audit_days)
            .unwrap_or(DEFAULT_AUDIT_DAYS),
        audit_bucket: export.bucket.unwrap_or_default(),
        audit_endpoint: export.endpoint.unwrap_or_default(),
        audit_region: export.region.unwrap_or_default(),
    }
}

fn fullname(plan: &Plan) -> String {
    format!("{}-caracal", plan.answers.release())
}

/// `<release> <chart ref> --version <v> -n <ns> -f values.yaml [-f secrets.local.yaml]`.
fn helm_args(plan: &Plan) -> String {
    let a = &plan.answers;
    // An evaluation's chart-made Secret is filled from the git-ignored local file.
    let local = if plan.profile.evaluation {
        " -f secrets.local.yaml"
    } else {
        ""
    };
    format!(
        "{} {} --version {} -n {} -f values.yaml{local}",
        a.release(),
        a.chart_ref(),
        a.chart_version(),
        a.namespace()
    )
}

// Upstream's `--atomic --wait --wait-for-jobs` in helm 4's spelling (`--atomic` became
// `--rollback-on-failure`, `--wait` takes a strategy); the timeout covers the migration Jobs'
// 900 s deadline plus the rollout.
fn helm_command(plan: &Plan) -> String {
    format!(
        "helm upgrade --install {} --rollback-on-failure --wait=watcher --wait-for-jobs --timeout {}",
        helm_args(plan),
        crate::gitops::HELM_TIMEOUT
    )
}

fn helm_template_command(plan: &Plan) -> String {
    format!("helm template {} > rendered.yaml", helm_args(plan))
}

/// The STS issuer URL: the exposed one, or the in-cluster Service's.
fn issuer(plan: &Plan, fullname: &str) -> String {
    exposed_issuer(plan).unwrap_or_else(|| format!("http://{fullname}-sts:8080"))
}

fn exposed_issuer(plan: &Plan) -> Option<String> {
    plan.values
        .services
        .get("sts")
        .and_then(|s| s.issuer_url.clone())
}

fn extra_files(plan: &Plan) -> Vec<FileNote<'_>> {
    let mut notes = Vec::new();
    // The same condition under which `render` writes the External Secrets objects.
    if plan.store.is_some()
        && plan.store_service_account.is_some()
        && plan.external_secret.is_some()
    {
        notes.extend([
            FileNote::new(
                SERVICE_ACCOUNT_FILE,
                "the ServiceAccount External Secrets authenticates as (workload identity)",
            ),
            FileNote::new(
                CLUSTER_SECRET_STORE_FILE,
                "ClusterSecretStore for the cloud's secret manager",
            ),
            FileNote::new(
                EXTERNAL_SECRET_FILE,
                "ExternalSecret composing the runtime Secret `caracal-runtime`",
            ),
        ]);
    }
    for doc in super::runbook::aws_policies(plan) {
        let what = cloud_note(&doc.path);
        notes.push(FileNote::new(doc.path, what));
    }
    for m in &plan.manifests {
        let what = if m.path.starts_with("certificates/") {
            "Google-managed certificate for one host"
        } else {
            "internal ingress controller the internal endpoints use"
        };
        notes.push(FileNote::new(&m.path, what));
    }
    for p in &plan.egress_policies {
        let what = if p.path == super::network::BASELINE_FILE {
            "NetworkPolicy replacing the chart's (off in values.yaml): the same rules, with Postgres and Redis only at their CIDRs"
        } else {
            "NetworkPolicy adding one component's own egress (values.yaml, \"Out:\", says what each may reach)"
        };
        notes.push(FileNote::new(&p.path, what));
    }
    for (path, _) in &plan.service_monitors {
        notes.push(FileNote::new(
            path,
            "ServiceMonitor scraping one component with the runtime Secret's `metricsBearer`",
        ));
    }
    notes
}

impl<'a> FileNote<'a> {
    fn new(path: impl Into<std::borrow::Cow<'a, str>>, what: &'static str) -> Self {
        Self {
            path: path.into(),
            what,
            applied_by: None,
        }
    }

    fn applied_by(path: &'a str, what: &'static str, by: &'static str) -> Self {
        Self {
            applied_by: Some(by),
            ..Self::new(path, what)
        }
    }
}

/// What one `cloud/` document is, for the table of files.
fn cloud_note(path: &str) -> &'static str {
    if path.ends_with("trust-policy.json") {
        "IAM trust policy: this cluster's OIDC provider may let exactly these ServiceAccounts assume the role"
    } else if path.contains("audit") {
        "IAM policy: write the audit exports to the audit bucket"
    } else {
        "IAM policy: read the secrets under the overlay's name prefix, nothing else"
    }
}

fn prerequisites(plan: &Plan) -> Vec<String> {
    let mut prerequisites: Vec<String> = Vec::new();
    if super::runbook::enforces_network_policy(plan) {
        prerequisites.push(plan.cloud.network_policy_enforcement.clone());
    }
    if super::runbook::needs_metrics_server(plan) {
        prerequisites.push(
            "the Kubernetes Metrics Server: the HPAs scale on its CPU and memory readings, and the cluster doesn't come with one".into(),
        );
    }
    if let Some(setup) = super::runbook::storage_setup(plan) {
        prerequisites.push(format!(
            "the StorageClass `{}` of the replay volumes, which the cluster lacks",
            setup.storage_class
        ));
    }
    for i in &plan.ingresses {
        if !prerequisites.contains(&i.requires) {
            prerequisites.push(i.requires.clone());
        }
    }
    let issuer = plan.answers.tls.get("clusterIssuer");
    if let Some(issuer) = issuer.filter(|_| !plan.ingresses.is_empty()) {
        prerequisites.push(format!("cert-manager with the ClusterIssuer `{issuer}`"));
    }
    if plan.answers.tls.is_empty() && !plan.ingresses.is_empty() {
        // The ALB finds an ACM certificate by the Ingress's rule host (no ARN given).
        let hosts: Vec<String> = plan
            .ingresses
            .iter()
            .map(|i| format!("`{}`", i.host))
            .collect();
        prerequisites.push(format!("an issued ACM certificate in the cluster's region covering {} (names or a wildcard); the load balancer controller finds it by host", hosts.join(", ")));
    }
    prerequisites
}

fn store_service_account(plan: &Plan) -> &str {
    plan.store
        .as_ref()
        .map(|s| s.service_account.as_str())
        .unwrap_or_default()
}

fn identity(plan: &Plan) -> IdentitySection<'_> {
    let id = &plan.cloud.identity;
    IdentitySection {
        store_service_account: store_service_account(plan),
        identity_annotation: &id.annotation,
        identity_value: plan
            .answers
            .identity
            .get(&id.field)
            .map(String::as_str)
            .unwrap_or_default(),
        identity_pod_label: id
            .pod_labels
            .iter()
            .map(|(k, v)| format!("{k}: \"{v}\""))
            .next(),
        identity_hint_sentence: format!("The identity is {}.", id.hint),
    }
}

fn redis_tls(plan: &Plan) -> bool {
    plan.answers
        .redis
        .as_ref()
        .and_then(|r| r.tls)
        .unwrap_or(false)
}

fn secrets(plan: &Plan) -> SecretsSection<'_> {
    SecretsSection {
        secret_provider: &plan.cloud.secret_store.provider,
        secret_entries: &plan.secret_entries,
        runtime_keys: &plan.runtime_keys,
        runtime_key_count: plan.runtime_keys.len(),
        redis_scheme: if redis_tls(plan) { "rediss" } else { "redis" },
    }
}

fn dependencies(plan: &Plan) -> DependencySection<'_> {
    let s = &plan.values.secrets;
    let products = &plan.cloud.products;
    DependencySection {
        in_cluster: s.database.host == IN_CLUSTER_POSTGRES,
        postgres_host: &s.database.host,
        postgres_port: s.database.port,
        postgres_database: &s.database.name,
        postgres_auth_database: &s.auth_database.name,
        postgres_user: &s.database.user,
        postgres_product: &products.postgres,
        postgres_checklist: &products.postgres_checklist,
        redis_host: &s.redis.host,
        redis_port: s.redis.port,
        redis_tls: redis_tls(plan),
        redis_product: &products.redis,
        redis_checklist: &products.redis_checklist,
    }
}

fn gitops(plan: &Plan) -> GitOpsSection<'_> {
    let tool = plan.gitops.as_ref().map(|g| g.tool);
    GitOpsSection {
        gitops: tool.map(GitOps::key),
        gitops_files: tool.map(gitops_files).unwrap_or_default(),
        gitops_plan: plan.gitops.as_ref(),
        gitops_values_path: plan.gitops.as_ref().map(crate::gitops::values_path),
        gitops_ssh: (plan.gitops.as_ref())
            .and_then(|g| g.repo_url.as_deref())
            .is_some_and(crate::gitops::is_ssh),
    }
}

fn gitops_files(tool: GitOps) -> Vec<FileNote<'static>> {
    let by_argo = "Argo CD, through the parent Application";
    let by_flux = "Flux, through `gitops/kustomization.yaml`";
    match tool {
        GitOps::Argocd => vec![
            FileNote::applied_by(
                APPLICATION_FILE,
                "Argo CD parent Application: applies the two below, in waves",
                "you, once (`kubectl apply -n argocd`)",
            ),
            FileNote::applied_by(
                ARGOCD_PREREQS_FILE,
                "wave 0: this directory's `kustomization.yaml` (namespace, External Secrets)",
                by_argo,
            ),
            FileNote::applied_by(
                ARGOCD_RELEASE_FILE,
                "wave 1: the pinned published chart with `values.yaml`",
                by_argo,
            ),
        ],
        GitOps::Flux => vec![
            FileNote::applied_by(
                FLUX_SOURCE_FILE,
                "Flux OCIRepository of the published chart, pinned",
                by_flux,
            ),
            FileNote::applied_by(
                FLUX_HELMRELEASE_FILE,
                "Flux HelmRelease: the chart with the values ConfigMap generated from `values.yaml`",
                by_flux,
            ),
            FileNote::applied_by(
                FLUX_KUSTOMIZECONFIG_FILE,
                "tells kustomize to follow the values ConfigMap's hashed name into the HelmRelease",
                "kustomize",
            ),
            FileNote::applied_by(
                FLUX_RELEASE_KUSTOMIZATION_FILE,
                "the chart's objects and the values ConfigMap (from `../values.yaml`)",
                "the second Flux Kustomization",
            ),
            FileNote::applied_by(
                FLUX_KUSTOMIZATION_FILE,
                "Flux Kustomizations: this directory (waited on), then `gitops/`",
                "you or your Flux cluster directory, once",
            ),
        ],
    }
}

fn egress(plan: &Plan) -> EgressChecks {
    let eg = plan.answers.egress.clone().unwrap_or_default();
    let open_https = eg.open_https.unwrap_or(false);
    let has = |wanted: &[&str]| {
        eg.categories()
            .iter()
            .any(|(c, v)| wanted.contains(c) && !v.is_empty())
    };
    EgressChecks {
        baseline_policy: (!plan.profile.chart_network_policy)
            .then_some(super::network::BASELINE_FILE),
        open_https,
        provider_egress: open_https
            || !plan.cloud.fixed_egress.is_empty()
            || has(&["providerApis", "identityProvider"]),
        object_store_egress: plan.answers.audit_export.is_some()
            && (open_https || has(&["objectStore"])),
        component_egress: super::egress::summary(&plan.component_egress),
        private_hosts: eg
            .named_private_hosts()
            .into_iter()
            .map(str::to_string)
            .collect(),
        metrics_note: metrics_note(plan),
    }
}

/// The overlay's ServiceMonitors in words: what they scrape, from where, with which label.
fn metrics_note(plan: &Plan) -> String {
    if plan.service_monitors.is_empty() {
        return String::new();
    }
    let m = plan.answers.monitoring.clone().unwrap_or_default();
    let labels: Vec<String> = m
        .service_monitor_labels()
        .iter()
        .map(|(k, v)| format!("`{k}: {v}`"))
        .collect();
    let scraped: Vec<String> = plan
        .service_monitors
        .iter()
        .filter_map(|(_, sm)| sm.metadata.labels.get("app.kubernetes.io/component"))
        .map(|c| format!("`{c}`"))
        .collect();
    format!(
        "The overlay's ServiceMonitors scrape {} with the runtime Secret's `metricsBearer` (the chart's own send no bearer and are off); they carry {} for your Prometheus, which the NetworkPolicy admits from namespace `{}` (`monitoring.serviceMonitorLabels`, `monitoring.scraperNamespace`). The Coordinator is not scraped: its `/metrics` also demands the Coordinator operator token in the same `Authorization` header, which one bearer cannot be. The console (`web`) has no `/metrics`.",
        scraped.join(", "),
        labels.join(", "),
        m.scraper_namespace()
    )
}
mod data_tls;
pub use data_tls::{data_tls, DataTlsSection};

#[cfg(test)]
mod tests;
