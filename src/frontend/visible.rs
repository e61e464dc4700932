//! Text on its way to a terminal, with control characters made visible so that answers,
//! overlay files and diffs can't send escape sequences (e.g. OSC 52 clipboard writes).
use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is: C0 and C1 controls, DEL, and the bidi
/// overrides and isolates that reorder what is shown (CVE-2021-42574). `\n` and `\t` are
/// layout and pass.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every hostile character written as a Rust escape (ESC → `\u{1b}`); borrowed
/// when there is none.
///
/// Use it once, where text leaves for a terminal. Never use it on bytes written to files.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_controls_and_keeps_layout() {
        assert_eq!(visible("a\x1b]52;c;aGk=\x07b"), "a\\u{1b}]52;c;aGk=\\u{7}b");
        assert_eq!(visible("x\u{9b}y\u{7f}"), "x\\u{9b}y\\u{7f}");
        assert_eq!(visible("r\u{202e}l"), "r\\u{202e}l");
        assert_eq!(visible("line\n\tnext"), "line\n\tnext");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }
}
