//! Drafts: the answers and step saved after every step, so a stopped run can resume.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::answers::Answers;
use crate::wizard::{Step, Wizard};

/// Environment variable overriding the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "CARACAL_WIZARD_DATA_DIR";

const FILE: &str = "draft.json";

/// A saved run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Key of the step to resume at.
    pub step: String,
    /// The answers so far.
    pub answers: Answers,
}

impl Draft {
    /// The draft of `wizard` as it is now.
    pub fn of(wizard: &Wizard) -> Self {
        Self {
            step: wizard.step().key().to_string(),
            answers: wizard.answers().clone(),
        }
    }

    /// The step to resume at.
    pub fn step(&self) -> Step {
        Step::from_key(&self.step).unwrap_or(Step::Cloud)
    }
}

/// The platform's data directory for caracal-wizard, or `$CARACAL_WIZARD_DATA_DIR`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "caracal", "caracal-wizard")
        .map(|d| d.data_dir().to_path_buf())
}

/// The drafts directory of the overlay at `out`, inside the data directory `data`.
///
/// Each target directory has its own (named by a digest of its canonical path), so two
/// overlays in progress never share, or resume, one draft.
pub fn dir_for(data: &Path, out: &Path) -> PathBuf {
    use sha2::{Digest, Sha256};
    let canonical = canonical_target(out);
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    let key: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    data.join("drafts").join(key)
}

/// `out` made absolute with its existing part resolved (links, `..`), so every spelling of
/// one directory, created yet or not, names the same draft.
fn canonical_target(out: &Path) -> PathBuf {
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(resolved) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(resolved, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// The saved draft in `dir`, if there is a readable one.
pub fn load(dir: &Path) -> Option<Draft> {
    // Read like an answers file: a FIFO or a huge file there must not hang the wizard.
    let text = crate::overlay_dir::read_answers_file(&dir.join(FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Saves `draft` in `dir` (atomically: a half-written draft is never read back).
pub fn save(dir: &Path, draft: &Draft) -> std::io::Result<()> {
    fs_err::create_dir_all(dir)?;
    let text = serde_json::to_string_pretty(draft).map_err(std::io::Error::other)?;
    let tmp = dir.join(format!("{FILE}.tmp"));
    fs_err::write(&tmp, text)?;
    fs_err::rename(&tmp, dir.join(FILE))
}

/// Removes the draft in `dir` (after a finished write).
pub fn clear(dir: &Path) {
    // Nothing to do when there is none; any other failure only means a stale offer later.
    let _ = std::fs::remove_file(dir.join(FILE));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_draft_loads_back_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let draft = Draft {
            step: "hosts".into(),
            answers: Answers::parse("t", "cloud: eks\nprofile: production\n", &[]).unwrap(),
        };
        assert_eq!(load(dir.path()), None);
        save(dir.path(), &draft).unwrap();
        assert_eq!(load(dir.path()), Some(draft.clone()));
        assert_eq!(draft.step(), Step::Hosts);
        clear(dir.path());
        assert_eq!(load(dir.path()), None);
    }

    #[test]
    fn each_target_directory_has_its_own_draft_whatever_its_spelling() {
        let data = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("a")).unwrap();
        let a = dir_for(data.path(), &root.path().join("a"));
        let b = dir_for(data.path(), &root.path().join("b"));
        assert_ne!(a, b, "two overlays share one draft");
        assert!(a.starts_with(data.path().join("drafts")));
        assert_eq!(a, dir_for(data.path(), &root.path().join("a/../a/.")));
        // Not created yet: the same directory once created keeps its draft.
        let later = dir_for(data.path(), &root.path().join("b"));
        std::fs::create_dir(root.path().join("b")).unwrap();
        assert_eq!(later, dir_for(data.path(), &root.path().join("b")));
    }
}
