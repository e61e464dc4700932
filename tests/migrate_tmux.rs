//! End-to-end: `caracal-wizard migrate DIR` full-screen in a real terminal (tmux), driven with keys.
//!
//! Skipped (with a line on stderr) only when tmux is not installed; CI installs it.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_caracal-wizard");

fn has_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("tmux not found: skipping the end-to-end terminal test");
    }
    ok
}

/// One tmux server on its own socket, running the binary in a pane.
struct Tmux {
    socket: String,
    dir: PathBuf,
}

impl Tmux {
    fn start(dir: &Path, w: u16, h: u16, args: &[&str]) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "cw-migrate-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!(
            "CARACAL_WIZARD_DATA_DIR='{data}' '{BIN}' {args}; echo $? > '{dir}/code.tmp'; mv '{dir}/code.tmp' '{dir}/code'; exec sleep 120",
            data = dir.join("data").display(),
            args = quoted.join(" "),
            dir = dir.display(),
        );
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args([
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                "sh",
                "-c",
                &script,
            ])
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        Tmux {
            socket,
            dir: dir.to_path_buf(),
        }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    fn send(&self, key: &str) {
        self.tmux(&["send-keys", key]);
    }

    fn typed(&self, text: &str) {
        self.tmux(&["send-keys", "-l", text]);
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {needle:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn exit_code(&self) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(code) = std::fs::read_to_string(self.dir.join("code")) {
                return code.trim().parse().unwrap();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the migration did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

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
    // Audit export needs egress to its object store: the wizard asks for it next.
    t.wait_for("Egress & ingress controller");
    t.typed("10.60.0.0/16");
    t.send("Enter");
    t.wait_for("Step 2 of 3: Audit export");
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
fn tmux_migrate_escape_writes_nothing_and_exits_130() {
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
    assert_eq!(t.exit_code(), 130);
    assert!(t.screen().contains("cancelled; nothing written"));
    assert_eq!(std::fs::read(dir.join("values.yaml")).unwrap(), before);
}
