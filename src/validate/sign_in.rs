//! Rules for sign-in: how operators log in to the console.
use super::validator::Validator;
use crate::answers::{Endpoint, SignIn, SignInProvider};

impl Validator<'_> {
    /// Only outside evaluation; `from` goes with SMTP, `clientId` with OAuth providers.
    pub(super) fn sign_in(&mut self) {
        let Some(s) = self.a.sign_in.clone() else {
            let console = self.exposed().iter().any(|(e, _)| *e == Endpoint::Web);
            if self.profile.evaluation && console {
                self.warn("signIn", "nobody can sign in to an evaluation's console: its chart-made Secret can't carry sign-in credentials, so web runs with placeholder GitHub credentials and registration is closed; the console proves the Ingress, the certificate and the web tier. To sign in, migrate to production with `signIn` (the README says how)");
            }
            return;
        };
        if self.profile.evaluation {
            self.err("signIn", "an evaluation's Secret is built by the chart and can't carry sign-in credentials; remove `signIn` (evaluation uses placeholders) or use the production profile");
            return;
        }
        match s.provider {
            SignInProvider::Smtp => {
                if s.from.as_deref().is_none_or(|f| !f.contains('@')) {
                    self.err("signIn.from", "required with `provider: smtp`: the sender address, e.g. `Caracal <no-reply@example.com>`");
                }
                if s.client_id.is_some() {
                    self.err("signIn.clientId", "only used with github or google");
                }
                self.smtp_relay(&s);
            }
            SignInProvider::Github | SignInProvider::Google => {
                if s.from.is_some() {
                    self.err("signIn.from", "only used with `provider: smtp`");
                }
                if s.smtp.is_some() {
                    self.err("signIn.smtp", "only used with `provider: smtp`");
                }
                if s.client_id
                    .as_deref()
                    .is_some_and(|c| c.trim().is_empty() || c.contains(char::is_whitespace))
                {
                    self.err(
                        "signIn.clientId",
                        "must be the OAuth client ID without spaces",
                    );
                }
            }
        }
        self.operators(&s);
    }

    /// The SMTP relay's CIDR and port, which the web tier's own NetworkPolicy opens (#10).
    fn smtp_relay(&mut self, s: &SignIn) {
        let Some(relay) = &s.smtp else {
            self.err("signIn.smtp.cidr", "required with `provider: smtp`: the relay's CIDR (and `port`, 587 unless given), so the console's NetworkPolicy can reach it; the URL itself, with its credentials, stays in the secret manager");
            return;
        };
        if let Some(net) = self.cidr("signIn.smtp.cidr", &relay.cidr) {
            if crate::cidr::is_everywhere(&net) && !self.profile.open_cidr {
                self.err("signIn.smtp.cidr", format!("`{}` opens mail to everywhere, which profile `{}` refuses; give the relay's CIDR", relay.cidr, self.profile.id));
            }
        }
        self.port("signIn.smtp.port", relay.port());
        let oauth_cidrs = self.a.egress.as_ref().and_then(|e| e.sign_in.as_ref());
        if oauth_cidrs.is_some_and(|l| !l.is_empty()) {
            self.warn(
                "egress.signIn",
                "unused with `provider: smtp`: the console reaches only the relay in `signIn.smtp`",
            );
        }
    }

    /// Who may register: e-mail addresses or `@domain` suffixes; none leaves the console
    /// closed to everyone (#10).
    fn operators(&mut self, s: &SignIn) {
        for (i, op) in s.operators.iter().enumerate() {
            if !is_operator_entry(op) {
                self.err(format!("signIn.operators[{i}]"), format!("`{op}` is neither an e-mail address (`alice@example.com`) nor a domain (`@example.com`)"));
            }
        }
        if s.operators.is_empty() {
            self.warn("signIn.operators", "nobody may register on the console: list operator e-mails or `@domain`s here, or put them in the runtime Secret's `operatorAllowlist.json` (`{\"emails\": {\"alice@example.com\": \"active\"}}`)");
        }
    }
}

/// `local@domain.tld` or `@domain.tld`, no spaces or commas (the env var is comma-separated).
fn is_operator_entry(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let plain = |p: &str| {
        !p.is_empty()
            && !p.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, ',' | '@' | '<' | '>' | '"')
            })
    };
    (local.is_empty() || plain(local))
        && plain(domain)
        && domain.contains('.')
        && crate::format::ensure_k8s_name(&domain.to_ascii_lowercase()).is_ok()
}
