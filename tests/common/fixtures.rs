//! Answers of a valid overlay per cloud and profile, and what each migration needs.
//! Shared by the unit tests of `migrate` and the CLI tests.
#![allow(dead_code)]
use std::collections::{BTreeMap, BTreeSet};

pub const CLOUDS: [&str; 3] = ["eks", "gke", "aks"];
pub const PROFILES: [&str; 4] = ["evaluation", "production", "private", "regulated"];

/// Answers of a valid overlay of `profile` on `cloud`, as YAML text.
pub fn source(cloud: &str, profile: &str) -> String {
    let mut keys: BTreeMap<&str, String> = BTreeMap::new();
    let mut put = |k: &'static str, v: &str| {
        keys.insert(k, v.to_string());
    };
    put("cloud", cloud);
    put("profile", profile);
    match cloud {
        "eks" => {
            put("domain", "caracal.example.com");
            if profile == "evaluation" {
                put("tls", "{awsCertificateArn: \"arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666\"}");
            } else {
                put("tls", "{awsCertificateArn: \"arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666\"}");
                put("postgres", "{host: caracal-prod.cluster-abc123.us-east-1.rds.amazonaws.com, cidr: 10.60.0.0/16}");
                put("redis", "{host: master.caracal-prod.abc123.use1.cache.amazonaws.com, cidr: 10.60.0.0/16, tls: true}");
                put("ingressController", "{cidrs: [10.60.0.0/16]}");
                put(
                    "egress",
                    "{identityProvider: [10.60.0.0/16], providerApis: [10.60.0.0/16]}",
                );
                put(
                    "identity",
                    "{awsRoleArn: \"arn:aws:iam::111122223333:role/caracal-runtime\"}",
                );
                put("secretStore", "{awsRegion: us-east-1}");
            }
            if profile == "regulated" {
                put("auditExport", "{endpoint: \"https://s3.us-east-1.amazonaws.com\", bucket: acme-caracal-audit, region: us-east-1}");
                put("egress", "{identityProvider: [10.60.0.0/16], providerApis: [10.60.0.0/16], objectStore: [10.60.0.0/16]}");
            }
        }
        "gke" => {
            put("domain", "caracal.example.org");
            if profile != "evaluation" {
                put("tls", "{gkeManagedCertificates: true}");
                // Google-managed certificates serve public load balancers only.
                put("endpoints", "{web: public, sts: public, gateway: disabled}");
                put("postgres", "{host: 10.40.0.3, cidr: 10.40.0.0/24}");
                put(
                    "redis",
                    "{host: 10.40.1.4, port: 6378, cidr: 10.40.1.0/29, tls: true}",
                );
                put("caBundle", "{configMap: caracal-server-ca}");
                put("egress", "{providerApis: [199.36.153.8/30]}");
                put("identity", "{gcpServiceAccount: caracal-runtime@acme-caracal-prod.iam.gserviceaccount.com}");
                put("secretStore", "{gcpProject: acme-caracal-prod, gcpClusterLocation: europe-west4, gcpClusterName: caracal-prod}");
            }
            if profile == "private" {
                put("tls", "{clusterIssuer: letsencrypt-dns01}");
                put("issuerProof", "dns01");
                put("ingressController", "{cidrs: [10.129.0.0/23]}");
                put(
                    "endpoints",
                    "{web: internal, sts: internal, gateway: internal}",
                );
            }
            if profile == "regulated" {
                put("auditExport", "{endpoint: \"https://storage.googleapis.com\", bucket: acme-caracal-audit, region: europe-west4}");
                put(
                    "egress",
                    "{providerApis: [199.36.153.8/30], objectStore: [199.36.153.8/30]}",
                );
            }
        }
        _ => {
            put("domain", "caracal.contoso.example");
            if profile != "evaluation" {
                put("tls", "{clusterIssuer: contoso-private-ca}");
                put("issuerProof", "ca");
                put(
                    "postgres",
                    "{host: caracal-prod.postgres.database.azure.com, cidr: 10.20.0.0/24}",
                );
                put("redis", "{host: caracal-prod.redis.cache.windows.net, port: 6380, cidr: 10.20.1.0/24, tls: true}");
                put("egress", "{identityProvider: [20.190.128.0/18, 40.126.0.0/18], providerApis: [10.20.2.0/24]}");
                put(
                    "identity",
                    "{azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}",
                );
                put(
                    "secretStore",
                    "{azureVaultUrl: \"https://caracal-prod-kv.vault.azure.net\", azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}",
                );
            }
            if profile == "regulated" {
                put("auditExport", "{endpoint: \"https://s3gw.contoso.example\", bucket: contoso-caracal-audit, region: westeurope}");
                put("egress", "{identityProvider: [20.190.128.0/18, 40.126.0.0/18], providerApis: [10.20.2.0/24], objectStore: [10.20.3.0/24]}");
            }
        }
    }
    keys.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

/// The answers each pair needs beyond the overlay's, by key path, and `--set`s giving them.
pub fn needs(cloud: &str, from: &str, to: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut paths = BTreeSet::new();
    let mut sets: Vec<String> = Vec::new();
    let mut need = |p: &str, s: &[&str]| {
        paths.insert(p.to_string());
        sets.extend(s.iter().map(|s| s.to_string()));
    };
    if from == "evaluation" && to != "evaluation" {
        need("postgres.host", &["postgres.host=db.internal.example.com"]);
        need("redis.host", &["redis.host=redis.internal.example.com"]);
        match cloud {
            "eks" => {
                need(
                    "identity.awsRoleArn",
                    &["identity.awsRoleArn=arn:aws:iam::111122223333:role/caracal-runtime"],
                );
                need(
                    "secretStore.awsRegion",
                    &["secretStore.awsRegion=us-east-1"],
                );
            }
            "gke" => {
                need(
                    "identity.gcpServiceAccount",
                    &["identity.gcpServiceAccount=caracal@acme-prod.iam.gserviceaccount.com"],
                );
                need(
                    "secretStore.gcpProject",
                    &["secretStore.gcpProject=acme-prod"],
                );
                need(
                    "secretStore.gcpClusterLocation",
                    &["secretStore.gcpClusterLocation=europe-west4"],
                );
                need(
                    "secretStore.gcpClusterName",
                    &["secretStore.gcpClusterName=caracal-prod"],
                );
            }
            _ => {
                need(
                    "identity.azureClientId",
                    &["identity.azureClientId=6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44"],
                );
                need(
                    "secretStore.azureVaultUrl",
                    &["secretStore.azureVaultUrl=https://caracal-kv.vault.azure.net"],
                );
                need(
                    "secretStore.azureTenantId",
                    &["secretStore.azureTenantId=4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17"],
                );
            }
        }
    }
    if to == "regulated" && from != "regulated" {
        need(
            "auditExport",
            &[
                "auditExport.endpoint=https://s3.example.com",
                "auditExport.bucket=acme-caracal-audit",
                "auditExport.region=eu-west-1",
                "egress.objectStore={10.70.0.0/24}",
            ],
        );
        if from == "evaluation" && cloud != "gke" {
            // Open HTTPS carried from evaluation is refused in regulated, and without a
            // fixed egress (GKE's) identity and provider APIs need a named CIDR (#13).
            need(
                "egress.providerApis",
                &["egress.providerApis={10.70.1.0/24}"],
            );
        }
    }
    if to == "private" && cloud == "gke" && (from == "production" || from == "regulated") {
        need(
            "tls.clusterIssuer",
            &["tls.clusterIssuer=letsencrypt-dns01"],
        );
        need("issuerProof", &["issuerProof=dns01"]);
        need(
            "ingressController",
            &["ingressController.cidrs={10.129.0.0/23}"],
        );
    }
    if from == "evaluation" && to == "regulated" {
        // Asked once the hosts are managed: regulated opens Postgres and Redis only to their
        // CIDRs (network/baseline.yaml replaces the chart's any-address rule).
        sets.push("postgres.cidr=10.70.2.0/24".into());
        sets.push("redis.cidr=10.70.3.0/24".into());
    }
    if from == "evaluation" && to != "evaluation" && cloud == "gke" {
        // Asked once `redis.host` makes Memorystore (TLS by default) the Redis.
        sets.push("caBundle.configMap=caracal-server-ca".into());
    }
    (paths, sets)
}
