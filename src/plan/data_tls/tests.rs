//! The overlay's own output for #10: URLs per runtime, CA mounts, ALB annotations, the Key
//! Vault store, audit HMAC keys and the issuer's proof.
use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::manifest::EnvVar;
use crate::plan::{plan, Plan};
use crate::render::Templates;

const EKS: &str = "cloud: eks\nprofile: production\ndomain: caracal.example.com\nendpoints: {web: public, sts: public, gateway: internal}\npostgres: {host: pg.example.internal, cidr: 10.60.0.0/16}\nredis: {host: redis.example.internal, cidr: 10.60.0.0/16, tls: true}\ningressController: {cidrs: [10.60.0.0/16]}\negress: {identityProvider: [10.60.0.0/16], providerApis: [10.60.0.0/16]}\nidentity: {awsRoleArn: \"arn:aws:iam::111122223333:role/caracal\"}\nsecretStore: {awsRegion: us-east-1}\n";
const GKE: &str = "cloud: gke\nprofile: production\ndomain: caracal.example.com\nendpoints: {web: public, sts: public, gateway: disabled, api: disabled}\ntls: {clusterIssuer: letsencrypt-prod}\nissuerProof: http01\npostgres: {host: 10.40.0.3, cidr: 10.40.0.0/24}\nredis: {host: 10.40.1.4, port: 6378, tls: true, cidr: 10.40.1.0/29}\ncaBundle: {configMap: gcp-ca}\negress: {providerApis: [199.36.153.8/30], objectStore: [199.36.153.8/30]}\nidentity: {gcpServiceAccount: caracal@acme-prod.iam.gserviceaccount.com}\nsecretStore: {gcpProject: acme-prod, gcpClusterLocation: us-central1, gcpClusterName: prod}\nauditExport: {endpoint: \"https://storage.googleapis.com\", bucket: acme-audit, region: europe-west4}\n";
const AKS: &str = "cloud: aks\nprofile: production\ndomain: caracal.example.com\ntls: {clusterIssuer: letsencrypt-dns01}\nissuerProof: dns01\npostgres: {host: pg.postgres.database.azure.com, cidr: 10.20.0.0/24}\nredis: {host: r.redis.cache.windows.net, cidr: 10.20.1.0/24}\negress: {identityProvider: [20.190.128.0/18], providerApis: [10.20.2.0/24]}\nidentity: {azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}\nsecretStore: {azureVaultUrl: \"https://caracal-kv.vault.usgovcloudapi.net\", azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}\n";

fn answers(text: &str, sets: &[&str]) -> Answers {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Answers::parse("t", text, &sets).expect("parses")
}

fn plan_of(text: &str, sets: &[&str]) -> Plan {
    plan(&answers(text, sets), &Catalog::builtin().unwrap()).expect("valid")
}

/// The query of `role`'s database URL in the ExternalSecret template.
fn query(p: &Plan, role: &str) -> String {
    let es = p.external_secret.as_ref().unwrap();
    let url = &es.spec.target.template.data[&format!("{role}DatabaseUrl")];
    url.split_once('?').unwrap().1.to_string()
}

fn env<'a>(p: &'a Plan, service: &str, name: &str) -> Option<&'a EnvVar> {
    p.values.services[service]
        .extra_env
        .iter()
        .find(|e| e.name == name)
}

#[test]
fn rds_without_a_ca_gives_each_runtime_a_mode_it_can_run() {
    let p = plan_of(EKS, &[]);
    for role in ["api", "coordinator", "auth"] {
        assert_eq!(
            query(&p, role),
            "sslmode=no-verify",
            "{role} reads with Node"
        );
    }
    for role in ["sts", "gateway", "audit"] {
        assert_eq!(query(&p, role), "sslmode=require", "{role} reads with pgx");
    }
    assert_eq!(
        p.values.services["web"].database_ssl.as_deref(),
        Some("no-verify")
    );
    assert_eq!(
        p.values.secrets.database.ssl_mode, "require",
        "libpq's PGSSLMODE"
    );
    assert!(p.values.services["api"].extra_volumes.is_empty());
}

#[test]
fn rds_with_a_ca_bundle_verifies_where_it_is_mounted() {
    let p = plan_of(EKS, &["caBundle.configMap=rds-ca"]);
    let root = "sslrootcert=/etc/caracal/ca/ca.crt";
    assert_eq!(query(&p, "api"), format!("sslmode=verify-full&{root}"));
    assert_eq!(query(&p, "sts"), format!("sslmode=verify-full&{root}"));
    assert_eq!(query(&p, "auth"), "sslmode=no-verify", "web can't mount it");
    for s in ["api", "coordinator", "sts", "gateway", "audit"] {
        let svc = &p.values.services[s];
        assert_eq!(svc.extra_volumes[0].config_map.name, "rds-ca", "{s}");
        assert_eq!(
            svc.extra_volume_mounts[0].mount_path, "/etc/caracal/ca",
            "{s}"
        );
    }
    assert!(p.values.services["web"].extra_volumes.is_empty());
    let node = env(&p, "api", "NODE_EXTRA_CA_CERTS").unwrap();
    assert_eq!(node.value.as_deref(), Some("/etc/caracal/ca/ca.crt"));
    let go = env(&p, "gateway", "SSL_CERT_DIR").unwrap();
    assert_eq!(go.value.as_deref(), Some("/etc/ssl/certs:/etc/caracal/ca"));
}

#[test]
fn cloud_sql_verifies_the_chain_only_and_memorystore_gets_the_bundle() {
    let p = plan_of(GKE, &["caBundle.configMap=gcp-ca"]);
    let root = "sslrootcert=/etc/caracal/ca/ca.crt";
    assert_eq!(
        query(&p, "coordinator"),
        format!("uselibpqcompat=true&sslmode=verify-ca&{root}")
    );
    assert_eq!(query(&p, "audit"), format!("sslmode=verify-ca&{root}"));
    // Memorystore's per-instance CA: no service connects without the bundle.
    let mut without = answers(GKE, &[]);
    without.ca_bundle = None;
    let err = plan(&without, &Catalog::builtin().unwrap()).unwrap_err();
    assert!(
        err.0
            .iter()
            .any(|p| p.path == "caBundle.configMap" && p.message.contains("redis.tls: false")),
        "{err:?}"
    );
    without.redis.as_mut().unwrap().tls = Some(false);
    without.redis.as_mut().unwrap().port = Some(6379);
    plan(&without, &Catalog::builtin().unwrap()).expect("an instance without TLS needs no CA");
    // An evaluation can't mount one.
    let text = "cloud: gke\nprofile: evaluation\ndomain: caracal.example.com\nredis: {host: 10.40.1.4, tls: true}\n";
    let err = plan(&answers(text, &[]), &Catalog::builtin().unwrap()).unwrap_err();
    assert!(
        err.0
            .iter()
            .any(|p| p.path == "redis.tls" && p.message.contains("in-cluster Redis")),
        "{err:?}"
    );
}

#[test]
fn azure_postgres_stays_require_everywhere() {
    let p = plan_of(AKS, &[]);
    for role in crate::plan::DB_ROLES {
        assert_eq!(query(&p, role), "sslmode=require", "{role}");
    }
    assert_eq!(
        p.values.services["web"].database_ssl.as_deref(),
        Some("require")
    );
}

#[test]
fn the_key_vault_store_names_its_tenant_and_cloud() {
    let a = answers(AKS, &[]);
    let catalog = Catalog::builtin().unwrap();
    let (_, tree) = crate::build(&a, &catalog, &Templates::builtin().unwrap()).unwrap();
    let store = &tree.files["external-secrets/cluster-secret-store.yaml"];
    assert!(
        store.contains("tenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17"),
        "{store}"
    );
    assert!(
        store.contains("environmentType: USGovernmentCloud"),
        "{store}"
    );
    let mut no_tenant = answers(AKS, &[]);
    no_tenant.secret_store.remove("azureTenantId");
    let err = plan(&no_tenant, &catalog).unwrap_err();
    assert!(
        err.0.iter().any(|p| p.path == "secretStore.azureTenantId"),
        "{err:?}"
    );
}

#[test]
fn alb_ingresses_health_check_readiness_and_refuse_old_tls() {
    let p = plan_of(EKS, &[]);
    for e in ["web", "sts", "gateway"] {
        let a = &p.values.ingress[e].annotations;
        assert_eq!(
            a["alb.ingress.kubernetes.io/healthcheck-path"], "/ready",
            "{e}"
        );
        assert_eq!(
            a["alb.ingress.kubernetes.io/ssl-policy"], "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "{e}"
        );
        assert!(
            !a.contains_key("alb.ingress.kubernetes.io/certificate-arn"),
            "no ARN: discovery"
        );
        assert_eq!(p.values.ingress[e].tls_secret_name, None);
    }
}

#[test]
fn audit_export_off_aws_reads_hmac_keys_from_the_runtime_secret() {
    let p = plan_of(GKE, &[]);
    let id = env(&p, "audit", "AWS_ACCESS_KEY_ID").unwrap();
    let key = &id.value_from.as_ref().unwrap().secret_key_ref;
    assert_eq!(
        (key.name.as_str(), key.key.as_str()),
        ("caracal-runtime", "auditS3AccessKeyId")
    );
    assert!(env(&p, "audit", "AWS_SECRET_ACCESS_KEY").is_some());
    let checksum = env(&p, "audit", "AWS_REQUEST_CHECKSUM_CALCULATION").unwrap();
    assert_eq!(checksum.value.as_deref(), Some("when_required"));
    assert!(p
        .runtime_keys
        .contains(&"auditS3SecretAccessKey".to_string()));
    assert!(p
        .secret_entries
        .iter()
        .any(|e| e.key == "caracal-audit-s3-access-key-id" && e.must_match));
    let eks = plan_of(EKS, &["auditExport={endpoint: https://s3.us-east-1.amazonaws.com, bucket: b-audit, region: us-east-1}", "egress.objectStore={10.61.0.0/16}"]);
    assert!(
        env(&eks, "audit", "AWS_ACCESS_KEY_ID").is_none(),
        "IRSA serves S3 on EKS"
    );
}

#[test]
fn the_issuer_proof_decides_gke_annotations_and_refuses_http01_inside() {
    let p = plan_of(GKE, &[]);
    let a = &p.values.ingress["web"].annotations;
    assert_eq!(a["kubernetes.io/ingress.allow-http"], "true");
    assert_eq!(a["acme.cert-manager.io/http01-edit-in-place"], "true");
    let dns = plan_of(GKE, &["issuerProof=dns01"]);
    let a = &dns.values.ingress["web"].annotations;
    assert_eq!(a["kubernetes.io/ingress.allow-http"], "false");
    assert!(!a.contains_key("acme.cert-manager.io/http01-edit-in-place"));
    assert!(
        !dns.warnings.iter().any(|w| w.path == "issuerProof"),
        "{:?}",
        dns.warnings
    );
    let inside = plan(
        &answers(
            GKE,
            &[
                "endpoints.sts=internal",
                "ingressController.cidrs={10.129.0.0/23}",
            ],
        ),
        &Catalog::builtin().unwrap(),
    )
    .unwrap_err();
    assert!(
        inside
            .0
            .iter()
            .any(|p| p.path == "issuerProof" && p.message.contains("internal")),
        "{inside:?}"
    );
}

#[test]
fn otlp_on_the_grpc_port_or_a_custom_path_is_a_warning() {
    let grpc = plan_of(AKS, &["monitoring.otlpEndpoint=http://otel:4317"]);
    assert!(grpc
        .warnings
        .iter()
        .any(|w| w.path == "monitoring.otlpEndpoint" && w.message.contains("gRPC")));
    let path = plan_of(AKS, &["monitoring.otlpEndpoint=http://otel:4318/otlp"]);
    assert!(path.warnings.iter().any(|w| w.message.contains("`/otlp`")));
    let ok = plan_of(AKS, &["monitoring.otlpEndpoint=http://otel:4318/v1/traces"]);
    assert!(!ok
        .warnings
        .iter()
        .any(|w| w.path == "monitoring.otlpEndpoint"));
}

#[test]
fn an_evaluation_refuses_a_private_postgres_chain() {
    let text = "cloud: eks\nprofile: evaluation\ndomain: caracal.example.com\npostgres: {host: pg.example.internal}\n";
    let err = plan(&answers(text, &[]), &Catalog::builtin().unwrap()).unwrap_err();
    assert!(
        err.0
            .iter()
            .any(|p| p.path == "postgres.host" && p.message.contains("sslmode")),
        "{err:?}"
    );
}
