//! The only key translator of the full-screen UI: key events → [`Input`]s.
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::wizard::Msg;

/// What a key means in the full-screen UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A message for the wizard (next, back, cancel).
    Wizard(Msg),
    /// Move the focus between the questions of the step.
    Field(isize),
    /// Change the focused choice.
    Choose(isize),
    /// Type a character into the focused text field.
    Type(char),
    /// Insert text (a paste, or characters typed faster than the screen redraws).
    Paste(String),
    /// Delete before the cursor.
    Erase,
    /// Delete at the cursor.
    EraseForward,
    /// Delete the whole text (Ctrl-U), which restores the default.
    EraseAll,
    /// Move the text cursor.
    Cursor(isize),
    /// Move the text cursor to the start (`false`) or end (`true`).
    CursorEdge(bool),
    /// Show or hide (narrow) / focus (wide) the preview.
    TogglePreview,
    /// Another file of the preview.
    File(isize),
    /// Scroll the preview or the review.
    Scroll(isize),
    /// Show the key help.
    Help,
    /// Hide the key help.
    CloseHelp,
    /// Resume the saved draft (`true`) or start over (`false`).
    Resume(bool),
    /// Ask whether to quit (Esc on the first step).
    AskQuit,
    /// Answer the quit question: quit (`true`) or stay (`false`).
    ConfirmQuit(bool),
}

/// The little the translator needs to know about the screen.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyContext {
    /// The help overlay is open.
    pub help: bool,
    /// The resume question is showing.
    pub resume: bool,
    /// The preview has the focus.
    pub preview: bool,
    /// The focused question takes text.
    pub text: bool,
    /// The step is the review (↑↓ scroll it).
    pub review: bool,
    /// The step has exactly one question, a choice (↑↓ choose).
    pub single_choice: bool,
    /// The step is the first: Esc asks whether to quit instead of going back.
    pub first: bool,
    /// The quit question is showing.
    pub quitting: bool,
}

/// Translates one key event.
pub fn translate(key: KeyEvent, ctx: KeyContext) -> Option<Input> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
        return Some(Input::Wizard(Msg::Cancel));
    }
    if ctx.resume {
        return match key.code {
            KeyCode::Enter | KeyCode::Char('y' | 'Y' | 'r') => Some(Input::Resume(true)),
            KeyCode::Char('n' | 'N') => Some(Input::Resume(false)),
            KeyCode::Esc => Some(Input::Wizard(Msg::Cancel)),
            _ => None,
        };
    }
    if ctx.quitting {
        return match key.code {
            KeyCode::Enter | KeyCode::Char('y' | 'Y' | 'q') => Some(Input::ConfirmQuit(true)),
            _ => Some(Input::ConfirmQuit(false)),
        };
    }
    if ctx.help {
        return Some(Input::CloseHelp);
    }
    let input = match key.code {
        // Esc closes what is open, else goes back; only the first step asks to quit.
        KeyCode::Esc if ctx.preview => Input::TogglePreview,
        KeyCode::Esc if ctx.first => Input::AskQuit,
        KeyCode::Esc => Input::Wizard(Msg::Back),
        KeyCode::F(1) => Input::Help,
        KeyCode::Char('?') if !ctx.text || ctx.preview => Input::Help,
        KeyCode::Tab | KeyCode::BackTab => Input::TogglePreview,
        KeyCode::Enter => Input::Wizard(Msg::Next),
        KeyCode::PageUp if !ctx.preview => Input::Wizard(Msg::Back),
        // The preview has the focus: arrows browse it.
        KeyCode::Left if ctx.preview => Input::File(-1),
        KeyCode::Right if ctx.preview => Input::File(1),
        KeyCode::Up if ctx.preview => Input::Scroll(-1),
        KeyCode::Down if ctx.preview => Input::Scroll(1),
        KeyCode::PageUp => Input::Scroll(-10),
        KeyCode::PageDown if ctx.preview || ctx.review => Input::Scroll(10),
        KeyCode::Home if ctx.preview => Input::Scroll(isize::MIN),
        KeyCode::End if ctx.preview => Input::Scroll(isize::MAX),
        _ if ctx.preview => return None,
        KeyCode::Up if ctx.review => Input::Scroll(-1),
        KeyCode::Down if ctx.review => Input::Scroll(1),
        KeyCode::Up if ctx.single_choice => Input::Choose(-1),
        KeyCode::Down if ctx.single_choice => Input::Choose(1),
        KeyCode::Up => Input::Field(-1),
        KeyCode::Down => Input::Field(1),
        KeyCode::Left if ctx.text => Input::Cursor(-1),
        KeyCode::Right if ctx.text => Input::Cursor(1),
        KeyCode::Left => Input::Choose(-1),
        KeyCode::Right | KeyCode::Char(' ') if !ctx.text => Input::Choose(1),
        KeyCode::Home if ctx.text => Input::CursorEdge(false),
        KeyCode::End if ctx.text => Input::CursorEdge(true),
        KeyCode::Backspace if ctx.text => Input::Erase,
        KeyCode::Delete if ctx.text => Input::EraseForward,
        KeyCode::Char('u' | 'U') if ctx.text && ctrl => Input::EraseAll,
        KeyCode::Char(c) if ctx.text && !ctrl => Input::Type(c),
        _ => return None,
    };
    Some(input)
}

/// A screen of the full-screen migration besides its questions (those use [`translate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationScreen {
    /// The target profile choice: ↑↓ (or ←→) choose.
    Profile,
    /// The summary and the diffs: ↑↓ PgDn Home End scroll.
    Summary,
    /// The conflicts: ↑↓ pick one, ← keeps yours, → takes the new value.
    Conflicts,
}

/// Translates one key event on a migration screen.
///
/// Enter goes on, PgUp goes back, Ctrl-C cancels, as in the wizard; Esc goes back, and
/// quits (asking first) from the first screen, the profile choice.
pub fn translate_migration(key: KeyEvent, screen: MigrationScreen) -> Option<Input> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
        return Some(Input::Wizard(Msg::Cancel));
    }
    use MigrationScreen as S;
    let input = match (key.code, screen) {
        (KeyCode::Esc, S::Profile) => Input::AskQuit,
        (KeyCode::Esc, _) => Input::Wizard(Msg::Back),
        (KeyCode::Enter, _) => Input::Wizard(Msg::Next),
        (KeyCode::PageUp, _) => Input::Wizard(Msg::Back),
        (KeyCode::Up | KeyCode::Left, S::Profile) => Input::Choose(-1),
        (KeyCode::Down | KeyCode::Right | KeyCode::Char(' '), S::Profile) => Input::Choose(1),
        (KeyCode::Up, S::Summary) => Input::Scroll(-1),
        (KeyCode::Down, S::Summary) => Input::Scroll(1),
        (KeyCode::PageDown | KeyCode::Char(' '), S::Summary) => Input::Scroll(10),
        (KeyCode::Home, S::Summary) => Input::Scroll(isize::MIN),
        (KeyCode::End, S::Summary) => Input::Scroll(isize::MAX),
        (KeyCode::Up, S::Conflicts) => Input::Field(-1),
        (KeyCode::Down, S::Conflicts) => Input::Field(1),
        (KeyCode::Left | KeyCode::Char('o' | 'y'), S::Conflicts) => Input::Choose(-1),
        (KeyCode::Right | KeyCode::Char('t' | 'n'), S::Conflicts) => Input::Choose(1),
        _ => return None,
    };
    Some(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn ctrl_c_cancels_everywhere() {
        let c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for ctx in [
            KeyContext::default(),
            KeyContext {
                help: true,
                ..Default::default()
            },
            KeyContext {
                resume: true,
                ..Default::default()
            },
            KeyContext {
                text: true,
                ..Default::default()
            },
        ] {
            assert_eq!(translate(c, ctx), Some(Input::Wizard(Msg::Cancel)));
        }
    }

    #[test]
    fn esc_closes_the_preview_else_goes_back_and_asks_before_quitting_from_the_first_step() {
        let esc = key(KeyCode::Esc);
        let at = |ctx: KeyContext| translate(esc, ctx);
        let later = KeyContext::default();
        let first = KeyContext {
            first: true,
            ..later
        };
        assert_eq!(at(later), Some(Input::Wizard(Msg::Back)));
        assert_eq!(at(first), Some(Input::AskQuit));
        let preview = KeyContext {
            preview: true,
            first: true,
            ..later
        };
        assert_eq!(at(preview), Some(Input::TogglePreview));
        let help = KeyContext {
            help: true,
            ..first
        };
        assert_eq!(at(help), Some(Input::CloseHelp));
        let quitting = KeyContext {
            quitting: true,
            ..first
        };
        assert_eq!(at(quitting), Some(Input::ConfirmQuit(false)));
        assert_eq!(
            translate(key(KeyCode::Char('y')), quitting),
            Some(Input::ConfirmQuit(true))
        );
    }

    #[test]
    fn question_mark_is_help_except_while_typing() {
        let text = KeyContext {
            text: true,
            ..Default::default()
        };
        assert_eq!(
            translate(key(KeyCode::Char('?')), KeyContext::default()),
            Some(Input::Help)
        );
        assert_eq!(
            translate(key(KeyCode::Char('?')), text),
            Some(Input::Type('?'))
        );
        assert_eq!(translate(key(KeyCode::F(1)), text), Some(Input::Help));
    }

    #[test]
    fn page_up_goes_back_and_enter_goes_on() {
        let ctx = KeyContext {
            text: true,
            ..Default::default()
        };
        assert_eq!(
            translate(key(KeyCode::PageUp), ctx),
            Some(Input::Wizard(Msg::Back))
        );
        assert_eq!(
            translate(key(KeyCode::Enter), ctx),
            Some(Input::Wizard(Msg::Next))
        );
    }

    #[test]
    fn migration_screens_go_on_back_and_cancel_like_the_wizard() {
        for screen in [
            MigrationScreen::Profile,
            MigrationScreen::Summary,
            MigrationScreen::Conflicts,
        ] {
            assert_eq!(
                translate_migration(key(KeyCode::Enter), screen),
                Some(Input::Wizard(Msg::Next))
            );
            assert_eq!(
                translate_migration(key(KeyCode::PageUp), screen),
                Some(Input::Wizard(Msg::Back))
            );
        }
        assert_eq!(
            translate_migration(key(KeyCode::Esc), MigrationScreen::Profile),
            Some(Input::AskQuit)
        );
        assert_eq!(
            translate_migration(key(KeyCode::Esc), MigrationScreen::Summary),
            Some(Input::Wizard(Msg::Back))
        );
        assert_eq!(
            translate_migration(key(KeyCode::Left), MigrationScreen::Conflicts),
            Some(Input::Choose(-1))
        );
        assert_eq!(
            translate_migration(key(KeyCode::Down), MigrationScreen::Summary),
            Some(Input::Scroll(1))
        );
    }
}
