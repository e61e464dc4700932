//! Field formats the catalogs name (`format: aws-role-arn`) and their validators.
//!
//! Each validator returns `Err(what to do)`; callers add the key path.
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

mod urls;
pub use urls::{ensure_git_url, ensure_oci_ref, has_userinfo, redacted};

/// A named value format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// RFC 1123 DNS name.
    Hostname,
    /// IPv4/IPv6 CIDR.
    Cidr,
    /// Kubernetes object name (RFC 1123 label-ish, up to 253 chars).
    K8sName,
    /// `arn:aws:iam::<12 digits>:role/<path/name>`.
    AwsRoleArn,
    /// `arn:aws:acm:<region>:<12 digits>:certificate/<uuid>`.
    AwsAcmArn,
    /// `us-east-1`.
    AwsRegion,
    /// `name@project.iam.gserviceaccount.com`.
    GcpServiceAccount,
    /// Google Cloud project id.
    GcpProject,
    /// `us-central1` or `us-central1-a`.
    GcpLocation,
    /// A UUID.
    Uuid,
    /// `https://<name>.vault.azure.net` (and sovereign clouds).
    AzureVaultUrl,
    /// `true` or `false`.
    Bool,
}

impl Format {
    /// Checks `value` against this format.
    pub fn ensure(self, value: &str) -> Result<(), String> {
        match self {
            Format::Hostname => ensure_hostname(value),
            Format::Cidr => ensure_cidr(value).map(|_| ()),
            Format::K8sName => ensure_k8s_name(value),
            Format::AwsRoleArn => ensure_aws_role_arn(value),
            Format::AwsAcmArn => ensure_aws_acm_arn(value),
            Format::AwsRegion => ensure_aws_region(value),
            Format::GcpServiceAccount => ensure_gcp_service_account(value),
            Format::GcpProject => ensure_gcp_project(value),
            Format::GcpLocation => ensure_gcp_location(value),
            Format::Uuid => ensure_uuid(value),
            Format::AzureVaultUrl => ensure_azure_vault_url(value),
            Format::Bool => match value {
                "true" | "false" => Ok(()),
                _ => Err("expected `true` or `false`".into()),
            },
        }
    }
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// RFC 1123 host name: lowercase labels of letters, digits and hyphens, at least two labels.
pub fn ensure_hostname(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("is empty; give a DNS name such as `caracal.example.com`".into());
    }
    if value.len() > 253 {
        return Err(format!("`{value}` is longer than 253 characters"));
    }
    if value.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "`{value}` has upper-case letters; DNS names in Kubernetes are lower case: use `{}`",
            value.to_ascii_lowercase()
        ));
    }
    if value.contains("://") || value.contains('/') || value.contains(':') {
        return Err(format!(
            "`{value}` is not a bare host name; drop the scheme, port and path"
        ));
    }
    let labels: Vec<&str> = value.split('.').collect();
    if labels.len() < 2 {
        return Err(format!("`{value}` is a single label; give a fully qualified name such as `caracal.example.com`"));
    }
    if let Some(bad) = labels.iter().find(|l| !is_label(l)) {
        return Err(format!(
            "`{value}` is not an RFC 1123 host name (label `{bad}`: use a-z, 0-9 and inner hyphens, at most 63 characters)"
        ));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "`{value}` looks like an IP address; give a DNS name"
        ));
    }
    Ok(())
}

/// A CIDR in canonical form (host bits zero).
pub fn ensure_cidr(value: &str) -> Result<ipnet::IpNet, String> {
    let net: ipnet::IpNet = value.parse().map_err(|_| cidr_error(value))?;
    if net.network() != net.addr() {
        return Err(format!(
            "`{value}` has host bits set; the network is `{}`",
            net.trunc()
        ));
    }
    Ok(net)
}

/// Why `value` does not parse as a CIDR: an address without a prefix, a prefix too long
/// for the address family, or an address that is not one.
fn cidr_error(value: &str) -> String {
    if let Ok(ip) = value.parse::<IpAddr>() {
        let bits = if ip.is_ipv4() { 32 } else { 128 };
        return format!("`{value}` is an address, not a CIDR; write `{value}/{bits}` for one host");
    }
    let Some((addr, len)) = value.split_once('/') else {
        return format!("`{value}` is not a CIDR such as `10.20.0.0/16` (address/prefix length)");
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return format!(
            "`{value}`: `{addr}` is not an IP address; write a CIDR such as `10.20.0.0/16`"
        );
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    match len.parse::<u32>() {
        Ok(n) if n > max => format!("`{value}`: the prefix /{n} is longer than {max}, the most an IPv{} address has; e.g. `{addr}/16`", if ip.is_ipv4() { 4 } else { 6 }),
        _ => format!("`{value}`: `/{len}` is not a prefix length (a number from 0 to {max}); e.g. `{addr}/16`"),
    }
}

/// A Kubernetes object name (DNS subdomain).
pub fn ensure_k8s_name(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 253 || !value.split('.').all(is_label) {
        return Err(format!(
            "`{value}` is not a Kubernetes name (lower-case letters, digits, `-` and `.`, starting and ending alphanumeric)"
        ));
    }
    Ok(())
}

/// A Kubernetes label: key `[prefix/]name` (prefix a DNS subdomain), value empty or a name,
/// each name at most 63 characters of letters, digits, `-`, `_` and `.`, alphanumeric at
/// both ends.
pub fn ensure_label(key: &str, value: &str) -> Result<(), String> {
    fn is_name(s: &str) -> bool {
        let b = s.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    }
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if !is_name(name) || prefix.is_some_and(|p| ensure_k8s_name(p).is_err()) {
        return Err(format!(
            "`{key}` is not a label key (`[prefix/]name`: letters, digits, `-`, `_`, `.`, at most 63 characters)"
        ));
    }
    if !value.is_empty() && !is_name(value) {
        return Err(format!(
            "`{value}` is not a label value (letters, digits, `-`, `_`, `.`, at most 63 characters)"
        ));
    }
    Ok(())
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `arn:<partition>:iam::<account>:role/<path>`.
pub fn ensure_aws_role_arn(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && ["aws", "aws-cn", "aws-us-gov"].contains(&parts[1])
        && parts[2] == "iam"
        && parts[3].is_empty()
        && is_account_id(parts[4])
        && parts[5].strip_prefix("role/").is_some_and(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b))
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not an IAM role ARN such as `arn:aws:iam::123456789012:role/caracal`"
        ))
    }
}

/// `arn:<partition>:acm:<region>:<account>:certificate/<id>`.
pub fn ensure_aws_acm_arn(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && ["aws", "aws-cn", "aws-us-gov"].contains(&parts[1])
        && parts[2] == "acm"
        && ensure_aws_region(parts[3]).is_ok()
        && is_account_id(parts[4])
        && parts[5]
            .strip_prefix("certificate/")
            .is_some_and(|id| ensure_uuid(id).is_ok());
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not an ACM certificate ARN such as `arn:aws:acm:us-east-1:123456789012:certificate/0b3c2a1e-1111-2222-3333-444455556666`"))
    }
}

/// `us-east-1`, `ap-southeast-2`, `us-gov-west-1`, `eu-central-2`.
pub fn ensure_aws_region(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split('-').collect();
    let ok = (3..=4).contains(&parts.len())
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[0].len() == 2
        && parts.last().is_some_and(|n| {
            !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not an AWS region such as `us-east-1`"
        ))
    }
}

/// `<name>@<project>.iam.gserviceaccount.com`.
pub fn ensure_gcp_service_account(value: &str) -> Result<(), String> {
    let ok = value.split_once('@').is_some_and(|(name, domain)| {
        (6..=30).contains(&name.len())
            && is_label(name)
            && domain
                .strip_suffix(".iam.gserviceaccount.com")
                .is_some_and(|p| ensure_gcp_project(p).is_ok())
    });
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not a Google service account email such as `caracal@my-project.iam.gserviceaccount.com`"))
    }
}

/// 6–30 characters: lower-case letters, digits, hyphens; starts with a letter.
pub fn ensure_gcp_project(value: &str) -> Result<(), String> {
    let ok = (6..=30).contains(&value.len())
        && is_label(value)
        && value.starts_with(|c: char| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not a Google Cloud project ID (6–30 lower-case letters, digits and hyphens, starting with a letter)"))
    }
}

/// `us-central1` or a zone `us-central1-a`.
pub fn ensure_gcp_location(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split('-').collect();
    let region_ok = |p: &[&str]| {
        p.len() == 2
            && !p[0].is_empty()
            && p[0].bytes().all(|b| b.is_ascii_lowercase())
            && p[1].len() >= 2
            && p[1].bytes().last().is_some_and(|b| b.is_ascii_digit())
            && p[1]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let ok = match parts.len() {
        2 => region_ok(&parts),
        3 => {
            region_ok(&parts[..2])
                && parts[2].len() == 1
                && parts[2].bytes().all(|b| b.is_ascii_lowercase())
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not a Google Cloud region or zone such as `us-central1` or `us-central1-a`"))
    }
}

/// 8-4-4-4-12 hex digits.
pub fn ensure_uuid(value: &str) -> Result<(), String> {
    let groups: Vec<&str> = value.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a UUID such as `00000000-0000-0000-0000-000000000000`"
        ))
    }
}

const VAULT_SUFFIXES: [&str; 4] = [
    ".vault.azure.net",
    ".vault.azure.cn",
    ".vault.usgovcloudapi.net",
    ".vault.microsoftazure.de",
];

/// `https://<3–24 chars>.vault.azure.net[/]`.
pub fn ensure_azure_vault_url(value: &str) -> Result<(), String> {
    const EXAMPLE: &str = "`https://caracal-prod.vault.azure.net`";
    if has_userinfo(value) {
        return Err(format!("`{}` carries a user name or password; External Secrets authenticates with workload identity: give the vault URL alone, e.g. {EXAMPLE}", redacted(value)));
    }
    let Some(rest) = value.strip_prefix("https://") else {
        let why = if value.starts_with("http://") {
            "Key Vault serves only HTTPS: start it with `https://`"
        } else {
            "a Key Vault URL starts with `https://`"
        };
        return Err(format!("`{value}`: {why}, e.g. {EXAMPLE}"));
    };
    let host = rest.strip_suffix('/').unwrap_or(rest);
    let Some(name) = VAULT_SUFFIXES.iter().find_map(|s| host.strip_suffix(s)) else {
        return Err(format!(
            "`{value}`: the host must end in `.vault.azure.net` (or a sovereign cloud's vault domain), e.g. {EXAMPLE}"
        ));
    };
    let ok = (3..=24).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}`: the vault name `{name}` must be 3–24 letters, digits and single `-`, starting with a letter, e.g. {EXAMPLE}"))
    }
}

/// An `https://` (or, unless `https_only`, `http://`) URL, fully parsed and written the
/// way the parser writes it back (`https:host`, `https:///host` and `https://:@host` are
/// not): no user name or password, a host that is a DNS name, a single label or an IP, and
/// a path of unreserved characters and percent-escapes only, no query or fragment. It is
/// written into YAML, YAML comments, Markdown and the README's commands (#11).
pub fn ensure_url(value: &str, https_only: bool) -> Result<(), String> {
    let want = if https_only {
        "https://"
    } else {
        "http:// or https://"
    };
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{}` contains {c:?}; a URL has no spaces, line breaks or control characters",
            value.escape_debug()
        ));
    }
    if has_userinfo(value) {
        return Err(format!(
            "`{}` carries a user name or password; credentials go in the secret manager, not the URL",
            redacted(value)
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~/%:[]".contains(*c)))
    {
        return Err(format!("`{value}` contains `{c}`; an endpoint URL is `scheme://host[:port][/path]` with letters, digits, `-`, `.`, `_`, `~`, `/` and percent-escapes (`%20`) in its path, no query or fragment"));
    }
    let url = url::Url::parse(value)
        .map_err(|e| format!("`{value}` is not a URL starting with {want} ({e})"))?;
    if !(url.scheme() == "https" || (!https_only && url.scheme() == "http")) {
        return Err(format!("`{value}` is not a URL starting with {want}"));
    }
    if url.as_str() != value && url.as_str() != format!("{value}/") {
        return Err(format!(
            "`{value}` is not written the way a URL is; write `{}`",
            url.as_str().trim_end_matches('/')
        ));
    }
    // `[` and `]` belong to an IPv6 host only.
    if url.path().contains(['[', ']']) {
        return Err(format!(
            "`{value}` has `[` or `]` in its path; percent-encode them (`%5B`, `%5D`)"
        ));
    }
    match url.host() {
        Some(url::Host::Domain(h)) if ensure_hostname(h).is_ok() || is_label(h) => Ok(()),
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => Ok(()),
        _ => Err(format!("`{value}` has no valid host")),
    }
}

/// A character class pattern `^[...]+$`, as the catalogs write secret-name rules.
#[derive(Debug, Clone)]
pub struct CharClass {
    ranges: Vec<(char, char)>,
}

impl CharClass {
    /// Parses `^[A-Za-z0-9_-]+$`; `None` if the pattern has another shape.
    pub fn parse(pattern: &str) -> Option<Self> {
        let body = pattern
            .strip_prefix("^[")
            .and_then(|p| p.strip_suffix("]+$"))?;
        let chars: Vec<char> = body.chars().collect();
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if i + 2 < chars.len() && chars[i + 1] == '-' {
                ranges.push((chars[i], chars[i + 2]));
                i += 3;
            } else {
                ranges.push((chars[i], chars[i]));
                i += 1;
            }
        }
        Some(Self { ranges })
    }

    /// Whether every character of `s` is in the class and `s` is not empty.
    pub fn matches(&self, s: &str) -> bool {
        !s.is_empty()
            && s.chars()
                .all(|c| self.ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_kubernetes_syntax() {
        assert!(ensure_label("app.kubernetes.io/name", "ingress-nginx").is_ok());
        assert!(ensure_label("app", "").is_ok());
        assert!(ensure_label("Tier_1", "web.v2").is_ok());
        assert!(ensure_label("app name", "x").is_err());
        assert!(
            ensure_label("Example.com/app", "x").is_err(),
            "prefix is a DNS subdomain"
        );
        assert!(ensure_label("app", "-x").is_err());
        assert!(ensure_label(&"a".repeat(64), "x").is_err());
        assert!(ensure_label("app", &"v".repeat(64)).is_err());
    }

    #[test]
    fn formats_accept_and_reject() {
        let cases: &[(Format, &str, bool)] = &[
            (Format::Hostname, "caracal.example.com", true),
            (Format::Hostname, "sts.caracal.example.com", true),
            (Format::Hostname, "Caracal.example.com", false),
            (Format::Hostname, "caracal", false),
            (Format::Hostname, "-bad.example.com", false),
            (Format::Hostname, "https://caracal.example.com", false),
            (Format::Hostname, "under_score.example.com", false),
            (Format::Hostname, "10.0.0.1", false),
            (Format::Cidr, "10.20.0.0/16", true),
            (Format::Cidr, "10.20.0.1/16", false),
            (Format::Cidr, "10.20.0.0", false),
            (Format::Cidr, "10.300.0.0/16", false),
            (Format::Cidr, "fd00::/8", true),
            (Format::AwsRoleArn, "arn:aws:iam::123456789012:role/caracal", true),
            (Format::AwsRoleArn, "arn:aws:iam::123456789012:role/path/caracal-runtime", true),
            (Format::AwsRoleArn, "arn:aws:iam::1234:role/caracal", false),
            (Format::AwsRoleArn, "arn:aws:iam::123456789012:user/caracal", false),
            (Format::AwsAcmArn, "arn:aws:acm:us-east-1:123456789012:certificate/0b3c2a1e-1111-2222-3333-444455556666", true),
            (Format::AwsAcmArn, "arn:aws:acm:us-east-1:123456789012:certificate/nope", false),
            (Format::AwsRegion, "us-east-1", true),
            (Format::AwsRegion, "us-gov-west-1", true),
            (Format::AwsRegion, "useast1", false),
            (Format::GcpServiceAccount, "caracal@my-project.iam.gserviceaccount.com", true),
            (Format::GcpServiceAccount, "caracal@gmail.com", false),
            (Format::GcpProject, "my-project", true),
            (Format::GcpProject, "My_Project", false),
            (Format::GcpLocation, "us-central1", true),
            (Format::GcpLocation, "europe-west4-b", true),
            (Format::GcpLocation, "central", false),
            (Format::Uuid, "00000000-0000-0000-0000-000000000000", true),
            (Format::Uuid, "0000-0000", false),
            (Format::AzureVaultUrl, "https://caracal-prod.vault.azure.net", true),
            (Format::AzureVaultUrl, "https://caracal-prod.vault.azure.net/", true),
            (Format::AzureVaultUrl, "http://caracal-prod.vault.azure.net", false),
            (Format::AzureVaultUrl, "https://caracal.example.com", false),
            (Format::AzureVaultUrl, "https://:@caracal-prod.vault.azure.net", false),
            (Format::AzureVaultUrl, "https://u:p@caracal-prod.vault.azure.net", false),
            (Format::K8sName, "letsencrypt-prod", true),
            (Format::K8sName, "Letsencrypt", false),
            (Format::Bool, "true", true),
            (Format::Bool, "yes", false),
        ];
        for (format, value, ok) in cases {
            assert_eq!(format.ensure(value).is_ok(), *ok, "{format:?} {value}");
        }
    }

    #[test]
    fn char_class_matches_secret_names() {
        let c = CharClass::parse("^[A-Za-z0-9_-]+$").unwrap();
        assert!(c.matches("caracal-postgres_password"));
        assert!(!c.matches("caracal/postgres"));
        assert!(!c.matches(""));
        assert!(CharClass::parse("[a-z]").is_none());
    }

    #[test]
    fn urls_need_a_scheme_and_host() {
        assert!(ensure_url("https://s3.us-east-1.amazonaws.com", true).is_ok());
        assert!(ensure_url(
            "http://otel-collector.observability.svc.cluster.local:4317",
            false
        )
        .is_ok());
        assert!(ensure_url("http://x.example.com", true).is_err());
        assert!(ensure_url("s3.amazonaws.com", false).is_err());
        assert!(ensure_url("http://[fd00::1]:4318/v1/traces", false).is_ok());
        assert!(ensure_url("https://s3.example.com/a%20b/c~d", true).is_ok());
        for bad in [
            "https://s3.example.com/![x](https://evil.example/t.png)",
            "https:s3.example.com",
            "https:///s3.example.com",
            "https://:@s3.example.com",
            "https://u:p@s3.example.com",
            "https://S3.example.com",
            "https://s3.example.com/?x=1",
            "https://s3.example.com/#x",
            "https://s3.example.com/a/../b",
            "https://s3.example.com:443",
            "https://s3.example.com/[x]",
        ] {
            assert!(ensure_url(bad, true).is_err(), "{bad}");
        }
    }
}
