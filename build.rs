//! Embeds every file under `assets/` and `templates/` into the binary, so that a
//! cloud or a template is added by adding a file, and the binary runs from anywhere.
use std::{env, fmt::Write as _, fs, path::Path};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let abs = fs::canonicalize(&path).expect("canonical path");
            out.push((rel, abs.to_string_lossy().into_owned()));
        }
    }
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (name, dir) in [("ASSETS", "assets"), ("TEMPLATES", "templates")] {
        let root = Path::new(&manifest).join(dir);
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        collect(&root, &root, &mut files);
        writeln!(
            code,
            "/// Files embedded from `{dir}/`: (relative path, contents)."
        )
        .unwrap();
        writeln!(code, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for (rel, abs) in &files {
            println!("cargo:rerun-if-changed={abs}");
            writeln!(code, "    ({rel:?}, include_str!({abs:?})),").unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("embedded.rs");
    fs::write(out, code).expect("write embedded.rs");
}
