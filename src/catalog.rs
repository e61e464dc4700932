//! Typed catalogs of clouds, profiles and TLS modes, loaded from the embedded `assets/`.
//!
//! A cloud is a data file: everything the planner knows about EKS, GKE or AKS lives
//! in `assets/clouds/<id>.yaml` and `templates/secret-stores/<id>.yaml.tera`.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::CatalogError;
use crate::format::Format;

/// A label selector's labels.
pub type Labels = BTreeMap<String, String>;

/// Everything the wizard knows: clouds, profiles and TLS modes.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Clouds by id, in id order.
    pub clouds: BTreeMap<String, Cloud>,
    /// Profiles in the order the wizard offers them.
    pub profiles: Vec<Profile>,
    /// TLS sources by id.
    pub tls_modes: Vec<TlsMode>,
    /// What each Caracal workload is at runtime (`assets/components.yaml`).
    pub components: Components,
}

/// The chart's workloads as they run: `assets/components.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Components {
    /// The long-running services, in the order the chart lists them.
    pub components: Vec<Component>,
    /// The chart's pre-install/pre-upgrade Jobs.
    pub jobs: Vec<JobSpec>,
}

/// How a workload reads a Postgres URL (and so what `sslmode` means to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Runtime {
    /// node-postgres: `sslmode=require` verifies against Node's bundled roots.
    Node,
    /// pgx: libpq meanings, `require` encrypts without verifying.
    Go,
    /// psql/libpq itself (the schema migration Job).
    Libpq,
}

/// One long-running Caracal service.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Component {
    /// The chart's service key and `app.kubernetes.io/component` label (`web`).
    pub id: String,
    /// Human name.
    pub title: String,
    /// Its runtime.
    pub runtime: Runtime,
    /// Container port named `http`.
    pub port: u16,
    /// Path of the readiness probe on port `http`.
    pub readiness_path: String,
    /// Whether the chart mounts `extraVolumes` into it.
    pub extra_volumes: bool,
    /// Whether it answers `/metrics` to the `metricsBearer` alone.
    pub metrics: bool,
    /// Egress it needs beyond DNS, Postgres, Redis and OTLP.
    pub calls: Vec<ComponentCall>,
}

/// One kind of destination a component calls.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentCall {
    /// The answer naming where that is (`egress.signIn`).
    pub answer: String,
    /// What it calls, for people.
    pub what: String,
}

/// One of the chart's hook Jobs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobSpec {
    /// Its `app.kubernetes.io/component` label.
    pub id: String,
    /// Its runtime.
    pub runtime: Runtime,
    /// Whether the chart mounts `extraVolumes` into it.
    pub extra_volumes: bool,
}

/// One managed Kubernetes offering.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cloud {
    /// Short id used in answers (`eks`).
    pub id: String,
    /// Human name (`Amazon EKS`).
    pub title: String,
    /// Default storage class for replay volumes.
    pub storage_class: String,
    /// How pods get a cloud identity.
    pub identity: IdentitySpec,
    /// The cloud's secret manager as an External Secrets store.
    pub secret_store: SecretStoreSpec,
    /// Ingress wiring per exposure (`public`, `internal`).
    pub exposures: BTreeMap<String, ExposureSpec>,
    /// In-cluster DNS peers.
    pub dns: DnsSpec,
    /// Egress every overlay on this cloud needs (e.g. a metadata server).
    pub fixed_egress: Vec<FixedEgress>,
    /// Default egress CIDRs per category.
    pub default_egress: BTreeMap<String, Vec<CidrEntry>>,
    /// What each egress category means on this cloud.
    pub egress_hints: BTreeMap<String, String>,
    /// Default managed Redis port and TLS.
    pub redis_defaults: RedisDefaults,
    /// Default TLS source (mode id → value).
    #[serde(default)]
    pub tls_default: BTreeMap<String, serde_yaml::Value>,
    /// Ports on which the cloud's managed Redis serves TLS.
    pub redis_tls_ports: Vec<u16>,
    /// Whether the cluster comes with the Kubernetes Metrics Server the HPAs read (GKE and
    /// AKS do; EKS doesn't, it is an add-on).
    pub ships_metrics_server: bool,
    /// Managed Redis offerings told apart by their host names, with the TLS port each
    /// listens on (Azure Managed Redis, `*.redis.azure.net`: 10000, not 6380).
    #[serde(default)]
    pub redis_hosts: Vec<RedisHost>,
    /// The cloud's product names and the dependency checklist in its terms.
    pub products: Products,
    /// How its managed Postgres and Redis present their certificates (#10).
    pub data_tls: DataTls,
    /// What creates the default storage class, when the cluster doesn't have it (#10).
    #[serde(default)]
    pub storage_setup: Option<StorageSetup>,
    /// Whether audit export authenticates with HMAC keys from the secret manager instead of
    /// the workload identity (the audit service uses the AWS SDK's default chain) (#10).
    #[serde(default)]
    pub audit_export_hmac: bool,
    /// What makes the cluster enforce NetworkPolicies, for the README's prerequisites (#12).
    pub network_policy_enforcement: String,
}

/// How to create a storage class the cluster lacks: a cluster-scoped manifest, shown in the
/// README's prerequisites (not applied by the overlay's kustomization) (#10, #12).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageSetup {
    /// The storage class this setup creates.
    pub storage_class: String,
    /// The StorageClass manifest, without `reclaimPolicy` (the profile decides it).
    pub manifest: String,
}

/// The certificates the cloud's managed data services present (#10).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataTls {
    /// Whether the managed Postgres presents a chain Node's bundled roots trust.
    pub postgres_public_ca: bool,
    /// Whether the managed Postgres is reached by IP, so only its chain can be verified.
    pub postgres_chain_only: bool,
    /// How to fetch the Postgres server CA into `ca.crt` (README), when it is private.
    #[serde(default)]
    pub postgres_ca_command: Option<String>,
    /// Whether the managed Redis presents a chain the system roots trust.
    pub redis_public_ca: bool,
    /// How to fetch the Redis server CA (README), when it is private.
    #[serde(default)]
    pub redis_ca_command: Option<String>,
}

/// Workload identity wiring.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentitySpec {
    /// Key under `identity` in the answers.
    pub field: String,
    /// Format of its value.
    pub format: Format,
    /// ServiceAccount annotation carrying the value.
    pub annotation: String,
    /// Pod labels the identity webhook needs.
    pub pod_labels: Labels,
    /// What to put there.
    pub hint: String,
}

/// The cloud's secret manager.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretStoreSpec {
    /// Product name.
    pub provider: String,
    /// Tera template (under `templates/`) of the ClusterSecretStore.
    pub template: String,
    /// Answer fields under `secretStore`.
    pub fields: Vec<FieldSpec>,
    /// Default prefix of secret names.
    pub key_prefix: String,
    /// Regex every secret name must match on this cloud.
    pub key_pattern: String,
    /// Shell command creating one entry from the value on its standard input; `{key}` and field
    /// names are filled in. The value is never an argument (it would show in the process list).
    pub create_command: String,
}

/// One answer field with its format.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldSpec {
    /// Key name.
    pub name: String,
    /// What the wizard calls it.
    pub label: String,
    /// Format of its value.
    pub format: Format,
    /// What to put there.
    pub hint: String,
    /// May be left out.
    #[serde(default)]
    pub optional: bool,
}

/// Ingress wiring for one exposure on one cloud.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExposureSpec {
    /// `ingressClassName` (`{release}` is filled in); empty leaves it unset.
    pub class_name: String,
    /// Annotations on every Ingress of this exposure.
    pub annotations: Labels,
    /// Peers always admitted to the pods (e.g. Google front ends).
    pub admit: Vec<CidrEntry>,
    /// Who sends the traffic when the answers don't say.
    #[serde(default)]
    pub default_controller: Option<ControllerPeer>,
    /// Why `ingressController` is needed when there is no default.
    #[serde(default)]
    pub controller_hint: Option<String>,
    /// TLS modes this exposure accepts.
    pub tls: Vec<String>,
    /// Whether it serves HTTPS without a TLS answer (the ALB discovers ACM certificates by
    /// host) (#10).
    #[serde(default)]
    pub tls_optional: bool,
    /// Annotations that replace or join `annotations` when a cert-manager issuer proves the
    /// domain by HTTP-01 (the solver needs plain HTTP on the load balancer) (#10).
    #[serde(default)]
    pub http01_annotations: Labels,
    /// Annotation naming each Ingress's health-check path (`{readinessPath}`), if the load
    /// balancer does not read the pods' readiness probe itself (#10).
    #[serde(default)]
    pub health_check_annotation: Option<String>,
    /// Extra manifests this exposure needs (e.g. an internal controller).
    #[serde(default)]
    pub manifests: Vec<ManifestSpec>,
    /// One-line description for humans.
    pub describe: String,
    /// What the cluster must run to serve it.
    pub requires: String,
}

/// A pod-selector peer of an ingress controller.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ControllerPeer {
    /// Namespace of the controller.
    pub namespace: String,
    /// Labels of its pods.
    pub pod_labels: Labels,
}

/// An extra manifest rendered from a template.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManifestSpec {
    /// Template under `templates/`.
    pub template: String,
    /// Output path in the overlay; `{endpoint}` is filled in.
    pub path: String,
}

/// A CIDR in a catalog.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CidrEntry {
    /// The CIDR.
    pub cidr: String,
}

/// Egress every overlay on the cloud needs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FixedEgress {
    /// Destination.
    pub cidr: String,
    /// TCP ports.
    pub ports: Vec<u16>,
    /// Why.
    pub reason: String,
}

/// In-cluster DNS.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
pub struct DnsSpec {
    /// DNS peers: selectors or CIDRs.
    pub peers: Vec<DnsPeer>,
    /// The kube-dns Service IPs of the cloud's default Service ranges: pods send their
    /// queries there, but the Service is translated to the DNS pods before any NetworkPolicy
    /// sees the packet, so an `ipBlock` naming it never matches.
    #[serde(default)]
    pub default_service_ips: Vec<std::net::IpAddr>,
}

/// One DNS peer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsPeer {
    /// Namespace of DNS pods.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Labels of DNS pods.
    #[serde(default)]
    pub pod_labels: Labels,
    /// Or a node-local address.
    #[serde(default)]
    pub cidr: Option<String>,
}

/// A managed Redis offering recognised by its host name's suffix.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedisHost {
    /// The host name's suffix (`.redis.azure.net`).
    pub suffix: String,
    /// Its TLS port.
    pub port: u16,
    /// Its name.
    pub product: String,
}

/// Managed Redis defaults.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedisDefaults {
    /// Port.
    pub port: u16,
    /// TLS.
    pub tls: bool,
}

/// Product names and checklists in the cloud's own terms.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Products {
    /// Managed Postgres.
    pub postgres: String,
    /// Managed Redis.
    pub redis: String,
    /// Object store for audit export.
    pub object_store: String,
    /// Postgres contract items.
    pub postgres_checklist: Vec<String>,
    /// Redis contract items.
    pub redis_checklist: Vec<String>,
    /// Immutable-backup steps (regulated).
    pub immutable_backups: Vec<String>,
}

/// A deployment profile.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Profile {
    /// Id used in answers.
    pub id: String,
    /// Human name.
    pub title: String,
    /// One line on what it means.
    pub summary: String,
    /// `global.mode`.
    pub mode: String,
    /// `global.evaluation` and chart-managed temporary secrets.
    pub evaluation: bool,
    /// Whether secrets come from the cloud's secret manager.
    pub external_secrets: bool,
    /// Fixed replica count (evaluation); None keeps the chart's.
    #[serde(default)]
    pub replicas: Option<u32>,
    /// HPAs on.
    pub autoscaling: bool,
    /// PDBs on.
    pub disruption_budgets: bool,
    /// ServiceMonitor and PrometheusRule on.
    pub monitoring: bool,
    /// Replay volume size.
    pub replay_size: String,
    /// Default audit retention.
    pub audit_retention_days: u32,
    /// Exposures allowed.
    pub exposures: Vec<String>,
    /// Why other exposures are refused.
    #[serde(default)]
    pub exposure_reason: Option<String>,
    /// Default exposure per chart endpoint.
    pub default_endpoints: BTreeMap<String, String>,
    /// Managed Postgres and Redis required.
    pub managed_dependencies: bool,
    /// `dns.mode: open` allowed.
    pub open_dns: bool,
    /// `egress.openHttps` allowed.
    pub open_https: bool,
    /// Default of `egress.openHttps`.
    pub open_https_default: bool,
    /// A component that calls out may reach HTTPS anywhere when its own egress answer
    /// names no CIDRs (#10).
    pub component_https: bool,
    /// Egress to a /0 allowed.
    pub open_cidr: bool,
    /// The chart's NetworkPolicy on. Its rule admitting the Postgres, Redis and OTLP ports to
    /// any address can't be narrowed through values; where it is off, the overlay's
    /// `network/baseline.yaml` carries the same rules with those ports to the named CIDRs only.
    pub chart_network_policy: bool,
    /// `auditExport` required.
    pub require_audit_export: bool,
    /// Identity and provider-API egress required.
    pub require_egress: bool,
}

/// A source of Ingress certificates.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsMode {
    /// Key under `tls` in the answers.
    pub id: String,
    /// Human name.
    pub title: String,
    /// Format of the value.
    pub format: Format,
    /// Annotations per Ingress (`{value}`, `{release}`, `{endpoint}` filled in).
    pub annotations: Labels,
    /// Whether the Ingress gets a TLS Secret name.
    pub tls_secret: bool,
    /// Extra manifests per Ingress.
    #[serde(default)]
    pub manifests: Vec<ManifestSpec>,
    /// One line for humans.
    pub describe: String,
}

/// How a catalog's files are written: YAML in `assets/`, JSON once embedded.
#[derive(Clone, Copy)]
enum Encoding {
    Yaml,
    Json,
}

impl Encoding {
    fn parse<T: serde::de::DeserializeOwned>(self, text: &str) -> Result<T, String> {
        match self {
            Encoding::Yaml => serde_yaml::from_str(text).map_err(|e| e.to_string()),
            Encoding::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        }
    }
}

impl Catalog {
    /// The built-in catalog, from the assets embedded at build time (as JSON, see `build.rs`).
    pub fn builtin() -> Result<Self, CatalogError> {
        Self::load(crate::embedded::CATALOG, Encoding::Json)
    }

    /// Loads a catalog from `(path, YAML)` pairs laid out like `assets/`.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, CatalogError> {
        Self::load(files, Encoding::Yaml)
    }

    fn load(files: &[(&str, &str)], encoding: Encoding) -> Result<Self, CatalogError> {
        let mut clouds = BTreeMap::new();
        let mut profiles = None;
        let mut tls_modes = None;
        let mut components = None;
        for (path, text) in files {
            let malformed = |reason: String| CatalogError::Malformed {
                file: (*path).to_string(),
                reason,
            };
            if let Some(name) = path.strip_prefix("clouds/") {
                let cloud: Cloud = encoding.parse(text).map_err(malformed)?;
                if name.strip_suffix(".yaml") != Some(cloud.id.as_str()) {
                    return Err(CatalogError::Malformed {
                        file: (*path).to_string(),
                        reason: format!("id `{}` does not match the file name", cloud.id),
                    });
                }
                clouds.insert(cloud.id.clone(), cloud);
            } else if *path == "profiles.yaml" {
                profiles = Some(encoding.parse(text).map_err(malformed)?);
            } else if *path == "tls-modes.yaml" {
                tls_modes = Some(encoding.parse(text).map_err(malformed)?);
            } else if *path == "components.yaml" {
                components = Some(encoding.parse(text).map_err(malformed)?);
            }
        }
        let missing = |file: &str| CatalogError::Malformed {
            file: file.to_string(),
            reason: "missing".into(),
        };
        let catalog = Catalog {
            clouds,
            profiles: profiles.ok_or_else(|| missing("profiles.yaml"))?,
            tls_modes: tls_modes.ok_or_else(|| missing("tls-modes.yaml"))?,
            components: components.ok_or_else(|| missing("components.yaml"))?,
        };
        catalog.ensure_consistent()?;
        Ok(catalog)
    }

    /// The cloud with this id.
    pub fn cloud(&self, id: &str) -> Option<&Cloud> {
        self.clouds.get(id)
    }

    /// The profile with this id.
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The Caracal service with this id (`web`).
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.components.iter().find(|c| c.id == id)
    }

    /// The TLS mode with this id.
    pub fn tls_mode(&self, id: &str) -> Option<&TlsMode> {
        self.tls_modes.iter().find(|m| m.id == id)
    }

    /// Ids of all clouds, comma-separated, for messages.
    pub fn cloud_ids(&self) -> String {
        self.clouds.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// Ids of all profiles, comma-separated, for messages.
    pub fn profile_ids(&self) -> String {
        self.profiles
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks that every cross-reference resolves.
    fn ensure_consistent(&self) -> Result<(), CatalogError> {
        let templates: Vec<&str> = crate::embedded::TEMPLATES.iter().map(|(p, _)| *p).collect();
        let dangling = |file: &str, what: &'static str, name: &str| CatalogError::Dangling {
            file: file.to_string(),
            what,
            name: name.to_string(),
        };
        for cloud in self.clouds.values() {
            let file = format!("clouds/{}.yaml", cloud.id);
            if !templates.contains(&cloud.secret_store.template.as_str()) {
                return Err(dangling(&file, "template", &cloud.secret_store.template));
            }
            for (exposure, spec) in &cloud.exposures {
                if !["public", "internal"].contains(&exposure.as_str()) {
                    return Err(dangling(&file, "exposure", exposure));
                }
                for tls in &spec.tls {
                    if self.tls_mode(tls).is_none() {
                        return Err(dangling(&file, "TLS mode", tls));
                    }
                }
                for m in &spec.manifests {
                    if !templates.contains(&m.template.as_str()) {
                        return Err(dangling(&file, "template", &m.template));
                    }
                }
            }
            for mode in cloud.tls_default.keys() {
                if self.tls_mode(mode).is_none() {
                    return Err(dangling(&file, "TLS mode", mode));
                }
            }
            if crate::format::CharClass::parse(&cloud.secret_store.key_pattern).is_none() {
                return Err(dangling(
                    &file,
                    "key pattern",
                    &cloud.secret_store.key_pattern,
                ));
            }
        }
        for mode in &self.tls_modes {
            for m in &mode.manifests {
                if !templates.contains(&m.template.as_str()) {
                    return Err(dangling("tls-modes.yaml", "template", &m.template));
                }
            }
        }
        for p in &self.profiles {
            for e in p.exposures.iter().chain(p.default_endpoints.values()) {
                if !["public", "internal", "disabled"].contains(&e.as_str()) {
                    return Err(dangling("profiles.yaml", "exposure", e));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_cross_references_resolve() {
        let c = Catalog::builtin().expect("builtin catalog");
        assert_eq!(c.cloud_ids(), "aks, eks, gke");
        assert_eq!(
            c.profile_ids(),
            "evaluation, production, private, regulated"
        );
        for cloud in c.clouds.values() {
            assert!(cloud.exposures.contains_key("public"), "{}", cloud.id);
            assert!(cloud.exposures.contains_key("internal"), "{}", cloud.id);
        }
    }

    #[test]
    fn components_are_the_charts_six_services_on_their_endpoint_ports() {
        use crate::answers::Endpoint;
        let c = Catalog::builtin().expect("builtin catalog");
        let ids: Vec<&str> = c
            .components
            .components
            .iter()
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["sts", "api", "gateway", "audit", "coordinator", "web"]
        );
        for e in Endpoint::ALL
            .into_iter()
            .filter(|e| *e != Endpoint::Control)
        {
            let comp = c.component(e.key()).expect("component for endpoint");
            assert_eq!(comp.port, e.port(), "{}", e.key());
            assert_eq!(comp.readiness_path, "/ready");
        }
        // web has no extraVolumes in the chart; the hook Jobs have none either.
        assert!(!c.component("web").unwrap().extra_volumes);
        assert!(c.components.jobs.iter().all(|j| !j.extra_volumes));
    }

    #[test]
    fn the_embedded_json_catalog_is_the_yaml_in_assets() {
        let from_json = Catalog::builtin().expect("JSON catalog");
        let from_yaml = Catalog::from_files(crate::embedded::ASSETS).expect("YAML catalog");
        assert_eq!(format!("{from_json:?}"), format!("{from_yaml:?}"));
        assert_eq!(from_json.clouds.len(), 3);
    }

    #[test]
    fn catalog_rejects_unknown_tls_mode() {
        let mut files: Vec<(&str, String)> = crate::embedded::ASSETS
            .iter()
            .map(|(p, t)| (*p, t.to_string()))
            .collect();
        for (p, t) in &mut files {
            if *p == "clouds/eks.yaml" {
                *t = t.replace("tls: [awsCertificateArn]", "tls: [nope]");
            }
        }
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let err = Catalog::from_files(&refs).unwrap_err();
        assert!(err.to_string().contains("unknown TLS mode `nope`"), "{err}");
    }
}
