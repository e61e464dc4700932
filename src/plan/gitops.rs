//! GitOps planning: which controller, and where the overlay and the chart live in Git (#5).
use serde::Serialize;

use crate::answers::Answers;
use crate::validate::{DEFAULT_CHART_PATH, DEFAULT_CHART_REPO, DEFAULT_REVISION};

/// The GitOps hand-off: which controller, and where the overlay and the chart live in Git.
#[derive(Debug, Clone, Serialize)]
pub struct GitOpsPlan {
    /// Argo CD or Flux.
    pub tool: crate::answers::GitOps,
    /// The overlay's repository (Flux: `None` reads the `flux-system` source).
    pub repo_url: Option<String>,
    /// The overlay's directory in it.
    pub path: String,
    /// The overlay's revision.
    pub revision: String,
    /// The chart's repository.
    pub chart_url: String,
    /// The chart's directory in it.
    pub chart_path: String,
    /// The chart's revision.
    pub chart_revision: String,
}

/// The hand-off, when the answers ask for one; unanswered places get the defaults.
pub(super) fn plan_gitops(a: &Answers) -> Option<GitOpsPlan> {
    let tool = a.gitops?;
    let repo = a.gitops_repo.clone().unwrap_or_default();
    let chart = a.chart_repo.clone().unwrap_or_default();
    let or = |v: Option<String>, default: &str| v.unwrap_or_else(|| default.into());
    Some(GitOpsPlan {
        tool,
        repo_url: repo.url,
        path: or(repo.path, "."),
        revision: or(repo.revision, DEFAULT_REVISION),
        chart_url: or(chart.url, DEFAULT_CHART_REPO),
        chart_path: or(chart.path, DEFAULT_CHART_PATH),
        chart_revision: or(chart.revision, DEFAULT_REVISION),
    })
}
