//! Placeholders: the typed set of `{name}` variables the catalog's strings may use, and `fill`.
//!
//! Why not Tera: catalog strings are one-line values (`{release}-{endpoint}`,
//! `certificates/{endpoint}.yaml`); a Tera parse per string would cost more than the whole
//! plan. Why typed: the set of names is closed, so a misspelled placeholder in a catalog file is
//! caught by `every_catalog_placeholder_is_a_known_variable` below instead of reaching the output
//! verbatim (issue 9).
use std::collections::BTreeMap;

/// Fixed variable names, in the order a manifest's context lists them.
#[cfg(test)]
const FIXED: [&str; 7] = [
    "release",
    "endpoint",
    "value",
    "host",
    "namespace",
    "key",
    "azureVaultName",
];

/// The values of the variables one catalog string may use; `None` leaves `{name}` as written.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Vars<'a> {
    /// `{release}`: the Helm release.
    pub release: Option<&'a str>,
    /// `{endpoint}`: the endpoint key (`api`, `web`, …).
    pub endpoint: Option<&'a str>,
    /// `{value}`: the TLS mode's answer, or the secret value in a create command.
    pub value: Option<&'a str>,
    /// `{host}`: the endpoint's host.
    pub host: Option<&'a str>,
    /// `{namespace}`: the release's namespace.
    pub namespace: Option<&'a str>,
    /// `{key}`: the secret manager key in a create command.
    pub key: Option<&'a str>,
    /// The secret store answers: `{field}`, `{field:label}` (first DNS label of an `https://`
    /// value) and `{azureVaultName}` (the label of `azureVaultUrl`).
    pub store: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Vars<'a> {
    /// `s` with every `{name}` of a set variable replaced, in one pass; other braces stay.
    pub fn fill(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 16);
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let found = after
                .find('}')
                .and_then(|close| Some((close, self.lookup(&after[..close])?)));
            match found {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The fixed variables that are set, by name: a manifest template's flat context.
    pub fn context(&self) -> BTreeMap<String, String> {
        self.fixed()
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?.to_string())))
            .collect()
    }

    fn fixed(&self) -> [(&'static str, Option<&'a str>); 6] {
        [
            ("release", self.release),
            ("endpoint", self.endpoint),
            ("value", self.value),
            ("host", self.host),
            ("namespace", self.namespace),
            ("key", self.key),
        ]
    }

    fn lookup(&self, name: &str) -> Option<&'a str> {
        if let Some((_, v)) = self.fixed().into_iter().find(|(k, _)| *k == name) {
            return v;
        }
        let store = self.store?;
        if name == "azureVaultName" {
            let url = store.get("azureVaultUrl").map(String::as_str);
            return Some(url.and_then(https_label).unwrap_or_default());
        }
        match name.strip_suffix(":label") {
            Some(field) => store.get(field).and_then(|v| https_label(v)),
            None => store.get(name).map(String::as_str),
        }
    }
}

/// The first DNS label of an `https://` URL: `https://kv.vault.azure.net` → `kv`.
fn https_label(url: &str) -> Option<&str> {
    url.strip_prefix("https://")
        .map(|host| host.split('.').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Cloud};

    /// Every `{name}` in `s` whose name looks like a variable (not JSON such as `{"HTTPS":443}`).
    fn placeholders(s: &str) -> Vec<&str> {
        let is_name = |n: &str| {
            n.starts_with(|c: char| c.is_ascii_alphabetic())
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_')
        };
        s.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .filter(|name| is_name(name))
            .collect()
    }

    /// The strings of a cloud that `plan` fills, with where they come from.
    fn cloud_strings(cloud: &Cloud) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (x, spec) in &cloud.exposures {
            let at = |what: &str| format!("clouds/{}: exposures.{x}.{what}", cloud.id);
            out.push((at("className"), spec.class_name.clone()));
            out.extend(
                spec.annotations
                    .values()
                    .map(|v| (at("annotations"), v.clone())),
            );
            out.extend(
                spec.manifests
                    .iter()
                    .map(|m| (at("manifests"), m.path.clone())),
            );
            if let Some(dc) = &spec.default_controller {
                out.extend(dc.pod_labels.values().map(|v| (at("podLabels"), v.clone())));
            }
        }
        out
    }

    #[test]
    fn every_catalog_placeholder_is_a_known_variable() {
        let catalog = Catalog::builtin().expect("catalog");
        let mut strings = Vec::new();
        for t in &catalog.tls_modes {
            let at = format!("tls-modes: {}", t.id);
            strings.extend(
                t.annotations
                    .values()
                    .map(|v| (at.clone(), v.clone(), None)),
            );
            strings.extend(
                t.manifests
                    .iter()
                    .map(|m| (at.clone(), m.path.clone(), None)),
            );
        }
        for cloud in catalog.clouds.values() {
            strings.extend(cloud_strings(cloud).into_iter().map(|(a, s)| (a, s, None)));
            let at = format!("clouds/{}: secretStore.createCommand", cloud.id);
            let cmd = cloud.secret_store.create_command.clone();
            strings.push((at, cmd, Some(&cloud.secret_store.fields)));
        }
        assert!(strings.iter().any(|(_, s, _)| s.contains("{release}")));
        for (at, s, fields) in &strings {
            for name in placeholders(s) {
                let field = name.strip_suffix(":label").unwrap_or(name);
                let is_field = fields.is_some_and(|f| f.iter().any(|f| f.name == field));
                assert!(
                    FIXED.contains(&name) || is_field,
                    "{at}: `{{{name}}}` in {s:?} is not a known placeholder; use one of {FIXED:?}"
                );
            }
        }
    }

    #[test]
    fn fill_replaces_set_variables_once_and_leaves_the_rest() {
        let vars = Vars {
            release: Some("r"),
            endpoint: Some("{release}"),
            ..Vars::default()
        };
        assert_eq!(vars.fill("{release}-{endpoint}"), "r-{release}");
        assert_eq!(vars.fill("{host} {} {{release}} {"), "{host} {} {r} {");
    }

    #[test]
    fn store_variables_resolve_fields_labels_and_the_vault_name() {
        let store: BTreeMap<String, String> =
            [("azureVaultUrl".into(), "https://kv.vault.azure.net".into())].into();
        let vars = Vars {
            store: Some(&store),
            key: Some("k"),
            ..Vars::default()
        };
        assert_eq!(
            vars.fill("{azureVaultName} {azureVaultUrl:label} {key} {awsRegion}"),
            "kv kv k {awsRegion}"
        );
    }
}
