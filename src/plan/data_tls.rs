//! Data TLS planning: the Postgres sslmode each runtime understands, and the CA bundle mount.
//!
//! Node's `pg` reads `sslmode=require` as verify-full against Node's bundled roots, pgx reads
//! it as libpq does (encrypt, don't verify), so one word can't serve both on a server with a
//! private chain (RDS/Aurora, Cloud SQL). Each URL gets the query its reader understands (#10).
use crate::answers::CA_BUNDLE_KEY;
use crate::catalog::{Component, Runtime};
use crate::manifest::{ConfigMapRef, ConfigMapVolume, EnvVar, ServiceValues, VolumeMount};

use super::context::Context;

/// Where the CA bundle ConfigMap is mounted.
pub const CA_DIR: &str = "/etc/caracal/ca";
/// The pod volume holding the CA bundle.
const CA_VOLUME: &str = "caracal-server-ca";
/// Go's default certificate directory in the distroless images, kept when adding ours
/// (`SSL_CERT_DIR` replaces the directory list; the system bundle file still loads).
const SYSTEM_CERT_DIR: &str = "/etc/ssl/certs";

/// The component whose runtime reads `role`'s database URL (`auth` is the web tier's).
pub(super) fn reader<'c>(cx: &'c Context, role: &str) -> Option<&'c Component> {
    let id = if role == "auth" { "web" } else { role };
    cx.components.components.iter().find(|c| c.id == id)
}

/// The query string (without `?`) of a database URL read by `runtime`; `mounted` says
/// whether the reader has the CA bundle mounted.
pub(super) fn pg_query(cx: &Context, runtime: Runtime, mounted: bool) -> String {
    if cx.in_cluster_pg {
        return "sslmode=disable".into();
    }
    let tls = &cx.cloud.data_tls;
    if tls.postgres_public_ca {
        // Node verifies against its bundled roots, which hold the public CA; pgx encrypts.
        return "sslmode=require".into();
    }
    let ca = cx.answers.ca_bundle.is_some() && mounted;
    let root = format!("sslrootcert={CA_DIR}/{CA_BUNDLE_KEY}");
    // Cloud SQL is reached by IP: the certificate names no IP, so only the chain verifies.
    match (runtime, ca, tls.postgres_chain_only) {
        (Runtime::Node, true, true) => format!("uselibpqcompat=true&sslmode=verify-ca&{root}"),
        (Runtime::Node, true, false) => format!("sslmode=verify-full&{root}"),
        (Runtime::Node, false, _) => "sslmode=no-verify".into(),
        (_, true, true) => format!("sslmode=verify-ca&{root}"),
        (_, true, false) => format!("sslmode=verify-full&{root}"),
        (_, false, _) => "sslmode=require".into(),
    }
}

/// The query of `role`'s database URL.
pub(super) fn role_query(cx: &Context, role: &str) -> String {
    match reader(cx, role) {
        Some(c) => pg_query(cx, c.runtime, c.extra_volumes),
        None => pg_query(cx, Runtime::Go, false),
    }
}

/// `services.web.databaseSsl`: what the web tier and its auth-migrate Job ask of TLS. Neither
/// can mount a CA, so a private chain is encrypted without verification.
pub(super) fn web_database_ssl(cx: &Context) -> &'static str {
    if cx.in_cluster_pg {
        "disable"
    } else if cx.cloud.data_tls.postgres_public_ca {
        "require"
    } else {
        "no-verify"
    }
}

/// Mounts the CA bundle into `svc` (component `c`) and points its runtime at it.
pub(super) fn mount_ca_bundle(cx: &Context, c: &Component, svc: &mut ServiceValues) {
    let Some(bundle) = &cx.answers.ca_bundle else {
        return;
    };
    if !c.extra_volumes {
        return;
    }
    svc.extra_volumes.push(ConfigMapVolume {
        name: CA_VOLUME.into(),
        config_map: ConfigMapRef {
            name: bundle.config_map.clone(),
        },
    });
    svc.extra_volume_mounts.push(VolumeMount {
        name: CA_VOLUME.into(),
        mount_path: CA_DIR.into(),
        read_only: true,
    });
    svc.extra_env.push(match c.runtime {
        // Node adds these to its bundled roots (Redis over rediss:// and any sslmode without
        // sslrootcert); read once at process start.
        Runtime::Node => {
            EnvVar::literal("NODE_EXTRA_CA_CERTS", format!("{CA_DIR}/{CA_BUNDLE_KEY}"))
        }
        Runtime::Go | Runtime::Libpq => {
            EnvVar::literal("SSL_CERT_DIR", format!("{SYSTEM_CERT_DIR}:{CA_DIR}"))
        }
    });
}

#[cfg(test)]
mod tests;
