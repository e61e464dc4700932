//! `WriteLock`: one writer per overlay, staging its files inside the overlay where Git
//! never sees them, then replacing them one atomic rename at a time.
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{dir_refusal, ensure_dir, file_refusal, io_at, OverlayDir, OverlayPath};
use crate::error::OverlayError;

/// The work directory inside an overlay: the lock and the staged files of a write.
///
/// It sits inside the overlay (not beside it, where `git add .` in the parent repository
/// would take a killed run's staged `secrets.local.yaml`) and holds its own `.gitignore`
/// of `*`, so Git ignores it and everything in it. It is removed when the write ends; a
/// killed run's is cleared by the next one.
pub const WORK_DIR: &str = ".caracal-wizard-work";

const LOCK_FILE: &str = "lock";
const STAGE_DIR: &str = "stage";

/// The exclusive right to write one overlay, and the place its files are staged.
///
/// Dropping it removes the work directory, then releases the lock.
#[derive(Debug)]
pub struct WriteLock {
    root: PathBuf,
    work: PathBuf,
    stage: PathBuf,
    // Held open for the lock; released when dropped, after the work directory is gone.
    _file: File,
}

impl OverlayDir {
    /// Creates the directory if needed and takes its write lock; a second writer is
    /// refused with [`OverlayError::Busy`]. Stale staged files of a killed run go.
    pub fn lock(&self) -> Result<WriteLock, OverlayError> {
        ensure_creatable(&self.root)?;
        // The root may be a link (the operator chose it): its target must be a directory.
        let is_dir = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.is_dir());
        if let Err(e) = std::fs::create_dir_all(&self.root) {
            if !is_dir(&self.root) {
                return Err(if std::fs::metadata(&self.root).is_ok() {
                    // `/dev/null`, a regular file, …
                    OverlayError::NotADirectory {
                        path: self.root.clone(),
                    }
                } else {
                    unwritable(&self.root, e)
                });
            }
        }
        if !is_dir(&self.root) {
            return Err(OverlayError::NotADirectory {
                path: self.root.clone(),
            });
        }
        let work = self.root.join(WORK_DIR);
        if !ensure_dir(&work)? {
            match std::fs::create_dir(&work) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    // `/proc/self`, `/sys/kernel`, a read-only directory: not an overlay's.
                    return Err(unwritable(&work, e));
                }
                _ => {}
            }
        }
        ensure_dir(&work)?;
        // `None`: a run that just finished removed the work directory between our create
        // and open; it was writing a moment ago, so this one is the second writer.
        let Some(file) = open_lock(&work.join(LOCK_FILE))? else {
            return Err(self.busy());
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(self.busy()),
            Err(std::fs::TryLockError::Error(e)) => return Err(io_at(&work, e).into()),
        }
        // A run that just finished removed the lock file we opened: ours locks nothing.
        if !is_same_file(&file, &work.join(LOCK_FILE)) {
            return Err(self.busy());
        }
        ignore_all(&work)?;
        let stage = work.join(STAGE_DIR);
        if std::fs::symlink_metadata(&stage).is_ok() {
            // Left by a killed run; remove_dir_all does not follow links.
            std::fs::remove_dir_all(&stage).map_err(|e| dir_refusal(&stage, e))?;
        }
        std::fs::create_dir(&stage).map_err(|e| dir_refusal(&stage, e))?;
        Ok(WriteLock {
            root: self.root.clone(),
            work,
            stage,
            _file: file,
        })
    }

    fn busy(&self) -> OverlayError {
        OverlayError::Busy {
            dir: self.root.clone(),
        }
    }
}

impl WriteLock {
    /// Stages `contents` for `rel` (mode 0600 when `private`).
    pub fn stage(
        &self,
        rel: &OverlayPath,
        contents: &[u8],
        private: bool,
    ) -> Result<(), OverlayError> {
        let path = rel.under(&self.stage);
        if let Some(sub) = rel.subdir() {
            let dir = self.stage.join(sub);
            if !ensure_dir(&dir)? {
                std::fs::create_dir(&dir).map_err(|e| io_at(&dir, e))?;
            }
        }
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(if private { 0o600 } else { 0o644 });
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = opts.open(&path).map_err(|e| io_at(&path, e))?;
        f.write_all(contents).map_err(|e| io_at(&path, e))?;
        f.sync_all().map_err(|e| io_at(&path, e))?;
        Ok(())
    }

    /// Moves the staged `rel` into the overlay in one rename, creating its subdirectory
    /// (refused if that is a link or a file).
    pub fn replace(&self, rel: &OverlayPath) -> Result<(), OverlayError> {
        if let Some(sub) = rel.subdir() {
            let dir = self.root.join(sub);
            if !ensure_dir(&dir)? {
                std::fs::create_dir(&dir).map_err(|e| io_at(&dir, e))?;
            }
        }
        let to = rel.under(&self.root);
        std::fs::rename(rel.under(&self.stage), &to).map_err(|e| io_at(&to, e))?;
        Ok(())
    }

    /// Removes `rel` from the overlay, and its subdirectory once empty.
    pub fn remove(&self, rel: &OverlayPath) -> Result<(), OverlayError> {
        if let Some(sub) = rel.subdir() {
            if !ensure_dir(&self.root.join(sub))? {
                return Ok(());
            }
        }
        let path = rel.under(&self.root);
        std::fs::remove_file(&path).map_err(|e| io_at(&path, e))?;
        if let Some(sub) = rel.subdir() {
            // Only succeeds when empty: files the operator added there keep it.
            let _ = std::fs::remove_dir(self.root.join(sub));
        }
        Ok(())
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Still locked here: nobody else can be using the work directory.
        let _ = std::fs::remove_dir_all(&self.work);
    }
}

/// Refuses a `--out` below a regular file (`file.txt/overlay`) by naming the file.
fn ensure_creatable(root: &Path) -> Result<(), OverlayError> {
    for dir in root.ancestors().skip(1) {
        if dir.as_os_str().is_empty() {
            break;
        }
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => return Err(OverlayError::NotADirectory { path: dir.into() }),
            Err(_) => continue,
        }
    }
    Ok(())
}

/// `path` (the `--out` directory or the work directory in it) can't be created: bad input
/// when the place refuses new entries, I/O otherwise (a full disk, …).
fn unwritable(path: &Path, e: std::io::Error) -> OverlayError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound | K::PermissionDenied | K::ReadOnlyFilesystem | K::NotADirectory => {
            OverlayError::Unwritable {
                path: path.into(),
                reason: e.to_string(),
            }
        }
        _ => io_at(path, e).into(),
    }
}

/// Opens (creating) the lock file; `None` when its directory is gone.
fn open_lock(path: &Path) -> Result<Option<File>, OverlayError> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // A link (ELOOP, never followed), a directory (EISDIR), …: say which.
        Err(e) => return Err(file_refusal(path, e)),
    };
    let meta = file.metadata().map_err(|e| io_at(path, e))?;
    if !meta.is_file() {
        return Err(OverlayError::NotAFile { path: path.into() });
    }
    Ok(Some(file))
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_file: &File, path: &Path) -> bool {
    path.is_file()
}

/// Writes the work directory's `.gitignore` of `*` (replacing whatever is there).
fn ignore_all(work: &Path) -> Result<(), OverlayError> {
    let path = work.join(".gitignore");
    if std::fs::symlink_metadata(&path).is_ok() {
        // A link or FIFO goes (remove_file does not follow links); a directory is refused.
        std::fs::remove_file(&path).map_err(|e| file_refusal(&path, e))?;
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| io_at(&path, e))?;
    f.write_all(b"# caracal-wizard's work directory: never commit.\n*\n")
        .map_err(|e| io_at(&path, e))?;
    Ok(())
}
