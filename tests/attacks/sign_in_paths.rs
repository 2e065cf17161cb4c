//! Forgot Username, Forgot Password and Register.

use super::*;

/// Forgot Username, Forgot Password and Register: enumeration by content and
/// timing, guessing registration codes and reset codes (in parallel), step
/// skipping, and secrets at rest and in the log.
pub(crate) async fn sign_in_paths(db: Db) {
    let Some(app) = app(db).await else { return };
    const PASSWORD: &str = "Lantern harbour quietly 42";
    const NEW_PASSWORD: &str = "Copper kettle morning fog";
    let owner = Browser::new(&app);
    app.register_with_demo_code(
        &owner.client,
        "clinic-owner",
        "owner@clinic.example",
        PASSWORD,
    )
    .await;

    // Step skipping: every later function, with no flow and with a flow at
    // its first step, changes nothing.
    let later: &[(&str, &[(&str, &str)])] = &[
        (
            "/api/forgot_password/new",
            &[("password", PASSWORD), ("confirm_password", PASSWORD)],
        ),
        (
            "/api/register/password",
            &[("password", PASSWORD), ("confirm_password", PASSWORD)],
        ),
        (
            "/api/register/account",
            &[
                ("username", "x"),
                ("email", "x@y.example"),
                ("verify_email", "x@y.example"),
            ],
        ),
        ("/api/flow/code", &[("code", "123456")]),
        ("/api/flow/resend", &[]),
        ("/api/flow/previous", &[]),
    ];
    let fresh = Browser::new(&app);
    let at_start = Browser::new(&app);
    at_start
        .submit(
            "/api/register/start",
            &[("registration_code", ""), ("tin", "")],
        )
        .await;
    for b in [&fresh, &at_start] {
        for (path, form) in later {
            let before = app.snapshot(BOOKKEEPING).await;
            let r = b.post(path, form).await;
            let after = app.snapshot(BOOKKEEPING).await;
            stopped_if(
                &format!("{path} out of order"),
                r.status == 303
                    && r.location
                        .as_deref()
                        .is_some_and(|l| l.contains("out-of-order"))
                    && before == after,
                format!("{} {:?}", r.status, r.location),
            );
        }
    }

    // Enumeration by content: a real login and nobody read the same.
    let sent_before = app.codes_to("owner@clinic.example").len();
    let (k, u) = (Browser::new(&app), Browser::new(&app));
    let rk = k
        .post("/api/forgot_password", &[("username", "clinic-owner")])
        .await;
    let ru = u
        .post("/api/forgot_password", &[("username", "nobody-here")])
        .await;
    let (pk, pu) = (
        k.get("/forgot-password/code").await,
        u.get("/forgot-password/code").await,
    );
    stopped_if(
        "Forgot Password reply and page, real login vs nobody",
        shape(&rk) == shape(&ru)
            && stable(&pk.body) == stable(&pu.body)
            && same_countdown(&pk.body, &pu.body),
        "they differ",
    );
    // Guessing the reset code: 50 at once, at most five evaluated, and the
    // right code afterwards does not pass.
    let right = app.next_code_to("owner@clinic.example", sent_before).await;
    let wrong: Vec<String> = (0..50)
        .map(|i| format!("{:06}", (right.parse::<u32>().unwrap() + 1 + i) % 1_000_000))
        .collect();
    let before = audits(&app, "verify_flow_code", "wrong").await;
    no_server_errors(all_at_once(
        &app,
        "/api/flow/code",
        wrong
            .into_iter()
            .map(|w| (k.client.clone(), vec![("code", w)]))
            .collect(),
    ))
    .await;
    let evaluated = audits(&app, "verify_flow_code", "wrong").await - before;
    stopped_if(
        "50 concurrent reset-code guesses",
        evaluated <= 5,
        format!("{evaluated} evaluated"),
    );
    let (loc, _) = k.submit("/api/flow/code", &[("code", &right)]).await;
    stopped_if(
        "the right reset code after five wrong ones",
        loc == "/forgot-password/code",
        loc,
    );

    // Enumeration by timing, 200 samples each, alternating.
    let (ok, report) = same_timing(
        "forgot password",
        200,
        0.10,
        |_| {
            let b = Browser::new(&app);
            async move {
                b.post("/api/forgot_password", &[("username", "clinic-owner")])
                    .await;
            }
        },
        |i| {
            let b = Browser::new(&app);
            async move {
                b.post(
                    "/api/forgot_password",
                    &[("username", &format!("nobody{i}"))],
                )
                .await;
            }
        },
    )
    .await;
    stopped_if("Forgot Password timing, real login vs nobody", ok, report);
    let (ok, report) = same_timing(
        "forgot username",
        200,
        0.10,
        |_| {
            let b = Browser::new(&app);
            async move {
                b.post("/api/forgot_username", &[("email", "owner@clinic.example")])
                    .await;
            }
        },
        |i| {
            let b = Browser::new(&app);
            async move {
                b.post(
                    "/api/forgot_username",
                    &[("email", &format!("nobody{i}@clinic.example"))],
                )
                .await;
            }
        },
    )
    .await;
    stopped_if("Forgot Username timing, real address vs nobody", ok, report);

    // Registration codes: 200 guessed codes with the right TIN pass none;
    // 50 wrong TINs at once with the right code get at most five
    // evaluations, then the right TIN reads as wrong until the lock ends.
    let tin = provider_portal::domain::Tin::parse("223334444").unwrap();
    let what = provider_portal::recovery::service::CodeFor {
        tin: &tin,
        practice: "Lakeside Dental",
        role: "Practice manager",
        days: 30,
        code: None,
    };
    let code = provider_portal::recovery::service::issue_registration_code(
        &app.state.store,
        &app.state.key,
        &what,
        app.state.clock.now(),
    )
    .await
    .unwrap();
    let guesser = Browser::new(&app);
    let mut passed = 0;
    for _ in 0..200 {
        let guess = provider_portal::auth::random_registration_code();
        let r = guesser
            .post(
                "/api/register/start",
                &[("registration_code", &guess), ("tin", "223334444")],
            )
            .await;
        passed += usize::from(r.location.as_deref() != Some("/register"));
    }
    stopped_if(
        "200 guessed registration codes",
        passed == 0,
        format!("{passed} passed"),
    );
    let before = audits(&app, "register_start", "wrong").await;
    no_server_errors(all_at_once(
        &app,
        "/api/register/start",
        (0..50)
            .map(|i| {
                let (c, _) = app.new_browser();
                (
                    c,
                    vec![
                        ("registration_code", code.clone()),
                        ("tin", format!("{:09}", 100_000_000 + i)),
                    ],
                )
            })
            .collect(),
    ))
    .await;
    let evaluated = audits(&app, "register_start", "wrong").await - before;
    let locked = Browser::new(&app);
    let r_right = locked
        .post(
            "/api/register/start",
            &[("registration_code", &code), ("tin", "223334444")],
        )
        .await;
    let p_right = locked.get("/register").await;
    let r_wrong = locked
        .post(
            "/api/register/start",
            &[("registration_code", &code), ("tin", "999999999")],
        )
        .await;
    let p_wrong = locked.get("/register").await;
    stopped_if(
        "50 concurrent TINs for one registration code",
        evaluated <= 5
            && r_right.location == r_wrong.location
            && stable(&p_right.body).replace("value=\"999999999\"", "value=\"\"")
                == stable(&p_wrong.body).replace("value=\"999999999\"", "value=\"\""),
        format!("{evaluated} evaluated; right TIN {:?}", r_right.location),
    );

    // The owner resets the password; then neither the database nor the log
    // holds a password, a code, the registration code or the full TIN.
    // A day later (the timing runs used up the day's mails for this login).
    app.state.clock.advance(24 * 3600 + 1);
    let reset = Browser::new(&app);
    let sent_before = app.codes_to("owner@clinic.example").len();
    reset
        .submit("/api/forgot_password", &[("username", "clinic-owner")])
        .await;
    let code6 = app.next_code_to("owner@clinic.example", sent_before).await;
    reset.submit("/api/flow/code", &[("code", &code6)]).await;
    let (loc, _) = reset
        .submit(
            "/api/forgot_password/new",
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(loc, "/?notice=password-changed");
    let dump = app.dump().await;
    let log = log_text();
    let bare = code.replace('-', "");
    let secrets: [&str; 9] = [
        PASSWORD,
        NEW_PASSWORD,
        code6.as_str(),
        right.as_str(),
        code.as_str(),
        bare.as_str(),
        "456789012",
        "223334444",
        "DEMOREG12026",
    ];
    for secret in secrets {
        stopped_if(
            "a secret of the sign-in paths in the database dump or the log",
            !has_token(&dump, secret) && !has_token(&log, secret),
            format!(
                "{secret} found: in the dump {:?}, in the log {:?}",
                token_context(&dump, secret),
                token_context(&log, secret)
            ),
        );
    }
    app.cleanup().await;
}
