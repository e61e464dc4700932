//! The rendered check of NetworkPolicies: no ingress from anywhere, and egress exactly as
//! wide as the answers allow — everything they name, nothing more.
use std::collections::BTreeSet;

use serde_yaml::Value;

use super::{Expectations, VALUES};
use crate::check::doc::{kind, name};
use crate::check::Finding;
use crate::manifest;
use crate::plan::Plan;

mod allowances;
mod components;
mod model;
mod reach;

use allowances::{allowances, Allowance};
use model::{Dest, NpPort, NpSpec, PortRange};
use reach::Policy;

/// One (destination, port) a rendered policy lets egress reach.
struct Reach {
    policy: String,
    /// The one component the policy selects (the overlay's per-component policies).
    component: Option<String>,
    dest: Dest,
    port: PortRange,
}

/// Checks the rendered NetworkPolicies against the answers.
pub(super) fn check_network_policy(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let policies: Vec<&Value> = docs.iter().filter(|d| kind(d) == "NetworkPolicy").collect();
    if policies.is_empty() {
        if !exp.evaluation {
            out.push(Finding::error(VALUES, "the chart renders no NetworkPolicy: every profile but evaluation restricts traffic (networkPolicy.enabled)", Some("profile")));
        }
        return;
    }
    let mut rendered = Vec::new();
    let mut parsed = Vec::new();
    for np in policies {
        let np_name = name(np).to_string();
        let Some(spec) = parse_spec(np, &np_name, out) else {
            continue;
        };
        check_open_ingress(&spec, &np_name, out);
        egress_reach(&spec, &np_name, &mut rendered, out);
        parsed.push(Policy { spec });
    }
    let Some(plan) = exp.plan else {
        report_wide_egress(&rendered, out);
        return;
    };
    let allowed = allowances(plan);
    check_required_egress(&allowed, &rendered, out);
    check_wider_egress(&allowed, &rendered, plan, out);
    if !plan.profile.open_cidr {
        check_rendered_union(&allowed, &rendered, plan, out);
    }
    components::check_component_egress(&parsed, plan, out);
    if plan.profile.monitoring {
        components::check_scraper(&parsed, plan, out);
    }
    components::check_internal_controllers(docs, &parsed, plan, out);
}

/// The `app.kubernetes.io/component` a policy selects, when it selects one.
fn selected_component(spec: &NpSpec) -> Option<String> {
    spec.pod_selector
        .as_ref()
        .and_then(|s| s.match_labels.get("app.kubernetes.io/component").cloned())
}

/// The policy's spec; `None` without one, or with a finding when it has an unexpected shape.
fn parse_spec(np: &Value, np_name: &str, out: &mut Vec<Finding>) -> Option<NpSpec> {
    let spec = np.get("spec").cloned()?;
    match manifest::from_value(spec) {
        Ok(s) => Some(s),
        Err(e) => {
            out.push(Finding::error(
                VALUES,
                format!("NetworkPolicy `{np_name}` has an unexpected shape: {e}"),
                None,
            ));
            None
        }
    }
}

/// No ingress rule admits every source.
fn check_open_ingress(spec: &NpSpec, np_name: &str, out: &mut Vec<Finding>) {
    for rule in &spec.ingress {
        let everywhere = rule.from.is_empty()
            || rule
                .from
                .iter()
                .any(|p| p.dest().is_ok_and(|d| d.is_everywhere()));
        if everywhere {
            out.push(Finding::error(
                VALUES,
                format!("NetworkPolicy `{np_name}` admits ingress from any source: give the load balancer's or controller's peers instead"),
                Some("ingressController.cidrs"),
            ));
        }
    }
}

/// Every (destination, port) the policy's egress rules reach, reporting invalid CIDRs.
fn egress_reach(spec: &NpSpec, np_name: &str, rendered: &mut Vec<Reach>, out: &mut Vec<Finding>) {
    let component = selected_component(spec);
    for rule in &spec.egress {
        let dests: Vec<Dest> = if rule.to.is_empty() {
            vec![Dest::Any]
        } else {
            rule.to
                .iter()
                .filter_map(|p| match p.dest() {
                    Ok(d) => Some(d),
                    Err(e) => {
                        out.push(Finding::error(
                            VALUES,
                            format!("NetworkPolicy `{np_name}` has an invalid egress CIDR {e}"),
                            Some("egress.other"),
                        ));
                        None
                    }
                })
                .collect()
        };
        let ports: Vec<PortRange> = if rule.ports.is_empty() {
            vec![PortRange::all("TCP"), PortRange::all("UDP")]
        } else {
            rule.ports.iter().filter_map(NpPort::range).collect()
        };
        for dest in &dests {
            for port in &ports {
                rendered.push(Reach {
                    policy: np_name.to_string(),
                    component: component.clone(),
                    dest: dest.clone(),
                    port: port.clone(),
                });
            }
        }
    }
}

/// Without answers, only what is wide on its face is reported.
fn report_wide_egress(rendered: &[Reach], out: &mut Vec<Finding>) {
    for r in rendered {
        if r.dest.is_everywhere() && !matches!(r.port.lo, 53 | 4317 | 4318) {
            out.push(Finding::error(
                VALUES,
                format!(
                    "NetworkPolicy `{}` allows egress to {} on {}",
                    r.policy,
                    r.dest.describe(),
                    r.port.describe()
                ),
                Some("egress.other"),
            ));
        }
    }
}

/// Everything the answers name is reachable.
fn check_required_egress(allowed: &[Allowance], rendered: &[Reach], out: &mut Vec<Finding>) {
    for need in allowed.iter().filter(|a| a.required) {
        let covered = rendered
            .iter()
            .any(|r| r.dest.covers(&need.dest) && r.port.covers(&need.port));
        if !covered {
            out.push(Finding::error(
                VALUES,
                format!(
                    "the NetworkPolicy doesn't allow egress to {} ({} on {}), which the answers name",
                    need.what,
                    need.dest.describe(),
                    need.port.describe()
                ),
                Some(&need.answer),
            ));
        }
    }
}

/// Per port, the CIDRs every rendered policy lets egress reach must not together cover
/// everywhere (or most of it) where the profile refuses open egress: policies add up, so
/// `0.0.0.0/1` in one and `128.0.0.0/1` in another is a `/0` (#11). A rule on a port range
/// counts for each port in it. The message names the policies with CIDRs the answers
/// don't give (the hand edits), or every contributing policy when there are none.
fn check_rendered_union(
    allowed: &[Allowance],
    rendered: &[Reach],
    plan: &Plan,
    out: &mut Vec<Finding>,
) {
    let mut ports: Vec<&PortRange> = Vec::new();
    for r in rendered {
        if !ports.contains(&&r.port) {
            ports.push(&r.port);
        }
    }
    for port in ports {
        let mut nets = Vec::new();
        let (mut unanswered, mut all) = (BTreeSet::new(), BTreeSet::new());
        for r in rendered.iter().filter(|r| r.port.covers(port)) {
            if let Dest::Net(n) = &r.dest {
                nets.push(*n);
                all.insert(r.policy.as_str());
                if !answered(allowed, plan, r.component.as_deref(), &r.dest, &r.port) {
                    unanswered.insert(r.policy.as_str());
                }
            }
        }
        if let Some(why) = crate::cidr::too_wide(&nets) {
            let named = if unanswered.is_empty() {
                all
            } else {
                unanswered
            };
            let policies: Vec<&str> = named.into_iter().collect();
            out.push(Finding::error(
                VALUES,
                format!(
                    "the egress CIDRs of the NetworkPolicies for {} ({}): {why}, which profile `{}` refuses; list the provider's CIDRs",
                    port.describe(),
                    policies.join(", "),
                    plan.profile.id
                ),
                Some("egress.other"),
            ));
        }
    }
}

/// Nothing outside the release's namespace is reachable that the answers don't allow
/// (each policy, destination and port once).
fn check_wider_egress(
    allowed: &[Allowance],
    rendered: &[Reach],
    plan: &Plan,
    out: &mut Vec<Finding>,
) {
    let regulated = !plan.profile.open_cidr;
    let mut seen = BTreeSet::new();
    for Reach {
        policy,
        component,
        dest,
        port,
    } in rendered
    {
        if dest.is_own_namespace() {
            continue;
        }
        let ok = answered(allowed, plan, component.as_deref(), dest, port);
        if ok || !seen.insert((policy.clone(), dest.describe(), port.describe())) {
            continue;
        }
        let why = if dest.is_everywhere() && regulated {
            format!(
                " — profile `{}` refuses egress to everywhere",
                plan.profile.id
            )
        } else {
            String::new()
        };
        out.push(Finding::error(
            VALUES,
            format!(
                "NetworkPolicy `{policy}` allows egress to {} on {}, wider than the answers allow{why}",
                dest.describe(),
                port.describe()
            ),
            answer_widening(dest, port, plan),
        ));
    }
}

/// Whether the answers allow `dest` on `port` (for `component`'s own policy, also what
/// that component needs).
fn answered(
    allowed: &[Allowance],
    plan: &Plan,
    component: Option<&str>,
    dest: &Dest,
    port: &PortRange,
) -> bool {
    allowed
        .iter()
        .any(|a| a.dest.covers(dest) && a.port.covers(port))
        || component.is_some_and(|c| allowances::component_allows(plan, c, dest, port))
}

/// The answer that would have asked for egress this wide; `None` when the profile forbids
/// that answer, so only a hand edit can have made it (never suggest `egress.openHttps` to a
/// regulated overlay).
fn answer_widening(dest: &Dest, port: &PortRange, plan: &Plan) -> Option<&'static str> {
    if (port.lo, port.hi) == (53, 53) {
        Some("dns.mode")
    } else if dest.is_everywhere() && port.covers(&PortRange::tcp(443)) {
        plan.profile.open_https.then_some("egress.openHttps")
    } else if dest.is_everywhere() {
        plan.profile.open_cidr.then_some("egress.other")
    } else {
        Some("egress.other")
    }
}

#[cfg(test)]
mod tests;
