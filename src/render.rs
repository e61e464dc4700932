//! `render`: a plan → the overlay's files, in memory. Pure; only `output` touches the disk.
use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};
use tera::{Context, Tera};

use crate::error::RenderError;
use crate::manifest::{self, Kustomization};
use crate::plan::Plan;

/// Name of the answers file inside an overlay.
pub const ANSWERS_FILE: &str = "caracal-wizard.yaml";
/// Name of the evaluation's git-ignored secrets file.
pub const LOCAL_SECRETS_FILE: &str = "secrets.local.yaml";

/// The files of an overlay, by relative path, in sorted order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedTree {
    /// Path → contents.
    pub files: BTreeMap<String, String>,
    /// Whether the writer must create the evaluation's local secrets.
    pub needs_local_secrets: bool,
}

/// The built-in templates, parsed once.
#[derive(Clone)]
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Parses the embedded templates.
    pub fn builtin() -> Result<Self, RenderError> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        tera.add_raw_templates(crate::embedded::TEMPLATES.iter().copied())
            .map_err(|e| RenderError::Template {
                template: "(built-in)".into(),
                reason: error_chain(&e),
            })?;
        Ok(Self { tera })
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<String, RenderError> {
        let mut out = self
            .tera
            .render(name, ctx)
            .map_err(|e| RenderError::Template {
                template: name.into(),
                reason: error_chain(&e),
            })?;
        // Every file ends with exactly one newline, whatever the template's tail.
        let trimmed = out.trim_end_matches('\n').len();
        out.truncate(trimmed);
        out.push('\n');
        Ok(out)
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn yaml<T: Serialize>(file: &str, v: &T) -> Result<String, RenderError> {
    manifest::to_yaml(v).map_err(|e| RenderError::Serialize {
        file: file.into(),
        reason: e.to_string(),
    })
}

/// One top-level key as YAML.
fn section<T: Serialize>(key: &str, v: &T) -> Result<String, RenderError> {
    let mut m = BTreeMap::new();
    m.insert(key, v);
    yaml("values.yaml", &m)
}

/// SHA-256 of `contents`, as written in the answers file.
pub fn digest(contents: &str) -> String {
    let mut h = Sha256::new();
    h.update(contents.as_bytes());
    let out = h.finalize();
    let mut s = String::from("sha256:");
    for b in out {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The answers file for `answers`, recording the digest of every file in `files`.
///
/// `render` calls it with what it rendered; `migrate` calls it again with the merged
/// files it actually writes, so the digests always describe the bytes on disk.
pub fn answers_file(
    answers: &crate::answers::Answers,
    files: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    let mut answers = answers.clone();
    answers.digests = files
        .iter()
        .filter(|(p, _)| p.as_str() != ANSWERS_FILE)
        .map(|(p, c)| (p.clone(), digest(c)))
        .collect();
    Ok(format!(
        "# caracal-wizard answers (version 1): the input to re-runs and migrations.\n# `digests` records what the wizard last wrote, so hand edits are noticed.\n{}",
        yaml(ANSWERS_FILE, &answers)?
    ))
}

/// Renders every file of the overlay.
pub fn render(plan: &Plan, templates: &Templates) -> Result<RenderedTree, RenderError> {
    let a = &plan.answers;
    let v = &plan.values;
    let release = a.release();
    let namespace = a.namespace();
    let fullname = format!("{release}-caracal");
    let evaluation = plan.profile.evaluation;
    let mut files = BTreeMap::new();
    let helm_command =
        format!("helm upgrade --install {release} <chart> -n {namespace} -f values.yaml");

    // Non-Helm manifests.
    let mut resources = vec!["namespace.yaml".to_string()];
    files.insert(
        "namespace.yaml".to_string(),
        yaml("namespace.yaml", &plan.namespace)?,
    );
    let mut extra_files: Vec<BTreeMap<&str, String>> = Vec::new();
    let mut note = |path: &str, what: &str| {
        let mut m = BTreeMap::new();
        m.insert("path", path.to_string());
        m.insert("what", what.to_string());
        extra_files.push(m);
    };
    if let (Some(store), Some(sa), Some(es)) = (
        &plan.store,
        &plan.store_service_account,
        &plan.external_secret,
    ) {
        let mut ctx = Context::new();
        ctx.insert("name", &store.name);
        ctx.insert("service_account", &store.service_account);
        ctx.insert("namespace", &store.namespace);
        ctx.insert("fields", &store.fields);
        ctx.insert("release", release);
        ctx.insert(
            "key_prefix",
            a.secret_store
                .get("keyPrefix")
                .map(String::as_str)
                .unwrap_or(""),
        );
        let paths = [
            (
                "external-secrets/service-account.yaml",
                "the ServiceAccount External Secrets authenticates as (workload identity)",
            ),
            (
                "external-secrets/cluster-secret-store.yaml",
                "ClusterSecretStore for the cloud's secret manager",
            ),
            (
                "external-secrets/external-secret.yaml",
                "ExternalSecret composing the runtime Secret `caracal-runtime`",
            ),
        ];
        files.insert(
            paths[0].0.into(),
            format!(
                "# External Secrets reads {} as this ServiceAccount; it carries the workload identity.\n{}",
                plan.cloud.secret_store.provider,
                yaml(paths[0].0, sa)?
            ),
        );
        files.insert(paths[1].0.into(), templates.render(&store.template, &ctx)?);
        files.insert(
            paths[2].0.into(),
            format!(
                "# The runtime Secret `caracal-runtime`, composed from {} entries. It provides every\n# key the chart's workloads and Jobs read ({} keys); no value is stored here.\n{}",
                plan.cloud.secret_store.provider,
                plan.runtime_keys.len(),
                yaml(paths[2].0, es)?
            ),
        );
        for (p, what) in paths {
            resources.push(p.into());
            note(p, what);
        }
    }
    for m in &plan.manifests {
        let mut ctx = Context::new();
        for (k, val) in &m.context {
            ctx.insert(k.as_str(), val);
        }
        files.insert(m.path.clone(), templates.render(&m.template, &ctx)?);
        resources.push(m.path.clone());
        let what = if m.path.starts_with("certificates/") {
            "Google-managed certificate for one host"
        } else {
            "internal ingress controller the internal endpoints use"
        };
        note(&m.path, what);
    }
    let kustomization = Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1".into(),
        kind: "Kustomization".into(),
        resources,
    };
    files.insert(
        "kustomization.yaml".into(),
        format!(
            "# `kubectl apply -k .` applies the manifests that are not part of the Helm chart.\n# Install the chart itself with helm (see README.md).\n{}",
            yaml("kustomization.yaml", &kustomization)?
        ),
    );

    // values.yaml
    let mut ctx = Context::new();
    ctx.insert("cloud_title", &plan.cloud.title);
    ctx.insert("profile_title", &plan.profile.title);
    ctx.insert("profile_summary", &plan.profile.summary);
    ctx.insert("helm_command", &helm_command);
    ctx.insert("mode", &v.global.mode);
    ctx.insert("evaluation", &evaluation);
    ctx.insert("release", release);
    ctx.insert("namespace", namespace);
    ctx.insert("fullname", &fullname);
    let identity_value = a.identity.get(&plan.cloud.identity.field).cloned();
    let pod_labels_note = (!v.global.pod_labels.is_empty()).then(|| {
        "The pod label lets the identity webhook inject the workload identity token.".to_string()
    });
    ctx.insert("pod_labels_note", &pod_labels_note);
    ctx.insert(
        "identity_note",
        &identity_value.as_ref().map(|val| {
            format!(
                "Bound to {val} ({}) for the secret backend and audit export.",
                plan.cloud.identity.annotation
            )
        }),
    );
    let secrets_note = if evaluation {
        format!(
            "The chart creates `{}` from secrets.local.yaml (git-ignored): pass it with -f.",
            v.secrets.runtime_secret_name
        )
    } else {
        format!(
            "The chart only reads `{}`; External Secrets writes it from {} (external-secrets/).",
            v.secrets.runtime_secret_name, plan.cloud.secret_store.provider
        )
    };
    ctx.insert("secrets_note", &secrets_note);
    let where_ = |host: &str, in_cluster: &str, product: &str| {
        if host == in_cluster {
            "in the cluster (evaluation)".to_string()
        } else {
            format!("on {product}")
        }
    };
    ctx.insert(
        "postgres_where",
        &where_(
            &v.secrets.database.host,
            crate::validate::IN_CLUSTER_POSTGRES,
            &plan.cloud.products.postgres,
        ),
    );
    ctx.insert(
        "redis_where",
        &where_(
            &v.secrets.redis.host,
            crate::validate::IN_CLUSTER_REDIS,
            &plan.cloud.products.redis,
        ),
    );
    ctx.insert("egress_summary", &plan.egress_summary);
    ctx.insert("ingress_summary", &plan.ingress_summary);
    ctx.insert("monitoring", &plan.profile.monitoring);
    let scaling_note = match plan.profile.replicas {
        Some(n) => format!("{n} replica each, no autoscaling or disruption budgets."),
        None => "the chart's replica counts, with HPAs and PodDisruptionBudgets on.".to_string(),
    };
    ctx.insert("scaling_note", &scaling_note);
    let issuer = v
        .services
        .get("sts")
        .and_then(|s| s.issuer_url.clone())
        .unwrap_or_else(|| {
            format!("http://{fullname}-sts:8080 (in-cluster only: the STS is not exposed)")
        });
    ctx.insert("issuer", &issuer);
    let web_origin = v
        .services
        .get("web")
        .and_then(|s| s.public_url.clone())
        .unwrap_or_default();
    ctx.insert("web_origin", &web_origin);
    let audit_days = a
        .retention
        .as_ref()
        .and_then(|r| r.audit_days)
        .unwrap_or(365);
    ctx.insert("audit_days", &audit_days);
    let ax = a.audit_export.clone().unwrap_or_default();
    ctx.insert("audit_export", &a.audit_export.is_some());
    ctx.insert("audit_bucket", &ax.bucket.unwrap_or_default());
    ctx.insert("audit_endpoint", &ax.endpoint.unwrap_or_default());
    ctx.insert("audit_region", &ax.region.unwrap_or_default());
    ctx.insert("ingresses", &plan.ingresses);
    ctx.insert("global", &section("global", &v.global)?);
    ctx.insert(
        "service_account",
        &section("serviceAccount", &v.service_account)?,
    );
    ctx.insert("secrets", &section("secrets", &v.secrets)?);
    ctx.insert(
        "network_policy",
        &section("networkPolicy", &v.network_policy)?,
    );
    ctx.insert(
        "replay_persistence",
        &section("replayPersistence", &v.replay_persistence)?,
    );
    ctx.insert(
        "service_monitor",
        &section("serviceMonitor", &v.service_monitor)?,
    );
    ctx.insert("alert_rules", &section("alertRules", &v.alert_rules)?);
    ctx.insert("services", &section("services", &v.services)?);
    ctx.insert("ingress", &section("ingress", &v.ingress)?);
    files.insert(
        "values.yaml".into(),
        templates.render("values.yaml.tera", &ctx)?,
    );

    // README.md
    ctx.insert("extra_files", &extra_files);
    ctx.insert(
        "in_cluster",
        &(v.secrets.database.host == crate::validate::IN_CLUSTER_POSTGRES),
    );
    ctx.insert("postgres_host", &v.secrets.database.host);
    ctx.insert("postgres_port", &v.secrets.database.port);
    ctx.insert("postgres_database", &v.secrets.database.name);
    ctx.insert("postgres_auth_database", &v.secrets.auth_database.name);
    ctx.insert("postgres_user", &v.secrets.database.user);
    ctx.insert("redis_host", &v.secrets.redis.host);
    ctx.insert("redis_port", &v.secrets.redis.port);
    let redis_tls = a.redis.as_ref().and_then(|r| r.tls).unwrap_or(false);
    ctx.insert("redis_tls", &redis_tls);
    ctx.insert("redis_scheme", if redis_tls { "rediss" } else { "redis" });
    ctx.insert("postgres_product", &plan.cloud.products.postgres);
    ctx.insert("redis_product", &plan.cloud.products.redis);
    ctx.insert(
        "postgres_checklist",
        &plan.cloud.products.postgres_checklist,
    );
    ctx.insert("redis_checklist", &plan.cloud.products.redis_checklist);
    ctx.insert("immutable_backups", &plan.cloud.products.immutable_backups);
    ctx.insert("regulated", &plan.profile.require_audit_export);
    ctx.insert("secret_entries", &plan.secret_entries);
    ctx.insert("secret_provider", &plan.cloud.secret_store.provider);
    ctx.insert("runtime_keys", &plan.runtime_keys);
    ctx.insert("runtime_key_count", &plan.runtime_keys.len());
    ctx.insert(
        "store_service_account",
        &plan
            .store
            .as_ref()
            .map(|s| s.service_account.clone())
            .unwrap_or_default(),
    );
    ctx.insert("identity_annotation", &plan.cloud.identity.annotation);
    ctx.insert(
        "identity_value",
        &identity_value.clone().unwrap_or_default(),
    );
    ctx.insert(
        "identity_pod_label",
        &plan
            .cloud
            .identity
            .pod_labels
            .iter()
            .map(|(k, v)| format!("{k}: \"{v}\""))
            .next(),
    );
    ctx.insert(
        "identity_hint_sentence",
        &format!("The identity is {}.", plan.cloud.identity.hint),
    );
    let subjects =
        format!(
        "system:serviceaccount:{namespace}:{fullname}` and `system:serviceaccount:{namespace}:{}",
        plan.store.as_ref().map(|s| s.service_account.clone()).unwrap_or_default()
    );
    let binding = match plan.cloud.identity.format {
        crate::format::Format::AwsRoleArn => format!("the role's trust policy allows `sts:AssumeRoleWithWebIdentity` from this cluster's OIDC provider for the subjects `{subjects}`"),
        crate::format::Format::GcpServiceAccount => format!("grant `roles/iam.workloadIdentityUser` on the Google service account to the members `serviceAccount:<project>.svc.id.goog[{namespace}/{fullname}]` and `serviceAccount:<project>.svc.id.goog[{namespace}/{}]`", plan.store.as_ref().map(|s| s.service_account.clone()).unwrap_or_default()),
        _ => format!("add a federated identity credential to the managed identity for each subject: `{subjects}` (issuer: the cluster's OIDC issuer URL)"),
    };
    ctx.insert("identity_binding", &binding);
    let mut prerequisites: Vec<String> = Vec::new();
    for i in &plan.ingresses {
        if !prerequisites.contains(&i.requires) {
            prerequisites.push(i.requires.clone());
        }
    }
    if let Some(issuer) = a
        .tls
        .get("clusterIssuer")
        .filter(|_| !plan.ingresses.is_empty())
    {
        prerequisites.push(format!("cert-manager with the ClusterIssuer `{issuer}`"));
    }
    ctx.insert("prerequisites", &prerequisites);
    let eg = a.egress.clone().unwrap_or_default();
    let open_https = eg.open_https.unwrap_or(false);
    ctx.insert("open_https", &open_https);
    ctx.insert(
        "provider_egress",
        &(open_https
            || !plan.cloud.fixed_egress.is_empty()
            || eg
                .categories()
                .iter()
                .any(|(c, v)| (*c == "providerApis" || *c == "identityProvider") && !v.is_empty())),
    );
    ctx.insert(
        "object_store_egress",
        &(a.audit_export.is_some()
            && (open_https
                || eg
                    .categories()
                    .iter()
                    .any(|(c, v)| *c == "objectStore" && !v.is_empty()))),
    );
    ctx.insert("warnings", &plan.warnings);
    files.insert(
        "README.md".into(),
        templates.render("README.md.tera", &ctx)?,
    );
    files.insert(
        ".gitignore".into(),
        templates.render("gitignore.tera", &Context::new())?,
    );

    // The answers, with digests of everything above.
    let answers_text = answers_file(&plan.answers, &files)?;
    files.insert(ANSWERS_FILE.into(), answers_text);
    Ok(RenderedTree {
        files,
        needs_local_secrets: evaluation,
    })
}
