//! A mail server that accepts the connection and never answers: no request
//! waits on it beyond the mail timeout, and none waits on mail at all once
//! its step has committed.

use super::*;
use crate::common::process::silent_server;

/// A request to `other` (an instance on the same database) in the wizard
/// whose token is `token`.
async fn as_wizard(other: &TestApp, token: &str, method: &str, path: &str) -> Page {
    let url = format!("{}{path}", other.base);
    let req = match method {
        "POST" => other
            .client
            .post(url)
            .header("origin", &other.base)
            .form(&[] as &[(&str, &str)]),
        _ => other.client.get(url),
    };
    TestApp::read(
        req.header("cookie", format!("pp_wizard={token}"))
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub(crate) async fn mail_server_that_never_answers(db: Db) {
    let port = silent_server().await;
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
        env.insert("MAIL_TIMEOUT_SECS".into(), "2".into());
    })
    .await
    else {
        return;
    };
    let b = Browser::new(&app);
    b.to_step("email", MJONES, "123456789", "Rex", "").await;
    let form = [
        ("email", "m@example.com"),
        ("verify_email", "m@example.com"),
    ];
    let sent =
        tokio::time::timeout(Duration::from_secs(30), b.post("/api/wizard/email", &form)).await;
    stopped_if(
        "a silent mail server holds Email Address Verification",
        matches!(&sent, Ok(r) if r.location.as_deref() == Some("/wizard/email")),
        format!("{:?}", sent.as_ref().map(|r| r.location.clone())),
    );
    let page = b.get("/wizard/email").await;
    stopped_if(
        "a silent mail server's timeout loses the typing or says nothing",
        page.body.contains("We could not send the email just now")
            && page.body.contains("value=\"m@example.com\""),
        stable(&page.body),
    );
    app.cleanup().await;

    // Finish does not wait for its confirmation mail: a wizard brought to
    // the review page on an instance with a working mailbox is finished
    // through one whose mail server never answers (and may take a minute).
    let Some(app) = super::support::app(db).await else {
        return;
    };
    let b = Browser::new(&app);
    b.john_to("accounts", "finish@example.com").await;
    let token = b.wizard_token().unwrap();
    let silent = app
        .spawn_sharing(|env| {
            env.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
            env.insert("MAIL_TIMEOUT_SECS".into(), "60".into());
        })
        .await;
    let finish = silent
        .client
        .post(format!("{}/api/wizard/finish", silent.base))
        .header("origin", &silent.base)
        .header("cookie", format!("pp_wizard={token}"))
        .form(&[] as &[(&str, &str)])
        .send();
    let r = tokio::time::timeout(Duration::from_secs(15), finish).await;
    let done = match r {
        Ok(Ok(res)) => TestApp::read(res).await.location,
        _ => None,
    };
    stopped_if(
        "Finish waits on the mail server after its merge committed",
        done.as_deref() == Some("/wizard/done")
            && count(&app, "SELECT COUNT(*) FROM portal_users").await == 1,
        format!("{done:?}"),
    );
    silent.cleanup().await;
    app.cleanup().await;

    // A refused send neither starts the cooldown nor voids the code the
    // provider already has: the wizard's code was mailed by an instance
    // with a working mailbox; Request New Code a minute later goes through
    // one whose mail server refuses.
    let Some(app) = super::support::app(db).await else {
        return;
    };
    let b = Browser::new(&app);
    b.to_step("code", MJONES, "123456789", "Rex", "m@example.com")
        .await;
    let first_code = app.latest_code("m@example.com").await;
    let token = b.wizard_token().unwrap();
    let refused = app
        .spawn_sharing(|env| {
            env.insert("SMTP_URL".into(), "smtp://127.0.0.1:9".into());
        })
        .await;
    app.state.clock.advance(61);
    refused.state.clock.advance(61);
    let r = as_wizard(&refused, &token, "POST", "/api/wizard/resend").await;
    assert_eq!(r.location.as_deref(), Some("/wizard/code"));
    let page = as_wizard(&refused, &token, "GET", "/wizard/code").await;
    stopped_if(
        "a refused send starts the resend cooldown",
        page.body.contains("We could not send the email just now")
            && common::countdown_of(&page.body) == Some(0),
        format!("{:?}", common::countdown_of(&page.body)),
    );
    let (loc, _) = b.submit("/api/wizard/code", &[("code", &first_code)]).await;
    stopped_if(
        "a refused send voids the code already mailed",
        loc == "/wizard/password",
        loc,
    );
    refused.cleanup().await;
    app.cleanup().await;
}
