//! Operators managed from the console (issue 17, admin only): Add shows
//! the enrolment link once; Disable ends the operator's sessions and keeps
//! them out until Enable; Reset TOTP makes them enrol again (the old
//! authenticator no longer works); nobody disables or resets themselves;
//! support and auditors have no such page.

use crate::common::console::{seed_on, Operator, OPS_PASSWORD};
use crate::common::TestApp;
use provider_portal::auth::totp;
use provider_portal::domain::Role;

/// The enrolment link on the shown-once page, as a path.
fn link_on(body: &str) -> String {
    let start = body
        .find("/ops/enrol?token=")
        .expect("the page shows the link");
    body[start..start + 17 + 64].to_string()
}

/// Enrols through `link` with a new browser; returns the operator.
async fn enrol(app: &TestApp, username: &str, link: &str) -> Operator {
    let (b, _) = app.new_browser();
    let page = app.get_with(&b, link).await;
    let seed = seed_on(&page.body);
    let token = link.rsplit('=').next().unwrap();
    let code = totp::code_at(&seed, app.state.clock.now());
    let res = app
        .post_with(
            &b,
            "/ops/api/enrol",
            &[
                ("token", token),
                ("password", OPS_PASSWORD),
                ("confirm_password", OPS_PASSWORD),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/sign-in?notice=enrolled")
    );
    app.state.clock.advance(30);
    Operator {
        username: username.into(),
        password: OPS_PASSWORD.into(),
        seed,
    }
}

async fn an_admin_adds_disables_enables_and_resets_operators(app: &TestApp) {
    let admin = app.enrolled_operator("ana.ops", Role::Admin).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &admin).await;
    let page = app.get_with(&a, "/ops/operators").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("href=\"/ops/operators\""),
        "listed for an admin"
    );
    assert!(page.body.contains("ana.ops"));

    // Refusals keep what was typed and say why.
    let add = |username: &'static str, role: &'static str, reason: &'static str| {
        let a = a.clone();
        async move {
            app.post_with(
                &a,
                "/ops/api/operator_add",
                &[("username", username), ("role", role), ("reason", reason)],
            )
            .await
        }
    };
    let res = add("ana.ops", "support", "new hire").await;
    let page = app.get_with(&a, &res.location.unwrap()).await;
    assert!(page.body.contains("An operator has this username already."));
    assert!(page.body.contains("value=\"new hire\""));
    let res = add("sam.ops", "root", "new hire").await;
    let page = app.get_with(&a, &res.location.unwrap()).await;
    assert!(page.body.contains("Choose a role"), "{}", page.body);
    let res = add("sam.ops", "support", "").await;
    let page = app.get_with(&a, &res.location.unwrap()).await;
    assert!(page.body.contains("Give the reason for this action."));
    assert!(
        page.body.contains("value=\"sam.ops\""),
        "the username is kept"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM operators").await, 1);

    // Added: the link is shown once; the new operator enrols and signs in.
    let res = add("sam.ops", "support", "new hire, ticket 9").await;
    assert_eq!(res.location.as_deref(), Some("/ops/shown"));
    let shown = app.get_with(&a, "/ops/shown").await;
    let link = link_on(&shown.body);
    assert!(!app
        .get_with(&a, "/ops/shown")
        .await
        .body
        .contains("/ops/enrol?token="));
    let page = app.get_with(&a, "/ops/operators").await;
    assert!(page.body.contains("Enrolment link sent, not used yet"));
    let sam = enrol(app, "sam.ops", &link).await;
    let (s, _) = app.new_browser();
    assert_eq!(
        app.ops_sign_in(&s, &sam).await.location.as_deref(),
        Some("/ops")
    );
    // Support has no Operators page and no link to it.
    let page = app.get_with(&s, "/ops").await;
    assert!(!page.body.contains("href=\"/ops/operators\""));
    let res = app.get_with(&s, "/ops/operators").await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops?notice=not-allowed"),
        "no page for support"
    );
    let res = app
        .post_with(
            &s,
            "/ops/api/operator_change",
            &[("operator", "1"), ("change", "disable"), ("reason", "x")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops?notice=not-allowed"));

    let sam_id = app
        .count("SELECT id FROM operators WHERE username = 'sam.ops'")
        .await
        .to_string();
    let change = |change: &'static str, reason: &'static str| {
        let (a, id) = (a.clone(), sam_id.clone());
        async move {
            app.post_with(
                &a,
                "/ops/api/operator_change",
                &[("operator", &id), ("change", change), ("reason", reason)],
            )
            .await
            .location
            .unwrap()
        }
    };
    // Disable: a reason first; then Sam's session ends and sign-in fails.
    let back = change("disable", " ").await;
    assert!(back.contains(&format!("operator={sam_id}")), "{back}");
    assert_eq!(
        change("disable", "left the team").await,
        "/ops/operators?notice=disabled"
    );
    let page = app.get_with(&s, "/ops").await;
    assert_eq!(
        page.location.as_deref(),
        Some("/ops/sign-in"),
        "the session ended"
    );
    app.state.clock.advance(30);
    let (s2, _) = app.new_browser();
    assert_ne!(
        app.ops_sign_in(&s2, &sam).await.location.as_deref(),
        Some("/ops")
    );
    assert_eq!(
        change("disable", "again").await,
        "/ops/operators?notice=unchanged"
    );
    // Enable: Sam signs in again.
    assert_eq!(
        change("enable", "came back").await,
        "/ops/operators?notice=enabled"
    );
    app.state.clock.advance(30);
    assert_eq!(
        app.ops_sign_in(&s2, &sam).await.location.as_deref(),
        Some("/ops")
    );

    // Reset TOTP: a new link; the old authenticator no longer signs in.
    let res = change("reset", "lost phone").await;
    assert_eq!(res, "/ops/shown");
    let link = link_on(&app.get_with(&a, "/ops/shown").await.body);
    assert_eq!(
        app.get_with(&s2, "/ops").await.location.as_deref(),
        Some("/ops/sign-in"),
        "sessions end on reset"
    );
    app.state.clock.advance(30);
    let (s3, _) = app.new_browser();
    assert_ne!(
        app.ops_sign_in(&s3, &sam).await.location.as_deref(),
        Some("/ops")
    );
    let sam = enrol(app, "sam.ops", &link).await;
    assert_eq!(
        app.ops_sign_in(&s3, &sam).await.location.as_deref(),
        Some("/ops")
    );

    // Nobody changes themselves.
    let me = app
        .count("SELECT id FROM operators WHERE username = 'ana.ops'")
        .await
        .to_string();
    let res = app
        .post_with(
            &a,
            "/ops/api/operator_change",
            &[("operator", &me), ("change", "disable"), ("reason", "oops")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/operators?notice=not-oneself")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM operators WHERE disabled <> 0")
            .await,
        0
    );

    // Each action is in the trail with the admin, the target and the reason.
    let ana = app
        .count("SELECT id FROM operators WHERE username = 'ana.ops'")
        .await;
    for (action, reason) in [
        ("ops/operator_add", "new hire, ticket 9"),
        ("ops/operator_disable", "left the team"),
        ("ops/operator_enable", "came back"),
        ("ops/operator_reset_totp", "lost phone"),
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {ana} AND action = '{action}' \
                 AND target = 'operator:sam.ops' AND reason = '{reason}' AND outcome LIKE 'ok%'"
            ))
            .await,
            1,
            "{action}"
        );
    }
}

on_both_databases!(an_admin_adds_disables_enables_and_resets_operators);
