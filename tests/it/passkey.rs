//! Passkeys, driven over HTTP against the real server on SQLite and
//! PostgreSQL, answered by a software authenticator: added after the
//! password again, signing in alone, as the second step after the
//! password, listed and removed like any method.

use crate::common::passkey::{ceremony_on, SoftKey};
use crate::common::second::{codes_on, has_session};
use crate::common::TestApp;
use provider_portal::domain::Role;

on_both_databases!(
    a_passkey_signs_in_alone_and_as_the_second_step,
    a_passkey_is_added_only_after_the_password_again,
);

const PASSWORD: &str = "Lantern harbour quietly 42";

async fn a_passkey_signs_in_alone_and_as_the_second_step(app: &TestApp) {
    let (client, _) = app.new_browser();
    app.new_login(&client, "passkey-ana", "ana@passkey.example", PASSWORD)
        .await;
    // Protect your new login offers a passkey (shown where the browser can
    // make one).
    let page = app.get_with(&client, "/security/protect").await;
    assert!(page.body.contains("data-passkey-only"), "{}", page.body);
    assert!(page.body.contains("Add a passkey"));

    let mut key = SoftKey::new();
    let (loc, page) = app.add_passkey(&client, &mut key, PASSWORD, None).await;
    // The login's first method comes with its backup codes.
    assert_eq!(loc, "/security/backup-codes", "{}", page.body);
    let codes = codes_on(&page.body);
    assert_eq!(codes.len(), 10);
    let page = app.get_with(&client, "/security").await;
    assert!(page.body.contains("Test key"), "{}", page.body);
    assert!(page.body.contains("Passkey"));
    // The change is mailed with "This wasn't me".
    let mail = app
        .wait_mail("ana@passkey.example", "second step")
        .await
        .expect("the change is mailed");
    assert!(mail.body.contains("a passkey was added"), "{}", mail.body);

    // Sign in with a passkey: no username, no password.
    let (other, _) = app.new_browser();
    let r = app.sign_in_passkey(&other, &mut key).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"), "{}", r.body);
    assert!(has_session(&r));
    let page = app.get_with(&other, "/accounts").await;
    assert!(page.body.contains("passkey-ana"), "{}", page.body);

    // The password, then the passkey as the second step.
    let (third, _) = app.new_browser();
    let r = app.sign_in_from(&third, "passkey-ana", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/sign-in/second-step"));
    assert!(!has_session(&r));
    let page = app.get_with(&third, "/sign-in/second-step").await;
    let on = ceremony_on(&page.body, "/api/sign_in/second_step_passkey").expect("a passkey asked");
    // Only this login's passkeys are allowed.
    let allowed = on.options["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap();
    assert_eq!(allowed.len(), 1);
    let answer = key.get(&on.options, &app.passkey_origin());
    let r = app
        .post_with(
            &third,
            "/api/sign_in/second_step_passkey",
            &[("state", &on.state), ("credential", &answer)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/accounts"), "{}", r.body);
    assert!(has_session(&r));

    // The counter and the last use are kept.
    let used: Option<i64> =
        sqlx::query_scalar("SELECT last_used_at FROM second_steps WHERE kind = 'passkey'")
            .fetch_one(app.state.store.pool())
            .await
            .unwrap();
    assert!(used.is_some());
    let audit = app.dump().await;
    assert!(audit.contains("sign_in/passkey") && audit.contains("ok: passkey"));

    // The console: Find lists the passkey (never its credential), Progress
    // counts the login under passkeys.
    let op = app.enrolled_operator("pk-sam", Role::Support).await;
    let (ops, _) = app.new_browser();
    app.ops_sign_in(&ops, &op).await;
    let found = app.get_with(&ops, "/ops/find?q=passkey-ana").await;
    assert!(found.body.contains("Test key (Passkey)"), "{}", found.body);
    let progress = app.get_with(&ops, "/ops").await;
    assert!(
        progress.body.contains("With Passkey: 1."),
        "{}",
        progress.body
    );

    // Removed like any method, after the password and the second step
    // again: here the passkey itself, the code left empty (a backup code
    // would do as well). It no longer signs in.
    let id: i64 = sqlx::query_scalar("SELECT id FROM second_steps WHERE kind = 'passkey'")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    let page = app.get_with(&client, "/security").await;
    let on = ceremony_on(&page.body, "/api/security/remove").expect("the step-up asks the passkey");
    let answer = key.get(&on.options, &app.passkey_origin());
    let (loc, _) = app
        .submit_with(
            &client,
            "/api/security/remove",
            &[
                ("method", &id.to_string()),
                ("password", PASSWORD),
                ("code", ""),
                ("state", &on.state),
                ("credential", &answer),
            ],
        )
        .await;
    assert_eq!(loc, "/security?notice=removed");
    assert_eq!(codes.len(), 10);
    let (fourth, _) = app.new_browser();
    let r = app.sign_in_passkey(&fourth, &mut key).await;
    assert!(!has_session(&r), "a removed passkey signs in no more");
}

async fn a_passkey_is_added_only_after_the_password_again(app: &TestApp) {
    let (client, _) = app.new_browser();
    app.new_login(&client, "passkey-bob", "bob@passkey.example", PASSWORD)
        .await;
    // A wrong password: no page that makes a passkey.
    let (loc, _) = app
        .submit_with(
            &client,
            "/api/security/passkey_start",
            &[("password", "not the password at all")],
        )
        .await;
    assert_eq!(loc, "/security?form=passkey&error=password");
    let page = app.get_with(&client, "/security/passkey").await;
    assert!(
        ceremony_on(&page.body, "/api/security/passkey_finish").is_none(),
        "{}",
        page.body
    );
    // With an app, the step-up asks for its code too.
    let enrolled = app.enrol_app(&client, "Phone").await;
    let (loc, _) = app
        .submit_with(
            &client,
            "/api/security/passkey_start",
            &[("password", PASSWORD), ("code", "")],
        )
        .await;
    assert_eq!(loc, "/security?form=passkey&error=code");
    let code = app.app_code(&enrolled.seed);
    let mut key = SoftKey::new();
    let (loc, page) = app
        .add_passkey(&client, &mut key, PASSWORD, Some(&code))
        .await;
    // Not the first method: no new backup codes.
    assert_eq!(loc, "/security?notice=passkey-added", "{}", page.body);
    assert!(page.body.contains("Your passkey was added."));
}
