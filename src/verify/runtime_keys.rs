//! The rendered check of runtime keys: every key the workloads read from the runtime Secret
//! is one the ExternalSecret writes, into the Secret the chart reads.
use std::collections::BTreeSet;

use serde_yaml::Value;

use super::workload::{containers, pod_spec};
use super::{Expectations, EXTERNAL_SECRET};
use crate::check::doc::{bool_at, get, scalar_string, seq, str_at};
use crate::check::Finding;

/// Keys the rendered workloads read from the runtime Secret (optional references excluded).
pub fn mounted_runtime_keys(docs: &[Value], secret: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for spec in docs.iter().filter_map(pod_spec) {
        volume_keys(spec, secret, &mut keys);
        env_keys(spec, secret, &mut keys);
    }
    keys
}

fn is_optional(v: &Value) -> bool {
    bool_at(v, &["optional"]).unwrap_or(false)
}

/// The items of a required secret volume (or projected source).
fn items_keys(src: &Value, keys: &mut BTreeSet<String>) {
    if is_optional(src) {
        return;
    }
    for item in seq(src, &["items"]) {
        if let Some(k) = str_at(item, &["key"]) {
            keys.insert(k.to_string());
        }
    }
}

/// Keys a pod spec mounts from `secret`, as a secret volume or a projected source.
fn volume_keys(spec: &Value, secret: &str, keys: &mut BTreeSet<String>) {
    for vol in seq(spec, &["volumes"]) {
        if let Some(s) = vol
            .get("secret")
            .filter(|s| str_at(s, &["secretName"]) == Some(secret))
        {
            items_keys(s, keys);
        }
        for src in seq(vol, &["projected", "sources"]) {
            if let Some(s) = src
                .get("secret")
                .filter(|s| str_at(s, &["name"]) == Some(secret))
            {
                items_keys(s, keys);
            }
        }
    }
}

/// Keys a pod spec's containers read from `secret` through required `secretKeyRef`s.
fn env_keys(spec: &Value, secret: &str, keys: &mut BTreeSet<String>) {
    for e in containers(spec).flat_map(|c| seq(c, &["env"])) {
        if let Some(r) = get(e, &["valueFrom", "secretKeyRef"]) {
            if str_at(r, &["name"]) == Some(secret) && !is_optional(r) {
                if let Some(k) = str_at(r, &["key"]) {
                    keys.insert(k.to_string());
                }
            }
        }
    }
}

/// Checks the ExternalSecret's target Secret and keys against what the workloads read.
pub(super) fn check_runtime_keys(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let Some(es) = &exp.external_secret else {
        return;
    };
    let target = str_at(es, &["spec", "target", "name"])
        .or_else(|| str_at(es, &["metadata", "name"]))
        .unwrap_or_default();
    if target != exp.runtime_secret {
        out.push(Finding::error(
            EXTERNAL_SECRET,
            format!("writes Secret `{target}` but the chart reads `{}` (secrets.runtimeSecretName); re-run `caracal-wizard new --answers caracal-wizard.yaml --out . --force`", exp.runtime_secret),
            Some("secretStore"),
        ));
    }
    let produced = produced_keys(es);
    let known = exp.plan.map(|p| p.runtime_keys.clone()).unwrap_or_default();
    for k in mounted_runtime_keys(docs, &exp.runtime_secret) {
        if !produced.contains(&k) {
            out.push(missing_key(&k, known.contains(&k), &exp.runtime_secret));
        }
    }
}

/// The keys the ExternalSecret writes: its template's keys, else its `data` secret keys.
fn produced_keys(es: &Value) -> BTreeSet<String> {
    match get(es, &["spec", "target", "template", "data"]).and_then(Value::as_mapping) {
        Some(m) => m.keys().filter_map(scalar_string).collect(),
        None => seq(es, &["spec", "data"])
            .iter()
            .filter_map(|d| str_at(d, &["secretKey"]).map(str::to_string))
            .collect(),
    }
}

/// A workload reads key `k` the ExternalSecret doesn't write; `known` when the plan knows it.
fn missing_key(k: &str, known: bool, secret: &str) -> Finding {
    let (msg, answer) = if known {
        (
            format!("the chart's workloads read key `{k}` of Secret `{secret}`, but the ExternalSecret's target.template.data doesn't produce it (edited by hand?): pods would not start; re-run `caracal-wizard new --answers caracal-wizard.yaml --out . --force`"),
            Some(if k.starts_with("signIn") || k == "smtpUrl" { "signIn" } else { "secretStore" }),
        )
    } else {
        (
            format!("the chart's workloads read key `{k}` of Secret `{secret}`, which this caracal-wizard doesn't know: add a secret-manager entry and a `{k}` line to target.template.data"),
            None,
        )
    };
    Finding::error(EXTERNAL_SECRET, msg, answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounted_runtime_keys_skips_optional_and_other_secrets() {
        let docs = crate::manifest::parse_yaml_documents(
            "kind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          env:\n            - {name: A, valueFrom: {secretKeyRef: {name: rt, key: a}}}\n            - {name: B, valueFrom: {secretKeyRef: {name: other, key: b}}}\n      volumes:\n        - name: v\n          secret: {secretName: rt, items: [{key: c, path: c}]}\n        - name: o\n          secret: {secretName: rt, optional: true, items: [{key: d, path: d}]}\n",
        )
        .unwrap();
        let keys: Vec<String> = mounted_runtime_keys(&docs, "rt").into_iter().collect();
        assert_eq!(keys, vec!["a", "c"]);
    }
}
