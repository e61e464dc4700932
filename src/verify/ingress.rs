//! The rendered check of Ingresses: each belongs to an endpoint the answers expose, has TLS,
//! and serves the planned host with the planned annotations and class.
use std::collections::BTreeSet;

use serde_yaml::Value;

use super::{Expectations, VALUES};
use crate::answers::Endpoint;
use crate::check::doc::{kind, name, seq, str_at};
use crate::check::Finding;
use crate::manifest::IngressValues;
use crate::plan::Plan;

/// The endpoint a rendered Ingress serves: by its component label, else by its name.
pub(super) fn endpoint_of(ingress: &Value, fullname_hint: Option<&str>) -> Option<Endpoint> {
    let component = str_at(
        ingress,
        &["metadata", "labels", "app.kubernetes.io/component"],
    );
    let n = name(ingress);
    Endpoint::EXPOSABLE.into_iter().find(|e| {
        component == Some(e.key())
            || fullname_hint.is_some_and(|f| n == format!("{f}-{}", e.key()))
            || (component.is_none() && n.ends_with(&format!("-{}", e.key())))
    })
}

/// A rendered Ingress of a Caracal endpoint.
struct Ingress<'a> {
    doc: &'a Value,
    name: &'a str,
    endpoint: Endpoint,
    hosts: Vec<&'a str>,
}

impl Ingress<'_> {
    fn annotation(&self, k: &str) -> Option<&str> {
        str_at(self.doc, &["metadata", "annotations", k])
    }
}

/// Checks every rendered Ingress, then that every planned one was rendered.
pub(super) fn check_ingresses(docs: &[Value], exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let cloud = exp.plan.map(|p| p.cloud.id.as_str());
    let fullname = exp.plan.map(|p| format!("{}-caracal", p.answers.release()));
    let mut seen = BTreeSet::new();
    for doc in docs.iter().filter(|d| kind(d) == "Ingress") {
        let n = name(doc);
        let Some(endpoint) = endpoint_of(doc, fullname.as_deref()) else {
            out.push(Finding::note(
                VALUES,
                format!("Ingress `{n}` belongs to no Caracal endpoint"),
            ));
            continue;
        };
        seen.insert(endpoint);
        let ing = Ingress {
            doc,
            name: n,
            endpoint,
            hosts: seq(doc, &["spec", "rules"])
                .iter()
                .filter_map(|r| str_at(r, &["host"]))
                .collect(),
        };
        check_tls(&ing, cloud, out);
        if is_alb(&ing) {
            check_alb(&ing, exp, out);
        }
        if let Some(plan) = exp.plan {
            check_planned(&ing, plan, out);
        }
    }
    if let Some(plan) = exp.plan {
        check_all_rendered(plan, &seen, out);
    }
}

/// TLS: spec.tls for every host, or the cloud's certificate annotation.
fn check_tls(ing: &Ingress<'_>, cloud: Option<&str>, out: &mut Vec<Finding>) {
    let annotation = |k: &str| ing.annotation(k).filter(|v| !v.is_empty());
    let tls_hosts: Vec<&str> = seq(ing.doc, &["spec", "tls"])
        .iter()
        .flat_map(|t| seq(t, &["hosts"]).iter().filter_map(Value::as_str))
        .collect();
    // Without an ARN the controller discovers an ACM certificate by the rule hosts, for an
    // HTTPS listener.
    let https =
        annotation("alb.ingress.kubernetes.io/listen-ports").is_some_and(|p| p.contains("HTTPS"));
    let acm = (annotation("alb.ingress.kubernetes.io/certificate-arn").is_some()
        || (is_alb(ing) && https && !ing.hosts.is_empty()))
        && cloud.is_none_or(|c| c == "eks");
    let gke_managed = annotation("networking.gke.io/managed-certificates").is_some()
        && cloud.is_none_or(|c| c == "gke");
    let spec_tls = !ing.hosts.is_empty() && ing.hosts.iter().all(|h| tls_hosts.contains(h));
    if !(spec_tls || acm || gke_managed) {
        out.push(Finding::error(
            VALUES,
            format!(
                "Ingress `{}` ({}) has no TLS: no spec.tls for its host{}",
                ing.name,
                ing.endpoint,
                match cloud {
                    Some("eks") =>
                        ", and no HTTPS listener (listen-ports) to serve an ACM certificate on",
                    Some("gke") => ", and no managed-certificates annotation",
                    _ => "",
                }
            ),
            Some("tls"),
        ));
    }
}

/// The annotations [`check_alb`] checks on every ALB Ingress.
const ALB_CHECKED: [&str; 2] = [
    "alb.ingress.kubernetes.io/healthcheck-path",
    "alb.ingress.kubernetes.io/ssl-policy",
];

/// Whether the AWS Load Balancer Controller serves the Ingress.
fn is_alb(ing: &Ingress<'_>) -> bool {
    str_at(ing.doc, &["spec", "ingressClassName"]) == Some("alb")
        || ing.annotation("alb.ingress.kubernetes.io/scheme").is_some()
}

/// An ALB health-checks the pods' readiness path and negotiates TLS 1.2 or later only.
fn check_alb(ing: &Ingress<'_>, exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let (n, e) = (ing.name, ing.endpoint);
    let answer = format!("endpoints.{e}");
    let ready = exp.components.iter().find(|c| c.id == e.key());
    let ready = ready.map(|c| c.readiness_path.as_str());
    let checked = ing.annotation("alb.ingress.kubernetes.io/healthcheck-path");
    if let Some(ready) = ready.filter(|r| checked != Some(*r)) {
        out.push(Finding::error(
            VALUES,
            format!(
                "Ingress `{n}`: the ALB health-checks `{}` but the {} pods answer readiness on `{ready}`: its targets stay unhealthy (alb.ingress.kubernetes.io/healthcheck-path)",
                checked.unwrap_or("/ (the controller's default)"),
                e.title()
            ),
            Some(&answer),
        ));
    }
    let policy = ing.annotation("alb.ingress.kubernetes.io/ssl-policy");
    if !policy.is_some_and(is_modern_ssl_policy) {
        out.push(Finding::error(
            VALUES,
            format!(
                "Ingress `{n}`: ssl-policy `{}` accepts TLS before 1.2; set alb.ingress.kubernetes.io/ssl-policy to e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`",
                policy.unwrap_or("ELBSecurityPolicy-2016-08 (the controller's default)")
            ),
            Some(&answer),
        ));
    }
}

/// Whether an ELB security policy name refuses TLS 1.0 and 1.1 (the `TLS13-1-2`, `TLS-1-2`
/// and `FS-1-2` families).
fn is_modern_ssl_policy(policy: &str) -> bool {
    policy.contains("TLS13-1-2") || policy.contains("TLS13-1-3") || policy.contains("-1-2-")
}

/// The Ingress is one the answers expose, at their host, with their annotations and class.
fn check_planned(ing: &Ingress<'_>, plan: &Plan, out: &mut Vec<Finding>) {
    let (n, e) = (ing.name, ing.endpoint);
    let Some(planned) = plan.ingresses.iter().find(|i| i.endpoint == e.key()) else {
        out.push(Finding::error(
            VALUES,
            format!(
                "Ingress `{n}` exposes the {} ({}), which the answers keep disabled",
                e.title(),
                ing.hosts.join(", ")
            ),
            Some(&format!("endpoints.{e}")),
        ));
        return;
    };
    if !ing.hosts.contains(&planned.host.as_str()) {
        out.push(Finding::error(
            VALUES,
            format!(
                "Ingress `{n}` serves {} but the answers give the {} host `{}`",
                if ing.hosts.is_empty() {
                    "no host".to_string()
                } else {
                    ing.hosts.join(", ")
                },
                e.title(),
                planned.host
            ),
            Some(&format!("hosts.{e}")),
        ));
    }
    if let Some(values) = plan.values.ingress.get(e.key()) {
        let on = format!("for a {} endpoint on {}", planned.exposure, plan.cloud.id);
        check_annotations(ing, values, &on, out);
        check_class(ing, values, out);
    }
}

/// Every annotation the plan sets is rendered with its value; `on` says where it is needed.
fn check_annotations(ing: &Ingress<'_>, values: &IngressValues, on: &str, out: &mut Vec<Finding>) {
    let (n, e) = (ing.name, ing.endpoint);
    for (k, v) in &values.annotations {
        // check_alb says more about these two.
        if ALB_CHECKED.contains(&k.as_str()) && is_alb(ing) {
            continue;
        }
        if ing.annotation(k.as_str()) != Some(v.as_str()) {
            let answer = if k.contains("certificate") {
                "tls".to_string()
            } else {
                format!("endpoints.{e}")
            };
            out.push(Finding::error(
                VALUES,
                format!("Ingress `{n}`: annotation `{k}` should be `{v}` {on}"),
                Some(&answer),
            ));
        }
    }
}

/// The rendered ingressClassName is the planned one.
fn check_class(ing: &Ingress<'_>, values: &IngressValues, out: &mut Vec<Finding>) {
    let class = values.class_name.clone().filter(|c| !c.is_empty());
    let rendered_class = str_at(ing.doc, &["spec", "ingressClassName"]);
    if class.as_deref() != rendered_class {
        out.push(Finding::error(
            VALUES,
            format!(
                "Ingress `{}` has ingressClassName `{}`, expected `{}`",
                ing.name,
                rendered_class.unwrap_or("(none)"),
                class.as_deref().unwrap_or("(none)")
            ),
            Some(&format!("endpoints.{}", ing.endpoint)),
        ));
    }
}

/// Every endpoint the answers expose has a rendered Ingress.
fn check_all_rendered(plan: &Plan, seen: &BTreeSet<Endpoint>, out: &mut Vec<Finding>) {
    for i in &plan.ingresses {
        let Some(e) = Endpoint::EXPOSABLE
            .into_iter()
            .find(|e| e.key() == i.endpoint)
        else {
            continue;
        };
        if !seen.contains(&e) {
            out.push(Finding::error(
                VALUES,
                format!(
                    "the answers expose the {} at {} but the chart renders no Ingress for it",
                    e.title(),
                    i.url
                ),
                Some(&format!("endpoints.{e}")),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn findings(annotations: &str) -> Vec<Finding> {
        let doc: Value = serde_yaml::from_str(&format!(
            "kind: Ingress\nmetadata: {{name: caracal-caracal-sts, labels: {{app.kubernetes.io/component: sts}}, annotations: {{{annotations}}}}}\nspec: {{ingressClassName: alb, rules: [{{host: sts.example.com}}]}}\n"
        ))
        .unwrap();
        let catalog = Catalog::builtin().unwrap();
        let exp = Expectations {
            plan: None,
            evaluation: false,
            runtime_secret: "caracal-runtime".into(),
            external_secret: None,
            secret_store: None,
            cloud: catalog.cloud("eks").cloned(),
            components: catalog.components.components.clone(),
        };
        let mut out = Vec::new();
        check_ingresses(&[doc], &exp, &mut out);
        out
    }

    #[test]
    fn an_alb_without_health_path_or_modern_policy_names_the_endpoint() {
        let out = findings("alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\":443}]'");
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out
            .iter()
            .all(|f| f.answer.as_deref() == Some("endpoints.sts")));
        assert!(out.iter().any(|f| f.message.contains("health-checks `/ ")));
        assert!(out.iter().any(|f| f.message.contains("ssl-policy")));
        let old = findings("alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\":443}]', alb.ingress.kubernetes.io/healthcheck-path: /ready, alb.ingress.kubernetes.io/ssl-policy: ELBSecurityPolicy-TLS-1-1-2017-01");
        assert_eq!(old.len(), 1, "{old:?}");
        let good = findings("alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\":443}]', alb.ingress.kubernetes.io/healthcheck-path: /ready, alb.ingress.kubernetes.io/ssl-policy: ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert!(good.is_empty(), "ACM discovery by host is TLS: {good:?}");
        let http = findings("alb.ingress.kubernetes.io/healthcheck-path: /ready, alb.ingress.kubernetes.io/ssl-policy: ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert!(
            http.iter().any(|f| f.message.contains("no TLS")),
            "{http:?}"
        );
    }
}
