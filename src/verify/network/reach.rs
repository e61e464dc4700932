//! What a set of NetworkPolicies lets one pod do: every policy that selects it counts, the
//! chart's and the overlay's alike (policies are additive; a pod no policy restricts is open).
use super::model::{Dest, NpEgress, NpIngress, NpPort, NpSpec, PortRange};
use crate::catalog::Labels;

/// A parsed NetworkPolicy.
pub(super) struct Policy {
    /// Its spec.
    pub(super) spec: NpSpec,
}

/// Whether pods labelled `pod` may send to `dest` on `port`.
pub(super) fn egress_allows(
    policies: &[Policy],
    pod: &Labels,
    dest: &Dest,
    port: &PortRange,
) -> bool {
    let mut selecting = policies
        .iter()
        .filter(|p| p.spec.selects(pod) && p.spec.has_egress())
        .peekable();
    if selecting.peek().is_none() {
        return true;
    }
    selecting.any(|p| {
        p.spec
            .egress
            .iter()
            .any(|r| egress_rule_allows(r, dest, port))
    })
}

fn egress_rule_allows(r: &NpEgress, dest: &Dest, port: &PortRange) -> bool {
    let to = r.to.is_empty() || r.to.iter().any(|p| p.dest().is_ok_and(|d| d.covers(dest)));
    to && ports_cover(&r.ports, port)
}

/// Whether pods labelled `pod` admit pods labelled `from` in namespace `ns` on `port`.
pub(super) fn ingress_admits(
    policies: &[Policy],
    pod: &Labels,
    ns: &str,
    from: &Labels,
    port: &PortRange,
) -> bool {
    let mut selecting = policies
        .iter()
        .filter(|p| p.spec.selects(pod) && p.spec.has_ingress())
        .peekable();
    if selecting.peek().is_none() {
        return true;
    }
    selecting.any(|p| {
        p.spec
            .ingress
            .iter()
            .any(|r| ingress_rule_admits(r, ns, from, port))
    })
}

fn ingress_rule_admits(r: &NpIngress, ns: &str, from: &Labels, port: &PortRange) -> bool {
    let peer = r.from.is_empty() || r.from.iter().any(|p| p.admits_pod(ns, from));
    peer && ports_cover(&r.ports, port)
}

/// No ports means every port; a named port can't be resolved here and covers nothing.
fn ports_cover(ports: &[NpPort], port: &PortRange) -> bool {
    ports.is_empty()
        || ports
            .iter()
            .filter_map(NpPort::range)
            .any(|r| r.covers(port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(_name: &str, yaml: &str) -> Policy {
        Policy {
            spec: serde_yaml::from_str(yaml).unwrap(),
        }
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn egress_counts_only_the_policies_that_select_the_pod() {
        let chart = policy("chart", "podSelector: {matchLabels: {app.kubernetes.io/instance: r}}\npolicyTypes: [Ingress, Egress]\negress: [{ports: [{protocol: TCP, port: 5432}]}]\n");
        let web = policy("web", "podSelector: {matchLabels: {app.kubernetes.io/component: web}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{protocol: TCP, port: 443}]}]\n");
        let policies = [chart, web];
        let any: Dest = Dest::Net("0.0.0.0/0".parse().unwrap());
        let web_pod = labels(&[
            ("app.kubernetes.io/instance", "r"),
            ("app.kubernetes.io/component", "web"),
        ]);
        let api_pod = labels(&[
            ("app.kubernetes.io/instance", "r"),
            ("app.kubernetes.io/component", "api"),
        ]);
        assert!(egress_allows(
            &policies,
            &web_pod,
            &any,
            &PortRange::tcp(443)
        ));
        assert!(!egress_allows(
            &policies,
            &api_pod,
            &any,
            &PortRange::tcp(443)
        ));
        assert!(egress_allows(
            &policies,
            &api_pod,
            &any,
            &PortRange::tcp(5432)
        ));
    }

    #[test]
    fn ingress_matches_namespace_and_pod_labels() {
        let chart = policy("chart", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: app-routing-system}}, podSelector: {matchLabels: {app: r-internal-0}}}], ports: [{protocol: TCP, port: 3002}]}]\n");
        let pod = labels(&[("app.kubernetes.io/component", "web")]);
        let ctl = labels(&[("app", "r-internal-0")]);
        let old = labels(&[("app", "r-internal")]);
        let p = [chart];
        assert!(ingress_admits(
            &p,
            &pod,
            "app-routing-system",
            &ctl,
            &PortRange::tcp(3002)
        ));
        assert!(!ingress_admits(
            &p,
            &pod,
            "app-routing-system",
            &old,
            &PortRange::tcp(3002)
        ));
        assert!(!ingress_admits(
            &p,
            &pod,
            "other",
            &ctl,
            &PortRange::tcp(3002)
        ));
    }
}
