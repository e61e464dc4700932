//! The per-component egress policies per profile, and the web tier's sign-in answers (#10).
use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::error::Problems;
use crate::plan::{plan, Plan};

const EKS: &str = r#"
cloud: eks
domain: caracal.example.com
tls: {awsCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666"}
postgres: {host: pg.example.internal, cidr: 10.60.0.0/16}
redis: {host: redis.example.internal, cidr: 10.60.0.0/16}
ingressController: {cidrs: [10.60.0.0/16]}
egress: {identityProvider: [10.60.0.0/16], providerApis: [10.60.0.0/16]}
identity: {awsRoleArn: "arn:aws:iam::111122223333:role/caracal"}
secretStore: {awsRegion: us-east-1}
"#;

/// What regulated needs beyond the EKS answers: the audit export and its object store.
const REGULATED: &[&str] = &[
    "auditExport.bucket=caracal-audit",
    "auditExport.endpoint=https://s3.example.com",
    "auditExport.region=us-east-1",
    "egress.objectStore={10.61.0.0/16}",
];

fn try_plan(profile: &str, sets: &[&str]) -> Result<Plan, Problems> {
    let mut all = vec![format!("profile={profile}")];
    all.extend(sets.iter().map(|s| s.to_string()));
    let a = Answers::parse("t", EKS, &all).expect("parses");
    plan(&a, &Catalog::builtin().expect("catalog"))
}

fn plan_of(profile: &str, sets: &[&str]) -> Plan {
    try_plan(profile, sets).expect("valid")
}

/// One policy as `(component, [(cidr, ports)])`.
type Shipped = (String, Vec<(String, Vec<u32>)>);

/// `(component, [(cidr, ports)])` of every policy the plan ships, checking each selects
/// only that component's pods of the release.
fn policies(p: &Plan) -> Vec<Shipped> {
    p.egress_policies
        .iter()
        .filter(|pp| pp.path != crate::plan::BASELINE_FILE)
        .map(|pp| {
            let sel = &pp.policy.spec.pod_selector.match_labels;
            let c = sel["app.kubernetes.io/component"].clone();
            assert_eq!(sel["app.kubernetes.io/name"], "caracal");
            assert_eq!(sel["app.kubernetes.io/instance"], "caracal");
            assert_eq!(pp.path, format!("network/{c}-egress.yaml"));
            assert_eq!(pp.policy.spec.policy_types, vec!["Egress".to_string()]);
            let rules = pp
                .policy
                .spec
                .egress
                .iter()
                .map(|r| {
                    let cidr = r.to[0].ip_block.as_ref().unwrap().cidr.clone();
                    (cidr, r.ports.iter().map(|p| p.port).collect())
                })
                .collect();
            (c, rules)
        })
        .collect()
}

fn open(c: &str) -> Shipped {
    (c.into(), vec![("0.0.0.0/0".into(), vec![443])])
}

#[test]
fn production_and_private_open_https_for_each_calling_component_alone() {
    for profile in ["production", "private"] {
        let p = plan_of(profile, &[]);
        assert_eq!(
            policies(&p),
            vec![open("sts"), open("api"), open("gateway"), open("web")],
            "{profile}"
        );
        // The chart's shared policy stays closed to HTTPS everywhere.
        assert!(!p.values.network_policy.allow_open_https);
    }
}

#[test]
fn named_cidrs_replace_the_open_default_per_component() {
    let p = plan_of(
        "production",
        &[
            "egress.upstreams={10.50.0.0/16}",
            "egress.providers=[{cidr: 10.51.0.0/16, ports: [8443]}]",
        ],
    );
    let got = policies(&p);
    let find = |c: &str| got.iter().find(|(x, _)| x == c).unwrap().1.clone();
    assert_eq!(find("gateway"), vec![("10.50.0.0/16".into(), vec![443])]);
    assert_eq!(find("api"), vec![("10.51.0.0/16".into(), vec![8443])]);
    assert_eq!(find("sts"), find("api"));
    assert_eq!(find("web"), vec![("0.0.0.0/0".into(), vec![443])]);
}

#[test]
fn regulated_opens_nothing_and_warns_per_component_left_without_cidrs() {
    let mut sets = REGULATED.to_vec();
    sets.push("egress.upstreams={10.50.0.0/16}");
    let p = plan_of("regulated", &sets);
    assert_eq!(
        policies(&p),
        vec![("gateway".into(), vec![("10.50.0.0/16".into(), vec![443])])]
    );
    let warned: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(
        warned.iter().filter(|w| **w == "egress.providers").count(),
        2,
        "api and sts: {warned:?}"
    );
    assert!(warned.contains(&"egress.signIn"));
    assert!(!warned.contains(&"egress.upstreams"));
    // A /0 is refused in regulated, per component as for the shared lists.
    let err = try_plan("regulated", &["egress.signIn={0.0.0.0/0}"]).unwrap_err();
    assert!(
        err.0.iter().any(|p| p.path == "egress.signIn[0]"),
        "{err:?}"
    );
}

#[test]
fn evaluation_ships_no_component_policy() {
    let p = plan_of(
        "evaluation",
        &[
            "postgres=null",
            "redis=null",
            "secretStore=null",
            "identity=null",
        ],
    );
    assert!(p.egress_policies.is_empty() && p.component_egress.is_empty());
}

#[test]
fn smtp_sign_in_opens_the_relay_for_web_only_and_requires_it() {
    let smtp = ["signIn.provider=smtp", "signIn.from=no-reply@example.com"];
    let err = try_plan("production", &smtp).unwrap_err();
    assert!(
        err.0.iter().any(|p| p.path == "signIn.smtp.cidr"),
        "{err:?}"
    );
    let mut sets = smtp.to_vec();
    sets.extend(["signIn.smtp.cidr=10.9.0.5/32", "signIn.smtp.port=465"]);
    let p = plan_of("production", &sets);
    let web = policies(&p).into_iter().find(|(c, _)| c == "web").unwrap();
    assert_eq!(web.1, vec![("10.9.0.5/32".into(), vec![465])]);
    let env = &p.values.services["web"].extra_env;
    let url = env.iter().find(|e| e.name == "CARACAL_SMTP_URL").unwrap();
    assert_eq!(
        url.value_from.as_ref().unwrap().secret_key_ref.key,
        "smtpUrl"
    );
}

#[test]
fn operators_become_the_allowlist_env_and_must_be_emails_or_domains() {
    let p = plan_of(
        "production",
        &[
            "signIn.provider=github",
            "signIn.operators={alice@example.com,@ops.example.com}",
        ],
    );
    let env = &p.values.services["web"].extra_env;
    let list = env
        .iter()
        .find(|e| e.name == "CARACAL_OPERATOR_ALLOWLIST")
        .and_then(|e| e.value.clone());
    assert_eq!(list.as_deref(), Some("alice@example.com,@ops.example.com"));
    let err = try_plan(
        "production",
        &[
            "signIn.provider=github",
            "signIn.operators={alice,bob@x y.com}",
        ],
    )
    .unwrap_err();
    let paths: Vec<&str> = err.0.iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"signIn.operators[0]") && paths.contains(&"signIn.operators[1]"),
        "{paths:?}"
    );
    // None named: a warning, not a refusal (the runtime Secret's file may carry them).
    let p = plan_of("production", &[]);
    assert!(p.warnings.iter().any(|w| w.path == "signIn.operators"));
}

#[test]
fn regulated_replaces_the_charts_policy_without_its_any_address_rule() {
    let p = plan_of("regulated", REGULATED);
    assert!(
        !p.values.network_policy.enabled,
        "the chart's policy is off"
    );
    let base = p
        .egress_policies
        .iter()
        .find(|pp| pp.path == crate::plan::BASELINE_FILE)
        .expect("the baseline ships");
    let spec = &base.policy.spec;
    let own = &spec.pod_selector.match_labels;
    assert_eq!(own.len(), 2, "every pod of the release: {own:?}");
    assert_eq!(own["app.kubernetes.io/instance"], "caracal");
    assert_eq!(spec.policy_types, ["Ingress", "Egress"]);
    // The chart's rules, carried over: own pods both ways, the admissions, DNS, named egress.
    let np = &p.values.network_policy;
    assert!(spec.ingress.iter().skip(1).eq(np.extra_ingress.iter()));
    assert!(spec.egress.starts_with(&np.dns_egress));
    assert!(spec.egress.ends_with(&np.extra_egress));
    let own_pods = |peers: &[crate::manifest::Peer]| {
        peers.len() == 1
            && peers[0].namespace_selector.is_none()
            && peers[0].pod_selector.as_ref().map(|s| &s.match_labels) == Some(own)
    };
    assert!(own_pods(&spec.ingress[0].from) && spec.ingress[0].ports.is_empty());
    assert!(spec
        .egress
        .iter()
        .any(|r| own_pods(&r.to) && r.ports.is_empty()));
    // Every other egress rule names its destination: no rule reaches any address.
    for r in &spec.egress {
        assert!(!r.to.is_empty(), "{r:?}");
        for peer in &r.to {
            if let Some(b) = &peer.ip_block {
                assert!(!b.cidr.ends_with("/0"), "{r:?}");
            }
        }
    }
    let pg = p.answers.postgres.as_ref().unwrap().cidr.clone().unwrap();
    assert!(spec
        .egress
        .iter()
        .any(|r| r.to == [crate::manifest::Peer::cidr(&pg)]
            && r.ports.contains(&crate::manifest::PolicyPort::tcp(5432))));
    // Production keeps the chart's policy and ships no baseline.
    let prod = plan_of("production", &[]);
    assert!(prod.values.network_policy.enabled);
    assert!(prod
        .egress_policies
        .iter()
        .all(|pp| pp.path != crate::plan::BASELINE_FILE));
}
