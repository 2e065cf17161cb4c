//! Campaigns (issue 32): a link's token only fills in a username and
//! proves nothing (every proof is still asked for); tokens made up or
//! changed fill in nothing and unsubscribe nobody; a GET of an unsubscribe
//! link changes nothing (link checkers open links), only its POST does.

use super::*;
use provider_portal::campaign::service::{self as campaigns, Spec};

/// Two old accounts at two addresses, invited by a running campaign; the
/// invitation mails as the development mailbox holds them.
async fn invited(app: &TestApp) -> Vec<provider_portal::mail::DevMail> {
    let bcrypt4 = "$2b$04$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi";
    let csv = format!(
        "source,legacy_id,username,tins,practice,role,email,question,answer,pin,password_hash\n\
         mailed,M1,mailed-one,934567801,P1,R,one@mailed.example,Q1?,alpha,1111,{bcrypt4}\n\
         mailed,M2,mailed-two,934567802,P2,R,two@mailed.example,Q2?,beta,2222,{bcrypt4}\n"
    );
    app.import(
        provider_portal::import::FileFormat::Csv,
        csv.into_bytes(),
        false,
        "attacks",
    )
    .await;
    let store = &app.state.store;
    let spec = Spec {
        name: "attacks".into(),
        sources: vec!["mailed".into()],
        statuses: vec!["not_started".into()],
        langs: vec!["en".into()],
        per_hour: "3600".into(),
        reminders: String::new(),
        imported_before: String::new(),
    };
    let id = campaigns::create(store, &spec, None, app.state.clock.now())
        .await
        .unwrap()
        .unwrap();
    campaigns::start(store, id, app.state.clock.now())
        .await
        .unwrap();
    app.state.clock.advance(60);
    campaigns::tick(&app.state).await;
    provider_portal::flow::outbox::deliver_due(&app.state).await;
    let mut mail = Vec::new();
    for _ in 0..200 {
        mail = app
            .state
            .mailer
            .dev_mail(200)
            .into_iter()
            .filter(|m| m.unsubscribe.is_some())
            .collect();
        if mail.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(mail.len(), 2, "the two invitations");
    mail
}

fn token_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let at = text.find(marker).unwrap() + marker.len();
    &text[at..at + 64]
}

pub(crate) async fn campaign_links(db: Db) {
    let Some(app) = app(db).await else { return };
    let mail = invited(&app).await;
    let one = mail.iter().find(|m| m.to == "one@mailed.example").unwrap();
    let invite = token_after(&one.body, "invite=").to_string();
    let unsubscribe = one
        .unsubscribe
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let suppressed = "SELECT COUNT(*) FROM mail_suppressions";

    // Made up, changed, cut short, not hex, a path: nobody unsubscribed.
    let mut changed = unsubscribe.clone();
    changed.replace_range(0..1, if changed.starts_with('a') { "b" } else { "a" });
    for (what, token) in [
        ("made up", "ab".repeat(32)),
        ("changed by one letter", changed),
        ("cut short", unsubscribe[..63].to_string()),
        ("not hex", "zz".repeat(32)),
        ("a path", "..%2F..%2Fops".to_string()),
    ] {
        let r = app
            .client
            .post(format!("{}/unsubscribe/{token}", app.base))
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        stopped_if(
            &format!("a one-click unsubscribe with a token {what}"),
            r.status() != 200 && count(&app, suppressed).await == 0,
            r.status(),
        );
    }
    // A GET of the real link (a link checker's) changes nothing.
    let page = app.get(&format!("/unsubscribe/{unsubscribe}")).await;
    stopped_if(
        "a GET of an unsubscribe link unsubscribing",
        page.status == 200 && count(&app, suppressed).await == 0,
        page.status,
    );

    // A link fills in its own username only, and proves nothing.
    let b = Browser::new(&app);
    let page = b.get(&format!("/wizard/lookup?invite={invite}")).await;
    stopped_if(
        "a link filling in another account's username",
        page.body.contains("value=\"mailed-one\"") && !page.body.contains("mailed-two"),
        "username",
    );
    let mut other = invite.clone();
    other.replace_range(0..1, if other.starts_with('a') { "b" } else { "a" });
    let page = b.get(&format!("/wizard/lookup?invite={other}")).await;
    stopped_if(
        "a changed link filling in a username",
        !page.body.contains("mailed-one") && !page.body.contains("name=\"invite\""),
        "username",
    );
    // The link with a wrong TIN: a decoy as for anyone; with the right TIN,
    // a wrong answer is wrong.
    let (loc, _) = b
        .submit(
            "/api/wizard/lookup",
            &[
                ("username", "mailed-one"),
                ("tin", "111111111"),
                ("invite", &invite),
            ],
        )
        .await;
    let (_, page) = b.submit("/api/wizard/verify", &[("answer", "alpha")]).await;
    stopped_if(
        "a link passing Account Verification with a wrong TIN",
        loc == "/wizard/verify" && page.body.contains("does not match our records"),
        loc,
    );
    let b = Browser::new(&app);
    b.submit(
        "/api/wizard/lookup",
        &[
            ("username", "mailed-one"),
            ("tin", "934567801"),
            ("invite", &invite),
        ],
    )
    .await;
    let (loc, _) = b.submit("/api/wizard/verify", &[("answer", "wrong")]).await;
    stopped_if(
        "a link passing Account Verification without the answer",
        loc == "/wizard/verify",
        loc,
    );

    // The real one-click POST, from anywhere (a mail program), works.
    let r = app
        .client
        .post(format!("{}/unsubscribe/{unsubscribe}", app.base))
        .header("origin", "https://mail.example")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the real link unsubscribes");
    stopped_if(
        "one unsubscribe link unsubscribing another address",
        count(
            &app,
            "SELECT COUNT(*) FROM mail_suppressions WHERE address = 'one@mailed.example'",
        )
        .await
            == 1
            && count(&app, suppressed).await == 1,
        "suppressions",
    );

    // Nobody, a provider and an auditor run no campaign: refused, audited.
    let id = count(&app, "SELECT MAX(id) FROM campaigns")
        .await
        .to_string();
    let nobody = Browser::new(&app);
    let auditor = app
        .enrolled_operator("olga.ops", provider_portal::domain::Role::Auditor)
        .await;
    let a = Browser::new(&app);
    app.ops_sign_in(&a.client, &auditor).await;
    for (path, form) in [
        (
            "/ops/api/campaign_create",
            vec![
                ("name", "x"),
                ("source", ""),
                ("statuses", "all"),
                ("langs", "en"),
                ("per_hour", "9"),
                ("reminders", ""),
                ("reason", "x"),
            ],
        ),
        (
            "/ops/api/campaign_change",
            vec![
                ("campaign", id.as_str()),
                ("change", "stop"),
                ("reason", "x"),
            ],
        ),
        (
            "/ops/api/campaign_test",
            vec![
                ("campaign", id.as_str()),
                ("address", "evil@attacker.example"),
                ("reason", "x"),
            ],
        ),
    ] {
        let r = nobody.post(path, &form).await;
        stopped_if(
            &format!("{path} without a session"),
            r.location.as_deref() == Some("/ops/sign-in"),
            format!("{:?}", r.location),
        );
        let r = a.post(path, &form).await;
        stopped_if(
            &format!("{path} by an auditor"),
            r.location.as_deref() == Some("/ops?notice=not-allowed"),
            format!("{:?}", r.location),
        );
    }
    stopped_if(
        "a refused campaign action changing anything",
        count(&app, "SELECT COUNT(*) FROM campaigns").await == 1
            && count(
                &app,
                "SELECT COUNT(*) FROM campaigns WHERE state = 'stopped'",
            )
            .await
                == 0
            && count(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE recipient = 'evil@attacker.example'",
            )
            .await
                == 0,
        "campaigns",
    );
    app.cleanup().await;
}
