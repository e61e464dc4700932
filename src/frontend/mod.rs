//! The two front ends of the wizard and what they share: drafts and the review.
//!
//! Both drive [`crate::wizard::Wizard`]; neither defines a question. Each returns the finished
//! answers, or `None` when the user cancelled; the caller writes the overlay.
pub mod draft;
pub mod prompt;
pub mod review;
pub mod signals;
pub mod tui;
pub mod visible;

use std::path::PathBuf;

use crate::answers::Answers;

/// What a front end needs besides the wizard.
#[derive(Debug, Clone)]
pub struct Session {
    /// Where the overlay will be written.
    pub out: PathBuf,
    /// Overwrite hand-edited files.
    pub force: bool,
    /// Where drafts live; `None` disables drafts (demo mode).
    pub drafts: Option<PathBuf>,
}

/// How a front end ended.
pub type Finished = Option<Answers>;
