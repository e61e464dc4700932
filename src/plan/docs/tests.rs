//! Unit tests of the README view model.
use super::*;
use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::render::{render, Templates};

use crate::plan::tests::AKS_PROD;
const AKS_EVALUATION: &str =
    "cloud: aks\nprofile: evaluation\ndomain: caracal.example.com\nendpoints: {web: public}\n";

fn plan_of(text: &str, sets: &[&str]) -> Plan {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let a = Answers::parse("t", text, &sets).expect("parses");
    crate::plan::plan(&a, &Catalog::builtin().expect("catalog")).expect("valid")
}

#[test]
fn every_file_the_readme_lists_is_rendered() {
    let flux = ["gitops=flux", "gitopsRepo.path=clusters/prod/caracal"];
    let argocd = [
        "gitops=argocd",
        "gitopsRepo.url=https://github.com/acme/fleet.git",
        "gitopsRepo.path=clusters/prod/caracal",
    ];
    for (text, sets) in [
        (AKS_PROD, &[][..]),
        (AKS_PROD, &flux[..]),
        (AKS_PROD, &argocd[..]),
        (AKS_PROD, &["endpoints.api=internal"][..]),
        (AKS_EVALUATION, &[][..]),
    ] {
        let plan = plan_of(text, sets);
        let tree = render(&plan, &Templates::builtin().expect("templates")).expect("renders");
        let model = docs(&plan);
        let listed: Vec<&str> = (model.extra_files.iter())
            .chain(&model.gitops.gitops_files)
            .map(|note| note.path.as_ref())
            .collect();
        // The README's table names these itself; every other file has a note.
        let fixed = [
            ".gitignore",
            "README.md",
            "caracal-wizard.yaml",
            "kustomization.yaml",
            "namespace.yaml",
            "values.yaml",
        ];
        let unlisted: Vec<&str> = (tree.files.keys().map(String::as_str))
            .filter(|p| !fixed.contains(p))
            .collect();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, unlisted, "{sets:?}");
        assert_eq!(
            model.gitops.gitops,
            plan.gitops.as_ref().map(|g| g.tool.key())
        );
    }
}

#[test]
fn only_an_evaluation_installs_with_the_local_secrets_file() {
    let evaluation = overview(&plan_of(AKS_EVALUATION, &[])).helm_command;
    assert!(
        evaluation.contains("-f values.yaml -f secrets.local.yaml --rollback-on-failure"),
        "{evaluation}"
    );
    let production = overview(&plan_of(AKS_PROD, &[])).helm_command;
    assert!(
        production.contains("-f values.yaml --rollback-on-failure"),
        "{production}"
    );
}

#[test]
fn helm_installs_the_pinned_published_chart_and_waits_for_the_jobs() {
    let plan = plan_of(AKS_PROD, &[]);
    let o = overview(&plan);
    assert_eq!(
        o.helm_command,
        "helm upgrade --install caracal oci://ghcr.io/garudex-labs/charts/caracal --version 1.0.0 -n caracal -f values.yaml --rollback-on-failure --wait=watcher --wait-for-jobs --timeout 20m"
    );
    assert_eq!(
        o.helm_template_command,
        "helm template caracal oci://ghcr.io/garudex-labs/charts/caracal --version 1.0.0 -n caracal -f values.yaml > rendered.yaml"
    );
    let pinned = overview(&plan_of(AKS_PROD, &["chart.version=1.1.0-rc.2"])).helm_command;
    assert!(pinned.contains("--version 1.1.0-rc.2 "), "{pinned}");
}

#[test]
fn each_prerequisite_is_listed_once() {
    let plan = plan_of(AKS_PROD, &[]);
    let prerequisites = docs(&plan).prerequisites;
    let unique: std::collections::BTreeSet<_> = prerequisites.iter().collect();
    assert_eq!(unique.len(), prerequisites.len(), "{prerequisites:?}");
    assert!(!prerequisites.is_empty());
}
