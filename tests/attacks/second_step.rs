//! The second step of sign-in, attacked: codes replayed and guessed in
//! parallel, a code of another login, the second step skipped (its page's
//! cookie taken for a session, Forgot Password as a way round), a change
//! made without step-up, and a reset by an operator who may not.

use super::*;
use common::second::{codes_on, has_session};
use provider_portal::domain::Role;

const PASSWORD: &str = "Lantern harbour quietly 42";

/// A browser that got past the password of `username`: at the second step.
async fn at_second_step<'a>(app: &'a TestApp, username: &str) -> Browser<'a> {
    let b = Browser::new(app);
    let r = app.sign_in_from(&b.client, username, PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/sign-in/second-step"));
    b
}

pub(crate) async fn second_step(db: Db) {
    let Some(app) = app(db).await else { return };
    let ana = Browser::new(&app);
    app.new_login(&ana.client, "second-ana", "ana@second.example", PASSWORD)
        .await;
    let enrolled = app.enrol_app(&ana.client, "Phone").await;
    let bob = Browser::new(&app);
    app.new_login(&bob.client, "second-bob", "bob@second.example", PASSWORD)
        .await;
    let bobs = app.enrol_app(&bob.client, "Phone").await;

    // The second step's cookie is no session.
    let b = at_second_step(&app, "second-ana").await;
    let r = b.get("/accounts").await;
    stopped_if(
        "My accounts before the second step",
        r.status != 200,
        r.status,
    );
    let r = b.post("/api/security/app_start", &[]).await;
    stopped_if(
        "setting up an app before the second step",
        r.location.as_deref() == Some("/")
            && count(
                &app,
                "SELECT COUNT(*) FROM second_steps WHERE confirmed_at IS NULL",
            )
            .await
                == 0,
        format!("{:?}", r.location),
    );
    // With no flow at all, the second step is out of order.
    let stranger = Browser::new(&app);
    let code = app.app_code(&enrolled.seed);
    let r = stranger
        .post("/api/sign_in/second_step", &[("code", &code)])
        .await;
    stopped_if(
        "a second step with no password before it",
        !has_session(&r)
            && r.location
                .as_deref()
                .is_some_and(|l| l.contains("out-of-order")),
        format!("{:?}", r.location),
    );
    // Another login's right code is wrong here; so are its backup codes.
    let bob_code = app.app_code(&bobs.seed);
    let r = b
        .post("/api/sign_in/second_step", &[("code", &bob_code)])
        .await;
    stopped_if(
        "another login's app code",
        !has_session(&r),
        format!("{:?}", r.location),
    );
    let r = b
        .post(
            "/api/sign_in/second_step",
            &[("code", &bobs.backup_codes[0])],
        )
        .await;
    stopped_if(
        "another login's backup code",
        !has_session(&r),
        format!("{:?}", r.location),
    );

    // Replay: a code that signed in once does not again.
    let r = b.post("/api/sign_in/second_step", &[("code", &code)]).await;
    assert!(has_session(&r), "{:?}", r.location);
    let again = at_second_step(&app, "second-ana").await;
    let r = again
        .post("/api/sign_in/second_step", &[("code", &code)])
        .await;
    stopped_if(
        "an app code replayed",
        !has_session(&r),
        format!("{:?}", r.location),
    );
    let r = again
        .post(
            "/api/sign_in/second_step",
            &[("code", &enrolled.backup_codes[0])],
        )
        .await;
    assert!(has_session(&r));
    let again = at_second_step(&app, "second-ana").await;
    let r = again
        .post(
            "/api/sign_in/second_step",
            &[("code", &enrolled.backup_codes[0])],
        )
        .await;
    stopped_if(
        "a backup code replayed",
        !has_session(&r),
        format!("{:?}", r.location),
    );
    app.state.clock.advance(30);

    // Step-up: no change without the password and a code.
    let id = count(&app, "SELECT MIN(id) FROM second_steps")
        .await
        .to_string();
    let fresh = app.app_code(&enrolled.seed);
    for (what, form) in [
        (
            "removing a method without the password",
            vec![
                ("method", id.as_str()),
                ("password", ""),
                ("code", fresh.as_str()),
            ],
        ),
        (
            "removing a method with a wrong password",
            vec![
                ("method", id.as_str()),
                ("password", "not it"),
                ("code", fresh.as_str()),
            ],
        ),
        (
            "removing a method without a code",
            vec![("method", id.as_str()), ("password", PASSWORD)],
        ),
        (
            "removing another login's method",
            vec![
                ("method", "999999"),
                ("password", PASSWORD),
                ("code", fresh.as_str()),
            ],
        ),
        (
            "new backup codes without a code",
            vec![("password", PASSWORD), ("code", "")],
        ),
    ] {
        let path = if what.starts_with("new") {
            "/api/security/backup_codes"
        } else {
            "/api/security/remove"
        };
        let sessions = "SELECT COUNT(*) FROM user_sessions";
        let (before, sessions_before) =
            (app.snapshot(BOOKKEEPING).await, count(&app, sessions).await);
        let r = ana.post(path, &form).await;
        let after = app.snapshot(BOOKKEEPING).await;
        // (a session's last-seen time moves with every request)
        let unchanged = ["second_steps", "backup_codes", "outbox"]
            .iter()
            .all(|t| before.get(*t) == after.get(*t))
            && count(&app, sessions).await == sessions_before;
        stopped_if(
            what,
            unchanged && r.status == 303,
            format!("{} {:?}", r.status, r.location),
        );
        app.state.clock.advance(30);
    }
    let bobs_id = count(&app, "SELECT MAX(id) FROM second_steps")
        .await
        .to_string();
    let code = app.app_code(&enrolled.seed);
    let r = ana
        .post(
            "/api/security/remove",
            &[
                ("method", &bobs_id),
                ("password", PASSWORD),
                ("code", &code),
            ],
        )
        .await;
    stopped_if(
        "removing another login's method with one's own proofs",
        count(&app, "SELECT COUNT(*) FROM second_steps").await == 2,
        format!("{:?}", r.location),
    );
    let r = ana
        .post(
            "/api/security/rename",
            &[("method", &bobs_id), ("name", "pwned")],
        )
        .await;
    stopped_if(
        "renaming another login's method",
        count(
            &app,
            "SELECT COUNT(*) FROM second_steps WHERE name = 'pwned'",
        )
        .await
            == 0,
        format!("{:?}", r.location),
    );
    // The backup codes page shows codes only to the login they were made for.
    let shown = ana.get("/security/backup-codes").await;
    stopped_if(
        "backup codes shown twice",
        codes_on(&shown.body).is_empty(),
        "codes on the page",
    );

    // Forgot Password is no way round the second step.
    app.walk_to_new_password("second-ana", "ana@second.example")
        .await;
    let (loc, _) = app
        .submit(
            "/api/forgot_password/new",
            &[("password", PASSWORD), ("confirm_password", PASSWORD)],
        )
        .await;
    assert!(loc.contains("password-changed"), "{loc}");
    let r = app.sign_in("second-ana", PASSWORD).await;
    stopped_if(
        "Forgot Password as a way round the second step",
        r.location.as_deref() == Some("/sign-in/second-step") && !has_session(&r),
        format!("{:?}", r.location),
    );

    // Forty guesses at once from twenty browsers past the password: at
    // most five are checked, and then the right code is refused too.
    app.state.clock.advance(30);
    let mut posts = Vec::new();
    for i in 0..20 {
        let g = at_second_step(&app, "second-ana").await;
        for j in 0..2 {
            posts.push((
                g.client.clone(),
                vec![("code", format!("{:06}", 100_000 + i * 2 + j))],
            ));
        }
    }
    let right = app.app_code(&enrolled.seed);
    let already = audits(&app, "sign_in/second_step", "wrong").await;
    no_server_errors(all_at_once(&app, "/api/sign_in/second_step", posts)).await;
    // A guess that happened to be right would sign in: count only wrong ones.
    let checked = audits(&app, "sign_in/second_step", "wrong").await - already;
    stopped_if(
        "40 parallel guesses at the second step",
        checked <= 5,
        format!("{checked} checked"),
    );
    let late = at_second_step(&app, "second-ana").await;
    let r = late
        .post("/api/sign_in/second_step", &[("code", &right)])
        .await;
    stopped_if(
        "the right code while the second step is locked",
        !has_session(&r),
        format!("{:?}", r.location),
    );
    app.state.clock.advance(16 * 60);
    let code = app.app_code(&enrolled.seed);
    let late = at_second_step(&app, "second-ana").await;
    let r = late
        .post("/api/sign_in/second_step", &[("code", &code)])
        .await;
    assert!(
        has_session(&r),
        "the lock ends after 15 minutes: {:?}",
        r.location
    );

    // A remembered browser of one login is no remembered browser of another.
    let remembered = at_second_step(&app, "second-bob").await;
    app.state.clock.advance(30);
    let code = app.app_code(&bobs.seed);
    let r = remembered
        .post(
            "/api/sign_in/second_step",
            &[("code", &code), ("remember", "1")],
        )
        .await;
    assert!(has_session(&r), "{:?}", r.location);
    let r = app
        .sign_in_from(&remembered.client, "second-ana", PASSWORD)
        .await;
    stopped_if(
        "another login's remembered-browser cookie",
        r.location.as_deref() == Some("/sign-in/second-step") && !has_session(&r),
        format!("{:?}", r.location),
    );
    // A made-up token is nobody's.
    let forged = Browser::new(&app);
    forged.jar.add_cookie_str(
        &format!("pp_remember={}; Path=/", "ab".repeat(32)),
        &app.base.parse().unwrap(),
    );
    let r = app
        .sign_in_from(&forged.client, "second-bob", PASSWORD)
        .await;
    stopped_if(
        "a made-up remembered-browser cookie",
        r.location.as_deref() == Some("/sign-in/second-step"),
        format!("{:?}", r.location),
    );

    // An auditor may not reset a second step; support may.
    let login = count(
        &app,
        "SELECT id FROM portal_users WHERE username = 'second-bob'",
    )
    .await
    .to_string();
    let auditor = app.enrolled_operator("aud-second", Role::Auditor).await;
    let (ops, _) = app.new_browser();
    app.ops_sign_in(&ops, &auditor).await;
    let r = app
        .post_with(
            &ops,
            "/ops/api/reset_second_step",
            &[("login", &login), ("reason", "asked nicely")],
        )
        .await;
    stopped_if(
        "an auditor resetting a second step",
        count(
            &app,
            &format!("SELECT COUNT(*) FROM second_steps WHERE portal_user_id = {login}"),
        )
        .await
            == 1,
        format!("{:?}", r.location),
    );
    let r = bob
        .post(
            "/ops/api/reset_second_step",
            &[("login", &login), ("reason", "me")],
        )
        .await;
    stopped_if(
        "a provider resetting its own second step on the console",
        count(
            &app,
            &format!("SELECT COUNT(*) FROM second_steps WHERE portal_user_id = {login}"),
        )
        .await
            == 1,
        format!("{:?}", r.location),
    );
    app.cleanup().await;
}
