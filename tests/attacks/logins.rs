//! A login's sessions and the flows bound to it: a password reset or a
//! sign-out ends the wizards opened from My accounts; sessions end after an
//! absolute lifetime however busy; the losing Finish of a race is told why.

use super::*;

const PW: &str = "Lantern harbour quietly 42";

/// Wizards still bound to a login (opened from My accounts, not finished).
async fn bound_wizards(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM flows WHERE kind = 'wizard' AND portal_user_id IS NOT NULL AND step <> 'done'",
    )
    .await
}

/// Signs `b` in and opens a wizard from My accounts (bound to the login).
async fn open_adding_wizard(b: &Browser<'_>, username: &str, password: &str) {
    let r = b.app.sign_in_from(&b.client, username, password).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/accounts"),
        "sign-in of {username}"
    );
    let r = b
        .post("/api/add_old_account", &[("password", password)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup"));
}

pub(crate) async fn login_sessions_and_races(db: Db) {
    let Some(app) = app(db).await else { return };
    let a = Browser::new(&app);
    app.register_with_demo_code(&a.client, "clinic-lead", "lead@clinic.example", PW)
        .await;

    // A password reset from another browser ends the wizard bound to the login.
    open_adding_wizard(&a, "clinic-lead", PW).await;
    assert_eq!(bound_wizards(&app).await, 1);
    let b = Browser::new(&app);
    let before = app.codes_to("lead@clinic.example").len();
    b.submit("/api/forgot_password", &[("username", "clinic-lead")])
        .await;
    let code = app.next_code_to("lead@clinic.example", before).await;
    b.submit("/api/flow/code", &[("code", &code)]).await;
    let new_pw = "Copper kettle morning fog";
    let (loc, _) = b
        .submit(
            "/api/forgot_password/new",
            &[("password", new_pw), ("confirm_password", new_pw)],
        )
        .await;
    assert_eq!(loc, "/?notice=password-changed");
    let r = a
        .post(
            "/api/wizard/lookup",
            &[("username", JOHN), ("tin", JOHN_TIN)],
        )
        .await;
    stopped_if(
        "a wizard bound to a login goes on after the login's password was reset",
        bound_wizards(&app).await == 0 && r.status == 303,
        format!("{} bound wizard(s) left", bound_wizards(&app).await),
    );

    // Sign out ends it too.
    open_adding_wizard(&a, "clinic-lead", new_pw).await;
    assert_eq!(bound_wizards(&app).await, 1);
    a.post("/api/sign_out", &[]).await;
    stopped_if(
        "a wizard bound to a login goes on after sign-out",
        bound_wizards(&app).await == 0,
        format!("{} bound wizard(s) left", bound_wizards(&app).await),
    );

    // A session in steady use still ends 8 hours after sign-in.
    let c = Browser::new(&app);
    let r = app.sign_in_from(&c.client, "clinic-lead", new_pw).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    for _ in 0..19 {
        app.state.clock.advance(25 * 60);
        let page = c.get("/accounts").await;
        assert_eq!(page.status, 200, "signed in within 8 hours");
    }
    app.state.clock.advance(10 * 60);
    let late = c.get("/accounts").await;
    stopped_if(
        "a busy sign-in session used beyond its 8 hours",
        late.location.as_deref() == Some("/"),
        format!("{} {:?}", late.status, late.location),
    );
    let now = app.state.clock.now();
    let swept = app
        .state
        .store
        .sweep_user_sessions(now - 30 * 60, now - 8 * 3600)
        .await
        .unwrap();
    stopped_if(
        "ended sign-in sessions kept for ever",
        // The app's own sweep may have taken them first: what counts is
        // that none is left.
        count(&app, "SELECT COUNT(*) FROM user_sessions").await == 0,
        format!("swept {swept}"),
    );
    app.cleanup().await;

    // Two wizards hold the same old account; Finish in both at once: one
    // merges, the other is told the account is consolidated, never a fault.
    let Some(app) = super::support::app(db).await else {
        return;
    };
    let w1 = Browser::new(&app);
    let w2 = Browser::new(&app);
    w1.john_to("accounts", "race-one@example.com").await;
    w2.john_to("accounts", "race-two@example.com").await;
    let (r1, r2) = tokio::join!(
        w1.post("/api/wizard/finish", &[]),
        w2.post("/api/wizard/finish", &[])
    );
    let mut places = [r1.location.clone(), r2.location.clone()];
    places.sort();
    stopped_if(
        "the losing Finish of a race gets a fault",
        places
            == [
                Some("/wizard/done".to_string()),
                Some("/wizard/lookup".to_string()),
            ],
        format!("{places:?}"),
    );
    let loser = if r1.location.as_deref() == Some("/wizard/lookup") {
        &w1
    } else {
        &w2
    };
    let page = loser.get("/wizard/lookup").await;
    stopped_if(
        "the loser of a Finish race is not told why",
        page.body.contains("already been moved to the new portal")
            && count(&app, "SELECT COUNT(*) FROM portal_users").await == 1,
        stable(&page.body),
    );
    app.cleanup().await;
}
