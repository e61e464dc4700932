//! The static check of the overlay's own NetworkPolicies (`network/*.yaml`, any other file
//! its kustomization lists, and what `kubectl kustomize` builds), hand edits included: where the profile refuses open egress, no rule reaches everywhere and, per
//! port, their CIDRs together don't either (#11: a kept `0.0.0.0/0` after `migrate`).
use std::collections::BTreeMap;

use ipnet::IpNet;
use serde_yaml::Value;

use super::doc::{get, kind, name, seq};
use super::Finding;
use crate::plan::Plan;

/// The errors in the NetworkPolicies of `files` (path → text: the overlay's `network/*.yaml`
/// and whatever else its kustomization lists) under `plan`'s profile; nothing where the
/// profile allows open egress. A `kind: List` counts item by item, as kustomize applies it.
pub(crate) fn network_errors<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    plan: &Plan,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if plan.profile.open_cidr {
        return out;
    }
    let mut docs = Vec::new();
    for (path, text) in files {
        match crate::manifest::parse_yaml_documents(text) {
            Ok(d) => docs.extend(
                super::kustomization::unwrap_lists(d)
                    .into_iter()
                    .map(|d| (path, d)),
            ),
            Err(_) => out.push(Finding::error(path, "not valid YAML", None)),
        }
    }
    out.extend(policy_errors(docs.iter().map(|(p, d)| (*p, d)), plan));
    out
}

/// The errors in the NetworkPolicies among `docs` (where each comes from → document):
/// where the profile refuses open egress, no rule reaches everywhere and, per port, their
/// CIDRs together don't either.
pub(crate) fn policy_errors<'a>(
    docs: impl IntoIterator<Item = (&'a str, &'a Value)>,
    plan: &Plan,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if plan.profile.open_cidr {
        return out;
    }
    // Per port (0: every port), the CIDRs of every policy: policies add up.
    let mut by_port: BTreeMap<u64, Vec<IpNet>> = BTreeMap::new();
    let mut sources = Vec::new();
    let docs: Vec<(&str, &Value)> = docs.into_iter().collect();
    for (path, d) in &docs {
        let k = kind(d);
        if !JUDGED_KINDS.contains(&k) {
            out.push(Finding::error(
                path,
                format!("applies a `{k}` (`{}`), which `check` can't judge: another CNI's policy (a CiliumNetworkPolicy, a Calico GlobalNetworkPolicy) can open egress the NetworkPolicies don't show, and profile `{}` refuses what can't be checked; remove it or express it as a NetworkPolicy", name(d), plan.profile.id),
                Some("profile"),
            ));
        }
    }
    for (path, np) in docs.into_iter().filter(|(_, d)| kind(d) == "NetworkPolicy") {
        if !sources.contains(&path) {
            sources.push(path);
        }
        for rule in seq(np, &["spec", "egress"]) {
            policy_rule(path, name(np), rule, plan, &mut by_port, &mut out);
        }
    }
    let at = match sources[..] {
        [one] => one,
        _ => DIR,
    };
    let everywhere = by_port.remove(&0).unwrap_or_default();
    for (port, mut nets) in by_port {
        nets.extend(everywhere.iter().copied());
        union_error(at, &format!("port {port}"), &nets, plan, &mut out);
    }
    union_error(at, "every port", &everywhere, plan, &mut out);
    out
}

/// Where the profile replaces the chart's policy (regulated), `network/baseline.yaml` must
/// still restrict every pod of the release both ways: there, selecting the release's pods, in
/// the release's namespace, for Ingress and Egress (attacker round 4: dropping `Egress` from
/// `policyTypes`, a selector matching nothing or another namespace left every pod open).
pub(crate) fn baseline_errors(text: Option<&str>, plan: &Plan, out: &mut Vec<Finding>) {
    let file = crate::plan::BASELINE_FILE;
    let Some(want) = plan.egress_policies.iter().find(|p| p.path == file) else {
        return;
    };
    let again = "re-run `caracal-wizard new --answers caracal-wizard.yaml --out .` (or restore it)";
    let Some(text) = text else {
        out.push(Finding::error(
            file,
            format!("missing: profile `{}` turns the chart's NetworkPolicy off and this file replaces it, so without it nothing restricts the pods; {again}", plan.profile.id),
            Some("profile"),
        ));
        return;
    };
    let docs = match crate::manifest::parse_yaml_documents(text) {
        Ok(d) => super::kustomization::unwrap_lists(d),
        Err(e) => {
            out.push(Finding::error(
                file,
                format!("not valid YAML ({e}); {again}"),
                None,
            ));
            return;
        }
    };
    let name = &want.policy.metadata.name;
    let Some(np) = docs
        .iter()
        .find(|d| kind(d) == "NetworkPolicy" && super::doc::name(d) == name)
    else {
        out.push(Finding::error(file, format!("holds no NetworkPolicy `{name}`, which restricts every pod of the release; {again}"), Some("profile")));
        return;
    };
    let mut wrong = Vec::new();
    let ns = get(np, &["metadata", "namespace"]).and_then(Value::as_str);
    if ns.is_some_and(|n| Some(n) != want.policy.metadata.namespace.as_deref()) {
        wrong.push(format!(
            "its namespace is `{}`, not the release's",
            ns.unwrap_or_default()
        ));
    }
    let types: Vec<&str> = seq(np, &["spec", "policyTypes"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for t in ["Ingress", "Egress"] {
        if !types.contains(&t) {
            wrong.push(format!(
                "`policyTypes` lacks `{t}`, so it restricts no {}",
                t.to_lowercase()
            ));
        }
    }
    let selector = get(np, &["spec", "podSelector"]);
    let labels: Option<crate::catalog::Labels> = selector
        .and_then(|s| s.get("matchLabels"))
        .cloned()
        .and_then(|l| serde_yaml::from_value(l).ok());
    let expressions = selector.is_some_and(|s| s.get("matchExpressions").is_some());
    if labels.as_ref() != Some(&want.policy.spec.pod_selector.match_labels) || expressions {
        wrong.push("its `podSelector` is not the release's pods (`app.kubernetes.io/name` and `app.kubernetes.io/instance`)".to_string());
    }
    if !wrong.is_empty() {
        out.push(Finding::error(
            file,
            format!("NetworkPolicy `{name}` no longer restricts every pod of the release, which profile `{}` needs: {}; {again}", plan.profile.id, wrong.join("; ")),
            Some("profile"),
        ));
    }
}

/// The kinds of object an overlay applies that `check` can vouch for where egress is
/// restricted: those the wizard writes.
const JUDGED_KINDS: [&str; 10] = [
    "Namespace",
    "ServiceAccount",
    "ClusterSecretStore",
    "SecretStore",
    "ExternalSecret",
    "NetworkPolicy",
    "ServiceMonitor",
    "PrometheusRule",
    "NginxIngressController",
    "ManagedCertificate",
];

/// Where the union findings point when the policies come from several files.
const DIR: &str = "network/";

/// One egress rule: refused when it reaches everywhere; its CIDRs counted per port.
fn policy_rule(
    path: &str,
    policy: &str,
    rule: &Value,
    plan: &Plan,
    by_port: &mut BTreeMap<u64, Vec<IpNet>>,
    out: &mut Vec<Finding>,
) {
    let to = seq(rule, &["to"]);
    let cidrs: Vec<&str> = to
        .iter()
        .filter_map(|p| get(p, &["ipBlock", "cidr"])?.as_str())
        .collect();
    let nets: Vec<IpNet> = cidrs.iter().filter_map(|c| c.parse().ok()).collect();
    if to.is_empty() || nets.iter().any(|n| n.prefix_len() == 0) {
        let what = if to.is_empty() {
            "any destination".to_string()
        } else {
            cidrs.join(", ")
        };
        out.push(
            Finding::error(
                path,
                format!("NetworkPolicy `{policy}` allows egress to {what}, which profile `{}` refuses; list the provider's CIDRs", plan.profile.id),
                Some("egress.other"),
            )
            .rechecked_when_rendered(),
        );
        return;
    }
    let ports: Vec<u64> = seq(rule, &["ports"])
        .iter()
        // A named port or a range can't be told apart here: count it as every port.
        .map(|p| {
            match (
                get(p, &["port"]).and_then(Value::as_u64),
                get(p, &["endPort"]),
            ) {
                (Some(port), None) => port,
                _ => 0,
            }
        })
        .collect();
    for port in if ports.is_empty() { vec![0] } else { ports } {
        by_port
            .entry(port)
            .or_default()
            .extend(nets.iter().copied());
    }
}

/// An error when the CIDRs `nets` allowed on `port` together cover too much.
fn union_error(at: &str, port: &str, nets: &[IpNet], plan: &Plan, out: &mut Vec<Finding>) {
    if let Some(why) = crate::cidr::too_wide(nets) {
        out.push(
            Finding::error(
                at,
                format!(
                    "the NetworkPolicies' egress CIDRs to {port}: {why}, which profile `{}` refuses; list the provider's CIDRs",
                    plan.profile.id
                ),
                Some("egress.other"),
            )
            .rechecked_when_rendered(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Answers;
    use crate::catalog::Catalog;

    fn plan_of(text: &str) -> Plan {
        let answers = Answers::parse("t", text, &[]).expect("parses");
        crate::plan::plan(&answers, &Catalog::builtin().expect("catalog")).expect("valid")
    }

    const REGULATED: &str = include_str!("../../assets/examples/gke-regulated.yaml");

    fn policy(egress: &str) -> String {
        format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p}}\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress: {egress}\n")
    }

    fn errors(files: &[(&str, String)], text: &str) -> Vec<Finding> {
        let plan = plan_of(text);
        network_errors(files.iter().map(|(p, t)| (*p, t.as_str())), &plan)
    }

    #[test]
    fn an_open_rule_or_halves_of_everywhere_are_refused_in_regulated() {
        let open =
            policy("[{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{protocol: TCP, port: 443}]}]");
        let fs = errors(&[("network/api-egress.yaml", open.clone())], REGULATED);
        assert!(
            fs.iter().any(|f| f.file == "network/api-egress.yaml"
                && f.message.contains("`p` allows egress to 0.0.0.0/0")),
            "{fs:#?}"
        );
        let any = policy("[{ports: [{protocol: TCP, port: 443}]}]");
        let fs = errors(&[("network/web-egress.yaml", any)], REGULATED);
        assert!(
            fs.iter().any(|f| f.message.contains("any destination")),
            "{fs:#?}"
        );
        let a =
            policy("[{to: [{ipBlock: {cidr: 0.0.0.0/1}}], ports: [{protocol: TCP, port: 443}]}]");
        let b = policy("[{to: [{ipBlock: {cidr: 128.0.0.0/1}}]}]");
        let fs = errors(&[("network/a.yaml", a), ("network/b.yaml", b)], REGULATED);
        assert!(
            fs.iter().any(|f| f
                .message
                .contains("to port 443: together they cover every IPv4")),
            "{fs:#?}"
        );
    }

    #[test]
    fn narrow_rules_other_files_and_open_profiles_pass() {
        let narrow =
            policy("[{to: [{ipBlock: {cidr: 10.0.0.0/16}}], ports: [{protocol: TCP, port: 443}]}]");
        assert_eq!(errors(&[("network/a.yaml", narrow)], REGULATED), vec![]);
        let open = policy("[{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]");
        let production = include_str!("../../assets/examples/eks-production.yaml");
        assert_eq!(errors(&[("network/a.yaml", open)], production), vec![]);
    }
}
