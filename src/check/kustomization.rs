//! `kustomization.yaml` names only files that are there: an entry naming a missing file
//! makes `kubectl apply -k .` fail (checked without kubectl).
use std::path::{Component, Path};

use super::{read_optional, CheckError, Finding};

const FILE: &str = "kustomization.yaml";

/// Each local `resources:` entry of the overlay's kustomization that names nothing on disk.
/// Remote entries (URLs, `git@…`) and paths leaving the overlay are not looked up.
pub(super) fn check_resources(dir: &Path, findings: &mut Vec<Finding>) -> Result<(), CheckError> {
    let Some(text) = read_optional(dir, FILE)? else {
        return Ok(());
    };
    let doc = match crate::manifest::parse_yaml(&text) {
        Ok(doc) => doc,
        Err(e) => {
            findings.push(Finding::error(FILE, format!("not valid YAML ({e}), so `kubectl apply -k .` fails; fix it, or re-run `caracal-wizard new --answers caracal-wizard.yaml --out .`"), None));
            return Ok(());
        }
    };
    let Some(entries) = doc
        .get("resources")
        .and_then(serde_yaml::Value::as_sequence)
    else {
        return Ok(());
    };
    for entry in entries.iter().filter_map(serde_yaml::Value::as_str) {
        let path = Path::new(entry);
        let local = !entry.contains("://")
            && !entry.starts_with("git@")
            && path
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if local && std::fs::symlink_metadata(dir.join(path)).is_err() {
            findings.push(Finding::error(
                FILE,
                format!(
                    "resource `{}` names a file that is not there, so `kubectl apply -k .` fails; remove the entry or restore the file",
                    entry.escape_debug()
                ),
                None,
            ));
        }
    }
    Ok(())
}
