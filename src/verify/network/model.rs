//! The rendered NetworkPolicy as the check sees it: destinations and port ranges, read from
//! the policy's spec.
use ipnet::IpNet;
use serde::Deserialize;
use serde_yaml::Value;

use crate::catalog::Labels;
use crate::manifest::{self, Peer};

/// A NetworkPolicy egress destination, flattened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Dest {
    /// No `to`: every destination.
    Any,
    /// An `ipBlock`.
    Net(IpNet),
    /// Namespace and/or pod selectors.
    Selector(Peer),
}

impl Dest {
    /// Whether traffic allowed to `self` includes all traffic to `other`.
    pub(super) fn covers(&self, other: &Dest) -> bool {
        match (self, other) {
            (Dest::Any, _) => true,
            (Dest::Net(a), Dest::Net(b)) => a.contains(b),
            (Dest::Net(a), Dest::Any) => a.prefix_len() == 0,
            (Dest::Selector(a), Dest::Selector(b)) => a == b,
            _ => false,
        }
    }

    /// Whether this is every destination (no peer, or a /0).
    pub(super) fn is_everywhere(&self) -> bool {
        match self {
            Dest::Any => true,
            Dest::Net(n) => crate::cidr::is_everywhere(n),
            Dest::Selector(_) => false,
        }
    }

    /// Whether this is a pod selector without a namespace selector.
    pub(super) fn is_own_namespace(&self) -> bool {
        // A pod selector without a namespace selector stays in the release's namespace.
        matches!(self, Dest::Selector(p) if p.namespace_selector.is_none() && p.pod_selector.is_some())
    }

    /// The destination in a message.
    pub(super) fn describe(&self) -> String {
        match self {
            Dest::Any => "any destination".into(),
            Dest::Net(n) if crate::cidr::is_everywhere(n) => format!("`{n}` (everywhere)"),
            Dest::Net(n) => format!("`{n}`"),
            Dest::Selector(p) => describe_selector(p),
        }
    }
}

fn describe_selector(p: &Peer) -> String {
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

fn fmt_selector(labels: &Labels) -> String {
    if labels.is_empty() {
        return "(any)".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// One port (or range) of one protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PortRange {
    pub(super) protocol: String,
    pub(super) lo: u32,
    pub(super) hi: u32,
}

impl PortRange {
    /// One TCP port.
    pub(super) fn tcp(p: u32) -> Self {
        PortRange {
            protocol: "TCP".into(),
            lo: p,
            hi: p,
        }
    }
    /// One UDP port.
    pub(super) fn udp(p: u32) -> Self {
        PortRange {
            protocol: "UDP".into(),
            lo: p,
            hi: p,
        }
    }
    /// Every port of `protocol`.
    pub(super) fn all(protocol: &str) -> Self {
        PortRange {
            protocol: protocol.into(),
            lo: 1,
            hi: 65535,
        }
    }
    /// Whether `o` lies within this range, same protocol.
    pub(super) fn covers(&self, o: &PortRange) -> bool {
        self.protocol == o.protocol && self.lo <= o.lo && o.hi <= self.hi
    }
    /// The range in a message.
    pub(super) fn describe(&self) -> String {
        if self.lo == self.hi {
            format!("{}/{}", self.lo, self.protocol)
        } else {
            format!("{}-{}/{}", self.lo, self.hi, self.protocol)
        }
    }
}

/// A NetworkPolicy's spec, as far as the check reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NpSpec {
    /// The pods it selects (absent or empty: every pod of its namespace).
    #[serde(default)]
    pub(super) pod_selector: Option<NpSelector>,
    /// `Ingress`/`Egress`; absent means Ingress, plus Egress when it has egress rules.
    #[serde(default)]
    pub(super) policy_types: Option<Vec<String>>,
    #[serde(default)]
    pub(super) ingress: Vec<NpIngress>,
    #[serde(default)]
    pub(super) egress: Vec<NpEgress>,
}

impl NpSpec {
    /// Whether it selects a pod labelled `labels`.
    pub(super) fn selects(&self, labels: &Labels) -> bool {
        self.pod_selector.as_ref().is_none_or(|s| s.matches(labels))
    }

    /// Whether it restricts (and so admits) ingress to the pods it selects.
    pub(super) fn has_ingress(&self) -> bool {
        self.policy_types
            .as_ref()
            .is_none_or(|t| t.iter().any(|t| t == "Ingress"))
    }

    /// Whether it restricts (and so allows) egress of the pods it selects.
    pub(super) fn has_egress(&self) -> bool {
        match &self.policy_types {
            Some(t) => t.iter().any(|t| t == "Egress"),
            None => !self.egress.is_empty(),
        }
    }
}

/// An ingress rule.
#[derive(Debug, Deserialize)]
pub(super) struct NpIngress {
    #[serde(default)]
    pub(super) from: Vec<NpPeer>,
    #[serde(default)]
    pub(super) ports: Vec<NpPort>,
}

/// An egress rule.
#[derive(Debug, Deserialize)]
pub(super) struct NpEgress {
    #[serde(default)]
    pub(super) to: Vec<NpPeer>,
    #[serde(default)]
    pub(super) ports: Vec<NpPort>,
}

/// A rule's peer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NpPeer {
    #[serde(default)]
    ip_block: Option<NpIpBlock>,
    #[serde(default)]
    namespace_selector: Option<NpSelector>,
    #[serde(default)]
    pod_selector: Option<NpSelector>,
}

/// A `matchLabels` selector (`matchExpressions` are not read).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NpSelector {
    #[serde(default)]
    pub(super) match_labels: Labels,
}

impl NpSelector {
    /// Whether every label it asks for is on `labels`.
    pub(super) fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
    }
}

#[derive(Debug, Deserialize)]
struct NpIpBlock {
    cidr: String,
}

/// A rule's port.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NpPort {
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    port: Option<Value>,
    #[serde(default)]
    end_port: Option<u32>,
}

impl NpPeer {
    /// Whether it admits pods labelled `pod` in the namespace named `ns` (never a CIDR:
    /// in-cluster pods are matched by selectors).
    pub(super) fn admits_pod(&self, ns: &str, pod: &Labels) -> bool {
        if self.ip_block.is_some() {
            return false;
        }
        let ns_labels = Labels::from([("kubernetes.io/metadata.name".to_string(), ns.to_string())]);
        // Without a namespace selector a peer stays in the policy's own namespace.
        let ns_ok = match &self.namespace_selector {
            Some(s) => s.matches(&ns_labels),
            None => false,
        };
        ns_ok && self.pod_selector.as_ref().is_none_or(|s| s.matches(pod))
    }

    /// The peer as a destination; an unparsable CIDR is the error, for a message.
    pub(super) fn dest(&self) -> Result<Dest, String> {
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
    /// The port as a range; `None` for a named port, which the check can't resolve.
    pub(super) fn range(&self) -> Option<PortRange> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dest_cover_respects_prefixes_and_selectors() {
        let n = |s: &str| Dest::Net(s.parse().unwrap());
        assert!(n("10.0.0.0/8").covers(&n("10.1.0.0/16")));
        assert!(!n("10.1.0.0/16").covers(&n("10.0.0.0/8")));
        assert!(n("0.0.0.0/0").covers(&Dest::Any));
        assert!(Dest::Any.covers(&n("1.2.3.4/32")));
        assert!(n("0.0.0.0/0").is_everywhere());
    }
}
