use super::*;
use crate::answers::Endpoint;

fn example(name: &str) -> Answers {
    Answers::builtin_example(name).expect("built-in example")
}

fn wizard(answers: Answers) -> Wizard {
    Wizard::new(Catalog::builtin().unwrap(), answers)
}

/// Presses Next until review; returns the steps visited.
fn walk(w: &mut Wizard) -> Vec<Step> {
    let mut seen = vec![w.step()];
    while w.step() != Step::Review {
        assert_eq!(w.update(Msg::Next), None);
        assert_ne!(
            Some(&w.step()),
            seen.last(),
            "stuck at {:?}: {:?}",
            w.step(),
            w.problems()
        );
        seen.push(w.step());
    }
    seen
}

#[test]
fn a_complete_answers_file_is_accepted_step_by_step_unchanged() {
    for name in [
        "eks-production",
        "gke-regulated",
        "aks-private",
        "evaluation",
    ] {
        let answers = example(name);
        let mut w = wizard(answers.clone());
        let seen = walk(&mut w);
        assert_eq!(seen, w.steps(), "{name}");
        assert_eq!(w.position(), (seen.len(), seen.len()));
        assert_eq!(
            w.update(Msg::Next),
            Some(Outcome::Finished(Box::new(answers))),
            "{name}"
        );
    }
}

#[test]
fn skipped_steps_follow_the_profile() {
    use Step::*;
    let steps = |name| wizard(example(name)).steps().to_vec();
    assert_eq!(
        steps("evaluation"),
        vec![Cloud, Profile, Endpoints, Hosts, Data, Delivery, Review]
    );
    assert_eq!(
        steps("eks-production"),
        vec![Cloud, Profile, Endpoints, Hosts, Data, Network, Identity, Delivery, Review]
    );
    assert_eq!(steps("gke-regulated"), Step::ALL.to_vec());
}

#[test]
fn every_step_is_reachable_and_back_always_works() {
    let mut w = wizard(example("gke-regulated"));
    let seen = walk(&mut w);
    assert_eq!(seen, Step::ALL.to_vec());
    // Break the current field, then go back through every step anyway.
    w.update(Msg::Answer(QuestionId::RetentionDays, "ten".into()));
    for expected in seen.iter().rev().skip(1) {
        w.update(Msg::Back);
        assert_eq!(w.step(), *expected);
    }
    w.update(Msg::Back);
    assert_eq!(w.step(), Step::Cloud, "back on the first step stays there");
}

#[test]
fn back_works_while_the_field_is_invalid() {
    let mut w = wizard(example("eks-production"));
    w.update(Msg::Next);
    w.update(Msg::Next);
    assert_eq!(w.step(), Step::Endpoints);
    w.update(Msg::Answer(
        QuestionId::Exposure(Endpoint::Web),
        "nope".into(),
    ));
    assert!(!w
        .problems_for(QuestionId::Exposure(Endpoint::Web))
        .is_empty());
    w.update(Msg::Next);
    assert_eq!(w.step(), Step::Endpoints, "an invalid field stops Next");
    w.update(Msg::Back);
    assert_eq!(w.step(), Step::Profile);
}

#[test]
fn a_fresh_wizard_stops_at_missing_answers_and_shows_them_after_next() {
    let mut w = wizard(Answers::default());
    assert!(
        w.problems_for(QuestionId::Cloud).is_empty(),
        "no noise before the user tried"
    );
    w.update(Msg::Next);
    assert_eq!(w.step(), Step::Cloud);
    assert!(w.problems_for(QuestionId::Cloud)[0].contains("choose one of"));
    w.update(Msg::Answer(QuestionId::Cloud, "gke".into()));
    w.update(Msg::Next);
    assert_eq!(w.step(), Step::Profile);
    w.update(Msg::Answer(QuestionId::Profile, "private".into()));
    w.update(Msg::Next);
    assert_eq!(w.step(), Step::Endpoints);
    // Private refuses public exposure, with the catalog's reason.
    w.update(Msg::Answer(
        QuestionId::Exposure(Endpoint::Web),
        "public".into(),
    ));
    let msg = w
        .problems_for(QuestionId::Exposure(Endpoint::Web))
        .join(" ");
    assert!(
        msg.contains("a private cluster has no public ingress"),
        "{msg}"
    );
}

#[test]
fn warnings_show_while_later_steps_are_still_unanswered() {
    // GKE private from scratch: the default issuer proves the domain by HTTP-01, which internal
    // endpoints can't answer; say so at the proof, long before Postgres and Redis are answered.
    let mut w = wizard(Answers::default());
    w.update(Msg::Answer(QuestionId::Cloud, "gke".into()));
    w.update(Msg::Answer(QuestionId::Profile, "private".into()));
    w.update(Msg::Answer(
        QuestionId::Domain,
        "caracal.corp.example.net".into(),
    ));
    assert!(
        !w.problems().is_empty(),
        "Postgres, Redis, identity… still missing"
    );
    let at_proof = w
        .problems()
        .iter()
        .find(|p| p.question == Some(QuestionId::IssuerProof))
        .map(|p| p.problem.message.clone())
        .unwrap_or_default();
    assert!(at_proof.contains("`http01` can't work"), "{at_proof}");
}

#[test]
fn answers_go_through_set_key_paths_and_defaults_stay_unanswered() {
    let mut w = wizard(example("eks-production"));
    let before = w.answers().clone();
    // Choosing the value already in effect changes nothing.
    w.update(Msg::Answer(QuestionId::Release, "caracal".into()));
    assert_eq!(w.answers(), &before);
    let rev = w.revision();
    w.update(Msg::Answer(QuestionId::RedisPort, "6380".into()));
    assert_eq!(w.answers().redis.as_ref().unwrap().port, Some(6380));
    assert!(w.revision() > rev);
    assert_eq!(w.last_answered(), Some(QuestionId::RedisPort));
    w.update(Msg::Answer(QuestionId::RedisPort, "".into()));
    assert_eq!(
        w.answers().redis.as_ref().unwrap().port,
        None,
        "empty text restores the default"
    );
}

/// Answers `id` with `text` and checks that a problem shown at that question says `needle`.
fn answer_with_problem(w: &mut Wizard, id: QuestionId, text: &str, needle: &str) {
    w.update(Msg::Answer(id, text.into()));
    let problems = w.problems_for(id);
    assert!(problems.iter().any(|p| p.contains(needle)), "{problems:?}");
}

#[test]
fn the_storage_class_is_asked_on_the_data_step_and_checked() {
    let mut w = wizard(example("eks-production"));
    let q = w.question(QuestionId::StorageClass).expect("asked");
    assert_eq!(q.step, Step::Data);
    assert_eq!(q.path, "storageClass");
    w.update(Msg::Answer(QuestionId::StorageClass, "fast-ssd".into()));
    assert_eq!(w.answers().storage_class.as_deref(), Some("fast-ssd"));
    answer_with_problem(
        &mut w,
        QuestionId::StorageClass,
        "Fast SSD",
        "not a Kubernetes name",
    );
}

#[test]
fn the_database_names_and_migration_role_are_asked_and_checked() {
    let mut w = wizard(example("gke-regulated"));
    for id in [
        QuestionId::PostgresDatabase,
        QuestionId::PostgresAuthDatabase,
        QuestionId::PostgresUser,
    ] {
        assert_eq!(w.question(id).expect("asked").step, Step::Data);
    }
    w.update(Msg::Answer(
        QuestionId::PostgresUser,
        "caracal_admin".into(),
    ));
    w.update(Msg::Answer(
        QuestionId::PostgresDatabase,
        "caracal_prod".into(),
    ));
    let pg = w.answers().postgres.clone().unwrap();
    assert_eq!(pg.user.as_deref(), Some("caracal_admin"));
    assert_eq!(pg.database.as_deref(), Some("caracal_prod"));
    // The sessions database must be another one; the problem shows at its question.
    answer_with_problem(
        &mut w,
        QuestionId::PostgresAuthDatabase,
        "caracal_prod",
        "must differ",
    );
}

#[test]
fn controller_pod_labels_are_typed_as_key_value_pairs() {
    let mut w = wizard(example("eks-production"));
    w.update(Msg::Answer(QuestionId::IngressClassName, "nginx".into()));
    w.update(Msg::Answer(
        QuestionId::IngressNamespace,
        "ingress-nginx".into(),
    ));
    let q = w.question(QuestionId::IngressPodLabels).expect("asked");
    assert_eq!(q.step, Step::Network);
    w.update(Msg::Answer(
        QuestionId::IngressPodLabels,
        "app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller".into(),
    ));
    let ic = w.answers().ingress_controller.clone().unwrap();
    assert_eq!(
        ic.pod_labels
            .get("app.kubernetes.io/name")
            .map(String::as_str),
        Some("ingress-nginx")
    );
    assert_eq!(ic.pod_labels.len(), 2);
    // Shown back the way it is typed.
    let shown = w
        .question(QuestionId::IngressPodLabels)
        .unwrap()
        .value
        .clone();
    assert_eq!(
        shown.as_deref(),
        Some("app.kubernetes.io/component=controller, app.kubernetes.io/name=ingress-nginx")
    );
    // Not key=value, or not a label: refused at the question.
    w.update(Msg::Answer(
        QuestionId::IngressPodLabels,
        "ingress-nginx".into(),
    ));
    assert!(w.rejected(QuestionId::IngressPodLabels).is_some());
    answer_with_problem(
        &mut w,
        QuestionId::IngressPodLabels,
        "app name=x",
        "not a label key",
    );
}

#[test]
fn a_value_of_the_wrong_type_is_rejected_with_the_text_kept() {
    let mut w = wizard(example("eks-production"));
    w.update(Msg::Answer(QuestionId::PostgresPort, "fivefour".into()));
    let r = w.rejected(QuestionId::PostgresPort).unwrap();
    assert_eq!(r.text, "fivefour");
    assert!(w.has_problems(Step::Data));
    w.update(Msg::Answer(QuestionId::PostgresPort, "5433".into()));
    assert!(w.rejected(QuestionId::PostgresPort).is_none());
}

#[test]
fn review_sends_the_user_to_the_first_step_with_a_problem() {
    let mut w = wizard(example("eks-production"));
    walk(&mut w);
    w.update(Msg::Answer(QuestionId::Domain, "not a domain".into()));
    assert_eq!(w.update(Msg::Next), None);
    assert_eq!(w.step(), Step::Hosts);
}

#[test]
fn switching_the_tls_source_replaces_the_tls_map() {
    let mut w = wizard(example("gke-regulated"));
    w.update(Msg::Answer(
        QuestionId::TlsSource,
        "gkeManagedCertificates".into(),
    ));
    assert!(
        w.rejected(QuestionId::TlsSource)
            .unwrap()
            .message
            .contains("internal"),
        "the internal Gateway can't use Google-managed certificates"
    );
    w.update(Msg::Answer(
        QuestionId::Exposure(Endpoint::Gateway),
        "disabled".into(),
    ));
    w.update(Msg::Answer(
        QuestionId::TlsSource,
        "gkeManagedCertificates".into(),
    ));
    assert!(w.answers().tls.contains_key("gkeManagedCertificates"));
    assert_eq!(w.answers().tls.len(), 1);
    assert!(
        w.question(QuestionId::TlsValue).is_none(),
        "a yes/no source needs no value"
    );
}

#[test]
fn resume_starts_at_the_saved_step() {
    let w = Wizard::resume(
        Catalog::builtin().unwrap(),
        example("evaluation"),
        Step::Network,
    );
    assert_eq!(
        w.step(),
        Step::Delivery,
        "a step the profile skips resumes at the next one"
    );
    let w = Wizard::resume(
        Catalog::builtin().unwrap(),
        example("eks-production"),
        Step::Hosts,
    );
    assert_eq!(w.position(), (4, 9));
}

#[test]
fn gitops_and_sign_in_are_asked_and_none_unsets() {
    let mut w = wizard(example("eks-production"));
    assert!(w.question(QuestionId::SignInProvider).is_some());
    assert!(w.question(QuestionId::GitOps).is_some());
    assert!(
        w.question(QuestionId::GitOpsRepoUrl).is_none(),
        "asked only with a tool"
    );
    w.update(Msg::Answer(QuestionId::GitOps, "argocd".into()));
    assert!(w.question(QuestionId::GitOpsRepoUrl).is_some());
    assert!(w.question(QuestionId::GitOpsRepoPath).is_some());
    w.update(Msg::Answer(QuestionId::GitOps, String::new()));
    assert!(
        w.question(QuestionId::GitOpsRepoUrl).is_none(),
        "`none` unsets gitops"
    );
    w.update(Msg::Answer(QuestionId::SignInProvider, "smtp".into()));
    assert!(w.question(QuestionId::SignInFrom).is_some());
    assert!(w.question(QuestionId::SignInClientId).is_none());
    // Evaluation asks neither: its Secret can't carry sign-in, and GitOps can't read its secrets.
    let w = wizard(example("evaluation"));
    assert!(w.question(QuestionId::SignInProvider).is_none());
    assert!(w.question(QuestionId::GitOps).is_none());
    assert!(w.question(QuestionId::OtlpEndpoint).is_some());
}

#[test]
fn egress_port_errors_quote_the_wizards_syntax() {
    let mut w = wizard(example("eks-production"));
    for typed in ["10.30.0.0/16:84x3", "10.30.0.0/16:", "10.30.0.0/16:0+443"] {
        w.update(Msg::Answer(QuestionId::EgressOther, typed.into()));
        let shown = w.problems_for(QuestionId::EgressOther);
        assert!(
            shown.iter().any(|m| m.contains("`CIDR:PORT+PORT`")
                && m.contains("`10.30.0.0/16:8443+9443`")
                && !m.contains("ports:")),
            "{typed}: {shown:?}"
        );
    }
    w.update(Msg::Answer(
        QuestionId::EgressOther,
        "10.30.0.0/16:8443+9443".into(),
    ));
    assert!(w.problems_for(QuestionId::EgressOther).is_empty());
}
