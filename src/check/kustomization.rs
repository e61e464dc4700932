//! What `kubectl apply -k .` applies, as far as `check` can tell without kubectl: the
//! root `kustomization.yaml` may list only the overlay's own files, and anything kustomize
//! would change after `check` reads them (patches, components, generators…) is reported,
//! as an error where the profile promises restricted egress (#11: a patch adding
//! `0.0.0.0/0` to every NetworkPolicy passed `check`).
use serde_yaml::Value;

use super::Finding;
use crate::overlay_dir::OverlayPath;

/// The root kustomization.
pub(crate) const FILE: &str = "kustomization.yaml";

/// The keys the wizard writes; kustomize reads every other one as a change to the objects.
const OWN_KEYS: [&str; 3] = ["apiVersion", "kind", "resources"];

/// The root kustomization as `check` reads it.
#[derive(Debug, Default)]
pub(crate) struct Listed {
    /// The overlay files it lists, in order.
    pub files: Vec<OverlayPath>,
    /// Every entry inside the overlay as written (files the wizard writes or not, and
    /// directories), for whether it is there.
    pub inside: Vec<String>,
    /// Whether `kubectl kustomize` may run on it: nothing but the wizard's keys, and every
    /// resource one of the overlay's own files. A URL, a directory (with a kustomization of
    /// its own), `components`, generators and the like can make kustomize fetch from the
    /// network or read outside the overlay, and `check` must stay offline and inside.
    pub buildable: bool,
    /// What is wrong or unverifiable.
    pub findings: Vec<Finding>,
}

/// Reads the kustomization `text` (the root's): the files it lists, and findings. `strict`
/// (regulated) makes what `check` can't vouch for an error instead of a note.
pub(crate) fn read(text: &str, strict: bool) -> Listed {
    let mut out = Listed {
        buildable: true,
        ..Listed::default()
    };
    let doc = match crate::manifest::parse_yaml(text) {
        Ok(Value::Mapping(m)) => m,
        Ok(_) => {
            out.buildable = false;
            out.findings.push(Finding::error(
                FILE,
                "not a kustomization (a mapping)",
                None,
            ));
            return out;
        }
        Err(e) => {
            out.buildable = false;
            out.findings
                .push(Finding::error(FILE, format!("not valid YAML: {e}"), None));
            return out;
        }
    };
    let flag = |message: String| {
        if strict {
            Finding::error(FILE, message, Some("profile"))
        } else {
            Finding::note(FILE, message)
        }
    };
    for key in doc.keys() {
        let key = key.as_str().unwrap_or("?");
        if !OWN_KEYS.contains(&key) {
            out.buildable = false;
            out.findings.push(flag(format!(
                "`{key}`: kustomize changes the objects after `check` reads the files, so what `kubectl apply -k .` applies isn't what was checked; edit the files themselves and remove `{key}`"
            )));
        }
    }
    let resources = doc.get("resources").and_then(Value::as_sequence);
    for entry in resources.into_iter().flatten() {
        let Some(name) = entry.as_str() else {
            out.buildable = false;
            out.findings.push(Finding::error(
                FILE,
                "`resources` holds something that is not a file name",
                None,
            ));
            continue;
        };
        if inside(name) {
            out.inside.push(name.to_string());
        }
        let name = name.strip_prefix("./").unwrap_or(name);
        match OverlayPath::try_from(name) {
            Ok(p) => out.files.push(p),
            Err(_) if inside(name) => {
                out.buildable = false;
                out.findings.push(flag(format!(
                    "lists `{name}`, which `check` doesn't read (only the wizard's own files, like `network/api-egress.yaml`): its objects are applied unchecked; move them into such a file"
                )));
            }
            Err(_) => {
                out.buildable = false;
                out.findings.push(Finding::error(
                    FILE,
                    format!("lists `{name}`: resources must be files inside the overlay (a relative path, no URL, no `..`); `check` doesn't build a kustomization that fetches or reads from elsewhere"),
                    None,
                ));
            }
        }
    }
    out
}

/// The other names kustomize reads a kustomization from: `kubectl apply -k .` would read
/// one of them (or fail on two), which `check` doesn't.
const OTHER_NAMES: [&str; 2] = ["kustomization.yml", "Kustomization"];

/// An error for each other kustomization file in `dir`.
pub(super) fn other_names(dir: &std::path::Path, findings: &mut Vec<Finding>) {
    for name in OTHER_NAMES {
        if std::fs::symlink_metadata(dir.join(name)).is_ok() {
            findings.push(Finding::error(
                name,
                format!("kustomize reads its kustomization from `{name}` too (and fails with two), but `check` reads only `{FILE}`: what `kubectl apply -k .` applies would go unchecked; remove `{name}` and keep your changes in `{FILE}`"),
                None,
            ));
        }
    }
}

/// Whether `name` is a relative path that stays inside the overlay.
fn inside(name: &str) -> bool {
    !name.is_empty()
        && !name.contains("://")
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && name.split('/').all(|c| !c.is_empty() && c != "..")
        && !name.contains(['?', '@'])
}

/// Every document of `docs`, with the items of a `kind: List` in its place (kustomize
/// applies them one by one).
pub(crate) fn unwrap_lists(docs: Vec<Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for mut d in docs {
        // kustomize resolves `<<` merge keys; judge the object as it will be applied
        // (attacker round 4: `<<: {egress: [...]}` hid an open rule).
        let _ = d.apply_merge();
        if super::doc::kind(&d) == "List" || super::doc::kind(&d).ends_with("List") {
            if let Some(items) = d.get("items").and_then(Value::as_sequence) {
                out.extend(unwrap_lists(items.clone()));
            }
        } else {
            out.push(d);
        }
    }
    out
}

/// Each `resources:` entry of the overlay's kustomization inside the overlay that names
/// nothing on disk: it makes `kubectl apply -k .` fail (checked without kubectl). Entries
/// outside it (URLs, `..`) are not looked up; [`read`] reports those.
pub(super) fn check_resources(dir: &std::path::Path, listed: &Listed, findings: &mut Vec<Finding>) {
    for entry in &listed.inside {
        if std::fs::symlink_metadata(dir.join(entry)).is_err() {
            findings.push(Finding::error(
                FILE,
                format!(
                    "resource `{}` names a file that is not there, so `kubectl apply -k .` fails; remove the entry or restore the file",
                    entry.escape_debug()
                ),
                None,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wizards_own_kustomization_is_clean() {
        let l = read(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- namespace.yaml\n- network/api-egress.yaml\n- ./network/baseline.yaml\n",
            true,
        );
        assert!(l.buildable);
        assert!(l.findings.is_empty(), "{:?}", l.findings);
        let names: Vec<&str> = l.files.iter().map(OverlayPath::as_str).collect();
        assert_eq!(
            names,
            [
                "namespace.yaml",
                "network/api-egress.yaml",
                "network/baseline.yaml"
            ]
        );
    }

    #[test]
    fn patches_unread_files_and_remote_resources_are_reported() {
        let text = "resources:\n- allow.yml\n- https://example.com/acme/repo.git//x?ref=main\n- ../outside.yaml\npatches:\n- target: {kind: NetworkPolicy}\n  patch: x\n";
        let strict = read(text, true);
        assert!(!strict.buildable, "no fetch, no read outside");
        // A directory (its own kustomization may fetch) or `components` isn't built either.
        assert!(!read("resources:\n- extra/\n", false).buildable);
        assert!(
            !read(
                "resources: []\ncomponents:\n- https://example.com/c\n",
                false
            )
            .buildable
        );
        let errors: Vec<&str> = strict
            .findings
            .iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .map(|f| f.message.as_str())
            .collect();
        assert!(
            errors.iter().any(|m| m.starts_with("`patches`")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|m| m.contains("`allow.yml`")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|m| m.contains("https://")), "{errors:?}");
        assert!(
            errors.iter().any(|m| m.contains("`../outside.yaml`")),
            "{errors:?}"
        );
        // Outside regulated, what is merely unchecked is a note; reaching out stays an error.
        let lax = read(text, false);
        let errors = lax
            .findings
            .iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .count();
        assert_eq!(errors, 2, "{:?}", lax.findings);
    }

    #[test]
    fn lists_are_unwrapped() {
        let docs = crate::manifest::parse_yaml_documents(
            "kind: List\nitems:\n- {kind: NetworkPolicy, metadata: {name: a}}\n- kind: ConfigMapList\n  items: [{kind: NetworkPolicy, metadata: {name: b}}]\n---\nkind: NetworkPolicy\nmetadata: {name: c}\n",
        )
        .unwrap();
        let names: Vec<String> = unwrap_lists(docs)
            .iter()
            .map(|d| super::super::doc::name(d).to_string())
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
    }
}
