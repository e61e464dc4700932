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

/// The built-in templates, each parsed the first time it is used.
///
/// Parsing is a large part of rendering, and an overlay uses only some templates (one
/// secret store, no AKS controller on GKE, …), so none is parsed before it is needed.
pub struct Templates {
    sources: BTreeMap<&'static str, &'static str>,
    parsed: std::sync::Mutex<Tera>,
}

impl Clone for Templates {
    fn clone(&self) -> Self {
        let parsed = self
            .parsed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        Self {
            sources: self.sources.clone(),
            parsed: std::sync::Mutex::new(parsed),
        }
    }
}

impl Templates {
    /// The embedded templates (parsed lazily).
    pub fn builtin() -> Result<Self, RenderError> {
        Ok(Self::from_sources(crate::embedded::TEMPLATES))
    }

    /// Templates from `(name, source)` pairs laid out like `templates/`.
    pub fn from_sources(files: &[(&'static str, &'static str)]) -> Self {
        let mut tera = Tera::default();
        tera.autoescape_on(Vec::<&str>::new());
        Self {
            sources: files.iter().copied().collect(),
            parsed: std::sync::Mutex::new(tera),
        }
    }

    /// Parses every template now; the built-in set is checked this way in tests.
    pub fn ensure_all_parse(&self) -> Result<(), RenderError> {
        let mut tera = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        for name in self.sources.keys() {
            self.ensure_parsed(&mut tera, name)?;
        }
        Ok(())
    }

    fn ensure_parsed(&self, tera: &mut Tera, name: &str) -> Result<(), RenderError> {
        if tera.get_template_names().any(|n| n == name) {
            return Ok(());
        }
        let source = self
            .sources
            .get(name)
            .ok_or_else(|| RenderError::Template {
                template: name.into(),
                reason: "no such built-in template".into(),
            })?;
        tera.add_raw_template(name, source)
            .map_err(|e| RenderError::Template {
                template: name.into(),
                reason: error_chain(&e),
            })
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<String, RenderError> {
        let mut tera = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        self.ensure_parsed(&mut tera, name)?;
        let mut out = tera.render(name, ctx).map_err(|e| RenderError::Template {
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
    format!("sha256:{}", hex(&h.finalize()))
}

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
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
    // An evaluation's chart-made Secret is filled from the git-ignored local file.
    let helm_command = format!(
        "helm upgrade --install {release} <chart> -n {namespace} -f values.yaml{}",
        if evaluation {
            " -f secrets.local.yaml"
        } else {
            ""
        }
    );

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
            ctx.insert(k.clone(), val);
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
    // GitOps hand-off (#5): Argo CD's Application lives in the argocd namespace and is applied
    // once, so it stays out of the kustomization; Flux's chart source, HelmRelease and values
    // ConfigMap are part of it, and its Kustomization (the bootstrap object) is not.
    let mut config_map_generator = Vec::new();
    let mut configurations = Vec::new();
    let mut gitops_files: Vec<BTreeMap<&str, String>> = Vec::new();
    let mut gitops_note = |path: &str, what: &str, applied_by: &str| {
        let mut m = BTreeMap::new();
        m.insert("path", path.to_string());
        m.insert("what", what.to_string());
        m.insert("applied_by", applied_by.to_string());
        gitops_files.push(m);
    };
    match crate::gitops::manifests(plan) {
        None => {}
        Some(crate::gitops::GitOpsManifests::Argocd(app)) => {
            let p = crate::gitops::APPLICATION_FILE;
            files.insert(
                p.into(),
                format!(
                    "# Argo CD Application installing the Caracal chart with this overlay's values.yaml and\n# applying its manifests. Apply it once to Argo CD's namespace (not part of kustomization.yaml):\n#   kubectl apply -n {} -f {p}\n{}",
                    crate::gitops::ARGOCD_NAMESPACE,
                    yaml(p, &app)?
                ),
            );
            gitops_note(p, "Argo CD Application: the chart with `values.yaml`, plus this directory's manifests", "you, once (`kubectl apply -n argocd`)");
        }
        Some(crate::gitops::GitOpsManifests::Flux {
            chart_source,
            helm_release,
            values,
            overlay_source,
            kustomization,
        }) => {
            let (src, hr, cfg, ks) = (
                crate::gitops::FLUX_SOURCE_FILE,
                crate::gitops::FLUX_HELMRELEASE_FILE,
                crate::gitops::FLUX_KUSTOMIZECONFIG_FILE,
                crate::gitops::FLUX_KUSTOMIZATION_FILE,
            );
            files.insert(
                src.into(),
                format!(
                    "# Flux source of the Caracal chart (only its directory is fetched).\n{}",
                    yaml(src, &chart_source)?
                ),
            );
            files.insert(
                hr.into(),
                format!(
                    "# Flux HelmRelease installing the chart with values.yaml, through the ConfigMap\n# kustomization.yaml generates from it (a new hash on every change triggers an upgrade).\n{}",
                    yaml(hr, &helm_release)?
                ),
            );
            files.insert(
                cfg.into(),
                templates.render("gitops/kustomizeconfig.yaml.tera", &Context::new())?,
            );
            let mut docs = Vec::new();
            if let Some(os) = &overlay_source {
                docs.push(yaml(ks, os)?);
            }
            docs.push(yaml(ks, &kustomization)?);
            files.insert(
                ks.into(),
                format!(
                    "# Flux Kustomization applying this overlay directory. Commit it where Flux already\n# reconciles (e.g. clusters/<cluster>/), or apply it once:\n#   kubectl apply -f {ks}\n{}",
                    docs.join("---\n")
                ),
            );
            resources.push(src.into());
            resources.push(hr.into());
            config_map_generator.push(values);
            configurations.push(cfg.to_string());
            gitops_note(
                src,
                "Flux GitRepository of the chart",
                "Flux, through `kustomization.yaml`",
            );
            gitops_note(hr, "Flux HelmRelease: the chart with the values ConfigMap generated from `values.yaml`", "Flux, through `kustomization.yaml`");
            gitops_note(
                cfg,
                "tells kustomize to follow the values ConfigMap's hashed name into the HelmRelease",
                "kustomize",
            );
            gitops_note(
                ks,
                "Flux Kustomization applying this directory",
                "you or your Flux cluster directory, once",
            );
        }
    }
    let kustomization = Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1".into(),
        kind: "Kustomization".into(),
        resources,
        config_map_generator,
        configurations,
    };
    files.insert(
        "kustomization.yaml".into(),
        format!(
            "# `kubectl apply -k .` applies the manifests that are not part of the Helm chart.\n# {}\n{}",
            if kustomization.config_map_generator.is_empty() {
                "Install the chart itself with helm (see README.md)."
            } else {
                "With Flux it also carries the HelmRelease that installs the chart (see README.md)."
            },
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
    ctx.insert("gitops", &plan.gitops.as_ref().map(|g| g.tool.key()));
    ctx.insert("gitops_files", &gitops_files);
    ctx.insert("gitops_plan", &plan.gitops);
    ctx.insert(
        "gitops_values_path",
        &plan.gitops.as_ref().map(crate::gitops::values_path),
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sha256_in_lower_case_hex() {
        assert_eq!(
            digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn every_builtin_template_parses() {
        Templates::builtin()
            .expect("templates")
            .ensure_all_parse()
            .expect("every template parses");
    }

    #[test]
    fn a_broken_template_is_reported_by_name() {
        let t = Templates::from_sources(&[("bad.tera", "{% if %}")]);
        let err = t.ensure_all_parse().unwrap_err().to_string();
        assert!(err.contains("bad.tera"), "{err}");
    }
}
