//! Answers for every cloud × profile, and helpers that build or write an overlay through the library.
#![allow(dead_code)]

use std::path::Path;

use caracal_wizard::answers::Answers;
use caracal_wizard::catalog::Catalog;
use caracal_wizard::render::{RenderedTree, Templates};

/// The clouds.
pub const CLOUDS: [&str; 3] = ["eks", "gke", "aks"];
/// The profiles.
pub const PROFILES: [&str; 4] = ["evaluation", "production", "private", "regulated"];

const EKS: &str = r#"cloud: eks
domain: caracal.example.com
tls: {awsCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0b3c2a1e-1111-2222-3333-444455556666"}
postgres: {host: pg.example.internal, cidr: 10.60.0.0/16}
redis: {host: redis.example.internal, cidr: 10.60.0.0/16}
ingressController: {cidrs: [10.60.0.0/16]}
egress: {identityProvider: [10.60.0.0/16], providerApis: [10.60.0.0/16], objectStore: [10.61.0.0/16]}
identity: {awsRoleArn: "arn:aws:iam::111122223333:role/caracal"}
secretStore: {awsRegion: us-east-1}
"#;
const GKE: &str = r#"cloud: gke
domain: caracal.example.com
tls: {clusterIssuer: letsencrypt-dns01}
issuerProof: dns01
postgres: {host: 10.40.0.3, cidr: 10.40.0.0/24}
redis: {host: 10.40.1.4, cidr: 10.40.1.0/29}
caBundle: {configMap: caracal-server-ca}
ingressController: {cidrs: [10.129.0.0/23]}
egress: {objectStore: [199.36.153.8/30]}
identity: {gcpServiceAccount: caracal@acme-prod.iam.gserviceaccount.com}
secretStore: {gcpProject: acme-prod, gcpClusterLocation: us-central1, gcpClusterName: prod}
"#;
const AKS: &str = r#"cloud: aks
domain: caracal.example.com
tls: {clusterIssuer: letsencrypt-dns01}
issuerProof: dns01
postgres: {host: pg.postgres.database.azure.com, cidr: 10.20.0.0/24}
redis: {host: r.redis.cache.windows.net, cidr: 10.20.1.0/24}
egress: {identityProvider: [20.190.128.0/18], providerApis: [10.20.2.0/24], objectStore: [10.20.3.0/24]}
identity: {azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}
secretStore: {azureVaultUrl: "https://caracal-kv.vault.azure.net", azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}
"#;
const AUDIT: &str = "auditExport: {endpoint: \"https://s3.example.com\", bucket: caracal-audit, region: us-east-1}\n";

/// The answers text for one combination (the same as the sweep script's).
pub fn answers_text(cloud: &str, profile: &str) -> String {
    let base = match cloud {
        "eks" => EKS,
        "gke" => GKE,
        _ => AKS,
    };
    let mut text = format!("version: 1\nprofile: {profile}\n");
    for line in base.lines() {
        let managed = [
            "postgres:",
            "redis:",
            "caBundle:",
            "egress:",
            "identity:",
            "secretStore:",
        ]
        .iter()
        .any(|k| line.starts_with(k));
        if profile == "evaluation" && managed {
            continue;
        }
        // Regulated opens nothing a component calls: name where each one goes (#10).
        let line = match line.strip_suffix('}') {
            Some(head) if profile == "regulated" && line.starts_with("egress:") => format!(
                "{head}, signIn: [140.82.112.0/20], upstreams: [10.70.0.0/16], providers: [10.71.0.0/16]}}"
            ),
            _ => line.to_string(),
        };
        text.push_str(&line);
        text.push('\n');
    }
    match profile {
        "regulated" => text.push_str(AUDIT),
        "evaluation" => text.push_str("endpoints: {web: public}\n"),
        _ => {}
    }
    text
}

/// Every (cloud, profile) pair.
pub fn combos() -> Vec<(&'static str, &'static str)> {
    CLOUDS
        .iter()
        .flat_map(|c| PROFILES.iter().map(move |p| (*c, *p)))
        .collect()
}

/// Parses answers with `--set` overrides.
pub fn answers(text: &str, sets: &[&str]) -> Answers {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Answers::parse("test.yaml", text, &sets).expect("answers parse")
}

/// Plans and renders answers with the built-in catalog and templates.
pub fn build(text: &str, sets: &[&str]) -> RenderedTree {
    let catalog = Catalog::builtin().expect("catalog");
    let templates = Templates::builtin().expect("templates");
    let (_, tree) =
        caracal_wizard::build(&answers(text, sets), &catalog, &templates).expect("answers build");
    tree
}

/// Writes the overlay for `text` into `dir`.
pub fn write(dir: &Path, text: &str, sets: &[&str]) {
    let tree = build(text, sets);
    caracal_wizard::output::write_tree(dir, &tree, true).expect("write overlay");
}

/// The GitOps `--set`s that make any non-evaluation combination valid.
pub const ARGOCD: [&str; 3] = [
    "gitops=argocd",
    "gitopsRepo.url=https://github.com/acme/fleet.git",
    "gitopsRepo.path=clusters/prod/caracal",
];
/// Flux, reading the overlay through `flux-system`.
pub const FLUX: [&str; 2] = ["gitops=flux", "gitopsRepo.path=clusters/prod/caracal"];
