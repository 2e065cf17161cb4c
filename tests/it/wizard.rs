//! The wizard, driven over HTTP against the real server, on SQLite and PostgreSQL.

use crate::common::TestApp;

on_both_databases!(
    whole_walkthrough_consolidates_the_account,
    sign_in_page_and_wizard_pages_read_as_the_guide,
    bad_lookup_input_is_explained_and_kept,
    unknown_pair_gets_a_decoy_question_of_the_same_shape,
    wrong_answers_lock_the_step_and_locked_reads_as_wrong,
    pin_is_accepted_instead_of_the_answer,
    email_mistakes_are_explained_and_kept,
    wrong_code_expired_code_and_single_use,
    resend_cooldown_hourly_cap_and_new_code_voids_old,
    out_of_order_calls_change_nothing,
    wrong_password_locks_on_its_own_counter,
    previous_keeps_typing_and_cancel_discards,
    idle_wizard_expires,
    consolidated_account_is_refused_after_its_answer,
    concurrent_merges_of_one_account_exactly_one_wins,
    failure_during_finish_leaves_nothing_partial,
    cross_site_posts_are_refused,
    two_accounts_into_one_login_then_sign_in,
    sign_in_locks_after_five_wrong_tries,
    a_signed_in_user_adds_an_account_later,
    an_old_password_below_the_rules_is_replaced_before_finish,
);

/// Consolidates johnsmith@gmail.com, and jsmith-billing with its PIN, in one wizard.
async fn consolidate_both(app: &TestApp) {
    app.walk_to_password("both@example.com").await;
    let (loc, _) = app
        .submit(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    let (loc, _) = app.submit("/api/wizard/another", &[]).await;
    assert_eq!(loc, "/wizard/lookup");
    // The same account again is refused, after its answer.
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    let (loc, page) = app
        .submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    assert_eq!(loc, "/wizard/lookup");
    assert!(page.body.contains("already in your list"));
    app.submit(
        "/api/wizard/lookup",
        &[("username", "jsmith-billing"), ("tin", "061234567")],
    )
    .await;
    let (loc, _) = app
        .submit("/api/wizard/verify", &[("answer", "1357")])
        .await;
    assert_eq!(loc, "/wizard/password", "the email steps are skipped");
    // The password of the account looked up, not of the first one.
    let (loc, _) = app
        .submit(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert_eq!(loc, "/wizard/password");
    let (loc, page) = app
        .submit(
            "/api/wizard/password",
            &[("username", "jsmith-billing"), ("password", "Billing#2020")],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    assert!(
        page.body.contains("Smith Family Medicine Billing") && page.body.contains("***-**-4567")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users").await,
        0,
        "nothing merged before Finish"
    );
    let (loc, page) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    assert!(page.body.contains("Smith Family Medicine Billing") && page.body.contains(JOHN));
}

async fn two_accounts_into_one_login_then_sign_in(app: &TestApp) {
    consolidate_both(app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 2);
    // Sign in with the first account's username and password.
    let (b, _) = app.new_browser();
    let r = app
        .post_with(
            &b,
            "/api/sign_in",
            &[
                ("username", "JohnSmith@gmail.com"),
                ("password", "Welcome#2019"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    let c = r
        .set_cookie
        .iter()
        .find(|c| c.starts_with("pp_session="))
        .unwrap();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict"));
    let page = TestApp::read(
        b.get(format!("{}/accounts", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("My accounts"));
    assert!(
        page.body.contains("Smith Family Medicine Billing")
            && page.body.contains("***-**-6879")
            && page.body.contains("***-**-4567")
    );
    assert!(!page.body.contains("061234567"));
    let r = app.post_with(&b, "/api/sign_out", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/?notice=signed-out"));
    let page = TestApp::read(
        b.get(format!("{}/accounts", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.location.as_deref(), Some("/"), "signed out");
    // Old usernames of merged accounts, and wrong passwords, get one generic message.
    for (u, p) in [
        ("jsmith-billing", "Billing#2020"),
        (JOHN, "Billing#2020"),
        ("nobody", "x"),
    ] {
        let r = app.sign_in(u, p).await;
        assert_eq!(r.location.as_deref(), Some("/"), "{u}");
    }
    // What was typed is shown again from the server, never carried in the
    // address (history and access logs would keep it).
    let (b, _) = app.new_browser();
    let r = app.sign_in_from(&b, "jsmith-billing", "Billing#2020").await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let page = app.get_with(&b, "/").await;
    assert!(page.body.contains("The username or password is not right"));
    assert!(
        page.body.contains("value=\"jsmith-billing\""),
        "the username is kept"
    );
    assert!(!page.body.contains("Billing#2020"), "never the password");
    // A right sign-in then leaves nothing to show again in this browser.
    let records = "SELECT COUNT(*) FROM flows WHERE kind = 'sign_in'";
    let before = app.count(records).await;
    let r = app.sign_in_from(&b, JOHN, "Welcome#2019").await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    assert_eq!(app.count(records).await, before - 1);
    assert!(!app.get_with(&b, "/").await.body.contains("is not right"));
}

async fn sign_in_locks_after_five_wrong_tries(app: &TestApp) {
    app.walk_to_password("lock@example.com").await;
    app.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", "Welcome#2019")],
    )
    .await;
    app.submit("/api/wizard/finish", &[]).await;
    for _ in 0..5 {
        let r = app.sign_in(JOHN, "wrong").await;
        assert_eq!(r.location.as_deref(), Some("/"));
    }
    let (b, _) = app.new_browser();
    let r = app.sign_in_from(&b, JOHN, "Welcome#2019").await;
    assert_eq!(r.location.as_deref(), Some("/"), "locked reads as wrong");
    let page = app.get_with(&b, "/").await;
    assert!(page.body.contains("The username or password is not right"));
    app.state.clock.advance(15 * 60 + 1);
    let r = app.sign_in(JOHN, "Welcome#2019").await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
}

async fn a_signed_in_user_adds_an_account_later(app: &TestApp) {
    app.walk_to_password("later@example.com").await;
    app.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", "Welcome#2019")],
    )
    .await;
    app.submit("/api/wizard/finish", &[]).await;
    let (b, _) = app.new_browser();
    app.post_with(
        &b,
        "/api/sign_in",
        &[("username", JOHN), ("password", "Welcome#2019")],
    )
    .await;
    let r = app
        .post_with(&b, "/api/add_old_account", &[("password", "nope")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/accounts?error=password"));
    let r = app
        .post_with(&b, "/api/add_old_account", &[("password", "Welcome#2019")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup"));
    app.post_with(
        &b,
        "/api/wizard/lookup",
        &[("username", "jsmith-billing"), ("tin", "83-6576879")],
    )
    .await;
    let r = app
        .post_with(&b, "/api/wizard/verify", &[("answer", "hartford")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/password"));
    let r = app
        .post_with(
            &b,
            "/api/wizard/password",
            &[("username", "jsmith-billing"), ("password", "Billing#2020")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/accounts"));
    let r = app.post_with(&b, "/api/wizard/finish", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/wizard/done"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users").await,
        1,
        "added to the same login"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 2);
    let page = TestApp::read(
        b.get(format!("{}/accounts", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("Smith Family Medicine Billing"));
}

const JOHN: &str = "johnsmith@gmail.com";

/// A page without its per-response nonce, for byte comparison.
fn stable(body: &str) -> String {
    let mut out = body.to_string();
    while let Some(i) = out.find("nonce=\"") {
        let end = out[i + 7..].find('"').map(|e| i + 7 + e).unwrap();
        out.replace_range(i..=end, "NONCE");
    }
    while let Some(i) = out.find("crossorigin=\"") {
        let end = out[i + 13..].find('"').map(|e| i + 13 + e).unwrap();
        out.replace_range(i..=end, "CROSSORIGIN");
    }
    out
}

fn cookie_token(p: &crate::common::Page) -> String {
    let c = p
        .set_cookie
        .iter()
        .find(|c| c.starts_with("pp_wizard="))
        .expect("a wizard cookie");
    c["pp_wizard=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn whole_walkthrough_consolidates_the_account(app: &TestApp) {
    let res = app
        .post(
            "/api/wizard/lookup",
            &[("username", "JohnSmith@Gmail.com"), ("tin", "836576879")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location.as_deref(), Some("/wizard/verify"));
    let c = &res.set_cookie[0];
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/"),
        "{c}"
    );
    assert!(!c.contains("Secure"), "plain HTTP gets no Secure flag: {c}");
    let first = cookie_token(&res);

    let page = app.get("/wizard/verify").await;
    assert!(page.body.contains("Account Verification"));
    assert!(
        page.body.contains("What&#x27;s your maiden name?")
            || page.body.contains("What's your maiden name?"),
        "{}",
        page.body
    );
    assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");

    let res = app
        .post("/api/wizard/verify", &[("answer", "  SMITH ")])
        .await;
    assert_eq!(res.location.as_deref(), Some("/wizard/email"));
    let second = cookie_token(&res);
    assert_ne!(first, second, "session id renewed after the answer");

    let res = app
        .post(
            "/api/wizard/email",
            &[
                ("email", "john.smith@example.com"),
                ("verify_email", "John.Smith@Example.com"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/wizard/code"));
    let page = app.get("/wizard/code").await;
    assert!(page.body.contains("Security Code Verification"));
    assert!(
        page.body.contains("jo********@example.com"),
        "masked address shown"
    );
    assert!(page.body.contains("Request New Code"));
    let code = app.latest_code("john.smith@example.com").await;
    let stored: (String,) = sqlx::query_as("SELECT code_hash FROM email_codes")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_ne!(stored.0, code, "only a keyed hash is stored");
    assert!(!stored.0.contains(&code));

    let res = app
        .post(
            "/api/wizard/code",
            &[("code", &format!("{} {}", &code[..3], &code[3..]))],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/wizard/password"));
    let third = cookie_token(&res);
    assert_ne!(second, third, "session id renewed after the code");
    let page = app.get("/wizard/password").await;
    assert!(page.body.contains("Verify Username and Password"));
    assert!(page
        .body
        .contains("Enter username and password for your existing account."));

    let res = app
        .post(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/wizard/accounts"));
    assert_ne!(
        third,
        cookie_token(&res),
        "session id renewed after the password"
    );
    let page = app.get("/wizard/accounts").await;
    assert!(page.body.contains("Add another account") && page.body.contains(">Finish<"));
    assert!(page.body.contains("***-**-6879"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users").await,
        0,
        "nothing merged before Finish"
    );
    let res = app.post("/api/wizard/finish", &[]).await;
    assert_eq!(res.location.as_deref(), Some("/wizard/done"));
    let page = app.get("/wizard/done").await;
    assert!(page.body.contains("Thank You"));
    assert!(page.body.contains("Smith Family Medicine"));
    assert!(page.body.contains("***-**-6879"));
    assert!(
        !page.body.contains("836576879") && !page.body.contains("83-6576879"),
        "full TIN never shown"
    );
    assert!(page.body.contains(JOHN));

    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL")
            .await,
        1
    );
    let (hash, email): (String, String) =
        sqlx::query_as("SELECT password_hash, email FROM portal_users")
            .fetch_one(app.state.store.pool())
            .await
            .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(provider_portal::auth::verify_blocking(
        &hash,
        "Welcome#2019"
    ));
    let (legacy_hash,): (String,) = sqlx::query_as(
        "SELECT password_hash FROM legacy_accounts WHERE username_key = 'johnsmith@gmail.com'",
    )
    .fetch_one(app.state.store.pool())
    .await
    .unwrap();
    assert_ne!(hash, legacy_hash, "re-hashed with a fresh salt");
    assert_eq!(email, "john.smith@example.com");
    // Every step left an audit record.
    for action in [
        "lookup_account",
        "verify_security_answer",
        "send_email_code",
        "verify_email_code",
        "verify_legacy_password",
        "finish",
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await;
        assert!(n >= 1, "no audit event for {action}");
    }
    // The finished wizard accepts nothing more.
    let res = app
        .post(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/wizard/done?notice=out-of-order")
    );
    // Finish again shows the same Thank You once.
    let res = app.post("/api/wizard/finish", &[]).await;
    assert_eq!(res.location.as_deref(), Some("/wizard/done"));
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 1);
    // A confirmation went to the verified address, without secrets.
    // (Sent after the reply: the provider never waits on the mail server.)
    let confirmation = app
        .wait_mail("john.smith@example.com", "under one login")
        .await
        .expect("a confirmation");
    assert_eq!(confirmation.to, "john.smith@example.com");
    assert!(confirmation.body.contains("***-**-6879") && !confirmation.body.contains("836576879"));
    assert!(!confirmation.body.contains("Welcome#2019"));
}

async fn sign_in_page_and_wizard_pages_read_as_the_guide(app: &TestApp) {
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    // Rendered whole on the server (no "Loading…" waiting for JavaScript to
    // swap the form in).
    assert!(
        !page.body.contains("Loading…"),
        "the form is in the page itself"
    );
    for text in [
        ">Username<",
        ">Password<",
        ">Login<",
        ">Forgot Username<",
        ">Forgot Password<",
        ">Register<",
        "If you have an account with us and it's your first time visiting our new portal, please ",
        ">click here to continue<",
        "If you're new, and have a registration code, click Register below to begin.",
        "view our quick guide",
    ] {
        assert!(
            page.body
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .contains(text),
            "sign-in page lacks {text}"
        );
    }
    let page = app.get("/wizard/lookup").await;
    for text in [
        "Account Lookup",
        "We need to look up your information before you begin. Enter your username, and any Tax ID number associated with your account, then click Next to continue.",
        ">Username<",
        ">Tax ID Number<",
        ">Next<",
        ">Cancel<",
        "Having trouble? ",
        "View our quick guide.",
        "Step 1 of 5",
    ] {
        assert!(page.body.replace("&#x27;", "'").contains(text), "lookup page lacks {text}");
    }
    let help = app.get("/help").await;
    for id in [
        "account-lookup",
        "account-verification",
        "email-address-verification",
        "security-code-verification",
        "verify-username-and-password",
    ] {
        assert!(
            help.body.contains(&format!("id=\"{id}\"")),
            "help lacks {id}"
        );
    }
    // Without a wizard, a later step's page sends the browser to the start.
    let page = app.get("/wizard/code").await;
    assert_eq!(page.status, 302);
    assert_eq!(page.location.as_deref(), Some("/wizard/lookup"));
}

async fn bad_lookup_input_is_explained_and_kept(app: &TestApp) {
    let (loc, page) = app
        .submit(
            "/api/wizard/lookup",
            &[("username", "mjones"), ("tin", "12-34")],
        )
        .await;
    assert_eq!(loc, "/wizard/lookup");
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("Enter a Tax ID Number of 9 digits"));
    assert!(page.body.contains("value=\"mjones\""), "username kept");
    assert!(page.body.contains("value=\"12-34\""), "TIN kept");
    assert!(page.body.contains("aria-invalid=\"true\""));
    let (_, page) = app
        .submit("/api/wizard/lookup", &[("username", ""), ("tin", "")])
        .await;
    assert!(page.body.contains("Enter your username."));
    assert!(page.body.contains("Enter a Tax ID Number."));
    // HTML typed into a field comes back escaped.
    let (_, page) = app
        .submit(
            "/api/wizard/lookup",
            &[("username", "<script>x</script>"), ("tin", "1")],
        )
        .await;
    assert!(!page.body.contains("<script>x</script>"));
    assert_eq!(app.wizard_step().await.as_deref(), Some("lookup"));
}

async fn unknown_pair_gets_a_decoy_question_of_the_same_shape(app: &TestApp) {
    let known = app
        .post(
            "/api/wizard/lookup",
            &[("username", "mjones"), ("tin", "123456789")],
        )
        .await;
    let (other, _) = app.new_browser();
    let unknown = app
        .post_with(
            &other,
            "/api/wizard/lookup",
            &[("username", "nobody-here"), ("tin", "987654321")],
        )
        .await;
    let wrong_tin = app
        .post_with(
            &app.new_browser().0,
            "/api/wizard/lookup",
            &[("username", "mjones"), ("tin", "987654321")],
        )
        .await;
    for r in [&known, &unknown, &wrong_tin] {
        assert_eq!(r.status, 303);
        assert_eq!(r.location.as_deref(), Some("/wizard/verify"));
        assert_eq!(r.body, known.body);
        assert_eq!(r.set_cookie.len(), 1);
    }
    let decoy_page = TestApp::read(
        other
            .get(format!("{}/wizard/verify", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(decoy_page.status, 200);
    assert!(decoy_page.body.contains("Account Verification"));
    assert!(
        decoy_page.body.contains("<label for=\"answer\">What"),
        "a question is asked"
    );
    // Whatever is answered, the decoy never lets through.
    for answer in ["Rex", "Smith", "1234"] {
        let r = app
            .post_with(&other, "/api/wizard/verify", &[("answer", answer)])
            .await;
        assert_eq!(r.location.as_deref(), Some("/wizard/verify"));
    }
}

async fn wrong_answers_lock_the_step_and_locked_reads_as_wrong(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "123456789")],
    )
    .await;
    let mut wrong_page = String::new();
    for _ in 0..5 {
        let (loc, page) = app.submit("/api/wizard/verify", &[("answer", "Max")]).await;
        assert_eq!(loc, "/wizard/verify");
        assert!(page.body.contains("does not match our records"));
        wrong_page = stable(&page.body);
    }
    let (locked_until,): (i64,) = sqlx::query_as(
        "SELECT answer_locked_until FROM legacy_accounts WHERE username_key = 'mjones'",
    )
    .fetch_one(app.state.store.pool())
    .await
    .unwrap();
    assert!(
        locked_until > app.state.clock.now() + 14 * 60,
        "locked for 15 minutes"
    );
    // The right answer while locked reads exactly as a wrong one.
    let (loc, page) = app.submit("/api/wizard/verify", &[("answer", "Rex")]).await;
    assert_eq!(loc, "/wizard/verify");
    assert_eq!(stable(&page.body), wrong_page);
    // Another wizard for the same account is locked too.
    let (b, _) = app.new_browser();
    app.post_with(
        &b,
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "123456789")],
    )
    .await;
    let r = app
        .post_with(&b, "/api/wizard/verify", &[("answer", "Rex")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/verify"));
    // After 15 minutes it opens again.
    app.state.clock.advance(15 * 60 + 1);
    let r = app
        .post_with(
            &b,
            "/api/wizard/lookup",
            &[("username", "mjones"), ("tin", "123456789")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/wizard/verify"),
        "the idle wizard was replaced by a new one"
    );
    let r = app
        .post_with(&b, "/api/wizard/verify", &[("answer", "rex")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/email"));
}

async fn pin_is_accepted_instead_of_the_answer(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", "jsmith-billing"), ("tin", "06-1234567")],
    )
    .await;
    let (loc, page) = app
        .submit("/api/wizard/verify", &[("answer", "1358")])
        .await;
    assert_eq!(loc, "/wizard/verify");
    assert!(page.body.contains("does not match"));
    let (loc, _) = app
        .submit("/api/wizard/verify", &[("answer", "1357")])
        .await;
    assert_eq!(loc, "/wizard/email");
}

async fn email_mistakes_are_explained_and_kept(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    let (loc, page) = app
        .submit(
            "/api/wizard/email",
            &[
                ("email", "john@@example"),
                ("verify_email", "john@@example"),
            ],
        )
        .await;
    assert_eq!(loc, "/wizard/email");
    assert!(page
        .body
        .contains("Enter an email address in the right format"));
    assert!(page.body.contains("value=\"john@@example\""));
    let (_, page) = app
        .submit(
            "/api/wizard/email",
            &[
                ("email", "john@example.com"),
                ("verify_email", "jon@example.com"),
            ],
        )
        .await;
    assert!(page
        .body
        .contains("The two email addresses are not the same"));
    assert!(
        page.body.contains("value=\"john@example.com\"")
            && page.body.contains("value=\"jon@example.com\"")
    );
    assert_eq!(app.mail_count().await, 0, "nothing sent for bad input");
}

async fn wrong_code_expired_code_and_single_use(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    app.submit(
        "/api/wizard/email",
        &[
            ("email", "a@example.com"),
            ("verify_email", "a@example.com"),
        ],
    )
    .await;
    let code = app.latest_code("a@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, page) = app.submit("/api/wizard/code", &[("code", "12ab")]).await;
    assert!(page.body.contains("The code is 6 digits"));
    for left in (1..5).rev() {
        let (loc, page) = app.submit("/api/wizard/code", &[("code", wrong)]).await;
        assert_eq!(loc, "/wizard/code");
        assert!(
            page.body.contains(&format!("({left} tr")),
            "{left} tries left"
        );
    }
    let (_, page) = app.submit("/api/wizard/code", &[("code", wrong)]).await;
    assert!(page.body.contains("no longer works"));
    // After five wrong tries even the right code is refused.
    let (loc, page) = app.submit("/api/wizard/code", &[("code", &code)]).await;
    assert_eq!(loc, "/wizard/code");
    assert!(page.body.contains("can no longer be used"));

    // A new code, expired after 10 minutes.
    app.state.clock.advance(61);
    app.submit("/api/wizard/resend", &[]).await;
    let code = app.latest_code("a@example.com").await;
    app.state.clock.advance(10 * 60 + 1);
    let (loc, page) = app.submit("/api/wizard/code", &[("code", &code)]).await;
    assert_eq!(loc, "/wizard/code");
    assert!(page.body.contains("expired"));

    // A fresh code works once.
    app.submit("/api/wizard/resend", &[]).await;
    let code = app.latest_code("a@example.com").await;
    let (loc, _) = app.submit("/api/wizard/code", &[("code", &code)]).await;
    assert_eq!(loc, "/wizard/password");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_codes WHERE status = 'used'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_codes WHERE status = 'active'")
            .await,
        0
    );
}

async fn resend_cooldown_hourly_cap_and_new_code_voids_old(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    app.submit(
        "/api/wizard/email",
        &[
            ("email", "b@example.com"),
            ("verify_email", "b@example.com"),
        ],
    )
    .await;
    let first = app.latest_code("b@example.com").await;
    let (_, page) = app.submit("/api/wizard/resend", &[]).await;
    assert!(
        page.body.contains("You can ask for a new one in"),
        "too soon"
    );
    assert_eq!(app.mail_count().await, 1);
    for sent in 2..=5 {
        app.state.clock.advance(60);
        let (_, page) = app.submit("/api/wizard/resend", &[]).await;
        assert!(page.body.contains("We sent a new code"), "send {sent}");
    }
    assert_eq!(app.mail_count().await, 5);
    app.state.clock.advance(60);
    let (_, page) = app.submit("/api/wizard/resend", &[]).await;
    assert!(page.body.contains("5 codes in the last hour"));
    assert_eq!(app.mail_count().await, 5);
    let latest = app.latest_code("b@example.com").await;
    if first != latest {
        let (loc, page) = app.submit("/api/wizard/code", &[("code", &first)]).await;
        assert_eq!(loc, "/wizard/code");
        assert!(page.body.contains("not right"), "the old code is void");
    }
    let (loc, _) = app.submit("/api/wizard/code", &[("code", &latest)]).await;
    assert_eq!(loc, "/wizard/password");
}

async fn out_of_order_calls_change_nothing(app: &TestApp) {
    // A fresh browser calling a later step: refused, nothing created.
    for (path, form) in [
        ("/api/wizard/verify", vec![("answer", "Smith")]),
        (
            "/api/wizard/email",
            vec![
                ("email", "x@example.com"),
                ("verify_email", "x@example.com"),
            ],
        ),
        ("/api/wizard/code", vec![("code", "123456")]),
        ("/api/wizard/resend", vec![]),
        (
            "/api/wizard/password",
            vec![("username", JOHN), ("password", "Welcome#2019")],
        ),
        ("/api/wizard/previous", vec![]),
    ] {
        let r = app.post(path, &form).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(
            r.location.as_deref(),
            Some("/wizard/lookup?notice=out-of-order"),
            "{path}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
            .await,
        0
    );
    assert_eq!(app.mail_count().await, 0);
    let page = app.get("/wizard/lookup?notice=out-of-order").await;
    assert!(page
        .body
        .contains("That page was out of date, so nothing was changed."));

    // A wizard at Account Verification: every other step is refused and the row is untouched.
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    let before: Vec<provider_portal::store::FlowRow> = all_wizards(app).await;
    for (path, form) in [
        (
            "/api/wizard/lookup",
            vec![("username", "mjones"), ("tin", "123456789")],
        ),
        (
            "/api/wizard/email",
            vec![
                ("email", "x@example.com"),
                ("verify_email", "x@example.com"),
            ],
        ),
        ("/api/wizard/code", vec![("code", "123456")]),
        ("/api/wizard/resend", vec![]),
        (
            "/api/wizard/password",
            vec![("username", JOHN), ("password", "Welcome#2019")],
        ),
    ] {
        let r = app.post(path, &form).await;
        assert_eq!(
            r.location.as_deref(),
            Some("/wizard/verify?notice=out-of-order"),
            "{path}"
        );
    }
    assert_eq!(all_wizards(app).await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 0);
    assert_eq!(app.mail_count().await, 0);
    // Its pages send the browser to the step it is at.
    let page = app.get("/wizard/password").await;
    assert_eq!(page.location.as_deref(), Some("/wizard/verify"));
}

async fn all_wizards(app: &TestApp) -> Vec<provider_portal::store::FlowRow> {
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT token_hash FROM flows WHERE kind = 'wizard' ORDER BY id")
            .fetch_all(app.state.store.pool())
            .await
            .unwrap();
    let mut out = Vec::new();
    for (h,) in ids {
        out.push(
            app.state
                .store
                .flow_by_token_hash(&h)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    out
}

async fn wrong_password_locks_on_its_own_counter(app: &TestApp) {
    app.walk_to_password("c@example.com").await;
    let (_, page) = app
        .submit(
            "/api/wizard/password",
            &[("username", "mjones"), ("password", "Jones#2018")],
        )
        .await;
    assert!(
        page.body.contains("The username or password is not right"),
        "another account's credentials are refused"
    );
    let mut wrong_page = String::new();
    for _ in 0..4 {
        let (loc, page) = app
            .submit(
                "/api/wizard/password",
                &[("username", JOHN), ("password", "welcome#2019")],
            )
            .await;
        assert_eq!(loc, "/wizard/password");
        assert!(
            !page.body.contains("welcome#2019"),
            "the password is never echoed"
        );
        wrong_page = stable(&page.body);
    }
    let (answer_failures, password_failures): (i64, i64) = sqlx::query_as("SELECT answer_failures, password_failures FROM legacy_accounts WHERE username_key = 'johnsmith@gmail.com'").fetch_one(app.state.store.pool()).await.unwrap();
    assert_eq!((answer_failures, password_failures), (0, 5));
    let (loc, page) = app
        .submit(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert_eq!(loc, "/wizard/password", "locked");
    assert_eq!(stable(&page.body), wrong_page, "locked reads as wrong");
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 0);
}

async fn previous_keeps_typing_and_cancel_discards(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "83-6576879")],
    )
    .await;
    let (loc, page) = app
        .submit("/api/wizard/previous", &[("answer", "Smi")])
        .await;
    assert_eq!(loc, "/wizard/lookup");
    assert!(
        page.body.contains(&format!("value=\"{JOHN}\""))
            && !page.body.contains("value=\"83-6576879\""),
        "the username is kept; a full TIN is never shown again"
    );
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "83-6576879")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    let (loc, _) = app
        .submit(
            "/api/wizard/previous",
            &[("email", "typed@example.com"), ("verify_email", "typ")],
        )
        .await;
    assert_eq!(loc, "/wizard/verify");
    app.submit("/api/wizard/verify", &[("answer", "Smith")])
        .await;
    let page = app.get("/wizard/email").await;
    assert!(
        page.body.contains("value=\"typed@example.com\"") && page.body.contains("value=\"typ\"")
    );
    app.submit(
        "/api/wizard/email",
        &[
            ("email", "d@example.com"),
            ("verify_email", "d@example.com"),
        ],
    )
    .await;
    let (loc, page) = app.submit("/api/wizard/previous", &[("code", "1")]).await;
    assert_eq!(loc, "/wizard/email");
    assert!(page.body.contains("value=\"d@example.com\""));

    let res = app.post("/api/wizard/cancel", &[]).await;
    assert_eq!(res.location.as_deref(), Some("/?notice=cancelled"));
    assert!(res.set_cookie[0].contains("Max-Age=0"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM email_codes").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 0);
    let page = app.get("/?notice=cancelled").await;
    assert!(page.body.contains("Nothing was changed"));
}

async fn idle_wizard_expires(app: &TestApp) {
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    app.state.clock.advance(15 * 60 + 1);
    let page = app.get("/wizard/verify").await;
    assert_eq!(
        page.location.as_deref(),
        Some("/wizard/lookup?notice=expired")
    );
    let r = app.post("/api/wizard/verify", &[("answer", "Smith")]).await;
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup?notice=expired"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
            .await,
        0
    );
    // 60 minutes in all, however active.
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    for _ in 0..4 {
        app.state.clock.advance(14 * 60);
        let (loc, _) = app.submit("/api/wizard/previous", &[]).await;
        assert_eq!(loc, "/wizard/lookup", "still alive: never 15 minutes idle");
        app.submit(
            "/api/wizard/lookup",
            &[("username", JOHN), ("tin", "836576879")],
        )
        .await;
    }
    app.state.clock.advance(5 * 60);
    let r = app.post("/api/wizard/verify", &[("answer", "Smith")]).await;
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup?notice=expired"));
    // The sweeper removes abandoned wizards and their codes.
    app.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    let now = app.state.clock.now();
    assert_eq!(
        app.state.store.sweep_flows(now, 900, 3600).await.unwrap(),
        0
    );
    assert_eq!(
        app.state
            .store
            .sweep_flows(now + 901, 900, 3600)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
            .await,
        0
    );
}

async fn consolidated_account_is_refused_after_its_answer(app: &TestApp) {
    app.walk_to_password("e@example.com").await;
    app.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", "Welcome#2019")],
    )
    .await;
    app.submit("/api/wizard/finish", &[]).await;
    let (b, _) = app.new_browser();
    app.post_with(
        &b,
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    // Someone who cannot answer learns nothing.
    let r = app
        .post_with(&b, "/api/wizard/verify", &[("answer", "Jones")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/verify"));
    let r = app
        .post_with(&b, "/api/wizard/verify", &[("answer", "Smith")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/lookup"));
    let page = TestApp::read(
        b.get(format!("{}/wizard/lookup", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("already been moved to the new portal"));
    assert!(page.body.contains("Sign in"));
}

async fn concurrent_merges_of_one_account_exactly_one_wins(app: &TestApp) {
    app.walk_to_password("f@example.com").await;
    let (b, _) = app.new_browser();
    // A second browser at the same step for the same account.
    app.post_with(
        &b,
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "836576879")],
    )
    .await;
    app.post_with(&b, "/api/wizard/verify", &[("answer", "Smith")])
        .await;
    app.post_with(
        &b,
        "/api/wizard/email",
        &[
            ("email", "g@example.com"),
            ("verify_email", "g@example.com"),
        ],
    )
    .await;
    let code = app.latest_code("g@example.com").await;
    app.post_with(&b, "/api/wizard/code", &[("code", &code)])
        .await;
    let form = [("username", JOHN), ("password", "Welcome#2019")];
    app.post("/api/wizard/password", &form).await;
    app.post_with(&b, "/api/wizard/password", &form).await;
    let (r1, r2) = tokio::join!(
        app.post("/api/wizard/finish", &[]),
        app.post_with(&b, "/api/wizard/finish", &[])
    );
    let done = [&r1, &r2]
        .iter()
        .filter(|r| r.location.as_deref() == Some("/wizard/done"))
        .count();
    assert_eq!(done, 1, "{:?} {:?}", r1.location, r2.location);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 1);
}

async fn failure_during_finish_leaves_nothing_partial(app: &TestApp) {
    app.walk_to_password("h@example.com").await;
    app.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", "Welcome#2019")],
    )
    .await;
    app.state
        .faults
        .fail_next_finish
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let (loc, page) = app.submit("/api/wizard/finish", &[]).await;
    assert!(loc.starts_with("/wizard/accounts?fault="), "{loc}");
    assert!(page.body.contains("Something went wrong on our side"));
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL")
            .await,
        0
    );
    assert_eq!(app.wizard_step().await.as_deref(), Some("review"));
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 1);
}

async fn cross_site_posts_are_refused(app: &TestApp) {
    let url = format!("{}/api/wizard/lookup", app.base);
    let form = [("username", JOHN), ("tin", "836576879")];
    let r = app
        .client
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM flows WHERE kind = 'wizard'")
            .await,
        0
    );
    let page = app.get("/").await;
    assert_eq!(
        page.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert!(page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

/// The first old account's password becomes the new login's: one below
/// today's rules is replaced at Choose a New Password before Review.
async fn an_old_password_below_the_rules_is_replaced_before_finish(app: &TestApp) {
    let weak = app.state.hasher.hash("welcome".into()).await;
    sqlx::query("UPDATE legacy_accounts SET password_hash = $1 WHERE username = $2")
        .bind(&weak)
        .bind(JOHN)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    app.walk_to_password("weak@example.com").await;
    let (loc, page) = app
        .submit(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "welcome")],
        )
        .await;
    assert_eq!(loc, "/wizard/new-password");
    assert!(page.body.contains("Choose a New Password"));
    assert!(page.body.contains("Step 5 of 5"));
    assert_eq!(app.count("SELECT COUNT(*) FROM wizard_accounts").await, 0);
    // Finish cannot be reached from here.
    let r = app.post("/api/wizard/finish", &[]).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/wizard/new-password?notice=out-of-order")
    );
    // The rules of Register, and the confirmation.
    for (p, c, says) in [
        ("short", "short", "at least 8 characters"),
        ("password123", "password123", "common"),
        (
            "Lantern harbour quietly 42",
            "Lantern harbour",
            "are not the same",
        ),
    ] {
        let (loc, page) = app
            .submit(
                "/api/wizard/new_password",
                &[("password", p), ("confirm_password", c)],
            )
            .await;
        assert_eq!(loc, "/wizard/new-password", "{p}");
        assert!(page.body.contains(says), "{p}: {says}");
        assert!(!page.body.contains(p) || p == "short", "never sent back");
    }
    // Previous goes back to prove the old password again.
    let (loc, _) = app.submit("/api/wizard/previous", &[]).await;
    assert_eq!(loc, "/wizard/password");
    app.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", "welcome")],
    )
    .await;
    let new = "Lantern harbour quietly 42";
    let (loc, _) = app
        .submit(
            "/api/wizard/new_password",
            &[("password", new), ("confirm_password", new)],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    assert_eq!(
        app.sign_in(JOHN, "welcome").await.location.as_deref(),
        Some("/")
    );
    assert_eq!(
        app.sign_in(JOHN, new).await.location.as_deref(),
        Some("/accounts")
    );
}
