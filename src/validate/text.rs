//! The one rule for text in answers: every string the overlay repeats (in YAML, YAML
//! comments, Markdown tables and the shell commands the README gives) is a single plain
//! word that none of them can read as syntax (#11).
use serde_yaml::Value;

use crate::answers::Answers;
use crate::error::Problem;

/// Characters no answer needs and that YAML comments, Markdown cells or a shell would
/// read as syntax: quotes, `|`, `` ` ``, `$`, `\`, `;`, `&`, `<`, `>`, `{`, `}`.
const SYNTAX: [char; 12] = ['`', '|', '$', '\\', '"', '\'', ';', '&', '<', '>', '{', '}'];

/// A problem for every string of `answers` (keys included) holding whitespace, a control
/// character or one of [`SYNTAX`], at its key path.
pub fn unsafe_text(answers: &Answers) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Ok(v) = serde_yaml::to_value(answers) {
        walk(&v, "", &mut out);
    }
    out
}

fn walk(v: &Value, path: &str, out: &mut Vec<Problem>) {
    match v {
        Value::String(s) => {
            // The sender is a mailbox, `Name <address>`; it only reaches a YAML value
            // (serde quotes it), never a comment, a table or a command.
            let reason = if path == "signIn.from" {
                unsafe_reason(&s.replace([' ', '<', '>'], "x"))
            } else {
                unsafe_reason(s)
            };
            if let Some(reason) = reason {
                out.push(Problem::new(
                    path,
                    format!("`{}` {reason}; answers are single words (they are written into YAML, Markdown and shell commands)", s.escape_debug()),
                ));
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Mapping(m) => {
            for (k, item) in m {
                let key = k.as_str().map_or_else(|| format!("{k:?}"), str::to_string);
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Some(reason) = unsafe_reason(&key) {
                    out.push(Problem::new(
                        &child,
                        format!("the key `{}` {reason}", key.escape_debug()),
                    ));
                }
                walk(item, &child, out);
            }
        }
        Value::Tagged(t) => walk(&t.value, path, out),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Why `s` can't be repeated safely, if it can't.
pub fn unsafe_reason(s: &str) -> Option<String> {
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || crate::frontend::visible::is_hostile(*c))
    {
        return Some(format!(
            "contains {c:?}: no spaces, line breaks or control characters"
        ));
    }
    s.chars()
        .find(|c| SYNTAX.contains(c))
        .map(|c| format!("contains `{c}`, which no answer needs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_syntax_are_refused_at_their_key() {
        let a = Answers::parse(
            "t",
            "cloud: eks\nprofile: production\ndomain: x.example.com\nstorageClass: \"gp3 scheduling: {}\"\nsecretStore: {keyPrefix: \"a|b\"}\n",
            &[],
        )
        .expect("parses");
        let paths: Vec<String> = unsafe_text(&a).into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["secretStore.keyPrefix", "storageClass"]);
        assert!(unsafe_reason("caracal/prod/").is_none());
        assert!(unsafe_reason("https://s3.us-east-1.amazonaws.com").is_none());
    }
}
