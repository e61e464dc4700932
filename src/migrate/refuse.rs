//! Refusing a migration whose merged overlay keeps a value the target profile forbids.
use super::{MigrateError, MigrationPlan};
use crate::catalog::Catalog;
use crate::error::{Problem, Problems};

impl MigrationPlan {
    /// Refuses a merged overlay that `check` would reject, e.g. a kept hand edit
    /// `networkPolicy.allowOpenHttps: true` in a regulated overlay, naming the key.
    pub fn ensure_allowed(&self, catalog: &Catalog) -> Result<(), MigrateError> {
        let Some(values) = self.files.get("values.yaml") else {
            return Ok(());
        };
        let forbidden = |problems: Vec<Problem>| MigrateError::Forbidden {
            profile: self.to_profile.clone(),
            problems: Problems(problems),
        };
        let plan = crate::plan::plan(&self.answers, catalog).map_err(|p| forbidden(p.0))?;
        let problems: Vec<Problem> = crate::check::values_errors(values, &plan)
            .into_iter()
            .map(|f| Problem::new(f.answer.unwrap_or(f.file), f.message))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(forbidden(problems))
        }
    }
}

/// Each problem on its own `  - ` line, without the "problems in the answers" heading: a
/// forbidden kept value is in a file, not in the answers.
pub(super) fn bullets(problems: &Problems) -> String {
    problems.0.iter().map(|p| format!("\n  - {p}")).collect()
}
