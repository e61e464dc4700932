//! The migrated `kustomization.yaml` names exactly the files there after the write: whatever
//! the merge kept from the operator's copy, an entry naming a file the migration removes is
//! dropped and each resource file the migration adds is listed (else `kubectl apply -k .`
//! fails, or silently leaves a new NetworkPolicy out).
use std::collections::BTreeSet;

use super::MigrationPlan;
use crate::error::Problem;

/// The overlay's kustomization.
pub(super) const FILE: &str = "kustomization.yaml";

impl MigrationPlan {
    /// Fixes the `resources:` of the merged `kustomization.yaml` in [`MigrationPlan::files`];
    /// when its layout can't be edited line by line, records why, and
    /// [`MigrationPlan::ensure_allowed`] refuses the write.
    pub(super) fn reconcile_kustomization(&mut self) {
        self.kustomization_problem = None;
        let Some(text) = self.files.get(FILE) else {
            return;
        };
        let removed: BTreeSet<&str> = self.removed.iter().map(String::as_str).collect();
        // Resource files the migration creates: in the new render's list, not on disk before.
        let added: Vec<String> = self
            .rendered
            .get(FILE)
            .map(|t| resources(t).unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .filter(|r| self.rendered.contains_key(r) && !self.before.contains_key(r))
            .collect();
        match reconcile(text, &removed, &added) {
            Ok(Some(new)) => {
                self.files.insert(FILE.into(), new);
            }
            Ok(None) => {}
            Err(reason) => {
                self.kustomization_problem = Some(Problem::new(FILE, reason));
            }
        }
    }
}

/// The string entries of `resources:` in a kustomization; `Err` when it isn't YAML.
fn resources(text: &str) -> Result<Vec<String>, String> {
    let doc = crate::manifest::parse_yaml(text).map_err(|e| format!("not valid YAML ({e})"))?;
    Ok(doc
        .get("resources")
        .and_then(serde_yaml::Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// `text` without the `resources:` entries naming a file in `removed` and with each of
/// `added` it lacks appended, every other byte kept; `None` when nothing changes. `Err`
/// (why, and what to do) when its layout is not a block-style `resources:` list.
fn reconcile(
    text: &str,
    removed: &BTreeSet<&str>,
    added: &[String],
) -> Result<Option<String>, String> {
    let cannot = |what: String| {
        format!("{what}, and this file (your edit, kept) doesn't list its resources as a plain `resources:` block the migration can edit: fix its `resources:` by hand (or delete kustomization.yaml to get the new profile's), then migrate again")
    };
    let present = resources(text).map_err(|e| {
        format!("{e}; fix it, or delete kustomization.yaml to get the new profile's")
    })?;
    let stale: Vec<&String> = present
        .iter()
        .filter(|r| removed.contains(norm(r)))
        .collect();
    let missing: Vec<&String> = added
        .iter()
        .filter(|a| !present.iter().any(|p| norm(p) == a.as_str()))
        .collect();
    if stale.is_empty() && missing.is_empty() {
        return Ok(None);
    }
    let what = {
        let mut parts = Vec::new();
        if !stale.is_empty() {
            parts.push(format!(
                "it lists {} which the migration removes",
                join(&stale)
            ));
        }
        if !missing.is_empty() {
            parts.push(format!(
                "it lacks {} which the migration adds",
                join(&missing)
            ));
        }
        parts.join(" and ")
    };
    let expected: Vec<&String> = present
        .iter()
        .filter(|r| !removed.contains(norm(r)))
        .chain(missing.iter().copied())
        .collect();
    let out = edit(text, removed, &missing).ok_or_else(|| cannot(what.clone()))?;
    match resources(&out) {
        Ok(back) if back.iter().collect::<Vec<_>>() == expected => Ok(Some(out)),
        _ => Err(cannot(what)),
    }
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line edit of [`reconcile`]: drops `- <removed>` lines of the top-level block
/// `resources:` and appends `missing` after its last entry (a block is added at the end
/// when there is no `resources:` key). `None` when the list is not in block style.
fn edit(text: &str, removed: &BTreeSet<&str>, missing: &[&String]) -> Option<String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let key = |l: &str| {
        l.trim_end()
            .strip_prefix("resources:")
            .map(|rest| rest.trim_start().is_empty() || rest.trim_start().starts_with('#'))
    };
    let Some(start) = lines.iter().position(|l| key(l).is_some()) else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&format!("resources:{eol}"));
        for m in missing {
            out.push_str(&format!("- {}{eol}", entry(m)?));
        }
        return Some(out);
    };
    // `resources: [a, b]` or `resources: x`: not a block list.
    if key(lines[start]) != Some(true) {
        return None;
    }
    let mut out: String = lines[..=start].concat();
    let mut prefix = None;
    let mut end = start + 1;
    let mut kept_after = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = l.trim_start_matches(' ');
        if l.trim().is_empty() || trimmed.starts_with('#') {
            kept_after.push(*l);
            continue;
        }
        let Some(value) = trimmed.strip_prefix("- ") else {
            if l.starts_with(' ') || l.starts_with('-') || l.starts_with('\t') {
                return None;
            }
            break;
        };
        prefix.get_or_insert_with(|| l[..l.len() - trimmed.len()].to_string());
        out.push_str(&kept_after.concat());
        kept_after.clear();
        if !removed.contains(norm(&plain(value)?)) {
            out.push_str(l);
        }
        end = i + 1;
    }
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    let prefix = prefix.unwrap_or_default();
    for m in missing {
        out.push_str(&format!("{prefix}- {}{eol}", entry(m)?));
    }
    out.push_str(&lines[end..].concat());
    Some(out)
}

/// A resource entry as the overlay path it names: kustomize reads `./network/x.yaml` and
/// `network/x.yaml` alike (attacker round 3: a `./` entry survived its file's removal).
fn norm(entry: &str) -> &str {
    let mut e = entry;
    while let Some(rest) = e.strip_prefix("./") {
        e = rest;
    }
    e
}

/// The string of a block-list entry's text (after `- `): plain, or quoted; `None` for
/// anything else.
fn plain(value: &str) -> Option<String> {
    let v = match value.find(" #") {
        Some(at) => &value[..at],
        None => value,
    }
    .trim();
    match crate::manifest::parse_yaml(v).ok()? {
        serde_yaml::Value::String(s) => Some(s),
        _ => None,
    }
}

/// A file name as a block-list entry (quoted when YAML would read it otherwise).
fn entry(name: &str) -> Option<String> {
    Some(crate::manifest::to_yaml(&name).ok()?.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "# mine\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";

    fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
        items.iter().copied().collect()
    }

    #[test]
    fn removed_entries_go_and_added_files_are_listed_keeping_the_rest() {
        let text = format!("{HEAD}resources:\n- network/extra.yaml # mine\n- namespace.yaml\n- network/sts-egress.yaml\n# end\nlabels: []\n");
        let added = vec!["network/baseline.yaml".to_string()];
        let out = reconcile(&text, &set(&["network/sts-egress.yaml"]), &added)
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            format!("{HEAD}resources:\n- network/extra.yaml # mine\n- namespace.yaml\n- network/baseline.yaml\n# end\nlabels: []\n")
        );
        assert_eq!(reconcile(&out, &set(&[]), &added).unwrap(), None);
    }

    #[test]
    fn dot_slash_entries_name_the_same_files() {
        let text = format!("{HEAD}resources:\n- ./network/baseline.yaml\n- ././network/extra.yaml\n- namespace.yaml\n");
        let out = reconcile(
            &text,
            &set(&["network/baseline.yaml"]),
            &["namespace.yaml".to_string()],
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            resources(&out).unwrap(),
            ["././network/extra.yaml", "namespace.yaml"]
        );
    }

    #[test]
    fn indented_entries_keep_their_indent() {
        let text = format!("{HEAD}resources:\n  - a.yaml\n  - 'b.yaml'\n");
        let out = reconcile(&text, &set(&["b.yaml"]), &["c.yaml".into()])
            .unwrap()
            .unwrap();
        assert_eq!(out, format!("{HEAD}resources:\n  - a.yaml\n  - c.yaml\n"));
    }

    #[test]
    fn a_flow_list_is_refused_naming_the_entries() {
        let text = format!("{HEAD}resources: [a.yaml, b.yaml]\n");
        let e = reconcile(&text, &set(&["b.yaml"]), &[]).unwrap_err();
        assert!(e.contains("`b.yaml` which the migration removes"), "{e}");
        assert_eq!(reconcile(&text, &set(&["z.yaml"]), &[]).unwrap(), None);
    }
}
