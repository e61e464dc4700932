//! The IAM documents of an EKS overlay (`cloud/*.json`): trust policies naming the exact
//! ServiceAccount subjects, and permission policies scoped to the secret-name prefix and the
//! audit bucket.
use std::collections::BTreeMap;

use serde::Serialize;

use super::{aws_account, aws_role_name, EXTERNAL_SECRETS_IDENTITY};
use crate::format::Format;
use crate::manifest::iam::{IamPolicy, IamPrincipal, IamStatement};
use crate::plan::Plan;

/// The overlay directory holding cloud-side documents.
pub const CLOUD_DIR: &str = "cloud";
/// The variable the README sets to this cluster's OIDC provider (issuer without `https://`);
/// the trust policies carry it as `${OIDC_PROVIDER}` and the README substitutes it.
const OIDC: &str = "${OIDC_PROVIDER}";

/// One document written under `cloud/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CloudDocument {
    /// Path in the overlay.
    pub path: String,
    /// The policy.
    pub policy: IamPolicy,
}

/// One IAM role the README sets up: its trust policy and the policies put on it.
#[derive(Debug, Clone, Serialize)]
pub struct AwsRole {
    /// Role name (from the ARN).
    pub name: String,
    /// Who uses it, in words.
    pub used_by: String,
    /// Its trust policy's path.
    pub trust_file: String,
    /// Inline policies put on it.
    pub policies: Vec<InlinePolicy>,
}

/// An inline policy of a role.
#[derive(Debug, Clone, Serialize)]
pub struct InlinePolicy {
    /// Policy name.
    pub name: String,
    /// Its document's path.
    pub file: String,
}

/// The roles of an EKS overlay: the workloads' and, when separate, External Secrets'.
pub(super) fn aws_roles(plan: &Plan) -> Vec<AwsRole> {
    let mut by_arn: BTreeMap<String, AwsRole> = BTreeMap::new();
    for doc in aws_policies(plan) {
        let Some((arn, used_by, policy)) = role_of(plan, &doc.path) else {
            continue;
        };
        let role = by_arn.entry(arn.clone()).or_insert_with(|| AwsRole {
            name: aws_role_name(&arn),
            used_by: used_by.into(),
            trust_file: String::new(),
            policies: Vec::new(),
        });
        match policy {
            None => role.trust_file = doc.path,
            Some(name) => role.policies.push(InlinePolicy {
                name: name.into(),
                file: doc.path,
            }),
        }
    }
    by_arn.into_values().collect()
}

/// The role ARN a document belongs to, who uses it, and its inline policy name (None: trust).
fn role_of<'a>(plan: &'a Plan, path: &str) -> Option<(String, &'a str, Option<&'static str>)> {
    let (workloads, store) = arns(plan);
    let file = path.strip_prefix("cloud/")?;
    let users = if workloads == store {
        "the Caracal workloads and External Secrets"
    } else {
        "the Caracal workloads"
    };
    Some(match file {
        "workloads-trust-policy.json" => (workloads, users, None),
        "workloads-audit-policy.json" => (workloads, "", Some("caracal-audit-export")),
        "external-secrets-trust-policy.json" => (store, "External Secrets", None),
        "external-secrets-policy.json" => (store, "", Some("caracal-read-secrets")),
        _ => return None,
    })
}

/// (workloads' role ARN, External Secrets' role ARN).
fn arns(plan: &Plan) -> (String, String) {
    let id = &plan.answers.identity;
    let workloads = id
        .get(&plan.cloud.identity.field)
        .cloned()
        .unwrap_or_default();
    let store = id.get(EXTERNAL_SECRETS_IDENTITY).cloned();
    (workloads.clone(), store.unwrap_or(workloads))
}

/// The IAM documents of an EKS overlay using External Secrets (none otherwise).
pub fn aws_policies(plan: &Plan) -> Vec<CloudDocument> {
    let Some(store) = plan.store.as_ref() else {
        return vec![];
    };
    if plan.cloud.identity.format != Format::AwsRoleArn {
        return vec![];
    }
    let (workloads, store_arn) = arns(plan);
    let account = aws_account(&workloads);
    let ns = plan.answers.namespace();
    let workload_sub = format!(
        "system:serviceaccount:{ns}:{}-caracal",
        plan.answers.release()
    );
    let store_sub = format!("system:serviceaccount:{ns}:{}", store.service_account);
    let mut docs = Vec::new();
    if workloads == store_arn {
        // One role for both: one trust policy naming both subjects.
        let trust = trust_policy(&account, vec![workload_sub, store_sub]);
        docs.push(doc("workloads-trust-policy.json", trust));
    } else {
        docs.push(doc(
            "workloads-trust-policy.json",
            trust_policy(&account, vec![workload_sub]),
        ));
        let trust = trust_policy(&aws_account(&store_arn), vec![store_sub]);
        docs.push(doc("external-secrets-trust-policy.json", trust));
    }
    let region = store.fields.get("awsRegion").cloned().unwrap_or_default();
    let prefix = plan.answers.secret_store.get("keyPrefix").cloned();
    let prefix = prefix.unwrap_or_else(|| plan.cloud.secret_store.key_prefix.clone());
    let secrets = format!(
        "arn:aws:secretsmanager:{region}:{}:secret:{prefix}*",
        aws_account(&store_arn)
    );
    let read = statement(
        "ReadCaracalSecrets",
        &[
            "secretsmanager:GetSecretValue",
            "secretsmanager:DescribeSecret",
        ],
        vec![secrets],
    );
    docs.push(doc(
        "external-secrets-policy.json",
        IamPolicy::new(vec![read]),
    ));
    if let Some(bucket) = plan
        .answers
        .audit_export
        .as_ref()
        .and_then(|a| a.bucket.clone())
    {
        let objects = statement(
            "WriteAuditExports",
            &["s3:PutObject"],
            vec![format!("arn:aws:s3:::{bucket}/*")],
        );
        let list = statement(
            "ListAuditBucket",
            &["s3:ListBucket"],
            vec![format!("arn:aws:s3:::{bucket}")],
        );
        docs.push(doc(
            "workloads-audit-policy.json",
            IamPolicy::new(vec![objects, list]),
        ));
    }
    docs
}

fn doc(file: &str, policy: IamPolicy) -> CloudDocument {
    CloudDocument {
        path: format!("{CLOUD_DIR}/{file}"),
        policy,
    }
}

fn statement(sid: &str, actions: &[&str], resource: Vec<String>) -> IamStatement {
    IamStatement {
        sid: sid.into(),
        effect: "Allow".into(),
        principal: None,
        action: actions.iter().map(|a| a.to_string()).collect(),
        resource,
        condition: BTreeMap::new(),
    }
}

/// Lets `subjects` (and only them) of this cluster's OIDC provider assume the role.
fn trust_policy(account: &str, subjects: Vec<String>) -> IamPolicy {
    let mut equals = BTreeMap::new();
    equals.insert(format!("{OIDC}:sub"), subjects);
    equals.insert(format!("{OIDC}:aud"), vec!["sts.amazonaws.com".to_string()]);
    let mut condition = BTreeMap::new();
    condition.insert("StringEquals".to_string(), equals);
    IamPolicy::new(vec![IamStatement {
        sid: "ServiceAccountsOfThisCluster".into(),
        effect: "Allow".into(),
        principal: Some(IamPrincipal {
            federated: format!("arn:aws:iam::{account}:oidc-provider/{OIDC}"),
        }),
        action: vec!["sts:AssumeRoleWithWebIdentity".into()],
        resource: vec![],
        condition,
    }])
}
