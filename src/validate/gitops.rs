//! Rules for GitOps: the controller, the repository the overlay is committed to and
//! where the chart is read from.
use super::validator::Validator;
use crate::answers::{GitOps, GitSource};

impl Validator<'_> {
    /// With `gitops`, both repositories are well-formed; without it, they are ignored.
    pub(super) fn gitops(&mut self) {
        let Some(tool) = self.a.gitops else {
            self.unused_git_repos();
            return;
        };
        if self.profile.evaluation {
            self.err("gitops", format!("a GitOps controller reads everything from Git, but an evaluation's secrets stay in the git-ignored secrets.local.yaml; remove `gitops` or use the production profile (tool: {})", tool.key()));
        }
        let repo = self.a.gitops_repo.clone().unwrap_or_default();
        self.gitops_repo(tool, &repo);
        let chart = self.a.chart_repo.clone().unwrap_or_default();
        if let Some(u) = &chart.url {
            self.git_url("chartRepo.url", u);
        }
        if let Some(p) = &chart.path {
            self.git_path("chartRepo.path", p);
        }
        for (key, rev) in [
            ("gitopsRepo.revision", &repo.revision),
            ("chartRepo.revision", &chart.revision),
        ] {
            if let Some(r) = rev {
                self.git_revision(key, r);
            }
        }
    }

    /// Warns that `gitopsRepo` and `chartRepo` do nothing without `gitops`.
    fn unused_git_repos(&mut self) {
        for (key, set) in [
            ("gitopsRepo", self.a.gitops_repo.is_some()),
            ("chartRepo", self.a.chart_repo.is_some()),
        ] {
            if set {
                self.warn(
                    key,
                    "only used with `gitops: argocd` or `gitops: flux`; ignored",
                );
            }
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

    /// Records a problem unless `url` is an https, http or ssh Git URL.
    fn git_url(&mut self, path: &str, url: &str) {
        let scp_like = url.starts_with("git@") && url.contains(':');
        let ok = (url.starts_with("https://")
            || url.starts_with("ssh://")
            || url.starts_with("http://")
            || scp_like)
            && !url.contains(|c: char| c.is_whitespace() || c.is_control())
            && url.len() > 8;
        if !ok {
            self.err(path, format!("`{url}` is not a Git repository URL; give `https://host/org/repo.git` or `ssh://git@host/org/repo.git`"));
        }
    }

    /// Records a problem unless `p` is a plain relative directory inside a repository.
    fn git_path(&mut self, key: &str, p: &str) {
        let ok = !p.is_empty()
            && !p.starts_with('/')
            && p.split('/').all(|seg| !seg.is_empty() && seg != "..")
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b));
        if !ok {
            self.err(key, format!("`{p}` is not a directory inside the repository; give a relative path such as `clusters/prod/caracal` (letters, digits, `.`, `_`, `-`, `/`; no `..`)"));
        }
    }

    /// Records a problem unless `r` can name a Git branch, tag or commit.
    fn git_revision(&mut self, key: &str, r: &str) {
        if r.is_empty()
            || r.contains(|c: char| {
                c.is_whitespace() || c.is_control() || c == '~' || c == '^' || c == ':'
            })
        {
            self.err(key, format!("`{r}` is not a Git branch, tag or commit"));
        }
    }
}
