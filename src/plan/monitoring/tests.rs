//! Authenticated ServiceMonitors, the scraper's admission and the alert rules' label (#10).
use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::plan::{plan, Plan};

fn plan_of(text: &str, sets: &[&str]) -> Plan {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let a = Answers::parse("t", text, &sets).expect("parses");
    plan(&a, &Catalog::builtin().expect("catalog")).expect("valid")
}

const GKE: &str = "cloud: gke\nprofile: production\ndomain: caracal.example.com\npostgres: {host: 10.40.0.3}\nredis: {host: 10.40.1.4}\ncaBundle: {configMap: caracal-server-ca}\nendpoints: {web: disabled, sts: disabled, gateway: disabled}\nidentity: {gcpServiceAccount: caracal@acme-prod.iam.gserviceaccount.com}\nsecretStore: {gcpProject: acme-prod, gcpClusterLocation: us-central1, gcpClusterName: prod}\n";

#[test]
fn only_components_with_metrics_get_a_monitor_that_sends_the_bearer() {
    let p = plan_of(GKE, &[]);
    let files: Vec<&str> = p.service_monitors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        vec![
            "monitoring/sts-servicemonitor.yaml",
            "monitoring/api-servicemonitor.yaml",
            "monitoring/gateway-servicemonitor.yaml",
            "monitoring/audit-servicemonitor.yaml",
        ]
    );
    for (_, sm) in &p.service_monitors {
        let ep = &sm.spec.endpoints[0];
        assert_eq!((ep.port.as_str(), ep.path.as_str()), ("http", "/metrics"));
        assert_eq!(ep.authorization.kind, "Bearer");
        assert_eq!(ep.authorization.credentials.name, "caracal-runtime");
        assert_eq!(ep.authorization.credentials.key, "metricsBearer");
        assert_eq!(sm.metadata.labels["release"], "kube-prometheus-stack");
        let c = &sm.metadata.labels["app.kubernetes.io/component"];
        assert_eq!(
            &sm.spec.selector.match_labels["app.kubernetes.io/component"],
            c
        );
    }
    // The chart's own monitors send nothing: off. Alerts stay, with the same label.
    assert!(!p.values.service_monitor.enabled);
    assert!(p.values.alert_rules.enabled);
    assert_eq!(
        p.values.alert_rules.labels["release"],
        "kube-prometheus-stack"
    );
}

#[test]
fn the_scraper_namespace_is_admitted_to_the_scraped_ports_only() {
    let p = plan_of(
        GKE,
        &[
            "monitoring.scraperNamespace=observability",
            "monitoring.serviceMonitorLabels={prometheus: platform}",
        ],
    );
    let rule = p.values.network_policy.extra_ingress.last().unwrap();
    let ns = &rule.from[0]
        .namespace_selector
        .as_ref()
        .unwrap()
        .match_labels;
    assert_eq!(ns["kubernetes.io/metadata.name"], "observability");
    let ports: Vec<u32> = rule.ports.iter().map(|p| p.port).collect();
    assert_eq!(ports, vec![3000, 8080, 8081, 9090]);
    assert!(p
        .service_monitors
        .iter()
        .all(|(_, sm)| sm.metadata.labels["prometheus"] == "platform"
            && !sm.metadata.labels.contains_key("release")));
    assert_eq!(p.values.alert_rules.labels["prometheus"], "platform");
}

#[test]
fn evaluation_has_no_monitors_and_no_scraper() {
    let p = plan_of(
        GKE,
        &[
            "profile=evaluation",
            "postgres=null",
            "redis=null",
            "caBundle=null",
            "secretStore=null",
            "identity=null",
        ],
    );
    assert!(p.service_monitors.is_empty());
    assert!(p.values.network_policy.extra_ingress.is_empty());
    assert!(!p.values.alert_rules.enabled);
}
