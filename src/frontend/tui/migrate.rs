//! The full-screen migration (#4): the flow's screens (target profile, summary and diffs,
//! conflicts) around the wizard's own question screens, restricted to what the move asks.
use std::io;
use std::path::PathBuf;

use crossterm::event::Event;
use ratatui::backend::Backend;
use ratatui::Terminal;

use crate::migrate::{FlowMsg, FlowOutcome, MigrationFlow, MigrationPlan, Side, Stage};
use crate::wizard::{Msg, Outcome, Step};

use super::events::{self, EventSource, TerminalEvents};
use super::keys::{self, Input, MigrationScreen};
use super::{view, Tui};
use crate::frontend::Session;

/// Screen state of the migration's own screens.
#[derive(Debug, Clone, Default)]
pub struct MigrateUi {
    /// First line of the summary shown.
    pub scroll: usize,
    /// The focused conflict.
    pub conflict: usize,
    /// The "quit without writing?" question is open (Esc on the profile screen).
    pub quitting: bool,
}

/// The full-screen migration: the flow, the question screens while asking, screen state.
pub struct MigrateTui {
    /// The state machine.
    pub flow: MigrationFlow,
    /// The wizard's screens, while the flow asks its questions.
    pub questions: Option<Tui>,
    /// Screen state of the other screens.
    pub ui: MigrateUi,
    /// The overlay directory.
    pub dir: PathBuf,
}

impl MigrateTui {
    /// A front end for `flow`, migrating the overlay in `dir`.
    pub fn new(flow: MigrationFlow, dir: PathBuf) -> Self {
        let mut t = Self {
            flow,
            questions: None,
            ui: MigrateUi::default(),
            dir,
        };
        t.sync();
        t
    }

    /// Builds the question screens on entering the questions, drops them on leaving.
    fn sync(&mut self) {
        if self.flow.stage() != Stage::Questions {
            self.questions = None;
            return;
        }
        if self.questions.is_some() {
            return;
        }
        let Some(wizard) = self.flow.wizard() else {
            return;
        };
        let session = Session {
            out: self.dir.clone(),
            force: true,
            drafts: None,
        };
        let mut tui = Tui::new(wizard, session, self.flow.templates().clone(), None);
        tui.ui.title = Some("caracal-wizard migrate".into());
        tui.ui.screen_before = true;
        let (n, _) = tui.wizard.position();
        if n == 1 {
            tui.ui.status = Some(format!(
                "{} → {}: only what the move adds or changes is asked",
                self.flow.current_profile(),
                self.flow.target()
            ));
        }
        self.questions = Some(tui);
    }

    /// Which migration screen has the keys; `None` while the wizard's questions have them.
    pub fn screen(&self) -> Option<MigrationScreen> {
        match self.flow.stage() {
            Stage::Profile => Some(MigrationScreen::Profile),
            Stage::Questions if self.questions.is_some() => None,
            Stage::Questions | Stage::Summary => Some(MigrationScreen::Summary),
            Stage::Conflicts => Some(MigrationScreen::Conflicts),
        }
    }

    /// Handles one input; returns the outcome when the flow is over.
    pub fn handle(&mut self, input: Input) -> Option<FlowOutcome> {
        let out = match self.questions.as_mut() {
            Some(tui) => {
                let out = Self::ask(&mut self.flow, tui, input);
                if self.flow.stage() == Stage::Summary {
                    self.ui.scroll = 0;
                }
                out
            }
            None => self.handle_screen(input),
        };
        if out.is_none() {
            self.sync();
        }
        out
    }

    /// An input on the question screens: the wizard handles it, except leaving its ends.
    fn ask(flow: &mut MigrationFlow, tui: &mut Tui, input: Input) -> Option<FlowOutcome> {
        let steps = tui.wizard.steps().to_vec();
        let step = tui.wizard.step();
        let first = steps.first() == Some(&step);
        let last = steps.iter().rev().nth(1) == Some(&step);
        match input {
            Input::Wizard(Msg::Cancel) => flow.update(FlowMsg::Cancel),
            // Before the first question step comes the profile screen: Esc goes back to it.
            Input::Wizard(Msg::Back) if first => flow.update(FlowMsg::Back),
            Input::Wizard(Msg::Next) if last => {
                // The wizard's review is the migration's summary: finish and plan instead.
                tui.ui.status = None;
                match tui.wizard.update(Msg::Next) {
                    Some(Outcome::Cancelled) => return flow.update(FlowMsg::Cancel),
                    Some(Outcome::Finished(a)) => return flow.update(FlowMsg::Answered(a)),
                    None => {}
                }
                if tui.wizard.step() != Step::Review {
                    tui.focus_first_problem();
                    tui.ui.status =
                        Some("Fix the marked answers to go on (PgUp goes back).".into());
                    return None;
                }
                let out = match tui.wizard.update(Msg::Next) {
                    Some(Outcome::Finished(a)) => flow.update(FlowMsg::Answered(a)),
                    Some(Outcome::Cancelled) => flow.update(FlowMsg::Cancel),
                    None => None,
                };
                if flow.stage() == Stage::Questions {
                    let why = if tui.wizard.step() == Step::Review {
                        // Not planned: say why and stay on the questions.
                        let why = flow.status().map(str::to_string).unwrap_or_else(|| {
                            let p: Vec<String> = tui
                                .wizard
                                .problems()
                                .iter()
                                .map(|p| p.problem.to_string())
                                .collect();
                            p.join("; ")
                        });
                        tui.wizard.update(Msg::Back);
                        why
                    } else {
                        // An answer raised a problem elsewhere: the wizard went to it.
                        "One more answer is needed: fix the marked answer to go on.".into()
                    };
                    tui.handle(Input::Field(0));
                    tui.ui.status = Some(why);
                }
                out
            }
            other => match tui.handle(other) {
                Some(Outcome::Cancelled) => flow.update(FlowMsg::Cancel),
                Some(Outcome::Finished(a)) => flow.update(FlowMsg::Answered(a)),
                None => None,
            },
        }
    }

    fn handle_screen(&mut self, input: Input) -> Option<FlowOutcome> {
        match input {
            Input::Wizard(Msg::Next) => self.flow.update(FlowMsg::Next),
            Input::Wizard(Msg::Back) => {
                let out = self.flow.update(FlowMsg::Back);
                if self.flow.stage() == Stage::Summary {
                    self.ui.scroll = 0;
                }
                out
            }
            Input::Wizard(Msg::Cancel) => self.flow.update(FlowMsg::Cancel),
            Input::Wizard(Msg::Answer(..)) => None,
            Input::AskQuit => {
                self.ui.quitting = true;
                None
            }
            Input::ConfirmQuit(yes) => {
                self.ui.quitting = false;
                yes.then(|| self.flow.update(FlowMsg::Cancel)).flatten()
            }
            Input::Choose(d) if self.flow.stage() == Stage::Profile => {
                let choices = self.flow.choices();
                let enabled: Vec<&str> = choices
                    .iter()
                    .filter(|c| c.disabled.is_none())
                    .map(|c| c.value.as_str())
                    .collect();
                let at = enabled.iter().position(|v| *v == self.flow.target());
                let pick = match at {
                    Some(i) => i
                        .saturating_add_signed(d)
                        .min(enabled.len().saturating_sub(1)),
                    None => 0,
                };
                if let Some(id) = enabled.get(pick).map(|s| s.to_string()) {
                    self.flow.update(FlowMsg::Target(id));
                }
                None
            }
            Input::Choose(d) => {
                let side = if d < 0 { Side::Ours } else { Side::Theirs };
                self.flow.update(FlowMsg::Resolve(self.ui.conflict, side))
            }
            Input::Field(d) => {
                let n = self.flow.plan().map_or(0, |p| p.conflicts.len());
                self.ui.conflict = self
                    .ui
                    .conflict
                    .saturating_add_signed(d)
                    .min(n.saturating_sub(1));
                None
            }
            Input::Scroll(d) => {
                self.ui.scroll = self.ui.scroll.saturating_add_signed(d);
                None
            }
            _ => None,
        }
    }
}

/// Runs the migration's event loop on `terminal` until the operator writes or cancels.
///
/// Returns the plan to write, or `None` when cancelled. `events` gives the terminal events
/// (tests feed a script); whatever is ready is handled before the next redraw.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    mt: &mut MigrateTui,
    mut events: impl EventSource,
) -> io::Result<Option<MigrationPlan>> {
    loop {
        if crate::frontend::signals::take_resumed() {
            // The screen was given back during a stop: nothing of the last frame is left.
            terminal
                .clear()
                .map_err(|e| io::Error::other(e.to_string()))?;
        }
        terminal
            .draw(|f| view::migrate::draw(f, mt))
            .map_err(|e| io::Error::other(e.to_string()))?;
        match events::pump(&mut events, mt, translate, MigrateTui::handle)? {
            Some(FlowOutcome::Write(plan)) => return Ok(Some(*plan)),
            Some(FlowOutcome::Cancelled) => return Ok(None),
            None => {}
        }
    }
}

/// What an event means on the current screen: the migration's own, or the wizard's.
fn translate(mt: &MigrateTui, event: &Event) -> Option<Input> {
    match (mt.screen(), &mt.questions, event) {
        (Some(_), _, Event::Key(key)) if mt.ui.quitting => {
            let quitting = keys::KeyContext {
                quitting: true,
                ..Default::default()
            };
            keys::translate(*key, quitting)
        }
        (Some(screen), _, Event::Key(key)) => keys::translate_migration(*key, screen),
        (None, Some(tui), event) => super::translate(tui, event),
        _ => None,
    }
}

/// Runs the full-screen migration on the real terminal, always restoring it.
pub fn run(mt: &mut MigrateTui) -> io::Result<Option<MigrationPlan>> {
    super::on_terminal(|terminal| run_loop(terminal, mt, TerminalEvents))
}

#[cfg(test)]
mod tests;
