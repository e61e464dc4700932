//! What the answers allow a NetworkPolicy to reach: each (destination, port) with the answer
//! that permits it.
use super::model::{Dest, PortRange};
use crate::answers::DnsMode;
use crate::manifest::Peer;
use crate::plan::Plan;

/// One permitted (destination, port) pair, with the answer that permits it.
#[derive(Debug, Clone)]
pub(super) struct Allowance {
    pub(super) dest: Dest,
    pub(super) port: PortRange,
    /// What is reached, in a message.
    pub(super) what: String,
    /// The answer that permits it.
    pub(super) answer: String,
    /// Whether the rendered policy must allow it (not merely may).
    pub(super) required: bool,
}

/// Collects allowances in the order the checks report them.
#[derive(Default)]
struct Allowances(Vec<Allowance>);

impl Allowances {
    fn push(&mut self, dest: Dest, port: PortRange, what: &str, answer: &str, required: bool) {
        self.0.push(Allowance {
            dest,
            port,
            what: what.into(),
            answer: answer.into(),
            required,
        });
    }

    /// DNS on 53/UDP and 53/TCP.
    fn push_dns(&mut self, dest: &Dest, what: &str, answer: &str) {
        for port in [PortRange::udp(53), PortRange::tcp(53)] {
            self.push(dest.clone(), port, what, answer, true);
        }
    }
}

/// Everything the answers allow, in order: DNS, backends, the cloud's fixed egress, the
/// `egress.*` lists and open HTTPS.
pub(super) fn allowances(plan: &Plan) -> Vec<Allowance> {
    let mut out = Allowances::default();
    dns(plan, &mut out);
    backends(plan, &mut out);
    fixed_egress(plan, &mut out);
    named_egress(plan, &mut out);
    out.0
}

/// The resolver `dns.mode` names: the cloud's cluster DNS peers, a CIDR, or anywhere.
fn dns(plan: &Plan, out: &mut Allowances) {
    let dns = plan
        .answers
        .dns
        .clone()
        .map(|d| (d.mode, d.cidr))
        .unwrap_or((DnsMode::Cluster, None));
    match dns {
        (DnsMode::Cluster, _) => {
            for p in &plan.cloud.dns.peers {
                let dest = match (&p.cidr, &p.namespace) {
                    (Some(c), _) => c.parse().ok().map(Dest::Net),
                    (None, Some(ns)) => Some(Dest::Selector(Peer::pods(ns, &p.pod_labels))),
                    (None, None) => None,
                };
                if let Some(dest) = dest {
                    out.push_dns(&dest, "the cluster DNS resolver", "dns.mode");
                }
            }
        }
        (DnsMode::Cidr, Some(c)) => {
            if let Ok(n) = c.parse() {
                out.push_dns(&Dest::Net(n), "the DNS resolver", "dns.cidr");
            }
        }
        (DnsMode::Cidr, None) => {}
        (DnsMode::Open, _) => out.push_dns(&Dest::Any, "open DNS", "dns.mode"),
    }
}

/// Postgres, Redis and OTLP: the chart's own rule to any destination (where its policy is on),
/// and the answers' CIDRs.
fn backends(plan: &Plan, out: &mut Allowances) {
    let pg = plan.answers.postgres.clone().unwrap_or_default();
    let redis = plan.answers.redis.clone().unwrap_or_default();
    let pg_port = pg.port.unwrap_or(5432);
    let redis_port = redis.port.unwrap_or(6379);
    // The chart's own rule: the Postgres, Redis and OTLP ports to any destination; where
    // the profile replaces the chart's policy (regulated), only the CIDRs below.
    let chart_rule = if plan.profile.chart_network_policy {
        [
            (pg_port, "Postgres", "postgres.port"),
            (redis_port, "Redis", "redis.port"),
            (4317, "OTLP", "monitoring.otlpEndpoint"),
            (4318, "OTLP", "monitoring.otlpEndpoint"),
        ]
        .to_vec()
    } else {
        Vec::new()
    };
    for (p, what, answer) in chart_rule {
        out.push(
            Dest::Any,
            PortRange::tcp(p),
            what,
            answer,
            p == pg_port || p == redis_port,
        );
    }
    for (cidr, port, what, answer) in [
        (&pg.cidr, pg_port, "Postgres", "postgres.cidr"),
        (&redis.cidr, redis_port, "Redis", "redis.cidr"),
    ] {
        if let Some(n) = cidr.as_deref().and_then(|c| c.parse().ok()) {
            out.push(Dest::Net(n), PortRange::tcp(port), what, answer, true);
        }
    }
}

/// The cloud's fixed egress (metadata endpoints and the like).
fn fixed_egress(plan: &Plan, out: &mut Allowances) {
    for f in &plan.cloud.fixed_egress {
        if let Ok(n) = f.cidr.parse() {
            for p in &f.ports {
                out.push(
                    Dest::Net(n),
                    PortRange::tcp(u32::from(*p)),
                    &f.reason,
                    "cloud",
                    true,
                );
            }
        }
    }
}

/// The `egress.*` CIDR lists, and `egress.openHttps`.
fn named_egress(plan: &Plan, out: &mut Allowances) {
    let egress = plan.answers.egress.clone().unwrap_or_default();
    for (cat, entries) in egress.categories() {
        let what = match cat {
            "identityProvider" => "the identity provider",
            "objectStore" => "the object store",
            "providerApis" => "the provider APIs",
            _ => "other egress",
        };
        for e in entries {
            if let Ok(n) = e.cidr().parse() {
                for p in e.ports() {
                    out.push(
                        Dest::Net(n),
                        PortRange::tcp(p),
                        what,
                        &format!("egress.{cat}"),
                        true,
                    );
                }
            }
        }
    }
    if egress.open_https.unwrap_or(false) {
        out.push(
            Dest::Any,
            PortRange::tcp(443),
            "HTTPS to anywhere",
            "egress.openHttps",
            true,
        );
    }
}

/// Whether the answers let component `c`'s own policy reach `dest` on `port` (#10).
pub(super) fn component_allows(plan: &Plan, c: &str, dest: &Dest, port: &PortRange) -> bool {
    plan.component_egress
        .iter()
        .filter(|ce| ce.component == c)
        .flat_map(|ce| ce.entries.iter())
        .any(|e| {
            e.cidr().parse().is_ok_and(|n| Dest::Net(n).covers(dest))
                && e.ports()
                    .into_iter()
                    .any(|p| PortRange::tcp(p).covers(port))
        })
}
