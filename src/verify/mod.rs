//! `check --chart`: renders an overlay with the real chart through helm and checks the
//! rendered manifests against what the answers promise (#5).
//!
//! The checks themselves ([`check_rendered`], [`unknown_values_keys`]) are pure functions of
//! parsed manifests; [`verify_dir`] is the only part that runs `helm` and `kubectl`.
//!
//! One module per promise (`secrets`, `network`, `ingress`, `origins`, `runtime_keys`,
//! `monitoring`), composed by `rendered`; `chart` reads the chart and `tools` finds and runs
//! helm and kubectl. The overlay's own `network/`, `monitoring/` and `ingress/` manifests are
//! checked together with helm's output, since both decide who reaches what (#10).
use std::path::Path;

use serde::Serialize;
use serde_yaml::Value;

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::check::doc::{bool_at, kind, str_at};
use crate::check::{Finding, Severity};
use crate::manifest;
use crate::plan::Plan;
use crate::render::{ANSWERS_FILE, LOCAL_SECRETS_FILE};

mod chart;
mod data_tls;
mod ingress;
mod monitoring;
mod network;
mod origins;
mod rendered;
mod runtime_keys;
mod secrets;
mod store;
mod tools;
mod workload;

pub use chart::{load_chart, unknown_values_keys, Chart, ChartInfo};
pub use rendered::{check_rendered, Expectations};
pub use runtime_keys::mounted_runtime_keys;
pub use secrets::check_secrets;
pub use tools::Tools;

/// The file findings about the chart's rendered output are attributed to.
const VALUES: &str = "values.yaml";
/// The overlay's ExternalSecret.
const EXTERNAL_SECRET: &str = "external-secrets/external-secret.yaml";
/// The overlay's ClusterSecretStore.
const SECRET_STORE: &str = "external-secrets/cluster-secret-store.yaml";

/// Why the rendered checks could not run at all (unusable input, exit 2).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The chart can't be read.
    #[error("--chart {path}: {reason}")]
    Chart {
        /// The `--chart` argument.
        path: String,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A tool named by the environment can't run.
    #[error("{var}={path}: {reason}; point {var} at the binary or unset it")]
    Tool {
        /// `HELM` or `KUBECTL`.
        var: &'static str,
        /// Its value.
        path: String,
        /// Why it can't run.
        reason: String,
    },
}

/// What `check` adds to the static checks: the chart, the tools used, and findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// The chart checked against, when `--chart` was given and readable.
    pub chart: Option<ChartInfo>,
    /// Whether the overlay was rendered with helm.
    pub rendered: bool,
    /// Whether `kubectl kustomize` built the overlay.
    pub kustomized: bool,
    /// What was skipped and why.
    pub notes: Vec<String>,
    /// Findings about the rendered manifests, the chart's values and the kustomization.
    pub findings: Vec<Finding>,
}

/// What `verify_dir` reads from the overlay directory; every part is optional, since a broken
/// overlay is still checked as far as it goes.
struct Overlay {
    answers: Option<Answers>,
    plan: Option<Plan>,
    values: Option<Value>,
    evaluation: bool,
    runtime_secret: String,
    external_secret: Option<Value>,
    /// The overlay's own manifests the chart's are checked with (policies, monitors, the
    /// internal controller), read through `OverlayDir`.
    own_manifests: Vec<Value>,
    /// The root kustomization as `check` reads it, when there is one.
    kustomization: Option<crate::check::kustomization::Listed>,
    /// Whether every file it lists parses here (kubectl gets nothing our parser refuses).
    listed_parse: bool,
    secret_store: Option<Value>,
    cloud: Option<crate::catalog::Cloud>,
    components: Vec<crate::catalog::Component>,
}

impl Overlay {
    fn read(dir: &Path, catalog: &Catalog) -> Self {
        // Through OverlayDir: no links, regular files only, size limit (#11).
        let overlay = crate::overlay_dir::OverlayDir::new(dir);
        let read = |name: &str| {
            let bytes = overlay.read_name(name).ok().flatten()?;
            String::from_utf8(bytes).ok()
        };
        let answers = read(ANSWERS_FILE).and_then(|t| Answers::parse(ANSWERS_FILE, &t, &[]).ok());
        let plan = answers
            .as_ref()
            .and_then(|a| crate::plan::plan(a, catalog).ok());
        let values = read(VALUES).and_then(|t| manifest::parse_yaml(&t).ok());
        let evaluation = match &answers {
            Some(a) => catalog.profile(&a.profile).is_some_and(|p| p.evaluation),
            None => values
                .as_ref()
                .and_then(|v| bool_at(v, &["global", "evaluation"]))
                .unwrap_or(false),
        };
        let runtime_secret = values
            .as_ref()
            .and_then(|v| str_at(v, &["secrets", "runtimeSecretName"]))
            .unwrap_or(crate::plan::RUNTIME_SECRET)
            .to_string();
        let first_of = |file: &str, k: &str| {
            read(file)
                .and_then(|t| manifest::parse_yaml_documents(&t).ok())
                .and_then(|d| d.into_iter().find(|d| kind(d) == k))
        };
        let external_secret = first_of(EXTERNAL_SECRET, "ExternalSecret");
        let secret_store = first_of(SECRET_STORE, "ClusterSecretStore");
        let cloud = answers
            .as_ref()
            .and_then(|a| catalog.cloud(&a.cloud))
            .cloned();
        let kustomization = read(crate::check::kustomization::FILE)
            .map(|t| crate::check::kustomization::read(&t, false));
        let (own_manifests, listed_parse) = own_manifests(dir, kustomization.as_ref());
        Overlay {
            own_manifests,
            kustomization,
            listed_parse,
            secret_store,
            cloud,
            components: catalog.components.components.clone(),
            answers,
            plan,
            values,
            evaluation,
            runtime_secret,
            external_secret,
        }
    }

    fn expectations(&self) -> Expectations<'_> {
        Expectations {
            plan: self.plan.as_ref(),
            evaluation: self.evaluation,
            runtime_secret: self.runtime_secret.clone(),
            external_secret: self.external_secret.clone(),
            secret_store: self.secret_store.clone(),
            cloud: self.cloud.clone(),
            components: self.components.clone(),
        }
    }
}

/// The overlay's manifests under `network/`, `monitoring/` and `ingress/` and every other
/// file its kustomization lists: applied beside the chart, they decide with it who reaches
/// what (#10). `kind: List`s unwrapped and merge keys resolved, as kustomize applies them.
/// Also whether every listed file parsed.
fn own_manifests(
    dir: &Path,
    listed: Option<&crate::check::kustomization::Listed>,
) -> (Vec<Value>, bool) {
    let overlay = crate::overlay_dir::OverlayDir::new(dir);
    let mut files = overlay.files().unwrap_or_default();
    files.retain(|p, _| matches!(p.subdir(), Some("network" | "monitoring" | "ingress")));
    let mut all_parse = true;
    for rel in listed.iter().flat_map(|l| &l.files) {
        match overlay.read_text(rel) {
            Ok(Some(text)) => {
                all_parse &= manifest::parse_yaml_documents(&text).is_ok();
                files.insert(rel.clone(), text);
            }
            Ok(None) => {}
            Err(_) => all_parse = false,
        }
    }
    let docs = files
        .values()
        .filter_map(|text| manifest::parse_yaml_documents(text).ok())
        .flatten()
        .collect();
    (crate::check::kustomization::unwrap_lists(docs), all_parse)
}

/// Everything `check` adds to the static checks of `dir`: `kubectl kustomize` when kubectl is
/// present, and with `chart`, unknown values keys and (with helm) the rendered-manifest checks.
///
/// `kubectl kustomize` and `helm template` run side by side, each on its own thread, while
/// this one reads the chart: together they cost little more than `helm template` alone.
pub fn verify_dir(
    dir: &Path,
    chart: Option<&Path>,
    catalog: &Catalog,
    tools: &Tools,
) -> Result<Verification, VerifyError> {
    let overlay = Overlay::read(dir, catalog);
    let exp = overlay.expectations();
    let helm = tools.helm.as_deref();
    let (kustomized, charted) = std::thread::scope(|s| {
        let kustomize = s.spawn(|| {
            let mut v = Verification::default();
            check_kustomization(dir, tools.kubectl.as_deref(), &overlay, &exp, &mut v)
                .map(|b| (v, b))
        });
        let template = match (chart, helm) {
            (Some(chart), Some(helm)) => Some(s.spawn(|| render(dir, chart, helm, &overlay))),
            _ => None,
        };
        let mut v = Verification::default();
        let charted = verify_with_chart(chart, helm, &overlay, &mut v);
        // What `kubectl apply -k .` applies, when kubectl built it, decides with the chart.
        let kustomized = join(kustomize);
        let built = kustomized.as_ref().ok().and_then(|(_, b)| b.as_deref());
        let charted = charted.and_then(|()| {
            let rendered = template.map(join).transpose()?.flatten();
            add_rendered(rendered, &overlay, built, &exp, &mut v);
            Ok(v)
        });
        (kustomized, charted)
    });
    let (mut v, _) = kustomized?;
    let c = charted?;
    v.chart = c.chart;
    v.rendered = c.rendered;
    v.notes.extend(c.notes);
    v.findings.extend(c.findings);
    if v.rendered {
        v.findings.sort();
        v.findings.dedup();
    }
    Ok(v)
}

/// The result of a scoped thread, passing its panic on.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The chart part of [`verify_dir`] besides rendering: the chart's values keys, and notes on
/// what can't be checked.
fn verify_with_chart(
    chart: Option<&Path>,
    helm: Option<&Path>,
    overlay: &Overlay,
    v: &mut Verification,
) -> Result<(), VerifyError> {
    let Some(chart_path) = chart else {
        v.notes
            .push("no --chart: static checks only; give --chart PATH to render with helm".into());
        return Ok(());
    };
    check_chart_values(chart_path, helm, overlay, v)?;
    if helm.is_none() {
        v.notes.push(
            "helm not found ($HELM or PATH): rendered-manifest checks skipped, static checks only"
                .into(),
        );
    }
    Ok(())
}

/// Checks what helm rendered: the manifests, or why there are none.
fn add_rendered(
    rendered: Option<Rendered>,
    overlay: &Overlay,
    built: Option<&[Value]>,
    exp: &Expectations<'_>,
    v: &mut Verification,
) {
    match rendered {
        None => {}
        Some(Err(finding)) => v.findings.push(finding),
        Some(Ok(mut docs)) => {
            // The overlay's own policies and monitors decide with the chart's (#10): as
            // kubectl built them when it could (patches and all, #11), else as the files are.
            match built {
                Some(b) => docs.extend(applied_alongside(b, &overlay.own_manifests)),
                None => docs.extend(overlay.own_manifests.iter().cloned()),
            }
            v.rendered = true;
            v.findings.extend(check_rendered(&docs, exp));
        }
    }
}

/// The built objects that decide with the chart's: every NetworkPolicy and ServiceMonitor,
/// wherever kustomize found or made it, and the kinds of the overlay's own manifests.
fn applied_alongside(built: &[Value], own: &[Value]) -> Vec<Value> {
    let kinds: std::collections::BTreeSet<&str> = own
        .iter()
        .map(kind)
        .chain(["NetworkPolicy", "ServiceMonitor"])
        .collect();
    built
        .iter()
        .filter(|d| kinds.contains(kind(d)))
        .cloned()
        .collect()
}

/// Builds the kustomization with kubectl, when there are both, and checks it for Secrets.
fn check_kustomization(
    dir: &Path,
    kubectl: Option<&Path>,
    overlay: &Overlay,
    exp: &Expectations<'_>,
    v: &mut Verification,
) -> Result<Option<Vec<Value>>, VerifyError> {
    let Some(kubectl) = kubectl else {
        v.notes
            .push("kubectl not found ($KUBECTL or PATH): the kustomization was not built".into());
        return Ok(None);
    };
    let Some(listed) = &overlay.kustomization else {
        return Ok(None);
    };
    // A file our own parser refuses (an alias bomb, deep nesting, not YAML) isn't handed to
    // kubectl either: kustomize has no such limits (attacker round 4: 10 GB in 25 s).
    if !overlay.listed_parse {
        v.notes.push(
            "a file kustomization.yaml lists doesn't parse as YAML here (see its findings): not built with kubectl".into(),
        );
        return Ok(None);
    }
    // Never a build that fetches from the network or reads outside the overlay (the
    // static check says why).
    if !listed.buildable {
        v.notes
            .push("kustomization.yaml holds what `check` can't vouch for (see its findings): not built with kubectl".into());
        return Ok(None);
    }
    let run = tools::kustomize(kubectl, dir)?;
    if run.status.success() {
        v.kustomized = true;
        let docs = manifest::parse_yaml_documents(&String::from_utf8_lossy(&run.stdout))
            .unwrap_or_default();
        let docs = crate::check::kustomization::unwrap_lists(docs);
        check_secrets(&docs, exp, "kustomization.yaml", &mut v.findings);
        if let Some(plan) = exp.plan {
            let built = docs.iter().map(|d| ("kustomization.yaml", d));
            v.findings
                .extend(crate::check::network::policy_errors(built, plan));
        }
        return Ok(Some(docs));
    }
    v.findings.push(Finding::error(
        "kustomization.yaml",
        format!(
            "`kubectl kustomize` failed: {}",
            tools::first_lines(&String::from_utf8_lossy(&run.stderr), 3)
        ),
        None,
    ));
    Ok(None)
}

/// Reads the chart, records it, and flags the overlay's values keys the chart doesn't define.
fn check_chart_values(
    chart_path: &Path,
    helm: Option<&Path>,
    overlay: &Overlay,
    v: &mut Verification,
) -> Result<(), VerifyError> {
    let Some(c) = load_chart(chart_path, helm)? else {
        v.notes.push(format!(
            "{}: a packaged chart can't be read without helm",
            chart_path.display()
        ));
        return Ok(());
    };
    if let (Some(cv), Some(ov)) = (&c.values, &overlay.values) {
        for k in unknown_values_keys(ov, cv) {
            v.findings.push(Finding::error(
                VALUES,
                format!("sets `{k}`, which chart {} {} doesn't define: helm ignores it silently (a typo, or a key the chart renamed)", c.info.name, c.info.version),
                None,
            ));
        }
    }
    // The overlay installs `chart.version`; a check against another version proves less.
    if let Some(a) = &overlay.answers {
        if a.chart_version() != c.info.version {
            v.findings.push(Finding {
                severity: crate::check::Severity::Note,
                file: ANSWERS_FILE.into(),
                message: format!("checked against chart {} {}, but the overlay installs version {}: check with that chart, or change the pin", c.info.name, c.info.version, a.chart_version()),
                answer: Some("chart.version".into()),
                rechecked_when_rendered: false,
            });
        }
    }
    v.chart = Some(c.info);
    Ok(())
}

/// What `helm template` gave: the manifests, or the finding saying why there are none.
type Rendered = Result<Vec<Value>, Finding>;

/// Renders the overlay with `helm template`; `None` when there is no values file to render.
fn render(
    dir: &Path,
    chart_path: &Path,
    helm: &Path,
    overlay: &Overlay,
) -> Result<Option<Rendered>, VerifyError> {
    let values_path = dir.join(VALUES);
    if !values_path.is_file() {
        return Ok(None);
    }
    let release = overlay.answers.as_ref().map(|a| a.release().to_string());
    let namespace = overlay.answers.as_ref().map(|a| a.namespace().to_string());
    let mut values = vec![values_path];
    if overlay.evaluation && dir.join(LOCAL_SECRETS_FILE).is_file() {
        values.push(dir.join(LOCAL_SECRETS_FILE));
    }
    let run = tools::helm_template(
        helm,
        release.as_deref().unwrap_or("caracal"),
        namespace.as_deref().unwrap_or("caracal"),
        chart_path,
        &values,
    )?;
    if !run.status.success() {
        return Ok(Some(Err(Finding::error(
            VALUES,
            format!(
                "`helm template` refused the overlay: {}",
                tools::first_lines(&String::from_utf8_lossy(&run.stderr), 4)
            ),
            None,
        ))));
    }
    let parsed = manifest::parse_yaml_documents(&String::from_utf8_lossy(&run.stdout));
    Ok(Some(parsed.map_err(|e| {
        Finding::error(
            VALUES,
            format!("helm's output is not valid YAML: {e}"),
            None,
        )
    })))
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
