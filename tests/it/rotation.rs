//! Replacing `APP_SECRET` (docs/deploy.md): with the new secret in
//! `APP_SECRET` and the old in `APP_SECRET_PREVIOUS`, everything made under
//! the old one still works (sessions, a wizard under way with its code,
//! authenticator apps, operators' seeds, mail waiting in the outbox, a
//! shown-once cookie, the TINs); `rotate-secret`'s work seals again what
//! can be; once the old secret is dropped, all that still works but a
//! cookie sealed under the old secret alone, and a TIN nobody typed since
//! is found again once the import runs again.

use crate::common::second::{codes_on, key_on};
use crate::common::{Db, TestApp};
use provider_portal::domain::Role;
use provider_portal::flow::rotation::reseal_column;
use provider_portal::store::SealedColumn;

const OLD: &str = "old-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const NEW: &str = "new-secret-9876543210-zyxwvutsrqponmlkjihgfedcba";
const PASSWORD: &str = "Rotation#2026pass";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_rotated_secret_keeps_everything_and_retires_the_old_one() {
    rotated(Db::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_rotated_secret_keeps_everything_and_retires_the_old_one() {
    rotated(Db::Postgres).await
}

/// Account Lookup and Account Verification for `username` in a new
/// browser; where the answer leads (the TIN found: past Verification).
async fn looked_up(app: &TestApp, username: &str, tin: &str, answer: &str) -> String {
    let (b, _) = app.new_browser();
    let (loc, _) = app
        .submit_with(
            &b,
            "/api/wizard/lookup",
            &[("username", username), ("tin", tin)],
        )
        .await;
    assert_eq!(loc, "/wizard/verify");
    let r = app
        .post_with(&b, "/api/wizard/verify", &[("answer", answer)])
        .await;
    r.location.unwrap_or_default()
}

/// GET `path` on `app` with exactly this Cookie header.
async fn get_with_cookies(app: &TestApp, path: &str, cookies: &str) -> String {
    reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .header("cookie", cookies)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn rotated(db: Db) {
    let Some(a) = TestApp::spawn_quiet(db, |env| {
        env.insert("APP_SECRET".into(), OLD.into());
    })
    .await
    else {
        return;
    };

    // Under the old secret: a consolidation (its mails wait in the outbox:
    // no worker runs here), a login with an app, an operator, a wizard
    // waiting for its code, and new backup codes on their way to be shown.
    a.walk_to_password("rotation@example.com").await;
    let form = [
        ("username", "johnsmith@gmail.com"),
        ("password", "Welcome#2019"),
    ];
    a.submit("/api/wizard/password", &form).await;
    let (loc, _) = a.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    let waiting = a
        .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        .await;
    assert!(waiting > 0, "mail waits in the outbox");

    let (alice, alice_jar) = a.new_browser();
    a.new_login(&alice, "rot-alice", "alice@example.com", PASSWORD)
        .await;
    let (loc, page) = a.submit_with(&alice, "/api/security/app_start", &[]).await;
    assert_eq!(loc, "/security/app");
    let seed = key_on(&page.body);
    let code = a.app_code(&seed);
    let confirmed = a
        .post_with(
            &alice,
            "/api/security/app_confirm",
            &[("name", "Phone"), ("code", &code)],
        )
        .await;
    assert_eq!(
        confirmed.location.as_deref(),
        Some("/security/backup-codes")
    );
    // The session and the shown-once cookie (sealed under the old secret),
    // as the browser would send them to the page that shows the codes.
    let codes_url: reqwest::Url = format!("{}/security/backup-codes", a.base).parse().unwrap();
    let cookies = reqwest::cookie::CookieStore::cookies(&*alice_jar, &codes_url)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookies.contains("shown"), "{cookies}");

    let op = a.enrolled_operator("rot.ops", Role::Admin).await;

    let (w, _) = a.new_browser();
    let form = [("username", "mjones"), ("tin", "123456789")];
    a.submit_with(&w, "/api/wizard/lookup", &form).await;
    a.submit_with(&w, "/api/wizard/verify", &[("answer", "Rex")])
        .await;
    let email = "mjones.rotation@example.com";
    let form = [("email", email), ("verify_email", email)];
    let (loc, _) = a.submit_with(&w, "/api/wizard/email", &form).await;
    assert_eq!(loc, "/wizard/code");
    let wizard_code = a.latest_code(email).await;

    // The switch: the new secret, the old one still read.
    let b = a
        .spawn_sharing(|env| {
            env.insert("APP_SECRET".into(), NEW.into());
            env.insert("APP_SECRET_PREVIOUS".into(), OLD.into());
        })
        .await;
    b.state.clock.advance(120);
    let r = b
        .post_with(&w, "/api/wizard/code", &[("code", &wizard_code)])
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/wizard/password"),
        "the wizard under way goes on with its code"
    );
    let shown = get_with_cookies(&b, "/security/backup-codes", &cookies).await;
    assert_eq!(codes_on(&shown).len(), 10, "the shown-once cookie opens");
    let page = b.get_with(&alice, "/security").await;
    assert!(page.body.contains("Phone"), "the session goes on");
    let (fresh, _) = b.new_browser();
    let r = b
        .sign_in_two_step(&fresh, "rot-alice", PASSWORD, &b.app_code(&seed))
        .await;
    assert!(
        crate::common::second::has_session(&r),
        "the app's seed opens"
    );
    let (ops, _) = b.new_browser();
    let r = b.ops_sign_in(&ops, &op).await;
    assert_eq!(r.location.as_deref(), Some("/ops"), "{}", r.body);
    // A TIN typed now is found, and keyed again under the new secret.
    assert_eq!(
        looked_up(&b, "kpatel", "731234567", "Elm").await,
        "/wizard/email"
    );

    // rotate-secret's work: everything sealed is sealed again, once.
    let mut resealed = Vec::new();
    for column in SealedColumn::ALL {
        let t = reseal_column(&b.state.store, &b.state.key, column)
            .await
            .unwrap();
        assert_eq!(t.unreadable, 0, "{column:?}");
        resealed.push(t.resealed);
    }
    assert!(resealed.iter().all(|n| *n > 0), "{resealed:?}");
    for column in SealedColumn::ALL {
        let t = reseal_column(&b.state.store, &b.state.key, column)
            .await
            .unwrap();
        assert_eq!(t.resealed, 0, "a second run finds nothing to do");
        assert!(t.current > 0);
    }

    // The old secret dropped.
    let c = a
        .spawn_sharing(|env| {
            env.insert("APP_SECRET".into(), NEW.into());
        })
        .await;
    c.state.clock.advance(240);
    let page = c.get_with(&alice, "/security").await;
    assert!(page.body.contains("Phone"), "sessions need no secret");
    let (fresh, _) = c.new_browser();
    let r = c
        .sign_in_two_step(&fresh, "rot-alice", PASSWORD, &c.app_code(&seed))
        .await;
    assert!(
        crate::common::second::has_session(&r),
        "the app's seed was sealed again"
    );
    let (ops, _) = c.new_browser();
    let r = c.ops_sign_in(&ops, &op).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/ops"),
        "the operator's seed was sealed again"
    );
    // The consolidation's mail, sealed under the old secret, and what the
    // steps since wrote.
    let now_waiting = c
        .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        .await;
    assert!(now_waiting >= waiting);
    let sent = provider_portal::flow::outbox::deliver_due(&c.state).await;
    assert_eq!(
        sent as i64, now_waiting,
        "every mail waiting opens and goes"
    );
    assert_eq!(
        c.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")
            .await,
        0
    );
    let shown = get_with_cookies(&c, "/security/backup-codes", &cookies).await;
    assert_eq!(
        codes_on(&shown).len(),
        0,
        "a cookie sealed under the dropped secret alone is refused"
    );
    assert_eq!(
        looked_up(&c, "kpatel", "731234567", "Elm").await,
        "/wizard/email",
        "the TIN typed during the rotation was keyed again"
    );
    // A TIN nobody typed since is keyed under the old secret alone: it is
    // not found until the import of the old portals' file runs again.
    assert_ne!(
        looked_up(&c, "jsmith-billing", "061234567", "Hartford").await,
        "/wizard/email"
    );
    let (summary, _) = c
        .import(
            provider_portal::import::FileFormat::Csv,
            provider_portal::demo::DEMO_ACCOUNTS_CSV.as_bytes().to_vec(),
            false,
            "rotation test",
        )
        .await;
    assert!(summary.updated > 0, "{summary:?}");
    assert_eq!(
        looked_up(&c, "jsmith-billing", "061234567", "Hartford").await,
        "/wizard/email",
        "the import keyed it again"
    );
    // `check` says whether a secret opens what the database holds sealed.
    let url = a.database_url.clone();
    let check_with = |secret: &'static str| {
        let url = url.clone();
        provider_portal::ops::check(move |k| match k {
            "DATABASE_URL" => Some(url.clone()),
            "APP_SECRET" => Some(secret.to_string()),
            _ => None,
        })
    };
    let said: Vec<String> = check_with(NEW)
        .await
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert!(
        said.iter()
            .any(|f| f.starts_with("ok") && f.contains("APP_SECRET opens the")),
        "{said:?}"
    );
    let said: Vec<String> = check_with(OLD)
        .await
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert!(
        said.iter()
            .any(|f| f.starts_with("PROBLEM") && f.contains("opens none")),
        "the retired secret alone opens nothing: {said:?}"
    );
    a.cleanup().await;
}
