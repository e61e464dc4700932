//! The Helm values overlay, assembled from the per-concern planners' parts.
use std::collections::BTreeMap;

use crate::manifest::*;

use super::context::Context;
use super::monitoring::MonitoringPlan;
use super::secrets::secrets_values;

/// The parts of the overlay other planners decided.
pub(super) struct ValuesParts {
    /// `ingress.<endpoint>`.
    pub ingress: BTreeMap<String, IngressValues>,
    /// `networkPolicy`.
    pub network_policy: NetworkPolicyValues,
    /// `services.<name>`.
    pub services: BTreeMap<String, ServiceValues>,
    /// Monitoring and telemetry.
    pub monitoring: MonitoringPlan,
}

/// The overlay: profile and identity settings, storage, monitoring, plus `parts`.
pub(super) fn values_overlay(cx: &Context, parts: ValuesParts) -> ValuesOverlay {
    let monitoring = parts.monitoring;
    let storage_class = cx.answers.storage_class.clone();
    ValuesOverlay {
        global: Global {
            mode: cx.profile.mode.clone(),
            evaluation: cx.profile.evaluation,
            otel_exporter_otlp_endpoint: monitoring.otlp_endpoint,
            pod_labels: cx.identity_pod_labels.clone(),
        },
        service_account: ServiceAccountValues {
            create: true,
            annotations: cx.sa_annotations.clone(),
        },
        secrets: secrets_values(cx),
        network_policy: parts.network_policy,
        replay_persistence: ReplayPersistence {
            enabled: true,
            storage_class_name: storage_class.unwrap_or_else(|| cx.cloud.storage_class.clone()),
            size: cx.profile.replay_size.clone(),
        },
        service_monitor: monitoring.service_monitor,
        alert_rules: monitoring.alert_rules,
        services: parts.services,
        ingress: parts.ingress,
    }
}
