//! The overlay README's runbook, followed in order, works on every cloud × profile × GitOps
//! variant: NetworkPolicy enforcement is a prerequisite, the storage class is defined once,
//! and the CA bundle ConfigMap exists before the chart is installed (#12).
mod common;

/// The README of one combination; `sets` are `--set` overrides.
fn readme(cloud: &str, profile: &str, sets: &[&str]) -> String {
    let text = common::answers_text(cloud, profile);
    let tree = common::build(&text, sets);
    tree.files["README.md"].clone()
}

/// Every combination's README with its name: plain, and with Argo CD and Flux outside
/// evaluation; `extra` sets are added to each.
fn readmes(extra: &[&str]) -> Vec<(String, &'static str, &'static str, String)> {
    let mut out = Vec::new();
    for (cloud, profile) in common::combos() {
        let mut variants: Vec<(&str, Vec<&str>)> = vec![("plain", vec![])];
        if profile != "evaluation" {
            variants.push(("argocd", common::ARGOCD.to_vec()));
            variants.push(("flux", common::FLUX.to_vec()));
        }
        for (variant, mut sets) in variants {
            if profile != "evaluation" {
                sets.extend(extra);
            }
            let name = format!("{cloud}-{profile}-{variant}");
            out.push((name, cloud, profile, readme(cloud, profile, &sets)));
        }
    }
    out
}

/// The text of the `## {title}` section, up to the next `## ` heading.
fn section<'a>(readme: &'a str, title: &str) -> &'a str {
    let head = format!("\n## {title}\n");
    let start = readme.find(&head).map(|i| i + head.len());
    let start = start.unwrap_or_else(|| panic!("no section `{title}`"));
    let rest = &readme[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    &rest[..end]
}

/// Where `needle` first occurs in `text`, or a panic naming both.
fn position(text: &str, needle: &str, what: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{what}: no `{needle}` in:\n{text}"))
}

/// Upper-case words used as arguments in the `sh` blocks of `text` (`INSTANCE`): text to
/// replace by hand, which a block run as written passes on verbatim; names the answers lack
/// must be `$VARIABLES` set at the top.
fn bare_placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_block = false;
    for line in text.lines().map(str::trim) {
        match line {
            "```sh" => in_block = true,
            "```" => in_block = false,
            _ if in_block => {
                let code = line.split('#').next().unwrap_or_default();
                let words = code.split_whitespace().filter(|w| {
                    w.len() > 2 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                });
                found.extend(words.map(String::from));
            }
            _ => {}
        }
    }
    found
}

#[test]
fn network_policy_enforcement_is_a_prerequisite_with_a_check_command() {
    for (name, cloud, profile, text) in readmes(&[]) {
        let check = match cloud {
            "eks" => "--addon-name vpc-cni",
            "gke" => "--format='value(networkConfig.datapathProvider)'",
            _ => "--query networkProfile.networkPolicy",
        };
        let order = section(&text, "Apply order");
        let prerequisites = section(&text, "Prerequisites, step by step");
        if profile == "evaluation" {
            assert!(!text.contains("NetworkPolicy enforcement"), "{name}");
            continue;
        }
        assert!(
            order.contains("NetworkPolicy enforcement"),
            "{name}:\n{order}"
        );
        assert!(prerequisites.contains(check), "{name}: no `{check}`");
    }
    let eks = readme("eks", "production", &[]);
    assert!(eks.contains(r#"--configuration-values '{"enableNetworkPolicy":"true"}'"#));
    let gke = readme("gke", "production", &[]);
    assert!(gke.contains("--enable-dataplane-v2"));
    let aks = readme("aks", "production", &[]);
    assert!(aks.contains("--network-policy azure|calico|cilium"));
}

#[test]
fn the_storage_class_is_defined_once_with_the_profiles_reclaim_policy() {
    for (name, cloud, profile, text) in readmes(&[]) {
        let classes = text.matches("kind: StorageClass").count();
        // The HPAs' Metrics Server where the cluster lacks it: EKS outside evaluation.
        let metrics = text.matches("--addon-name metrics-server").count();
        let addons = text.matches("create-addon").count() - metrics;
        assert!(classes <= 1, "{name}: {classes} StorageClass manifests");
        assert!(
            addons <= 1,
            "{name}: {addons} EBS CSI create-addon commands"
        );
        let hpas = cloud == "eks" && profile != "evaluation";
        assert_eq!(metrics, usize::from(hpas), "{name}: metrics-server add-on");
        if cloud != "eks" {
            assert_eq!(classes, 0, "{name}");
            continue;
        }
        assert_eq!(classes, 1, "{name}");
        let prerequisites = section(&text, "Prerequisites, step by step");
        assert!(prerequisites.contains("kind: StorageClass"), "{name}");
        let policy = if profile == "evaluation" {
            "Delete"
        } else {
            "Retain"
        };
        let wanted = format!("allowVolumeExpansion: true\nreclaimPolicy: {policy}\nYAML");
        assert!(prerequisites.contains(&wanted), "{name}:\n{prerequisites}");
        // Re-running the block must not fail on the add-on it created the first time.
        let guard = "--addon-name aws-ebs-csi-driver >/dev/null 2>&1 ||";
        assert!(prerequisites.contains(guard), "{name}:\n{prerequisites}");
    }
}

#[test]
fn the_ca_bundle_config_map_is_created_after_the_namespace_and_before_the_chart() {
    let create = "kubectl create configmap caracal-server-ca -n caracal";
    for (name, _, profile, text) in readmes(&["caBundle.configMap=caracal-server-ca"]) {
        if profile == "evaluation" {
            continue;
        }
        let order = section(&text, "Apply order");
        let ca = position(order, create, &name);
        let (namespace, chart) = if name.ends_with("-plain") {
            ("kubectl apply -k .", "helm upgrade --install")
        } else {
            ("kubectl apply -f namespace.yaml", "-f gitops/")
        };
        assert!(position(order, namespace, &name) < ca, "{name}:\n{order}");
        assert!(ca < position(order, chart, &name), "{name}:\n{order}");
        // One copy of the command: *Apply order* is where it runs.
        assert_eq!(text.matches(create).count(), 1, "{name}");
        let bare = bare_placeholders(order);
        assert!(bare.is_empty(), "{name}: {bare:?} are not shell variables");
    }
    // Without `caBundle` nothing asks for the ConfigMap in *Apply order*.
    let plain = readme("eks", "production", &[]);
    assert!(!section(&plain, "Apply order").contains("configmap"));
}
