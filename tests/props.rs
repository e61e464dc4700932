//! Property tests (#5): any valid answers produce an overlay that passes every static check,
//! and no answers text, YAML value or `--set` makes the parser, validator or planner panic.
//!
//! `PROPTEST_CASES=n` runs more cases (the README's long run uses it); CI runs the defaults.
mod common;

use caracal_wizard::answers::Answers;
use caracal_wizard::catalog::Catalog;
use caracal_wizard::check::{self, Severity};
use caracal_wizard::render::Templates;
use proptest::prelude::*;

fn catalog() -> Catalog {
    Catalog::builtin().expect("catalog")
}

/// A private /16–/28 CIDR.
fn cidr() -> impl Strategy<Value = String> {
    (0u8..=255, 0u8..=255, 16u8..=28).prop_map(|(b, c, len)| {
        let net: ipnet::Ipv4Net = format!("10.{b}.{c}.0/{len}").parse().expect("cidr");
        net.trunc().to_string()
    })
}

fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,8}"
}

/// Everything a valid answers file needs, chosen freely within the rules.
#[derive(Debug, Clone)]
struct Choice {
    cloud: usize,
    profile: usize,
    exposures: [usize; 4],
    custom_hosts: [Option<String>; 4],
    domain: String,
    cidrs: Vec<String>,
    ports: (u32, u32),
    gke_managed: bool,
    gitops: usize,
    aks_controller: bool,
    namespace: Option<String>,
    open_https: bool,
}

fn choice() -> impl Strategy<Value = Choice> {
    (
        (
            0usize..3,
            0usize..4,
            [0usize..3, 0usize..3, 0usize..3, 0usize..3],
        ),
        [
            proptest::option::of(label()),
            proptest::option::of(label()),
            proptest::option::of(label()),
            proptest::option::of(label()),
        ],
        (
            label(),
            prop_oneof![
                Just("example.com"),
                Just("example.org"),
                Just("corp.example")
            ],
        ),
        proptest::collection::vec(cidr(), 8),
        (1024u32..65535, 1024u32..65535),
        (
            any::<bool>(),
            0usize..3,
            any::<bool>(),
            proptest::option::of(label()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (cloud, profile, exposures),
                custom_hosts,
                (sub, tld),
                cidrs,
                ports,
                (gke_managed, gitops, aks_controller, namespace, open_https),
            )| Choice {
                cloud,
                profile,
                exposures,
                custom_hosts,
                domain: format!("{sub}.{tld}"),
                cidrs,
                ports,
                gke_managed,
                gitops,
                aks_controller,
                namespace,
                open_https,
            },
        )
}

const ENDPOINTS: [&str; 4] = ["web", "sts", "gateway", "api"];

/// Builds a valid answers document for a choice.
fn answers_for(c: &Choice, catalog: &Catalog) -> serde_yaml::Value {
    let cloud = ["eks", "gke", "aks"][c.cloud];
    let profile = &catalog.profiles[c.profile];
    let mut a = serde_yaml::Mapping::new();
    let mut put = |k: &str, v: serde_yaml::Value| {
        a.insert(k.into(), v);
    };
    let y = |s: &str| -> serde_yaml::Value { serde_yaml::from_str(s).expect("fixture yaml") };
    put("version", 1.into());
    put("cloud", cloud.into());
    put("profile", profile.id.clone().into());
    put("domain", c.domain.clone().into());
    if let Some(ns) = &c.namespace {
        put("namespace", ns.clone().into());
    }
    let mut endpoints = serde_yaml::Mapping::new();
    let mut hosts = serde_yaml::Mapping::new();
    let mut used = Vec::new();
    for (i, e) in ENDPOINTS.iter().enumerate() {
        let x = profile.exposures[c.exposures[i] % profile.exposures.len()].clone();
        if x != "disabled" {
            used.push(x.clone());
        }
        endpoints.insert((*e).into(), x.into());
        if let Some(h) = &c.custom_hosts[i] {
            hosts.insert((*e).into(), format!("{h}-{e}.{}", c.domain).into());
        }
    }
    put("endpoints", serde_yaml::Value::Mapping(endpoints));
    put("hosts", serde_yaml::Value::Mapping(hosts));
    let internal = used.iter().any(|x| x == "internal");
    match cloud {
        "eks" => put(
            "tls",
            y(
                r#"{awsCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666"}"#,
            ),
        ),
        "gke" if c.gke_managed && !internal => put("tls", y("{gkeManagedCertificates: true}")),
        _ => {
            put("tls", y("{clusterIssuer: letsencrypt-dns01}"));
            put("issuerProof", y("dns01"));
        }
    }
    if cloud != "aks" || c.aks_controller {
        put(
            "ingressController",
            y(&format!("{{cidrs: [{}]}}", c.cidrs[0])),
        );
    }
    if !profile.evaluation {
        put(
            "postgres",
            y(&format!(
                "{{host: pg.internal.example, port: {}, cidr: {}}}",
                c.ports.0, c.cidrs[1]
            )),
        );
        put(
            "redis",
            y(&format!(
                "{{host: redis.internal.example, cidr: {}}}",
                c.cidrs[2]
            )),
        );
        if cloud == "gke" {
            // Memorystore's TLS (GKE's default) is verified only with its CA.
            put("caBundle", y("{configMap: caracal-server-ca}"));
        }
        let open = c.open_https && profile.open_https;
        put(
            "egress",
            y(&format!(
                "{{identityProvider: [{}], providerApis: [{}], objectStore: [{}], other: [{{cidr: {}, ports: [{}]}}], openHttps: {open}}}",
                c.cidrs[3], c.cidrs[4], c.cidrs[5], c.cidrs[6], c.ports.1
            )),
        );
        put(
            "identity",
            match cloud {
                "eks" => y(r#"{awsRoleArn: "arn:aws:iam::111122223333:role/caracal"}"#),
                "gke" => y("{gcpServiceAccount: caracal@acme-prod.iam.gserviceaccount.com}"),
                _ => y("{azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}"),
            },
        );
        put(
            "secretStore",
            match cloud {
                "eks" => y("{awsRegion: eu-west-1}"),
                "gke" => y("{gcpProject: acme-prod, gcpClusterLocation: europe-west4, gcpClusterName: prod}"),
                _ => y(
                    r#"{azureVaultUrl: "https://caracal-kv.vault.azure.net", azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}"#,
                ),
            },
        );
        if profile.require_audit_export {
            put(
                "auditExport",
                y(
                    r#"{endpoint: "https://s3.example.com", bucket: caracal-audit, region: us-east-1}"#,
                ),
            );
        }
        match c.gitops {
            1 => {
                put("gitops", "argocd".into());
                put(
                    "gitopsRepo",
                    y("{url: https://github.com/acme/fleet.git, path: clusters/prod/caracal}"),
                );
            }
            2 => {
                put("gitops", "flux".into());
                put(
                    "gitopsRepo",
                    y("{path: clusters/prod/caracal, revision: refs/tags/v1}"),
                );
            }
            _ => {}
        }
    }
    serde_yaml::Value::Mapping(a)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_answers_produce_an_overlay_passing_every_static_check(c in choice()) {
        let catalog = catalog();
        let templates = Templates::builtin().expect("templates");
        let doc = answers_for(&c, &catalog);
        let text = serde_yaml::to_string(&doc).expect("yaml");
        let answers = Answers::parse("prop.yaml", &text, &[]).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let (_, tree) = caracal_wizard::build(&answers, &catalog, &templates).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let dir = tempfile::tempdir().expect("tempdir");
        caracal_wizard::output::write_tree(dir.path(), &tree, false).expect("write");
        let findings = check::check_dir(dir.path(), &catalog).expect("check");
        let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{errors:#?}\n{text}");
    }
}

/// `--set`s that push valid answers towards the edges the writers and `check` must agree
/// on (#13): missing or open egress, data hosts and CIDRs, DNS modes, profile switches.
const STRESS: [&str; 28] = [
    "egress.providerApis=[]",
    "egress.identityProvider=[]",
    "egress.objectStore=[]",
    "egress.openHttps=true",
    "egress.openHttps=false",
    "egress.other=[0.0.0.0/0]",
    "egress=null",
    "postgres.cidr=0.0.0.0/0",
    "redis.cidr=0.0.0.0/0",
    "postgres.host=10.1.2.3",
    "redis.host=10.2.3.4",
    "postgres.cidr=null",
    "dns.mode=open",
    "dns.mode=cidr",
    "dns.cidr=10.0.0.10/32",
    "ingressController=null",
    "ingressController={namespace: ingress-nginx}",
    "auditExport=null",
    "endpoints.web=disabled",
    "endpoints.sts=internal",
    "endpoints.api=public",
    "redis.tls=true",
    "redis.port=6380",
    "profile=regulated",
    "profile=production",
    "profile=evaluation",
    "cloud=gke",
    "tls={clusterIssuer: letsencrypt-dns01}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// One truth (#13): whatever `new` accepts, `check` reports clean.
    #[test]
    fn any_answers_new_accepts_give_an_overlay_check_reports_clean(
        c in choice(),
        sets in proptest::collection::vec(proptest::sample::select(STRESS.to_vec()), 0..4),
    ) {
        let catalog = catalog();
        let templates = Templates::builtin().expect("templates");
        let text = serde_yaml::to_string(&answers_for(&c, &catalog)).expect("yaml");
        let sets: Vec<String> = sets.into_iter().map(str::to_string).collect();
        let Ok(answers) = Answers::parse("prop.yaml", &text, &sets) else {
            return Ok(());
        };
        let Ok((_, tree)) = caracal_wizard::build(&answers, &catalog, &templates) else {
            return Ok(());
        };
        let dir = tempfile::tempdir().expect("tempdir");
        caracal_wizard::output::write_tree(dir.path(), &tree, false).expect("write");
        let findings = check::check_dir(dir.path(), &catalog).expect("check");
        let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{errors:#?}\n{text}\n{sets:?}");
    }
}

/// Keys of the answers file, to steer random documents towards the interesting paths.
const KEYS: [&str; 30] = [
    "version",
    "cloud",
    "profile",
    "release",
    "namespace",
    "domain",
    "hosts",
    "endpoints",
    "tls",
    "postgres",
    "redis",
    "dns",
    "ingressController",
    "egress",
    "identity",
    "secretStore",
    "storageClass",
    "monitoring",
    "auditExport",
    "retention",
    "signIn",
    "gitops",
    "gitopsRepo",
    "chartRepo",
    "web",
    "sts",
    "cidr",
    "port",
    "mode",
    "host",
];
const WORDS: [&str; 16] = [
    "eks",
    "gke",
    "aks",
    "evaluation",
    "production",
    "private",
    "regulated",
    "public",
    "internal",
    "disabled",
    "argocd",
    "flux",
    "0.0.0.0/0",
    "10.0.0.0/8",
    "caracal.example.com",
    "https://x.example.com",
];

fn yaml_value() -> impl Strategy<Value = serde_yaml::Value> {
    let leaf = prop_oneof![
        Just(serde_yaml::Value::Null),
        any::<bool>().prop_map(serde_yaml::Value::Bool),
        any::<i64>().prop_map(|n| serde_yaml::Value::Number(n.into())),
        any::<u32>().prop_map(|n| serde_yaml::Value::Number(n.into())),
        proptest::sample::select(WORDS.to_vec()).prop_map(|s| serde_yaml::Value::String(s.into())),
        ".{0,12}".prop_map(serde_yaml::Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_yaml::Value::Sequence),
            proptest::collection::vec((proptest::sample::select(KEYS.to_vec()), inner), 0..6)
                .prop_map(|kv| {
                    serde_yaml::Value::Mapping(
                        kv.into_iter()
                            .map(|(k, v)| (serde_yaml::Value::String(k.into()), v))
                            .collect(),
                    )
                }),
        ]
    })
}

fn run_everything(text: &str, sets: &[String]) {
    let catalog = catalog();
    if let Ok(a) = Answers::parse("prop.yaml", text, sets) {
        let _ = caracal_wizard::validate::check(&a, &catalog);
        if let Ok(plan) = caracal_wizard::plan::plan(&a, &catalog) {
            let templates = Templates::builtin().expect("templates");
            let _ = caracal_wizard::render::render(&plan, &templates);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}", sets in proptest::collection::vec(".{0,30}", 0..3)) {
        run_everything(&text, &sets);
    }

    #[test]
    fn arbitrary_yaml_answers_never_panic(doc in yaml_value(), sets in proptest::collection::vec("[a-zA-Z.]{1,20}=[a-z0-9./{},]{0,20}", 0..3)) {
        let text = serde_yaml::to_string(&doc).unwrap_or_default();
        run_everything(&text, &sets);
    }

    #[test]
    fn mutated_valid_answers_never_panic(c in choice(), key in proptest::sample::select(KEYS.to_vec()), v in yaml_value()) {
        let mut doc = answers_for(&c, &catalog());
        if let Some(m) = doc.as_mapping_mut() {
            m.insert(key.into(), v);
        }
        let text = serde_yaml::to_string(&doc).unwrap_or_default();
        run_everything(&text, &[]);
    }
}
