//! The static checks that `values.yaml`, hand edits included, still keeps what the answers
//! promise: egress, DNS, open rules, origins and Ingresses.
use serde_yaml::Value;

use super::doc::{get, str_at};
use super::values::is_ingress_enabled;
use super::Finding;
use crate::manifest::{EgressRule, NetworkPolicyValues};
use crate::plan::Plan;

const FILE: &str = "values.yaml";

/// Checks that `values.yaml` as it is on disk still keeps what the answers promise.
pub(super) fn check_promises(v: &Value, plan: &Plan, findings: &mut Vec<Finding>) {
    let typed: Option<NetworkPolicyValues> = get(v, &["networkPolicy"])
        .cloned()
        .and_then(|np| serde_yaml::from_value(np).ok());
    let Some(np) = typed else {
        findings.push(Finding::error(
            FILE,
            "networkPolicy is missing or malformed",
            None,
        ));
        return;
    };
    check_named_egress(&np, plan, findings);
    check_dns_egress(&np, plan, findings);
    check_open_flags(&np, plan, findings);
    if !plan.profile.open_cidr {
        check_no_open_rules(&np, plan, findings);
    }
    check_origins(v, findings);
    check_disabled_ingresses(v, plan, findings);
    check_secret_env(v, plan, findings);
}

/// Environment names that carry a credential by convention.
const SECRET_WORDS: [&str; 5] = ["SECRET", "PASSWORD", "TOKEN", "PRIVATE_KEY", "API_KEY"];

/// No literal credential in a service's `extraEnv` outside evaluation: where the answers read
/// a variable from the runtime Secret, or its name says it is one, a `value:` is a secret in
/// a committed file (#11: a "quick fix" replacing the `secretKeyRef`).
fn check_secret_env(v: &Value, plan: &Plan, findings: &mut Vec<Finding>) {
    if plan.profile.evaluation {
        return;
    }
    let Some(services) = get(v, &["services"]).and_then(Value::as_mapping) else {
        return;
    };
    for (name, svc) in services {
        let name = name.as_str().unwrap_or("?");
        let planned = plan
            .values
            .services
            .get(name)
            .map(|s| s.extra_env.as_slice());
        let planned = planned.unwrap_or_default();
        let from_secret = |var: &str| {
            planned
                .iter()
                .any(|e| e.name == var && e.value_from.is_some())
        };
        let literal = |var: &str| planned.iter().any(|e| e.name == var && e.value.is_some());
        let env = svc.get("extraEnv").and_then(Value::as_sequence);
        for e in env.into_iter().flatten() {
            let (Some(var), Some(value)) = (str_at(e, &["name"]), e.get("value")) else {
                continue;
            };
            if value.is_null() || value.as_str() == Some("") {
                continue;
            }
            let upper = var.to_ascii_uppercase();
            // A switch (`CARACAL_PASSWORD_SIGNUP: "1"`) names a credential without holding one.
            let switch = value.as_bool().is_some()
                || value.as_str().is_some_and(|s| {
                    matches!(
                        s.to_ascii_lowercase().as_str(),
                        "0" | "1" | "true" | "false" | "yes" | "no" | "on" | "off"
                    )
                });
            let named = SECRET_WORDS.iter().any(|w| upper.contains(w)) && !literal(var) && !switch;
            if from_secret(var) || named {
                findings.push(Finding::error(
                    FILE,
                    format!("services.{name}.extraEnv `{var}` holds a literal value: a credential in a committed file; read it from the runtime Secret (`valueFrom.secretKeyRef`, as caracal-wizard writes it) and put the value in the secret manager"),
                    None,
                ));
            }
        }
    }
}

/// Whether some rule reaches `cidr` on `port` (no peer or no port means every one).
fn has_rule(rules: &[EgressRule], cidr: &str, port: u32) -> bool {
    rules.iter().any(|r| {
        (r.to.is_empty()
            || r.to
                .iter()
                .any(|p| p.ip_block.as_ref().is_some_and(|b| b.cidr == cidr)))
            && (r.ports.is_empty() || r.ports.iter().any(|p| p.port == port))
    })
}

/// Every CIDR and port the answers list under `egress.*` has its rule in `extraEgress`.
fn check_named_egress(np: &NetworkPolicyValues, plan: &Plan, findings: &mut Vec<Finding>) {
    let egress = plan.answers.egress.clone().unwrap_or_default();
    for (cat, entries) in egress.categories() {
        for e in entries {
            for port in e.ports() {
                if !np.allow_open_https && !has_rule(&np.extra_egress, e.cidr(), port) {
                    findings.push(Finding::error(FILE, format!("egress to `{}` on {port} ({cat}) is missing from networkPolicy.extraEgress", e.cidr()), Some(&format!("egress.{cat}"))));
                }
            }
        }
    }
}

/// The DNS egress the answers ask for is still there.
fn check_dns_egress(np: &NetworkPolicyValues, plan: &Plan, findings: &mut Vec<Finding>) {
    let want = &plan.values.network_policy;
    if np.dns_egress.is_empty() && !np.allow_open_dns && !want.dns_egress.is_empty() {
        findings.push(Finding::error(
            FILE,
            "DNS egress the answers ask for is missing from networkPolicy.dnsEgress",
            Some("dns.mode"),
        ));
    }
}

/// `allowOpenHttps` and `allowOpenDns` only where the profile offers them. When the answers
/// render the flag false, `true` is a hand edit of `values.yaml`: name that key, not the
/// answer (which is already right).
fn check_open_flags(np: &NetworkPolicyValues, plan: &Plan, findings: &mut Vec<Finding>) {
    let want = &plan.values.network_policy;
    let flags = [
        (
            "allowOpenHttps",
            np.allow_open_https,
            want.allow_open_https,
            plan.profile.open_https,
            "egress.openHttps",
        ),
        (
            "allowOpenDns",
            np.allow_open_dns,
            want.allow_open_dns,
            plan.profile.open_dns,
            "dns.mode",
        ),
    ];
    for (key, got, rendered, allowed, answer) in flags {
        if !got || allowed {
            continue;
        }
        let profile = &plan.profile.id;
        findings.push(if rendered {
            Finding::error(
                FILE,
                format!("networkPolicy.{key} is true, which profile `{profile}` refuses"),
                Some(answer),
            )
        } else {
            Finding::error(
                FILE,
                format!("networkPolicy.{key}: true is a hand edit of values.yaml (the answers render false), which profile `{profile}` refuses; remove it or set it to false"),
                None,
            )
        });
    }
}

/// Per port, the extra egress rules' CIDRs together must not reach everywhere (or most
/// of it): `0.0.0.0/1` plus `128.0.0.0/1` is a `/0` in two rules.
fn check_egress_union(np: &NetworkPolicyValues, plan: &Plan, findings: &mut Vec<Finding>) {
    let mut by_port: std::collections::BTreeMap<u32, Vec<ipnet::IpNet>> = Default::default();
    for r in &np.extra_egress {
        let nets: Vec<ipnet::IpNet> =
            r.to.iter()
                .filter_map(|p| p.ip_block.as_ref()?.cidr.parse().ok())
                .collect();
        let ports: Vec<u32> = if r.ports.is_empty() {
            vec![0]
        } else {
            r.ports.iter().map(|p| p.port).collect()
        };
        for port in ports {
            by_port
                .entry(port)
                .or_default()
                .extend(nets.iter().copied());
        }
    }
    for (port, nets) in by_port {
        if let Some(why) = crate::cidr::too_wide(&nets) {
            let port = if port == 0 {
                "every port".to_string()
            } else {
                format!("port {port}")
            };
            findings.push(Finding::error(
                FILE,
                format!("networkPolicy.extraEgress to {port}: {why}, which profile `{}` refuses; list the provider's CIDRs", plan.profile.id),
                Some("egress.other"),
            ));
        }
    }
}

/// Whether an `ipBlock` CIDR is everywhere: a `/0`, or all of IPv4 written as IPv6.
fn open_cidr(cidr: &str) -> bool {
    cidr.ends_with("/0")
        || cidr
            .parse::<ipnet::IpNet>()
            .is_ok_and(|n| crate::cidr::is_everywhere(&n))
}

/// No egress rule to everywhere, for profiles that refuse open CIDRs.
fn check_no_open_rules(np: &NetworkPolicyValues, plan: &Plan, findings: &mut Vec<Finding>) {
    check_egress_union(np, plan, findings);
    for r in np.extra_egress.iter().chain(np.dns_egress.iter()) {
        let open = r.to.is_empty()
            || r.to
                .iter()
                .any(|p| p.ip_block.as_ref().is_some_and(|b| open_cidr(&b.cidr)));
        if !open {
            continue;
        }
        // Validation refuses every answer that renders such a rule here, so it is a hand
        // edit: name it rather than an answer the profile forbids (`egress.openHttps`).
        let want = &plan.values.network_policy;
        let rendered = want.extra_egress.contains(r) || want.dns_egress.contains(r);
        let (msg, answer) = if rendered {
            ("list CIDRs under `egress.*` instead", Some("egress.other"))
        } else {
            ("it is a hand edit of values.yaml (the answers render no such rule): remove it or narrow it to named CIDRs", None)
        };
        findings.push(
            Finding::error(
                FILE,
                format!(
                    "an egress rule in networkPolicy reaches everywhere (no peer or a /0), which profile `{}` refuses; {msg}",
                    plan.profile.id
                ),
                answer,
            )
            .rechecked_when_rendered(),
        );
    }
}

/// The host of an enabled Ingress (empty when unset), `None` when it is disabled.
fn ingress_host(v: &Value, name: &str) -> Option<String> {
    is_ingress_enabled(v, name).then(|| {
        str_at(v, &["ingress", name, "host"])
            .unwrap_or_default()
            .to_string()
    })
}

/// The console's and the STS's origins must match their Ingress hosts.
fn check_origins(v: &Value, findings: &mut Vec<Finding>) {
    let service_url =
        |name: &str, key: &str| str_at(v, &["services", name, key]).map(str::to_string);
    if let Some(host) = ingress_host(v, "web") {
        let origin = service_url("web", "publicUrl");
        if origin.as_deref() != Some(format!("https://{host}").as_str()) {
            findings.push(Finding::error(FILE, format!("services.web.publicUrl is {} but the console's Ingress host is `{host}`: browsers would be refused", origin.unwrap_or_else(|| "unset".into())), Some("hosts.web")));
        }
    }
    if let Some(host) = ingress_host(v, "sts") {
        let issuer = service_url("sts", "issuerUrl");
        if issuer.as_deref() != Some(format!("https://{host}").as_str()) {
            findings.push(Finding::error(FILE, format!("services.sts.issuerUrl is {} but the STS Ingress host is `{host}`: verifiers outside the cluster would reject its mandates", issuer.unwrap_or_else(|| "unset".into())), Some("hosts.sts")));
        }
    }
}

/// No Ingress enabled that the answers keep disabled.
fn check_disabled_ingresses(v: &Value, plan: &Plan, findings: &mut Vec<Finding>) {
    for (name, want_ing) in &plan.values.ingress {
        if is_ingress_enabled(v, name) && !want_ing.enabled {
            findings.push(Finding::error(
                FILE,
                format!("ingress.{name} is enabled but the answers keep it `disabled`"),
                Some(&format!("endpoints.{name}")),
            ));
        }
    }
}
