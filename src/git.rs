//! Asking Git (when it is installed) whether it tracks a file: `.gitignore` only keeps
//! untracked files out of `git add .`, so a file already tracked is committed again with
//! whatever is written into it.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Git may take to answer before it is taken as not there.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What Git says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracking {
    /// Git tracks it: `.gitignore` doesn't keep it out of `git add .`.
    Tracked,
    /// Not tracked, not in a work tree, or no `git` on `PATH`.
    Untracked,
    /// In a work tree, but Git couldn't say (it refused the repository, say for "dubious
    /// ownership", or didn't answer in time): why, in Git's words.
    Unknown(String),
}

/// Whether Git tracks the file `name` in the directory `dir` (which need not exist yet:
/// a deleted directory's files may still be in the index). [`Tracking::Untracked`] when
/// `git` is not on `PATH` or `dir` is not inside a work tree; [`Tracking::Unknown`] when Git
/// fails otherwise or doesn't answer in time, so the caller can fail closed (attacker
/// round 3: a refused repository read as "not tracked").
pub fn tracking(dir: &Path, name: &str) -> Tracking {
    let Some((existing, rel)) = nearest_existing(dir, name) else {
        return Tracking::Untracked;
    };
    let mut cmd = Command::new("git");
    // `-C` takes the next argument as its value, and `--` ends the options: no user data
    // is read as an option. Literal pathspecs: a `*` or `:(` in a directory name is text.
    cmd.arg("-C")
        .arg(&existing)
        .args([
            "-c",
            "core.fsmonitor=false",
            // A bare repository committed into the overlay (`HEAD`, `config`, `objects/`,
            // `refs/`) would otherwise answer for the real one: Git then refuses, and that
            // fails closed.
            "-c",
            "safe.bareRepository=explicit",
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
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let Ok(mut child) = cmd.spawn() else {
        return Tracking::Untracked;
    };
    // Git's complaint is short; read it on its own thread so a chatty Git can't block.
    let stderr = child.stderr.take().map(|mut e| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(&mut e, 4096), &mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let said = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    let first = said
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    match status.and_then(|s| s.code()) {
        Some(0) => Tracking::Tracked,
        // `--error-unmatch`: the path is not in the index.
        Some(1) => Tracking::Untracked,
        Some(128) if first.contains("not a git repository") => Tracking::Untracked,
        None if status.is_none() => {
            Tracking::Unknown(format!("git didn't answer within {} s", TIMEOUT.as_secs()))
        }
        _ => Tracking::Unknown(if first.is_empty() {
            "git failed".to_string()
        } else {
            crate::frontend::visible::visible_line(first).into_owned()
        }),
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
        assert_eq!(tracking(tmp.path(), "s.yaml"), Tracking::Untracked);
    }
}
