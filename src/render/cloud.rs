//! `cloud/`: the cloud-side identity documents (EKS IAM trust and permission policies).
use super::Overlay;
use crate::error::RenderError;
use crate::plan::runbook::aws_policies;
use crate::plan::Plan;

/// Adds `cloud/*.json`: not Kubernetes objects, so not in `kustomization.yaml`.
pub(super) fn cloud_documents(plan: &Plan, out: &mut Overlay) -> Result<(), RenderError> {
    for doc in aws_policies(plan) {
        let mut text =
            serde_json::to_string_pretty(&doc.policy).map_err(|e| RenderError::Serialize {
                file: doc.path.clone(),
                reason: e.to_string(),
            })?;
        text.push('\n');
        out.file(doc.path, text);
    }
    Ok(())
}
