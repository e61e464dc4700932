//! `OverlayPath`: a relative path naming a file caracal-wizard itself writes in an overlay.
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::render::{ANSWERS_FILE, LOCAL_SECRETS_FILE};

/// The subdirectories the wizard writes into (the catalogs' manifest paths; a test checks
/// every rendered path parses).
pub const OVERLAY_SUBDIRS: [&str; 7] = [
    "certificates",
    "cloud",
    "external-secrets",
    "gitops",
    "ingress",
    "monitoring",
    "network",
];

/// A file of an overlay as the wizard names it: `values.yaml`, `external-secrets/x.yaml`.
///
/// Relative, normalised, one or two components, the directory one of [`OVERLAY_SUBDIRS`],
/// the file `.gitignore` or a plain `*.yaml`/`*.md`/`*.json` name: never `..`, absolute, empty
/// components, backslashes or NUL. The paths recorded in `caracal-wizard.yaml` are parsed
/// into this before anything is read or removed, so a hostile `digests` key can't reach
/// outside the overlay (#11).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OverlayPath(String);

/// A string that is not an [`OverlayPath`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a file caracal-wizard writes (a relative path like `values.yaml` or `external-secrets/external-secret.yaml`)")]
pub struct NotAnOverlayPath(pub String);

impl OverlayPath {
    /// The path as written in the answers file, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its subdirectory, if any (`external-secrets` for `external-secrets/x.yaml`).
    pub fn subdir(&self) -> Option<&str> {
        self.0.split_once('/').map(|(d, _)| d)
    }

    /// `root` joined with this path.
    pub fn under(&self, root: &Path) -> PathBuf {
        self.0.split('/').fold(root.to_path_buf(), |p, c| p.join(c))
    }

    /// Whether the wizard records a digest for this file: every file but the answers file
    /// itself and the evaluation's local secrets (random, never the wizard's to remove).
    pub fn is_recordable(&self) -> bool {
        self.0 != ANSWERS_FILE && self.0 != LOCAL_SECRETS_FILE
    }
}

/// A plain `*.yaml`/`*.md`/`*.json` (the IAM documents in `cloud/`) file name: letters, digits, `.`, `_`, `-`, not starting with `.`/`-`.
fn is_file_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && [".yaml", ".md", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

impl TryFrom<&str> for OverlayPath {
    type Error = NotAnOverlayPath;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        let parts: Vec<&str> = s.split('/').collect();
        let ok = match parts[..] {
            [file] => file == ".gitignore" || is_file_name(file),
            [dir, file] => OVERLAY_SUBDIRS.contains(&dir) && is_file_name(file),
            _ => false,
        };
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(NotAnOverlayPath(s.to_string()))
        }
    }
}

impl TryFrom<String> for OverlayPath {
    type Error = NotAnOverlayPath;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::try_from(s.as_str())
    }
}

impl FromStr for OverlayPath {
    type Err = NotAnOverlayPath;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s)
    }
}

impl fmt::Display for OverlayPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for OverlayPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_paths_are_the_files_the_wizard_writes() {
        for ok in [
            "values.yaml",
            ".gitignore",
            "README.md",
            "caracal-wizard.yaml",
            "secrets.local.yaml",
            "external-secrets/external-secret.yaml",
            "certificates/api.yaml",
            "gitops/application.yaml",
            "ingress/internal-ingress-controller.yaml",
        ] {
            assert_eq!(OverlayPath::try_from(ok).map(|p| p.0), Ok(ok.to_string()));
        }
    }

    #[test]
    fn overlay_paths_reject_anything_reaching_elsewhere() {
        for bad in [
            "",
            "/",
            "/etc/passwd",
            "../x.yaml",
            "..",
            ".",
            "./values.yaml",
            "external-secrets/../../x.yaml",
            "external-secrets//x.yaml",
            "external-secrets/",
            "values.yaml/",
            "a/b/c.yaml",
            "other/x.yaml",
            "..\\x.yaml",
            "x\\y.yaml",
            "x\0.yaml",
            "C:/x.yaml",
            ".bashrc",
            "id_rsa",
            "certificates/.gitignore.yaml",
            "-rf.yaml",
            "certificates/.gitignore",
        ] {
            assert!(OverlayPath::try_from(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_answers_file_and_local_secrets_are_never_recorded() {
        let p = |s: &str| OverlayPath::try_from(s).unwrap();
        assert!(!p(ANSWERS_FILE).is_recordable());
        assert!(!p(LOCAL_SECRETS_FILE).is_recordable());
        assert!(p("values.yaml").is_recordable());
        assert_eq!(
            p("gitops/application.yaml").under(Path::new("/o")),
            Path::new("/o/gitops/application.yaml")
        );
    }
}
