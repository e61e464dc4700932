//! The Tera templates an overlay is rendered from, parsed lazily and rendered by name.
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use crate::error::RenderError;

/// The built-in templates, each parsed the first time it is used.
///
/// Parsing is a large part of rendering, and an overlay uses only some templates (one
/// secret store, no AKS controller on GKE, …), so none is parsed before it is needed.
pub struct Templates {
    sources: BTreeMap<&'static str, &'static str>,
    parsed: Mutex<Tera>,
}

impl Clone for Templates {
    fn clone(&self) -> Self {
        let parsed = self
            .parsed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        Self {
            sources: self.sources.clone(),
            parsed: Mutex::new(parsed),
        }
    }
}

impl Templates {
    /// The embedded templates (parsed lazily).
    pub fn builtin() -> Result<Self, RenderError> {
        Ok(Self::from_sources(crate::embedded::TEMPLATES))
    }

    /// Templates from `(name, source)` pairs laid out like `templates/`.
    pub fn from_sources(files: &[(&'static str, &'static str)]) -> Self {
        let mut tera = Tera::default();
        tera.autoescape_on(Vec::<&str>::new());
        // `{{ namespace | yaml }}`: every answer a YAML template repeats is written as a
        // scalar YAML 1.1 reads as that string (`namespace: 'yes'`, not `true`, #11).
        tera.register_filter("yaml", |v: &str, _: Kwargs, _: &State| {
            crate::manifest::yaml11::yaml_scalar(v)
        });
        Self {
            sources: files.iter().copied().collect(),
            parsed: Mutex::new(tera),
        }
    }

    /// Parses every template now; the built-in set is checked this way in tests.
    pub fn ensure_all_parse(&self) -> Result<(), RenderError> {
        let mut tera = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        for name in self.sources.keys() {
            self.ensure_parsed(&mut tera, name)?;
        }
        Ok(())
    }

    fn ensure_parsed(&self, tera: &mut Tera, name: &str) -> Result<(), RenderError> {
        if tera.get_template_names().any(|n| n == name) {
            return Ok(());
        }
        let source = self
            .sources
            .get(name)
            .ok_or_else(|| RenderError::Template {
                template: name.into(),
                reason: "no such built-in template".into(),
            })?;
        tera.add_raw_template(name, source)
            .map_err(|e| template_error(name, &e))
    }

    /// Renders template `name` with `ctx`, ending the output with exactly one newline.
    pub(crate) fn render(&self, name: &str, ctx: &Context) -> Result<String, RenderError> {
        let mut tera = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        self.ensure_parsed(&mut tera, name)?;
        let mut out = tera
            .render(name, ctx)
            .map_err(|e| template_error(name, &e))?;
        // Every file ends with exactly one newline, whatever the template's tail.
        let trimmed = out.trim_end_matches('\n').len();
        out.truncate(trimmed);
        out.push('\n');
        Ok(out)
    }

    /// Renders template `name` with the fields of `model` as its variables.
    pub(crate) fn render_model<T: Serialize>(
        &self,
        name: &str,
        model: &T,
    ) -> Result<String, RenderError> {
        let ctx = Context::from_serialize(model).map_err(|e| template_error(name, &e))?;
        self.render(name, &ctx)
    }
}

fn template_error(name: &str, e: &dyn std::error::Error) -> RenderError {
    RenderError::Template {
        template: name.into(),
        reason: error_chain(e),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_template_parses() {
        Templates::builtin()
            .expect("templates")
            .ensure_all_parse()
            .expect("every template parses");
    }

    #[test]
    fn a_broken_template_is_reported_by_name() {
        let t = Templates::from_sources(&[("bad.tera", "{% if %}")]);
        let err = t.ensure_all_parse().unwrap_err().to_string();
        assert!(err.contains("bad.tera"), "{err}");
    }

    #[test]
    fn every_scalar_a_yaml_template_interpolates_goes_through_the_yaml_filter() {
        for (name, source) in crate::embedded::TEMPLATES {
            if !name.ends_with(".yaml.tera") {
                continue;
            }
            for line in source.lines() {
                let mut code = line.trim_start().to_string();
                // Tags (`{% for %}`) are not output.
                while let Some((head, tail)) = code.split_once("{%") {
                    let rest = tail.split_once("%}").map_or("", |(_, r)| r);
                    code = format!("{head}{rest}");
                }
                let code = code.trim_start();
                // Comments can't be retyped; a line that is only `{{ block }}` is YAML serde
                // wrote (quote_yaml11 quoted it).
                if code.starts_with('#') || code.starts_with("{{") && code.ends_with("}}") {
                    continue;
                }
                for piece in code.split("{{").skip(1) {
                    let expr = piece.split("}}").next().unwrap_or_default();
                    assert!(
                        expr.trim_end().ends_with("| yaml"),
                        "{name}: `{{{{{expr}}}}}` in `{line}` is not `| yaml`"
                    );
                }
            }
        }
    }

    #[test]
    fn the_yaml_filter_quotes_yaml11_words() {
        let t = Templates::from_sources(&[(
            "t.yaml.tera",
            "a: {{ x | yaml }}\nb: {{ (x ~ \"-\" ~ y) | yaml }}",
        )]);
        let mut ctx = Context::new();
        ctx.insert("x", "yes");
        ctx.insert("y", "web");
        assert_eq!(
            t.render("t.yaml.tera", &ctx).expect("renders"),
            "a: 'yes'\nb: yes-web\n"
        );
    }
}
