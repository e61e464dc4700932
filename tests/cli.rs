//! The non-interactive command line: exit codes, what is written, and what never is.
mod common;

use predicates::prelude::*;

fn fixture(name: &str) -> std::path::PathBuf {
    common::fixtures().join(format!("{name}.yaml"))
}

#[test]
fn new_writes_a_complete_overlay() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("overlay");
    common::new_cmd(fixture("eks-production"), &out)
        .assert()
        .success()
        .stdout(predicate::str::contains("Production on Amazon EKS"));
    let tree = common::read_tree(&out);
    let names: Vec<&str> = tree.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            ".gitignore",
            "README.md",
            "caracal-wizard.yaml",
            "cloud/external-secrets-policy.json",
            "cloud/workloads-trust-policy.json",
            "external-secrets/cluster-secret-store.yaml",
            "external-secrets/external-secret.yaml",
            "external-secrets/service-account.yaml",
            "kustomization.yaml",
            "monitoring/api-servicemonitor.yaml",
            "monitoring/audit-servicemonitor.yaml",
            "monitoring/gateway-servicemonitor.yaml",
            "monitoring/sts-servicemonitor.yaml",
            "namespace.yaml",
            "network/api-egress.yaml",
            "network/gateway-egress.yaml",
            "network/sts-egress.yaml",
            "network/web-egress.yaml",
            "values.yaml",
        ]
    );
    // No stray staging directory is left beside it.
    let siblings: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1);
}

#[test]
fn two_runs_give_byte_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, path) in common::fixture_files() {
        let a = tmp.path().join(format!("{name}-a"));
        let b = tmp.path().join(format!("{name}-b"));
        for out in [&a, &b] {
            common::new_cmd(&path, out).assert().success();
        }
        let (mut ta, mut tb) = (common::read_tree(&a), common::read_tree(&b));
        // Temporary evaluation secrets are random by design; everything else is identical.
        let sa = ta.remove("secrets.local.yaml");
        let sb = tb.remove("secrets.local.yaml");
        assert_eq!(ta, tb, "{name}");
        assert_eq!(sa.is_some(), name.ends_with("evaluation"), "{name}");
        if let (Some(sa), Some(sb)) = (sa, sb) {
            assert_ne!(sa, sb, "{name}: fresh random secrets per overlay");
        }
        // A re-run into the same directory changes nothing, secrets included.
        let before = common::read_tree(&a);
        common::new_cmd(&path, &a)
            .assert()
            .success()
            .stdout(predicate::str::contains("0 file(s) changed"));
        assert_eq!(before, common::read_tree(&a), "{name}");
    }
}

/// Inode of every file under `dir`, by relative path: a file replaced by a rename gets a new one.
#[cfg(unix)]
fn inodes(dir: &std::path::Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    common::read_tree(dir)
        .into_keys()
        .map(|p| {
            let ino = std::fs::metadata(dir.join(&p)).unwrap().ino();
            (p, ino)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_re_run_replaces_only_the_files_that_change() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("overlay");
    let answers = fixture("eks-production");
    common::new_cmd(&answers, &out).assert().success();
    let first = inodes(&out);
    // Nothing changed: not one file is rewritten.
    common::new_cmd(&answers, &out).assert().success();
    assert_eq!(first, inodes(&out));
    // One answer changed: the files it shows in are replaced, the others stay as they were.
    let before = common::read_tree(&out);
    common::new_cmd(&answers, &out)
        .args(["--set", "storageClass=fast-ssd"])
        .assert()
        .success();
    let (after, second) = (common::read_tree(&out), inodes(&out));
    let replaced: Vec<&String> = first
        .keys()
        .filter(|p| second.get(*p) != first.get(*p))
        .collect();
    let changed: Vec<&String> = before
        .keys()
        .filter(|p| after.get(*p) != before.get(*p))
        .collect();
    assert_eq!(replaced, changed);
    assert!(changed.contains(&&"values.yaml".to_string()), "{changed:?}");
    assert!(changed.len() < first.len(), "{changed:?}");
    // No staging directory is left next to the overlay.
    let siblings: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1);
}

#[cfg(unix)]
#[test]
fn evaluation_secrets_are_private_and_git_ignored() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eval");
    common::new_cmd(fixture("gke-evaluation"), &out)
        .assert()
        .success();
    let mode = std::fs::metadata(out.join("secrets.local.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let ignore = std::fs::read_to_string(out.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "secrets.local.yaml"));
    let secrets = std::fs::read_to_string(out.join("secrets.local.yaml")).unwrap();
    assert!(secrets.contains("postgresPassword:"));
    // No other file carries a value from it.
    let pw = secrets
        .lines()
        .find(|l| l.contains("postgresPassword:"))
        .unwrap()
        .split(':')
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    for (file, bytes) in common::read_tree(&out) {
        if file != "secrets.local.yaml" {
            assert!(!String::from_utf8_lossy(&bytes).contains(&pw), "{file}");
        }
    }
}

/// `key: value` pairs under `secrets.plaintext` of a temporary secrets file.
fn local_secret_values(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .filter(|l| l.starts_with("    "))
        .filter_map(|l| l.trim().split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_cut_short_secrets_file_is_completed_keeping_its_values() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eval");
    let answers = fixture("eks-evaluation");
    common::new_cmd(&answers, &out).assert().success();
    let path = out.join("secrets.local.yaml");
    let full = local_secret_values(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(full.len(), 11);
    // Keep the header and the first three keys, as a crash mid-write might.
    let text = std::fs::read_to_string(&path).unwrap();
    let cut: Vec<&str> = text
        .lines()
        .take(text.lines().position(|l| l.starts_with("    ")).unwrap() + 3)
        .collect();
    std::fs::write(&path, cut.join("\n")).unwrap();
    let kept = local_secret_values(&cut.join("\n"));
    assert_eq!(kept.len(), 3);
    common::new_cmd(&answers, &out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Added 8 missing temporary secret(s)",
        ));
    let now = local_secret_values(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(now.len(), 11);
    for (k, v) in &kept {
        assert_eq!(now.get(k), Some(v), "{k} kept");
    }
    assert!(now.values().all(|v| v.len() == 64), "{now:?}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Complete: a further run leaves it alone.
    common::new_cmd(&answers, &out)
        .assert()
        .success()
        .stdout(predicate::str::contains("temporary secret").not());
    assert_eq!(
        local_secret_values(&std::fs::read_to_string(&path).unwrap()),
        now
    );
}

#[test]
fn an_unreadable_secrets_file_is_refused_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eval");
    let answers = fixture("aks-evaluation");
    common::new_cmd(&answers, &out).assert().success();
    let path = out.join("secrets.local.yaml");
    std::fs::write(&path, "secrets: [unclosed\n").unwrap();
    let before = common::read_tree(&out);
    common::new_cmd(&answers, &out)
        .args(["--set", "release=other"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("secrets.local.yaml"))
        .stderr(predicate::str::contains(
            "delete it to generate new temporary secrets",
        ))
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(before, common::read_tree(&out));
}

/// Bad answers exit 2, name the field and write nothing.
#[test]
fn bad_answers_exit_2_name_the_field_and_write_nothing() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("eks-production", &["cloud=openstack"], "`cloud`"),
        ("eks-production", &["domain=not a domain"], "`domain`"),
        (
            "eks-production",
            &["postgres.cidr=10.0.0.0/99"],
            "`postgres.cidr`",
        ),
        (
            "eks-production",
            &["identity.awsRoleArn=arn:aws:iam::role/x"],
            "`identity.awsRoleArn`",
        ),
        ("eks-private", &["endpoints.web=public"], "`endpoints.web`"),
        (
            "eks-production",
            &["postgres.host=null", "postgres.cidr=null"],
            "`postgres.host`",
        ),
        ("eks-regulated", &["auditExport=null"], "`auditExport`"),
        (
            "gke-regulated",
            &["egress.other=[0.0.0.0/0]"],
            "`egress.other[0]`",
        ),
        ("aks-production", &["endpoints.web=off"], "`endpoints.web`"),
        (
            "aks-production",
            &["unknownKey=1"],
            "unknown key `unknownKey`",
        ),
        ("aks-production", &["broken"], "--set `broken`"),
    ];
    for (name, sets, needle) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("overlay");
        let mut c = common::cmd();
        c.args(["new", "--answers"])
            .arg(fixture(name))
            .arg("--out")
            .arg(&out);
        for s in *sets {
            c.args(["--set", s]);
        }
        c.assert().code(2).stderr(predicate::str::contains(*needle));
        assert!(!out.exists(), "{sets:?} wrote something");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "{sets:?} left files"
        );
    }
}

#[test]
fn missing_or_malformed_answers_files_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    common::cmd()
        .args(["new", "--answers", "nope.yaml", "--out"])
        .arg(tmp.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.yaml"));
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, "cloud: [eks\n").unwrap();
    common::cmd()
        .args(["new", "--answers"])
        .arg(&bad)
        .arg("--out")
        .arg(tmp.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid YAML"));
    assert!(!tmp.path().join("o").exists());
}

#[test]
fn hand_edited_overlays_are_not_clobbered_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("overlay");
    let answers = fixture("aks-private");
    common::new_cmd(&answers, &out).assert().success();
    let values = out.join("values.yaml");
    let edited = std::fs::read_to_string(&values).unwrap() + "# tuned by hand\n";
    std::fs::write(&values, &edited).unwrap();
    common::cmd()
        .args(["new", "--answers"])
        .arg(&answers)
        .args(["--out"])
        .arg(&out)
        .args(["--set", "endpoints.api=disabled"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("values.yaml").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(&values).unwrap(), edited);
    common::new_cmd(&answers, &out)
        .args(["--set", "endpoints.api=disabled", "--force"])
        .assert()
        .success();
    assert!(!std::fs::read_to_string(&values)
        .unwrap()
        .contains("# tuned by hand"));
}

#[test]
fn a_directory_not_written_by_the_wizard_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    common::cmd()
        .args(["new", "--answers"])
        .arg(fixture("eks-production"))
        .arg("--out")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not written by caracal-wizard"));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn dry_run_and_preview_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("overlay");
    common::cmd()
        .args(["new", "--dry-run", "--answers"])
        .arg(fixture("gke-regulated"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("create").and(predicate::str::contains("nothing written")),
        );
    assert!(!out.exists());
    common::cmd()
        .args(["preview", "--file", "values.yaml", "--answers"])
        .arg(fixture("gke-regulated"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("AUDIT_EXPORT_S3_BUCKET")
                .and(predicate::str::contains("==>").not()),
        );
    common::cmd()
        .args(["preview", "--answers"])
        .arg(fixture("gke-regulated"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "==> external-secrets/external-secret.yaml <==",
        ));
    common::cmd()
        .args(["preview", "--file", "nope.yaml", "--answers"])
        .arg(fixture("gke-regulated"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("values.yaml"));
}

#[test]
fn preview_yaml_is_one_stream_of_kubernetes_objects_and_json_maps_every_file() {
    let out = common::cmd()
        .args(["preview", "--format", "yaml", "--answers"])
        .arg(fixture("aks-private"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("==>"), "no human headers");
    let docs = caracal_wizard::manifest::parse_yaml_documents(&text).unwrap();
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    assert_eq!(docs.len(), kinds.len(), "every document is an object");
    for kind in [
        "Namespace",
        "ServiceAccount",
        "ClusterSecretStore",
        "ExternalSecret",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert!(
        !kinds.contains(&"Kustomization"),
        "kustomize's config is not applied"
    );
    assert!(text.contains("# Source: namespace.yaml\n"));
    let out = common::cmd()
        .args(["preview", "--format", "json", "--answers"])
        .arg(fixture("eks-production"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let files: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&out.stdout).unwrap();
    assert!(files["values.yaml"].contains("storageClassName: gp3"));
    assert!(files.contains_key("cloud/workloads-trust-policy.json"));
}

#[test]
fn answers_can_come_from_stdin_with_sets() {
    common::cmd()
        .args([
            "preview",
            "--file",
            "values.yaml",
            "--answers",
            "-",
            "--set",
            "endpoints.web=public",
        ])
        .write_stdin("cloud: aks\nprofile: evaluation\ndomain: demo.example.com\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("host: console.demo.example.com"));
}

#[test]
fn check_reports_clean_overlays_and_findings() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, path) in common::fixture_files() {
        let out = tmp.path().join(&name);
        common::new_cmd(&path, &out).assert().success();
        common::cmd()
            .arg("check")
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("clean"));
    }
    // A plaintext secret typed into values.yaml is an error naming the file.
    let out = tmp.path().join("eks-production");
    let values = out.join("values.yaml");
    let text = std::fs::read_to_string(&values).unwrap().replace(
        "secrets:\n",
        "secrets:\n  plaintext:\n    postgresPassword: hunter2\n",
    );
    std::fs::write(&values, text).unwrap();
    common::cmd()
        .arg("check")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("secrets.plaintext holds values"));
    let json = common::cmd()
        .args(["check", "--format", "json"])
        .arg(&out)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["severity"] == "error"));
    // Not an overlay at all: unusable input.
    common::cmd().arg("check").arg(tmp.path()).assert().code(2);
}

/// Hand edits that break what the answers promised are reported with the answer to change.
#[test]
fn check_names_the_answer_behind_each_broken_promise() {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = |name: &str| {
        let out = tmp.path().join(name);
        common::cmd()
            .args(["new", "--force", "--answers"])
            .arg(fixture("eks-regulated"))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        out
    };
    let cases: &[(&str, &str, &str, &str)] = &[
        ("open", "  extraEgress:\n", "  extraEgress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n    ports:\n    - protocol: TCP\n      port: 443\n", "it is a hand edit of values.yaml (the answers render no such rule)"),
        ("origin", "publicUrl: https://console.caracal.example.com", "publicUrl: https://caracal.example.com", "[change `hosts.web`]"),
        ("issuer", "issuerUrl: https://sts.caracal.example.com", "issuerUrl: https://auth.example.com", "[change `hosts.sts`]"),
        ("objectstore", "        cidr: 10.61.0.0/16\n", "        cidr: 10.62.0.0/16\n", "[change `egress.objectStore`]"),
        ("dns", "allowOpenDns: false", "allowOpenDns: true", "networkPolicy.allowOpenDns: true is a hand edit of values.yaml"),
    ];
    for (name, from, to, needle) in cases {
        let out = fresh(name);
        let values = out.join("values.yaml");
        let text = std::fs::read_to_string(&values).unwrap();
        assert!(text.contains(from), "{name}: fixture lacks {from:?}");
        std::fs::write(&values, text.replacen(from, to, 1)).unwrap();
        common::cmd()
            .arg("check")
            .arg(&out)
            .assert()
            .code(1)
            .stdout(predicate::str::contains(*needle))
            // A regulated overlay is never told to open HTTPS (#13).
            .stdout(predicate::str::contains("egress.openHttps").not());
    }
}

/// No identity/provider egress: `new` refuses it naming the answer, as `check` would (#13).
#[test]
fn missing_provider_egress_is_refused_by_new_as_check_refuses_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("overlay");
    common::new_cmd(fixture("eks-production"), &out)
        .args([
            "--set",
            "egress.providerApis=[]",
            "--set",
            "egress.identityProvider=[]",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`egress.providerApis`: no HTTPS egress",
        ))
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!out.exists(), "nothing is written");
}
