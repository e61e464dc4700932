//! The grammars of the URLs answers name (#11): Git repositories and OCI chart references,
//! strict enough that the README's shell commands repeat them without quoting and no
//! credential rides along.
use super::{ensure_hostname, is_label};

/// Characters of a path segment in a Git or OCI URL: letters, digits, `.`, `_`, `-` (none
/// of them needs quoting in bash or zsh, none is Markdown syntax).
fn is_path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// Whether `path` is `/`-separated non-empty segments of [`is_path_char`], none `.` or `..`.
fn is_plain_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|seg| {
            !seg.is_empty() && seg != "." && seg != ".." && seg.bytes().all(is_path_char)
        })
}

/// Whether `host[:port]` is a DNS name, a single label (`localhost`) or an IPv4 address,
/// with an optional port number (1–65535).
fn is_host_port(authority: &str) -> bool {
    let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
    let port_ok = authority.find(':').is_none()
        || (port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0));
    let host_ok = ensure_hostname(host).is_ok()
        || is_label(host)
        || host.parse::<std::net::Ipv4Addr>().is_ok();
    port_ok && host_ok
}

/// The authority of `scheme://authority/…` (up to the first `/`, `?` or `#`), if `value`
/// has that shape.
fn authority(value: &str) -> Option<&str> {
    let rest = value.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or_default())
}

/// Whether `value` carries user information (`user:password@`, even an empty `:@`) in its
/// authority: `scheme://…@host/…`.
pub fn has_userinfo(value: &str) -> bool {
    authority(value).is_some_and(|a| a.contains('@'))
}

/// `value` with the user information of its authority replaced by `***`, so that an error
/// message never repeats a token.
pub fn redacted(value: &str) -> String {
    match (value.split_once("://"), authority(value)) {
        (Some((scheme, rest)), Some(a)) if a.contains('@') => {
            let host = a.rsplit_once('@').map_or(a, |(_, h)| h);
            format!("{scheme}://***@{host}{}", &rest[a.len()..])
        }
        _ => value.to_string(),
    }
}

/// A Git repository URL the README's `argocd repo add` repeats as it is:
/// `https://host[:port]/path` (or `http://`), `ssh://[user@]host[:port]/path` or
/// `user@host:path`, with paths of letters, digits, `.`, `_`, `-` and `/`. Only SSH names a
/// user (the account, e.g. `git`), never a password.
pub fn ensure_git_url(value: &str) -> Result<(), String> {
    const SHAPE: &str = "give `https://host/org/repo.git`, `ssh://git@host/org/repo.git` or `git@host:org/repo.git` (letters, digits, `.`, `_`, `-` and `/` in the path, a port if any of 1–65535)";
    let ok = if let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    {
        if has_userinfo(value) {
            return Err(format!("`{}` carries a user name or password; a URL is written into the overlay and the README: give the URL without it and put the credentials in the repository secret of the GitOps controller (`argocd repo add` asks for them; Flux reads a `secretRef`)", redacted(value)));
        }
        split_authority(rest).is_some_and(|(a, p)| {
            is_host_port(a) && is_plain_path(p.strip_suffix('/').unwrap_or(p))
        })
    } else if let Some(rest) = value.strip_prefix("ssh://") {
        let (user, rest) = rest.split_once('@').unwrap_or(("git", rest));
        if user.contains(':') {
            return Err(format!("`{}` carries a password; SSH authenticates with a key: give `ssh://git@host/org/repo.git` and register the key with the GitOps controller", redacted(value)));
        }
        is_ssh_user(user)
            && split_authority(rest).is_some_and(|(a, p)| is_host_port(a) && is_plain_path(p))
    } else {
        // scp-like `git@host:org/repo.git`: no port, the path after the colon.
        value.split_once('@').is_some_and(|(user, rest)| {
            is_ssh_user(user)
                && rest.split_once(':').is_some_and(|(host, path)| {
                    is_host_port(host) && is_plain_path(path.strip_prefix('/').unwrap_or(path))
                })
        })
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a Git repository URL; {SHAPE}",
            redacted(value)
        ))
    }
}

/// An SSH account name: letters, digits, `.`, `_`, `-`, starting with a letter or `_`.
fn is_ssh_user(user: &str) -> bool {
    user.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && user.bytes().all(is_path_char)
}

/// `authority/path` split at the first `/`, when both parts are there.
fn split_authority(rest: &str) -> Option<(&str, &str)> {
    rest.split_once('/')
}

/// An OCI chart reference `oci://host[:port]/path`, the path lower-case letters, digits, `.`,
/// `_`, `-` and `/` (OCI repository names), without a tag or digest and without
/// credentials (`helm registry login` keeps those).
pub fn ensure_oci_ref(value: &str) -> Result<(), String> {
    if has_userinfo(value) {
        return Err(format!("`{}` carries a user name or password; it is written into the overlay and the README's `helm` commands: give the reference without it and log in with `helm registry login <registry>` instead", redacted(value)));
    }
    let ok = value
        .strip_prefix("oci://")
        .and_then(split_authority)
        .is_some_and(|(a, path)| {
            is_host_port(a) && is_plain_path(path) && !path.bytes().any(|b| b.is_ascii_uppercase())
        });
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not an OCI chart reference; give `oci://registry/path/chart` without a tag (lower-case letters, digits, `.`, `_`, `-` and `/`), e.g. `oci://ghcr.io/garudex-labs/charts/caracal` (the version goes in `chart.version`)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_urls_are_https_or_ssh_without_credentials() {
        for ok in [
            "https://github.com/acme/fleet.git",
            "https://git.example.com:8443/acme/fleet",
            "https://git.example.com:65535/acme/fleet",
            "http://gitea.local/acme/fleet.git",
            "ssh://git@github.com/acme/fleet.git",
            "ssh://git@git.example.com:2222/acme/fleet.git",
            "git@github.com:acme/fleet.git",
            "git@ssh.dev.azure.com:v3/acme/proj/fleet",
        ] {
            assert!(ensure_git_url(ok).is_ok(), "{ok}: {:?}", ensure_git_url(ok));
        }
        for (bad, says) in [
            (
                "https://bot:ghp_TOKEN@github.com/acme/fleet.git",
                "user name or password",
            ),
            (
                "https://:@github.com/acme/fleet.git",
                "user name or password",
            ),
            (
                "https://ghp_TOKEN@github.com/acme/fleet.git",
                "user name or password",
            ),
            ("ssh://git:pw@github.com/acme/fleet.git", "password"),
            (
                "https://github.com/acme/(c).git",
                "not a Git repository URL",
            ),
            ("https://github.com/acme/f?x", "not a Git repository URL"),
            ("https://github.com/acme/f*", "not a Git repository URL"),
            ("https://github.com/acme/[f]", "not a Git repository URL"),
            ("https:github.com/acme/fleet", "not a Git repository URL"),
            ("https:///github.com/acme/fleet", "not a Git repository URL"),
            ("https://github.com", "not a Git repository URL"),
            ("git@github.com:acme/$(id)", "not a Git repository URL"),
            ("ftp://github.com/acme/fleet", "not a Git repository URL"),
            (
                "https://git.example.com:99999/acme/infra.git",
                "not a Git repository URL",
            ),
            (
                "ssh://git@git.example.com:65536/acme/infra.git",
                "not a Git repository URL",
            ),
            (
                "https://git.example.com:0/acme/infra.git",
                "not a Git repository URL",
            ),
            (
                "https://git.example.com:+80/acme/infra.git",
                "not a Git repository URL",
            ),
        ] {
            let e = ensure_git_url(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
            assert!(!e.contains("TOKEN") && !e.contains(":pw"), "{e}");
        }
    }

    #[test]
    fn oci_refs_are_plain_paths_without_credentials() {
        for ok in [
            "oci://ghcr.io/garudex-labs/charts/caracal",
            "oci://localhost:5000/caracal",
            "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts/caracal",
        ] {
            assert!(ensure_oci_ref(ok).is_ok(), "{ok}");
        }
        for bad in [
            "oci://bot:tok@ghcr.io/acme/caracal",
            "oci://:@ghcr.io/acme/caracal",
            "oci://ghcr.io/acme/(c)",
            "oci://ghcr.io/acme/c?",
            "oci://ghcr.io/acme/c*",
            "oci://ghcr.io/acme/[c]",
            "oci://ghcr.io/acme/caracal:1.0.0",
            "oci://ghcr.io:99999/acme/caracal",
            "oci://ghcr.io/acme/Caracal",
            "oci://ghcr.io/",
            "oci://ghcr.io",
            "https://ghcr.io/acme/caracal",
        ] {
            let e = ensure_oci_ref(bad).expect_err(bad);
            assert!(!e.contains("tok@"), "{e}");
        }
        assert!(ensure_oci_ref("oci://u:p@ghcr.io/a/c")
            .unwrap_err()
            .contains("helm registry login"));
    }

    #[test]
    fn redaction_hides_the_user_information() {
        assert_eq!(
            redacted("https://bot:ghp_x@github.com/a/b.git"),
            "https://***@github.com/a/b.git"
        );
        assert_eq!(redacted("https://github.com/a"), "https://github.com/a");
    }
}
