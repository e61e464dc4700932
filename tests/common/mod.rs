//! Shared helpers for the integration tests: fixtures, a temp-dir harness and the binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Directory of the fixture answers files.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture answers file, sorted, as (name, path).
pub fn fixture_files() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// Reads every file under `dir` (relative path → contents).
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// `caracal-wizard new --answers ANSWERS --out OUT`, ready for more arguments.
pub fn new_cmd(answers: impl AsRef<Path>, out: impl AsRef<Path>) -> assert_cmd::Command {
    let mut c = cmd();
    c.args(["new", "--answers"])
        .arg(answers.as_ref())
        .arg("--out")
        .arg(out.as_ref());
    c
}

/// The binary under test.
pub fn cmd() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("caracal-wizard").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

mod combos;
#[allow(unused_imports)]
pub use combos::*;
