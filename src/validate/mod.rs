//! Fills profile and cloud defaults into answers and checks them against the
//! formats, cross-field rules, the chart's guardrails and the profile's rules.
//!
//! Every problem is collected, so the operator sees them all at once. The rules live
//! in one file per concern; `Validator::run` in `validator.rs` lists them in the order
//! their problems are reported.
mod audit;
mod data;
mod defaults;
mod gitops;
mod ingress;
mod monitoring;
mod names;
mod network;
mod private_hosts;
mod secrets;
mod sign_in;
mod text;
mod validator;

use crate::answers::{Answers, VERSION};
use crate::catalog::{Catalog, Cloud, Profile};
use crate::error::{Problem, Problems};
use validator::Validator;

pub use defaults::complete;
pub use gitops::{is_exact_version, is_pinned_revision};
pub use ingress::effective_exposure;
pub use secrets::EXTERNAL_SECRETS_IDENTITY;
pub use text::unsafe_reason;

/// The chart's in-cluster Postgres default, refused by its stable guardrail.
pub const IN_CLUSTER_POSTGRES: &str = "postgres.default.svc.cluster.local";
/// The chart's in-cluster Redis default, refused by its stable guardrail.
pub const IN_CLUSTER_REDIS: &str = "redis.default.svc.cluster.local";

/// Default Git revision of `gitopsRepo` (a branch: `validate` warns until it is pinned).
pub const DEFAULT_REVISION: &str = "main";

/// Answers with every default filled in and every rule checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Complete answers.
    pub answers: Answers,
    /// Non-fatal findings worth telling the operator.
    pub warnings: Vec<Problem>,
}

/// Completes and validates `answers`; returns every problem at once on failure.
pub fn check(answers: &Answers, catalog: &Catalog) -> Result<Checked, Problems> {
    check_with_warnings(answers, catalog).0
}

/// [`check`], plus the warnings found even while problems remain: the wizard shows them
/// under their questions as the operator goes, not only once everything is answered.
pub fn check_with_warnings(
    answers: &Answers,
    catalog: &Catalog,
) -> (Result<Checked, Problems>, Vec<Problem>) {
    let mut problems: Vec<Problem> = version_problem(answers.version).into_iter().collect();
    problems.extend(text::unsafe_text(answers));
    let cloud = find_cloud(answers, catalog, &mut problems);
    let profile = find_profile(answers, catalog, &mut problems);
    if answers.domain.is_empty() {
        problems.push(Problem::new(
            "domain",
            "missing; give the DNS domain the endpoints live under, e.g. `caracal.example.com`",
        ));
    }
    // Without a cloud and a profile there are no defaults to fill nor rules to apply.
    let (Some(cloud), Some(profile)) = (cloud, profile) else {
        return (Err(Problems(problems)), Vec::new());
    };
    let complete = complete(answers, cloud, profile);
    let mut v = Validator::new(&complete, cloud, profile, catalog, problems);
    v.run();
    let (mut problems, warnings) = v.into_findings();
    if problems.is_empty() {
        let checked = Checked {
            answers: complete,
            warnings: warnings.clone(),
        };
        (Ok(checked), warnings)
    } else {
        problems.dedup();
        (Err(Problems(problems)), warnings)
    }
}

/// The problem with the answers' format version, if it is not this build's.
fn version_problem(version: Option<u32>) -> Option<Problem> {
    match version {
        None | Some(VERSION) => None,
        Some(v) if v < VERSION => Some(Problem::new(
            "version",
            format!("answers version {v} is older than {VERSION}; upgrade it with `caracal-wizard migrate`"),
        )),
        Some(v) => Some(Problem::new(
            "version",
            format!("answers version {v} is newer than this caracal-wizard understands ({VERSION}); upgrade caracal-wizard"),
        )),
    }
}

/// The catalog's entry for `answers.cloud`, or a problem saying which clouds exist.
fn find_cloud<'c>(
    answers: &Answers,
    catalog: &'c Catalog,
    problems: &mut Vec<Problem>,
) -> Option<&'c Cloud> {
    if answers.cloud.is_empty() {
        problems.push(Problem::new(
            "cloud",
            format!("missing; choose one of: {}", catalog.cloud_ids()),
        ));
        return None;
    }
    let c = catalog.cloud(&answers.cloud);
    if c.is_none() {
        problems.push(Problem::new(
            "cloud",
            format!(
                "`{}` is not a supported cloud; choose one of: {}",
                answers.cloud,
                catalog.cloud_ids()
            ),
        ));
    }
    c
}

/// The catalog's entry for `answers.profile`, or a problem saying which profiles exist.
fn find_profile<'c>(
    answers: &Answers,
    catalog: &'c Catalog,
    problems: &mut Vec<Problem>,
) -> Option<&'c Profile> {
    if answers.profile.is_empty() {
        problems.push(Problem::new(
            "profile",
            format!("missing; choose one of: {}", catalog.profile_ids()),
        ));
        return None;
    }
    let p = catalog.profile(&answers.profile);
    if p.is_none() {
        problems.push(Problem::new(
            "profile",
            format!(
                "`{}` is not a profile; choose one of: {}",
                answers.profile,
                catalog.profile_ids()
            ),
        ));
    }
    p
}

#[cfg(test)]
mod tests;
