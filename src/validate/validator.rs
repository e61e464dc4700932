//! The `Validator`: the answers under check, the problems and warnings found so far,
//! and the order in which the per-concern rules run.
use crate::answers::Answers;
use crate::catalog::{Catalog, Cloud, Profile};
use crate::error::Problem;
use crate::format::{self, Format};

/// Completed answers checked against their cloud, profile and the catalog.
///
/// Each concern adds its rules in its own file with an `impl Validator<'_>` block.
pub(super) struct Validator<'a> {
    pub(super) a: &'a Answers,
    pub(super) cloud: &'a Cloud,
    pub(super) profile: &'a Profile,
    pub(super) catalog: &'a Catalog,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl<'a> Validator<'a> {
    /// A validator of the completed answers `a`, continuing after `problems` found earlier.
    pub(super) fn new(
        a: &'a Answers,
        cloud: &'a Cloud,
        profile: &'a Profile,
        catalog: &'a Catalog,
        problems: Vec<Problem>,
    ) -> Self {
        Validator {
            a,
            cloud,
            profile,
            catalog,
            problems,
            warnings: Vec::new(),
        }
    }
}

impl Validator<'_> {
    /// Runs every rule. The order is the order the operator reads the problems in.
    pub(super) fn run(&mut self) {
        self.names();
        self.endpoints();
        self.tls();
        self.postgres();
        self.redis();
        self.data_tls();
        self.dns();
        self.ingress_controller();
        self.egress();
        self.private_hosts();
        self.identity();
        self.secret_store();
        self.observability();
        self.audit();
        self.sign_in();
        self.gitops();
    }

    /// The problems and the warnings found, in that order.
    pub(super) fn into_findings(self) -> (Vec<Problem>, Vec<Problem>) {
        (self.problems, self.warnings)
    }

    /// Records a problem at `path`.
    pub(super) fn err(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.problems.push(Problem::new(path, msg));
    }

    /// Records a warning at `path`.
    pub(super) fn warn(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.warnings.push(Problem::new(path, msg));
    }

    /// Records a problem at `path` unless `value` has `format`.
    pub(super) fn ensure(&mut self, path: &str, format: Format, value: &str) {
        if let Err(e) = format.ensure(value) {
            self.err(path, e);
        }
    }

    /// Records a problem at `path` unless `port` is a TCP port.
    pub(super) fn port(&mut self, path: &str, port: u32) {
        if !(1..=65535).contains(&port) {
            self.err(path, format!("{port} is not a TCP port (1–65535)"));
        }
    }

    /// The parsed `cidr`, or `None` after recording a problem at `path`.
    pub(super) fn cidr(&mut self, path: &str, cidr: &str) -> Option<ipnet::IpNet> {
        match format::ensure_cidr(cidr) {
            Ok(net) => Some(net),
            Err(e) => {
                self.err(path, e);
                None
            }
        }
    }
}
