//! Hostile input against the terminal (#11 items 9, 10, 14; #13 "Messages"): escape
//! sequences in answers and overlay files, signals, pastes, and every answers-file problem
//! said in the operator's words.
mod common;

#[path = "common/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tmux::{has_tmux, Tmux};

/// OSC 52: writes "hi" to the clipboard of the terminal that prints it.
const OSC52: &str = "\u{1b}]52;c;aGk=\u{7}";

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/examples/{name}.yaml"))
}

/// The wizard on the EKS production example, `extra` arguments first, in a 100×30 tmux pane
/// at step 1: the temporary directory, the `--out` it would write and the pane.
fn wizard_at_step_one(extra: &[&str]) -> (tempfile::TempDir, PathBuf, Tmux) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let answers = example("eks-production").display().to_string();
    let out_arg = out.display().to_string();
    let mut args = extra.to_vec();
    args.extend(["--answers", &answers, "--out", &out_arg]);
    let t = Tmux::start(dir.path(), 100, 30, &args);
    t.wait_for("Step 1 of 9");
    (dir, out, t)
}

fn cmd() -> assert_cmd::Command {
    let mut c = common::cmd();
    c.timeout(Duration::from_secs(60));
    c
}

/// The example's overlay written into `dir/o`, with `line` inserted after its README's
/// first line (a hand edit a cloned overlay could carry).
fn overlay_with_readme_line(dir: &Path, line: &str) -> PathBuf {
    let overlay = dir.join("o");
    cmd()
        .args(["new", "--answers"])
        .arg(example("eks-production"))
        .arg("--out")
        .arg(&overlay)
        .assert()
        .success();
    let readme = overlay.join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    std::fs::write(&readme, format!("{first}\n{line}\n{rest}")).unwrap();
    overlay
}

fn has_raw_control(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn an_escape_sequence_in_an_answer_is_refused_and_never_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    let text = std::fs::read_to_string(example("eks-production"))
        .unwrap()
        .replace(
            "domain: caracal.example.com",
            "domain: \"ex\\e]52;c;aGk=\\aample.com\"",
        );
    std::fs::write(&answers, text).unwrap();
    let out = cmd()
        .args(["new", "--answers"])
        .arg(&answers)
        .arg("--out")
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!has_raw_control(&out.stderr), "{:?}", out.stderr);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`domain`: contains the control character \\u{1b}"),
        "{err}"
    );
    assert!(!dir.path().join("o").exists(), "nothing written");
}

#[test]
fn sign_in_from_with_a_control_character_is_refused() {
    let out = cmd()
        .args(["preview", "--answers"])
        .arg(example("eks-production"))
        .args(["--set", "signIn.provider=github", "--set"])
        .arg(format!("signIn.from=acme{OSC52}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!has_raw_control(&out.stderr), "{:?}", out.stderr);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`signIn.from`: contains the control character"),
        "{err}"
    );
}

#[test]
fn migrate_dry_run_shows_a_hand_edit_with_an_escape_sequence_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = overlay_with_readme_line(dir.path(), &format!("{OSC52} hostile line"));
    let edited = std::fs::read_to_string(overlay.join("README.md")).unwrap();
    let out = cmd()
        .arg("migrate")
        .arg(&overlay)
        .args(["--profile", "private", "--dry-run", "--prefer", "theirs"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !has_raw_control(&out.stdout),
        "raw control bytes in the diff"
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("-\\u{1b}]52;c;aGk=\\u{7} hostile line"),
        "{shown}"
    );
    assert_eq!(
        std::fs::read_to_string(overlay.join("README.md")).unwrap(),
        edited,
        "a dry run writes nothing"
    );
}

#[test]
fn every_unknown_key_and_type_error_is_listed_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    std::fs::write(
        &answers,
        "cloud: eks\nsignin: {provider: github}\npostgres: {port: \"10.99.0.5/16\", hots: db}\nstorageclass: gp3\n",
    )
    .unwrap();
    let out = cmd()
        .args(["preview", "--answers"])
        .arg(&answers)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "4 problems",
        "`signin`: unknown key `signin`; did you mean `signIn`?",
        "`postgres.port`: must be a port number (1–65535); got \"10.99.0.5/16\"",
        "`postgres.hots`: unknown key `hots`; did you mean `host`?",
        "`storageclass`: unknown key `storageclass`; did you mean `storageClass`?",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    for serde_word in ["invalid type", "expected u32", "expected one of"] {
        assert!(!err.contains(serde_word), "{serde_word:?} in:\n{err}");
    }
}

#[test]
fn an_answers_file_starting_with_a_byte_order_mark_reads() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    let text = std::fs::read_to_string(example("eks-production")).unwrap();
    std::fs::write(&answers, format!("\u{feff}---\n{text}")).unwrap();
    cmd()
        .args(["preview", "--answers"])
        .arg(&answers)
        .assert()
        .success();
}

#[test]
fn ipv6_cidrs_in_a_set_list_are_read_as_a_list() {
    let out = cmd()
        .args(["preview", "--answers"])
        .arg(example("eks-production"))
        .args(["--file", "values.yaml"])
        .args([
            "--set",
            "ingressController.cidrs={fd00:10::/64,10.60.0.0/16}",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("is not a mapping") && !err.contains("map"),
        "{err}"
    );
    assert!(out.status.success(), "{err}");
}

/// The pane's terminal after the binary exited: cooked mode, main screen.
fn assert_restored(t: &Tmux, dir: &Path) {
    let stty = std::fs::read_to_string(dir.join("stty")).unwrap();
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
}

/// The binary's pid in the pane (the shell's child).
fn binary_pid(t: &Tmux) -> String {
    let shell = t.tmux(&["display-message", "-p", "#{pane_pid}"]);
    let start = Instant::now();
    loop {
        let out = std::process::Command::new("pgrep")
            .args(["-P", shell.trim()])
            .output()
            .unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !pid.is_empty() {
            return pid.lines().next().unwrap().to_string();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no binary running"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn signal_restores_the_terminal(signal: &str, number: i32, plain: bool) {
    if !has_tmux() {
        return;
    }
    let extra: &[&str] = if plain { &["--plain"] } else { &[] };
    let (dir, out, t) = wizard_at_step_one(extra);
    kill(signal, &binary_pid(&t));
    assert_eq!(t.exit_code(), 128 + number, "{}", t.screen());
    assert!(!out.exists(), "a signal writes nothing");
    assert_restored(&t, dir.path());
}

#[test]
fn tmux_sigterm_restores_the_full_screen_terminal_and_exits_143() {
    signal_restores_the_terminal("TERM", 15, false);
}

#[test]
fn tmux_sighup_restores_the_full_screen_terminal_and_exits_129() {
    signal_restores_the_terminal("HUP", 1, false);
}

#[test]
fn tmux_sigint_restores_the_full_screen_terminal_and_exits_130() {
    signal_restores_the_terminal("INT", 2, false);
}

#[test]
fn tmux_sigterm_restores_the_plain_prompt_terminal_and_exits_143() {
    signal_restores_the_terminal("TERM", 15, true);
}

#[test]
fn tmux_sigquit_restores_the_full_screen_terminal_and_exits_131() {
    signal_restores_the_terminal("QUIT", 3, false);
}

#[test]
fn tmux_sigusr1_restores_the_full_screen_terminal_and_exits_138() {
    signal_restores_the_terminal("USR1", 10, false);
}

#[test]
fn tmux_sigusr2_and_sigalrm_restore_the_terminal_and_exit_140_and_142() {
    signal_restores_the_terminal("USR2", 12, false);
    signal_restores_the_terminal("ALRM", 14, true);
}

#[test]
fn tmux_sigquit_restores_the_plain_prompt_terminal_and_exits_131() {
    signal_restores_the_terminal("QUIT", 3, true);
}

/// Sends `signal` to `pid`.
fn kill(signal: &str, pid: &str) {
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), pid])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Waits until `pid` is stopped (`true`) or running again (`false`).
fn wait_stopped(pid: &str, stopped: bool) {
    let start = Instant::now();
    loop {
        let out = std::process::Command::new("ps")
            .args(["-o", "stat=", "-p", pid])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&out.stdout).trim().starts_with('T') == stopped {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "stopped: {stopped}?"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// The pane's `#{alternate_on}` and `#{cursor_flag}`, once they are `alternate`, `cursor`.
fn wait_screen_mode(t: &Tmux, alternate: &str, cursor: &str) {
    let start = Instant::now();
    loop {
        let now = t.tmux(&["display-message", "-p", "#{alternate_on} #{cursor_flag}"]);
        if now.trim() == format!("{alternate} {cursor}") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "alternate screen, cursor: {now}; screen:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn tmux_sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again() {
    if !has_tmux() {
        return;
    }
    let (dir, out, t) = wizard_at_step_one(&[]);
    let pid = binary_pid(&t);
    kill("TSTP", &pid);
    wait_stopped(&pid, true);
    // Stopped: the main screen, the cursor shown, cooked mode, the wizard's frame gone.
    wait_screen_mode(&t, "0", "1");
    assert!(pane_cooked(&t), "stopped in raw mode");
    assert!(!t.screen().contains("Step 1 of 9"), "{}", t.screen());
    kill("CONT", &pid);
    wait_stopped(&pid, false);
    // Continued: the full screen again, redrawn whole, and keys work.
    wait_screen_mode(&t, "1", "0");
    t.wait_for("Step 1 of 9");
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130, "{}", t.screen());
    assert!(!out.exists());
    assert_restored(&t, dir.path());
}

/// Whether the pane's terminal is in cooked mode (`icanon` and `echo`), read with `stty -F`.
fn pane_cooked(t: &Tmux) -> bool {
    let tty = t.tmux(&["display-message", "-p", "#{pane_tty}"]);
    let out = std::process::Command::new("stty")
        .args(["-a", "-F", tty.trim()])
        .output()
        .unwrap();
    let stty = String::from_utf8_lossy(&out.stdout).into_owned();
    let flags: Vec<&str> = stty.split_whitespace().collect();
    flags.contains(&"icanon") && flags.contains(&"echo")
}

#[test]
fn tmux_sigtstp_gives_the_plain_prompts_terminal_back_and_sigcont_takes_it_again() {
    if !has_tmux() {
        return;
    }
    let (dir, out, t) = wizard_at_step_one(&["--plain"]);
    assert!(!pane_cooked(&t), "the prompt reads keys in raw mode");
    let pid = binary_pid(&t);
    kill("TSTP", &pid);
    wait_stopped(&pid, true);
    assert!(
        pane_cooked(&t),
        "stopped: the terminal is the shell's again"
    );
    kill("CONT", &pid);
    wait_stopped(&pid, false);
    let start = Instant::now();
    while pane_cooked(&t) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "raw mode not taken back"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130, "{}", t.screen());
    assert!(!out.exists());
    assert_restored(&t, dir.path());
}

#[test]
fn tmux_ctrl_c_at_the_plain_resume_prompt_quits() {
    if !has_tmux() {
        return;
    }
    // A first run leaves a draft behind (Ctrl-C at step 2).
    let (dir, out, t) = wizard_at_step_one(&[]);
    let out_arg = out.display().to_string();
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130);
    drop(t);
    let t = Tmux::start(dir.path(), 100, 30, &["--plain", "--out", &out_arg]);
    t.wait_for("Resume it?");
    t.send("C-c");
    assert_eq!(t.exit_code(), 130, "{}", t.screen());
    assert!(!out.exists(), "nothing written");
    assert!(
        !t.screen().contains("Step 1 of"),
        "went on:\n{}",
        t.screen()
    );
    assert_restored(&t, dir.path());
}

#[test]
fn tmux_an_8000_character_paste_is_taken_in_well_under_a_second() {
    if !has_tmux() {
        return;
    }
    let (_dir, _out, t) = wizard_at_step_one(&[]);
    t.send("Enter");
    t.wait_for("Step 2 of 9");
    // The release name: paste 8,000 characters, then Enter, which says the name is wrong
    // once everything before it is taken.
    t.send("Down");
    let text = "a".repeat(8_000);
    t.tmux(&["set-buffer", "--", &text]);
    let start = Instant::now();
    t.tmux(&["paste-buffer", "-p"]);
    t.send("Enter");
    let screen = t.wait_for("Fix the marked answers");
    let took = start.elapsed();
    assert!(
        screen.contains(&"a".repeat(30)),
        "the paste is not in the field:\n{screen}"
    );
    t.send("C-c");
    assert_eq!(t.exit_code(), 130);
    assert!(took < Duration::from_secs(1), "the paste took {took:?}");
}

/// Format characters (bidi marks, zero-width) and line separators: invisible on a
/// terminal, or reordering what is shown (#11).
const INVISIBLE: [char; 7] = [
    '\u{200e}', '\u{200f}', '\u{61c}', '\u{2028}', '\u{2029}', '\u{85}', '\u{200b}',
];

fn has_raw_invisible(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| INVISIBLE.contains(&c) || (c.is_control() && c != '\n' && c != '\t'))
}

#[test]
fn invisible_characters_in_answers_are_refused_at_their_key() {
    for c in INVISIBLE {
        for (set, key) in [
            (format!("signIn.clientId=Iv1.ab{c}cd"), "signIn.clientId"),
            (
                format!("signIn.operators=[ops{c}@example.com]"),
                "signIn.operators[0]",
            ),
            (
                format!("ingressController.podLabels.app=ingress{c}nginx"),
                "ingressController.podLabels.app",
            ),
            (
                format!("ingressController.podLabels.a{c}b=x"),
                "ingressController.podLabels.a",
            ),
            (
                format!("gitopsRepo.path=clusters/{c}prod"),
                "gitopsRepo.path",
            ),
        ] {
            let out = cmd()
                .args(["preview", "--answers"])
                .arg(example("eks-production"))
                .args(["--set", "signIn.provider=github", "--set", &set])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{set:?}");
            assert!(!has_raw_invisible(&out.stderr), "{set:?}: {:?}", out.stderr);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(&format!("`{key}")), "{set:?}: {err}");
            // YAML folds a NEL inside a flow list into a space, refused as one.
            if c != '\u{85}' || !set.contains('[') {
                assert!(
                    err.contains(&c.escape_unicode().to_string()),
                    "{set:?}: {err}"
                );
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn check_and_migrate_show_invisible_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let hostile: String = INVISIBLE.iter().collect();
    let overlay = overlay_with_readme_line(dir.path(), &format!("x{hostile}y hostile line"));
    let out = cmd()
        .arg("migrate")
        .arg(&overlay)
        .args(["--profile", "private", "--dry-run", "--prefer", "theirs"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !has_raw_invisible(&out.stdout),
        "raw invisible characters in the diff"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("x\\u{200e}\\u{200f}"));
    // A name in the overlay reaches `check`'s message as it is on disk.
    std::os::unix::fs::symlink(".", overlay.join(format!("a{hostile}b"))).unwrap();
    let out = cmd().arg("check").arg(&overlay).output().unwrap();
    assert!(!out.status.success());
    assert!(!has_raw_invisible(&out.stdout) && !has_raw_invisible(&out.stderr));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("a\\u{200e}\\u{200f}"), "{all}");
}
