//! Monitoring planning: the ServiceMonitor and alert rules toggles and the OTLP endpoint.
use crate::manifest::Toggle;

use super::context::Context;

/// The monitoring part of the values overlay.
pub(super) struct MonitoringPlan {
    /// `global.otelExporterOtlpEndpoint` (empty: not set).
    pub otlp_endpoint: String,
    /// `serviceMonitor`.
    pub service_monitor: Toggle,
    /// `alertRules`.
    pub alert_rules: Toggle,
}

/// Monitoring follows the profile; OTLP export follows the answers.
pub(super) fn plan_monitoring(cx: &Context) -> MonitoringPlan {
    let monitoring = cx.answers.monitoring.as_ref();
    MonitoringPlan {
        otlp_endpoint: monitoring
            .and_then(|m| m.otlp_endpoint.clone())
            .unwrap_or_default(),
        service_monitor: Toggle {
            enabled: cx.profile.monitoring,
        },
        alert_rules: Toggle {
            enabled: cx.profile.monitoring,
        },
    }
}
