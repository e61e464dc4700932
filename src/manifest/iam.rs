//! Typed AWS IAM policy documents: the trust and permission policies written to `cloud/`.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The only IAM policy language version.
pub const IAM_VERSION: &str = "2012-10-17";

/// An IAM policy document (trust or permissions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamPolicy {
    /// Always [`IAM_VERSION`].
    pub version: String,
    /// The statements.
    pub statement: Vec<IamStatement>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamStatement {
    /// Statement id.
    pub sid: String,
    /// Always `Allow` here.
    pub effect: String,
    /// Who (trust policies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<IamPrincipal>,
    /// Actions.
    pub action: Vec<String>,
    /// Resources (permission policies only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<String>,
    /// Operator → key → values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub condition: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// A trust policy's principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamPrincipal {
    /// The OIDC provider's ARN.
    pub federated: String,
}

impl IamPolicy {
    /// A policy of `statement`s.
    pub fn new(statement: Vec<IamStatement>) -> Self {
        Self {
            version: IAM_VERSION.into(),
            statement,
        }
    }
}
