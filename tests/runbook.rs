//! The overlay README as a runbook: every shell block of every fixture's README (and the
//! GitOps variants) runs unmodified under bash, zsh and sh against stub cloud CLIs, and the
//! `cloud/` IAM documents are valid and scoped (#12).
//!
//! The stubs (`aws`, `gcloud`, `az`, `kubectl`, `helm`, `curl`, `eksctl`, `openssl`, `stty`,
//! `sleep`) come first on PATH and record their arguments, and their standard input when an
//! argument says they read it. Known fake secret values are typed into the prompts; none may
//! appear in any recorded argument.
mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use caracal_wizard::render::RenderedTree;

/// Fake values typed into the prompts: one starts with `-` (an option, if passed as an
/// argument), one has spaces and a quote.
const TYPED: [&str; 3] = [
    "-typed-secret-ZQ1",
    "typed secret 'ZQ2' value",
    "typed-secret-ZQ3",
];
/// What the `openssl` stub prints for `openssl rand -hex 32`.
const RANDOM: &str = "stubrandomZQ4";
/// The stubbed commands.
const STUBS: [&str; 10] = [
    "aws", "gcloud", "az", "kubectl", "helm", "curl", "eksctl", "openssl", "stty", "sleep",
];

fn real_sleep() -> &'static str {
    ["/usr/bin/sleep", "/bin/sleep"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("a sleep binary")
}

/// Writes the stub scripts into `bin`.
fn write_stubs(bin: &Path) {
    let sleep = real_sleep();
    for name in STUBS {
        let script = format!(
            r#"#!/bin/sh
# Records one call: R<US>name<US>arg...; then I<US>name<US>stdin when an argument reads stdin.
# One write per record: the commands of a pipeline run at once.
rec=$(printf 'R\037{name}'; for a in "$@"; do printf '\037%s' "$a"; done)
printf '%s\n' "$(printf '%s' "$rec" | tr '\n' '\036')" >> "$STUB_LOG"
reads=no
for a in "$@"; do
  case "$a" in -|*/dev/stdin*|--data-file=-|@-) reads=yes;; esac
done
if [ "$reads" = yes ]; then
  rec=$(printf 'I\037{name}\037'; cat)
  printf '%s\n' "$(printf '%s' "$rec" | tr '\n' '\036')" >> "$STUB_LOG"
fi
case "{name} $1" in
  "openssl rand") printf '%s\n' '{RANDOM}';;
  "kubectl port-forward"|"kubectl -n") case " $* " in *" port-forward "*) exec {sleep} 30;; esac;;
esac
exit 0
"#
        );
        let path = bin.join(name);
        std::fs::write(&path, script).expect("stub");
        let mut perm = std::fs::metadata(&path).expect("stub").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
        std::fs::set_permissions(&path, perm).expect("chmod");
    }
}

/// One recorded call.
#[derive(Debug)]
struct Call {
    /// `R` (arguments) or `I` (standard input).
    kind: String,
    /// Command name.
    name: String,
    /// Arguments, or the standard input as one element.
    args: Vec<String>,
}

fn read_log(log: &Path) -> Vec<Call> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.replace('\u{1e}', "\n");
            let l = l.trim_end_matches('\n');
            let mut parts = l.split('\u{1f}').map(str::to_string);
            let kind = parts.next().unwrap_or_default();
            let name = parts.next().unwrap_or_default();
            Call {
                kind,
                name,
                args: parts.collect(),
            }
        })
        .collect()
}

/// The fenced `sh` blocks of a README, unindented.
fn shell_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in readme.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut current {
            None if trimmed == "```sh" => current = Some((indent, String::new())),
            Some(_) if trimmed == "```" => {
                blocks.push(current.take().expect("open block").1);
            }
            Some((ind, text)) => {
                text.push_str(line.get(*ind..).unwrap_or(trimmed));
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(current.is_none(), "an unclosed ```sh block");
    blocks
}

/// `<…>` placeholders in a block (heredoc markers and redirections are not placeholders).
fn placeholders(block: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = block;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            if let Some(end) = after.find('>') {
                let inner = &after[..end];
                if !inner.contains(char::is_whitespace) {
                    found.push(format!("<{inner}>"));
                }
            }
        }
        rest = after;
    }
    found
}

/// Writes `tree` into a fresh overlay directory.
fn overlay(tree: &RenderedTree) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    caracal_wizard::output::write_tree(dir.path(), tree, true).expect("write overlay");
    dir
}

/// Runs `block` under `shell` in `dir` with the stubs first on PATH; the calls it made.
fn run_block(shell: &str, block: &str, dir: &Path, bin: &Path, what: &str) -> Vec<Call> {
    let log = bin.join("calls.log");
    let _ = std::fs::remove_file(&log);
    let script = bin.join("block.sh");
    std::fs::write(&script, block).expect("script");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(shell)
        .arg("-eu")
        .arg(&script)
        .current_dir(dir)
        .env("PATH", path)
        .env("STUB_LOG", &log)
        .env("HOME", bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{shell}: {e}"));
    let typed: String = TYPED
        .iter()
        .cycle()
        .take(12)
        .map(|v| format!("{v}\n"))
        .collect();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(typed.as_bytes());
    }
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{what}: block failed under {shell} ({}):\n{block}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    read_log(&log)
}

/// The secret-manager keys the ExternalSecret reads.
fn remote_keys(tree: &RenderedTree) -> BTreeSet<String> {
    let Some(text) = tree.files.get("external-secrets/external-secret.yaml") else {
        return BTreeSet::new();
    };
    let doc: serde_yaml::Value = serde_yaml::from_str(text).expect("ExternalSecret");
    doc["spec"]["data"]
        .as_sequence()
        .expect("spec.data")
        .iter()
        .map(|d| d["remoteRef"]["key"].as_str().expect("key").to_string())
        .collect()
}

/// Whether `call` creates a secret-manager entry.
fn creates_secret(call: &Call) -> bool {
    let a = call.args.join(" ");
    match call.name.as_str() {
        "aws" => a.starts_with("secretsmanager create-secret"),
        "gcloud" => a.starts_with("secrets create"),
        "az" => a.starts_with("keyvault secret set"),
        _ => false,
    }
}

fn shells() -> Vec<&'static str> {
    let shells = ["bash", "zsh", "sh"];
    for s in shells {
        let ok = Command::new(s).arg("-c").arg("true").status();
        assert!(
            ok.is_ok_and(|s| s.success()),
            "`{s}` is needed to run the README blocks (CI installs zsh)"
        );
    }
    shells.to_vec()
}

/// Runs every block of `name`'s README under each shell and checks what the stubs saw.
fn check_readme(name: &str, tree: &RenderedTree) {
    let dir = overlay(tree);
    let bin = tempfile::tempdir().expect("bin");
    write_stubs(bin.path());
    let readme = &tree.files["README.md"];
    let blocks = shell_blocks(readme);
    assert!(!blocks.is_empty(), "{name}: no shell block");
    for (i, block) in blocks.iter().enumerate() {
        let left: Vec<String> = placeholders(block)
            .into_iter()
            .filter(|p| p != "<chart>")
            .collect();
        assert!(
            left.is_empty(),
            "{name}: block {i} leaves {left:?}:\n{block}"
        );
        if block.contains("read -r") {
            assert!(
                block.starts_with("# shell: "),
                "{name}: block {i} names no shell"
            );
        }
    }
    let wanted = remote_keys(tree);
    for shell in shells() {
        let mut created = BTreeSet::new();
        let mut stdin_seen = String::new();
        for (i, block) in blocks.iter().enumerate() {
            let what = format!("{name} block {i}");
            for call in run_block(shell, block, dir.path(), bin.path(), &what) {
                if call.kind == "I" {
                    stdin_seen.push_str(&call.args.join(""));
                    continue;
                }
                for arg in &call.args {
                    for secret in TYPED.iter().chain([&RANDOM]) {
                        assert!(
                            !arg.contains(secret),
                            "{what} under {shell}: a secret value is an argument of `{}`: {:?}",
                            call.name,
                            call.args
                        );
                    }
                }
                if creates_secret(&call) {
                    // `--name=KEY` and `KEY` both name the entry.
                    created.extend(
                        call.args
                            .iter()
                            .map(|a| a.split_once('=').map_or(a.clone(), |(_, v)| v.to_string())),
                    );
                }
            }
        }
        let missing: Vec<&String> = wanted.iter().filter(|k| !created.contains(*k)).collect();
        assert!(
            missing.is_empty(),
            "{name} under {shell}: no command creates {missing:?}"
        );
        if !wanted.is_empty() {
            assert!(
                stdin_seen.contains(RANDOM),
                "{name}: random values reach the CLI on stdin"
            );
            assert!(
                stdin_seen.contains(TYPED[0]),
                "{name}: typed values reach the CLI on stdin"
            );
            assert!(
                stdin_seen.contains(TYPED[1]),
                "{name}: a value with spaces survives"
            );
        }
    }
}

#[test]
fn every_readme_block_runs_in_bash_zsh_and_sh_without_secrets_in_arguments() {
    for (name, path) in common::fixture_files() {
        let text = std::fs::read_to_string(&path).expect("fixture");
        check_readme(&name, &common::build(&text, &[]));
    }
}

#[test]
fn gitops_readme_blocks_run_too() {
    for cloud in common::CLOUDS {
        let text = common::answers_text(cloud, "production");
        let argocd = common::build(&text, &common::ARGOCD);
        check_readme(&format!("{cloud}-argocd"), &argocd);
        // Argo CD makes no Helm release: its Verify asks Argo CD, and nothing says "rolls back".
        let readme = &argocd.files["README.md"];
        assert!(
            !readme.contains("helm -n caracal status"),
            "{cloud}: no Helm release"
        );
        assert!(
            !readme.contains("rolls back on"),
            "{cloud}: Argo CD doesn't roll back"
        );
        assert!(readme.contains("kubectl -n argocd get application caracal-prereqs caracal"));
        let flux = common::build(&text, &common::FLUX);
        check_readme(&format!("{cloud}-flux"), &flux);
        // helm-controller makes a real release.
        assert!(flux.files["README.md"].contains("helm -n caracal status caracal"));
    }
}

#[test]
fn ca_bundle_blocks_run_in_every_apply_order() {
    for cloud in common::CLOUDS {
        let text = common::answers_text(cloud, "regulated");
        let ca = ["caBundle.configMap=caracal-server-ca"];
        for (variant, gitops) in [
            ("plain", &[][..]),
            ("argocd", &common::ARGOCD[..]),
            ("flux", &common::FLUX[..]),
        ] {
            let sets: Vec<&str> = ca.iter().chain(gitops).copied().collect();
            check_readme(
                &format!("{cloud}-ca-{variant}"),
                &common::build(&text, &sets),
            );
        }
    }
}

/// The `cloud/*.json` documents of an EKS overlay, parsed.
fn cloud_documents(tree: &RenderedTree) -> Vec<(String, serde_json::Value)> {
    tree.files
        .iter()
        .filter(|(p, _)| p.starts_with("cloud/"))
        .map(|(p, text)| {
            let v = serde_json::from_str(text).unwrap_or_else(|e| panic!("{p}: {e}"));
            (p.clone(), v)
        })
        .collect()
}

fn statements(doc: &serde_json::Value) -> &Vec<serde_json::Value> {
    doc["Statement"].as_array().expect("Statement")
}

#[test]
fn eks_iam_documents_name_the_real_subjects_and_are_scoped() {
    let own = "identity.externalSecrets=arn:aws:iam::444455556666:role/caracal-eso";
    for profile in ["production", "private", "regulated"] {
        let text = common::answers_text("eks", profile);
        for sets in [vec![], vec![own]] {
            let tree = common::build(&text, &sets);
            let docs = cloud_documents(&tree);
            let what = format!("eks-{profile} {sets:?}");
            let trusts: Vec<&serde_json::Value> = docs
                .iter()
                .filter(|(p, _)| p.ends_with("trust-policy.json"))
                .map(|(_, d)| d)
                .collect();
            assert_eq!(
                trusts.len(),
                1 + sets.len(),
                "{what}: one trust policy per role"
            );
            let mut subjects = BTreeSet::new();
            for t in &trusts {
                let s = &statements(t)[0];
                assert_eq!(s["Action"][0], "sts:AssumeRoleWithWebIdentity", "{what}");
                let fed = s["Principal"]["Federated"].as_str().expect("Federated");
                assert!(
                    fed.ends_with(":oidc-provider/${OIDC_PROVIDER}"),
                    "{what}: {fed}"
                );
                let subs = s["Condition"]["StringEquals"]["${OIDC_PROVIDER}:sub"]
                    .as_array()
                    .expect("sub condition");
                subjects.extend(
                    subs.iter()
                        .map(|v| v.as_str().expect("subject").to_string()),
                );
            }
            let expected: BTreeSet<String> = [
                "system:serviceaccount:caracal:caracal-caracal",
                "system:serviceaccount:caracal:caracal-external-secrets",
            ]
            .map(String::from)
            .into();
            assert_eq!(
                subjects, expected,
                "{what}: exactly the two ServiceAccounts"
            );
            let (_, read) = docs
                .iter()
                .find(|(p, _)| p == "cloud/external-secrets-policy.json")
                .expect("secrets policy");
            for s in statements(read) {
                for r in s["Resource"].as_array().expect("Resource") {
                    let r = r.as_str().expect("resource");
                    assert_ne!(r, "*", "{what}: no wildcard resource");
                    let account = if sets.is_empty() {
                        "111122223333"
                    } else {
                        "444455556666"
                    };
                    assert_eq!(
                        r,
                        format!("arn:aws:secretsmanager:us-east-1:{account}:secret:caracal/*"),
                        "{what}: scoped to the prefix"
                    );
                }
            }
            let audit = docs
                .iter()
                .any(|(p, _)| p == "cloud/workloads-audit-policy.json");
            assert_eq!(
                audit,
                profile == "regulated",
                "{what}: audit policy with export only"
            );
            // The separate identity lands on External Secrets' ServiceAccount only.
            let sa = &tree.files["external-secrets/service-account.yaml"];
            assert_eq!(sa.contains("caracal-eso"), !sets.is_empty(), "{what}");
            assert!(!tree.files["values.yaml"].contains("caracal-eso"), "{what}");
        }
    }
}

#[test]
fn only_eks_writes_iam_documents() {
    for cloud in ["gke", "aks"] {
        let tree = common::build(&common::answers_text(cloud, "regulated"), &[]);
        assert!(cloud_documents(&tree).is_empty(), "{cloud}");
    }
}

#[test]
fn a_separate_external_secrets_identity_is_bound_and_its_blocks_run() {
    for (cloud, own) in [
        ("eks", "arn:aws:iam::111122223333:role/caracal-eso"),
        ("gke", "caracal-eso@acme-prod.iam.gserviceaccount.com"),
        ("aks", "0b4e1c2d-1111-4222-8333-444455556666"),
    ] {
        let set = format!("identity.externalSecrets={own}");
        let tree = common::build(&common::answers_text(cloud, "production"), &[&set]);
        let readme = &tree.files["README.md"];
        assert!(
            !readme.contains("`identity.externalSecrets`: not set"),
            "{cloud}: no warning"
        );
        assert!(
            readme.contains("External Secrets reads the secret manager with its own identity"),
            "{cloud}"
        );
        let sa = &tree.files["external-secrets/service-account.yaml"];
        assert!(
            sa.contains(own),
            "{cloud}: the store's ServiceAccount carries its identity"
        );
        assert!(
            !tree.files["values.yaml"].contains(own),
            "{cloud}: the workloads' does not"
        );
        check_readme(&format!("{cloud}-separate-identity"), &tree);
    }
}

/// A cluster in another project than the secrets: the store names the cluster's project and
/// the README binds (and enables) that project's pool; without it, or with the secrets' own
/// project, neither changes.
#[test]
fn the_cluster_project_names_the_workload_identity_pool() {
    let text = common::answers_text("gke", "production");
    let host = "secretStore.gcpClusterProject=acme-gke-host";
    let same = "secretStore.gcpClusterProject=acme-prod";
    for (sets, pool) in [
        (vec![host], Some("acme-gke-host")),
        (vec![same], None),
        (vec![], None),
    ] {
        let tree = common::build(&text, &sets);
        let store = &tree.files["external-secrets/cluster-secret-store.yaml"];
        let doc: serde_yaml::Value = serde_yaml::from_str(store).expect("store YAML");
        let wi = &doc["spec"]["provider"]["gcpsm"]["auth"]["workloadIdentity"];
        assert_eq!(
            wi["clusterProjectID"].as_str(),
            pool,
            "{sets:?}: clusterProjectID"
        );
        assert_eq!(wi["clusterName"].as_str(), Some("prod"));
        let pool = pool.unwrap_or("acme-prod");
        let readme = &tree.files["README.md"];
        for sa in ["caracal-caracal", "caracal-external-secrets"] {
            let member = format!("serviceAccount:{pool}.svc.id.goog[caracal/{sa}]");
            assert!(readme.contains(&member), "{sets:?}: binds {member}");
        }
        assert!(!readme.contains("POOL_PROJECT"), "no manual edit left");
        assert!(
            readme.contains(&format!("PROJECT={pool}"))
                && readme.contains("--workload-pool=\"$PROJECT.svc.id.goog\""),
            "{sets:?}: the cluster's pool is enabled on the cluster's project"
        );
        // Every `gcloud container clusters …` runs in the cluster's project, the
        // Dataplane V2 check among them.
        let dataplane = readme
            .split("```sh")
            .find(|b| b.contains("datapathProvider"))
            .expect("the Dataplane V2 check");
        assert!(
            dataplane.contains(&format!("PROJECT={pool}")),
            "{sets:?}: the Dataplane V2 check describes the cluster in its own project"
        );
        check_readme(&format!("gke-cluster-project-{sets:?}"), &tree);
    }
}
