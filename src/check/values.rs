//! The static checks of `values.yaml` on its own: what the chart or the profile refuses.
use serde_yaml::Value;

use std::collections::BTreeSet;

use super::doc::{bool_at, get, is_true, non_empty_seq, seq, str_at};
use super::Finding;
use crate::validate::{IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};

const FILE: &str = "values.yaml";

/// Checks `values.yaml` against the chart's own refusals and the profile's minimum.
/// What the profile asks of values.yaml, when the answers name one.
#[derive(Debug, Clone, Copy)]
pub(super) struct ProfileNeeds {
    /// An evaluation (chart-made Secret, one replica, no monitoring).
    pub evaluation: bool,
    /// The chart's NetworkPolicy on; off where the overlay's baseline replaces it.
    pub chart_policy: bool,
}

impl ProfileNeeds {
    /// What `profile` asks; without a known profile, what every stable one does.
    pub fn of(profile: Option<&crate::catalog::Profile>) -> Self {
        Self {
            evaluation: profile.is_some_and(|p| p.evaluation),
            chart_policy: profile.is_none_or(|p| p.chart_network_policy),
        }
    }
}

pub(super) fn check_values(v: &Value, needs: ProfileNeeds, findings: &mut Vec<Finding>) {
    let evaluation = needs.evaluation;
    let stable = str_at(v, &["global", "mode"]) == Some("stable");
    check_secret_values(v, stable, findings);
    if stable {
        check_managed_backends(v, findings);
    }
    check_network_values(v, needs, stable, findings);
    check_private_hosts(v, findings);
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
fn check_network_values(v: &Value, needs: ProfileNeeds, stable: bool, findings: &mut Vec<Finding>) {
    let evaluation = needs.evaluation;
    let np_on = bool_at(v, &["networkPolicy", "enabled"]).unwrap_or(true);
    let open_dns = is_true(get(v, &["networkPolicy", "allowOpenDns"]));
    let open_https = is_true(get(v, &["networkPolicy", "allowOpenHttps"]));
    if !np_on && !evaluation && needs.chart_policy {
        findings.push(Finding::error(
            FILE,
            "networkPolicy.enabled is false: every profile but evaluation needs the NetworkPolicy",
            None,
        ));
    }
    if np_on && !needs.chart_policy {
        findings.push(Finding::error(
            FILE,
            "networkPolicy.enabled is true: the chart's policy admits the Postgres, Redis and OTLP ports to any address, which this profile refuses (network/baseline.yaml replaces it); set it false",
            Some("profile"),
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

/// The STS and the API must grant the same private hosts (#10): a provider whose check
/// passes on the API would otherwise fail every token refresh on the STS, or the reverse.
fn check_private_hosts(v: &Value, findings: &mut Vec<Finding>) {
    let (Some(sts), Some(api)) = (private_hosts(v, "sts"), private_hosts(v, "api")) else {
        return;
    };
    if sts != api {
        let show = |h: &BTreeSet<String>| {
            if h.is_empty() {
                "none".to_string()
            } else {
                h.iter().cloned().collect::<Vec<_>>().join(",")
            }
        };
        findings.push(Finding::error(FILE, format!("services.sts and services.api disagree on CARACAL_PRIVATE_EGRESS_HOSTS (sts: {}; api: {}): a private provider host works from one and is refused by the other; set `egress.privateHosts` and re-run caracal-wizard, which writes the same list to both", show(&sts), show(&api)), Some("egress.privateHosts")));
    }
}

/// The hosts `services.<name>.extraEnv` grants in `CARACAL_PRIVATE_EGRESS_HOSTS`, split,
/// trimmed and lower-cased as both services read them; `None` when the value comes from
/// elsewhere (`valueFrom`), so it can't be compared.
fn private_hosts(v: &Value, name: &str) -> Option<BTreeSet<String>> {
    let env = seq(v, &["services", name, "extraEnv"])
        .iter()
        .rev() // Kubernetes keeps the last of repeated names.
        .find(|e| str_at(e, &["name"]) == Some("CARACAL_PRIVATE_EGRESS_HOSTS"));
    let Some(env) = env else {
        return Some(BTreeSet::new());
    };
    let value = match get(env, &["value"]) {
        Some(x) => x.as_str()?,
        None if get(env, &["valueFrom"]).is_some() => return None,
        None => "",
    };
    Some(
        value
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect(),
    )
}

/// Whether `ingress.<name>.enabled` is on; the chart enables only the console's by default.
pub(super) fn is_ingress_enabled(v: &Value, name: &str) -> bool {
    bool_at(v, &["ingress", name, "enabled"]).unwrap_or(name == "web")
}

/// Every plain scalar of `values.yaml` (key or value, however it is spaced or commented)
/// that Helm's YAML 1.1 parser reads as a boolean, null, number or timestamp where YAML 1.2
/// reads a string (`storageClass: no` reaches the chart as `false`), or that is a number in a
/// notation parsers disagree on (`0o17`, `0b1`): an error per line.
pub(super) fn check_yaml11_words(text: &str, findings: &mut Vec<Finding>) {
    use crate::manifest::yaml11::{
        ambiguous_number, plain_scalars, read_as_string, retyped_by_yaml11,
    };
    let flagged: Vec<_> = plain_scalars(text)
        .into_iter()
        .filter(|s| {
            let scalar = &text[s.range.clone()];
            retyped_by_yaml11(scalar) && (read_as_string(scalar) || ambiguous_number(scalar))
        })
        .collect();
    let mut line_start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let here: Vec<_> = flagged.iter().filter(|s| s.line == n).collect();
        if !here.is_empty() {
            let body = line.trim_end_matches(['\n', '\r']);
            let mut quoted = String::new();
            let mut last = 0;
            for s in &here {
                let (a, b) = (s.range.start - line_start, s.range.end - line_start);
                quoted.push_str(&body[last..a]);
                quoted.push('\'');
                quoted.push_str(&body[a..b]);
                quoted.push('\'');
                last = b;
            }
            quoted.push_str(&body[last..]);
            let number = here.iter().any(|s| !read_as_string(&text[s.range.clone()]));
            findings.push(Finding::error(
                "values.yaml",
                format!(
                    "line {}: `{}` is not read as a string by Helm (YAML 1.1 reads it as a boolean, null, number or timestamp); quote it: `{}`{}",
                    n + 1,
                    body.trim(),
                    quoted.trim(),
                    if number { " (or, for a number, write it in decimal)" } else { "" }
                ),
                None,
            ));
        }
        line_start += line.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml11_findings(values: &str) -> Vec<String> {
        let mut findings = Vec::new();
        check_yaml11_words(values, &mut findings);
        findings.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn yaml11_words_are_flagged_however_they_are_spaced_or_commented() {
        for line in [
            "storageClassName: no",
            "storageClassName: no # class",
            "storageClassName:\tno",
            "storageClassName:    NO",
            "storageClassName: no  ",
            "storageClassName: no\t# class",
            "storageClassName: 0b1",
            "storageClassName: 0o17",
            "storageClassName: 2024-01-01",
            "storageClassName: 2024-01-01 10:00:00 +02:00",
            "storageClassName: 1_000",
            "storageClassName: 190:20:30",
            "storageClassName: Off",
            "- no",
            "-\tno # item",
            "yes: a",
            "2024-01-01:\ta",
        ] {
            let text = format!("persistence:\n  {line}\n  size: 10Gi\n");
            let found = yaml11_findings(&text);
            assert_eq!(found.len(), 1, "{line:?}: {found:?}");
            assert!(
                found[0].starts_with("line 2: ") && found[0].contains("YAML 1.1"),
                "{line:?}: {found:?}"
            );
        }
        let found = yaml11_findings("a:\n  storageClassName:  no # class\n");
        assert!(
            found[0].contains("quote it: `storageClassName:  'no' # class`"),
            "{found:?}"
        );
    }

    #[test]
    fn strings_numbers_and_quoted_words_are_not_flagged() {
        let text = "persistence:\n  storageClassName: \"no\"\n  a: 'no' # no\n  b: no-such-class\n  c: gp3 # no\n  d: |\n    no\n  e: >-\n    on\n  f: [no, on]\n  g: {on: no}\n  replicas: 3\n  enabled: true\n  ratio: 0.5\n  h: 2024-01-01-caracal\n  i: v1.2.3\n# storageClassName: no\nlist:\n- |\n  yes\n- key: |\n    no\n  other: 'on'\n";
        assert_eq!(yaml11_findings(text), Vec::<String>::new());
    }

    fn errors(values: &str) -> Vec<String> {
        let v: Value = serde_yaml::from_str(values).expect("yaml");
        let mut findings = Vec::new();
        check_private_hosts(&v, &mut findings);
        findings.into_iter().map(|f| f.message).collect()
    }

    const ENV: &str = "CARACAL_PRIVATE_EGRESS_HOSTS";

    #[test]
    fn sts_and_api_must_grant_the_same_private_hosts() {
        let agree = format!("services: {{sts: {{extraEnv: [{{name: {ENV}, value: 'a.example,b.example'}}]}}, api: {{extraEnv: [{{name: X, value: '1'}}, {{name: {ENV}, value: ' B.example, a.example'}}]}}}}");
        assert_eq!(errors(&agree), Vec::<String>::new());
        assert_eq!(errors("services: {sts: {}, api: {}}"), Vec::<String>::new());
        let only_sts = format!("services: {{sts: {{extraEnv: [{{name: {ENV}, value: a.example}}]}}, api: {{extraEnv: []}}}}");
        let found = errors(&only_sts);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("(sts: a.example; api: none)"),
            "{}",
            found[0]
        );
        assert!(found[0].contains("egress.privateHosts"), "{}", found[0]);
    }

    #[test]
    fn a_value_from_elsewhere_is_not_compared() {
        let from = format!("services: {{sts: {{extraEnv: [{{name: {ENV}, valueFrom: {{configMapKeyRef: {{name: c, key: k}}}}}}]}}, api: {{}}}}");
        assert_eq!(errors(&from), Vec::<String>::new());
    }
}
