//! Moves an existing overlay to another profile, keeping the operator's answers and hand edits.
//!
//! [`plan_migration`] is pure: it takes the old answers, the target profile, `--set`
//! overrides and what is on disk ([`DirState`]), and returns a [`MigrationPlan`]: the new
//! answers, what changes in operator terms, the merged files and any [`Conflict`]s. A front
//! end shows the plan, lets the operator [`MigrationPlan::resolve`] each conflict, and
//! writes [`MigrationPlan::tree`] with `output::write_tree` once [`MigrationPlan::is_ready`].
//!
//! Files: `rules` (answers), `changes` (summary), `merge` (3-way on key paths), `emit`
//! (comment-preserving text), `flow` (the interactive migration's state machine).
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::answers::{apply_set, Answers, VERSION};
use crate::catalog::Catalog;
use crate::error::{AnswersError, OverlayError, Problem, Problems, RenderError};
use crate::overlay_dir::OverlayDir;
use crate::render::{digest, RenderedTree, Templates, ANSWERS_FILE, LOCAL_SECRETS_FILE};
use refuse::bullets;

mod changes;
mod emit;
pub mod flow;
mod kustomize;
mod merge;
mod refuse;
mod rules;

pub use changes::Change;
pub use flow::{FlowMsg, FlowOutcome, MigrationFlow, Stage};
pub use merge::{Conflict, ConflictKind, Side, PINNED};
pub use rules::{upgrade, OldAnswers};

/// Why a migration can't be planned.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The directory has no answers file.
    #[error("{} is not a caracal-wizard overlay (no {ANSWERS_FILE}); give the directory `caracal-wizard new --out` wrote", dir.display())]
    NotAnOverlay {
        /// The directory.
        dir: PathBuf,
    },
    /// The recorded answers can't be read.
    #[error("{source_name}: {reason}")]
    Answers {
        /// The answers file.
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// The target profile is unknown.
    #[error("--profile `{given}` is not a profile; choose one of: {choices}")]
    Profile {
        /// What was given.
        given: String,
        /// The profiles.
        choices: String,
    },
    /// The recorded answers name an unknown cloud or profile.
    #[error(
        "{ANSWERS_FILE}: `{key}: {value}` is unknown to this caracal-wizard; fix the answers file"
    )]
    Unknown {
        /// `cloud` or `profile`.
        key: &'static str,
        /// Its value.
        value: String,
    },
    /// A `--set` is malformed or changes what a migration can't.
    #[error(transparent)]
    Set(#[from] AnswersError),
    /// The target profile needs answers the overlay doesn't have, or they are invalid.
    #[error("moving to profile `{profile}` needs answers this overlay doesn't have (or has wrong); give them with --set KEY.PATH=VALUE:\n{problems}")]
    Missing {
        /// Target profile.
        profile: String,
        /// Each missing or invalid answer: key path and what to give.
        problems: Problems,
    },
    /// A file of the overlay is not one the wizard reads (a link, a FIFO, a huge file, a
    /// recorded path outside the overlay).
    #[error(transparent)]
    Refused(OverlayError),
    /// A value the merge keeps (a hand edit, or "keep yours") is one the target profile
    /// forbids.
    #[error("profile `{profile}` forbids what the merge keeps from your hand edits; for a conflict take the new profile's value (`--prefer theirs`, or choose it for that conflict), for a merged edit change the file as said:{}", bullets(problems))]
    Forbidden {
        /// Target profile.
        profile: String,
        /// Each refused value: the key and why.
        problems: Problems,
    },
    /// A template failed (a bug).
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// What an overlay directory holds, read once so planning stays pure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirState {
    /// Digests recorded in `caracal-wizard.yaml`, by relative path.
    pub recorded: BTreeMap<String, String>,
    /// Text of every file of the directory (except the local secrets), by relative path.
    pub files: BTreeMap<String, String>,
    /// Whether the evaluation's `secrets.local.yaml` is there.
    pub local_secrets: bool,
}

impl DirState {
    /// Reads `dir`: its upgraded answers and its files, through [`OverlayDir`] (no links,
    /// no special or huge files, recorded paths only inside the overlay).
    pub fn read(dir: &Path) -> Result<(OldAnswers, DirState), MigrateError> {
        let overlay = OverlayDir::new(dir);
        let answers_path = dir.join(ANSWERS_FILE);
        let refused = MigrateError::Refused;
        let files = overlay.files().map_err(|e| match e {
            OverlayError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                MigrateError::NotAnOverlay { dir: dir.into() }
            }
            other => refused(other),
        })?;
        let files: BTreeMap<String, String> =
            files.into_iter().map(|(p, t)| (p.to_string(), t)).collect();
        let Some(text) = files.get(ANSWERS_FILE) else {
            return Err(MigrateError::NotAnOverlay { dir: dir.into() });
        };
        let old = upgrade(&answers_path.display().to_string(), text)?;
        // The recorded paths decide what the write removes: only files the wizard writes.
        crate::output::recorded_digests(&overlay).map_err(refused)?;
        let local_secrets =
            std::fs::symlink_metadata(dir.join(LOCAL_SECRETS_FILE)).is_ok_and(|m| m.is_file());
        let state = DirState {
            recorded: old.answers.digests.clone(),
            files,
            local_secrets,
        };
        Ok((old, state))
    }
}

/// A planned migration: everything a front end shows before writing.
#[derive(Debug, Clone)]
pub struct MigrationPlan {
    /// The complete answers for the target profile.
    pub answers: Answers,
    /// Profile migrated from.
    pub from_profile: String,
    /// Profile migrated to.
    pub to_profile: String,
    /// What changes in the deployment, in operator terms (answers-version upgrade first).
    pub changes: Vec<Change>,
    /// The files to write (merged), the answers file with their digests included.
    pub files: BTreeMap<String, String>,
    /// The same paths as they are on disk now (absent: not there).
    pub before: BTreeMap<String, String>,
    /// Files the migration removes (written by the wizard, unchanged, no longer produced).
    pub removed: Vec<String>,
    /// Keys (or files) the operator and the migration disagree on.
    pub conflicts: Vec<Conflict>,
    /// Files whose hand edits were merged into the new render.
    pub merged: Vec<String>,
    /// Things to tell the operator (files kept, files to delete by hand, …).
    pub notes: Vec<String>,
    /// Non-fatal findings about the new answers.
    pub warnings: Vec<Problem>,
    /// Whether the writer must create the evaluation's local secrets.
    pub needs_local_secrets: bool,
    merges: BTreeMap<String, merge::FileMerge>,
    /// What the wizard renders for the new answers, before any merge: the answers file
    /// records these digests, so carried hand edits still count as hand edits afterwards
    /// (`new` won't clobber them, `check` notes them, the next migration merges them again).
    rendered: BTreeMap<String, String>,
    /// Why the merged `kustomization.yaml` can't be made to name exactly the files there
    /// after the write (its layout is not a plain `resources:` block); refused when set.
    kustomization_problem: Option<Problem>,
}

/// One file's unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    /// Relative path.
    pub path: String,
    /// Unified diff (`---`/`+++` headers, `@@` hunks).
    pub diff: String,
}

impl MigrationPlan {
    /// Chooses `side` for conflict number `index` and re-merges its file.
    ///
    /// Returns `false` if there is no such conflict.
    pub fn resolve(&mut self, index: usize, side: Side) -> bool {
        let Some(c) = self.conflicts.get_mut(index) else {
            return false;
        };
        c.resolution = Some(side);
        self.refresh();
        true
    }

    /// Chooses `side` for every conflict not resolved yet (`--prefer`).
    pub fn resolve_all(&mut self, side: Side) {
        for c in &mut self.conflicts {
            c.resolution.get_or_insert(side);
        }
        self.refresh();
    }

    /// Whether every conflict has a resolution, so the plan may be written.
    pub fn is_ready(&self) -> bool {
        self.conflicts.iter().all(|c| c.resolution.is_some())
    }

    /// Conflicts still open.
    pub fn unresolved(&self) -> impl Iterator<Item = &Conflict> {
        self.conflicts.iter().filter(|c| c.resolution.is_none())
    }

    /// The tree to hand to `output::write_tree` (with `force`: the merge already kept every
    /// hand edit it could; its answers file records the digests of the pure render).
    pub fn tree(&self) -> RenderedTree {
        RenderedTree {
            files: self.files.clone(),
            needs_local_secrets: self.needs_local_secrets,
        }
    }

    /// Unified diffs of every file that changes, removed files included.
    pub fn diffs(&self) -> Vec<FileDiff> {
        let paths: BTreeSet<&String> = self.files.keys().chain(self.removed.iter()).collect();
        let mut out = Vec::new();
        for p in paths {
            let old = self.before.get(p).map(String::as_str).unwrap_or("");
            let new = self.files.get(p).map(String::as_str).unwrap_or("");
            if old == new {
                continue;
            }
            let diff = similar::TextDiff::from_lines(old, new)
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{p}"), &format!("b/{p}"))
                .to_string();
            out.push(FileDiff {
                path: p.clone(),
                diff,
            });
        }
        out
    }

    fn refresh(&mut self) {
        for (path, m) in &self.merges {
            let resolutions: Vec<Option<Side>> = self
                .conflicts
                .iter()
                .filter(|c| &c.file == path)
                .map(|c| c.resolution)
                .collect();
            self.files
                .insert(path.clone(), merge::apply(m, &resolutions));
        }
        self.reconcile_kustomization();
        // A render error here would have failed planning already.
        if let Ok(text) = crate::render::answers_file(&self.answers, &self.rendered) {
            self.files.insert(ANSWERS_FILE.into(), text);
        }
    }
}

/// Where a move to another profile starts, before the operator says anything: the old
/// answers moved to the target profile by its rules.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The old answers, every default of the old profile filled in.
    pub old: Answers,
    /// The old answers moved to the target: what it refuses adjusted, what it adds still missing.
    pub answers: Answers,
    /// The certificate source must be given again, and why (unless new answers give one).
    pub needs_tls: Option<Problem>,
    /// The old overlay as the wizard renders it today (the merge base), when it still builds.
    base: Option<BTreeMap<String, String>>,
}

/// Moves the answers of the overlay `old` to profile `target` by the target's rules. Pure.
pub fn propose(
    old: &OldAnswers,
    target: &str,
    catalog: &Catalog,
    templates: &Templates,
) -> Result<Proposal, MigrateError> {
    let a0 = &old.answers;
    let cloud = catalog
        .cloud(&a0.cloud)
        .ok_or_else(|| MigrateError::Unknown {
            key: "cloud",
            value: a0.cloud.clone(),
        })?;
    let from = catalog
        .profile(&a0.profile)
        .ok_or_else(|| MigrateError::Unknown {
            key: "profile",
            value: a0.profile.clone(),
        })?;
    let to = catalog
        .profile(target)
        .ok_or_else(|| MigrateError::Profile {
            given: target.to_string(),
            choices: catalog.profile_ids(),
        })?;

    // The old overlay as the wizard renders it today: the merge base.
    let mut old_answers = a0.clone();
    old_answers.version = Some(VERSION);
    old_answers.digests.clear();
    let base = crate::build(&old_answers, catalog, templates).ok();
    let old_complete = match &base {
        Some((plan, _)) => plan.answers.clone(),
        None => crate::validate::complete(&old_answers, cloud, from),
    };
    let migrated = rules::migrate(&old_complete, cloud, from, to, catalog);
    Ok(Proposal {
        old: old_complete,
        answers: migrated.answers,
        needs_tls: migrated.needs_tls,
        base: base.map(|(_, t)| t.files),
    })
}

impl Proposal {
    /// What `answers` (these moved answers, as the operator completed them) still lack or
    /// have wrong, each at its key path; empty when they can be planned.
    pub fn problems(&self, answers: &Answers, catalog: &Catalog) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(p) = &self.needs_tls {
            if answers.tls.is_empty() {
                problems.push(p.clone());
            }
        }
        if let Err(Problems(p)) = crate::validate::check(answers, catalog) {
            problems.extend(p);
        }
        problems
    }

    /// Plans the move with `answers` as the new answers (already checked by the caller:
    /// [`plan_migration`] through [`Proposal::problems`], the full-screen flow through the
    /// wizard). Pure.
    pub fn plan(
        &self,
        old: &OldAnswers,
        answers: &Answers,
        dir: &DirState,
        catalog: &Catalog,
        templates: &Templates,
    ) -> Result<MigrationPlan, MigrateError> {
        let unknown = |key: &'static str, value: &str| MigrateError::Unknown {
            key,
            value: value.to_string(),
        };
        let cloud = catalog
            .cloud(&old.answers.cloud)
            .ok_or_else(|| unknown("cloud", &old.answers.cloud))?;
        let from = catalog
            .profile(&old.answers.profile)
            .ok_or_else(|| unknown("profile", &old.answers.profile))?;
        let to = catalog
            .profile(&answers.profile)
            .ok_or_else(|| unknown("profile", &answers.profile))?;
        let (plan, theirs) = crate::build(answers, catalog, templates).map_err(|e| match e {
            crate::BuildError::Invalid(problems) => MigrateError::Missing {
                profile: to.id.clone(),
                problems,
            },
            crate::BuildError::Render(r) => MigrateError::Render(r),
        })?;

        let mut changes = old.upgrade.clone();
        changes.extend(changes::describe(&changes::Sides {
            old: &self.old,
            new: &plan.answers,
            from,
            to,
            cloud,
            catalog,
        }));

        // Merge every file the overlay has, had or will have.
        let base_files = self.base.clone().unwrap_or_default();
        let paths: BTreeSet<&String> = theirs
            .files
            .keys()
            .chain(dir.recorded.keys())
            .filter(|p| p.as_str() != ANSWERS_FILE)
            .collect();
        let mut files = BTreeMap::new();
        let mut merges = BTreeMap::new();
        let mut conflicts = Vec::new();
        let mut merged = Vec::new();
        let mut removed = Vec::new();
        let mut notes = Vec::new();
        let mut before = BTreeMap::new();
        for p in paths {
            let ours = dir.files.get(p);
            let new = theirs.files.get(p);
            let recorded = dir.recorded.get(p);
            if let Some(o) = ours {
                before.insert(p.clone(), o.clone());
            }
            match (ours, new) {
                (None, Some(t)) => {
                    files.insert(p.clone(), t.clone());
                }
                (None, None) => {}
                (Some(o), None) => {
                    if recorded == Some(&digest(o)) {
                        removed.push(p.clone());
                    } else {
                        notes.push(format!("{p} is no longer part of the overlay but was edited by hand: kept; delete it if nothing uses it"));
                    }
                }
                (Some(o), Some(t)) => {
                    let b = base_files.get(p);
                    if o == t || b == Some(o) {
                        files.insert(p.clone(), t.clone());
                        continue;
                    }
                    // The base is trustworthy when it reproduces what the wizard wrote, or when the
                    // file is exactly what the wizard last wrote (it may carry merged hand edits).
                    let trusted =
                        b.filter(|b| recorded.is_some_and(|r| *r == digest(b) || *r == digest(o)));
                    let m = merge::merge_file(p, trusted.map(String::as_str), o, t);
                    let resolutions = vec![None; m.conflicts.len()];
                    files.insert(p.clone(), merge::apply(&m.merge, &resolutions));
                    conflicts.extend(m.conflicts);
                    merged.push(p.clone());
                    merges.insert(p.clone(), m.merge);
                }
            }
        }
        if let Some(o) = dir.files.get(ANSWERS_FILE) {
            before.insert(ANSWERS_FILE.into(), o.clone());
        }
        if dir.local_secrets && !theirs.needs_local_secrets {
            notes.push(format!("{LOCAL_SECRETS_FILE} (the evaluation's temporary credentials) is no longer used: move what you need into {} and delete it", cloud.secret_store.provider));
        }
        let mut out = MigrationPlan {
            answers: plan.answers,
            from_profile: from.id.clone(),
            to_profile: to.id.clone(),
            changes,
            files,
            before,
            removed,
            conflicts,
            merged,
            notes,
            warnings: plan.warnings,
            needs_local_secrets: theirs.needs_local_secrets,
            merges,
            rendered: theirs
                .files
                .iter()
                .filter(|(p, _)| p.as_str() != ANSWERS_FILE)
                .map(|(p, c)| (p.clone(), c.clone()))
                .collect(),
            kustomization_problem: None,
        };
        out.reconcile_kustomization();
        out.files.insert(
            ANSWERS_FILE.into(),
            crate::render::answers_file(&out.answers, &out.rendered)?,
        );
        Ok(out)
    }
}

/// Plans moving the overlay whose answers are `old` to profile `target`, with `sets`
/// (`key.path=value`, like `new --set`) applied to the migrated answers. Pure.
pub fn plan_migration(
    old: &OldAnswers,
    target: &str,
    sets: &[String],
    dir: &DirState,
    catalog: &Catalog,
    templates: &Templates,
) -> Result<MigrationPlan, MigrateError> {
    let proposal = propose(old, target, catalog, templates)?;
    // The answers moved, then the operator's overrides.
    let mut doc = serde_yaml::to_value(&proposal.answers).map_err(|e| MigrateError::Answers {
        source_name: ANSWERS_FILE.into(),
        reason: e.to_string(),
    })?;
    if sets.iter().any(|s| s.starts_with("tls.")) {
        // A certificate source given on the command line replaces the old one.
        if let Some(m) = doc.as_mapping_mut() {
            m.remove("tls");
        }
    }
    for s in sets {
        if s.starts_with("profile=") || s.starts_with("cloud=") {
            return Err(AnswersError::Set {
                arg: s.clone(),
                reason: "a migration keeps the cloud and takes the profile from --profile".into(),
            }
            .into());
        }
        apply_set(&mut doc, s)?;
    }
    let new_answers = Answers::from_value("--set", doc)?;
    let problems = proposal.problems(&new_answers, catalog);
    if !problems.is_empty() {
        return Err(MigrateError::Missing {
            profile: proposal.answers.profile.clone(),
            problems: Problems(problems),
        });
    }
    proposal.plan(old, &new_answers, dir, catalog, templates)
}

#[cfg(test)]
pub(crate) mod tests;
