//! The static check of the overlay's own monitoring (#10): every planned ServiceMonitor is
//! there and sends the runtime Secret's bearer, without which stable Caracal answers 401.
use std::path::Path;

use serde_yaml::Value;

use super::doc::{kind, seq, str_at};
use super::{read_optional, CheckError, Finding};
use crate::plan::Plan;

/// Whether every endpoint of ServiceMonitor `sm` sends a bearer from a Secret.
pub(crate) fn has_credentials(sm: &Value) -> bool {
    let endpoints = seq(sm, &["spec", "endpoints"]);
    !endpoints.is_empty()
        && endpoints.iter().all(|e| {
            str_at(e, &["authorization", "credentials", "key"]).is_some()
                || str_at(e, &["bearerTokenSecret", "key"]).is_some()
        })
}

/// Each planned `monitoring/*.yaml` exists and authenticates.
pub(super) fn check_monitors(
    dir: &Path,
    plan: &Plan,
    findings: &mut Vec<Finding>,
) -> Result<(), CheckError> {
    for (path, _) in &plan.service_monitors {
        let Some(text) = read_optional(dir, path)? else {
            findings.push(Finding::error(path, "missing: without it Prometheus never scrapes this component; re-run `caracal-wizard new --answers caracal-wizard.yaml --out .`", Some("profile")));
            continue;
        };
        let docs = crate::manifest::parse_yaml_documents(&text).unwrap_or_default();
        for sm in docs.iter().filter(|d| kind(d) == "ServiceMonitor") {
            if !has_credentials(sm) {
                findings.push(Finding::error(path, "this ServiceMonitor sends no credentials, so stable Caracal answers its scrapes with 401: give each endpoint `authorization: {type: Bearer, credentials: {name: caracal-runtime, key: metricsBearer}}`", Some("profile")));
            }
        }
    }
    Ok(())
}
