//! YAML 1.1 words: strings that Helm's YAML 1.1 parser would read as booleans, nulls or
//! numbers, and the quoting that keeps them strings (#11).
//!
//! serde_yaml_ng quotes what YAML 1.2 retypes (`true`, `null`, `0x1f`), but Helm parses
//! values with go-yaml's YAML 1.1 rules, where `no`, `on`, `y` and `0755` are not strings:
//! `storageClass: no` reaches the chart as `false`.

/// Whether the plain scalar `s` is a boolean, null, number or timestamp under YAML 1.1 (or
/// 1.2): the one predicate every output path (serde output, the `yaml` template filter) and
/// `check` apply.
pub fn retyped_by_yaml11(s: &str) -> bool {
    const WORDS: [&str; 16] = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan", "-.nan", "+.nan",
    ];
    let lower = s.to_ascii_lowercase();
    s.is_empty()
        || WORDS.contains(&lower.as_str())
        || is_yaml11_number(&lower)
        || is_yaml11_timestamp(s)
}

/// Integers (with `_`, `0b`, `0o`, `0x`, leading-zero octal, base 60) and floats of YAML 1.1
/// (and Go's `strconv`, which go-yaml falls back on), of the lowercased scalar.
fn is_yaml11_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return false;
    }
    let digits: String = body.chars().filter(|c| *c != '_').collect();
    let radix_int = |p: &str, r: u32| {
        digits
            .strip_prefix(p)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_digit(r)))
    };
    let sexagesimal = digits.contains(':')
        && digits
            .split(':')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.'));
    radix_int("0b", 2)
        || radix_int("0x", 16)
        || radix_int("0o", 8)
        || sexagesimal
        || digits.parse::<f64>().is_ok()
}

/// A YAML 1.1 timestamp (`2024-01-01`, `2024-1-1T10:00:00Z`, `2024-01-01 10:00:00.5 +02:00`):
/// kustomize (kyaml) rewrites `name: 2024-01-01` to `"2024-01-01T00:00:00Z"`.
/// `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}` and optionally
/// `([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?(([ \t]*)Z|[-+][0-9]{1,2}(:[0-9]{2})?)?`,
/// blanks allowed before the offset too (the spec's own example `21:59:43.10 -5` has one).
fn is_yaml11_timestamp(s: &str) -> bool {
    static TIMESTAMP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
            r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?",
            r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$",
        ))
        .expect("the YAML 1.1 timestamp pattern compiles")
    });
    TIMESTAMP.is_match(s)
}

/// A number written in a notation whose type or value depends on the YAML parser reading it
/// (`0b1`, `0o17`, `0x1F`, `0755`, `1_000`, `1:20`): YAML 1.2 and 1.1 disagree, and a values
/// file for this chart never needs one, so `check` flags it even where YAML 1.2 reads a number.
pub fn ambiguous_number(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let body = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    is_yaml11_number(&lower)
        && (body.contains(['_', ':'])
            || body.starts_with("0b")
            || body.starts_with("0o")
            || body.starts_with("0x")
            || body.len() > 1 && body.starts_with('0') && !body.starts_with("0."))
}

/// One plain (unquoted, not block, not flow) scalar of a line: a mapping key or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainScalar {
    /// 0-based line number in the text.
    pub line: usize,
    /// Byte range of the scalar in the text (trimmed, comment excluded).
    pub range: std::ops::Range<usize>,
}

/// Every plain scalar (mapping keys and values, sequence items) of block-style YAML `text`,
/// in order. Tolerates what people write by hand: any blanks after `:` or `-`, tabs,
/// trailing blanks and ` # comments`. Quoted, flow (`{`, `[`), aliased, anchored or tagged
/// scalars are skipped, and so are comment lines and the content of block scalars (`|`, `>`).
pub fn plain_scalars(text: &str) -> Vec<PlainScalar> {
    let mut found = Vec::new();
    // Indentation of the line that opened a block scalar; deeper lines are its content.
    let mut block: Option<usize> = None;
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches([' ', '\t']).len();
        if let Some(b) = block {
            if body.trim().is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        let trimmed = body.trim();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("---")
            || trimmed.starts_with("...")
            || trimmed.starts_with('%')
        {
            continue;
        }
        let (spans, opens_block) = line_scalars(body);
        if opens_block.is_some() {
            block = opens_block;
        }
        found.extend(spans.into_iter().map(|r| PlainScalar {
            line: n,
            range: start + r.start..start + r.end,
        }));
    }
    found
}

/// The plain scalar spans of one line, and, when it opens a block scalar, the column its
/// content must be deeper than (the key's, or the `-` item's).
fn line_scalars(line: &str) -> (Vec<std::ops::Range<usize>>, Option<usize>) {
    let b = line.as_bytes();
    let blank = |i: usize| matches!(b.get(i), Some(b' ' | b'\t'));
    let skip_blanks = |mut i: usize| {
        while blank(i) {
            i += 1;
        }
        i
    };
    let mut i = skip_blanks(0);
    let mut parent = i;
    // Sequence markers: `- `, `-\t`, a lone `-`.
    while b.get(i) == Some(&b'-') && (blank(i + 1) || i + 1 == b.len()) {
        parent = i;
        i = skip_blanks(i + 1);
    }
    let mut spans = Vec::new();
    // The key (or a lone item), quoted or plain.
    let value_start = match b.get(i) {
        None => return (spans, None),
        Some(b'\'' | b'"') => {
            let Some(end) = quoted_end(line, i) else {
                return (spans, None);
            };
            let after = skip_blanks(end);
            if b.get(after) == Some(&b':') && (blank(after + 1) || after + 1 == b.len()) {
                after + 1
            } else {
                return (spans, None);
            }
        }
        Some(c) if b"{[&*!|>?@`%".contains(c) => {
            return (spans, b"|>".contains(c).then_some(parent));
        }
        Some(_) => {
            let (end, colon) = plain_end(line, i);
            spans.push(i..end);
            match colon {
                Some(c) => c + 1,
                None => return (spans, None),
            }
        }
    };
    // The value after `key:`.
    let v = skip_blanks(value_start);
    match b.get(v) {
        None | Some(b'#') => {}
        Some(b'\'' | b'"' | b'{' | b'[' | b'&' | b'*' | b'!' | b'@' | b'`') => {}
        Some(b'|' | b'>') => return (spans, Some(i)),
        Some(_) => {
            let (end, _) = plain_end(line, v);
            // A plain value never holds `: `; if it does, the line is not what this reads.
            spans.push(v..end);
        }
    }
    (spans, None)
}

/// Where the plain scalar starting at `i` ends (trailing blanks and a ` #comment` excluded),
/// and the index of the `:` that follows it when it is a mapping key.
fn plain_end(line: &str, i: usize) -> (usize, Option<usize>) {
    let b = line.as_bytes();
    let blank = |j: usize| matches!(b.get(j), Some(b' ' | b'\t'));
    let mut j = i;
    let stop = loop {
        match b.get(j) {
            None => break (j, None),
            Some(b':') if blank(j + 1) || j + 1 == b.len() => break (j, Some(j)),
            Some(b'#') if j > i && blank(j - 1) => break (j, None),
            _ => j += 1,
        }
    };
    let end = i + line[i..stop.0].trim_end_matches([' ', '\t']).len();
    (end, stop.1)
}

/// The index just past the quoted scalar opening at `i` (`''` and `\"` escapes honoured).
fn quoted_end(line: &str, i: usize) -> Option<usize> {
    let b = line.as_bytes();
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if q == b'"' => j += 2,
            c if c == q => {
                if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                    j += 2;
                } else {
                    return Some(j + 1);
                }
            }
            _ => j += 1,
        }
    }
    None
}

/// Single-quotes every plain scalar of block-style YAML `text` that YAML 1.1 would retype
/// but YAML 1.2 reads as a string, mapping keys included (`on: a` reaches Helm as
/// `"true": a`); block scalars (`|`, `>`), comments and quoted scalars are left as they are.
pub fn quote_yaml11(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in plain_scalars(text) {
        let scalar = &text[s.range.clone()];
        if needs_quotes(scalar) {
            out.push_str(&text[last..s.range.start]);
            out.push('\'');
            out.push_str(scalar);
            out.push('\'');
            last = s.range.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Whether the plain scalar is a string to YAML 1.2 (serde) that YAML 1.1 would retype.
pub fn needs_quotes(scalar: &str) -> bool {
    !scalar.is_empty() && retyped_by_yaml11(scalar) && read_as_string(scalar)
}

/// Appends `scalar`, single-quoted when YAML 1.1 would retype it.
fn push_scalar(out: &mut String, scalar: &str) {
    if needs_quotes(scalar) {
        out.push('\'');
        out.push_str(scalar);
        out.push('\'');
    } else {
        out.push_str(scalar);
    }
}

/// `value` as one YAML scalar that both YAML 1.1 and 1.2 read as that string: plain when
/// that is safe, quoted otherwise. Templates interpolate answers through it (`| yaml`).
pub fn yaml_scalar(value: &str) -> String {
    let plain = serde_yaml::to_string(value).unwrap_or_default();
    let plain = plain.strip_suffix('\n').unwrap_or(&plain);
    if plain.contains('\n') || plain.starts_with(['|', '>']) {
        // A multi-line string: JSON's double-quoted form is valid YAML on one line.
        return serde_json::to_string(value).unwrap_or_default();
    }
    let mut out = String::with_capacity(plain.len() + 2);
    push_scalar(&mut out, plain);
    out
}

/// Whether YAML 1.2 (serde_yaml_ng) reads the plain scalar `value` as a string: only those
/// are quoted, so a number or boolean serde wrote keeps its type.
pub fn read_as_string(value: &str) -> bool {
    matches!(
        serde_yaml::from_str::<serde_yaml::Value>(value),
        Ok(serde_yaml::Value::String(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_words_and_numbers_are_recognised() {
        for s in [
            "no",
            "No",
            "NO",
            "y",
            "Y",
            "on",
            "OFF",
            "yes",
            "~",
            "null",
            "0755",
            "1e3",
            "1_000",
            "1:20",
            "0x1F",
            ".inf",
            "3.5",
            "",
            "0b1",
            "0B1",
            "0o17",
            "0O17",
            "0X1F",
            "-0b1",
            "190:20:30",
            ".NaN",
            "+.INF",
            "1E3",
            "1.5e-3",
            "-1_000",
            "2024-01-01",
            "2024-1-1",
            "2024-01-01T10:00:00Z",
            "2024-01-01t10:00:00",
            "2024-01-01 10:00:00",
            "2024-01-01\t 1:00:00.123",
            "2024-01-01 10:00:00 Z",
            "2024-01-01T10:00:00.5+02:00",
            "2024-01-01 10:00:00-2",
            "2024-01-01 1:00:00 -5",
            "2024-01-01T10:00:00.",
        ] {
            assert!(retyped_by_yaml11(s), "{s}");
        }
        for s in [
            "gp3",
            "nope",
            "standard-rwo",
            "v1",
            "caracal",
            "1.2.3",
            "10.0.0.0/8",
            "2024-01-01-caracal",
            "2024-01",
            "20240-01-01",
            "2024-001-01",
            "2024-01-01T10:00",
            "2024-01-01T10:00:00Zulu",
            "2024-01-01 x",
            "0b2",
            "0xg",
            "release-1",
        ] {
            assert!(!retyped_by_yaml11(s), "{s}");
        }
    }

    #[test]
    fn quoting_keeps_block_scalars_and_quoted_values() {
        let text =
            "a: no\nb:\n- on\n- - y\nc: |-\n  x: no\n  on\nd: 'yes'\ne: gp3\nf: 5432\ng: true\non: a\nyes:\n  n: b\nl:\n- off: 'x'\n'y': y\n# on: no\n";
        let quoted = quote_yaml11(text);
        assert_eq!(
            quoted,
            "a: 'no'\nb:\n- 'on'\n- - 'y'\nc: |-\n  x: no\n  on\nd: 'yes'\ne: gp3\nf: 5432\ng: true\n'on': a\n'yes':\n  'n': b\nl:\n- 'off': 'x'\n'y': 'y'\n# on: no\n"
        );
        let before: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
        let after: serde_yaml::Value = serde_yaml::from_str(&quoted).expect("yaml");
        assert_eq!(before, after);
    }

    #[test]
    fn quoting_finds_hand_written_plain_scalars() {
        let text = "a:\tno # c\nb:    NO  \nc: 2024-01-01\n- \t- on\nd: x # no\ne: 'no' # on\n- key: |\n    no\n  other: on\n";
        assert_eq!(
            quote_yaml11(text),
            "a:\t'no' # c\nb:    'NO'  \nc: '2024-01-01'\n- \t- 'on'\nd: x # no\ne: 'no' # on\n- key: |\n    no\n  other: 'on'\n"
        );
    }

    #[test]
    fn ambiguous_numbers_are_non_decimal_notations() {
        for s in ["0b1", "0o17", "0x1F", "0755", "1_000", "1:20", "-0O7"] {
            assert!(ambiguous_number(s), "{s}");
        }
        for s in ["0", "3", "-3", "0.5", "1e3", "gp3", "no", "2024-01-01"] {
            assert!(!ambiguous_number(s), "{s}");
        }
    }

    #[test]
    fn yaml_scalar_quotes_what_yaml11_or_12_would_retype() {
        assert_eq!(yaml_scalar("2024-01-01"), "'2024-01-01'");
        assert_eq!(yaml_scalar("0b1"), "'0b1'");
        assert_eq!(yaml_scalar("caracal"), "caracal");
        assert_eq!(yaml_scalar("yes"), "'yes'");
        assert_eq!(yaml_scalar("on"), "'on'");
        assert_eq!(yaml_scalar("true"), "'true'");
        assert_eq!(yaml_scalar("0755"), "'0755'");
        assert_eq!(yaml_scalar("a: b"), "'a: b'");
        let multi = yaml_scalar("a\nb");
        assert_eq!(
            serde_yaml::from_str::<String>(&multi).expect("yaml"),
            "a\nb"
        );
    }
}
