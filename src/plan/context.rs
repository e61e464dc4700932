//! The planning context: validated answers with their cloud, profile and defaults, built once.
use crate::answers::{Answers, Dns, DnsMode, Egress, Endpoint, Exposure, Postgres, Redis};
use crate::catalog::{Catalog, Cloud, Components, ExposureSpec, Labels, Profile, TlsMode};
use crate::error::{Problem, Problems};
use crate::validate::{self, IN_CLUSTER_POSTGRES};

use super::placeholders::Vars;

/// What every per-concern planner reads: answers after validation, plus the defaults they imply.
pub(super) struct Context {
    /// Complete, validated answers.
    pub answers: Answers,
    /// The chosen cloud.
    pub cloud: Cloud,
    /// The chosen profile.
    pub profile: Profile,
    /// What each workload is at runtime.
    pub components: Components,
    /// The Helm release.
    pub release: String,
    /// The release's namespace.
    pub namespace: String,
    /// Postgres answers (empty when not asked).
    pub pg: Postgres,
    /// Postgres host.
    pub pg_host: String,
    /// Postgres port (5432 unless answered).
    pub pg_port: u32,
    /// Whether Postgres runs in the cluster (no TLS).
    pub in_cluster_pg: bool,
    /// Redis answers (empty when not asked).
    pub redis: Redis,
    /// Redis port (6379 unless answered).
    pub redis_port: u32,
    /// Egress answers.
    pub egress: Egress,
    /// DNS egress (the cluster resolver unless answered).
    pub dns: Dns,
    /// The TLS mode, if one was chosen.
    pub tls_mode: Option<TlsMode>,
    /// The TLS mode's answer (issuer, certificate ARN, …).
    pub tls_value: String,
    /// Workload identity annotations on the chart's (and the store's) ServiceAccount.
    pub sa_annotations: Labels,
    /// Workload identity labels on every pod.
    pub identity_pod_labels: Labels,
}

impl Context {
    /// Resolves the cloud, profile and TLS mode of validated answers and fills defaults.
    pub fn new(answers: Answers, catalog: &Catalog) -> Result<Self, Problems> {
        let unknown = |field: &str| Problems(vec![Problem::new(field, "unknown")]);
        let cloud = catalog.cloud(&answers.cloud).cloned();
        let cloud = cloud.ok_or_else(|| unknown("cloud"))?;
        let profile = catalog.profile(&answers.profile).cloned();
        let profile = profile.ok_or_else(|| unknown("profile"))?;
        let pg = answers.postgres.clone().unwrap_or_default();
        let redis = answers.redis.clone().unwrap_or_default();
        let pg_host = pg.host.clone().unwrap_or_default();
        let (tls_id, tls_value) = answers
            .tls
            .iter()
            .next()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .unwrap_or_default();
        let (sa_annotations, identity_pod_labels) = identity(&answers, &cloud);
        Ok(Self {
            release: answers.release().to_string(),
            namespace: answers.namespace().to_string(),
            pg_port: pg.port.unwrap_or(5432),
            in_cluster_pg: pg_host == IN_CLUSTER_POSTGRES,
            redis_port: redis.port.unwrap_or(6379),
            egress: answers.egress.clone().unwrap_or_default(),
            dns: answers.dns.clone().unwrap_or(Dns {
                mode: DnsMode::Cluster,
                cidr: None,
            }),
            tls_mode: catalog.tls_mode(&tls_id).cloned(),
            tls_value,
            sa_annotations,
            identity_pod_labels,
            components: catalog.components.clone(),
            pg,
            pg_host,
            redis,
            answers,
            cloud,
            profile,
        })
    }

    /// The release and namespace as placeholders; planners add the rest.
    pub fn vars(&self) -> Vars<'_> {
        Vars {
            release: Some(&self.release),
            namespace: Some(&self.namespace),
            ..Vars::default()
        }
    }

    /// How exposure `x` is served on this cloud, with the operator's own controller applied.
    pub fn exposure(&self, x: Exposure) -> Option<ExposureSpec> {
        validate::effective_exposure(&self.cloud, &self.answers, x)
    }

    /// How endpoint `e` is exposed (disabled unless answered).
    pub fn exposure_of(&self, e: Endpoint) -> Exposure {
        let x = self.answers.endpoints.get(&e).copied();
        x.unwrap_or(Exposure::Disabled)
    }

    /// The host answered for endpoint `e` (empty if none).
    pub fn host(&self, e: Endpoint) -> String {
        self.answers.hosts.get(&e).cloned().unwrap_or_default()
    }
}

/// Workload identity: the ServiceAccount annotation and pod labels, when the answer is given.
fn identity(a: &Answers, cloud: &Cloud) -> (Labels, Labels) {
    let mut sa_annotations = Labels::new();
    let mut pod_labels = Labels::new();
    if let Some(v) = a.identity.get(&cloud.identity.field) {
        sa_annotations.insert(cloud.identity.annotation.clone(), v.clone());
        pod_labels.extend(cloud.identity.pod_labels.clone());
    }
    (sa_annotations, pod_labels)
}
