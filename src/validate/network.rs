//! Rules for the NetworkPolicy: who may send traffic to the pods (the ingress
//! controller's admission), where they resolve names (DNS) and where they may connect
//! to (egress).
use std::collections::BTreeSet;

use super::ingress::effective_exposure;
use super::validator::Validator;
use crate::answers::{DnsMode, Egress, EgressEntry, Endpoint, Exposure, IngressController};
use crate::format;

impl Validator<'_> {
    /// DNS egress: a resolver CIDR only with `cidr` mode, open DNS only where allowed.
    pub(super) fn dns(&mut self) {
        let Some(dns) = self.a.dns.clone() else {
            return;
        };
        match dns.mode {
            DnsMode::Cluster => {
                if dns.cidr.is_some() {
                    self.err(
                        "dns.cidr",
                        "only used with `dns.mode: cidr`; remove it or set the mode",
                    );
                }
            }
            DnsMode::Cidr => match &dns.cidr {
                None => self.err(
                    "dns.cidr",
                    "required with `dns.mode: cidr`: the CIDR of the addresses that answer on port 53 (the DNS pods' range, or resolvers outside the cluster), e.g. `10.244.0.0/16`",
                ),
                Some(c) => {
                    if let Some(net) = self.cidr("dns.cidr", c) {
                        if net.prefix_len() == net.max_prefix_len()
                            && self.cloud.dns.default_service_ips.contains(&net.addr())
                        {
                            self.err(
                                "dns.cidr",
                                format!("`{c}` is the kube-dns Service IP of {}'s default Service range: Services are translated to the DNS pods before a NetworkPolicy sees the packet, so this rule never matches and every lookup is dropped; use `dns.mode: cluster` (the kube-dns pods and node-local caches), or the CIDR of the DNS pods or of resolvers outside the cluster", self.cloud.title),
                            );
                        } else if crate::cidr::is_everywhere(&net)
                            || crate::cidr::too_wide(&[net]).is_some()
                        {
                            self.err(
                                "dns.cidr",
                                "covers all or most addresses: that is open DNS; use `dns.mode: cluster` or a resolver's CIDR",
                            );
                        }
                    }
                }
            },
            DnsMode::Open => {
                if !self.profile.open_dns {
                    self.err("dns.mode", format!("`open` (port 53 to anywhere) is refused in profile `{}`; use `cluster` (the cloud's kube-dns) or `cidr`", self.profile.id));
                }
            }
        }
    }

    /// Ingress admission: the operator's controller is well described, or the cloud's
    /// exposures that need one have it.
    pub(super) fn ingress_controller(&mut self) {
        let exposed = self.exposed();
        match self.a.ingress_controller.clone() {
            Some(ic) => self.own_ingress_controller(&ic, &exposed),
            None => self.ingress_controller_required(&exposed),
        }
    }

    /// The operator's controller: its pods or CIDRs, class names, and how they fit the
    /// exposures in use.
    fn own_ingress_controller(&mut self, ic: &IngressController, exposed: &[(Endpoint, Exposure)]) {
        self.ingress_peers(ic);
        self.ingress_class_names(ic);
        let wants_internal = exposed.iter().any(|(_, x)| *x == Exposure::Internal);
        if ic.class_name.is_some() && ic.internal_class_name.is_none() && wants_internal {
            self.internal_class_hint();
        }
        // Only a pod selector can miss the pods that really serve the Ingresses.
        if let Some(ns) = ic.namespace.as_deref().filter(|_| ic.cidrs.is_empty()) {
            self.controller_mismatch(ns, exposed);
        }
        if ic.namespace.is_none() && ic.cidrs.is_empty() {
            self.err("ingressController", "give `namespace` (and `podLabels`) of the controller pods, or `cidrs` the load balancer sends from");
        }
    }

    /// The NetworkPolicy peers: a namespace with pod labels, and source CIDRs.
    fn ingress_peers(&mut self, ic: &IngressController) {
        if let Some(ns) = &ic.namespace {
            if ns.contains('.') || format::ensure_k8s_name(ns).is_err() {
                self.err(
                    "ingressController.namespace",
                    format!("`{ns}` is not a namespace name"),
                );
            }
        } else if !ic.pod_labels.is_empty() {
            self.err(
                "ingressController.namespace",
                "required with `podLabels`: NetworkPolicy peers select pods within a namespace",
            );
        }
        for (k, v) in &ic.pod_labels {
            if let Err(e) = format::ensure_label(k, v) {
                self.err("ingressController.podLabels", e);
            }
        }
        for (i, c) in ic.cidrs.iter().enumerate() {
            if let Some(net) = self.cidr(&format!("ingressController.cidrs[{i}]"), c) {
                if crate::cidr::is_everywhere(&net) {
                    self.err(format!("ingressController.cidrs[{i}]"), "admitting 0.0.0.0/0 lets any source reach the pods; give the load balancer's or VPC's CIDR");
                }
            }
        }
    }

    /// `className` and `internalClassName` are IngressClass names.
    fn ingress_class_names(&mut self, ic: &IngressController) {
        for (k, v) in [
            ("className", &ic.class_name),
            ("internalClassName", &ic.internal_class_name),
        ] {
            if let Some(v) = v {
                if format::ensure_k8s_name(v).is_err() {
                    self.err(
                        format!("ingressController.{k}"),
                        format!("`{v}` is not an IngressClass name"),
                    );
                }
            }
        }
    }

    /// Warns that internal endpoints stay on the cloud's exposure when only the public
    /// class is the operator's, if that exposure is not the cloud's plain controller.
    fn internal_class_hint(&mut self) {
        let Some(internal) = self.cloud.exposures.get("internal") else {
            return;
        };
        if !internal.manifests.is_empty() || internal.default_controller.is_none() {
            self.warn("ingressController.internalClassName", format!("internal endpoints use {}; set `internalClassName` if your own controller serves them", internal.describe));
        }
    }

    /// Warns (once) when the exposures in use are served by pods that a selector on
    /// namespace `ns` does not admit.
    fn controller_mismatch(&mut self, ns: &str, exposed: &[(Endpoint, Exposure)]) {
        for (_, x) in exposed {
            // The operator's own class is served by the pods their selector names: nothing
            // to warn about (this fired for every overlay with `className` and a namespace).
            if self.is_own_class(*x) {
                continue;
            }
            let Some(spec) = effective_exposure(self.cloud, self.a, *x) else {
                continue;
            };
            if spec.default_controller.is_none() {
                if let Some(hint) = &spec.controller_hint {
                    self.warn("ingressController", format!("{x} endpoints on {} are served by {}, whose traffic no pod selector matches: {hint}", self.cloud.id, spec.describe));
                    return;
                }
            }
            // The cloud's own controller runs elsewhere: the Ingresses would be served
            // by pods this selector does not admit.
            if let Some(dc) = &spec.default_controller {
                if dc.namespace != ns {
                    let own = if *x == Exposure::Internal {
                        "internalClassName"
                    } else {
                        "className"
                    };
                    self.warn("ingressController", format!("{x} endpoints use {}, whose pods run in `{}`, but `ingressController.namespace` is `{ns}`: if your own controller serves them, name its class in `ingressController.{own}`", spec.describe, dc.namespace));
                    return;
                }
            }
        }
    }

    /// Whether endpoints of exposure `x` go to the operator's own IngressClass.
    fn is_own_class(&self, x: Exposure) -> bool {
        self.a
            .ingress_controller
            .as_ref()
            .is_some_and(|ic| match x {
                Exposure::Public => ic.class_name.is_some(),
                Exposure::Internal => ic.internal_class_name.is_some(),
                Exposure::Disabled => false,
            })
    }

    /// Without `ingressController`: one problem per hint of an exposure in use whose
    /// controller the cloud does not run.
    fn ingress_controller_required(&mut self, exposed: &[(Endpoint, Exposure)]) {
        let mut needs: BTreeSet<String> = BTreeSet::new();
        for (_, x) in exposed {
            if let Some(spec) = effective_exposure(self.cloud, self.a, *x) {
                if spec.default_controller.is_none() {
                    if let Some(h) = &spec.controller_hint {
                        needs.insert(h.clone());
                    }
                }
            }
        }
        for hint in needs {
            self.err(
                "ingressController",
                format!("required on {}: {hint}", self.cloud.id),
            );
        }
    }

    /// Egress: open HTTPS only where allowed, well-formed entries, and the destinations
    /// the profile's features need.
    pub(super) fn egress(&mut self) {
        let Some(eg) = self.a.egress.clone() else {
            return;
        };
        let open = eg.open_https.unwrap_or(false);
        if open && !self.profile.open_https {
            self.err("egress.openHttps", format!("HTTPS to anywhere is refused in profile `{}`; list the CIDRs under `egress.identityProvider`, `egress.providerApis`, `egress.objectStore` and `egress.other`", self.profile.id));
        }
        for (cat, entries) in eg.categories() {
            for (i, entry) in entries.iter().enumerate() {
                self.egress_entry(&format!("egress.{cat}[{i}]"), entry);
            }
        }
        for key in crate::plan::COMPONENT_LISTS {
            for (i, entry) in eg.component_list(key).unwrap_or(&[]).iter().enumerate() {
                self.egress_entry(&format!("egress.{key}[{i}]"), entry);
            }
        }
        if !self.profile.open_cidr {
            self.egress_union(&eg);
        }
        if self.profile.require_egress && !open {
            self.egress_needed(&eg);
            self.component_egress_needed(&eg);
        }
    }

    /// Without open HTTPS for them (regulated), each component that calls out and has no
    /// CIDRs named reaches nothing it calls: one warning per component (#10).
    fn component_egress_needed(&mut self, eg: &Egress) {
        if self.profile.component_https {
            return;
        }
        let smtp = self
            .a
            .sign_in
            .as_ref()
            .is_some_and(|s| s.provider == crate::answers::SignInProvider::Smtp);
        for c in &self.catalog.components.components {
            for call in &c.calls {
                let Some(key) = call.answer.strip_prefix("egress.") else {
                    continue;
                };
                let named = eg.component_list(key).is_some_and(|l| !l.is_empty());
                if !crate::plan::COMPONENT_LISTS.contains(&key)
                    || named
                    || (key == "signIn" && smtp)
                {
                    continue;
                }
                self.warn(call.answer.clone(), format!("{} has no egress to {}: profile `{}` opens nothing a component calls; list their CIDRs in `{}` (`check` reports this until then)", c.title, call.what, self.profile.id, call.answer));
            }
        }
    }

    /// Per port, the union of the egress CIDRs must not reach everywhere (or most of it):
    /// `0.0.0.0/1` and `128.0.0.0/1` are a `/0` in two halves.
    fn egress_union(&mut self, eg: &Egress) {
        let mut by_port: std::collections::BTreeMap<u32, (Vec<ipnet::IpNet>, Vec<String>)> =
            Default::default();
        // The shared categories and each component's own list (#10): halves of `/0` are
        // refused wherever they are written.
        let components = crate::plan::COMPONENT_LISTS
            .iter()
            .map(|k| (*k, eg.component_list(k).unwrap_or(&[])));
        for (cat, entries) in eg.categories().into_iter().chain(components) {
            for (i, entry) in entries.iter().enumerate() {
                // A malformed CIDR or a lone /0 is reported on its own.
                let Ok(net) = format::ensure_cidr(entry.cidr()) else {
                    continue;
                };
                if crate::cidr::is_everywhere(&net) {
                    continue;
                }
                for p in entry.ports() {
                    let slot = by_port.entry(p).or_default();
                    slot.0.push(net);
                    slot.1.push(format!("egress.{cat}[{i}]"));
                }
            }
        }
        for (port, (nets, paths)) in by_port {
            if let Some(why) = crate::cidr::too_wide(&nets) {
                let first = paths.first().cloned().unwrap_or_else(|| "egress".into());
                self.err(first, format!("the egress CIDRs for port {port} ({}): {why}, which profile `{}` refuses; list the provider's CIDRs instead", paths.join(", "), self.profile.id));
            }
        }
    }

    /// One entry: a CIDR (not everywhere unless the profile allows it) and its ports.
    fn egress_entry(&mut self, path: &str, entry: &EgressEntry) {
        if let Some(net) = self.cidr(path, entry.cidr()) {
            if crate::cidr::is_everywhere(&net) && !self.profile.open_cidr {
                self.err(path, format!("`{}` opens egress to everywhere, which profile `{}` refuses; list the provider's CIDRs instead", entry.cidr(), self.profile.id));
            }
        }
        let ports = entry.ports();
        if ports.is_empty() {
            self.err(
                format!("{path}.ports"),
                "no port listed; give at least one (in the wizard `CIDR:PORT+PORT`, e.g. `10.30.0.0/16:8443+9443`), or the CIDR alone for 443",
            );
        }
        for p in ports {
            self.port(&format!("{path}.ports"), p);
        }
    }

    /// The destinations a profile that requires egress needs listed.
    fn egress_needed(&mut self, eg: &Egress) {
        let has = |cat: &str| {
            eg.categories()
                .iter()
                .any(|(c, v)| *c == cat && !v.is_empty())
        };
        // Refused, as `check` refuses the overlay: workload identity and the external secret
        // backend can't work without a way to the identity provider or the provider APIs,
        // unless the cloud's fixed egress (e.g. GKE's metadata server) already gives one.
        if !has("identityProvider") && !has("providerApis") && self.cloud.fixed_egress.is_empty() {
            let hint = self.egress_hint("providerApis");
            let idp = self.egress_hint("identityProvider");
            // Open HTTPS is only worth suggesting where the profile allows it.
            let or_open = if self.profile.open_https {
                " (or set `egress.openHttps: true`)"
            } else {
                ""
            };
            self.err("egress.providerApis", format!("no HTTPS egress for workload identity and provider APIs on {}: audit export and an external secret backend need {hint}; identity: {idp}. List their CIDRs under `egress.providerApis` or `egress.identityProvider`{or_open}", self.cloud.id));
        }
        if self.a.audit_export.is_some() && !has("objectStore") {
            let hint = self.egress_hint("objectStore");
            self.err(
                "egress.objectStore",
                format!("audit export needs egress to its object store: {hint}; list its CIDRs"),
            );
        }
    }

    /// The cloud's hint of where egress category `cat` goes.
    fn egress_hint(&self, cat: &str) -> String {
        self.cloud
            .egress_hints
            .get(cat)
            .cloned()
            .unwrap_or_default()
    }
}
