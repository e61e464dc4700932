//! Rows of the delivery step: telemetry export and the GitOps hand-off.
use super::row::{Ids, KindSpec, Phrase, Pick, Row};
use super::when::When;
use super::{QuestionId, Step};

/// Conditions of the overlay repository's questions.
const GITOPS_REPO: [When; 2] = [When::NotEvaluation, When::GitOpsChosen];

/// The delivery step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::OtlpEndpoint),
        step: Step::Delivery,
        path: Phrase::Is("monitoring.otlpEndpoint"),
        prompt: Phrase::Is("OTLP endpoint"),
        help: Phrase::Is("Where every service sends traces and metrics (OTLP on 4317/4318, always allowed out); empty: none."),
        kind: KindSpec::Text(Phrase::Is(
            "e.g. http://otel-collector.observability.svc.cluster.local:4317",
        )),
        applies: &[When::ProfileKnown],
    },
    Row {
        ids: Ids::One(QuestionId::ScraperNamespace),
        step: Step::Delivery,
        path: Phrase::Is("monitoring.scraperNamespace"),
        prompt: Phrase::Is("Prometheus namespace"),
        help: Phrase::Is("The namespace your Prometheus runs in: the NetworkPolicy lets it reach the services' metrics ports."),
        kind: KindSpec::Text(Phrase::Is("default monitoring")),
        applies: &[When::NotEvaluation],
    },
    Row {
        ids: Ids::One(QuestionId::ServiceMonitorLabels),
        step: Step::Delivery,
        path: Phrase::Is("monitoring.serviceMonitorLabels"),
        prompt: Phrase::Is("Prometheus selector"),
        help: Phrase::Is("Labels your Prometheus picks ServiceMonitors and rules by; the overlay's monitors and alert rules carry them."),
        kind: KindSpec::Labels(Phrase::Is("default release=kube-prometheus-stack")),
        applies: &[When::NotEvaluation],
    },
    Row {
        ids: Ids::One(QuestionId::GitOps),
        step: Step::Delivery,
        path: Phrase::Is("gitops"),
        prompt: Phrase::Is("GitOps hand-off"),
        help: Phrase::Is(
            "Also write the object that installs the chart with this overlay from Git.",
        ),
        kind: KindSpec::Picks(&[
            Pick("", "none", "install with helm and kubectl apply -k (README has the commands)"),
            Pick("argocd", "Argo CD", "an Application with the chart and this overlay as sources"),
            Pick("flux", "Flux", "a GitRepository and a HelmRelease fed by this overlay's values"),
        ]),
        applies: &[When::NotEvaluation],
    },
    Row {
        ids: Ids::One(QuestionId::GitOpsRepoUrl),
        step: Step::Delivery,
        path: Phrase::Is("gitopsRepo.url"),
        prompt: Phrase::Is("Overlay repository"),
        help: Phrase::Is("The Git repository this overlay is committed to (Argo CD needs it)."),
        kind: KindSpec::Text(Phrase::Is("e.g. https://github.com/acme/platform.git")),
        applies: &GITOPS_REPO,
    },
    Row {
        ids: Ids::One(QuestionId::GitOpsRepoPath),
        step: Step::Delivery,
        path: Phrase::Is("gitopsRepo.path"),
        prompt: Phrase::Is("Overlay path"),
        help: Phrase::Is("This overlay's directory inside that repository."),
        kind: KindSpec::Text(Phrase::Is("e.g. clusters/prod/caracal")),
        applies: &GITOPS_REPO,
    },
];
