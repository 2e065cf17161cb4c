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
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "warn,provider_portal=info",
            ))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
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
    let (loc, page) = app
        .submit(
            "/api/wizard/email",
            &[
                ("email", "m@example.com"),
                ("verify_email", "m@example.com"),
            ],
        )
        .await;
    assert_eq!(loc, "/wizard/email", "the user stays on the step");
    assert!(page.body.contains("We could not send the email just now"));
    assert!(page.body.contains("value=\"m@example.com\""), "typing kept");
    let reference = reference_in(&page.body);
    assert!(reference.len() >= 6, "{reference}");
    let line = log_line_with(&reference);
    assert!(
        line.contains("could not send the verification email"),
        "{line}"
    );
    assert!(line.contains("ERROR"), "{line}");
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
    let mut page = app.get("/wizard/email").await;
    for _ in 0..20 {
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
