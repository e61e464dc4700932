//! Embeds every file under `assets/` and `templates/` into the binary, so that a
//! cloud or a template is added by adding a file, and the binary runs from anywhere.
//!
//! The catalog (every `assets/**/*.yaml` outside `assets/examples/`) is also embedded as
//! JSON converted here: YAML stays the format people edit, and the binary reads JSON, which
//! parses about ten times faster (the catalog was a third of `new`'s work). A malformed
//! asset fails the build, naming the file.
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
    let mut assets = Vec::new();
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
        if dir == "assets" {
            assets = files;
        }
    }
    let out_dir = env::var("OUT_DIR").expect("OUT_DIR");
    catalog_as_json(&assets, Path::new(&out_dir), &mut code);
    fs::write(Path::new(&out_dir).join("embedded.rs"), code).expect("write embedded.rs");
}

/// Converts the catalog's YAML files among `assets` (relative path, absolute path) to JSON
/// under `out_dir` and lists them as `CATALOG`.
fn catalog_as_json(assets: &[(String, String)], out_dir: &Path, code: &mut String) {
    writeln!(
        code,
        "/// The catalog under `assets/` (all but `examples/`), converted to JSON at build time:\n/// (relative path of the YAML file, JSON)."
    )
    .unwrap();
    writeln!(code, "pub static CATALOG: &[(&str, &str)] = &[").unwrap();
    for (rel, abs) in assets {
        if !rel.ends_with(".yaml") || rel.starts_with("examples/") {
            continue;
        }
        let text = fs::read_to_string(abs).unwrap_or_else(|e| panic!("reading {abs}: {e}"));
        let value: serde_yaml::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("assets/{rel} is not valid YAML: {e}"));
        let json = serde_json::to_string(&value)
            .unwrap_or_else(|e| panic!("assets/{rel} has no JSON equivalent: {e}"));
        let name = format!("catalog-{}.json", rel.replace('/', "-"));
        fs::write(out_dir.join(&name), json).expect("write catalog JSON");
        writeln!(
            code,
            "    ({rel:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))),"
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
}
