//! Rules for the audit trail: its export to an object store and how long it is kept.
use super::validator::Validator;
use crate::answers::AuditExport;
use crate::format;

impl Validator<'_> {
    /// Audit export (required where the profile says so) and retention.
    pub(super) fn audit(&mut self) {
        match self.a.audit_export.clone() {
            None if self.profile.require_audit_export => self.err(
                "auditExport",
                format!("profile `{}` requires audit export; give `endpoint`, `bucket` and `region` of an S3-compatible store ({})", self.profile.id, self.cloud.products.object_store),
            ),
            None => {}
            Some(x) => {
                self.audit_export(&x);
                if self.cloud.audit_export_hmac && !self.profile.external_secrets {
                    self.warn("auditExport", format!("{} takes HMAC keys, which an evaluation's chart-made Secret can't carry: the export fails to authenticate; use the production profile to export", self.cloud.products.object_store));
                }
            }
        }
        self.retention();
    }

    /// The export's endpoint is a URL, its bucket a bucket name, its region a region.
    fn audit_export(&mut self, x: &AuditExport) {
        match &x.endpoint {
            None => self.err("auditExport.endpoint", "required: the S3-compatible endpoint URL, e.g. `https://s3.us-east-1.amazonaws.com`"),
            Some(u) => {
                if let Err(e) = format::ensure_url(u, true) {
                    self.err("auditExport.endpoint", e);
                }
            }
        }
        match &x.bucket {
            None => self.err(
                "auditExport.bucket",
                "required: the bucket receiving hourly audit exports",
            ),
            Some(b) if !is_bucket_name(b) => {
                self.err(
                    "auditExport.bucket",
                    format!(
                        "`{b}` is not a bucket name (3–63 lower-case letters, digits, `-` and `.`)"
                    ),
                );
            }
            Some(_) => {}
        }
        match &x.region {
            None => self.err(
                "auditExport.region",
                "required: the bucket's region (S3 signing region)",
            ),
            Some(r)
                if r.is_empty() || !r.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') =>
            {
                self.err("auditExport.region", format!("`{r}` is not a region name"))
            }
            Some(_) => {}
        }
    }

    /// Audit days are in range, and at least a year where the profile requires export.
    fn retention(&mut self) {
        let days = self
            .a
            .retention
            .as_ref()
            .and_then(|r| r.audit_days)
            .unwrap_or(365);
        if !(1..=36500).contains(&days) {
            self.err(
                "retention.auditDays",
                format!("{days} is out of range; give 1–36500 days"),
            );
        } else if self.profile.require_audit_export && days < 365 {
            self.err("retention.auditDays", format!("{days} days is too short for profile `{}`: incident evidence is kept at least 365 days (default 2555, seven years)", self.profile.id));
        }
    }
}

/// Whether `b` is an S3 bucket name: 3–63 lower-case letters, digits, `-` and `.`,
/// starting and ending with a letter or digit.
fn is_bucket_name(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && b.starts_with(|c: char| c.is_ascii_alphanumeric())
        && b.ends_with(|c: char| c.is_ascii_alphanumeric())
}
