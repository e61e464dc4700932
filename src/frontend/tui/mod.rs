//! The full-screen front end: terminal setup and restore, the event loop (generic over the
//! ratatui backend, so tests draw into a `TestBackend`), and the screen state the core never sees.
pub mod events;
pub mod keys;
pub mod migrate;
pub mod preview;
pub mod view;

pub use self::preview::{Preview, PreviewFile};

use std::io;

use crossterm::event::Event;
use ratatui::backend::Backend;
use ratatui::Terminal;

use crate::render::Templates;
use crate::wizard::{Msg, Outcome, QuestionId, Step, Wizard};

use self::events::{EventSource, TerminalEvents};
use self::keys::{Input, KeyContext};
use super::draft::{self, Draft};
use super::review::Review;
use super::{Finished, Session};

/// Screen state the wizard never sees: focus, cursor, scroll, overlays.
#[derive(Debug, Clone, Default)]
pub struct TuiState {
    /// Index of the focused question in the step.
    pub focus: usize,
    /// The text being edited in the focused text field.
    pub edit: Option<Edit>,
    /// The preview has the focus (wide) or is shown instead of the questions (narrow).
    pub preview_open: bool,
    /// Selected preview file.
    pub file: usize,
    /// First preview line shown.
    pub scroll: usize,
    /// First review line shown.
    pub review_scroll: usize,
    /// The key help is open.
    pub help: bool,
    /// The "quit without writing?" question is open (Esc on the first step).
    pub quitting: bool,
    /// A draft is offered for resuming.
    pub resume: Option<Draft>,
    /// A one-line message under the questions (e.g. why Enter did not go on).
    pub status: Option<String>,
    /// The header's name of the command (`caracal-wizard` when unset).
    pub title: Option<String>,
    /// A screen comes before the first step (the migration's profile choice): Esc there goes
    /// back to it instead of asking to quit.
    pub screen_before: bool,
    /// The step the state was made for.
    step: Option<Step>,
}

/// A text field being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The question.
    pub id: QuestionId,
    /// What is typed.
    pub text: String,
    /// Cursor position, in characters.
    pub cursor: usize,
}

/// The full-screen front end: the wizard plus screen state and caches.
pub struct Tui {
    /// The state machine.
    pub wizard: Wizard,
    /// Screen state.
    pub ui: TuiState,
    /// Live preview.
    pub preview: Preview,
    /// The review, once on the review step (with the revision it was made for).
    pub review: Option<(u64, Review)>,
    /// Target and drafts.
    pub session: Session,
    templates: Templates,
}

impl Tui {
    /// A front end for `wizard`; `resume` offers a saved draft first.
    pub fn new(
        wizard: Wizard,
        session: Session,
        templates: Templates,
        resume: Option<Draft>,
    ) -> Self {
        let mut tui = Self {
            wizard,
            ui: TuiState {
                resume,
                ..TuiState::default()
            },
            preview: Preview::default(),
            review: None,
            session,
            templates,
        };
        tui.sync();
        tui
    }

    /// Brings caches and screen state up to date with the wizard.
    fn sync(&mut self) {
        let step = self.wizard.step();
        if self.ui.step != Some(step) {
            if self.ui.step.is_some() {
                self.save_draft();
            }
            self.ui.step = Some(step);
            self.ui.focus = 0;
            self.ui.edit = None;
            self.ui.review_scroll = 0;
        }
        if self.preview.revision != self.wizard.revision() {
            self.preview.rebuild(&self.wizard, &self.templates);
            self.scroll_to_change();
        }
        if step == Step::Review {
            let rev = self.wizard.revision();
            if self.review.as_ref().is_none_or(|(r, _)| *r != rev) {
                let review = Review::of(
                    &self.wizard,
                    &self.templates,
                    &self.session.out,
                    self.session.force,
                );
                self.review = Some((rev, review));
            }
        }
        // The focus follows the question being edited when an answer adds questions above it.
        let editing = self.ui.edit.as_ref().map(|e| e.id);
        if let Some(j) =
            editing.and_then(|id| self.wizard.questions().iter().position(|q| q.id == id))
        {
            self.ui.focus = j;
        }
        let n = self.wizard.questions().len();
        self.ui.focus = self.ui.focus.min(n.saturating_sub(1));
        let focused = self.focused().map(|q| {
            // A default is shown as a placeholder: typing replaces it, empty keeps it.
            let own = (!q.is_default).then(|| q.value.clone()).flatten();
            (q.id, q.is_choice(), own)
        });
        match focused {
            Some((id, false, own)) if self.ui.edit.as_ref().is_none_or(|e| e.id != id) => {
                let text = self
                    .wizard
                    .rejected(id)
                    .map(|r| r.text.clone())
                    .or(own)
                    .unwrap_or_default();
                let cursor = text.chars().count();
                self.ui.edit = Some(Edit { id, text, cursor });
            }
            Some((_, false, _)) => {}
            _ => self.ui.edit = None,
        }
        self.ui.file = self.ui.file.min(self.preview.files.len().saturating_sub(1));
    }

    /// Scrolls the preview to the first line the last answer changed (in the shown file,
    /// or else in the first file that changed).
    fn scroll_to_change(&mut self) {
        let current = self
            .preview
            .files
            .get(self.ui.file)
            .filter(|f| f.has_changes());
        let (index, file) = match current {
            Some(f) => (self.ui.file, f),
            None => match self
                .preview
                .files
                .iter()
                .enumerate()
                .find(|(_, f)| f.has_changes())
            {
                Some(x) => x,
                None => return,
            },
        };
        if let Some(first) = file.changed.iter().position(|c| *c) {
            self.ui.file = index;
            self.ui.scroll = first.saturating_sub(3);
        }
    }

    fn save_draft(&self) {
        if let Some(dir) = &self.session.drafts {
            // A draft is a convenience: failing to save one must not stop the wizard.
            let _ = draft::save(dir, &Draft::of(&self.wizard));
        }
    }

    /// The focused question.
    pub fn focused(&self) -> Option<&crate::wizard::Question> {
        self.wizard.questions().get(self.ui.focus).copied()
    }

    /// What the key translator needs to know.
    pub fn key_context(&self) -> KeyContext {
        let qs = self.wizard.questions();
        KeyContext {
            help: self.ui.help,
            resume: self.ui.resume.is_some(),
            preview: self.ui.preview_open,
            text: self.focused().is_some_and(|q| !q.is_choice()),
            review: self.wizard.step() == Step::Review,
            single_choice: qs.len() == 1 && qs[0].is_choice(),
            first: self.wizard.position().0 <= 1 && !self.ui.screen_before,
            quitting: self.ui.quitting,
        }
    }

    /// Handles one input; returns the outcome when the run is over.
    pub fn handle(&mut self, input: Input) -> Option<Outcome> {
        if !matches!(input, Input::Scroll(_) | Input::File(_)) {
            self.ui.status = None;
        }
        let outcome = match input {
            Input::Wizard(Msg::Next) if self.wizard.step() == Step::Review => {
                let blocked = self
                    .review
                    .as_ref()
                    .and_then(|(_, r)| r.blocked.clone().filter(|_| r.problems.is_empty()));
                match blocked {
                    Some(why) => {
                        self.ui.status = Some(format!("can't write: {why}"));
                        None
                    }
                    None => self.wizard.update(Msg::Next),
                }
            }
            Input::Wizard(Msg::Cancel) => {
                // Keep what was answered so far: the next start offers to resume here.
                self.save_draft();
                self.wizard.update(Msg::Cancel)
            }
            Input::Wizard(msg) => {
                let before = self.wizard.step();
                let next = msg == Msg::Next;
                let out = self.wizard.update(msg);
                if next && self.wizard.step() == before {
                    self.ui.status =
                        Some("Fix the marked answers to go on (PgUp goes back).".into());
                    self.focus_first_problem();
                }
                out
            }
            Input::Field(d) => {
                // The typed text is in the answers already; the next field gets its own edit.
                self.ui.edit = None;
                let n = self.wizard.questions().len();
                self.ui.focus = self
                    .ui
                    .focus
                    .saturating_add_signed(d)
                    .min(n.saturating_sub(1));
                None
            }
            Input::Choose(d) => {
                self.choose(d);
                None
            }
            Input::Type(_)
            | Input::Paste(_)
            | Input::Erase
            | Input::EraseForward
            | Input::EraseAll
            | Input::Cursor(_)
            | Input::CursorEdge(_) => {
                self.edit(&input);
                None
            }
            Input::TogglePreview => {
                self.ui.preview_open = !self.ui.preview_open;
                None
            }
            Input::File(d) => {
                let n = self.preview.files.len();
                self.ui.file = self
                    .ui
                    .file
                    .saturating_add_signed(d)
                    .min(n.saturating_sub(1));
                self.ui.scroll = 0;
                None
            }
            Input::Scroll(d) => {
                let target = if self.ui.preview_open || self.wizard.step() != Step::Review {
                    &mut self.ui.scroll
                } else {
                    &mut self.ui.review_scroll
                };
                *target = target.saturating_add_signed(d);
                None
            }
            Input::Help => {
                self.ui.help = true;
                None
            }
            Input::CloseHelp => {
                self.ui.help = false;
                None
            }
            Input::AskQuit => {
                self.ui.quitting = true;
                None
            }
            Input::ConfirmQuit(yes) => {
                self.ui.quitting = false;
                if yes {
                    self.save_draft();
                    self.wizard.update(Msg::Cancel)
                } else {
                    None
                }
            }
            Input::Resume(yes) => {
                if let Some(d) = self.ui.resume.take() {
                    if yes {
                        let catalog = self.wizard.catalog().clone();
                        self.wizard = Wizard::resume(catalog, d.answers.clone(), d.step());
                        self.preview = Preview::default();
                        self.ui.step = None;
                    }
                }
                None
            }
        };
        if outcome.is_none() {
            self.sync();
        }
        outcome
    }

    /// Puts the cursor on the first answer of the step that needs fixing.
    pub fn focus_first_problem(&mut self) {
        if let Some(i) = self
            .wizard
            .questions()
            .iter()
            .position(|q| !self.wizard.problems_for(q.id).is_empty())
        {
            self.ui.focus = i;
            self.ui.edit = None;
            self.sync();
        }
    }

    fn choose(&mut self, d: isize) {
        let Some(q) = self.focused() else { return };
        let choices = q.choices();
        let enabled: Vec<usize> = (0..choices.len())
            .filter(|i| choices[*i].disabled.is_none())
            .collect();
        // An unset answer is the choice whose value is empty ("none"), if there is one.
        let current = choices
            .iter()
            .position(|c| c.value == q.value.as_deref().unwrap_or(""));
        let pick = match current.and_then(|c| enabled.iter().position(|i| *i == c)) {
            Some(pos) => enabled.get(
                pos.saturating_add_signed(d)
                    .min(enabled.len().saturating_sub(1)),
            ),
            None if d < 0 => enabled.last(),
            None => enabled.first(),
        };
        if let Some(i) = pick {
            let msg = Msg::Answer(q.id, choices[*i].value.clone());
            self.wizard.update(msg);
        }
    }

    fn edit(&mut self, input: &Input) {
        let Some(e) = self.ui.edit.as_mut() else {
            return;
        };
        let mut chars: Vec<char> = e.text.chars().collect();
        let before = chars.clone();
        match input {
            Input::Type(c) => {
                chars.insert(e.cursor.min(chars.len()), *c);
                e.cursor += 1;
            }
            Input::Paste(text) => {
                let at = e.cursor.min(chars.len());
                let pasted: Vec<char> = events::paste_text(text).chars().collect();
                e.cursor = at + pasted.len();
                chars.splice(at..at, pasted);
            }
            Input::Erase if e.cursor > 0 => {
                e.cursor -= 1;
                chars.remove(e.cursor);
            }
            Input::EraseForward if e.cursor < chars.len() => {
                chars.remove(e.cursor);
            }
            Input::EraseAll => {
                chars.clear();
                e.cursor = 0;
            }
            Input::Cursor(d) => e.cursor = e.cursor.saturating_add_signed(*d).min(chars.len()),
            Input::CursorEdge(end) => e.cursor = if *end { chars.len() } else { 0 },
            _ => {}
        }
        if chars != before {
            e.text = chars.into_iter().collect();
            let msg = Msg::Answer(e.id, e.text.clone());
            self.wizard.update(msg);
        }
    }
}

/// Whether this terminal can host the full-screen UI.
pub fn is_supported() -> bool {
    use std::io::IsTerminal;
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    !dumb && io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// Runs the event loop on `terminal` until the user finishes or cancels.
///
/// `events` gives the terminal events (tests feed a script); whatever is ready is handled
/// before the next redraw.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    tui: &mut Tui,
    mut events: impl EventSource,
) -> io::Result<Finished> {
    loop {
        if crate::frontend::signals::take_resumed() {
            // The screen was given back during a stop: nothing of the last frame is left.
            terminal
                .clear()
                .map_err(|e| io::Error::other(e.to_string()))?;
        }
        terminal
            .draw(|f| view::draw(f, tui))
            .map_err(|e| io::Error::other(e.to_string()))?;
        match events::pump(&mut events, tui, translate, Tui::handle)? {
            Some(Outcome::Finished(answers)) => return Ok(Some(*answers)),
            Some(Outcome::Cancelled) => return Ok(None),
            None => {}
        }
    }
}

/// What an event means on the wizard's screens. A resize (or focus, mouse…) means nothing
/// but a redraw; a paste goes only into a text field being edited.
fn translate(tui: &Tui, event: &Event) -> Option<Input> {
    let ctx = tui.key_context();
    match event {
        Event::Key(key) => keys::translate(*key, ctx),
        Event::Paste(text) if ctx.text && !ctx.preview && !ctx.help && !ctx.resume => {
            Some(Input::Paste(text.clone()))
        }
        _ => None,
    }
}

/// Runs `body` on the real terminal in full-screen mode, always restoring it, also when a
/// termination signal arrives (the error then carries [`crate::frontend::signals::Signalled`]).
pub fn on_terminal<T>(
    body: impl FnOnce(&mut ratatui::DefaultTerminal) -> io::Result<T>,
) -> io::Result<T> {
    let _watch = crate::frontend::signals::watch_polled()?;
    // `try_init` also installs a panic hook that restores the terminal first.
    let mut terminal = ratatui::try_init()?;
    // Bracketed paste: a paste arrives as one event, not as thousands of key presses.
    let _ = crossterm::execute!(io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = body(&mut terminal);
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    let _ = terminal.show_cursor();
    ratatui::try_restore()?;
    result
}

/// Runs the full-screen front end on the real terminal, always restoring it.
pub fn run(tui: &mut Tui) -> io::Result<Finished> {
    on_terminal(|terminal| run_loop(terminal, tui, TerminalEvents))
}

#[cfg(test)]
mod tests;
