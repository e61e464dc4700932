//! The GitOps hand-off's files (#5): Argo CD's Application, or Flux's source, HelmRelease
//! and Kustomization, each with a comment on how it is applied.
use tera::Context;

use super::{yaml, Overlay, Templates};
use crate::error::RenderError;
use crate::gitops::{
    GitOpsManifests, APPLICATION_FILE, ARGOCD_NAMESPACE, ARGOCD_PREREQS_FILE, ARGOCD_RELEASE_FILE,
    FLUX_HELMRELEASE_FILE, FLUX_KUSTOMIZATION_FILE, FLUX_KUSTOMIZECONFIG_FILE,
    FLUX_RELEASE_KUSTOMIZATION_FILE, FLUX_SOURCE_FILE,
};
use crate::manifest::{
    Application, ConfigMapGenerator, FluxKustomization, GitRepository, HelmRelease, Kustomization,
    OciRepository,
};
use crate::plan::Plan;

/// Adds the GitOps files the plan asks for.
// Neither tool's objects are in the root kustomization.yaml: it stays the overlay's own
// manifests (what `kubectl apply -k .` and the prerequisites Application/Kustomization apply).
// Argo CD's Applications live in the argocd namespace (the parent is applied once, it applies
// the children); Flux's chart objects have their own gitops/kustomization.yaml, applied by the
// second Flux Kustomization once the first is healthy.
pub(super) fn gitops(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    match crate::gitops::manifests(plan) {
        None => Ok(()),
        Some(GitOpsManifests::Argocd {
            parent,
            prereqs,
            release,
        }) => argocd(&parent, &prereqs, &release, out),
        Some(GitOpsManifests::Flux {
            chart_source,
            helm_release,
            values,
            overlay_source,
            prereqs,
            release,
        }) => {
            flux_release(&chart_source, &helm_release, values, out)?;
            let config = templates.render("gitops/kustomizeconfig.yaml.tera", &Context::new())?;
            out.file(FLUX_KUSTOMIZECONFIG_FILE, config);
            flux_kustomizations(overlay_source.as_ref(), &[&prereqs, &release], out)
        }
    }
}

fn argocd(
    parent: &Application,
    prereqs: &Application,
    release: &Application,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let p = APPLICATION_FILE;
    out.file(
        p,
        format!(
            "# Argo CD parent Application: applies gitops/argocd-*.yaml, the prerequisites (wave 0)\n# before the chart (wave 1). Apply it once to Argo CD's namespace (not part of kustomization.yaml):\n#   kubectl apply -n {ARGOCD_NAMESPACE} -f {p}\n{}",
            yaml(p, parent)?
        ),
    );
    let p = ARGOCD_PREREQS_FILE;
    out.file(
        p,
        format!(
            "# Wave 0: this directory's kustomization.yaml (namespace, External Secrets). Healthy once\n# the ExternalSecret is Ready, i.e. the runtime Secret the chart's migration Jobs mount exists.\n{}",
            yaml(p, prereqs)?
        ),
    );
    let p = ARGOCD_RELEASE_FILE;
    out.file(
        p,
        format!(
            "# Wave 1: the published Caracal chart, pinned, with this overlay's values.yaml.\n{}",
            yaml(p, release)?
        ),
    );
    Ok(())
}

/// Flux's chart source and HelmRelease, and the values ConfigMap kustomize generates.
fn flux_release(
    chart_source: &OciRepository,
    helm_release: &HelmRelease,
    values: ConfigMapGenerator,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let (src, hr) = (FLUX_SOURCE_FILE, FLUX_HELMRELEASE_FILE);
    out.file(
        src,
        format!(
            "# Flux source of the published Caracal chart, pinned to one version.\n{}",
            yaml(src, chart_source)?
        ),
    );
    out.file(
        hr,
        format!(
            "# Flux HelmRelease installing the chart with values.yaml, through the ConfigMap\n# gitops/kustomization.yaml generates from it (a new hash on every change triggers an upgrade).\n{}",
            yaml(hr, helm_release)?
        ),
    );
    let base = |p: &str| p.trim_start_matches("gitops/").to_string();
    let kz = FLUX_RELEASE_KUSTOMIZATION_FILE;
    let release = Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1".into(),
        kind: "Kustomization".into(),
        resources: vec![base(src), base(hr)],
        config_map_generator: vec![values],
        configurations: vec![base(FLUX_KUSTOMIZECONFIG_FILE)],
    };
    // `../values.yaml` is outside this kustomization's root: Flux builds without kustomize's
    // load restriction (inside the source), plain kustomize needs `--load-restrictor=LoadRestrictionsNone`.
    out.file(
        kz,
        format!(
            "# The chart's Flux objects, applied by the second Flux Kustomization once the first (this\n# overlay's manifests) is healthy.\n{}",
            yaml(kz, &release)?
        ),
    );
    Ok(())
}

/// The Flux Kustomizations applying the overlay (after the overlay's own source, if any).
fn flux_kustomizations(
    overlay_source: Option<&GitRepository>,
    kustomizations: &[&FluxKustomization],
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let ks = FLUX_KUSTOMIZATION_FILE;
    let mut docs = Vec::new();
    if let Some(os) = overlay_source {
        docs.push(yaml(ks, os)?);
    }
    for k in kustomizations {
        docs.push(yaml(ks, k)?);
    }
    out.file(
        ks,
        format!(
            "# Flux Kustomizations: this directory's manifests first (waited on until healthy), then\n# the chart (gitops/). Commit it where Flux already reconciles (e.g. clusters/<cluster>/),\n# or apply it once:\n#   kubectl apply -f {ks}\n{}",
            docs.join("---\n")
        ),
    );
    Ok(())
}
