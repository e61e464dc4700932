//! caracal-wizard: writes ready-to-commit Helm overlays for Caracal on EKS, GKE and AKS.
//!
//! Module map:
//! - [`answers`]: the answers file (version 1) and `--set` overrides
//! - [`catalog`]: clouds, profiles and TLS modes, as data from `assets/`
//! - [`format`]: field formats (hostnames, CIDRs, ARNs, …)
//! - [`validate`]: defaults and every rule, all problems at once
//! - [`plan`]: answers → [`plan::Plan`] (pure)
//! - [`manifest`]: typed values overlay and Kubernetes objects; all YAML I/O
//! - [`render`]: plan → [`render::RenderedTree`] through Tera templates (pure)
//! - [`gitops`]: the Argo CD Application or Flux objects that install the chart with an overlay
//! - [`output`]: `write_tree`, the only writer, atomic and edit-aware
//! - [`check`]: re-validates an overlay directory
//! - [`migrate`]: moves an overlay to another profile, merging hand edits (pure core)
//! - [`verify`]: renders an overlay with helm and checks the rendered manifests
//! - [`error`]: error types of the core
//! - [`wizard`]: the question table and the state machine both front ends drive
//! - [`frontend`]: the full-screen (ratatui) and plain-prompt (inquire) front ends, drafts
#![forbid(unsafe_code)]

pub mod answers;
pub mod catalog;
pub mod check;
pub mod cidr;
pub mod cli;
pub mod error;
pub mod format;
pub mod frontend;
pub mod gitops;
pub mod manifest;
pub mod migrate;
pub mod output;
pub mod overlay_dir;
pub mod plan;
pub mod render;
pub mod validate;
pub mod verify;
pub mod wizard;

/// Assets and templates embedded at build time.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

use answers::Answers;
use catalog::Catalog;
use error::{Problems, RenderError};
use render::{RenderedTree, Templates};

/// Why answers could not become an overlay.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The answers have problems.
    #[error(transparent)]
    Invalid(#[from] Problems),
    /// A template failed (a bug).
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Answers → plan → files, with the built-in catalog and templates.
pub fn build(
    answers: &Answers,
    catalog: &Catalog,
    templates: &Templates,
) -> Result<(plan::Plan, RenderedTree), BuildError> {
    let plan = plan::plan(answers, catalog)?;
    let tree = render::render(&plan, templates)?;
    Ok((plan, tree))
}
