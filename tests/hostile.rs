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
    std::fs::write(
        out.join("values.yaml"),
        values.replace("storageClassName: 'no'", "storageClassName: no"),
    )
    .unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("YAML 1.1"));
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
