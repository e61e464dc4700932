//! The check of the overlay's ClusterSecretStore: a Key Vault store names its tenant.
use super::{Expectations, SECRET_STORE};
use crate::check::doc::{get, name, str_at};
use crate::check::Finding;

/// A Key Vault store without `tenantId` leaves External Secrets guessing the tenant from
/// annotations and environment variables that are usually absent: every sync fails.
pub(super) fn check_store(exp: &Expectations<'_>, out: &mut Vec<Finding>) {
    let Some(store) = &exp.secret_store else {
        return;
    };
    let Some(kv) = get(store, &["spec", "provider", "azurekv"]) else {
        return;
    };
    if str_at(kv, &["tenantId"]).is_none_or(str::is_empty) {
        out.push(Finding::error(
            SECRET_STORE,
            format!(
                "ClusterSecretStore `{}` reads Azure Key Vault without `tenantId`: External Secrets can't tell which Entra tenant to sign in to",
                name(store)
            ),
            Some("secretStore.azureTenantId"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(store: &str) -> Vec<Finding> {
        let exp = Expectations {
            plan: None,
            evaluation: false,
            runtime_secret: "caracal-runtime".into(),
            external_secret: None,
            secret_store: Some(serde_yaml::from_str(store).unwrap()),
            cloud: None,
            components: Vec::new(),
        };
        let mut out = Vec::new();
        check_store(&exp, &mut out);
        out
    }

    #[test]
    fn a_key_vault_store_without_tenant_names_the_answer() {
        let out = findings("kind: ClusterSecretStore\nmetadata: {name: s}\nspec: {provider: {azurekv: {vaultUrl: 'https://v.vault.azure.net'}}}\n");
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].answer.as_deref(), Some("secretStore.azureTenantId"));
        let ok = findings("kind: ClusterSecretStore\nmetadata: {name: s}\nspec: {provider: {azurekv: {tenantId: t}}}\n");
        assert!(ok.is_empty(), "{ok:?}");
        let aws = findings("kind: ClusterSecretStore\nmetadata: {name: s}\nspec: {provider: {aws: {region: us-east-1}}}\n");
        assert!(aws.is_empty(), "{aws:?}");
    }
}
