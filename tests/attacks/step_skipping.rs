//! Calls out of order: every wizard function at every wrong step, with no session, a forged one, after Cancel and after expiry.

use super::*;

/// Every server function and a valid-looking form for it.
pub(crate) const ACTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", JOHN_TIN)],
    ),
    ("/api/wizard/verify", &[("answer", "Smith")]),
    (
        "/api/wizard/email",
        &[
            ("email", "x@example.com"),
            ("verify_email", "x@example.com"),
        ],
    ),
    ("/api/wizard/resend", &[]),
    ("/api/wizard/code", &[("code", "123456")]),
    (
        "/api/wizard/password",
        &[("username", JOHN), ("password", JOHN_PASSWORD)],
    ),
    (
        "/api/wizard/new_password",
        &[
            ("password", "Lantern harbour quietly 42"),
            ("confirm_password", "Lantern harbour quietly 42"),
        ],
    ),
    ("/api/wizard/another", &[]),
    ("/api/wizard/finish", &[]),
    ("/api/wizard/previous", &[]),
];

/// What each step allows (the product's rule, written out here rather than
/// read from the code under test).
pub(crate) fn allowed(step: &str) -> &'static [&'static str] {
    match step {
        "lookup" => &["/api/wizard/lookup"],
        "verify" => &["/api/wizard/verify", "/api/wizard/previous"],
        "email" => &["/api/wizard/email", "/api/wizard/previous"],
        "code" => &[
            "/api/wizard/code",
            "/api/wizard/resend",
            "/api/wizard/previous",
        ],
        "password" => &["/api/wizard/password", "/api/wizard/previous"],
        "accounts" => &["/api/wizard/another", "/api/wizard/finish"],
        // A lookup after the Thank You starts a new wizard; Finish again
        // shows the same Thank You.
        "done" => &["/api/wizard/lookup", "/api/wizard/finish"],
        _ => &[],
    }
}

pub(crate) async fn step_skipping(db: Db) {
    let Some(app) = app(db).await else { return };
    for step in [
        "lookup", "verify", "email", "code", "password", "accounts", "done",
    ] {
        let b = Browser::new(&app);
        b.john_to(step, &format!("{step}@example.com")).await;
        for (path, form) in ACTIONS {
            if allowed(step).contains(path) {
                continue;
            }
            let before = app.snapshot(BOOKKEEPING).await;
            let refusals = count(
                &app,
                "SELECT COUNT(*) FROM audit_events WHERE outcome LIKE 'refused%'",
            )
            .await;
            let r = b.post(path, form).await;
            let after = app.snapshot(BOOKKEEPING).await;
            let refusals_after = count(
                &app,
                "SELECT COUNT(*) FROM audit_events WHERE outcome LIKE 'refused%'",
            )
            .await;
            let want = format!("/wizard/{step}?notice=out-of-order");
            stopped_if(
                &format!("{path} at step {step}"),
                r.status == 303
                    && r.location.as_deref() == Some(want.as_str())
                    && before == after
                    && refusals_after > refusals,
                format!(
                    "{} {:?}; changed: {}; audited: {}",
                    r.status,
                    r.location,
                    before != after,
                    refusals_after > refusals
                ),
            );
        }
        // Finish after Finish: the same Thank You, nothing merged twice.
        if step == "done" {
            let before = app.snapshot(BOOKKEEPING).await;
            let r = b.post("/api/wizard/finish", &[]).await;
            stopped_if(
                "Finish twice",
                r.location.as_deref() == Some("/wizard/done")
                    && before == app.snapshot(BOOKKEEPING).await,
                format!("{:?}", r.location),
            );
        }
    }
    // A fresh session (no cookie), and a forged one: every function but
    // Lookup (which starts a wizard) is refused, nothing is written.
    for cookie in [None, Some("pp_wizard=".to_string() + &"ab".repeat(32))] {
        for (path, form) in ACTIONS {
            if *path == "/api/wizard/lookup" {
                continue;
            }
            let before = app.snapshot(BOOKKEEPING).await;
            let mut req = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(format!("{}{path}", app.base))
                .header("origin", &app.base)
                .form(form);
            if let Some(c) = &cookie {
                req = req.header("cookie", c);
            }
            let r = TestApp::read(req.send().await.unwrap()).await;
            stopped_if(
                &format!(
                    "{path} with {} session",
                    if cookie.is_some() { "a forged" } else { "no" }
                ),
                r.status == 303
                    && r.location.as_deref() == Some("/wizard/lookup?notice=out-of-order")
                    && before == app.snapshot(BOOKKEEPING).await,
                format!("{} {:?}", r.status, r.location),
            );
        }
    }
    // After Cancel, the old session is dead.
    let b = Browser::new(&app);
    b.to_step("password", MJONES, "123456789", "Rex", "cancel@example.com")
        .await;
    let old = b.wizard_token().unwrap();
    b.submit("/api/wizard/cancel", &[]).await;
    for (path, form) in ACTIONS {
        if *path == "/api/wizard/lookup" {
            continue;
        }
        let before = app.snapshot(BOOKKEEPING).await;
        let r = TestApp::read(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(format!("{}{path}", app.base))
                .header("origin", &app.base)
                .header("cookie", format!("pp_wizard={old}"))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await;
        stopped_if(
            &format!("{path} after Cancel"),
            r.status == 303
                && r.location.as_deref() == Some("/wizard/lookup?notice=out-of-order")
                && before == app.snapshot(BOOKKEEPING).await,
            format!("{} {:?}", r.status, r.location),
        );
    }
    // Another wizard's session: wizard B (at Account Verification) cannot
    // act for wizard A (at Verify Username and Password).
    let a = Browser::new(&app);
    a.to_step(
        "password",
        BILLING,
        "061234567",
        "Hartford",
        "a@example.com",
    )
    .await;
    let bb = Browser::new(&app);
    bb.to_step("verify", MJONES, "123456789", "", "").await;
    let before = app.snapshot(BOOKKEEPING).await;
    let r = bb
        .post(
            "/api/wizard/password",
            &[("username", BILLING), ("password", "Billing#2020")],
        )
        .await;
    stopped_if(
        "wizard B submits wizard A's step",
        r.location.as_deref() == Some("/wizard/verify?notice=out-of-order")
            && before == app.snapshot(BOOKKEEPING).await,
        format!("{:?}", r.location),
    );
    app.cleanup().await;

    // After expiry (15 minutes idle): every function is refused.
    let Some(app) = self::app(db).await else {
        return;
    };
    for (path, form) in ACTIONS {
        let b = Browser::new(&app);
        b.john_to("code", "late@example.com").await;
        app.state.clock.advance(16 * 60);
        let legacy = app
            .snapshot(&[
                "audit_events",
                "audit_repeats",
                "rate_events",
                "rate_keys",
                "flows",
                "email_codes",
                "wizard_accounts",
            ])
            .await;
        let r = b.post(path, form).await;
        let want = if *path == "/api/wizard/lookup" {
            // A lookup on an expired wizard starts a new one.
            r.location.as_deref() == Some("/wizard/verify")
        } else {
            r.location.as_deref() == Some("/wizard/lookup?notice=expired")
        };
        stopped_if(
            &format!("{path} after the wizard expired"),
            r.status == 303
                && want
                && legacy
                    == app
                        .snapshot(&[
                            "audit_events",
                            "audit_repeats",
                            "rate_events",
                            "rate_keys",
                            "flows",
                            "email_codes",
                            "wizard_accounts",
                        ])
                        .await
                && count(
                    &app,
                    "SELECT COUNT(*) FROM flows WHERE kind = 'wizard' AND step <> 'verify'",
                )
                .await
                    == 0,
            format!("{} {:?}", r.status, r.location),
        );
    }
    app.cleanup().await;
}
