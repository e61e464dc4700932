//! NetworkPolicy planning: DNS egress, who may reach the pods, named egress, and each in words.
use crate::answers::{DnsMode, Endpoint};
use crate::catalog::Labels;
use crate::manifest::{
    EgressRule, IngressRule, Metadata, NetworkPolicy, NetworkPolicySpec, NetworkPolicyValues, Peer,
    PolicyPort, Selector,
};

use super::context::Context;
use super::ingress::{fill_labels, IngressPlan};
use super::placeholders::Vars;

/// The NetworkPolicy part of a plan.
pub(super) struct NetworkPlan {
    /// `networkPolicy` values.
    pub policy: NetworkPolicyValues,
    /// What the policy allows out, in words.
    pub egress_summary: Vec<String>,
    /// Who may reach the pods, in words.
    pub ingress_summary: Vec<String>,
}

/// Plans the NetworkPolicy for the endpoints `ingress` exposes.
pub(super) fn plan_network(cx: &Context, ingress: &IngressPlan) -> NetworkPlan {
    let admitted = admit_ingress(cx, ingress);
    let egress = allow_egress(cx);
    let open_https = cx.egress.open_https.unwrap_or(false);
    NetworkPlan {
        policy: NetworkPolicyValues {
            enabled: cx.profile.chart_network_policy,
            allow_open_dns: cx.dns.mode == DnsMode::Open,
            allow_open_https: open_https,
            dns_egress: dns_egress(cx),
            extra_ingress: admitted.rules,
            extra_egress: egress.rules,
        },
        egress_summary: egress.summary,
        ingress_summary: admitted.summary,
    }
}

/// Where the baseline policy is written.
pub const BASELINE_FILE: &str = "network/baseline.yaml";

/// The chart's NetworkPolicy as the overlay's own, for a profile that turns the chart's off
/// (regulated): the same pods, the same admissions and named egress, the release's own pods
/// both ways, but without the chart's rule admitting the Postgres, Redis and OTLP ports to any
/// address, which values can't narrow. Postgres and Redis stay reachable through their CIDRs
/// in `extraEgress`.
pub(super) fn baseline(
    values: &NetworkPolicyValues,
    release: &str,
    namespace: &str,
) -> super::egress::PlannedPolicy {
    let own = Selector {
        match_labels: release_selector(release),
    };
    let own_pods = Peer {
        pod_selector: Some(own.clone()),
        ..Default::default()
    };
    let mut ingress = vec![IngressRule {
        from: vec![own_pods.clone()],
        ports: Vec::new(),
    }];
    ingress.extend(values.extra_ingress.iter().cloned());
    let mut egress = values.dns_egress.clone();
    egress.push(EgressRule {
        to: vec![own_pods],
        ports: Vec::new(),
    });
    egress.extend(values.extra_egress.iter().cloned());
    super::egress::PlannedPolicy {
        path: BASELINE_FILE.into(),
        policy: NetworkPolicy {
            api_version: "networking.k8s.io/v1".into(),
            kind: "NetworkPolicy".into(),
            metadata: Metadata {
                name: format!("{release}-caracal-baseline"),
                namespace: Some(namespace.into()),
                labels: super::namespace::part_of(release),
                annotations: Labels::new(),
            },
            spec: NetworkPolicySpec {
                pod_selector: own,
                policy_types: vec!["Ingress".into(), "Egress".into()],
                ingress,
                egress,
            },
        },
    }
}

/// The chart's `caracal.selectorLabels`: every pod of the release (no `nameOverride`).
fn release_selector(release: &str) -> Labels {
    Labels::from([
        ("app.kubernetes.io/name".to_string(), "caracal".to_string()),
        (
            "app.kubernetes.io/instance".to_string(),
            release.to_string(),
        ),
    ])
}

fn dns_egress(cx: &Context) -> Vec<EgressRule> {
    let ports = vec![PolicyPort::udp(53), PolicyPort::tcp(53)];
    let to = match cx.dns.mode {
        DnsMode::Cluster => cx.cloud.dns.peers.iter().map(dns_peer).collect(),
        DnsMode::Cidr => vec![Peer::cidr(cx.dns.cidr.as_deref().unwrap_or_default())],
        DnsMode::Open => return vec![],
    };
    vec![EgressRule { to, ports }]
}

fn dns_peer(p: &crate::catalog::DnsPeer) -> Peer {
    match (&p.cidr, &p.namespace) {
        (Some(c), _) => Peer::cidr(c),
        (None, Some(ns)) => Peer::pods(ns, &p.pod_labels),
        (None, None) => Peer::default(),
    }
}

/// Ingress rules with their summary lines; a peer is admitted (and described) once.
#[derive(Default)]
struct Admitted {
    from: Vec<Peer>,
    rules: Vec<IngressRule>,
    summary: Vec<String>,
}

impl Admitted {
    fn admit(&mut self, peer: Peer, what: String) {
        if !self.from.contains(&peer) {
            self.from.push(peer);
            self.summary.push(what);
        }
    }
}

/// Who may reach the exposed ports: load balancers, then the ingress controller.
fn admit_ingress(cx: &Context, ingress: &IngressPlan) -> Admitted {
    let mut admitted = Admitted::default();
    if ingress.ingresses.is_empty() {
        return admitted;
    }
    for (x, spec) in &ingress.exposures {
        for c in &spec.admit {
            let what = format!(
                "`{}` ({x} load balancer front ends and health checks)",
                c.cidr
            );
            admitted.admit(Peer::cidr(&c.cidr), what);
        }
        match &spec.default_controller {
            Some(dc) if cx.answers.ingress_controller.is_none() => {
                // Only `{release}`: a controller's labels never name the release's namespace.
                let vars = Vars {
                    release: Some(&cx.release),
                    ..Vars::default()
                };
                let labels: Labels = fill_labels(&dc.pod_labels, &vars);
                let what = format!(
                    "pods {} in namespace `{}` (the {x} ingress controller)",
                    fmt_labels(&labels),
                    dc.namespace
                );
                admitted.admit(Peer::pods(&dc.namespace, &labels), what);
            }
            _ => {}
        }
    }
    admit_own_controller(cx, &mut admitted);
    let mut ports: Vec<u32> = ingress
        .ingresses
        .iter()
        .filter_map(|i| Endpoint::ALL.iter().find(|e| e.key() == i.endpoint))
        .map(|e| u32::from(e.port()))
        .collect();
    ports.sort_unstable();
    let from = std::mem::take(&mut admitted.from);
    admitted.rules.push(IngressRule {
        from,
        ports: ports.into_iter().map(PolicyPort::tcp).collect(),
    });
    admitted
}

/// The operator's own ingress controller: its pods, or its load balancer's source ranges.
fn admit_own_controller(cx: &Context, admitted: &mut Admitted) {
    let Some(ic) = &cx.answers.ingress_controller else {
        return;
    };
    if let Some(ns) = &ic.namespace {
        let what = format!(
            "pods {} in namespace `{ns}` (your ingress controller)",
            fmt_labels(&ic.pod_labels)
        );
        admitted.admit(Peer::pods(ns, &ic.pod_labels), what);
    }
    for c in &ic.cidrs {
        let what = format!("`{c}` (your load balancer's source range)");
        admitted.admit(Peer::cidr(c), what);
    }
}

/// Egress rules by destination with their summary lines.
#[derive(Default)]
struct Allowed {
    rules: Vec<EgressRule>,
    summary: Vec<String>,
}

impl Allowed {
    /// Allows `ports` to `cidr`, merging with an earlier rule for the same destination.
    fn allow(&mut self, cidr: &str, ports: &[u32], why: &str) {
        let rule = EgressRule {
            to: vec![Peer::cidr(cidr)],
            ports: ports.iter().map(|p| PolicyPort::tcp(*p)).collect(),
        };
        if let Some(existing) = self.rules.iter_mut().find(|r| r.to == rule.to) {
            for p in rule.ports {
                if !existing.ports.contains(&p) {
                    existing.ports.push(p);
                }
            }
        } else {
            self.rules.push(rule);
        }
        let ports: Vec<String> = ports.iter().map(u32::to_string).collect();
        self.summary
            .push(format!("{why}: `{cidr}` on {}", ports.join(", ")));
    }
}

/// DNS and the chart's own egress in words, then every named destination.
fn allow_egress(cx: &Context) -> Allowed {
    let mut allowed = Allowed::default();
    allowed.summary.push(dns_summary(cx));
    allowed.summary.push(if cx.profile.chart_network_policy {
        format!(
            "Postgres ({}), Redis ({}) and OTLP (4317/4318): always allowed by the chart",
            cx.pg_port, cx.redis_port
        )
    } else {
        format!(
            "Postgres ({}) and Redis ({}): only their CIDRs below; OTLP: only what `egress.other` names (`{BASELINE_FILE}` replaces the chart's policy, whose rule admits these ports to any address)",
            cx.pg_port, cx.redis_port
        )
    });
    if let Some(c) = &cx.pg.cidr {
        allowed.allow(c, &[cx.pg_port], "Postgres");
    }
    if let Some(c) = &cx.redis.cidr {
        allowed.allow(c, &[cx.redis_port], "Redis");
    }
    for f in &cx.cloud.fixed_egress {
        let ports: Vec<u32> = f.ports.iter().map(|p| u32::from(*p)).collect();
        allowed.allow(&f.cidr, &ports, &f.reason);
    }
    for (cat, entries) in cx.egress.categories() {
        let why = match cat {
            "identityProvider" => "Identity provider",
            "objectStore" => "Object store",
            "providerApis" => "Provider APIs",
            _ => "Other",
        };
        for e in entries {
            allowed.allow(e.cidr(), &e.ports(), why);
        }
    }
    if cx.egress.open_https.unwrap_or(false) {
        allowed.summary.push("HTTPS (443) to anywhere".into());
    }
    allowed
}

fn dns_summary(cx: &Context) -> String {
    match cx.dns.mode {
        DnsMode::Cluster => {
            let peers: Vec<String> = cx
                .cloud
                .dns
                .peers
                .iter()
                .map(|p| {
                    p.cidr.clone().unwrap_or_else(|| {
                        let ns = p.namespace.clone().unwrap_or_default();
                        format!("{} in `{ns}`", fmt_labels(&p.pod_labels))
                    })
                })
                .collect();
            format!(
                "DNS (53/UDP+TCP) to the cluster resolver: {}",
                peers.join(", ")
            )
        }
        DnsMode::Cidr => format!(
            "DNS (53/UDP+TCP) to `{}`",
            cx.dns.cidr.clone().unwrap_or_default()
        ),
        DnsMode::Open => "DNS (53/UDP+TCP) to anywhere".into(),
    }
}

/// Labels in words: `` `k=v`, `k2=v2` ``, or `(all)` when empty.
fn fmt_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "(all)".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("`{k}={v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
