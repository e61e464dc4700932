//! The types of the question table: steps, question ids, kinds and choices.
use crate::answers::Endpoint;

/// A step of the wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Which managed Kubernetes.
    Cloud,
    /// Which deployment profile, release and namespace.
    Profile,
    /// Which endpoints are reachable, and how.
    Endpoints,
    /// Domain, host names and certificates.
    Hosts,
    /// Managed Postgres and Redis.
    Data,
    /// DNS, egress and the ingress controller.
    Network,
    /// Workload identity and the secret manager.
    Identity,
    /// Audit export and retention.
    Audit,
    /// Telemetry export and the GitOps hand-off.
    Delivery,
    /// Summary, findings, files; write.
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 10] = [
        Step::Cloud,
        Step::Profile,
        Step::Endpoints,
        Step::Hosts,
        Step::Data,
        Step::Network,
        Step::Identity,
        Step::Audit,
        Step::Delivery,
        Step::Review,
    ];

    /// Stable key (drafts).
    pub fn key(self) -> &'static str {
        match self {
            Step::Cloud => "cloud",
            Step::Profile => "profile",
            Step::Endpoints => "endpoints",
            Step::Hosts => "hosts",
            Step::Data => "data",
            Step::Network => "network",
            Step::Identity => "identity",
            Step::Audit => "audit",
            Step::Delivery => "delivery",
            Step::Review => "review",
        }
    }

    /// Parses a key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Heading shown to the user.
    pub fn title(self) -> &'static str {
        match self {
            Step::Cloud => "Cloud",
            Step::Profile => "Profile",
            Step::Endpoints => "Endpoint exposure",
            Step::Hosts => "Hostnames & TLS",
            Step::Data => "Postgres & Redis",
            Step::Network => "Egress & ingress controller",
            Step::Identity => "Identity & secret store",
            Step::Audit => "Audit export & retention",
            Step::Delivery => "Telemetry & GitOps",
            Step::Review => "Review & write",
        }
    }
}

/// Identifies one question. Parameterised questions carry their endpoint or field index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuestionId {
    /// `cloud`.
    Cloud,
    /// `profile`.
    Profile,
    /// `release`.
    Release,
    /// `namespace`.
    Namespace,
    /// `endpoints.<endpoint>`.
    Exposure(Endpoint),
    /// `domain`.
    Domain,
    /// `hosts.<endpoint>`.
    Host(Endpoint),
    /// Which key of `tls` is set.
    TlsSource,
    /// `tls.<mode>`.
    TlsValue,
    /// `issuerProof`.
    IssuerProof,
    /// `postgres.host`.
    PostgresHost,
    /// `postgres.port`.
    PostgresPort,
    /// `postgres.cidr`.
    PostgresCidr,
    /// `postgres.database`.
    PostgresDatabase,
    /// `postgres.authDatabase`.
    PostgresAuthDatabase,
    /// `postgres.user`.
    PostgresUser,
    /// `redis.host`.
    RedisHost,
    /// `redis.port`.
    RedisPort,
    /// `redis.tls`.
    RedisTls,
    /// `redis.cidr`.
    RedisCidr,
    /// `caBundle.configMap`.
    CaBundle,
    /// `storageClass`.
    StorageClass,
    /// `dns.mode`.
    DnsMode,
    /// `dns.cidr`.
    DnsCidr,
    /// `egress.identityProvider`.
    EgressIdentityProvider,
    /// `egress.providerApis`.
    EgressProviderApis,
    /// `egress.objectStore`.
    EgressObjectStore,
    /// `egress.other`.
    EgressOther,
    /// `egress.openHttps`.
    OpenHttps,
    /// `egress.signIn` (#10).
    EgressSignIn,
    /// `egress.upstreams` (#10).
    EgressUpstreams,
    /// `egress.providers` (#10).
    EgressProviders,
    /// `egress.privateHosts` (#10).
    EgressPrivateHosts,
    /// `ingressController.cidrs`.
    IngressCidrs,
    /// `ingressController.className`.
    IngressClassName,
    /// `ingressController.internalClassName`.
    IngressInternalClassName,
    /// `ingressController.namespace`.
    IngressNamespace,
    /// `ingressController.podLabels`.
    IngressPodLabels,
    /// `identity.<the cloud's field>`.
    Identity,
    /// `identity.externalSecrets`: External Secrets' own identity (#12).
    ExternalSecretsIdentity,
    /// `secretStore.<the cloud's n-th field>`.
    SecretStore(u8),
    /// `secretStore.keyPrefix`.
    KeyPrefix,
    /// `auditExport.endpoint`.
    AuditEndpoint,
    /// `auditExport.bucket`.
    AuditBucket,
    /// `auditExport.region`.
    AuditRegion,
    /// `retention.auditDays`.
    RetentionDays,
    /// `signIn.provider`.
    SignInProvider,
    /// `signIn.clientId`.
    SignInClientId,
    /// `signIn.from`.
    SignInFrom,
    /// `signIn.smtp.cidr` (#10).
    SmtpCidr,
    /// `signIn.smtp.port` (#10).
    SmtpPort,
    /// `signIn.operators` (#10).
    Operators,
    /// `monitoring.otlpEndpoint`.
    OtlpEndpoint,
    /// `monitoring.scraperNamespace` (#10).
    ScraperNamespace,
    /// `monitoring.serviceMonitorLabels` (#10).
    ServiceMonitorLabels,
    /// `gitops`.
    GitOps,
    /// `gitopsRepo.url`.
    GitOpsRepoUrl,
    /// `gitopsRepo.path`.
    GitOpsRepoPath,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One of a list; disabled choices carry the reason.
    Choice(Vec<Choice>),
    /// One line of text; the hint shows an example.
    Text {
        /// Example or format.
        hint: String,
    },
    /// A comma-separated list (CIDRs).
    List {
        /// Example or format.
        hint: String,
    },
    /// Comma-separated `key=value` pairs (Kubernetes labels).
    Labels {
        /// Example or format.
        hint: String,
    },
}

/// One choice of a [`Kind::Choice`] question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The value written to the answers.
    pub value: String,
    /// Short label.
    pub label: String,
    /// One line on what choosing it changes.
    pub explain: String,
    /// Why it can't be chosen here, if it can't.
    pub disabled: Option<String>,
}

/// A question as it applies to the current answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Which question.
    pub id: QuestionId,
    /// Its step.
    pub step: Step,
    /// Key path in the answers (and for `--set`).
    pub path: String,
    /// Short label.
    pub prompt: String,
    /// One line on what it changes and why it matters.
    pub explain: String,
    /// Kind and choices.
    pub kind: Kind,
    /// The effective value as text: the answer, or the default that applies.
    pub value: Option<String>,
    /// Whether `value` is a default rather than an answer.
    pub is_default: bool,
}

impl Question {
    /// Whether it is a choice.
    pub fn is_choice(&self) -> bool {
        matches!(self.kind, Kind::Choice(_))
    }

    /// The choices (empty for text).
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            Kind::Choice(c) => c,
            _ => &[],
        }
    }

    /// Whether `problem_path` concerns this question (`egress.other[0]` concerns `egress.other`).
    pub fn concerns(&self, problem_path: &str) -> bool {
        let q = self.path.as_str();
        let p = problem_path;
        p == q
            || p.strip_prefix(q)
                .is_some_and(|rest| rest.starts_with(['.', '[']))
            || q.strip_prefix(p).is_some_and(|rest| rest.starts_with('.'))
            || (self.id == QuestionId::TlsSource && p.starts_with("tls"))
    }
}
