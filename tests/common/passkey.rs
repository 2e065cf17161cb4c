//! Passkeys in the tests: the software authenticator of `soft_key.rs`
//! (shared with the bench) driving the pages.

pub use super::soft_key::{ceremony_on, SoftKey};
use super::{Page, TestApp};

impl TestApp {
    /// The origin passkeys are made for here (no `PUBLIC_URL`: localhost
    /// on the port the app listens on).
    pub fn passkey_origin(&self) -> String {
        self.base.replace("127.0.0.1", "localhost")
    }

    /// Adds a passkey to the login signed in on `client` (its password
    /// `password`, and `code` if it has a second step): the page that
    /// makes it, answered by `key`. Returns where the answer led.
    pub async fn add_passkey(
        &self,
        client: &reqwest::Client,
        key: &mut SoftKey,
        password: &str,
        code: Option<&str>,
    ) -> (String, Page) {
        let mut form = vec![("password", password)];
        if let Some(c) = code {
            form.push(("code", c));
        }
        let (loc, page) = self
            .submit_with(client, "/api/security/passkey_start", &form)
            .await;
        assert_eq!(loc, "/security/passkey", "{}", page.body);
        let on =
            ceremony_on(&page.body, "/api/security/passkey_finish").expect("the page's ceremony");
        let answer = key.create(&on.options, &self.passkey_origin());
        self.submit_with(
            client,
            "/api/security/passkey_finish",
            &[
                ("name", "Test key"),
                ("state", &on.state),
                ("credential", &answer),
            ],
        )
        .await
    }

    /// "Sign in with a passkey" from `client`: the sign-in page's ceremony
    /// answered by `key`.
    pub async fn sign_in_passkey(&self, client: &reqwest::Client, key: &mut SoftKey) -> Page {
        let page = self.get_with(client, "/").await;
        let on =
            ceremony_on(&page.body, "/api/sign_in/passkey").expect("the sign-in page's passkey");
        let answer = key.get(&on.options, &self.passkey_origin());
        self.post_with(
            client,
            "/api/sign_in/passkey",
            &[("state", &on.state), ("credential", &answer)],
        )
        .await
    }
}
