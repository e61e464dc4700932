//! Per-pod reachability checks (#10): each component reaches what it calls, the scraper
//! reaches what it scrapes, and an internal AKS controller's pods reach the endpoints.
use serde_yaml::Value;

use super::model::{Dest, PortRange};
use super::reach::{egress_allows, ingress_admits, Policy};
use crate::answers::Endpoint;
use crate::catalog::Labels;
use crate::check::doc::{kind, name, str_at};
use crate::check::Finding;
use crate::plan::{component_selector, Plan};

use crate::verify::VALUES;

/// Every component's own egress, as planned, is allowed by the policies selecting its pods.
pub(super) fn check_component_egress(policies: &[Policy], plan: &Plan, out: &mut Vec<Finding>) {
    let release = plan.answers.release();
    for ce in &plan.component_egress {
        let pod = component_selector(release, &ce.component);
        if ce.entries.is_empty() {
            out.push(Finding::error(
                VALUES,
                format!(
                    "{} can reach no {}: no CIDRs are named and profile `{}` opens none",
                    ce.title, ce.what, plan.profile.id
                ),
                Some(&ce.answer),
            ));
            continue;
        }
        for e in &ce.entries {
            let Ok(net) = e.cidr().parse() else { continue };
            for p in e.ports() {
                if !egress_allows(policies, &pod, &Dest::Net(net), &PortRange::tcp(p)) {
                    out.push(Finding::error(
                        VALUES,
                        format!("{}'s pods (component={}) cannot reach {} (`{}` on {p}/TCP): no NetworkPolicy selecting them allows it (ship network/{}-egress.yaml)", ce.title, ce.component, ce.what, e.cidr(), ce.component),
                        Some(&ce.answer),
                    ));
                }
            }
        }
    }
}

/// The scraper's namespace is admitted to the `http` port of every scraped component.
pub(super) fn check_scraper(policies: &[Policy], plan: &Plan, out: &mut Vec<Finding>) {
    let monitoring = plan.answers.monitoring.clone().unwrap_or_default();
    let ns = monitoring.scraper_namespace();
    let release = plan.answers.release();
    for (_, sm) in &plan.service_monitors {
        let Some(c) = sm.metadata.labels.get("app.kubernetes.io/component") else {
            continue;
        };
        let Some(port) = Endpoint::ALL
            .iter()
            .find(|e| e.key() == c)
            .map(|e| e.port())
        else {
            continue;
        };
        let pod = component_selector(release, c);
        if !ingress_admits(
            policies,
            &pod,
            ns,
            &Labels::new(),
            &PortRange::tcp(u32::from(port)),
        ) {
            out.push(Finding::error(
                VALUES,
                format!("no NetworkPolicy admits the scraper (namespace `{ns}`) to {c}'s port {port}: Prometheus can't scrape it"),
                Some("monitoring.scraperNamespace"),
            ));
        }
    }
}

/// Each internal NGINX controller the overlay ships (AKS app routing) can reach the
/// endpoints it serves: its pods are `app: <controllerNamePrefix>-0`.
pub(super) fn check_internal_controllers(
    docs: &[Value],
    policies: &[Policy],
    plan: &Plan,
    out: &mut Vec<Finding>,
) {
    let ns = plan
        .cloud
        .exposures
        .get("internal")
        .and_then(|x| x.default_controller.as_ref())
        .map_or("app-routing-system", |c| c.namespace.as_str());
    let release = plan.answers.release();
    for nic in docs.iter().filter(|d| kind(d) == "NginxIngressController") {
        let prefix = str_at(nic, &["spec", "controllerNamePrefix"]).unwrap_or("nginx");
        let pods = Labels::from([("app".to_string(), format!("{prefix}-0"))]);
        for ing in plan.ingresses.iter().filter(|i| i.exposure == "internal") {
            let Some(e) = Endpoint::ALL.iter().find(|e| e.key() == ing.endpoint) else {
                continue;
            };
            let pod = component_selector(release, e.key());
            let port = PortRange::tcp(u32::from(e.port()));
            if !ingress_admits(policies, &pod, ns, &pods, &port) {
                out.push(Finding::error(
                    VALUES,
                    format!("no NetworkPolicy admits the pods of NginxIngressController `{}` (`app: {prefix}-0` in `{ns}`) to {}: the internal endpoint is unreachable", name(nic), e.key()),
                    Some("ingressController.podLabels"),
                ));
            }
        }
    }
}
