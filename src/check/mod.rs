//! `check`: re-validates an overlay directory as it is on disk, hand edits included.
//!
//! One module per concern: `values` (what the chart or profile refuses), `promises` (what the
//! answers promise), `secrets` (plaintext secrets) and `gitops` (install order, pinned sources); `doc` holds the YAML accessors the
//! rendered checks in [`crate::verify`] share.
use std::path::Path;

use serde::Serialize;

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::overlay_dir::OverlayDir;
use crate::plan::Plan;
use crate::render::ANSWERS_FILE;

pub(crate) mod doc;
pub(crate) mod gitignore;
mod gitops;
pub(crate) mod kustomization;
pub(crate) mod monitoring;
pub(crate) mod network;
pub(crate) use network::network_errors;
mod promises;
mod secrets;
mod values;

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

/// Reads `name` in `dir` through [`OverlayDir`] (no links, regular files only, size
/// limit); `None` when it doesn't exist, refused when it isn't UTF-8 text.
fn read_optional(dir: &Path, name: &str) -> Result<Option<String>, CheckError> {
    let unreadable = |reason: String| CheckError::Unreadable {
        path: crate::frontend::visible::shown(&dir.join(name)),
        reason,
    };
    let bytes = OverlayDir::new(dir)
        .read_name(name)
        .map_err(|e| unreadable(e.to_string()))?;
    bytes
        .map(|b| String::from_utf8(b).map_err(|_| unreadable("not UTF-8 text".into())))
        .transpose()
}

/// Static checks of the overlay in `dir`.
pub fn check_dir(dir: &Path, catalog: &Catalog) -> Result<Vec<Finding>, CheckError> {
    let Some(answers_text) = read_optional(dir, ANSWERS_FILE)? else {
        return Err(CheckError::NotAnOverlay(crate::frontend::visible::shown(
            dir,
        )));
    };
    let mut findings = Vec::new();
    let answers = parse_answers(&answers_text, &mut findings);
    let needs =
        values::ProfileNeeds::of(answers.as_ref().and_then(|a| catalog.profile(&a.profile)));
    let evaluation = needs.evaluation;
    let plan = answers
        .as_ref()
        .and_then(|a| plan_answers(a, catalog, &mut findings));
    note_hand_edits(dir, plan.as_ref(), &mut findings);
    check_values_file(dir, needs, plan.as_ref(), &mut findings)?;
    // What `kubectl apply -k .` applies: read once, for the resources' existence and (with a
    // plan) the policies in them.
    let strict = plan.as_ref().is_some_and(|p| !p.profile.open_cidr);
    let listed = read_optional(dir, kustomization::FILE)?.map(|t| kustomization::read(&t, strict));
    if let Some(listed) = &listed {
        findings.extend(listed.findings.iter().cloned());
        kustomization::check_resources(dir, listed, &mut findings);
    }
    kustomization::other_names(dir, &mut findings);
    if let Some(plan) = &plan {
        monitoring::check_monitors(dir, plan, &mut findings)?;
        gitops::foreign_files(dir, plan, &mut findings);
        if !plan.profile.chart_network_policy {
            let text = read_optional(dir, crate::plan::BASELINE_FILE)?;
            network::baseline_errors(text.as_deref(), plan, &mut findings);
        }
        let unreadable = |e: crate::error::OverlayError| CheckError::Unreadable {
            path: crate::frontend::visible::shown(dir),
            reason: e.to_string(),
        };
        let overlay = OverlayDir::new(dir);
        let mut files = overlay.files_in("network").map_err(unreadable)?;
        // And whatever else `kubectl apply -k .` applies from the overlay.
        for rel in listed.iter().flat_map(|l| &l.files) {
            if let Some(t) = overlay.read_text(rel).map_err(unreadable)? {
                files.insert(rel.clone(), t);
            }
        }
        let files = files.iter().map(|(p, t)| (p.as_str(), t.as_str()));
        findings.extend(network::network_errors(files, plan));
    }
    // No plaintext secret anywhere Git would pick up.
    secrets::scan_for_secrets(dir, dir, 0, &mut findings)?;
    secrets::check_local_secrets(dir, evaluation, &mut findings)?;
    gitops::check_gitops(dir, &mut findings)?;
    if !evaluation
        && answers.is_some()
        && read_optional(dir, "external-secrets/external-secret.yaml")?.is_none()
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

/// The answers file, or a finding saying why it doesn't parse.
fn parse_answers(text: &str, findings: &mut Vec<Finding>) -> Option<Answers> {
    match Answers::parse(ANSWERS_FILE, text, &[]) {
        Ok(a) => Some(a),
        Err(e) => {
            findings.push(Finding::error(ANSWERS_FILE, e.to_string(), None));
            None
        }
    }
}

/// The plan of the answers, or a finding per problem that stops it.
fn plan_answers(answers: &Answers, catalog: &Catalog, findings: &mut Vec<Finding>) -> Option<Plan> {
    match crate::plan::plan(answers, catalog) {
        Ok(p) => Some(p),
        Err(problems) => {
            for p in problems.0 {
                findings.push(Finding::error(
                    ANSWERS_FILE,
                    p.message.clone(),
                    Some(&p.path),
                ));
            }
            None
        }
    }
}

/// Hand edits are allowed, but worth a note; a file the wizard won't read is an error.
fn note_hand_edits(dir: &Path, plan: Option<&Plan>, findings: &mut Vec<Finding>) {
    // What Argo CD or Flux applies comes from gitops/ (values, patches, resources), which
    // `check` doesn't render: where the profile restricts egress, an edit there is an error
    // (attacker round 4: a HelmRelease `spec.values` turned the chart's policy back on).
    let strict = plan.is_some_and(|p| !p.profile.open_cidr);
    let states = match crate::output::try_file_states(dir, &[]) {
        Ok(states) => states,
        Err(e) => {
            findings.push(Finding::error(ANSWERS_FILE, e.to_string(), None));
            return;
        }
    };
    for (path, state) in states {
        if state == crate::output::FileState::Edited && path != ANSWERS_FILE {
            if strict && path.starts_with("gitops/") {
                let profile = plan.map_or("", |p| p.profile.id.as_str());
                findings.push(Finding::error(&path, format!("edited by hand: Argo CD or Flux applies what this file says (values, patches, resources), which `check` doesn't render, and profile `{profile}` refuses what can't be checked; put the change in the answers or values.yaml and re-run `caracal-wizard new --answers caracal-wizard.yaml --out .`"), Some("gitops")));
                continue;
            }
            findings.push(Finding::note(&path, "edited by hand since caracal-wizard wrote it (kept by `migrate`; overwritten only with `new --force`)"));
        }
    }
}

/// `values.yaml`: present, valid YAML, and (with a plan) keeping what the answers promise.
fn check_values_file(
    dir: &Path,
    needs: values::ProfileNeeds,
    plan: Option<&Plan>,
    findings: &mut Vec<Finding>,
) -> Result<(), CheckError> {
    let values_text = read_optional(dir, "values.yaml")?;
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
            values::check_yaml11_words(values_text.as_deref().unwrap_or_default(), findings);
            values::check_values(&v, needs, findings);
            if let Some(plan) = plan {
                promises::check_promises(&v, plan, findings);
            }
        }
    }
    Ok(())
}

/// The errors `check` would report about `values_text` (rendered, merged or hand-edited)
/// under the plan of its answers. Pure: the writers run it before writing, so whatever
/// `check` refuses no writer writes (#13).
pub fn values_errors(values_text: &str, plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    match crate::manifest::parse_yaml(values_text) {
        Err(e) => findings.push(Finding::error(
            "values.yaml",
            format!("not valid YAML: {e}"),
            None,
        )),
        Ok(v) => {
            values::check_values(
                &v,
                values::ProfileNeeds::of(Some(&plan.profile)),
                &mut findings,
            );
            promises::check_promises(&v, plan, &mut findings);
        }
    }
    findings.retain(|f| f.severity == Severity::Error);
    findings.sort();
    findings.dedup();
    findings
}
