//! caracal-wizard: writes ready-to-commit Helm overlays for Caracal on EKS, GKE and AKS.
//!
//! Module map (data flows answers → validate → plan → render → output; README's
//! *Architecture* names the room of each concern):
//! - [`answers`]: the answers file (version 1) and `--set` overrides, every problem with its path
//! - [`catalog`]: clouds, profiles, TLS modes and the components' runtime facts, as data from `assets/`
//! - [`format`](mod@format): field formats (hostnames, CIDRs, ARNs, …)
//! - [`validate`]: defaults and every rule, by concern, all problems at once
//! - [`plan`]: answers → [`plan::Plan`], one pure planner per concern (pure)
//! - [`manifest`]: typed values overlay and Kubernetes objects; all YAML I/O
//! - [`render`]: plan → [`render::RenderedTree`], one function per output family (pure)
//! - [`gitops`]: the Argo CD Application or Flux objects that install the chart with an overlay
//! - [`overlay_dir`]: the one way to read or replace an overlay's files (no symlinks, limits, lock)
//! - [`output`]: `write_tree`, the only writer, staged and edit-aware
//! - [`git`]: asks Git (when installed) whether it tracks a file
//! - [`check`]: re-validates an overlay directory, one module per promise
//! - [`verify`]: renders an overlay with helm and checks the rendered manifests, one module per promise
//! - [`migrate`]: moves an overlay to another profile, merging hand edits (pure core)
//! - [`error`]: error types of the core
//! - [`wizard`]: the question table (rows as data) and the state machine both front ends drive
//! - [`frontend`]: the full-screen (ratatui) and plain-prompt (inquire) front ends, drafts, signals
//! - [`cli`]: clap definitions and the non-interactive commands
//! - [`stdio`]: standard output and error that never panic nor fail a command on a closed pipe
#![forbid(unsafe_code)]
// Output goes through `stdio`: `print!` panics when the reader has gone away (#11).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod answers;
pub mod catalog;
pub mod check;
pub mod cidr;
pub mod cli;
pub mod error;
pub mod format;
pub mod frontend;
pub mod git;
pub mod gitops;
pub mod manifest;
pub mod migrate;
pub mod output;
pub mod overlay_dir;
pub mod plan;
pub mod render;
pub mod stdio;
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
    ensure_check_clean(&plan, &tree)?;
    Ok((plan, tree))
}

/// Refuses a rendered overlay that `check` would report errors on, each at the answer that
/// fixes it: validation should already have refused such answers, and this keeps the
/// writers and `check` to one truth even if a rule is missing there (#13).
fn ensure_check_clean(plan: &plan::Plan, tree: &RenderedTree) -> Result<(), Problems> {
    let Some(values) = tree.files.get("values.yaml") else {
        return Ok(());
    };
    let problems: Vec<error::Problem> = check::values_errors(values, plan)
        .into_iter()
        .map(|f| {
            let path = f.answer.unwrap_or_else(|| f.file.clone());
            error::Problem::new(path, f.message)
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Problems(problems))
    }
}
