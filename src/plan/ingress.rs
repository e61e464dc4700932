//! Ingress planning: per-endpoint Ingress values, TLS, and the per-cloud manifests they need.
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::answers::{Endpoint, Exposure, IssuerProof};
use crate::catalog::{ExposureSpec, Labels, TlsMode};
use crate::format::Format;
use crate::manifest::IngressValues;

use super::context::Context;
use super::placeholders::Vars;

/// One exposed endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedIngress {
    /// Endpoint key.
    pub endpoint: String,
    /// Human name.
    pub title: String,
    /// `public`/`internal`.
    pub exposure: String,
    /// Host.
    pub host: String,
    /// `https://host`.
    pub url: String,
    /// What serves it.
    pub load_balancer: String,
    /// Where its certificate comes from.
    pub certificate: String,
    /// What the cluster must run to serve it.
    pub requires: String,
}

/// A manifest rendered from a template.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedManifest {
    /// Template under `templates/`.
    pub template: String,
    /// Output path.
    pub path: String,
    /// Flat context.
    pub context: BTreeMap<String, String>,
}

/// The ingress part of a plan.
#[derive(Default)]
pub(super) struct IngressPlan {
    /// `ingress.<endpoint>` values, for every exposable endpoint.
    pub values: BTreeMap<String, IngressValues>,
    /// The exposed endpoints.
    pub ingresses: Vec<PlannedIngress>,
    /// Per-cloud manifests (certificates, ingress classes), sorted by path.
    pub manifests: Vec<PlannedManifest>,
    /// The exposures in use, by key, with how this cloud serves them.
    pub exposures: Vec<(String, ExposureSpec)>,
}

/// Plans every exposable endpoint, then the manifests of the exposures in use.
pub(super) fn plan_ingress(cx: &Context) -> IngressPlan {
    let mut plan = IngressPlan::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for e in Endpoint::EXPOSABLE {
        let x = cx.exposure_of(e);
        match cx.exposure(x).filter(|_| x != Exposure::Disabled) {
            Some(spec) => {
                used.insert(x.key().to_string());
                plan_endpoint(cx, e, x, &spec, &mut plan);
            }
            None => {
                plan.values.insert(e.key().to_string(), disabled());
            }
        }
    }
    plan.exposures = used
        .into_iter()
        .filter_map(|x| Some((x.clone(), cx.exposure(Exposure::from_key(&x)?)?)))
        .collect();
    for (_, spec) in &plan.exposures {
        plan.manifests.extend(exposure_manifests(cx, spec));
    }
    plan.manifests.sort_by(|a, b| a.path.cmp(&b.path));
    plan
}

fn disabled() -> IngressValues {
    IngressValues {
        enabled: false,
        class_name: None,
        host: None,
        tls_secret_name: None,
        annotations: Labels::new(),
    }
}

/// One exposed endpoint: its values, its TLS and its summary line.
fn plan_endpoint(
    cx: &Context,
    e: Endpoint,
    x: Exposure,
    spec: &ExposureSpec,
    plan: &mut IngressPlan,
) {
    let host = cx.host(e);
    let vars = Vars {
        endpoint: Some(e.key()),
        value: Some(&cx.tls_value),
        host: Some(&host),
        ..cx.vars()
    };
    let mut annotations = fill_labels(&spec.annotations, &vars);
    if let Some(k) = &spec.health_check_annotation {
        annotations.insert(k.clone(), readiness_path(cx, e));
    }
    let mut tls = EndpointTls {
        certificate: format!("an ACM certificate covering `{host}`, discovered by host"),
        ..EndpointTls::default()
    };
    if let Some(mode) = &cx.tls_mode {
        tls = endpoint_tls(cx, mode, e, &vars);
        annotations.extend(tls.annotations);
        plan.manifests.extend(tls.manifests);
        if mode.tls_secret && cx.answers.issuer_proof == Some(IssuerProof::Http01) {
            annotations.extend(fill_labels(&spec.http01_annotations, &vars));
        }
    }
    plan.values.insert(
        e.key().to_string(),
        IngressValues {
            enabled: true,
            class_name: Some(vars.fill(&spec.class_name)),
            host: Some(host.clone()),
            tls_secret_name: tls.secret_name,
            annotations,
        },
    );
    plan.ingresses.push(PlannedIngress {
        endpoint: e.key().into(),
        title: e.title().into(),
        exposure: x.key().into(),
        url: format!("https://{host}"),
        host,
        load_balancer: spec.describe.clone(),
        certificate: tls.certificate,
        requires: spec.requires.clone(),
    });
}

/// The readiness path of endpoint `e`'s pods, from the component catalog.
fn readiness_path(cx: &Context, e: Endpoint) -> String {
    let c = cx.components.components.iter().find(|c| c.id == e.key());
    c.map_or_else(|| "/ready".into(), |c| c.readiness_path.clone())
}

/// What a TLS mode adds to one endpoint.
#[derive(Default)]
struct EndpointTls {
    annotations: Labels,
    secret_name: Option<String>,
    manifests: Vec<PlannedManifest>,
    certificate: String,
}

fn endpoint_tls(cx: &Context, mode: &TlsMode, e: Endpoint, vars: &Vars) -> EndpointTls {
    let manifests = mode.manifests.iter().map(|m| PlannedManifest {
        template: m.template.clone(),
        path: vars.fill(&m.path),
        context: vars.context(),
    });
    EndpointTls {
        annotations: fill_labels(&mode.annotations, vars),
        secret_name: mode
            .tls_secret
            .then(|| format!("{}-{}-tls", cx.release, e.key())),
        manifests: manifests.collect(),
        certificate: match mode.format {
            Format::Bool => mode.title.clone(),
            _ => format!("{} `{}`", mode.title, cx.tls_value),
        },
    }
}

/// The manifests an exposure needs once, whatever the number of endpoints (ingress classes).
fn exposure_manifests<'a>(
    cx: &'a Context,
    spec: &'a ExposureSpec,
) -> impl Iterator<Item = PlannedManifest> + 'a {
    let vars = cx.vars();
    spec.manifests.iter().map(move |m| {
        let mut context = vars.context();
        context.insert("className".into(), vars.fill(&spec.class_name));
        PlannedManifest {
            template: m.template.clone(),
            path: vars.fill(&m.path),
            context,
        }
    })
}

/// `labels` with placeholders in their values filled.
pub(super) fn fill_labels(labels: &Labels, vars: &Vars) -> Labels {
    labels
        .iter()
        .map(|(k, v)| (k.clone(), vars.fill(v)))
        .collect()
}
