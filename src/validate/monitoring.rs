//! Rules for monitoring: the OTLP endpoint telemetry is sent to.
use super::validator::Validator;
use crate::format;

impl Validator<'_> {
    /// The OTLP endpoint, when given, is a URL.
    pub(super) fn observability(&mut self) {
        if let Some(url) = self
            .a
            .monitoring
            .as_ref()
            .and_then(|m| m.otlp_endpoint.clone())
        {
            if let Err(e) = format::ensure_url(&url, false) {
                self.err("monitoring.otlpEndpoint", e);
            }
        }
    }
}
