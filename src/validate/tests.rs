use super::*;
use crate::answers::{Answers, Endpoint, Exposure};

fn catalog() -> Catalog {
    Catalog::builtin().expect("catalog")
}

/// EKS production answers that pass (shared with the private hosts' tests).
pub(super) const EKS_PROD: &str = r#"
version: 1
cloud: eks
profile: production
domain: caracal.example.com
tls: {awsCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666"}
postgres: {host: pg.example.internal, cidr: 10.60.0.0/16}
redis: {host: redis.example.internal, cidr: 10.60.0.0/16}
ingressController: {cidrs: [10.60.0.0/16]}
egress: {providerApis: [10.60.0.0/16]}
identity: {awsRoleArn: "arn:aws:iam::111122223333:role/caracal"}
secretStore: {awsRegion: us-east-1}
"#;

fn answers(base: &str, sets: &[&str]) -> Answers {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Answers::parse("test", base, &sets).expect("parses")
}

fn problems(base: &str, sets: &[&str]) -> Vec<Problem> {
    match check(&answers(base, sets), &catalog()) {
        Ok(_) => Vec::new(),
        Err(p) => p.0,
    }
}

#[test]
fn valid_production_answers_pass() {
    assert_eq!(problems(EKS_PROD, &[]), vec![]);
}

#[test]
fn evaluation_needs_only_cloud_profile_and_domain() {
    for cloud in ["eks", "gke", "aks"] {
        let text = format!("cloud: {cloud}\nprofile: evaluation\ndomain: caracal.example.com\n");
        let checked = check(&answers(&text, &[]), &catalog()).expect("valid");
        let a = checked.answers;
        assert_eq!(a.version, Some(1));
        assert_eq!(
            a.postgres.unwrap().host.as_deref(),
            Some(IN_CLUSTER_POSTGRES)
        );
        assert_eq!(a.redis.unwrap().host.as_deref(), Some(IN_CLUSTER_REDIS));
        assert!(a.endpoints.values().all(|x| *x == Exposure::Disabled));
    }
}

/// Each bad answer names its key path; the table is (sets, expected path, words in the message).
#[test]
fn bad_answers_name_the_field() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["cloud=azure"], "cloud", "choose one of: aks, eks, gke"),
        (
            &["profile=staging"],
            "profile",
            "evaluation, production, private, regulated",
        ),
        (&["domain=Caracal_Example"], "domain", "upper-case"),
        (&["domain=caracal"], "domain", "single label"),
        (&["hosts.web=console..example.com"], "hosts.web", "RFC 1123"),
        (
            &["hosts.audit=audit.example.com"],
            "hosts.audit",
            "no Ingress",
        ),
        (
            &[
                "hosts.sts=console.caracal.example.com",
                "endpoints.sts=public",
            ],
            "hosts.sts",
            "also the host",
        ),
        (
            &["endpoints.audit=public"],
            "endpoints.audit",
            "private by design",
        ),
        (
            &["endpoints.control=internal"],
            "endpoints.control",
            "private by design",
        ),
        (
            &["postgres.cidr=10.60.0.1/16"],
            "postgres.cidr",
            "host bits",
        ),
        (&["postgres.cidr=10.60.0.0"], "postgres.cidr", "/32"),
        (&["postgres.port=70000"], "postgres.port", "not a TCP port"),
        (
            &["postgres.host=postgres.default.svc.cluster.local"],
            "postgres.host",
            "in-cluster default",
        ),
        (
            &["redis.host=redis.default.svc.cluster.local"],
            "redis.host",
            "in-cluster default",
        ),
        (
            &["identity.awsRoleArn=arn:aws:iam::1234:role/x"],
            "identity.awsRoleArn",
            "IAM role ARN",
        ),
        (
            &["identity.gcpServiceAccount=x@y.iam.gserviceaccount.com"],
            "identity.gcpServiceAccount",
            "not an identity on eks",
        ),
        (
            &["secretStore.awsRegion=mars"],
            "secretStore.awsRegion",
            "AWS region",
        ),
        (
            &["secretStore.keyPrefix=caracal prod/"],
            "secretStore.keyPrefix",
            "secret name",
        ),
        (
            &["tls.awsCertificateArn=arn:aws:acm:us-east-1:1:certificate/x"],
            "tls.awsCertificateArn",
            "ACM certificate ARN",
        ),
        (
            &["tls={clusterIssuer: letsencrypt-prod}"],
            "tls.clusterIssuer",
            "can't serve public endpoints on eks",
        ),
        (
            &["dns.mode=open"],
            "dns.mode",
            "refused in profile `production`",
        ),
        (
            &["dns.mode=cidr"],
            "dns.cidr",
            "required with `dns.mode: cidr`",
        ),
        (
            &["dns.mode=cidr", "dns.cidr=172.20.0.10/32"],
            "dns.cidr",
            "kube-dns Service IP of Amazon EKS's default Service range",
        ),
        (
            &["egress.other=[0.0.0.0/33]"],
            "egress.other[0]",
            "the prefix /33 is longer than 32",
        ),
        (&["ingressController=null"], "ingressController", "VPC"),
        (
            &["monitoring.otlpEndpoint=otel:4317"],
            "monitoring.otlpEndpoint",
            "URL",
        ),
        (
            &["retention.auditDays=0"],
            "retention.auditDays",
            "out of range",
        ),
        (&["release=Caracal"], "release", "Helm release name"),
        (&["namespace=caracal.prod"], "namespace", "namespace name"),
        (&["version=2"], "version", "newer"),
        (&["signIn.provider=smtp"], "signIn.from", "sender address"),
        (
            &["auditExport.bucket=x"],
            "auditExport.endpoint",
            "required",
        ),
        (
            &[
                "redis.tls=false",
                "redis.port=6380",
                "cloud=aks",
                "identity={azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}",
                "secretStore={azureVaultUrl: 'https://kv-caracal.vault.azure.net'}",
                "tls={clusterIssuer: letsencrypt}",
                "ingressController=null",
            ],
            "redis.tls",
            "TLS port",
        ),
    ];
    for (sets, path, words) in cases {
        let found = problems(EKS_PROD, sets);
        assert!(
            found
                .iter()
                .any(|p| p.path == *path && p.message.contains(words)),
            "{sets:?}: expected `{path}` mentioning {words:?}, got {found:#?}"
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = problems(
        EKS_PROD,
        &[
            "domain=bad_domain",
            "postgres.cidr=nope",
            "identity.awsRoleArn=x",
            "endpoints.audit=public",
        ],
    );
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    for want in [
        "domain",
        "postgres.cidr",
        "identity.awsRoleArn",
        "endpoints.audit",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
}

#[test]
fn private_refuses_public_endpoints() {
    let found = problems(EKS_PROD, &["profile=private", "endpoints.web=public"]);
    let p = found
        .iter()
        .find(|p| p.path == "endpoints.web")
        .expect("web refused");
    assert!(
        p.message
            .contains("`public` is not allowed in profile `private`"),
        "{p}"
    );
    assert!(p.message.contains("`internal`"), "{p}");
    // Its defaults are all internal or disabled.
    let a = check(&answers(EKS_PROD, &["profile=private"]), &catalog())
        .expect("valid")
        .answers;
    assert!(a.endpoints.values().all(|x| *x != Exposure::Public));
}

#[test]
fn managed_profiles_require_postgres_and_redis_hosts() {
    for profile in ["production", "private", "regulated"] {
        let found = problems(
            EKS_PROD,
            &[&format!("profile={profile}"), "postgres=null", "redis=null"],
        );
        for path in ["postgres.host", "redis.host"] {
            let p = found.iter().find(|p| p.path == path);
            assert!(
                p.is_some_and(|p| p.message.contains("managed")),
                "{profile} {path}: {found:#?}"
            );
        }
    }
}

#[test]
fn regulated_requires_audit_export_and_refuses_open_egress() {
    let found = problems(EKS_PROD, &["profile=regulated"]);
    assert!(
        found
            .iter()
            .any(|p| p.path == "auditExport" && p.message.contains("requires audit export")),
        "{found:#?}"
    );
    let found = problems(
        EKS_PROD,
        &[
            "profile=regulated",
            "auditExport={endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: audit-logs, region: us-east-1}",
            "egress.objectStore=[10.61.0.0/16]",
            "egress.openHttps=true",
            "egress.other=[0.0.0.0/0]",
            "dns.mode=open",
        ],
    );
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["dns.mode", "egress.openHttps", "egress.other[0]"],
        "{found:#?}"
    );
    // The same egress is fine in production.
    let found = problems(
        EKS_PROD,
        &["egress.openHttps=true", "egress.other=[0.0.0.0/0]"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn regulated_keeps_evidence_at_least_a_year() {
    let found = problems(
        EKS_PROD,
        &[
            "profile=regulated",
            "auditExport={endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: audit-logs, region: us-east-1}",
            "egress.objectStore=[10.61.0.0/16]",
            "retention.auditDays=90",
        ],
    );
    assert!(
        found.iter().any(|p| p.path == "retention.auditDays"),
        "{found:#?}"
    );
}

#[test]
fn defaults_follow_cloud_and_profile() {
    let c = catalog();
    let a = check(&answers(EKS_PROD, &["profile=regulated", "auditExport={endpoint: 'https://s3.amazonaws.com', bucket: b-audit, region: us-east-1}", "egress.objectStore=[10.61.0.0/16]"]), &c)
        .expect("valid")
        .answers;
    assert_eq!(a.retention.unwrap().audit_days, Some(2555));
    assert_eq!(a.storage_class.as_deref(), Some("gp3"));
    assert_eq!(
        a.secret_store.get("keyPrefix").map(String::as_str),
        Some("caracal/")
    );
    let r = a.redis.unwrap();
    assert_eq!((r.port, r.tls), (Some(6379), Some(true)));
    assert_eq!(a.hosts[&Endpoint::Web], "console.caracal.example.com");
    assert_eq!(a.hosts[&Endpoint::Sts], "sts.caracal.example.com");
}

#[test]
fn azure_managed_redis_gets_its_own_port() {
    let text = "cloud: aks\nprofile: production\ndomain: caracal.example.com\npostgres: {host: pg.postgres.database.azure.com}\nredis: {host: caracal.westeurope.Redis.Azure.net}\n";
    let a = complete(
        &answers(text, &[]),
        catalog().cloud("aks").unwrap(),
        catalog().profile("production").unwrap(),
    );
    let r = a.redis.unwrap();
    assert_eq!((r.port, r.tls), (Some(10000), Some(true)));
    // A port that misses it is refused, naming the one it listens on.
    let p = problems(text, &["redis.port=6380"]);
    assert!(
        p.iter()
            .any(|p| p.path == "redis.port" && p.message.contains("listens on 10000")),
        "{p:?}"
    );
}

#[test]
fn aks_redis_defaults_to_its_tls_port() {
    let text = "cloud: aks\nprofile: production\ndomain: caracal.example.com\npostgres: {host: pg.postgres.database.azure.com}\nredis: {host: r.redis.cache.windows.net}\n";
    let a = complete(
        &answers(text, &[]),
        catalog().cloud("aks").unwrap(),
        catalog().profile("production").unwrap(),
    );
    let r = a.redis.unwrap();
    assert_eq!((r.port, r.tls), (Some(6380), Some(true)));
    assert_eq!(
        a.secret_store.get("keyPrefix").map(String::as_str),
        Some("caracal-")
    );
}

#[test]
fn internal_endpoints_on_gke_refuse_managed_certificates() {
    let text = "cloud: gke\nprofile: private\ndomain: caracal.example.com\ntls: {gkeManagedCertificates: true}\n";
    let found = problems(text, &[]);
    assert!(
        found
            .iter()
            .any(|p| p.path == "tls.gkeManagedCertificates" && p.message.contains("internal")),
        "{found:#?}"
    );
}

#[test]
fn own_ingress_controller_allows_cert_manager_on_eks() {
    let found = problems(
        EKS_PROD,
        &[
            "tls={clusterIssuer: letsencrypt-prod}",
            "issuerProof=dns01",
            "ingressController={namespace: ingress-nginx, podLabels: {app.kubernetes.io/name: ingress-nginx}, className: nginx, internalClassName: nginx-internal}",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn missing_identity_egress_is_refused_as_check_refuses_it() {
    let found = problems(EKS_PROD, &["egress.providerApis=[]"]);
    assert!(
        found
            .iter()
            .any(|p| p.path == "egress.providerApis" && p.message.contains("no HTTPS egress")),
        "{found:#?}"
    );
}

/// The regulated variant of [`EKS_PROD`], as `--set`s.
const TO_REGULATED: [&str; 3] = [
    "profile=regulated",
    "auditExport={endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: caracal-audit, region: us-east-1}",
    "egress.objectStore=[10.61.0.0/16]",
];

/// Each refusal says why (#13); the table is (sets, expected path, words in the message).
#[test]
fn refusals_say_why() {
    let aks = [
        "cloud=aks",
        "identity={azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}",
        "tls={clusterIssuer: letsencrypt}",
        "ingressController=null",
    ];
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["postgres.cidr=10.20.0.0/33"],
            "postgres.cidr",
            "the prefix /33 is longer than 32",
        ),
        (
            vec!["redis.cidr=10.20.0.0/x"],
            "redis.cidr",
            "`/x` is not a prefix length",
        ),
        (
            vec!["egress.other=[10.20.0.1]"],
            "egress.other[0]",
            "write `10.20.0.1/32` for one host",
        ),
        (
            [
                &aks[..],
                &["secretStore={azureVaultUrl: caracal-kv.vault.azure.net}"],
            ]
            .concat(),
            "secretStore.azureVaultUrl",
            "a Key Vault URL starts with `https://`",
        ),
        (
            [
                &aks[..],
                &["secretStore={azureVaultUrl: 'http://caracal-kv.vault.azure.net'}"],
            ]
            .concat(),
            "secretStore.azureVaultUrl",
            "Key Vault serves only HTTPS",
        ),
        (
            [
                &aks[..],
                &["secretStore={azureVaultUrl: 'https://kv.vault.azure.net'}"],
            ]
            .concat(),
            "secretStore.azureVaultUrl",
            "the vault name `kv` must be 3–24",
        ),
        (
            vec!["tls.awsCertificateArn=nope"],
            "tls.awsCertificateArn",
            "certificate/0b3c2a1e-1111-2222-3333-444455556666`",
        ),
        (
            vec!["egress.other=[{cidr: 10.20.0.0/16, ports: []}]"],
            "egress.other[0].ports",
            "`CIDR:PORT+PORT`, e.g. `10.30.0.0/16:8443+9443`",
        ),
    ];
    for (sets, path, words) in cases {
        let found = problems(EKS_PROD, &sets);
        assert!(
            found
                .iter()
                .any(|p| p.path == path && p.message.contains(words)),
            "{sets:?}: expected `{path}` mentioning {words:?}, got {found:#?}"
        );
    }
}

#[test]
fn a_bad_domain_is_reported_once_not_at_every_default_host() {
    let found = problems(EKS_PROD, &["domain=bad_domain.example"]);
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, vec!["domain"], "{found:#?}");
    // A host the operator typed under the bad domain is still their answer to fix.
    let found = problems(
        EKS_PROD,
        &[
            "domain=bad_domain.example",
            "hosts.web=web.bad_domain.example",
        ],
    );
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, vec!["domain", "hosts.web"], "{found:#?}");
}

#[test]
fn a_data_host_ip_outside_its_cidr_is_refused_naming_the_answer() {
    for (key, ip) in [("postgres", "10.70.0.5"), ("redis", "192.168.1.9")] {
        let found = problems(EKS_PROD, &[&format!("{key}.host={ip}")]);
        assert!(
            found.iter().any(|p| p.path == format!("{key}.host")
                && p.message
                    .contains(&format!("`{ip}` is outside `{key}.cidr` `10.60.0.0/16`"))),
            "{key}: {found:#?}"
        );
        let inside = problems(EKS_PROD, &[&format!("{key}.host=10.60.3.4")]);
        assert_eq!(inside, vec![], "{key}: an address inside the CIDR is fine");
    }
}

#[test]
fn regulated_refuses_a_data_cidr_to_everywhere() {
    let sets = [&TO_REGULATED[..], &["redis.cidr=0.0.0.0/0"]].concat();
    let found = problems(EKS_PROD, &sets);
    assert!(
        found
            .iter()
            .any(|p| p.path == "redis.cidr" && p.message.contains("profile `regulated` refuses")),
        "{found:#?}"
    );
    let production = problems(EKS_PROD, &["redis.cidr=0.0.0.0/0"]);
    assert_eq!(production, vec![], "production allows open CIDRs");
}

#[test]
fn regulated_never_suggests_open_https() {
    let sets = [&TO_REGULATED[..], &["egress.providerApis=[]"]].concat();
    let found = problems(EKS_PROD, &sets);
    let p = found
        .iter()
        .find(|p| p.path == "egress.providerApis")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(!p.message.contains("openHttps"), "{}", p.message);
    let production = problems(EKS_PROD, &["egress.providerApis=[]"]);
    assert!(
        production
            .iter()
            .any(|p| p.message.contains("`egress.openHttps: true`")),
        "production may open HTTPS: {production:#?}"
    );
}

/// Warnings must be worth reading (#13): the controller-mismatch warning fires only when
/// the pods serving the Ingresses are not the ones the selector names.
#[test]
fn controller_warning_fires_only_when_the_selector_misses_the_serving_pods() {
    let aks = [
        "cloud=aks",
        "identity={azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}",
        "secretStore={azureVaultUrl: 'https://caracal-kv.vault.azure.net', azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}",
        "tls={clusterIssuer: letsencrypt-dns01}",
        "issuerProof=dns01",
    ];
    let warnings = |ic: &str| {
        let sets: Vec<String> = aks
            .iter()
            .map(|s| s.to_string())
            .chain([format!("ingressController={ic}")])
            .collect();
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        check(&answers(EKS_PROD, &sets), &catalog())
            .expect("valid")
            .warnings
            .into_iter()
            .filter(|w| w.path == "ingressController")
            .collect::<Vec<_>>()
    };
    let own = warnings("{namespace: ingress-nginx, podLabels: {app.kubernetes.io/name: ingress-nginx}, className: nginx, internalClassName: nginx-internal}");
    assert_eq!(
        own,
        vec![],
        "their own controller is what the selector names"
    );
    let cloud_served =
        warnings("{namespace: ingress-nginx, podLabels: {app.kubernetes.io/name: ingress-nginx}}");
    assert!(
        cloud_served
            .iter()
            .any(|w| w.message.contains("whose pods run in `app-routing-system`")),
        "{cloud_served:#?}"
    );
}

fn warnings(base: &str, sets: &[&str]) -> Vec<Problem> {
    check(&answers(base, sets), &catalog())
        .expect("valid")
        .warnings
}

const ARGOCD: [&str; 3] = [
    "gitops=argocd",
    "gitopsRepo.url=https://github.com/acme/fleet.git",
    "gitopsRepo.path=clusters/prod/caracal",
];

#[test]
fn the_chart_defaults_to_the_published_one_and_is_pinned_in_the_answers() {
    let c = check(&answers(EKS_PROD, &[]), &catalog()).expect("valid");
    let chart = c.answers.chart.expect("filled");
    assert_eq!(
        chart.reference.as_deref(),
        Some("oci://ghcr.io/garudex-labs/charts/caracal")
    );
    assert_eq!(chart.version.as_deref(), Some("1.0.0"));
}

#[test]
fn a_chart_version_must_be_exact_and_the_reference_oci() {
    for bad in ["v1.0.0", "^1.0.0", "latest", "1.0.x", "1.0.0-", "1.0.0.0"] {
        let p = problems(EKS_PROD, &[&format!("chart.version={bad}")]);
        assert!(p.iter().any(|p| p.path == "chart.version"), "{bad}: {p:?}");
    }
    assert_eq!(problems(EKS_PROD, &["chart.version=1.1.0-rc.2"]), vec![]);
    for bad in [
        "https://ghcr.io/garudex-labs/charts/caracal",
        "oci://ghcr.io/garudex-labs/charts/caracal:1.0.0",
        "oci://ghcr.io",
        "oci://ghcr.io/charts/",
    ] {
        let p = problems(EKS_PROD, &[&format!("chart.ref={bad}")]);
        assert!(p.iter().any(|p| p.path == "chart.ref"), "{bad}: {p:?}");
    }
    assert_eq!(
        problems(
            EKS_PROD,
            &["chart.ref=oci://registry.example:5000/mirror/caracal"]
        ),
        vec![]
    );
}

#[test]
fn an_older_chart_repo_is_superseded_and_its_release_tag_becomes_the_version() {
    let sets = [
        &ARGOCD[..],
        &[
            "chartRepo.url=https://github.com/Garudex-Labs/caracal.git",
            "chartRepo.path=infra/helm/caracal",
            "chartRepo.revision=v1.2.0",
        ],
    ]
    .concat();
    let c = check(&answers(EKS_PROD, &sets), &catalog()).expect("still loads");
    assert_eq!(c.answers.chart_version(), "1.2.0");
    assert!(
        c.warnings.iter().any(|w| w.path == "chartRepo"),
        "{:?}",
        c.warnings
    );
    // A branch says nothing about the version: the default stays.
    let sets = [&ARGOCD[..], &["chartRepo.revision=main"]].concat();
    let c = check(&answers(EKS_PROD, &sets), &catalog()).expect("still loads");
    assert_eq!(c.answers.chart_version(), "1.0.0");
}

#[test]
fn a_branch_as_the_overlay_revision_is_warned_about_and_a_tag_is_not() {
    let branch = warnings(EKS_PROD, &ARGOCD);
    assert!(
        branch
            .iter()
            .any(|w| w.path == "gitopsRepo.revision" && w.message.contains("`main` is a branch")),
        "{branch:?}"
    );
    for pinned in [
        "gitopsRepo.revision=refs/tags/v1.0.0",
        "gitopsRepo.revision=0123456789abcdef0123456789abcdef01234567",
    ] {
        let w = warnings(EKS_PROD, &[&ARGOCD[..], &[pinned]].concat());
        assert!(!w.iter().any(|w| w.path == "gitopsRepo.revision"), "{w:?}");
    }
}

#[test]
fn the_overlay_revision_path_and_url_are_refused_when_git_could_not_use_them() {
    for (set, key) in [
        (
            "gitopsRepo.revision=--upload-pack=touch",
            "gitopsRepo.revision",
        ),
        ("gitopsRepo.revision=main..x", "gitopsRepo.revision"),
        ("gitopsRepo.revision=a.lock", "gitopsRepo.revision"),
        ("gitopsRepo.revision=a//b", "gitopsRepo.revision"),
        ("gitopsRepo.path=-rf", "gitopsRepo.path"),
        ("gitopsRepo.path=clusters/-x", "gitopsRepo.path"),
        (
            "gitopsRepo.url=https://git.example.com:99999/acme/infra.git",
            "gitopsRepo.url",
        ),
    ] {
        let p = problems(EKS_PROD, &[&ARGOCD[..], &[set]].concat());
        assert!(p.iter().any(|p| p.path == key), "{set}: {p:?}");
    }
    let p = problems(
        EKS_PROD,
        &[&ARGOCD[..], &["gitopsRepo.revision=--upload-pack=touch"]].concat(),
    );
    assert!(
        p.iter().any(|p| p.message.contains("starts with `-`")),
        "{p:?}"
    );
}

/// `secretStore.gcpClusterProject` is optional, a GCP project ID, and a GKE setting only.
#[test]
fn gke_cluster_project_is_an_optional_project_id_on_gke_only() {
    let gke = "cloud: gke\nprofile: production\ndomain: caracal.example.com\nendpoints: {gateway: disabled}\npostgres: {host: 10.40.0.3}\nredis: {host: 10.40.1.4}\ncaBundle: {configMap: caracal-server-ca}\nidentity: {gcpServiceAccount: caracal@acme-prod.iam.gserviceaccount.com}\nsecretStore: {gcpProject: acme-prod, gcpClusterLocation: us-central1, gcpClusterName: prod}\n";
    let path = "secretStore.gcpClusterProject";
    let paths = |sets: &[&str]| -> Vec<String> {
        problems(gke, sets).into_iter().map(|p| p.path).collect()
    };
    assert!(!paths(&[]).contains(&path.to_string()), "optional");
    assert!(!paths(&["secretStore.gcpClusterProject=acme-gke-host"]).contains(&path.to_string()));
    for bad in [
        "Acme-Host",
        "1acme-host",
        "acme-host-",
        "acme",
        "a-very-long-project-id-of-31-ch",
        "acme_host",
    ] {
        let set = format!("{path}={bad}");
        assert!(paths(&[&set]).contains(&path.to_string()), "{bad} accepted");
    }
    let aks = "cloud: aks\nprofile: evaluation\ndomain: caracal.example.com\n";
    let set = format!("{path}=acme-gke-host");
    for base in [EKS_PROD, aks] {
        let found = problems(base, &[&set]);
        assert!(
            found
                .iter()
                .any(|p| p.path == path && p.message.contains("not a")),
            "{found:#?}"
        );
    }
}
