//! The static checks of `values.yaml` on its own: what the chart or the profile refuses.
use serde_yaml::Value;

use super::doc::{bool_at, get, is_true, non_empty_seq, str_at};
use super::Finding;
use crate::validate::{IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};

const FILE: &str = "values.yaml";

/// Checks `values.yaml` against the chart's own refusals and the profile's minimum.
pub(super) fn check_values(v: &Value, evaluation: bool, findings: &mut Vec<Finding>) {
    let stable = str_at(v, &["global", "mode"]) == Some("stable");
    check_secret_values(v, stable, findings);
    if stable {
        check_managed_backends(v, findings);
    }
    check_network_values(v, evaluation, stable, findings);
    if !evaluation && is_true(get(v, &["serviceMonitor", "enabled"])) {
        findings.push(Finding::error(
            FILE,
            "serviceMonitor.enabled is true: the chart's ServiceMonitors send no bearer, so stable Caracal answers their scrapes with 401; set it false (re-run caracal-wizard) and use the overlay's monitoring/ ServiceMonitors",
            Some("profile"),
        ));
    }
    if !evaluation && !is_true(get(v, &["alertRules", "enabled"])) {
        findings.push(Finding::error(
            FILE,
            "alertRules.enabled is not true: production profiles alert",
            Some("profile"),
        ));
    }
}

/// `secrets.create` and `secrets.plaintext`: no plaintext credential in a committed file.
fn check_secret_values(v: &Value, stable: bool, findings: &mut Vec<Finding>) {
    let create = is_true(get(v, &["secrets", "create"]));
    if create && !is_true(get(v, &["global", "evaluation"])) {
        findings.push(Finding::error(FILE, "secrets.create is true without global.evaluation: the chart refuses plaintext Secrets outside evaluation", Some("profile")));
    }
    if stable && create {
        findings.push(Finding::error(
            FILE,
            "secrets.create is true in stable mode: the chart refuses it",
            Some("profile"),
        ));
    }
    if let Some(plain) = get(v, &["secrets", "plaintext"]).and_then(Value::as_mapping) {
        if plain
            .values()
            .any(|x| x.as_str().is_some_and(|s| !s.is_empty()))
        {
            findings.push(Finding::error(FILE, "secrets.plaintext holds values: a secret in a committed file; move them to the secret manager (or secrets.local.yaml for an evaluation)", Some("profile")));
        }
    }
}

/// Stable mode needs managed Postgres and Redis, not the chart's in-cluster defaults.
fn check_managed_backends(v: &Value, findings: &mut Vec<Finding>) {
    if str_at(v, &["secrets", "database", "host"]).is_none_or(|h| h == IN_CLUSTER_POSTGRES) {
        findings.push(Finding::error(
            FILE,
            "secrets.database.host is the in-cluster default: stable needs managed Postgres",
            Some("postgres.host"),
        ));
    }
    if str_at(v, &["secrets", "redis", "host"]).is_none_or(|h| h == IN_CLUSTER_REDIS) {
        findings.push(Finding::error(
            FILE,
            "secrets.redis.host is the in-cluster default: stable needs managed Redis",
            Some("redis.host"),
        ));
    }
}

/// `networkPolicy`: enabled outside evaluation, with DNS, egress and (for Ingresses) ingress.
fn check_network_values(v: &Value, evaluation: bool, stable: bool, findings: &mut Vec<Finding>) {
    let np_on = bool_at(v, &["networkPolicy", "enabled"]).unwrap_or(true);
    let open_dns = is_true(get(v, &["networkPolicy", "allowOpenDns"]));
    let open_https = is_true(get(v, &["networkPolicy", "allowOpenHttps"]));
    if !np_on && !evaluation {
        findings.push(Finding::error(
            FILE,
            "networkPolicy.enabled is false: every profile but evaluation needs the NetworkPolicy",
            None,
        ));
    }
    if np_on && !open_dns && !non_empty_seq(get(v, &["networkPolicy", "dnsEgress"])) {
        findings.push(Finding::error(FILE, "no DNS egress: networkPolicy.dnsEgress is empty and allowOpenDns is false, so nothing resolves", Some("dns.mode")));
    }
    if np_on
        && !evaluation
        && !open_https
        && !non_empty_seq(get(v, &["networkPolicy", "extraEgress"]))
    {
        findings.push(Finding::error(
            FILE,
            "no provider-API, identity or object-store egress: networkPolicy.extraEgress is empty",
            Some("egress.providerApis"),
        ));
    }
    let any_ingress = ["web", "sts", "gateway", "api"]
        .into_iter()
        .any(|name| is_ingress_enabled(v, name));
    if stable && np_on && any_ingress && !non_empty_seq(get(v, &["networkPolicy", "extraIngress"]))
    {
        findings.push(Finding::error(FILE, "an Ingress is enabled but networkPolicy.extraIngress is empty: the chart refuses this, and the controller could not reach the pods", Some("ingressController")));
    }
}

/// Whether `ingress.<name>.enabled` is on; the chart enables only the console's by default.
pub(super) fn is_ingress_enabled(v: &Value, name: &str) -> bool {
    bool_at(v, &["ingress", name, "enabled"]).unwrap_or(name == "web")
}

/// Every plain scalar of `values.yaml` that YAML 1.2 reads as a string but Helm's YAML 1.1
/// parser retypes (`storageClass: no` reaches the chart as `false`): an error per line.
pub(super) fn check_yaml11_words(text: &str, findings: &mut Vec<Finding>) {
    let quoted = crate::manifest::yaml11::quote_yaml11(text);
    for (n, (was, now)) in text.lines().zip(quoted.lines()).enumerate() {
        if was != now {
            findings.push(Finding::error(
                "values.yaml",
                format!(
                    "line {}: `{}` is read by Helm (YAML 1.1) as a boolean, null or number, not as the string it is here; quote it: `{}`",
                    n + 1,
                    was.trim(),
                    now.trim()
                ),
                None,
            ));
        }
    }
}
