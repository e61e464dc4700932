//! The static checks for plaintext secrets: committed files, and the git-ignored local file.
use std::path::Path;

use super::{read_optional, CheckError, Finding};
use crate::render::LOCAL_SECRETS_FILE;

const SECRET_MARKERS: [&str; 3] = ["-----BEGIN", "AKIA", "stringData:"];

/// Flags every file under `dir` (but `.git` and the local secrets file) that holds a
/// Kubernetes Secret with data or key material; paths are reported relative to `root`.
pub(super) fn scan_for_secrets(
    root: &Path,
    dir: &Path,
    findings: &mut Vec<Finding>,
) -> Result<(), CheckError> {
    let entries = fs_err::read_dir(dir).map_err(|e| CheckError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name == ".git" || name == LOCAL_SECRETS_FILE {
            continue;
        }
        if p.is_dir() {
            scan_for_secrets(root, &p, findings)?;
            continue;
        }
        scan_file(root, &p, &name, findings);
    }
    Ok(())
}

/// One file of [`scan_for_secrets`]: YAML Secrets with data, then key material.
fn scan_file(root: &Path, p: &Path, name: &str, findings: &mut Vec<Finding>) {
    let rel = p.strip_prefix(root).unwrap_or(p).display().to_string();
    let Ok(text) = fs_err::read_to_string(p) else {
        return;
    };
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        return;
    }
    if let Ok(docs) = crate::manifest::parse_yaml_documents(&text) {
        for d in docs {
            if d.get("kind").and_then(|k| k.as_str()) == Some("Secret")
                && (d.get("data").is_some() || d.get("stringData").is_some())
            {
                findings.push(Finding::error(&rel, "a Kubernetes Secret with data: a plaintext secret in a committed file; keep it in the secret manager", Some("profile")));
            }
        }
    }
    if SECRET_MARKERS[..2].iter().any(|m| text.contains(m)) {
        findings.push(Finding::error(
            &rel,
            "looks like it holds key material (a PEM block or an AWS access key)",
            None,
        ));
    }
}

/// The local secrets file, when there is one: git-ignored, private, and only for an evaluation.
pub(super) fn check_local_secrets(
    dir: &Path,
    evaluation: bool,
    findings: &mut Vec<Finding>,
) -> Result<(), CheckError> {
    if read_optional(dir, LOCAL_SECRETS_FILE)?.is_none() {
        return Ok(());
    }
    let ignored = read_optional(dir, ".gitignore")?.is_some_and(|g| {
        g.lines()
            .any(|l| l.trim() == LOCAL_SECRETS_FILE || l.trim() == "*.local.yaml")
    });
    if !ignored {
        findings.push(Finding::error(".gitignore", format!("{LOCAL_SECRETS_FILE} holds plaintext credentials but is not git-ignored; add it to .gitignore"), None));
    }
    check_local_secrets_mode(dir, findings);
    if !evaluation {
        findings.push(Finding::note(LOCAL_SECRETS_FILE, "left over from an evaluation; this profile reads secrets from the secret manager, so delete it"));
    }
    Ok(())
}

/// The local secrets file must not be readable by others.
#[cfg(unix)]
fn check_local_secrets_mode(dir: &Path, findings: &mut Vec<Finding>) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(m) = fs_err::metadata(dir.join(LOCAL_SECRETS_FILE)) {
        if m.permissions().mode() & 0o077 != 0 {
            findings.push(Finding::error(
                LOCAL_SECRETS_FILE,
                format!(
                    "readable by others (mode {:o}); run `chmod 600 {LOCAL_SECRETS_FILE}`",
                    m.permissions().mode() & 0o777
                ),
                None,
            ));
        }
    }
}

/// Permissions are not checked where there are no Unix modes.
#[cfg(not(unix))]
fn check_local_secrets_mode(_dir: &Path, _findings: &mut Vec<Finding>) {}
