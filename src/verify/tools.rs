//! Finding and running the external tools `check --chart` uses: helm and kubectl.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::VerifyError;

/// The external tools `check` can use.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    /// helm (`$HELM`, else `helm` on `PATH`).
    pub helm: Option<PathBuf>,
    /// kubectl (`$KUBECTL`, else `kubectl` on `PATH`).
    pub kubectl: Option<PathBuf>,
}

impl Tools {
    /// Finds helm and kubectl: an environment variable naming the binary wins over `PATH`.
    pub fn discover() -> Result<Self, VerifyError> {
        Ok(Tools {
            helm: find_tool("HELM", "helm")?,
            kubectl: find_tool("KUBECTL", "kubectl")?,
        })
    }
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs_err::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

fn find_tool(var: &'static str, name: &str) -> Result<Option<PathBuf>, VerifyError> {
    if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        if !is_executable(&p) {
            return Err(VerifyError::Tool {
                var,
                path: p.display().to_string(),
                reason: "not an executable file".into(),
            });
        }
        return Ok(Some(p));
    }
    let Some(path) = std::env::var_os("PATH") else {
        return Ok(None);
    };
    Ok(std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p)))
}

/// Runs `cmd`, the tool `var` names at `tool`; failing to start it is a [`VerifyError::Tool`].
pub(super) fn run(
    cmd: &mut Command,
    var: &'static str,
    tool: &Path,
) -> Result<Output, VerifyError> {
    cmd.output().map_err(|e| VerifyError::Tool {
        var,
        path: tool.display().to_string(),
        reason: e.to_string(),
    })
}

/// `kubectl kustomize DIR`.
pub(super) fn kustomize(kubectl: &Path, dir: &Path) -> Result<Output, VerifyError> {
    run(
        Command::new(kubectl).arg("kustomize").arg(dir),
        "KUBECTL",
        kubectl,
    )
}

/// `helm show WHAT CHART`.
pub(super) fn helm_show(helm: &Path, what: &str, chart: &Path) -> Result<Output, VerifyError> {
    run(
        Command::new(helm).args(["show", what]).arg(chart),
        "HELM",
        helm,
    )
}

/// The first `n` non-blank lines of a tool's output, on one line.
pub(super) fn first_lines(s: &str, n: usize) -> String {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `helm template RELEASE CHART -n NAMESPACE -f VALUES…`.
pub(super) fn helm_template(
    helm: &Path,
    release: &str,
    namespace: &str,
    chart: &Path,
    values: &[PathBuf],
) -> Result<Output, VerifyError> {
    let mut cmd = Command::new(helm);
    cmd.args(["template", release])
        .arg(chart)
        .args(["-n", namespace]);
    for v in values {
        cmd.arg("-f").arg(v);
    }
    run(&mut cmd, "HELM", helm)
}
