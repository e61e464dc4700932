//! What a profile change does to the answers: keep every answer, adjust what the target
//! profile invalidates, and upgrade answers files written by older versions.
use std::collections::BTreeSet;

use crate::answers::{Answers, DnsMode, Endpoint, Exposure, VERSION};
use crate::catalog::{Catalog, Cloud, Profile};
use crate::error::Problem;
use crate::validate::{IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};

use super::{Change, MigrateError};

/// The answers of an existing overlay, upgraded to the current answers version.
#[derive(Debug, Clone, PartialEq)]
pub struct OldAnswers {
    /// The answers, in the current format (`version` still names the version read).
    pub answers: Answers,
    /// What the upgrade from an older answers version changed (empty when current).
    pub upgrade: Vec<Change>,
}

/// Reads an answers file of any version this build knows and upgrades it explicitly.
///
/// Version 0 is the format before version 1: it wrote `off` for a disabled endpoint
/// (which YAML 1.1 tools read as `false`, so `false` is accepted too). Version 1 writes
/// `disabled`. Nothing else changed between them.
pub fn upgrade(source_name: &str, text: &str) -> Result<OldAnswers, MigrateError> {
    let mut doc = crate::manifest::parse_yaml(text).map_err(|e| MigrateError::Answers {
        source_name: source_name.to_string(),
        reason: format!("not valid YAML: {e}"),
    })?;
    let version = doc
        .get("version")
        .map(|v| {
            v.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| MigrateError::Answers {
                    source_name: source_name.to_string(),
                    reason: "`version` must be a whole number such as 1".into(),
                })
        })
        .transpose()?;
    let mut upgrade = Vec::new();
    match version {
        Some(v) if v > VERSION => {
            return Err(MigrateError::Answers {
                source_name: source_name.to_string(),
                reason: format!("answers version {v} is newer than this caracal-wizard understands ({VERSION}); upgrade caracal-wizard"),
            })
        }
        Some(0) => {
            let mut renamed = Vec::new();
            if let Some(endpoints) = doc.get_mut("endpoints").and_then(serde_yaml::Value::as_mapping_mut) {
                for (k, v) in endpoints.iter_mut() {
                    let off = v.as_str() == Some("off") || v.as_bool() == Some(false);
                    if off {
                        *v = serde_yaml::Value::String(Exposure::Disabled.key().into());
                        renamed.push(k.as_str().unwrap_or_default().to_string());
                    }
                }
            }
            let detail = if renamed.is_empty() {
                format!("version 0 → {VERSION}; no key needed rewriting")
            } else {
                format!(
                    "version 0 → {VERSION}: endpoints written `off` are now `disabled` ({})",
                    renamed.join(", ")
                )
            };
            upgrade.push(Change::new("answers file", detail));
            if let Some(m) = doc.as_mapping_mut() {
                m.insert("version".into(), serde_yaml::Value::Number(VERSION.into()));
            }
        }
        _ => {}
    }
    let mut answers = Answers::from_value(source_name, doc).map_err(|e| MigrateError::Answers {
        source_name: source_name.to_string(),
        reason: e.to_string(),
    })?;
    answers.version = Some(version.unwrap_or(VERSION));
    Ok(OldAnswers { answers, upgrade })
}

/// Answers moved to another profile, before `--set` overrides.
#[derive(Debug, Clone)]
pub(crate) struct Migrated {
    /// The answers for the target profile.
    pub answers: Answers,
    /// The certificate source must be given again (and why), unless `--set` gives one.
    pub needs_tls: Option<Problem>,
}

fn used_exposures(a: &Answers) -> BTreeSet<Exposure> {
    a.endpoints
        .iter()
        .filter(|(e, x)| e.is_exposable() && **x != Exposure::Disabled)
        .map(|(_, x)| *x)
        .collect()
}

/// Moves complete answers of profile `from` to profile `to`, keeping every answer the
/// target profile allows. Pure.
///
/// The recorded answers carry every default filled in, so a value equal to the old
/// profile's default can't be told from one the operator chose. Only the retention is
/// re-defaulted on that basis (365 → 2555 days for regulated); exposures never widen.
pub(crate) fn migrate(
    old: &Answers,
    cloud: &Cloud,
    from: &Profile,
    to: &Profile,
    catalog: &Catalog,
) -> Migrated {
    let mut a = old.clone();
    a.version = Some(VERSION);
    a.profile = to.id.clone();
    a.digests.clear();
    let before = used_exposures(&a);
    narrow_exposures(&mut a, to);
    let after = used_exposures(&a);
    let needs_tls = reconfirm_tls(&mut a, cloud, catalog, &before, &after);
    drop_stale_controller(&mut a, cloud, &before, &after);
    narrow_egress(&mut a, to);
    follow_retention(&mut a, from, to);
    reset_dependencies(&mut a, from, to);
    Migrated {
        answers: a,
        needs_tls,
    }
}

/// Exposures the target refuses: public becomes internal where allowed, else disabled.
fn narrow_exposures(a: &mut Answers, to: &Profile) {
    let allowed: Vec<Exposure> = to
        .exposures
        .iter()
        .filter_map(|k| Exposure::from_key(k))
        .collect();
    for (e, x) in a.endpoints.iter_mut() {
        if e.is_exposable() && !allowed.contains(x) {
            *x = if *x == Exposure::Public && allowed.contains(&Exposure::Internal) {
                Exposure::Internal
            } else {
                Exposure::Disabled
            };
        }
    }
}

/// The certificate source must serve every exposure now in use; when it can't, or when
/// endpoints newly become internal behind an issuer that so far only served public hosts,
/// the TLS answer is cleared and the returned problem asks for it again.
fn reconfirm_tls(
    a: &mut Answers,
    cloud: &Cloud,
    catalog: &Catalog,
    before: &BTreeSet<Exposure>,
    after: &BTreeSet<Exposure>,
) -> Option<Problem> {
    let (mode_id, _) = a.tls.iter().next().map(|(k, v)| (k.clone(), v.clone()))?;
    let serves = |x: &Exposure| {
        cloud
            .exposures
            .get(x.key())
            .is_some_and(|s| s.tls.contains(&mode_id))
    };
    let internal_tls: Vec<String> = cloud
        .exposures
        .get(Exposure::Internal.key())
        .map(|s| s.tls.clone())
        .unwrap_or_default();
    let give = internal_tls
        .iter()
        .map(|m| format!("`tls.{m}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let mode = catalog.tls_mode(&mode_id);
    let problem = if !after.iter().all(serves) {
        let title = mode
            .map(|m| m.title.clone())
            .unwrap_or_else(|| mode_id.clone());
        Problem::new(
            format!("tls.{}", internal_tls.first().cloned().unwrap_or_else(|| "clusterIssuer".into())),
            format!("{title} can't serve the endpoints that become internal on {}; give {give} (a DNS-01 issuer or a private CA: internal load balancers can't answer HTTP-01 challenges)", cloud.id),
        )
    } else if after.contains(&Exposure::Internal)
        && !before.contains(&Exposure::Internal)
        && mode.is_some_and(|m| m.tls_secret)
    {
        // The issuer so far only served public hosts, likely through HTTP-01.
        Problem::new(
            format!("tls.{mode_id}"),
            format!("endpoints become internal, and internal load balancers can't answer HTTP-01 challenges; confirm an issuer that uses DNS-01 or a private CA (it may be the current one, `{}`)", a.tls.get(&mode_id).map(ToString::to_string).unwrap_or_default()),
        )
    } else {
        return None;
    };
    a.tls.clear();
    Some(problem)
}

/// An ingress controller that is the default of an exposure no longer used would admit
/// the wrong pods; drop it so the new exposure's default (or a required answer) applies.
fn drop_stale_controller(
    a: &mut Answers,
    cloud: &Cloud,
    before: &BTreeSet<Exposure>,
    after: &BTreeSet<Exposure>,
) {
    let Some(ic) = &a.ingress_controller else {
        return;
    };
    let is_default_of = |x: &Exposure| {
        cloud
            .exposures
            .get(x.key())
            .and_then(|s| s.default_controller.as_ref())
            .is_some_and(|dc| {
                let labels: crate::catalog::Labels = dc
                    .pod_labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.replace("{release}", a.release())))
                    .collect();
                ic.namespace.as_deref() == Some(dc.namespace.as_str())
                    && ic.pod_labels == labels
                    && ic.cidrs.is_empty()
            })
    };
    if before.difference(after).any(is_default_of) && !after.iter().any(is_default_of) {
        a.ingress_controller = None;
    }
}

/// Egress the target refuses: open DNS, open HTTPS, CIDRs to everywhere.
fn narrow_egress(a: &mut Answers, to: &Profile) {
    if let Some(dns) = &mut a.dns {
        if dns.mode == DnsMode::Open && !to.open_dns {
            dns.mode = DnsMode::Cluster;
            dns.cidr = None;
        }
    }
    let Some(eg) = &mut a.egress else {
        return;
    };
    if eg.open_https == Some(true) && !to.open_https {
        eg.open_https = Some(false);
    }
    if !to.open_cidr {
        for list in [
            &mut eg.identity_provider,
            &mut eg.object_store,
            &mut eg.provider_apis,
            &mut eg.other,
        ]
        .into_iter()
        .flatten()
        {
            list.retain(|e| {
                crate::format::ensure_cidr(e.cidr())
                    .map_or(true, |n| !crate::cidr::is_everywhere(&n))
            });
        }
    }
}

/// Retention that was the old profile's default follows the new profile's default.
fn follow_retention(a: &mut Answers, from: &Profile, to: &Profile) {
    if let Some(r) = &mut a.retention {
        if r.audit_days.is_none_or(|d| d == from.audit_retention_days) {
            r.audit_days = Some(to.audit_retention_days);
        }
    }
}

/// Postgres, Redis and sign-in answers that can't carry over to the target's kind of
/// dependencies.
fn reset_dependencies(a: &mut Answers, from: &Profile, to: &Profile) {
    if to.evaluation && !from.evaluation {
        // An evaluation's temporary Secret holds random passwords generated on write, which
        // a managed server doesn't have: use the chart's in-cluster Postgres and Redis.
        a.postgres = None;
        a.redis = None;
        a.sign_in = None;
        // The bundle held the managed servers' CA; the in-cluster ones need none, and an
        // evaluation can't mount it.
        a.ca_bundle = None;
    }
    if to.managed_dependencies {
        if let Some(pg) = &mut a.postgres {
            if pg.host.as_deref() == Some(IN_CLUSTER_POSTGRES) {
                pg.host = None;
            }
        }
        if let Some(r) = &mut a.redis {
            if r.host.as_deref() == Some(IN_CLUSTER_REDIS) {
                // Port and TLS were the in-cluster defaults too; the cloud's apply instead.
                r.host = None;
                r.port = None;
                r.tls = None;
            }
        }
    }
}

/// Whether `e` is exposed in `a`.
pub(crate) fn exposure(a: &Answers, e: Endpoint) -> Exposure {
    a.endpoints.get(&e).copied().unwrap_or(Exposure::Disabled)
}
