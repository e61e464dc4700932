//! Read-only accessors into a parsed YAML document, shared by the static and rendered checks.
use serde_yaml::Value;

/// The value at `path` (map keys), if every step exists.
pub(crate) fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(*k))
}

/// The string at `path`, if it is one.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

/// The bool at `path`, if it is one.
pub(crate) fn bool_at(v: &Value, path: &[&str]) -> Option<bool> {
    get(v, path).and_then(Value::as_bool)
}

/// A Kubernetes object's `kind` (empty when missing).
pub(crate) fn kind(v: &Value) -> &str {
    str_at(v, &["kind"]).unwrap_or_default()
}

/// A Kubernetes object's `metadata.name` (empty when missing).
pub(crate) fn name(v: &Value) -> &str {
    str_at(v, &["metadata", "name"]).unwrap_or_default()
}

/// The sequence at `path`; empty when missing or not a sequence.
pub(crate) fn seq<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Whether `v` is the bool `true`.
pub(crate) fn is_true(v: Option<&Value>) -> bool {
    v.and_then(Value::as_bool).unwrap_or(false)
}

/// Whether `v` is a map with at least one entry.
pub(crate) fn non_empty_map(v: Option<&Value>) -> bool {
    v.and_then(Value::as_mapping).is_some_and(|m| !m.is_empty())
}

/// Whether `v` is a sequence with at least one item.
pub(crate) fn non_empty_seq(v: Option<&Value>) -> bool {
    v.and_then(Value::as_sequence)
        .is_some_and(|s| !s.is_empty())
}

/// A scalar (string, number or bool) as a string, the way YAML wrote it.
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
