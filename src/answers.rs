//! The answers file (version 1): a public interface, read from YAML with `--set` overrides.
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::AnswersError;

mod read;

/// Where Caracal's release workflow publishes the chart (`helm push` to ghcr.io).
pub const DEFAULT_CHART_REF: &str = "oci://ghcr.io/garudex-labs/charts/caracal";
/// The chart version this build's overlays are written for (product version without `v`).
pub const DEFAULT_CHART_VERSION: &str = "1.0.0";

/// The answers-file version this build reads and writes.
pub const VERSION: u32 = 1;

/// A chart endpoint that could be exposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    /// The web console (3002).
    Web,
    /// Token exchange (8080).
    Sts,
    /// Protected-resource proxy (8081).
    Gateway,
    /// Admin API (3000).
    Api,
    /// Audit (no ingress template).
    Audit,
    /// Coordinator (no ingress template).
    Coordinator,
    /// In-process control plane (no ingress template).
    Control,
}

impl Endpoint {
    /// All endpoints, in display order.
    pub const ALL: [Endpoint; 7] = [
        Endpoint::Web,
        Endpoint::Sts,
        Endpoint::Gateway,
        Endpoint::Api,
        Endpoint::Audit,
        Endpoint::Coordinator,
        Endpoint::Control,
    ];
    /// The endpoints the chart has Ingress templates for.
    pub const EXPOSABLE: [Endpoint; 4] = [
        Endpoint::Web,
        Endpoint::Sts,
        Endpoint::Gateway,
        Endpoint::Api,
    ];

    /// Key used in answers and chart values.
    pub fn key(self) -> &'static str {
        match self {
            Endpoint::Web => "web",
            Endpoint::Sts => "sts",
            Endpoint::Gateway => "gateway",
            Endpoint::Api => "api",
            Endpoint::Audit => "audit",
            Endpoint::Coordinator => "coordinator",
            Endpoint::Control => "control",
        }
    }

    /// Default host label under the domain.
    pub fn host_label(self) -> &'static str {
        match self {
            Endpoint::Web => "console",
            other => other.key(),
        }
    }

    /// Container port the chart's Service targets.
    pub fn port(self) -> u16 {
        match self {
            Endpoint::Web => 3002,
            Endpoint::Sts => 8080,
            Endpoint::Gateway => 8081,
            Endpoint::Api => 3000,
            Endpoint::Audit => 9090,
            Endpoint::Coordinator => 4000,
            Endpoint::Control => 3000,
        }
    }

    /// Human name.
    pub fn title(self) -> &'static str {
        match self {
            Endpoint::Web => "Web console",
            Endpoint::Sts => "STS",
            Endpoint::Gateway => "Gateway",
            Endpoint::Api => "Admin API",
            Endpoint::Audit => "Audit",
            Endpoint::Coordinator => "Coordinator",
            Endpoint::Control => "Control plane",
        }
    }

    /// Whether the chart has an Ingress template for it.
    pub fn is_exposable(self) -> bool {
        Self::EXPOSABLE.contains(&self)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How an endpoint is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    /// Through a public load balancer.
    Public,
    /// Through an internal load balancer.
    Internal,
    /// No Ingress.
    Disabled,
}

impl Exposure {
    /// All exposures.
    pub const ALL: [Exposure; 3] = [Exposure::Public, Exposure::Internal, Exposure::Disabled];

    /// Key in answers.
    pub fn key(self) -> &'static str {
        match self {
            Exposure::Public => "public",
            Exposure::Internal => "internal",
            Exposure::Disabled => "disabled",
        }
    }

    /// Parses a key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == key)
    }
}

impl GitOps {
    /// Key in answers.
    pub fn key(self) -> &'static str {
        match self {
            GitOps::Argocd => "argocd",
            GitOps::Flux => "flux",
        }
    }
}

impl fmt::Display for Exposure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A scalar answer value whose format the catalog decides (string or bool).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    /// `true`/`false`.
    Bool(bool),
    /// A string.
    Str(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Str(s) => f.write_str(s),
        }
    }
}

/// Managed (or in-cluster) Postgres.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Postgres {
    /// Host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// CIDR holding the server (egress).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// Database name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Auth (console sessions) database name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_database: Option<String>,
    /// Migration (administrative) role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Managed (or in-cluster) Redis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Redis {
    /// Host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// CIDR holding the server (egress).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// TLS (`rediss://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<bool>,
    /// Database index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<u32>,
}

/// A ConfigMap, created by the operator, holding the CA certificates of the managed Postgres
/// and Redis (key `ca.crt`), mounted into every service that can mount it (#10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaBundle {
    /// The ConfigMap's name, in the release namespace.
    pub config_map: String,
}

/// The file name of the CA bundle inside its ConfigMap and mount.
pub const CA_BUNDLE_KEY: &str = "ca.crt";

/// How a cert-manager issuer proves that it controls the domain (#10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssuerProof {
    /// ACME HTTP-01: the solver answers on the load balancer's port 80.
    Http01,
    /// ACME DNS-01: a TXT record in the zone.
    Dns01,
    /// A private CA (no public challenge).
    Ca,
}

impl IssuerProof {
    /// Key in answers.
    pub fn key(self) -> &'static str {
        match self {
            IssuerProof::Http01 => "http01",
            IssuerProof::Dns01 => "dns01",
            IssuerProof::Ca => "ca",
        }
    }
}

/// How DNS egress is admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DnsMode {
    /// The cloud's kube-dns peers.
    Cluster,
    /// A CIDR given in `dns.cidr`.
    Cidr,
    /// Any destination on port 53 (evaluation only).
    Open,
}

/// DNS egress.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dns {
    /// Mode.
    pub mode: DnsMode,
    /// CIDR for `mode: cidr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
}

/// Who sends ingress traffic to the pods.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressController {
    /// Namespace of the controller pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels of the controller pods.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_labels: BTreeMap<String, String>,
    /// Or source CIDRs (load balancers that send from VPC addresses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidrs: Vec<String>,
    /// Ingress class of your own controller for public endpoints (instead of the cloud's load balancer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Ingress class of your own controller for internal endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_class_name: Option<String>,
}

/// One egress destination: a CIDR on 443, or a CIDR with ports.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum EgressEntry {
    /// `10.0.0.0/16` (port 443).
    Cidr(String),
    /// `{cidr, ports}`.
    Rule {
        /// Destination.
        cidr: String,
        /// TCP ports.
        ports: Vec<u32>,
    },
}

impl EgressEntry {
    /// The CIDR.
    pub fn cidr(&self) -> &str {
        match self {
            EgressEntry::Cidr(c) | EgressEntry::Rule { cidr: c, .. } => c,
        }
    }

    /// The ports (443 when not given).
    pub fn ports(&self) -> Vec<u32> {
        match self {
            EgressEntry::Cidr(_) => vec![443],
            EgressEntry::Rule { ports, .. } => ports.clone(),
        }
    }
}

/// Egress the operator allows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Egress {
    /// Token endpoints of the cloud identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<Vec<EgressEntry>>,
    /// Object store for audit export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_store: Option<Vec<EgressEntry>>,
    /// Secret manager and other provider APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_apis: Option<Vec<EgressEntry>>,
    /// Anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Vec<EgressEntry>>,
    /// The console's sign-in provider (GitHub or Google OAuth), for web only (#10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<Vec<EgressEntry>>,
    /// The upstream resources the Gateway forwards to, for gateway only (#10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstreams: Option<Vec<EgressEntry>>,
    /// Provider token endpoints and federated issuers' JWKS, for api and sts only (#10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Vec<EgressEntry>>,
    /// HTTPS to anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_https: Option<bool>,
    /// Host names the STS and the API may reach on private addresses (10/8, 172.16/12,
    /// 192.168/16, 100.64/10, fc00::/7), written to both as `CARACAL_PRIVATE_EGRESS_HOSTS`
    /// (#10). Caracal matches them exactly: lower-case DNS names, no ports, no wildcards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_hosts: Option<Vec<String>>,
}

impl Egress {
    /// The categories, in order, with their keys.
    pub fn categories(&self) -> [(&'static str, &[EgressEntry]); 4] {
        fn get(v: &Option<Vec<EgressEntry>>) -> &[EgressEntry] {
            v.as_deref().unwrap_or(&[])
        }
        [
            ("identityProvider", get(&self.identity_provider)),
            ("objectStore", get(&self.object_store)),
            ("providerApis", get(&self.provider_apis)),
            ("other", get(&self.other)),
        ]
    }

    /// `privateHosts`, sorted and without repeats (Caracal compares them as a set).
    pub fn named_private_hosts(&self) -> Vec<&str> {
        let hosts: std::collections::BTreeSet<&str> = self
            .private_hosts
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        hosts.into_iter().collect()
    }

    /// The per-component lists (#10) by key: `signIn`, `upstreams`, `providers`; `None` when
    /// not answered, so a profile default can apply.
    pub fn component_list(&self, key: &str) -> Option<&[EgressEntry]> {
        match key {
            "signIn" => self.sign_in.as_deref(),
            "upstreams" => self.upstreams.as_deref(),
            "providers" => self.providers.as_deref(),
            "objectStore" => self.object_store.as_deref(),
            _ => None,
        }
    }
}

/// OpenTelemetry export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Monitoring {
    /// OTLP endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otlp_endpoint: Option<String>,
    /// Namespace of the Prometheus that scrapes (default `monitoring`) (#10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scraper_namespace: Option<String>,
    /// Labels the Prometheus selects ServiceMonitors by (default
    /// `release: kube-prometheus-stack`) (#10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_monitor_labels: Option<BTreeMap<String, String>>,
}

/// The scraper's namespace when not answered.
pub const DEFAULT_SCRAPER_NAMESPACE: &str = "monitoring";

impl Monitoring {
    /// The scraper's namespace, defaulted.
    pub fn scraper_namespace(&self) -> &str {
        self.scraper_namespace
            .as_deref()
            .unwrap_or(DEFAULT_SCRAPER_NAMESPACE)
    }

    /// The ServiceMonitor selector labels, defaulted to kube-prometheus-stack's.
    pub fn service_monitor_labels(&self) -> BTreeMap<String, String> {
        self.service_monitor_labels.clone().unwrap_or_else(|| {
            BTreeMap::from([("release".to_string(), "kube-prometheus-stack".to_string())])
        })
    }
}

/// S3-compatible audit export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditExport {
    /// Endpoint URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Retention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retention {
    /// Audit retention in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_days: Option<u32>,
}

/// How operators sign in to the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignInProvider {
    /// GitHub OAuth app.
    Github,
    /// Google OAuth client.
    Google,
    /// Email with an SMTP transport.
    Smtp,
}

/// Console sign-in method.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignIn {
    /// Provider.
    pub provider: SignInProvider,
    /// OAuth client id (not secret); read from the secret manager when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Sender for SMTP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The SMTP relay the URL names, for the web tier's egress (#10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<SmtpRelay>,
    /// Who may register: e-mail addresses or `@domain` suffixes (#10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operators: Vec<String>,
}

/// Where the SMTP relay listens (its URL, with credentials, stays in the secret manager).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SmtpRelay {
    /// The relay's CIDR.
    pub cidr: String,
    /// Its port (587 unless answered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
}

impl SmtpRelay {
    /// The port, defaulted to submission (587).
    pub fn port(&self) -> u32 {
        self.port.unwrap_or(587)
    }
}

/// A GitOps controller to hand the overlay to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitOps {
    /// Argo CD Application.
    Argocd,
    /// Flux HelmRelease.
    Flux,
}

/// A Git source: repository URL, a directory in it, and a revision (#5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GitSource {
    /// Repository URL (`https://…` or `ssh://…`/`git@host:org/repo.git`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Directory inside the repository, relative to its root (`.` for the root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Branch, tag or commit (default `main`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// The published Caracal chart to install: an OCI reference and a pinned version (#12).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartSource {
    /// OCI reference (`oci://ghcr.io/garudex-labs/charts/caracal`).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Chart version, the product version without `v` (`1.0.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Everything the operator answered. Optional keys take profile or cloud defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Answers {
    /// Answers-file version (absent means the current one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// Cloud id.
    #[serde(default)]
    pub cloud: String,
    /// Profile id.
    #[serde(default)]
    pub profile: String,
    /// Helm release name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Base domain.
    #[serde(default)]
    pub domain: String,
    /// Host overrides per endpoint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hosts: BTreeMap<Endpoint, String>,
    /// Exposure per endpoint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub endpoints: BTreeMap<Endpoint, Exposure>,
    /// TLS source: one of the cloud's TLS modes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tls: BTreeMap<String, Scalar>,
    /// How the cert-manager issuer proves the domain (with `tls.clusterIssuer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_proof: Option<IssuerProof>,
    /// Postgres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<Postgres>,
    /// Redis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<Redis>,
    /// The managed data services' CA certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<CaBundle>,
    /// DNS egress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<Dns>,
    /// Who sends ingress traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_controller: Option<IngressController>,
    /// Allowed egress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Egress>,
    /// Cloud identity (one key, per cloud).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub identity: BTreeMap<String, String>,
    /// Secret store fields (per cloud) and `keyPrefix`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secret_store: BTreeMap<String, String>,
    /// Storage class for replay volumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    /// OpenTelemetry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<Monitoring>,
    /// Audit export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_export: Option<AuditExport>,
    /// Retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Retention>,
    /// Console sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<SignIn>,
    /// GitOps hand-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitops: Option<GitOps>,
    /// Where this overlay is committed, for `gitops` (#5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitops_repo: Option<GitSource>,
    /// The published chart every install uses (#12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<ChartSource>,
    /// Superseded by `chart` (#12): a Git checkout of the chart, still read from older
    /// answers files; a `v`-tag revision becomes `chart.version`, the rest is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_repo: Option<GitSource>,
    /// Digests of the files the wizard last wrote (written by the wizard).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub digests: BTreeMap<String, String>,
}

impl Answers {
    /// Parses an answers file, applies `--set key.path=value` overrides, and types it.
    ///
    /// `source_name` names the input in messages.
    pub fn parse(source_name: &str, text: &str, sets: &[String]) -> Result<Self, AnswersError> {
        // Editors on Windows may start the file with a byte-order mark; it is not content.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut doc: serde_yaml::Value = if text.trim().is_empty() {
            serde_yaml::Value::Mapping(Default::default())
        } else {
            crate::manifest::parse_yaml(text).map_err(|e| AnswersError::Parse {
                source_name: source_name.to_string(),
                path: String::new(),
                reason: match e {
                    crate::manifest::YamlError::TooDeep(deep) => deep.to_string(),
                    syntax => format!("not valid YAML: {syntax}"),
                },
            })?
        };
        if !doc.is_mapping() {
            return Err(AnswersError::Parse {
                source_name: source_name.to_string(),
                path: String::new(),
                reason: "expected a mapping of answers such as `cloud: eks`".into(),
            });
        }
        for set in sets {
            apply_set(&mut doc, set)?;
        }
        Self::from_value(source_name, doc)
    }

    /// Types a YAML document of answers, reporting every problem in it at once.
    pub fn from_value(source_name: &str, doc: serde_yaml::Value) -> Result<Self, AnswersError> {
        read::type_answers(doc).map_err(|problems| {
            let (path, reason) = match problems.as_slice() {
                [one] if one.path.is_empty() => (String::new(), one.message.clone()),
                [one] => (format!("`{}`: ", one.path), one.message.clone()),
                many => {
                    let list: Vec<String> = many.iter().map(|p| format!("\n  - {p}")).collect();
                    (
                        String::new(),
                        format!("{} problems:{}", many.len(), list.concat()),
                    )
                }
            };
            AnswersError::Parse {
                source_name: source_name.to_string(),
                path,
                reason,
            }
        })
    }

    /// The built-in example answers `examples/<name>.yaml` (fictional), if there is one.
    pub fn builtin_example(name: &str) -> Option<Self> {
        let path = format!("examples/{name}.yaml");
        Self::builtin_examples()
            .find(|(p, _)| *p == path)
            .map(|(_, a)| a)
    }

    /// Every built-in example, with its path under `assets/` (parsed once per process: the
    /// wizard's preview reads them on every change while answers are missing).
    pub fn builtin_examples() -> impl Iterator<Item = (&'static str, Self)> {
        static EXAMPLES: std::sync::OnceLock<Vec<(&'static str, Answers)>> =
            std::sync::OnceLock::new();
        EXAMPLES
            .get_or_init(|| {
                crate::embedded::ASSETS
                    .iter()
                    .filter(|(p, _)| p.starts_with("examples/"))
                    .filter_map(|(p, t)| Self::parse(p, t, &[]).ok().map(|a| (*p, a)))
                    .collect()
            })
            .iter()
            .cloned()
    }

    /// Serializes as YAML.
    pub fn to_yaml(&self) -> String {
        crate::manifest::to_yaml(self).unwrap_or_default()
    }

    /// Release name, defaulted.
    pub fn release(&self) -> &str {
        self.release.as_deref().unwrap_or("caracal")
    }

    /// Namespace, defaulted.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("caracal")
    }

    /// The chart's OCI reference, defaulted to the published chart.
    pub fn chart_ref(&self) -> &str {
        self.chart
            .as_ref()
            .and_then(|c| c.reference.as_deref())
            .unwrap_or(DEFAULT_CHART_REF)
    }

    /// The chart's pinned version, defaulted to the version this build was written for.
    pub fn chart_version(&self) -> &str {
        self.chart
            .as_ref()
            .and_then(|c| c.version.as_deref())
            .unwrap_or(DEFAULT_CHART_VERSION)
    }
}

/// Applies one `key.path=value` like helm's `--set`: the value is read as YAML
/// (so `true`, `5432` and `[a, b]` are typed), `{a,b}` is a list, and missing
/// maps are created.
pub fn apply_set(doc: &mut serde_yaml::Value, set: &str) -> Result<(), AnswersError> {
    let err = |reason: &str| AnswersError::Set {
        arg: set.to_string(),
        reason: reason.to_string(),
    };
    let (path, raw) = set
        .split_once('=')
        .ok_or_else(|| err("expected key.path=value, e.g. `--set endpoints.api=internal`"))?;
    let keys: Vec<&str> = path.split('.').collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Err(err("the key path has an empty segment"));
    }
    // Nothing nests that deep; a deeper path or value would only cost time and stack (#11).
    let max = crate::manifest::depth::MAX_NESTING;
    if keys.len() > max || crate::manifest::depth::ensure_shallow(raw).is_err() {
        return Err(err(&format!(
            "nested more than {max} levels deep; no answer is, give the value it should have"
        )));
    }
    let value = parse_set_value(raw);
    let mut cur = doc;
    for (i, key) in keys.iter().enumerate() {
        let map = match cur {
            serde_yaml::Value::Mapping(m) => m,
            serde_yaml::Value::Null => {
                *cur = serde_yaml::Value::Mapping(Default::default());
                match cur {
                    serde_yaml::Value::Mapping(m) => m,
                    _ => unreachable!("just set"),
                }
            }
            _ => {
                return Err(err(&format!(
                    "`{}` is not a mapping, so `{key}` can't be set under it",
                    keys[..i].join(".")
                )))
            }
        };
        let k = serde_yaml::Value::String((*key).to_string());
        if i == keys.len() - 1 {
            map.insert(k, value);
            return Ok(());
        }
        cur = map.entry(k).or_insert(serde_yaml::Value::Null);
    }
    Ok(())
}

fn parse_set_value(raw: &str) -> serde_yaml::Value {
    if let Some(inner) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        // `{a,b}` is a list, like helm's; a YAML flow mapping has `key: value` (and IPv6
        // CIDRs such as `fd00::/8` have colons but never a colon and a space).
        if !inner.contains(": ") {
            return serde_yaml::Value::Sequence(
                inner
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| parse_set_value(s.trim()))
                    .collect(),
            );
        }
    }
    match serde_yaml::from_str::<serde_yaml::Value>(raw) {
        Ok(
            v @ (serde_yaml::Value::Bool(_)
            | serde_yaml::Value::Number(_)
            | serde_yaml::Value::Sequence(_)
            | serde_yaml::Value::Mapping(_)),
        ) => v,
        Ok(serde_yaml::Value::Null) if raw == "null" => serde_yaml::Value::Null,
        _ => serde_yaml::Value::String(raw.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_example_parses_and_builds() {
        let files = crate::embedded::ASSETS
            .iter()
            .filter(|(p, _)| p.starts_with("examples/"))
            .count();
        let examples: Vec<_> = Answers::builtin_examples().collect();
        assert_eq!(examples.len(), files, "an example failed to parse");
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let templates = crate::render::Templates::builtin().unwrap();
        for (path, a) in examples {
            crate::build(&a, &catalog, &templates).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }

    #[test]
    fn parse_reads_the_documented_keys() {
        let a = Answers::parse(
            "a.yaml",
            "version: 1\ncloud: eks\nprofile: production\ndomain: caracal.example.com\nendpoints: {web: public, api: disabled}\negress: {other: [10.0.0.0/8, {cidr: 10.1.0.0/16, ports: [8443]}]}\n",
            &[],
        )
        .unwrap();
        assert_eq!(a.cloud, "eks");
        assert_eq!(a.endpoints[&Endpoint::Web], Exposure::Public);
        let other = a.egress.unwrap().other.unwrap();
        assert_eq!(other[1].ports(), vec![8443]);
        assert_eq!(other[0].ports(), vec![443]);
    }

    #[test]
    fn parse_names_the_key_of_a_bad_value() {
        let err = Answers::parse("a.yaml", "endpoints: {web: off}\n", &[]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`endpoints.web`"), "{msg}");
        assert!(msg.contains("disabled"), "{msg}");
        let err = Answers::parse("a.yaml", "clod: eks\n", &[]).unwrap_err();
        assert!(err.to_string().contains("unknown key `clod`"), "{err}");
    }

    #[test]
    fn set_overrides_and_creates_paths() {
        let a = Answers::parse(
            "a.yaml",
            "cloud: eks\nendpoints: {web: public}\n",
            &[
                "cloud=gke".into(),
                "endpoints.web=internal".into(),
                "redis.port=6380".into(),
                "redis.tls=true".into(),
                "ingressController.cidrs={10.0.0.0/16,10.1.0.0/16}".into(),
            ],
        )
        .unwrap();
        assert_eq!(a.cloud, "gke");
        assert_eq!(a.endpoints[&Endpoint::Web], Exposure::Internal);
        let r = a.redis.unwrap();
        assert_eq!((r.port, r.tls), (Some(6380), Some(true)));
        assert_eq!(a.ingress_controller.unwrap().cidrs.len(), 2);
    }

    #[test]
    fn set_rejects_malformed_arguments() {
        assert!(Answers::parse("a", "", &["cloud".into()]).is_err());
        assert!(Answers::parse("a", "cloud: eks", &["cloud.x=1".into()]).is_err());
        assert!(Answers::parse("a", "", &["a..b=1".into()]).is_err());
    }
}
