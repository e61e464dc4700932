//! The evaluation's `secrets.local.yaml`: generated when absent, and when keys are missing
//! completed by adding only their lines, the rest kept byte for byte (it is the only copy).
use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::WriteError;
use crate::overlay_dir::{OverlayDir, OverlayPath};

#[derive(Serialize)]
struct LocalSecrets {
    secrets: LocalSecretsInner,
}

#[derive(Serialize)]
struct LocalSecretsInner {
    plaintext: BTreeMap<String, String>,
}

/// Keys of the chart's evaluation Secret that need a value.
pub const LOCAL_SECRET_KEYS: [&str; 11] = [
    "postgresPassword",
    "redisPassword",
    "caracalAdminToken",
    "metricsBearer",
    "caracalCoordinatorToken",
    "caracalAuthSecret",
    "secretStoreKek",
    "auditHmacKey",
    "streamsHmacKey",
    "idempotencyHmacKey",
    "gatewayStsHmacKey",
];

fn random_hex(bytes: usize) -> Result<String, WriteError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| std::io::Error::other(format!("no randomness: {e}")))?;
    Ok(crate::render::hex(&buf))
}

/// A temporary secrets file to write, and how many of its keys are new.
pub(super) struct SecretsUpdate {
    /// The whole file.
    pub text: String,
    /// Keys generated now.
    pub generated: usize,
    /// Keys that were there.
    pub kept: usize,
}

/// What the evaluation's `secrets.local.yaml` (`rel` in `overlay`) needs: nothing when it
/// has a value for every key; otherwise the file with the missing keys added and every
/// byte already there kept (a file cut short, say by a crash right after it was written,
/// is completed, never reset). A file whose layout can't take new lines is refused.
pub(super) fn local_secrets_update(
    overlay: &OverlayDir,
    rel: &OverlayPath,
) -> Result<Option<SecretsUpdate>, WriteError> {
    let refuse = |reason: String| WriteError::LocalSecrets {
        path: overlay.path(rel),
        reason,
    };
    let text = match overlay.read(rel)? {
        None => None,
        Some(bytes) => Some(String::from_utf8(bytes).map_err(|_| {
            refuse("not UTF-8 text; fix it, or delete it to generate new temporary secrets".into())
        })?),
    };
    let kept = match &text {
        Some(t) => read_local_secrets(t).map_err(refuse)?,
        None => BTreeMap::new(),
    };
    let mut added = Vec::new();
    for k in LOCAL_SECRET_KEYS {
        if !kept.contains_key(k) {
            added.push((k, random_hex(32)?));
        }
    }
    if added.is_empty() {
        return Ok(None);
    }
    let new_text = match &text {
        None => local_secrets(added.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())?,
        Some(old) => complete(old, &kept, &added).ok_or_else(|| {
            let keys: Vec<&str> = added.iter().map(|(k, _)| *k).collect();
            refuse(format!(
                "it lacks {} but its layout is not the usual `secrets:` / `  plaintext:` block, so caracal-wizard won't rewrite it (it is the only copy of these credentials); add them under `secrets.plaintext` by hand, or delete the file to generate new temporary secrets",
                keys.join(", ")
            ))
        })?,
    };
    Ok(Some(SecretsUpdate {
        text: new_text,
        generated: added.len(),
        kept: kept.len(),
    }))
}

/// `text` with `added` inserted at the end of its block-style `secrets.plaintext`
/// mapping (or a new `secrets:` block appended when there is none), checked by parsing
/// it back: every kept value the same, every added one there. `None`: can't be done.
fn complete(
    text: &str,
    kept: &BTreeMap<String, String>,
    added: &[(&str, String)],
) -> Option<String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (at, indent) = match plaintext_block(&lines) {
        Some(found) => found,
        None if parses_without_secrets(text) => (lines.len(), String::new()),
        None => return None,
    };
    let mut out: String = lines[..at].concat();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    if indent.is_empty() {
        out.push_str(&format!("secrets:{eol}  plaintext:{eol}"));
    }
    let indent = if indent.is_empty() { "    " } else { &indent };
    for (k, v) in added {
        // Quoted exactly as a freshly generated file quotes it (hex may read as a number).
        let v = crate::manifest::to_yaml(v).ok()?;
        out.push_str(&format!("{indent}{k}: {}{eol}", v.trim_end()));
    }
    out.push_str(&lines[at..].concat());
    let back = read_local_secrets(&out).ok()?;
    let expected: BTreeMap<String, String> = kept
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .chain(added.iter().map(|(k, v)| (k.to_string(), v.clone())))
        .collect();
    (back == expected).then_some(out)
}

/// Where the block-style `secrets:` / `plaintext:` mapping of `lines` ends (the index to
/// insert at) and the indent of its entries.
fn plaintext_block(lines: &[&str]) -> Option<(usize, String)> {
    let bare = |l: &str, key: &str| {
        let l = l.trim_end();
        l.strip_prefix(key)
            .is_some_and(|rest| rest.is_empty() || rest.trim_start().starts_with('#'))
    };
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let is_blank = |l: &str| l.trim().is_empty();
    let secrets = lines.iter().position(|l| bare(l, "secrets:"))?;
    let mut plaintext = None;
    for (i, l) in lines.iter().enumerate().skip(secrets + 1) {
        if is_blank(l) {
            continue;
        }
        if indent_of(l) == 0 {
            break;
        }
        if bare(l.trim_start_matches(' '), "plaintext:") {
            plaintext = Some((i, indent_of(l)));
            break;
        }
    }
    let (start, outer) = plaintext?;
    let mut end = start + 1;
    let mut entry_indent = None;
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        if is_blank(l) {
            continue;
        }
        if indent_of(l) <= outer || l.starts_with('\t') {
            break;
        }
        if entry_indent.is_none() && !l.trim_start().starts_with('#') {
            entry_indent = Some(indent_of(l));
        }
        end = i + 1;
    }
    Some((end, " ".repeat(entry_indent.unwrap_or(outer + 2))))
}

/// Whether `text` is YAML with no `secrets` key at all (empty, comments only, or other keys).
fn parses_without_secrets(text: &str) -> bool {
    match crate::manifest::parse_yaml(text) {
        Ok(serde_yaml::Value::Null) => true,
        Ok(serde_yaml::Value::Mapping(m)) => !m.contains_key("secrets"),
        _ => false,
    }
}

/// The non-empty values under `secrets.plaintext` of a temporary secrets file.
fn read_local_secrets(text: &str) -> Result<BTreeMap<String, String>, String> {
    let doc = crate::manifest::parse_yaml(text).map_err(|e| {
        format!("not valid YAML ({e}); fix it, or delete it to generate new temporary secrets")
    })?;
    let plaintext = match doc.get("secrets").and_then(|s| s.get("plaintext")) {
        None | Some(serde_yaml::Value::Null) => return Ok(BTreeMap::new()),
        Some(p) => p,
    };
    let map = plaintext.as_mapping().ok_or_else(|| {
        "`secrets.plaintext` must map each key to its value; fix it, or delete the file to generate new temporary secrets".to_string()
    })?;
    Ok(map
        .iter()
        .filter_map(|(k, v)| {
            let v = match v {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((k.as_str()?.to_string(), v)).filter(|(_, v)| !v.is_empty())
        })
        .collect())
}

fn local_secrets(plaintext: BTreeMap<String, String>) -> Result<String, WriteError> {
    let body = crate::manifest::to_yaml(&LocalSecrets {
        secrets: LocalSecretsInner { plaintext },
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(format!(
        "# Temporary credentials for this evaluation, random and local to this machine.\n# Git-ignored; never commit. Pass with: helm ... -f values.yaml -f secrets.local.yaml\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added() -> Vec<(&'static str, String)> {
        vec![("redisPassword", "ab".repeat(32))]
    }

    fn kept(text: &str) -> BTreeMap<String, String> {
        read_local_secrets(text).unwrap()
    }

    #[test]
    fn completing_keeps_comments_and_other_keys_byte_for_byte() {
        let text = "# mine\nsecrets:\n  plaintext:\n    postgresPassword: hunter2 # rotated\n    # note\n  other: {x: 1}\nextra: true\n";
        let out = complete(text, &kept(text), &added()).unwrap();
        let line = format!("    redisPassword: {}\n", "ab".repeat(32));
        assert_eq!(
            out,
            text.replace("    # note\n", &format!("    # note\n{line}"))
        );
    }

    #[test]
    fn completing_an_empty_plaintext_or_a_file_without_secrets_adds_the_block() {
        let text = "secrets:\n  plaintext:\n";
        let out = complete(text, &kept(text), &added()).unwrap();
        assert!(
            out.starts_with(text) && out.contains("    redisPassword: "),
            "{out}"
        );
        let text = "# only a comment";
        let out = complete(text, &kept(text), &added()).unwrap();
        assert!(out.starts_with("# only a comment\nsecrets:\n  plaintext:\n    redisPassword: "));
    }

    #[test]
    fn completing_refuses_unusual_layouts() {
        for text in [
            "secrets: {plaintext: {postgresPassword: x}}\n",
            "secrets:\n  plaintext: {postgresPassword: x}\n",
            "secrets:\n  plaintext:\n    redisPassword: \"\"\n",
            "secrets:\n  other: 1\n",
        ] {
            assert_eq!(complete(text, &kept(text), &added()), None, "{text}");
        }
    }
}
