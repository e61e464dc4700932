//! Standard output and standard error for every command: writing to them never panics and
//! never changes what a command does or the code it exits with (#11).
//!
//! A reader that went away (`check DIR | head -1`) or a stream that can't be written
//! (`2>/dev/full`) is not the command's failure: the overlay is written (or not) exactly as
//! it would have been, and the exit code stays the command's own. On standard output a
//! closed pipe quietly drops the rest of the output, like a Unix filter; any other error
//! writing standard output (a full disk under `> report.json`) still fails the command, since
//! the output is what was asked for. Standard error carries diagnostics only: when it can't
//! be written they are dropped. Rust ignores SIGPIPE, so no signal ends the process midway.
use std::io::{self, Write};

/// Standard output, locked; a closed pipe drops the rest of the output instead of failing.
pub fn stdout() -> QuietPipe<io::StdoutLock<'static>> {
    QuietPipe {
        inner: io::stdout().lock(),
        closed: false,
    }
}

/// Writes `line` and a newline to standard error in one write, best effort: a diagnostic
/// that can't be shown is dropped.
pub fn diagnostic(line: &str) {
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    // Nowhere is left to report a failure to write standard error.
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// A writer whose reader may go away: once it has (a broken pipe), writes succeed and
/// write nothing.
pub struct QuietPipe<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> QuietPipe<W> {
    /// `result` of a write of `len` bytes, a broken pipe turned into success.
    fn settle<T>(&mut self, result: io::Result<T>, ok: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(ok)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for QuietPipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.settle(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.settle(result, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails as a closed pipe (or `kind`).
    struct Pipe {
        room: usize,
        kind: io::ErrorKind,
        got: Vec<u8>,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.got.len() >= self.room {
                return Err(self.kind.into());
            }
            let n = buf.len().min(self.room - self.got.len());
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn quiet(room: usize, kind: io::ErrorKind) -> QuietPipe<Pipe> {
        QuietPipe {
            inner: Pipe {
                room,
                kind,
                got: Vec::new(),
            },
            closed: false,
        }
    }

    #[test]
    fn a_closed_pipe_drops_the_rest() {
        let mut w = quiet(3, io::ErrorKind::BrokenPipe);
        writeln!(w, "hello").expect("dropped, not failed");
        writeln!(w, "again").expect("dropped, not failed");
        w.flush().expect("flush");
        assert_eq!(w.inner.got, b"hel");
        assert!(w.closed);
    }

    #[test]
    fn other_errors_still_fail() {
        let mut w = quiet(3, io::ErrorKind::StorageFull);
        assert!(writeln!(w, "hello").is_err());
    }
}
