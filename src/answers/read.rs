//! Typing a YAML document of answers while collecting every problem (unknown keys, wrong
//! types, control characters), each with its key path and in the operator's words.
use std::collections::BTreeMap;

use serde_path_to_error::Segment;
use serde_yaml::Value;

use super::{Answers, Endpoint, Exposure};
use crate::error::Problem;
use crate::frontend::visible::is_hostile;

/// More problems than anyone reads; also bounds the retry loop below.
const MAX_PROBLEMS: usize = 100;

/// Types `doc`, or returns every problem found in it (in document order).
///
/// serde stops at the first error, so each error's node is reported and removed and the
/// document is typed again, until it types or nothing more can be removed.
pub(super) fn type_answers(doc: Value) -> Result<Answers, Vec<Problem>> {
    let order: Vec<String> = doc
        .as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    type_in_order(doc).map_err(|mut problems| {
        // Retries find problems out of order; list them as the file has them.
        problems.sort_by_key(|p| {
            let top = p.path.split(['.', '[']).next().unwrap_or_default();
            order.iter().position(|k| k == top).unwrap_or(usize::MAX)
        });
        problems
    })
}

fn type_in_order(mut doc: Value) -> Result<Answers, Vec<Problem>> {
    let mut problems = Vec::new();
    strip_control_characters(&mut doc, "", &mut problems);
    check_endpoint_maps(&mut doc, &mut problems);
    let mut removed: BTreeMap<String, usize> = BTreeMap::new();
    while problems.len() < MAX_PROBLEMS {
        let err = match serde_path_to_error::deserialize::<_, Answers>(doc.clone()) {
            Ok(answers) if problems.is_empty() => return Ok(answers),
            Ok(_) => break,
            Err(e) => e,
        };
        let segments: Vec<Segment> = err.path().iter().cloned().collect();
        let reason = err.into_inner().to_string();
        let path = original_path(&segments, &removed);
        let given = node(&doc, &segments).map(describe_value);
        problems.push(explain(&path, &reason, given.as_deref()));
        if !remove(&mut doc, &segments) {
            break;
        }
        if let (Some(Segment::Seq { .. }), Some((_, parent))) =
            (segments.last(), segments.split_last())
        {
            *removed.entry(original_path(parent, &removed)).or_default() += 1;
        }
    }
    Err(problems)
}

/// The dotted path of `segments` in the document as written: items removed from a list
/// came before the current one (serde reads in order), so they shift its index.
fn original_path(segments: &[Segment], removed: &BTreeMap<String, usize>) -> String {
    let mut path = String::new();
    for s in segments {
        match s {
            Segment::Seq { index } => {
                let shift = removed.get(&path).copied().unwrap_or(0);
                path.push_str(&format!("[{}]", index + shift));
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&short_key(key));
            }
            Segment::Unknown => path.push_str(".?"),
        }
    }
    path
}

fn node<'a>(doc: &'a Value, segments: &[Segment]) -> Option<&'a Value> {
    segments.iter().try_fold(doc, |cur, s| match s {
        Segment::Seq { index } => cur.as_sequence()?.get(*index),
        Segment::Map { key } => cur.as_mapping()?.get(key.as_str()),
        _ => None,
    })
}

/// Removes the node at `segments`; `false` when there is none (the root, or a lost path).
fn remove(doc: &mut Value, segments: &[Segment]) -> bool {
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut cur = doc;
    for s in parents {
        let next = match s {
            Segment::Seq { index } => cur.as_sequence_mut().and_then(|q| q.get_mut(*index)),
            Segment::Map { key } => cur.as_mapping_mut().and_then(|m| m.get_mut(key.as_str())),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    match (last, cur) {
        (Segment::Seq { index }, Value::Sequence(q)) if *index < q.len() => {
            q.remove(*index);
            true
        }
        (Segment::Map { key }, Value::Mapping(m)) => m.remove(key.as_str()).is_some(),
        _ => false,
    }
}

/// Reports every string (and key) holding a control, format (bidi, zero-width) or separator
/// character and drops those characters,
/// so the rest of the document can still be typed. No answer is multi-line.
fn strip_control_characters(v: &mut Value, path: &str, problems: &mut Vec<Problem>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match v {
        Value::String(s) => {
            if let Some(c) = s
                .chars()
                .find(|c| is_hostile(*c) || *c == '\n' || *c == '\t')
            {
                problems.push(Problem::new(
                    path,
                    format!(
                        "contains the {} {}; answers are single lines of printable text",
                        if c.is_control() {
                            "control character"
                        } else {
                            "invisible character"
                        },
                        c.escape_unicode()
                    ),
                ));
                s.retain(|c| !(is_hostile(c) || c == '\n' || c == '\t'));
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                strip_control_characters(item, &format!("{path}[{i}]"), problems);
            }
        }
        Value::Mapping(m) => {
            // serde can only say `.?: must be field identifier` of a key that isn't text.
            let not_text: Vec<Value> = m.keys().filter(|k| !k.is_string()).cloned().collect();
            for k in not_text {
                let written = short_key(&written_key(&k)).into_owned();
                problems.push(Problem::new(
                    join(&written),
                    format!(
                        "the key `{written}` is {}, not text; keys are names such as `cloud`: remove it, or quote it if it is a name",
                        key_kind(&k)
                    ),
                ));
                m.remove(&k);
            }
            let bad: Vec<Value> = m
                .keys()
                .filter(|k| {
                    k.as_str()
                        .is_some_and(|k| k.chars().any(|c| is_hostile(c) || c == '\n' || c == '\t'))
                })
                .cloned()
                .collect();
            for k in bad {
                let shown = k.as_str().unwrap_or_default().escape_default().to_string();
                let shown = short_key(&shown).into_owned();
                problems.push(Problem::new(
                    join(&shown),
                    "this key contains an invisible or control character; remove the key",
                ));
                m.remove(&k);
            }
            for (k, item) in m.iter_mut() {
                let key = k
                    .as_str()
                    .map_or_else(|| describe_value(k), |k| short_key(k).into_owned());
                strip_control_characters(item, &join(&key), problems);
            }
        }
        Value::Tagged(t) => strip_control_characters(&mut t.value, path, problems),
        _ => {}
    }
}

/// Checks `endpoints` and `hosts` key by key (serde can't name an enum-keyed map's key in
/// its error path) and removes what is wrong, so typing goes on.
fn check_endpoint_maps(doc: &mut Value, problems: &mut Vec<Problem>) {
    let endpoint_keys: Vec<&str> = Endpoint::ALL.iter().map(|e| e.key()).collect();
    let exposure_keys: Vec<&str> = Exposure::ALL.iter().map(|e| e.key()).collect();
    for map_key in ["endpoints", "hosts"] {
        let Some(map) = doc.get_mut(map_key).and_then(Value::as_mapping_mut) else {
            continue;
        };
        let mut bad = Vec::new();
        for (k, v) in map.iter() {
            let key = k.as_str().map_or_else(|| describe_value(k), str::to_string);
            let path = format!("{map_key}.{}", short_key(&key));
            if !endpoint_keys.contains(&key.as_str()) {
                let hint = match suggest(&key, &endpoint_keys) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                problems.push(Problem::new(
                    path,
                    format!(
                        "unknown endpoint; {hint}use one of {}",
                        endpoint_keys.join(", ")
                    ),
                ));
                bad.push(k.clone());
                continue;
            }
            if map_key != "endpoints" {
                continue;
            }
            let message = match v {
                Value::String(s) if exposure_keys.contains(&s.as_str()) => continue,
                Value::Bool(false) => {
                    "read as `false` (YAML 1.1 reads `off`/`no` as false); write `disabled`".into()
                }
                Value::String(s) if s == "off" => "`off` is not an exposure; use public, internal or disabled (write `disabled`, not `off`: YAML 1.1 tools read `off` as false)".into(),
                other => format!(
                    "must be public, internal or disabled; got {}",
                    describe_value(other)
                ),
            };
            problems.push(Problem::new(path, message));
            bad.push(k.clone());
        }
        for k in bad {
            map.remove(&k);
        }
    }
}

/// The longest key named in full in a message; no known key comes close.
const MAX_SHOWN_KEY: usize = 64;

/// `key` for a message: in full up to [`MAX_SHOWN_KEY`] bytes, else its start, an
/// ellipsis and its length (a 900 KB key would make a 900 KB message).
fn short_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.len() <= MAX_SHOWN_KEY {
        return key.into();
    }
    let start: String = key.chars().take(32).collect();
    format!("{start}… ({} bytes)", key.len()).into()
}

/// A key that is not text as the operator wrote it (`1`, `true`, `~`, `[a, b]`).
fn written_key(v: &Value) -> String {
    match v {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(written_key).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(m) => {
            let entries: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", written_key(k), written_key(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Tagged(t) => format!("{} {}", t.tag, written_key(&t.value)),
    }
}

/// What a key that is not text is, for the message.
fn key_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null (`~`, `null` or nothing)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) | Value::String(_) => "a tagged value",
    }
}

/// A value as the operator wrote it, for "got …": scalars literally, collections by kind.
fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

/// The last key of a dotted path with list indices (`egress.other[0].ports[1]` → `ports`).
fn last_key(path: &str) -> &str {
    let key = path.rsplit('.').next().unwrap_or(path);
    key.split('[').next().unwrap_or(key)
}

/// What a value at `path` must be, from serde's `expected …` and the key.
fn expectation(path: &str, expected: &str) -> String {
    let key = last_key(path);
    let integer = ["u8", "u16", "u32", "u64", "i32", "i64"].contains(&expected);
    match expected {
        _ if integer && (key == "port" || key == "ports") => "a port number (1–65535)".into(),
        _ if integer && key == "version" => {
            "the answers-file version, a whole number such as 1".into()
        }
        _ if integer && key == "auditDays" => "a whole number of days".into(),
        _ if integer => "a whole number".into(),
        "a string" => "text".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list, e.g. `[a, b]`".into(),
        "a map" => "a mapping of keys, e.g. `{key: value}`".into(),
        s if s.starts_with("struct ") => "a mapping of keys, e.g. `{key: value}`".into(),
        other => other.to_string(),
    }
}

/// One serde error at `path` as a problem: what the answer must be and what was given.
fn explain(path: &str, reason: &str, given: Option<&str>) -> Problem {
    let got = given.map(|g| format!("; got {g}")).unwrap_or_default();
    if let Some(rest) = reason.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let known = backticked(rest);
        let hint = match suggest(field, &known) {
            Some(s) => format!("; did you mean `{s}`?"),
            None if known.is_empty() => "; this mapping takes no keys".into(),
            None => format!("; use one of {}", known.join(", ")),
        };
        return Problem::new(path, format!("unknown key `{}`{hint}", short_key(field)));
    }
    if let Some(rest) = reason.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        let full = if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        return Problem::new(full, "missing; it is required here");
    }
    if let Some(rest) = reason.strip_prefix("unknown variant `") {
        let (_, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let mut message = format!("must be one of {}{got}", backticked(rest).join(", "));
        if given == Some("\"off\"") {
            message.push_str(" (write `disabled`, not `off`: YAML 1.1 tools read `off` as false)");
        }
        return Problem::new(path, message);
    }
    if reason.contains("untagged enum EgressEntry") {
        return Problem::new(
            path,
            format!("must be a CIDR such as `10.0.0.0/16` or `{{cidr: 10.0.0.0/16, ports: [443]}}`{got}"),
        );
    }
    if reason.contains("untagged enum Scalar") {
        return Problem::new(path, format!("must be text or true/false{got}"));
    }
    if let Some((_, expected)) = reason.split_once(", expected ") {
        let expected = expected.split(" at line ").next().unwrap_or(expected);
        return Problem::new(
            path,
            format!("must be {}{got}", expectation(path, expected)),
        );
    }
    Problem::new(path, reason.replace("unknown field", "unknown key"))
}

/// The words in backticks of serde's `expected one of `a`, `b``.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The known key `key` was most likely meant as: the same but for case, or within a small
/// edit distance.
fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    // No known key is this long, and the edit distance takes time key × known key.
    if key.len() > MAX_SHOWN_KEY {
        return None;
    }
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(k);
    }
    let limit = (key.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (distance(&key.to_lowercase(), &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Edit distance in characters, a swap of two neighbours counting as one edit (`hots`).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests;
