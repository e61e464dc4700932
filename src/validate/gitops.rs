//! Rules for GitOps and the chart: the controller, the repository the overlay is committed
//! to, and the published chart every install pins (#5, #12).
use super::validator::Validator;
use crate::answers::{GitOps, GitSource};
use crate::format;

impl Validator<'_> {
    /// The chart is pinned; with `gitops`, the overlay's repository is well-formed (and a branch
    /// is warned about); without it, `gitopsRepo` is ignored.
    pub(super) fn gitops(&mut self) {
        self.chart();
        let Some(tool) = self.a.gitops else {
            self.unused_git_repos();
            return;
        };
        if self.profile.evaluation {
            self.err("gitops", format!("a GitOps controller reads everything from Git, but an evaluation's secrets stay in the git-ignored secrets.local.yaml; remove `gitops` or use the production profile (tool: {})", tool.key()));
        }
        let repo = self.a.gitops_repo.clone().unwrap_or_default();
        self.gitops_repo(tool, &repo);
        if let Some(r) = &repo.revision {
            self.git_revision("gitopsRepo.revision", r);
            // A warning, not an error: the first commit of an overlay often has no tag yet,
            // and `main` is the default. But the controller then applies every push to that
            // branch to production, so it is said every time until the revision is pinned.
            if !is_pinned_revision(r) {
                self.warn("gitopsRepo.revision", format!("`{r}` is a branch: the controller applies every commit pushed to it; pin a tag (`refs/tags/v1.0.0`) or a commit SHA for production"));
            }
        }
    }

    /// The chart: an OCI reference and an exact version; `chartRepo` is superseded.
    fn chart(&mut self) {
        let (reference, version) = (self.a.chart_ref(), self.a.chart_version());
        // A tag (`:1.0.0`) or digest after the host would fight `chart.version`; the
        // README's `helm` commands repeat the reference unquoted (#11).
        if let Err(e) = format::ensure_oci_ref(reference) {
            self.err("chart.ref", e);
        }
        if !is_exact_version(version) {
            self.err("chart.version", format!("`{version}` is not an exact chart version; give the product version without `v`, e.g. `1.0.0` (ranges and `latest` would move the install)"));
        }
        let old_url = self.a.chart_repo.as_ref().and_then(|c| c.url.clone());
        if old_url.as_deref().is_some_and(format::has_userinfo) {
            self.err("chartRepo.url", "carries a user name or password, which the answers file would keep; remove `chartRepo` (superseded by `chart`) or the credentials");
        }
        if self.a.chart_repo.is_some() {
            self.warn("chartRepo", "superseded by `chart` (the published OCI chart at a pinned version); ignored, remove it");
        }
    }

    /// Warns that `gitopsRepo` does nothing without `gitops`.
    fn unused_git_repos(&mut self) {
        // Ignored, but still kept in the answers file: no credential may ride along.
        if let Some(url) = self.a.gitops_repo.as_ref().and_then(|r| r.url.clone()) {
            if format::has_userinfo(&url) {
                self.git_url("gitopsRepo.url", &url);
            }
        }
        if self.a.gitops_repo.is_some() {
            self.warn(
                "gitopsRepo",
                "only used with `gitops: argocd` or `gitops: flux`; ignored",
            );
        }
    }

    /// The overlay's repository: Argo CD needs its URL, every tool its path.
    fn gitops_repo(&mut self, tool: GitOps, repo: &GitSource) {
        match &repo.url {
            Some(u) => self.git_url("gitopsRepo.url", u),
            None if tool == GitOps::Argocd => self.err("gitopsRepo.url", "required with `gitops: argocd`: the Git URL of the repository this overlay is committed to, e.g. `https://github.com/acme/fleet.git`"),
            None => {}
        }
        match &repo.path {
            Some(p) => self.git_path("gitopsRepo.path", p),
            None => self.err("gitopsRepo.path", "required with `gitops`: this overlay's directory inside its repository, e.g. `clusters/prod/caracal` (`new` fills it in when --out is inside a Git work tree)"),
        }
    }

    /// Records a problem unless `url` is an https, http or ssh Git URL without credentials.
    fn git_url(&mut self, path: &str, url: &str) {
        if let Err(e) = format::ensure_git_url(url) {
            self.err(path, e);
        }
    }

    /// Records a problem unless `p` is a plain relative directory inside a repository (no
    /// segment `..` or starting with `-`, which a command would read as an option).
    fn git_path(&mut self, key: &str, p: &str) {
        let ok = !p.is_empty()
            && !p.starts_with('/')
            && p.split('/')
                .all(|seg| !seg.is_empty() && seg != ".." && !seg.starts_with('-'))
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b));
        if !ok {
            self.err(key, format!("`{p}` is not a directory inside the repository; give a relative path such as `clusters/prod/caracal` (letters, digits, `.`, `_`, `-`, `/`; no `..`, no part starting with `-`)"));
        }
    }

    /// Records a problem unless `r` can name a Git branch, tag or commit.
    fn git_revision(&mut self, key: &str, r: &str) {
        if let Err(why) = ensure_ref_name(r) {
            self.err(key, format!("`{r}` is not a Git branch, tag or commit: {why}; give a branch (`main`), a tag (`refs/tags/v1.0.0`) or a 40-hex commit SHA"));
        }
    }
}

/// `git check-ref-format --allow-onelevel` for a revision (a 40-hex SHA passes too): what is
/// wrong with `r` if no ref can have that name. A name starting with `-` would be read as an
/// option (`--upload-pack=…`) by a Git command repeating it.
pub fn ensure_ref_name(r: &str) -> Result<(), String> {
    if r.is_empty() {
        return Err("it is empty".into());
    }
    if let Some(c) = r
        .chars()
        .find(|c| c.is_ascii_control() || c.is_whitespace() || "~^:?*[\\".contains(*c))
    {
        return Err(format!(
            "it contains {}",
            match c {
                ' ' => "a space".to_string(),
                c if c.is_control() || c.is_whitespace() => {
                    format!("the character {}", c.escape_unicode())
                }
                c => format!("`{c}`"),
            }
        ));
    }
    let rule = if r.starts_with('-') {
        "it starts with `-`, which Git reads as an option"
    } else if r == "@" {
        "`@` alone is not a name"
    } else if r.contains("..") {
        "it contains `..`"
    } else if r.contains("@{") {
        "it contains `@{`"
    } else if r.starts_with('/') || r.ends_with('/') || r.contains("//") {
        "it starts or ends with `/` or has an empty part (`//`)"
    } else if r.ends_with('.') {
        "it ends with `.`"
    } else if r
        .split('/')
        .any(|part| part.starts_with('.') || part.ends_with(".lock"))
    {
        "a part starts with `.` or ends with `.lock`"
    } else {
        return Ok(());
    };
    Err(rule.into())
}

/// Whether a Git revision names one commit for good: a 40-hex SHA or a tag reference.
pub fn is_pinned_revision(r: &str) -> bool {
    (r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit())) || r.starts_with("refs/tags/")
}

/// `1.0.0` or `1.0.0-rc.1`: three numbers, an optional pre-release, no `v`, no range.
pub fn is_exact_version(v: &str) -> bool {
    let (core, pre) = v.split_once('-').unwrap_or((v, ""));
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && pre
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !(v.contains('-') && pre.is_empty())
}

#[cfg(test)]
mod ref_tests {
    use super::ensure_ref_name;

    #[test]
    fn revisions_follow_git_check_ref_format() {
        for ok in [
            "main",
            "release/1.2",
            "refs/heads/main",
            "refs/tags/v1.0.0",
            "0123456789abcdef0123456789abcdef01234567",
            "feature-x_y.z",
            "v1.0@x",
        ] {
            assert_eq!(ensure_ref_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "--upload-pack=touch",
            "-x",
            "main..x",
            "a.lock",
            "refs/heads/a.lock/b",
            ".x",
            "a/.x",
            "x.",
            "/x",
            "x/",
            "a//b",
            "a@{1}",
            "@",
            "a b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[b",
            "a\\b",
            "a\u{7f}",
            "a\tb",
        ] {
            assert!(ensure_ref_name(bad).is_err(), "{bad:?} accepted");
        }
    }
}
