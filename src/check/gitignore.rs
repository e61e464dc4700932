//! Whether `.gitignore` ignores a file at the top of the overlay, with Git's rules: the
//! last matching line wins, `!` re-includes, a trailing `/` matches only directories, a
//! leading `/` anchors, `*`, `?`, `[…]` and `**` glob (#11: `!secrets.local.yaml`).

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
    for (i, raw) in gitignore.lines().enumerate() {
        let line = raw.trim_end_matches(['\r']);
        let line = trim_unescaped_spaces(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negated, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, line.strip_prefix('\\').unwrap_or(line)),
        };
        // A directory-only pattern can't match a file.
        if pattern.ends_with('/') {
            continue;
        }
        let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
        let pattern = pattern.strip_prefix("**/").unwrap_or(pattern);
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

/// Git's wildmatch for one path component: `*` any run, `?` one byte, `[…]` a class
/// (`!` or `^` negates, `a-z` ranges), `\` escapes; `/` is never matched by a wildcard.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => {
            let rest = &p[1..];
            (0..=s.len())
                .take_while(|&k| k == 0 || s[k - 1] != b'/')
                .any(|k| glob(rest, &s[k..]))
        }
        Some(b'?') => s.first().is_some_and(|c| *c != b'/') && glob(&p[1..], &s[1..]),
        Some(b'[') => match (class(&p[1..]), s.first()) {
            (Some((matches, used)), Some(c)) => matches(*c) && glob(&p[1 + used..], &s[1..]),
            (None, Some(b'[')) => glob(&p[1..], &s[1..]),
            _ => false,
        },
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

type ClassFn = Box<dyn Fn(u8) -> bool>;

/// A `[…]` class after its `[`: the matcher and the bytes it spans (with the `]`).
fn class(p: &[u8]) -> Option<(ClassFn, usize)> {
    let (negated, start) = match p.first() {
        Some(b'!' | b'^') => (true, 1),
        _ => (false, 0),
    };
    // A `]` right after the opening is a literal.
    let end = start + 1 + p.get(start + 1..)?.iter().position(|c| *c == b']')?;
    let body = p[start..end].to_vec();
    let matches = move |c: u8| {
        let mut i = 0;
        let mut hit = false;
        while i < body.len() {
            if i + 2 < body.len() && body[i + 1] == b'-' {
                hit |= (body[i]..=body[i + 2]).contains(&c);
                i += 3;
            } else {
                hit |= body[i] == c;
                i += 1;
            }
        }
        hit != negated
    };
    Some((Box::new(matches), end + 1))
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
    fn directory_patterns_and_other_names_do_not_match() {
        assert!(!verdict("secrets.local.yaml/\n", F).ignored);
        assert!(!verdict("secrets.yaml\nsub/secrets.local.yaml\n", F).ignored);
        assert!(!verdict("# secrets.local.yaml\n", F).ignored);
        assert!(!verdict("secrets.[!l]ocal.yaml\n", F).ignored);
        assert!(verdict("secrets.local.yaml   \n", F).ignored);
    }
}
