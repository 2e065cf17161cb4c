//! Forgot Username, Forgot Password and Register, driven over HTTP against
//! the real server, on SQLite and PostgreSQL, with their refusals.

use crate::common::{same_countdown, stable, TestApp};

on_both_databases!(
    a_registration_code_makes_a_login_that_signs_in,
    registration_refusals_say_why_and_keep_typing,
    wrong_tins_lock_a_registration_code,
    an_expired_or_used_code_says_so_to_its_holder,
    the_operators_command_issues_a_working_code,
    forgot_username_mails_the_username_and_reads_the_same_for_nobody,
    forgot_password_resets_and_ends_every_session,
    forgot_password_for_nobody_reads_the_same_and_never_passes,
    new_passwords_follow_the_rules,
    out_of_order_calls_change_nothing,
    cancel_ends_the_flow,
);

const DEMO_CODE: &str = "DEMO-REG1-2026";
const DEMO_TIN: &str = "45-6789012";

async fn a_registration_code_makes_a_login_that_signs_in(app: &TestApp) {
    let page = app.get("/register").await;
    for text in [
        "<h1",
        ">Register<",
        "Registration Code",
        "Tax ID Number",
        ">Next<",
        ">Cancel<",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    app.register_with_demo_code(
        &app.client,
        "Riverside-Front",
        "front@riverside.example",
        "Riverside clinic front desk 7",
    )
    .await;
    let done = app.get("/register/done").await;
    assert!(done.body.contains("Registration Complete"));
    assert!(done.body.contains("Riverside-Front"));
    assert!(done.body.contains("Riverside Family Practice"));
    assert!(done.body.contains("***-**-9012"));
    // The login exists with the code's practice; the code is used; no TIN in clear.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users WHERE username_key = 'riverside-front'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_practices").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM registration_codes WHERE used_at IS NOT NULL")
            .await,
        1
    );
    let dump = app.dump().await;
    for secret in [
        "456789012",
        "DEMOREG12026",
        "DEMO-REG1-2026",
        "Riverside clinic front desk 7",
    ] {
        assert!(!dump.contains(secret), "{secret} is in the database");
    }
    // Sign in (the username matches without regard to case), My accounts.
    let (b, _) = app.new_browser();
    let to = app
        .sign_in_from(&b, "riverside-front", "Riverside clinic front desk 7")
        .await
        .location;
    assert_eq!(to.as_deref(), Some("/accounts"));
    let me = TestApp::read(
        b.get(format!("{}/accounts", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(me.body.contains("Riverside Family Practice"), "{}", me.body);
    assert!(me.body.contains("***-**-9012"));
    // Every step was audited.
    for action in [
        "register_start",
        "register_account",
        "verify_flow_code",
        "register_password",
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await;
        assert!(n >= 1, "{action} not audited");
    }
}

async fn registration_refusals_say_why_and_keep_typing(app: &TestApp) {
    // Malformed: each field says why; the TIN typed wrong is kept.
    let (loc, page) = app
        .submit(
            "/api/register/start",
            &[("registration_code", "ABC"), ("tin", "12-34")],
        )
        .await;
    assert_eq!(loc, "/register");
    assert!(page
        .body
        .contains("A registration code is 12 letters and digits"));
    assert!(page.body.contains("Enter a Tax ID Number of 9 digits"));
    assert!(page.body.contains("value=\"12-34\""));
    assert!(page.body.contains("aria-invalid=\"true\""));
    // A well-formed code that was never issued.
    let (loc, page) = app
        .submit(
            "/api/register/start",
            &[("registration_code", "AAAA-BBBB-CCCC"), ("tin", DEMO_TIN)],
        )
        .await;
    assert_eq!(loc, "/register");
    assert!(page.body.contains("does not match that Tax ID Number"));
    // The right code for another TIN reads the same.
    let (_, other) = app
        .submit(
            "/api/register/start",
            &[("registration_code", DEMO_CODE), ("tin", "836576879")],
        )
        .await;
    assert!(other.body.contains("does not match that Tax ID Number"));
    // Create Your Login: taken usernames (old portal and new), bad email.
    app.submit(
        "/api/register/start",
        &[("registration_code", DEMO_CODE), ("tin", DEMO_TIN)],
    )
    .await;
    for taken in ["mjones", "JohnSmith@Gmail.com"] {
        let (loc, page) = app
            .submit(
                "/api/register/account",
                &[
                    ("username", taken),
                    ("email", "a@b.example"),
                    ("verify_email", "a@b.example"),
                ],
            )
            .await;
        assert_eq!(loc, "/register/account");
        assert!(
            page.body.contains("That username is already taken"),
            "{taken}"
        );
        assert!(page.body.contains("value=\"a@b.example\""), "typing kept");
    }
    assert_eq!(app.mail_count().await, 0, "no code for a refused form");
    let (_, page) = app
        .submit(
            "/api/register/account",
            &[
                ("username", "new user"),
                ("email", "a@b"),
                ("verify_email", "x@b.example"),
            ],
        )
        .await;
    assert!(page.body.contains("Usernames cannot contain spaces"));
    assert!(page
        .body
        .contains("Enter an email address in the right format"));
    // Code page: wrong code, then Previous goes back with the typing kept.
    app.submit(
        "/api/register/account",
        &[
            ("username", "riverside"),
            ("email", "r@riverside.example"),
            ("verify_email", "r@riverside.example"),
        ],
    )
    .await;
    let (loc, page) = app.submit("/api/flow/code", &[("code", "000000")]).await;
    assert_eq!(loc, "/register/code");
    assert!(page.body.contains("aria-invalid=\"true\""));
    let (loc, page) = app.submit("/api/flow/previous", &[]).await;
    assert_eq!(loc, "/register/account");
    assert!(page.body.contains("value=\"riverside\""));
    assert!(page.body.contains("value=\"r@riverside.example\""));
}

async fn wrong_tins_lock_a_registration_code(app: &TestApp) {
    for _ in 0..5 {
        let (loc, _) = app
            .submit(
                "/api/register/start",
                &[("registration_code", DEMO_CODE), ("tin", "111111111")],
            )
            .await;
        assert_eq!(loc, "/register");
    }
    // Locked: the right TIN reads exactly as a wrong one.
    let (_, locked) = app
        .submit(
            "/api/register/start",
            &[("registration_code", DEMO_CODE), ("tin", DEMO_TIN)],
        )
        .await;
    let (_, wrong) = app
        .submit(
            "/api/register/start",
            &[("registration_code", DEMO_CODE), ("tin", "111111111")],
        )
        .await;
    let strip = |s: &str| {
        stable(s)
            .replace("value=\"111111111\"", "")
            .replace("value=\"\"", "")
    };
    assert_eq!(strip(&locked.body), strip(&wrong.body));
    assert!(locked.body.contains("does not match that Tax ID Number"));
    app.state.clock.advance(15 * 60 + 1);
    let (loc, _) = app
        .submit(
            "/api/register/start",
            &[("registration_code", DEMO_CODE), ("tin", DEMO_TIN)],
        )
        .await;
    assert_eq!(loc, "/register/account");
}

async fn an_expired_or_used_code_says_so_to_its_holder(app: &TestApp) {
    app.register_with_demo_code(
        &app.client,
        "first-user",
        "first@riverside.example",
        "Riverside clinic front desk 7",
    )
    .await;
    let (b, _) = app.new_browser();
    let r = app
        .post_with(
            &b,
            "/api/register/start",
            &[("registration_code", DEMO_CODE), ("tin", DEMO_TIN)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/register"));
    let page = TestApp::read(
        b.get(format!("{}/register", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("already been used"), "{}", page.body);
    // A code that expired.
    let tin = provider_portal::domain::Tin::parse("111222333").unwrap();
    let what = provider_portal::recovery::service::CodeFor {
        tin: &tin,
        practice: "Old Mill Clinic",
        role: "Front desk",
        days: 1,
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
    app.state.clock.advance(24 * 3600 + 1);
    let (_, page) = app
        .submit(
            "/api/register/start",
            &[("registration_code", &code), ("tin", "111222333")],
        )
        .await;
    assert!(page.body.contains("has expired"), "{}", page.body);
}

async fn the_operators_command_issues_a_working_code(app: &TestApp) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_provider-portal"))
        .args([
            "registration-code",
            "issue",
            "--tin",
            "22-3334444",
            "--practice",
            "Lakeside Dental",
            "--days",
            "5",
        ])
        .env("DATABASE_URL", &app.database_url)
        .env_remove("APP_SECRET")
        .env_remove("APP_ENV")
        .output()
        .expect("run the binary");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(code.len(), 14, "{code}");
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("***-**-4444") && !note.contains("3334444"),
        "{note}"
    );
    let (loc, page) = app
        .submit(
            "/api/register/start",
            &[
                ("registration_code", &code.to_lowercase()),
                ("tin", "223334444"),
            ],
        )
        .await;
    assert_eq!(loc, "/register/account");
    assert!(page.body.contains("Lakeside Dental"));
    // Bad options: a sentence and exit code 2, nothing stored.
    let before = app.count("SELECT COUNT(*) FROM registration_codes").await;
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_provider-portal"))
        .args(["registration-code", "issue", "--tin", "12"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a TIN"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM registration_codes").await,
        before
    );
}

async fn forgot_username_mails_the_username_and_reads_the_same_for_nobody(app: &TestApp) {
    app.register_with_demo_code(
        &app.client,
        "Riverside-Front",
        "front@riverside.example",
        "Riverside clinic front desk 7",
    )
    .await;
    let before = app.mail_count().await;
    let (b1, _) = app.new_browser();
    let r = app
        .post_with(
            &b1,
            "/api/forgot_username",
            &[("email", "FRONT@riverside.example")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/forgot-username/sent"));
    let known = TestApp::read(
        b1.get(format!("{}/forgot-username/sent", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mail = app
        .wait_mail("front@riverside.example", "username")
        .await
        .expect("a mail");
    assert!(mail.body.contains("Riverside-Front"));
    let (b2, _) = app.new_browser();
    let r = app
        .post_with(
            &b2,
            "/api/forgot_username",
            &[("email", "nobody@riverside.example")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/forgot-username/sent"));
    let unknown = TestApp::read(
        b2.get(format!("{}/forgot-username/sent", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    // The same page but for the masked address it names.
    let without_address = |body: &str| {
        let s = stable(body);
        let i = s.find("uses ").unwrap() + 5;
        let j = i + s[i..].find(',').unwrap();
        assert!(s[i..j].ends_with("@riverside.example"), "{}", &s[i..j]);
        format!("{}{}", &s[..i], &s[j..])
    };
    assert_eq!(without_address(&known.body), without_address(&unknown.body));
    // A mail is written into the outbox by the request, before its answer:
    // none written for the unknown address is none to come.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE LOWER(recipient) = 'nobody@riverside.example'"
        )
        .await,
        0,
        "no mail written for an unknown address"
    );
    app.outbox_settled().await;
    assert_eq!(
        app.mail_count().await,
        before + 1,
        "no mail for an unknown address"
    );
    // A typing mistake is explained and kept.
    let (loc, page) = app
        .submit("/api/forgot_username", &[("email", "not-an-email")])
        .await;
    assert_eq!(loc, "/forgot-username");
    assert!(page.body.contains("value=\"not-an-email\""));
    assert!(page.body.contains("aria-invalid=\"true\""));
}

async fn forgot_password_resets_and_ends_every_session(app: &TestApp) {
    let old = "Riverside clinic front desk 7";
    let new = "Quiet harbour lanterns at dusk";
    app.register_with_demo_code(
        &app.client,
        "Riverside-Front",
        "front@riverside.example",
        old,
    )
    .await;
    // Two browsers signed in.
    let (b1, _) = app.new_browser();
    let (b2, _) = app.new_browser();
    assert_eq!(
        app.sign_in_from(&b1, "riverside-front", old)
            .await
            .location
            .as_deref(),
        Some("/accounts")
    );
    assert_eq!(
        app.sign_in_from(&b2, "riverside-front", old)
            .await
            .location
            .as_deref(),
        Some("/accounts")
    );
    // The code goes in the background, to the address that already has the
    // registration's code (the same subject): the next one is this code.
    let codes = app.codes_to("front@riverside.example").len();
    let (loc, page) = app
        .submit("/api/forgot_password", &[("username", "RIVERSIDE-FRONT")])
        .await;
    assert_eq!(loc, "/forgot-password/code");
    assert!(page.body.contains("Security Code Verification"));
    let code = app.next_code_to("front@riverside.example", codes).await;
    let (loc, _) = app.submit("/api/flow/code", &[("code", &code)]).await;
    assert_eq!(loc, "/forgot-password/new");
    let (loc, page) = app
        .submit(
            "/api/forgot_password/new",
            &[("password", new), ("confirm_password", new)],
        )
        .await;
    assert_eq!(loc, "/?notice=password-changed");
    assert!(page.body.contains("Your password was changed"));
    // Every session ended; the old password is refused, the new one works.
    for b in [&b1, &b2] {
        let r = TestApp::read(
            b.get(format!("{}/accounts", app.base))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, 302, "signed out");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM user_sessions").await, 0);
    let (b3, _) = app.new_browser();
    assert!(app
        .sign_in_from(&b3, "riverside-front", old)
        .await
        .location
        .is_some_and(|l| l == "/"));
    assert_eq!(
        app.sign_in_from(&b3, "riverside-front", new)
            .await
            .location
            .as_deref(),
        Some("/accounts")
    );
    let notice = app
        .wait_mail("front@riverside.example", "password was changed")
        .await
        .expect("a notice");
    assert!(notice.body.contains("Riverside-Front"));
    // The code was single use: the flow is gone.
    let r = app.post("/api/flow/code", &[("code", &code)]).await;
    assert!(r.location.unwrap().contains("out-of-order"));
}

async fn forgot_password_for_nobody_reads_the_same_and_never_passes(app: &TestApp) {
    app.register_with_demo_code(
        &app.client,
        "Riverside-Front",
        "front@riverside.example",
        "Riverside clinic front desk 7",
    )
    .await;
    let before = app.mail_count().await;
    let written = app.count("SELECT COUNT(*) FROM outbox").await;
    let codes = app.codes_to("front@riverside.example").len();
    let (b1, _) = app.new_browser();
    let (b2, _) = app.new_browser();
    let r1 = app
        .post_with(
            &b1,
            "/api/forgot_password",
            &[("username", "riverside-front")],
        )
        .await;
    let r2 = app
        .post_with(&b2, "/api/forgot_password", &[("username", "nobody-here")])
        .await;
    assert_eq!(r1.location, r2.location);
    let p1 = TestApp::read(
        b1.get(format!("{}/forgot-password/code", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let p2 = TestApp::read(
        b2.get(format!("{}/forgot-password/code", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(stable(&p1.body), stable(&p2.body));
    assert!(same_countdown(&p1.body, &p2.body));
    // One mail written (by the requests, before their answers), the real
    // login's code; it goes in the background.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        written + 1,
        "one mail written, to the real login"
    );
    app.next_code_to("front@riverside.example", codes).await;
    app.outbox_settled().await;
    assert_eq!(
        app.mail_count().await,
        before + 1,
        "one mail, to the real login"
    );
    // Nobody's flow: every code is wrong, then void, as a real one.
    for i in 0..5 {
        let r = app
            .post_with(&b2, "/api/flow/code", &[("code", &format!("00000{i}"))])
            .await;
        assert_eq!(r.location.as_deref(), Some("/forgot-password/code"));
    }
    let r = app
        .post_with(
            &b2,
            "/api/forgot_password/new",
            &[("password", "x"), ("confirm_password", "x")],
        )
        .await;
    assert!(r.location.unwrap().contains("out-of-order"));
    // Request New Code: the cooldown holds for both alike.
    let r1 = app.post_with(&b1, "/api/flow/resend", &[]).await;
    let r2 = app.post_with(&b2, "/api/flow/resend", &[]).await;
    assert_eq!(r1.location, r2.location);
    let p1 = TestApp::read(
        b1.get(format!("{}/forgot-password/code", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let p2 = TestApp::read(
        b2.get(format!("{}/forgot-password/code", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(p1.body.contains("less than a minute ago"));
    assert_eq!(stable(&p1.body), stable(&p2.body));
    assert!(same_countdown(&p1.body, &p2.body));
}

async fn new_passwords_follow_the_rules(app: &TestApp) {
    app.submit(
        "/api/register/start",
        &[("registration_code", DEMO_CODE), ("tin", DEMO_TIN)],
    )
    .await;
    app.submit(
        "/api/register/account",
        &[
            ("username", "riverside"),
            ("email", "r@riverside.example"),
            ("verify_email", "r@riverside.example"),
        ],
    )
    .await;
    let code = app.latest_code("r@riverside.example").await;
    app.submit("/api/flow/code", &[("code", &code)]).await;
    let long = "x".repeat(65);
    for (password, confirm, says) in [
        ("short", "short", "at least 8 characters"),
        (long.as_str(), long.as_str(), "at most 64 characters"),
        ("password123", "password123", "too common"),
        ("Iloveyou1", "Iloveyou1", "too common"),
        (
            "my Riverside office 2026",
            "my Riverside office 2026",
            "must not contain your username",
        ),
        (
            "Quiet harbour lanterns",
            "Quiet harbour lantern",
            "not the same",
        ),
        ("Quiet harbour lanterns", "", "again to confirm"),
    ] {
        let (loc, page) = app
            .submit(
                "/api/register/password",
                &[("password", password), ("confirm_password", confirm)],
            )
            .await;
        assert_eq!(loc, "/register/password", "{password}");
        assert!(page.body.contains(says), "{password}: {says}");
        // Secrets are never sent back.
        assert!(!page.body.contains(&format!("value=\"{password}\"")));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 0);
    // 64 characters, spaces kept as typed: accepted, and that exact password signs in.
    let exact = format!(" {} ", "harbour ".repeat(8).trim_end())
        .chars()
        .take(64)
        .collect::<String>();
    assert_eq!(exact.chars().count(), 64);
    let (loc, _) = app
        .submit(
            "/api/register/password",
            &[("password", &exact), ("confirm_password", &exact)],
        )
        .await;
    assert_eq!(loc, "/register/done");
    let (b, _) = app.new_browser();
    assert!(app
        .sign_in_from(&b, "riverside", exact.trim())
        .await
        .location
        .is_some_and(|l| l == "/"));
    assert_eq!(
        app.sign_in_from(&b, "riverside", &exact)
            .await
            .location
            .as_deref(),
        Some("/accounts")
    );
}

async fn out_of_order_calls_change_nothing(app: &TestApp) {
    let skip = ["audit_events", "audit_repeats", "rate_events", "rate_keys"];
    let before = app.snapshot(&skip).await;
    for (path, form) in [
        (
            "/api/forgot_password/new",
            vec![
                ("password", "Quiet harbour lanterns"),
                ("confirm_password", "Quiet harbour lanterns"),
            ],
        ),
        (
            "/api/register/password",
            vec![
                ("password", "Quiet harbour lanterns"),
                ("confirm_password", "Quiet harbour lanterns"),
            ],
        ),
        (
            "/api/register/account",
            vec![
                ("username", "x"),
                ("email", "x@y.example"),
                ("verify_email", "x@y.example"),
            ],
        ),
        ("/api/flow/code", vec![("code", "123456")]),
        ("/api/flow/resend", vec![]),
        ("/api/flow/previous", vec![]),
    ] {
        let r = app.post(path, &form).await;
        assert_eq!(r.status, 303, "{path}");
        assert!(
            r.location.unwrap().contains("notice=out-of-order"),
            "{path}"
        );
    }
    assert_eq!(before, app.snapshot(&skip).await);
    // In a flow at its first step, a later step's function is refused too.
    app.submit(
        "/api/register/start",
        &[("registration_code", "AAAA-BBBB-CCCC"), ("tin", DEMO_TIN)],
    )
    .await;
    let before = app.snapshot(&skip).await;
    let r = app
        .post(
            "/api/register/password",
            &[
                ("password", "Quiet harbour lanterns"),
                ("confirm_password", "Quiet harbour lanterns"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/register?notice=out-of-order"));
    assert_eq!(before, app.snapshot(&skip).await);
    // Pages of a later step send the browser to where its flow is.
    let r = app.get("/register/password").await;
    assert_eq!(r.status, 302);
    assert_eq!(r.location.as_deref(), Some("/register"));
    let refused = app
        .count("SELECT COUNT(*) FROM audit_events WHERE outcome = 'refused: out of order'")
        .await;
    assert!(refused >= 1);
}

async fn cancel_ends_the_flow(app: &TestApp) {
    app.submit("/api/forgot_password", &[("username", "mjones")])
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind <> 'wizard'")
            .await,
        1
    );
    let r = app.post("/api/flow/cancel", &[("code", "")]).await;
    assert_eq!(r.location.as_deref(), Some("/?notice=cancelled"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind <> 'wizard'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM email_codes").await, 0);
    // Idle flows expire.
    app.submit("/api/forgot_password", &[("username", "mjones")])
        .await;
    app.state.clock.advance(15 * 60 + 1);
    let r = app.post("/api/flow/code", &[("code", "123456")]).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/forgot-password?notice=expired")
    );
}
