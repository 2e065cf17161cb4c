//! What a user sees when something goes wrong on our side, and in which
//! language: faults give a plain sentence and a reference that is in the log,
//! and keep the user's progress; pages, errors and mail follow the language.

use crate::common::{Db, LogBuffer, TestApp};
use std::sync::OnceLock;

static LOG: OnceLock<LogBuffer> = OnceLock::new();

/// Captures the whole process's log (once per test binary).
fn log() -> String {
    let buffer = LOG.get_or_init(|| {
        let buffer = LogBuffer::default();
        let writer = buffer.clone();
        // The log a SIEM reads (LOG_FORMAT=json), as the server writes it.
        provider_portal::server::logs::install(
            provider_portal::config::LogFormat::Json,
            tracing_subscriber::EnvFilter::new("warn,provider_portal=info"),
            move || writer.clone(),
        );
        buffer
    });
    buffer.text()
}

/// The support reference a page quotes ("… quote reference AB12CD34.").
fn reference_in(body: &str) -> String {
    let at = body
        .find("reference ")
        .unwrap_or_else(|| panic!("no reference on the page: {body}"));
    body[at + "reference ".len()..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// The log line that carries `reference`.
fn log_line_with(reference: &str) -> String {
    log()
        .lines()
        .find(|l| l.contains(reference))
        .unwrap_or_else(|| panic!("no log line with reference {reference}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_mail_server_gives_a_reference_found_in_the_log() {
    log();
    let app = TestApp::spawn_with(Db::Sqlite, |env| {
        env.insert("SMTP_URL".into(), "smtp://127.0.0.1:9".into());
    })
    .await
    .unwrap();
    app.submit(
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "123456789")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "Rex")]).await;
    let posted = app
        .post(
            "/api/wizard/email",
            &[
                ("email", "m@example.com"),
                ("verify_email", "m@example.com"),
            ],
        )
        .await;
    let loc = posted.location.clone().unwrap();
    assert_eq!(loc, "/wizard/email", "the user stays on the step");
    let request_id = posted.headers["x-request-id"].to_str().unwrap().to_string();
    let page = app.get(&loc).await;
    assert!(page.body.contains("We could not send the email just now"));
    assert!(page.body.contains("value=\"m@example.com\""), "typing kept");
    let reference = reference_in(&page.body);
    assert!(reference.len() >= 6, "{reference}");
    let line = log_line_with(&reference);
    assert!(
        line.contains("could not send the verification email"),
        "{line}"
    );
    let json: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(json["level"], "ERROR", "{line}");
    assert_eq!(json["reference"], reference.as_str(), "{line}");
    assert_eq!(
        json["request_id"],
        request_id.as_str(),
        "the fault's line carries the id of the request that met it: {line}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_codes WHERE status = 'active'")
            .await,
        0,
        "the unsent code is void"
    );
    assert_eq!(app.wizard_step().await.as_deref(), Some("email"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE outcome = 'fault: mail not sent'")
            .await,
        1
    );
    // No development mailbox once SMTP is configured.
    assert_eq!(app.get("/dev/mailbox").await.status, 404);
    app.cleanup().await;
}

/// PostgreSQL goes away in the middle of the wizard (connections refused and
/// cut): each request gets a plain sentence and a reference that is in the
/// log; when it is back, the wizard carries on from the same step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_gives_references_and_keeps_the_progress() {
    log();
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    let (admin, name) = app.pg_database().unwrap();
    app.submit(
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "12-3456789")],
    )
    .await;
    let (loc, _) = app
        .submit("/api/wizard/verify", &[("answer", "9024")])
        .await;
    assert_eq!(loc, "/wizard/email");

    sqlx::any::install_default_drivers();
    let mut admin_conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    for sql in [
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
        format!(
            "SELECT CAST(pg_terminate_backend(pid) AS TEXT) FROM pg_stat_activity WHERE datname = '{name}'"
        ),
    ] {
        sqlx::Executor::execute(&mut admin_conn, sql.as_str())
            .await
            .unwrap();
    }

    // The page, and a form sent during the outage.
    let page = app.get("/wizard/email").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("We cannot open your account set-up right now"),
        "{}",
        page.body
    );
    let r1 = reference_in(&page.body);
    assert!(log_line_with(&r1).contains("database error"));
    let sent = app
        .post(
            "/api/wizard/email",
            &[
                ("email", "m@example.com"),
                ("verify_email", "m@example.com"),
            ],
        )
        .await;
    let body = if let Some(loc) = &sent.location {
        app.get(loc).await.body
    } else {
        sent.body.clone()
    };
    assert!(
        body.contains("Something went wrong on our side") || body.contains("We cannot open"),
        "{body}"
    );
    let r2 = reference_in(&body);
    assert_ne!(r1, r2, "each fault has its own reference");
    assert!(log_line_with(&r2).contains("ERROR"));

    sqlx::Executor::execute(
        &mut admin_conn,
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true").as_str(),
    )
    .await
    .unwrap();
    // Back: the same step, the proofs given before the outage still count.
    // (The pool reconnects in its own time: up to a minute on a busy machine.)
    let mut page = app.get("/wizard/email").await;
    for _ in 0..240 {
        if page.body.contains("id=\"verify_email\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        page = app.get("/wizard/email").await;
    }
    assert!(
        page.body.contains("Email Address Verification"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"verify_email\""), "{}", page.body);
    let (loc, _) = app
        .submit(
            "/api/wizard/email",
            &[
                ("email", "m@example.com"),
                ("verify_email", "m@example.com"),
            ],
        )
        .await;
    assert_eq!(loc, "/wizard/code");
    app.cleanup().await;
}

/// `Accept-Language: es` gives Spanish pages, messages and mail; the switch's
/// cookie wins and keeps the place; English stays the default.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_errors_and_mail_follow_the_language() {
    let app = TestApp::spawn(Db::Sqlite).await.unwrap();
    let spanish = |path: &str| {
        app.client
            .get(format!("{}{path}", app.base))
            .header("accept-language", "es-MX,es;q=0.9,en;q=0.5")
    };
    let page = TestApp::read(spanish("/").send().await.unwrap()).await;
    assert!(
        page.body.contains("<html lang=\"es\""),
        "{}",
        &page.body[..300]
    );
    assert!(page.body.contains("Iniciar sesión"));
    assert!(page.body.contains("haga clic aquí para continuar"));
    assert!(!page.body.contains("click here to continue"));
    assert!(
        page.body.contains("hreflang=\"en\""),
        "the switch to English"
    );

    // English by default, and for languages we have no catalogue for.
    let page = app.get("/").await;
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(page.body.contains("click here to continue"));
    assert!(page.body.contains(">Español<"));

    // A message stored for the page is shown in the reader's language.
    let form = [("username", "mjones"), ("tin", "12")];
    let sent = app
        .client
        .post(format!("{}/api/wizard/lookup", app.base))
        .header("accept-language", "es")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let es = TestApp::read(spanish("/wizard/lookup").send().await.unwrap()).await;
    assert!(es.body.contains("Hay un problema"));
    assert!(es
        .body
        .contains("Escriba un número de identificación fiscal de 9 dígitos"));
    assert!(es.body.contains("value=\"12\""), "typing kept");
    let en = app.get("/wizard/lookup").await;
    assert!(en.body.contains("Enter a Tax ID Number of 9 digits"));

    // The switch: a cookie, back to the same page, only ever on this site.
    let r = app.get("/lang/es?next=/wizard/lookup").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup"));
    assert!(r.set_cookie.iter().any(|c| c.starts_with("lang=es;")));
    let page = app.get("/wizard/lookup").await;
    assert!(
        page.body.contains("Búsqueda de la cuenta"),
        "the cookie wins"
    );
    let r = app.get("/lang/es?next=//evil.example/").await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let r = app.get("/lang/xx?next=/help").await;
    assert!(!r.set_cookie.iter().any(|c| c.starts_with("lang=")));

    // The code mail, in the language of the page that asked for it.
    app.submit(
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "123456789")],
    )
    .await;
    let page = app.get("/wizard/verify").await;
    assert!(page.body.contains("¿Cómo se llamaba su primera mascota?"));
    app.submit("/api/wizard/verify", &[("answer", "rex")]).await;
    app.submit(
        "/api/wizard/email",
        &[
            ("email", "m@example.com"),
            ("verify_email", "m@example.com"),
        ],
    )
    .await;
    let mail = &app.state.mailer.dev_mail(1)[0];
    assert_eq!(
        mail.subject,
        "Su código de verificación del Portal de Proveedores"
    );
    assert!(
        mail.body.contains("Portal de Proveedores es "),
        "{}",
        mail.body
    );
    let page = app.get("/wizard/code").await;
    assert!(
        page.body.contains("Podrá pedir un código nuevo en"),
        "the countdown's texts"
    );
    app.cleanup().await;
}

/// Issue 28: a form that comes back with an error shows again everything
/// typed in it but secrets (passwords, answers, PINs, codes, registration
/// codes, full TINs). Each form is posted as a plain form (no JavaScript),
/// with one field wrong and the others right, and the page the 303 leads
/// to is read: each non-secret value is in its input again, and no secret
/// is anywhere on the page.
///
/// Covered elsewhere, not repeated here:
/// - Choose a New Password in the wizard (secrets only):
///   `wizard::an_old_password_below_the_rules_is_replaced_before_finish`.
/// - The console's reason-only forms (Unlock, Undo / Lift on Cases, End all
///   sessions and Issue a support code on Find, Revoke, Disable / Enable /
///   Reset TOTP): their only typed field is the reason, and the only error
///   that sends the form back is a reason left empty, so nothing typed is
///   lost (`console::*`, `console_codes::*`, `not_me::*`).
/// - "This wasn't me" (`/not-me`): nothing is typed (its token is a hidden
///   field, from the mail's link).
/// - Find an account, Stuck, Audit, Progress: the search is in the address
///   (a TIN only as its keyed hash, never the digits), shown again from it.
mod typed_again {
    use crate::common::{Page, TestApp};
    use provider_portal::domain::Role;

    /// The `value` of the input `id` on `body`; None if there is no such
    /// input, "" if it has no value.
    fn value_of(body: &str, id: &str) -> Option<String> {
        let wanted = format!(" id=\"{id}\"");
        let mut rest = body;
        while let Some(at) = rest.find("<input") {
            let tail = &rest[at..];
            let end = tail.find('>').unwrap_or(tail.len());
            let tag = &tail[..end];
            rest = &tail[end..];
            if !tag.contains(&wanted) {
                continue;
            }
            let value = tag
                .split(" value=\"")
                .nth(1)
                .map(|v| v[..v.find('"').unwrap_or(v.len())].to_string())
                .unwrap_or_default();
            return Some(
                value
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&"),
            );
        }
        None
    }

    /// `page` is `form` come back with an error: each of `kept` (input id,
    /// value typed) is in its input again; each of `secrets` (input id,
    /// value typed) is not, nor anywhere on the page.
    #[track_caller]
    fn shown_again(form: &str, page: &Page, kept: &[(&str, &str)], secrets: &[(&str, &str)]) {
        let body = &page.body;
        assert!(
            body.contains("aria-invalid=\"true\"") || body.contains("id=\"error-summary\""),
            "{form}: the page says what is wrong\n{body}"
        );
        for (id, typed) in kept {
            assert_eq!(
                value_of(body, id).as_deref(),
                Some(*typed),
                "{form}: what was typed in {id} is shown again"
            );
        }
        for (id, typed) in secrets {
            assert_eq!(
                value_of(body, id).unwrap_or_default(),
                "",
                "{form}: the secret typed in {id} is not shown again"
            );
            assert!(
                !body.contains(&format!("value=\"{typed}\"")),
                "{form}: {id}'s secret in no input"
            );
            if typed.len() >= 8 {
                assert!(!body.contains(typed), "{form}: {id}'s secret nowhere");
            }
        }
    }

    /// `code` with its first digit changed: well-formed, and wrong.
    fn other_code(code: &str) -> String {
        let first = if code.starts_with('9') { '0' } else { '9' };
        format!("{first}{}", &code[1..])
    }

    async fn the_wizards_forms_show_again_what_was_typed(app: &TestApp) {
        // Account Lookup: a TIN typed wrong is kept to be fixed; a valid
        // one never is (a full TIN is never kept).
        let (loc, page) = app
            .submit(
                "/api/wizard/lookup",
                &[("username", "mjones"), ("tin", "12-34")],
            )
            .await;
        assert_eq!(loc, "/wizard/lookup");
        shown_again(
            "Account Lookup",
            &page,
            &[("username", "mjones"), ("tin", "12-34")],
            &[],
        );
        let (_, page) = app
            .submit(
                "/api/wizard/lookup",
                &[("username", "m jones"), ("tin", "123456789")],
            )
            .await;
        shown_again(
            "Account Lookup",
            &page,
            &[("username", "m jones")],
            &[("tin", "123456789")],
        );
        let (loc, _) = app
            .submit(
                "/api/wizard/lookup",
                &[("username", "mjones"), ("tin", "123456789")],
            )
            .await;
        assert_eq!(loc, "/wizard/verify");
        // Account Verification: its one field is a secret.
        let (loc, page) = app
            .submit("/api/wizard/verify", &[("answer", "Wrong answer 77")])
            .await;
        assert_eq!(loc, "/wizard/verify");
        shown_again(
            "Account Verification",
            &page,
            &[],
            &[("answer", "Wrong answer 77")],
        );
        app.submit("/api/wizard/verify", &[("answer", "Rex")]).await;
        // Email Address Verification.
        let (loc, page) = app
            .submit(
                "/api/wizard/email",
                &[
                    ("email", "m@example.com"),
                    ("verify_email", "n@example.com"),
                ],
            )
            .await;
        assert_eq!(loc, "/wizard/email");
        shown_again(
            "Email Address Verification",
            &page,
            &[
                ("email", "m@example.com"),
                ("verify_email", "n@example.com"),
            ],
            &[],
        );
        let both = [
            ("email", "m@example.com"),
            ("verify_email", "m@example.com"),
        ];
        let (loc, _) = app.submit("/api/wizard/email", &both).await;
        assert_eq!(loc, "/wizard/code");
        // Security Code Verification: its one field is a secret.
        let code = app.latest_code("m@example.com").await;
        let wrong = other_code(&code);
        let (loc, page) = app.submit("/api/wizard/code", &[("code", &wrong)]).await;
        assert_eq!(loc, "/wizard/code");
        shown_again(
            "Security Code Verification",
            &page,
            &[],
            &[("code", &wrong)],
        );
        let (loc, page) = app.submit("/api/wizard/code", &[("code", &code)]).await;
        assert_eq!(loc, "/wizard/password");
        assert_eq!(
            value_of(&page.body, "username").as_deref(),
            Some(""),
            "the page starts empty: the username is typed there"
        );
        // Verify Username and Password: the username comes back, wrong
        // password, typing mistake or another account's name alike; the
        // password never does.
        for (username, password) in [
            ("mjones", "Jones#2018-not-this"),
            ("m jones", "Jones#2018-nor-this"),
            ("johnsmith@gmail.com", "Welcome#2019"),
        ] {
            let (loc, page) = app
                .submit(
                    "/api/wizard/password",
                    &[("username", username), ("password", password)],
                )
                .await;
            assert_eq!(loc, "/wizard/password", "{username}");
            shown_again(
                "Verify Username and Password",
                &page,
                &[("username", username)],
                &[("password", password)],
            );
        }
        let (loc, page) = app
            .submit(
                "/api/wizard/password",
                &[("username", "mjones"), ("password", "")],
            )
            .await;
        assert_eq!(loc, "/wizard/password");
        shown_again(
            "Verify Username and Password",
            &page,
            &[("username", "mjones")],
            &[],
        );
        // Kept for the page only: the username looked up, under which
        // Account Verification counts its tries, is still the one looked up.
        let (draft,): (String,) =
            sqlx::query_as("SELECT username_draft FROM flows WHERE kind = 'wizard'")
                .fetch_one(app.state.store.pool())
                .await
                .unwrap();
        assert_eq!(draft, "mjones");
        let (loc, _) = app
            .submit(
                "/api/wizard/password",
                &[("username", "mjones"), ("password", "Jones#2018")],
            )
            .await;
        assert_eq!(loc, "/wizard/accounts");
    }

    async fn the_recovery_forms_show_again_what_was_typed(app: &TestApp) {
        // Forgot Username.
        let (loc, page) = app
            .submit("/api/forgot_username", &[("email", "not-an-email")])
            .await;
        assert_eq!(loc, "/forgot-username");
        shown_again("Forgot Username", &page, &[("email", "not-an-email")], &[]);
        // Forgot Password, and its code page (an unknown username gets the
        // same pages).
        let (loc, page) = app
            .submit("/api/forgot_password", &[("username", "no body")])
            .await;
        assert_eq!(loc, "/forgot-password");
        shown_again("Forgot Password", &page, &[("username", "no body")], &[]);
        let (loc, _) = app
            .submit("/api/forgot_password", &[("username", "nobody-here")])
            .await;
        assert_eq!(loc, "/forgot-password/code");
        let (loc, page) = app.submit("/api/flow/code", &[("code", "493817")]).await;
        assert_eq!(loc, "/forgot-password/code");
        shown_again("Forgot Password's code", &page, &[], &[("code", "493817")]);
        // Register: the registration code is a secret, and so is a valid TIN.
        let (loc, page) = app
            .submit(
                "/api/register/start",
                &[("registration_code", "QXZW-RTYP"), ("tin", "45-6789012")],
            )
            .await;
        assert_eq!(loc, "/register");
        shown_again(
            "Register",
            &page,
            &[],
            &[("registration_code", "QXZW-RTYP"), ("tin", "45-6789012")],
        );
        let (_, page) = app
            .submit(
                "/api/register/start",
                &[("registration_code", "DEMO-REG1-2026"), ("tin", "45-67")],
            )
            .await;
        shown_again(
            "Register",
            &page,
            &[("tin", "45-67")],
            &[("registration_code", "DEMO-REG1-2026")],
        );
        let (loc, _) = app
            .submit(
                "/api/register/start",
                &[
                    ("registration_code", "DEMO-REG1-2026"),
                    ("tin", "45-6789012"),
                ],
            )
            .await;
        assert_eq!(loc, "/register/account");
        // Create Your Login.
        for (username, email, verify) in [
            ("new user", "r@riverside.example", "r@riverside.example"),
            ("mjones", "r@riverside.example", "r@riverside.example"),
            ("riverside", "r@riverside.example", "q@riverside.example"),
        ] {
            let (loc, page) = app
                .submit(
                    "/api/register/account",
                    &[
                        ("username", username),
                        ("email", email),
                        ("verify_email", verify),
                    ],
                )
                .await;
            assert_eq!(loc, "/register/account", "{username}");
            shown_again(
                "Create Your Login",
                &page,
                &[
                    ("username", username),
                    ("email", email),
                    ("verify_email", verify),
                ],
                &[],
            );
        }
        let account = [
            ("username", "riverside"),
            ("email", "r@riverside.example"),
            ("verify_email", "r@riverside.example"),
        ];
        let (loc, _) = app.submit("/api/register/account", &account).await;
        assert_eq!(loc, "/register/code");
        // Register's code page.
        let code = app.latest_code("r@riverside.example").await;
        let wrong = other_code(&code);
        let (loc, page) = app.submit("/api/flow/code", &[("code", &wrong)]).await;
        assert_eq!(loc, "/register/code");
        shown_again("Register's code", &page, &[], &[("code", &wrong)]);
        let (loc, _) = app.submit("/api/flow/code", &[("code", &code)]).await;
        assert_eq!(loc, "/register/password");
        // Choose a Password: secrets only.
        let (loc, page) = app
            .submit(
                "/api/register/password",
                &[
                    ("password", "Riverside desk lamp 1"),
                    ("confirm_password", "Riverside desk lamp 2"),
                ],
            )
            .await;
        assert_eq!(loc, "/register/password");
        shown_again(
            "Choose a Password",
            &page,
            &[],
            &[
                ("password", "Riverside desk lamp 1"),
                ("confirm_password", "Riverside desk lamp 2"),
            ],
        );
        let password = "Quiet harbour lanterns at dusk";
        let (loc, _) = app
            .submit(
                "/api/register/password",
                &[("password", password), ("confirm_password", password)],
            )
            .await;
        assert_eq!(loc, "/register/done");
        // My accounts: re-entering the password to add an old account.
        let signed_in = app.sign_in_from(&app.client, "riverside", password).await;
        assert_eq!(signed_in.location.as_deref(), Some("/accounts"));
        let (loc, page) = app
            .submit(
                "/api/add_old_account",
                &[("password", "Quiet harbour-wrong")],
            )
            .await;
        assert_eq!(loc, "/accounts?error=password");
        shown_again(
            "My accounts",
            &page,
            &[],
            &[("password", "Quiet harbour-wrong")],
        );
        // Choose a New Password (Forgot Password's): secrets only.
        app.walk_to_new_password("riverside", "r@riverside.example")
            .await;
        let (loc, page) = app
            .submit(
                "/api/forgot_password/new",
                &[
                    ("password", "password123"),
                    ("confirm_password", "password123"),
                ],
            )
            .await;
        assert_eq!(loc, "/forgot-password/new");
        shown_again(
            "Choose a New Password",
            &page,
            &[],
            &[
                ("password", "password123"),
                ("confirm_password", "password123"),
            ],
        );
    }

    async fn the_sign_in_pages_show_again_what_was_typed(app: &TestApp) {
        // The provider's sign-in page.
        let (loc, page) = app
            .submit(
                "/api/sign_in",
                &[("username", "mjones"), ("password", "Jones#2018")],
            )
            .await;
        assert_eq!(loc, "/");
        shown_again(
            "Sign in",
            &page,
            &[("username", "mjones")],
            &[("password", "Jones#2018")],
        );
        // The console's: password and code are secrets.
        let op = app.enrolled_operator("ana.ops", Role::Admin).await;
        let (ops, _) = app.new_browser();
        let res = app.ops_sign_in_with(&ops, &op, "000000").await;
        assert_eq!(res.location.as_deref(), Some("/ops/sign-in"));
        let page = app.get_with(&ops, "/ops/sign-in").await;
        shown_again(
            "Console sign-in",
            &page,
            &[("username", "ana.ops")],
            &[("password", &op.password), ("code", "000000")],
        );
        app.state.clock.advance(30);
        let res = app.ops_sign_in(&ops, &op).await;
        assert_eq!(res.location.as_deref(), Some("/ops"));
        // Issue a registration code: all but the TIN comes back.
        let res = app
            .post_with(
                &ops,
                "/ops/api/registration_code",
                &[
                    ("tin", "45-6789012"),
                    ("practice", "Hill Clinic"),
                    ("role", "Front desk"),
                    ("days", "999"),
                    ("reason", "ticket 12"),
                ],
            )
            .await;
        let page = app.get_with(&ops, &res.location.unwrap()).await;
        shown_again(
            "Issue a registration code",
            &page,
            &[
                ("practice", "Hill Clinic"),
                ("role", "Front desk"),
                ("days", "999"),
                ("code-reason", "ticket 12"),
            ],
            &[("tin", "45-6789012")],
        );
        // Add an operator.
        let res = app
            .post_with(
                &ops,
                "/ops/api/operator_add",
                &[
                    ("username", "ana.ops"),
                    ("role", "support"),
                    ("reason", "new hire"),
                ],
            )
            .await;
        let page = app.get_with(&ops, &res.location.unwrap()).await;
        shown_again(
            "Add an operator",
            &page,
            &[("username", "ana.ops"), ("add-reason", "new hire")],
            &[],
        );
        // Enrolment: the link's token is not typed; the rest are secrets.
        let token = app.add_operator("sam.ops", Role::Support).await;
        let (other, _) = app.new_browser();
        let res = app
            .post_with(
                &other,
                "/ops/api/enrol",
                &[
                    ("token", &token),
                    ("password", "sam.ops harbour lamp"),
                    ("confirm_password", "sam.ops harbour lamp"),
                    ("code", "000000"),
                ],
            )
            .await;
        let page = app.get_with(&other, &res.location.unwrap()).await;
        shown_again(
            "Operator enrolment",
            &page,
            &[],
            &[
                ("password", "sam.ops harbour lamp"),
                ("confirm_password", "sam.ops harbour lamp"),
                ("code", "000000"),
            ],
        );
    }

    on_both_databases!(
        the_wizards_forms_show_again_what_was_typed,
        the_recovery_forms_show_again_what_was_typed,
        the_sign_in_pages_show_again_what_was_typed,
    );
}
