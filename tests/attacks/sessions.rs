//! Sessions, cookies, cross-site posts and the per-address limits.

use super::*;

pub(crate) fn token_of(p: &Page) -> Option<String> {
    p.set_cookie
        .iter()
        .find_map(|c| c.strip_prefix("pp_wizard="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

pub(crate) async fn sessions_and_csrf(db: Db) {
    let Some(app) = app(db).await else { return };
    // The session id changes after each proof, and the old one is dead.
    let b = Browser::new(&app);
    let r = b
        .post(
            "/api/wizard/lookup",
            &[("username", JOHN), ("tin", JOHN_TIN)],
        )
        .await;
    let mut tokens = vec![token_of(&r).unwrap()];
    let r = b.post("/api/wizard/verify", &[("answer", "Smith")]).await;
    tokens.push(token_of(&r).unwrap_or_default());
    b.post(
        "/api/wizard/email",
        &[
            ("email", "s@example.com"),
            ("verify_email", "s@example.com"),
        ],
    )
    .await;
    let code = app.latest_code("s@example.com").await;
    let r = b.post("/api/wizard/code", &[("code", &code)]).await;
    tokens.push(token_of(&r).unwrap_or_default());
    let r = b
        .post(
            "/api/wizard/password",
            &[("username", JOHN), ("password", JOHN_PASSWORD)],
        )
        .await;
    tokens.push(token_of(&r).unwrap_or_default());
    for (i, proof) in ["answer", "code", "password"].iter().enumerate() {
        let old = &tokens[i];
        let r = TestApp::read(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(format!("{}/api/wizard/finish", app.base))
                .header("origin", &app.base)
                .header("cookie", format!("pp_wizard={old}"))
                .form(&[] as &[(&str, &str)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        stopped_if(
            &format!("the session id from before the {proof} reused"),
            !tokens[i + 1].is_empty()
                && tokens[i + 1] != *old
                && r.location.as_deref() == Some("/wizard/lookup?notice=out-of-order"),
            format!("{:?}", r.location),
        );
    }
    // Cookie flags on plain HTTP.
    let r = Browser::new(&app)
        .post(
            "/api/wizard/lookup",
            &[("username", JOHN), ("tin", JOHN_TIN)],
        )
        .await;
    let c = r.set_cookie.join(" ");
    stopped_if(
        "a wizard cookie readable by script or sent cross-site",
        c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"),
        c,
    );
    // X-Forwarded-Proto from an untrusted client changes nothing.
    let r = Browser::new(&app)
        .client
        .post(format!("{}/api/wizard/lookup", app.base))
        .header("origin", &app.base)
        .header("x-forwarded-proto", "https")
        .form(&[("username", JOHN), ("tin", JOHN_TIN)])
        .send()
        .await
        .unwrap();
    let r = TestApp::read(r).await;
    stopped_if(
        "a spoofed X-Forwarded-Proto without a trusted proxy",
        !r.set_cookie.join(" ").contains("Secure")
            && r.headers.get("strict-transport-security").is_none(),
        r.set_cookie.join(" "),
    );
    // A wizard token planted in the victim's browser (cookie tossing) dies
    // at the victim's Account Lookup; the planter sees nothing of it.
    let attacker = Browser::new(&app);
    attacker.to_step("lookup", "", "", "", "").await;
    let planted = attacker.wizard_token().unwrap();
    let r = TestApp::read(
        app.new_browser()
            .0
            .post(format!("{}/api/wizard/lookup", app.base))
            .header("origin", &app.base)
            .header("cookie", format!("pp_wizard={planted}"))
            .form(&[("username", JOHN), ("tin", JOHN_TIN)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/verify"));
    let later = attacker.get("/wizard/verify").await;
    stopped_if(
        "a planted wizard token outlives the victim's Account Lookup",
        later.location.as_deref() == Some("/wizard/lookup")
            && token_of(&r).is_some_and(|t| t != planted),
        format!("{} {:?}", later.status, later.location),
    );
    // A cookie name sent twice is nobody's: which one is ours cannot be told.
    let owner = Browser::new(&app);
    owner.john_to("verify", "").await;
    let token = owner.wizard_token().unwrap();
    let twice = TestApp::read(
        app.new_browser()
            .0
            .get(format!("{}/wizard/verify", app.base))
            .header(
                "cookie",
                format!("pp_wizard={token}; pp_wizard={}", "cd".repeat(32)),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    stopped_if(
        "a wizard cookie sent twice is read",
        twice.location.as_deref() == Some("/wizard/lookup"),
        format!("{} {:?}", twice.status, twice.location),
    );
    // Cross-site POSTs on every function: refused, nothing changed.
    let victim = Browser::new(&app);
    victim.john_to("verify", "").await;
    for (path, form) in ACTIONS.iter().chain(
        [(
            "/api/sign_in",
            &[("username", JOHN), ("password", JOHN_PASSWORD)][..],
        )]
        .iter(),
    ) {
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("origin", "null"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
        ] {
            let before = app.snapshot(BOOKKEEPING).await;
            let r = victim
                .client
                .post(format!("{}{path}", app.base))
                .header(name, value)
                .form(form)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            stopped_if(
                &format!("{path} with {name}: {value}"),
                status == 403 && before == app.snapshot(BOOKKEEPING).await,
                status,
            );
        }
    }
    stopped_if(
        "cross-site refusals are audited",
        count(
            &app,
            "SELECT CAST(COALESCE(SUM(repeats), 0) AS BIGINT) FROM audit_trail WHERE outcome = 'refused: cross-site'",
        )
        .await
            >= 40,
        "missing audit events",
    );
    app.cleanup().await;

    // Behind a trusted proxy that says HTTPS: Secure cookies and HSTS.
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("TRUST_PROXY".into(), "1".into());
    })
    .await
    else {
        return;
    };
    // (A page of the HTTPS site, reached through the proxy, posts with its
    // https origin.)
    let r = TestApp::read(
        app.client
            .post(format!("{}/api/wizard/lookup", app.base))
            .header("origin", app.base.replace("http://", "https://"))
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-for", "203.0.113.9")
            .form(&[("username", JOHN), ("tin", JOHN_TIN)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    let c = r.set_cookie.join(" ");
    stopped_if(
        "a session cookie over HTTPS without Secure",
        c.contains("Secure") && c.contains("HttpOnly") && c.contains("SameSite=Strict"),
        &c,
    );
    stopped_if(
        "a session cookie over HTTPS that another host or plain HTTP could set",
        c.starts_with("__Host-pp_wizard=") && c.contains("Path=/") && !c.contains("Domain"),
        c,
    );
    stopped_if(
        "HTTPS without HSTS",
        r.headers
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap().contains("max-age=")),
        format!("{:?}", r.headers.get("strict-transport-security")),
    );
    app.cleanup().await;
}

pub(crate) async fn lookups_from(
    app: &TestApp,
    n: usize,
    xff: impl Fn(usize) -> Option<String>,
) -> Vec<Page> {
    let mut out = Vec::new();
    for i in 0..n {
        let (client, _) = app.new_browser();
        let mut req = client
            .post(format!("{}/api/wizard/lookup", app.base))
            .header("origin", &app.base)
            .form(&[
                ("username", format!("user{i}")),
                ("tin", "123456780".into()),
            ]);
        if let Some(x) = xff(i) {
            req = req.header("x-forwarded-for", x);
        }
        out.push(TestApp::read(req.send().await.unwrap()).await);
    }
    out
}

/// The per-address limits, at their real values (100 lookups and 60 tries
/// at a secret per 15 minutes), shared by instances through the database.
pub(crate) async fn rate_limits_per_address(db: Db) {
    // Spoofed X-Forwarded-For without a trusted proxy is ignored.
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let first = lookups_from(&app, 100, |i| Some(format!("198.51.100.{i}"))).await;
    assert!(first.iter().all(|p| p.status == 303));
    let more = lookups_from(&app, 3, |i| Some(format!("192.0.2.{i}"))).await;
    stopped_if(
        "lookup 101 from one address, with spoofed X-Forwarded-For",
        more.iter()
            .all(|p| p.status == 429 && p.headers.get("retry-after").is_some()),
        more[0].status,
    );
    stopped_if(
        "rate-limit refusals are audited",
        audits(&app, "wizard/lookup", "refused: too many requests").await == 3,
        "missing audit events",
    );
    // A second instance on the same database counts the same requests.
    let other = app.spawn_sharing(|_| {}).await;
    let r = lookups_from(&other, 1, |_| None).await;
    stopped_if(
        "lookup 104 through another instance",
        r[0].status == 429,
        r[0].status,
    );
    // Tries at a secret: 60 per 15 minutes per address (a decoy wizard, so
    // that no account lockout comes first).
    let proof_app = TestApp::spawn(db).await.unwrap();
    let d = Browser::new(&proof_app);
    d.to_step("verify", "nobody-here", "123456780", "", "")
        .await;
    for _ in 0..60 {
        let r = d.post("/api/wizard/verify", &[("answer", "guess")]).await;
        assert_eq!(r.status, 303);
    }
    let r = d.post("/api/wizard/verify", &[("answer", "guess")]).await;
    stopped_if(
        "try 61 at a secret from one address",
        r.status == 429 && r.body.contains("Please wait"),
        r.status,
    );
    proof_app.cleanup().await;
    other.cleanup().await;
    app.cleanup().await;

    // Behind a trusted proxy: the proxy's own (last) entry counts; entries
    // the client wrote before it do not reset the limit.
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("TRUST_PROXY".into(), "1".into());
    })
    .await
    else {
        return;
    };
    let first = lookups_from(&app, 100, |i| Some(format!("198.51.100.{i}, 203.0.113.7"))).await;
    assert!(first.iter().all(|p| p.status == 303));
    let spoofed = lookups_from(&app, 1, |_| Some("192.0.2.1, 203.0.113.7".into())).await;
    stopped_if(
        "a spoofed X-Forwarded-For entry behind the trusted proxy",
        spoofed[0].status == 429,
        spoofed[0].status,
    );
    let neighbour = lookups_from(&app, 1, |_| Some("203.0.113.8".into())).await;
    assert_eq!(neighbour[0].status, 303, "another client is not limited");

    // IPv6: one home line has a whole /64, so the limit holds for the /64.
    let first = lookups_from(&app, 100, |i| Some(format!("2001:db8:1:2::{:x}", i + 1))).await;
    assert!(first.iter().all(|p| p.status == 303));
    let same_64 = lookups_from(&app, 1, |_| Some("2001:db8:1:2:ffff:ee::9".into())).await;
    stopped_if(
        "lookup 101 from a fresh address of the same IPv6 /64",
        same_64[0].status == 429,
        same_64[0].status,
    );
    let other_64 = lookups_from(&app, 1, |_| Some("2001:db8:1:3::1".into())).await;
    assert_eq!(other_64[0].status, 303, "another /64 is another client");
    app.cleanup().await;
}
