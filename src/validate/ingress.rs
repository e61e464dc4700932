//! Rules for ingress: which endpoints are exposed and how, their hosts, and the
//! certificate source that serves them.
use std::collections::{BTreeMap, BTreeSet};

use super::validator::Validator;
use crate::answers::{Answers, Endpoint, Exposure, IssuerProof, Scalar};
use crate::catalog::{Cloud, ExposureSpec, TlsMode};
use crate::format::{self, Format};

/// How endpoints of exposure `x` are served: the cloud's load balancer, or the
/// operator's own controller when `ingressController.className` (public) or
/// `internalClassName` (internal) names its class.
pub fn effective_exposure(cloud: &Cloud, a: &Answers, x: Exposure) -> Option<ExposureSpec> {
    let own = a.ingress_controller.as_ref().and_then(|ic| match x {
        Exposure::Public => ic.class_name.clone(),
        Exposure::Internal => ic.internal_class_name.clone(),
        Exposure::Disabled => None,
    });
    match own {
        Some(class) => Some(ExposureSpec {
            describe: format!("your ingress controller (class `{class}`)"),
            requires: format!("your ingress controller serving IngressClass `{class}`"),
            class_name: class,
            annotations: Default::default(),
            admit: Vec::new(),
            default_controller: None,
            controller_hint: Some("give `ingressController.namespace` and `podLabels` of your controller's pods (or `cidrs`)".into()),
            tls: vec!["clusterIssuer".into()],
            tls_optional: false,
            http01_annotations: Default::default(),
            health_check_annotation: None,
            manifests: Vec::new(),
        }),
        None => cloud.exposures.get(x.key()).cloned(),
    }
}

/// `` `a` or `b` ``: the choices an error offers.
fn either(choices: impl IntoIterator<Item = String>) -> String {
    choices
        .into_iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

impl Validator<'_> {
    /// The exposable endpoints that are not disabled, with their exposure.
    pub(super) fn exposed(&self) -> Vec<(Endpoint, Exposure)> {
        self.a
            .endpoints
            .iter()
            .filter(|(e, x)| e.is_exposable() && **x != Exposure::Disabled)
            .map(|(e, x)| (*e, *x))
            .collect()
    }

    /// Each endpoint's exposure and host.
    pub(super) fn endpoints(&mut self) {
        self.endpoint_exposures();
        self.hosts();
        if self.a.endpoints.get(&Endpoint::Sts) == Some(&Exposure::Internal)
            && self.a.endpoints.get(&Endpoint::Gateway) == Some(&Exposure::Public)
        {
            self.warn("endpoints.sts", "the Gateway is public but the STS is internal: clients outside the network can't obtain mandates to call it");
        }
    }

    /// Private endpoints stay disabled; the others use an exposure the profile offers.
    fn endpoint_exposures(&mut self) {
        let exposures: Vec<Exposure> = self
            .profile
            .exposures
            .iter()
            .filter_map(|k| Exposure::from_key(k))
            .collect();
        for (e, x) in self.a.endpoints.clone() {
            let path = format!("endpoints.{e}");
            if !e.is_exposable() {
                if x != Exposure::Disabled {
                    self.err(path, format!("{} has no Ingress in the chart and stays private by design; set it to `disabled` or remove it", e.title()));
                }
                continue;
            }
            if !exposures.contains(&x) {
                let reason = self
                    .profile
                    .exposure_reason
                    .clone()
                    .unwrap_or_else(|| "not offered".into());
                let allowed = either(exposures.iter().map(|x| x.key().to_string()));
                self.err(
                    path,
                    format!(
                        "`{x}` is not allowed in profile `{}` ({reason}); use {allowed}",
                        self.profile.id,
                    ),
                );
            }
        }
    }

    /// Hosts belong to exposable endpoints, are single host names, and are not shared
    /// between exposed endpoints.
    fn hosts(&mut self) {
        let mut seen: BTreeMap<String, Endpoint> = BTreeMap::new();
        for (e, host) in self.a.hosts.clone() {
            let path = format!("hosts.{e}");
            if !e.is_exposable() {
                self.err(
                    path,
                    format!(
                        "{} has no Ingress, so it has no host; remove this key",
                        e.title()
                    ),
                );
                continue;
            }
            // A bad `domain` makes every default host bad: `names` reports it once.
            if self.is_default_host_of_bad_domain(e, &host) {
                continue;
            }
            if let Err(msg) = format::ensure_hostname(&host) {
                self.err(path, msg);
                continue;
            }
            if host.starts_with("*.") {
                self.err(path, "a wildcard is not a host; give one name per endpoint");
                continue;
            }
            let exposed = self
                .a
                .endpoints
                .get(&e)
                .is_some_and(|x| *x != Exposure::Disabled);
            if exposed {
                if let Some(other) = seen.insert(host.clone(), e) {
                    self.err(path, format!("`{host}` is also the host of `{other}`; each exposed endpoint needs its own host"));
                }
            }
        }
    }

    /// With an exposed endpoint: exactly one known certificate source, which every
    /// exposure in use can serve, with a value of its format.
    pub(super) fn tls(&mut self) {
        let exposed = self.exposed();
        if exposed.is_empty() {
            return;
        }
        let used: BTreeSet<&'static str> = exposed.iter().map(|(_, x)| x.key()).collect();
        let optional = used.iter().all(|x| self.tls_optional(x));
        if self.a.tls.is_empty() && optional {
            return;
        }
        if self.a.tls.is_empty() {
            let modes = self.tls_modes_for(used.iter().next().copied().unwrap_or("public"));
            self.err(
                "tls",
                format!(
                    "required on {} when an endpoint is exposed; set {}",
                    self.cloud.id,
                    either(modes.iter().map(|m| format!("tls.{m}")))
                ),
            );
            return;
        }
        if self.a.tls.len() > 1 {
            self.err(
                "tls",
                "give exactly one certificate source, e.g. `{clusterIssuer: letsencrypt-prod}`",
            );
            return;
        }
        let Some((mode_id, value)) = self.a.tls.iter().next() else {
            return;
        };
        let path = format!("tls.{mode_id}");
        let Some(mode) = self.catalog.tls_mode(mode_id) else {
            let all: Vec<String> = self
                .catalog
                .tls_modes
                .iter()
                .map(|m| m.id.clone())
                .collect();
            self.err(
                path,
                format!("unknown certificate source; use one of: {}", all.join(", ")),
            );
            return;
        };
        for x in &used {
            self.tls_serves(&path, mode, x);
        }
        self.tls_value(path, mode.format, value);
        if mode.tls_secret {
            self.issuer_proof(used.contains("internal"));
        } else if self.a.issuer_proof.is_some() {
            self.err("issuerProof", format!("only a cert-manager issuer (`tls.clusterIssuer`) proves the domain; {} needs no proof here, so remove `issuerProof`", mode.title));
        }
    }

    /// Whether endpoints of exposure key `x` are served over HTTPS without a TLS answer.
    fn tls_optional(&self, x: &str) -> bool {
        Exposure::from_key(x)
            .and_then(|x| effective_exposure(self.cloud, self.a, x))
            .is_some_and(|s| s.tls_optional)
    }

    /// How the cert-manager issuer proves the domain: HTTP-01 needs the load balancer to
    /// answer on port 80 from the internet, which an internal one never does.
    fn issuer_proof(&mut self, internal: bool) {
        let Some(proof) = self.a.issuer_proof else {
            self.err("issuerProof", "required with `tls.clusterIssuer`: how the issuer proves the domain, `http01`, `dns01` or `ca` (a private CA)");
            return;
        };
        if proof != IssuerProof::Http01 {
            return;
        }
        if internal {
            self.err("issuerProof", "`http01` can't work for internal endpoints: Let's Encrypt must reach the load balancer on port 80 from the internet; use `dns01` (a DNS-01 solver) or `ca` (a private CA)");
        } else {
            self.warn("issuerProof", "HTTP-01: the public load balancer also answers plain HTTP on port 80 so the solver can answer the challenge; `dns01` keeps it HTTPS-only");
        }
    }

    /// The certificate sources that can serve endpoints of exposure key `x`.
    fn tls_modes_for(&self, x: &str) -> Vec<String> {
        Exposure::from_key(x)
            .and_then(|x| effective_exposure(self.cloud, self.a, x))
            .map(|s| s.tls)
            .unwrap_or_default()
    }

    /// Records a problem at `path` unless `mode` can serve endpoints of exposure key `x`.
    fn tls_serves(&mut self, path: &str, mode: &TlsMode, x: &str) {
        let allowed = self.tls_modes_for(x);
        if allowed.contains(&mode.id) {
            return;
        }
        let why = Exposure::from_key(x)
            .and_then(|x| effective_exposure(self.cloud, self.a, x))
            .map(|s| s.describe)
            .unwrap_or_default();
        let own = if x == "public" {
            "className"
        } else {
            "internalClassName"
        };
        self.err(
            path,
            format!(
                "{} can't serve {x} endpoints on {} ({why}); use {}, or run your own ingress controller and name its class in `ingressController.{own}`",
                mode.title,
                self.cloud.id,
                either(allowed.iter().map(|m| format!("tls.{m}")))
            ),
        );
    }

    /// The certificate source's value: `true` for a switch, else a name of its format.
    fn tls_value(&mut self, path: String, format: Format, value: &Scalar) {
        match (format, value) {
            (Format::Bool, Scalar::Bool(true)) => {}
            (Format::Bool, _) => self.err(
                path,
                "set it to `true`, or choose another certificate source",
            ),
            (f, Scalar::Str(s)) => self.ensure(&path, f, s),
            (_, Scalar::Bool(_)) => self.err(path, "expected a name, not true/false"),
        }
    }
}
