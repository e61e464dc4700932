//! The review both front ends show before writing: a summary of the answers, the findings
//! of the overlay checks, the files to write and what changes in an existing target.
use std::path::Path;

use similar::TextDiff;

use crate::catalog::Catalog;
use crate::check::{self, Severity};
use crate::output;
use crate::overlay_dir::{OverlayDir, OverlayPath};
use crate::render::{RenderedTree, Templates, ANSWERS_FILE};
use crate::wizard::{Step, Wizard};

/// What writing does to one file of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// New file.
    Create,
    /// Different contents.
    Modify,
    /// Already identical.
    Same,
}

impl Change {
    /// A word for it.
    pub fn word(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Modify => "change",
            Change::Same => "same",
        }
    }
}

/// Everything the review step shows.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// Per step: question and effective value (`(default)` marked).
    pub summary: Vec<(Step, Vec<(String, String)>)>,
    /// Problems that stop the write, with the answer to change.
    pub problems: Vec<String>,
    /// Warnings and findings of the overlay checks.
    pub findings: Vec<String>,
    /// The files to write and what happens to each.
    pub files: Vec<(String, Change)>,
    /// A unified diff against the existing target, when there is one.
    pub diff: Vec<String>,
    /// Why Enter can't write (e.g. hand-edited files in the target).
    pub blocked: Option<String>,
}

impl Review {
    /// The review of `wizard`'s answers against the target `out`.
    ///
    /// Reads the target to compare; writes only into a temporary directory, to run the
    /// overlay checks on the rendered files.
    pub fn of(wizard: &Wizard, templates: &Templates, out: &Path, force: bool) -> Self {
        let mut review = Review {
            summary: summary(wizard),
            ..Review::default()
        };
        for p in wizard.problems() {
            review.problems.push(p.problem.to_string());
        }
        for r in wizard
            .steps()
            .iter()
            .flat_map(|s| wizard.questions_of(*s))
            .filter_map(|q| wizard.rejected(q.id).map(|r| (q, r)))
        {
            review
                .problems
                .push(format!("`{}`: {}", r.0.path, r.1.message));
        }
        if !review.problems.is_empty() {
            review.blocked = Some(format!(
                "{} problem(s) in the answers; Enter goes to the first step to fix",
                review.problems.len()
            ));
            return review;
        }
        let tree = match crate::build(wizard.answers(), wizard.catalog(), templates) {
            Ok((plan, tree)) => {
                review
                    .findings
                    .extend(plan.warnings.iter().map(|w| format!("warning: {w}")));
                tree
            }
            Err(e) => {
                review.blocked = Some(e.to_string());
                return review;
            }
        };
        let findings = check_findings(&tree, wizard.catalog());
        // One truth (#13): what `check` calls an error is never written.
        if findings.iter().any(|f| f.starts_with("error:")) {
            review.blocked = Some(
                "`check` reports errors in the rendered overlay (listed above); nothing is written until the answers they name are fixed".into(),
            );
        }
        review.findings.extend(findings);
        let target = OverlayDir::new(out);
        for (path, contents) in &tree.files {
            // A file that is not text reads as changed; links, FIFOs and the like block
            // the write (below), so they are never read here.
            let old = OverlayPath::try_from(path.as_str())
                .ok()
                .and_then(|rel| target.read(&rel).ok().flatten())
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            let change = match &old {
                None => Change::Create,
                Some(o) if o == contents => Change::Same,
                Some(_) => Change::Modify,
            };
            if let (Change::Modify, Some(old)) = (change, &old) {
                // The answers file changes with every digest; its diff is noise.
                if path != ANSWERS_FILE {
                    let diff = TextDiff::from_lines(old.as_str(), contents.as_str());
                    let text = diff
                        .unified_diff()
                        .context_radius(1)
                        .header(&format!("a/{path}"), &format!("b/{path}"))
                        .to_string();
                    review.diff.extend(text.lines().map(str::to_string));
                }
            }
            review.files.push((path.clone(), change));
        }
        if let Err(e) = output::ensure_writable(out, &tree, force) {
            review.blocked = Some(e.to_string());
        }
        review
    }
}

fn summary(wizard: &Wizard) -> Vec<(Step, Vec<(String, String)>)> {
    wizard
        .steps()
        .iter()
        .filter(|s| **s != Step::Review)
        .map(|s| {
            let rows = wizard
                .questions_of(*s)
                .iter()
                .map(|q| {
                    let label = q
                        .choices()
                        .iter()
                        .find(|c| Some(&c.value) == q.value.as_ref())
                        .map(|c| c.label.clone());
                    let value = label
                        .or_else(|| q.value.clone())
                        .unwrap_or_else(|| "—".into());
                    let value = if q.is_default && q.value.is_some() {
                        format!("{value} (default)")
                    } else {
                        value
                    };
                    (q.prompt.clone(), value)
                })
                .collect();
            (*s, rows)
        })
        .collect()
}

/// Runs `caracal-wizard check` on the rendered files in a scratch directory.
fn check_findings(tree: &RenderedTree, catalog: &Catalog) -> Vec<String> {
    let Ok(scratch) = tempfile::tempdir() else {
        return Vec::new();
    };
    let dir = scratch.path().join("overlay");
    if output::write_tree(&dir, tree, false).is_err() {
        return Vec::new();
    }
    match check::check_dir(&dir, catalog) {
        Ok(findings) => findings
            .into_iter()
            .map(|f| {
                let sev = match f.severity {
                    Severity::Error => "error",
                    Severity::Note => "note",
                };
                match &f.answer {
                    Some(a) => format!("{sev}: {}: {} (answer `{a}`)", f.file, f.message),
                    None => format!("{sev}: {}: {}", f.file, f.message),
                }
            })
            .collect(),
        Err(e) => vec![format!("error: {e}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Answers;

    /// The review of the built-in example `name` with `sets` applied, against an empty target.
    fn review_of(name: &str, sets: &[&str]) -> Review {
        let text =
            serde_yaml::to_string(&Answers::builtin_example(name).expect("example")).expect("yaml");
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let answers = Answers::parse("test", &text, &sets).expect("parses");
        let wizard = Wizard::new(Catalog::builtin().expect("catalog"), answers);
        let target = tempfile::tempdir().expect("tempdir");
        let templates = Templates::builtin().expect("templates");
        Review::of(&wizard, &templates, &target.path().join("overlay"), false)
    }

    #[test]
    fn the_review_refuses_what_check_would_reject_naming_the_answer() {
        let r = review_of(
            "eks-production",
            &["egress.providerApis=[]", "egress.identityProvider=[]"],
        );
        assert!(r.blocked.is_some(), "{r:?}");
        assert!(
            r.problems
                .iter()
                .any(|p| p.starts_with("`egress.providerApis`: no HTTPS egress")),
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn a_review_the_writers_accept_has_no_check_errors() {
        let r = review_of("eks-production", &[]);
        assert_eq!(r.blocked, None, "{r:?}");
        assert!(
            r.findings.iter().all(|f| !f.starts_with("error:")),
            "{:?}",
            r.findings
        );
    }
}
