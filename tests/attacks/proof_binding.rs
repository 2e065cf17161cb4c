//! A proof made in one wizard, or for one account or address, used for another.

use super::*;

pub(crate) async fn proof_binding(db: Db) {
    let Some(app) = app(db).await else { return };
    // A code mailed to wizard A, typed into wizard B (same address).
    let a = Browser::new(&app);
    a.john_to("code", "shared@example.com").await;
    let code_a = app.latest_code("shared@example.com").await;
    let b = Browser::new(&app);
    b.to_step(
        "code",
        BILLING,
        "061234567",
        "Hartford",
        "shared@example.com",
    )
    .await;
    let code_b = app.latest_code("shared@example.com").await;
    if code_a != code_b {
        let (loc, _) = b.submit("/api/wizard/code", &[("code", &code_a)]).await;
        stopped_if(
            "wizard A's code used in wizard B",
            loc == "/wizard/code"
                && count(
                    &app,
                    "SELECT COUNT(*) FROM flows WHERE kind = 'wizard' AND step = 'password'",
                )
                .await
                    == 0,
            loc,
        );
    }
    // The code still works where it was sent, once.
    let (loc, _) = a.submit("/api/wizard/code", &[("code", &code_a)]).await;
    assert_eq!(loc, "/wizard/password");

    // An answer proven in A does not carry to B: B still has to answer.
    let c = Browser::new(&app);
    c.to_step("verify", JOHN, JOHN_TIN, "", "").await;
    let r = c
        .post(
            "/api/wizard/email",
            &[
                ("email", "c@example.com"),
                ("verify_email", "c@example.com"),
            ],
        )
        .await;
    stopped_if(
        "skipping the answer because another wizard gave it",
        r.location.as_deref() == Some("/wizard/verify?notice=out-of-order"),
        format!("{:?}", r.location),
    );

    // A different old account swapped in at the password step: A proved
    // johnsmith's answer and email; jsmith-billing's right password is refused.
    let (loc, page) = a
        .submit(
            "/api/wizard/password",
            &[("username", BILLING), ("password", "Billing#2020")],
        )
        .await;
    stopped_if(
        "another account's password at the password step",
        loc == "/wizard/password"
            && page.body.contains("The username or password is not right")
            && count(&app, "SELECT COUNT(*) FROM wizard_accounts").await == 0,
        loc,
    );

    // The email changed after its code was verified: not at this step...
    let r = a
        .post(
            "/api/wizard/email",
            &[
                ("email", "evil@example.com"),
                ("verify_email", "evil@example.com"),
            ],
        )
        .await;
    stopped_if(
        "changing the verified email from the password step",
        r.location.as_deref() == Some("/wizard/password?notice=out-of-order")
            && count(
                &app,
                "SELECT COUNT(*) FROM flows WHERE kind = 'wizard' AND email = 'evil@example.com'",
            )
            .await
                == 0,
        format!("{:?}", r.location),
    );
    // ...and going back to change it unverifies it: the old code does not
    // verify the new address, and the password step is closed until it is.
    let (loc, _) = a.submit("/api/wizard/previous", &[]).await;
    assert_eq!(loc, "/wizard/email");
    app.state.clock.advance(61);
    let (loc, _) = a
        .submit(
            "/api/wizard/email",
            &[
                ("email", "evil@example.com"),
                ("verify_email", "evil@example.com"),
            ],
        )
        .await;
    assert_eq!(loc, "/wizard/code", "a new code went to the new address");
    let (loc, _) = a.submit("/api/wizard/code", &[("code", &code_a)]).await;
    let r = a
        .post(
            "/api/wizard/password",
            &[("username", JOHN), ("password", JOHN_PASSWORD)],
        )
        .await;
    stopped_if(
        "email changed after its code was verified",
        loc == "/wizard/code"
            && r.location.as_deref() == Some("/wizard/code?notice=out-of-order")
            && count(&app, "SELECT COUNT(*) FROM wizard_accounts").await == 0,
        format!("{loc} {:?}", r.location),
    );
    // Finish with nothing proven in this wizard.
    let r = a.post("/api/wizard/finish", &[]).await;
    stopped_if(
        "Finish before the proofs",
        r.location.as_deref() == Some("/wizard/code?notice=out-of-order")
            && count(&app, "SELECT COUNT(*) FROM portal_users").await == 0,
        format!("{:?}", r.location),
    );
    app.cleanup().await;
}
