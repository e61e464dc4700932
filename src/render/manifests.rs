//! The non-Helm manifests: the namespace, the per-cloud manifests and the kustomization
//! that applies them with `kubectl apply -k .`.
use tera::Context;

use super::{yaml, Overlay, Templates};
use crate::error::RenderError;
use crate::plan::Plan;

/// Path of the namespace manifest.
const NAMESPACE_FILE: &str = "namespace.yaml";
/// Path of the kustomization.
const KUSTOMIZATION_FILE: &str = "kustomization.yaml";

/// Adds the namespace.
pub(super) fn namespace(plan: &Plan, out: &mut Overlay) -> Result<(), RenderError> {
    out.resource(NAMESPACE_FILE, yaml(NAMESPACE_FILE, &plan.namespace)?);
    Ok(())
}

/// Adds the manifests rendered from per-cloud templates (certificates, ingress controllers).
pub(super) fn cloud_manifests(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    for m in &plan.manifests {
        let mut ctx = Context::new();
        for (k, val) in &m.context {
            ctx.insert(k.clone(), val);
        }
        out.resource(m.path.clone(), templates.render(&m.template, &ctx)?);
    }
    Ok(())
}

/// Adds the per-component egress NetworkPolicies and the authenticated ServiceMonitors (#10).
pub(super) fn network_and_monitoring(plan: &Plan, out: &mut Overlay) -> Result<(), RenderError> {
    for p in &plan.egress_policies {
        out.resource(p.path.clone(), yaml(&p.path, &p.policy)?);
    }
    for (path, m) in &plan.service_monitors {
        out.resource(path.clone(), yaml(path, m)?);
    }
    Ok(())
}

/// Adds `kustomization.yaml`, listing every resource added before it.
pub(super) fn kustomization(out: &mut Overlay, gitops: bool) -> Result<(), RenderError> {
    let k = &out.kustomization;
    let (what, how) = if gitops {
        (
            "The GitOps controller applies",
            "It installs the chart after them (see README.md and gitops/).",
        )
    } else {
        (
            "`kubectl apply -k .` applies",
            "Install the chart itself with helm (see README.md).",
        )
    };
    let text = format!(
        "# {what} the manifests that are not part of the Helm chart.\n# {how}\n{}",
        yaml(KUSTOMIZATION_FILE, k)?
    );
    out.file(KUSTOMIZATION_FILE, text);
    Ok(())
}
