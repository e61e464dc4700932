//! GitOps objects on disk: an Argo CD Application whose chart hooks would wait for its own
//! Sync-phase ExternalSecret, and sources that follow a moving branch (#10, #12).
use std::path::Path;

use serde_yaml::Value;

use super::doc::{get, kind, name, seq, str_at};
use super::{read_optional, CheckError, Finding, Severity};
use crate::validate::{is_exact_version, is_pinned_revision};

/// The GitOps files a wizard of any version wrote, and the kinds worth reading in them.
const GITOPS_FILES: [&str; 5] = [
    "gitops/application.yaml",
    "gitops/argocd-prereqs.yaml",
    "gitops/argocd-release.yaml",
    "gitops/chart-source.yaml",
    "gitops/flux-kustomization.yaml",
];

/// Where the profile restricts egress, a file under `gitops/` the wizard didn't write: Argo
/// CD's parent Application applies every `gitops/argocd-*.yaml`, and `check` renders none.
pub(super) fn foreign_files(dir: &Path, plan: &crate::plan::Plan, findings: &mut Vec<Finding>) {
    if plan.profile.open_cidr {
        return;
    }
    let files = crate::overlay_dir::OverlayDir::new(dir)
        .files_in("gitops")
        .unwrap_or_default();
    for path in files
        .keys()
        .filter(|p| !plan.answers.digests.contains_key(p.as_str()))
    {
        findings.push(Finding::error(path.as_str(), format!("not written by caracal-wizard: Argo CD or Flux may apply it, `check` doesn't render it, and profile `{}` refuses what can't be checked; remove it", plan.profile.id), Some("gitops")));
    }
}

/// Checks every GitOps object of the overlay in `dir`.
pub(super) fn check_gitops(dir: &Path, findings: &mut Vec<Finding>) -> Result<(), CheckError> {
    for file in GITOPS_FILES {
        let Some(text) = read_optional(dir, file)? else {
            continue;
        };
        // Unparseable YAML is reported by the rendered check; here it only has nothing to say.
        let Ok(docs) = crate::manifest::parse_yaml_documents(&text) else {
            continue;
        };
        for d in &docs {
            match kind(d) {
                "Application" => check_application(file, d, findings),
                "GitRepository" => check_git_repository(file, d, findings),
                "OCIRepository" => check_oci_repository(file, d, findings),
                _ => {}
            }
        }
    }
    Ok(())
}

/// A source that renders a Helm chart (as opposed to plain manifests or a `$values` ref).
fn is_chart_source(s: &Value) -> bool {
    get(s, &["helm"]).is_some() || get(s, &["chart"]).is_some()
}

/// An Argo CD Application: ordering, then each source's revision.
fn check_application(file: &str, app: &Value, findings: &mut Vec<Finding>) {
    let mut sources: Vec<&Value> = seq(app, &["spec", "sources"]).iter().collect();
    sources.extend(get(app, &["spec", "source"]));
    let chart = sources.iter().any(|s| is_chart_source(s));
    let manifests = sources.iter().any(|s| {
        !is_chart_source(s) && get(s, &["ref"]).is_none() && str_at(s, &["path"]).is_some()
    });
    if chart && manifests {
        findings.push(Finding::error(
            file,
            format!("Application `{}` installs the chart and this directory's manifests together: Argo CD runs the chart's pre-install migration Jobs as PreSync hooks, before the namespace and the ExternalSecret (Sync phase) that makes the Secret they mount, so the first sync deadlocks; re-render with `caracal-wizard new --answers caracal-wizard.yaml --out .` (prerequisites and chart become two Applications in sync waves)", name(app)),
            Some("gitops"),
        ));
    }
    for s in sources {
        let rev = str_at(s, &["targetRevision"]).unwrap_or("HEAD");
        if is_chart_source(s) {
            if !is_exact_version(rev.trim_start_matches('v')) && !is_pinned_revision(rev) {
                findings.push(Finding::error(
                    file,
                    format!("Application `{}` takes the chart at `{rev}`, which moves: pin the published chart's exact version", name(app)),
                    Some("chart.version"),
                ));
            }
        } else if !is_pinned_revision(rev) && !is_exact_version(rev.trim_start_matches('v')) {
            findings.push(moving_overlay(
                file,
                &format!("Application `{}`", name(app)),
                rev,
            ));
        }
    }
}

/// A Flux GitRepository: the chart's (an older layout) must be pinned, the overlay's should be.
fn check_git_repository(file: &str, repo: &Value, findings: &mut Vec<Finding>) {
    let Some(branch) = str_at(repo, &["spec", "ref", "branch"]) else {
        return;
    };
    if file == "gitops/chart-source.yaml" {
        findings.push(Finding::error(
            file,
            format!("GitRepository `{}` builds the chart from branch `{branch}`, which moves: use the published OCI chart at an exact version (re-render)", name(repo)),
            Some("chart.version"),
        ));
    } else {
        findings.push(moving_overlay(
            file,
            &format!("GitRepository `{}`", name(repo)),
            branch,
        ));
    }
}

/// A Flux OCIRepository must name one tag or digest, not a range.
fn check_oci_repository(file: &str, repo: &Value, findings: &mut Vec<Finding>) {
    let pinned = str_at(repo, &["spec", "ref", "tag"]).is_some_and(is_exact_version)
        || str_at(repo, &["spec", "ref", "digest"]).is_some();
    if !pinned {
        findings.push(Finding::error(
            file,
            format!("OCIRepository `{}` does not pin one chart version (a range or `latest` moves the install)", name(repo)),
            Some("chart.version"),
        ));
    }
}

/// A note that the overlay itself follows a branch: every push reaches production.
fn moving_overlay(file: &str, what: &str, rev: &str) -> Finding {
    Finding {
        severity: Severity::Note,
        file: file.into(),
        message: format!("{what} follows `{rev}`, a branch: every push to it is applied; pin a tag (`refs/tags/…`) or a commit"),
        answer: Some("gitopsRepo.revision".into()),
        rechecked_when_rendered: false,
    }
}
