//! `write_tree`: the only code that writes an overlay to disk, atomically, and
//! never over files edited by hand unless forced.
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{OverlayError, WriteError};
use crate::overlay_dir::{OverlayDir, OverlayPath, OVERLAY_SUBDIRS, WORK_DIR};
use crate::render::{digest, RenderedTree, ANSWERS_FILE, LOCAL_SECRETS_FILE};

mod secrets;

pub use secrets::LOCAL_SECRET_KEYS;

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

/// Digests the wizard recorded in `dir/caracal-wizard.yaml`, if there is a readable one.
///
/// Every key must be a file the wizard writes ([`OverlayPath::is_recordable`]): the keys
/// decide which files a write removes, so `../x` or `/etc/x` is refused, never followed.
pub fn recorded_digests(
    overlay: &OverlayDir,
) -> Result<Option<BTreeMap<OverlayPath, String>>, OverlayError> {
    let answers = OverlayPath::try_from(ANSWERS_FILE).map_err(|_| OverlayError::Outside {
        file: overlay.root().into(),
        key: ANSWERS_FILE.into(),
    })?;
    let Some(bytes) = overlay.read(&answers)? else {
        return Ok(None);
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(None);
    };
    let Ok(doc) = crate::manifest::parse_yaml(&text) else {
        return Ok(None);
    };
    let Some(map) = doc.get("digests").and_then(serde_yaml::Value::as_mapping) else {
        return Ok(Some(BTreeMap::new()));
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let (Some(k), Some(v)) = (k.as_str(), v.as_str()) else {
            continue;
        };
        let outside = || OverlayError::Outside {
            file: overlay.path(&answers),
            key: k.to_string(),
        };
        let rel = OverlayPath::try_from(k).map_err(|_| outside())?;
        if !rel.is_recordable() {
            return Err(outside());
        }
        out.insert(rel, v.to_string());
    }
    Ok(Some(out))
}

/// Compares each file of `dir` the wizard would touch against its recorded digest.
///
/// A directory holding a file the wizard won't read (a link, a FIFO, a recorded path
/// outside it) reads as holding nothing: check it with [`try_file_states`] or
/// [`OverlayDir::ensure_plain_tree`] first.
pub fn file_states(dir: &Path, paths: &[String]) -> BTreeMap<String, FileState> {
    try_file_states(dir, paths).unwrap_or_default()
}

/// [`file_states`], refusing what the wizard won't read.
pub fn try_file_states(
    dir: &Path,
    paths: &[String],
) -> Result<BTreeMap<String, FileState>, WriteError> {
    let existing = Existing::read(&OverlayDir::new(dir), paths.iter())?;
    Ok(existing
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
            (p.to_string(), state)
        })
        .collect())
}

/// What a write finds in its directory, read once: what [`ensure_writable`] checks,
/// [`write_tree`] compares against and [`file_states`] reports.
struct Existing {
    /// The directory does not exist yet (or holds nothing but a killed run's work dir).
    fresh: bool,
    /// The directory holds an answers file.
    has_answers: bool,
    /// Digests the last run recorded (none without an answers file).
    digests: BTreeMap<OverlayPath, String>,
    /// Bytes of each file of the tree and each recorded one; `None`: absent.
    contents: BTreeMap<OverlayPath, Option<Vec<u8>>>,
}

impl Existing {
    /// The files at `paths` and every file the last run recorded.
    fn read<'a>(
        overlay: &OverlayDir,
        paths: impl Iterator<Item = &'a String>,
    ) -> Result<Self, WriteError> {
        let paths = paths
            .map(|p| {
                OverlayPath::try_from(p.as_str()).map_err(|_| OverlayError::Outside {
                    file: overlay.root().into(),
                    key: p.clone(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if is_empty_dir(overlay)? {
            return Ok(Self {
                fresh: true,
                has_answers: false,
                digests: BTreeMap::new(),
                contents: paths.into_iter().map(|p| (p, None)).collect(),
            });
        }
        if !std::fs::metadata(overlay.root()).is_ok_and(|m| m.is_dir()) {
            return Err(WriteError::NotADirectory {
                dir: overlay.root().into(),
            });
        }
        let recorded = recorded_digests(overlay)?;
        let has_answers = recorded.is_some();
        let digests = recorded.unwrap_or_default();
        let mut contents = BTreeMap::new();
        for p in paths.into_iter().chain(digests.keys().cloned()) {
            if let std::collections::btree_map::Entry::Vacant(slot) = contents.entry(p) {
                let bytes = overlay.read(slot.key())?;
                slot.insert(bytes);
            }
        }
        Ok(Self {
            fresh: false,
            has_answers,
            digests,
            contents,
        })
    }

    fn current(&self, path: &OverlayPath) -> Option<&[u8]> {
        self.contents.get(path)?.as_deref()
    }

    /// Whether `path` is there and differs from what the wizard last wrote (a file that
    /// is not UTF-8 text was never written by the wizard).
    fn edited(&self, path: &OverlayPath) -> bool {
        self.current(path).is_some_and(|bytes| {
            std::str::from_utf8(bytes)
                .map_or(true, |text| self.digests.get(path) != Some(&digest(text)))
        })
    }

    /// Whether `path` already holds exactly `new`.
    fn is_same(&self, path: &OverlayPath, new: &str) -> bool {
        self.current(path) == Some(new.as_bytes())
    }
}

/// Whether `overlay` is absent, or an empty directory but for a killed run's work dir.
fn is_empty_dir(overlay: &OverlayDir) -> Result<bool, WriteError> {
    if !overlay.exists() {
        return Ok(true);
    }
    if !std::fs::metadata(overlay.root()).is_ok_and(|m| m.is_dir()) {
        return Ok(false);
    }
    for entry in crate::overlay_dir::read_dir(overlay.root())? {
        if entry?.file_name() != WORK_DIR {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Checks that writing `tree` into `dir` clobbers no hand edit.
pub fn ensure_writable(dir: &Path, tree: &RenderedTree, force: bool) -> Result<(), WriteError> {
    let overlay = OverlayDir::new(dir);
    let existing = Existing::read(&overlay, tree.files.keys())?;
    ensure_secrets_untracked(dir, tree)?;
    if force {
        return Ok(());
    }
    check_writable(&overlay, tree, &existing)
}

/// Refuses a tree with temporary secrets when Git already tracks `secrets.local.yaml` in
/// `dir` (even with `force`): `.gitignore` doesn't keep a tracked file out of `git add .`.
fn ensure_secrets_untracked(dir: &Path, tree: &RenderedTree) -> Result<(), WriteError> {
    if !tree.needs_local_secrets {
        return Ok(());
    }
    match crate::git::tracking(dir, LOCAL_SECRETS_FILE) {
        crate::git::Tracking::Untracked => Ok(()),
        crate::git::Tracking::Tracked => Err(WriteError::TrackedSecrets {
            path: dir.join(LOCAL_SECRETS_FILE),
            dir: dir.into(),
        }),
        // Fail closed: writing credentials Git may commit is worse than stopping.
        crate::git::Tracking::Unknown(why) => Err(WriteError::UnknownTracking {
            path: dir.join(LOCAL_SECRETS_FILE),
            why,
        }),
    }
}

fn check_writable(
    overlay: &OverlayDir,
    tree: &RenderedTree,
    existing: &Existing,
) -> Result<(), WriteError> {
    if existing.fresh {
        return Ok(());
    }
    let dir = overlay.root();
    if !existing.has_answers {
        // A run killed before it wrote the answers file (written last) leaves only files
        // this write produces as they are: that is no one else's directory.
        return if is_partial_write(overlay, tree, existing)? {
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
                    .get(p.as_str())
                    .is_none_or(|new| !existing.is_same(p, new))
                && existing.edited(p)
        })
        .map(OverlayPath::to_string)
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

/// Whether everything in `overlay` (but the work dir) is a file of `tree`, as `tree` has it.
fn is_partial_write(
    overlay: &OverlayDir,
    tree: &RenderedTree,
    existing: &Existing,
) -> Result<bool, WriteError> {
    let is_ours = |name: &str| {
        OverlayPath::try_from(name).is_ok_and(|p| {
            tree.files
                .get(name)
                .is_some_and(|new| existing.is_same(&p, new))
        })
    };
    for entry in crate::overlay_dir::read_dir(overlay.root())? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name == WORK_DIR || is_ours(&name) {
            continue;
        }
        let sub = overlay.root().join(&name);
        if !OVERLAY_SUBDIRS.contains(&name.as_str())
            || !std::fs::symlink_metadata(&sub).is_ok_and(|m| m.is_dir())
        {
            return Ok(false);
        }
        for e in crate::overlay_dir::read_dir(&sub)? {
            if !is_ours(&format!("{name}/{}", e?.file_name().to_string_lossy())) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Writes `tree` into `dir`, holding the overlay's lock: every changed file is staged
/// first, then each is replaced by an atomic rename, `caracal-wizard.yaml` last. A run
/// killed part-way leaves files that either are as before or equal this render, and the
/// old answers file, so a re-run finishes the job without `--force` (#11). Files already
/// identical are left alone (their mtimes too), so a re-run that changes nothing writes
/// nothing.
pub fn write_tree(dir: &Path, tree: &RenderedTree, force: bool) -> Result<WriteReport, WriteError> {
    let overlay = OverlayDir::new(dir);
    // Before the lock, which makes the directory and its work dir: nothing written.
    ensure_secrets_untracked(dir, tree)?;
    let lock = overlay.lock()?;
    let existing = Existing::read(&overlay, tree.files.keys())?;
    if !force {
        check_writable(&overlay, tree, &existing)?;
    }
    let mut report = WriteReport::default();
    let mut changed = Vec::new();
    for (path, contents) in &tree.files {
        let rel = OverlayPath::try_from(path.as_str()).map_err(|_| OverlayError::Outside {
            file: dir.into(),
            key: path.clone(),
        })?;
        if existing.is_same(&rel, contents) {
            report.unchanged.push(path.clone());
        } else {
            report.written.push(path.clone());
            lock.stage(&rel, contents.as_bytes(), false)?;
            changed.push(rel);
        }
    }
    let secrets_path =
        OverlayPath::try_from(LOCAL_SECRETS_FILE).map_err(|_| OverlayError::Outside {
            file: dir.into(),
            key: LOCAL_SECRETS_FILE.into(),
        })?;
    let secrets = if tree.needs_local_secrets {
        secrets::local_secrets_update(&overlay, &secrets_path)?
    } else {
        None
    };
    if let Some(update) = &secrets {
        lock.stage(&secrets_path, update.text.as_bytes(), true)?;
        if update.kept == 0 {
            report.generated_secrets = true;
        } else {
            report.completed_secrets = update.generated;
        }
    }
    // `.gitignore` first, so the local secrets are ignored before they appear; the
    // answers file last, so its digests never describe files not yet replaced.
    let order = |p: &OverlayPath| match p.as_str() {
        ".gitignore" => 0,
        ANSWERS_FILE => 2,
        _ => 1,
    };
    changed.sort_by_key(|p| order(p));
    let (data, answers): (Vec<_>, Vec<_>) = changed.iter().partition(|p| order(p) < 2);
    for rel in data {
        lock.replace(rel)?;
    }
    if secrets.is_some() {
        lock.replace(&secrets_path)?;
    }
    // Files an earlier run wrote and this one no longer produces go, unless edited since.
    for path in existing.digests.keys() {
        if tree.files.contains_key(path.as_str())
            || existing.current(path).is_none()
            || existing.edited(path)
        {
            continue;
        }
        lock.remove(path)?;
        report.removed.push(path.to_string());
    }
    for rel in answers {
        lock.replace(rel)?;
    }
    drop(lock);
    Ok(report)
}
