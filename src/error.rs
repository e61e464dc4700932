//! Error types of the core, one per layer, each naming what is wrong and what to do.
use std::fmt;
use std::path::PathBuf;

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

/// Errors writing an overlay directory.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Files in the target were edited by hand since the wizard wrote them.
    #[error("{dir} has files edited since caracal-wizard wrote them: {}; re-run with --force to overwrite them (or use `caracal-wizard migrate`)", files.join(", "))]
    HandEdited { dir: PathBuf, files: Vec<String> },
    /// The target exists, is not empty and was not written by the wizard.
    #[error("{dir} exists and was not written by caracal-wizard (no caracal-wizard.yaml); choose another --out or re-run with --force")]
    Foreign { dir: PathBuf },
    /// The target exists and is not a directory.
    #[error("{dir} exists and is not a directory; choose another --out")]
    NotADirectory { dir: PathBuf },
    /// The evaluation's temporary secrets file can't be read as one.
    #[error("{}: {reason}", path.display())]
    LocalSecrets { path: PathBuf, reason: String },
    /// An I/O error, naming the path.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
