//! Asking Git (when it is installed) whether it tracks a file: `.gitignore` only keeps
//! untracked files out of `git add .`, so a file already tracked is committed again with
//! whatever is written into it.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Git may take to answer before it is taken as not there.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Whether Git tracks the file `name` in the directory `dir` (which need not exist yet:
/// a deleted directory's files may still be in the index). `false` when `git` is not on
/// `PATH`, `dir` is not inside a work tree, or Git fails or doesn't answer in time:
/// nothing to refuse then.
pub fn is_tracked(dir: &Path, name: &str) -> bool {
    let Some((existing, rel)) = nearest_existing(dir, name) else {
        return false;
    };
    let mut cmd = Command::new("git");
    // `-C` takes the next argument as its value, and `--` ends the options: no user data
    // is read as an option. Literal pathspecs: a `*` or `:(` in a directory name is text.
    cmd.arg("-C")
        .arg(&existing)
        .args([
            "-c",
            "core.fsmonitor=false",
            "ls-files",
            "--error-unmatch",
            "--",
        ])
        .arg(&rel)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let Ok(mut child) = cmd.spawn() else {
        return false;
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if start.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// The nearest directory of `dir` (itself or an ancestor) that exists, and `name` relative
/// to it.
fn nearest_existing(dir: &Path, name: &str) -> Option<(PathBuf, PathBuf)> {
    let mut rel = PathBuf::from(name);
    let mut at = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    loop {
        if std::fs::metadata(at).is_ok_and(|m| m.is_dir()) {
            return Some((at.to_path_buf(), rel));
        }
        let file = at.file_name()?;
        rel = Path::new(file).join(rel);
        at = match at.parent() {
            Some(p) if p.as_os_str().is_empty() => Path::new("."),
            Some(p) => p,
            None => return None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_existing_directory_carries_the_rest_of_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        let (at, rel) = nearest_existing(&tmp.path().join("a/b"), "s.yaml").unwrap();
        assert_eq!(at, tmp.path());
        assert_eq!(rel, Path::new("a/b/s.yaml"));
        let (at, rel) = nearest_existing(tmp.path(), "s.yaml").unwrap();
        assert_eq!(
            (at.as_path(), rel.as_path()),
            (tmp.path(), Path::new("s.yaml"))
        );
    }

    #[test]
    fn outside_a_work_tree_nothing_is_tracked() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("s.yaml"), "x").unwrap();
        assert!(!is_tracked(tmp.path(), "s.yaml"));
    }
}
