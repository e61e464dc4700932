//! Error types of the core, one per layer, each naming what is wrong and what to do.
use std::fmt;
use std::path::PathBuf;

use crate::frontend::visible::{shown, visible_line};

/// One problem found in the answers: the key path it concerns and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// Dotted key path in the answers file, e.g. `endpoints.sts`.
    pub path: String,
    /// What is wrong, with the offending value, and what to do next.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.message)
    }
}

/// Every problem in a set of answers, reported at once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the answers:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Errors loading the built-in catalogs of clouds, profiles and TLS modes.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// An embedded asset did not parse.
    #[error("built-in catalog `{file}` is malformed: {reason}")]
    Malformed { file: String, reason: String },
    /// A catalog refers to something that does not exist.
    #[error("built-in catalog `{file}` refers to unknown {what} `{name}`")]
    Dangling {
        file: String,
        what: &'static str,
        name: String,
    },
}

/// Errors reading an answers file.
#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    /// The file is not YAML, or a key has the wrong type.
    #[error("{source_name}: {path}{reason}")]
    Parse {
        source_name: String,
        path: String,
        reason: String,
    },
    /// A `--set` argument is not `key.path=value`.
    #[error("--set `{arg}`: {reason}")]
    Set { arg: String, reason: String },
}

/// Errors rendering templates.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to render; this is a bug in the built-in templates.
    #[error("template `{template}` failed to render: {reason}")]
    Template { template: String, reason: String },
    /// A manifest failed to serialize.
    #[error("could not serialize `{file}`: {reason}")]
    Serialize { file: String, reason: String },
}

/// Refusals reading or replacing a file of an overlay (or an answers file): the overlay may
/// come from another team, so anything that is not a plain file of the overlay is refused.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// A symbolic link where caracal-wizard reads or writes: it could point anywhere.
    #[error("{} is a symbolic link; caracal-wizard does not follow links in an overlay (they could point anywhere, e.g. at a kubeconfig): replace it with the file or directory itself", shown(path))]
    Symlink { path: PathBuf },
    /// A FIFO, socket, device or directory where a file belongs.
    #[error("{} is not a regular file (a FIFO, socket, device or directory); replace it with a file or remove it", shown(path))]
    NotAFile { path: PathBuf },
    /// A file where a directory belongs.
    #[error(
        "{} is not a directory; move it out of the way or choose another --out",
        shown(path)
    )]
    NotADirectory { path: PathBuf },
    /// A file above the size limit.
    #[error("{} is larger than {limit} bytes, far more than an overlay or answers file holds; remove it or give the right file", shown(path))]
    TooBig { path: PathBuf, limit: u64 },
    /// A file the tool reads that is not UTF-8 text.
    #[error("{} is not UTF-8 text; fix its encoding or remove it", shown(path))]
    NotText { path: PathBuf },
    /// A recorded path that is not a file caracal-wizard writes (`../x`, `/etc/x`, …).
    #[error("{}: `{key}` is not a file caracal-wizard writes (they are relative paths like `values.yaml` or `external-secrets/external-secret.yaml`); remove it from `digests`", shown(file))]
    Outside { file: PathBuf, key: String },
    /// A YAML file nested too deep to parse in reasonable time.
    #[error("{}: {deep}", shown(path))]
    Nested {
        path: PathBuf,
        deep: crate::manifest::depth::TooDeep,
    },
    /// Directories nested deeper than any overlay.
    #[error("{} is nested too deep for an overlay; remove it", shown(path))]
    TooDeep { path: PathBuf },
    /// The `--out` directory (or the work directory inside it) can't be created.
    #[error(
        "{} can't be created there ({reason}); choose another --out, a directory you can write",
        shown(path)
    )]
    Unwritable { path: PathBuf, reason: String },
    /// Another run holds the overlay's lock.
    #[error(
        "another caracal-wizard is writing {} right now; wait for it to finish and run again",
        shown(dir)
    )]
    Busy { dir: PathBuf },
    /// An I/O error, naming the path.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Errors writing an overlay directory.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Files in the target were edited by hand since the wizard wrote them.
    #[error("{} has files edited since caracal-wizard wrote them: {}; re-run with --force to overwrite them (or use `caracal-wizard migrate`)", shown(dir), visible_line(&files.join(", ")))]
    HandEdited { dir: PathBuf, files: Vec<String> },
    /// The target exists, is not empty and was not written by the wizard.
    #[error("{} exists and was not written by caracal-wizard (no caracal-wizard.yaml); choose another --out or re-run with --force", shown(dir))]
    Foreign { dir: PathBuf },
    /// The target exists and is not a directory.
    #[error("{} exists and is not a directory; choose another --out", shown(dir))]
    NotADirectory { dir: PathBuf },
    /// The evaluation's temporary secrets file can't be read as one.
    #[error("{}: {reason}", shown(path))]
    LocalSecrets { path: PathBuf, reason: String },
    /// The evaluation's temporary secrets file is tracked by Git: `.gitignore` doesn't
    /// keep it out of `git add .`, so what is written there would be committed.
    #[error("{} is tracked by Git, so `git add .` would commit the temporary credentials written to it (.gitignore only keeps untracked files out); run `git rm --cached {}` in {} and commit, then run again", shown(path), crate::render::LOCAL_SECRETS_FILE, shown(dir))]
    TrackedSecrets { path: PathBuf, dir: PathBuf },
    /// The overlay is in a Git work tree, but Git couldn't say whether it tracks the
    /// temporary secrets file: nothing is written rather than risk committing it.
    #[error("{} is in a Git work tree, but Git couldn't say whether it tracks that file ({why}), so `git add .` might commit the temporary credentials written to it; fix what Git says (for \"dubious ownership\", `git config --global --add safe.directory <the repository>`), then run again", shown(path))]
    UnknownTracking { path: PathBuf, why: String },
    /// A file in the way is not one the wizard may read or replace (a link, a FIFO, …).
    #[error(transparent)]
    Refused(OverlayError),
    /// An I/O error, naming the path.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<OverlayError> for WriteError {
    fn from(e: OverlayError) -> Self {
        match e {
            OverlayError::Io(io) => WriteError::Io(io),
            refused => WriteError::Refused(refused),
        }
    }
}
