//! Writes a merged YAML document as text, keeping comments where it can.
//!
//! Strategy: walk the merged mapping key by key. A key whose merged value equals the new
//! render's is copied from the new render's text (its comments included); one that equals
//! the operator's is copied from the operator's text (their comments included). A mapping
//! that mixes both is descended into, so only the innermost mixed key is written afresh,
//! under the comments the new render has above it. The result is parsed back and must equal
//! the merged value; otherwise the whole document is written afresh under the new render's
//! leading comments.
use serde_yaml::{Mapping, Value};

/// One key of a block mapping, as lines of text.
struct Block<'a> {
    key: String,
    /// Leading comment and blank lines, the key line, then its body.
    lines: &'a [&'a str],
    /// Number of leading comment/blank lines.
    lead: usize,
}

impl Block<'_> {
    /// Whether the key line opens a nested block (`key:` with nothing after but a comment).
    fn is_nested(&self) -> bool {
        let line = self.lines[self.lead].trim_end();
        let line = line.split(" #").next().unwrap_or(line).trim_end();
        line.ends_with(':')
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_filler(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn dedent(lines: &[&str], n: usize) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(&l[indent_of(l).min(n)..]);
        s.push('\n');
    }
    s
}

/// Splits the lines of a block mapping at `indent` into a preamble and one block per key.
fn split<'a>(lines: &'a [&'a str], indent: usize) -> Option<(&'a [&'a str], Vec<Block<'a>>)> {
    let mut keys = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if is_filler(l) {
            continue;
        }
        let n = indent_of(l);
        if n < indent {
            return None;
        }
        if n == indent && !l[n..].starts_with('-') {
            keys.push(i);
        }
    }
    let mut starts = Vec::new();
    let mut prev_end = 0;
    for &k in &keys {
        let mut s = k;
        while s > prev_end && is_filler(lines[s - 1]) {
            s -= 1;
        }
        starts.push(s);
        prev_end = k + 1;
    }
    let preamble = &lines[..starts.first().copied().unwrap_or(lines.len())];
    let mut blocks = Vec::new();
    for (j, (&k, &s)) in keys.iter().zip(&starts).enumerate() {
        let end = starts.get(j + 1).copied().unwrap_or(lines.len());
        let doc = crate::manifest::parse_yaml(&dedent(&lines[k..end], indent)).ok()?;
        let m = doc.as_mapping()?;
        if m.len() != 1 {
            return None;
        }
        let key = m.keys().next()?.as_str()?.to_string();
        blocks.push(Block {
            key,
            lines: &lines[s..end],
            lead: k - s,
        });
    }
    Some((preamble, blocks))
}

fn serialize(key: &str, value: &Value, indent: usize) -> Option<Vec<String>> {
    let mut m = Mapping::new();
    m.insert(Value::String(key.to_string()), value.clone());
    let text = crate::manifest::to_yaml(&m).ok()?;
    let pad = " ".repeat(indent);
    Some(
        text.lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("{pad}{l}")
                }
            })
            .collect(),
    )
}

/// A source text and its parsed value, at one mapping level.
type Source<'a> = Option<(&'a [&'a str], &'a Mapping)>;

/// A source split into preamble and blocks, with its mapping.
type Split<'a> = Option<((&'a [&'a str], Vec<Block<'a>>), &'a Mapping)>;

/// The body of a nested block and its mapping, if the block is one.
fn nested<'a>(side: Option<(&Block<'a>, Option<&'a Value>)>) -> Source<'a> {
    let (b, val) = side?;
    let m = val?.as_mapping()?;
    (b.is_nested() && !m.is_empty()).then(|| (&b.lines[b.lead + 1..], m))
}

fn emit_mapping(
    merged: &Mapping,
    theirs: Source<'_>,
    ours: Source<'_>,
    indent: usize,
) -> Option<Vec<String>> {
    let t = match theirs {
        Some((lines, m)) => Some((split(lines, indent)?, m)),
        None => None,
    };
    let o = ours.and_then(|(lines, m)| Some((split(lines, indent)?, m)));
    let find = |side: &Split<'_>, key: &str| -> Option<usize> {
        side.as_ref()
            .and_then(|((_, blocks), _)| blocks.iter().position(|b| b.key == key))
    };
    let mut out: Vec<String> = Vec::new();
    let preamble = t
        .as_ref()
        .or(o.as_ref())
        .map(|((p, _), _)| *p)
        .unwrap_or(&[]);
    out.extend(preamble.iter().map(|l| l.to_string()));
    for (k, v) in merged {
        let key = k.as_str()?;
        let tb = find(&t, key).and_then(|i| t.as_ref().map(|((_, b), m)| (&b[i], m.get(key))));
        let ob = find(&o, key).and_then(|i| o.as_ref().map(|((_, b), m)| (&b[i], m.get(key))));
        if let Some((b, tv)) = &tb {
            if *tv == Some(v) {
                out.extend(b.lines.iter().map(|l| l.to_string()));
                continue;
            }
        }
        if let Some((b, ov)) = &ob {
            if *ov == Some(v) {
                out.extend(b.lines.iter().map(|l| l.to_string()));
                continue;
            }
        }
        let lead: Vec<String> = tb
            .as_ref()
            .or(ob.as_ref())
            .map(|(b, _)| b.lines[..b.lead].iter().map(|l| l.to_string()).collect())
            .unwrap_or_default();
        out.extend(lead);
        let recursed = match (v.as_mapping(), &tb) {
            (Some(vm), Some((b, _))) if !vm.is_empty() => nested(tb).and_then(|ts| {
                let child = ts.0.iter().find(|l| !is_filler(l)).map(|l| indent_of(l))?;
                let mut lines = vec![b.lines[b.lead].to_string()];
                lines.extend(emit_mapping(vm, Some(ts), nested(ob), child)?);
                Some(lines)
            }),
            _ => None,
        };
        match recursed {
            Some(lines) => out.extend(lines),
            None => out.extend(serialize(key, v, indent)?),
        }
    }
    Some(out)
}

/// The text of `merged`, reusing the new render's and the operator's text where they agree.
pub(crate) fn emit(
    merged: &Value,
    theirs_text: &str,
    theirs: &Value,
    ours_text: &str,
    ours: &Value,
) -> String {
    if merged == theirs {
        return theirs_text.to_string();
    }
    if merged == ours {
        return ours_text.to_string();
    }
    let t: Vec<&str> = theirs_text.lines().collect();
    let o: Vec<&str> = ours_text.lines().collect();
    let attempt = match (merged.as_mapping(), theirs.as_mapping()) {
        (Some(m), Some(tm)) => emit_mapping(
            m,
            Some((&t, tm)),
            ours.as_mapping().map(|om| (o.as_slice(), om)),
            0,
        ),
        _ => None,
    };
    if let Some(lines) = attempt {
        let text = lines.join("\n") + "\n";
        if crate::manifest::parse_yaml(&text).ok().as_ref() == Some(merged) {
            return text;
        }
    }
    let header: String = t
        .iter()
        .take_while(|l| l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "{header}{}",
        crate::manifest::to_yaml(merged).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Value {
        crate::manifest::parse_yaml(t).unwrap()
    }

    #[test]
    fn emit_keeps_comments_of_untouched_and_operator_sections() {
        let theirs =
            "# head\n\n# about a\na:\n  x: 1\n  y: 2\n\n# about b\nb:\n  # inner b\n  z: 3\n";
        let ours = "# head\n\n# about a\na:\n  x: 1\n  y: 2\n\n# about b (mine)\nb:\n  # my note\n  z: 4\n";
        let merged = parse("a: {x: 1, y: 2}\nb: {z: 4}\n");
        let text = emit(&merged, theirs, &parse(theirs), ours, &parse(ours));
        assert_eq!(text, ours);
        let merged = parse("a: {x: 1, y: 2, w: 9}\nb: {z: 3}\n");
        let text = emit(&merged, theirs, &parse(theirs), ours, &parse(ours));
        assert!(
            text.contains("# about a\na:\n  x: 1\n  y: 2\n  w: 9\n"),
            "{text}"
        );
        assert!(
            text.contains("# about b\nb:\n  # inner b\n  z: 3\n"),
            "{text}"
        );
        assert_eq!(parse(&text), merged);
    }

    #[test]
    fn emit_descends_into_mixed_mappings_only() {
        let theirs = "s:\n  api:\n    hpa:\n      enabled: true\n  # the audit service\n  audit:\n    extraEnv:\n    - name: A\n      value: '1'\n";
        let ours = "s:\n  api:\n    hpa:\n      enabled: true\n    replicas: 5\n  audit:\n    extraEnv:\n    - name: A\n      value: '0'\n";
        let merged = parse("s: {api: {hpa: {enabled: true}, replicas: 5}, audit: {extraEnv: [{name: A, value: '1'}]}}");
        let text = emit(&merged, theirs, &parse(theirs), ours, &parse(ours));
        assert_eq!(parse(&text), merged);
        assert!(text.contains("  # the audit service\n  audit:"), "{text}");
    }

    #[test]
    fn split_refuses_text_it_cannot_read() {
        let lines = ["a: 1", " b: 2"];
        assert!(split(&lines, 1).is_none());
    }
}
