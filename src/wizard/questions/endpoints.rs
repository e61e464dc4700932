//! Rows of the endpoints step: which endpoints are reachable, and how.
use crate::answers::{Endpoint, Exposure};
use crate::catalog::{Cloud, Profile};

use super::row::{choice, endpoint, Ids, KindSpec, Phrase, Row};
use super::when::KNOWN;
use super::{Choice, Context, QuestionId, Step};

/// The endpoints step's rows, in order.
pub(super) static ROWS: &[Row] = &[Row {
    ids: Ids::PerEndpoint(QuestionId::Exposure),
    step: Step::Endpoints,
    path: Phrase::From(|_, id| Some(format!("endpoints.{}", endpoint(id)?))),
    prompt: Phrase::From(|_, id| Some(endpoint(id)?.title().into())),
    help: Phrase::From(|_, id| Some(help(endpoint(id)?).into())),
    kind: KindSpec::Choices(exposures),
    applies: &KNOWN,
}];

/// What exposing `e` means.
fn help(e: Endpoint) -> &'static str {
    match e {
        Endpoint::Web => "The console: the only origin with session cookies; its host becomes the console URL.",
        Endpoint::Sts => "Token exchange. Exposed, its origin becomes the `iss` of every mandate; keep it internal if verifiers run inside.",
        Endpoint::Gateway => "Protected-resource proxy: expose it when clients outside the network call resources.",
        Endpoint::Api => "Admin API: expose it only for admin automation outside the network.",
        _ => "Has no Ingress in the chart: stays private.",
    }
}

/// Every exposure, disabled where the cloud does not offer it or the profile refuses it.
fn exposures(ctx: &Context<'_>, _: QuestionId) -> Option<Vec<Choice>> {
    let (cloud, profile) = (ctx.cloud?, ctx.profile?);
    let choices = Exposure::ALL.into_iter().map(|x| {
        let explain = match (x, cloud.exposures.get(x.key())) {
            (Exposure::Disabled, _) => "no Ingress: reachable only inside the cluster".to_string(),
            (_, Some(s)) => s.describe.clone(),
            (_, None) => String::new(),
        };
        Choice {
            disabled: refusal(cloud, profile, x),
            ..choice(x.key(), x.key(), explain)
        }
    });
    Some(choices.collect())
}

/// Why exposure `x` can't be chosen on this cloud in this profile, if it can't.
fn refusal(cloud: &Cloud, profile: &Profile, x: Exposure) -> Option<String> {
    if x == Exposure::Disabled {
        None
    } else if !cloud.exposures.contains_key(x.key()) {
        Some(format!("not offered on {}", cloud.title))
    } else if !profile.exposures.iter().any(|k| k == x.key()) {
        Some(
            profile
                .exposure_reason
                .clone()
                .unwrap_or_else(|| format!("not allowed in profile {}", profile.title)),
        )
    } else {
        None
    }
}
