//! The README's *TLS to Postgres and Redis* part: which sslmode each service got, the CA
//! bundle and how to fill it, and what can't verify (#10).
use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::CA_BUNDLE_KEY;
use crate::plan::placeholders::Vars;
use crate::plan::{Plan, DB_ROLES};
use crate::validate::IN_CLUSTER_POSTGRES;

/// What the README says about TLS to the data services.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataTlsSection {
    /// Whether the section is shown (managed Postgres with an ExternalSecret).
    pub data_tls: bool,
    /// The query of each group of database URLs.
    pub tls_urls: Vec<UrlGroup>,
    /// The CA bundle ConfigMap, when answered.
    pub ca_config_map: Option<String>,
    /// Whether a private chain asks for a CA bundle that is not answered.
    pub ca_suggested: bool,
    /// Commands writing the CA bundle file.
    pub ca_commands: Vec<String>,
    /// The CA bundle's key in its ConfigMap.
    pub ca_key: &'static str,
    /// The command creating (or updating) the CA bundle ConfigMap from `ca.crt`.
    pub ca_config_map_command: String,
    /// What stays unverified, in sentences.
    pub tls_limits: Vec<String>,
}

/// Database URLs that share their TLS parameters.
#[derive(Debug, Clone, Serialize)]
pub struct UrlGroup {
    /// The query string (`sslmode=…`).
    pub query: String,
    /// The roles whose URLs carry it, comma-separated.
    pub roles: String,
}

/// The section for `plan`.
pub fn data_tls(plan: &Plan) -> DataTlsSection {
    let mut s = DataTlsSection::default();
    let managed = plan.values.secrets.database.host != IN_CLUSTER_POSTGRES;
    let Some(es) = plan.external_secret.as_ref().filter(|_| managed) else {
        return s;
    };
    let data = &es.spec.target.template.data;
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for role in DB_ROLES {
        let url = data.get(&format!("{role}DatabaseUrl"));
        let query = url.and_then(|u| u.split_once('?')).map(|(_, q)| q);
        groups
            .entry(query.unwrap_or_default().into())
            .or_default()
            .push(role);
    }
    s.data_tls = true;
    s.tls_urls = groups
        .into_iter()
        .map(|(query, r)| UrlGroup {
            query,
            roles: r.join(", "),
        })
        .collect();
    let tls = &plan.cloud.data_tls;
    let private_pg = !tls.postgres_public_ca;
    let private_redis = !tls.redis_public_ca && redis_tls(plan);
    s.ca_config_map = plan
        .answers
        .ca_bundle
        .as_ref()
        .map(|b| b.config_map.clone());
    s.ca_suggested = s.ca_config_map.is_none() && (private_pg || private_redis);
    s.ca_key = CA_BUNDLE_KEY;
    s.ca_config_map_command = ca_config_map_command(
        s.ca_config_map
            .as_deref()
            .unwrap_or(SUGGESTED_CA_CONFIG_MAP),
        plan.answers.namespace(),
    );
    let pg_cmd = tls.postgres_ca_command.clone().filter(|_| private_pg);
    let redis_cmd = tls.redis_ca_command.clone().filter(|_| private_redis);
    // Catalog commands may name the store's answers (`{gcpProject}`); one shell line each,
    // so the README can indent every line inside *Apply order*.
    let vars = Vars {
        store: Some(&plan.answers.secret_store),
        ..Vars::default()
    };
    s.ca_commands = (pg_cmd.into_iter().chain(redis_cmd))
        .flat_map(|c| vars.fill(&c).lines().map(String::from).collect::<Vec<_>>())
        .collect();
    if private_pg {
        s.tls_limits.push(format!("The console (web) and its `auth-migrate` Job can't mount files in this chart, so their connection to {} is encrypted but not verified (`sslmode=no-verify`, `services.web.databaseSsl: no-verify`).", plan.cloud.products.postgres));
    }
    if private_redis && s.ca_config_map.is_none() {
        s.tls_limits.push(format!("{} presents a per-instance CA: without the CA bundle the services can't connect to Redis over TLS.", plan.cloud.products.redis));
    }
    s
}

/// The ConfigMap name the README suggests when `caBundle` is not answered.
const SUGGESTED_CA_CONFIG_MAP: &str = "caracal-server-ca";

/// Creates the ConfigMap from `ca.crt`, or updates it when run again (a CA rotation):
/// `create` alone fails on an existing ConfigMap.
fn ca_config_map_command(name: &str, namespace: &str) -> String {
    format!("kubectl create configmap {name} -n {namespace} --from-file={CA_BUNDLE_KEY}=ca.crt --dry-run=client -o yaml | kubectl apply -f -")
}

/// Whether the runtime Secret's Redis URL is `rediss://`.
fn redis_tls(plan: &Plan) -> bool {
    plan.answers
        .redis
        .as_ref()
        .and_then(|r| r.tls)
        .unwrap_or(false)
}
