//! The live preview's contents: the overlay of the current answers, rebuilt only when they
//! change, with the lines the last answer changed marked.
use similar::{ChangeTag, TextDiff};

use crate::answers::Answers;
use crate::render::{RenderedTree, Templates};
use crate::wizard::answers as paths;
use crate::wizard::Wizard;

/// One file of the live preview, with the lines the last answer changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewFile {
    /// Path in the overlay.
    pub path: String,
    /// Its lines.
    pub lines: Vec<String>,
    /// Per line: changed by the last answer.
    pub changed: Vec<bool>,
}

impl PreviewFile {
    /// Whether the last answer changed this file.
    pub fn has_changes(&self) -> bool {
        self.changed.iter().any(|c| *c)
    }
}

/// The live preview: the overlay of the answers, rebuilt only when they change.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// The wizard revision it was built for.
    pub revision: u64,
    /// Files, most interesting first.
    pub files: Vec<PreviewFile>,
    /// Why the preview is not current (the answers have problems).
    pub note: Option<String>,
}

impl Preview {
    pub(super) fn rebuild(&mut self, wizard: &Wizard, templates: &Templates) {
        self.revision = wizard.revision();
        let answers = wizard.answers();
        let (answers, stand_ins) = match with_stand_ins(answers, wizard) {
            Some((a, n)) => (a, n),
            None => (answers.clone(), 0),
        };
        match crate::build(&answers, wizard.catalog(), templates) {
            Ok((_, tree)) => {
                self.files = files_of(&tree, &self.files);
                self.note = (stand_ins > 0).then(|| {
                    format!("{stand_ins} unanswered value(s) shown from the built-in example")
                });
            }
            Err(crate::BuildError::Invalid(p)) => {
                let n = p.0.len();
                self.note = Some(if self.files.is_empty() {
                    format!("The preview appears once cloud and profile are chosen ({n} to go).")
                } else {
                    format!("Showing the last valid answers: {n} problem(s) to fix.")
                });
                for f in &mut self.files {
                    f.changed.iter_mut().for_each(|c| *c = false);
                }
            }
            Err(e) => self.note = Some(e.to_string()),
        }
    }
}

/// The answers with values from the built-in example of the same cloud standing in for
/// required answers not given yet, so a first-time user sees the overlay take shape from the
/// first step. Only unanswered keys are filled; the user's own answers, valid or not, stay.
fn with_stand_ins(answers: &Answers, wizard: &Wizard) -> Option<(Answers, usize)> {
    let catalog = wizard.catalog();
    crate::validate::check(answers, catalog).err()?;
    catalog.cloud(&answers.cloud)?;
    catalog.profile(&answers.profile)?;
    let example = Answers::builtin_examples()
        .map(|(_, e)| e)
        .filter(|e| e.cloud == answers.cloud)
        .max_by_key(|e| e.profile == answers.profile)?;
    let mut filled = answers.clone();
    let mut count = 0;
    // Each round may reveal the next required key (e.g. the TLS value once endpoints exist).
    for _ in 0..4 {
        let Err(problems) = crate::validate::check(&filled, catalog) else {
            return Some((filled, count));
        };
        let mut progress = false;
        for p in problems.0 {
            let path = p.path.split('[').next().unwrap_or(&p.path);
            if paths::get(answers, path).is_some() {
                continue;
            }
            if let Some(v) = paths::get(&example, path) {
                if paths::set_value(&mut filled, path, v).is_ok() {
                    count += 1;
                    progress = true;
                }
            }
        }
        if !progress {
            break;
        }
    }
    crate::validate::check(&filled, catalog)
        .ok()
        .map(|_| (filled, count))
}

/// Order of the preview tabs: what an operator reads first.
fn rank(path: &str) -> (u8, &str) {
    let r = match path {
        "values.yaml" => 0,
        "external-secrets/external-secret.yaml" => 1,
        "external-secrets/cluster-secret-store.yaml" => 2,
        "README.md" => 3,
        _ => 4,
    };
    (r, path)
}

fn files_of(tree: &RenderedTree, old: &[PreviewFile]) -> Vec<PreviewFile> {
    let mut paths: Vec<&String> = tree.files.keys().collect();
    paths.sort_by_key(|p| rank(p));
    paths
        .into_iter()
        .map(|path| {
            let contents = &tree.files[path];
            let lines: Vec<String> = contents.lines().map(str::to_string).collect();
            let changed = match old.iter().find(|f| &f.path == path) {
                // The first preview marks nothing: no answer changed it yet.
                None if old.is_empty() => vec![false; lines.len()],
                None => vec![true; lines.len()],
                Some(prev) => {
                    let before = prev.lines.join("\n");
                    let after = lines.join("\n");
                    let diff = TextDiff::from_lines(&before, &after);
                    let mut marks = Vec::with_capacity(lines.len());
                    for change in diff.iter_all_changes() {
                        match change.tag() {
                            ChangeTag::Insert => marks.push(true),
                            ChangeTag::Equal => marks.push(false),
                            ChangeTag::Delete => {}
                        }
                    }
                    marks.resize(lines.len(), false);
                    marks
                }
            };
            PreviewFile {
                path: path.clone(),
                lines,
                changed,
            }
        })
        .collect()
}
