//! Monitoring planning: authenticated ServiceMonitors, alert rules, who may scrape, and the
//! OTLP endpoint.
use crate::catalog::{Component, Labels};
use crate::manifest::{
    AlertRulesValues, IngressRule, Metadata, MonitorAuthorization, MonitorEndpoint, Peer,
    PolicyPort, SecretKeyRef, Selector, ServiceMonitor, ServiceMonitorSpec, Toggle,
};

use super::context::Context;
use super::egress::component_selector;
use super::namespace::part_of;
use super::RUNTIME_SECRET;

/// The monitoring part of the plan.
pub(super) struct MonitoringPlan {
    /// `global.otelExporterOtlpEndpoint` (empty: not set).
    pub otlp_endpoint: String,
    /// `serviceMonitor`: always off, the chart's monitors send no bearer (#10).
    pub service_monitor: Toggle,
    /// `alertRules`.
    pub alert_rules: AlertRulesValues,
    /// The overlay's ServiceMonitors, by file.
    pub monitors: Vec<(String, ServiceMonitor)>,
    /// The scraper's admission to the scraped ports (`networkPolicy.extraIngress`).
    pub scraper_ingress: Option<IngressRule>,
    /// Who may scrape, in words.
    pub summary: Vec<String>,
}

/// Monitoring follows the profile; the scraper and its selector label follow the answers.
pub(super) fn plan_monitoring(cx: &Context) -> MonitoringPlan {
    let monitoring = cx.answers.monitoring.clone().unwrap_or_default();
    let on = cx.profile.monitoring;
    let labels = monitoring.service_monitor_labels();
    let scraped: Vec<&Component> = cx
        .components
        .components
        .iter()
        .filter(|c| c.metrics)
        .collect();
    let ns = monitoring.scraper_namespace().to_string();
    let mut ports: Vec<u32> = scraped.iter().map(|c| u32::from(c.port)).collect();
    ports.sort_unstable();
    MonitoringPlan {
        otlp_endpoint: monitoring.otlp_endpoint.clone().unwrap_or_default(),
        service_monitor: Toggle { enabled: false },
        alert_rules: AlertRulesValues {
            enabled: on,
            labels: if on { labels.clone() } else { Labels::new() },
        },
        monitors: if on {
            scraped
                .iter()
                .map(|c| {
                    let path = format!("monitoring/{}-servicemonitor.yaml", c.id);
                    (path, service_monitor(cx, &c.id, &labels))
                })
                .collect()
        } else {
            Vec::new()
        },
        scraper_ingress: on.then(|| IngressRule {
            from: vec![Peer::pods(&ns, &Labels::new())],
            ports: ports.into_iter().map(PolicyPort::tcp).collect(),
        }),
        summary: if on {
            let ids: Vec<String> = scraped.iter().map(|c| format!("`{}`", c.id)).collect();
            vec![format!(
                "every pod in namespace `{ns}` (Prometheus) on the `http` ports of {}",
                ids.join(", ")
            )]
        } else {
            Vec::new()
        },
    }
}

/// A ServiceMonitor for one component's Service that sends the runtime Secret's bearer.
fn service_monitor(cx: &Context, component: &str, select: &Labels) -> ServiceMonitor {
    let mut labels = part_of(&cx.release);
    labels.insert("app.kubernetes.io/component".into(), component.into());
    labels.extend(select.clone());
    ServiceMonitor {
        api_version: "monitoring.coreos.com/v1".into(),
        kind: "ServiceMonitor".into(),
        metadata: Metadata {
            name: format!("{}-caracal-{component}", cx.release),
            namespace: Some(cx.namespace.clone()),
            labels,
            annotations: Labels::new(),
        },
        spec: ServiceMonitorSpec {
            selector: Selector {
                match_labels: component_selector(&cx.release, component),
            },
            endpoints: vec![MonitorEndpoint {
                port: "http".into(),
                path: "/metrics".into(),
                interval: "30s".into(),
                authorization: MonitorAuthorization {
                    kind: "Bearer".into(),
                    credentials: SecretKeyRef {
                        name: RUNTIME_SECRET.into(),
                        key: "metricsBearer".into(),
                    },
                },
            }],
        },
    }
}

#[cfg(test)]
mod tests;
