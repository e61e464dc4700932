//! Rows of the data step: managed Postgres and Redis, and the volumes' storage class.
use crate::format::Format;

use super::row::{example, yes_no, Ids, KindSpec, Phrase, Pick, Row};
use super::when::{When, KNOWN};
use super::{Context, QuestionId, Step};

/// The data step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::PostgresHost),
        step: Step::Data,
        path: Phrase::Is("postgres.host"),
        prompt: Phrase::Is("Postgres host"),
        help: Phrase::From(postgres_host_help),
        kind: KindSpec::Text(Phrase::Is("host name or IP address")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::PostgresPort),
        step: Step::Data,
        path: Phrase::Is("postgres.port"),
        prompt: Phrase::Is("Postgres port"),
        help: Phrase::Is("The server's port (5432 unless changed)."),
        kind: KindSpec::Text(Phrase::Is("1-65535")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::PostgresCidr),
        step: Step::Data,
        path: Phrase::Is("postgres.cidr"),
        prompt: Phrase::Is("Postgres CIDR"),
        help: Phrase::Is("Admitted by the NetworkPolicy: the subnet holding the server."),
        kind: KindSpec::Text(Phrase::Is(example(Format::Cidr))),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::PostgresDatabase),
        step: Step::Data,
        path: Phrase::Is("postgres.database"),
        prompt: Phrase::Is("Database"),
        help: Phrase::Is("The database Caracal's services share; it must exist on the server."),
        kind: KindSpec::Text(Phrase::Is("e.g. caracal")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::PostgresAuthDatabase),
        step: Step::Data,
        path: Phrase::Is("postgres.authDatabase"),
        prompt: Phrase::Is("Sessions database"),
        help: Phrase::Is("The console's sign-in sessions live in their own database; the auth service creates it on first start if absent, when its role may create databases."),
        kind: KindSpec::Text(Phrase::Is("e.g. caracal_auth")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::PostgresUser),
        step: Step::Data,
        path: Phrase::Is("postgres.user"),
        prompt: Phrase::Is("Migration role"),
        help: Phrase::Is("The administrative role the migration Job connects as: it creates the pgcrypto extension, the per-service roles, and needs CREATEDB. Its password goes in the secret manager."),
        kind: KindSpec::Text(Phrase::Is("e.g. caracal")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::RedisHost),
        step: Step::Data,
        path: Phrase::Is("redis.host"),
        prompt: Phrase::Is("Redis host"),
        help: Phrase::From(|ctx, _| {
            let redis = &ctx.cloud?.products.redis;
            Some(format!("Your {redis}: Streams, AUTH and `noeviction`."))
        }),
        kind: KindSpec::Text(Phrase::Is("host name or IP address")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::RedisPort),
        step: Step::Data,
        path: Phrase::Is("redis.port"),
        prompt: Phrase::Is("Redis port"),
        help: Phrase::From(redis_port_help),
        kind: KindSpec::Text(Phrase::Is("1-65535")),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::RedisTls),
        step: Step::Data,
        path: Phrase::Is("redis.tls"),
        prompt: Phrase::Is("Redis TLS"),
        help: Phrase::Is("TLS makes the runtime Secret use rediss:// URLs."),
        kind: KindSpec::Picks(&REDIS_TLS),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::RedisCidr),
        step: Step::Data,
        path: Phrase::Is("redis.cidr"),
        prompt: Phrase::Is("Redis CIDR"),
        help: Phrase::Is("Admitted by the NetworkPolicy: the subnet holding the instance."),
        kind: KindSpec::Text(Phrase::Is(example(Format::Cidr))),
        applies: &KNOWN,
    },
    Row {
        ids: Ids::One(QuestionId::CaBundle),
        step: Step::Data,
        path: Phrase::Is("caBundle.configMap"),
        prompt: Phrase::Is("Server CA bundle"),
        help: Phrase::From(ca_bundle_help),
        kind: KindSpec::Text(Phrase::Is("a ConfigMap you create, e.g. caracal-server-ca (blank: Postgres unverified)")),
        applies: &[When::CloudKnown, When::ProfileKnown, When::ExternalSecrets, When::PrivateDataCa],
    },
    Row {
        ids: Ids::One(QuestionId::StorageClass),
        step: Step::Data,
        path: Phrase::Is("storageClass"),
        prompt: Phrase::Is("Storage class"),
        help: Phrase::Is("StorageClass of the STS and Gateway replay volumes (one per replica)."),
        kind: KindSpec::Text(Phrase::From(|ctx, _| {
            Some(format!("e.g. {}", ctx.cloud?.storage_class))
        })),
        applies: &KNOWN,
    },
];

/// The choices of `redis.tls`.
const REDIS_TLS: [Pick; 2] = yes_no(
    "rediss://: password and audit traffic encrypted",
    "redis://: clear text (in-cluster trials only)",
);

/// Names the cloud's Postgres product; says it is optional where the profile allows in-cluster.
fn postgres_host_help(ctx: &Context<'_>, _: QuestionId) -> Option<String> {
    let (cloud, profile) = (ctx.cloud?, ctx.profile?);
    let optional = if profile.managed_dependencies {
        ""
    } else {
        " Optional: leave the in-cluster default for a trial."
    };
    Some(format!(
        "Your {} (TLS; each service gets the sslmode its driver understands).{optional}",
        cloud.products.postgres
    ))
}

/// Names the ports the cloud's Redis serves TLS on.
fn redis_port_help(ctx: &Context<'_>, _: QuestionId) -> Option<String> {
    let cloud = ctx.cloud?;
    let ports: Vec<String> = cloud.redis_tls_ports.iter().map(u16::to_string).collect();
    Some(format!(
        "{} serves TLS on {}.",
        cloud.products.redis,
        ports.join(" or ")
    ))
}

/// What the CA bundle verifies on this cloud, and where it can't.
fn ca_bundle_help(ctx: &Context<'_>, _: QuestionId) -> Option<String> {
    let cloud = ctx.cloud?;
    let (p, tls) = (&cloud.products, &cloud.data_tls);
    let mut private: Vec<&str> = Vec::new();
    if !tls.postgres_public_ca {
        private.push(&p.postgres);
    }
    if !tls.redis_public_ca {
        private.push(&p.redis);
    }
    let redis = if tls.redis_public_ca {
        String::new()
    } else {
        format!(" {} over TLS can't be reached at all without it.", p.redis)
    };
    Some(format!("{} present certificates the pods don't trust by default. Name a ConfigMap holding their CA (key ca.crt) and the services verify the server; without it Postgres is encrypted but unverified.{redis} The console can't mount it either way.", private.join(" and ")))
}
