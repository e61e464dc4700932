//! Hostile overlays (#11): an overlay cloned from another team controls every file in it
//! and its answers file. Each test states what the operator keeps: files outside the
//! overlay, hand edits, the only copy of the local secrets, and a run that ends.
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    common::fixtures().join(format!("{name}.yaml"))
}

/// Runs the binary with `args`, no stdin, and fails the test if it is still running after
/// 10 s (it is killed): a hostile overlay must never hang a command.
fn run(args: &[&std::ffi::OsStr]) -> Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("caracal-wizard"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().expect("kill");
            let _ = child.wait();
            panic!("caracal-wizard {args:?} still running after 10 s: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn os<'a>(args: &'a [&'a str]) -> Vec<&'a std::ffi::OsStr> {
    args.iter().map(std::ffi::OsStr::new).collect()
}

fn new(answers: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["new".as_ref(), "--answers".as_ref(), answers.as_os_str()];
    args.extend(["--out".as_ref(), out.as_os_str()]);
    args.extend(os(extra));
    run(&args)
}

fn migrate(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["migrate".as_ref(), dir.as_os_str()];
    args.extend(os(extra));
    run(&args)
}

fn check(dir: &Path) -> Output {
    run(&["check".as_ref(), dir.as_os_str()])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 2 (a refusal), with stderr naming `what`.
fn assert_refused(o: &Output, what: &str) {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    assert!(
        stderr(o).contains(what),
        "stderr names {what}: {}",
        stderr(o)
    );
}

/// A fresh eks-production overlay in `tmp/o`.
fn overlay(tmp: &Path, fixture_name: &str) -> PathBuf {
    let out = tmp.join("o");
    let o = new(&fixture(fixture_name), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

const EMPTY_DIGEST: &str =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Adds `key: digest` to the `digests` recorded in the overlay's answers file.
fn record(out: &Path, key: &str, digest: &str) {
    let path = out.join("caracal-wizard.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\ndigests:\n"));
    text.push_str(&format!("  {key:?}: {digest}\n"));
    std::fs::write(&path, text).unwrap();
}

#[test]
fn recorded_paths_outside_the_overlay_are_never_deleted() {
    for command in ["new", "migrate"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = overlay(tmp.path(), "eks-production");
        let relative = tmp.path().join("victim.txt");
        let absolute = tmp.path().join("absolute-victim.txt");
        std::fs::write(&relative, "").unwrap();
        std::fs::write(&absolute, "").unwrap();
        record(&out, "../victim.txt", EMPTY_DIGEST);
        record(&out, absolute.to_str().unwrap(), EMPTY_DIGEST);
        let o = match command {
            "new" => new(&fixture("eks-production"), &out, &["--force"]),
            _ => migrate(
                &out,
                &["--profile", "private", "--yes", "--prefer", "theirs"],
            ),
        };
        assert!(relative.exists(), "{command} deleted ../victim.txt");
        assert!(absolute.exists(), "{command} deleted an absolute path");
        assert_refused(&o, "is not a file caracal-wizard writes");
    }
}

#[test]
fn a_hand_edited_file_that_is_not_utf8_counts_as_edited() {
    for command in ["new", "migrate"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = overlay(tmp.path(), "eks-production");
        let mut edit = std::fs::read(out.join("values.yaml")).unwrap();
        edit.extend_from_slice(b"# caf\xe9 latin-1 comment\n");
        std::fs::write(out.join("values.yaml"), &edit).unwrap();
        let o = match command {
            "new" => new(&fixture("eks-production"), &out, &[]),
            _ => migrate(
                &out,
                &["--profile", "private", "--yes", "--prefer", "theirs"],
            ),
        };
        assert_eq!(
            std::fs::read(out.join("values.yaml")).unwrap(),
            edit,
            "{command} kept the edit"
        );
        assert_refused(&o, "values.yaml");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_values_file_is_refused_not_read_into_the_overlay() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let kubeconfig = tmp.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\ntoken: s3cr3t-token\n",
    )
    .unwrap();
    std::fs::remove_file(out.join("values.yaml")).unwrap();
    std::os::unix::fs::symlink(&kubeconfig, out.join("values.yaml")).unwrap();
    let o = migrate(&out, &["--profile", "private", "--yes", "--prefer", "ours"]);
    assert_refused(&o, "symbolic link");
    assert!(std::fs::symlink_metadata(out.join("values.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
    // (read_tree follows the link itself: every other file must not hold its target.)
    for (path, bytes) in common::read_tree(&out)
        .into_iter()
        .filter(|(p, _)| p != "values.yaml")
    {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("s3cr3t-token"),
            "{path}"
        );
    }
    let o = new(&fixture("eks-production"), &out, &["--force"]);
    assert_refused(&o, "symbolic link");
}

#[cfg(unix)]
#[test]
fn a_symlinked_subdirectory_is_not_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::rename(out.join("external-secrets"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("external-secrets")).unwrap();
    let before = common::read_tree(&elsewhere);
    let o = new(
        &fixture("eks-production"),
        &out,
        &["--force", "--set", "namespace=caracal-b"],
    );
    assert_refused(&o, "symbolic link");
    assert_eq!(common::read_tree(&elsewhere), before);
}

#[cfg(unix)]
#[test]
fn migrate_dry_run_does_not_print_a_symlinked_files_target() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let secret = tmp.path().join("id_rsa");
    std::fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY----- s3cr3t\n").unwrap();
    std::fs::remove_file(out.join("README.md")).unwrap();
    std::os::unix::fs::symlink(&secret, out.join("README.md")).unwrap();
    let o = migrate(&out, &["--profile", "private", "--dry-run"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("s3cr3t"));
    assert_refused(&o, "README.md");
}

#[test]
fn a_rerun_after_a_failed_write_finishes_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    // Something in the way of one file makes the write fail part-way (or be refused).
    std::fs::remove_file(out.join("kustomization.yaml")).unwrap();
    std::fs::create_dir_all(out.join("kustomization.yaml/in-the-way")).unwrap();
    let moved = ["--set", "namespace=caracal-b"];
    let o = new(&fixture("eks-production"), &out, &moved);
    assert!(!o.status.success());
    std::fs::remove_dir_all(out.join("kustomization.yaml")).unwrap();
    let o = new(&fixture("eks-production"), &out, &moved);
    assert!(
        o.status.success(),
        "the re-run needs no --force: {}",
        stderr(&o)
    );
    let fresh = tmp.path().join("fresh");
    assert!(new(&fixture("eks-production"), &fresh, &moved)
        .status
        .success());
    assert_eq!(common::read_tree(&out), common::read_tree(&fresh));
}

/// Every file recorded in the overlay's answers file has the recorded digest.
fn assert_consistent(out: &Path) {
    let text = std::fs::read_to_string(out.join("caracal-wizard.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let digests = doc["digests"].as_mapping().unwrap();
    for (k, v) in digests {
        let k = k.as_str().unwrap();
        let bytes = std::fs::read(out.join(k)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let sha: String = {
            use sha2::Digest as _;
            sha2::Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        assert_eq!(
            v.as_str().unwrap(),
            format!("sha256:{sha}"),
            "{k} is from another run"
        );
    }
}

#[test]
fn concurrent_runs_leak_no_staging_and_never_mix_files() {
    let tmp = tempfile::tempdir().unwrap();
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(tmp.path())
        .status()
        .is_ok_and(|s| s.success());
    for round in 0..4 {
        let out = tmp.path().join(format!("o{round}"));
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let out = out.clone();
                std::thread::spawn(move || {
                    let ns = format!("namespace=caracal-{i}");
                    new(&fixture("eks-evaluation"), &out, &["--force", "--set", &ns])
                })
            })
            .collect();
        for h in handles {
            let o = h.join().unwrap();
            let code = o.status.code();
            assert!(
                code == Some(0)
                    || (code == Some(2)
                        && stderr(&o).contains("another caracal-wizard is writing")),
                "a concurrent run succeeds or is told another is writing: {code:?} {}",
                stderr(&o)
            );
        }
        assert_consistent(&out);
    }
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".git")
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with('o')),
        "staging left beside: {names:?}"
    );
    if git {
        let added = Command::new("git")
            .args(["add", "--dry-run", "-A", "."])
            .current_dir(tmp.path())
            .output()
            .unwrap();
        let added = String::from_utf8_lossy(&added.stdout);
        assert!(
            !added.contains("secrets.local.yaml"),
            "git add takes: {added}"
        );
        assert!(
            !added.contains(".caracal-wizard-"),
            "git add takes: {added}"
        );
    }
}

#[test]
fn a_stale_work_directory_of_a_killed_run_is_cleared_and_ignored_by_git() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    let stale = out.join(".caracal-wizard-work/stage");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("secrets.local.yaml"), "secrets: {}\n").unwrap();
    let o = new(
        &fixture("eks-evaluation"),
        &out,
        &["--set", "namespace=caracal-b"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join(".caracal-wizard-work").exists());
}

fn secrets_path(out: &Path) -> PathBuf {
    out.join("secrets.local.yaml")
}

#[test]
fn completing_local_secrets_keeps_comments_and_other_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    let text = std::fs::read_to_string(secrets_path(&out)).unwrap();
    let mut edited: Vec<String> = text
        .lines()
        .filter(|l| !l.contains("redisPassword") && !l.contains("metricsBearer"))
        .map(str::to_string)
        .collect();
    edited.insert(0, "# rotated by ops on 2024-05-01, ask #platform".into());
    let at = edited
        .iter()
        .position(|l| l.trim() == "plaintext:")
        .unwrap();
    edited.insert(at + 1, "    myOwnToken: keep-me # mine".into());
    edited.push("other:\n  keep: [1, 2]".into());
    let edited = edited.join("\n") + "\n";
    std::fs::write(secrets_path(&out), &edited).unwrap();
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let now = std::fs::read_to_string(secrets_path(&out)).unwrap();
    let added: Vec<&str> = now
        .lines()
        .filter(|l| !edited.lines().any(|e| e == *l))
        .collect();
    assert_eq!(added.len(), 2, "{now}");
    assert!(added
        .iter()
        .all(|l| l.starts_with("    redisPassword: ") || l.starts_with("    metricsBearer: ")));
    let kept: Vec<&str> = now.lines().filter(|l| !added.contains(l)).collect();
    assert_eq!(
        kept,
        edited.lines().collect::<Vec<_>>(),
        "every other byte kept"
    );
}

#[test]
fn local_secrets_in_an_unusual_layout_are_refused_not_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    let edited = "# flow style\nsecrets: {plaintext: {postgresPassword: pw}}\n";
    std::fs::write(secrets_path(&out), edited).unwrap();
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert_refused(&o, "secrets.local.yaml");
    assert!(stderr(&o).contains("redisPassword"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(secrets_path(&out)).unwrap(), edited);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_overlay_hangs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    std::fs::remove_file(out.join("values.yaml")).unwrap();
    let made = Command::new("mkfifo")
        .arg(out.join("values.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    assert_refused(&check(&out), "values.yaml");
    assert_refused(
        &new(&fixture("eks-production"), &out, &["--force"]),
        "values.yaml",
    );
    assert_refused(
        &migrate(
            &out,
            &["--profile", "private", "--yes", "--prefer", "theirs"],
        ),
        "values.yaml",
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    std::os::unix::fs::symlink(".", out.join("a")).unwrap();
    std::os::unix::fs::symlink(".", out.join("b")).unwrap();
    assert_refused(&check(&out), "symbolic link");
}

#[test]
fn huge_answers_and_overlay_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.yaml");
    let mut text = std::fs::read_to_string(fixture("eks-production")).unwrap();
    text.push_str("extra:\n");
    while text.len() < 50 << 20 {
        text.push_str("  - [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t]\n");
    }
    std::fs::write(&big, &text).unwrap();
    let o = new(&big, &tmp.path().join("never"), &[]);
    assert_refused(&o, "big.yaml");
    assert!(stderr(&o).contains("larger than"), "{}", stderr(&o));
    let out = overlay(tmp.path(), "eks-production");
    std::fs::write(out.join("values.yaml"), &text).unwrap();
    let o = new(&fixture("eks-production"), &out, &["--force"]);
    assert_refused(&o, "larger than");
    assert_refused(&check(&out), "larger than");
}

#[test]
fn out_below_a_regular_file_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let o = new(&fixture("eks-production"), &file.join("overlay"), &[]);
    assert_refused(&o, "notes.txt");
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
}

#[test]
fn every_file_the_wizard_renders_is_an_overlay_path() {
    use caracal_wizard::overlay_dir::OverlayPath;
    for (cloud, profile) in common::combos() {
        let text = common::answers_text(cloud, profile);
        let repo = [
            "gitopsRepo.url=https://github.com/acme/fleet.git",
            "gitopsRepo.path=c/caracal",
        ];
        let argocd = [&["gitops=argocd"][..], &repo].concat();
        let flux = [&["gitops=flux"][..], &repo].concat();
        let variants: Vec<&[&str]> = if profile == "evaluation" {
            vec![&[]]
        } else {
            vec![&[], &argocd, &flux]
        };
        for gitops in variants {
            for path in common::build(&text, gitops).files.keys() {
                let rel = OverlayPath::try_from(path.as_str());
                assert!(rel.is_ok(), "{cloud}/{profile} {gitops:?}: {path}");
            }
        }
    }
}

/// `new` with `sets` refused with exit 2 naming `key`, writing nothing.
fn assert_set_refused(fixture_name: &str, sets: &[&str], key: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let mut extra = Vec::new();
    for s in sets {
        extra.extend(["--set", s]);
    }
    let o = new(&fixture(fixture_name), &out, &extra);
    assert_refused(&o, key);
    assert!(!out.exists(), "nothing is written for {sets:?}");
}

#[test]
fn urls_that_could_break_out_of_yaml_or_markdown_are_refused() {
    for url in [
        "https://s3.example.com/\nscheduling:\n  priorityClassName: x",
        "https://s3.example.com/\u{2028}scheduling:",
        "https://s3.example.com/ x",
        "https://s3.example.com/a|b",
        "https://user:pw@s3.example.com",
        "https://s3.example.com`x`",
        "http://s3.example.com",
    ] {
        let set = format!("auditExport.endpoint={url}");
        assert_set_refused("eks-regulated", &[&set], "auditExport.endpoint");
    }
}

#[test]
fn a_key_prefix_that_reads_as_an_option_is_refused_in_every_profile() {
    assert_set_refused(
        "eks-production",
        &["secretStore.keyPrefix=-x/"],
        "secretStore.keyPrefix",
    );
    assert_set_refused(
        "eks-evaluation",
        &["secretStore.keyPrefix=--profile=evil/"],
        "secretStore.keyPrefix",
    );
}

#[test]
fn egress_cidrs_that_together_cover_everything_are_refused() {
    assert_set_refused(
        "eks-regulated",
        &["egress.other=[0.0.0.0/1,128.0.0.0/1]"],
        "egress.other",
    );
    assert_set_refused(
        "eks-regulated",
        &["egress.other=[::/1,8000::/1]"],
        "egress.other",
    );
    assert_set_refused(
        "eks-regulated",
        &["dns.mode=cidr", "dns.cidr=0.0.0.0/1"],
        "dns.cidr",
    );
}

#[test]
fn check_refuses_hand_edited_egress_halves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-regulated");
    let path = out.join("values.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (head, tail) = text
        .split_once("  extraEgress:\n")
        .expect("extraEgress in values");
    let halves = "  extraEgress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/1\n    ports:\n    - protocol: TCP\n      port: 443\n  - to:\n    - ipBlock:\n        cidr: 128.0.0.0/1\n    ports:\n    - protocol: TCP\n      port: 443\n";
    std::fs::write(&path, format!("{head}{halves}{tail}")).unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("every IPv4 address"), "{stdout}");
}

#[test]
fn ipv4_written_as_ipv6_is_all_of_ipv4_in_regulated() {
    // (`{a,b}` is a --set list; `[::…]` is not YAML.)
    for (set, why) in [
        (
            "egress.other={::ffff:0.0.0.0/96}",
            "opens egress to everywhere",
        ),
        ("egress.other={::ffff:0:0/96}", "opens egress to everywhere"),
        ("egress.other={64:ff9b::/96}", "opens egress to everywhere"),
        ("egress.other={::/80}", "opens egress to everywhere"),
        (
            "egress.other={::ffff:0.0.0.0/97,128.0.0.0/1}",
            "every IPv4 address",
        ),
        (
            "egress.other={::/1,8000::/1}",
            "`::/1` opens egress to everywhere",
        ),
        (
            "ingressController.cidrs={::ffff:0.0.0.0/96}",
            "lets any source",
        ),
    ] {
        assert_set_refused("eks-regulated", &[set], why);
    }
    assert_set_refused(
        "eks-regulated",
        &["dns.mode=cidr", "dns.cidr=::ffff:0.0.0.0/96"],
        "dns.cidr",
    );
    // A hand-edited overlay: `check` says it covers every IPv4 address.
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-regulated");
    let path = out.join("values.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (head, tail) = text.split_once("  extraEgress:\n").expect("extraEgress");
    let mapped = "  extraEgress:\n  - to:\n    - ipBlock:\n        cidr: ::ffff:0.0.0.0/96\n    ports:\n    - protocol: TCP\n      port: 443\n";
    std::fs::write(&path, format!("{head}{mapped}{tail}")).unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("every IPv4 address"), "{stdout}");
}

#[test]
fn yaml11_words_stay_strings_and_check_flags_them_unquoted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = new(
        &fixture("eks-production"),
        &out,
        &["--set", "storageClass=no"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let values = std::fs::read_to_string(out.join("values.yaml")).unwrap();
    assert!(values.contains("storageClassName: 'no'"), "{values}");
    assert!(!values.contains("storageClassName: no\n"), "{values}");
    let answers = std::fs::read_to_string(out.join("caracal-wizard.yaml")).unwrap();
    assert!(answers.contains("storageClass: 'no'"), "{answers}");
    assert!(check(&out).status.success());
    // However the hand edit is spaced or commented (#B: only `key: word` was recognised).
    for edit in [
        "storageClassName: no",
        "storageClassName: no # class",
        "storageClassName:\tno",
        "storageClassName:    NO",
        "storageClassName: no  ",
        "storageClassName: 0b1",
        "storageClassName: 0o17",
        "storageClassName: 2024-01-01",
    ] {
        std::fs::write(
            out.join("values.yaml"),
            values.replace("storageClassName: 'no'", edit),
        )
        .unwrap();
        let o = check(&out);
        assert_eq!(o.status.code(), Some(1), "{edit:?}: {}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        // A tab is shown as `\t` on the terminal.
        let shown = edit.trim().replace('\t', "\\t");
        assert!(
            stdout.contains("YAML 1.1") && stdout.contains(&shown),
            "{edit:?}: {stdout}"
        );
    }
    for edit in [
        "storageClassName: \"no\"",
        "storageClassName: no-such-class",
        "storageClassName: gp3 # no",
    ] {
        std::fs::write(
            out.join("values.yaml"),
            values.replace("storageClassName: 'no'", edit),
        )
        .unwrap();
        let o = check(&out);
        assert!(
            o.status.success(),
            "{edit:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
    }
}

#[test]
fn a_negated_gitignore_line_exposing_the_local_secrets_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    assert!(check(&out).status.success());
    let path = out.join(".gitignore");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("!secrets.local.yaml\n");
    std::fs::write(&path, text).unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("`!secrets.local.yaml` re-includes it"),
        "{stdout}"
    );
}

/// Runs `git ARGS` in `dir`; `None` when git is not installed (the test then has nothing to check).
fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    Some(o)
}

/// Every file under `dir` with its bytes, for "nothing was written".
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A repository in `tmp/r` holding an evaluation overlay `ovl` whose `secrets.local.yaml`
/// (one hand-written key) was committed with `git add -f`; `None` without git.
fn repo_with_tracked_secrets(tmp: &Path) -> Option<PathBuf> {
    let repo = tmp.join("r");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"])?;
    let out = repo.join("ovl");
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(
        secrets_path(&out),
        "# Temporary credentials for this evaluation.\nsecrets:\n  plaintext:\n    note: fill-me\n",
    )
    .unwrap();
    git(&repo, &["add", "."])?;
    git(&repo, &["add", "-f", "ovl/secrets.local.yaml"])?;
    git(&repo, &["commit", "-qm", "overlay from team A"])?;
    Some(out)
}

#[test]
fn a_tracked_local_secrets_file_is_never_completed_and_check_flags_it() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(out) = repo_with_tracked_secrets(tmp.path()) else {
        eprintln!("git is not installed: skipped");
        return;
    };
    let before = snapshot(&out);
    let o = new(&out.join("caracal-wizard.yaml"), &out, &[]);
    assert_refused(&o, "secrets.local.yaml is tracked by Git");
    assert!(
        stderr(&o).contains("git rm --cached secrets.local.yaml"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&out), before, "nothing written");
    let o = new(&out.join("caracal-wizard.yaml"), &out, &["--force"]);
    assert_refused(&o, "secrets.local.yaml is tracked by Git");
    assert_eq!(snapshot(&out), before, "nothing written, even forced");
    let o = new(&out.join("caracal-wizard.yaml"), &out, &["--dry-run"]);
    assert_refused(&o, "secrets.local.yaml is tracked by Git");

    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("tracked by Git"), "{stdout}");

    // Untracked (and committed so), the file is completed as before.
    let repo = out.parent().unwrap();
    git(repo, &["rm", "-q", "--cached", "ovl/secrets.local.yaml"]).unwrap();
    git(repo, &["commit", "-qm", "untrack"]).unwrap();
    let o = new(&out.join("caracal-wizard.yaml"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(secrets_path(&out))
        .unwrap()
        .contains("redisPassword"));
    assert!(check(&out).status.success());
    git(repo, &["add", "."]).unwrap();
    let status = git(repo, &["status", "--short"]).unwrap();
    assert!(
        !String::from_utf8_lossy(&status.stdout).contains("secrets.local.yaml"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[test]
fn a_tracked_local_secrets_file_is_refused_when_its_directory_is_gone_or_migrated_to() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(out) = repo_with_tracked_secrets(tmp.path()) else {
        eprintln!("git is not installed: skipped");
        return;
    };
    // Deleted from the disk, still in the index: a new overlay there would be committed.
    std::fs::remove_dir_all(&out).unwrap();
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert_refused(&o, "secrets.local.yaml is tracked by Git");
    assert!(!out.exists(), "nothing written");

    // A production overlay migrated to evaluation over a tracked leftover.
    let o = new(&fixture("eks-production"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(secrets_path(&out), "secrets:\n  plaintext:\n").unwrap();
    let before = snapshot(&out);
    let o = migrate(&out, &["--profile", "evaluation", "--yes"]);
    assert_refused(&o, "secrets.local.yaml is tracked by Git");
    assert_eq!(snapshot(&out), before, "nothing written");
}

#[cfg(unix)]
#[test]
fn check_dir_itself_does_not_follow_links_or_open_fifos() {
    let catalog = caracal_wizard::catalog::Catalog::builtin().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    std::os::unix::fs::symlink(".", out.join("a")).unwrap();
    std::os::unix::fs::symlink(".", out.join("b")).unwrap();
    let made = Command::new("mkfifo")
        .arg(out.join("notes.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    let start = Instant::now();
    let findings = caracal_wizard::check::check_dir(&out, &catalog).unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    let files: Vec<&str> = findings.iter().map(|f| f.file.as_str()).collect();
    assert!(
        files.contains(&"a") && files.contains(&"notes.yaml"),
        "{findings:?}"
    );
    std::fs::remove_file(out.join("values.yaml")).unwrap();
    Command::new("mkfifo")
        .arg(out.join("values.yaml"))
        .status()
        .unwrap();
    let start = Instant::now();
    assert!(caracal_wizard::check::check_dir(&out, &catalog).is_err());
    assert!(start.elapsed() < Duration::from_secs(10));
}

/// Values at the edge of what each answer accepts, each holding a marker the README checks
/// below look for; `gitops` adds a GitOps hand-off (none for an evaluation).
fn edge_answers(gitops: Option<(&str, &str)>) -> Vec<String> {
    let mut sets = vec![
        "namespace=nsmark1".to_string(),
        "release=relmark1".into(),
        "domain=dommark1.example".into(),
        "chart.ref=oci://localhost:5000/a_b.c-d/chartmark1".into(),
        "chart.version=1.2.3-rc.1".into(),
        "auditExport.endpoint=https://s3.mark1.example/a%20b~c/d-e_f.g".into(),
        "auditExport.bucket=bucketmark1".into(),
        "auditExport.region=regionmark1".into(),
        "egress.objectStore=[10.61.0.0/16]".into(),
        "storageClass=scmark1".into(),
        "secretStore.keyPrefix=prefixmark1-".into(),
        "monitoring.otlpEndpoint=http://otel.mark1.example:4318".into(),
    ];
    if let Some((tool, url)) = gitops {
        sets.push(format!("gitops={tool}"));
        sets.push(format!("gitopsRepo.url={url}"));
        sets.push("gitopsRepo.path=clusters/path_mark1".into());
        sets.push("gitopsRepo.revision=refs/tags/v1.0.0".into());
    }
    sets
}

/// The markers of [`edge_answers`], each of which the README may show only in code.
const MARKERS: [&str; 13] = [
    "nsmark1",
    "dommark1",
    "relmark1",
    "chartmark1",
    "s3.mark1.example",
    "bucketmark1",
    "regionmark1",
    "scmark1",
    "prefixmark1",
    "otel.mark1.example",
    "fleetmark",
    "path_mark1",
    "1.2.3-rc.1",
];

/// The GitOps variants every production-like fixture is also rendered with.
const GITOPS_VARIANTS: [(&str, &str); 3] = [
    (
        "argocd",
        "ssh://git@git.mark1.example:2222/a.b_c-d/fleetmark1.git",
    ),
    ("argocd", "https://git.mark3.example/acme/fleetmark3.git"),
    ("flux", "git@gitmark2.example:acme/fleetmark2.git"),
];

/// The overlay of fixture `fixture_name` with `sets`, built in-process; `None` when the
/// answers are refused.
fn build_fixture(
    fixture_name: &str,
    sets: &[String],
) -> Option<caracal_wizard::render::RenderedTree> {
    let text = std::fs::read_to_string(fixture(fixture_name)).unwrap();
    build_text(&text, sets)
}

/// The overlay of answers `text` with `sets`; `None` when the answers are refused.
fn build_text(text: &str, sets: &[String]) -> Option<caracal_wizard::render::RenderedTree> {
    let answers = caracal_wizard::answers::Answers::parse("t.yaml", text, sets).ok()?;
    let catalog = caracal_wizard::catalog::Catalog::builtin().unwrap();
    let templates = caracal_wizard::render::Templates::builtin().unwrap();
    caracal_wizard::build(&answers, &catalog, &templates)
        .ok()
        .map(|(_, tree)| tree)
}

/// Every fixture rendered with [`edge_answers`] (and its GitOps variants): the README of
/// each, with a name saying which.
fn edge_readmes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (cloud, profile) in common::combos() {
        let fixture_name = format!("{cloud}-{profile}");
        let mut variants = vec![None];
        if profile != "evaluation" {
            variants.extend(GITOPS_VARIANTS.map(Some));
        }
        for gitops in variants {
            let tree = build_fixture(&fixture_name, &edge_answers(gitops))
                .unwrap_or_else(|| panic!("{fixture_name} {gitops:?} is refused"));
            out.push((
                format!("{fixture_name} {gitops:?}"),
                tree.files["README.md"].clone(),
            ));
        }
    }
    out
}

/// The ```sh blocks of `readme`, dedented (some are inside list items).
fn sh_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in readme.lines() {
        let indent = line.len() - line.trim_start().len();
        match (&mut current, line.trim()) {
            (None, "```sh") => current = Some((indent, String::new())),
            (Some(_), "```") => blocks.push(current.take().map(|(_, b)| b).unwrap_or_default()),
            (Some((i, b)), _) => {
                b.push_str(line.get(*i..).unwrap_or(line.trim_start()));
                b.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Whether byte `at` of `line` is inside a code span (an odd number of backticks before it).
fn in_code_span(line: &str, at: usize) -> bool {
    line[..at].matches('`').count() % 2 == 1
}

#[test]
fn every_answer_the_readme_shows_outside_code_blocks_is_in_a_code_span() {
    let mut bare = std::collections::BTreeSet::new();
    for (name, readme) in edge_readmes() {
        let mut fenced = false;
        for line in readme.lines() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                continue;
            }
            if fenced {
                continue;
            }
            for marker in MARKERS {
                if line
                    .match_indices(marker)
                    .any(|(at, _)| !in_code_span(line, at))
                {
                    bare.insert(format!("{name}: `{marker}` outside a code span in: {line}"));
                }
            }
        }
    }
    let bare: Vec<String> = bare.into_iter().collect();
    assert!(bare.is_empty(), "{}", bare.join("\n"));
}

/// Characters a word may hold unquoted in bash and zsh without being expanded, globbed or
/// read as syntax.
fn shell_safe(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._/:@%+,=-".contains(c))
}

/// Checks every ```sh block of `readme` with `bash -n` and `zsh -n`, and that each of
/// `values` appears in them only shell-safe or single-quoted; the number of blocks.
fn assert_sh_blocks_parse(name: &str, readme: &str, values: &[String], dir: &Path) -> usize {
    let blocks = sh_blocks(readme);
    for (n, block) in blocks.iter().enumerate() {
        let file = dir.join("block.sh");
        std::fs::write(&file, block).unwrap();
        for shell in ["bash", "zsh"] {
            // zsh is installed in CI; a machine without it checks bash only.
            let Ok(o) = Command::new(shell).arg("-n").arg(&file).output() else {
                continue;
            };
            assert!(
                o.status.success() && o.stderr.is_empty(),
                "{name}, sh block {n}, {shell}: {}\n{block}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        // `-n` doesn't glob: a value with `*`, `?` or `[` would still fail in zsh ("no
        // matches found"), so a value in a command is shell-safe or single-quoted.
        for line in block.lines() {
            for v in values.iter().filter(|v| !shell_safe(v)) {
                for (at, _) in line.match_indices(v.as_str()) {
                    assert!(
                        line[..at].matches('\'').count() % 2 == 1,
                        "{name}, sh block {n}: `{v}` unquoted in: {line}"
                    );
                }
            }
        }
    }
    blocks.len()
}

#[test]
fn the_readme_shell_blocks_parse_in_bash_and_zsh_with_edge_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let values: Vec<String> = edge_answers(None)
        .into_iter()
        .chain(GITOPS_VARIANTS.map(|(_, u)| format!("gitopsRepo.url={u}")))
        .filter_map(|s| s.split_once('=').map(|(_, v)| v.to_string()))
        .collect();
    let mut checked = 0;
    for (name, readme) in edge_readmes() {
        checked += assert_sh_blocks_parse(&name, &readme, &values, tmp.path());
    }
    assert!(checked > 100, "only {checked} sh blocks");
    // Shell syntax in a URL is refused, or else it must not break a block.
    for set in [
        "chart.ref=oci://ghcr.io/acme/(c)",
        "chart.ref=oci://ghcr.io/acme/c?",
        "chart.ref=oci://ghcr.io/acme/[c]",
        "chart.ref=oci://ghcr.io/acme/c*",
        "chart.ref=oci://ghcr.io/acme/#c",
        "gitopsRepo.url=https://github.com/acme/(fleet).git",
        "gitopsRepo.url=https://github.com/acme/fleet*.git",
        "gitopsRepo.url=https://github.com/acme/f!x.git",
        "gitopsRepo.url=git@github.com:acme/[f].git",
    ] {
        let mut sets: Vec<String> = common::ARGOCD.map(str::to_string).to_vec();
        sets.push(set.to_string());
        let value = set
            .split_once('=')
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        if let Some(tree) = build_fixture("eks-production", &sets) {
            assert_sh_blocks_parse(set, &tree.files["README.md"], &[value], tmp.path());
        }
    }
}

/// The YAML 1.1 words (and a timestamp) that are also DNS labels, so valid namespaces and
/// release names.
const YAML11_LABELS: [&str; 10] = [
    "y",
    "yes",
    "n",
    "no",
    "on",
    "off",
    "true",
    "false",
    "null",
    "2024-01-01",
];

/// A namespace, release and labels `2024-01-01` (a YAML 1.1 timestamp, a valid DNS label)
/// are quoted in every YAML file written: kustomize (kyaml) would rewrite a plain one to
/// `"2024-01-01T00:00:00Z"`. The assertion reads the text itself, not through the quoting
/// code; `kubectl kustomize` is asked too when kubectl is installed.
#[test]
fn a_date_like_namespace_release_and_labels_are_quoted_in_every_yaml_file() {
    let date = "2024-01-01";
    let plain = regex::Regex::new(&format!(
        r"(?m)(^[ \t]*(-[ \t]+)*|:[ \t]+){date}[ \t]*(:([ \t]|$)|#|$)"
    ))
    .unwrap();
    let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"]
        .into_iter()
        .find(|k| Path::new(k).exists());
    for (fixture_name, gitops) in [
        ("eks-evaluation", &[][..]),
        ("eks-production", &[][..]),
        ("aks-production", &common::ARGOCD[..]),
        ("gke-regulated", &common::FLUX[..]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("o");
        let mut sets = vec![
            format!("namespace={date}"),
            format!("release={date}"),
            format!("ingressController.namespace={date}"),
            format!("ingressController.podLabels.tier={date}"),
            format!("monitoring.serviceMonitorLabels.tier={date}"),
        ];
        sets.extend(gitops.iter().map(|s| s.to_string()));
        let extra: Vec<&str> = sets.iter().flat_map(|s| ["--set", s.as_str()]).collect();
        let o = new(&fixture(fixture_name), &out, &extra);
        assert!(o.status.success(), "{fixture_name}: {}", stderr(&o));
        let mut yaml = Vec::new();
        let mut dirs = vec![out.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    yaml.push(path);
                }
            }
        }
        let mut quoted_in = Vec::new();
        for path in &yaml {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.strip_prefix(&out).unwrap().display().to_string();
            let body: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(|l| format!("{l}\n"))
                .collect();
            assert!(
                !plain.is_match(&body),
                "{fixture_name}: {name} has a plain {date}:\n{text}"
            );
            if body.contains(&format!("'{date}'")) || body.contains(&format!("\"{date}\"")) {
                quoted_in.push(name);
            }
        }
        for must in ["values.yaml", "namespace.yaml"] {
            assert!(
                quoted_in.iter().any(|n| n == must),
                "{fixture_name}: {must} quotes {date}: {quoted_in:?}"
            );
        }
        for dir in ["network/", "monitoring/", "external-secrets/"] {
            let written: Vec<_> = yaml
                .iter()
                .map(|p| p.strip_prefix(&out).unwrap().display().to_string())
                .filter(|n| n.starts_with(dir) && !n.ends_with("kustomization.yaml"))
                .collect();
            for name in &written {
                assert!(
                    quoted_in.contains(name),
                    "{fixture_name}: {name} does not quote {date}"
                );
            }
        }
        if let Some(kubectl) = kubectl {
            let o = std::process::Command::new(kubectl)
                .arg("kustomize")
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{fixture_name}: {}", stderr(&o));
            let built = String::from_utf8_lossy(&o.stdout);
            assert!(
                built.contains(&format!("name: \"{date}\"")) && !built.contains("T00:00:00Z"),
                "{fixture_name}: kustomize retyped {date}:\n{built}"
            );
        }
    }
}

#[test]
fn yaml11_words_as_namespace_and_release_stay_strings_in_every_yaml_file() {
    use caracal_wizard::manifest::yaml11::quote_yaml11;
    for (cloud, profile) in common::combos() {
        let fixture_name = format!("{cloud}-{profile}");
        let mut variants: Vec<Vec<String>> = vec![vec![]];
        if profile != "evaluation" {
            variants.push(common::ARGOCD.map(str::to_string).to_vec());
            variants.push(common::FLUX.map(str::to_string).to_vec());
        }
        for word in YAML11_LABELS {
            // `--set` reads `true` as a boolean: the answers file quotes the string.
            let text: String = std::fs::read_to_string(fixture(&fixture_name))
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with("namespace:") && !l.starts_with("release:"))
                .map(|l| format!("{l}\n"))
                .chain([format!("namespace: '{word}'\nrelease: '{word}'\n")])
                .collect();
            for gitops in &variants {
                let tree = build_text(&text, gitops)
                    .unwrap_or_else(|| panic!("{fixture_name} {word} {gitops:?} is refused"));
                for (path, text) in tree.files.iter().filter(|(p, _)| p.ends_with(".yaml")) {
                    for doc in text.split("\n---\n") {
                        caracal_wizard::manifest::parse_yaml(doc)
                            .unwrap_or_else(|e| panic!("{fixture_name} {word}: {path}: {e}"));
                    }
                    let quoted = quote_yaml11(text);
                    let unquoted: Vec<_> = text
                        .lines()
                        .zip(quoted.lines())
                        .filter(|(a, b)| a != b)
                        .collect();
                    assert!(
                        unquoted.is_empty(),
                        "{fixture_name} {word} {gitops:?}: {path} has YAML 1.1 words unquoted: {unquoted:?}"
                    );
                }
            }
        }
    }
}

/// `new` of `fixture_name` with `sets` and exit 2 naming `key`; stderr, for more checks.
fn refused_stderr(fixture_name: &str, sets: &[&str], key: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let extra: Vec<&str> = sets.iter().flat_map(|s| ["--set", s]).collect();
    let o = new(&fixture(fixture_name), &out, &extra);
    assert_refused(&o, key);
    assert!(!out.exists(), "nothing is written for {sets:?}");
    stderr(&o)
}

#[test]
fn credentials_in_any_url_answer_are_refused_and_never_repeated() {
    let argocd = ["gitops=argocd", "gitopsRepo.path=clusters/prod"];
    for url in [
        "https://bot:ghp_TOKEN@github.com/acme/fleet.git",
        "https://ghp_TOKEN@github.com/acme/fleet.git",
        "https://:@github.com/acme/fleet.git",
        "ssh://git:ghp_TOKEN@github.com/acme/fleet.git",
    ] {
        let set = format!("gitopsRepo.url={url}");
        let err = refused_stderr(
            "eks-production",
            &[argocd[0], argocd[1], &set],
            "gitopsRepo.url",
        );
        assert!(!err.contains("ghp_TOKEN"), "{err}");
        // Ignored without `gitops`, but kept in the answers file: refused too.
        refused_stderr("eks-production", &[&set], "gitopsRepo.url");
    }
    for reference in [
        "oci://bot:tok@ghcr.io/acme/caracal",
        "oci://:@ghcr.io/acme/caracal",
    ] {
        let err = refused_stderr(
            "eks-production",
            &[&format!("chart.ref={reference}")],
            "chart.ref",
        );
        assert!(
            err.contains("helm registry login") && !err.contains("bot:tok"),
            "{err}"
        );
    }
    refused_stderr(
        "eks-regulated",
        &["auditExport.endpoint=https://:@s3.example.com"],
        "auditExport.endpoint",
    );
    refused_stderr(
        "eks-production",
        &["monitoring.otlpEndpoint=http://u:p@otel.example:4318"],
        "monitoring.otlpEndpoint",
    );
    let err = refused_stderr(
        "aks-production",
        &["secretStore.azureVaultUrl=https://u:pw@caracal-kv.vault.azure.net"],
        "secretStore.azureVaultUrl",
    );
    assert!(
        err.contains("user name or password") && !err.contains("u:pw"),
        "{err}"
    );
    // The user of an SSH URL is the account, not a credential.
    for url in [
        "ssh://git@github.com/acme/fleet.git",
        "git@github.com:acme/fleet.git",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let set = format!("gitopsRepo.url={url}");
        let o = new(
            &fixture("eks-production"),
            &tmp.path().join("o"),
            &["--set", argocd[0], "--set", argocd[1], "--set", &set],
        );
        assert!(o.status.success(), "{url}: {}", stderr(&o));
    }
}

#[test]
fn shell_syntax_in_the_chart_reference_and_git_url_is_refused() {
    for bad in ["(c)", "c?", "c*", "[c]", "c!", "#c"] {
        refused_stderr(
            "eks-production",
            &[&format!("chart.ref=oci://ghcr.io/acme/{bad}")],
            "chart.ref",
        );
        let set = format!("gitopsRepo.url=https://github.com/acme/{bad}.git");
        refused_stderr(
            "eks-production",
            &["gitops=argocd", "gitopsRepo.path=p", &set],
            "gitopsRepo.url",
        );
    }
}

#[test]
fn endpoint_urls_are_canonical_and_carry_no_markdown() {
    for url in [
        "https://s3.example.com/![x](https://evil.example/t.png)",
        "https://s3.example.com/[x](https://evil.example)",
        "https:s3.example.com",
        "https:///s3.example.com",
        "https://S3.example.com",
        "https://s3.example.com/?x=1",
    ] {
        refused_stderr(
            "eks-regulated",
            &[&format!("auditExport.endpoint={url}")],
            "auditExport.endpoint",
        );
    }
}

#[test]
fn yaml11_words_as_label_keys_are_quoted_and_check_flags_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let sets = [
        "ingressController.podLabels.yes=a",
        "ingressController.podLabels.on=b",
        "monitoring.serviceMonitorLabels.no=c",
    ];
    let extra: Vec<&str> = sets.iter().flat_map(|s| ["--set", *s]).collect();
    let o = new(&fixture("aks-production"), &out, &extra);
    assert!(o.status.success(), "{}", stderr(&o));
    let values = std::fs::read_to_string(out.join("values.yaml")).unwrap();
    assert!(
        values.contains("'yes': a") && values.contains("'on': b"),
        "{values}"
    );
    let monitor = std::fs::read_to_string(out.join("monitoring/api-servicemonitor.yaml")).unwrap();
    assert!(monitor.contains("'no': c"), "{monitor}");
    assert!(check(&out).status.success());
    std::fs::write(
        out.join("values.yaml"),
        values.replace("'yes': a", "yes: a"),
    )
    .unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("`yes: a`") && stdout.contains("YAML 1.1"),
        "{stdout}"
    );
}

#[test]
fn the_scraper_namespace_and_labels_are_validated_without_an_otlp_endpoint() {
    let long = format!("monitoring.scraperNamespace={}", "a".repeat(70));
    for set in [
        "monitoring.scraperNamespace=Evil_NS!",
        "monitoring.scraperNamespace=-bad-",
        &long,
    ] {
        refused_stderr("eks-production", &[set], "monitoring.scraperNamespace");
    }
    for set in [
        "monitoring.serviceMonitorLabels.app=a:b",
        "monitoring.serviceMonitorLabels.-x=y",
        &format!("monitoring.serviceMonitorLabels.app={}", "v".repeat(70)),
    ] {
        refused_stderr("eks-production", &[set], "monitoring.serviceMonitorLabels");
    }
}

#[test]
fn migrate_to_regulated_refuses_a_kept_open_rule_in_a_network_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = new(
        &fixture("eks-production"),
        &out,
        &["--set", "egress.providers=[10.1.0.0/16]"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = out.join("network/api-egress.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "        cidr: 10.1.0.0/16\n",
        "        cidr: 10.1.0.0/16\n    - ipBlock:\n        cidr: 0.0.0.0/0\n",
    );
    assert_ne!(text, edited);
    std::fs::write(&path, &edited).unwrap();
    let answers = std::fs::read(out.join("caracal-wizard.yaml")).unwrap();
    let o = migrate(
        &out,
        &[
            "--profile",
            "regulated",
            "--set",
            "auditExport.endpoint=https://s3.us-east-1.amazonaws.com",
            "--set",
            "auditExport.bucket=acme-caracal-audit",
            "--set",
            "auditExport.region=us-east-1",
            "--yes",
        ],
    );
    assert_refused(&o, "network/api-egress.yaml");
    assert!(stderr(&o).contains("0.0.0.0/0"), "{}", stderr(&o));
    // Nothing written: the edit and the old profile stay.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
    assert_eq!(
        std::fs::read(out.join("caracal-wizard.yaml")).unwrap(),
        answers
    );
}

#[test]
fn check_reports_an_open_rule_in_a_regulated_network_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-regulated");
    let path = out.join("network/api-egress.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (head, _) = text.split_once("  egress:\n").expect("egress rules");
    std::fs::write(
        &path,
        format!("{head}  egress:\n  - ports:\n    - protocol: TCP\n      port: 443\n"),
    )
    .unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("network/api-egress.yaml") && stdout.contains("any destination"),
        "{stdout}"
    );
}

#[test]
fn migrate_to_evaluation_refuses_a_kept_gitignore_that_would_expose_the_local_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    std::fs::write(out.join(".gitignore"), "*.bak\n").unwrap();
    let o = migrate(&out, &["--profile", "evaluation", "--yes"]);
    assert_refused(&o, ".gitignore");
    assert!(stderr(&o).contains("secrets.local.yaml"), "{}", stderr(&o));
    assert!(!out.join("secrets.local.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(out.join(".gitignore")).unwrap(),
        "*.bak\n"
    );
}

/// `[` × `n` on the last line of `text`, which it returns with that line's number.
fn with_deep_line(mut text: String, prefix: &str, n: usize) -> (String, usize) {
    let line = text.lines().count() + 1;
    text.push_str(prefix);
    text.push_str(&"[".repeat(n));
    text.push('\n');
    (text, line)
}

#[test]
fn deep_nesting_is_refused_at_once_naming_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let never = tmp.path().join("never");
    // 1 MiB (under the size limit) of `[`: libyaml would take hours over it.
    let base = std::fs::read_to_string(fixture("eks-production")).unwrap();
    let n = (1 << 20) - base.len() - 100;
    let (text, line) = with_deep_line(base, "monitoring: {serviceMonitorLabels: ", n);
    let deep = tmp.path().join("deep.yaml");
    std::fs::write(&deep, &text).unwrap();
    let start = Instant::now();
    let o = new(&deep, &never, &[]);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_refused(
        &o,
        &format!("deep.yaml: line {line}: nested more than 64 levels"),
    );
    // (Under 64 KiB: the message quotes it, and `run` reads stderr only at the end.)
    let set = format!("monitoring.serviceMonitorLabels={}", "[".repeat(30_000));
    assert_refused(
        &new(&fixture("eks-production"), &never, &["--set", &set]),
        "nested",
    );
    assert!(!never.exists());

    // A cloned overlay: check and migrate refuse the file, change nothing, and end.
    let out = overlay(tmp.path(), "eks-production");
    let values = std::fs::read_to_string(out.join("values.yaml")).unwrap();
    let (values, line) = with_deep_line(values, "x: ", 125_000);
    std::fs::write(out.join("values.yaml"), values).unwrap();
    let before = common::read_tree(&out);
    let start = Instant::now();
    let o = check(&out);
    assert_refused(&o, &format!("values.yaml: line {line}: nested"));
    let o = migrate(&out, &["--profile", "private", "--dry-run"]);
    assert_refused(&o, &format!("values.yaml: line {line}: nested"));
    let o = migrate(&out, &["--profile", "private", "--yes", "--prefer", "ours"]);
    assert_refused(&o, "values.yaml");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(common::read_tree(&out), before);

    // Any YAML file of the overlay, a manifest in a subdirectory too.
    let out = tmp.path().join("o");
    std::fs::remove_dir_all(&out).unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let manifest = out.join("external-secrets/external-secret.yaml");
    let (text, line) = with_deep_line(std::fs::read_to_string(&manifest).unwrap(), "y: ", 20_000);
    std::fs::write(&manifest, text).unwrap();
    assert_refused(
        &check(&out),
        &format!("external-secret.yaml: line {line}: nested"),
    );

    // `--answers -`, and an evaluation's local secrets (read when completing them).
    let stdin = assert_cmd::Command::cargo_bin("caracal-wizard")
        .unwrap()
        .args(["new", "--answers", "-", "--out"])
        .arg(&never)
        .write_stdin(format!("cloud: eks\na: {}\n", "{".repeat(500_000)))
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_refused(&stdin, "<stdin>: line 2: nested");
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    let secrets = out.join("secrets.local.yaml");
    let (text, line) = with_deep_line(std::fs::read_to_string(&secrets).unwrap(), "x: ", 200_000);
    std::fs::write(&secrets, &text).unwrap();
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert_refused(&o, &format!("line {line}: nested"));
    assert_eq!(std::fs::read_to_string(&secrets).unwrap(), text);
    assert_refused(
        &check(&out),
        &format!("secrets.local.yaml: line {line}: nested"),
    );
}

/// Runs the binary with `args`, standard output and error as given, for at most 10 s; the
/// exit code and whatever standard error was piped.
fn run_into(args: &[&std::ffi::OsStr], stdout: Stdio, errors: Stdio) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("caracal-wizard"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(errors)
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "{args:?} hangs");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (out.status.code(), stderr(&out))
}

/// The write end of a pipe nobody reads any more (`| head` after it exited).
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

fn dev_full() -> Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full")
        .into()
}

#[test]
fn an_unwritable_stderr_or_stdout_changes_nothing_written_nor_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let answers = fixture("eks-production");
    let expected = overlay(tmp.path(), "eks-production");
    let new_into = |out: &Path, stdout: Stdio, stderr: Stdio| {
        let mut args = vec!["new".as_ref(), "--answers".as_ref(), answers.as_os_str()];
        args.extend(["--out".as_ref(), out.as_os_str()]);
        run_into(&args, stdout, stderr).0
    };
    // `new … 2>/dev/full` (the warnings can't be printed), `new … 2>&1 | head -0`.
    let full = tmp.path().join("full");
    assert_eq!(new_into(&full, Stdio::null(), dev_full()), Some(0));
    let pipe = closed_pipe();
    let gone = tmp.path().join("gone");
    let code = new_into(&gone, pipe.try_clone().unwrap().into(), pipe.into());
    assert_eq!(code, Some(0));
    for dir in [&full, &gone] {
        assert_eq!(
            common::read_tree(dir),
            common::read_tree(&expected),
            "{dir:?}"
        );
    }

    // `check DIR | head -c1`: the exit code is still the verdict, no "Broken pipe".
    let verdict = check(&expected).status.code();
    assert!(matches!(verdict, Some(0 | 1)), "{verdict:?}");
    let check_args = ["check".as_ref(), expected.as_os_str()];
    let (code, err) = run_into(&check_args, closed_pipe().into(), Stdio::piped());
    assert_eq!(code, verdict, "{err}");
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{err}"
    );
    let (code, _) = run_into(&check_args, closed_pipe().into(), dev_full());
    assert_eq!(code, verdict);

    // `migrate --dry-run | head -1` and `preview | head -1`.
    let before = common::read_tree(&expected);
    let dry = ["migrate", "--profile", "private", "--dry-run"];
    let mut args = os(&dry);
    args.insert(1, expected.as_os_str());
    let (code, err) = run_into(&args, closed_pipe().into(), Stdio::piped());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{err}"
    );
    let preview = [
        "preview".as_ref(),
        "--answers".as_ref(),
        answers.as_os_str(),
    ];
    let (code, err) = run_into(&preview, closed_pipe().into(), Stdio::piped());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(common::read_tree(&expected), before);
}

#[test]
fn gitignore_classes_and_double_stars_that_re_include_the_secrets_are_seen() {
    for line in [
        "![[:alpha:]]*",
        "!secrets.[[:lower:]]ocal.yaml",
        "!**/**/secrets.local.yaml",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = overlay(tmp.path(), "eks-evaluation");
        let path = out.join(".gitignore");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(line);
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        let o = check(&out);
        assert_eq!(o.status.code(), Some(1), "{line}: {}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("re-includes it"), "{line}: {stdout}");
        // Nor will a migration to evaluation write the secrets under it.
        let tmp = tempfile::tempdir().unwrap();
        let prod = overlay(tmp.path(), "eks-production");
        let path = prod.join(".gitignore");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(line);
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        let o = migrate(&prod, &["--profile", "evaluation", "--yes"]);
        assert_eq!(o.status.code(), Some(2), "{line}: {}", stderr(&o));
        assert!(!prod.join("secrets.local.yaml").exists(), "{line}");
    }
}

#[test]
fn a_gitignore_line_of_many_stars_hangs_neither_check_nor_migrate() {
    let line = format!("{}x\n", "*".repeat(40));
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    let path = out.join(".gitignore");
    let text = std::fs::read_to_string(&path).unwrap() + &line;
    std::fs::write(&path, text).unwrap();
    // `run` fails the test after 10 s.
    assert!(check(&out).status.success(), "still ignored: clean");
    let tmp = tempfile::tempdir().unwrap();
    let prod = overlay(tmp.path(), "eks-production");
    let path = prod.join(".gitignore");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap() + &line).unwrap();
    let o = migrate(&prod, &["--profile", "evaluation", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Appends `text` to the overlay file `name`.
fn append(out: &Path, name: &str, text: &str) {
    let path = out.join(name);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, old + text).unwrap();
}

/// `check`'s report (which must fail) on a regulated GKE overlay with `text` written to
/// `file` and listed in its kustomization.
fn check_listed(file: &str, text: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "gke-regulated");
    std::fs::write(out.join(file), text).unwrap();
    append(&out, "kustomization.yaml", &format!("- {file}\n"));
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const OPEN_PATCH: &str = "patches:\n- target: {kind: NetworkPolicy}\n  patch: |-\n    - op: add\n      path: /spec/egress/-\n      value: {to: [{ipBlock: {cidr: 0.0.0.0/0}}]}\n";

#[test]
fn regulated_egress_opened_through_the_kustomization_is_an_error() {
    // A patch: kustomize changes what `kubectl apply -k .` applies after `check` reads it.
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "gke-regulated");
    append(&out, "kustomization.yaml", OPEN_PATCH);
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("`patches`"));
    // An allow-all policy in a new file the kustomization lists.
    let stdout = check_listed(
        "allow-egress.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-all-egress}\nspec: {podSelector: {}, policyTypes: [Egress], egress: [{}]}\n",
    );
    assert!(
        stdout.contains("`allow-all-egress` allows egress to any destination"),
        "{stdout}"
    );
    // A `kind: List` wrapping one in network/.
    let stdout = check_listed(
        "network/open-egress.yaml",
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata: {name: wrapped}\n  spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}\n",
    );
    assert!(
        stdout.contains("`wrapped` allows egress to 0.0.0.0/0"),
        "{stdout}"
    );
    // A `.yml` copy `check` would not read.
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "gke-regulated");
    std::fs::copy(
        out.join("network/api-egress.yaml"),
        out.join("network/api-egress.yml"),
    )
    .unwrap();
    append(&out, "kustomization.yaml", "- network/api-egress.yml\n");
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("`network/api-egress.yml`"));
}

#[test]
fn a_remote_kustomization_resource_is_refused_and_never_fetched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let path = out.join("kustomization.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "resources:\n",
        "resources:\n- https://10.255.255.1/acme/repo.git//x?ref=main\n",
    );
    std::fs::write(&path, text).unwrap();
    let started = Instant::now();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("resources must be files inside the overlay"),
        "{stdout}"
    );
    assert!(!stdout.contains("git fetch"), "{stdout}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn migrating_to_regulated_refuses_a_kept_patch_on_the_policies() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "gke-production");
    append(&out, "kustomization.yaml", OPEN_PATCH);
    let before = std::fs::read_to_string(out.join("values.yaml")).unwrap();
    let o = migrate(
        &out,
        &[
            "--profile",
            "regulated",
            "--set",
            "auditExport.endpoint=https://storage.googleapis.com",
            "--set",
            "auditExport.bucket=bkt-audit",
            "--set",
            "auditExport.region=us",
            "--set",
            "egress.objectStore={199.36.153.8/30}",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("`patches`"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("values.yaml")).unwrap(),
        before
    );
}

#[test]
fn a_literal_credential_replacing_a_secret_reference_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let path = out.join("values.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let reference = "    - name: GITHUB_CLIENT_SECRET\n      valueFrom:\n        secretKeyRef:\n          name: caracal-runtime\n          key: signInClientSecret\n";
    assert!(
        text.contains(reference),
        "the wizard reads it from the Secret"
    );
    let literal =
        "    - name: GITHUB_CLIENT_SECRET\n      value: 8f1d2c3b4a5e6f708192a3b4c5d6e7f801234567\n";
    std::fs::write(&path, text.replace(reference, literal)).unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("services.web.extraEnv `GITHUB_CLIENT_SECRET` holds a literal value"),
        "{stdout}"
    );
    // A credential-named variable the wizard doesn't write, too; a switch is not one.
    let text = std::fs::read_to_string(&path).unwrap().replace(
        literal,
        "    - name: GITHUB_CLIENT_SECRET\n      valueFrom:\n        secretKeyRef:\n          name: caracal-runtime\n          key: signInClientSecret\n    - name: MY_API_TOKEN\n      value: abc123\n    - name: FEATURE_TOKEN_CACHE\n      value: 'true'\n",
    );
    std::fs::write(&path, text).unwrap();
    let stdout = String::from_utf8_lossy(&check(&out).stdout).into_owned();
    assert!(
        stdout.contains("`MY_API_TOKEN` holds a literal value"),
        "{stdout}"
    );
    assert!(!stdout.contains("FEATURE_TOKEN_CACHE"), "{stdout}");
    assert!(!stdout.contains("GITHUB_CLIENT_SECRET"), "{stdout}");
}

#[test]
fn an_out_that_is_not_a_directory_is_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "mine\n").unwrap();
    for out in [Path::new("/dev/null"), file.as_path()] {
        let o = new(&fixture("eks-evaluation"), out, &[]);
        assert_refused(&o, &format!("{} is not a directory", out.display()));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine\n");
    #[cfg(target_os = "linux")]
    for out in ["/proc/self", "/sys/kernel"] {
        let o = new(&fixture("eks-evaluation"), Path::new(out), &[]);
        assert_refused(&o, &format!("{out}/.caracal-wizard-work can't be created"));
    }
}

#[cfg(unix)]
#[test]
fn odd_entries_in_the_work_directory_are_refused_with_exit_2_not_followed() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make, &str); 4] = [
        (
            "lock",
            &|p| std::fs::create_dir(p).unwrap(),
            "is not a regular file",
        ),
        (
            "lock",
            &|p| symlink(&outside, p).unwrap(),
            "is a symbolic link",
        ),
        (
            ".gitignore",
            &|p| std::fs::create_dir(p).unwrap(),
            "is not a regular file",
        ),
        (
            "stage",
            &|p| std::fs::write(p, "x").unwrap(),
            "is not a directory",
        ),
    ];
    for (i, (name, make, what)) in cases.into_iter().enumerate() {
        let out = tmp.path().join(format!("o{i}"));
        let o = new(&fixture("eks-evaluation"), &out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let values = std::fs::read(out.join("values.yaml")).unwrap();
        let work = out.join(".caracal-wizard-work");
        std::fs::create_dir(&work).unwrap();
        make(&work.join(name));
        let o = new(
            &fixture("eks-evaluation"),
            &out,
            &["--set", "retention.auditDays=31"],
        );
        assert_refused(&o, &format!(".caracal-wizard-work/{name} {what}"));
        assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
        assert_eq!(std::fs::read(out.join("values.yaml")).unwrap(), values);
        assert!(!outside.exists(), "the link was followed");
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_with_line_breaks_cannot_forge_lines_of_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-evaluation");
    let forged = "k.pem\n0 error(s), 0 note(s)\n\no: clean";
    std::fs::write(out.join(forged), "-----BEGIN PRIVATE KEY-----\n").unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        stdout.contains("k.pem\\n0 error(s), 0 note(s)\\n\\no: clean"),
        "{stdout}"
    );
    assert!(!stdout
        .lines()
        .any(|l| l == "o: clean" || l.starts_with("0 error(s)")));
    // `--out` with a newline and a tab: every line that names it shows them escaped.
    let odd = tmp.path().join("a\nWrote b\tc");
    let o = new(&fixture("eks-evaluation"), &odd, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(stdout.contains("a\\nWrote b\\tc"), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("Wrote b")),
        "{stdout}"
    );
    std::fs::write(odd.join("values.yaml"), "edited: true\n").unwrap();
    let o = new(&fixture("eks-evaluation"), &odd, &["--set", "namespace=x"]);
    assert_refused(&o, "a\\nWrote b\\tc has files edited");
}

#[test]
fn a_repository_git_refuses_to_read_fails_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("r");
    std::fs::create_dir(&repo).unwrap();
    if git(&repo, &["init", "-q"]).is_none() {
        return;
    }
    // Git can't answer (as for "dubious ownership" or a config it can't read).
    std::fs::write(repo.join(".git/config"), "[core\n\tbroken = \n").unwrap();
    let out = repo.join("ovl");
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert_refused(&o, "Git couldn't say whether it tracks that file");
    assert!(stderr(&o).contains("bad config"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
    // And `check` reports it for an overlay made before the repository broke.
    let elsewhere = tmp.path().join("e");
    let o = new(&fixture("eks-evaluation"), &elsewhere, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::rename(&elsewhere, &out).unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Git couldn't say"));
}

#[test]
fn another_kustomization_file_and_another_cnis_policy_are_errors_in_regulated() {
    // kustomize reads `Kustomization` or `kustomization.yml` too.
    for name in ["Kustomization", "kustomization.yml"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = overlay(tmp.path(), "gke-regulated");
        let text = std::fs::read_to_string(out.join("kustomization.yaml")).unwrap();
        std::fs::remove_file(out.join("kustomization.yaml")).unwrap();
        std::fs::write(out.join(name), text + OPEN_PATCH).unwrap();
        let o = check(&out);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains(&format!("from `{name}` too")), "{stdout}");
    }
    // A CiliumNetworkPolicy opening the world, in a file the kustomization lists.
    let stdout = check_listed(
        "network/world.yaml",
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: world}\nspec:\n  endpointSelector: {}\n  egress: [{toEntities: [world]}]\n",
    );
    assert!(
        stdout.contains("applies a `CiliumNetworkPolicy` (`world`)"),
        "{stdout}"
    );
}

#[test]
fn a_listed_directory_is_not_built_so_check_never_fetches() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    std::fs::create_dir(out.join("extra")).unwrap();
    std::fs::write(
        out.join("extra/kustomization.yaml"),
        "resources:\n- https://10.255.255.1/acme/repo.git//x?ref=main\n",
    )
    .unwrap();
    append(&out, "kustomization.yaml", "- extra\n");
    let started = Instant::now();
    let o = check(&out);
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        all.contains("not built with kubectl") || all.contains("kubectl not found"),
        "{all}"
    );
    assert!(!all.contains("git fetch"), "{all}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_regulated_baseline_that_no_longer_restricts_every_pod_is_an_error() {
    for (from, to) in [
        ("  - Egress\n", ""),
        (
            "      app.kubernetes.io/name: caracal\n  policyTypes",
            "      app.kubernetes.io/name: nothing\n  policyTypes",
        ),
        ("  namespace: caracal\n", "  namespace: other\n"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = overlay(tmp.path(), "gke-regulated");
        let path = out.join("network/baseline.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from:?} in\n{text}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let o = check(&out);
        assert_eq!(o.status.code(), Some(1), "{from:?}: {}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("no longer restricts every pod"), "{stdout}");
    }
}

#[test]
fn a_regulated_gitops_file_edited_or_added_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "gke-regulated");
    let o = new(
        &fixture("gke-regulated"),
        &out,
        &[
            "--force",
            "--gitops",
            "flux",
            "--set",
            "gitopsRepo.path=clusters/prod",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(check(&out).status.success(), "clean as written");
    append(
        &out,
        "gitops/helmrelease.yaml",
        "  values:\n    networkPolicy: {enabled: true}\n",
    );
    std::fs::write(out.join("gitops/argocd-extra.yaml"), "kind: Application\n").unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("gitops/helmrelease.yaml")
            && stdout.contains("edited by hand: Argo CD or Flux"),
        "{stdout}"
    );
    assert!(
        stdout.contains("gitops/argocd-extra.yaml")
            && stdout.contains("not written by caracal-wizard"),
        "{stdout}"
    );
}

#[test]
fn a_merge_key_cannot_hide_an_open_rule() {
    let stdout = check_listed(
        "network/extra.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: merged}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  <<: {egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}\n",
    );
    assert!(
        stdout.contains("`merged` allows egress to 0.0.0.0/0"),
        "{stdout}"
    );
}

#[test]
fn a_work_directory_below_the_top_is_scanned_for_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let out = overlay(tmp.path(), "eks-production");
    let nested = out.join("network/.caracal-wizard-work");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(
        nested.join("leak.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {key: AKIAABCDEFGHIJKLMNOP}\n",
    )
    .unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("leak.yaml"));
}

#[test]
fn a_bare_repository_in_the_overlay_cannot_answer_for_the_real_one() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(out) = repo_with_tracked_secrets(tmp.path()) else {
        return;
    };
    std::fs::create_dir_all(out.join("objects/info")).unwrap();
    std::fs::create_dir_all(out.join("refs/heads")).unwrap();
    std::fs::write(out.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(out.join("config"), "[core]\n\tbare = true\n").unwrap();
    let before = snapshot(&out);
    let o = new(&fixture("eks-evaluation"), &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before, "nothing written");
    assert_eq!(check(&out).status.code(), Some(1));
}
