//! `caracal-wizard check`: exit codes, JSON output, and deliberately broken overlays, each
//! reported with the answer to change (#5).
//!
//! Tests that need helm and the Caracal chart run when `HELM` (or `helm` on PATH) and
//! `CARACAL_CHART` are set, and otherwise print a note and pass; e.g. locally:
//! `HELM=/work/scratch/helmbin CARACAL_CHART=/path/to/infra/helm/caracal cargo test --test check_cli`.
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn wizard() -> Command {
    Command::cargo_bin("caracal-wizard").expect("binary")
}

/// `check` with neither helm nor kubectl reachable.
fn check_static(dir: &Path, extra: &[&str]) -> (i32, String) {
    let empty = tempfile::tempdir().unwrap();
    let out = wizard()
        .env_remove("HELM")
        .env_remove("KUBECTL")
        .env("PATH", empty.path())
        .arg("check")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn overlay(cloud: &str, profile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), &common::answers_text(cloud, profile), &[]);
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

fn has_finding(report: &Value, answer: &str, needle: &str) -> bool {
    report["findings"].as_array().unwrap().iter().any(|f| {
        f["severity"] == "error"
            && f["answer"].as_str() == Some(answer)
            && f["message"].as_str().unwrap_or_default().contains(needle)
    })
}

#[test]
fn check_without_helm_says_so_and_runs_static_checks() {
    let dir = overlay("eks", "production");
    let (code, out) = check_static(
        dir.path(),
        &[
            "--chart",
            "/nonexistent-but-not-read-first",
            "--format",
            "json",
        ],
    );
    // A missing chart is unusable input.
    assert_eq!(code, 2, "{out}");
    let chart = tempfile::tempdir().unwrap();
    std::fs::write(
        chart.path().join("Chart.yaml"),
        "apiVersion: v2\nname: caracal\nversion: 1.0.0\n",
    )
    .unwrap();
    let (code, out) = check_static(dir.path(), &["--chart", chart.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("helm not found"), "{out}");
    assert!(out.contains("chart: caracal 1.0.0"), "{out}");
    assert!(out.contains("clean"), "{out}");
}

#[test]
fn json_output_records_the_chart_version_and_flags_unknown_values_keys() {
    let dir = overlay("gke", "regulated");
    let chart = tempfile::tempdir().unwrap();
    std::fs::write(
        chart.path().join("Chart.yaml"),
        "apiVersion: v2\nname: caracal\nversion: 1.2.3\n",
    )
    .unwrap();
    // A chart whose values lack `alertRules` (a renamed key) but have everything else.
    let values = std::fs::read_to_string(dir.path().join("values.yaml")).unwrap();
    let mut v: serde_yaml::Value = serde_yaml::from_str(&values).unwrap();
    v.as_mapping_mut().unwrap().remove("alertRules");
    std::fs::write(
        chart.path().join("values.yaml"),
        serde_yaml::to_string(&v).unwrap(),
    )
    .unwrap();
    let (code, out) = check_static(
        dir.path(),
        &[
            "--chart",
            chart.path().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    assert_eq!(report["chart"]["version"], "1.2.3");
    assert_eq!(report["rendered"], false);
    assert!(report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("helm not found")));
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("`alertRules`")),
        "{out}"
    );
    // The overlay pins 1.0.0: a check against 1.2.3 says so, naming the pin.
    assert!(
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["severity"] == "note"
                && f["answer"] == "chart.version"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("installs version 1.0.0")
        }),
        "{out}"
    );
}

#[test]
fn a_forbidden_hand_edit_is_named_as_such_not_blamed_on_the_answer() {
    let dir = overlay("eks", "regulated");
    edit(
        dir.path(),
        "values.yaml",
        "allowOpenHttps: false",
        "allowOpenHttps: true",
    );
    let (code, out) = check_static(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] == "error")
        .unwrap_or_else(|| panic!("{out}"));
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("networkPolicy.allowOpenHttps: true is a hand edit of values.yaml"),
        "{out}"
    );
    assert!(f["answer"].is_null(), "the answer is already false: {out}");
    assert!(!out.contains("egress.openHttps"), "{out}");
}

#[test]
fn a_secret_manifest_in_the_overlay_is_an_error_naming_the_profile() {
    let dir = overlay("aks", "production");
    std::fs::write(
        dir.path().join("db-secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n",
    )
    .unwrap();
    let (code, out) = check_static(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        has_finding(&json(&out), "profile", "Secret with data"),
        "{out}"
    );
}

#[test]
fn the_charts_unauthenticated_service_monitors_are_an_error_statically() {
    let dir = overlay("gke", "production");
    edit(
        dir.path(),
        "values.yaml",
        "serviceMonitor:\n  enabled: false",
        "serviceMonitor:\n  enabled: true",
    );
    let (code, out) = check_static(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        has_finding(&json(&out), "profile", "serviceMonitor.enabled is true"),
        "{out}"
    );
    // The overlay's own monitor without its bearer, and one removed.
    let dir = overlay("gke", "production");
    edit(
        dir.path(),
        "monitoring/sts-servicemonitor.yaml",
        "    authorization:\n",
        "    unused:\n",
    );
    std::fs::remove_file(dir.path().join("monitoring/audit-servicemonitor.yaml")).unwrap();
    let (code, out) = check_static(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    assert!(
        has_finding(&report, "profile", "sends no credentials"),
        "{out}"
    );
    assert!(
        has_finding(&report, "profile", "never scrapes this component"),
        "{out}"
    );
}

#[test]
fn with_helm_component_reach_monitors_and_the_aks_selector_are_reported() {
    let Some((helm, chart)) = helm_and_chart() else {
        return;
    };
    // The Gateway's own policy is gone and the scraper's namespace is not admitted.
    let dir = overlay("eks", "production");
    std::fs::remove_file(dir.path().join("network/gateway-egress.yaml")).unwrap();
    edit(
        dir.path(),
        "values.yaml",
        "kubernetes.io/metadata.name: monitoring",
        "kubernetes.io/metadata.name: elsewhere",
    );
    edit(
        dir.path(),
        "values.yaml",
        "serviceMonitor:\n  enabled: false",
        "serviceMonitor:\n  enabled: true",
    );
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(&report, "egress.upstreams", "component=gateway"),
        "{report:#}"
    );
    assert!(
        has_finding(
            &report,
            "monitoring.scraperNamespace",
            "Prometheus can't scrape"
        ),
        "{report:#}"
    );
    assert!(
        has_finding(&report, "profile", "sends no credentials"),
        "{report:#}"
    );

    // The internal controller's old selector admits none of its pods.
    let dir = overlay("aks", "private");
    edit(
        dir.path(),
        "values.yaml",
        "app: caracal-internal-0",
        "app: caracal-internal",
    );
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(
            &report,
            "ingressController.podLabels",
            "NginxIngressController"
        ),
        "{report:#}"
    );
}

#[test]
fn unusable_input_exits_2() {
    let (code, out) = check_static(Path::new("/nonexistent/overlay"), &[]);
    assert_eq!(code, 2, "{out}");
    let empty = tempfile::tempdir().unwrap();
    let (code, out) = check_static(empty.path(), &[]);
    assert_eq!(code, 2, "not an overlay: {out}");
    let dir = overlay("eks", "evaluation");
    let out = wizard()
        .env("HELM", "/nonexistent/helm")
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("HELM="));
}

#[test]
fn new_with_gitops_writes_the_manifests_and_check_stays_clean() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(&answers, common::answers_text("eks", "production")).unwrap();
    let out_dir = dir.path().join("clusters/prod/caracal");
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    wizard()
        .arg("new")
        .arg("--answers")
        .arg(&answers)
        .arg("--out")
        .arg(&out_dir)
        .args(["--gitops", "flux"])
        .assert()
        .success();
    let ks = std::fs::read_to_string(out_dir.join("gitops/flux-kustomization.yaml")).unwrap();
    assert!(
        ks.contains("path: ./clusters/prod/caracal"),
        "path from the Git work tree: {ks}"
    );
    let recorded = std::fs::read_to_string(out_dir.join("caracal-wizard.yaml")).unwrap();
    assert!(
        recorded.contains("gitops: flux") && recorded.contains("path: clusters/prod/caracal"),
        "{recorded}"
    );
    let (code, out) = check_static(&out_dir, &[]);
    assert_eq!(code, 0, "{out}");
    // Argo CD needs the repository URL.
    wizard()
        .arg("new")
        .arg("--answers")
        .arg(&answers)
        .arg("--out")
        .arg(dir.path().join("argo"))
        .args(["--gitops", "argocd"])
        .assert()
        .code(2);
}

/// helm and the chart, when this machine has them.
fn helm_and_chart() -> Option<(PathBuf, PathBuf)> {
    let chart = std::env::var_os("CARACAL_CHART").map(PathBuf::from);
    let helm = std::env::var_os("HELM")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|d| d.join("helm"))
                .find(|p| p.is_file())
        });
    match (helm, chart) {
        (Some(h), Some(c)) => Some((h, c)),
        _ => {
            println!("note: skipped: set HELM (or put helm on PATH) and CARACAL_CHART to the Caracal chart to run this test");
            None
        }
    }
}

fn check_rendered(dir: &Path, helm: &Path, chart: &Path) -> (i32, Value) {
    let out = wizard()
        .env("HELM", helm)
        .arg("check")
        .arg(dir)
        .arg("--chart")
        .arg(chart)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.code() != Some(2),
        "unusable input: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), json(&stdout))
}

#[test]
fn with_helm_every_cloud_and_profile_checks_clean() {
    let Some((helm, chart)) = helm_and_chart() else {
        return;
    };
    for (cloud, profile) in common::combos() {
        let dir = overlay(cloud, profile);
        let (code, report) = check_rendered(dir.path(), &helm, &chart);
        assert_eq!(code, 0, "{cloud}-{profile}: {report:#}");
        assert_eq!(report["rendered"], true, "{cloud}-{profile}");
        assert!(report["chart"]["version"].is_string());
    }
}

#[test]
fn with_helm_broken_overlays_are_reported_with_the_answer_to_change() {
    let Some((helm, chart)) = helm_and_chart() else {
        return;
    };

    // A plaintext Secret rendered from values outside evaluation.
    let dir = overlay("eks", "production");
    edit(dir.path(), "values.yaml", "mode: stable", "mode: rc");
    edit(
        dir.path(),
        "values.yaml",
        "evaluation: false",
        "evaluation: true",
    );
    // Commit the evaluation's generated plaintext credentials into values.yaml.
    let eval = overlay("eks", "evaluation");
    let local: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(eval.path().join("secrets.local.yaml")).unwrap(),
    )
    .unwrap();
    let mut values: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(dir.path().join("values.yaml")).unwrap())
            .unwrap();
    values["secrets"]["create"] = serde_yaml::Value::Bool(true);
    values["secrets"]["plaintext"] = local["secrets"]["plaintext"].clone();
    std::fs::write(
        dir.path().join("values.yaml"),
        serde_yaml::to_string(&values).unwrap(),
    )
    .unwrap();
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(
            &report,
            "profile",
            "renders Secret `caracal-runtime` with data"
        ),
        "{report:#}"
    );

    // Egress opened to everywhere in regulated: in values.yaml (inert there since the chart's
    // policy is off, and still refused) and in the baseline that replaces it.
    let open_rule = "  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n    ports:\n    - protocol: TCP\n      port: 443\n";
    let dir = overlay("gke", "regulated");
    edit(
        dir.path(),
        "values.yaml",
        "  extraEgress:\n",
        &format!("  extraEgress:\n{open_rule}"),
    );
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(&report, "egress.other", "every IPv4 address"),
        "{report:#}"
    );
    let dir = overlay("gke", "regulated");
    edit(
        dir.path(),
        "network/baseline.yaml",
        "  egress:\n",
        &format!("  egress:\n{open_rule}"),
    );
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    // A hand edit: regulated forbids `egress.openHttps`, so no answer is named (#13).
    let hand_edit = |needle: &str| {
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["severity"] == "error"
                && f["answer"].is_null()
                && f["message"].as_str().unwrap_or_default().contains(needle)
        })
    };
    assert!(hand_edit("0.0.0.0/0"), "{report:#}");
    assert!(hand_edit("refuses egress to everywhere"), "{report:#}");
    assert!(
        !report.to_string().contains("egress.openHttps"),
        "{report:#}"
    );
    // Reported once: the static check of values.yaml says the same, less precisely.
    let about_everywhere = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("everywhere")
        })
        .count();
    assert_eq!(about_everywhere, 1, "{report:#}");

    // A runtime key the workloads mount but the ExternalSecret doesn't produce.
    let dir = overlay("aks", "regulated");
    let es =
        std::fs::read_to_string(dir.path().join("external-secrets/external-secret.yaml")).unwrap();
    let es: String = es
        .lines()
        .filter(|l| !l.trim_start().starts_with("gatewayStsHmacKey:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("external-secrets/external-secret.yaml"), es).unwrap();
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(&report, "secretStore", "`gatewayStsHmacKey`"),
        "{report:#}"
    );

    // A web origin and an issuer that don't match their hosts.
    let dir = overlay("eks", "private");
    edit(
        dir.path(),
        "values.yaml",
        "publicUrl: https://console.caracal.example.com",
        "publicUrl: https://web.caracal.example.com",
    );
    edit(
        dir.path(),
        "values.yaml",
        "issuerUrl: https://sts.caracal.example.com",
        "issuerUrl: https://tokens.caracal.example.com",
    );
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(&report, "hosts.web", "CARACAL_WEB_ORIGIN"),
        "{report:#}"
    );
    assert!(
        has_finding(&report, "hosts.sts", "ISSUER_URL"),
        "{report:#}"
    );

    // An Ingress without TLS, and an endpoint the answers keep private.
    let dir = overlay("aks", "production");
    edit(
        dir.path(),
        "values.yaml",
        "    tlsSecretName: caracal-web-tls\n",
        "",
    );
    edit(dir.path(), "values.yaml", "  api:\n    enabled: false", "  api:\n    enabled: true\n    host: api.caracal.example.com\n    tlsSecretName: caracal-api-tls");
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(has_finding(&report, "tls", "has no TLS"), "{report:#}");
    assert!(
        has_finding(&report, "endpoints.api", "keep disabled"),
        "{report:#}"
    );
}

fn gitops_overlay(sets: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), &common::answers_text("eks", "production"), sets);
    dir
}

fn static_report(dir: &Path) -> (i32, Value) {
    let (code, out) = check_static(dir, &["--format", "json"]);
    (code, json(&out))
}

#[test]
fn an_argocd_application_with_the_chart_and_the_external_secret_together_deadlocks() {
    let dir = gitops_overlay(&common::ARGOCD);
    let (code, report) = static_report(dir.path());
    assert_eq!(code, 0, "the two-wave layout is clean: {report}");
    // The single-Application layout: this directory's manifests next to the chart.
    edit(
        dir.path(),
        "gitops/argocd-release.yaml",
        "    ref: values\n",
        "    ref: values\n  - repoURL: https://github.com/acme/fleet.git\n    targetRevision: main\n    path: clusters/prod/caracal\n",
    );
    let (code, report) = static_report(dir.path());
    assert_eq!(code, 1, "{report}");
    assert!(has_finding(&report, "gitops", "deadlocks"), "{report}");
}

#[test]
fn a_chart_that_follows_a_branch_or_a_range_names_chart_version() {
    let dir = gitops_overlay(&common::ARGOCD);
    edit(
        dir.path(),
        "gitops/argocd-release.yaml",
        "targetRevision: 1.0.0",
        "targetRevision: main",
    );
    let (code, report) = static_report(dir.path());
    assert_eq!(code, 1, "{report}");
    assert!(has_finding(&report, "chart.version", "`main`"), "{report}");

    let dir = gitops_overlay(&common::FLUX);
    edit(
        dir.path(),
        "gitops/chart-source.yaml",
        "tag: 1.0.0",
        "semver: '>=1.0.0'",
    );
    let (code, report) = static_report(dir.path());
    assert_eq!(code, 1, "{report}");
    assert!(
        has_finding(&report, "chart.version", "OCIRepository"),
        "{report}"
    );
}

#[test]
fn an_overlay_that_follows_a_branch_is_a_note_naming_gitops_repo_revision() {
    let note = |report: &Value| {
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["severity"] == "note"
                && f["answer"] == "gitopsRepo.revision"
                && f["message"].as_str().unwrap_or_default().contains("`main`")
        })
    };
    let (code, report) = static_report(gitops_overlay(&common::ARGOCD).path());
    assert_eq!(code, 0, "a note does not fail the check: {report}");
    assert!(note(&report), "{report}");
    let own_repo = [
        common::FLUX.as_slice(),
        &["gitopsRepo.url=ssh://git@github.com/acme/fleet.git"],
    ]
    .concat();
    let (_, report) = static_report(gitops_overlay(&own_repo).path());
    assert!(note(&report), "{report}");
    let pinned = [
        common::ARGOCD.as_slice(),
        &["gitopsRepo.revision=refs/tags/v1.0.0"],
    ]
    .concat();
    let (_, report) = static_report(gitops_overlay(&pinned).path());
    assert!(!note(&report), "{report}");
}

#[test]
fn with_helm_overlays_that_would_not_run_are_reported_with_the_answer_to_change() {
    let Some((helm, chart)) = helm_and_chart() else {
        return;
    };
    // A Node URL that verifies RDS's private chain with no CA mounted, and an ALB that
    // health-checks `/` over the controller's TLS 1.0 policy (#10).
    let dir = overlay("eks", "production");
    edit(
        dir.path(),
        "external-secrets/external-secret.yaml",
        "caracal?sslmode=no-verify",
        "caracal?sslmode=require",
    );
    let values = std::fs::read_to_string(dir.path().join("values.yaml")).unwrap();
    let kept: String = values
        .lines()
        .filter(|l| !l.contains("healthcheck-path") && !l.contains("ssl-policy"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("values.yaml"), kept).unwrap();
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(&report, "caBundle.configMap", "apiDatabaseUrl"),
        "{report:#}"
    );
    assert!(
        has_finding(&report, "endpoints.web", "health-checks"),
        "{report:#}"
    );
    assert!(
        has_finding(&report, "endpoints.web", "ssl-policy"),
        "{report:#}"
    );

    // A Key Vault store without its tenant.
    let dir = overlay("aks", "production");
    let store = "external-secrets/cluster-secret-store.yaml";
    let text = std::fs::read_to_string(dir.path().join(store)).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !l.contains("tenantId:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join(store), kept).unwrap();
    let (code, report) = check_rendered(dir.path(), &helm, &chart);
    assert_eq!(code, 1);
    assert!(
        has_finding(&report, "secretStore.azureTenantId", "tenantId"),
        "{report:#}"
    );
}
