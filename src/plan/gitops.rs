//! GitOps planning: which controller, where the overlay lives in Git, and the pinned chart (#5, #12).
use serde::Serialize;

use crate::answers::Answers;
use crate::validate::DEFAULT_REVISION;

/// The GitOps hand-off: which controller, where the overlay lives in Git, and the chart.
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
    /// The chart's OCI reference (`oci://ghcr.io/garudex-labs/charts/caracal`).
    pub chart_ref: String,
    /// The chart's pinned version (`1.0.0`).
    pub chart_version: String,
}

/// The hand-off, when the answers ask for one; unanswered places get the defaults.
pub(super) fn plan_gitops(a: &Answers) -> Option<GitOpsPlan> {
    let tool = a.gitops?;
    let repo = a.gitops_repo.clone().unwrap_or_default();
    Some(GitOpsPlan {
        tool,
        repo_url: repo.url,
        path: repo.path.unwrap_or_else(|| ".".into()),
        revision: repo.revision.unwrap_or_else(|| DEFAULT_REVISION.into()),
        chart_ref: a.chart_ref().into(),
        chart_version: a.chart_version().into(),
    })
}
