//! `plan`: answers + catalog → a complete, validated description of the overlay.
//!
//! Pure: reads no environment, clock, terminal or file.
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::answers::{Answers, DnsMode, Endpoint, Exposure, SignInProvider};
use crate::catalog::{Catalog, Cloud, Labels, Profile};
use crate::error::{Problem, Problems};
use crate::manifest::*;
use crate::validate::{self, IN_CLUSTER_POSTGRES};

pub mod docs;

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
    /// What the NetworkPolicy allows out, in words.
    pub egress_summary: Vec<String>,
    /// Who may reach the pods, in words.
    pub ingress_summary: Vec<String>,
    /// The GitOps hand-off, when the answers ask for one (#5).
    pub gitops: Option<GitOpsPlan>,
    /// Non-fatal findings.
    pub warnings: Vec<Problem>,
}

/// The GitOps hand-off: which controller, and where the overlay and the chart live in Git.
#[derive(Debug, Clone, Serialize)]
pub struct GitOpsPlan {
    /// Argo CD or Flux.
    pub tool: crate::answers::GitOps,
    /// The overlay's repository (Flux: `None` reads the `flux-system` source).
    pub repo_url: Option<String>,
    /// The overlay's directory in it.
    pub path: String,
    /// The overlay's revision.
    pub revision: String,
    /// The chart's repository.
    pub chart_url: String,
    /// The chart's directory in it.
    pub chart_path: String,
    /// The chart's revision.
    pub chart_revision: String,
}

/// One exposed endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedIngress {
    /// Endpoint key.
    pub endpoint: String,
    /// Human name.
    pub title: String,
    /// `public`/`internal`.
    pub exposure: String,
    /// Host.
    pub host: String,
    /// `https://host`.
    pub url: String,
    /// What serves it.
    pub load_balancer: String,
    /// Where its certificate comes from.
    pub certificate: String,
    /// What the cluster must run to serve it.
    pub requires: String,
}

/// One entry in the cloud's secret manager.
#[derive(Debug, Clone, Serialize)]
pub struct SecretEntry {
    /// Name in the manager.
    pub key: String,
    /// Template variable.
    pub variable: String,
    /// What it is.
    pub purpose: String,
    /// Shell command creating it: with a random value, or from a silent prompt for real values.
    pub command: String,
    /// Whether the value must be set by hand (a password the server already has).
    pub must_match: bool,
}

/// The ClusterSecretStore's inputs.
#[derive(Debug, Clone, Serialize)]
pub struct StorePlan {
    /// Store name.
    pub name: String,
    /// Template under `templates/`.
    pub template: String,
    /// ServiceAccount name.
    pub service_account: String,
    /// Its namespace.
    pub namespace: String,
    /// Cloud fields (`awsRegion`, …).
    pub fields: BTreeMap<String, String>,
}

/// A manifest rendered from a template.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedManifest {
    /// Template under `templates/`.
    pub template: String,
    /// Output path.
    pub path: String,
    /// Flat context.
    pub context: BTreeMap<String, String>,
}

fn fill(s: &str, vars: &[(&str, &str)]) -> String {
    vars.iter().fold(s.to_string(), |acc, (k, v)| {
        acc.replace(&format!("{{{k}}}"), v)
    })
}

/// Plans an overlay: completes and validates the answers, then decides every file.
pub fn plan(answers: &Answers, catalog: &Catalog) -> Result<Plan, Problems> {
    let checked = validate::check(answers, catalog)?;
    let a = checked.answers;
    let cloud = catalog
        .cloud(&a.cloud)
        .cloned()
        .ok_or_else(|| Problems(vec![Problem::new("cloud", "unknown")]))?;
    let profile = catalog
        .profile(&a.profile)
        .cloned()
        .ok_or_else(|| Problems(vec![Problem::new("profile", "unknown")]))?;
    let release = a.release().to_string();
    let namespace = a.namespace().to_string();
    let pg = a.postgres.clone().unwrap_or_default();
    let redis = a.redis.clone().unwrap_or_default();
    let pg_host = pg.host.clone().unwrap_or_default();
    let pg_port = pg.port.unwrap_or(5432);
    let in_cluster_pg = pg_host == IN_CLUSTER_POSTGRES;
    let redis_port = redis.port.unwrap_or(6379);
    let egress = a.egress.clone().unwrap_or_default();

    // Ingress per endpoint.
    let (tls_id, tls_value) = a
        .tls
        .iter()
        .next()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .unwrap_or_default();
    let tls_mode = catalog.tls_mode(&tls_id).cloned();
    let mut ingress = BTreeMap::new();
    let mut ingresses = Vec::new();
    let mut manifests = Vec::new();
    let mut used_exposures: BTreeSet<String> = BTreeSet::new();
    for e in Endpoint::EXPOSABLE {
        let x = a.endpoints.get(&e).copied().unwrap_or(Exposure::Disabled);
        let host = a.hosts.get(&e).cloned().unwrap_or_default();
        let spec = validate::effective_exposure(&cloud, &a, x);
        let (Some(spec), false) = (spec, x == Exposure::Disabled) else {
            ingress.insert(
                e.key().to_string(),
                IngressValues {
                    enabled: false,
                    class_name: None,
                    host: None,
                    tls_secret_name: None,
                    annotations: Labels::new(),
                },
            );
            continue;
        };
        used_exposures.insert(x.key().to_string());
        let vars = [
            ("release", release.as_str()),
            ("endpoint", e.key()),
            ("value", tls_value.as_str()),
            ("host", host.as_str()),
            ("namespace", namespace.as_str()),
        ];
        let mut annotations: Labels = spec
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), fill(v, &vars)))
            .collect();
        let mut tls_secret_name = None;
        let mut certificate = String::new();
        if let Some(mode) = &tls_mode {
            annotations.extend(
                mode.annotations
                    .iter()
                    .map(|(k, v)| (k.clone(), fill(v, &vars))),
            );
            if mode.tls_secret {
                tls_secret_name = Some(format!("{release}-{}-tls", e.key()));
            }
            for m in &mode.manifests {
                manifests.push(PlannedManifest {
                    template: m.template.clone(),
                    path: fill(&m.path, &vars),
                    context: vars
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                });
            }
            certificate = match mode.format {
                crate::format::Format::Bool => mode.title.clone(),
                _ => format!("{} `{tls_value}`", mode.title),
            };
        }
        ingress.insert(
            e.key().to_string(),
            IngressValues {
                enabled: true,
                class_name: Some(fill(&spec.class_name, &vars)),
                host: Some(host.clone()),
                tls_secret_name,
                annotations,
            },
        );
        ingresses.push(PlannedIngress {
            endpoint: e.key().into(),
            title: e.title().into(),
            exposure: x.key().into(),
            host: host.clone(),
            url: format!("https://{host}"),
            load_balancer: spec.describe.clone(),
            certificate,
            requires: spec.requires.clone(),
        });
    }
    for x in &used_exposures {
        if let Some(spec) =
            Exposure::from_key(x).and_then(|x| validate::effective_exposure(&cloud, &a, x))
        {
            for m in &spec.manifests {
                let vars = [
                    ("release", release.as_str()),
                    ("namespace", namespace.as_str()),
                ];
                let class = fill(&spec.class_name, &vars);
                let mut context: BTreeMap<String, String> = vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                context.insert("className".into(), class);
                manifests.push(PlannedManifest {
                    template: m.template.clone(),
                    path: fill(&m.path, &vars),
                    context,
                });
            }
        }
    }
    manifests.sort_by(|a, b| a.path.cmp(&b.path));

    // NetworkPolicy.
    let dns = a.dns.clone().unwrap_or(crate::answers::Dns {
        mode: DnsMode::Cluster,
        cidr: None,
    });
    let dns_ports = vec![PolicyPort::udp(53), PolicyPort::tcp(53)];
    let dns_egress = match dns.mode {
        DnsMode::Cluster => vec![EgressRule {
            to: cloud
                .dns
                .peers
                .iter()
                .map(|p| match (&p.cidr, &p.namespace) {
                    (Some(c), _) => Peer::cidr(c),
                    (None, Some(ns)) => Peer::pods(ns, &p.pod_labels),
                    (None, None) => Peer::default(),
                })
                .collect(),
            ports: dns_ports,
        }],
        DnsMode::Cidr => vec![EgressRule {
            to: vec![Peer::cidr(dns.cidr.as_deref().unwrap_or_default())],
            ports: dns_ports,
        }],
        DnsMode::Open => vec![],
    };
    let mut ingress_summary = Vec::new();
    let mut extra_ingress = Vec::new();
    if !ingresses.is_empty() {
        let mut from: Vec<Peer> = Vec::new();
        let mut push = |p: Peer, what: String, from: &mut Vec<Peer>| {
            if !from.contains(&p) {
                from.push(p);
                ingress_summary.push(what);
            }
        };
        for x in &used_exposures {
            let Some(spec) =
                Exposure::from_key(x).and_then(|x| validate::effective_exposure(&cloud, &a, x))
            else {
                continue;
            };
            for c in &spec.admit {
                push(
                    Peer::cidr(&c.cidr),
                    format!(
                        "`{}` ({} load balancer front ends and health checks)",
                        c.cidr, x
                    ),
                    &mut from,
                );
            }
            if a.ingress_controller.is_none() {
                if let Some(dc) = &spec.default_controller {
                    let vars = [("release", release.as_str())];
                    let labels: Labels = dc
                        .pod_labels
                        .iter()
                        .map(|(k, v)| (k.clone(), fill(v, &vars)))
                        .collect();
                    let what = format!(
                        "pods {} in namespace `{}` (the {x} ingress controller)",
                        fmt_labels(&labels),
                        dc.namespace
                    );
                    push(Peer::pods(&dc.namespace, &labels), what, &mut from);
                }
            }
        }
        if let Some(ic) = &a.ingress_controller {
            if let Some(ns) = &ic.namespace {
                let what = format!(
                    "pods {} in namespace `{ns}` (your ingress controller)",
                    fmt_labels(&ic.pod_labels)
                );
                push(Peer::pods(ns, &ic.pod_labels), what, &mut from);
            }
            for c in &ic.cidrs {
                push(
                    Peer::cidr(c),
                    format!("`{c}` (your load balancer's source range)"),
                    &mut from,
                );
            }
        }
        let mut ports: Vec<u32> = ingresses
            .iter()
            .filter_map(|i| Endpoint::ALL.iter().find(|e| e.key() == i.endpoint))
            .map(|e| u32::from(e.port()))
            .collect();
        ports.sort_unstable();
        extra_ingress.push(IngressRule {
            from,
            ports: ports.into_iter().map(PolicyPort::tcp).collect(),
        });
    }
    let mut egress_summary = Vec::new();
    match dns.mode {
        DnsMode::Cluster => egress_summary.push(format!(
            "DNS (53/UDP+TCP) to the cluster resolver: {}",
            cloud
                .dns
                .peers
                .iter()
                .map(|p| p.cidr.clone().unwrap_or_else(|| format!(
                    "{} in `{}`",
                    fmt_labels(&p.pod_labels),
                    p.namespace.clone().unwrap_or_default()
                )))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        DnsMode::Cidr => egress_summary.push(format!(
            "DNS (53/UDP+TCP) to `{}`",
            dns.cidr.clone().unwrap_or_default()
        )),
        DnsMode::Open => egress_summary.push("DNS (53/UDP+TCP) to anywhere".into()),
    }
    egress_summary.push(format!("Postgres ({pg_port}), Redis ({redis_port}) and OTLP (4317/4318): always allowed by the chart"));
    let mut extra_egress: Vec<EgressRule> = Vec::new();
    let mut add_egress = |cidr: &str, ports: Vec<u32>, why: String, out: &mut Vec<EgressRule>| {
        let rule = EgressRule {
            to: vec![Peer::cidr(cidr)],
            ports: ports.iter().map(|p| PolicyPort::tcp(*p)).collect(),
        };
        if let Some(existing) = out.iter_mut().find(|r| r.to == rule.to) {
            for p in rule.ports {
                if !existing.ports.contains(&p) {
                    existing.ports.push(p);
                }
            }
        } else {
            out.push(rule);
        }
        egress_summary.push(format!(
            "{why}: `{cidr}` on {}",
            ports
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    if let Some(c) = &pg.cidr {
        add_egress(c, vec![pg_port], "Postgres".into(), &mut extra_egress);
    }
    if let Some(c) = &redis.cidr {
        add_egress(c, vec![redis_port], "Redis".into(), &mut extra_egress);
    }
    for f in &cloud.fixed_egress {
        add_egress(
            &f.cidr,
            f.ports.iter().map(|p| u32::from(*p)).collect(),
            f.reason.clone(),
            &mut extra_egress,
        );
    }
    for (cat, entries) in egress.categories() {
        let why = match cat {
            "identityProvider" => "Identity provider",
            "objectStore" => "Object store",
            "providerApis" => "Provider APIs",
            _ => "Other",
        };
        for e in entries {
            add_egress(e.cidr(), e.ports(), why.to_string(), &mut extra_egress);
        }
    }
    let open_https = egress.open_https.unwrap_or(false);
    if open_https {
        egress_summary.push("HTTPS (443) to anywhere".into());
    }

    // Services.
    let mut services: BTreeMap<String, ServiceValues> = BTreeMap::new();
    for s in SERVICES {
        services.insert(
            s.to_string(),
            ServiceValues {
                replicas: profile.replicas,
                hpa: Some(Toggle {
                    enabled: profile.autoscaling,
                }),
                pdb: Some(Toggle {
                    enabled: profile.disruption_budgets,
                }),
                ..Default::default()
            },
        );
    }
    let exposed = |e: Endpoint| {
        a.endpoints
            .get(&e)
            .is_some_and(|x| *x != Exposure::Disabled)
    };
    if let Some(sts) = services.get_mut("sts") {
        if exposed(Endpoint::Sts) {
            sts.issuer_url = Some(format!(
                "https://{}",
                a.hosts.get(&Endpoint::Sts).cloned().unwrap_or_default()
            ));
        }
    }
    if let Some(web) = services.get_mut("web") {
        web.public_url = Some(if exposed(Endpoint::Web) {
            format!(
                "https://{}",
                a.hosts.get(&Endpoint::Web).cloned().unwrap_or_default()
            )
        } else {
            format!("http://localhost:{}", Endpoint::Web.port())
        });
        web.database_ssl = Some(if in_cluster_pg { "disable" } else { "require" }.into());
        web.extra_env = sign_in_env(&a);
    }
    if let Some(audit) = services.get_mut("audit") {
        if let Some(x) = &a.audit_export {
            audit.extra_env.push(EnvVar::literal(
                "AUDIT_EXPORT_S3_ENDPOINT",
                x.endpoint.clone().unwrap_or_default(),
            ));
            audit.extra_env.push(EnvVar::literal(
                "AUDIT_EXPORT_S3_BUCKET",
                x.bucket.clone().unwrap_or_default(),
            ));
            audit.extra_env.push(EnvVar::literal(
                "AUDIT_EXPORT_S3_REGION",
                x.region.clone().unwrap_or_default(),
            ));
        }
        let days = a
            .retention
            .as_ref()
            .and_then(|r| r.audit_days)
            .unwrap_or(profile.audit_retention_days);
        audit
            .extra_env
            .push(EnvVar::literal("AUDIT_RETENTION_DAYS", days.to_string()));
    }

    let identity_value = a.identity.get(&cloud.identity.field).cloned();
    let mut sa_annotations = Labels::new();
    let mut pod_labels = Labels::new();
    if let Some(v) = &identity_value {
        sa_annotations.insert(cloud.identity.annotation.clone(), v.clone());
        pod_labels.extend(cloud.identity.pod_labels.clone());
    }
    let values = ValuesOverlay {
        global: Global {
            mode: profile.mode.clone(),
            evaluation: profile.evaluation,
            otel_exporter_otlp_endpoint: a
                .monitoring
                .as_ref()
                .and_then(|m| m.otlp_endpoint.clone())
                .unwrap_or_default(),
            pod_labels,
        },
        service_account: ServiceAccountValues {
            create: true,
            annotations: sa_annotations.clone(),
        },
        secrets: SecretsValues {
            create: profile.evaluation,
            runtime_secret_name: RUNTIME_SECRET.into(),
            database: DatabaseValues {
                user: pg.user.clone().unwrap_or_else(|| "caracal".into()),
                host: pg_host.clone(),
                port: pg_port,
                name: pg.database.clone().unwrap_or_else(|| "caracal".into()),
                ssl_mode: if in_cluster_pg { "disable" } else { "require" }.into(),
            },
            auth_database: NameOnly {
                name: pg
                    .auth_database
                    .clone()
                    .unwrap_or_else(|| "caracal_auth".into()),
            },
            redis: RedisValues {
                host: redis.host.clone().unwrap_or_default(),
                port: redis_port,
                database: redis.database.unwrap_or(0),
            },
        },
        network_policy: NetworkPolicyValues {
            enabled: true,
            allow_open_dns: dns.mode == DnsMode::Open,
            allow_open_https: open_https,
            dns_egress,
            extra_ingress,
            extra_egress,
        },
        replay_persistence: ReplayPersistence {
            enabled: true,
            storage_class_name: a
                .storage_class
                .clone()
                .unwrap_or_else(|| cloud.storage_class.clone()),
            size: profile.replay_size.clone(),
        },
        service_monitor: Toggle {
            enabled: profile.monitoring,
        },
        alert_rules: Toggle {
            enabled: profile.monitoring,
        },
        services,
        ingress,
    };

    // Secrets.
    let runtime_keys = runtime_keys(&a);
    let (secret_entries, external_secret, store, store_service_account) =
        if profile.external_secrets {
            let prefix = a
                .secret_store
                .get("keyPrefix")
                .cloned()
                .unwrap_or_else(|| cloud.secret_store.key_prefix.clone());
            let entries = secret_entries(&a, &cloud, &prefix);
            let store_name = format!("{release}-secrets");
            let es = external_secret(&a, &entries, &store_name, &namespace);
            let sa_name = format!("{release}-external-secrets");
            let fields: BTreeMap<String, String> = cloud
                .secret_store
                .fields
                .iter()
                .filter_map(|f| {
                    a.secret_store
                        .get(&f.name)
                        .map(|v| (f.name.clone(), v.clone()))
                })
                .collect();
            let sa = PlainObject {
                api_version: "v1".into(),
                kind: "ServiceAccount".into(),
                metadata: Metadata {
                    name: sa_name.clone(),
                    namespace: Some(namespace.clone()),
                    labels: part_of(&release),
                    annotations: sa_annotations.clone(),
                },
                automount_service_account_token: Some(false),
            };
            (
                entries,
                Some(es),
                Some(StorePlan {
                    name: store_name,
                    template: cloud.secret_store.template.clone(),
                    service_account: sa_name,
                    namespace: namespace.clone(),
                    fields,
                }),
                Some(sa),
            )
        } else {
            (Vec::new(), None, None, None)
        };
    let mut ns_labels = part_of(&release);
    ns_labels.insert("kubernetes.io/metadata.name".into(), namespace.clone());
    ns_labels.insert(
        "pod-security.kubernetes.io/audit".into(),
        "restricted".into(),
    );
    ns_labels.insert(
        "pod-security.kubernetes.io/warn".into(),
        "restricted".into(),
    );
    let namespace_obj = PlainObject {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        metadata: Metadata {
            name: namespace.clone(),
            namespace: None,
            labels: ns_labels,
            annotations: Labels::new(),
        },
        automount_service_account_token: None,
    };
    let gitops = a.gitops.map(|tool| {
        let repo = a.gitops_repo.clone().unwrap_or_default();
        let chart = a.chart_repo.clone().unwrap_or_default();
        GitOpsPlan {
            tool,
            repo_url: repo.url,
            path: repo.path.unwrap_or_else(|| ".".into()),
            revision: repo
                .revision
                .unwrap_or_else(|| validate::DEFAULT_REVISION.into()),
            chart_url: chart
                .url
                .unwrap_or_else(|| validate::DEFAULT_CHART_REPO.into()),
            chart_path: chart
                .path
                .unwrap_or_else(|| validate::DEFAULT_CHART_PATH.into()),
            chart_revision: chart
                .revision
                .unwrap_or_else(|| validate::DEFAULT_REVISION.into()),
        }
    });
    Ok(Plan {
        gitops,
        answers: a,
        cloud,
        profile,
        values,
        ingresses,
        secret_entries,
        runtime_keys,
        external_secret,
        store,
        store_service_account,
        namespace: namespace_obj,
        manifests,
        egress_summary,
        ingress_summary,
        warnings: checked.warnings,
    })
}

/// The labels every object the wizard writes outside the chart carries.
pub(crate) fn part_of(release: &str) -> Labels {
    let mut l = Labels::new();
    l.insert("app.kubernetes.io/part-of".into(), "caracal".into());
    l.insert("app.kubernetes.io/instance".into(), release.into());
    l.insert(
        "app.kubernetes.io/managed-by".into(),
        "caracal-wizard".into(),
    );
    l
}

fn fmt_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "(all)".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("`{k}={v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sign_in_env(a: &Answers) -> Vec<EnvVar> {
    let Some(s) = &a.sign_in else {
        // The chart's serving gate wants a sign-in method; an evaluation has none.
        return vec![
            EnvVar::literal("GITHUB_CLIENT_ID", "evaluation-placeholder"),
            EnvVar::literal("GITHUB_CLIENT_SECRET", "evaluation-placeholder"),
        ];
    };
    let (id_var, secret_var) = match s.provider {
        SignInProvider::Github => ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"),
        SignInProvider::Google => ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"),
        SignInProvider::Smtp => {
            return vec![
                EnvVar::secret("CARACAL_SMTP_URL", RUNTIME_SECRET, "smtpUrl"),
                EnvVar::literal("CARACAL_SMTP_FROM", s.from.clone().unwrap_or_default()),
                EnvVar::literal("CARACAL_PASSWORD_SIGNUP", "1"),
            ]
        }
    };
    vec![
        match &s.client_id {
            Some(id) => EnvVar::literal(id_var, id.clone()),
            None => EnvVar::secret(id_var, RUNTIME_SECRET, "signInClientId"),
        },
        EnvVar::secret(secret_var, RUNTIME_SECRET, "signInClientSecret"),
    ]
}

/// Every key the chart's workloads read from the runtime Secret, for these answers.
///
/// Derived from the chart's Deployments, StatefulSets and Jobs: each service's
/// projected `runtime-secrets` volume, the web tier's `secretKeyRef`s, and the
/// migration Job's admin and per-role passwords.
pub fn runtime_keys(a: &Answers) -> Vec<String> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for role in ["api", "sts", "gateway", "audit", "coordinator", "auth"] {
        keys.insert(format!("{role}DatabaseUrl"));
        keys.insert(format!("{role}DbPassword"));
    }
    for k in [
        "postgresPassword",
        "redisUrl",
        "secretStoreKek",
        "auditHmacKey",
        "streamsHmacKey",
        "idempotencyHmacKey",
        "gatewayStsHmacKey",
        "caracalAdminToken",
        "caracalCoordinatorToken",
        "caracalAuthSecret",
        "metricsBearer",
    ] {
        keys.insert(k.into());
    }
    if let Some(s) = &a.sign_in {
        match s.provider {
            SignInProvider::Smtp => {
                keys.insert("smtpUrl".into());
            }
            _ => {
                if s.client_id.is_none() {
                    keys.insert("signInClientId".into());
                }
                keys.insert("signInClientSecret".into());
            }
        }
    }
    keys.into_iter().collect()
}

fn secret_entries(a: &Answers, cloud: &Cloud, prefix: &str) -> Vec<SecretEntry> {
    let mut list: Vec<(&str, &str, &str, bool)> = vec![
        ("postgres-password", "pgPassword", "password of the Postgres migration role; every per-service password is derived from it", true),
        ("redis-password", "redisPassword", "Redis AUTH password (or access key)", true),
        ("admin-token", "caracalAdminToken", "administrative API token", false),
        ("coordinator-token", "caracalCoordinatorToken", "Coordinator token", false),
        ("auth-secret", "caracalAuthSecret", "console session signing secret", false),
        ("secret-store-kek", "secretStoreKek", "key-encryption key of Caracal's secret store", false),
        ("audit-hmac-key", "auditHmacKey", "audit chain HMAC key", false),
        ("streams-hmac-key", "streamsHmacKey", "Redis Streams HMAC key", false),
        ("idempotency-hmac-key", "idempotencyHmacKey", "idempotency HMAC key", false),
        ("gateway-sts-hmac-key", "gatewayStsHmacKey", "Gateway–STS HMAC key", false),
        ("metrics-bearer", "metricsBearer", "bearer token Prometheus presents to /metrics", false),
    ];
    if let Some(s) = &a.sign_in {
        match s.provider {
            SignInProvider::Smtp => list.push((
                "smtp-url",
                "smtpUrl",
                "SMTP URL (smtps://user:password@host:465) for sign-in mail",
                true,
            )),
            _ => {
                if s.client_id.is_none() {
                    list.push((
                        "sign-in-client-id",
                        "signInClientId",
                        "OAuth client ID of the console's sign-in app",
                        true,
                    ));
                }
                list.push((
                    "sign-in-client-secret",
                    "signInClientSecret",
                    "OAuth client secret of the console's sign-in app",
                    true,
                ));
            }
        }
    }
    let mut vars: Vec<(String, String)> = a
        .secret_store
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in a.secret_store.iter() {
        if let Some(host) = v.strip_prefix("https://") {
            let label = host.split('.').next().unwrap_or_default();
            vars.push((format!("{k}:label"), label.to_string()));
        }
    }
    vars.push((
        "azureVaultName".into(),
        a.secret_store
            .get("azureVaultUrl")
            .and_then(|u| u.strip_prefix("https://"))
            .and_then(|h| h.split('.').next())
            .unwrap_or_default()
            .to_string(),
    ));
    list.into_iter()
        .map(|(name, var, purpose, must_match)| {
            let key = format!("{prefix}{name}");
            let mut v: Vec<(&str, &str)> =
                vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            v.push(("key", key.as_str()));
            let value = if must_match {
                "\"$V\""
            } else {
                "\"$(openssl rand -hex 32)\""
            };
            v.push(("value", value));
            let create = fill(&cloud.secret_store.create_command, &v);
            SecretEntry {
                command: if must_match {
                    format!("read -rsp '{key}: ' V && {create}; unset V")
                } else {
                    create
                },
                key,
                variable: var.into(),
                purpose: purpose.into(),
                must_match,
            }
        })
        .collect()
}

fn external_secret(
    a: &Answers,
    entries: &[SecretEntry],
    store: &str,
    namespace: &str,
) -> ExternalSecret {
    let pg = a.postgres.clone().unwrap_or_default();
    let redis = a.redis.clone().unwrap_or_default();
    let host = pg.host.unwrap_or_default();
    let port = pg.port.unwrap_or(5432);
    let db = pg.database.unwrap_or_else(|| "caracal".into());
    let auth_db = pg.auth_database.unwrap_or_else(|| "caracal_auth".into());
    let mut data = BTreeMap::new();
    let derived =
        |role: &str| format!("{{{{ printf \"%s:caracal{role}\" .pgPassword | sha256sum }}}}");
    data.insert(
        "postgresPassword".to_string(),
        "{{ .pgPassword }}".to_string(),
    );
    for role in DB_ROLES {
        data.insert(format!("{role}DbPassword"), derived(role));
        let database = if role == "auth" { &auth_db } else { &db };
        data.insert(
            format!("{role}DatabaseUrl"),
            format!(
                "postgres://caracal{role}:{}@{host}:{port}/{database}?sslmode=require",
                derived(role)
            ),
        );
    }
    let scheme = if redis.tls.unwrap_or(false) {
        "rediss"
    } else {
        "redis"
    };
    data.insert(
        "redisUrl".into(),
        format!(
            "{scheme}://:{{{{ .redisPassword | urlquery }}}}@{}:{}/{}",
            redis.host.unwrap_or_default(),
            redis.port.unwrap_or(6379),
            redis.database.unwrap_or(0)
        ),
    );
    for e in entries {
        if e.variable != "pgPassword" && e.variable != "redisPassword" {
            data.insert(e.variable.clone(), format!("{{{{ .{} }}}}", e.variable));
        }
    }
    ExternalSecret {
        api_version: "external-secrets.io/v1".into(),
        kind: "ExternalSecret".into(),
        metadata: Metadata {
            name: RUNTIME_SECRET.into(),
            namespace: Some(namespace.into()),
            labels: part_of(a.release()),
            annotations: Labels::new(),
        },
        spec: ExternalSecretSpec {
            refresh_interval: "1h".into(),
            secret_store_ref: StoreRef {
                name: store.into(),
                kind: "ClusterSecretStore".into(),
            },
            target: Target {
                name: RUNTIME_SECRET.into(),
                creation_policy: "Owner".into(),
                deletion_policy: "Retain".into(),
                template: TargetTemplate {
                    type_: "Opaque".into(),
                    engine_version: "v2".into(),
                    data,
                },
            },
            data: entries
                .iter()
                .map(|e| RemoteData {
                    secret_key: e.variable.clone(),
                    remote_ref: RemoteRef { key: e.key.clone() },
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests;
