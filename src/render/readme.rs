//! README.md: the overlay's instructions, rendered from the view model `plan::docs` builds,
//! with the runbook's sections (`templates/runbook/`) rendered first and placed in it.
use serde::Serialize;

use super::{Overlay, Templates};
use crate::error::RenderError;
use crate::plan::docs::ReadmeModel;
use crate::plan::runbook::{runbook, Runbook};
use crate::plan::{docs, Plan};

/// The runbook sections, each its own template so README.md.tera stays a layout.
const SECTIONS: [&str; 5] = [
    "prerequisites",
    "identity",
    "diagram",
    "evaluation",
    "verify",
];

/// What the runbook templates see: the README's model plus the runbook's.
#[derive(Serialize)]
struct RunbookView<'a> {
    #[serde(flatten)]
    readme: &'a ReadmeModel<'a>,
    runbook: &'a Runbook,
}

/// README.md.tera's variables: the model and each rendered runbook section.
#[derive(Serialize)]
struct ReadmeView<'a> {
    #[serde(flatten)]
    readme: &'a ReadmeModel<'a>,
    runbook: &'a Runbook,
    section: std::collections::BTreeMap<&'static str, String>,
}

/// Adds README.md.
pub(super) fn readme(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let model = docs::docs(plan);
    let book = runbook(plan);
    let view = RunbookView {
        readme: &model,
        runbook: &book,
    };
    let mut section = std::collections::BTreeMap::new();
    for name in SECTIONS {
        let text = templates.render_model(&format!("runbook/{name}.md.tera"), &view)?;
        section.insert(name, text);
    }
    let view = ReadmeView {
        readme: &model,
        runbook: &book,
        section,
    };
    let text = templates.render_model("README.md.tera", &view)?;
    out.file("README.md", text);
    Ok(())
}
