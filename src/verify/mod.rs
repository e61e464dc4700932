//! `check --chart`: renders an overlay with the real chart through helm and checks the
//! rendered manifests against what the answers promise (#5).
//!
//! The checks themselves ([`check_rendered`], [`unknown_values_keys`]) are pure functions of
//! parsed manifests; [`verify_dir`] is the only part that runs `helm` and `kubectl`.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::answers::{Answers, DnsMode, Endpoint};
use crate::catalog::Catalog;
use crate::check::{Finding, Severity};
use crate::manifest::{self, Peer};
use crate::plan::Plan;
use crate::render::{ANSWERS_FILE, LOCAL_SECRETS_FILE};

/// The file findings about the chart's rendered output are attributed to.
const VALUES: &str = "values.yaml";
/// The overlay's ExternalSecret.
const EXTERNAL_SECRET: &str = "external-secrets/external-secret.yaml";

/// The chart an overlay was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartInfo {
    /// The `--chart` argument.
    pub path: String,
    /// `name` from Chart.yaml.
    pub name: String,
    /// `version` from Chart.yaml.
    pub version: String,
    /// `appVersion` from Chart.yaml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
}

/// Why the rendered checks could not run at all (unusable input, exit 2).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The chart can't be read.
    #[error("--chart {path}: {reason}")]
    Chart {
        /// The `--chart` argument.
        path: String,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A tool named by the environment can't run.
    #[error("{var}={path}: {reason}; point {var} at the binary or unset it")]
    Tool {
        /// `HELM` or `KUBECTL`.
        var: &'static str,
        /// Its value.
        path: String,
        /// Why it can't run.
        reason: String,
    },
}

/// What `check` adds to the static checks: the chart, the tools used, and findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// The chart checked against, when `--chart` was given and readable.
    pub chart: Option<ChartInfo>,
    /// Whether the overlay was rendered with helm.
    pub rendered: bool,
    /// Whether `kubectl kustomize` built the overlay.
    pub kustomized: bool,
    /// What was skipped and why.
    pub notes: Vec<String>,
    /// Findings about the rendered manifests, the chart's values and the kustomization.
    pub findings: Vec<Finding>,
}

/// The external tools `check` can use.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    /// helm (`$HELM`, else `helm` on `PATH`).
    pub helm: Option<PathBuf>,
    /// kubectl (`$KUBECTL`, else `kubectl` on `PATH`).
    pub kubectl: Option<PathBuf>,
}

impl Tools {
    /// Finds helm and kubectl: an environment variable naming the binary wins over `PATH`.
    pub fn discover() -> Result<Self, VerifyError> {
        Ok(Tools {
            helm: find_tool("HELM", "helm")?,
            kubectl: find_tool("KUBECTL", "kubectl")?,
        })
    }
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs_err::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

fn find_tool(var: &'static str, name: &str) -> Result<Option<PathBuf>, VerifyError> {
    if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        if !is_executable(&p) {
            return Err(VerifyError::Tool {
                var,
                path: p.display().to_string(),
                reason: "not an executable file".into(),
            });
        }
        return Ok(Some(p));
    }
    let Some(path) = std::env::var_os("PATH") else {
        return Ok(None);
    };
    Ok(std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p)))
}

/// A chart's metadata and default values.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Chart.yaml.
    pub info: ChartInfo,
    /// values.yaml, when the chart has one.
    pub values: Option<Value>,
}

fn chart_info(path: &Path, chart_yaml: &str) -> Result<ChartInfo, VerifyError> {
    let err = |reason: String| VerifyError::Chart {
        path: path.display().to_string(),
        reason,
    };
    let v = manifest::parse_yaml(chart_yaml)
        .map_err(|e| err(format!("Chart.yaml is not valid YAML: {e}")))?;
    let field = |k: &str| v.get(k).and_then(scalar_string);
    Ok(ChartInfo {
        path: path.display().to_string(),
        name: field("name")
            .ok_or_else(|| err("Chart.yaml has no `name`; give a Helm chart".into()))?,
        version: field("version")
            .ok_or_else(|| err("Chart.yaml has no `version`; give a Helm chart".into()))?,
        app_version: field("appVersion"),
    })
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads a chart directory, or a packaged `.tgz` through `helm show` (`None` without helm).
pub fn load_chart(path: &Path, helm: Option<&Path>) -> Result<Option<Chart>, VerifyError> {
    let err = |reason: String| VerifyError::Chart {
        path: path.display().to_string(),
        reason,
    };
    if path.is_dir() {
        let chart_yaml = fs_err::read_to_string(path.join("Chart.yaml")).map_err(|e| {
            err(format!(
                "not a chart directory ({e}); give the directory holding Chart.yaml, or a .tgz"
            ))
        })?;
        let info = chart_info(path, &chart_yaml)?;
        let values = match fs_err::read_to_string(path.join("values.yaml")) {
            Ok(t) => Some(
                manifest::parse_yaml(&t)
                    .map_err(|e| err(format!("values.yaml is not valid YAML: {e}")))?,
            ),
            Err(_) => None,
        };
        return Ok(Some(Chart { info, values }));
    }
    if !path.is_file() {
        return Err(err("no such chart directory or .tgz file".into()));
    }
    let Some(helm) = helm else { return Ok(None) };
    let show = |what: &str| -> Result<String, VerifyError> {
        let out = Command::new(helm)
            .args(["show", what])
            .arg(path)
            .output()
            .map_err(|e| VerifyError::Tool {
                var: "HELM",
                path: helm.display().to_string(),
                reason: e.to_string(),
            })?;
        if !out.status.success() {
            return Err(err(format!(
                "`helm show {what}` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let info = chart_info(path, &show("chart")?)?;
    let values_text = show("values")?;
    let values = manifest::parse_yaml(&values_text)
        .ok()
        .filter(|v| !v.is_null());
    Ok(Some(Chart { info, values }))
}

/// Keys a values overlay sets that the chart's own `values.yaml` lacks, as dotted paths.
///
/// Helm ignores such keys silently, so each is a typo or a key the chart renamed. Maps are
/// walked; lists, scalars and maps the chart leaves empty (annotations, pod labels) are leaves.
pub fn unknown_values_keys(overlay: &Value, chart: &Value) -> Vec<String> {
    fn walk(o: &Value, c: &Value, path: &str, out: &mut Vec<String>) {
        let (Some(om), Some(cm)) = (o.as_mapping(), c.as_mapping()) else {
            return;
        };
        if cm.is_empty() {
            return;
        }
        for (k, v) in om {
            let key = scalar_string(k).unwrap_or_default();
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match cm.get(k) {
                None => out.push(here),
                Some(cv) if LEAF_MAPS.contains(&key.as_str()) || !cv.is_mapping() => {}
                Some(cv) => walk(v, cv, &here, out),
            }
        }
    }
    let mut out = Vec::new();
    walk(overlay, chart, "", &mut out);
    out
}

/// Maps whose keys are data, not chart settings.
const LEAF_MAPS: [&str; 7] = [
    "annotations",
    "podLabels",
    "labels",
    "nodeSelector",
    "extraEnv",
    "matchLabels",
    "loadBalancerAnnotations",
];

/// What the rendered manifests are checked against.
#[derive(Debug, Clone)]
pub struct Expectations<'a> {
    /// The plan of the overlay's answers, when they plan.
    pub plan: Option<&'a Plan>,
    /// Whether the profile is the evaluation (chart-made Secret, no monitoring).
    pub evaluation: bool,
    /// Name of the runtime Secret.
    pub runtime_secret: String,
    /// The overlay's ExternalSecret, when it has one.
    pub external_secret: Option<Value>,
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(*k))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

fn kind(v: &Value) -> &str {
    str_at(v, &["kind"]).unwrap_or_default()
}

fn name(v: &Value) -> &str {
    str_at(v, &["metadata", "name"]).unwrap_or_default()
}

fn seq<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn non_empty_map(v: Option<&Value>) -> bool {
    v.and_then(Value::as_mapping).is_some_and(|m| !m.is_empty())
}

/// Checks helm's rendered manifests against the answers.
pub fn check_rendered(docs: &[Value], exp: &Expectations<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    check_secrets(docs, exp, VALUES, &mut out);
    check_network_policy(docs, exp, &mut out);
    check_ingresses(docs, exp, &mut out);
    check_origins(docs, exp, &mut out);
    if !exp.evaluation {
        for k in ["ServiceMonitor", "PrometheusRule"] {
            if !docs.iter().any(|d| kind(d) == k) {
                out.push(Finding::error(
                    VALUES,
                    format!("the chart renders no {k}: production profiles scrape every service and alert (serviceMonitor.enabled / alertRules.enabled)"),
                    Some("profile"),
                ));
            }
        }
        check_runtime_keys(docs, exp, &mut out);
    }
    out
}

/// Flags Secrets that carry data outside an evaluation.
pub fn check_secrets(docs: &[Value], exp: &Expectations<'_>, file: &str, out: &mut Vec<Finding>) {
    if exp.evaluation {
        return;
    }
    for d in docs.iter().filter(|d| kind(d) == "Secret") {
        if non_empty_map(d.get("data")) || non_empty_map(d.get("stringData")) {
            out.push(Finding::error(
                file,
                format!(
                    "renders Secret `{}` with data: a plaintext secret from a committed file; outside evaluation every credential comes from the secret manager through External Secrets (remove secrets.create/secrets.plaintext or the Secret manifest)",
                    name(d)
                ),
                Some("profile"),
            ));
        }
    }
}

/// A NetworkPolicy egress destination, flattened.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dest {
    /// No `to`: every destination.
    Any,
    /// An `ipBlock`.
    Net(IpNet),
    /// Namespace and/or pod selectors.
    Selector(Peer),
}

impl Dest {
    fn covers(&self, other: &Dest) -> bool {
        match (self, other) {
            (Dest::Any, _) => true,
            (Dest::Net(a), Dest::Net(b)) => a.contains(b),
            (Dest::Net(a), Dest::Any) => a.prefix_len() == 0,
            (Dest::Selector(a), Dest::Selector(b)) => a == b,
            _ => false,
        }
    }

    fn is_everywhere(&self) -> bool {
        match self {
            Dest::Any => true,
            Dest::Net(n) => n.prefix_len() == 0,
            Dest::Selector(_) => false,
        }
    }

    fn describe(&self) -> String {
        match self {
            Dest::Any => "any destination".into(),
            Dest::Net(n) if n.prefix_len() == 0 => format!("`{n}` (everywhere)"),
            Dest::Net(n) => format!("`{n}`"),
            Dest::Selector(p) => {
                let ns = p
                    .namespace_selector
                    .as_ref()
                    .map(|s| fmt_selector(&s.match_labels));
                let pods = p
                    .pod_selector
                    .as_ref()
                    .map(|s| fmt_selector(&s.match_labels));
                match (ns, pods) {
                    (Some(ns), Some(pods)) => format!("pods {pods} in namespaces {ns}"),
                    (Some(ns), None) => format!("every pod in namespaces {ns}"),
                    (None, Some(pods)) => format!("pods {pods}"),
                    (None, None) => "every pod".into(),
                }
            }
        }
    }
}

fn fmt_selector(labels: &crate::catalog::Labels) -> String {
    if labels.is_empty() {
        return "(any)".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// One port (or range) of one protocol; `None` is every port.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PortRange {
    protocol: String,
    lo: u32,
    hi: u32,
}

impl PortRange {
    fn tcp(p: u32) -> Self {
        PortRange {
            protocol: "TCP".into(),
            lo: p,
            hi: p,
        }
    }
    fn udp(p: u32) -> Self {
        PortRange {
            protocol: "UDP".into(),
            lo: p,
            hi: p,
        }
    }
    fn covers(&self, o: &PortRange) -> bool {
        self.protocol == o.protocol && self.lo <= o.lo && o.hi <= self.hi
    }
    fn describe(&self) -> String {
        if self.lo == self.hi {
            format!("{}/{}", self.lo, self.protocol)
        } else {
            format!("{}-{}/{}", self.lo, self.hi, self.protocol)
        }
    }
}

/// One permitted (destination, port) pair, with the answer that permits it.
#[derive(Debug, Clone)]
struct Allowance {
    dest: Dest,
    port: PortRange,
    what: String,
    answer: String,
    required: bool,
}

#[derive(Debug, Deserialize)]
struct NpSpec {
    #[serde(default)]
    ingress: Vec<NpIngress>,
    #[serde(default)]
    egress: Vec<NpEgress>,
}

#[derive(Debug, Deserialize)]
struct NpIngress {
    #[serde(default)]
    from: Vec<NpPeer>,
}

#[derive(Debug, Deserialize)]
struct NpEgress {
    #[serde(default)]
    to: Vec<NpPeer>,
    #[serde(default)]
    ports: Vec<NpPort>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NpPeer {
    #[serde(default)]
    ip_block: Option<NpIpBlock>,
    #[serde(default)]
    namespace_selector: Option<NpSelector>,
    #[serde(default)]
    pod_selector: Option<NpSelector>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NpSelector {
    #[serde(default)]
    match_labels: crate::catalog::Labels,
}

#[derive(Debug, Deserialize)]
struct NpIpBlock {
    cidr: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NpPort {
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    port: Option<Value>,
    #[serde(default)]
    end_port: Option<u32>,
}

impl NpPeer {
    fn dest(&self) -> Result<Dest, String> {
        if let Some(b) = &self.ip_block {
            return b
                .cidr
                .parse::<IpNet>()
                .map(Dest::Net)
                .map_err(|e| format!("`{}`: {e}", b.cidr));
        }
        Ok(Dest::Selector(Peer {
            ip_block: None,
            namespace_selector: self.namespace_selector.clone().map(|s| manifest::Selector {
                match_labels: s.match_labels,
            }),
            pod_selector: self.pod_selector.clone().map(|s| manifest::Selector {
                match_labels: s.match_labels,
            }),
        }))
    }
}

impl NpPort {
    fn range(&self) -> Option<PortRange> {
        let protocol = self.protocol.clone().unwrap_or_else(|| "TCP".into());
        match &self.port {
            None => Some(PortRange {
                protocol,
                lo: 1,
                hi: 65535,
            }),
            Some(v) => {
                let lo = v.as_u64().and_then(|p| u32::try_from(p).ok())?;
                Some(PortRange {
                    protocol,
                    lo,
                    hi: self.end_port.unwrap_or(lo).max(lo),
                })
            }
        }
    }
}

fn own_peer(d: &Dest) -> bool {
    // A pod selector without a namespace selector stays in the release's namespace.
    matches!(d, Dest::Selector(p) if p.namespace_selector.is_none() && p.pod_selector.is_some())
}

fn allowances(plan: &Plan) -> Vec<Allowance> {
    let a = &plan.answers;
    let mut out = Vec::new();
    let mut push = |dest: Dest, port: PortRange, what: &str, answer: &str, required: bool| {
        out.push(Allowance {
            dest,
            port,
            what: what.into(),
            answer: answer.into(),
            required,
        });
    };
    let dns_ports = [PortRange::udp(53), PortRange::tcp(53)];
    let dns = a
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
                    for port in &dns_ports {
                        push(
                            dest.clone(),
                            port.clone(),
                            "the cluster DNS resolver",
                            "dns.mode",
                            true,
                        );
                    }
                }
            }
        }
        (DnsMode::Cidr, Some(c)) => {
            if let Ok(n) = c.parse() {
                for port in &dns_ports {
                    push(
                        Dest::Net(n),
                        port.clone(),
                        "the DNS resolver",
                        "dns.cidr",
                        true,
                    );
                }
            }
        }
        (DnsMode::Cidr, None) => {}
        (DnsMode::Open, _) => {
            for port in &dns_ports {
                push(Dest::Any, port.clone(), "open DNS", "dns.mode", true);
            }
        }
    }
    let pg = a.postgres.clone().unwrap_or_default();
    let redis = a.redis.clone().unwrap_or_default();
    let pg_port = pg.port.unwrap_or(5432);
    let redis_port = redis.port.unwrap_or(6379);
    // The chart's own rule: the Postgres, Redis and OTLP ports to any destination.
    for (p, what, answer) in [
        (pg_port, "Postgres", "postgres.port"),
        (redis_port, "Redis", "redis.port"),
        (4317, "OTLP", "monitoring.otlpEndpoint"),
        (4318, "OTLP", "monitoring.otlpEndpoint"),
    ] {
        push(
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
            push(Dest::Net(n), PortRange::tcp(port), what, answer, true);
        }
    }
    for f in &plan.cloud.fixed_egress {
        if let Ok(n) = f.cidr.parse() {
            for p in &f.ports {
                push(
                    Dest::Net(n),
                    PortRange::tcp(u32::from(*p)),
                    &f.reason,
                    "cloud",
                    true,
                );
            }
        }
    }
    let egress = a.egress.clone().unwrap_or_default();
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
                    push(
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
        push(
            Dest::Any,
            PortRange::tcp(443),
            "HTTPS to anywhere",
            "egress.openHttps",
            true,
        );
    }
    out
}

fn check_network_policy(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let policies: Vec<&Value> = docs.iter().filter(|d| kind(d) == "NetworkPolicy").collect();
    if policies.is_empty() {
        if !exp.evaluation {
            out.push(Finding::error(VALUES, "the chart renders no NetworkPolicy: every profile but evaluation restricts traffic (networkPolicy.enabled)", Some("profile")));
        }
        return;
    }
    let regulated = exp.plan.is_some_and(|p| !p.profile.open_cidr);
    let mut rendered: Vec<(String, Dest, PortRange)> = Vec::new();
    for np in &policies {
        let np_name = name(np).to_string();
        let Some(spec) = np.get("spec").cloned() else {
            continue;
        };
        let spec: NpSpec = match manifest::from_value(spec) {
            Ok(s) => s,
            Err(e) => {
                out.push(Finding::error(
                    VALUES,
                    format!("NetworkPolicy `{np_name}` has an unexpected shape: {e}"),
                    None,
                ));
                continue;
            }
        };
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
                vec![
                    PortRange {
                        protocol: "TCP".into(),
                        lo: 1,
                        hi: 65535,
                    },
                    PortRange {
                        protocol: "UDP".into(),
                        lo: 1,
                        hi: 65535,
                    },
                ]
            } else {
                rule.ports.iter().filter_map(NpPort::range).collect()
            };
            for d in &dests {
                for p in &ports {
                    rendered.push((np_name.clone(), d.clone(), p.clone()));
                }
            }
        }
    }
    let Some(plan) = exp.plan else {
        // Without answers, only what is wide on its face is reported.
        for (np, d, p) in &rendered {
            if d.is_everywhere() && !matches!(p.lo, 53 | 4317 | 4318) {
                out.push(Finding::error(
                    VALUES,
                    format!(
                        "NetworkPolicy `{np}` allows egress to {} on {}",
                        d.describe(),
                        p.describe()
                    ),
                    Some("egress.other"),
                ));
            }
        }
        return;
    };
    let allowed = allowances(plan);
    for need in allowed.iter().filter(|a| a.required) {
        let covered = rendered
            .iter()
            .any(|(_, d, p)| d.covers(&need.dest) && p.covers(&need.port));
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
    let mut seen = BTreeSet::new();
    for (np, d, p) in &rendered {
        if own_peer(d) {
            continue;
        }
        let ok = allowed.iter().any(|a| a.dest.covers(d) && a.port.covers(p));
        if ok || !seen.insert((np.clone(), d.describe(), p.describe())) {
            continue;
        }
        let answer = if p.covers(&PortRange::tcp(53)) || p.covers(&PortRange::udp(53)) {
            "dns.mode"
        } else if d.is_everywhere() && p.covers(&PortRange::tcp(443)) {
            "egress.openHttps"
        } else {
            "egress.other"
        };
        let why = if d.is_everywhere() && regulated {
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
                "NetworkPolicy `{np}` allows egress to {} on {}, wider than the answers allow{why}",
                d.describe(),
                p.describe()
            ),
            Some(answer),
        ));
    }
}

fn endpoint_of(ingress: &Value, fullname_hint: Option<&str>) -> Option<Endpoint> {
    let component = str_at(
        ingress,
        &["metadata", "labels", "app.kubernetes.io/component"],
    );
    let n = name(ingress);
    Endpoint::EXPOSABLE.into_iter().find(|e| {
        component == Some(e.key())
            || fullname_hint.is_some_and(|f| n == format!("{f}-{}", e.key()))
            || (component.is_none() && n.ends_with(&format!("-{}", e.key())))
    })
}

fn check_ingresses(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let cloud = exp.plan.map(|p| p.cloud.id.as_str());
    let fullname = exp.plan.map(|p| format!("{}-caracal", p.answers.release()));
    let mut seen = BTreeSet::new();
    for ing in docs.iter().filter(|d| kind(d) == "Ingress") {
        let n = name(ing);
        let Some(e) = endpoint_of(ing, fullname.as_deref()) else {
            out.push(Finding::note(
                VALUES,
                format!("Ingress `{n}` belongs to no Caracal endpoint"),
            ));
            continue;
        };
        seen.insert(e);
        let hosts: Vec<&str> = seq(ing, &["spec", "rules"])
            .iter()
            .filter_map(|r| str_at(r, &["host"]))
            .collect();
        let annotation =
            |k: &str| str_at(ing, &["metadata", "annotations", k]).filter(|v| !v.is_empty());
        let tls_hosts: Vec<&str> = seq(ing, &["spec", "tls"])
            .iter()
            .flat_map(|t| seq(t, &["hosts"]).iter().filter_map(Value::as_str))
            .collect();
        let acm = annotation("alb.ingress.kubernetes.io/certificate-arn").is_some()
            && cloud.is_none_or(|c| c == "eks");
        let gke_managed = annotation("networking.gke.io/managed-certificates").is_some()
            && cloud.is_none_or(|c| c == "gke");
        let spec_tls = !hosts.is_empty() && hosts.iter().all(|h| tls_hosts.contains(h));
        if !(spec_tls || acm || gke_managed) {
            out.push(Finding::error(
                VALUES,
                format!(
                    "Ingress `{n}` ({e}) has no TLS: no spec.tls for its host{}",
                    match cloud {
                        Some("eks") => ", and no ACM certificate-arn annotation",
                        Some("gke") => ", and no managed-certificates annotation",
                        _ => "",
                    }
                ),
                Some("tls"),
            ));
        }
        let Some(plan) = exp.plan else { continue };
        let Some(planned) = plan.ingresses.iter().find(|i| i.endpoint == e.key()) else {
            out.push(Finding::error(
                VALUES,
                format!(
                    "Ingress `{n}` exposes the {} ({}), which the answers keep disabled",
                    e.title(),
                    hosts.join(", ")
                ),
                Some(&format!("endpoints.{e}")),
            ));
            continue;
        };
        if !hosts.contains(&planned.host.as_str()) {
            out.push(Finding::error(
                VALUES,
                format!(
                    "Ingress `{n}` serves {} but the answers give the {} host `{}`",
                    if hosts.is_empty() {
                        "no host".to_string()
                    } else {
                        hosts.join(", ")
                    },
                    e.title(),
                    planned.host
                ),
                Some(&format!("hosts.{e}")),
            ));
        }
        if let Some(values) = plan.values.ingress.get(e.key()) {
            for (k, v) in &values.annotations {
                if str_at(ing, &["metadata", "annotations", k.as_str()]) != Some(v.as_str()) {
                    let answer = if k.contains("certificate") {
                        "tls".to_string()
                    } else {
                        format!("endpoints.{e}")
                    };
                    out.push(Finding::error(
                        VALUES,
                        format!("Ingress `{n}`: annotation `{k}` should be `{v}` for a {} endpoint on {}", planned.exposure, plan.cloud.id),
                        Some(&answer),
                    ));
                }
            }
            let class = values.class_name.clone().filter(|c| !c.is_empty());
            let rendered_class = str_at(ing, &["spec", "ingressClassName"]);
            if class.as_deref() != rendered_class {
                out.push(Finding::error(
                    VALUES,
                    format!(
                        "Ingress `{n}` has ingressClassName `{}`, expected `{}`",
                        rendered_class.unwrap_or("(none)"),
                        class.as_deref().unwrap_or("(none)")
                    ),
                    Some(&format!("endpoints.{e}")),
                ));
            }
        }
    }
    if let Some(plan) = exp.plan {
        for i in &plan.ingresses {
            let Some(e) = Endpoint::EXPOSABLE
                .into_iter()
                .find(|e| e.key() == i.endpoint)
            else {
                continue;
            };
            if !seen.contains(&e) {
                out.push(Finding::error(
                    VALUES,
                    format!(
                        "the answers expose the {} at {} but the chart renders no Ingress for it",
                        e.title(),
                        i.url
                    ),
                    Some(&format!("endpoints.{e}")),
                ));
            }
        }
    }
}

/// The pod spec of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob).
fn pod_spec(d: &Value) -> Option<&Value> {
    match kind(d) {
        "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "ReplicaSet" => {
            get(d, &["spec", "template", "spec"])
        }
        "CronJob" => get(d, &["spec", "jobTemplate", "spec", "template", "spec"]),
        "Pod" => d.get("spec"),
        _ => None,
    }
}

fn containers(spec: &Value) -> impl Iterator<Item = &Value> {
    seq(spec, &["initContainers"])
        .iter()
        .chain(seq(spec, &["containers"]))
}

/// `(workload, env var, literal value)` for every env var named in `names`.
fn env_values<'a>(docs: &'a [Value], names: &[&str]) -> Vec<(String, String, &'a str)> {
    let mut out = Vec::new();
    for d in docs {
        let Some(spec) = pod_spec(d) else { continue };
        for c in containers(spec) {
            for e in seq(c, &["env"]) {
                let Some(n) = str_at(e, &["name"]) else {
                    continue;
                };
                if names.contains(&n) {
                    if let Some(v) = str_at(e, &["value"]) {
                        out.push((format!("{} `{}`", kind(d), name(d)), n.to_string(), v));
                    }
                }
            }
        }
    }
    out
}

fn check_origins(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let ingress_host = |e: Endpoint| -> Option<String> {
        docs.iter()
            .filter(|d| kind(d) == "Ingress" && endpoint_of(d, None) == Some(e))
            .find_map(|d| {
                seq(d, &["spec", "rules"])
                    .iter()
                    .find_map(|r| str_at(r, &["host"]))
                    .map(str::to_string)
            })
    };
    let planned_url = |e: Endpoint| {
        exp.plan.and_then(|p| {
            p.ingresses
                .iter()
                .find(|i| i.endpoint == e.key())
                .map(|i| i.url.clone())
        })
    };
    let web_expected = match exp.plan {
        Some(p) => planned_url(Endpoint::Web).or_else(|| {
            p.values
                .services
                .get("web")
                .and_then(|w| w.public_url.clone())
        }),
        None => ingress_host(Endpoint::Web).map(|h| format!("https://{h}")),
    };
    let web_answer = if planned_url(Endpoint::Web).is_some() {
        "hosts.web"
    } else {
        "endpoints.web"
    };
    if let Some(want) = web_expected {
        for (w, var, got) in env_values(docs, &["CARACAL_WEB_ORIGIN", "CARACAL_AUTH_URL"]) {
            if got.trim_end_matches('/') != want {
                out.push(Finding::error(
                    VALUES,
                    format!("{w}: {var} is `{got}` but the console's origin is `{want}`: sign-in cookies and CSRF checks would fail (services.web.publicUrl)"),
                    Some(web_answer),
                ));
            }
        }
    }
    let sts_expected = match exp.plan {
        Some(_) => planned_url(Endpoint::Sts),
        None => ingress_host(Endpoint::Sts).map(|h| format!("https://{h}")),
    };
    if let Some(want) = sts_expected {
        for (w, var, got) in env_values(docs, &["ISSUER_URL"]) {
            if got.trim_end_matches('/') != want {
                out.push(Finding::error(
                    VALUES,
                    format!("{w}: {var} is `{got}` but the STS is served at `{want}`: verifiers would reject every mandate's `iss` (services.sts.issuerUrl)"),
                    Some("hosts.sts"),
                ));
            }
        }
    }
}

/// Keys the rendered workloads read from the runtime Secret (optional references excluded).
pub fn mounted_runtime_keys(docs: &[Value], secret: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let is_optional = |v: &Value| {
        get(v, &["optional"])
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let from_items = |src: &Value, keys: &mut BTreeSet<String>| {
        if is_optional(src) {
            return;
        }
        for item in seq(src, &["items"]) {
            if let Some(k) = str_at(item, &["key"]) {
                keys.insert(k.to_string());
            }
        }
    };
    for d in docs {
        let Some(spec) = pod_spec(d) else { continue };
        for vol in seq(spec, &["volumes"]) {
            if let Some(s) = vol
                .get("secret")
                .filter(|s| str_at(s, &["secretName"]) == Some(secret))
            {
                from_items(s, &mut keys);
            }
            for src in seq(vol, &["projected", "sources"]) {
                if let Some(s) = src
                    .get("secret")
                    .filter(|s| str_at(s, &["name"]) == Some(secret))
                {
                    from_items(s, &mut keys);
                }
            }
        }
        for c in containers(spec) {
            for e in seq(c, &["env"]) {
                if let Some(r) = get(e, &["valueFrom", "secretKeyRef"]) {
                    if str_at(r, &["name"]) == Some(secret) && !is_optional(r) {
                        if let Some(k) = str_at(r, &["key"]) {
                            keys.insert(k.to_string());
                        }
                    }
                }
            }
        }
    }
    keys
}

fn check_runtime_keys(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let Some(es) = &exp.external_secret else {
        return;
    };
    let target = str_at(es, &["spec", "target", "name"])
        .or_else(|| str_at(es, &["metadata", "name"]))
        .unwrap_or_default();
    if target != exp.runtime_secret {
        out.push(Finding::error(
            EXTERNAL_SECRET,
            format!("writes Secret `{target}` but the chart reads `{}` (secrets.runtimeSecretName); re-run `caracal-wizard new --answers caracal-wizard.yaml --out . --force`", exp.runtime_secret),
            Some("secretStore"),
        ));
    }
    let produced: BTreeSet<String> =
        match get(es, &["spec", "target", "template", "data"]).and_then(Value::as_mapping) {
            Some(m) => m.keys().filter_map(scalar_string).collect(),
            None => seq(es, &["spec", "data"])
                .iter()
                .filter_map(|d| str_at(d, &["secretKey"]).map(str::to_string))
                .collect(),
        };
    let known = exp.plan.map(|p| p.runtime_keys.clone()).unwrap_or_default();
    for k in mounted_runtime_keys(docs, &exp.runtime_secret) {
        if produced.contains(&k) {
            continue;
        }
        let (msg, answer) = if known.contains(&k) {
            (
                format!("the chart's workloads read key `{k}` of Secret `{}`, but the ExternalSecret's target.template.data doesn't produce it (edited by hand?): pods would not start; re-run `caracal-wizard new --answers caracal-wizard.yaml --out . --force`", exp.runtime_secret),
                Some(if k.starts_with("signIn") || k == "smtpUrl" { "signIn" } else { "secretStore" }),
            )
        } else {
            (
                format!("the chart's workloads read key `{k}` of Secret `{}`, which this caracal-wizard doesn't know: add a secret-manager entry and a `{k}` line to target.template.data", exp.runtime_secret),
                None,
            )
        };
        out.push(Finding::error(EXTERNAL_SECRET, msg, answer));
    }
}

fn first_lines(s: &str, n: usize) -> String {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Everything `check` adds to the static checks of `dir`: `kubectl kustomize` when kubectl is
/// present, and with `chart`, unknown values keys and (with helm) the rendered-manifest checks.
pub fn verify_dir(
    dir: &Path,
    chart: Option<&Path>,
    catalog: &Catalog,
    tools: &Tools,
) -> Result<Verification, VerifyError> {
    let mut v = Verification::default();
    let read = |name: &str| fs_err::read_to_string(dir.join(name)).ok();
    let answers = read(ANSWERS_FILE).and_then(|t| Answers::parse(ANSWERS_FILE, &t, &[]).ok());
    let plan = answers
        .as_ref()
        .and_then(|a| crate::plan::plan(a, catalog).ok());
    let values = read(VALUES).and_then(|t| manifest::parse_yaml(&t).ok());
    let evaluation = match &answers {
        Some(a) => catalog.profile(&a.profile).is_some_and(|p| p.evaluation),
        None => values
            .as_ref()
            .and_then(|v| get(v, &["global", "evaluation"]))
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    let exp = Expectations {
        plan: plan.as_ref(),
        evaluation,
        runtime_secret: values
            .as_ref()
            .and_then(|v| str_at(v, &["secrets", "runtimeSecretName"]))
            .unwrap_or(crate::plan::RUNTIME_SECRET)
            .to_string(),
        external_secret: read(EXTERNAL_SECRET)
            .and_then(|t| manifest::parse_yaml_documents(&t).ok())
            .and_then(|d| d.into_iter().find(|d| kind(d) == "ExternalSecret")),
    };

    match &tools.kubectl {
        Some(kubectl) if dir.join("kustomization.yaml").is_file() => {
            let run = Command::new(kubectl)
                .arg("kustomize")
                .arg(dir)
                .output()
                .map_err(|e| VerifyError::Tool {
                    var: "KUBECTL",
                    path: kubectl.display().to_string(),
                    reason: e.to_string(),
                })?;
            if run.status.success() {
                v.kustomized = true;
                let docs = manifest::parse_yaml_documents(&String::from_utf8_lossy(&run.stdout))
                    .unwrap_or_default();
                check_secrets(&docs, &exp, "kustomization.yaml", &mut v.findings);
            } else {
                v.findings.push(Finding::error(
                    "kustomization.yaml",
                    format!(
                        "`kubectl kustomize` failed: {}",
                        first_lines(&String::from_utf8_lossy(&run.stderr), 3)
                    ),
                    None,
                ));
            }
        }
        Some(_) => {}
        None => v
            .notes
            .push("kubectl not found ($KUBECTL or PATH): the kustomization was not built".into()),
    }

    let Some(chart_path) = chart else {
        v.notes
            .push("no --chart: static checks only; give --chart PATH to render with helm".into());
        return Ok(v);
    };
    let loaded = load_chart(chart_path, tools.helm.as_deref())?;
    match &loaded {
        Some(c) => {
            v.chart = Some(c.info.clone());
            if let (Some(cv), Some(ov)) = (&c.values, &values) {
                for k in unknown_values_keys(ov, cv) {
                    v.findings.push(Finding::error(
                        VALUES,
                        format!("sets `{k}`, which chart {} {} doesn't define: helm ignores it silently (a typo, or a key the chart renamed)", c.info.name, c.info.version),
                        None,
                    ));
                }
            }
        }
        None => v.notes.push(format!(
            "{}: a packaged chart can't be read without helm",
            chart_path.display()
        )),
    }
    let Some(helm) = &tools.helm else {
        v.notes.push(
            "helm not found ($HELM or PATH): rendered-manifest checks skipped, static checks only"
                .into(),
        );
        return Ok(v);
    };
    let Some(values_path) = Some(dir.join(VALUES)).filter(|p| p.is_file()) else {
        return Ok(v);
    };
    let release = answers
        .as_ref()
        .map(|a| a.release().to_string())
        .unwrap_or_else(|| "caracal".into());
    let namespace = answers
        .as_ref()
        .map(|a| a.namespace().to_string())
        .unwrap_or_else(|| "caracal".into());
    let mut cmd = Command::new(helm);
    cmd.args(["template", &release])
        .arg(chart_path)
        .args(["-n", &namespace, "-f"])
        .arg(&values_path);
    if evaluation && dir.join(LOCAL_SECRETS_FILE).is_file() {
        cmd.arg("-f").arg(dir.join(LOCAL_SECRETS_FILE));
    }
    let run = cmd.output().map_err(|e| VerifyError::Tool {
        var: "HELM",
        path: helm.display().to_string(),
        reason: e.to_string(),
    })?;
    if !run.status.success() {
        v.findings.push(Finding::error(
            VALUES,
            format!(
                "`helm template` refused the overlay: {}",
                first_lines(&String::from_utf8_lossy(&run.stderr), 4)
            ),
            None,
        ));
        return Ok(v);
    }
    let docs = match manifest::parse_yaml_documents(&String::from_utf8_lossy(&run.stdout)) {
        Ok(d) => d,
        Err(e) => {
            v.findings.push(Finding::error(
                VALUES,
                format!("helm's output is not valid YAML: {e}"),
                None,
            ));
            return Ok(v);
        }
    };
    v.rendered = true;
    v.findings.extend(check_rendered(&docs, &exp));
    v.findings.sort();
    v.findings.dedup();
    Ok(v)
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        manifest::parse_yaml(s).unwrap()
    }

    #[test]
    fn unknown_values_keys_walks_maps_and_stops_at_leaves() {
        let chart = yaml("global: {mode: dev, podLabels: {}}\nservices: {web: {extraEnv: [], replicas: 1}}\ningress: {web: {annotations: {}}}\n");
        let overlay = yaml("global: {mode: stable, podLabels: {a: b}, typo: 1}\nservices: {web: {extraEnv: [{name: X}], replicaz: 2}}\ningress: {web: {annotations: {x: y}}}\nnope: {}\n");
        assert_eq!(
            unknown_values_keys(&overlay, &chart),
            vec!["global.typo", "services.web.replicaz", "nope"]
        );
    }

    #[test]
    fn dest_cover_respects_prefixes_and_selectors() {
        let n = |s: &str| Dest::Net(s.parse().unwrap());
        assert!(n("10.0.0.0/8").covers(&n("10.1.0.0/16")));
        assert!(!n("10.1.0.0/16").covers(&n("10.0.0.0/8")));
        assert!(n("0.0.0.0/0").covers(&Dest::Any));
        assert!(Dest::Any.covers(&n("1.2.3.4/32")));
        assert!(n("0.0.0.0/0").is_everywhere());
    }

    #[test]
    fn mounted_runtime_keys_skips_optional_and_other_secrets() {
        let docs = parse(
            "kind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          env:\n            - {name: A, valueFrom: {secretKeyRef: {name: rt, key: a}}}\n            - {name: B, valueFrom: {secretKeyRef: {name: other, key: b}}}\n      volumes:\n        - name: v\n          secret: {secretName: rt, items: [{key: c, path: c}]}\n        - name: o\n          secret: {secretName: rt, optional: true, items: [{key: d, path: d}]}\n",
        );
        let keys: Vec<String> = mounted_runtime_keys(&docs, "rt").into_iter().collect();
        assert_eq!(keys, vec!["a", "c"]);
    }

    fn parse(s: &str) -> Vec<Value> {
        manifest::parse_yaml_documents(s).unwrap()
    }
}
