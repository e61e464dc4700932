//! `caracal-wizard migrate`: exit codes, what is written, merges and conflicts, end to end.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

#[path = "common/fixtures.rs"]
mod fixtures;
use fixtures::{needs, source, CLOUDS, PROFILES};

/// A temporary directory holding one overlay written by `new`.
struct Overlay {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Overlay {
    fn new(answers: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("answers.yaml");
        std::fs::write(&file, answers).unwrap();
        let dir = tmp.path().join("overlay");
        wizard()
            .arg("new")
            .arg("--answers")
            .arg(&file)
            .arg("--out")
            .arg(&dir)
            .assert()
            .success();
        Self { _tmp: tmp, dir }
    }

    fn of(cloud: &str, profile: &str) -> Self {
        Self::new(&source(cloud, profile))
    }

    fn migrate(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        wizard()
            .arg("migrate")
            .arg(&self.dir)
            .args(args)
            .env("NO_COLOR", "1")
            .assert()
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.join(path)).unwrap()
    }

    fn edit(&self, path: &str, f: impl FnOnce(String) -> String) {
        let text = f(self.read(path));
        std::fs::write(self.dir.join(path), text).unwrap();
    }

    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.dir, &mut out);
        out
    }
}

fn wizard() -> Command {
    Command::cargo_bin("caracal-wizard").unwrap()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).to_string()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

fn yaml_at(text: &str, path: &[&str]) -> Option<serde_yaml::Value> {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    path.iter().try_fold(doc, |cur, k| cur.get(*k).cloned())
}

fn sha(text: &str) -> String {
    let out = Sha256::digest(text.as_bytes());
    format!(
        "sha256:{}",
        out.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

#[test]
fn every_profile_pair_on_every_cloud_migrates_or_exits_2_naming_the_missing_answers() {
    for cloud in CLOUDS {
        for from in PROFILES {
            for to in PROFILES.into_iter().filter(|t| *t != from) {
                let case = format!("{cloud}: {from} → {to}");
                let o = Overlay::of(cloud, from);
                let (paths, sets) = needs(cloud, from, to);
                if !paths.is_empty() {
                    let before = o.snapshot();
                    let a = o.migrate(&["--profile", to, "--yes"]).code(2);
                    let err = stderr(&a);
                    for p in &paths {
                        assert!(
                            err.contains(&format!("`{p}`")),
                            "{case}: {p} not named in:\n{err}"
                        );
                    }
                    assert!(err.contains("nothing was written"), "{case}: {err}");
                    assert_eq!(o.snapshot(), before, "{case}: something was written");
                }
                let mut args = vec!["--profile", to, "--yes"];
                for s in &sets {
                    args.extend(["--set", s.as_str()]);
                }
                let a = o.migrate(&args);
                let out = stdout(&a);
                a.success();
                assert!(
                    out.contains("What changes in the deployment:"),
                    "{case}: {out}"
                );
                assert_eq!(
                    yaml_at(&o.read("caracal-wizard.yaml"), &["profile"]),
                    Some(to.into()),
                    "{case}"
                );
                wizard().arg("check").arg(&o.dir).assert().success();
            }
        }
    }
}

#[test]
fn production_to_regulated_keeps_a_hand_added_key_and_replica_count() {
    let o = Overlay::of("eks", "production");
    o.edit("values.yaml", |v| {
        v.replace(
            "services:\n  api:\n",
            "services:\n  api:\n    replicas: 5\n",
        ) + "\n# Ours.\npriorityClassName: caracal-critical\n"
    });
    let (_, sets) = needs("eks", "production", "regulated");
    let mut args = vec!["--profile", "regulated", "--yes"];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    let a = o.migrate(&args).success();
    let out = stdout(&a);
    assert!(out.contains("Hand edits merged into: values.yaml"), "{out}");
    assert!(out.contains("  - retention: 365 → 2555 days"), "{out}");
    let values = o.read("values.yaml");
    assert_eq!(
        yaml_at(&values, &["services", "api", "replicas"]),
        Some(5.into())
    );
    assert_eq!(
        yaml_at(&values, &["priorityClassName"]),
        Some("caracal-critical".into())
    );
    assert!(values.contains("# Ours.\npriorityClassName"));
    assert!(values.contains("AUDIT_EXPORT_S3_ENDPOINT"));
    // The answers record the wizard's own render, so the carried edits are still hand edits:
    // `check` notes them (no error), `new` won't clobber them, and a later migration still
    // carries them.
    let answers = o.read("caracal-wizard.yaml");
    assert_ne!(
        yaml_at(&answers, &["digests", "values.yaml"]),
        Some(sha(&values).into())
    );
    wizard()
        .arg("check")
        .arg(&o.dir)
        .assert()
        .success()
        .stdout(predicates::str::contains("edited by hand"));
    let answers_path = o.dir.join("caracal-wizard.yaml");
    wizard()
        .args(["new", "--answers"])
        .arg(&answers_path)
        .arg("--out")
        .arg(&o.dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("values.yaml"));
    o.migrate(&["--profile", "private", "--yes"]).success();
    assert_eq!(
        yaml_at(&o.read("values.yaml"), &["services", "api", "replicas"]),
        Some(5.into())
    );
}

#[test]
fn a_hand_change_the_migration_must_override_stops_it_and_a_forbidden_kept_value_is_refused() {
    for (prefer, want) in [("theirs", false), ("ours", true)] {
        let o = Overlay::of("eks", "production");
        o.edit("values.yaml", |v| {
            v.replace("allowOpenHttps: false", "allowOpenHttps: true")
        });
        let (_, sets) = needs("eks", "production", "regulated");
        let mut args = vec!["--profile", "regulated", "--yes"];
        for s in &sets {
            args.extend(["--set", s.as_str()]);
        }
        let before = o.snapshot();
        let a = o.migrate(&args).code(2);
        let out = stdout(&a);
        assert!(
            out.contains(
                "values.yaml networkPolicy.allowOpenHttps: the target profile decides this key"
            ),
            "{out}"
        );
        assert!(
            out.contains("yours: true") && out.contains("new:   false"),
            "{out}"
        );
        assert!(stderr(&a).contains("--prefer"), "{}", stderr(&a));
        assert_eq!(o.snapshot(), before);
        args.extend(["--prefer", prefer]);
        if want {
            // Keeping the hand edit would write a regulated overlay `check` rejects (#13).
            let a = o.migrate(&args).code(2);
            let err = stderr(&a);
            assert!(
                err.contains("profile `regulated` forbids what the merge keeps")
                    && err.contains("networkPolicy.allowOpenHttps: true is a hand edit")
                    && err.contains("nothing was written"),
                "{err}"
            );
            assert_eq!(o.snapshot(), before, "--prefer ours wrote something");
            continue;
        }
        o.migrate(&args).success();
        let values = o.read("values.yaml");
        assert_eq!(
            yaml_at(&values, &["networkPolicy", "allowOpenHttps"]),
            Some(want.into()),
            "--prefer {prefer}"
        );
        assert!(!values.contains("<<<<<<<") && !values.contains(">>>>>>>"));
    }
}

#[test]
fn a_hand_changed_ingress_setting_the_migration_changes_is_a_conflict() {
    let o = Overlay::of("aks", "production");
    o.edit("values.yaml", |v| {
        v.replacen(
            "className: webapprouting.kubernetes.azure.com",
            "className: nginx",
            1,
        )
    });
    let a = o.migrate(&["--profile", "private", "--yes"]).code(2);
    let out = stdout(&a);
    assert!(
        out.contains(".className: you and the migration both changed it"),
        "{out}"
    );
    assert!(out.contains("yours: \"nginx\""), "{out}");
    o.migrate(&["--profile", "private", "--yes", "--prefer", "theirs"])
        .success();
    assert!(!o.read("values.yaml").contains("className: nginx"));
    assert!(o
        .dir
        .join("ingress/internal-ingress-controller.yaml")
        .is_file());
}

#[test]
fn dry_run_writes_nothing_and_shows_the_diff_without_color() {
    let o = Overlay::of("gke", "production");
    let before = o.snapshot();
    let (_, sets) = needs("gke", "production", "private");
    let mut args = vec!["--profile", "private", "--dry-run"];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    let a = o.migrate(&args).success();
    let out = stdout(&a);
    assert!(out.contains("Web console: public → internal — its Ingress moves to an internal Application Load Balancer"), "{out}");
    assert!(
        out.contains("--- a/values.yaml\n+++ b/values.yaml\n@@"),
        "{out}"
    );
    assert!(
        out.contains("-      kubernetes.io/ingress.class: gce\n"),
        "{out}"
    );
    assert!(out.contains("dry run: nothing written"));
    assert!(!out.contains('\x1b'), "color codes when not a terminal");
    assert_eq!(o.snapshot(), before);
}

#[test]
fn without_yes_and_without_a_terminal_nothing_is_written() {
    let o = Overlay::of("eks", "production");
    let before = o.snapshot();
    let a = o.migrate(&["--profile", "private"]).code(2);
    assert!(stderr(&a).contains("--yes"), "{}", stderr(&a));
    assert_eq!(o.snapshot(), before);
}

#[test]
fn an_older_answers_version_is_upgraded_with_a_message() {
    let o = Overlay::of("eks", "production");
    o.edit("caracal-wizard.yaml", |t| {
        // The top-level key only, not `chart.version`.
        t.replacen("\nversion: 1\n", "\nversion: 0\n", 1)
            .replace("  api: disabled", "  api: off")
    });
    let a = o.migrate(&["--profile", "private", "--yes"]).success();
    let out = stdout(&a);
    assert!(
        out.contains(
            "answers file: version 0 → 1: endpoints written `off` are now `disabled` (api)"
        ),
        "{out}"
    );
    let answers = o.read("caracal-wizard.yaml");
    assert_eq!(yaml_at(&answers, &["version"]), Some(1.into()));
    assert_eq!(
        yaml_at(&answers, &["endpoints", "api"]),
        Some("disabled".into())
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = Overlay::of("eks", "production");
    o.migrate(&[]).code(2);
    let a = o.migrate(&["--profile", "staging"]).code(2);
    assert!(stderr(&a).contains("choose one of"), "{}", stderr(&a));
    let tmp = tempfile::tempdir().unwrap();
    let a = wizard()
        .arg("migrate")
        .arg(tmp.path())
        .args(["--profile", "private"])
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("not a caracal-wizard overlay"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn gitops_can_be_added_while_migrating() {
    let o = Overlay::of("aks", "production");
    let (_, sets) = needs("aks", "production", "regulated");
    let mut args = vec![
        "--profile",
        "regulated",
        "--yes",
        "--gitops",
        "flux",
        "--set",
        "gitopsRepo.path=clusters/prod/caracal",
    ];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    o.migrate(&args).success();
    assert!(o
        .read("gitops/helmrelease.yaml")
        .contains("kind: HelmRelease"));
    assert!(o.read("caracal-wizard.yaml").contains("gitops: flux"));
}

#[test]
fn a_kept_kustomization_lists_no_removed_file_and_check_names_a_missing_entry() {
    let o = Overlay::of("gke", "production");
    std::fs::write(
        o.dir.join("network/extra.yaml"),
        "apiVersion: v1\nkind: List\nitems: []\n",
    )
    .unwrap();
    o.edit("kustomization.yaml", |k| {
        k.replace("resources:\n", "resources:\n- network/extra.yaml\n")
    });
    let (_, sets) = needs("gke", "production", "regulated");
    let mut args = vec!["--profile", "regulated", "--yes", "--prefer", "ours"];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    o.migrate(&args).success();
    let k = o.read("kustomization.yaml");
    let listed: Vec<String> = serde_yaml::from_value(yaml_at(&k, &["resources"]).unwrap()).unwrap();
    assert!(listed.contains(&"network/extra.yaml".to_string()), "{k}");
    for r in &listed {
        assert!(o.dir.join(r).is_file(), "lists {r}, which is gone:\n{k}");
    }
    assert!(listed.contains(&"network/baseline.yaml".to_string()), "{k}");
    // `check` (kubectl or not) names an entry whose file is missing.
    std::fs::remove_file(o.dir.join("network/extra.yaml")).unwrap();
    let a = wizard()
        .arg("check")
        .arg(&o.dir)
        .env("KUBECTL", "")
        .env("PATH", "")
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(
        out.contains("resource `network/extra.yaml` names a file that is not there"),
        "{out}"
    );
}
