//! End-to-end: the real binary in a real terminal (tmux), driven with keys.
//!
//! Skipped (with a line on stderr) only when tmux is not installed; CI installs it.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/tmux.rs"]
mod tmux;
use std::time::{Duration, Instant};
use tmux::{has_tmux, Tmux, BIN};

/// "Step N of M" on the screen.
fn step_of(screen: &str) -> (usize, usize) {
    let at = screen.find("Step ").expect("a step heading");
    let words: Vec<&str> = screen[at..].split_whitespace().take(4).collect();
    (
        words[1].parse().unwrap(),
        words[3].trim_end_matches(':').parse().unwrap(),
    )
}

/// Every file under `dir` (but the random evaluation secrets) with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.file_name().is_some_and(|n| n != "secrets.local.yaml") {
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The draft files under the data directory `data`.
fn drafts(data: &Path) -> Vec<PathBuf> {
    if !data.exists() {
        return Vec::new();
    }
    tree(data)
        .into_keys()
        .filter(|p| p.file_name().is_some_and(|n| n == "draft.json"))
        .collect()
}

/// Waits until the screen no longer shows `needle`; returns the screen.
fn wait_gone(t: &Tmux, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let s = t.screen();
        if !s.contains(needle) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{needle:?} did not go away:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// Sends Esc once the last key has landed (an Esc right after another reads as Alt-Esc).
fn esc(t: &Tmux) {
    std::thread::sleep(Duration::from_millis(150));
    t.send("Escape");
}

fn example(name: &str) -> String {
    format!("{}/assets/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"))
}

fn enter_through_every_step_writes_what_new_writes(name: &str) {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wizard-out");
    let answers = example(name);
    let t = Tmux::start(
        dir.path(),
        120,
        36,
        &["--answers", &answers, "--out", &out.display().to_string()],
    );
    let mut screen = t.wait_for("Step 1 of");
    loop {
        let (n, m) = step_of(&screen);
        t.send("Enter");
        if n == m {
            break;
        }
        screen = t.wait_for(&format!("Step {} of", n + 1));
    }
    assert_eq!(t.exit_code(), 0, "{name}: screen:\n{}", t.screen());
    let reference = dir.path().join("new-out");
    let status = Command::new(BIN)
        .args([
            "new",
            "--answers",
            &answers,
            "--out",
            &reference.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(status.status.success());
    let (got, want) = (tree(&out), tree(&reference));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{name}"
    );
    assert!(
        got == want,
        "{name}: the wizard wrote different bytes than `new --answers`"
    );
    assert!(
        drafts(&dir.path().join("data")).is_empty(),
        "a finished write clears the draft"
    );
}

#[test]
fn tmux_eks_production_enter_through_matches_new() {
    enter_through_every_step_writes_what_new_writes("eks-production");
}

#[test]
fn tmux_gke_regulated_enter_through_matches_new() {
    enter_through_every_step_writes_what_new_writes("gke-regulated");
}

#[test]
fn tmux_aks_private_enter_through_matches_new() {
    enter_through_every_step_writes_what_new_writes("aks-private");
}

#[test]
fn tmux_ctrl_c_restores_the_terminal_writes_nothing_and_the_draft_resumes() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let answers = example("eks-production");
    let t = Tmux::start(
        dir.path(),
        80,
        24,
        &["--answers", &answers, "--out", &out.display().to_string()],
    );
    t.wait_for("Step 1 of 9");
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    t.send("Enter");
    t.wait_for("Step 3 of 9: Endpoint exposure");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130);
    assert!(!out.exists(), "cancelling writes nothing");
    let stty = std::fs::read_to_string(dir.path().join("stty")).unwrap();
    let flags: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        flags.contains(&"echo") && flags.contains(&"icanon"),
        "terminal left raw:\n{stty}"
    );
    assert_eq!(
        t.tmux(&["display-message", "-p", "#{alternate_on}"]).trim(),
        "0",
        "alternate screen left on"
    );
    assert!(
        t.screen().contains("cancelled; nothing written"),
        "{}",
        t.screen()
    );
    drop(t);

    // The next start offers the draft and resumes where it stopped.
    let t = Tmux::start(dir.path(), 80, 24, &["--out", &out.display().to_string()]);
    t.wait_for("Resume draft");
    t.send("Enter");
    t.wait_for("Step 3 of 9: Endpoint exposure");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130);
    assert!(!out.exists());
}

#[test]
fn tmux_esc_closes_the_preview_goes_back_and_asks_before_quitting_from_the_first_step() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let answers = example("eks-production");
    let t = Tmux::start(
        dir.path(),
        80,
        24,
        &["--answers", &answers, "--out", &out.display().to_string()],
    );
    t.wait_for("Step 1 of 9");
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    t.send("Tab");
    t.wait_for("Tab Esc questions");
    esc(&t);
    let screen = wait_gone(&t, "Tab Esc questions");
    assert!(
        screen.contains("Step 2 of 9"),
        "Esc only closes the preview:\n{screen}"
    );
    esc(&t);
    t.wait_for("Step 1 of 9");
    esc(&t);
    t.wait_for("Quit the wizard?");
    t.send("n");
    let screen = wait_gone(&t, "Quit the wizard?");
    assert!(screen.contains("Step 1 of 9"), "{screen}");
    esc(&t);
    t.wait_for("Quit the wizard?");
    t.send("y");
    assert_eq!(t.exit_code(), 130);
    assert!(!out.exists(), "quitting writes nothing");
    assert_eq!(
        drafts(&dir.path().join("data")).len(),
        1,
        "the draft is kept"
    );
}

#[test]
fn tmux_after_a_resize_the_focused_field_stays_visible() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let answers = example("gke-regulated");
    let t = Tmux::start(
        dir.path(),
        120,
        36,
        &["--answers", &answers, "--out", &out.display().to_string()],
    );
    t.wait_for("Step 1 of 10");
    for n in 2..=6 {
        t.send("Enter");
        t.wait_for(&format!("Step {n} of 10"));
    }
    // Down to the controller's pod labels, below the egress questions.
    for _ in 0..30 {
        if t.screen().contains("› Controller pod labels") {
            break;
        }
        t.send("Down");
        std::thread::sleep(Duration::from_millis(60));
    }
    t.wait_for("› Controller pod labels");
    // Right after a resize tmux may show the old screen cropped: wait for the redraw, which
    // has the step title and the focused field.
    for (w, h) in [("80", "16"), ("70", "12")] {
        t.tmux(&["resize-window", "-x", w, "-y", h]);
        let start = Instant::now();
        loop {
            let s = t.screen();
            let width = s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            if s.contains("› Controller pod labels")
                && s.contains("Step 6 of 10")
                && width <= 70 + 10
            {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the focused field is not visible at {w}x{h}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    t.send("C-c");
    assert_eq!(t.exit_code(), 130);
}

#[test]
fn tmux_two_targets_keep_their_own_drafts() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let answers = example("eks-production");
    for (target, steps) in [("a", 2), ("b", 3)] {
        let out = dir.path().join(target).display().to_string();
        let t = Tmux::start(dir.path(), 80, 24, &["--answers", &answers, "--out", &out]);
        t.wait_for("Step 1 of 9");
        for n in 2..=steps {
            t.send("Enter");
            t.wait_for(&format!("Step {n} of 9"));
        }
        t.send("C-c");
        assert_eq!(t.exit_code(), 130);
    }
    assert_eq!(drafts(&dir.path().join("data")).len(), 2);
    let out = dir.path().join("a").display().to_string();
    let t = Tmux::start(dir.path(), 100, 24, &["--out", &out]);
    let screen = t.wait_for("Resume it?");
    assert!(screen.contains("Resume draft"), "{screen}");
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130);
}

#[test]
fn tmux_plain_mode_with_a_dumb_terminal_writes_what_new_writes() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plain-out");
    let answers = example("aks-private");
    let t = Tmux::start_env(
        dir.path(),
        100,
        30,
        "TERM=dumb",
        &["--answers", &answers, "--out", &out.display().to_string()],
    );
    t.wait_for("Step 1 of 9: Cloud");
    // Accept every prompt's default (the prefilled answer), then confirm the write.
    let start = Instant::now();
    while !dir.path().join("code").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "plain mode did not finish:\n{}",
            t.screen()
        );
        t.send("Enter");
        std::thread::sleep(Duration::from_millis(60));
    }
    assert_eq!(t.exit_code(), 0, "{}", t.screen());
    let reference = dir.path().join("new-out");
    Command::new(BIN)
        .args([
            "new",
            "--answers",
            &answers,
            "--out",
            &reference.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        tree(&out) == tree(&reference),
        "plain mode wrote different bytes than `new --answers`"
    );
}
