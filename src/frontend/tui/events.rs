//! Where the full-screen loops get their events: the real terminal (polled, so termination
//! signals are noticed) or a test script, and the batching of what is ready into one redraw.
use std::io;
use std::time::Duration;

use crossterm::event::Event;

use super::keys::Input;
use crate::frontend::signals;

/// Events for a full-screen loop.
pub trait EventSource {
    /// The next event, waiting for it.
    fn next_event(&mut self) -> io::Result<Event>;
    /// Whether another event can be read without waiting.
    fn has_more(&mut self) -> io::Result<bool> {
        Ok(false)
    }
}

/// A script of events (tests): one at a time, each followed by a redraw.
impl<F: FnMut() -> io::Result<Event>> EventSource for F {
    fn next_event(&mut self) -> io::Result<Event> {
        self()
    }
}

/// The real terminal. Waits in short polls so a termination signal ends the wait.
pub struct TerminalEvents;

impl EventSource for TerminalEvents {
    fn next_event(&mut self) -> io::Result<Event> {
        loop {
            signals::ensure_not_signalled()?;
            if signals::resumed() {
                // Back from a stop: an event that means nothing, for the loop to redraw.
                return Ok(Event::FocusGained);
            }
            if crossterm::event::poll(Duration::from_millis(100))? {
                return crossterm::event::read();
            }
        }
    }

    fn has_more(&mut self) -> io::Result<bool> {
        signals::ensure_not_signalled()?;
        crossterm::event::poll(Duration::ZERO)
    }
}

/// Events handled between two redraws at most, so that holding a key still redraws.
const MAX_BATCH: usize = 4096;

/// Handles the next event and every one already waiting, then returns for one redraw.
///
/// Typed characters (and pastes) are merged into one [`Input::Paste`], so a long paste
/// updates the answers and the preview once instead of once per character. `translate` maps
/// an event to an input in the current screen; `handle` applies it and says when it's over.
pub fn pump<S, T>(
    events: &mut impl EventSource,
    state: &mut S,
    translate: impl Fn(&S, &Event) -> Option<Input>,
    handle: impl Fn(&mut S, Input) -> Option<T>,
) -> io::Result<Option<T>> {
    let mut typed = String::new();
    let mut event = events.next_event()?;
    for _ in 0..MAX_BATCH {
        match translate(state, &event) {
            Some(Input::Type(c)) => typed.push(c),
            Some(Input::Paste(text)) => typed.push_str(&text),
            Some(input) => {
                if !typed.is_empty() {
                    if let Some(out) = handle(state, Input::Paste(std::mem::take(&mut typed))) {
                        return Ok(Some(out));
                    }
                }
                if let Some(out) = handle(state, input) {
                    return Ok(Some(out));
                }
            }
            None => {}
        }
        if !events.has_more()? {
            break;
        }
        event = events.next_event()?;
    }
    if typed.is_empty() {
        return Ok(None);
    }
    Ok(handle(state, Input::Paste(typed)))
}

/// A bracketed paste as text for a field: one line of printable characters (line breaks
/// and other control characters dropped).
pub fn paste_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    struct Ready(std::collections::VecDeque<Event>);

    impl EventSource for Ready {
        fn next_event(&mut self) -> io::Result<Event> {
            self.0.pop_front().ok_or_else(|| io::Error::other("empty"))
        }
        fn has_more(&mut self) -> io::Result<bool> {
            Ok(!self.0.is_empty())
        }
    }

    #[test]
    fn ready_typed_characters_become_one_paste_and_order_is_kept() {
        let key = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
        let mut events = Ready(
            [
                key(KeyCode::Char('a')),
                key(KeyCode::Char('b')),
                key(KeyCode::Enter),
                key(KeyCode::Char('c')),
            ]
            .into(),
        );
        let mut seen: Vec<Input> = Vec::new();
        let translate = |_: &Vec<Input>, e: &Event| match e {
            Event::Key(k) => match k.code {
                KeyCode::Char(c) => Some(Input::Type(c)),
                _ => Some(Input::Help),
            },
            _ => None,
        };
        let out: Option<()> = pump(&mut events, &mut seen, translate, |s, i| {
            s.push(i);
            None
        })
        .unwrap();
        assert!(out.is_none());
        assert_eq!(
            seen,
            vec![
                Input::Paste("ab".into()),
                Input::Help,
                Input::Paste("c".into())
            ]
        );
    }
}
