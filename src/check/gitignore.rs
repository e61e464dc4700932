//! Whether `.gitignore` ignores a file at the top of the overlay, with Git's rules: the
//! last matching line wins, `!` re-includes, a trailing `/` matches only directories, a
//! leading `/` anchors, `*`, `?`, `[…]` (POSIX classes too) and `**` glob (#11:
//! `!secrets.local.yaml`, `![[:alpha:]]*`, `!**/**/secrets.local.yaml`).

/// The verdict on one file: ignored or not, and the line (1-based, with its text) that
/// decided it, `None` when no line matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Whether `git add .` leaves the file out.
    pub ignored: bool,
    /// The deciding line: number and text.
    pub line: Option<(usize, String)>,
}

/// Whether the `.gitignore` text `gitignore` (at the overlay's top) ignores the file
/// `name` there.
pub fn verdict(gitignore: &str, name: &str) -> Verdict {
    let mut out = Verdict {
        ignored: false,
        line: None,
    };
    // As Git reads it: a UTF-8 BOM skipped, lines split at `\n`, one `\r` before it dropped,
    // a line ending at a NUL (Git keeps C strings); a leading `\` stays, an escape for the
    // glob (`\#`, `\!`, `\*` are literal).
    let text = gitignore.strip_prefix('\u{feff}').unwrap_or(gitignore);
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line = line.split('\0').next().unwrap_or_default();
        let line = trim_unescaped_spaces(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negated, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, line),
        };
        // A directory-only pattern can't match a file.
        if pattern.ends_with('/') {
            continue;
        }
        let mut pattern = pattern.strip_prefix('/').unwrap_or(pattern);
        // `**/` matches no directory as well as any: each leading one can be empty.
        while let Some(rest) = pattern.strip_prefix("**/") {
            pattern = rest;
        }
        if glob(pattern.as_bytes(), name.as_bytes()) {
            out = Verdict {
                ignored: !negated,
                line: Some((i + 1, raw.to_string())),
            };
        }
    }
    out
}

/// Trailing spaces are dropped unless escaped with `\`.
fn trim_unescaped_spaces(line: &str) -> &str {
    let trimmed = line.trim_end_matches(' ');
    if trimmed.ends_with('\\') && trimmed.len() < line.len() {
        &line[..trimmed.len() + 1]
    } else {
        trimmed
    }
}

/// One element of a compiled pattern.
enum Token {
    /// This byte.
    Byte(u8),
    /// Any one byte but `/` (`?`).
    One,
    /// One byte of the set (`[…]`).
    Class(Box<[bool; 256]>),
    /// Any run of bytes without `/` (`*`, and `**` where it is not a whole component).
    Star,
}

/// Git's wildmatch, for a name without `/` (a file at the top of the overlay): `*` any run,
/// `?` one byte, `[…]` a class (`!` or `^` negates, `a-z` ranges, `[:alpha:]` and the other
/// POSIX classes, `\` escapes), `\` escapes; `/` is never matched by a wildcard. Runs of
/// `*` collapse and the match is one pass over a table (pattern × name), so no line can
/// make it slow (#11: forty `*` took minutes with backtracking). A pattern Git would
/// abort on (an unclosed `[`, an unknown class name) matches nothing, as in Git.
fn glob(p: &[u8], s: &[u8]) -> bool {
    let Some(tokens) = compile(p) else {
        return false;
    };
    // reach[j]: the tokens so far can match the first j bytes of the name.
    let mut reach = vec![false; s.len() + 1];
    reach[0] = true;
    for t in &tokens {
        let mut next = vec![false; s.len() + 1];
        match t {
            Token::Star => {
                let mut on = false;
                for j in 0..=s.len() {
                    if j > 0 && s[j - 1] == b'/' {
                        on = false;
                    }
                    on |= reach[j];
                    next[j] = on;
                }
            }
            _ => {
                for j in 1..=s.len() {
                    let c = s[j - 1];
                    next[j] = reach[j - 1]
                        && match t {
                            Token::Byte(b) => c == *b,
                            Token::One => c != b'/',
                            Token::Class(set) => c != b'/' && set[usize::from(c)],
                            Token::Star => unreachable!("handled above"),
                        };
                }
            }
        }
        reach = next;
        if !reach.contains(&true) {
            return false;
        }
    }
    reach[s.len()]
}

/// The pattern's tokens, `None` where Git's wildmatch aborts.
fn compile(p: &[u8]) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'*' => {
                if !matches!(out.last(), Some(Token::Star)) {
                    out.push(Token::Star);
                }
                i += 1;
            }
            b'?' => {
                out.push(Token::One);
                i += 1;
            }
            b'[' => {
                let (set, used) = class(&p[i + 1..])?;
                out.push(Token::Class(set));
                i += 1 + used;
            }
            b'\\' if i + 1 < p.len() => {
                out.push(Token::Byte(p[i + 1]));
                i += 2;
            }
            c => {
                out.push(Token::Byte(c));
                i += 1;
            }
        }
    }
    Some(out)
}

/// A `[…]` class after its `[`: the set and the bytes it spans (with the `]`); `None` when
/// it is unclosed or names an unknown POSIX class (Git aborts the match then).
fn class(p: &[u8]) -> Option<(Box<[bool; 256]>, usize)> {
    let mut set = Box::new([false; 256]);
    let (negated, mut i) = match p.first() {
        Some(b'!' | b'^') => (true, 1),
        _ => (false, 0),
    };
    let mut first = true;
    let mut prev: Option<u8> = None;
    loop {
        let c = *p.get(i)?;
        if c == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if c == b'[' && p.get(i + 1) == Some(&b':') {
            let rest = &p[i + 2..];
            let end = rest.windows(2).position(|w| w == b":]")?;
            let name = &rest[..end];
            for b in 0..=255u8 {
                if posix_class(name, b)? {
                    set[usize::from(b)] = true;
                }
            }
            i += 2 + end + 2;
            prev = None;
            continue;
        }
        let (c, used) = if c == b'\\' {
            (*p.get(i + 1)?, 2)
        } else {
            (c, 1)
        };
        if c == b'-' && used == 1 && prev.is_some() && p.get(i + 1).is_some_and(|n| *n != b']') {
            let lo = prev.take()?;
            let (hi, hused) = match p.get(i + 1)? {
                b'\\' => (*p.get(i + 2)?, 2),
                h => (*h, 1),
            };
            for b in lo..=hi {
                set[usize::from(b)] = true;
            }
            i += 1 + hused;
            continue;
        }
        set[usize::from(c)] = true;
        prev = Some(c);
        i += used;
    }
    if negated {
        for v in set.iter_mut() {
            *v = !*v;
        }
    }
    Some((set, i))
}

/// Whether `b` is in the POSIX class `name` (C locale); `None` for an unknown name.
fn posix_class(name: &[u8], b: u8) -> Option<bool> {
    Some(match name {
        b"alnum" => b.is_ascii_alphanumeric(),
        b"alpha" => b.is_ascii_alphabetic(),
        b"blank" => b == b' ' || b == b'\t',
        b"cntrl" => b.is_ascii_control(),
        b"digit" => b.is_ascii_digit(),
        b"graph" => b.is_ascii_graphic(),
        b"lower" => b.is_ascii_lowercase(),
        b"print" => b.is_ascii_graphic() || b == b' ',
        b"punct" => b.is_ascii_punctuation(),
        b"space" => b.is_ascii_whitespace() || b == 0x0b,
        b"upper" => b.is_ascii_uppercase(),
        b"xdigit" => b.is_ascii_hexdigit(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "secrets.local.yaml";

    #[test]
    fn the_last_matching_line_wins() {
        assert!(verdict("secrets.local.yaml\n", F).ignored);
        assert!(verdict("*.local.yaml\n", F).ignored);
        assert!(verdict("/secrets.local.yaml\n", F).ignored);
        assert!(verdict("**/secrets.*.yaml\n", F).ignored);
        assert!(verdict("secrets.[lL]ocal.yaml\n", F).ignored);
        let v = verdict("*.local.yaml\n# keep\n!secrets.local.yaml\n", F);
        assert!(!v.ignored);
        assert_eq!(v.line, Some((3, "!secrets.local.yaml".to_string())));
        assert!(verdict("!secrets.local.yaml\nsecrets.local.yaml\n", F).ignored);
    }

    #[test]
    fn posix_classes_and_repeated_double_stars_match_as_in_git() {
        // Each re-includes the file for Git (`git check-ignore` agrees).
        for line in [
            "![[:alpha:]]*",
            "!secrets.[[:lower:]]ocal.yaml",
            "!secrets.local.yam[[:alnum:]]",
            "!**/**/secrets.local.yaml",
            "!/**/secrets.local.yaml",
            "!secrets[[:punct:]]local.yaml",
            "![^0-9]*",
            "!secrets.local.y[!b-z]ml",
            "!secrets.local.yam[\\l]",
        ] {
            let v = verdict(&format!("secrets.local.yaml\n{line}\n"), F);
            assert!(!v.ignored, "{line}");
            assert_eq!(v.line.map(|l| l.0), Some(2), "{line}");
        }
        // And these don't match it.
        for line in [
            "![[:digit:]]*",
            "![[:upper:]]*",
            "![[:nope:]]*",
            "!secrets.local.yaml[",
            "!*/secrets.local.yaml",
            "!secrets.local.yaml/**",
        ] {
            assert!(
                verdict(&format!("secrets.local.yaml\n{line}\n"), F).ignored,
                "{line}"
            );
        }
    }

    #[test]
    fn escapes_carriage_returns_nuls_and_a_bom_read_as_in_git() {
        // Checked against `git check-ignore` (attacker round 3).
        assert!(
            !verdict("\\*.local.yaml\n", F).ignored,
            "an escaped `*` is literal"
        );
        assert!(!verdict("\\*\n", F).ignored);
        assert!(verdict("\\secrets.local.yaml\n", F).ignored);
        assert!(
            !verdict("secrets.local.yaml\r\r\n", F).ignored,
            "only one CR goes"
        );
        assert!(verdict("secrets.local.yaml\r\n", F).ignored);
        assert!(verdict("secrets.local.yaml\r", F).ignored);
        assert!(!verdict("secrets.local.yaml\n!secrets.local.yaml\0 (keep)\n", F).ignored);
        assert!(verdict("\u{feff}secrets.local.yaml\n", F).ignored);
        assert!(verdict("secrets.local.yaml\n!secrets.local.yaml\r\r\n", F).ignored);
    }

    #[test]
    fn many_stars_cannot_make_a_line_slow() {
        let started = std::time::Instant::now();
        for k in [14, 40, 4_000] {
            let line = format!("{}x\n", "*".repeat(k));
            assert!(!verdict(&line, F).ignored);
            // As `git check-ignore`: 14 `?` fit before the last `l`, 40 don't.
            let line = format!("!{}l{}\n", "*?".repeat(k), "*".repeat(k));
            assert_eq!(verdict(&format!("*\n{line}"), F).ignored, k > 14, "{k}");
        }
        let long = format!("{}\n", "*a".repeat(200_000));
        assert!(!verdict(&long, F).ignored);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn directory_patterns_and_other_names_do_not_match() {
        assert!(!verdict("secrets.local.yaml/\n", F).ignored);
        assert!(!verdict("secrets.yaml\nsub/secrets.local.yaml\n", F).ignored);
        assert!(!verdict("# secrets.local.yaml\n", F).ignored);
        assert!(!verdict("secrets.[!l]ocal.yaml\n", F).ignored);
        assert!(verdict("secrets.local.yaml   \n", F).ignored);
    }
}
