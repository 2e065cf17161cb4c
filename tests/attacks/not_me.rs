//! "This wasn't me" links: guessed, changed, replayed, opened without
//! confirming, confirmed from another site, and used by another login.

use super::*;

fn frozen_logins(app: &TestApp) -> impl Future<Output = i64> + '_ {
    app.count("SELECT COUNT(*) FROM portal_users WHERE frozen_at IS NOT NULL")
}

/// The not-me link of the newest mail to `to` about `subject`.
async fn token_in_mail(app: &TestApp, to: &str, subject: &str) -> String {
    let mail = app.wait_mail(to, subject).await.expect("the mail");
    let at = mail.body.find("/not-me?token=").expect("a link") + "/not-me?token=".len();
    mail.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

pub(crate) async fn not_me_links(db: Db) {
    let Some(app) = app(db).await else { return };
    let john = Browser::new(&app);
    john.john_to("done", "john@example.com").await;
    let token = token_in_mail(&app, "john@example.com", "under one login").await;
    assert_eq!(token.len(), 64);

    // Guessed: made-up tokens, and the real one changed by one letter, or
    // cut, or lengthened.
    let mut guesses: Vec<String> = (0..20)
        .map(|_| provider_portal::auth::random_token())
        .collect();
    let flipped = if token.ends_with('0') { "1" } else { "0" };
    guesses.push(format!("{}{flipped}", &token[..63]));
    guesses.push(token[..63].to_string());
    guesses.push(format!("{token}0"));
    guesses.push(token.to_uppercase());
    guesses.push(String::new());
    let b = Browser::new(&app);
    let mut refused = true;
    for g in &guesses {
        let (loc, _) = b.submit("/api/not_me", &[("token", g)]).await;
        refused &= loc == "/not-me?notice=invalid";
    }
    stopped_if(
        "guessed or changed not-me tokens",
        refused && frozen_logins(&app).await == 0,
        format!("{} frozen", frozen_logins(&app).await),
    );

    // Opened, again and again, by GET and HEAD (a mail scanner): nothing.
    for _ in 0..3 {
        b.get(&format!("/not-me?token={token}")).await;
        let _ = b
            .client
            .head(format!("{}/not-me?token={token}", app.base))
            .send()
            .await;
        b.get(&format!("/api/not_me?token={token}")).await;
    }
    stopped_if(
        "a not-me link opened without confirming",
        frozen_logins(&app).await == 0
            && app
                .count("SELECT COUNT(*) FROM not_me_tokens WHERE used_at IS NOT NULL")
                .await
                == 0,
        "frozen by a GET",
    );

    // Confirmed from another site (the browser's own cookies, a foreign
    // Origin): refused by the origin check.
    let res = b
        .client
        .post(format!("{}/api/not_me", app.base))
        .header("origin", "https://evil.example")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let res = TestApp::read(res).await;
    stopped_if(
        "a cross-site POST of the not-me form",
        frozen_logins(&app).await == 0 && res.status >= 400,
        res.status,
    );

    // Another login's holder uses John's link: it freezes John's login,
    // never the one signed in.
    let other = Browser::new(&app);
    let pw = "Lantern harbour quietly 42";
    app.register_with_demo_code(&other.client, "prov-other", "other@prov.example", pw)
        .await;
    let r = app.sign_in_from(&other.client, "prov-other", pw).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    let (loc, _) = other.submit("/api/not_me", &[("token", &token)]).await;
    let john_frozen = app
        .count(&format!(
            "SELECT COUNT(*) FROM portal_users WHERE frozen_at IS NOT NULL AND username = '{}'",
            JOHN
        ))
        .await;
    let page = other.get("/accounts").await;
    stopped_if(
        "a not-me link freezes only its own login",
        loc.starts_with("/not-me/done")
            && john_frozen == 1
            && frozen_logins(&app).await == 1
            && page.status == 200
            && page.location.is_none(),
        format!("{loc} {john_frozen} {:?}", page.location),
    );

    // Replayed: used once, it does nothing more (no second case).
    let (loc, _) = b.submit("/api/not_me", &[("token", &token)]).await;
    stopped_if(
        "a replayed not-me link",
        loc == "/not-me?notice=invalid" && app.count("SELECT COUNT(*) FROM cases").await == 1,
        loc,
    );
    // The case: an auditor may not decide it; support may not undo it
    // after 30 days.
    use provider_portal::domain::Role;
    let case = app.count("SELECT MIN(id) FROM cases").await.to_string();
    let consolidated = "SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL";
    let n = app.count(consolidated).await;
    let auditor = app.enrolled_operator("aud.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &auditor).await;
    let (loc, _) = app
        .submit_with(
            &a,
            "/ops/api/case",
            &[("case", &case), ("decision", "undo"), ("reason", "x")],
        )
        .await;
    stopped_if(
        "an undo by an auditor",
        loc == "/ops?notice=not-allowed"
            && app.count(consolidated).await == n
            && audits(&app, "ops/case_undo", "refused: role").await == 1,
        loc,
    );
    let support = app.enrolled_operator("sup.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.state.clock.advance(31 * 86_400);
    // (Sessions last 8 hours: the support operator signs in now.)
    app.ops_sign_in(&s, &support).await;
    let (loc, _) = app
        .submit_with(
            &s,
            "/ops/api/case",
            &[("case", &case), ("decision", "undo"), ("reason", "late")],
        )
        .await;
    stopped_if(
        "an undo after the 30 days",
        loc == "/ops/cases?notice=case-too-late" && app.count(consolidated).await == n,
        loc,
    );
    stopped_if(
        "refused not-me reports are audited",
        audits(&app, "not_me", "refused: link not valid").await > guesses.len() as i64,
        "no event",
    );
    app.cleanup().await;
}
