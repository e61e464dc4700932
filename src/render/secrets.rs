//! The External Secrets objects that fill the runtime Secret from the cloud's secret manager.
//!
//! An evaluation has none: the chart makes the Secret from the git-ignored
//! `secrets.local.yaml`, which `output` writes because the tree asks for local secrets.
use tera::Context;

use super::{yaml, Overlay, Templates};
use crate::error::RenderError;
use crate::plan::{Plan, StorePlan};

/// Path of the ServiceAccount External Secrets authenticates as.
pub(crate) const SERVICE_ACCOUNT_FILE: &str = "external-secrets/service-account.yaml";
/// Path of the ClusterSecretStore.
pub(crate) const CLUSTER_SECRET_STORE_FILE: &str = "external-secrets/cluster-secret-store.yaml";
/// Path of the ExternalSecret composing the runtime Secret.
pub(crate) const EXTERNAL_SECRET_FILE: &str = "external-secrets/external-secret.yaml";

/// Adds the store's ServiceAccount, the ClusterSecretStore and the ExternalSecret, when the
/// plan has them.
pub(super) fn external_secrets(
    plan: &Plan,
    templates: &Templates,
    out: &mut Overlay,
) -> Result<(), RenderError> {
    let (Some(store), Some(sa), Some(es)) = (
        &plan.store,
        &plan.store_service_account,
        &plan.external_secret,
    ) else {
        return Ok(());
    };
    let provider = &plan.cloud.secret_store.provider;
    out.resource(
        SERVICE_ACCOUNT_FILE,
        format!(
            "# External Secrets reads {provider} as this ServiceAccount; it carries the workload identity.\n{}",
            yaml(SERVICE_ACCOUNT_FILE, sa)?
        ),
    );
    out.resource(
        CLUSTER_SECRET_STORE_FILE,
        templates.render(&store.template, &store_context(plan, store))?,
    );
    out.resource(
        EXTERNAL_SECRET_FILE,
        format!(
            "# The runtime Secret `caracal-runtime`, composed from {provider} entries. It provides every\n# key the chart's workloads and Jobs read ({} keys); no value is stored here.\n{}",
            plan.runtime_keys.len(),
            yaml(EXTERNAL_SECRET_FILE, es)?
        ),
    );
    Ok(())
}

/// The variables of the cloud's ClusterSecretStore template.
fn store_context(plan: &Plan, store: &StorePlan) -> Context {
    let mut ctx = Context::new();
    ctx.insert("name", &store.name);
    ctx.insert("service_account", &store.service_account);
    ctx.insert("namespace", &store.namespace);
    ctx.insert("fields", &store.fields);
    ctx.insert("release", plan.answers.release());
    let key_prefix = plan.answers.secret_store.get("keyPrefix");
    ctx.insert("key_prefix", key_prefix.map(String::as_str).unwrap_or(""));
    ctx
}
