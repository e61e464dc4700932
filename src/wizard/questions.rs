//! THE question table: every question both front ends ask, with its step, key path, wording,
//! choices and when it applies. Choices, explanations and refusals come from the catalog.
use crate::answers::{Answers, Endpoint, Exposure};
use crate::catalog::{Catalog, Cloud, Profile};
use crate::format::Format;
use crate::validate;

use super::answers as paths;
pub use super::question::{Choice, Kind, Question, QuestionId, Step};

/// What the table needs to phrase questions.
pub struct Context<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// The answers as given.
    pub answers: &'a Answers,
    /// The answers with defaults, once cloud and profile are known.
    pub complete: Option<Answers>,
    /// The chosen cloud.
    pub cloud: Option<&'a Cloud>,
    /// The chosen profile.
    pub profile: Option<&'a Profile>,
}

impl<'a> Context<'a> {
    /// Context for `answers`.
    pub fn new(catalog: &'a Catalog, answers: &'a Answers) -> Self {
        let cloud = catalog.cloud(&answers.cloud);
        let profile = catalog.profile(&answers.profile);
        let complete = match (cloud, profile) {
            (Some(c), Some(p)) => Some(validate::complete(answers, c, p)),
            _ => None,
        };
        Self {
            catalog,
            answers,
            complete,
            cloud,
            profile,
        }
    }

    fn effective(&self) -> &Answers {
        self.complete.as_ref().unwrap_or(self.answers)
    }

    fn exposure(&self, e: Endpoint) -> Exposure {
        self.effective()
            .endpoints
            .get(&e)
            .copied()
            .unwrap_or(Exposure::Disabled)
    }

    fn exposed(&self) -> Vec<(Endpoint, Exposure)> {
        Endpoint::EXPOSABLE
            .into_iter()
            .map(|e| (e, self.exposure(e)))
            .filter(|(_, x)| *x != Exposure::Disabled)
            .collect()
    }

    fn tls_mode(&self) -> Option<String> {
        self.effective().tls.keys().next().cloned()
    }
}

/// Every question id, in the order asked, for these answers (parameterised ones expanded).
fn ids(ctx: &Context<'_>) -> Vec<QuestionId> {
    use QuestionId as Q;
    let mut ids = vec![Q::Cloud, Q::Profile, Q::Release, Q::Namespace];
    ids.extend(Endpoint::EXPOSABLE.map(Q::Exposure));
    ids.push(Q::Domain);
    ids.extend(Endpoint::EXPOSABLE.map(Q::Host));
    ids.extend([
        Q::TlsSource,
        Q::TlsValue,
        Q::PostgresHost,
        Q::PostgresPort,
        Q::PostgresCidr,
        Q::PostgresDatabase,
        Q::PostgresAuthDatabase,
        Q::PostgresUser,
        Q::RedisHost,
        Q::RedisPort,
        Q::RedisTls,
        Q::RedisCidr,
        Q::StorageClass,
        Q::DnsMode,
        Q::DnsCidr,
        Q::EgressIdentityProvider,
        Q::EgressProviderApis,
        Q::EgressObjectStore,
        Q::EgressOther,
        Q::OpenHttps,
        Q::IngressCidrs,
        Q::IngressClassName,
        Q::IngressInternalClassName,
        Q::IngressNamespace,
        Q::IngressPodLabels,
        Q::Identity,
    ]);
    let fields = ctx.cloud.map_or(0, |c| c.secret_store.fields.len());
    ids.extend(
        (0..fields)
            .filter_map(|i| u8::try_from(i).ok())
            .map(Q::SecretStore),
    );
    ids.extend([
        Q::KeyPrefix,
        Q::SignInProvider,
        Q::SignInClientId,
        Q::SignInFrom,
        Q::AuditEndpoint,
        Q::AuditBucket,
        Q::AuditRegion,
        Q::RetentionDays,
        Q::OtlpEndpoint,
        Q::GitOps,
        Q::GitOpsRepoUrl,
        Q::GitOpsRepoPath,
    ]);
    ids
}

/// The questions that apply to these answers, in order.
pub fn questions(ctx: &Context<'_>) -> Vec<Question> {
    ids(ctx)
        .into_iter()
        .filter_map(|id| question(id, ctx))
        .collect()
}

/// The steps that apply to these answers, in order (always ends with review).
///
/// Until cloud and profile are chosen, every step counts: the count only shrinks later.
pub fn steps(questions: &[Question], ctx: &Context<'_>) -> Vec<Step> {
    if ctx.cloud.is_none() || ctx.profile.is_none() {
        return Step::ALL.to_vec();
    }
    Step::ALL
        .into_iter()
        .filter(|s| {
            matches!(s, Step::Cloud | Step::Profile | Step::Review)
                || questions.iter().any(|q| q.step == *s)
        })
        .collect()
}

fn choice(value: &str, label: &str, explain: impl Into<String>) -> Choice {
    Choice {
        value: value.into(),
        label: label.into(),
        explain: explain.into(),
        disabled: None,
    }
}

fn yes_no(yes: &str, no: &str) -> Vec<Choice> {
    vec![choice("true", "yes", yes), choice("false", "no", no)]
}

/// An example of a format, shown as the hint of a text field.
fn example(format: Format) -> &'static str {
    match format {
        Format::Hostname => "e.g. caracal.example.com",
        Format::Cidr => "e.g. 10.0.0.0/16",
        Format::K8sName => "lower-case letters, digits and `-`",
        Format::AwsRoleArn => "arn:aws:iam::<account>:role/<name>",
        Format::AwsAcmArn => "arn:aws:acm:<region>:<account>:certificate/<id>",
        Format::AwsRegion => "e.g. us-east-1",
        Format::GcpServiceAccount => "<name>@<project>.iam.gserviceaccount.com",
        Format::GcpProject => "e.g. acme-caracal-prod",
        Format::GcpLocation => "e.g. europe-west4",
        Format::Uuid => "a UUID",
        Format::AzureVaultUrl => "https://<vault>.vault.azure.net",
        Format::Bool => "true or false",
    }
}

fn text(hint: impl Into<String>) -> Kind {
    Kind::Text { hint: hint.into() }
}

fn cidrs(hint: impl Into<String>) -> Kind {
    Kind::List { hint: hint.into() }
}

/// One question, or `None` when it does not apply to these answers.
pub fn question(id: QuestionId, ctx: &Context<'_>) -> Option<Question> {
    use QuestionId as Q;
    let cloud = ctx.cloud;
    let profile = ctx.profile;
    let known = cloud.is_some() && profile.is_some();
    let needs_egress = profile.is_some_and(|p| p.require_egress);
    let (step, path, prompt, explain, kind): (Step, String, String, String, Kind) = match id {
        Q::Cloud => (
            Step::Cloud,
            "cloud".into(),
            "Cloud".into(),
            "Where the cluster runs: decides ingress classes, identity, secret manager and storage.".into(),
            Kind::Choice(
                ctx.catalog
                    .clouds
                    .values()
                    .map(|c| {
                        choice(
                            &c.id,
                            &c.title,
                            format!(
                                "secrets in {}, identity through {}, storage class {}",
                                c.secret_store.provider, c.identity.annotation, c.storage_class
                            ),
                        )
                    })
                    .collect(),
            ),
        ),
        Q::Profile => (
            Step::Profile,
            "profile".into(),
            "Profile".into(),
            "How serious this install is: image channel, secrets, scaling, network policy, audit.".into(),
            Kind::Choice(
                ctx.catalog
                    .profiles
                    .iter()
                    .map(|p| choice(&p.id, &p.title, &p.summary))
                    .collect(),
            ),
        ),
        Q::Release => (
            Step::Profile,
            "release".into(),
            "Helm release".into(),
            "Prefixes every object the chart creates (`<release>-caracal-…`).".into(),
            text(example(Format::K8sName)),
        ),
        Q::Namespace => (
            Step::Profile,
            "namespace".into(),
            "Namespace".into(),
            "Where Caracal runs; the overlay creates it and scopes the secret store to it.".into(),
            text(example(Format::K8sName)),
        ),
        Q::Exposure(e) => {
            let (cloud, profile) = (cloud?, profile?);
            let allowed = |x: Exposure| profile.exposures.iter().any(|k| k == x.key());
            let choices = Exposure::ALL
                .into_iter()
                .map(|x| {
                    let spec = cloud.exposures.get(x.key());
                    let explain = match (x, spec) {
                        (Exposure::Disabled, _) => "no Ingress: reachable only inside the cluster".to_string(),
                        (_, Some(s)) => s.describe.clone(),
                        (_, None) => String::new(),
                    };
                    let disabled = if x == Exposure::Disabled {
                        None
                    } else if spec.is_none() {
                        Some(format!("not offered on {}", cloud.title))
                    } else if !allowed(x) {
                        Some(
                            profile
                                .exposure_reason
                                .clone()
                                .unwrap_or_else(|| format!("not allowed in profile {}", profile.title)),
                        )
                    } else {
                        None
                    };
                    Choice {
                        disabled,
                        ..choice(x.key(), x.key(), explain)
                    }
                })
                .collect();
            let explain = match e {
                Endpoint::Web => "The console: the only origin with session cookies; its host becomes the console URL.",
                Endpoint::Sts => "Token exchange. Exposed, its origin becomes the `iss` of every mandate; keep it internal if verifiers run inside.",
                Endpoint::Gateway => "Protected-resource proxy: expose it when clients outside the network call resources.",
                Endpoint::Api => "Admin API: expose it only for admin automation outside the network.",
                _ => "Has no Ingress in the chart: stays private.",
            };
            (
                Step::Endpoints,
                format!("endpoints.{e}"),
                e.title().into(),
                explain.into(),
                Kind::Choice(choices),
            )
        }
        Q::Domain => (
            Step::Hosts,
            "domain".into(),
            "Domain".into(),
            "Every host defaults to <label>.<domain>; nest it under a product label.".into(),
            text(example(Format::Hostname)),
        ),
        Q::Host(e) => {
            if !known || ctx.exposure(e) == Exposure::Disabled {
                return None;
            }
            let explain = if e == Endpoint::Sts {
                "The issuer origin verifiers check: decide it once, changing it invalidates mandates."
            } else {
                "One host per endpoint; a wildcard certificate covers one label only."
            };
            (
                Step::Hosts,
                format!("hosts.{e}"),
                format!("{} host", e.title()),
                explain.into(),
                text(example(Format::Hostname)),
            )
        }
        Q::TlsSource => {
            let cloud = cloud?;
            let exposed = ctx.exposed();
            if !known || exposed.is_empty() {
                return None;
            }
            let mut offered: Vec<String> = Vec::new();
            for spec in cloud.exposures.values() {
                for m in &spec.tls {
                    if !offered.contains(m) {
                        offered.push(m.clone());
                    }
                }
            }
            let choices = offered
                .iter()
                .filter_map(|id| ctx.catalog.tls_mode(id))
                .map(|mode| {
                    let refused = exposed.iter().find(|(_, x)| {
                        cloud
                            .exposures
                            .get(x.key())
                            .is_some_and(|s| !s.tls.contains(&mode.id))
                    });
                    Choice {
                        disabled: refused.map(|(e, x)| {
                            format!("can't serve {x} endpoints such as {} on {}", e.title(), cloud.title)
                        }),
                        ..choice(&mode.id, &mode.title, &mode.describe)
                    }
                })
                .collect();
            (
                Step::Hosts,
                "tls".into(),
                "Certificates".into(),
                "Where the exposed endpoints get their TLS certificates.".into(),
                Kind::Choice(choices),
            )
        }
        Q::TlsValue => {
            let mode = ctx.catalog.tls_mode(&ctx.tls_mode()?)?;
            if !known || ctx.exposed().is_empty() || mode.format == Format::Bool {
                return None;
            }
            // Labels stay short enough to line up; the detail box gives the full title.
            let prompt = if mode.title.chars().count() <= 22 { mode.title.clone() } else { mode.id.clone() };
            (
                Step::Hosts,
                format!("tls.{}", mode.id),
                prompt,
                mode.describe.clone(),
                text(example(mode.format)),
            )
        }
        Q::PostgresHost
        | Q::PostgresPort
        | Q::PostgresCidr
        | Q::PostgresDatabase
        | Q::PostgresAuthDatabase
        | Q::PostgresUser => {
            let (cloud, profile) = (cloud?, profile?);
            let optional = if profile.managed_dependencies {
                ""
            } else {
                " Optional: leave the in-cluster default for a trial."
            };
            let (leaf, prompt, explain, kind) = match id {
                Q::PostgresHost => (
                    "host",
                    "Postgres host",
                    format!("Your {} (TLS, sslmode=require).{optional}", cloud.products.postgres),
                    text("host name or IP address"),
                ),
                Q::PostgresPort => ("port", "Postgres port", "The server's port (5432 unless changed).".into(), text("1-65535")),
                Q::PostgresDatabase => (
                    "database",
                    "Database",
                    "The database Caracal's services share; it must exist on the server.".into(),
                    text("e.g. caracal"),
                ),
                Q::PostgresAuthDatabase => (
                    "authDatabase",
                    "Sessions database",
                    "The console's sign-in sessions live in their own database; the auth service creates it on first start if absent, when its role may create databases.".into(),
                    text("e.g. caracal_auth"),
                ),
                Q::PostgresUser => (
                    "user",
                    "Migration role",
                    "The administrative role the migration Job connects as: it creates the pgcrypto extension, the per-service roles, and needs CREATEDB. Its password goes in the secret manager.".into(),
                    text("e.g. caracal"),
                ),
                _ => (
                    "cidr",
                    "Postgres CIDR",
                    "Admitted by the NetworkPolicy: the subnet holding the server.".to_string(),
                    text(example(Format::Cidr)),
                ),
            };
            (Step::Data, format!("postgres.{leaf}"), prompt.into(), explain, kind)
        }
        Q::RedisHost | Q::RedisPort | Q::RedisTls | Q::RedisCidr => {
            let (cloud, _) = (cloud?, profile?);
            let (leaf, prompt, explain, kind) = match id {
                Q::RedisHost => (
                    "host",
                    "Redis host",
                    format!("Your {}: Streams, AUTH and `noeviction`.", cloud.products.redis),
                    text("host name or IP address"),
                ),
                Q::RedisPort => (
                    "port",
                    "Redis port",
                    format!(
                        "{} serves TLS on {}.",
                        cloud.products.redis,
                        cloud.redis_tls_ports.iter().map(u16::to_string).collect::<Vec<_>>().join(" or ")
                    ),
                    text("1-65535"),
                ),
                Q::RedisTls => (
                    "tls",
                    "Redis TLS",
                    "TLS makes the runtime Secret use rediss:// URLs.".to_string(),
                    Kind::Choice(yes_no(
                        "rediss://: password and audit traffic encrypted",
                        "redis://: clear text (in-cluster trials only)",
                    )),
                ),
                _ => (
                    "cidr",
                    "Redis CIDR",
                    "Admitted by the NetworkPolicy: the subnet holding the instance.".to_string(),
                    text(example(Format::Cidr)),
                ),
            };
            (Step::Data, format!("redis.{leaf}"), prompt.into(), explain, kind)
        }
        Q::DnsMode => {
            let profile = profile?;
            if !needs_egress {
                return None;
            }
            let mut open = choice("open", "open", "port 53 to any address");
            if !profile.open_dns {
                open.disabled = Some(format!("refused in profile {}", profile.title));
            }
            (
                Step::Network,
                "dns.mode".into(),
                "DNS egress".into(),
                "The NetworkPolicy must admit DNS or nothing resolves.".into(),
                Kind::Choice(vec![
                    choice("cluster", "cluster", "the cloud's kube-dns pods (and node-local caches)"),
                    choice("cidr", "cidr", "a resolver you name by CIDR"),
                    open,
                ]),
            )
        }
        Q::DnsCidr => {
            let dns = ctx.effective().dns.as_ref()?;
            if !needs_egress || dns.mode != crate::answers::DnsMode::Cidr {
                return None;
            }
            (
                Step::Network,
                "dns.cidr".into(),
                "Resolver CIDR".into(),
                "The DNS resolver the pods may reach on port 53.".into(),
                text("e.g. 10.0.0.10/32"),
            )
        }
        Q::EgressIdentityProvider | Q::EgressProviderApis | Q::EgressObjectStore | Q::EgressOther => {
            let cloud = cloud?;
            if !needs_egress {
                return None;
            }
            let (cat, prompt) = match id {
                Q::EgressIdentityProvider => ("identityProvider", "Identity provider"),
                Q::EgressProviderApis => ("providerApis", "Provider APIs"),
                Q::EgressObjectStore => ("objectStore", "Object store"),
                _ => ("other", "Other egress"),
            };
            let explain = cloud
                .egress_hints
                .get(cat)
                .cloned()
                .unwrap_or_else(|| "Anything else the pods must reach over HTTPS.".into());
            (
                Step::Network,
                format!("egress.{cat}"),
                prompt.into(),
                explain,
                cidrs("CIDRs, comma-separated; 443 unless CIDR:PORT+PORT"),
            )
        }
        Q::OpenHttps => {
            let profile = profile?;
            if !needs_egress {
                return None;
            }
            let mut choices = yes_no(
                "HTTPS to any address: simpler, but the policy no longer limits egress",
                "only the CIDRs listed above",
            );
            if !profile.open_https {
                choices[0].disabled = Some(format!("refused in profile {}", profile.title));
            }
            (
                Step::Network,
                "egress.openHttps".into(),
                "Open HTTPS".into(),
                "Whether pods may reach any address on 443.".into(),
                Kind::Choice(choices),
            )
        }
        Q::IngressClassName
        | Q::IngressInternalClassName
        | Q::IngressNamespace
        | Q::IngressPodLabels => {
            let cloud = cloud?;
            let exposed = ctx.exposed();
            let uses = |x: Exposure| exposed.iter().any(|(_, e)| *e == x);
            if !known || exposed.is_empty() {
                return None;
            }
            let describe = |x: Exposure| {
                cloud
                    .exposures
                    .get(x.key())
                    .map(|s| s.describe.clone())
                    .unwrap_or_default()
            };
            match id {
                Q::IngressClassName if uses(Exposure::Public) => (
                    Step::Network,
                    "ingressController.className".into(),
                    "Own public class".into(),
                    format!(
                        "Leave empty for {}; name an IngressClass to serve public endpoints with your own controller (e.g. ingress-nginx with cert-manager).",
                        describe(Exposure::Public)
                    ),
                    text("optional, e.g. nginx"),
                ),
                Q::IngressInternalClassName if uses(Exposure::Internal) => (
                    Step::Network,
                    "ingressController.internalClassName".into(),
                    "Own internal class".into(),
                    format!(
                        "Leave empty for {}; name an IngressClass to serve internal endpoints with your own controller.",
                        describe(Exposure::Internal)
                    ),
                    text("optional, e.g. nginx-internal"),
                ),
                Q::IngressNamespace => (
                    Step::Network,
                    "ingressController.namespace".into(),
                    "Controller namespace".into(),
                    "Namespace of the ingress controller pods the NetworkPolicy admits (with your own class); empty keeps the cloud's default.".into(),
                    text("optional, e.g. ingress-nginx"),
                ),
                Q::IngressPodLabels => (
                    Step::Network,
                    "ingressController.podLabels".into(),
                    "Controller pod labels".into(),
                    "Labels of the ingress controller pods the NetworkPolicy admits (with your own class); empty keeps the cloud's default.".into(),
                    Kind::Labels {
                        hint: "key=value, comma-separated, e.g. app.kubernetes.io/name=ingress-nginx".into(),
                    },
                ),
                _ => return None,
            }
        }
        Q::IngressCidrs => {
            let cloud = cloud?;
            let needed = ctx.exposed().iter().any(|(_, x)| {
                cloud
                    .exposures
                    .get(x.key())
                    .is_some_and(|s| s.default_controller.is_none() && s.controller_hint.is_some())
            });
            let given = ctx
                .answers
                .ingress_controller
                .as_ref()
                .is_some_and(|i| !i.cidrs.is_empty());
            if !known || !(needed || given) {
                return None;
            }
            let hint = ctx
                .exposed()
                .iter()
                .find_map(|(_, x)| cloud.exposures.get(x.key()).and_then(|s| s.controller_hint.clone()))
                .unwrap_or_else(|| "Where the load balancer sends from.".into());
            (
                Step::Network,
                "ingressController.cidrs".into(),
                "Load balancer CIDRs".into(),
                hint,
                cidrs(example(Format::Cidr)),
            )
        }
        Q::Identity => {
            let (cloud, profile) = (cloud?, profile?);
            if !profile.external_secrets {
                return None;
            }
            let spec = &cloud.identity;
            (
                Step::Identity,
                format!("identity.{}", spec.field),
                "Workload identity".into(),
                format!("{}; set as {}.", capitalise(&spec.hint), spec.annotation),
                text(example(spec.format)),
            )
        }
        Q::SecretStore(i) => {
            let (cloud, profile) = (cloud?, profile?);
            if !profile.external_secrets {
                return None;
            }
            let f = cloud.secret_store.fields.get(usize::from(i))?;
            (
                Step::Identity,
                format!("secretStore.{}", f.name),
                f.label.clone(),
                format!("{}: {}.", cloud.secret_store.provider, f.hint),
                text(example(f.format)),
            )
        }
        Q::StorageClass => {
            let (cloud, _) = (cloud?, profile?);
            (
                Step::Data,
                "storageClass".into(),
                "Storage class".into(),
                "StorageClass of the STS and Gateway replay volumes (one per replica).".into(),
                text(format!("e.g. {}", cloud.storage_class)),
            )
        }
        Q::KeyPrefix => {
            let (cloud, profile) = (cloud?, profile?);
            if !profile.external_secrets {
                return None;
            }
            (
                Step::Identity,
                "secretStore.keyPrefix".into(),
                "Secret name prefix".into(),
                format!("Every {} entry the ExternalSecret reads starts with it.", cloud.secret_store.provider),
                text(format!("e.g. {}", cloud.secret_store.key_prefix)),
            )
        }
        Q::SignInProvider | Q::SignInClientId | Q::SignInFrom => {
            let profile = profile?;
            if profile.evaluation {
                return None;
            }
            let provider = ctx
                .effective()
                .sign_in
                .as_ref()
                .map(|s| s.provider)
                .unwrap_or(crate::answers::SignInProvider::Github);
            let smtp = provider == crate::answers::SignInProvider::Smtp;
            match id {
                Q::SignInProvider => (
                    Step::Identity,
                    "signIn.provider".into(),
                    "Console sign-in".into(),
                    "How operators sign in to the console: it refuses to serve without a method.".into(),
                    Kind::Choice(vec![
                        choice("github", "GitHub", "a GitHub OAuth app; its secret comes from the secret manager"),
                        choice("google", "Google", "a Google OAuth client; its secret comes from the secret manager"),
                        choice("smtp", "Email (SMTP)", "email and password with verification mail; the SMTP URL comes from the secret manager"),
                    ]),
                ),
                Q::SignInClientId if !smtp => (
                    Step::Identity,
                    "signIn.clientId".into(),
                    "OAuth client ID".into(),
                    "Not secret; leave empty to read it from the secret manager too.".into(),
                    text("optional"),
                ),
                Q::SignInFrom if smtp => (
                    Step::Identity,
                    "signIn.from".into(),
                    "Sender address".into(),
                    "From address of verification and reset mail.".into(),
                    text("e.g. Caracal <no-reply@example.com>"),
                ),
                _ => return None,
            }
        }
        Q::OtlpEndpoint => {
            profile?;
            (
                Step::Delivery,
                "monitoring.otlpEndpoint".into(),
                "OTLP endpoint".into(),
                "Where every service sends traces and metrics (OTLP on 4317/4318, always allowed out); empty: none.".into(),
                text("e.g. http://otel-collector.observability.svc.cluster.local:4317"),
            )
        }
        Q::GitOps | Q::GitOpsRepoUrl | Q::GitOpsRepoPath => {
            let profile = profile?;
            if profile.evaluation {
                return None;
            }
            if id != Q::GitOps && ctx.answers.gitops.is_none() {
                return None;
            }
            match id {
                Q::GitOps => (
                    Step::Delivery,
                    "gitops".into(),
                    "GitOps hand-off".into(),
                    "Also write the object that installs the chart with this overlay from Git.".into(),
                    Kind::Choice(vec![
                        choice("", "none", "install with helm and kubectl apply -k (README has the commands)"),
                        choice("argocd", "Argo CD", "an Application with the chart and this overlay as sources"),
                        choice("flux", "Flux", "a GitRepository and a HelmRelease fed by this overlay's values"),
                    ]),
                ),
                Q::GitOpsRepoUrl => (
                    Step::Delivery,
                    "gitopsRepo.url".into(),
                    "Overlay repository".into(),
                    "The Git repository this overlay is committed to (Argo CD needs it).".into(),
                    text("e.g. https://github.com/acme/platform.git"),
                ),
                _ => (
                    Step::Delivery,
                    "gitopsRepo.path".into(),
                    "Overlay path".into(),
                    "This overlay's directory inside that repository.".into(),
                    text("e.g. clusters/prod/caracal"),
                ),
            }
        }
        Q::AuditEndpoint | Q::AuditBucket | Q::AuditRegion | Q::RetentionDays => {
            let (cloud, profile) = (cloud?, profile?);
            if !profile.require_audit_export {
                return None;
            }
            let (path, prompt, explain, hint) = match id {
                Q::AuditEndpoint => (
                    "auditExport.endpoint",
                    "Export endpoint",
                    format!("S3-compatible endpoint of {}.", cloud.products.object_store),
                    "https://…",
                ),
                Q::AuditBucket => ("auditExport.bucket", "Export bucket", "Receives hourly audit exports; lock its retention.".into(), "3-63 lower-case letters, digits, `-`"),
                Q::AuditRegion => ("auditExport.region", "Export region", "The bucket's S3 signing region.".into(), "e.g. us-east-1"),
                _ => (
                    "retention.auditDays",
                    "Audit retention (days)",
                    format!("Incident evidence: at least 365 days in {}.", profile.title),
                    "365-36500",
                ),
            };
            (Step::Audit, path.into(), prompt.into(), explain, text(hint))
        }
    };
    let answered = if id == Q::TlsSource {
        ctx.answers
            .tls
            .keys()
            .next()
            .map(|k| serde_yaml::Value::String(k.clone()))
    } else {
        paths::get(ctx.answers, &path)
    };
    let effective = if id == Q::TlsSource {
        ctx.tls_mode().map(serde_yaml::Value::String)
    } else {
        paths::get(ctx.effective(), &path)
    };
    let value = answered.as_ref().or(effective.as_ref()).map(paths::display);
    Some(Question {
        id,
        step,
        path,
        prompt,
        explain,
        kind,
        value: value.filter(|v| !v.is_empty() || answered.is_some()),
        is_default: answered.is_none(),
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
#[cfg(test)]
mod tests;
