//! Secrets planning: runtime keys, secret manager entries, the ExternalSecret and its store.
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::answers::{Answers, SignInProvider};
use crate::catalog::{Cloud, Labels};
use crate::manifest::*;
use crate::validate::EXTERNAL_SECRETS_IDENTITY;

use super::context::Context;
use super::data_tls::role_query;
use super::namespace::part_of;
use super::placeholders::Vars;
use super::{DB_ROLES, RUNTIME_SECRET};

/// One entry in the cloud's secret manager.
#[derive(Debug, Clone, Serialize)]
pub struct SecretEntry {
    /// Name in the manager.
    pub key: String,
    /// Template variable.
    pub variable: String,
    /// What it is.
    pub purpose: String,
    /// Shell command creating it: with a random value, or from a silent prompt for real values.
    pub command: String,
    /// Whether the value must be set by hand (a password the server already has).
    pub must_match: bool,
}

/// The ClusterSecretStore's inputs.
#[derive(Debug, Clone, Serialize)]
pub struct StorePlan {
    /// Store name.
    pub name: String,
    /// Template under `templates/`.
    pub template: String,
    /// ServiceAccount name.
    pub service_account: String,
    /// Its namespace.
    pub namespace: String,
    /// Cloud fields (`awsRegion`, …).
    pub fields: BTreeMap<String, String>,
}

/// The secrets part of a plan; everything but the runtime keys is empty for evaluation.
#[derive(Default)]
pub(super) struct SecretsPlan {
    /// Entries to create in the secret manager.
    pub entries: Vec<SecretEntry>,
    /// Keys the runtime Secret carries.
    pub runtime_keys: Vec<String>,
    /// The ExternalSecret.
    pub external_secret: Option<ExternalSecret>,
    /// The ClusterSecretStore's inputs.
    pub store: Option<StorePlan>,
    /// ServiceAccount the store authenticates as.
    pub store_service_account: Option<PlainObject>,
}

/// Plans the runtime Secret and, when the profile uses External Secrets, its sources.
pub(super) fn plan_secrets(cx: &Context) -> SecretsPlan {
    let runtime_keys = runtime_keys(&cx.answers, &cx.cloud);
    if !cx.profile.external_secrets {
        return SecretsPlan {
            runtime_keys,
            ..SecretsPlan::default()
        };
    }
    let a = &cx.answers;
    let prefix = a.secret_store.get("keyPrefix");
    let prefix = prefix.unwrap_or(&cx.cloud.secret_store.key_prefix);
    let entries = secret_entries(cx, prefix);
    let store_name = format!("{}-secrets", cx.release);
    let sa_name = format!("{}-external-secrets", cx.release);
    let fields = cx.cloud.secret_store.fields.iter().filter_map(|f| {
        let v = a.secret_store.get(&f.name)?;
        Some((f.name.clone(), v.clone()))
    });
    SecretsPlan {
        external_secret: Some(external_secret(cx, &entries, &store_name)),
        store_service_account: Some(store_service_account(cx, &sa_name)),
        store: Some(StorePlan {
            name: store_name,
            template: cx.cloud.secret_store.template.clone(),
            service_account: sa_name,
            namespace: cx.namespace.clone(),
            fields: fields.collect(),
        }),
        entries,
        runtime_keys,
    }
}

/// The ServiceAccount the store authenticates as, with External Secrets' own identity
/// (`identity.externalSecrets`) or, without one, the workloads'.
fn store_service_account(cx: &Context, name: &str) -> PlainObject {
    let mut annotations = cx.sa_annotations.clone();
    if let Some(own) = cx.answers.identity.get(EXTERNAL_SECRETS_IDENTITY) {
        annotations.insert(cx.cloud.identity.annotation.clone(), own.clone());
    }
    PlainObject {
        api_version: "v1".into(),
        kind: "ServiceAccount".into(),
        metadata: Metadata {
            name: name.into(),
            namespace: Some(cx.namespace.clone()),
            labels: part_of(&cx.release),
            annotations,
        },
        automount_service_account_token: Some(false),
    }
}

/// `secrets`: whether the chart makes its own Secret, and how to reach the databases.
///
/// `database.sslMode` is the migration Job's `PGSSLMODE` (libpq: `require` encrypts without
/// verifying); with a chart-made Secret it is also every URL's sslmode, which validation
/// keeps to what every runtime can use.
pub(super) fn secrets_values(cx: &Context) -> SecretsValues {
    let ssl_mode = if cx.in_cluster_pg {
        "disable"
    } else {
        "require"
    };
    let or = |v: &Option<String>, default: &str| v.clone().unwrap_or_else(|| default.into());
    SecretsValues {
        create: cx.profile.evaluation,
        runtime_secret_name: RUNTIME_SECRET.into(),
        database: DatabaseValues {
            user: or(&cx.pg.user, "caracal"),
            host: cx.pg_host.clone(),
            port: cx.pg_port,
            name: or(&cx.pg.database, "caracal"),
            ssl_mode: ssl_mode.into(),
        },
        auth_database: NameOnly {
            name: or(&cx.pg.auth_database, "caracal_auth"),
        },
        redis: RedisValues {
            host: cx.redis.host.clone().unwrap_or_default(),
            port: cx.redis_port,
            database: cx.redis.database.unwrap_or(0),
        },
    }
}

/// Every key the chart's workloads read from the runtime Secret, for these answers.
///
/// Derived from the chart's Deployments, StatefulSets and Jobs: each service's
/// projected `runtime-secrets` volume, the web tier's `secretKeyRef`s, and the
/// migration Job's admin and per-role passwords.
pub fn runtime_keys(a: &Answers, cloud: &Cloud) -> Vec<String> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for role in DB_ROLES {
        keys.insert(format!("{role}DatabaseUrl"));
        keys.insert(format!("{role}DbPassword"));
    }
    for k in [
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
    ] {
        keys.insert(k.into());
    }
    keys.extend(sign_in_specs(a).iter().map(|s| s.variable.to_string()));
    keys.extend(audit_specs(a, cloud).iter().map(|s| s.variable.to_string()));
    keys.into_iter().collect()
}

/// What one secret manager entry holds.
pub(super) struct EntrySpec {
    /// Key suffix in the manager.
    name: &'static str,
    /// Template variable (and runtime key, except for the two passwords).
    pub variable: &'static str,
    purpose: &'static str,
    /// A value the operator must type (it exists elsewhere), not a random one.
    must_match: bool,
}

const fn spec(
    name: &'static str,
    variable: &'static str,
    purpose: &'static str,
    must_match: bool,
) -> EntrySpec {
    EntrySpec {
        name,
        variable,
        purpose,
        must_match,
    }
}

/// Entries every production overlay needs, in the order the secrets page lists them.
const ALWAYS: [EntrySpec; 11] = [
    spec(
        "postgres-password",
        "pgPassword",
        "password of the Postgres migration role; every per-service password is derived from it",
        true,
    ),
    spec(
        "redis-password",
        "redisPassword",
        "Redis AUTH password (or access key)",
        true,
    ),
    spec(
        "admin-token",
        "caracalAdminToken",
        "administrative API token",
        false,
    ),
    spec(
        "coordinator-token",
        "caracalCoordinatorToken",
        "Coordinator token",
        false,
    ),
    spec(
        "auth-secret",
        "caracalAuthSecret",
        "console session signing secret",
        false,
    ),
    spec(
        "secret-store-kek",
        "secretStoreKek",
        "key-encryption key of Caracal's secret store",
        false,
    ),
    spec(
        "audit-hmac-key",
        "auditHmacKey",
        "audit chain HMAC key",
        false,
    ),
    spec(
        "streams-hmac-key",
        "streamsHmacKey",
        "Redis Streams HMAC key",
        false,
    ),
    spec(
        "idempotency-hmac-key",
        "idempotencyHmacKey",
        "idempotency HMAC key",
        false,
    ),
    spec(
        "gateway-sts-hmac-key",
        "gatewayStsHmacKey",
        "Gateway–STS HMAC key",
        false,
    ),
    spec(
        "metrics-bearer",
        "metricsBearer",
        "bearer token Prometheus presents to /metrics",
        false,
    ),
];

const SMTP_URL: EntrySpec = spec("smtp-url", "smtpUrl", "SMTP URL for sign-in mail", true);
const CLIENT_ID: EntrySpec = spec(
    "sign-in-client-id",
    "signInClientId",
    "OAuth client ID of the console's sign-in app",
    true,
);
const CLIENT_SECRET: EntrySpec = spec(
    "sign-in-client-secret",
    "signInClientSecret",
    "OAuth client secret of the console's sign-in app",
    true,
);

const AUDIT_KEY_ID: EntrySpec = spec(
    "audit-s3-access-key-id",
    "auditS3AccessKeyId",
    "HMAC access key ID of the audit export's object store",
    true,
);
const AUDIT_SECRET: EntrySpec = spec(
    "audit-s3-secret-access-key",
    "auditS3SecretAccessKey",
    "HMAC secret of the audit export's object store",
    true,
);

/// The audit export's HMAC keys, where the object store takes them instead of the
/// workload identity (Cloud Storage interoperability, S3 gateways in front of Blob Storage).
pub(super) fn audit_specs(a: &Answers, cloud: &Cloud) -> Vec<&'static EntrySpec> {
    if cloud.audit_export_hmac && a.audit_export.is_some() {
        vec![&AUDIT_KEY_ID, &AUDIT_SECRET]
    } else {
        vec![]
    }
}

/// The sign-in method's secrets: an SMTP URL, or the OAuth client (its ID unless answered).
fn sign_in_specs(a: &Answers) -> Vec<&'static EntrySpec> {
    match &a.sign_in {
        None => vec![],
        Some(s) if s.provider == SignInProvider::Smtp => vec![&SMTP_URL],
        Some(s) if s.client_id.is_none() => vec![&CLIENT_ID, &CLIENT_SECRET],
        Some(_) => vec![&CLIENT_SECRET],
    }
}

fn secret_entries(cx: &Context, prefix: &str) -> Vec<SecretEntry> {
    let specs = ALWAYS
        .iter()
        .chain(sign_in_specs(&cx.answers))
        .chain(audit_specs(&cx.answers, &cx.cloud));
    specs.map(|s| secret_entry(cx, prefix, s)).collect()
}

/// One entry with the cloud's command that creates it.
///
/// The value always reaches the command on standard input, through the shell's builtin
/// `printf`: an argument would show in the process list, and a value starting with `-` would
/// be read as an option. The prompt turns echo off with `stty` and reads with plain `read -r`,
/// which bash, zsh and sh all have (`read -s`/`-p` are bash-only).
fn secret_entry(cx: &Context, prefix: &str, s: &EntrySpec) -> SecretEntry {
    let key = format!("{prefix}{}", s.name);
    let vars = Vars {
        key: Some(&key),
        store: Some(&cx.answers.secret_store),
        ..Vars::default()
    };
    let create = vars.fill(&cx.cloud.secret_store.create_command);
    SecretEntry {
        command: if s.must_match {
            format!(
                "printf '%s: ' '{key}' >&2; stty -echo; IFS= read -r V; stty echo; echo >&2\n\
                 printf '%s' \"$V\" | {create}; unset V"
            )
        } else {
            format!("printf '%s' \"$(openssl rand -hex 32)\" | {create}")
        },
        key,
        variable: s.variable.into(),
        purpose: purpose(cx, s),
        must_match: s.must_match,
    }
}

/// What an entry holds; the SMTP URL's example follows the answered port, since the
/// NetworkPolicy opens only that one and nodemailer's `smtps://` means implicit TLS.
fn purpose(cx: &Context, s: &EntrySpec) -> String {
    let relay = cx.answers.sign_in.as_ref().and_then(|i| i.smtp.as_ref());
    match relay.filter(|_| s.variable == SMTP_URL.variable) {
        Some(r) => format!("{} ({})", s.purpose, smtp_url_example(r.port())),
        None => s.purpose.into(),
    }
}

/// `smtps://` (implicit TLS) on 465; `smtp://` elsewhere, which nodemailer upgrades with
/// STARTTLS when the relay offers it.
fn smtp_url_example(port: u32) -> String {
    if port == 465 {
        "`smtps://user:password@host:465`, implicit TLS".into()
    } else {
        format!("`smtp://user:password@host:{port}`, upgraded with STARTTLS")
    }
}

/// The ExternalSecret that assembles the runtime Secret from the manager's entries.
fn external_secret(cx: &Context, entries: &[SecretEntry], store: &str) -> ExternalSecret {
    ExternalSecret {
        api_version: "external-secrets.io/v1".into(),
        kind: "ExternalSecret".into(),
        metadata: Metadata {
            name: RUNTIME_SECRET.into(),
            namespace: Some(cx.namespace.clone()),
            labels: part_of(&cx.release),
            annotations: Labels::new(),
        },
        spec: ExternalSecretSpec {
            refresh_interval: "1h".into(),
            secret_store_ref: StoreRef {
                name: store.into(),
                kind: "ClusterSecretStore".into(),
            },
            target: Target {
                name: RUNTIME_SECRET.into(),
                creation_policy: "Owner".into(),
                deletion_policy: "Retain".into(),
                template: TargetTemplate {
                    type_: "Opaque".into(),
                    engine_version: "v2".into(),
                    data: template_data(cx, entries),
                },
            },
            data: entries
                .iter()
                .map(|e| RemoteData {
                    secret_key: e.variable.clone(),
                    remote_ref: RemoteRef { key: e.key.clone() },
                })
                .collect(),
        },
    }
}

/// The runtime Secret's keys as ESO templates: per-role passwords derived from the
/// migration password, connection URLs, and every other entry as is.
fn template_data(cx: &Context, entries: &[SecretEntry]) -> BTreeMap<String, String> {
    let (host, port) = (&cx.pg_host, cx.pg_port);
    let db = cx.pg.database.clone().unwrap_or_else(|| "caracal".into());
    let auth_db = cx.pg.auth_database.clone();
    let auth_db = auth_db.unwrap_or_else(|| "caracal_auth".into());
    let derived =
        |role: &str| format!("{{{{ printf \"%s:caracal{role}\" .pgPassword | sha256sum }}}}");
    let mut data = BTreeMap::new();
    data.insert("postgresPassword".into(), "{{ .pgPassword }}".into());
    for role in DB_ROLES {
        data.insert(format!("{role}DbPassword"), derived(role));
        let database = if role == "auth" { &auth_db } else { &db };
        let url = format!(
            "postgres://caracal{role}:{}@{host}:{port}/{database}?{}",
            derived(role),
            role_query(cx, role)
        );
        data.insert(format!("{role}DatabaseUrl"), url);
    }
    data.insert("redisUrl".into(), redis_url(cx));
    for e in entries {
        if e.variable != "pgPassword" && e.variable != "redisPassword" {
            data.insert(e.variable.clone(), format!("{{{{ .{} }}}}", e.variable));
        }
    }
    data
}

fn redis_url(cx: &Context) -> String {
    let r = &cx.redis;
    let scheme = if r.tls.unwrap_or(false) {
        "rediss"
    } else {
        "redis"
    };
    format!(
        "{scheme}://:{{{{ .redisPassword | urlquery }}}}@{}:{}/{}",
        r.host.clone().unwrap_or_default(),
        cx.redis_port,
        r.database.unwrap_or(0)
    )
}
