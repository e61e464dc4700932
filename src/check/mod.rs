//! `check`: re-validates an overlay directory as it is on disk, hand edits included.
use std::path::Path;

use serde::Serialize;

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::render::{ANSWERS_FILE, LOCAL_SECRETS_FILE};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The overlay is wrong or unsafe.
    Error,
    /// Worth knowing; does not fail the check.
    Note,
}

/// One finding about an overlay.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// File it concerns.
    pub file: String,
    /// What is wrong.
    pub message: String,
    /// The answer to change (key path in caracal-wizard.yaml), if one fixes it.
    pub answer: Option<String>,
    /// A static finding the rendered-manifest check makes again, more precisely (naming the
    /// object and ports); `check` drops it when the overlay was rendered with helm.
    #[serde(skip)]
    pub rechecked_when_rendered: bool,
}

impl Finding {
    /// An error finding about `file`, naming the answer that fixes it.
    pub fn error(file: &str, message: impl Into<String>, answer: Option<&str>) -> Self {
        Finding {
            severity: Severity::Error,
            file: file.into(),
            message: message.into(),
            answer: answer.map(str::to_string),
            rechecked_when_rendered: false,
        }
    }
    /// A note about `file`; it does not fail the check.
    pub fn note(file: &str, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Note,
            file: file.into(),
            message: message.into(),
            answer: None,
            rechecked_when_rendered: false,
        }
    }

    /// Marks a static finding the rendered check repeats (see `rechecked_when_rendered`).
    pub fn rechecked_when_rendered(mut self) -> Self {
        self.rechecked_when_rendered = true;
        self
    }
}

/// Why a directory can't be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// Not an overlay.
    #[error("{0} is not a caracal-wizard overlay (no {ANSWERS_FILE}); give the directory `caracal-wizard new --out` wrote")]
    NotAnOverlay(String),
    /// Unreadable.
    #[error("{path}: {reason}")]
    Unreadable {
        /// File.
        path: String,
        /// Why.
        reason: String,
    },
}

fn get<'a>(v: &'a serde_yaml::Value, path: &[&str]) -> Option<&'a serde_yaml::Value> {
    path.iter().try_fold(v, |cur, k| cur.get(*k))
}

fn is_true(v: Option<&serde_yaml::Value>) -> bool {
    v.and_then(serde_yaml::Value::as_bool).unwrap_or(false)
}

fn non_empty_seq(v: Option<&serde_yaml::Value>) -> bool {
    v.and_then(serde_yaml::Value::as_sequence)
        .is_some_and(|s| !s.is_empty())
}

/// Static checks of the overlay in `dir`.
pub fn check_dir(dir: &Path, catalog: &Catalog) -> Result<Vec<Finding>, CheckError> {
    let read = |name: &str| -> Result<Option<String>, CheckError> {
        match fs_err::read_to_string(dir.join(name)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CheckError::Unreadable {
                path: dir.join(name).display().to_string(),
                reason: e.to_string(),
            }),
        }
    };
    let Some(answers_text) = read(ANSWERS_FILE)? else {
        return Err(CheckError::NotAnOverlay(dir.display().to_string()));
    };
    let mut findings = Vec::new();
    let answers = match Answers::parse(ANSWERS_FILE, &answers_text, &[]) {
        Ok(a) => Some(a),
        Err(e) => {
            findings.push(Finding::error(ANSWERS_FILE, e.to_string(), None));
            None
        }
    };
    let mut evaluation = false;
    let mut plan = None;
    if let Some(a) = &answers {
        evaluation = catalog.profile(&a.profile).is_some_and(|p| p.evaluation);
        match crate::plan::plan(a, catalog) {
            Ok(p) => plan = Some(p),
            Err(problems) => {
                for p in problems.0 {
                    findings.push(Finding::error(
                        ANSWERS_FILE,
                        p.message.clone(),
                        Some(&p.path),
                    ));
                }
            }
        }
    }
    // Hand edits are allowed, but worth a note.
    let states = crate::output::file_states(dir, &[]);
    for (path, state) in states {
        if state == crate::output::FileState::Edited && path != ANSWERS_FILE {
            findings.push(Finding::note(&path, "edited by hand since caracal-wizard wrote it (kept by `migrate`; overwritten only with `new --force`)"));
        }
    }
    let values_text = read("values.yaml")?;
    match values_text.as_deref().map(crate::manifest::parse_yaml) {
        None => findings.push(Finding::error(
            "values.yaml",
            "missing; re-run `caracal-wizard new --answers caracal-wizard.yaml --out .`",
            None,
        )),
        Some(Err(e)) => findings.push(Finding::error(
            "values.yaml",
            format!("not valid YAML: {e}"),
            None,
        )),
        Some(Ok(v)) => {
            check_values(&v, evaluation, &mut findings);
            if let Some(plan) = &plan {
                check_promises(&v, plan, &mut findings);
            }
        }
    }
    // No plaintext secret anywhere Git would pick up.
    scan_for_secrets(dir, dir, &mut findings)?;
    if let Some(_local) = read(LOCAL_SECRETS_FILE)? {
        let ignored = read(".gitignore")?.is_some_and(|g| {
            g.lines()
                .any(|l| l.trim() == LOCAL_SECRETS_FILE || l.trim() == "*.local.yaml")
        });
        if !ignored {
            findings.push(Finding::error(".gitignore", format!("{LOCAL_SECRETS_FILE} holds plaintext credentials but is not git-ignored; add it to .gitignore"), None));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(m) = fs_err::metadata(dir.join(LOCAL_SECRETS_FILE)) {
                if m.permissions().mode() & 0o077 != 0 {
                    findings.push(Finding::error(
                        LOCAL_SECRETS_FILE,
                        format!(
                            "readable by others (mode {:o}); run `chmod 600 {LOCAL_SECRETS_FILE}`",
                            m.permissions().mode() & 0o777
                        ),
                        None,
                    ));
                }
            }
        }
        if !evaluation {
            findings.push(Finding::note(LOCAL_SECRETS_FILE, "left over from an evaluation; this profile reads secrets from the secret manager, so delete it"));
        }
    }
    if !evaluation && answers.is_some() && read("external-secrets/external-secret.yaml")?.is_none()
    {
        findings.push(Finding::error(
            "external-secrets/external-secret.yaml",
            "missing: outside evaluation the runtime Secret comes from External Secrets",
            None,
        ));
    }
    findings.sort();
    findings.dedup();
    Ok(findings)
}

fn check_values(v: &serde_yaml::Value, evaluation: bool, findings: &mut Vec<Finding>) {
    let f = "values.yaml";
    let stable = get(v, &["global", "mode"]).and_then(|m| m.as_str()) == Some("stable");
    let create = is_true(get(v, &["secrets", "create"]));
    if create && !is_true(get(v, &["global", "evaluation"])) {
        findings.push(Finding::error(f, "secrets.create is true without global.evaluation: the chart refuses plaintext Secrets outside evaluation", Some("profile")));
    }
    if stable && create {
        findings.push(Finding::error(
            f,
            "secrets.create is true in stable mode: the chart refuses it",
            Some("profile"),
        ));
    }
    if let Some(plain) = get(v, &["secrets", "plaintext"]).and_then(|p| p.as_mapping()) {
        if plain
            .values()
            .any(|x| x.as_str().is_some_and(|s| !s.is_empty()))
        {
            findings.push(Finding::error(f, "secrets.plaintext holds values: a secret in a committed file; move them to the secret manager (or secrets.local.yaml for an evaluation)", Some("profile")));
        }
    }
    if stable {
        if get(v, &["secrets", "database", "host"])
            .and_then(|h| h.as_str())
            .is_none_or(|h| h == crate::validate::IN_CLUSTER_POSTGRES)
        {
            findings.push(Finding::error(
                f,
                "secrets.database.host is the in-cluster default: stable needs managed Postgres",
                Some("postgres.host"),
            ));
        }
        if get(v, &["secrets", "redis", "host"])
            .and_then(|h| h.as_str())
            .is_none_or(|h| h == crate::validate::IN_CLUSTER_REDIS)
        {
            findings.push(Finding::error(
                f,
                "secrets.redis.host is the in-cluster default: stable needs managed Redis",
                Some("redis.host"),
            ));
        }
    }
    let np_on = get(v, &["networkPolicy", "enabled"])
        .and_then(|b| b.as_bool())
        .unwrap_or(true);
    let open_dns = is_true(get(v, &["networkPolicy", "allowOpenDns"]));
    let open_https = is_true(get(v, &["networkPolicy", "allowOpenHttps"]));
    if !np_on && !evaluation {
        findings.push(Finding::error(
            f,
            "networkPolicy.enabled is false: every profile but evaluation needs the NetworkPolicy",
            None,
        ));
    }
    if np_on && !open_dns && !non_empty_seq(get(v, &["networkPolicy", "dnsEgress"])) {
        findings.push(Finding::error(f, "no DNS egress: networkPolicy.dnsEgress is empty and allowOpenDns is false, so nothing resolves", Some("dns.mode")));
    }
    if np_on
        && !evaluation
        && !open_https
        && !non_empty_seq(get(v, &["networkPolicy", "extraEgress"]))
    {
        findings.push(Finding::error(
            f,
            "no provider-API, identity or object-store egress: networkPolicy.extraEgress is empty",
            Some("egress.providerApis"),
        ));
    }
    let mut any_ingress = false;
    for name in ["web", "sts", "gateway", "api"] {
        let enabled = get(v, &["ingress", name, "enabled"])
            .and_then(|b| b.as_bool())
            .unwrap_or(name == "web");
        any_ingress |= enabled;
    }
    if stable && np_on && any_ingress && !non_empty_seq(get(v, &["networkPolicy", "extraIngress"]))
    {
        findings.push(Finding::error(f, "an Ingress is enabled but networkPolicy.extraIngress is empty: the chart refuses this, and the controller could not reach the pods", Some("ingressController")));
    }
    if !evaluation && !is_true(get(v, &["serviceMonitor", "enabled"])) {
        findings.push(Finding::error(
            f,
            "serviceMonitor.enabled is not true: production profiles scrape every service",
            Some("profile"),
        ));
    }
}

/// Checks that `values.yaml` as it is on disk still keeps what the answers promise.
fn check_promises(v: &serde_yaml::Value, plan: &crate::plan::Plan, findings: &mut Vec<Finding>) {
    let f = "values.yaml";
    let typed: Option<crate::manifest::NetworkPolicyValues> = get(v, &["networkPolicy"])
        .cloned()
        .and_then(|np| serde_yaml::from_value(np).ok());
    let Some(np) = typed else {
        findings.push(Finding::error(
            f,
            "networkPolicy is missing or malformed",
            None,
        ));
        return;
    };
    let want = &plan.values.network_policy;
    let has_rule = |rules: &[crate::manifest::EgressRule], cidr: &str, port: u32| {
        rules.iter().any(|r| {
            (r.to.is_empty()
                || r.to
                    .iter()
                    .any(|p| p.ip_block.as_ref().is_some_and(|b| b.cidr == cidr)))
                && (r.ports.is_empty() || r.ports.iter().any(|p| p.port == port))
        })
    };
    let egress = plan.answers.egress.clone().unwrap_or_default();
    for (cat, entries) in egress.categories() {
        for e in entries {
            for port in e.ports() {
                if !np.allow_open_https && !has_rule(&np.extra_egress, e.cidr(), port) {
                    findings.push(Finding::error(f, format!("egress to `{}` on {port} ({cat}) is missing from networkPolicy.extraEgress", e.cidr()), Some(&format!("egress.{cat}"))));
                }
            }
        }
    }
    if plan.profile.require_egress && !np.allow_open_https {
        let named = |cat: &str| {
            egress
                .categories()
                .iter()
                .any(|(c, v)| *c == cat && !v.is_empty())
        };
        if !named("identityProvider")
            && !named("providerApis")
            && plan.cloud.fixed_egress.is_empty()
        {
            findings.push(Finding::error(f, format!("no egress to the identity provider or provider APIs: workload identity, audit export and an external secret backend can't reach {}", plan.cloud.title), Some("egress.providerApis")));
        }
        if plan.answers.audit_export.is_some() && !named("objectStore") {
            findings.push(Finding::error(
                f,
                "audit export is configured but no egress reaches its object store",
                Some("egress.objectStore"),
            ));
        }
    }
    if np.dns_egress.is_empty() && !np.allow_open_dns && !want.dns_egress.is_empty() {
        findings.push(Finding::error(
            f,
            "DNS egress the answers ask for is missing from networkPolicy.dnsEgress",
            Some("dns.mode"),
        ));
    }
    if np.allow_open_https && !plan.profile.open_https {
        findings.push(Finding::error(
            f,
            format!(
                "networkPolicy.allowOpenHttps is true, which profile `{}` refuses",
                plan.profile.id
            ),
            Some("egress.openHttps"),
        ));
    }
    if np.allow_open_dns && !plan.profile.open_dns {
        findings.push(Finding::error(
            f,
            format!(
                "networkPolicy.allowOpenDns is true, which profile `{}` refuses",
                plan.profile.id
            ),
            Some("dns.mode"),
        ));
    }
    if !plan.profile.open_cidr {
        for r in np.extra_egress.iter().chain(np.dns_egress.iter()) {
            let open = r.to.is_empty()
                || r.to
                    .iter()
                    .any(|p| p.ip_block.as_ref().is_some_and(|b| b.cidr.ends_with("/0")));
            if open {
                // HTTPS to everywhere is what `egress.openHttps` would ask for; anything else
                // to everywhere can only have come from a CIDR list.
                let https = r.ports.is_empty() || r.ports.iter().any(|p| p.port == 443);
                let answer = if https {
                    "egress.openHttps"
                } else {
                    "egress.other"
                };
                findings.push(
                    Finding::error(
                        f,
                        format!(
                            "an egress rule reaches everywhere (no peer or a /0), which profile `{}` refuses; list CIDRs under `egress.*` instead",
                            plan.profile.id
                        ),
                        Some(answer),
                    )
                    .rechecked_when_rendered(),
                );
            }
        }
    }
    // Origins must match their hosts.
    let ingress_host = |name: &str| -> Option<String> {
        let enabled = get(v, &["ingress", name, "enabled"])
            .and_then(|b| b.as_bool())
            .unwrap_or(name == "web");
        enabled.then(|| {
            get(v, &["ingress", name, "host"])
                .and_then(|h| h.as_str())
                .unwrap_or_default()
                .to_string()
        })
    };
    let service_url = |name: &str, key: &str| {
        get(v, &["services", name, key])
            .and_then(|u| u.as_str())
            .map(str::to_string)
    };
    if let Some(host) = ingress_host("web") {
        let origin = service_url("web", "publicUrl");
        if origin.as_deref() != Some(format!("https://{host}").as_str()) {
            findings.push(Finding::error(f, format!("services.web.publicUrl is {} but the console's Ingress host is `{host}`: browsers would be refused", origin.unwrap_or_else(|| "unset".into())), Some("hosts.web")));
        }
    }
    if let Some(host) = ingress_host("sts") {
        let issuer = service_url("sts", "issuerUrl");
        if issuer.as_deref() != Some(format!("https://{host}").as_str()) {
            findings.push(Finding::error(f, format!("services.sts.issuerUrl is {} but the STS Ingress host is `{host}`: verifiers outside the cluster would reject its mandates", issuer.unwrap_or_else(|| "unset".into())), Some("hosts.sts")));
        }
    }
    for (name, want_ing) in &plan.values.ingress {
        let enabled = get(v, &["ingress", name, "enabled"])
            .and_then(|b| b.as_bool())
            .unwrap_or(name == "web");
        if enabled && !want_ing.enabled {
            findings.push(Finding::error(
                f,
                format!("ingress.{name} is enabled but the answers keep it `disabled`"),
                Some(&format!("endpoints.{name}")),
            ));
        }
    }
}

const SECRET_MARKERS: [&str; 3] = ["-----BEGIN", "AKIA", "stringData:"];

fn scan_for_secrets(
    root: &Path,
    dir: &Path,
    findings: &mut Vec<Finding>,
) -> Result<(), CheckError> {
    let entries = fs_err::read_dir(dir).map_err(|e| CheckError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name == ".git" || name == LOCAL_SECRETS_FILE {
            continue;
        }
        if p.is_dir() {
            scan_for_secrets(root, &p, findings)?;
            continue;
        }
        let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
        let Ok(text) = fs_err::read_to_string(&p) else {
            continue;
        };
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        if let Ok(docs) = crate::manifest::parse_yaml_documents(&text) {
            for d in docs {
                if d.get("kind").and_then(|k| k.as_str()) == Some("Secret")
                    && (d.get("data").is_some() || d.get("stringData").is_some())
                {
                    findings.push(Finding::error(&rel, "a Kubernetes Secret with data: a plaintext secret in a committed file; keep it in the secret manager", Some("profile")));
                }
            }
        }
        if SECRET_MARKERS[..2].iter().any(|m| text.contains(m)) {
            findings.push(Finding::error(
                &rel,
                "looks like it holds key material (a PEM block or an AWS access key)",
                None,
            ));
        }
    }
    Ok(())
}
