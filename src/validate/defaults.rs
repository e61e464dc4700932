//! Defaults: what the profile and the cloud fill into answers the operator left out.
use super::{DEFAULT_REVISION, IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};
use crate::answers::{
    Answers, ChartSource, Dns, DnsMode, EgressEntry, Endpoint, Exposure, IssuerProof, Retention,
    Scalar, SignIn, SignInProvider, DEFAULT_CHART_REF, DEFAULT_CHART_VERSION, VERSION,
};
use crate::catalog::{Cloud, Profile};

/// Fills every default the profile and cloud give.
pub fn complete(answers: &Answers, cloud: &Cloud, profile: &Profile) -> Answers {
    let mut a = answers.clone();
    a.version = Some(VERSION);
    a.release.get_or_insert_with(|| "caracal".into());
    a.namespace.get_or_insert_with(|| "caracal".into());
    fill_endpoints(&mut a, profile);
    fill_tls(&mut a, cloud);
    fill_postgres(&mut a, profile);
    fill_redis(&mut a, cloud, profile);
    a.dns.get_or_insert(Dns {
        mode: DnsMode::Cluster,
        cidr: None,
    });
    fill_egress(&mut a, cloud, profile);
    if profile.external_secrets || !a.secret_store.is_empty() {
        a.secret_store
            .entry("keyPrefix".into())
            .or_insert_with(|| cloud.secret_store.key_prefix.clone());
    }
    a.storage_class
        .get_or_insert_with(|| cloud.storage_class.clone());
    a.retention
        .get_or_insert_with(Retention::default)
        .audit_days
        .get_or_insert(profile.audit_retention_days);
    fill_chart(&mut a);
    fill_gitops(&mut a);
    if !profile.evaluation && a.sign_in.is_none() {
        a.sign_in = Some(SignIn {
            provider: SignInProvider::Github,
            client_id: None,
            from: None,
            smtp: None,
            operators: Vec::new(),
        });
    }
    a
}

/// Whether the answers name managed Postgres/Redis, or the profile needs them.
fn is_managed(host: Option<&String>, profile: &Profile) -> bool {
    profile.managed_dependencies || host.is_some_and(|h| !h.is_empty())
}

/// A host under the domain for each exposable endpoint, and the profile's exposure for
/// each endpoint.
fn fill_endpoints(a: &mut Answers, profile: &Profile) {
    for e in Endpoint::EXPOSABLE {
        if !a.hosts.contains_key(&e) && !a.domain.is_empty() {
            a.hosts
                .insert(e, format!("{}.{}", e.host_label(), a.domain));
        }
    }
    for e in Endpoint::ALL {
        let default = profile
            .default_endpoints
            .get(e.key())
            .and_then(|k| Exposure::from_key(k))
            .unwrap_or(Exposure::Disabled);
        a.endpoints.entry(e).or_insert(default);
    }
}

/// The cloud's certificate source, unless the answers give one.
fn fill_tls(a: &mut Answers, cloud: &Cloud) {
    if !a.tls.is_empty() {
        return;
    }
    for (k, v) in &cloud.tls_default {
        let scalar = match v {
            serde_yaml::Value::Bool(b) => Scalar::Bool(*b),
            serde_yaml::Value::String(s) => Scalar::Str(s.clone()),
            other => Scalar::Str(
                serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ),
        };
        a.tls.insert(k.clone(), scalar);
        // The default issuer (`letsencrypt-prod`) is the usual HTTP-01 one; an answered
        // issuer needs its own answer.
        if k == "clusterIssuer" {
            a.issuer_proof.get_or_insert(IssuerProof::Http01);
        }
    }
}

/// The in-cluster host unless Postgres is managed, and the chart's port, databases and user.
fn fill_postgres(a: &mut Answers, profile: &Profile) {
    let mut pg = a.postgres.take().unwrap_or_default();
    if !is_managed(pg.host.as_ref(), profile) {
        pg.host.get_or_insert_with(|| IN_CLUSTER_POSTGRES.into());
    }
    pg.port.get_or_insert(5432);
    pg.database.get_or_insert_with(|| "caracal".into());
    pg.auth_database
        .get_or_insert_with(|| "caracal_auth".into());
    pg.user.get_or_insert_with(|| "caracal".into());
    a.postgres = Some(pg);
}

/// The in-cluster host unless Redis is managed; TLS and port follow each other, then the
/// cloud's managed Redis.
fn fill_redis(a: &mut Answers, cloud: &Cloud, profile: &Profile) {
    let mut redis = a.redis.take().unwrap_or_default();
    if !is_managed(redis.host.as_ref(), profile) {
        redis.host.get_or_insert_with(|| IN_CLUSTER_REDIS.into());
        redis.tls.get_or_insert(false);
        redis.port.get_or_insert(6379);
    }
    // An offering the host names listens on its own port (Azure Managed Redis: 10000).
    let offering = redis.host.as_deref().and_then(|h| {
        let h = h.to_ascii_lowercase();
        cloud.redis_hosts.iter().find(|o| h.ends_with(&o.suffix))
    });
    if let (Some(o), None, None | Some(true)) = (offering, redis.port, redis.tls) {
        redis.port = Some(u32::from(o.port));
        redis.tls = Some(true);
    }
    match (redis.tls, redis.port) {
        (None, None) => {
            redis.tls = Some(cloud.redis_defaults.tls);
            redis.port = Some(u32::from(cloud.redis_defaults.port));
        }
        (Some(true), None) => redis.port = Some(u32::from(cloud.redis_defaults.port)),
        (Some(false), None) => redis.port = Some(6379),
        (None, Some(port)) => {
            redis.tls = Some(
                cloud.redis_tls_ports.iter().any(|p| u32::from(*p) == port)
                    || cloud.redis_defaults.tls,
            )
        }
        (Some(_), Some(_)) => {}
    }
    redis.database.get_or_insert(0);
    a.redis = Some(redis);
}

/// The cloud's CIDRs for each egress category the answers leave out, and the profile's
/// open-HTTPS default.
fn fill_egress(a: &mut Answers, cloud: &Cloud, profile: &Profile) {
    let mut egress = a.egress.take().unwrap_or_default();
    let defaults = |cat: &str| -> Vec<EgressEntry> {
        cloud
            .default_egress
            .get(cat)
            .map(|v| {
                v.iter()
                    .map(|c| EgressEntry::Cidr(c.cidr.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    egress
        .identity_provider
        .get_or_insert_with(|| defaults("identityProvider"));
    egress
        .object_store
        .get_or_insert_with(|| defaults("objectStore"));
    egress
        .provider_apis
        .get_or_insert_with(|| defaults("providerApis"));
    egress.other.get_or_insert_with(Vec::new);
    egress.open_https.get_or_insert(profile.open_https_default);
    a.egress = Some(egress);
}

/// The published chart, pinned: the answers record the version, so a newer wizard does not
/// move an existing overlay to a newer chart. An older answers file's `chartRepo` revision
/// `v1.2.3` (a release tag of the Caracal repository) is the chart version `1.2.3`.
fn fill_chart(a: &mut Answers) {
    let from_tag = a
        .chart_repo
        .as_ref()
        .and_then(|c| c.revision.as_deref())
        .and_then(|r| r.strip_prefix("refs/tags/").unwrap_or(r).strip_prefix('v'))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string);
    let chart = a.chart.get_or_insert_with(ChartSource::default);
    chart
        .reference
        .get_or_insert_with(|| DEFAULT_CHART_REF.into());
    chart
        .version
        .get_or_insert_with(|| from_tag.unwrap_or_else(|| DEFAULT_CHART_VERSION.into()));
}

/// With `gitops`: the default revision of the overlay's repository.
fn fill_gitops(a: &mut Answers) {
    if a.gitops.is_none() {
        return;
    }
    let repo = a.gitops_repo.get_or_insert_with(Default::default);
    repo.revision.get_or_insert_with(|| DEFAULT_REVISION.into());
}
