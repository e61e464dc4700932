//! README.md: the overlay's instructions, rendered from the view model `plan::docs` builds.
use super::{Overlay, Templates};
use crate::error::RenderError;
use crate::plan::{docs, Plan};

/// Adds README.md.
pub(super) fn readme(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let text = templates.render_model("README.md.tera", &docs::docs(plan))?;
    out.file("README.md", text);
    Ok(())
}
