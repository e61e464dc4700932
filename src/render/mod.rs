//! `render`: a plan → the overlay's files, in memory. Pure; only `output` touches the disk.
//!
//! [`render`] is a short composition with one function per output family (#9): the
//! non-Helm manifests, the External Secrets objects, the GitOps hand-off, `values.yaml`,
//! `README.md` and the answers file, each adding its files to one `Overlay`.
use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::error::RenderError;
use crate::manifest::{self, Kustomization};
use crate::plan::Plan;

mod answers;
mod cloud;
mod gitops;
mod manifests;
mod readme;
mod secrets;
mod templates;
mod values;

pub(crate) use answers::hex;
pub use answers::{answers_file, digest};
pub(crate) use secrets::{CLUSTER_SECRET_STORE_FILE, EXTERNAL_SECRET_FILE, SERVICE_ACCOUNT_FILE};
pub use templates::Templates;

/// Name of the answers file inside an overlay.
pub const ANSWERS_FILE: &str = "caracal-wizard.yaml";
/// Name of the evaluation's git-ignored secrets file.
pub const LOCAL_SECRETS_FILE: &str = "secrets.local.yaml";

/// The files of an overlay, by relative path, in sorted order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedTree {
    /// Path → contents.
    pub files: BTreeMap<String, String>,
    /// Whether the writer must create the evaluation's local secrets.
    pub needs_local_secrets: bool,
}

/// Renders every file of the overlay.
pub fn render(plan: &Plan, templates: &Templates) -> Result<RenderedTree, RenderError> {
    let mut out = Overlay::new();
    manifests::namespace(plan, &mut out)?;
    secrets::external_secrets(plan, templates, &mut out)?;
    manifests::cloud_manifests(plan, templates, &mut out)?;
    manifests::network_and_monitoring(plan, &mut out)?;
    cloud::cloud_documents(plan, &mut out)?;
    gitops::gitops(plan, templates, &mut out)?;
    manifests::kustomization(&mut out, plan.gitops.is_some())?;
    values::values(plan, templates, &mut out)?;
    readme::readme(plan, templates, &mut out)?;
    let gitignore = templates.render("gitignore.tera", &Context::new())?;
    out.file(".gitignore", gitignore);
    // Last: the answers carry the digests of everything above.
    let answers = answers_file(&plan.answers, &out.files)?;
    out.file(ANSWERS_FILE, answers);
    Ok(RenderedTree {
        files: out.files,
        needs_local_secrets: plan.profile.evaluation,
    })
}

/// The overlay while it is rendered: its files so far, and the kustomization listing them.
struct Overlay {
    files: BTreeMap<String, String>,
    kustomization: Kustomization,
}

impl Overlay {
    fn new() -> Self {
        Self {
            files: BTreeMap::new(),
            kustomization: Kustomization {
                api_version: "kustomize.config.k8s.io/v1beta1".into(),
                kind: "Kustomization".into(),
                resources: Vec::new(),
                config_map_generator: Vec::new(),
                configurations: Vec::new(),
            },
        }
    }

    /// Adds a file that is not applied through `kustomization.yaml`.
    fn file(&mut self, path: impl Into<String>, contents: String) {
        self.files.insert(path.into(), contents);
    }

    /// Adds a manifest and lists it in `kustomization.yaml`, so `kubectl apply -k .` applies it.
    fn resource(&mut self, path: impl Into<String>, contents: String) {
        let path = path.into();
        self.kustomization.resources.push(path.clone());
        self.files.insert(path, contents);
    }
}

/// `v` as YAML, for the file at `file`.
fn yaml<T: Serialize>(file: &str, v: &T) -> Result<String, RenderError> {
    manifest::to_yaml(v).map_err(|e| RenderError::Serialize {
        file: file.into(),
        reason: e.to_string(),
    })
}
