//! Rows of the audit step: where audit records are exported, and for how long they are kept.
use super::row::{Ids, KindSpec, Phrase, Row};
use super::when::When;
use super::{QuestionId, Step};

/// Conditions of every audit question.
const AUDIT: [When; 3] = [When::CloudKnown, When::ProfileKnown, When::AuditExport];

/// The audit step's rows, in order.
pub(super) static ROWS: &[Row] = &[
    Row {
        ids: Ids::One(QuestionId::AuditEndpoint),
        step: Step::Audit,
        path: Phrase::Is("auditExport.endpoint"),
        prompt: Phrase::Is("Export endpoint"),
        help: Phrase::From(|ctx, _| {
            Some(format!(
                "S3-compatible endpoint of {}.",
                ctx.cloud?.products.object_store
            ))
        }),
        kind: KindSpec::Text(Phrase::Is("https://…")),
        applies: &AUDIT,
    },
    Row {
        ids: Ids::One(QuestionId::AuditBucket),
        step: Step::Audit,
        path: Phrase::Is("auditExport.bucket"),
        prompt: Phrase::Is("Export bucket"),
        help: Phrase::Is("Receives hourly audit exports; lock its retention."),
        kind: KindSpec::Text(Phrase::Is("3-63 lower-case letters, digits, `-`")),
        applies: &AUDIT,
    },
    Row {
        ids: Ids::One(QuestionId::AuditRegion),
        step: Step::Audit,
        path: Phrase::Is("auditExport.region"),
        prompt: Phrase::Is("Export region"),
        help: Phrase::Is("The bucket's S3 signing region."),
        kind: KindSpec::Text(Phrase::Is("e.g. us-east-1")),
        applies: &AUDIT,
    },
    Row {
        ids: Ids::One(QuestionId::RetentionDays),
        step: Step::Audit,
        path: Phrase::Is("retention.auditDays"),
        prompt: Phrase::Is("Audit retention (days)"),
        help: Phrase::From(|ctx, _| {
            Some(format!(
                "Incident evidence: at least 365 days in {}.",
                ctx.profile?.title
            ))
        }),
        kind: KindSpec::Text(Phrase::Is("365-36500")),
        applies: &AUDIT,
    },
];
