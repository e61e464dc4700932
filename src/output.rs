//! `write_tree`: the only code that writes an overlay to disk, atomically, and
//! never over files edited by hand unless forced.
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::WriteError;
use crate::render::{digest, RenderedTree, ANSWERS_FILE, LOCAL_SECRETS_FILE};

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written (created or changed).
    pub written: Vec<String>,
    /// Files already identical.
    pub unchanged: Vec<String>,
    /// Files from an earlier run no longer produced, removed.
    pub removed: Vec<String>,
    /// Whether temporary evaluation secrets were generated now.
    pub generated_secrets: bool,
}

/// How a file in the target compares with what the wizard last wrote there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Not there.
    Absent,
    /// As the wizard wrote it.
    Pristine,
    /// Changed since (or never written by the wizard).
    Edited,
}

/// Digests the wizard recorded in `dir/caracal-wizard.yaml`, if any.
pub fn recorded_digests(dir: &Path) -> Option<BTreeMap<String, String>> {
    let text = fs_err::read_to_string(dir.join(ANSWERS_FILE)).ok()?;
    let doc: serde_yaml::Value = crate::manifest::parse_yaml(&text).ok()?;
    let map = doc.get("digests")?.as_mapping()?;
    Some(
        map.iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
            .collect(),
    )
}

/// Compares each file of `dir` the wizard would touch against its recorded digest.
pub fn file_states(dir: &Path, paths: &[String]) -> BTreeMap<String, FileState> {
    let digests = recorded_digests(dir).unwrap_or_default();
    let mut out = BTreeMap::new();
    for p in paths.iter().chain(digests.keys()) {
        let state = match fs_err::read_to_string(dir.join(p)) {
            Err(_) => FileState::Absent,
            Ok(text) if digests.get(p) == Some(&digest(&text)) => FileState::Pristine,
            Ok(_) => FileState::Edited,
        };
        out.insert(p.clone(), state);
    }
    out
}

/// Checks that writing `tree` into `dir` clobbers no hand edit.
pub fn ensure_writable(dir: &Path, tree: &RenderedTree, force: bool) -> Result<(), WriteError> {
    if !dir.exists() || force {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(WriteError::NotADirectory { dir: dir.into() });
    }
    let has_answers = dir.join(ANSWERS_FILE).is_file();
    if !has_answers {
        let empty = fs_err::read_dir(dir)?.next().is_none();
        return if empty {
            Ok(())
        } else {
            Err(WriteError::Foreign { dir: dir.into() })
        };
    }
    let paths: Vec<String> = tree
        .files
        .keys()
        .filter(|p| p.as_str() != ANSWERS_FILE)
        .cloned()
        .collect();
    let edited: Vec<String> = file_states(dir, &paths)
        .into_iter()
        .filter(|(p, s)| {
            *s == FileState::Edited
                && p != ANSWERS_FILE
                && tree.files.get(p).is_none_or(|new| {
                    fs_err::read_to_string(dir.join(p))
                        .map(|old| &old != new)
                        .unwrap_or(true)
                })
        })
        .map(|(p, _)| p)
        .collect();
    if edited.is_empty() {
        Ok(())
    } else {
        Err(WriteError::HandEdited {
            dir: dir.into(),
            files: edited,
        })
    }
}

/// Writes `tree` into `dir`: a new directory appears whole; an existing one has
/// each file replaced by an atomic rename after everything was staged.
pub fn write_tree(dir: &Path, tree: &RenderedTree, force: bool) -> Result<WriteReport, WriteError> {
    ensure_writable(dir, tree, force)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs_err::create_dir_all(&parent)?;
    let stage = tempfile::Builder::new()
        .prefix(".caracal-wizard-")
        .tempdir_in(&parent)?;
    let mut report = WriteReport::default();
    for (path, contents) in &tree.files {
        let target = stage.path().join(path);
        if let Some(p) = target.parent() {
            fs_err::create_dir_all(p)?;
        }
        fs_err::write(&target, contents)?;
        let old = fs_err::read_to_string(dir.join(path)).ok();
        if old.as_deref() == Some(contents.as_str()) {
            report.unchanged.push(path.clone());
        } else {
            report.written.push(path.clone());
        }
    }
    let keep_secrets = dir.join(LOCAL_SECRETS_FILE).is_file();
    if tree.needs_local_secrets && !keep_secrets {
        write_private(&stage.path().join(LOCAL_SECRETS_FILE), &local_secrets()?)?;
        report.generated_secrets = true;
    }
    let old_digests = recorded_digests(dir).unwrap_or_default();
    if !dir.exists() {
        let staged = stage.keep();
        fs_err::rename(&staged, dir)?;
        return Ok(report);
    }
    for path in tree.files.keys() {
        let to = dir.join(path);
        if let Some(p) = to.parent() {
            fs_err::create_dir_all(p)?;
        }
        fs_err::rename(stage.path().join(path), &to)?;
    }
    if report.generated_secrets {
        fs_err::rename(
            stage.path().join(LOCAL_SECRETS_FILE),
            dir.join(LOCAL_SECRETS_FILE),
        )?;
    }
    for (path, recorded) in old_digests {
        if tree.files.contains_key(&path) {
            continue;
        }
        let p = dir.join(&path);
        if fs_err::read_to_string(&p).is_ok_and(|t| digest(&t) == recorded) {
            fs_err::remove_file(&p)?;
            if let Some(parent) = p.parent() {
                let _ = std::fs::remove_dir(parent);
            }
            report.removed.push(path);
        }
    }
    Ok(report)
}

fn write_private(path: &Path, contents: &str) -> Result<(), WriteError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("creating {}: {e}", path.display())))?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

#[derive(Serialize)]
struct LocalSecrets {
    secrets: LocalSecretsInner,
}

#[derive(Serialize)]
struct LocalSecretsInner {
    plaintext: BTreeMap<&'static str, String>,
}

/// Keys of the chart's evaluation Secret that need a value.
pub const LOCAL_SECRET_KEYS: [&str; 11] = [
    "postgresPassword",
    "redisPassword",
    "caracalAdminToken",
    "metricsBearer",
    "caracalCoordinatorToken",
    "caracalAuthSecret",
    "secretStoreKek",
    "auditHmacKey",
    "streamsHmacKey",
    "idempotencyHmacKey",
    "gatewayStsHmacKey",
];

fn random_hex(bytes: usize) -> Result<String, WriteError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| std::io::Error::other(format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn local_secrets() -> Result<String, WriteError> {
    let mut plaintext = BTreeMap::new();
    for k in LOCAL_SECRET_KEYS {
        plaintext.insert(k, random_hex(32)?);
    }
    let body = crate::manifest::to_yaml(&LocalSecrets {
        secrets: LocalSecretsInner { plaintext },
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(format!(
        "# Temporary credentials for this evaluation, random and local to this machine.\n# Git-ignored; never commit. Pass with: helm ... -f values.yaml -f secrets.local.yaml\n{body}"
    ))
}
