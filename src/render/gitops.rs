//! The GitOps hand-off's files (#5): Argo CD's Application, or Flux's source, HelmRelease
//! and Kustomization, each with a comment on how it is applied.
use tera::Context;

use super::{yaml, Overlay, Templates};
use crate::error::RenderError;
use crate::gitops::{
    GitOpsManifests, APPLICATION_FILE, ARGOCD_NAMESPACE, FLUX_HELMRELEASE_FILE,
    FLUX_KUSTOMIZATION_FILE, FLUX_KUSTOMIZECONFIG_FILE, FLUX_SOURCE_FILE,
};
use crate::manifest::{
    Application, ConfigMapGenerator, FluxKustomization, GitRepository, HelmRelease,
};
use crate::plan::Plan;

/// Adds the GitOps files the plan asks for.
// Argo CD's Application lives in the argocd namespace and is applied once, so it stays out of
// the kustomization; Flux's chart source, HelmRelease and values ConfigMap are part of it, and
// its Kustomization (the bootstrap object) is not.
pub(super) fn gitops(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    match crate::gitops::manifests(plan) {
        None => Ok(()),
        Some(GitOpsManifests::Argocd(app)) => argocd(&app, out),
        Some(GitOpsManifests::Flux {
            chart_source,
            helm_release,
            values,
            overlay_source,
            kustomization,
        }) => {
            flux_release(&chart_source, &helm_release, values, out)?;
            let config = templates.render("gitops/kustomizeconfig.yaml.tera", &Context::new())?;
            out.file(FLUX_KUSTOMIZECONFIG_FILE, config);
            out.kustomization
                .configurations
                .push(FLUX_KUSTOMIZECONFIG_FILE.to_string());
            flux_kustomization(overlay_source.as_ref(), &kustomization, out)
        }
    }
}

fn argocd(app: &Application, out: &mut Overlay) -> Result<(), RenderError> {
    let p = APPLICATION_FILE;
    out.file(
        p,
        format!(
            "# Argo CD Application installing the Caracal chart with this overlay's values.yaml and\n# applying its manifests. Apply it once to Argo CD's namespace (not part of kustomization.yaml):\n#   kubectl apply -n {ARGOCD_NAMESPACE} -f {p}\n{}",
            yaml(p, app)?
        ),
    );
    Ok(())
}

/// Flux's chart source and HelmRelease, and the values ConfigMap kustomize generates.
fn flux_release(
    chart_source: &GitRepository,
    helm_release: &HelmRelease,
    values: ConfigMapGenerator,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let (src, hr) = (FLUX_SOURCE_FILE, FLUX_HELMRELEASE_FILE);
    out.resource(
        src,
        format!(
            "# Flux source of the Caracal chart (only its directory is fetched).\n{}",
            yaml(src, chart_source)?
        ),
    );
    out.resource(
        hr,
        format!(
            "# Flux HelmRelease installing the chart with values.yaml, through the ConfigMap\n# kustomization.yaml generates from it (a new hash on every change triggers an upgrade).\n{}",
            yaml(hr, helm_release)?
        ),
    );
    out.kustomization.config_map_generator.push(values);
    Ok(())
}

/// The Flux Kustomization applying the overlay (after the overlay's own source, if any).
fn flux_kustomization(
    overlay_source: Option<&GitRepository>,
    kustomization: &FluxKustomization,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let ks = FLUX_KUSTOMIZATION_FILE;
    let mut docs = Vec::new();
    if let Some(os) = overlay_source {
        docs.push(yaml(ks, os)?);
    }
    docs.push(yaml(ks, kustomization)?);
    out.file(
        ks,
        format!(
            "# Flux Kustomization applying this overlay directory. Commit it where Flux already\n# reconciles (e.g. clusters/<cluster>/), or apply it once:\n#   kubectl apply -f {ks}\n{}",
            docs.join("---\n")
        ),
    );
    Ok(())
}
