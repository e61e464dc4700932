//! The README's Mermaid diagram: clients → load balancers → hosts → components, and the
//! Caracal pods → every egress destination the NetworkPolicy allows. Deterministic: it
//! follows the plan's order.
use crate::manifest::{EgressRule, Peer};
use crate::plan::{Plan, SERVICES};

/// The chart's container port of each component.
fn port(component: &str) -> u32 {
    match component {
        "sts" => 8080,
        "api" => 3000,
        "gateway" => 8081,
        "audit" => 9090,
        "coordinator" => 4000,
        _ => 3002,
    }
}

/// Mermaid text safe inside `["…"]`.
fn label(s: &str) -> String {
    s.replace(['"', '`'], "'").replace(['[', ']'], "")
}

/// The diagram's lines, from `flowchart LR` on.
pub fn diagram(plan: &Plan) -> Vec<String> {
    let mut out = vec!["flowchart LR".to_string()];
    let ns = plan.answers.namespace();
    out.push(format!("  subgraph pods[\"namespace {}\"]", label(ns)));
    for c in SERVICES {
        out.push(format!("    {c}[\"{c} :{}\"]", port(c)));
    }
    out.push("  end".into());
    ingress_lines(plan, &mut out);
    egress_lines(plan, &mut out);
    out
}

fn ingress_lines(plan: &Plan, out: &mut Vec<String>) {
    if plan.ingresses.is_empty() {
        out.push("  operator([\"operator: kubectl port-forward\"]) --> web".into());
        return;
    }
    let mut lbs: Vec<(String, String)> = Vec::new();
    for i in &plan.ingresses {
        let lb = format!("lb_{}", i.exposure);
        if !lbs.iter().any(|(id, _)| *id == lb) {
            lbs.push((lb.clone(), i.load_balancer.clone()));
            let who = if i.exposure == "public" {
                "internet clients"
            } else {
                "VPC clients"
            };
            out.push(format!(
                "  clients_{0}([\"{who}\"]) --> {lb}[\"{1}\"]",
                i.exposure,
                label(&i.load_balancer)
            ));
        }
        out.push(format!(
            "  {lb} --> host_{0}[\"{1}\"] --> {0}",
            i.endpoint,
            label(&i.host)
        ));
    }
}

fn egress_lines(plan: &Plan, out: &mut Vec<String>) {
    let np = &plan.values.network_policy;
    let mut n = 0;
    let mut edge = |out: &mut Vec<String>, text: String| {
        out.push(format!("  pods --> egress{n}[\"{}\"]", label(&text)));
        n += 1;
    };
    if np.allow_open_dns {
        edge(out, "DNS: anywhere :53".into());
    }
    for r in &np.dns_egress {
        edge(out, format!("DNS: {}", rule_text(r)));
    }
    let s = &plan.values.secrets;
    edge(
        out,
        format!("Postgres {} :{}", s.database.host, s.database.port),
    );
    edge(out, format!("Redis {} :{}", s.redis.host, s.redis.port));
    let otlp = &plan.values.global.otel_exporter_otlp_endpoint;
    if !otlp.is_empty() {
        edge(out, format!("OTLP {otlp}"));
    }
    if np.allow_open_https {
        edge(out, "HTTPS: anywhere :443".into());
    }
    for r in &np.extra_egress {
        edge(out, rule_text(r));
    }
}

/// `10.0.0.0/16, kube-system/k8s-app=kube-dns :53/UDP :53/TCP`.
fn rule_text(r: &EgressRule) -> String {
    let to: Vec<String> = r.to.iter().map(peer_text).collect();
    let ports: Vec<String> = r
        .ports
        .iter()
        .map(|p| format!(":{}/{}", p.port, p.protocol))
        .collect();
    format!("{} {}", to.join(", "), ports.join(" "))
}

fn peer_text(p: &Peer) -> String {
    if let Some(b) = &p.ip_block {
        return b.cidr.clone();
    }
    let labels = |s: &Option<crate::manifest::Selector>| {
        s.as_ref()
            .map(|s| {
                let kv: Vec<String> = s
                    .match_labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                kv.join(",")
            })
            .unwrap_or_default()
    };
    format!(
        "pods {} in ns {}",
        labels(&p.pod_selector),
        labels(&p.namespace_selector)
    )
}
