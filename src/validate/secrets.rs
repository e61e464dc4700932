//! Rules for secrets: the workload identity the pods authenticate with and the cloud
//! secret store their runtime keys come from.
use super::validator::Validator;
use crate::format::CharClass;

/// The `identity` key naming External Secrets' own identity (same format as the workloads').
pub const EXTERNAL_SECRETS_IDENTITY: &str = "externalSecrets";

impl Validator<'_> {
    /// Only the cloud's identity field (and `externalSecrets`, External Secrets' own identity),
    /// in its format; required with external secrets. One identity for both is a warning:
    /// any compromised pod could then read every runtime secret, the KEK included.
    pub(super) fn identity(&mut self) {
        let spec = &self.cloud.identity;
        for k in self.a.identity.keys() {
            if *k != spec.field && k != EXTERNAL_SECRETS_IDENTITY {
                self.err(
                    format!("identity.{k}"),
                    format!(
                        "not an identity on {}; use `identity.{}` ({})",
                        self.cloud.id, spec.field, spec.hint
                    ),
                );
            }
        }
        match self.a.identity.get(&spec.field).cloned() {
            Some(v) => self.ensure(&format!("identity.{}", spec.field), spec.format, &v),
            None if self.profile.external_secrets => self.err(
                format!("identity.{}", spec.field),
                format!("required in profile `{}`: the secret store and audit export authenticate by workload identity; give {}", self.profile.id, spec.hint),
            ),
            None => {}
        }
        self.external_secrets_identity();
    }

    /// `identity.externalSecrets`: in the cloud's format, and different from the workloads'.
    fn external_secrets_identity(&mut self) {
        let spec = &self.cloud.identity;
        let path = format!("identity.{EXTERNAL_SECRETS_IDENTITY}");
        let workloads = self.a.identity.get(&spec.field).cloned();
        match self.a.identity.get(EXTERNAL_SECRETS_IDENTITY).cloned() {
            Some(_) if !self.profile.external_secrets => self.err(
                path,
                format!("profile `{}` uses no External Secrets; remove it", self.profile.id),
            ),
            Some(v) if Some(&v) == workloads.as_ref() => self.warn(
                path,
                format!("the same identity as `identity.{}`: any compromised Caracal pod can read every runtime secret, the KEK included; give External Secrets an identity of its own", spec.field),
            ),
            Some(v) => self.ensure(&path, spec.format, &v),
            None if self.profile.external_secrets && workloads.is_some() => self.warn(
                path,
                format!("not set, so External Secrets uses `identity.{}` too: any compromised Caracal pod can read every runtime secret, the KEK included. Give External Secrets its own identity ({}) that alone may read the secrets", spec.field, spec.hint),
            ),
            None => {}
        }
    }

    /// Whenever given (evaluation too: the README still repeats it), only the provider's
    /// settings, each required one given, and a key prefix that can start a secret name.
    pub(super) fn secret_store(&mut self) {
        let spec = self.cloud.secret_store.clone();
        if !self.profile.external_secrets && self.a.secret_store.is_empty() {
            return;
        }
        let known: Vec<&str> = spec
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(["keyPrefix"])
            .collect();
        for k in self.a.secret_store.keys() {
            if !known.contains(&k.as_str()) {
                self.err(
                    format!("secretStore.{k}"),
                    format!("not a {} setting; use {}", spec.provider, known.join(", ")),
                );
            }
        }
        for f in &spec.fields {
            match self.a.secret_store.get(&f.name).cloned() {
                Some(v) => self.ensure(&format!("secretStore.{}", f.name), f.format, &v),
                None if f.optional || !self.profile.external_secrets => {}
                None => self.err(
                    format!("secretStore.{}", f.name),
                    format!("required for {}: {}", spec.provider, f.hint),
                ),
            }
        }
        if let Some(prefix) = self.a.secret_store.get("keyPrefix").cloned() {
            // The prefix starts command arguments in the README (`--name <prefix>…`): one
            // starting with `-` would be read as an option.
            let ok = prefix.starts_with(|c: char| c.is_ascii_alphanumeric())
                && CharClass::parse(&spec.key_pattern)
                    .is_some_and(|c| c.matches(&format!("{prefix}x")));
            if !ok {
                self.err(
                    "secretStore.keyPrefix",
                    format!(
                        "`{prefix}` can't start a {} secret name (start with a letter or digit; allowed: {}); e.g. `{}`",
                        spec.provider, spec.key_pattern, spec.key_prefix
                    ),
                );
            }
        }
    }
}
