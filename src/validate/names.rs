//! Rules for the names the release is known by: Helm release, namespace, domain and
//! storage class.
use super::validator::Validator;
use crate::answers::Endpoint;
use crate::format::{self, Format};

impl Validator<'_> {
    /// Release and namespace are Kubernetes names, the domain a host name.
    pub(super) fn names(&mut self) {
        let release = self.a.release().to_string();
        if release.len() > 53 || release.contains('.') || format::ensure_k8s_name(&release).is_err()
        {
            self.err("release", format!("`{release}` is not a Helm release name (lower-case letters, digits and `-`, at most 53 characters)"));
        }
        let ns = self.a.namespace().to_string();
        if ns.len() > 63 || ns.contains('.') || format::ensure_k8s_name(&ns).is_err() {
            self.err("namespace", format!("`{ns}` is not a namespace name (lower-case letters, digits and `-`, at most 63 characters)"));
        }
        if !self.a.domain.is_empty() {
            if let Err(e) = format::ensure_hostname(&self.a.domain) {
                self.err("domain", e);
            }
        }
        if let Some(sc) = self.a.storage_class.clone() {
            self.ensure("storageClass", Format::K8sName, &sc);
        }
    }

    /// Whether `host` is endpoint `e`'s default under a `domain` that is not a host name.
    pub(super) fn is_default_host_of_bad_domain(&self, e: Endpoint, host: &str) -> bool {
        let d = &self.a.domain;
        !d.is_empty()
            && format::ensure_hostname(d).is_err()
            && host == format!("{}.{d}", e.host_label())
    }
}
