//! The rendered check for plaintext Secrets: outside an evaluation, none carries data.
use serde_yaml::Value;

use super::Expectations;
use crate::check::doc::{kind, name, non_empty_map};
use crate::check::Finding;

/// Flags Secrets that carry data outside an evaluation.
pub fn check_secrets(docs: &[Value], exp: &Expectations<'_>, file: &str, out: &mut Vec<Finding>) {
    if exp.evaluation {
        return;
    }
    for d in docs.iter().filter(|d| kind(d) == "Secret") {
        if non_empty_map(d.get("data")) || non_empty_map(d.get("stringData")) {
            out.push(Finding::error(
                file,
                format!(
                    "renders Secret `{}` with data: a plaintext secret from a committed file; outside evaluation every credential comes from the secret manager through External Secrets (remove secrets.create/secrets.plaintext or the Secret manifest)",
                    name(d)
                ),
                Some("profile"),
            ));
        }
    }
}
