//! End-to-end: `caracal-wizard migrate DIR` full-screen in a real terminal (tmux), driven with keys.
//!
//! Skipped (with a line on stderr) only when tmux is not installed; CI installs it.

use std::process::Command;

#[path = "common/tmux.rs"]
mod tmux;
use tmux::{has_tmux, Tmux, BIN};

fn yaml_at(text: &str, path: &[&str]) -> Option<serde_yaml::Value> {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    path.iter().try_fold(doc, |cur, k| cur.get(*k).cloned())
}

#[test]
fn tmux_migrate_production_to_regulated_keeps_a_hand_edit_and_adds_the_audit_export() {
    if !has_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("overlay");
    let answers = format!(
        "{}/assets/examples/eks-production.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let ok = Command::new(BIN)
        .args(["new", "--answers", &answers, "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(ok.status.success());
    let values = dir.join("values.yaml");
    let text = std::fs::read_to_string(&values).unwrap();
    assert!(text.contains("services:\n  api:\n"));
    std::fs::write(
        &values,
        text.replacen(
            "services:\n  api:\n",
            "services:\n  api:\n    replicas: 5\n",
            1,
        ),
    )
    .unwrap();

    let t = Tmux::start(tmp.path(), 80, 24, &["migrate", &dir.display().to_string()]);
    t.wait_for("Target profile");
    t.send("Down");
    t.wait_for("→ regulated");
    t.send("Enter");
    t.wait_for("Audit export & retention");
    t.typed("https://s3.us-east-1.amazonaws.com");
    t.send("Down");
    t.typed("acme-caracal-audit");
    t.send("Down");
    t.typed("us-east-1");
    t.send("Enter");
    // Audit export needs egress to its object store: asked on this step, never a step back,
    // with the cursor on it.
    let screen = t.wait_for("› Object store");
    assert!(screen.contains("Step 1 of 2: Audit export"), "{screen}");
    t.typed("10.60.0.0/16");
    t.send("Enter");
    t.wait_for("What changes in the deployment");
    t.send("Enter");
    assert_eq!(t.exit_code(), 0, "{}", t.screen());
    assert!(t.screen().contains("Migrated"), "{}", t.screen());

    let written = std::fs::read_to_string(&values).unwrap();
    assert_eq!(
        yaml_at(&written, &["services", "api", "replicas"]),
        Some(5.into())
    );
    assert!(written.contains("AUDIT_EXPORT_S3_ENDPOINT"), "{written}");
    let answers = std::fs::read_to_string(dir.join("caracal-wizard.yaml")).unwrap();
    assert_eq!(yaml_at(&answers, &["profile"]), Some("regulated".into()));
    assert_eq!(
        yaml_at(&answers, &["auditExport", "bucket"]),
        Some("acme-caracal-audit".into())
    );
}

#[test]
fn tmux_migrate_escape_goes_back_then_quits_after_asking_writing_nothing() {
    if !has_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("overlay");
    let answers = format!(
        "{}/assets/examples/eks-production.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    Command::new(BIN)
        .args(["new", "--answers", &answers, "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    let before = std::fs::read(dir.join("values.yaml")).unwrap();
    let t = Tmux::start(
        tmp.path(),
        120,
        36,
        &["migrate", &dir.display().to_string()],
    );
    t.wait_for("Target profile");
    t.send("Enter");
    t.wait_for("Endpoint exposure");
    t.send("Escape");
    t.wait_for("Target profile");
    // A lone Esc right after another can be read as Alt-Esc: let the first one land.
    std::thread::sleep(std::time::Duration::from_millis(150));
    t.send("Escape");
    t.wait_for("Quit the wizard?");
    t.send("y");
    assert_eq!(t.exit_code(), 130);
    assert!(t.screen().contains("cancelled; nothing written"));
    assert_eq!(std::fs::read(dir.join("values.yaml")).unwrap(), before);
}
