//! The check of database TLS: every Node service whose URL makes it verify a private
//! Postgres chain (RDS/Aurora, Cloud SQL) has that CA mounted, and checks no host name on a
//! server reached by IP (#10).
use serde_yaml::Value;

use super::workload::{containers, pod_spec};
use super::{Expectations, EXTERNAL_SECRET, VALUES};
use crate::catalog::{Cloud, Component, Runtime};
use crate::check::doc::{get, kind, seq, str_at};
use crate::check::Finding;

/// How node-postgres (pg-connection-string 2.x) reads a URL's TLS parameters.
#[derive(Debug, PartialEq, Eq)]
enum NodeTls {
    /// No TLS parameter: the explicit `ssl` option (the console's databaseSsl) decides.
    Unset,
    /// Plaintext, or encrypted without verification.
    Unverified,
    /// Verifies the chain against `ca` (else Node's roots), and the host name when `host`.
    Verifies { ca: Option<String>, host: bool },
}

/// Reads the query of a Postgres URL as node-postgres does.
fn node_tls(url: &str) -> NodeTls {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let param = |k: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(k)?.strip_prefix('='))
    };
    let ca = param("sslrootcert").map(str::to_string);
    let any = ["sslmode", "sslrootcert", "sslcert", "sslkey"]
        .iter()
        .any(|k| param(k).is_some());
    if !any {
        return NodeTls::Unset;
    }
    let compat = param("uselibpqcompat") == Some("true");
    match (param("sslmode"), compat) {
        (Some("disable" | "no-verify"), _) => NodeTls::Unverified,
        (Some("prefer"), true) => NodeTls::Unverified,
        (Some("require"), true) if ca.is_none() => NodeTls::Unverified,
        (Some("require" | "verify-ca"), true) => NodeTls::Verifies { ca, host: false },
        // Without libpq compatibility every other mode is verify-full.
        _ => NodeTls::Verifies { ca, host: true },
    }
}

/// Checks the Node readers' database URLs in the overlay's ExternalSecret template.
pub(super) fn check_database_tls(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let Some(cloud) = &exp.cloud else { return };
    if cloud.data_tls.postgres_public_ca {
        return;
    }
    let Some(es) = &exp.external_secret else {
        return;
    };
    for c in exp.components.iter().filter(|c| c.runtime == Runtime::Node) {
        let role = if c.id == "web" { "auth" } else { c.id.as_str() };
        let key = format!("{role}DatabaseUrl");
        let path = ["spec", "target", "template", "data", key.as_str()];
        let Some(url) = str_at(es, &path) else {
            continue;
        };
        let workload = workload_of(docs, &c.id);
        match node_tls(url) {
            NodeTls::Unverified => {}
            NodeTls::Unset => check_web_ssl(workload, c, cloud, out),
            NodeTls::Verifies { ca, host } => {
                let problem = missing_trust(workload, ca.as_deref(), host, cloud);
                if let Some(why) = problem {
                    out.push(Finding::error(
                        EXTERNAL_SECRET,
                        format!("`{key}` makes the {} (Node) verify {}'s private chain, but {why}: it can't connect", c.title, cloud.products.postgres),
                        Some(answer(c)),
                    ));
                }
            }
        }
    }
}

/// The answer that fixes a reader's TLS: the CA bundle where it can be mounted.
fn answer(c: &Component) -> &'static str {
    if c.extra_volumes {
        "caBundle.configMap"
    } else {
        // The console can't mount a CA: its URL must say `no-verify` (re-run `new`).
        "postgres.host"
    }
}

/// Why the workload can't verify the server, if it can't.
fn missing_trust(w: Option<&Value>, ca: Option<&str>, host: bool, cloud: &Cloud) -> Option<String> {
    let mounts = mount_paths(w);
    let mounted = |file: &str| mounts.iter().any(|m| file.starts_with(m.as_str()));
    let extra = env_value(w, "NODE_EXTRA_CA_CERTS");
    let trusted = match ca {
        Some(file) => mounted(file),
        None => extra.is_some_and(mounted),
    };
    if !trusted {
        return Some(match ca {
            Some(file) => format!("its `sslrootcert` `{file}` is on no volume mounted into it"),
            None => "no CA is mounted into it (NODE_EXTRA_CA_CERTS)".into(),
        });
    }
    (host && cloud.data_tls.postgres_chain_only).then(|| {
        "the server is reached by IP, so its host name check fails; use `uselibpqcompat=true&sslmode=verify-ca`".into()
    })
}

/// Without TLS parameters in the URL, the console's `CARACAL_AUTH_DATABASE_SSL` decides.
fn check_web_ssl(w: Option<&Value>, c: &Component, cloud: &Cloud, out: &mut Vec<Finding>) {
    let ssl = env_value(w, "CARACAL_AUTH_DATABASE_SSL").unwrap_or_default();
    if matches!(
        ssl.to_ascii_lowercase().as_str(),
        "require" | "true" | "verify"
    ) {
        out.push(Finding::error(
            VALUES,
            format!("the {} verifies {}'s private chain (databaseSsl `{ssl}`) and can't mount its CA: set services.web.databaseSsl to `no-verify`", c.title, cloud.products.postgres),
            Some("postgres.host"),
        ));
    }
}

/// The rendered Deployment or StatefulSet of component `id`.
fn workload_of<'a>(docs: &'a [Value], id: &str) -> Option<&'a Value> {
    docs.iter().find(|d| {
        matches!(kind(d), "Deployment" | "StatefulSet")
            && str_at(d, &["metadata", "labels", "app.kubernetes.io/component"]) == Some(id)
    })
}

/// Every container mount path of the workload.
fn mount_paths(w: Option<&Value>) -> Vec<String> {
    let Some(spec) = w.and_then(pod_spec) else {
        return Vec::new();
    };
    containers(spec)
        .flat_map(|c| seq(c, &["volumeMounts"]))
        .filter_map(|m| str_at(m, &["mountPath"]))
        .map(|p| format!("{}/", p.trim_end_matches('/')))
        .collect()
}

/// The literal value of env var `var` in the workload's containers.
fn env_value<'a>(w: Option<&'a Value>, var: &str) -> Option<&'a str> {
    let spec = w.and_then(pod_spec)?;
    containers(spec)
        .flat_map(|c| seq(c, &["env"]))
        .find(|e| str_at(e, &["name"]) == Some(var))
        .and_then(|e| get(e, &["value"]))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests;
