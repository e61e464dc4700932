//! Rules for monitoring: the OTLP endpoint telemetry is sent to, and who scrapes.
use super::validator::Validator;
use crate::format;

impl Validator<'_> {
    /// The OTLP endpoint, when given, is a URL.
    pub(super) fn observability(&mut self) {
        if let Some(url) = self
            .a
            .monitoring
            .as_ref()
            .and_then(|m| m.otlp_endpoint.clone())
        {
            if let Err(e) = format::ensure_url(&url, false) {
                self.err("monitoring.otlpEndpoint", e);
            }
        }
        self.scraper();
    }

    /// The scraper's namespace is a namespace name and its selector labels are labels (#10).
    fn scraper(&mut self) {
        let Some(m) = self.a.monitoring.clone() else {
            return;
        };
        if let Some(ns) = &m.scraper_namespace {
            if ns.contains('.') || format::ensure_k8s_name(ns).is_err() {
                self.err(
                    "monitoring.scraperNamespace",
                    format!("`{ns}` is not a namespace name; give the namespace your Prometheus runs in, e.g. `monitoring`"),
                );
            }
        }
        if let Some(labels) = &m.service_monitor_labels {
            if labels.is_empty() {
                self.err("monitoring.serviceMonitorLabels", "give at least one label your Prometheus selects ServiceMonitors by, e.g. `release: kube-prometheus-stack`, or leave the key out for that default");
            }
            for (k, v) in labels {
                if let Err(e) = format::ensure_label(k, v) {
                    self.err("monitoring.serviceMonitorLabels", e);
                }
            }
        }
    }
}
