//! Every manifest the wizard emits validates against its upstream JSON schema (#5), for all
//! 12 cloud × profile combinations and both GitOps tools. The schemas are the project's own
//! test data (`tests/schemas/`); the validator below covers the subset of JSON Schema they use.
mod common;

use std::collections::BTreeMap;

use caracal_wizard::manifest;
use serde_json::Value;

/// A small JSON-Schema validator: type, properties, required, additionalProperties, items,
/// enum, anyOf/oneOf/allOf, string and collection bounds, pattern, and the Kubernetes
/// extensions int-or-string and preserve-unknown-fields. `format` is not checked.
fn validate(schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else { return };
    let int_or_string = s
        .get("x-kubernetes-int-or-string")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if v.is_null() && s.get("nullable").and_then(Value::as_bool).unwrap_or(false) {
        return;
    }
    if int_or_string {
        if !(v.is_string() || v.is_i64() || v.is_u64()) {
            errors.push(format!("{path}: expected an integer or a string, got {v}"));
        }
    } else if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "null" => v.is_null(),
            _ => true,
        });
        if !ok {
            errors.push(format!("{path}: expected {types:?}, got {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{path}: {v} is not one of {e:?}"));
        }
    }
    if let Some(st) = v.as_str() {
        if let Some(n) = s.get("minLength").and_then(Value::as_u64) {
            if (st.chars().count() as u64) < n {
                errors.push(format!("{path}: shorter than {n}"));
            }
        }
        if let Some(n) = s.get("maxLength").and_then(Value::as_u64) {
            if (st.chars().count() as u64) > n {
                errors.push(format!("{path}: longer than {n}"));
            }
        }
        if let Some(p) = s.get("pattern").and_then(Value::as_str) {
            match regex::Regex::new(p) {
                Ok(re) if !re.is_match(st) => {
                    errors.push(format!("{path}: `{st}` doesn't match {p}"))
                }
                _ => {}
            }
        }
    }
    if let Some(arr) = v.as_array() {
        if let Some(n) = s.get("minItems").and_then(Value::as_u64) {
            if (arr.len() as u64) < n {
                errors.push(format!("{path}: fewer than {n} items"));
            }
        }
        if let Some(n) = s.get("maxItems").and_then(Value::as_u64) {
            if (arr.len() as u64) > n {
                errors.push(format!("{path}: more than {n} items"));
            }
        }
        if let Some(items) = s.get("items") {
            for (i, item) in arr.iter().enumerate() {
                validate(items, item, &format!("{path}[{i}]"), errors);
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !obj.contains_key(r) {
                errors.push(format!("{path}: missing required `{r}`"));
            }
        }
        for (n, bound) in [("minProperties", true), ("maxProperties", false)] {
            if let Some(k) = s.get(n).and_then(Value::as_u64) {
                if (bound && (obj.len() as u64) < k) || (!bound && (obj.len() as u64) > k) {
                    errors.push(format!("{path}: {n} {k} violated"));
                }
            }
        }
        let preserve = s
            .get("x-kubernetes-preserve-unknown-fields")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        for (k, val) in obj {
            let here = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(sub) => validate(sub, val, &here, errors),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) if !preserve => {
                        errors.push(format!("{here}: unknown field"))
                    }
                    Some(sub @ Value::Object(_)) => validate(sub, val, &here, errors),
                    _ => {}
                },
            }
        }
    }
    let count = |key: &str| -> Option<(usize, usize)> {
        let subs = s.get(key)?.as_array()?;
        let ok = subs
            .iter()
            .filter(|sub| {
                let mut e = Vec::new();
                validate(sub, v, path, &mut e);
                e.is_empty()
            })
            .count();
        Some((ok, subs.len()))
    };
    if let Some((ok, _)) = count("anyOf") {
        if ok == 0 {
            errors.push(format!("{path}: matches none of anyOf"));
        }
    }
    if let Some((ok, _)) = count("oneOf") {
        if ok != 1 {
            errors.push(format!("{path}: matches {ok} of oneOf, expected 1"));
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for sub in all {
            validate(sub, v, path, errors);
        }
    }
}

fn schemas() -> BTreeMap<&'static str, Value> {
    let load = |text: &str| -> Value { serde_json::from_str(text).expect("schema is JSON") };
    let mut m = BTreeMap::new();
    m.insert(
        "ExternalSecret",
        load(include_str!(
            "schemas/externalsecret.external-secrets.io-v1.json"
        )),
    );
    m.insert(
        "ClusterSecretStore",
        load(include_str!(
            "schemas/clustersecretstore.external-secrets.io-v1.json"
        )),
    );
    m.insert(
        "ServiceAccount",
        load(include_str!("schemas/serviceaccount.v1.json")),
    );
    m.insert(
        "NginxIngressController",
        load(include_str!(
            "schemas/nginxingresscontroller.approuting.kubernetes.azure.com-v1alpha1.json"
        )),
    );
    m.insert(
        "NetworkPolicy",
        load(include_str!(
            "schemas/networkpolicy.networking.k8s.io-v1.json"
        )),
    );
    m.insert(
        "Application",
        load(include_str!(
            "schemas/application.argoproj.io-v1alpha1.json"
        )),
    );
    m.insert(
        "GitRepository",
        load(include_str!(
            "schemas/gitrepository.source.toolkit.fluxcd.io-v1.json"
        )),
    );
    m.insert(
        "HelmRelease",
        load(include_str!(
            "schemas/helmrelease.helm.toolkit.fluxcd.io-v2.json"
        )),
    );
    m.insert(
        "ServiceMonitor",
        load(include_str!(
            "schemas/servicemonitor.monitoring.coreos.com-v1.json"
        )),
    );
    m.insert(
        "OCIRepository",
        load(include_str!(
            "schemas/ocirepository.source.toolkit.fluxcd.io-v1.json"
        )),
    );
    m.insert(
        "Kustomization",
        load(include_str!(
            "schemas/kustomization.kustomize.toolkit.fluxcd.io-v1.json"
        )),
    );
    m
}

fn to_json(v: &serde_yaml::Value) -> Value {
    serde_json::to_value(v).expect("YAML is JSON-compatible")
}

/// The checks the schemas can't express (CEL rules and cross-field conventions).
fn extra_rules(kind: &str, doc: &Value, errors: &mut Vec<String>) {
    let spec = &doc["spec"];
    match kind {
        "HelmRelease" if spec.get("chart").is_none() && spec.get("chartRef").is_none() => {
            errors.push("HelmRelease needs spec.chart or spec.chartRef".into())
        }
        "GitRepository" => {
            let r = &spec["ref"];
            let set = ["branch", "tag", "semver", "name", "commit"]
                .iter()
                .filter(|k| r.get(**k).is_some())
                .count();
            if set != 1 {
                errors.push(format!(
                    "GitRepository ref sets {set} of branch/tag/semver/name/commit"
                ));
            }
        }
        "OCIRepository" => {
            let r = &spec["ref"];
            if r.get("tag").is_none() && r.get("digest").is_none() {
                errors.push("OCIRepository must pin a tag or digest, not float".into());
            }
        }
        "Application" if spec.get("source").is_some() == spec.get("sources").is_some() => {
            errors.push("Application needs exactly one of source/sources".into())
        }
        _ => {}
    }
}

/// The NetworkPolicy the chart renders from these values, built the way its template does.
fn network_policy(values: &serde_yaml::Value) -> Value {
    let np = to_json(&values["networkPolicy"]);
    let mut egress: Vec<Value> = np["dnsEgress"].as_array().cloned().unwrap_or_default();
    egress.extend(np["extraEgress"].as_array().cloned().unwrap_or_default());
    serde_json::json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "caracal-caracal"},
        "spec": {
            "podSelector": {"matchLabels": {"app.kubernetes.io/instance": "caracal"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": np["extraIngress"],
            "egress": egress,
        }
    })
}

fn validate_tree(
    label: &str,
    tree: &caracal_wizard::render::RenderedTree,
    schemas: &BTreeMap<&str, Value>,
) -> (usize, Vec<String>) {
    let mut errors = Vec::new();
    let mut checked = 0;
    for (path, text) in &tree.files {
        if !path.ends_with(".yaml")
            || path == "caracal-wizard.yaml"
            || path == "kustomization.yaml"
            || path == "gitops/kustomizeconfig.yaml"
        {
            continue;
        }
        if path == "values.yaml" {
            let values = manifest::parse_yaml(text).expect("values.yaml parses");
            let doc = network_policy(&values);
            let mut e = Vec::new();
            validate(&schemas["NetworkPolicy"], &doc, "NetworkPolicy", &mut e);
            errors.extend(
                e.into_iter()
                    .map(|e| format!("{label} {path} (networkPolicy): {e}")),
            );
            checked += 1;
            continue;
        }
        for doc in manifest::parse_yaml_documents(text).expect("manifest parses") {
            let doc = to_json(&doc);
            let kind = doc["kind"].as_str().unwrap_or_default().to_string();
            let Some(schema) = schemas.get(kind.as_str()) else {
                continue;
            };
            let mut e = Vec::new();
            validate(schema, &doc, &kind, &mut e);
            extra_rules(&kind, &doc, &mut e);
            errors.extend(e.into_iter().map(|e| format!("{label} {path}: {e}")));
            checked += 1;
        }
    }
    (checked, errors)
}

#[test]
fn every_emitted_manifest_validates_against_its_schema() {
    let schemas = schemas();
    let mut errors = Vec::new();
    let mut kinds_checked = 0;
    for (cloud, profile) in common::combos() {
        let text = common::answers_text(cloud, profile);
        let mut variants: Vec<(&str, Vec<&str>)> = vec![("plain", vec![])];
        if profile != "evaluation" {
            variants.push(("argocd", common::ARGOCD.to_vec()));
            variants.push(("flux", common::FLUX.to_vec()));
            variants.push((
                "flux-own-repo",
                [
                    common::FLUX.as_slice(),
                    &[
                        "gitopsRepo.url=ssh://git@github.com/acme/fleet.git",
                        "gitopsRepo.revision=refs/tags/v1",
                    ],
                ]
                .concat(),
            ));
        }
        if cloud == "gke" && profile != "evaluation" {
            // The store's `clusterProjectID` appears only with a cluster in another project.
            let other = "secretStore.gcpClusterProject=acme-gke-host";
            variants.push(("cluster-project", vec![other]));
        }
        for (variant, sets) in variants {
            let tree = common::build(&text, &sets);
            let (n, e) = validate_tree(&format!("{cloud}-{profile}-{variant}"), &tree, &schemas);
            kinds_checked += n;
            errors.extend(e);
        }
    }
    assert!(
        errors.is_empty(),
        "{} schema error(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        kinds_checked > 100,
        "only {kinds_checked} manifests were checked"
    );
}

#[test]
fn the_validator_rejects_what_the_schemas_forbid() {
    let schemas = schemas();
    let mut e = Vec::new();
    let bad = serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "x"},
        "spec": {"podSelector": {}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "hostname": "db"}], "ports": [{"port": 5432, "protocol": "TCP"}]}]}});
    validate(&schemas["NetworkPolicy"], &bad, "np", &mut e);
    assert!(e.iter().any(|e| e.contains("hostname")), "{e:?}");
    let mut e = Vec::new();
    let bad = serde_json::json!({"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "x"},
        "spec": {"target": {"creationPolicy": "Sometimes"}}});
    validate(&schemas["ExternalSecret"], &bad, "es", &mut e);
    assert!(e.iter().any(|e| e.contains("creationPolicy")), "{e:?}");
}

fn doc(tree: &caracal_wizard::render::RenderedTree, path: &str) -> Value {
    to_json(&manifest::parse_yaml(&tree.files[path]).unwrap())
}

#[test]
fn argocd_installs_the_prerequisites_before_the_pinned_chart() {
    let text = common::answers_text("eks", "production");
    let tree = common::build(&text, &common::ARGOCD);
    let parent = doc(&tree, "gitops/application.yaml");
    assert_eq!(parent["metadata"]["namespace"], "argocd");
    assert_eq!(parent["spec"]["destination"]["namespace"], "argocd");
    let dir = &parent["spec"]["sources"][0];
    assert_eq!(dir["path"], "clusters/prod/caracal/gitops");
    assert_eq!(dir["directory"]["include"], "argocd-*.yaml");

    let prereqs = doc(&tree, "gitops/argocd-prereqs.yaml");
    let release = doc(&tree, "gitops/argocd-release.yaml");
    let wave = |d: &Value| d["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"].clone();
    assert_eq!(wave(&prereqs), "0");
    assert_eq!(wave(&release), "1");
    // The prerequisites are this directory (namespace, ExternalSecret); the chart is not in it.
    let p_sources = prereqs["spec"]["sources"].as_array().unwrap();
    assert_eq!(p_sources.len(), 1);
    assert_eq!(p_sources[0]["path"], "clusters/prod/caracal");
    assert!(p_sources[0].get("helm").is_none());
    // The chart: the published OCI chart at a pinned version, values from this repository,
    // and not this directory's manifests (they would be Sync-phase objects after its hooks).
    let r_sources = release["spec"]["sources"].as_array().unwrap();
    assert_eq!(r_sources.len(), 2);
    assert_eq!(
        r_sources[0]["repoURL"],
        "oci://ghcr.io/garudex-labs/charts/caracal"
    );
    assert_eq!(r_sources[0]["targetRevision"], "1.0.0");
    assert_eq!(r_sources[0]["path"], ".");
    assert_eq!(
        r_sources[0]["helm"]["valueFiles"][0],
        "$values/clusters/prod/caracal/values.yaml"
    );
    assert_eq!(r_sources[1]["ref"], "values");
    assert!(r_sources[1].get("path").is_none());
    let root = doc(&tree, "kustomization.yaml");
    assert!(
        !root["resources"].to_string().contains("gitops/"),
        "the Applications stay out of the kustomization: {root}"
    );
}

#[test]
fn flux_applies_the_chart_after_the_prerequisites_are_healthy() {
    let text = common::answers_text("eks", "production");
    let tree = common::build(&text, &common::FLUX);
    let docs =
        manifest::parse_yaml_documents(&tree.files["gitops/flux-kustomization.yaml"]).unwrap();
    let ks: Vec<Value> = docs.iter().map(to_json).collect();
    assert_eq!(ks.len(), 2, "{ks:?}");
    let (prereqs, release) = (&ks[0], &ks[1]);
    assert_eq!(prereqs["metadata"]["name"], "caracal-prereqs");
    assert_eq!(prereqs["spec"]["path"], "./clusters/prod/caracal");
    assert_eq!(prereqs["spec"]["wait"], true);
    assert_eq!(prereqs["spec"]["sourceRef"]["name"], "flux-system");
    assert_eq!(release["spec"]["path"], "./clusters/prod/caracal/gitops");
    assert_eq!(release["spec"]["dependsOn"][0]["name"], "caracal-prereqs");

    // The root kustomization is the prerequisites only; gitops/ holds the chart's objects.
    let root = doc(&tree, "kustomization.yaml");
    assert!(!root["resources"].to_string().contains("gitops/"), "{root}");
    assert!(root.get("configMapGenerator").is_none(), "{root}");
    let kz = doc(&tree, "gitops/kustomization.yaml");
    assert_eq!(
        kz["resources"],
        serde_json::json!(["chart-source.yaml", "helmrelease.yaml"])
    );
    assert_eq!(
        kz["configMapGenerator"][0]["files"][0],
        "values.yaml=../values.yaml"
    );
    assert_eq!(kz["configurations"][0], "kustomizeconfig.yaml");

    let src = doc(&tree, "gitops/chart-source.yaml");
    assert_eq!(src["kind"], "OCIRepository");
    assert_eq!(
        src["spec"]["url"],
        "oci://ghcr.io/garudex-labs/charts/caracal"
    );
    assert_eq!(src["spec"]["ref"]["tag"], "1.0.0");
    assert_eq!(
        src["spec"]["layerSelector"]["mediaType"],
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    );
    let hr = doc(&tree, "gitops/helmrelease.yaml");
    assert_eq!(hr["spec"]["chartRef"]["kind"], "OCIRepository");
    assert_eq!(hr["spec"]["chartRef"]["name"], src["metadata"]["name"]);
    assert!(hr["spec"].get("chart").is_none());
    assert_eq!(
        hr["spec"]["valuesFrom"][0]["name"],
        kz["configMapGenerator"][0]["name"]
    );
    assert_eq!(hr["spec"]["timeout"], "20m");

    let pinned = common::build(
        &text,
        &[common::FLUX.as_slice(), &["chart.version=1.2.3"]].concat(),
    );
    let src = doc(&pinned, "gitops/chart-source.yaml");
    assert_eq!(src["spec"]["ref"]["tag"], "1.2.3");
}
