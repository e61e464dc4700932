use super::*;
use crate::migrate::tests::fixtures::{needs, source};
use crate::migrate::tests::{flow_over, overlay};
use crate::wizard::Outcome;

fn flow(cloud: &str, profile: &str, edit: impl FnOnce(&mut DirState)) -> MigrationFlow {
    flow_over(&source(cloud, profile), edit)
}

fn hand_edited_replicas(state: &mut DirState) {
    let values = state.files["values.yaml"].replace(
        "services:\n  api:\n",
        "services:\n  api:\n    replicas: 5\n",
    );
    state.files.insert("values.yaml".into(), values);
}

/// Drives `wizard` to the end, answering each question whose key path a `--set` names.
fn answer(mut wizard: Wizard, sets: &[String]) -> Answers {
    for _ in 0..20 {
        for q in wizard.questions().into_iter().cloned().collect::<Vec<_>>() {
            if let Some((_, v)) = sets
                .iter()
                .filter_map(|s| s.split_once('='))
                .find(|(k, _)| *k == q.path)
            {
                let v = v.trim_start_matches('{').trim_end_matches('}');
                wizard.update(Msg::Answer(q.id, v.to_string()));
            }
        }
        if let Some(Outcome::Finished(a)) = wizard.update(Msg::Next) {
            return *a;
        }
    }
    panic!("the wizard did not finish: {:?}", wizard.problems());
}

#[test]
fn the_current_profile_is_unavailable_and_the_others_say_what_they_ask() {
    let f = flow("eks", "production", |_| {});
    assert_eq!(f.stage(), Stage::Profile);
    let current = f
        .choices()
        .iter()
        .find(|c| c.value == "production")
        .unwrap();
    assert!(current
        .disabled
        .as_deref()
        .is_some_and(|why| why.contains("nothing to move")));
    let regulated = f.choices().iter().find(|c| c.value == "regulated").unwrap();
    assert!(regulated.disabled.is_none());
    assert!(
        regulated.explain.contains("Audit export & retention"),
        "{}",
        regulated.explain
    );
    assert_ne!(f.target(), "production");
}

#[test]
fn choosing_the_current_profile_does_not_go_on() {
    let mut f = flow("eks", "production", |_| {});
    f.update(FlowMsg::Target("production".into()));
    assert_ne!(f.target(), "production");
    assert!(f.status().is_some_and(|s| s.contains("nothing to move")));
    f.update(FlowMsg::Target("nonsense".into()));
    assert_ne!(f.target(), "nonsense");
}

#[test]
fn production_to_regulated_asks_only_what_regulated_adds_or_changes() {
    let mut f = flow("eks", "production", |_| {});
    f.update(FlowMsg::Target("regulated".into()));
    assert!(f.update(FlowMsg::Next).is_none());
    assert_eq!(f.stage(), Stage::Questions);
    let w = f.wizard().unwrap();
    assert!(w.steps().contains(&Step::Audit), "{:?}", w.steps());
    for s in [Step::Cloud, Step::Profile, Step::Hosts, Step::Identity] {
        assert!(!w.steps().contains(&s), "{s:?} asked: {:?}", w.steps());
    }
    let asked: Vec<QuestionId> = w
        .steps()
        .iter()
        .flat_map(|s| w.questions_of(*s))
        .map(|q| q.id)
        .collect();
    for id in [
        QuestionId::AuditEndpoint,
        QuestionId::AuditBucket,
        QuestionId::AuditRegion,
        QuestionId::RetentionDays,
    ] {
        assert!(asked.contains(&id), "{id:?} not asked: {asked:?}");
    }
    assert!(!asked.contains(&QuestionId::Release));
    // Everything else is prefilled from the old answers.
    assert_eq!(
        w.answers().release,
        f.proposal.as_ref().unwrap().old.release
    );
    assert!(f
        .reasons()
        .iter()
        .any(|p| p.path.starts_with("auditExport")));
}

#[test]
fn answering_plans_keeps_the_hand_edit_and_writes_after_the_summary() {
    let mut f = flow("eks", "production", hand_edited_replicas);
    f.update(FlowMsg::Target("regulated".into()));
    f.update(FlowMsg::Next);
    let (_, sets) = needs("eks", "production", "regulated");
    let answers = answer(f.wizard().unwrap(), &sets);
    assert!(f.update(FlowMsg::Answered(Box::new(answers))).is_none());
    assert_eq!(f.stage(), Stage::Summary, "{:?}", f.status());
    let plan = f.plan().unwrap();
    assert!(plan.conflicts.is_empty(), "{:?}", plan.conflicts);
    assert!(plan
        .changes
        .iter()
        .any(|c| c.to_string() == "retention: 365 → 2555 days"));
    match f.update(FlowMsg::Next) {
        Some(FlowOutcome::Write(plan)) => {
            let values = &plan.files["values.yaml"];
            assert!(values.contains("replicas: 5"), "{values}");
            assert!(values.contains("AUDIT_EXPORT_S3_ENDPOINT"), "{values}");
            assert_eq!(plan.answers.profile, "regulated");
        }
        other => panic!("expected a write, got {other:?}"),
    }
}

#[test]
fn the_same_answers_plan_what_the_non_interactive_migration_plans() {
    let mut f = flow("gke", "production", |_| {});
    f.update(FlowMsg::Target("regulated".into()));
    f.update(FlowMsg::Next);
    let (_, sets) = needs("gke", "production", "regulated");
    let answers = answer(f.wizard().unwrap(), &sets);
    f.update(FlowMsg::Answered(Box::new(answers)));
    let (old, state) = overlay(&source("gke", "production"));
    let cli = crate::migrate::plan_migration(
        &old,
        "regulated",
        &sets,
        &state,
        f.catalog(),
        f.templates(),
    )
    .unwrap();
    assert_eq!(f.plan().unwrap().files, cli.files);
}

#[test]
fn back_from_the_summary_returns_to_the_last_question_with_the_answers_given() {
    let mut f = flow("eks", "production", |_| {});
    f.update(FlowMsg::Target("regulated".into()));
    f.update(FlowMsg::Next);
    let (_, sets) = needs("eks", "production", "regulated");
    let answers = answer(f.wizard().unwrap(), &sets);
    f.update(FlowMsg::Answered(Box::new(answers.clone())));
    f.update(FlowMsg::Back);
    assert_eq!(f.stage(), Stage::Questions);
    let w = f.wizard().unwrap();
    assert_eq!(w.answers(), &answers);
    assert_eq!(w.step(), Step::Audit);
    f.update(FlowMsg::Back);
    assert_eq!(f.stage(), Stage::Profile);
}

#[test]
fn conflicts_are_settled_per_key_before_writing() {
    let mut f = flow("eks", "production", |s| {
        let values =
            s.files["values.yaml"].replace("allowOpenHttps: false", "allowOpenHttps: true");
        s.files.insert("values.yaml".into(), values);
    });
    f.update(FlowMsg::Target("private".into()));
    f.update(FlowMsg::Next);
    let (_, sets) = needs("eks", "production", "private");
    if let Some(w) = f.wizard() {
        f.update(FlowMsg::Answered(Box::new(answer(w, &sets))));
    }
    assert_eq!(f.stage(), Stage::Summary, "{:?}", f.status());
    let n = f.plan().unwrap().conflicts.len();
    assert!(n > 0, "expected a conflict on the pinned key");
    assert!(f.update(FlowMsg::Next).is_none());
    assert_eq!(f.stage(), Stage::Conflicts);
    assert!(
        f.update(FlowMsg::Next).is_none(),
        "open conflicts write nothing"
    );
    assert!(f.status().is_some_and(|s| s.contains("still open")));
    for i in 0..n {
        f.update(FlowMsg::Resolve(i, Side::Theirs));
    }
    match f.update(FlowMsg::Next) {
        Some(FlowOutcome::Write(plan)) => assert!(plan.is_ready()),
        other => panic!("expected a write, got {other:?}"),
    }
}

#[test]
fn cancel_ends_the_flow_at_any_stage() {
    let mut f = flow("eks", "production", |_| {});
    assert!(matches!(
        f.update(FlowMsg::Cancel),
        Some(FlowOutcome::Cancelled)
    ));
}

#[test]
fn the_questions_say_why_they_are_asked_under_the_question() {
    // The issuer served only public hosts; moving them internal asks to confirm it.
    let text =
        source("aks", "production") + "endpoints: {web: public, sts: public, gateway: disabled}\n";
    let mut f = flow_over(&text, |_| {});
    f.update(FlowMsg::Target("private".into()));
    f.update(FlowMsg::Next);
    assert_eq!(f.stage(), Stage::Questions);
    let w = f.wizard().expect("questions");
    let notes = w.notes_for(QuestionId::TlsValue);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("confirm an issuer that uses DNS-01")),
        "{notes:?}"
    );
    // Nothing else carries it.
    assert!(w.notes_for(QuestionId::Release).is_empty());
}
