//! A tmux harness for the end-to-end terminal tests: one server per test on its own socket.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_caracal-wizard");

pub fn has_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("tmux not found: skipping the end-to-end terminal test");
    }
    ok
}

/// One tmux server on its own socket, running one command in a pane.
pub struct Tmux {
    socket: String,
    dir: PathBuf,
}

impl Tmux {
    /// Starts `args` of the binary in a `w`×`h` pane; exit code and `stty -a` land in `dir`.
    pub fn start(dir: &Path, w: u16, h: u16, args: &[&str]) -> Self {
        Self::start_env(dir, w, h, "", args)
    }

    /// As [`Tmux::start`], with `env` (`VAR=value …`) before the command.
    pub fn start_env(dir: &Path, w: u16, h: u16, env: &str, args: &[&str]) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "cw-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!(
            "{env} CARACAL_WIZARD_DATA_DIR='{data}' '{BIN}' {args}; echo $? > '{dir}/code.tmp'; stty -a > '{dir}/stty'; mv '{dir}/code.tmp' '{dir}/code'; exec sleep 120",
            data = dir.join("data").display(),
            args = quoted.join(" "),
            dir = dir.display(),
        );
        let _ = std::fs::remove_file(dir.join("code"));
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

    /// Runs a tmux command against this server; returns its stdout.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    pub fn send(&self, key: &str) {
        self.tmux(&["send-keys", key]);
    }

    /// Types `text` literally.
    pub fn typed(&self, text: &str) {
        self.tmux(&["send-keys", "-l", text]);
    }

    /// Waits until the screen shows `needle`; returns the screen.
    pub fn wait_for(&self, needle: &str) -> String {
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

    /// Waits for the binary to exit; returns its exit code.
    pub fn exit_code(&self) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(code) = std::fs::read_to_string(self.dir.join("code")) {
                return code.trim().parse().unwrap();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the binary did not exit; screen:\n{}",
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
