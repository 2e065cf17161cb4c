//! The development mailbox. (A refused mail server: pages.rs.)

use crate::common::{Db, TestApp};

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
    assert!(page.body.contains("o&#x27;brien@example.com"));
    assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");
    app.cleanup().await;
}
