//! YAML 1.1 words: strings that Helm's YAML 1.1 parser would read as booleans, nulls or
//! numbers, and the quoting that keeps them strings (#11).
//!
//! serde_yaml_ng quotes what YAML 1.2 retypes (`true`, `null`, `0x1f`), but Helm parses
//! values with go-yaml's YAML 1.1 rules, where `no`, `on`, `y` and `0755` are not strings:
//! `storageClass: no` reaches the chart as `false`.

/// Whether the plain scalar `s` is a boolean, null or number under YAML 1.1 (or 1.2).
pub fn retyped_by_yaml11(s: &str) -> bool {
    const WORDS: [&str; 14] = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    let lower = s.to_ascii_lowercase();
    s.is_empty() || WORDS.contains(&lower.as_str()) || is_yaml11_number(s)
}

/// Integers (with `_`, `0b`, `0x`, leading-zero octal, base 60) and floats of YAML 1.1.
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

/// Single-quotes every plain scalar of block-style YAML `text` (as serde_yaml_ng writes it)
/// that YAML 1.1 would retype, mapping keys included (`on: a` reaches Helm as `"true": a`);
/// block scalars (`|`, `>`) and comment lines are left as they are.
pub fn quote_yaml11(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Indentation of the line that opened a block scalar; deeper lines are its content.
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start().len();
        if let Some(b) = block {
            if body.trim().is_empty() || indent > b {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        if body.trim_start().starts_with('#') {
            out.push_str(line);
            continue;
        }
        let parts = split_line(body);
        if parts.value.starts_with(['|', '>']) {
            block = Some(indent);
        }
        out.push_str(parts.prefix);
        push_scalar(&mut out, parts.key);
        out.push_str(parts.colon);
        push_scalar(&mut out, parts.value);
        out.push_str(&line[body.len()..]);
    }
    out
}

/// Appends `scalar`, single-quoted when YAML 1.1 would retype it.
fn push_scalar(out: &mut String, scalar: &str) {
    if !scalar.is_empty() && retyped_by_yaml11(scalar) && read_as_string(scalar) {
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
fn read_as_string(value: &str) -> bool {
    matches!(
        serde_yaml::from_str::<serde_yaml::Value>(value),
        Ok(serde_yaml::Value::String(_))
    )
}

/// The parts of one block-style line: what precedes its key (indentation, `- ` markers),
/// the plain key, the `: ` after it, and the scalar value; quoted parts are left in
/// `prefix`/`value` as they are (serde quoted them already).
struct Parts<'a> {
    prefix: &'a str,
    key: &'a str,
    colon: &'a str,
    value: &'a str,
}

fn split_line(line: &str) -> Parts<'_> {
    let mut i = line.len() - line.trim_start().len();
    while line[i..].starts_with("- ") {
        i += 2;
    }
    let (prefix, rest) = line.split_at(i);
    let parts = |prefix, key, colon, value| Parts {
        prefix,
        key,
        colon,
        value,
    };
    if rest.starts_with(['\'', '"']) {
        // A quoted key or value: serde quoted it already.
        return match rest.find(": ") {
            Some(k) if rest[..k].ends_with(['\'', '"']) => {
                let (head, value) = line.split_at(i + k + 2);
                parts(head, "", "", value)
            }
            _ => parts(line, "", "", ""),
        };
    }
    match rest.find(": ") {
        Some(k) => parts(prefix, &rest[..k], ": ", &rest[k + 2..]),
        None => match rest.strip_suffix(':') {
            Some(key) => parts(prefix, key, ":", ""),
            None => parts(prefix, "", "", rest),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_words_and_numbers_are_recognised() {
        for s in [
            "no", "No", "NO", "y", "Y", "on", "OFF", "yes", "~", "null", "0755", "1e3", "1_000",
            "1:20", "0x1F", ".inf", "3.5", "",
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
    fn yaml_scalar_quotes_what_yaml11_or_12_would_retype() {
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
