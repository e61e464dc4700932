//! Rules for `egress.privateHosts`: the host names the STS and the API may reach on
//! private addresses (`CARACAL_PRIVATE_EGRESS_HOSTS`, #10).
use super::validator::Validator;
use crate::answers::Egress;
use crate::format;

/// The answer's key path.
const PATH: &str = "egress.privateHosts";

impl Validator<'_> {
    /// Each private host is a bare, lower-case DNS name; without any, a private CIDR in
    /// `egress.providers` is worth a warning.
    pub(super) fn private_hosts(&mut self) {
        let eg = self.a.egress.clone().unwrap_or_default();
        let hosts = eg.private_hosts.clone().unwrap_or_default();
        for (i, host) in hosts.iter().enumerate() {
            // Caracal compares host names exactly (no wildcard, no port) after splitting
            // on commas, so anything but a plain DNS name could never match.
            if let Err(e) = format::ensure_hostname(host) {
                self.err(
                    format!("{PATH}[{i}]"),
                    format!("{e}; Caracal matches the host name of a token endpoint or issuer exactly, so list each one (no wildcards)"),
                );
            }
        }
        if hosts.is_empty() {
            self.private_providers_hint(&eg);
        }
    }

    /// Warns when `egress.providers`, the list only the STS and the API use, names a
    /// private range: the NetworkPolicy lets them out, but both refuse a host on such an
    /// address unless it is named. The shared categories are left out: they hold the
    /// cloud's own endpoints (e.g. VPC endpoints), which the cloud's SDKs reach, not
    /// Caracal's guarded clients.
    fn private_providers_hint(&mut self, eg: &Egress) {
        let private: Vec<String> = eg
            .providers
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| {
                let net = format::ensure_cidr(e.cidr()).ok()?;
                let range = crate::cidr::private_overlap(&net)?;
                Some(format!("`{}` in {range}", e.cidr()))
            })
            .collect();
        if private.is_empty() {
            return;
        }
        self.warn(PATH, format!("`egress.providers` names private addresses ({}): the STS and the API refuse provider token endpoints and federated issuers' JWKS that resolve to private addresses unless their host names are listed, so those calls fail with \"blocked address\"; name the hosts in `egress.privateHosts` (e.g. `--set egress.privateHosts=[login.corp.example]`), or ignore this if the CIDR serves something else", private.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use crate::answers::Answers;
    use crate::catalog::Catalog;
    use crate::error::Problem;
    use crate::validate::check;
    // EKS production answers that pass, the validator's own tests' base.
    use crate::validate::tests::EKS_PROD as BASE;

    /// The problems (`Err`) or the warnings (`Ok`) of BASE with `sets`.
    fn findings(sets: &[&str]) -> Result<Vec<Problem>, Vec<Problem>> {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let a = Answers::parse("test", BASE, &sets).expect("parses");
        let catalog = Catalog::builtin().expect("catalog");
        check(&a, &catalog).map(|c| c.warnings).map_err(|p| p.0)
    }

    fn about_private_hosts(found: &[Problem]) -> Vec<&Problem> {
        found
            .iter()
            .filter(|p| p.path.starts_with("egress.privateHosts"))
            .collect()
    }

    #[test]
    fn plain_lower_case_host_names_pass() {
        let warnings = findings(&[
            "egress.providers=[10.63.0.0/16]",
            "egress.privateHosts=[login.corp.example, keycloak.auth.svc.cluster.local]",
        ])
        .expect("valid");
        assert!(about_private_hosts(&warnings).is_empty(), "{warnings:?}");
    }

    /// Each refused host names its index and says why; the table is (host, words).
    #[test]
    fn hosts_caracal_could_never_match_are_refused() {
        let cases = [
            ("Login.Corp.example", "upper-case"),
            ("https://login.corp.example", "bare host name"),
            ("login.corp.example:8443", "bare host name"),
            ("*.corp.example", "RFC 1123"),
            ("login", "single label"),
            ("10.20.0.5", "IP address"),
            ("login.corp.example.", "RFC 1123"),
        ];
        for (host, words) in cases {
            let set = format!("egress.privateHosts=[ok.corp.example, '{host}']");
            let problems = findings(&[&set]).expect_err(host);
            let mine = about_private_hosts(&problems);
            assert_eq!(mine.len(), 1, "{host}: {problems:?}");
            assert_eq!(mine[0].path, "egress.privateHosts[1]");
            assert!(
                mine[0].message.contains(words),
                "{host}: {}",
                mine[0].message
            );
            assert!(mine[0].message.contains("exactly"), "{}", mine[0].message);
        }
    }

    #[test]
    fn a_private_provider_cidr_without_private_hosts_warns_once() {
        let warnings = findings(&["egress.providers=[52.94.0.0/16, 10.63.0.0/16, 172.20.0.0/16]"])
            .expect("valid");
        let mine = about_private_hosts(&warnings);
        assert_eq!(mine.len(), 1, "{warnings:?}");
        let m = &mine[0].message;
        assert!(
            m.contains("(`10.63.0.0/16` in 10.0.0.0/8, `172.20.0.0/16` in 172.16.0.0/12)"),
            "{m}"
        );
        assert!(!m.contains("52.94.0.0/16"), "{m}");
        assert!(
            m.contains("`egress.providers` names private addresses"),
            "{m}"
        );
        assert!(m.contains("STS and the API refuse"), "{m}");
    }

    #[test]
    fn no_warning_for_public_providers_named_hosts_or_shared_private_cidrs() {
        for sets in [
            &["egress.providers=[52.94.0.0/16]"][..],
            &[
                "egress.providers=[10.63.0.0/16]",
                "egress.privateHosts=[login.corp.example]",
            ],
            // BASE's providerApis (10.60.0.0/16) is the cloud's own endpoints.
            &[],
        ] {
            let warnings = findings(sets).expect("valid");
            assert!(
                about_private_hosts(&warnings).is_empty(),
                "{sets:?}: {warnings:?}"
            );
        }
    }
}
