//! Operators in the tests: added as `operator add` adds them, enrolled and
//! signed in through the console's pages, with an authenticator computed
//! from the key the enrolment page shows.

use super::{Page, TestApp};
use provider_portal::auth::totp;
use provider_portal::domain::{Role, Username};

pub const OPS_PASSWORD: &str = "console correct horse 42";

/// An enrolled operator and what it signs in with.
pub struct Operator {
    pub username: String,
    pub password: String,
    pub seed: Vec<u8>,
}

/// The key an enrolment page shows, read as a person would type it.
pub fn seed_on(body: &str) -> Vec<u8> {
    let start = body
        .find("<code class=\"seed\">")
        .expect("the page shows the key")
        + 19;
    let end = start + body[start..].find("</code>").unwrap();
    totp::seed_from_text(&body[start..end]).expect("a Base32 key")
}

impl TestApp {
    /// Adds an operator as `provider-portal operator add` does; returns the
    /// enrolment link's token.
    pub async fn add_operator(&self, username: &str, role: Role) -> String {
        let now = self.state.clock.now();
        provider_portal::console::service::add_operator(
            &self.state.store,
            &self.state.key,
            &Username::parse_new(username).unwrap(),
            role,
            now,
        )
        .await
        .unwrap()
        .expect("a new username")
        .token
    }

    /// Adds an operator and enrols it through the enrolment page; then the
    /// clock moves one TOTP step on, so that the next code is a fresh one.
    pub async fn enrolled_operator(&self, username: &str, role: Role) -> Operator {
        let token = self.add_operator(username, role).await;
        let (client, _) = self.new_browser();
        let page = self
            .get_with(&client, &format!("/ops/enrol?token={token}"))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let seed = seed_on(&page.body);
        let code = totp::code_at(&seed, self.state.clock.now());
        let res = self
            .post_with(
                &client,
                "/ops/api/enrol",
                &[
                    ("token", &token),
                    ("password", OPS_PASSWORD),
                    ("confirm_password", OPS_PASSWORD),
                    ("code", &code),
                ],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/ops/sign-in?notice=enrolled"),
            "{}",
            res.body
        );
        self.state.clock.advance(30);
        Operator {
            username: username.to_string(),
            password: OPS_PASSWORD.to_string(),
            seed,
        }
    }

    /// Posts the console's sign-in form from `client` with `code`.
    pub async fn ops_sign_in_with(
        &self,
        client: &reqwest::Client,
        op: &Operator,
        code: &str,
    ) -> Page {
        self.post_with(
            client,
            "/ops/api/sign_in",
            &[
                ("username", op.username.as_str()),
                ("password", op.password.as_str()),
                ("code", code),
            ],
        )
        .await
    }

    /// Signs `op` in from `client` with the code of now.
    pub async fn ops_sign_in(&self, client: &reqwest::Client, op: &Operator) -> Page {
        let code = totp::code_at(&op.seed, self.state.clock.now());
        self.ops_sign_in_with(client, op, &code).await
    }
}
