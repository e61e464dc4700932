//! Signals while a front end owns the terminal: every terminating signal that can be
//! caught (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM) puts the terminal
//! back, writes nothing and exits with 128 + the signal's number; SIGTSTP puts it back, stops,
//! and takes it again on SIGCONT (#11). SIGPIPE stays ignored (Rust's default): a closed pipe
//! is an error of the write, see [`crate::stdio`].
//!
//! One watcher thread (signal-hook) receives the signals for the whole process. While a
//! [`Watch`] is held it either hands the signal to the full-screen loop, which polls
//! [`ensure_not_signalled`] and restores the terminal on its way out, or (plain prompts, whose
//! reads can't be interrupted) restores raw mode itself and exits. Without a watch the signal
//! gets its default action, as if no handler were installed.
use std::io;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, Ordering};
use std::sync::OnceLock;

/// No front end holds the terminal: default action.
const IDLE: u8 = 0;
/// The full-screen loop polls for the signal.
const POLLED: u8 = 1;
/// The watcher restores raw mode and exits.
const EXIT: u8 = 2;

static MODE: AtomicU8 = AtomicU8::new(IDLE);
static PENDING: AtomicI32 = AtomicI32::new(0);
/// The full-screen terminal was given back on SIGTSTP and taken again: redraw it whole.
static RESUMED: AtomicBool = AtomicBool::new(false);

/// The terminating signals handled (SIGKILL and SIGSTOP can't be).
#[cfg(unix)]
const TERMINATING: [i32; 7] = {
    use signal_hook::consts::*;
    [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM]
};

/// A termination signal received while a front end held the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stopped by signal {0}; nothing written")]
pub struct Signalled(pub i32);

impl Signalled {
    /// The conventional exit code, 128 + the signal's number.
    pub fn exit_code(self) -> i32 {
        128 + self.0
    }

    /// The signal carried by an I/O error from a front end, if that is why it failed.
    pub fn of(e: &io::Error) -> Option<Self> {
        e.get_ref()?.downcast_ref::<Self>().copied()
    }
}

/// While held, termination signals are handled as the mode it was made with says.
#[must_use = "signals go back to their default action when the watch is dropped"]
pub struct Watch(());

impl Drop for Watch {
    fn drop(&mut self) {
        MODE.store(IDLE, Ordering::SeqCst);
    }
}

/// For the full-screen loop: a signal is kept for [`ensure_not_signalled`] to report.
pub fn watch_polled() -> io::Result<Watch> {
    start(POLLED)
}

/// For plain prompts: a signal leaves raw mode, shows the cursor and exits at once.
pub fn watch_and_exit() -> io::Result<Watch> {
    start(EXIT)
}

/// `Err` carrying [`Signalled`] once a termination signal has arrived under a polled watch.
pub fn ensure_not_signalled() -> io::Result<()> {
    match PENDING.load(Ordering::SeqCst) {
        0 => Ok(()),
        n => Err(io::Error::new(io::ErrorKind::Interrupted, Signalled(n))),
    }
}

/// Whether the terminal was taken back after a stop (SIGTSTP, then SIGCONT) since the last
/// call: the full-screen loop then clears and redraws everything.
pub fn take_resumed() -> bool {
    RESUMED.swap(false, Ordering::SeqCst)
}

/// Whether a redraw after a stop is waiting (without taking it): ends a wait for events.
pub fn resumed() -> bool {
    RESUMED.load(Ordering::SeqCst)
}

fn start(mode: u8) -> io::Result<Watch> {
    static WATCHER: OnceLock<Result<(), String>> = OnceLock::new();
    WATCHER
        .get_or_init(spawn_watcher)
        .clone()
        .map_err(io::Error::other)?;
    PENDING.store(0, Ordering::SeqCst);
    MODE.store(mode, Ordering::SeqCst);
    Ok(Watch(()))
}

#[cfg(unix)]
fn spawn_watcher() -> Result<(), String> {
    let mut handled = TERMINATING.to_vec();
    handled.push(signal_hook::consts::SIGTSTP);
    let mut signals = signal_hook::iterator::Signals::new(handled)
        .map_err(|e| format!("can't watch for termination signals: {e}"))?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                on_signal(signal);
            }
        })
        .map_err(|e| format!("can't watch for termination signals: {e}"))?;
    Ok(())
}

#[cfg(not(unix))]
fn spawn_watcher() -> Result<(), String> {
    Ok(())
}

#[cfg(unix)]
fn on_signal(signal: i32) {
    if signal == signal_hook::consts::SIGTSTP {
        return suspend();
    }
    match MODE.load(Ordering::SeqCst) {
        POLLED => {
            PENDING.store(signal, Ordering::SeqCst);
            // The loop notices within 100 ms, unless it is stuck inside crossterm: a terminal
            // that hung up makes crossterm's read spin on end-of-file and never return (seen
            // when tmux is killed under the wizard). Then restore what can be and exit here.
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(1500));
                if MODE.load(Ordering::SeqCst) == POLLED {
                    restore_and_exit(signal);
                }
            });
        }
        EXIT => restore_and_exit(signal),
        _ => {
            // No front end: what the signal would have done without our handler.
            if signal_hook::low_level::emulate_default_handler(signal).is_err() {
                std::process::exit(Signalled(signal).exit_code());
            }
        }
    }
}

/// SIGTSTP (`kill -TSTP`, or Ctrl-Z where the terminal sends it): gives the terminal back
/// (main screen, cursor, cooked mode), stops, and on SIGCONT takes it again; the full-screen
/// loop then redraws everything ([`take_resumed`]). Plain prompts get their raw mode back.
#[cfg(unix)]
fn suspend() {
    use crossterm::{cursor, event, terminal};
    let mode = MODE.load(Ordering::SeqCst);
    if mode == IDLE {
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
        return;
    }
    let full = mode == POLLED;
    let raw = terminal::is_raw_mode_enabled().unwrap_or(false);
    if full {
        let _ = crossterm::execute!(
            io::stdout(),
            event::DisableBracketedPaste,
            terminal::LeaveAlternateScreen,
            cursor::Show
        );
    } else {
        let _ = crossterm::execute!(io::stderr(), cursor::Show);
    }
    if raw {
        let _ = terminal::disable_raw_mode();
    }
    // Stops here until SIGCONT.
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
    if raw {
        let _ = terminal::enable_raw_mode();
    }
    if full && MODE.load(Ordering::SeqCst) == POLLED {
        let _ = crossterm::execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            event::EnableBracketedPaste,
            cursor::Hide
        );
        RESUMED.store(true, Ordering::SeqCst);
    }
}

/// Leaves raw mode and the alternate screen, shows the cursor, says why and exits: for
/// plain prompts, whose reads can't be interrupted, and for a full-screen loop stuck on a
/// terminal that went away.
#[cfg(unix)]
fn restore_and_exit(signal: i32) -> ! {
    // inquire and ratatui both go through crossterm, whose saved terminal settings this
    // restores.
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(
        io::stderr(),
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    crate::stdio::diagnostic(&format!("\ncaracal-wizard: {}", Signalled(signal)));
    std::process::exit(Signalled(signal).exit_code());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_becomes_an_error_with_its_exit_code() {
        let e = io::Error::new(io::ErrorKind::Interrupted, Signalled(15));
        let s = Signalled::of(&e).expect("the signal");
        assert_eq!(s.exit_code(), 143);
        assert!(Signalled::of(&io::Error::other("x")).is_none());
    }
}
