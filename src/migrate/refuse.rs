//! Refusing a migration whose merged overlay keeps a value the target profile forbids.
use super::{MigrateError, MigrationPlan};
use crate::catalog::Catalog;
use crate::error::{Problem, Problems};
use crate::render::LOCAL_SECRETS_FILE;

impl MigrationPlan {
    /// Refuses a merged overlay that `check` would reject, e.g. a kept hand edit
    /// `networkPolicy.allowOpenHttps: true` in a regulated overlay, naming the key.
    pub fn ensure_allowed(&self, catalog: &Catalog) -> Result<(), MigrateError> {
        let forbidden = |problems: Vec<Problem>| MigrateError::Forbidden {
            profile: self.to_profile.clone(),
            problems: Problems(problems),
        };
        let Some(values) = self.files.get("values.yaml") else {
            return match &self.kustomization_problem {
                Some(p) => Err(forbidden(vec![p.clone()])),
                None => Ok(()),
            };
        };
        let plan = crate::plan::plan(&self.answers, catalog).map_err(|p| forbidden(p.0))?;
        // The NetworkPolicies `kubectl apply -k .` applies: network/ and what else the
        // kustomization lists.
        let listed = self
            .files
            .get(crate::check::kustomization::FILE)
            .map(|t| crate::check::kustomization::read(t, false).files)
            .unwrap_or_default();
        let files = self
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("network/") || listed.iter().any(|l| l.as_str() == *p))
            .map(|(p, t)| (p.as_str(), t.as_str()));
        let mut problems: Vec<Problem> = crate::check::values_errors(values, &plan)
            .into_iter()
            .chain(crate::check::network_errors(files, &plan))
            // A kept hand edit in network/ is named by its file: the answer can't undo it.
            .map(|f| match f.file.starts_with("network/") {
                true => Problem::new(f.file, f.message),
                false => Problem::new(f.answer.unwrap_or(f.file), f.message),
            })
            .collect();
        problems.extend(self.kustomization_problems(&plan));
        problems.extend(self.local_secrets_exposed());
        problems.extend(self.kustomization_problem.clone());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(forbidden(problems))
        }
    }
}

impl MigrationPlan {
    /// A kept `kustomization.yaml` must not change what `kubectl apply -k .` applies where
    /// the target profile restricts egress (a patch opening every NetworkPolicy), nor reach
    /// outside the overlay in any profile (#11).
    fn kustomization_problems(&self, plan: &crate::plan::Plan) -> Vec<Problem> {
        use crate::check::kustomization::{read, FILE};
        let Some(text) = self.files.get(FILE).or_else(|| self.before.get(FILE)) else {
            return Vec::new();
        };
        read(text, !plan.profile.open_cidr)
            .findings
            .into_iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .map(|f| Problem::new(f.file, f.message))
            .collect()
    }

    /// The evaluation's `secrets.local.yaml` the writer creates must be git-ignored by the
    /// `.gitignore` the migration leaves (a kept hand edit may not ignore it).
    fn local_secrets_exposed(&self) -> Option<Problem> {
        if !self.needs_local_secrets {
            return None;
        }
        let gitignore = self
            .files
            .get(".gitignore")
            .or_else(|| self.before.get(".gitignore"))
            .map_or("", String::as_str);
        let verdict = crate::check::gitignore::verdict(gitignore, LOCAL_SECRETS_FILE);
        (!verdict.ignored).then(|| {
            Problem::new(
                ".gitignore",
                format!("the evaluation writes its temporary credentials to {LOCAL_SECRETS_FILE}, which this .gitignore (your edit, kept) doesn't ignore, so `git add .` would commit them: add a line `{LOCAL_SECRETS_FILE}` to .gitignore, or delete .gitignore to get the wizard's, then migrate again"),
            )
        })
    }
}

/// Each problem on its own `  - ` line, without the "problems in the answers" heading: a
/// forbidden kept value is in a file, not in the answers.
pub(super) fn bullets(problems: &Problems) -> String {
    problems.0.iter().map(|p| format!("\n  - {p}")).collect()
}
