//! The namespace and the labels every object the wizard writes outside the chart carries.
use crate::catalog::Labels;
use crate::manifest::{Metadata, PlainObject};

use super::context::Context;

/// The labels every object the wizard writes outside the chart carries.
pub(crate) fn part_of(release: &str) -> Labels {
    let mut l = Labels::new();
    l.insert("app.kubernetes.io/part-of".into(), "caracal".into());
    l.insert("app.kubernetes.io/instance".into(), release.into());
    l.insert(
        "app.kubernetes.io/managed-by".into(),
        "caracal-wizard".into(),
    );
    l
}

/// The release's Namespace, auditing and warning at Pod Security `restricted`, and
/// enforcing it outside evaluation (the chart's pods meet it; an evaluation's in-cluster
/// helpers may not).
pub(super) fn namespace_object(cx: &Context) -> PlainObject {
    let mut labels = part_of(&cx.release);
    labels.insert("kubernetes.io/metadata.name".into(), cx.namespace.clone());
    let modes: &[&str] = if cx.profile.evaluation {
        &["audit", "warn"]
    } else {
        &["audit", "enforce", "warn"]
    };
    for mode in modes {
        let key = format!("pod-security.kubernetes.io/{mode}");
        labels.insert(key, "restricted".into());
    }
    PlainObject {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        metadata: Metadata {
            name: cx.namespace.clone(),
            namespace: None,
            labels,
            annotations: Labels::new(),
        },
        automount_service_account_token: None,
    }
}
