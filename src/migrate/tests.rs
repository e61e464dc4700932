use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::catalog::Catalog;
use crate::render::Templates;

// The fixtures are shared with the CLI tests in tests/migrate.rs.
#[path = "../../tests/common/fixtures.rs"]
pub(crate) mod fixtures;
use fixtures::{needs, source, CLOUDS, PROFILES};

/// The overlay `answers` render to, as it lies on disk.
pub(crate) fn overlay(answers: &str) -> (OldAnswers, DirState) {
    let catalog = Catalog::builtin().unwrap();
    let templates = Templates::builtin().unwrap();
    let a = Answers::parse("test", answers, &[]).unwrap();
    let (_, tree) = crate::build(&a, &catalog, &templates).unwrap();
    on_disk(tree.files)
}

/// A migration flow over the overlay `answers` render to, with `edit` applied to its files
/// on disk first (a hand edit, say).
pub(crate) fn flow_over(answers: &str, edit: impl FnOnce(&mut DirState)) -> MigrationFlow {
    let (old, mut state) = overlay(answers);
    edit(&mut state);
    MigrationFlow::new(
        old,
        state,
        Catalog::builtin().unwrap(),
        Templates::builtin().unwrap(),
    )
}

fn on_disk(files: BTreeMap<String, String>) -> (OldAnswers, DirState) {
    let old = upgrade(ANSWERS_FILE, &files[ANSWERS_FILE]).unwrap();
    let state = DirState {
        recorded: old.answers.digests.clone(),
        files,
        local_secrets: false,
    };
    (old, state)
}

fn plan(
    old: &OldAnswers,
    state: &DirState,
    to: &str,
    sets: &[String],
) -> Result<MigrationPlan, MigrateError> {
    plan_migration(
        old,
        to,
        sets,
        state,
        &Catalog::builtin().unwrap(),
        &Templates::builtin().unwrap(),
    )
}

fn missing_paths(e: MigrateError) -> BTreeSet<String> {
    match e {
        MigrateError::Missing { problems, .. } => problems.0.into_iter().map(|p| p.path).collect(),
        other => panic!("expected missing answers, got: {other}"),
    }
}

fn value_at(text: &str, path: &[&str]) -> Option<serde_yaml::Value> {
    let doc = crate::manifest::parse_yaml(text).unwrap();
    path.iter().try_fold(doc, |cur, k| cur.get(*k).cloned())
}

#[test]
fn every_profile_pair_on_every_cloud_migrates_or_names_the_missing_answers() {
    for cloud in CLOUDS {
        for from in PROFILES {
            let (old, state) = overlay(&source(cloud, from));
            for to in PROFILES.into_iter().filter(|t| *t != from) {
                let (paths, sets) = needs(cloud, from, to);
                let case = format!("{cloud}: {from} → {to}");
                match plan(&old, &state, to, &[]) {
                    Ok(p) => assert!(
                        paths.is_empty(),
                        "{case}: migrated, but expected to need {paths:?}\n{:?}",
                        p.changes
                    ),
                    Err(e) => assert_eq!(missing_paths(e), paths, "{case}"),
                }
                let p = plan(&old, &state, to, &sets)
                    .unwrap_or_else(|e| panic!("{case} with {sets:?}: {e}"));
                assert_eq!(p.answers.profile, to, "{case}");
                assert!(p.is_ready(), "{case}: {:?}", p.conflicts);
                assert!(!p.changes.is_empty(), "{case}");
                let again = Answers::parse("new", &p.files[ANSWERS_FILE], &[]).unwrap();
                crate::validate::check(&again, &Catalog::builtin().unwrap())
                    .unwrap_or_else(|e| panic!("{case}: {e}"));
            }
        }
    }
}

#[test]
fn private_turns_public_endpoints_internal_and_says_so() {
    let (old, state) = overlay(&source("eks", "production"));
    let p = plan(&old, &state, "private", &[]).unwrap();
    let text: Vec<String> = p.changes.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|c| c.starts_with("STS: public → internal — its Ingress moves to an internal")),
        "{text:?}"
    );
    let values = &p.files["values.yaml"];
    for e in ["web", "sts", "gateway"] {
        let scheme = value_at(
            values,
            &[
                "ingress",
                e,
                "annotations",
                "alb.ingress.kubernetes.io/scheme",
            ],
        );
        assert_eq!(
            scheme.as_ref().and_then(|v| v.as_str()),
            Some("internal"),
            "{e}"
        );
    }
}

#[test]
fn regulated_removes_open_https_and_raises_default_retention() {
    let text = source("eks", "production").replace(
        "egress: {",
        "egress: {openHttps: true, other: [0.0.0.0/0], ",
    );
    let (old, state) = overlay(&text);
    let (_, sets) = needs("eks", "production", "regulated");
    let p = plan(&old, &state, "regulated", &sets).unwrap();
    let changes: Vec<String> = p.changes.iter().map(ToString::to_string).collect();
    for want in [
        "egress: HTTPS to anywhere removed",
        "egress: `0.0.0.0/0` (other) removed",
        "retention: 365 → 2555 days",
        "audit export: added to s3://acme-caracal-audit via https://s3.example.com",
    ] {
        assert!(
            changes.iter().any(|c| c == want),
            "{want} not in {changes:?}"
        );
    }
    let values = &p.files["values.yaml"];
    assert_eq!(
        value_at(values, &["networkPolicy", "allowOpenHttps"]),
        Some(false.into())
    );
    assert!(
        values.contains("AUDIT_RETENTION_DAYS\n      value: '2555'"),
        "{values}"
    );
}

#[test]
fn a_retention_the_operator_chose_is_kept() {
    let text = source("eks", "production") + "retention: {auditDays: 400}\n";
    let (old, state) = overlay(&text);
    let (_, sets) = needs("eks", "production", "regulated");
    let p = plan(&old, &state, "regulated", &sets).unwrap();
    assert_eq!(p.answers.retention.and_then(|r| r.audit_days), Some(400));
}

#[test]
fn evaluation_uses_in_cluster_dependencies_and_says_so() {
    let (old, state) = overlay(&source("aks", "production"));
    let p = plan(&old, &state, "evaluation", &[]).unwrap();
    let changes: Vec<String> = p.changes.iter().map(ToString::to_string).collect();
    assert!(
        changes
            .iter()
            .any(|c| c
                == "secrets: External Secrets from Azure Key Vault → chart-made temporary Secret"),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c.starts_with(
            "Postgres: `caracal-prod.postgres.database.azure.com` → the chart's in-cluster"
        )),
        "{changes:?}"
    );
    assert!(p.needs_local_secrets);
    assert!(!p
        .files
        .contains_key("external-secrets/external-secret.yaml"));
    assert!(p
        .removed
        .contains(&"external-secrets/external-secret.yaml".to_string()));
}

#[test]
fn evaluation_drops_the_managed_servers_ca_bundle_and_says_so() {
    let (old, state) = overlay(&source("gke", "production"));
    assert!(old.answers.ca_bundle.is_some(), "Memorystore TLS needs it");
    let p = plan(&old, &state, "evaluation", &[]).unwrap();
    assert!(p.answers.ca_bundle.is_none());
    let changes: Vec<String> = p.changes.iter().map(ToString::to_string).collect();
    assert!(
        changes
            .iter()
            .any(|c| c == "CA bundle: ConfigMap `caracal-server-ca` → none"),
        "{changes:?}"
    );
}

#[test]
fn internal_endpoints_behind_a_public_issuer_ask_to_confirm_it() {
    let text =
        source("aks", "production") + "endpoints: {web: public, sts: public, gateway: disabled}\n";
    let (old, state) = overlay(&text);
    let err = plan(&old, &state, "private", &[]).unwrap_err();
    assert_eq!(
        missing_paths(err),
        BTreeSet::from(["tls.clusterIssuer".to_string()])
    );
    let p = plan(
        &old,
        &state,
        "private",
        &["tls.clusterIssuer=contoso-private-ca".into()],
    )
    .unwrap();
    assert!(p
        .files
        .contains_key("ingress/internal-ingress-controller.yaml"));
}

#[test]
fn hand_edits_the_migration_does_not_touch_survive_with_their_comments() {
    let (old, mut state) = overlay(&source("eks", "production"));
    let values = state.files["values.yaml"].replace(
        "services:\n  api:\n",
        "services:\n  api:\n    # launch week (ticket 42)\n    replicas: 5\n",
    ) + "\n# Added by hand.\ntopologySpread:\n  enabled: true\n";
    state.files.insert("values.yaml".into(), values);
    let (_, sets) = needs("eks", "production", "regulated");
    let p = plan(&old, &state, "regulated", &sets).unwrap();
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    assert_eq!(p.merged, vec!["values.yaml".to_string()]);
    let merged = &p.files["values.yaml"];
    assert_eq!(
        value_at(merged, &["services", "api", "replicas"]),
        Some(5.into())
    );
    assert_eq!(
        value_at(merged, &["topologySpread", "enabled"]),
        Some(true.into())
    );
    assert!(merged.contains("# launch week (ticket 42)"), "{merged}");
    assert!(merged.contains("# Added by hand."), "{merged}");
    // The migration's own changes are there, with the new render's comments.
    assert!(
        merged.contains("# Audit: retention 2555 days, hourly export to s3://acme-caracal-audit"),
        "{merged}"
    );
    assert!(merged.contains("AUDIT_EXPORT_S3_BUCKET"), "{merged}");
    // The answers file records the wizard's own render, so the carried edit is still a hand
    // edit afterwards: `new` won't clobber it and the next migration merges it again.
    let recorded = Answers::parse("new", &p.files[ANSWERS_FILE], &[])
        .unwrap()
        .digests;
    assert_ne!(recorded["values.yaml"], digest(merged));
}

#[test]
fn merged_edits_survive_the_next_migration_too() {
    let (old, mut state) = overlay(&source("eks", "production"));
    let values = state.files["values.yaml"].replace(
        "services:\n  api:\n",
        "services:\n  api:\n    replicas: 5\n",
    );
    state.files.insert("values.yaml".into(), values);
    let (_, sets) = needs("eks", "production", "regulated");
    let first = plan(&old, &state, "regulated", &sets).unwrap();
    let (old2, state2) = on_disk(first.files.clone());
    assert!(state2.recorded["values.yaml"] != digest(&state2.files["values.yaml"]));
    let second = plan(&old2, &state2, "private", &[]).unwrap();
    assert!(second.conflicts.is_empty(), "{:?}", second.conflicts);
    assert_eq!(
        value_at(
            &second.files["values.yaml"],
            &["services", "api", "replicas"]
        ),
        Some(5.into())
    );
    assert_eq!(
        value_at(
            &second.files["values.yaml"],
            &[
                "ingress",
                "web",
                "annotations",
                "alb.ingress.kubernetes.io/scheme"
            ]
        ),
        Some("internal".into())
    );
}

#[test]
fn a_hand_change_to_a_pinned_key_is_a_conflict_until_resolved() {
    let (old, mut state) = overlay(&source("eks", "production"));
    let values =
        state.files["values.yaml"].replace("allowOpenHttps: false", "allowOpenHttps: true");
    state.files.insert("values.yaml".into(), values.clone());
    let (_, sets) = needs("eks", "production", "regulated");
    let mut p = plan(&old, &state, "regulated", &sets).unwrap();
    assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
    let c = &p.conflicts[0];
    assert_eq!(
        (
            c.file.as_str(),
            c.path.as_deref(),
            c.ours.as_str(),
            c.theirs.as_str(),
            c.kind
        ),
        (
            "values.yaml",
            Some("networkPolicy.allowOpenHttps"),
            "true",
            "false",
            ConflictKind::Pinned
        )
    );
    assert!(!p.is_ready());
    assert!(!p.files["values.yaml"].contains("<<<<<<<"));
    assert!(p.resolve(0, Side::Ours));
    assert_eq!(
        value_at(
            &p.files["values.yaml"],
            &["networkPolicy", "allowOpenHttps"]
        ),
        Some(true.into())
    );
    assert!(p.is_ready());
    p.resolve(0, Side::Theirs);
    assert_eq!(
        value_at(
            &p.files["values.yaml"],
            &["networkPolicy", "allowOpenHttps"]
        ),
        Some(false.into())
    );
    assert_eq!(
        value_at(&p.files["values.yaml"], &["services", "audit", "extraEnv"])
            .map(|v| v.as_sequence().map(Vec::len)),
        Some(Some(4))
    );
}

#[test]
fn a_key_both_sides_changed_differently_is_a_conflict() {
    let (old, mut state) = overlay(&source("aks", "production"));
    let values = state.files["values.yaml"].replacen(
        "className: webapprouting.kubernetes.azure.com",
        "className: nginx",
        1,
    );
    state.files.insert("values.yaml".into(), values);
    let mut p = plan(&old, &state, "private", &[]).unwrap();
    assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
    let c = p.conflicts[0].clone();
    assert_eq!(c.kind, ConflictKind::BothChanged);
    assert!(
        c.path.as_deref().is_some_and(|x| x.ends_with(".className")),
        "{c:?}"
    );
    assert_eq!(
        (c.ours.as_str(), c.theirs.as_str()),
        ("\"nginx\"", "\"caracal-internal\"")
    );
    p.resolve_all(Side::Ours);
    assert!(p.files["values.yaml"].contains("className: nginx"));
}

#[test]
fn text_files_keep_the_operator_copy_unless_the_render_changed_too() {
    let (old, mut state) = overlay(&source("eks", "production"));
    state.files.insert(
        ".gitignore".into(),
        state.files[".gitignore"].clone() + "notes/\n",
    );
    state.files.insert(
        "README.md".into(),
        state.files["README.md"].clone() + "\nOur runbook: wiki/caracal\n",
    );
    let (_, sets) = needs("eks", "production", "regulated");
    let mut p = plan(&old, &state, "regulated", &sets).unwrap();
    assert!(p.files[".gitignore"].ends_with("notes/\n"));
    assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
    assert_eq!(
        (p.conflicts[0].file.as_str(), p.conflicts[0].path.as_ref()),
        ("README.md", None)
    );
    p.resolve(0, Side::Ours);
    assert!(p.files["README.md"].contains("Our runbook"));
    p.resolve(0, Side::Theirs);
    assert!(p.files["README.md"].contains("Regulated workload"));
}

#[test]
fn an_edited_file_without_a_trustworthy_base_conflicts_on_every_difference() {
    let (old, mut state) = overlay(&source("eks", "production"));
    let values = state.files["values.yaml"].replace(
        "services:\n  api:\n",
        "services:\n  api:\n    replicas: 5\n",
    );
    state.files.insert("values.yaml".into(), values);
    state
        .recorded
        .insert("values.yaml".into(), "sha256:0000".into());
    let p = plan(&old, &state, "private", &[]).unwrap();
    assert!(!p.conflicts.is_empty());
    assert!(
        p.conflicts
            .iter()
            .all(|c| c.kind == ConflictKind::UnknownBase),
        "{:?}",
        p.conflicts
    );
    assert!(p
        .conflicts
        .iter()
        .any(|c| c.path.as_deref() == Some("services.api.replicas")));
}

#[test]
fn pristine_files_no_longer_produced_are_removed_and_edited_ones_kept() {
    let (old, mut state) = overlay(&source("gke", "production"));
    assert!(state.files.contains_key("certificates/web.yaml"));
    state.files.insert(
        "certificates/sts.yaml".into(),
        state.files["certificates/sts.yaml"].clone() + "# mine\n",
    );
    let (_, sets) = needs("gke", "production", "private");
    let p = plan(&old, &state, "private", &sets).unwrap();
    assert!(
        p.removed.contains(&"certificates/web.yaml".to_string()),
        "{:?}",
        p.removed
    );
    assert!(!p.removed.contains(&"certificates/sts.yaml".to_string()));
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("certificates/sts.yaml")),
        "{:?}",
        p.notes
    );
}

#[test]
fn version_0_answers_are_upgraded_explicitly() {
    let text = source("eks", "production").replace(
        "profile: production\n",
        "profile: production\nversion: 0\nendpoints: {web: off, sts: public, api: false}\n",
    );
    let old = upgrade("a.yaml", &text).unwrap();
    assert_eq!(
        old.answers.endpoints[&crate::answers::Endpoint::Web],
        crate::answers::Exposure::Disabled
    );
    assert_eq!(old.upgrade.len(), 1);
    assert_eq!(
        old.upgrade[0].to_string(),
        "answers file: version 0 → 1: endpoints written `off` are now `disabled` (web, api)"
    );
    let state = DirState::default();
    let p = plan(&old, &state, "private", &[]).unwrap();
    assert_eq!(p.changes[0], old.upgrade[0]);
    assert!(p.files[ANSWERS_FILE].contains("version: 1"));
    assert!(upgrade("a.yaml", "version: 7\ncloud: eks\n")
        .unwrap_err()
        .to_string()
        .contains("newer"));
}

#[test]
fn sets_may_not_change_cloud_or_profile() {
    let (old, state) = overlay(&source("eks", "production"));
    assert!(matches!(
        plan(&old, &state, "private", &["cloud=gke".into()]),
        Err(MigrateError::Set(_))
    ));
    assert!(matches!(
        plan(&old, &state, "staging", &[]),
        Err(MigrateError::Profile { .. })
    ));
}

#[test]
fn keeping_a_hand_edit_the_target_profile_forbids_is_refused_naming_the_key() {
    let (old, mut state) = overlay(&source("eks", "production"));
    let values = state.files.get_mut("values.yaml").unwrap();
    *values = values.replace("allowOpenHttps: false", "allowOpenHttps: true");
    let (_, sets) = needs("eks", "production", "regulated");
    let catalog = Catalog::builtin().unwrap();
    for (side, refused) in [(Side::Ours, true), (Side::Theirs, false)] {
        let mut p = plan(&old, &state, "regulated", &sets).unwrap();
        p.resolve_all(side);
        match p.ensure_allowed(&catalog) {
            Err(e @ MigrateError::Forbidden { .. }) => {
                assert!(refused, "{side:?}: {e}");
                let text = e.to_string();
                assert!(
                    text.contains("networkPolicy.allowOpenHttps: true is a hand edit"),
                    "{text}"
                );
                assert!(!text.contains("in the answers"), "{text}");
            }
            Err(e) => panic!("{side:?}: {e}"),
            Ok(()) => assert!(!refused, "{side:?}: kept a forbidden value"),
        }
    }
}

/// The `resources:` entries of a kustomization.
fn kustomization_resources(text: &str) -> Vec<String> {
    value_at(text, &["resources"])
        .and_then(|v| serde_yaml::from_value(v).ok())
        .unwrap_or_default()
}

#[test]
fn a_kept_kustomization_names_no_removed_file_and_every_added_one_whatever_the_side() {
    let (old, mut state) = overlay(&source("gke", "production"));
    state.files.insert(
        "network/extra.yaml".into(),
        "kind: List\nitems: []\n".into(),
    );
    let k = state.files.get_mut("kustomization.yaml").unwrap();
    *k = k.replace("resources:\n", "resources:\n- network/extra.yaml # mine\n");
    let (_, sets) = needs("gke", "production", "regulated");
    let catalog = Catalog::builtin().unwrap();
    for side in [Side::Ours, Side::Theirs] {
        let mut p = plan(&old, &state, "regulated", &sets).unwrap();
        p.resolve_all(side);
        assert!(
            p.removed.iter().any(|r| r.ends_with("-egress.yaml")),
            "{:?}",
            p.removed
        );
        let text = &p.files["kustomization.yaml"];
        let listed = kustomization_resources(text);
        for r in &listed {
            let there =
                p.files.contains_key(r) || (state.files.contains_key(r) && !p.removed.contains(r));
            assert!(
                there,
                "{side:?}: lists {r}, not there after the write:\n{text}"
            );
        }
        for r in kustomization_resources(&p.rendered["kustomization.yaml"]) {
            assert!(listed.contains(&r), "{side:?}: lacks {r}:\n{text}");
        }
        if side == Side::Ours {
            assert!(text.contains("- network/extra.yaml # mine\n"), "{text}");
        }
        p.ensure_allowed(&catalog).unwrap();
    }
}

#[test]
fn a_kept_kustomization_whose_list_cant_be_edited_is_refused_naming_the_entries() {
    let (old, mut state) = overlay(&source("gke", "production"));
    let k = state.files.get_mut("kustomization.yaml").unwrap();
    let at = k.find("resources:\n").unwrap();
    let items: Vec<&str> = k[at..]
        .lines()
        .skip(1)
        .filter_map(|l| l.strip_prefix("- "))
        .collect();
    // A hand-added entry, so the operator's list is kept, in flow style.
    *k = format!(
        "{}resources: [network/extra.yaml, {}]\n",
        &k[..at],
        items.join(", ")
    );
    let (_, sets) = needs("gke", "production", "regulated");
    let mut p = plan(&old, &state, "regulated", &sets).unwrap();
    p.resolve_all(Side::Ours);
    let e = p.ensure_allowed(&Catalog::builtin().unwrap()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("`kustomization.yaml`"), "{text}");
    assert!(
        text.contains("`network/sts-egress.yaml`") && text.contains("which the migration removes"),
        "{text}"
    );
}
