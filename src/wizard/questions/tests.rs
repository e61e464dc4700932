use super::*;

fn ctx_questions(text: &str) -> Vec<Question> {
    let catalog = Catalog::builtin().unwrap();
    let answers = Answers::parse("t", text, &[]).unwrap();
    let ctx = Context::new(&catalog, &answers);
    questions(&ctx)
}

fn ctx_steps(text: &str) -> Vec<Step> {
    let catalog = Catalog::builtin().unwrap();
    let answers = Answers::parse("t", text, &[]).unwrap();
    let ctx = Context::new(&catalog, &answers);
    steps(&questions(&ctx), &ctx)
}

#[test]
fn private_profile_shows_public_disabled_with_the_reason() {
    let qs = ctx_questions("cloud: aks\nprofile: private\ndomain: x.example.com\n");
    let web = qs
        .iter()
        .find(|q| q.id == QuestionId::Exposure(Endpoint::Web))
        .unwrap();
    let public = &web.choices()[0];
    assert_eq!(public.value, "public");
    assert_eq!(
        public.disabled.as_deref(),
        Some("a private cluster has no public ingress")
    );
    assert_eq!(web.value.as_deref(), Some("internal"));
    assert!(web.is_default);
}

#[test]
fn evaluation_skips_identity_network_and_audit() {
    assert_eq!(
        ctx_steps("cloud: eks\nprofile: evaluation\ndomain: x.example.com\n"),
        vec![
            Step::Cloud,
            Step::Profile,
            Step::Endpoints,
            Step::Hosts,
            Step::Data,
            Step::Delivery,
            Step::Review
        ]
    );
}

#[test]
fn regulated_asks_every_step() {
    assert_eq!(
        ctx_steps("cloud: gke\nprofile: regulated\ndomain: x.example.com\n"),
        Step::ALL.to_vec()
    );
    assert_eq!(
        ctx_steps(""),
        Step::ALL.to_vec(),
        "before the profile, every step counts"
    );
}

#[test]
fn tls_modes_an_exposure_cannot_serve_are_disabled() {
    let qs = ctx_questions(
        "cloud: gke\nprofile: production\ndomain: x.example.com\nendpoints: {web: internal}\n",
    );
    let tls = qs.iter().find(|q| q.id == QuestionId::TlsSource).unwrap();
    let managed = tls
        .choices()
        .iter()
        .find(|c| c.value == "gkeManagedCertificates")
        .unwrap();
    assert!(
        managed
            .disabled
            .as_deref()
            .unwrap_or("")
            .contains("internal"),
        "{managed:?}"
    );
}

#[test]
fn problem_paths_map_to_questions() {
    let qs = ctx_questions("cloud: eks\nprofile: production\ndomain: x.example.com\n");
    let q = |id| qs.iter().find(|q| q.id == id).unwrap();
    assert!(q(QuestionId::EgressOther).concerns("egress.other[1]"));
    assert!(q(QuestionId::IngressCidrs).concerns("ingressController"));
    assert!(q(QuestionId::TlsSource).concerns("tls"));
    assert!(!q(QuestionId::RedisHost).concerns("redis.hostx"));
}

#[test]
fn each_question_comes_from_one_row_and_rows_expand_to_distinct_ids() {
    let catalog = Catalog::builtin().unwrap();
    let answers = Answers::parse("t", "cloud: gke\nprofile: regulated\n", &[]).unwrap();
    let ctx = Context::new(&catalog, &answers);
    let mut seen = std::collections::BTreeSet::new();
    for (i, row) in rows().enumerate() {
        for id in row.ids(&ctx) {
            assert!(seen.insert(id), "{id:?} comes from two rows");
            assert_eq!(rows().position(|r| r.is_for(id)), Some(i), "{id:?}");
        }
    }
    assert!(seen.contains(&QuestionId::SecretStore(0)));
}

#[test]
fn rows_are_in_step_order() {
    let steps: Vec<Step> = rows().map(|r| r.step).collect();
    assert!(steps.windows(2).all(|w| w[0] <= w[1]), "{steps:?}");
}

#[test]
fn endpoints_without_ingress_can_be_looked_up_but_are_not_asked() {
    let qs = ctx_questions("cloud: eks\nprofile: production\ndomain: x.example.com\n");
    assert!(!qs
        .iter()
        .any(|q| q.id == QuestionId::Exposure(Endpoint::Audit)));
    let catalog = Catalog::builtin().unwrap();
    let answers = Answers::parse("t", "cloud: eks\nprofile: production\n", &[]).unwrap();
    let audit = question(
        QuestionId::Exposure(Endpoint::Audit),
        &Context::new(&catalog, &answers),
    );
    assert_eq!(
        audit.map(|q| q.explain).as_deref(),
        Some("Has no Ingress in the chart: stays private.")
    );
}

#[test]
fn the_cluster_project_is_asked_on_the_identity_step_on_gke_only() {
    let path = "secretStore.gcpClusterProject";
    let gke = ctx_questions("cloud: gke\nprofile: production\ndomain: x.example.com\n");
    let q = gke.iter().find(|q| q.path == path).expect("asked on GKE");
    assert_eq!(q.step, Step::Identity);
    assert!(q.explain.contains("project"), "{}", q.explain);
    assert!(
        matches!(&q.kind, Kind::Text { hint } if hint.starts_with("optional, ")),
        "{:?}",
        q.kind
    );
    for cloud in ["eks", "aks"] {
        let qs = ctx_questions(&format!("cloud: {cloud}\nprofile: production\n"));
        assert!(!qs.iter().any(|q| q.path == path), "{cloud}");
    }
    let eval = ctx_questions("cloud: gke\nprofile: evaluation\n");
    assert!(
        !eval.iter().any(|q| q.path == path),
        "no store, no question"
    );
}

#[test]
fn private_hosts_are_asked_on_the_network_step_outside_evaluation() {
    for profile in ["production", "private", "regulated"] {
        let qs = ctx_questions(&format!(
            "cloud: eks\nprofile: {profile}\ndomain: x.example.com\n"
        ));
        let q = qs
            .iter()
            .find(|q| q.id == QuestionId::EgressPrivateHosts)
            .unwrap_or_else(|| panic!("{profile}: not asked"));
        assert_eq!(q.step, Step::Network);
        assert_eq!(q.path, "egress.privateHosts");
        assert!(matches!(q.kind, Kind::List { .. }), "{profile}");
    }
    let qs = ctx_questions("cloud: eks\nprofile: evaluation\ndomain: x.example.com\n");
    assert!(qs.iter().all(|q| q.id != QuestionId::EgressPrivateHosts));
}
