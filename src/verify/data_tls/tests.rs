use super::*;
use crate::catalog::Catalog;

fn es(role: &str, query: &str) -> Value {
    let url = format!("postgres://caracal{role}:pw@10.0.0.3:5432/caracal?{query}");
    serde_yaml::from_str(&format!(
        "kind: ExternalSecret\nspec: {{target: {{template: {{data: {{{role}DatabaseUrl: '{url}'}}}}}}}}\n"
    ))
    .unwrap()
}

/// A Deployment of `component`, with the CA bundle mounted and named when `ca`.
fn deployment(component: &str, ca: bool, env: &str) -> Value {
    let mounts = if ca {
        "volumeMounts: [{name: ca, mountPath: /etc/caracal/ca}]"
    } else {
        "volumeMounts: [{name: tmp, mountPath: /tmp}]"
    };
    serde_yaml::from_str(&format!(
        "kind: Deployment\nmetadata: {{name: x, labels: {{app.kubernetes.io/component: {component}}}}}\nspec: {{template: {{spec: {{containers: [{{name: c, {mounts}, env: [{env}]}}]}}}}}}\n"
    ))
    .unwrap()
}

fn findings(cloud: &str, external_secret: Value, docs: &[Value]) -> Vec<Finding> {
    let catalog = Catalog::builtin().unwrap();
    let exp = Expectations {
        plan: None,
        evaluation: false,
        runtime_secret: "caracal-runtime".into(),
        external_secret: Some(external_secret),
        secret_store: None,
        cloud: catalog.cloud(cloud).cloned(),
        components: catalog.components.components.clone(),
    };
    let mut out = Vec::new();
    check_database_tls(docs, &exp, &mut out);
    out
}

#[test]
fn node_tls_reads_urls_as_pg_connection_string_does() {
    assert_eq!(node_tls("postgres://h/db"), NodeTls::Unset);
    assert_eq!(
        node_tls("postgres://h/db?sslmode=no-verify"),
        NodeTls::Unverified
    );
    assert_eq!(
        node_tls("postgres://h/db?sslmode=require"),
        NodeTls::Verifies {
            ca: None,
            host: true
        }
    );
    assert_eq!(
        node_tls("postgres://h/db?uselibpqcompat=true&sslmode=require"),
        NodeTls::Unverified
    );
    assert_eq!(
        node_tls("postgres://h/db?uselibpqcompat=true&sslmode=verify-ca&sslrootcert=/c/ca.crt"),
        NodeTls::Verifies {
            ca: Some("/c/ca.crt".into()),
            host: false
        }
    );
}

#[test]
fn a_node_url_that_verifies_rds_without_a_mounted_ca_is_an_error() {
    let docs = [deployment("api", false, "")];
    let out = findings("eks", es("api", "sslmode=require"), &docs);
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].answer.as_deref(), Some("caBundle.configMap"));
    assert!(out[0].message.contains("apiDatabaseUrl"), "{out:?}");
    assert!(findings("eks", es("api", "sslmode=no-verify"), &docs).is_empty());
    let mounted = [deployment("api", true, "")];
    let q = "sslmode=verify-full&sslrootcert=/etc/caracal/ca/ca.crt";
    assert!(findings("eks", es("api", q), &mounted).is_empty());
    let extra = [deployment(
        "coordinator",
        true,
        "{name: NODE_EXTRA_CA_CERTS, value: /etc/caracal/ca/ca.crt}",
    )];
    assert!(findings("eks", es("coordinator", "sslmode=verify-full"), &extra).is_empty());
}

#[test]
fn cloud_sql_needs_chain_only_verification() {
    let mounted = [deployment("api", true, "")];
    let full = "sslmode=verify-full&sslrootcert=/etc/caracal/ca/ca.crt";
    let out = findings("gke", es("api", full), &mounted);
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].message.contains("by IP"), "{out:?}");
    let chain = "uselibpqcompat=true&sslmode=verify-ca&sslrootcert=/etc/caracal/ca/ca.crt";
    assert!(findings("gke", es("api", chain), &mounted).is_empty());
}

#[test]
fn the_console_can_never_verify_a_private_chain() {
    let web = [deployment(
        "web",
        false,
        "{name: CARACAL_AUTH_DATABASE_SSL, value: require}",
    )];
    let out = findings("eks", es("auth", "sslmode=require"), &web);
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].answer.as_deref(), Some("postgres.host"));
    let out = findings("eks", es("auth", "x=1"), &web);
    assert_eq!(
        out.len(),
        1,
        "databaseSsl decides without URL parameters: {out:?}"
    );
    assert!(findings("eks", es("auth", "sslmode=no-verify"), &web).is_empty());
}

#[test]
fn a_public_chain_needs_nothing() {
    let docs = [deployment("api", false, "")];
    assert!(findings("aks", es("api", "sslmode=require"), &docs).is_empty());
}
