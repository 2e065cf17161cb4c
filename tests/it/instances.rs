//! Several instances of the app on one database, as behind a load balancer
//! (issue 18): a provider's requests land on either instance; a wizard
//! goes on wherever its next request lands, two Finishes for one old
//! account give one consolidation, a freeze on one instance ends the
//! sessions the other serves, and each mail (a real SMTP server, maildev)
//! arrives once while both instances' workers run.

use crate::common::maildev::{Maildev, Received};
use crate::common::{code_in, eventually, Db, TestApp};
use std::collections::{HashMap, HashSet};

const JOHN: &str = "johnsmith@gmail.com";
const PASSWORD: &str = "Welcome#2019";
/// Every instance is given the same secret (the README says so).
const SECRET: &str = "one-secret-shared-by-every-instance-0123456789abcdef";

fn settings(smtp: String) -> impl FnOnce(&mut HashMap<String, String>) + Clone {
    move |env| {
        env.insert("SMTP_URL".into(), smtp);
        env.insert("APP_SECRET".into(), SECRET.into());
        // Generous: maildev on a loaded machine may answer late, and a send
        // given up after it took the mail would send the mail twice.
        env.insert("MAIL_TIMEOUT_SECS".into(), "30".into());
    }
}

/// The code of the mail to `to` once more than `before` mails are in.
async fn code_to(maildev: &Maildev, to: &str, before: usize) -> String {
    let got = maildev.wait_for(before + 1).await;
    code_in(
        &got.iter()
            .find(|m| m.to == to && m.text.contains("code is "))
            .unwrap_or_else(|| panic!("a code mailed to {to}: {got:?}"))
            .text,
    )
}

/// The token of the not-me link in `mail`.
fn token_in(mail: &Received) -> String {
    let at = mail.text.find("/not-me?token=").expect("a not-me link") + "/not-me?token=".len();
    mail.text[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// Posts `form` to `path` from `browser` on instance `app`: where it went.
async fn step(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> String {
    app.submit_with(browser, path, form).await.0
}

async fn two_instances_serve_one_provider(db: Db) {
    let maildev = Maildev::start().await;
    let set = settings(maildev.smtp_url());
    let Some(one) = TestApp::spawn_with(db, set.clone()).await else {
        return;
    };
    let two = one.spawn_sharing(set).await;
    let john = [("username", JOHN), ("tin", "83-6576879")];
    let password = [("username", JOHN), ("password", PASSWORD)];

    // A wizard begun on the first instance goes on on the second, and back:
    // the browser's cookie is all it carries (cookies do not depend on the
    // port, so one jar serves both, as one host name behind a balancer).
    let (first, _) = one.new_browser();
    assert_eq!(
        step(&one, &first, "/api/wizard/lookup", &john).await,
        "/wizard/verify"
    );
    assert_eq!(
        step(&two, &first, "/api/wizard/verify", &[("answer", "smith")]).await,
        "/wizard/email"
    );
    let before = maildev.received().await.len();
    let email = [
        ("email", "first@example.com"),
        ("verify_email", "first@example.com"),
    ];
    assert_eq!(
        step(&one, &first, "/api/wizard/email", &email).await,
        "/wizard/code"
    );
    let code = code_to(&maildev, "first@example.com", before).await;
    assert_eq!(
        step(&two, &first, "/api/wizard/code", &[("code", &code)]).await,
        "/wizard/password"
    );
    assert_eq!(
        step(&one, &first, "/api/wizard/password", &password).await,
        "/wizard/accounts"
    );
    let page = two.get_with(&first, "/wizard/accounts").await;
    assert!(
        page.body.contains(JOHN),
        "the second instance shows the wizard's accounts"
    );

    // A second wizard for the same old account, all on the second instance.
    let (second, _) = two.new_browser();
    assert_eq!(
        step(&two, &second, "/api/wizard/lookup", &john).await,
        "/wizard/verify"
    );
    step(&two, &second, "/api/wizard/verify", &[("answer", "smith")]).await;
    let before = maildev.received().await.len();
    let email = [
        ("email", "second@example.com"),
        ("verify_email", "second@example.com"),
    ];
    assert_eq!(
        step(&two, &second, "/api/wizard/email", &email).await,
        "/wizard/code"
    );
    let code = code_to(&maildev, "second@example.com", before).await;
    step(&two, &second, "/api/wizard/code", &[("code", &code)]).await;
    assert_eq!(
        step(&two, &second, "/api/wizard/password", &password).await,
        "/wizard/accounts"
    );

    // Finish in both at once, one on each instance: one consolidation.
    let (a, b) = tokio::join!(
        one.post_with(&first, "/api/wizard/finish", &[]),
        two.post_with(&second, "/api/wizard/finish", &[])
    );
    let mut places = [a.location.clone(), b.location.clone()];
    places.sort();
    assert_eq!(
        places,
        [
            Some("/wizard/done".to_string()),
            Some("/wizard/lookup".to_string())
        ],
        "one Finish wins, the other is told the account moved"
    );
    assert_eq!(one.count("SELECT COUNT(*) FROM portal_users").await, 1);
    assert_eq!(one.count("SELECT COUNT(*) FROM portal_links").await, 1);
    assert_eq!(
        one.count("SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL")
            .await,
        1
    );
    let winner = if a.location.as_deref() == Some("/wizard/done") {
        "first@example.com"
    } else {
        "second@example.com"
    };

    // Signed in on the second instance; the not-me link confirmed on the
    // first ends that session.
    let (signed_in, _) = two.new_browser();
    let r = two.sign_in_from(&signed_in, JOHN, PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    let page = two.get_with(&signed_in, "/accounts").await;
    assert!(
        page.location.is_none() && page.body.contains("***-**-6879"),
        "signed in: {}",
        page.body
    );
    let confirmation = eventually("the confirmation is mailed", async || {
        let got = maildev.received().await;
        match got
            .iter()
            .find(|m| m.to == winner && m.subject.contains("under one login"))
        {
            Some(m) => Ok(m.clone()),
            None => Err(got),
        }
    })
    .await;
    let token = token_in(&confirmation);
    assert_eq!(token.len(), 64);
    let (reporter, _) = one.new_browser();
    let done = step(&one, &reporter, "/api/not_me", &[("token", &token)]).await;
    assert!(done.starts_with("/not-me/done?ref="), "{done}");
    let page = two.get_with(&signed_in, "/accounts").await;
    assert!(
        page.location.is_some() && !page.body.contains("***-**-6879"),
        "the second instance no longer serves the session: {} {:?}",
        page.status,
        page.location
    );
    let r = two.sign_in_from(&signed_in, JOHN, PASSWORD).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/"),
        "sign-in is refused there too"
    );

    // Every mail (codes, the confirmation, the notices, the freeze's) is
    // delivered by one instance or the other, once each.
    one.outbox_settled().await;
    let written = one.count("SELECT COUNT(*) FROM outbox").await as usize;
    assert_eq!(
        one.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")
            .await,
        0
    );
    let got = maildev.wait_for(written).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let got_late = maildev.received().await;
    let ids: HashSet<&str> = got_late.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(got.len(), written, "as many mails arrived as were written");
    assert_eq!(got_late.len(), written, "and none twice");
    assert_eq!(ids.len(), written, "each Message-ID once");
    assert!(
        got_late
            .iter()
            .any(|m| m.to == winner && m.subject.contains("was frozen")),
        "the freeze is mailed: {got_late:?}"
    );
    two.cleanup().await;
    one.cleanup().await;
}

with_each_database!(two_instances_serve_one_provider);
