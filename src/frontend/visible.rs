//! Text on its way to a terminal, with control characters made visible so that answers,
//! overlay files and diffs can't send escape sequences (e.g. OSC 52 clipboard writes).
use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is: C0 and C1 controls (NEL included), DEL,
/// every Unicode format character (category Cf: the bidi marks, overrides and isolates that
/// reorder what is shown, CVE-2021-42574, zero-width characters, the BOM, tag characters)
/// and the line and paragraph separators (Zl, Zp). `\n` and `\t` are layout and pass.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || is_format(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Unicode's format characters (general category Cf, Unicode 15.1).
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// `text` with every hostile character written as a Rust escape (ESC → `\u{1b}`); borrowed
/// when there is none.
///
/// Use it once, where text leaves for a terminal. Never use it on bytes written to files.
pub fn visible(text: &str) -> Cow<'_, str> {
    escaped(text, false)
}

/// A path (or a name from disk, or any text that belongs on one line) on its way to a
/// terminal: like [`visible`], and line breaks and tabs too (`\n`, `\r`, `\t`), so a file
/// name can't start a line of its own and forge output (`k.pem\n0 error(s)`).
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escaped(text, true)
}

/// [`visible`] (`one_line` false) or [`visible_line`]: hostile characters as Unicode escapes,
/// and on one line `\n`, `\r`, `\t` as such.
fn escaped(text: &str, one_line: bool) -> Cow<'_, str> {
    let breaks = |c: char| one_line && matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(|c| is_hostile(c) || breaks(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if breaks(c) {
            out.extend(c.escape_default());
        } else if is_hostile(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `path` as [`visible_line`] shows it, for messages and reports.
pub fn shown(path: &std::path::Path) -> String {
    visible_line(&path.to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_controls_and_keeps_layout() {
        assert_eq!(visible("a\x1b]52;c;aGk=\x07b"), "a\\u{1b}]52;c;aGk=\\u{7}b");
        assert_eq!(visible("x\u{9b}y\u{7f}"), "x\\u{9b}y\\u{7f}");
        assert_eq!(visible("r\u{202e}l"), "r\\u{202e}l");
        for c in [
            '\u{200e}',
            '\u{200f}',
            '\u{61c}',
            '\u{2028}',
            '\u{2029}',
            '\u{85}',
            '\u{200b}',
            '\u{feff}',
            '\u{e0041}',
        ] {
            assert_eq!(
                visible(&format!("a{c}b")),
                format!("a{}b", c.escape_unicode())
            );
        }
        assert_eq!(visible("caf\u{e9} \u{1f600}"), "caf\u{e9} \u{1f600}");
        assert_eq!(visible("line\n\tnext"), "line\n\tnext");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn visible_line_shows_line_breaks_so_a_name_cannot_forge_lines() {
        assert_eq!(
            visible_line("k.pem\n0 error(s)\r\tx\x1b"),
            "k.pem\\n0 error(s)\\r\\tx\\u{1b}"
        );
        assert_eq!(shown(std::path::Path::new("o/a\nb")), "o/a\\nb");
        assert!(matches!(visible_line("caf\u{e9}"), Cow::Borrowed(_)));
    }
}
