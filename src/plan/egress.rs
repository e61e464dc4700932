//! Per-component egress planning (#10): one NetworkPolicy per component that calls out,
//! selecting only its pods and adding only what it needs (policies are additive).
use serde::Serialize;

use crate::answers::{Answers, EgressEntry, SignInProvider};
use crate::catalog::{Component, Labels, Profile};
use crate::manifest::{
    EgressRule, Metadata, NetworkPolicy, NetworkPolicySpec, Peer, PolicyPort, Selector,
};

use super::namespace::part_of;

/// The `egress.*` answers that belong to one component (not to every pod).
pub const COMPONENT_LISTS: [&str; 3] = ["signIn", "upstreams", "providers"];

/// What one component may reach beyond the chart's shared policy, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentEgress {
    /// The component (`app.kubernetes.io/component`).
    pub component: String,
    /// Its human name.
    pub title: String,
    /// The answer that names the destinations (`egress.signIn`, `signIn.smtp`, …).
    pub answer: String,
    /// What it calls, for people.
    pub what: String,
    /// Destinations; `0.0.0.0/0` on 443 when the profile opens HTTPS for it.
    pub entries: Vec<EgressEntry>,
    /// Whether the entries are the profile's open HTTPS (no CIDRs named).
    pub open: bool,
}

/// The overlay's per-component policy with the file it is written to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedPolicy {
    /// Path in the overlay (`network/web-egress.yaml`).
    pub path: String,
    /// The policy.
    pub policy: NetworkPolicy,
}

/// Every component's own egress: what it may reach, and the components left with nothing
/// (regulated without CIDRs). Evaluation opens HTTPS for every pod and needs none.
pub fn component_egress(
    a: &Answers,
    profile: &Profile,
    components: &[Component],
) -> Vec<ComponentEgress> {
    if profile.evaluation {
        return Vec::new();
    }
    let egress = a.egress.clone().unwrap_or_default();
    let mut out = Vec::new();
    for c in components {
        for call in &c.calls {
            let Some(key) = call.answer.strip_prefix("egress.") else {
                continue;
            };
            if !COMPONENT_LISTS.contains(&key) {
                continue;
            }
            let smtp = a
                .sign_in
                .as_ref()
                .filter(|s| key == "signIn" && s.provider == SignInProvider::Smtp);
            let (answer, what, entries, open) = match smtp {
                Some(s) => (
                    "signIn.smtp".to_string(),
                    "the SMTP relay of sign-in mail".to_string(),
                    s.smtp
                        .iter()
                        .map(|r| EgressEntry::Rule {
                            cidr: r.cidr.clone(),
                            ports: vec![r.port()],
                        })
                        .collect(),
                    false,
                ),
                None => {
                    let named = egress.component_list(key).unwrap_or(&[]).to_vec();
                    let open = named.is_empty() && profile.component_https;
                    let entries = if open {
                        vec![EgressEntry::Cidr("0.0.0.0/0".into())]
                    } else {
                        named
                    };
                    (call.answer.clone(), call.what.clone(), entries, open)
                }
            };
            out.push(ComponentEgress {
                component: c.id.clone(),
                title: c.title.clone(),
                answer,
                what,
                entries,
                open,
            });
        }
    }
    out
}

/// The policy of each component that may reach something (`release`'s pods only).
pub(super) fn plan_policies(
    egress: &[ComponentEgress],
    release: &str,
    namespace: &str,
) -> Vec<PlannedPolicy> {
    egress
        .iter()
        .filter(|e| !e.entries.is_empty())
        .map(|e| PlannedPolicy {
            path: format!("network/{}-egress.yaml", e.component),
            policy: policy(e, release, namespace),
        })
        .collect()
}

fn policy(e: &ComponentEgress, release: &str, namespace: &str) -> NetworkPolicy {
    let mut labels = part_of(release);
    labels.insert("app.kubernetes.io/component".into(), e.component.clone());
    NetworkPolicy {
        api_version: "networking.k8s.io/v1".into(),
        kind: "NetworkPolicy".into(),
        metadata: Metadata {
            name: format!("{release}-caracal-{}-egress", e.component),
            namespace: Some(namespace.into()),
            labels,
            annotations: Labels::new(),
        },
        spec: NetworkPolicySpec {
            pod_selector: Selector {
                match_labels: component_selector(release, &e.component),
            },
            policy_types: vec!["Egress".into()],
            ingress: Vec::new(),
            egress: e
                .entries
                .iter()
                .map(|entry| EgressRule {
                    to: vec![Peer::cidr(entry.cidr())],
                    ports: entry.ports().into_iter().map(PolicyPort::tcp).collect(),
                })
                .collect(),
        },
    }
}

/// The labels the chart puts on one component's pods and Services (its `caracal.name` is
/// the chart name, `caracal`, as the overlay sets no `nameOverride`).
pub fn component_selector(release: &str, component: &str) -> Labels {
    Labels::from([
        ("app.kubernetes.io/name".to_string(), "caracal".to_string()),
        (
            "app.kubernetes.io/instance".to_string(),
            release.to_string(),
        ),
        (
            "app.kubernetes.io/component".to_string(),
            component.to_string(),
        ),
    ])
}

/// The per-component egress in words, for the README's "Out:" summary.
pub(super) fn summary(egress: &[ComponentEgress]) -> Vec<String> {
    egress
        .iter()
        .map(|e| {
            let to = if e.open {
                "HTTPS (443) to anywhere (name CIDRs to narrow it)".to_string()
            } else if e.entries.is_empty() {
                "nothing (no CIDRs named)".to_string()
            } else {
                e.entries
                    .iter()
                    .map(|x| {
                        let ports: Vec<String> = x.ports().iter().map(u32::to_string).collect();
                        format!("`{}` on {}", x.cidr(), ports.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            format!("{} only, for {} (`{}`): {to}", e.title, e.what, e.answer)
        })
        .collect()
}

/// The private hosts in words, for "Out:" (#10); `None` when none is named, as the
/// chart's default (no private address) then holds.
pub(super) fn private_hosts_summary(a: &Answers) -> Option<String> {
    let hosts = a.egress.as_ref()?.named_private_hosts();
    if hosts.is_empty() {
        return None;
    }
    let named: Vec<String> = hosts.iter().map(|h| format!("`{h}`")).collect();
    Some(format!(
        "STS and API, on private addresses (`CARACAL_PRIVATE_EGRESS_HOSTS`, `egress.privateHosts`): only {}",
        named.join(", ")
    ))
}

#[cfg(test)]
mod tests;
