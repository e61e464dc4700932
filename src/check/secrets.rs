//! The static checks for plaintext secrets: committed files, and the git-ignored (and
//! untracked) local file.
use std::path::Path;

use super::{read_optional, CheckError, Finding};
use crate::overlay_dir::{read_regular, WORK_DIR};
use crate::render::LOCAL_SECRETS_FILE;

const SECRET_MARKERS: [&str; 3] = ["-----BEGIN", "AKIA", "stringData:"];

/// How deep the scan descends (the wizard writes one level of subdirectories).
const MAX_DEPTH: usize = 8;

/// Flags every file under `dir` (but `.git`, the work directory and the local secrets
/// file) that holds a Kubernetes Secret with data or key material; paths are reported
/// relative to `root`. Links are reported, never followed; special files are reported,
/// never opened, so a link loop or a FIFO can't hang the scan (#11).
pub(super) fn scan_for_secrets(
    root: &Path,
    dir: &Path,
    depth: usize,
    findings: &mut Vec<Finding>,
) -> Result<(), CheckError> {
    let entries = crate::overlay_dir::read_dir(dir).map_err(|e| CheckError::Unreadable {
        path: crate::frontend::visible::shown(dir),
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
        // The work directory is skipped only where the wizard makes it (at the top, which its
        // own `.gitignore` hides from Git); one anywhere else is an ordinary directory.
        if name == ".git" || (depth == 0 && (name == WORK_DIR || name == LOCAL_SECRETS_FILE)) {
            continue;
        }
        let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() && depth < MAX_DEPTH {
            scan_for_secrets(root, &p, depth + 1, findings)?;
        } else if meta.is_dir() {
            findings.push(Finding::error(
                &rel,
                "nested too deep for an overlay; not scanned for secrets",
                None,
            ));
        } else {
            scan_file(&p, &rel, &name, findings);
        }
    }
    Ok(())
}

/// One file of [`scan_for_secrets`]: YAML Secrets with data, then key material. A link,
/// special file or huge file is an error (`check` can't vouch for it), not read.
fn scan_file(p: &Path, rel: &str, name: &str, findings: &mut Vec<Finding>) {
    let text = match read_regular(p) {
        Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(None) => return,
        Err(e) => {
            findings.push(Finding::error(rel, e.to_string(), None));
            return;
        }
    };
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        if SECRET_MARKERS[..2].iter().any(|m| text.contains(m)) {
            findings.push(key_material(rel));
        }
        return;
    }
    if let Ok(docs) = crate::manifest::parse_yaml_documents(&text) {
        for d in docs {
            if d.get("kind").and_then(|k| k.as_str()) == Some("Secret")
                && (d.get("data").is_some() || d.get("stringData").is_some())
            {
                findings.push(Finding::error(rel, "a Kubernetes Secret with data: a plaintext secret in a committed file; keep it in the secret manager", Some("profile")));
            }
        }
    }
    if SECRET_MARKERS[..2].iter().any(|m| text.contains(m)) {
        findings.push(key_material(rel));
    }
}

fn key_material(rel: &str) -> Finding {
    Finding::error(
        rel,
        "looks like it holds key material (a PEM block or an AWS access key)",
        None,
    )
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
    let gitignore = read_optional(dir, ".gitignore")?.unwrap_or_default();
    let verdict = super::gitignore::verdict(&gitignore, LOCAL_SECRETS_FILE);
    if !verdict.ignored {
        let why = match verdict.line {
            Some((n, text)) => format!(
                "line {n} `{}` re-includes it, so `git add .` would commit it; remove that line",
                text.escape_debug()
            ),
            None => format!("add `{LOCAL_SECRETS_FILE}` to .gitignore"),
        };
        findings.push(Finding::error(
            ".gitignore",
            format!(
                "{LOCAL_SECRETS_FILE} holds plaintext credentials but is not git-ignored: {why}"
            ),
            None,
        ));
    }
    match crate::git::tracking(dir, LOCAL_SECRETS_FILE) {
        crate::git::Tracking::Untracked => {}
        crate::git::Tracking::Tracked => findings.push(Finding::error(
            LOCAL_SECRETS_FILE,
            format!("holds plaintext credentials and is tracked by Git, so `git add .` commits it whatever .gitignore says; run `git rm --cached {LOCAL_SECRETS_FILE}` and commit (and rotate any credential already pushed)"),
            None,
        )),
        crate::git::Tracking::Unknown(why) => findings.push(Finding::error(
            LOCAL_SECRETS_FILE,
            format!("holds plaintext credentials in a Git work tree, but Git couldn't say whether it tracks the file ({why}); fix what Git says and check again"),
            None,
        )),
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
    // Not through a link: its mode is the link target's, not the file Git would see.
    if let Ok(m) = std::fs::symlink_metadata(dir.join(LOCAL_SECRETS_FILE)) {
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
