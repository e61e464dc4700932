//! `preview`: the files an answers file would produce, printed for reading or for machines.
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};

use super::{build, load_answers, print_warnings, usage, PreviewArgs, PreviewFormat};
use crate::frontend::visible::visible;
use crate::render::RenderedTree;

/// `preview`.
pub fn run_preview(args: &PreviewArgs) -> anyhow::Result<i32> {
    let answers = load_answers(&args.answers, &args.sets)?;
    let (plan, tree) = build(&answers)?;
    print_warnings(&plan);
    if let Some(f) = &args.file {
        let contents = tree.files.get(f.trim_start_matches("./")).ok_or_else(|| {
            usage(format!(
                "--file `{f}`: this overlay has no such file; it has: {}",
                tree.files.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?;
        let one = RenderedTree {
            files: BTreeMap::from([(f.trim_start_matches("./").to_string(), contents.clone())]),
            needs_local_secrets: false,
        };
        return print(&one, args.format, true);
    }
    print(&tree, args.format, false)
}

/// Prints `tree` in `format`; `single` prints a lone file's bytes in the text format.
fn print(tree: &RenderedTree, format: PreviewFormat, single: bool) -> anyhow::Result<i32> {
    let text = match format {
        PreviewFormat::Json => {
            let mut s = serde_json::to_string_pretty(&tree.files)?;
            s.push('\n');
            s
        }
        PreviewFormat::Yaml => kubernetes_stream(tree),
        PreviewFormat::Text if single => tree.files.values().next().cloned().unwrap_or_default(),
        PreviewFormat::Text => with_headers(tree),
    };
    // On a terminal, control characters are shown, not obeyed; piped, the bytes are the file's.
    let shown = if std::io::stdout().is_terminal() {
        visible(&text).into_owned()
    } else {
        text
    };
    crate::stdio::stdout().write_all(shown.as_bytes())?;
    Ok(0)
}

/// Every file under a `==> path <==` header, like `tail` (for people).
fn with_headers(tree: &RenderedTree) -> String {
    let mut out = String::new();
    for (path, contents) in &tree.files {
        out.push_str(&format!("==> {path} <==\n{contents}"));
        if !contents.ends_with('\n') {
            out.push('\n');
        }
    }
    if tree.needs_local_secrets {
        out.push_str(&format!(
            "==> {} <==\n# (generated on write: random, git-ignored, mode 0600)\n",
            crate::render::LOCAL_SECRETS_FILE
        ));
    }
    out
}

/// The Kubernetes objects (YAML files with `apiVersion` and `kind`, not kustomize's own
/// configuration) as one stream, each document after `# Source: path`, like `helm template`.
fn kubernetes_stream(tree: &RenderedTree) -> String {
    let mut out = String::new();
    for (path, contents) in &tree.files {
        if !path.ends_with(".yaml") || !is_kubernetes_object(contents) {
            continue;
        }
        out.push_str(&format!("---\n# Source: {path}\n{contents}"));
        if !contents.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn is_kubernetes_object(text: &str) -> bool {
    let Ok(doc) = crate::manifest::parse_yaml(text) else {
        return false;
    };
    let api = doc
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    !api.is_empty() && doc.get("kind").is_some() && !api.starts_with("kustomize.config.k8s.io/")
}
