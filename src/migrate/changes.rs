//! What a migration changes in the deployment, in the operator's terms.
use std::fmt;

use crate::answers::{Answers, DnsMode, EgressEntry, Endpoint, Exposure};
use crate::catalog::{Catalog, Cloud, Profile};
use crate::validate::{IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};

use super::rules::exposure;

/// One change to the deployment, e.g. "STS: public → internal — its Ingress moves to an
/// internal load balancer".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// What changes (an endpoint, `egress`, `audit export`, …).
    pub subject: String,
    /// How, in words.
    pub detail: String,
}

impl Change {
    /// A change of `subject`.
    pub fn new(subject: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.detail)
    }
}

/// Both sides of a migration, complete.
pub(crate) struct Sides<'a> {
    pub old: &'a Answers,
    pub new: &'a Answers,
    pub from: &'a Profile,
    pub to: &'a Profile,
    pub cloud: &'a Cloud,
    pub catalog: &'a Catalog,
}

fn exposure_phrase(cloud: &Cloud, x: Exposure) -> String {
    cloud
        .exposures
        .get(x.key())
        .map(|s| s.describe.clone())
        .unwrap_or_else(|| format!("a {x} load balancer"))
}

fn secrets_phrase(p: &Profile, cloud: &Cloud) -> String {
    if p.external_secrets {
        format!("External Secrets from {}", cloud.secret_store.provider)
    } else {
        "chart-made temporary Secret".into()
    }
}

fn host_phrase(host: Option<&String>, in_cluster: &str) -> String {
    match host.map(String::as_str) {
        None | Some("") => "none".into(),
        Some(h) if h == in_cluster => "the chart's in-cluster server".into(),
        Some(h) => format!("`{h}`"),
    }
}

fn scaling_phrase(p: &Profile) -> String {
    match p.replicas {
        Some(n) => format!("{n} replica each, no autoscaling or disruption budgets"),
        None => "the chart's replica counts with HPAs and PodDisruptionBudgets".into(),
    }
}

fn entries(list: &Option<Vec<EgressEntry>>) -> Vec<EgressEntry> {
    list.clone().unwrap_or_default()
}

/// Every change from `old` to `new`, in the order an operator reads a deployment.
pub(crate) fn describe(s: &Sides<'_>) -> Vec<Change> {
    let mut out = Vec::new();
    profile_changes(s, &mut out);
    endpoint_changes(s, &mut out);
    certificate_changes(s, &mut out);
    ingress_source_changes(s, &mut out);
    data_changes(s, &mut out);
    network_changes(s, &mut out);
    audit_changes(s, &mut out);
    access_changes(s, &mut out);
    out
}

/// What the profile itself decides: channel, scaling, volumes, monitoring.
fn profile_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (from, to) = (s.from, s.to);
    if from.id != to.id {
        out.push(Change::new(
            "profile",
            format!("{} → {}", from.title, to.title),
        ));
    }
    if from.mode != to.mode {
        out.push(Change::new(
            "images",
            format!("channel `{}` → `{}`", from.mode, to.mode),
        ));
    }
    if from.replicas != to.replicas || from.autoscaling != to.autoscaling {
        out.push(Change::new(
            "scaling",
            format!("{} → {}", scaling_phrase(from), scaling_phrase(to)),
        ));
    }
    if from.replay_size != to.replay_size {
        out.push(Change::new(
            "replay volumes",
            format!("{} → {} each", from.replay_size, to.replay_size),
        ));
    }
    if from.monitoring != to.monitoring {
        let on = "ServiceMonitor and PrometheusRule on";
        let (a, b) = if to.monitoring {
            ("off", on)
        } else {
            (on, "off")
        };
        out.push(Change::new("metrics and alerts", format!("{a} → {b}")));
    }
}

/// Each exposable endpoint's exposure and host.
fn endpoint_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new, cloud) = (s.old, s.new, s.cloud);
    for e in Endpoint::EXPOSABLE {
        let (x0, x1) = (exposure(old, e), exposure(new, e));
        let host = new.hosts.get(&e).cloned().unwrap_or_default();
        let why = match (x0, x1) {
            _ if x0 == x1 => {
                if x1 != Exposure::Disabled && old.hosts.get(&e) != new.hosts.get(&e) {
                    out.push(Change::new(e.title(), format!("host → `{host}`")));
                }
                continue;
            }
            (_, Exposure::Disabled) => "its Ingress is removed".to_string(),
            (Exposure::Disabled, x) => format!(
                "gets an Ingress on {} (`{host}`)",
                exposure_phrase(cloud, x)
            ),
            (_, x) => format!("its Ingress moves to {}", exposure_phrase(cloud, x)),
        };
        out.push(Change::new(e.title(), format!("{x0} → {x1} — {why}")));
    }
}

/// Where the endpoints' certificates come from.
fn certificate_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new) = (s.old, s.new);
    if old.tls == new.tls || new.tls.is_empty() {
        return;
    }
    let name = |a: &Answers| {
        a.tls
            .iter()
            .next()
            .map(|(k, v)| {
                let title = s
                    .catalog
                    .tls_mode(k)
                    .map(|m| m.title.clone())
                    .unwrap_or_else(|| k.clone());
                match v {
                    crate::answers::Scalar::Bool(_) => title,
                    crate::answers::Scalar::Str(v) => format!("{title} `{v}`"),
                }
            })
            .unwrap_or_else(|| "none".into())
    };
    out.push(Change::new(
        "certificates",
        format!("{} → {}", name(old), name(new)),
    ));
}

/// Who may reach the pods through the ingress controller.
fn ingress_source_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new) = (s.old, s.new);
    if old.ingress_controller == new.ingress_controller {
        return;
    }
    let who = |a: &Answers| match &a.ingress_controller {
        None => "the load balancer's defaults".to_string(),
        Some(ic) if !ic.cidrs.is_empty() => ic.cidrs.join(", "),
        Some(ic) => format!("pods in `{}`", ic.namespace.clone().unwrap_or_default()),
    };
    out.push(Change::new(
        "ingress sources",
        format!("{} → {}", who(old), who(new)),
    ));
}

/// Where the runtime Secret, Postgres and Redis come from.
fn data_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new, from, to, cloud) = (s.old, s.new, s.from, s.to, s.cloud);
    if from.external_secrets != to.external_secrets {
        out.push(Change::new(
            "secrets",
            format!(
                "{} → {}",
                secrets_phrase(from, cloud),
                secrets_phrase(to, cloud)
            ),
        ));
    }
    let pg = |a: &Answers| a.postgres.as_ref().and_then(|p| p.host.clone());
    if pg(old) != pg(new) {
        out.push(Change::new(
            "Postgres",
            format!(
                "{} → {}",
                host_phrase(pg(old).as_ref(), IN_CLUSTER_POSTGRES),
                host_phrase(pg(new).as_ref(), IN_CLUSTER_POSTGRES)
            ),
        ));
    }
    let rd = |a: &Answers| a.redis.as_ref().map(|r| (r.host.clone(), r.port, r.tls));
    if rd(old) != rd(new) {
        let show = |a: &Answers| {
            let r = a.redis.clone().unwrap_or_default();
            let h = host_phrase(r.host.as_ref(), IN_CLUSTER_REDIS);
            format!(
                "{h} port {}{}",
                r.port.unwrap_or(6379),
                if r.tls.unwrap_or(false) { " (TLS)" } else { "" }
            )
        };
        out.push(Change::new(
            "Redis",
            format!("{} → {}", show(old), show(new)),
        ));
    }
    let ca = |a: &Answers| a.ca_bundle.as_ref().map(|b| b.config_map.clone());
    if ca(old) != ca(new) {
        let show = |c: Option<String>| c.map_or("none".to_string(), |c| format!("ConfigMap `{c}`"));
        out.push(Change::new(
            "CA bundle",
            format!("{} → {}", show(ca(old)), show(ca(new))),
        ));
    }
}

/// DNS and the named egress destinations.
fn network_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new) = (s.old, s.new);
    let dns = |a: &Answers| a.dns.as_ref().map(|d| d.mode);
    if dns(old) != dns(new) {
        let say = |m: Option<DnsMode>| match m {
            Some(DnsMode::Open) => "to anywhere".to_string(),
            Some(DnsMode::Cidr) => "to a resolver CIDR".to_string(),
            _ => "to the cluster resolver only".to_string(),
        };
        out.push(Change::new(
            "DNS egress",
            format!("{} → {}", say(dns(old)), say(dns(new))),
        ));
    }
    let (e0, e1) = (
        old.egress.clone().unwrap_or_default(),
        new.egress.clone().unwrap_or_default(),
    );
    match (
        e0.open_https.unwrap_or(false),
        e1.open_https.unwrap_or(false),
    ) {
        (true, false) => out.push(Change::new("egress", "HTTPS to anywhere removed")),
        (false, true) => out.push(Change::new("egress", "HTTPS to anywhere allowed")),
        _ => {}
    }
    for (cat, a, b) in [
        (
            "identity provider",
            entries(&e0.identity_provider),
            entries(&e1.identity_provider),
        ),
        (
            "object store",
            entries(&e0.object_store),
            entries(&e1.object_store),
        ),
        (
            "provider APIs",
            entries(&e0.provider_apis),
            entries(&e1.provider_apis),
        ),
        ("other", entries(&e0.other), entries(&e1.other)),
    ] {
        for gone in a.iter().filter(|x| !b.contains(x)) {
            out.push(Change::new(
                "egress",
                format!("`{}` ({cat}) removed", gone.cidr()),
            ));
        }
        for added in b.iter().filter(|x| !a.contains(x)) {
            out.push(Change::new(
                "egress",
                format!("`{}` ({cat}) added", added.cidr()),
            ));
        }
    }
}

/// Audit export and retention.
fn audit_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new) = (s.old, s.new);
    let bucket = |a: &Answers| {
        a.audit_export.as_ref().map(|x| {
            format!(
                "s3://{} via {}",
                x.bucket.clone().unwrap_or_default(),
                x.endpoint.clone().unwrap_or_default()
            )
        })
    };
    match (bucket(old), bucket(new)) {
        (None, Some(b)) => out.push(Change::new("audit export", format!("added to {b}"))),
        (Some(b), None) => out.push(Change::new("audit export", format!("removed (was {b})"))),
        (Some(a), Some(b)) if a != b => out.push(Change::new("audit export", format!("{a} → {b}"))),
        _ => {}
    }
    let days = |a: &Answers| a.retention.as_ref().and_then(|r| r.audit_days);
    if days(old) != days(new) {
        let show =
            |d: Option<u32>| d.map_or_else(|| "the chart's default".to_string(), |d| d.to_string());
        out.push(Change::new(
            "retention",
            format!("{} → {} days", show(days(old)), show(days(new))),
        ));
    }
}

/// Console sign-in, cloud identity and the secret store.
fn access_changes(s: &Sides<'_>, out: &mut Vec<Change>) {
    let (old, new) = (s.old, s.new);
    if old.sign_in != new.sign_in {
        let show = |a: &Answers| match &a.sign_in {
            None => "evaluation placeholders".to_string(),
            Some(s) => match s.provider {
                crate::answers::SignInProvider::Github => "GitHub".to_string(),
                crate::answers::SignInProvider::Google => "Google".to_string(),
                crate::answers::SignInProvider::Smtp => "email (SMTP)".to_string(),
            },
        };
        out.push(Change::new(
            "console sign-in",
            format!("{} → {}", show(old), show(new)),
        ));
    }
    if old.identity != new.identity || old.secret_store != new.secret_store {
        out.push(Change::new(
            "cloud identity and secret store",
            "answers changed",
        ));
    }
}
