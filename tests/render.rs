//! Golden tests: every fixture's overlay, file by file, plus YAML round trips.
mod common;

use caracal_wizard::answers::Answers;
use caracal_wizard::catalog::Catalog;
use caracal_wizard::manifest;
use caracal_wizard::render::Templates;

fn render(path: &std::path::Path) -> caracal_wizard::render::RenderedTree {
    let text = std::fs::read_to_string(path).expect("fixture");
    let answers = Answers::parse(&path.display().to_string(), &text, &[]).expect("parses");
    let (_, tree) = caracal_wizard::build(
        &answers,
        &Catalog::builtin().unwrap(),
        &Templates::builtin().unwrap(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    tree
}

#[test]
fn every_fixture_renders_the_same_files_as_its_snapshots() {
    for (name, path) in common::fixture_files() {
        let tree = render(&path);
        for (file, contents) in &tree.files {
            let snap = format!("{name}__{}", file.replace('/', "__"));
            insta::assert_snapshot!(snap, contents);
        }
    }
}

#[test]
fn every_yaml_output_parses_back() {
    for (name, path) in common::fixture_files() {
        let tree = render(&path);
        for (file, contents) in &tree.files {
            if file.ends_with(".yaml") {
                let docs = manifest::parse_yaml_documents(contents)
                    .unwrap_or_else(|e| panic!("{name}/{file}: {e}"));
                assert_eq!(docs.len(), 1, "{name}/{file}: one document");
                assert!(docs[0].is_mapping(), "{name}/{file}");
            }
        }
        // The answers file written is a complete input for a re-run that gives the same files.
        let again = Answers::parse("answers", &tree.files["caracal-wizard.yaml"], &[])
            .expect("answers parse back");
        let (_, tree2) = caracal_wizard::build(
            &again,
            &Catalog::builtin().unwrap(),
            &Templates::builtin().unwrap(),
        )
        .expect("re-run");
        assert_eq!(
            tree.files, tree2.files,
            "{name}: re-run from the written answers"
        );
    }
}

#[test]
fn rendering_is_deterministic() {
    for (name, path) in common::fixture_files() {
        assert_eq!(render(&path), render(&path), "{name}");
    }
}

#[test]
fn no_secret_value_is_rendered() {
    for (name, path) in common::fixture_files() {
        let tree = render(&path);
        for (file, contents) in &tree.files {
            for doc in manifest::parse_yaml_documents(contents).unwrap_or_default() {
                assert_ne!(
                    doc.get("kind").and_then(|k| k.as_str()),
                    Some("Secret"),
                    "{name}/{file}"
                );
            }
            if file == "values.yaml" {
                let v = manifest::parse_yaml(contents).unwrap();
                assert!(
                    v.get("secrets").and_then(|s| s.get("plaintext")).is_none(),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn evaluation_install_commands_pass_the_local_secrets() {
    for (name, path) in common::fixture_files() {
        let tree = render(&path);
        let wants = name.ends_with("evaluation");
        for file in ["README.md", "values.yaml"] {
            let line = tree.files[file]
                .lines()
                // The chart's install (the prerequisites install other charts too).
                .find(|l| l.contains("helm upgrade --install") && l.contains("-f values.yaml"))
                .unwrap_or_else(|| panic!("{name}/{file}: no install command"));
            assert_eq!(
                line.contains("-f secrets.local.yaml"),
                wants,
                "{name}/{file}: {line}"
            );
        }
    }
}
