//! Fills profile and cloud defaults into answers and checks them against the
//! formats, cross-field rules, the chart's guardrails and the profile's rules.
//!
//! Every problem is collected, so the operator sees them all at once.
use std::collections::{BTreeMap, BTreeSet};

use crate::answers::{
    Answers, Dns, DnsMode, Egress, EgressEntry, Endpoint, Exposure, Postgres, Redis, Retention,
    Scalar, SignIn, SignInProvider, VERSION,
};
use crate::catalog::{Catalog, Cloud, ExposureSpec, Profile};
use crate::error::{Problem, Problems};
use crate::format::{self, CharClass, Format};

/// The chart's in-cluster Postgres default, refused by its stable guardrail.
pub const IN_CLUSTER_POSTGRES: &str = "postgres.default.svc.cluster.local";
/// The chart's in-cluster Redis default, refused by its stable guardrail.
pub const IN_CLUSTER_REDIS: &str = "redis.default.svc.cluster.local";

/// Where GitOps controllers read the Caracal chart unless `chartRepo` says otherwise.
pub const DEFAULT_CHART_REPO: &str = "https://github.com/Garudex-Labs/caracal.git";
/// The chart's directory in [`DEFAULT_CHART_REPO`].
pub const DEFAULT_CHART_PATH: &str = "infra/helm/caracal";
/// Default Git revision of `gitopsRepo` and `chartRepo`.
pub const DEFAULT_REVISION: &str = "main";

/// Answers with every default filled in and every rule checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Complete answers.
    pub answers: Answers,
    /// Non-fatal findings worth telling the operator.
    pub warnings: Vec<Problem>,
}

/// Completes and validates `answers`; returns every problem at once on failure.
pub fn check(answers: &Answers, catalog: &Catalog) -> Result<Checked, Problems> {
    check_with_warnings(answers, catalog).0
}

/// [`check`], plus the warnings found even while problems remain: the wizard shows them
/// under their questions as the operator goes, not only once everything is answered.
pub fn check_with_warnings(
    answers: &Answers,
    catalog: &Catalog,
) -> (Result<Checked, Problems>, Vec<Problem>) {
    let mut problems = Vec::new();
    match answers.version {
        None | Some(VERSION) => {}
        Some(v) if v < VERSION => problems.push(Problem::new(
            "version",
            format!("answers version {v} is older than {VERSION}; upgrade it with `caracal-wizard migrate`"),
        )),
        Some(v) => problems.push(Problem::new(
            "version",
            format!("answers version {v} is newer than this caracal-wizard understands ({VERSION}); upgrade caracal-wizard"),
        )),
    }
    let cloud = if answers.cloud.is_empty() {
        problems.push(Problem::new(
            "cloud",
            format!("missing; choose one of: {}", catalog.cloud_ids()),
        ));
        None
    } else {
        let c = catalog.cloud(&answers.cloud);
        if c.is_none() {
            problems.push(Problem::new(
                "cloud",
                format!(
                    "`{}` is not a supported cloud; choose one of: {}",
                    answers.cloud,
                    catalog.cloud_ids()
                ),
            ));
        }
        c
    };
    let profile = if answers.profile.is_empty() {
        problems.push(Problem::new(
            "profile",
            format!("missing; choose one of: {}", catalog.profile_ids()),
        ));
        None
    } else {
        let p = catalog.profile(&answers.profile);
        if p.is_none() {
            problems.push(Problem::new(
                "profile",
                format!(
                    "`{}` is not a profile; choose one of: {}",
                    answers.profile,
                    catalog.profile_ids()
                ),
            ));
        }
        p
    };
    if answers.domain.is_empty() {
        problems.push(Problem::new(
            "domain",
            "missing; give the DNS domain the endpoints live under, e.g. `caracal.example.com`",
        ));
    }
    let (Some(cloud), Some(profile)) = (cloud, profile) else {
        return (Err(Problems(problems)), Vec::new());
    };
    let complete = complete(answers, cloud, profile);
    let mut v = Validator {
        a: &complete,
        cloud,
        profile,
        catalog,
        problems,
        warnings: Vec::new(),
    };
    v.run();
    let warnings = v.warnings;
    if v.problems.is_empty() {
        let checked = Checked {
            answers: complete,
            warnings: warnings.clone(),
        };
        (Ok(checked), warnings)
    } else {
        let mut p = v.problems;
        p.dedup();
        (Err(Problems(p)), warnings)
    }
}

/// How endpoints of exposure `x` are served: the cloud's load balancer, or the
/// operator's own controller when `ingressController.className` (public) or
/// `internalClassName` (internal) names its class.
pub fn effective_exposure(cloud: &Cloud, a: &Answers, x: Exposure) -> Option<ExposureSpec> {
    let own = a.ingress_controller.as_ref().and_then(|ic| match x {
        Exposure::Public => ic.class_name.clone(),
        Exposure::Internal => ic.internal_class_name.clone(),
        Exposure::Disabled => None,
    });
    match own {
        Some(class) => Some(ExposureSpec {
            describe: format!("your ingress controller (class `{class}`)"),
            requires: format!("your ingress controller serving IngressClass `{class}`"),
            class_name: class,
            annotations: Default::default(),
            admit: Vec::new(),
            default_controller: None,
            controller_hint: Some("give `ingressController.namespace` and `podLabels` of your controller's pods (or `cidrs`)".into()),
            tls: vec!["clusterIssuer".into()],
            manifests: Vec::new(),
        }),
        None => cloud.exposures.get(x.key()).cloned(),
    }
}

/// Whether the answers name managed Postgres/Redis, or the profile needs them.
fn is_managed(host: Option<&String>, profile: &Profile) -> bool {
    profile.managed_dependencies || host.is_some_and(|h| !h.is_empty())
}

/// Fills every default the profile and cloud give.
pub fn complete(answers: &Answers, cloud: &Cloud, profile: &Profile) -> Answers {
    let mut a = answers.clone();
    a.version = Some(VERSION);
    a.release.get_or_insert_with(|| "caracal".into());
    a.namespace.get_or_insert_with(|| "caracal".into());
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
    if a.tls.is_empty() {
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
        }
    }
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
    let mut redis = a.redis.take().unwrap_or_default();
    if !is_managed(redis.host.as_ref(), profile) {
        redis.host.get_or_insert_with(|| IN_CLUSTER_REDIS.into());
        redis.tls.get_or_insert(false);
        redis.port.get_or_insert(6379);
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
    a.dns.get_or_insert(Dns {
        mode: DnsMode::Cluster,
        cidr: None,
    });
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
    if a.gitops.is_some() {
        let repo = a.gitops_repo.get_or_insert_with(Default::default);
        repo.revision.get_or_insert_with(|| DEFAULT_REVISION.into());
        let chart = a.chart_repo.get_or_insert_with(Default::default);
        chart.url.get_or_insert_with(|| DEFAULT_CHART_REPO.into());
        chart.path.get_or_insert_with(|| DEFAULT_CHART_PATH.into());
        chart
            .revision
            .get_or_insert_with(|| DEFAULT_REVISION.into());
    }
    if !profile.evaluation && a.sign_in.is_none() {
        a.sign_in = Some(SignIn {
            provider: SignInProvider::Github,
            client_id: None,
            from: None,
        });
    }
    a
}

struct Validator<'a> {
    a: &'a Answers,
    cloud: &'a Cloud,
    profile: &'a Profile,
    catalog: &'a Catalog,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Validator<'_> {
    fn err(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.problems.push(Problem::new(path, msg));
    }

    fn warn(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.warnings.push(Problem::new(path, msg));
    }

    fn ensure(&mut self, path: &str, format: Format, value: &str) {
        if let Err(e) = format.ensure(value) {
            self.err(path, e);
        }
    }

    fn run(&mut self) {
        self.names();
        self.endpoints();
        self.tls();
        self.postgres();
        self.redis();
        self.dns();
        self.ingress_controller();
        self.egress();
        self.identity();
        self.secret_store();
        self.observability();
        self.audit();
        self.sign_in();
        self.gitops();
    }

    fn gitops(&mut self) {
        let Some(tool) = self.a.gitops else {
            for (key, set) in [
                ("gitopsRepo", self.a.gitops_repo.is_some()),
                ("chartRepo", self.a.chart_repo.is_some()),
            ] {
                if set {
                    self.warn(
                        key,
                        "only used with `gitops: argocd` or `gitops: flux`; ignored",
                    );
                }
            }
            return;
        };
        if self.profile.evaluation {
            self.err("gitops", format!("a GitOps controller reads everything from Git, but an evaluation's secrets stay in the git-ignored secrets.local.yaml; remove `gitops` or use the production profile (tool: {})", tool.key()));
        }
        let repo = self.a.gitops_repo.clone().unwrap_or_default();
        match &repo.url {
            Some(u) => self.git_url("gitopsRepo.url", u),
            None if tool == crate::answers::GitOps::Argocd => self.err("gitopsRepo.url", "required with `gitops: argocd`: the Git URL of the repository this overlay is committed to, e.g. `https://github.com/acme/fleet.git`"),
            None => {}
        }
        match &repo.path {
            Some(p) => self.git_path("gitopsRepo.path", p),
            None => self.err("gitopsRepo.path", "required with `gitops`: this overlay's directory inside its repository, e.g. `clusters/prod/caracal` (`new` fills it in when --out is inside a Git work tree)"),
        }
        let chart = self.a.chart_repo.clone().unwrap_or_default();
        if let Some(u) = &chart.url {
            self.git_url("chartRepo.url", u);
        }
        if let Some(p) = &chart.path {
            self.git_path("chartRepo.path", p);
        }
        for (key, rev) in [
            ("gitopsRepo.revision", &repo.revision),
            ("chartRepo.revision", &chart.revision),
        ] {
            if let Some(r) = rev {
                if r.is_empty()
                    || r.contains(|c: char| {
                        c.is_whitespace() || c.is_control() || c == '~' || c == '^' || c == ':'
                    })
                {
                    self.err(key, format!("`{r}` is not a Git branch, tag or commit"));
                }
            }
        }
    }

    fn git_url(&mut self, path: &str, url: &str) {
        let scp_like = url.starts_with("git@") && url.contains(':');
        let ok = (url.starts_with("https://")
            || url.starts_with("ssh://")
            || url.starts_with("http://")
            || scp_like)
            && !url.contains(|c: char| c.is_whitespace() || c.is_control())
            && url.len() > 8;
        if !ok {
            self.err(path, format!("`{url}` is not a Git repository URL; give `https://host/org/repo.git` or `ssh://git@host/org/repo.git`"));
        }
    }

    fn git_path(&mut self, key: &str, p: &str) {
        let ok = !p.is_empty()
            && !p.starts_with('/')
            && p.split('/').all(|seg| !seg.is_empty() && seg != "..")
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b));
        if !ok {
            self.err(key, format!("`{p}` is not a directory inside the repository; give a relative path such as `clusters/prod/caracal` (letters, digits, `.`, `_`, `-`, `/`; no `..`)"));
        }
    }

    fn exposed(&self) -> Vec<(Endpoint, Exposure)> {
        self.a
            .endpoints
            .iter()
            .filter(|(e, x)| e.is_exposable() && **x != Exposure::Disabled)
            .map(|(e, x)| (*e, *x))
            .collect()
    }

    fn names(&mut self) {
        let release = self.a.release().to_string();
        if release.len() > 53 || release.contains('.') || format::ensure_k8s_name(&release).is_err()
        {
            self.err("release", format!("`{release}` is not a Helm release name (lower-case letters, digits and `-`, at most 53 characters)"));
        }
        let ns = self.a.namespace().to_string();
        if ns.len() > 63 || ns.contains('.') || format::ensure_k8s_name(&ns).is_err() {
            self.err("namespace", format!("`{ns}` is not a namespace name (lower-case letters, digits and `-`, at most 63 characters)"));
        }
        if !self.a.domain.is_empty() {
            if let Err(e) = format::ensure_hostname(&self.a.domain) {
                self.err("domain", e);
            }
        }
        if let Some(sc) = self.a.storage_class.clone() {
            self.ensure("storageClass", Format::K8sName, &sc);
        }
    }

    fn endpoints(&mut self) {
        let exposures: Vec<Exposure> = self
            .profile
            .exposures
            .iter()
            .filter_map(|k| Exposure::from_key(k))
            .collect();
        for (e, x) in self.a.endpoints.clone() {
            let path = format!("endpoints.{e}");
            if !e.is_exposable() {
                if x != Exposure::Disabled {
                    self.err(path, format!("{} has no Ingress in the chart and stays private by design; set it to `disabled` or remove it", e.title()));
                }
                continue;
            }
            if !exposures.contains(&x) {
                let reason = self
                    .profile
                    .exposure_reason
                    .clone()
                    .unwrap_or_else(|| "not offered".into());
                let allowed: Vec<&str> = exposures.iter().map(|x| x.key()).collect();
                self.err(
                    path,
                    format!(
                        "`{x}` is not allowed in profile `{}` ({reason}); use {}",
                        self.profile.id,
                        allowed
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                );
            }
        }
        let mut seen: BTreeMap<String, Endpoint> = BTreeMap::new();
        for (e, host) in self.a.hosts.clone() {
            let path = format!("hosts.{e}");
            if !e.is_exposable() {
                self.err(
                    path,
                    format!(
                        "{} has no Ingress, so it has no host; remove this key",
                        e.title()
                    ),
                );
                continue;
            }
            if let Err(msg) = format::ensure_hostname(&host) {
                self.err(path, msg);
                continue;
            }
            if host.starts_with("*.") {
                self.err(path, "a wildcard is not a host; give one name per endpoint");
                continue;
            }
            let exposed = self
                .a
                .endpoints
                .get(&e)
                .is_some_and(|x| *x != Exposure::Disabled);
            if exposed {
                if let Some(other) = seen.insert(host.clone(), e) {
                    self.err(path, format!("`{host}` is also the host of `{other}`; each exposed endpoint needs its own host"));
                }
            }
        }
        if self.a.endpoints.get(&Endpoint::Sts) == Some(&Exposure::Internal)
            && self.a.endpoints.get(&Endpoint::Gateway) == Some(&Exposure::Public)
        {
            self.warn("endpoints.sts", "the Gateway is public but the STS is internal: clients outside the network can't obtain mandates to call it");
        }
    }

    fn tls(&mut self) {
        let exposed = self.exposed();
        if exposed.is_empty() {
            return;
        }
        let used: BTreeSet<&'static str> = exposed.iter().map(|(_, x)| x.key()).collect();
        let allowed_for = |x: &str| -> Vec<String> {
            Exposure::from_key(x)
                .and_then(|x| effective_exposure(self.cloud, self.a, x))
                .map(|s| s.tls)
                .unwrap_or_default()
        };
        if self.a.tls.is_empty() {
            let modes = allowed_for(used.iter().next().copied().unwrap_or("public"));
            self.err(
                "tls",
                format!(
                    "required on {} when an endpoint is exposed; set {}",
                    self.cloud.id,
                    modes
                        .iter()
                        .map(|m| format!("`tls.{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            );
            return;
        }
        if self.a.tls.len() > 1 {
            self.err(
                "tls",
                "give exactly one certificate source, e.g. `{clusterIssuer: letsencrypt-prod}`",
            );
            return;
        }
        let Some((mode_id, value)) = self.a.tls.iter().next() else {
            return;
        };
        let path = format!("tls.{mode_id}");
        let Some(mode) = self.catalog.tls_mode(mode_id) else {
            let all: Vec<String> = self
                .catalog
                .tls_modes
                .iter()
                .map(|m| m.id.clone())
                .collect();
            self.err(
                path,
                format!("unknown certificate source; use one of: {}", all.join(", ")),
            );
            return;
        };
        for x in &used {
            let allowed = allowed_for(x);
            if !allowed.contains(mode_id) {
                let why = Exposure::from_key(x)
                    .and_then(|x| effective_exposure(self.cloud, self.a, x))
                    .map(|s| s.describe)
                    .unwrap_or_default();
                let own = if x == &"public" {
                    "className"
                } else {
                    "internalClassName"
                };
                self.err(
                    path.clone(),
                    format!(
                        "{} can't serve {x} endpoints on {} ({why}); use {}, or run your own ingress controller and name its class in `ingressController.{own}`",
                        mode.title,
                        self.cloud.id,
                        allowed
                            .iter()
                            .map(|m| format!("`tls.{m}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                );
            }
        }
        match (mode.format, value) {
            (Format::Bool, Scalar::Bool(true)) => {}
            (Format::Bool, _) => self.err(
                path,
                "set it to `true`, or choose another certificate source",
            ),
            (f, Scalar::Str(s)) => {
                let s = s.clone();
                self.ensure(&path, f, &s)
            }
            (_, Scalar::Bool(_)) => self.err(path, "expected a name, not true/false"),
        }
        if mode.tls_secret && used.contains("internal") {
            self.warn(format!("tls.{mode_id}"), "internal load balancers can't answer public ACME HTTP-01 challenges: make sure this issuer uses DNS-01 or a private CA");
        }
    }

    fn host_like(&mut self, path: &str, host: &str) {
        if host.parse::<std::net::IpAddr>().is_err() {
            if let Err(e) = format::ensure_hostname(host) {
                self.err(path, e);
            }
        }
    }

    fn port(&mut self, path: &str, port: u32) {
        if !(1..=65535).contains(&port) {
            self.err(path, format!("{port} is not a TCP port (1–65535)"));
        }
    }

    fn cidr(&mut self, path: &str, cidr: &str) -> Option<ipnet::IpNet> {
        match format::ensure_cidr(cidr) {
            Ok(net) => Some(net),
            Err(e) => {
                self.err(path, e);
                None
            }
        }
    }

    fn ident(&mut self, path: &str, value: &str) {
        let ok = !value.is_empty()
            && value.len() <= 63
            && value.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            self.err(path, format!("`{value}` is not a plain Postgres identifier (lower-case letters, digits, `_`)"));
        }
    }

    fn postgres(&mut self) {
        let pg: Postgres = self.a.postgres.clone().unwrap_or_default();
        match pg.host.as_deref() {
            None | Some("") => self.err(
                "postgres.host",
                format!(
                    "profile `{}` needs a managed Postgres ({}); give its host name",
                    self.profile.id, self.cloud.products.postgres
                ),
            ),
            Some(IN_CLUSTER_POSTGRES) if self.profile.managed_dependencies => self.err(
                "postgres.host",
                format!("`{IN_CLUSTER_POSTGRES}` is the chart's in-cluster default, which stable deployments refuse; give the host of your {}", self.cloud.products.postgres),
            ),
            Some(h) => {
                let h = h.to_string();
                self.host_like("postgres.host", &h)
            }
        }
        if let Some(p) = pg.port {
            self.port("postgres.port", p);
        }
        if let Some(c) = &pg.cidr {
            self.cidr("postgres.cidr", c);
        }
        for (k, v) in [
            ("database", &pg.database),
            ("authDatabase", &pg.auth_database),
            ("user", &pg.user),
        ] {
            if let Some(v) = v {
                self.ident(&format!("postgres.{k}"), v);
            }
        }
        if pg.database.is_some() && pg.database == pg.auth_database {
            self.err("postgres.authDatabase", "must differ from `postgres.database`: the console's sessions live in their own database");
        }
    }

    fn redis(&mut self) {
        let r: Redis = self.a.redis.clone().unwrap_or_default();
        match r.host.as_deref() {
            None | Some("") => self.err(
                "redis.host",
                format!(
                    "profile `{}` needs a managed Redis ({}); give its host name",
                    self.profile.id, self.cloud.products.redis
                ),
            ),
            Some(IN_CLUSTER_REDIS) if self.profile.managed_dependencies => self.err(
                "redis.host",
                format!("`{IN_CLUSTER_REDIS}` is the chart's in-cluster default, which stable deployments refuse; give the host of your {}", self.cloud.products.redis),
            ),
            Some(h) => {
                let h = h.to_string();
                self.host_like("redis.host", &h)
            }
        }
        let port = r.port.unwrap_or(6379);
        self.port("redis.port", port);
        if let Some(c) = &r.cidr {
            self.cidr("redis.cidr", c);
        }
        if r.database.is_some_and(|d| d > 15) {
            self.err(
                "redis.database",
                "managed Redis offers databases 0–15; use 0 unless you share the instance",
            );
        }
        let tls = r.tls.unwrap_or(false);
        let tls_ports: Vec<u32> = self
            .cloud
            .redis_tls_ports
            .iter()
            .map(|p| u32::from(*p))
            .collect();
        if !tls && port != 6379 && tls_ports.contains(&port) {
            self.err("redis.tls", format!("port {port} is the TLS port of {}; set `redis.tls: true` (the runtime Secret then uses rediss://)", self.cloud.products.redis));
        }
        if tls && !tls_ports.contains(&port) {
            self.warn(
                "redis.port",
                format!(
                    "{} usually serves TLS on {}; check the port of your instance",
                    self.cloud.products.redis,
                    tls_ports
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            );
        }
        if !self.profile.external_secrets && tls {
            self.err("redis.tls", "an evaluation's temporary Secret is built by the chart, which always writes redis:// URLs; set `redis.tls: false` or use the production profile");
        }
        if self.profile.managed_dependencies && !tls {
            self.warn("redis.tls", "managed Redis without TLS sends the Redis password and audit traffic in clear text; prefer `redis.tls: true`");
        }
    }

    fn dns(&mut self) {
        let Some(dns) = self.a.dns.clone() else {
            return;
        };
        match dns.mode {
            DnsMode::Cluster => {
                if dns.cidr.is_some() {
                    self.err(
                        "dns.cidr",
                        "only used with `dns.mode: cidr`; remove it or set the mode",
                    );
                }
            }
            DnsMode::Cidr => match &dns.cidr {
                None => self.err(
                    "dns.cidr",
                    "required with `dns.mode: cidr`; give the resolver's CIDR, e.g. `10.0.0.10/32`",
                ),
                Some(c) => {
                    if let Some(net) = self.cidr("dns.cidr", c) {
                        if net.prefix_len() == 0 {
                            self.err(
                                "dns.cidr",
                                "a /0 is open DNS; use `dns.mode: cluster` or a resolver's CIDR",
                            );
                        }
                    }
                }
            },
            DnsMode::Open => {
                if !self.profile.open_dns {
                    self.err("dns.mode", format!("`open` (port 53 to anywhere) is refused in profile `{}`; use `cluster` (the cloud's kube-dns) or `cidr`", self.profile.id));
                }
            }
        }
    }

    fn ingress_controller(&mut self) {
        let exposed = self.exposed();
        if let Some(ic) = self.a.ingress_controller.clone() {
            if let Some(ns) = &ic.namespace {
                if ns.contains('.') || format::ensure_k8s_name(ns).is_err() {
                    self.err(
                        "ingressController.namespace",
                        format!("`{ns}` is not a namespace name"),
                    );
                }
            } else if !ic.pod_labels.is_empty() {
                self.err(
                    "ingressController.namespace",
                    "required with `podLabels`: NetworkPolicy peers select pods within a namespace",
                );
            }
            for (k, v) in &ic.pod_labels {
                if let Err(e) = format::ensure_label(k, v) {
                    self.err("ingressController.podLabels", e);
                }
            }
            for (i, c) in ic.cidrs.iter().enumerate() {
                if let Some(net) = self.cidr(&format!("ingressController.cidrs[{i}]"), c) {
                    if net.prefix_len() == 0 {
                        self.err(format!("ingressController.cidrs[{i}]"), "admitting 0.0.0.0/0 lets any source reach the pods; give the load balancer's or VPC's CIDR");
                    }
                }
            }
            for (k, v) in [
                ("className", &ic.class_name),
                ("internalClassName", &ic.internal_class_name),
            ] {
                if let Some(v) = v {
                    if format::ensure_k8s_name(v).is_err() {
                        self.err(
                            format!("ingressController.{k}"),
                            format!("`{v}` is not an IngressClass name"),
                        );
                    }
                }
            }
            let wants_internal = exposed.iter().any(|(_, x)| *x == Exposure::Internal);
            if ic.class_name.is_some()
                && ic.internal_class_name.is_none()
                && wants_internal
                && self
                    .cloud
                    .exposures
                    .get("internal")
                    .is_some_and(|s| !s.manifests.is_empty() || s.default_controller.is_none())
            {
                self.warn("ingressController.internalClassName", format!("internal endpoints use {}; set `internalClassName` if your own controller serves them", self.cloud.exposures.get("internal").map(|s| s.describe.clone()).unwrap_or_default()));
            }
            if ic.cidrs.is_empty() && ic.namespace.is_some() {
                for (_, x) in &exposed {
                    let Some(spec) = effective_exposure(self.cloud, self.a, *x) else {
                        continue;
                    };
                    if spec.default_controller.is_none() {
                        if let Some(hint) = &spec.controller_hint {
                            self.warn("ingressController", format!("{x} endpoints on {} are served by {}, whose traffic no pod selector matches: {hint}", self.cloud.id, spec.describe));
                            break;
                        }
                    }
                    // The cloud's own controller runs elsewhere: the Ingresses would be served
                    // by pods this selector does not admit.
                    if let (Some(dc), Some(ns)) = (&spec.default_controller, &ic.namespace) {
                        if &dc.namespace != ns {
                            let own = if *x == Exposure::Internal {
                                "internalClassName"
                            } else {
                                "className"
                            };
                            self.warn("ingressController", format!("{x} endpoints use {}, whose pods run in `{}`, but `ingressController.namespace` is `{ns}`: if your own controller serves them, name its class in `ingressController.{own}`", spec.describe, dc.namespace));
                            break;
                        }
                    }
                }
            }
            if ic.namespace.is_none() && ic.cidrs.is_empty() {
                self.err("ingressController", "give `namespace` (and `podLabels`) of the controller pods, or `cidrs` the load balancer sends from");
            }
            return;
        }
        let mut needs: BTreeSet<String> = BTreeSet::new();
        for (_, x) in exposed {
            if let Some(spec) = effective_exposure(self.cloud, self.a, x) {
                if spec.default_controller.is_none() {
                    if let Some(h) = &spec.controller_hint {
                        needs.insert(h.clone());
                    }
                }
            }
        }
        for hint in needs {
            self.err(
                "ingressController",
                format!("required on {}: {hint}", self.cloud.id),
            );
        }
    }

    fn egress(&mut self) {
        let Some(eg) = self.a.egress.clone() else {
            return;
        };
        let open = eg.open_https.unwrap_or(false);
        if open && !self.profile.open_https {
            self.err("egress.openHttps", format!("HTTPS to anywhere is refused in profile `{}`; list the CIDRs under `egress.identityProvider`, `egress.providerApis`, `egress.objectStore` and `egress.other`", self.profile.id));
        }
        for (cat, entries) in eg.categories() {
            for (i, entry) in entries.iter().enumerate() {
                let path = format!("egress.{cat}[{i}]");
                if let Some(net) = self.cidr(&path, entry.cidr()) {
                    if net.prefix_len() == 0 && !self.profile.open_cidr {
                        self.err(path.clone(), format!("`{}` opens egress to everywhere, which profile `{}` refuses; list the provider's CIDRs instead", entry.cidr(), self.profile.id));
                    }
                }
                let ports = entry.ports();
                if ports.is_empty() {
                    self.err(
                        format!("{path}.ports"),
                        "list at least one port, or write the CIDR alone for 443",
                    );
                }
                for p in ports {
                    self.port(&format!("{path}.ports"), p);
                }
            }
        }
        // Identity and provider-API egress is a warning, not a refusal: whether the pods need it
        // depends on features (an external secret backend, provider calls), and `check`
        // reports it. Audit export without a way to its object store can only fail: refused.
        if self.profile.require_egress && !open {
            let has = |e: &Egress, cat: &str| {
                e.categories()
                    .iter()
                    .any(|(c, v)| *c == cat && !v.is_empty())
            };
            if !has(&eg, "identityProvider") && !has(&eg, "providerApis") {
                let hint = self
                    .cloud
                    .egress_hints
                    .get("providerApis")
                    .cloned()
                    .unwrap_or_default();
                let idp = self
                    .cloud
                    .egress_hints
                    .get("identityProvider")
                    .cloned()
                    .unwrap_or_default();
                self.warn("egress.providerApis", format!("no HTTPS egress for workload identity and provider APIs on {}: audit export and an external secret backend need {hint}; identity: {idp}. List their CIDRs (or, outside regulated, set `egress.openHttps: true`); `check` reports this until then", self.cloud.id));
            }
            if self.a.audit_export.is_some() && !has(&eg, "objectStore") {
                let hint = self
                    .cloud
                    .egress_hints
                    .get("objectStore")
                    .cloned()
                    .unwrap_or_default();
                self.err(
                    "egress.objectStore",
                    format!(
                        "audit export needs egress to its object store: {hint}; list its CIDRs"
                    ),
                );
            }
        }
    }

    fn identity(&mut self) {
        let spec = &self.cloud.identity;
        for k in self.a.identity.keys() {
            if *k != spec.field {
                self.err(
                    format!("identity.{k}"),
                    format!(
                        "not an identity on {}; use `identity.{}` ({})",
                        self.cloud.id, spec.field, spec.hint
                    ),
                );
            }
        }
        match self.a.identity.get(&spec.field).cloned() {
            Some(v) => self.ensure(&format!("identity.{}", spec.field), spec.format, &v),
            None if self.profile.external_secrets => self.err(
                format!("identity.{}", spec.field),
                format!("required in profile `{}`: the secret store and audit export authenticate by workload identity; give {}", self.profile.id, spec.hint),
            ),
            None => {}
        }
    }

    fn secret_store(&mut self) {
        let spec = self.cloud.secret_store.clone();
        if !self.profile.external_secrets {
            return;
        }
        let known: Vec<&str> = spec
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(["keyPrefix"])
            .collect();
        for k in self.a.secret_store.keys() {
            if !known.contains(&k.as_str()) {
                self.err(
                    format!("secretStore.{k}"),
                    format!("not a {} setting; use {}", spec.provider, known.join(", ")),
                );
            }
        }
        for f in &spec.fields {
            match self.a.secret_store.get(&f.name).cloned() {
                Some(v) => self.ensure(&format!("secretStore.{}", f.name), f.format, &v),
                None if f.optional => {}
                None => self.err(
                    format!("secretStore.{}", f.name),
                    format!("required for {}: {}", spec.provider, f.hint),
                ),
            }
        }
        if let Some(prefix) = self.a.secret_store.get("keyPrefix").cloned() {
            let ok = CharClass::parse(&spec.key_pattern)
                .is_some_and(|c| c.matches(&format!("{prefix}x")));
            if !ok {
                self.err(
                    "secretStore.keyPrefix",
                    format!(
                        "`{prefix}` can't start a {} secret name (allowed: {}); e.g. `{}`",
                        spec.provider, spec.key_pattern, spec.key_prefix
                    ),
                );
            }
        }
    }

    fn observability(&mut self) {
        if let Some(url) = self
            .a
            .monitoring
            .as_ref()
            .and_then(|m| m.otlp_endpoint.clone())
        {
            if let Err(e) = format::ensure_url(&url, false) {
                self.err("monitoring.otlpEndpoint", e);
            }
        }
    }

    fn audit(&mut self) {
        match self.a.audit_export.clone() {
            None if self.profile.require_audit_export => self.err(
                "auditExport",
                format!("profile `{}` requires audit export; give `endpoint`, `bucket` and `region` of an S3-compatible store ({})", self.profile.id, self.cloud.products.object_store),
            ),
            None => {}
            Some(x) => {
                match &x.endpoint {
                    None => self.err("auditExport.endpoint", "required: the S3-compatible endpoint URL, e.g. `https://s3.us-east-1.amazonaws.com`"),
                    Some(u) => {
                        if let Err(e) = format::ensure_url(u, true) {
                            self.err("auditExport.endpoint", e);
                        }
                    }
                }
                match &x.bucket {
                    None => self.err("auditExport.bucket", "required: the bucket receiving hourly audit exports"),
                    Some(b) => {
                        let ok = (3..=63).contains(&b.len())
                            && b.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
                            && b.starts_with(|c: char| c.is_ascii_alphanumeric())
                            && b.ends_with(|c: char| c.is_ascii_alphanumeric());
                        if !ok {
                            self.err("auditExport.bucket", format!("`{b}` is not a bucket name (3–63 lower-case letters, digits, `-` and `.`)"));
                        }
                    }
                }
                match &x.region {
                    None => self.err("auditExport.region", "required: the bucket's region (S3 signing region)"),
                    Some(r) if r.is_empty() || !r.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') => {
                        self.err("auditExport.region", format!("`{r}` is not a region name"))
                    }
                    Some(_) => {}
                }
            }
        }
        let days = self
            .a
            .retention
            .as_ref()
            .and_then(|r| r.audit_days)
            .unwrap_or(365);
        if !(1..=36500).contains(&days) {
            self.err(
                "retention.auditDays",
                format!("{days} is out of range; give 1–36500 days"),
            );
        } else if self.profile.require_audit_export && days < 365 {
            self.err("retention.auditDays", format!("{days} days is too short for profile `{}`: incident evidence is kept at least 365 days (default 2555, seven years)", self.profile.id));
        }
    }

    fn sign_in(&mut self) {
        let Some(s) = self.a.sign_in.clone() else {
            return;
        };
        if self.profile.evaluation {
            self.err("signIn", "an evaluation's Secret is built by the chart and can't carry sign-in credentials; remove `signIn` (evaluation uses placeholders) or use the production profile");
            return;
        }
        match s.provider {
            SignInProvider::Smtp => {
                if s.from.as_deref().is_none_or(|f| !f.contains('@')) {
                    self.err("signIn.from", "required with `provider: smtp`: the sender address, e.g. `Caracal <no-reply@example.com>`");
                }
                if s.client_id.is_some() {
                    self.err("signIn.clientId", "only used with github or google");
                }
            }
            SignInProvider::Github | SignInProvider::Google => {
                if s.from.is_some() {
                    self.err("signIn.from", "only used with `provider: smtp`");
                }
                if s.client_id
                    .as_deref()
                    .is_some_and(|c| c.trim().is_empty() || c.contains(char::is_whitespace))
                {
                    self.err(
                        "signIn.clientId",
                        "must be the OAuth client ID without spaces",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
