//! A login's second step in the tests: an authenticator app set up through
//! the pages (the key read off the page as a person would type it), its
//! backup codes read off the page that shows them once, and sign-in with
//! both steps.

use super::{Page, TestApp};
use provider_portal::auth::totp;

/// What a login's second step was set up with.
pub struct Enrolled {
    pub seed: Vec<u8>,
    pub backup_codes: Vec<String>,
}

/// The text between `start` and the next `end` after it.
fn between<'a>(body: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = body.find(start)? + start.len();
    let to = from + body[from..].find(end)?;
    Some(&body[from..to])
}

/// Whether `page` came with a new sign-in session (its cookie set, not
/// removed).
pub fn has_session(page: &Page) -> bool {
    page.set_cookie
        .iter()
        .any(|c| c.starts_with("pp_session=") && !c.starts_with("pp_session=;"))
}

/// The key the set-up page shows, read as a person would type it.
pub fn key_on(body: &str) -> Vec<u8> {
    let text = between(body, "<code class=\"key\">", "</code>").expect("the page shows the key");
    totp::seed_from_text(text).expect("a Base32 key")
}

/// The backup codes a page shows.
pub fn codes_on(body: &str) -> Vec<String> {
    let Some(list) = between(body, "class=\"backup-codes\">", "</ul>") else {
        return Vec::new();
    };
    list.split("<code>")
        .skip(1)
        .filter_map(|c| c.split("</code>").next())
        .map(str::to_string)
        .collect()
}

impl TestApp {
    /// A new login, registered with a code of its own (the demo code works
    /// once), signed in on `client`.
    pub async fn new_login(
        &self,
        client: &reqwest::Client,
        username: &str,
        email: &str,
        password: &str,
    ) {
        let tin = provider_portal::domain::Tin::parse("912345678").unwrap();
        let what = provider_portal::recovery::service::CodeFor {
            tin: &tin,
            practice: "Two-Step Family Practice",
            role: "Practice manager",
            days: 30,
            code: None,
        };
        let code = provider_portal::recovery::service::issue_registration_code(
            &self.state.store,
            &self.state.key,
            &what,
            self.state.clock.now(),
        )
        .await
        .unwrap();
        self.register_with_code(client, (&code, "912345678"), username, email, password)
            .await;
    }

    /// The code `seed`'s app shows now.
    pub fn app_code(&self, seed: &[u8]) -> String {
        totp::code_at(seed, self.state.clock.now())
    }

    /// Sets up an authenticator app for the login signed in on `client`
    /// (its first: the backup codes come with it); then the clock moves
    /// one TOTP step on, so that the next code is a fresh one.
    pub async fn enrol_app(&self, client: &reqwest::Client, name: &str) -> Enrolled {
        let (loc, page) = self
            .submit_with(client, "/api/security/app_start", &[])
            .await;
        assert_eq!(loc, "/security/app", "{}", page.body);
        let seed = key_on(&page.body);
        let code = self.app_code(&seed);
        let (loc, page) = self
            .submit_with(
                client,
                "/api/security/app_confirm",
                &[("name", name), ("code", &code)],
            )
            .await;
        assert_eq!(loc, "/security/backup-codes", "{}", page.body);
        let backup_codes = codes_on(&page.body);
        assert_eq!(backup_codes.len(), 10, "{}", page.body);
        self.state.clock.advance(30);
        Enrolled { seed, backup_codes }
    }

    /// Signs in from `client` with the password, then `code` at the
    /// second step: the second step's answer.
    pub async fn sign_in_two_step(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
        code: &str,
    ) -> Page {
        let first = self.sign_in_from(client, username, password).await;
        assert_eq!(
            first.location.as_deref(),
            Some("/sign-in/second-step"),
            "{}",
            first.body
        );
        self.post_with(client, "/api/sign_in/second_step", &[("code", code)])
            .await
    }
}
