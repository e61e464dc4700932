//! The rendered check of scraping (#10): every ServiceMonitor sends credentials (stable
//! Caracal answers 401 without the bearer), carries the label the Prometheus selects, and
//! each component with metrics has one.
use serde_yaml::Value;

use super::{Expectations, VALUES};
use crate::check::doc::{get, kind, name, str_at};
use crate::check::monitoring::has_credentials;
use crate::check::Finding;

/// ServiceMonitors and PrometheusRules of a non-evaluation install.
pub(super) fn check_monitoring(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let monitors: Vec<&Value> = docs
        .iter()
        .filter(|d| kind(d) == "ServiceMonitor")
        .collect();
    for sm in &monitors {
        check_credentials(sm, out);
    }
    if !docs.iter().any(|d| kind(d) == "PrometheusRule") {
        out.push(Finding::error(
            VALUES,
            "the chart renders no PrometheusRule: production profiles alert (alertRules.enabled)",
            Some("profile"),
        ));
    }
    let Some(plan) = exp.plan else {
        return;
    };
    let want = plan
        .answers
        .monitoring
        .clone()
        .unwrap_or_default()
        .service_monitor_labels();
    for (_, planned) in &plan.service_monitors {
        let Some(c) = planned.metadata.labels.get("app.kubernetes.io/component") else {
            continue;
        };
        let found = monitors.iter().find(|sm| {
            str_at(
                sm,
                &[
                    "spec",
                    "selector",
                    "matchLabels",
                    "app.kubernetes.io/component",
                ],
            ) == Some(c.as_str())
                && has_credentials(sm)
        });
        match found {
            None => out.push(Finding::error(
                VALUES,
                format!("no ServiceMonitor with credentials scrapes `{c}`: ship monitoring/{c}-servicemonitor.yaml"),
                Some("profile"),
            )),
            Some(sm) => {
                let labels = get(sm, &["metadata", "labels"]);
                let missing = want.iter().any(|(k, v)| {
                    labels.and_then(|l| l.get(k.as_str())).and_then(Value::as_str) != Some(v)
                });
                if missing {
                    out.push(Finding::error(
                        VALUES,
                        format!("ServiceMonitor `{}` lacks the labels your Prometheus selects", name(sm)),
                        Some("monitoring.serviceMonitorLabels"),
                    ));
                }
            }
        }
    }
}

fn check_credentials(sm: &Value, out: &mut Vec<Finding>) {
    if has_credentials(sm) {
        return;
    }
    let chart = str_at(sm, &["metadata", "labels", "app.kubernetes.io/managed-by"]) == Some("Helm");
    let fix = if chart {
        "the chart's own ServiceMonitor: set serviceMonitor.enabled: false (re-run caracal-wizard) and use the overlay's monitoring/ ServiceMonitors"
    } else {
        "give each endpoint `authorization: {type: Bearer, credentials: {name: caracal-runtime, key: metricsBearer}}`"
    };
    out.push(Finding::error(
        VALUES,
        format!("ServiceMonitor `{}` sends no credentials, so stable Caracal answers its scrapes with 401: {fix}", name(sm)),
        Some("profile"),
    ));
}
