//! Typed manifests the wizard emits: the Helm values overlay and the Kubernetes
//! objects beside it. All YAML serialization of the core lives here.
pub mod depth;
pub mod iam;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Labels;

pub mod yaml11;

/// The Helm values overlay for the caracal chart, key for key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValuesOverlay {
    /// `global`.
    pub global: Global,
    /// `serviceAccount`.
    pub service_account: ServiceAccountValues,
    /// `secrets`.
    pub secrets: SecretsValues,
    /// `networkPolicy`.
    pub network_policy: NetworkPolicyValues,
    /// `replayPersistence`.
    pub replay_persistence: ReplayPersistence,
    /// `serviceMonitor`.
    pub service_monitor: Toggle,
    /// `alertRules`.
    pub alert_rules: AlertRulesValues,
    /// `services.<name>`.
    pub services: BTreeMap<String, ServiceValues>,
    /// `ingress.<name>`.
    pub ingress: BTreeMap<String, IngressValues>,
}

/// `global`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Global {
    /// `dev`/`rc`/`stable`.
    pub mode: String,
    /// Acknowledges chart-managed plaintext secrets.
    pub evaluation: bool,
    /// OTLP endpoint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub otel_exporter_otlp_endpoint: String,
    /// Labels on every pod.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_labels: Labels,
}

/// `serviceAccount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountValues {
    /// Create it.
    pub create: bool,
    /// Identity binding.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: Labels,
}

/// `secrets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretsValues {
    /// Chart-managed plaintext Secret (evaluation only).
    pub create: bool,
    /// Name of the runtime Secret.
    pub runtime_secret_name: String,
    /// Postgres.
    pub database: DatabaseValues,
    /// Auth database.
    pub auth_database: NameOnly,
    /// Redis.
    pub redis: RedisValues,
}

/// `secrets.database`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseValues {
    /// Migration role.
    pub user: String,
    /// Host.
    pub host: String,
    /// Port.
    pub port: u32,
    /// Database.
    pub name: String,
    /// `require` / `disable`.
    pub ssl_mode: String,
}

/// `{name}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameOnly {
    /// Name.
    pub name: String,
}

/// `secrets.redis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedisValues {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u32,
    /// Database index.
    pub database: u32,
}

/// `networkPolicy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkPolicyValues {
    /// On.
    pub enabled: bool,
    /// Port 53 to anywhere.
    pub allow_open_dns: bool,
    /// Port 443 to anywhere.
    pub allow_open_https: bool,
    /// DNS rules.
    pub dns_egress: Vec<EgressRule>,
    /// Who may reach the pods.
    pub extra_ingress: Vec<IngressRule>,
    /// Other egress.
    pub extra_egress: Vec<EgressRule>,
}

/// A NetworkPolicy egress rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EgressRule {
    /// Destinations.
    pub to: Vec<Peer>,
    /// Ports (none: every port).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PolicyPort>,
}

/// A NetworkPolicy ingress rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressRule {
    /// Sources.
    pub from: Vec<Peer>,
    /// Ports (none: every port).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PolicyPort>,
}

/// A NetworkPolicy peer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Peer {
    /// CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_block: Option<IpBlock>,
    /// Namespace selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<Selector>,
    /// Pod selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_selector: Option<Selector>,
}

impl Peer {
    /// A CIDR peer.
    pub fn cidr(cidr: &str) -> Self {
        Peer {
            ip_block: Some(IpBlock {
                cidr: cidr.to_string(),
            }),
            ..Default::default()
        }
    }

    /// Pods with `labels` in namespace `namespace`.
    pub fn pods(namespace: &str, labels: &Labels) -> Self {
        let mut ns = Labels::new();
        ns.insert(
            "kubernetes.io/metadata.name".to_string(),
            namespace.to_string(),
        );
        Peer {
            ip_block: None,
            namespace_selector: Some(Selector { match_labels: ns }),
            pod_selector: (!labels.is_empty()).then(|| Selector {
                match_labels: labels.clone(),
            }),
        }
    }
}

/// `ipBlock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpBlock {
    /// CIDR.
    pub cidr: String,
}

/// `matchLabels` selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Selector {
    /// Labels.
    pub match_labels: Labels,
}

/// A NetworkPolicy port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPort {
    /// `TCP`/`UDP`.
    pub protocol: String,
    /// Port.
    pub port: u32,
}

impl PolicyPort {
    /// TCP `port`.
    pub fn tcp(port: u32) -> Self {
        PolicyPort {
            protocol: "TCP".into(),
            port,
        }
    }
    /// UDP `port`.
    pub fn udp(port: u32) -> Self {
        PolicyPort {
            protocol: "UDP".into(),
            port,
        }
    }
}

/// A NetworkPolicy the overlay ships beside the chart's: egress for one component (#10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkPolicy {
    /// `networking.k8s.io/v1`.
    pub api_version: String,
    /// `NetworkPolicy`.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: NetworkPolicySpec,
}

/// A NetworkPolicy's spec: the pods it selects and the egress it adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkPolicySpec {
    /// The pods it applies to.
    pub pod_selector: Selector,
    /// `Egress` for a component's own policy (ingress stays as the chart's or the baseline's
    /// policy has it); `Ingress` and `Egress` for the baseline.
    pub policy_types: Vec<String>,
    /// Who may reach the pods (the baseline only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<IngressRule>,
    /// Egress rules (added to every other policy selecting the pods).
    pub egress: Vec<EgressRule>,
}

/// A Prometheus Operator ServiceMonitor that authenticates (#10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMonitor {
    /// `monitoring.coreos.com/v1`.
    pub api_version: String,
    /// `ServiceMonitor`.
    pub kind: String,
    /// Metadata (with the label the Prometheus selects).
    pub metadata: Metadata,
    /// Spec.
    pub spec: ServiceMonitorSpec,
}

/// What a ServiceMonitor scrapes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMonitorSpec {
    /// The Service it scrapes.
    pub selector: Selector,
    /// Its endpoints.
    pub endpoints: Vec<MonitorEndpoint>,
}

/// One scraped endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorEndpoint {
    /// Service port name.
    pub port: String,
    /// Path.
    pub path: String,
    /// Scrape interval.
    pub interval: String,
    /// The bearer token the scrape sends.
    pub authorization: MonitorAuthorization,
}

/// `authorization`: a type and the Secret key holding the credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorAuthorization {
    /// `Bearer`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The Secret key.
    pub credentials: SecretKeyRef,
}

/// `alertRules`: on, with the labels the Prometheus selects rules by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRulesValues {
    /// On.
    pub enabled: bool,
    /// Labels on the PrometheusRule.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: Labels,
}

/// `replayPersistence`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplayPersistence {
    /// On.
    pub enabled: bool,
    /// Storage class.
    pub storage_class_name: String,
    /// Size.
    pub size: String,
}

/// `{enabled}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Toggle {
    /// On.
    pub enabled: bool,
}

/// `services.<name>`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceValues {
    /// Replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// HPA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa: Option<Toggle>,
    /// PDB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdb: Option<Toggle>,
    /// STS `iss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_url: Option<String>,
    /// Console origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// Console database TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_ssl: Option<String>,
    /// Extra environment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_env: Vec<EnvVar>,
    /// Extra volumes (the five services of the shared Deployment template only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_volumes: Vec<ConfigMapVolume>,
    /// Where the extra volumes are mounted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_volume_mounts: Vec<VolumeMount>,
}

/// A pod volume projecting a ConfigMap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapVolume {
    /// Volume name.
    pub name: String,
    /// `configMap`.
    pub config_map: ConfigMapRef,
}

/// `configMap: {name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigMapRef {
    /// The ConfigMap.
    pub name: String,
}

/// A container's volume mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    /// Volume name.
    pub name: String,
    /// Directory in the container.
    pub mount_path: String,
    /// Read-only.
    pub read_only: bool,
}

/// A container env var.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// Name.
    pub name: String,
    /// Literal value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// From a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvSource>,
}

impl EnvVar {
    /// `name: value`.
    pub fn literal(name: &str, value: impl Into<String>) -> Self {
        EnvVar {
            name: name.into(),
            value: Some(value.into()),
            value_from: None,
        }
    }
    /// From `secret`'s `key`.
    pub fn secret(name: &str, secret: &str, key: &str) -> Self {
        EnvVar {
            name: name.into(),
            value: None,
            value_from: Some(EnvSource {
                secret_key_ref: SecretKeyRef {
                    name: secret.into(),
                    key: key.into(),
                },
            }),
        }
    }
}

/// `valueFrom`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvSource {
    /// `secretKeyRef`.
    pub secret_key_ref: SecretKeyRef,
}

/// `secretKeyRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretKeyRef {
    /// Secret.
    pub name: String,
    /// Key.
    pub key: String,
}

/// `ingress.<name>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressValues {
    /// On.
    pub enabled: bool,
    /// Class (empty on GKE, which reads an annotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// TLS Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret_name: Option<String>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: Labels,
}

/// Standard object metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Name.
    pub name: String,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: Labels,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: Labels,
}

/// A Kubernetes object with only metadata (Namespace, ServiceAccount).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainObject {
    /// `v1`.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// ServiceAccount token automount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
}

/// An External Secrets `ExternalSecret` (`external-secrets.io/v1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecret {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: ExternalSecretSpec,
}

/// `spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    /// Refresh interval.
    pub refresh_interval: String,
    /// Store.
    pub secret_store_ref: StoreRef,
    /// Target Secret.
    pub target: Target,
    /// Remote entries.
    pub data: Vec<RemoteData>,
}

/// `secretStoreRef`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreRef {
    /// Name.
    pub name: String,
    /// `ClusterSecretStore`.
    pub kind: String,
}

/// `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// Secret name.
    pub name: String,
    /// Owner.
    pub creation_policy: String,
    /// Deletion.
    pub deletion_policy: String,
    /// Template.
    pub template: TargetTemplate,
}

/// `target.template`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetTemplate {
    /// `Opaque`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `v2`.
    pub engine_version: String,
    /// Keys of the runtime Secret.
    pub data: BTreeMap<String, String>,
}

/// One `data` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteData {
    /// Template variable.
    pub secret_key: String,
    /// Remote reference.
    pub remote_ref: RemoteRef,
}

/// `remoteRef`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteRef {
    /// Secret name in the manager.
    pub key: String,
}

/// A kustomization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kustomization {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Resource files.
    pub resources: Vec<String>,
    /// ConfigMaps generated from files (Flux: the values ConfigMap).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_map_generator: Vec<ConfigMapGenerator>,
    /// Transformer configurations (Flux: the HelmRelease name reference).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configurations: Vec<String>,
}

/// A kustomize `configMapGenerator` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigMapGenerator {
    /// ConfigMap name (kustomize appends a content hash).
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// Files, as `key=path` or `path`.
    pub files: Vec<String>,
}

/// An Argo CD `Application` (`argoproj.io/v1alpha1`) with several sources (#5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: ApplicationSpec,
}

/// `Application.spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSpec {
    /// Argo CD project.
    pub project: String,
    /// Where to install.
    pub destination: ApplicationDestination,
    /// The chart, the values reference and the overlay's own manifests.
    pub sources: Vec<ApplicationSource>,
    /// Sync policy.
    pub sync_policy: SyncPolicy,
    /// Fields Argo CD neither compares nor applies: the replica counts the HPAs own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_differences: Vec<IgnoreDifference>,
}

/// One of `spec.ignoreDifferences`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IgnoreDifference {
    /// API group (`apps`).
    pub group: String,
    /// Kind (`Deployment`).
    pub kind: String,
    /// JSON pointers of the ignored fields.
    pub json_pointers: Vec<String>,
}

/// `spec.destination`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationDestination {
    /// API server URL.
    pub server: String,
    /// Namespace.
    pub namespace: String,
}

/// One of `spec.sources`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSource {
    /// Git repository.
    #[serde(rename = "repoURL")]
    pub repo_url: String,
    /// Branch, tag or commit.
    pub target_revision: String,
    /// Directory in the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Name other sources use as `$<ref>`.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Helm settings of a chart source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm: Option<ApplicationHelm>,
    /// Plain-directory settings (the parent Application: which files are child Applications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<ApplicationDirectory>,
}

/// `sources[].directory`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationDirectory {
    /// Glob of the files to apply.
    pub include: String,
}

/// `sources[].helm`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationHelm {
    /// Helm release name.
    pub release_name: String,
    /// Values files, e.g. `$values/<overlay>/values.yaml`.
    pub value_files: Vec<String>,
}

/// `spec.syncPolicy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncPolicy {
    /// Automated sync.
    pub automated: AutomatedSync,
    /// Sync options (`CreateNamespace=true`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sync_options: Vec<String>,
}

/// `syncPolicy.automated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutomatedSync {
    /// Delete what left Git.
    pub prune: bool,
    /// Undo drift.
    pub self_heal: bool,
}

/// A Flux `GitRepository` (`source.toolkit.fluxcd.io/v1`) (#5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GitRepository {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: GitRepositorySpec,
}

/// `GitRepository.spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositorySpec {
    /// Poll interval.
    pub interval: String,
    /// Repository URL.
    pub url: String,
    /// Revision.
    #[serde(rename = "ref")]
    pub reference: GitReference,
    /// `.sourceignore`-style patterns: fetch only what is needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<String>,
    /// The Secret with the credentials (an SSH deploy key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
}

/// A reference by name to an object in the same namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalObjectReference {
    /// Name.
    pub name: String,
}

/// `GitRepository.spec.ref`: exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitReference {
    /// Branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Commit SHA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Full reference name (`refs/tags/v1.0.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl GitReference {
    /// A 40-hex revision is a commit, `refs/…` a reference, anything else a branch.
    pub fn from_revision(rev: &str) -> Self {
        if rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()) {
            GitReference {
                commit: Some(rev.into()),
                ..Default::default()
            }
        } else if rev.starts_with("refs/") {
            GitReference {
                name: Some(rev.into()),
                ..Default::default()
            }
        } else {
            GitReference {
                branch: Some(rev.into()),
                ..Default::default()
            }
        }
    }
}

/// A Flux `HelmRelease` (`helm.toolkit.fluxcd.io/v2`) (#5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelmRelease {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: HelmReleaseSpec,
}

/// `HelmRelease.spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelmReleaseSpec {
    /// Reconcile interval.
    pub interval: String,
    /// Helm release name.
    pub release_name: String,
    /// The chart artifact: an `OCIRepository` holding the published chart.
    pub chart_ref: SourceRef,
    /// Timeout of each Helm action, hooks included (the migration Jobs run up to 900 s).
    pub timeout: String,
    /// Values from the kustomize-generated ConfigMap.
    pub values_from: Vec<ValuesReference>,
    /// Install remediation.
    pub install: HelmAction,
    /// Upgrade remediation.
    pub upgrade: HelmAction,
}

/// A Flux cross-object reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// `spec.valuesFrom[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValuesReference {
    /// `ConfigMap`.
    pub kind: String,
    /// Its name (kustomize rewrites it to the hashed name).
    pub name: String,
    /// The key holding the values file.
    pub values_key: String,
}

/// `spec.install` / `spec.upgrade`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelmAction {
    /// Remediation.
    pub remediation: Remediation,
}

/// Retries before giving up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    /// Retries.
    pub retries: u32,
}

/// A Flux `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`) applying the overlay (#5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FluxKustomization {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: FluxKustomizationSpec,
}

/// `Kustomization.spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FluxKustomizationSpec {
    /// Reconcile interval.
    pub interval: String,
    /// The overlay directory in the source (`./clusters/prod/caracal`).
    pub path: String,
    /// Delete what left Git.
    pub prune: bool,
    /// The Git source.
    pub source_ref: SourceRef,
    /// Apply timeout (with `wait`, also how long health may take).
    pub timeout: String,
    /// Kustomizations that must be ready first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependsOn>,
    /// Ready only when every applied object is healthy (the ExternalSecret: its Secret exists).
    pub wait: bool,
}

/// `Kustomization.spec.dependsOn[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DependsOn {
    /// Name of a Kustomization in the same namespace.
    pub name: String,
}

/// A Flux `OCIRepository` (`source.toolkit.fluxcd.io/v1`): the published chart (#12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OciRepository {
    /// API version.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Spec.
    pub spec: OciRepositorySpec,
}

/// `OCIRepository.spec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositorySpec {
    /// Poll interval.
    pub interval: String,
    /// `oci://` reference without tag.
    pub url: String,
    /// The pinned tag.
    #[serde(rename = "ref")]
    pub reference: OciReference,
    /// Which layer is the artifact: the Helm chart tarball.
    pub layer_selector: LayerSelector,
}

/// `OCIRepository.spec.ref`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OciReference {
    /// Tag (the chart version).
    pub tag: String,
}

/// `OCIRepository.spec.layerSelector`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerSelector {
    /// Media type of the layer.
    pub media_type: String,
    /// `copy`: hand the tarball over as is, which is what a HelmRelease `chartRef` reads.
    pub operation: String,
}

/// Serializes any manifest to YAML, quoting the strings YAML 1.1 (Helm) would retype.
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, serde_yaml::Error> {
    serde_yaml::to_string(value).map(|t| yaml11::quote_yaml11(&t))
}

/// Why a text was not read as YAML.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    /// Nested too deep to parse in reasonable time.
    #[error(transparent)]
    TooDeep(#[from] depth::TooDeep),
    /// Not valid YAML.
    #[error(transparent)]
    Syntax(#[from] serde_yaml::Error),
}

/// Parses YAML into a generic value, refusing text nested too deep ([`depth`]).
pub fn parse_yaml(text: &str) -> Result<serde_yaml::Value, YamlError> {
    // A byte-order mark (Windows editors) is not content; YAML would read it as a document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    depth::ensure_shallow(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Parses every document of a multi-document YAML stream, refusing text nested too deep.
pub fn parse_yaml_documents(text: &str) -> Result<Vec<serde_yaml::Value>, YamlError> {
    depth::ensure_shallow(text)?;
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v = serde_yaml::Value::deserialize(doc)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

/// Types a generic YAML value, e.g. one rendered manifest.
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_yaml::Value,
) -> Result<T, serde_yaml::Error> {
    serde_yaml::from_value(value)
}
