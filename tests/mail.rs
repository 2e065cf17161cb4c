//! Mail faults and the development mailbox.

mod common;
use common::{Db, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_smtp_gets_a_plain_sentence_and_keeps_the_step() {
    // Nothing listens on port 9 of this machine: the connection is refused.
    let app = TestApp::spawn_with(Db::Sqlite, |env| {
        env.insert("SMTP_URL".into(), "smtp://127.0.0.1:9".into());
    })
    .await
    .unwrap();
    app.submit(
        "/api/wizard/lookup",
        &[("username", "johnsmith@gmail.com"), ("tin", "836576879")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    let (loc, page) = app
        .submit(
            "/api/wizard/email",
            &[
                ("email", "x@example.com"),
                ("verify_email", "x@example.com"),
            ],
        )
        .await;
    assert_eq!(loc, "/wizard/email");
    assert!(
        page.body.contains("We could not send the email just now"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"x@example.com\""),
        "the address is kept"
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_mailbox_shows_the_code_escaped() {
    let app = TestApp::spawn(Db::Sqlite).await.unwrap();
    let empty = app.get("/dev/mailbox").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("No mail yet."));
    app.submit(
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "123456789")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "rex")]).await;
    app.submit(
        "/api/wizard/email",
        &[
            ("email", "o'brien@example.com"),
            ("verify_email", "o'brien@example.com"),
        ],
    )
    .await;
    let code = app.latest_code("o'brien@example.com").await;
    let page = app.get("/dev/mailbox").await;
    assert!(page.body.contains(&code));
    assert!(page.body.contains("o&#39;brien@example.com"));
    assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");
    app.cleanup().await;
}
