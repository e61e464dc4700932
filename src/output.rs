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
    /// Whether the evaluation's temporary secrets file was created now.
    pub generated_secrets: bool,
    /// Keys missing from an existing temporary secrets file, generated now (the rest kept).
    pub completed_secrets: usize,
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
    let existing = Existing::read(dir, paths.iter());
    existing
        .contents
        .keys()
        .map(|p| {
            let state = if existing.current(p).is_none() {
                FileState::Absent
            } else if existing.edited(p) {
                FileState::Edited
            } else {
                FileState::Pristine
            };
            (p.clone(), state)
        })
        .collect()
}

/// What a write finds in its directory, read once: what [`ensure_writable`] checks,
/// [`write_tree`] compares against and [`file_states`] reports.
struct Existing {
    /// The directory does not exist yet.
    fresh: bool,
    /// Digests the last run recorded (none without an answers file).
    digests: BTreeMap<String, String>,
    /// Contents of each file of the tree and each recorded one; `None`: absent.
    contents: BTreeMap<String, Option<String>>,
}

impl Existing {
    /// The files at `paths` and every file the last run recorded.
    fn read<'a>(dir: &Path, paths: impl Iterator<Item = &'a String>) -> Self {
        if !dir.exists() {
            return Self {
                fresh: true,
                digests: BTreeMap::new(),
                contents: paths.map(|p| (p.clone(), None)).collect(),
            };
        }
        let digests = recorded_digests(dir).unwrap_or_default();
        let read = |p: &String| (p.clone(), std::fs::read_to_string(dir.join(p)).ok());
        let mut contents: BTreeMap<String, Option<String>> = paths.map(read).collect();
        for p in digests.keys() {
            if !contents.contains_key(p) {
                contents.insert(p.clone(), read(p).1);
            }
        }
        Self {
            fresh: false,
            digests,
            contents,
        }
    }

    fn current(&self, path: &str) -> Option<&str> {
        self.contents.get(path)?.as_deref()
    }

    /// Whether `path` is there and differs from what the wizard last wrote.
    fn edited(&self, path: &str) -> bool {
        self.current(path)
            .is_some_and(|text| self.digests.get(path) != Some(&digest(text)))
    }
}

/// Checks that writing `tree` into `dir` clobbers no hand edit.
pub fn ensure_writable(dir: &Path, tree: &RenderedTree, force: bool) -> Result<(), WriteError> {
    if force || !dir.exists() {
        return Ok(());
    }
    check_writable(dir, tree, &Existing::read(dir, tree.files.keys()))
}

fn check_writable(dir: &Path, tree: &RenderedTree, existing: &Existing) -> Result<(), WriteError> {
    if existing.fresh {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(WriteError::NotADirectory { dir: dir.into() });
    }
    if !dir.join(ANSWERS_FILE).is_file() {
        let empty = fs_err::read_dir(dir)?.next().is_none();
        return if empty {
            Ok(())
        } else {
            Err(WriteError::Foreign { dir: dir.into() })
        };
    }
    // An edited file is only in the way if this write would change or remove it.
    let edited: Vec<String> = existing
        .contents
        .keys()
        .filter(|p| {
            p.as_str() != ANSWERS_FILE
                && tree
                    .files
                    .get(*p)
                    .is_none_or(|new| existing.current(p) != Some(new.as_str()))
                && existing.edited(p)
        })
        .cloned()
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

/// Writes `tree` into `dir`: a new directory appears whole; an existing one has each
/// changed file replaced by an atomic rename after everything was staged. Files already
/// identical are left alone (their mtimes too), so a re-run that changes nothing writes
/// nothing.
pub fn write_tree(dir: &Path, tree: &RenderedTree, force: bool) -> Result<WriteReport, WriteError> {
    let existing = Existing::read(dir, tree.files.keys());
    if !force {
        check_writable(dir, tree, &existing)?;
    }
    let mut report = WriteReport::default();
    let mut changed = Vec::new();
    for (path, contents) in &tree.files {
        if existing.current(path) == Some(contents.as_str()) {
            report.unchanged.push(path.clone());
        } else {
            report.written.push(path.clone());
            changed.push((path, contents));
        }
    }
    let secrets = if tree.needs_local_secrets {
        local_secrets_update(dir)?
    } else {
        None
    };
    let new_secrets = secrets.is_some();
    if !changed.is_empty() || new_secrets {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs_err::create_dir_all(&parent)?;
        let stage = tempfile::Builder::new()
            .prefix(".caracal-wizard-")
            .tempdir_in(&parent)?;
        for dir in subdirectories(changed.iter().map(|(p, _)| p.as_str())) {
            fs_err::create_dir_all(stage.path().join(dir))?;
        }
        for (path, contents) in &changed {
            fs_err::write(stage.path().join(path), contents)?;
        }
        if let Some(update) = &secrets {
            write_private(&stage.path().join(LOCAL_SECRETS_FILE), &update.text)?;
            if update.kept == 0 {
                report.generated_secrets = true;
            } else {
                report.completed_secrets = update.generated;
            }
        }
        if existing.fresh {
            let staged = stage.keep();
            fs_err::rename(&staged, dir)?;
            return Ok(report);
        }
        for sub in subdirectories(changed.iter().map(|(p, _)| p.as_str())) {
            fs_err::create_dir_all(dir.join(sub))?;
        }
        for (path, _) in &changed {
            fs_err::rename(stage.path().join(path), dir.join(path))?;
        }
        if new_secrets {
            fs_err::rename(
                stage.path().join(LOCAL_SECRETS_FILE),
                dir.join(LOCAL_SECRETS_FILE),
            )?;
        }
    }
    // Files an earlier run wrote and this one no longer produces go, unless edited since.
    for path in existing.digests.keys() {
        if tree.files.contains_key(path)
            || existing.current(path).is_none()
            || existing.edited(path)
        {
            continue;
        }
        let p = dir.join(path);
        fs_err::remove_file(&p)?;
        if let Some(parent) = p.parent() {
            let _ = std::fs::remove_dir(parent);
        }
        report.removed.push(path.clone());
    }
    Ok(report)
}

/// The directories (relative, e.g. `external-secrets`) that hold `paths`, each once.
fn subdirectories<'a>(paths: impl Iterator<Item = &'a str>) -> std::collections::BTreeSet<&'a str> {
    paths
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect()
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
    Ok(())
}

#[derive(Serialize)]
struct LocalSecrets {
    secrets: LocalSecretsInner,
}

#[derive(Serialize)]
struct LocalSecretsInner {
    plaintext: BTreeMap<String, String>,
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
    Ok(crate::render::hex(&buf))
}

/// A temporary secrets file to write, and how many of its keys are new.
struct SecretsUpdate {
    text: String,
    generated: usize,
    kept: usize,
}

/// What the evaluation's `secrets.local.yaml` in `dir` needs: nothing when it has a value for
/// every key; otherwise the file with the missing keys generated and every present one kept
/// (a file cut short, say by a crash right after it was written, is completed, never reset).
fn local_secrets_update(dir: &Path) -> Result<Option<SecretsUpdate>, WriteError> {
    let path = dir.join(LOCAL_SECRETS_FILE);
    let kept = match std::fs::read_to_string(&path) {
        Ok(text) => read_local_secrets(&text).map_err(|reason| WriteError::LocalSecrets {
            path: path.clone(),
            reason,
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
        Err(e) => {
            return Err(
                std::io::Error::new(e.kind(), format!("reading {}: {e}", path.display())).into(),
            )
        }
    };
    let generated = LOCAL_SECRET_KEYS
        .iter()
        .filter(|k| !kept.contains_key(**k))
        .count();
    if generated == 0 {
        return Ok(None);
    }
    let mut plaintext = kept.clone();
    for k in LOCAL_SECRET_KEYS {
        if !plaintext.contains_key(k) {
            plaintext.insert(k.to_string(), random_hex(32)?);
        }
    }
    Ok(Some(SecretsUpdate {
        text: local_secrets(plaintext)?,
        generated,
        kept: kept.len(),
    }))
}

/// The non-empty values under `secrets.plaintext` of a temporary secrets file.
fn read_local_secrets(text: &str) -> Result<BTreeMap<String, String>, String> {
    let doc = crate::manifest::parse_yaml(text).map_err(|e| {
        format!("not valid YAML ({e}); fix it, or delete it to generate new temporary secrets")
    })?;
    let plaintext = match doc.get("secrets").and_then(|s| s.get("plaintext")) {
        None | Some(serde_yaml::Value::Null) => return Ok(BTreeMap::new()),
        Some(p) => p,
    };
    let map = plaintext.as_mapping().ok_or_else(|| {
        "`secrets.plaintext` must map each key to its value; fix it, or delete the file to generate new temporary secrets".to_string()
    })?;
    Ok(map
        .iter()
        .filter_map(|(k, v)| {
            let v = match v {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((k.as_str()?.to_string(), v)).filter(|(_, v)| !v.is_empty())
        })
        .collect())
}

fn local_secrets(plaintext: BTreeMap<String, String>) -> Result<String, WriteError> {
    let body = crate::manifest::to_yaml(&LocalSecrets {
        secrets: LocalSecretsInner { plaintext },
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(format!(
        "# Temporary credentials for this evaluation, random and local to this machine.\n# Git-ignored; never commit. Pass with: helm ... -f values.yaml -f secrets.local.yaml\n{body}"
    ))
}
