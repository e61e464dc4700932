//! Rules for sign-in: how operators log in to the console.
use super::validator::Validator;
use crate::answers::SignInProvider;

impl Validator<'_> {
    /// Only outside evaluation; `from` goes with SMTP, `clientId` with OAuth providers.
    pub(super) fn sign_in(&mut self) {
        let Some(s) = self.a.sign_in.clone() else {
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
            }
            SignInProvider::Github | SignInProvider::Google => {
                if s.from.is_some() {
                    self.err("signIn.from", "only used with `provider: smtp`");
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
    }
}
