//! Three-way merge of one overlay file on YAML key paths: base = what the wizard rendered
//! from the old answers, ours = the file on disk, theirs = the new render.
//!
//! Leaves are scalars, lists and empty mappings: a list changed on both sides is one
//! conflict. Keys the target profile pins (see [`PINNED`]) conflict whenever the operator's
//! value differs from the new one, even if the migration left them as they were, because
//! keeping the operator's value would break the profile. Files that are not YAML
//! mappings merge whole: the operator's copy is kept if the new render didn't change it.
use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use super::emit;

/// Which side wins a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The operator's value (the file on disk).
    Ours,
    /// The value the new profile renders.
    Theirs,
}

/// Why a key (or file) conflicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ConflictKind {
    /// The operator and the migration both changed it, differently.
    BothChanged,
    /// The target profile pins this key and the operator's value differs.
    Pinned,
    /// What the wizard originally wrote is unknown (written by another version, or the
    /// answers were edited), so every difference from the new render is a conflict.
    UnknownBase,
}

/// One key (or whole file) the operator and the migration disagree on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// File, relative to the overlay.
    pub file: String,
    /// Key path, e.g. `networkPolicy.allowOpenHttps`; `None` for a whole non-YAML file.
    pub path: Option<String>,
    /// The operator's value (`(absent)` when they removed it).
    pub ours: String,
    /// The value the migration writes (`(absent)` when it removes it).
    pub theirs: String,
    /// Why it conflicts.
    pub kind: ConflictKind,
    /// The choice made, if any.
    pub resolution: Option<Side>,
}

/// Values-file keys the profiles decide: an operator's different value there is always a
/// conflict (the chart's guardrails and the profile's meaning hang on them).
pub const PINNED: [&str; 6] = [
    "global.mode",
    "global.evaluation",
    "secrets.create",
    "networkPolicy.enabled",
    "networkPolicy.allowOpenDns",
    "networkPolicy.allowOpenHttps",
];

/// A key path: mapping keys from the root.
pub(crate) type KeyPath = Vec<String>;

/// Writes a key path for people: `a.b."c.d/e"`.
pub(crate) fn show_path(p: &[String]) -> String {
    p.iter()
        .map(|k| {
            if k.is_empty() || k.contains(['.', '/', ' ', '"']) {
                format!("\"{}\"", k.replace('"', "\\\""))
            } else {
                k.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn show_value(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => serde_json::to_string(v).unwrap_or_else(|_| "(unprintable)".into()),
    }
}

/// Every leaf of a YAML document by key path; `None` if a key is not a string.
pub(crate) fn leaves(v: &Value) -> Option<BTreeMap<KeyPath, Value>> {
    fn walk(v: &Value, prefix: &mut KeyPath, out: &mut BTreeMap<KeyPath, Value>) -> Option<()> {
        match v {
            Value::Mapping(m) if !m.is_empty() => {
                for (k, child) in m {
                    prefix.push(k.as_str()?.to_string());
                    walk(child, prefix, out)?;
                    prefix.pop();
                }
            }
            other => {
                out.insert(prefix.clone(), other.clone());
            }
        }
        Some(())
    }
    let mut out = BTreeMap::new();
    walk(v, &mut Vec::new(), &mut out)?;
    Some(out)
}

/// Sets `path` to `value`, creating mappings on the way. Where a non-mapping is in the way
/// it fails, or with `force` replaces it by a mapping.
fn set(doc: &mut Value, path: &[String], value: Value, force: bool) -> Result<(), ()> {
    let mut cur = doc;
    for k in path {
        if cur.is_null() || (force && !cur.is_mapping()) {
            *cur = Value::Mapping(Mapping::new());
        }
        let Value::Mapping(m) = cur else {
            return Err(());
        };
        cur = m.entry(Value::String(k.clone())).or_insert(Value::Null);
    }
    *cur = value;
    Ok(())
}

/// Removes `path`, then any mapping it leaves empty that `keep` (the operator's document) lacks.
fn remove(doc: &mut Value, path: &[String], keep: &Value) {
    fn get<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
        path.iter().try_fold(v, |cur, k| cur.get(k.as_str()))
    }
    for depth in (1..=path.len()).rev() {
        let (prefix, key) = (&path[..depth - 1], &path[depth - 1]);
        let mut cur = &mut *doc;
        for k in prefix {
            match cur.get_mut(k.as_str()) {
                Some(next) => cur = next,
                None => return,
            }
        }
        let Value::Mapping(m) = cur else { return };
        let is_leaf = depth == path.len();
        let empty_and_gone = m
            .get(key.as_str())
            .is_some_and(|v| v.as_mapping().is_some_and(Mapping::is_empty))
            && get(keep, &path[..depth]).is_none();
        if is_leaf || empty_and_gone {
            m.remove(key.as_str());
        } else {
            return;
        }
    }
}

/// One key-level edit applied to the new render.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Edit {
    path: KeyPath,
    /// `None` removes the key.
    value: Option<Value>,
}

/// The merge of one YAML file, kept so conflicts can be resolved later.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YamlMerge {
    ours_text: String,
    theirs_text: String,
    ours: Value,
    theirs: Value,
    /// Operator edits the migration doesn't touch.
    clean: Vec<Edit>,
    /// Per conflict (same order as the file's conflicts): the operator's edit.
    conflicting: Vec<Edit>,
}

/// How one file of the overlay is merged.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FileMerge {
    /// Key-level merge.
    Yaml(YamlMerge),
    /// Whole-file: ours or theirs.
    Text {
        /// The operator's file.
        ours: String,
        /// The new render.
        theirs: String,
    },
}

/// The outcome of merging one file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Merged {
    pub merge: FileMerge,
    pub conflicts: Vec<Conflict>,
}

fn is_pinned(path: &[String]) -> bool {
    let p = path.join(".");
    PINNED.contains(&p.as_str())
}

/// Merges `file`. `base` is `None` when the wizard's original is unknown.
pub(crate) fn merge_file(file: &str, base: Option<&str>, ours: &str, theirs: &str) -> Merged {
    let is_yaml = file.ends_with(".yaml") || file.ends_with(".yml");
    let parse = |t: &str| {
        crate::manifest::parse_yaml(t)
            .ok()
            .filter(Value::is_mapping)
            .and_then(|v| leaves(&v).map(|l| (v, l)))
    };
    let parsed = if is_yaml {
        match (base.map(parse), parse(ours), parse(theirs)) {
            (Some(None), _, _) | (_, None, _) | (_, _, None) => None,
            (b, Some(o), Some(t)) => Some((b.flatten(), o, t)),
        }
    } else {
        None
    };
    let Some((base, (ours_v, o), (theirs_v, t))) = parsed else {
        return merge_text(file, base, ours, theirs);
    };
    let b = base.as_ref().map(|(_, l)| l);
    let paths: BTreeSet<&KeyPath> = o
        .keys()
        .chain(t.keys())
        .chain(b.into_iter().flat_map(|l| l.keys()))
        .collect();
    let mut clean = Vec::new();
    let mut conflicting = Vec::new();
    let mut conflicts = Vec::new();
    let mut trial = theirs_v.clone();
    for p in paths {
        let (bv, ov, tv) = (b.and_then(|l| l.get(p)), o.get(p), t.get(p));
        if ov == tv {
            continue;
        }
        let edit = Edit {
            path: p.clone(),
            value: ov.cloned(),
        };
        let kind = match b {
            None => Some(ConflictKind::UnknownBase),
            Some(_) if ov == bv => None,
            Some(_) if is_pinned(p) => Some(ConflictKind::Pinned),
            Some(_) if tv == bv => {
                clean.push(edit.clone());
                None
            }
            Some(_) => Some(ConflictKind::BothChanged),
        };
        // An operator edit the new render's structure blocks (a mapping became a value)
        // is a conflict too.
        let blocked = kind.is_none()
            && clean.last() == Some(&edit)
            && edit
                .value
                .as_ref()
                .is_some_and(|v| set(&mut trial, p, v.clone(), false).is_err());
        if blocked {
            clean.pop();
        }
        let kind = if blocked {
            Some(ConflictKind::BothChanged)
        } else {
            kind
        };
        if let Some(kind) = kind {
            conflicts.push(Conflict {
                file: file.to_string(),
                path: Some(show_path(p)),
                ours: show_value(ov),
                theirs: show_value(tv),
                kind,
                resolution: None,
            });
            conflicting.push(edit);
        }
    }
    Merged {
        merge: FileMerge::Yaml(YamlMerge {
            ours_text: ours.to_string(),
            theirs_text: theirs.to_string(),
            ours: ours_v,
            theirs: theirs_v,
            clean,
            conflicting,
        }),
        conflicts,
    }
}

fn merge_text(file: &str, base: Option<&str>, ours: &str, theirs: &str) -> Merged {
    let conflict = if ours == theirs || base == Some(theirs) {
        None
    } else {
        Some(Conflict {
            file: file.to_string(),
            path: None,
            ours: "(your edited file)".into(),
            theirs: "(the new render)".into(),
            kind: if base.is_some() {
                ConflictKind::BothChanged
            } else {
                ConflictKind::UnknownBase
            },
            resolution: None,
        })
    };
    // Theirs unchanged from base: the operator's copy is the merge.
    let theirs = if base == Some(theirs) { ours } else { theirs };
    Merged {
        merge: FileMerge::Text {
            ours: ours.to_string(),
            theirs: theirs.to_string(),
        },
        conflicts: conflict.into_iter().collect(),
    }
}

/// The file's text with `resolutions` (one per conflict; unresolved takes theirs).
pub(crate) fn apply(merge: &FileMerge, resolutions: &[Option<Side>]) -> String {
    match merge {
        FileMerge::Text { ours, theirs } => {
            if resolutions.first().copied().flatten() == Some(Side::Ours) {
                ours.clone()
            } else {
                theirs.clone()
            }
        }
        FileMerge::Yaml(m) => {
            let chosen = m
                .conflicting
                .iter()
                .zip(resolutions)
                .filter(|(_, r)| **r == Some(Side::Ours))
                .map(|(e, _)| e);
            let mut doc = m.theirs.clone();
            let edits: Vec<&Edit> = m.clean.iter().chain(chosen).collect();
            // Removals first, so a removed leaf can't take away a key set below it.
            for e in edits.iter().filter(|e| e.value.is_none()) {
                remove(&mut doc, &e.path, &m.ours);
            }
            for e in edits.iter().filter(|e| e.value.is_some()) {
                if let Some(v) = &e.value {
                    // Clean edits were checked to apply; a chosen operator value replaces
                    // whatever the new render has in its way.
                    let _ = set(&mut doc, &e.path, v.clone(), true);
                }
            }
            emit::emit(&doc, &m.theirs_text, &m.theirs, &m.ours_text, &m.ours)
        }
    }
}
