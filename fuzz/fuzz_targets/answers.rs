//! Fuzzes the answers parser and everything behind it, and `check`/`migrate` over arbitrary
//! overlay directories: any bytes must come back as an error or a result, never a panic or a
//! hang (#5, #11).
//!
//! Input, split at NUL bytes: answers text, then `--set key.path=value` overrides. The same
//! parts are also written as the files of a temporary overlay (answers, `values.yaml`,
//! `.gitignore`, the ExternalSecret, the local secrets, the kustomization and a NetworkPolicy),
//! which `check` and `migrate` read.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use caracal_wizard::answers::Answers;
use caracal_wizard::catalog::Catalog;
use caracal_wizard::migrate::{plan_migration, DirState};
use caracal_wizard::render::Templates;
use caracal_wizard::verify::{verify_dir, Tools};
use libfuzzer_sys::fuzz_target;

/// The overlay files the parts become, in order.
const FILES: [&str; 7] = [
    "caracal-wizard.yaml",
    "values.yaml",
    ".gitignore",
    "external-secrets/external-secret.yaml",
    "secrets.local.yaml",
    "kustomization.yaml",
    "network/baseline.yaml",
];

/// The profiles a migration is planned to.
const PROFILES: [&str; 4] = ["evaluation", "production", "private", "regulated"];

fn builtins() -> &'static (Catalog, Templates) {
    static BUILTINS: OnceLock<(Catalog, Templates)> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        (
            Catalog::builtin().expect("built-in catalog"),
            Templates::builtin().expect("built-in templates"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let answers_text = parts.next().unwrap_or_default();
    let sets: Vec<String> = parts.map(str::to_string).collect();
    let (catalog, templates) = builtins();
    if let Ok(answers) = Answers::parse("fuzz", answers_text, &sets) {
        let _ = caracal_wizard::validate::check(&answers, catalog);
        let _ = caracal_wizard::build(&answers, catalog, templates);
    }
    overlay(data, catalog, templates);
});

/// Writes the input as an overlay directory and runs `check` and `migrate` planning on it.
fn overlay(data: &[u8], catalog: &Catalog, templates: &Templates) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut parts = data.split(|b| *b == 0);
    for name in FILES {
        let Some(bytes) = parts.next() else { break };
        write(dir.path(), name, bytes);
    }
    let sets: Vec<String> = parts
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let _ = caracal_wizard::check::check_dir(dir.path(), catalog);
    let tools = Tools {
        helm: None,
        kubectl: None,
    };
    let _ = verify_dir(dir.path(), None, catalog, &tools);
    if let Ok((old, state)) = DirState::read(dir.path()) {
        let target = PROFILES[data.len() % PROFILES.len()];
        let _ = plan_migration(&old, target, &sets, &state, catalog, templates);
    }
}

fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(path, bytes).expect("write");
}
