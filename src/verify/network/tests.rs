//! The per-pod checks (#10) on an overlay's own output beside a stand-in for the chart's
//! policy (built from values.yaml as the chart's template does), then on broken copies.
use serde_yaml::Value;

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::check::Finding;
use crate::manifest::parse_yaml_documents;
use crate::plan::{plan, Plan};
use crate::render::{render, Templates};
use crate::verify::{check_rendered, Expectations};

const AKS_PRIVATE: &str = "cloud: aks\nprofile: private\ndomain: caracal.example.com\ntls: {clusterIssuer: letsencrypt-dns01}\nissuerProof: dns01\npostgres: {host: pg.postgres.database.azure.com, cidr: 10.20.0.0/24}\nredis: {host: r.redis.cache.windows.net, cidr: 10.20.1.0/24}\negress: {identityProvider: [20.190.128.0/18], providerApis: [10.20.2.0/24]}\nidentity: {azureClientId: 6f1c2b1e-8a53-4d61-9c3f-0d2b7e9a1c44}\nsecretStore: {azureVaultUrl: \"https://caracal-kv.vault.azure.net\", azureTenantId: 4d1c7e2a-93b5-4c8e-a0f1-6b2d9e3c5a17}\nsignIn: {provider: github, operators: [ops@example.com]}\n";

/// The plan, values.yaml and the overlay's own manifests (what `verify_dir` reads).
fn overlay(text: &str) -> (Plan, Value, Vec<Value>) {
    let a = Answers::parse("t", text, &[]).expect("parses");
    let p = plan(&a, &Catalog::builtin().expect("catalog")).expect("valid");
    let tree = render(&p, &Templates::builtin().expect("templates")).expect("renders");
    let values = serde_yaml::from_str(&tree.files["values.yaml"]).expect("values");
    let own = tree
        .files
        .iter()
        .filter(|(f, _)| {
            ["network/", "monitoring/", "ingress/"]
                .iter()
                .any(|d| f.starts_with(d))
        })
        .flat_map(|(_, t)| parse_yaml_documents(t).expect("yaml"))
        .collect();
    (p, values, own)
}

/// The chart's NetworkPolicy for `values`, as templates/networkpolicy.yaml renders it.
fn chart_policy(values: &Value) -> Value {
    let np = &values["networkPolicy"];
    let own = serde_yaml::from_str::<Value>(
        "{app.kubernetes.io/name: caracal, app.kubernetes.io/instance: caracal}",
    )
    .unwrap();
    let mut ingress = vec![serde_yaml::from_str::<Value>(&format!(
        "from: [{{podSelector: {{matchLabels: {}}}}}]",
        serde_json::to_string(&own).unwrap()
    ))
    .unwrap()];
    ingress.extend(
        np["extraIngress"]
            .as_sequence()
            .cloned()
            .unwrap_or_default(),
    );
    let mut egress: Vec<Value> = np["dnsEgress"].as_sequence().cloned().unwrap_or_default();
    egress.push(serde_yaml::from_str("ports: [{protocol: TCP, port: 5432}, {protocol: TCP, port: 6379}, {protocol: TCP, port: 4317}, {protocol: TCP, port: 4318}]").unwrap());
    egress.extend(np["extraEgress"].as_sequence().cloned().unwrap_or_default());
    let mut doc: Value = serde_yaml::from_str("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: caracal-caracal, labels: {app.kubernetes.io/managed-by: Helm}}\nspec: {policyTypes: [Ingress, Egress]}").unwrap();
    doc["spec"]["podSelector"]["matchLabels"] = own;
    doc["spec"]["ingress"] = Value::Sequence(ingress);
    doc["spec"]["egress"] = Value::Sequence(egress);
    doc
}

fn findings(p: &Plan, values: &Value, own: &[Value]) -> Vec<Finding> {
    let mut docs = vec![
        chart_policy(values),
        serde_yaml::from_str("kind: PrometheusRule\nmetadata: {name: caracal-caracal}").unwrap(),
    ];
    docs.extend(own.iter().cloned());
    let exp = Expectations {
        plan: Some(p),
        evaluation: false,
        runtime_secret: "caracal-runtime".into(),
        external_secret: None,
        secret_store: None,
        cloud: Some(p.cloud.clone()),
        components: crate::catalog::Catalog::builtin()
            .expect("catalog")
            .components
            .components,
    };
    check_rendered(&docs, &exp)
        .into_iter()
        .filter(|f| {
            f.message.contains("cannot reach")
                || f.message.contains("can reach no")
                || f.message.contains("scrape")
                || f.message.contains("NginxIngressController")
                || f.message.contains("ServiceMonitor")
        })
        .collect()
}

fn has(fs: &[Finding], answer: &str, needle: &str) -> bool {
    fs.iter()
        .any(|f| f.answer.as_deref() == Some(answer) && f.message.contains(needle))
}

#[test]
fn the_overlays_own_output_passes_the_per_pod_checks() {
    let (p, values, own) = overlay(AKS_PRIVATE);
    assert_eq!(findings(&p, &values, &own), vec![]);
}

#[test]
fn a_component_without_its_policy_cannot_reach_what_it_calls() {
    let (p, values, mut own) = overlay(AKS_PRIVATE);
    own.retain(|d| d["metadata"]["name"] != "caracal-caracal-gateway-egress");
    let fs = findings(&p, &values, &own);
    assert!(
        has(
            &fs,
            "egress.upstreams",
            "Gateway's pods (component=gateway) cannot reach"
        ),
        "{fs:?}"
    );
    assert!(!has(&fs, "egress.signIn", "cannot reach"), "{fs:?}");
}

#[test]
fn regulated_without_cidrs_reports_each_component_left_with_nothing() {
    let text = AKS_PRIVATE.replace("profile: private", "profile: regulated").replace("tls: {clusterIssuer: letsencrypt-dns01}\n", "tls: {clusterIssuer: letsencrypt-dns01}\nauditExport: {endpoint: \"https://s3gw.contoso.example\", bucket: caracal-audit, region: westeurope}\n").replace("providerApis: [10.20.2.0/24]", "providerApis: [10.20.2.0/24], objectStore: [10.20.3.0/24]");
    let (p, values, own) = overlay(&text);
    let fs = findings(&p, &values, &own);
    assert!(has(&fs, "egress.signIn", "can reach no"), "{fs:?}");
    assert!(has(&fs, "egress.upstreams", "can reach no"), "{fs:?}");
    assert!(has(&fs, "egress.providers", "can reach no"), "{fs:?}");
}

#[test]
fn an_unauthenticated_monitor_and_an_unadmitted_scraper_are_reported() {
    let (p, mut values, mut own) = overlay(AKS_PRIVATE);
    for d in own.iter_mut().filter(|d| d["kind"] == "ServiceMonitor") {
        if d["metadata"]["name"] == "caracal-caracal-api" {
            d["spec"]["endpoints"][0]
                .as_mapping_mut()
                .unwrap()
                .remove("authorization");
        }
    }
    let rules = values["networkPolicy"]["extraIngress"]
        .as_sequence_mut()
        .unwrap();
    rules.retain(|r| !serde_yaml::to_string(r).unwrap().contains("monitoring"));
    let fs = findings(&p, &values, &own);
    assert!(
        has(
            &fs,
            "profile",
            "ServiceMonitor `caracal-caracal-api` sends no credentials"
        ),
        "{fs:?}"
    );
    assert!(
        has(
            &fs,
            "profile",
            "no ServiceMonitor with credentials scrapes `api`"
        ),
        "{fs:?}"
    );
    assert!(
        has(&fs, "monitoring.scraperNamespace", "to sts's port 8080"),
        "{fs:?}"
    );
}

#[test]
fn a_monitor_without_the_selected_label_is_reported() {
    let (p, values, mut own) = overlay(AKS_PRIVATE);
    for d in own.iter_mut().filter(|d| d["kind"] == "ServiceMonitor") {
        d["metadata"]["labels"]
            .as_mapping_mut()
            .unwrap()
            .remove("release");
    }
    let fs = findings(&p, &values, &own);
    assert!(
        has(&fs, "monitoring.serviceMonitorLabels", "lacks the labels"),
        "{fs:?}"
    );
}

#[test]
fn an_aks_selector_matching_no_controller_pod_is_reported() {
    let (p, mut values, own) = overlay(AKS_PRIVATE);
    let text = serde_yaml::to_string(&values)
        .unwrap()
        .replace("app: caracal-internal-0", "app: caracal-internal");
    values = serde_yaml::from_str(&text).unwrap();
    let fs = findings(&p, &values, &own);
    assert!(
        has(
            &fs,
            "ingressController.podLabels",
            "`app: caracal-internal-0` in `app-routing-system`) to web"
        ),
        "{fs:?}"
    );
}

/// Policies add up: halves of `0.0.0.0/0` in two policies (here hand-added beside the
/// overlay's own) reach everywhere, which a regulated overlay refuses (#11).
#[test]
fn halves_of_everywhere_across_policies_are_refused_where_open_egress_is() {
    let (p, values, mut own) = overlay(include_str!("../../../assets/examples/gke-regulated.yaml"));
    let all = |exp_own: &[Value]| {
        let mut docs = vec![chart_policy(&values)];
        docs.extend(exp_own.iter().cloned());
        let exp = Expectations {
            plan: Some(&p),
            evaluation: false,
            runtime_secret: "caracal-runtime".into(),
            external_secret: None,
            secret_store: None,
            cloud: Some(p.cloud.clone()),
            components: Catalog::builtin().expect("catalog").components.components,
        };
        check_rendered(&docs, &exp)
    };
    let union = |fs: &[Finding]| fs.iter().any(|f| f.message.contains("together they cover"));
    assert!(!union(&all(&own)), "the overlay as written passes");
    for (name, cidr) in [("a", "0.0.0.0/1"), ("b", "128.0.0.0/1")] {
        own.push(serde_yaml::from_str(&format!("kind: NetworkPolicy\nmetadata: {{name: {name}}}\nspec: {{podSelector: {{}}, policyTypes: [Egress], egress: [{{to: [{{ipBlock: {{cidr: {cidr}}}}}], ports: [{{protocol: TCP, port: 443}}]}}]}}")).unwrap());
    }
    let fs = all(&own);
    assert!(
        fs.iter().any(|f| f.message.contains("for 443/TCP (")
            && f.message.contains("a, b")
            && f.message.contains("every IPv4 address")
            && f.answer.as_deref() == Some("egress.other")),
        "{fs:#?}"
    );
}
