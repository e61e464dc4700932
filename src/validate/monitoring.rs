//! Rules for monitoring: the OTLP endpoint telemetry is sent to, and who scrapes.
use super::validator::Validator;
use crate::format;

impl Validator<'_> {
    /// The OTLP endpoint, when given, is a URL; the scraper's namespace and labels are
    /// names and labels whether or not there is one.
    pub(super) fn observability(&mut self) {
        self.scraper();
        if let Some(url) = self
            .a
            .monitoring
            .as_ref()
            .and_then(|m| m.otlp_endpoint.clone())
        {
            if let Err(e) = format::ensure_url(&url, false) {
                self.err("monitoring.otlpEndpoint", e);
                return;
            }
            self.otlp_protocol(&url);
            self.otlp_egress(&url);
        }
    }

    /// Where the chart's policy is replaced (regulated), nothing admits the OTLP ports to any
    /// address: some shared egress entry must open the collector's port, or spans are dropped.
    fn otlp_egress(&mut self, url: &str) {
        if self.profile.chart_network_policy {
            return;
        }
        let port = match port_and_path(url).0 {
            Some(p) => p.parse().unwrap_or(0),
            None if url.starts_with("http://") => 80,
            None => 443,
        };
        let egress = self.a.egress.clone().unwrap_or_default();
        let opened = egress
            .categories()
            .iter()
            .any(|(_, entries)| entries.iter().any(|e| e.ports().contains(&port)));
        if !opened {
            self.warn("monitoring.otlpEndpoint", format!("profile `{}` opens no port to the collector by itself (network/baseline.yaml replaces the chart's rule for 4317/4318 to any address), and no egress entry opens port {port}: name the collector's CIDR with that port in `egress.other`, e.g. `{{cidr: 10.0.5.0/24, ports: [{port}]}}`, or every span is dropped", self.profile.id));
        }
    }

    /// The chart exports OTLP over http/protobuf only: the gRPC port and custom paths lose
    /// every span (Node appends `/v1/traces`, Go sends to the path as given).
    fn otlp_protocol(&mut self, url: &str) {
        let (port, path) = port_and_path(url);
        if port == Some("4317") {
            self.warn("monitoring.otlpEndpoint", "4317 is OTLP's gRPC port, but Caracal exports http/protobuf only: use the collector's HTTP port, usually 4318");
        }
        if !matches!(path, "" | "/" | "/v1/traces") {
            self.warn("monitoring.otlpEndpoint", format!("the path `{path}`: the Go services send spans to it as given while the Node services append `/v1/traces`; give the collector's base URL (no path) or one ending in `/v1/traces`"));
        }
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

/// The explicit port and the path of an `http(s)://host[:port][/path]` URL.
fn port_and_path(url: &str) -> (Option<&str>, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let port = authority
        .rsplit_once(':')
        .map(|(_, p)| p)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (port, path)
}

#[cfg(test)]
mod tests {
    use super::port_and_path;

    #[test]
    fn port_and_path_reads_the_parts_that_decide_the_protocol() {
        assert_eq!(port_and_path("http://c:4317"), (Some("4317"), ""));
        assert_eq!(
            port_and_path("https://c.example/v1/traces"),
            (None, "/v1/traces")
        );
        assert_eq!(
            port_and_path("http://[fd00::1]:4318/otlp?x"),
            (Some("4318"), "/otlp")
        );
    }
}
