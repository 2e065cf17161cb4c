//! Two-step sign-in, driven over HTTP against the real server on SQLite
//! and PostgreSQL: an authenticator app and backup codes set up on the
//! pages, sign-in with each, a code used once, step-up before a change,
//! Forgot Password and Register asking for the second step all the same,
//! support's reset, and TWO_STEP=required.

use crate::common::second::{codes_on, has_session};
use crate::common::{Db, TestApp};
use provider_portal::domain::Role;

on_both_databases!(
    an_app_and_backup_codes_guard_the_login,
    a_change_that_weakens_the_login_asks_for_both_steps_again,
    forgot_password_keeps_the_second_step,
    support_resets_a_lost_second_step,
    a_remembered_browser_skips_the_second_step_until_forgotten,
);

const PASSWORD: &str = "Lantern harbour quietly 42";
const EMAIL: &str = "owner@two-step.example";

/// A new login, signed in on `client` (Register signs the new login in).
async fn new_login(app: &TestApp, client: &reqwest::Client, username: &str) {
    app.register_with_demo_code(client, username, EMAIL, PASSWORD)
        .await;
}

async fn an_app_and_backup_codes_guard_the_login(app: &TestApp) {
    let (client, _) = app.new_browser();
    new_login(app, &client, "two-step-ana").await;
    // My accounts offers a second step; Protect your new login sets one up.
    let page = app.get_with(&client, "/accounts").await;
    assert!(
        page.body.contains("Add a second step to your login"),
        "{}",
        page.body
    );
    let page = app.get_with(&client, "/security/protect").await;
    assert!(page.body.contains("Protect your new login"));
    assert!(page.body.contains("Not now"), "TWO_STEP=offer lets it wait");

    // A wrong first code keeps the name typed and says why.
    let (loc, page) = app
        .submit_with(&client, "/api/security/app_start", &[])
        .await;
    assert_eq!(loc, "/security/app");
    assert!(page.body.contains("<svg"), "a QR code drawn on the server");
    let seed = crate::common::second::key_on(&page.body);
    let right = app.app_code(&seed);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let (loc, page) = app
        .submit_with(
            &client,
            "/api/security/app_confirm",
            &[("name", "Work phone"), ("code", &wrong)],
        )
        .await;
    assert_eq!(loc, "/security/app?error=code");
    assert!(
        page.body.contains("That code is not right"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"Work phone\""),
        "the name typed is kept"
    );
    let (loc, page) = app
        .submit_with(
            &client,
            "/api/security/app_confirm",
            &[("name", "Work phone"), ("code", &right)],
        )
        .await;
    assert_eq!(loc, "/security/backup-codes");
    let codes = codes_on(&page.body);
    assert_eq!(codes.len(), 10);
    // Shown once: the page after has none, and no hash is a code.
    let again = app.get_with(&client, "/security/backup-codes").await;
    assert!(codes_on(&again.body).is_empty(), "{}", again.body);
    assert!(again.body.contains("shown only once"));
    let stored: Vec<(String,)> = sqlx::query_as("SELECT code_hash FROM backup_codes")
        .fetch_all(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(stored
        .iter()
        .all(|(h,)| codes.iter().all(|c| !h.contains(&c.replace('-', "")))));
    let mail = app
        .wait_mail(EMAIL, "second step changed")
        .await
        .expect("the change is mailed");
    assert!(mail.body.contains("an authenticator app was added"));
    assert!(mail.body.contains("/not-me?token="), "{}", mail.body);
    let listed = app.get_with(&client, "/security").await;
    assert!(listed.body.contains("Work phone") && listed.body.contains("10 of 10"));

    // Sign-in now asks for the second step; no session before it is done.
    let (b, _) = app.new_browser();
    let first = app.sign_in_from(&b, "two-step-ana", PASSWORD).await;
    assert_eq!(first.location.as_deref(), Some("/sign-in/second-step"));
    assert!(!has_session(&first), "{:?}", first.set_cookie);
    let mine = app.get_with(&b, "/accounts").await;
    assert_ne!(mine.status, 200, "My accounts waits for the second step");
    let asked = app.get_with(&b, "/sign-in/second-step").await;
    assert!(
        asked.body.contains("Confirm it&#x27;s you") || asked.body.contains("Confirm it's you"),
        "{}",
        asked.body
    );
    // The code taken at set-up is used: replayed, it is wrong.
    let replay = app
        .post_with(&b, "/api/sign_in/second_step", &[("code", &right)])
        .await;
    assert_eq!(replay.location.as_deref(), Some("/sign-in/second-step"));
    assert!(!has_session(&replay));
    let said = app.get_with(&b, "/sign-in/second-step").await;
    assert!(
        said.body.contains("That code is not right"),
        "{}",
        said.body
    );
    app.state.clock.advance(30);
    let code = app.app_code(&seed);
    let done = app
        .post_with(&b, "/api/sign_in/second_step", &[("code", &code)])
        .await;
    assert_eq!(done.location.as_deref(), Some("/accounts"));
    assert!(has_session(&done));
    assert_eq!(app.get_with(&b, "/accounts").await.status, 200);
    // The same code again, in another browser: used.
    let (c, _) = app.new_browser();
    let page = app
        .sign_in_two_step(&c, "two-step-ana", PASSWORD, &code)
        .await;
    assert!(!has_session(&page), "a code works once");

    // A backup code, once.
    let (d, _) = app.new_browser();
    let page = app
        .sign_in_two_step(&d, "two-step-ana", PASSWORD, &codes[3].to_lowercase())
        .await;
    assert_eq!(page.location.as_deref(), Some("/accounts"), "{}", page.body);
    let (e, _) = app.new_browser();
    let page = app
        .sign_in_two_step(&e, "two-step-ana", PASSWORD, &codes[3])
        .await;
    assert!(!has_session(&page), "a backup code works once");
    let left = app.get_with(&d, "/security").await;
    assert!(left.body.contains("9 of 10"), "{}", left.body);
    let outcomes = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in/second_step' AND outcome LIKE 'ok:%'")
        .await;
    assert_eq!(outcomes, 2);
}

async fn a_change_that_weakens_the_login_asks_for_both_steps_again(app: &TestApp) {
    let (client, _) = app.new_browser();
    new_login(app, &client, "two-step-ben").await;
    let enrolled = app.enrol_app(&client, "Phone").await;
    let (other, _) = app.new_browser();
    let code = app.app_code(&enrolled.seed);
    let page = app
        .sign_in_two_step(&other, "two-step-ben", PASSWORD, &code)
        .await;
    assert_eq!(page.location.as_deref(), Some("/accounts"));
    app.state.clock.advance(30);
    let id = app
        .count("SELECT MAX(id) FROM second_steps")
        .await
        .to_string();

    // Without the password, or without a code: nothing is removed.
    let code = app.app_code(&enrolled.seed);
    let r = app
        .post_with(
            &client,
            "/api/security/remove",
            &[("method", &id), ("password", "wrong one"), ("code", &code)],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/security?form=remove&error=password")
    );
    let r = app
        .post_with(
            &client,
            "/api/security/remove",
            &[("method", &id), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/security?form=remove&error=code")
    );
    let r = app
        .post_with(
            &client,
            "/api/security/backup_codes",
            &[("password", PASSWORD), ("code", "000000")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/security?form=codes&error=code")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM second_steps").await, 1);
    // Adding an old account asks for the code too (step-up).
    let r = app
        .post_with(&client, "/api/add_old_account", &[("password", PASSWORD)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/accounts?error=code"));
    let said = app.get_with(&client, "/accounts?error=code").await;
    assert!(
        said.body.contains("That code is not right"),
        "{}",
        said.body
    );
    let code = app.app_code(&enrolled.seed);
    let r = app
        .post_with(
            &client,
            "/api/add_old_account",
            &[("password", PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/wizard/lookup"),
        "with both, the wizard opens"
    );
    app.state.clock.advance(30);

    // New backup codes void the old.
    let code = app.app_code(&enrolled.seed);
    let (loc, page) = app
        .submit_with(
            &client,
            "/api/security/backup_codes",
            &[("password", PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(loc, "/security/backup-codes");
    let fresh = codes_on(&page.body);
    assert_eq!(fresh.len(), 10);
    let (b, _) = app.new_browser();
    let old = app
        .sign_in_two_step(&b, "two-step-ben", PASSWORD, &enrolled.backup_codes[0])
        .await;
    assert!(!has_session(&old), "an old backup code no longer works");

    // Rename, then remove with both steps: the other browser is signed out,
    // the backup codes go with the last method, and the mail says so.
    let r = app
        .post_with(
            &client,
            "/api/security/rename",
            &[("method", &id), ("name", "Old phone")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/security?notice=renamed"));
    assert!(app
        .get_with(&client, "/security")
        .await
        .body
        .contains("Old phone"));
    let (loc, _) = app
        .submit_with(
            &client,
            "/api/security/remove",
            &[("method", &id), ("password", PASSWORD), ("code", &fresh[0])],
        )
        .await;
    assert_eq!(loc, "/security?notice=removed");
    assert_eq!(app.count("SELECT COUNT(*) FROM second_steps").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM backup_codes").await, 0);
    assert_eq!(
        app.get_with(&client, "/accounts").await.status,
        200,
        "this session goes on"
    );
    assert_ne!(
        app.get_with(&other, "/accounts").await.status,
        200,
        "the other ended"
    );
    app.outbox_settled().await;
    let mails = app.state.mailer.dev_mail(100);
    assert!(mails
        .iter()
        .any(|m| m.body.contains("a second step was removed")));
    // Without a second step, sign-in is the password alone again.
    let page = app.sign_in("two-step-ben", PASSWORD).await;
    assert_eq!(page.location.as_deref(), Some("/accounts"));
}

async fn forgot_password_keeps_the_second_step(app: &TestApp) {
    let (client, _) = app.new_browser();
    new_login(app, &client, "two-step-cy").await;
    let enrolled = app.enrol_app(&client, "Phone").await;
    app.walk_to_new_password("two-step-cy", EMAIL).await;
    const NEW: &str = "Copper kettle morning fog";
    let (loc, _) = app
        .submit(
            "/api/forgot_password/new",
            &[("password", NEW), ("confirm_password", NEW)],
        )
        .await;
    assert!(loc.starts_with("/?notice=password-changed"), "{loc}");
    let (b, _) = app.new_browser();
    let page = app.sign_in_from(&b, "two-step-cy", NEW).await;
    assert_eq!(
        page.location.as_deref(),
        Some("/sign-in/second-step"),
        "a reset is no way round it"
    );
    assert!(!has_session(&page));
    let code = app.app_code(&enrolled.seed);
    let done = app
        .post_with(&b, "/api/sign_in/second_step", &[("code", &code)])
        .await;
    assert_eq!(done.location.as_deref(), Some("/accounts"));
}

async fn support_resets_a_lost_second_step(app: &TestApp) {
    let (client, _) = app.new_browser();
    new_login(app, &client, "two-step-dee").await;
    let enrolled = app.enrol_app(&client, "Phone").await;
    // A wizard adding to the login, opened with both steps: the reset ends it.
    let code = app.app_code(&enrolled.seed);
    let r = app
        .post_with(
            &client,
            "/api/add_old_account",
            &[("password", PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
            .await,
        1
    );
    let login = app
        .count("SELECT id FROM portal_users WHERE username = 'two-step-dee'")
        .await
        .to_string();
    // An auditor may not; support may, with a reason.
    for (role, name) in [(Role::Auditor, "aud-ann"), (Role::Support, "sup-sam")] {
        let op = app.enrolled_operator(name, role).await;
        let (ops, _) = app.new_browser();
        app.ops_sign_in(&ops, &op).await;
        let progress = app.get_with(&ops, "/ops").await;
        assert!(
            progress.body.contains("With Authenticator app: 1.")
                && progress.body.contains("Logins without a second step: 0."),
            "{}",
            progress.body
        );
        let found = app.get_with(&ops, "/ops/find?q=two-step-dee").await;
        assert!(
            found.body.contains("Phone (Authenticator app)"),
            "{}",
            found.body
        );
        assert_eq!(
            found.body.contains("Reset second step</button>"),
            role == Role::Support
        );
        let empty = app
            .post_with(
                &ops,
                "/ops/api/reset_second_step",
                &[("login", &login), ("reason", " ")],
            )
            .await;
        let r = app
            .post_with(
                &ops,
                "/ops/api/reset_second_step",
                &[
                    ("login", &login),
                    ("reason", "ID checked by call-back, ticket 4411"),
                ],
            )
            .await;
        let methods = app.count("SELECT COUNT(*) FROM second_steps").await;
        if role == Role::Auditor {
            assert_eq!(methods, 1, "an auditor resets nothing");
            assert_ne!(
                r.location.as_deref().unwrap_or(""),
                "/ops/find?q=two-step-dee&notice=second-step-reset"
            );
        } else {
            assert!(empty.location.unwrap().ends_with("error=reset_reason"));
            assert_eq!(
                r.location.as_deref(),
                Some("/ops/find?q=two-step-dee&notice=second-step-reset")
            );
            assert_eq!(methods, 0);
            assert_eq!(app.count("SELECT COUNT(*) FROM backup_codes").await, 0);
            assert_ne!(
                app.get_with(&client, "/accounts").await.status,
                200,
                "sessions ended"
            );
            let wizards = app
                .count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
                .await;
            assert_eq!(wizards, 0, "the wizard adding to the login ended");
        }
    }
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'ops/reset_second_step' AND outcome = 'ok: 1 removed' AND reason LIKE 'ID checked%'")
        .await;
    assert_eq!(audited, 1);
    let mail = app.wait_mail(EMAIL, "second step changed").await.unwrap();
    app.outbox_settled().await;
    let reset = app
        .state
        .mailer
        .dev_mail(100)
        .into_iter()
        .find(|m| m.body.contains("provider support reset it"))
        .expect("the reset is mailed");
    assert!(reset.body.contains("/not-me?token="), "{}", mail.body);
    // The login signs in with its password and is offered a second step.
    let page = app.sign_in("two-step-dee", PASSWORD).await;
    assert_eq!(page.location.as_deref(), Some("/accounts"));
}

async fn a_remembered_browser_skips_the_second_step_until_forgotten(app: &TestApp) {
    let (client, _) = app.new_browser();
    new_login(app, &client, "two-step-fay").await;
    let enrolled = app.enrol_app(&client, "Phone").await;
    let (b, _) = app.new_browser();
    let first = app.sign_in_from(&b, "two-step-fay", PASSWORD).await;
    assert_eq!(first.location.as_deref(), Some("/sign-in/second-step"));
    let code = app.app_code(&enrolled.seed);
    let done = app
        .post_with(
            &b,
            "/api/sign_in/second_step",
            &[("code", &code), ("remember", "1")],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/accounts"));
    let cookie = done
        .set_cookie
        .iter()
        .find(|c| c.starts_with("pp_remember="))
        .expect("the browser is remembered");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Max-Age=2592000"),
        "{cookie}"
    );
    // Signed out and in again: the password alone, in this browser only.
    app.post_with(&b, "/api/sign_out", &[]).await;
    let again = app.sign_in_from(&b, "two-step-fay", PASSWORD).await;
    assert_eq!(again.location.as_deref(), Some("/accounts"), "remembered");
    let (other, _) = app.new_browser();
    let there = app.sign_in_from(&other, "two-step-fay", PASSWORD).await;
    assert_eq!(
        there.location.as_deref(),
        Some("/sign-in/second-step"),
        "only that browser"
    );
    // Listed, and forgotten.
    let listed = app.get_with(&b, "/security").await;
    assert!(listed.body.contains("(this browser)"), "{}", listed.body);
    let id = app
        .count("SELECT MAX(id) FROM remembered_browsers")
        .await
        .to_string();
    let r = app
        .post_with(&client, "/api/security/forget_browser", &[("browser", &id)])
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/security?notice=browsers-forgotten")
    );
    app.post_with(&b, "/api/sign_out", &[]).await;
    let after = app.sign_in_from(&b, "two-step-fay", PASSWORD).await;
    assert_eq!(
        after.location.as_deref(),
        Some("/sign-in/second-step"),
        "forgotten"
    );
}

/// TWO_STEP=required, with a grace of one sign-in.
mod required {
    use super::*;

    with_each_database!(two_step_required_asks_once_the_grace_is_spent);

    async fn two_step_required_asks_once_the_grace_is_spent(db: Db) {
        let Some(app) = TestApp::spawn_with(db, |env| {
            env.insert("TWO_STEP".into(), "required".into());
            env.insert("TWO_STEP_GRACE".into(), "1".into());
        })
        .await
        else {
            return;
        };
        let (client, _) = app.new_browser();
        new_login(&app, &client, "two-step-eve").await;
        let first = app.sign_in("two-step-eve", PASSWORD).await;
        assert_eq!(
            first.location.as_deref(),
            Some("/accounts"),
            "within the grace"
        );
        let (b, _) = app.new_browser();
        let second = app.sign_in_from(&b, "two-step-eve", PASSWORD).await;
        assert_eq!(second.location.as_deref(), Some("/security/protect"));
        let mine = app.get_with(&b, "/accounts").await;
        assert_eq!(
            mine.location.as_deref(),
            Some("/security/protect"),
            "{}",
            mine.status
        );
        let protect = app.get_with(&b, "/security/protect").await;
        assert!(!protect.body.contains("Not now"));
        assert!(protect.body.contains("requires a second step"));
        // Adding one opens My accounts again.
        app.enrol_app(&b, "Phone").await;
        assert_eq!(app.get_with(&b, "/accounts").await.status, 200);
        app.cleanup().await;
    }
}
