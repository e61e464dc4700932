//! Rendered workloads: their pod specs, containers and literal env values.
use serde_yaml::Value;

use crate::check::doc::{get, kind, name, seq, str_at};

/// The pod spec of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob).
pub(super) fn pod_spec(d: &Value) -> Option<&Value> {
    match kind(d) {
        "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "ReplicaSet" => {
            get(d, &["spec", "template", "spec"])
        }
        "CronJob" => get(d, &["spec", "jobTemplate", "spec", "template", "spec"]),
        "Pod" => d.get("spec"),
        _ => None,
    }
}

/// A pod spec's init containers, then its containers.
pub(super) fn containers(spec: &Value) -> impl Iterator<Item = &Value> {
    seq(spec, &["initContainers"])
        .iter()
        .chain(seq(spec, &["containers"]))
}

/// `(workload, env var, literal value)` for every env var named in `names`.
pub(super) fn env_values<'a>(docs: &'a [Value], names: &[&str]) -> Vec<(String, String, &'a str)> {
    let mut out = Vec::new();
    for d in docs {
        let Some(spec) = pod_spec(d) else { continue };
        for e in containers(spec).flat_map(|c| seq(c, &["env"])) {
            let Some(n) = str_at(e, &["name"]) else {
                continue;
            };
            if names.contains(&n) {
                if let Some(v) = str_at(e, &["value"]) {
                    out.push((format!("{} `{}`", kind(d), name(d)), n.to_string(), v));
                }
            }
        }
    }
    out
}
