use std::collections::BTreeMap;

use super::*;
use crate::answers::Answers;

fn plan_of(text: &str, sets: &[&str]) -> Plan {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let a = Answers::parse("t", text, &sets).expect("parses");
    plan(&a, &Catalog::builtin().expect("catalog")).expect("valid")
}

/// Production answers on AKS, shared with the README view model's tests.
pub(super) const AKS_PROD: &str = r#"
cloud: aks
profile: production
domain: caracal.example.com
postgres: {host: pg.postgres.database.azure.com, cidr: 10.20.0.0/24}
redis: {host: r.redis.cache.windows.net, cidr: 10.20.1.0/24}
egress: {identityProvider: [20.190.128.0/18], providerApis: [10.20.2.0/24]}
identity: {azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}
secretStore: {azureVaultUrl: "https://caracal-kv.vault.azure.net", azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}
issuerProof: dns01
"#;

#[test]
fn disabled_endpoints_render_no_ingress_even_the_web_default() {
    let p = plan_of(AKS_PROD, &["endpoints.web=disabled"]);
    let web = &p.values.ingress["web"];
    assert!(
        !web.enabled,
        "chart enables web by default; the plan must say false"
    );
    assert!(!p.values.ingress["api"].enabled);
    assert_eq!(
        p.values.services["web"].public_url.as_deref(),
        Some("http://localhost:3002")
    );
}

#[test]
fn web_origin_and_sts_issuer_match_their_hosts() {
    let p = plan_of(AKS_PROD, &["hosts.web=admin.example.org"]);
    assert_eq!(
        p.values.ingress["web"].host.as_deref(),
        Some("admin.example.org")
    );
    assert_eq!(
        p.values.services["web"].public_url.as_deref(),
        Some("https://admin.example.org")
    );
    assert_eq!(
        p.values.ingress["sts"].host.as_deref(),
        Some("sts.caracal.example.com")
    );
    assert_eq!(
        p.values.services["sts"].issuer_url.as_deref(),
        Some("https://sts.caracal.example.com")
    );
    // An unexposed STS keeps the chart's in-cluster issuer.
    let p = plan_of(AKS_PROD, &["endpoints.sts=disabled"]);
    assert_eq!(p.values.services["sts"].issuer_url, None);
}

#[test]
fn aks_identity_gets_its_pod_label_and_internal_controller() {
    let p = plan_of(AKS_PROD, &[]);
    assert_eq!(
        p.values
            .global
            .pod_labels
            .get("azure.workload.identity/use")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        p.values
            .service_account
            .annotations
            .get("azure.workload.identity/client-id")
            .map(String::as_str),
        Some("6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44")
    );
    // Gateway is internal by default in production: the overlay ships the internal controller.
    assert_eq!(
        p.values.ingress["gateway"].class_name.as_deref(),
        Some("caracal-internal")
    );
    assert!(p
        .manifests
        .iter()
        .any(|m| m.path == "ingress/internal-ingress-controller.yaml"));
    // Its pods are `app: <controllerNamePrefix>-0`: that is what the policy admits (#10).
    let internal = p.values.network_policy.extra_ingress[0]
        .from
        .iter()
        .find(|peer| {
            peer.namespace_selector.as_ref().is_some_and(|s| {
                s.match_labels["kubernetes.io/metadata.name"] == "app-routing-system"
            }) && peer.pod_selector.as_ref().is_some_and(|s| {
                s.match_labels.get("app").map(String::as_str) == Some("caracal-internal-0")
            })
        });
    assert!(
        internal.is_some(),
        "{:?}",
        p.values.network_policy.extra_ingress
    );
}

#[test]
fn private_uses_internal_load_balancers_only() {
    {
        let cloud = "aks";
        let p = plan_of(AKS_PROD, &["profile=private", "endpoints.api=internal"]);
        assert!(
            p.ingresses.iter().all(|i| i.exposure == "internal"),
            "{cloud}"
        );
        assert_eq!(p.ingresses.len(), 4);
    }
    let eks = "cloud: eks\nprofile: private\ndomain: caracal.example.com\ntls: {awsCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666'}\npostgres: {host: pg.example.internal}\nredis: {host: r.example.internal}\ningressController: {cidrs: [10.0.0.0/16]}\negress: {providerApis: [10.0.0.0/16]}\nidentity: {awsRoleArn: 'arn:aws:iam::111122223333:role/c'}\nsecretStore: {awsRegion: us-east-1}\n";
    let p = plan_of(eks, &[]);
    for (name, i) in &p.values.ingress {
        if i.enabled {
            assert_eq!(
                i.annotations
                    .get("alb.ingress.kubernetes.io/scheme")
                    .map(String::as_str),
                Some("internal"),
                "{name}"
            );
        }
    }
}

#[test]
fn regulated_sets_audit_export_and_retention_on_the_audit_service() {
    let p = plan_of(
        AKS_PROD,
        &[
            "profile=regulated",
            "auditExport={endpoint: 'https://s3gw.example.com', bucket: caracal-audit, region: westeurope}",
            "egress.objectStore=[10.20.3.0/24]",
        ],
    );
    let env: BTreeMap<String, String> = p.values.services["audit"]
        .extra_env
        .iter()
        .map(|e| (e.name.clone(), e.value.clone().unwrap_or_default()))
        .collect();
    assert_eq!(env["AUDIT_EXPORT_S3_ENDPOINT"], "https://s3gw.example.com");
    assert_eq!(env["AUDIT_EXPORT_S3_BUCKET"], "caracal-audit");
    assert_eq!(env["AUDIT_EXPORT_S3_REGION"], "westeurope");
    assert_eq!(env["AUDIT_RETENTION_DAYS"], "2555");
    assert!(!p.values.network_policy.allow_open_https);
}

#[test]
fn external_secret_provides_every_runtime_key_the_chart_reads() {
    let p = plan_of(AKS_PROD, &[]);
    let es = p.external_secret.expect("external secret");
    let provided: Vec<&String> = es.spec.target.template.data.keys().collect();
    // Keys mounted by the chart's Deployments, StatefulSets and Jobs.
    let mut chart_reads = vec![
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
        "authDatabaseUrl",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    for role in DB_ROLES {
        chart_reads.push(format!("{role}DbPassword"));
        chart_reads.push(format!("{role}DatabaseUrl"));
    }
    for key in &chart_reads {
        assert!(provided.contains(&key), "{key} missing");
    }
    // Every template variable has a data entry.
    for (k, tpl) in &es.spec.target.template.data {
        for var in tpl.split("{{").skip(1) {
            let name = var
                .split(['}', ' ', '|'])
                .find(|s| s.starts_with('.'))
                .unwrap_or_default();
            let name = name.trim_start_matches('.');
            if !name.is_empty() {
                assert!(
                    es.spec.data.iter().any(|d| d.secret_key == name),
                    "{k} uses {name}"
                );
            }
        }
    }
    // TLS Redis uses rediss://, and the URL is composed from the answers.
    let redis = &es.spec.target.template.data["redisUrl"];
    assert!(redis.starts_with("rediss://"), "{redis}");
    assert!(
        redis.ends_with("@r.redis.cache.windows.net:6380/0"),
        "{redis}"
    );
    let api = &es.spec.target.template.data["apiDatabaseUrl"];
    assert!(
        api.contains("@pg.postgres.database.azure.com:5432/caracal?sslmode=require"),
        "{api}"
    );
    assert!(es.spec.target.template.data["authDatabaseUrl"].contains("/caracal_auth?"));
    // Azure Key Vault names allow no slash.
    assert!(es.spec.data.iter().all(|d| !d.remote_ref.key.contains('/')));
}

#[test]
fn evaluation_uses_the_charts_temporary_secret() {
    let p = plan_of(
        "cloud: gke\nprofile: evaluation\ndomain: caracal.example.com\n",
        &[],
    );
    assert!(p.values.secrets.create && p.values.global.evaluation);
    assert_eq!(p.values.global.mode, "rc");
    assert!(p.external_secret.is_none() && p.store.is_none());
    assert!(p.values.services.values().all(|s| s.replicas == Some(1)));
    assert!(p
        .values
        .services
        .values()
        .all(|s| s.hpa.as_ref().is_some_and(|h| !h.enabled)));
    assert!(!p.values.service_monitor.enabled);
    assert!(p.values.ingress.values().all(|i| !i.enabled));
    assert_eq!(p.values.secrets.database.ssl_mode, "disable");
}

#[test]
fn network_policy_admits_only_exposed_ports_and_named_egress() {
    let p = plan_of(
        AKS_PROD,
        &["endpoints.sts=disabled", "endpoints.gateway=disabled"],
    );
    let rule = &p.values.network_policy.extra_ingress[0];
    let ports: Vec<u32> = rule.ports.iter().map(|p| p.port).collect();
    assert_eq!(ports, vec![3002]);
    let cidrs: Vec<&str> = p
        .values
        .network_policy
        .extra_egress
        .iter()
        .flat_map(|r| r.to.iter())
        .filter_map(|peer| peer.ip_block.as_ref().map(|b| b.cidr.as_str()))
        .collect();
    assert_eq!(
        cidrs,
        vec![
            "10.20.0.0/24",
            "10.20.1.0/24",
            "20.190.128.0/18",
            "10.20.2.0/24"
        ]
    );
    assert!(!p.values.network_policy.dns_egress.is_empty());
    // No exposed endpoint: only the scraper is admitted (#10), from its namespace alone.
    let p = plan_of(
        AKS_PROD,
        &["endpoints={web: disabled, sts: disabled, gateway: disabled}"],
    );
    let rules = &p.values.network_policy.extra_ingress;
    assert_eq!(rules.len(), 1);
    let from = &rules[0].from[0];
    assert!(from.pod_selector.is_none() && from.ip_block.is_none());
    assert_eq!(
        from.namespace_selector.as_ref().unwrap().match_labels["kubernetes.io/metadata.name"],
        "monitoring"
    );
}

#[test]
fn gke_always_allows_its_metadata_server() {
    let text = "cloud: gke\nprofile: production\ndomain: caracal.example.com\nendpoints: {gateway: disabled}\npostgres: {host: 10.40.0.3}\nredis: {host: 10.40.1.4}\ncaBundle: {configMap: caracal-server-ca}\nidentity: {gcpServiceAccount: caracal@acme-prod.iam.gserviceaccount.com}\nsecretStore: {gcpProject: acme-prod, gcpClusterLocation: us-central1, gcpClusterName: prod}\n";
    let p = plan_of(text, &[]);
    let meta = p.values.network_policy.extra_egress.iter().find(|r| {
        r.to[0]
            .ip_block
            .as_ref()
            .is_some_and(|b| b.cidr == "169.254.169.254/32")
    });
    assert_eq!(meta.map(|r| r.ports[0].port), Some(80));
    assert_eq!(p.values.ingress["web"].class_name.as_deref(), Some(""));
    assert_eq!(
        p.values.ingress["web"]
            .annotations
            .get("kubernetes.io/ingress.class")
            .map(String::as_str),
        Some("gce")
    );
}

/// `CARACAL_PRIVATE_EGRESS_HOSTS` of each service, `None` where it is not set.
fn private_hosts_env(p: &Plan) -> BTreeMap<&str, Option<String>> {
    p.values
        .services
        .iter()
        .map(|(name, svc)| {
            let env = svc
                .extra_env
                .iter()
                .find(|e| e.name == "CARACAL_PRIVATE_EGRESS_HOSTS")
                .map(|e| e.value.clone().unwrap_or_default());
            (name.as_str(), env)
        })
        .collect()
}

#[test]
fn private_hosts_reach_sts_and_api_sorted_and_deduplicated() {
    let p = plan_of(
        AKS_PROD,
        &["egress.privateHosts=[oauth.corp.example, login.corp.example, oauth.corp.example]"],
    );
    let env = private_hosts_env(&p);
    let want = Some("login.corp.example,oauth.corp.example".to_string());
    assert_eq!(env["sts"], want);
    assert_eq!(env["api"], want);
    // Only the STS and the API read it.
    for (name, value) in &env {
        if !["sts", "api"].contains(name) {
            assert_eq!(*value, None, "{name}");
        }
    }
}

#[test]
fn no_private_hosts_means_no_env() {
    for sets in [&[][..], &["egress.privateHosts=[]"]] {
        let p = plan_of(AKS_PROD, sets);
        assert!(
            private_hosts_env(&p).values().all(Option::is_none),
            "{sets:?}"
        );
    }
}

#[test]
fn smtp_url_hint_follows_the_answered_port() {
    let purpose = |port: &str| {
        let sets = [
            "signIn.provider=smtp",
            "signIn.from=no-reply@example.com",
            "signIn.smtp.cidr=10.9.0.5/32",
            port,
        ];
        let p = plan_of(AKS_PROD, &sets);
        let e = p.secret_entries.iter().find(|e| e.variable == "smtpUrl");
        e.expect("an SMTP URL entry").purpose.clone()
    };
    let submission = purpose("signIn.smtp.port=587");
    assert!(
        submission.contains("smtp://user:password@host:587"),
        "{submission}"
    );
    assert!(!submission.contains("smtps://"), "{submission}");
    let implicit = purpose("signIn.smtp.port=465");
    assert!(
        implicit.contains("smtps://user:password@host:465"),
        "{implicit}"
    );
    let other = purpose("signIn.smtp.port=2525");
    assert!(other.contains("smtp://user:password@host:2525"), "{other}");
}
