//! The overlay directory on disk: the one way the tool reads, replaces or removes a file of
//! an overlay, or reads an answers file.
//!
//! Overlays live in Git and are cloned from other teams, so every file in one (and every
//! answers file) may be hostile: a symlink to a kubeconfig, a FIFO that blocks a read
//! forever, a YAML file big enough to exhaust memory, a recorded path like `../../x`
//! (#11). Reads here never follow a symlink inside the overlay, never block on a special
//! file, stop at [`MAX_FILE_BYTES`], and name only [`OverlayPath`]s; every refusal is an
//! [`OverlayError`] naming the file. Writes go through a [`WriteLock`].
use std::collections::BTreeMap;
use std::fs::{File, Metadata, OpenOptions};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::error::OverlayError;
use crate::render::LOCAL_SECRETS_FILE;

mod lock;
mod path;

pub use lock::{WriteLock, WORK_DIR};
pub use path::{NotAnOverlayPath, OverlayPath, OVERLAY_SUBDIRS};

/// The largest overlay or answers file read: 1 MiB.
///
/// The biggest rendered file is a few KiB and answers files are smaller still, so this
/// leaves ample room for hand edits; parsing YAML takes tens of times its size in memory,
/// so the limit also keeps a hostile file from taking gigabytes.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// How deep `check` may find directories in an overlay (the wizard writes one level).
const MAX_DEPTH: usize = 8;

/// An overlay directory: the root named on the command line (which may itself be a link,
/// the operator chose it) and everything below it (which may not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayDir {
    root: PathBuf,
}

impl OverlayDir {
    /// The overlay at `root`; touches nothing.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether the directory (or anything at its path) is there.
    pub fn exists(&self) -> bool {
        std::fs::symlink_metadata(&self.root).is_ok()
    }

    /// Where `rel` is on disk.
    pub fn path(&self, rel: &OverlayPath) -> PathBuf {
        rel.under(&self.root)
    }

    /// The bytes of `rel`, `None` when it (or its directory) is absent.
    ///
    /// Refuses a symlinked file or directory, anything but a regular file, and files above
    /// [`MAX_FILE_BYTES`]. The caller decides about UTF-8 (a file that is not text was not
    /// written by the wizard, so it counts as edited).
    pub fn read(&self, rel: &OverlayPath) -> Result<Option<Vec<u8>>, OverlayError> {
        if !self.ensure_real_subdir(rel)? {
            return Ok(None);
        }
        read_regular(&self.path(rel))
    }

    /// [`OverlayDir::read`] by name, for callers that hold a `&str` (`check`, `verify`):
    /// a name that is not an [`OverlayPath`] is refused as outside the overlay.
    pub fn read_name(&self, name: &str) -> Result<Option<Vec<u8>>, OverlayError> {
        let rel = OverlayPath::try_from(name).map_err(|_| OverlayError::Outside {
            file: self.root.clone(),
            key: name.to_string(),
        })?;
        self.read(&rel)
    }

    /// [`OverlayDir::read`] as UTF-8 text; a file that is not text is refused, and so is a
    /// YAML file nested too deep to parse ([`crate::manifest::depth`]).
    pub fn read_text(&self, rel: &OverlayPath) -> Result<Option<String>, OverlayError> {
        let path = self.path(rel);
        let Some(bytes) = self.read(rel)? else {
            return Ok(None);
        };
        let text =
            String::from_utf8(bytes).map_err(|_| OverlayError::NotText { path: path.clone() })?;
        ensure_shallow_yaml(&path, &text)?;
        Ok(Some(text))
    }

    /// Every file of the overlay the wizard could have written that is there (the local
    /// secrets excepted), as text. Other files are not read; a link, special file, huge or
    /// non-UTF-8 file under a wizard's name is refused.
    pub fn files(&self) -> Result<BTreeMap<OverlayPath, String>, OverlayError> {
        let mut names = Vec::new();
        for entry in read_dir(&self.root)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if OVERLAY_SUBDIRS.contains(&name.as_str()) {
                self.names_in(&name, &mut names)?;
            } else {
                names.push(name);
            }
        }
        self.read_all(names)
    }

    /// The files in the overlay's subdirectory `subdir` (one of the wizard's), as text,
    /// with the same refusals as [`OverlayDir::files`]; empty when it isn't there.
    pub fn files_in(&self, subdir: &str) -> Result<BTreeMap<OverlayPath, String>, OverlayError> {
        let mut names = Vec::new();
        if OVERLAY_SUBDIRS.contains(&subdir) {
            self.names_in(subdir, &mut names)?;
        }
        self.read_all(names)
    }

    /// Adds `subdir/<entry>` for each entry of the subdirectory, if it is a directory.
    fn names_in(&self, subdir: &str, names: &mut Vec<String>) -> Result<(), OverlayError> {
        let sub = self.root.join(subdir);
        if ensure_dir(&sub)? {
            for e in read_dir(&sub)? {
                names.push(format!("{subdir}/{}", e?.file_name().to_string_lossy()));
            }
        }
        Ok(())
    }

    /// The text of each of `names` that is an overlay path and there (not the local secrets).
    fn read_all(&self, names: Vec<String>) -> Result<BTreeMap<OverlayPath, String>, OverlayError> {
        let mut out = BTreeMap::new();
        for name in names {
            let Ok(rel) = OverlayPath::try_from(name) else {
                continue;
            };
            if rel.as_str() == LOCAL_SECRETS_FILE {
                continue;
            }
            if let Some(text) = self.read_text(&rel)? {
                out.insert(rel, text);
            }
        }
        Ok(out)
    }

    /// Checks the whole overlay (but `.git`) holds only directories and regular files
    /// within the size limit, a few levels deep, and no YAML file nested too deep to parse:
    /// what `check` needs before it walks and reads everything, so a link loop, a FIFO or
    /// `[[[[…` can't hang it.
    pub fn ensure_plain_tree(&self) -> Result<(), OverlayError> {
        ensure_plain_tree(&self.root, 0)
    }

    /// Whether the subdirectory holding `rel` (if any) is there, refusing one that is a
    /// link or not a directory.
    fn ensure_real_subdir(&self, rel: &OverlayPath) -> Result<bool, OverlayError> {
        match rel.subdir() {
            None => Ok(true),
            Some(sub) => ensure_dir(&self.root.join(sub)),
        }
    }
}

/// Whether `path` is a real directory: `false` when absent, refused when a link or a file.
fn ensure_dir(path: &Path) -> Result<bool, OverlayError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_at(path, e).into()),
        Ok(m) if m.file_type().is_symlink() => Err(OverlayError::Symlink { path: path.into() }),
        Ok(m) if m.is_dir() => Ok(true),
        Ok(_) => Err(OverlayError::NotADirectory { path: path.into() }),
    }
}

fn ensure_plain_tree(dir: &Path, depth: usize) -> Result<(), OverlayError> {
    if depth > MAX_DEPTH {
        return Err(OverlayError::TooDeep { path: dir.into() });
    }
    for entry in read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == ".git" {
            continue;
        }
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).map_err(|e| io_at(&path, e))?;
        if meta.is_dir() {
            ensure_plain_tree(&path, depth + 1)?;
        } else {
            ensure_regular(&path, &meta)?;
            if is_yaml(&path) {
                let bytes = read_regular(&path)?.unwrap_or_default();
                ensure_shallow_yaml(&path, &String::from_utf8_lossy(&bytes))?;
            }
        }
    }
    Ok(())
}

/// Whether `path` names a YAML file.
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Refuses the text of a YAML file (by its name) nested too deep to parse in reasonable
/// time, naming the file and the line (#11).
fn ensure_shallow_yaml(path: &Path, text: &str) -> Result<(), OverlayError> {
    if !is_yaml(path) {
        return Ok(());
    }
    crate::manifest::depth::ensure_shallow(text).map_err(|deep| OverlayError::Nested {
        path: path.into(),
        deep,
    })
}

/// Refuses a link, anything but a regular file, and a file above the size limit.
fn ensure_regular(path: &Path, meta: &Metadata) -> Result<(), OverlayError> {
    if meta.file_type().is_symlink() {
        Err(OverlayError::Symlink { path: path.into() })
    } else if !meta.is_file() {
        Err(OverlayError::NotAFile { path: path.into() })
    } else if meta.len() > MAX_FILE_BYTES {
        Err(OverlayError::TooBig {
            path: path.into(),
            limit: MAX_FILE_BYTES,
        })
    } else {
        Ok(())
    }
}

/// Opens `path` for reading without following a final symlink and without blocking on a
/// FIFO (on unix; elsewhere the link is refused before opening).
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(std::io::Error::other("a symbolic link"));
        }
    }
    opts.open(path)
}

/// The bytes of the regular file at `path` (its final component not followed if a link),
/// `None` when absent; refused when a link, not a regular file, or above the size limit.
pub fn read_regular(path: &Path) -> Result<Option<Vec<u8>>, OverlayError> {
    let file = match open_no_follow(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_refusal(path, e)),
    };
    let meta = file.metadata().map_err(|e| io_at(path, e))?;
    ensure_regular(path, &meta)?;
    read_limited(path, file).map(Some)
}

/// `e`, an error opening, replacing or removing the file at `path`, as the refusal of
/// what is there when that is not a regular file (O_NOFOLLOW fails with ELOOP on a link,
/// a directory with EISDIR, a socket fails to open at all: say which), else as I/O.
fn file_refusal(path: &Path, e: std::io::Error) -> OverlayError {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => match ensure_regular(path, &meta) {
            Err(refusal) => refusal,
            Ok(()) => io_at(path, e).into(),
        },
        Err(_) => io_at(path, e).into(),
    }
}

/// `e`, an error using the directory at `path`, as the refusal of what is there when that
/// is a link or not a directory, else as I/O.
fn dir_refusal(path: &Path, e: std::io::Error) -> OverlayError {
    match ensure_dir(path) {
        Err(refusal) => refusal,
        Ok(_) => io_at(path, e).into(),
    }
}

/// Reads at most [`MAX_FILE_BYTES`] from `source`, refusing anything longer.
fn read_limited(path: &Path, source: impl std::io::Read) -> Result<Vec<u8>, OverlayError> {
    let mut buf = Vec::new();
    source
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| io_at(path, e))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(OverlayError::TooBig {
            path: path.into(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(buf)
}

/// Reads an answers file named on the command line (or a saved draft): like an overlay
/// file, never through a final link, a FIFO or above the size limit; absent is an error.
pub fn read_answers_file(path: &Path) -> Result<String, OverlayError> {
    let bytes = read_regular(path)?
        .ok_or_else(|| io_at(path, std::io::Error::from(std::io::ErrorKind::NotFound)))?;
    String::from_utf8(bytes).map_err(|_| OverlayError::NotText { path: path.into() })
}

/// Reads answers from standard input, refusing more than the size limit.
pub fn read_answers_stdin() -> Result<String, OverlayError> {
    let name = Path::new("<stdin>");
    let bytes = read_limited(name, std::io::stdin().lock())?;
    String::from_utf8(bytes).map_err(|_| OverlayError::NotText { path: name.into() })
}

/// The entries of the directory `path`; an error names it, shown as [`shown`] does.
///
/// [`shown`]: crate::frontend::visible::shown
pub fn read_dir(path: &Path) -> std::io::Result<std::fs::ReadDir> {
    std::fs::read_dir(path).map_err(|e| io_at(path, e))
}

/// `e`, naming `path` (as `fs-err` does), with line breaks and controls in it shown.
fn io_at(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(
        e.kind(),
        format!("{}: {e}", crate::frontend::visible::shown(path)),
    )
}

#[cfg(test)]
mod tests;
