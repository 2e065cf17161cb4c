//! The operators' console: nobody without an operator's session reaches a
//! console page or function (no session, a provider's session, a forged
//! cookie), sign-in needs the password and a fresh TOTP code (a wrong code,
//! a replayed one or none fail; five wrong lock), enrolment links are
//! single-use and unguessable, and cross-site posts are refused. Each
//! refusal is audited.

use super::*;
use common::console::OPS_PASSWORD;
use provider_portal::auth::totp;
use provider_portal::domain::Role;

/// Whether a console answer holds none of the Progress page's figures.
fn no_figures(p: &Page) -> bool {
    !p.body.contains("Old accounts by old portal") && !p.body.contains("logins created")
}

/// A form post with `referer` (if any) and no Origin.
async fn post_referer(
    client: reqwest::Client,
    url: String,
    referer: Option<String>,
    form: Vec<(String, String)>,
) -> reqwest::Result<reqwest::Response> {
    let mut req = client.post(url).form(&form);
    if let Some(r) = referer {
        req = req.header("referer", r);
    }
    req.send().await
}

pub(crate) async fn console_access(db: Db) {
    let Some(app) = app(db).await else { return };
    let op = app.enrolled_operator("olga.ops", Role::Auditor).await;

    // No session: pages send to sign-in, functions give nothing.
    let nobody = Browser::new(&app);
    let page = nobody.get("/ops").await;
    stopped_if(
        "/ops without a session",
        page.location.as_deref() == Some("/ops/sign-in") && no_figures(&page),
        format!("{} {:?}", page.status, page.location),
    );
    let data = nobody
        .post("/ops/api/progress", &[("from", ""), ("to", "")])
        .await;
    stopped_if(
        "the Progress function without a session",
        no_figures(&data) && !data.body.contains("consolidated\":"),
        &data.body,
    );
    let refused = audits(&app, "ops/progress", "refused: no console session").await;
    stopped_if(
        "refusals without a session are audited",
        refused >= 2,
        format!("{refused} events"),
    );

    // A provider's session is not an operator's.
    let provider = Browser::new(&app);
    let pw = "Lantern harbour quietly 42";
    app.register_with_demo_code(&provider.client, "prov-lead", "lead@prov.example", pw)
        .await;
    let r = app.sign_in_from(&provider.client, "prov-lead", pw).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/accounts"),
        "the provider is signed in"
    );
    let page = provider.get("/ops").await;
    stopped_if(
        "/ops with a provider's session",
        page.location.as_deref() == Some("/ops/sign-in") && no_figures(&page),
        format!("{} {:?}", page.status, page.location),
    );
    // The Outbox page and its function (recipients, subjects) are closed
    // to no session and to a provider's session alike.
    for (who, b) in [("no session", &nobody), ("a provider's session", &provider)] {
        let page = b.get("/ops/outbox").await;
        stopped_if(
            &format!("/ops/outbox with {who}"),
            page.location.as_deref() == Some("/ops/sign-in")
                && !page.body.contains("Every mail the portal sends"),
            format!("{} {:?}", page.status, page.location),
        );
        let data = b.post("/ops/api/outbox", &[]).await;
        stopped_if(
            &format!("the Outbox function with {who}"),
            !data.body.contains("mails") && !data.body.contains("subject"),
            &data.body,
        );
    }
    for (who, b) in [("no session", &nobody), ("a provider's session", &provider)] {
        let page = b.get("/ops/cases").await;
        stopped_if(
            &format!("/ops/cases with {who}"),
            page.location.as_deref() == Some("/ops/sign-in")
                && !page.body.contains("reports. Each froze"),
            format!("{} {:?}", page.status, page.location),
        );
        let r = b
            .post(
                "/ops/api/case",
                &[("case", "1"), ("decision", "lift"), ("reason", "x")],
            )
            .await;
        stopped_if(
            &format!("a case decided with {who}"),
            r.location.as_deref() == Some("/ops/sign-in"),
            format!("{} {:?}", r.status, r.location),
        );
    }
    stopped_if(
        "refusals of the Outbox are audited",
        audits(&app, "ops/outbox", "refused: no console session").await >= 4,
        "no event",
    );
    // A provider's session token sent as the console's cookie.
    let forged = app.new_browser().0;
    let res = forged
        .get(format!("{}/ops", app.base))
        .header("cookie", format!("pp_ops={}", "ab".repeat(32)))
        .send()
        .await
        .unwrap();
    let res = TestApp::read(res).await;
    stopped_if(
        "/ops with a made-up console cookie",
        res.location.as_deref() == Some("/ops/sign-in") && no_figures(&res),
        res.status,
    );

    // Sign-in needs both factors, and a code once.
    let now = app.state.clock.now();
    let code = totp::code_at(&op.seed, now);
    let signed_in = |p: &Page| p.location.as_deref() == Some("/ops");
    let b = Browser::new(&app);
    let none = app.ops_sign_in_with(&b.client, &op, "").await;
    stopped_if(
        "sign-in with the password and no code",
        !signed_in(&none),
        format!("{:?}", none.location),
    );
    let wrong = format!(
        "{:06}",
        (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let r = app.ops_sign_in_with(&b.client, &op, &wrong).await;
    stopped_if(
        "sign-in with a wrong code",
        !signed_in(&r),
        format!("{:?}", r.location),
    );
    let r = app
        .post_with(
            &b.client,
            "/ops/api/sign_in",
            &[
                ("username", &op.username),
                ("password", "not the password"),
                ("code", &code),
            ],
        )
        .await;
    stopped_if(
        "sign-in with the code and a wrong password",
        !signed_in(&r),
        format!("{:?}", r.location),
    );
    let old = totp::code_at(&op.seed, now - 90);
    let r = app.ops_sign_in_with(&b.client, &op, &old).await;
    stopped_if(
        "sign-in with a code three steps old",
        !signed_in(&r),
        format!("{:?}", r.location),
    );
    let fresh = totp::code_at(&op.seed, app.state.clock.now());
    let first = app.ops_sign_in_with(&b.client, &op, &fresh).await;
    assert!(
        signed_in(&first),
        "the right code signs in: {:?}",
        first.location
    );
    // An auditor reads; Unlock is not an auditor's.
    let r = b
        .post("/ops/api/unlock", &[("lock", "answer:1"), ("reason", "x")])
        .await;
    stopped_if(
        "an auditor calling Unlock",
        r.location.as_deref() == Some("/ops?notice=not-allowed")
            && audits(&app, "ops/unlock", "refused: role").await == 1,
        format!("{:?}", r.location),
    );
    let r = b
        .post("/ops/api/end_sessions", &[("login", "1"), ("reason", "x")])
        .await;
    stopped_if(
        "an auditor calling End all sessions",
        r.location.as_deref() == Some("/ops?notice=not-allowed"),
        format!("{:?}", r.location),
    );
    let r = nobody
        .post("/ops/api/unlock", &[("lock", "answer:1"), ("reason", "x")])
        .await;
    stopped_if(
        "Unlock without a session",
        r.location.as_deref() == Some("/ops/sign-in"),
        format!("{:?}", r.location),
    );
    let again = app
        .ops_sign_in_with(&Browser::new(&app).client, &op, &fresh)
        .await;
    stopped_if(
        "a replayed code",
        !signed_in(&again),
        format!("{:?}", again.location),
    );
    stopped_if(
        "a replayed code is audited as such",
        audits(&app, "ops_sign_in", "refused: code already used").await == 1,
        "no event",
    );

    // Five wrong in a row lock: then even the right password and a fresh code fail.
    let c = Browser::new(&app);
    for _ in 0..5 {
        app.post_with(
            &c.client,
            "/ops/api/sign_in",
            &[
                ("username", &op.username),
                ("password", "wrong"),
                ("code", "000000"),
            ],
        )
        .await;
    }
    app.state.clock.advance(30);
    let locked = app.ops_sign_in(&c.client, &op).await;
    stopped_if(
        "sign-in after five wrong tries",
        !signed_in(&locked),
        format!("{:?}", locked.location),
    );
    app.state.clock.advance(15 * 60 + 30);
    let later = app.ops_sign_in(&c.client, &op).await;
    assert!(signed_in(&later), "the lock ends after 15 minutes");

    // Cross-site posts to the console are refused before anything runs.
    let r = app
        .client
        .post(format!("{}/ops/api/sign_in", app.base))
        .header("origin", "https://evil.example")
        .form(&[
            ("username", op.username.as_str()),
            ("password", OPS_PASSWORD),
            ("code", "123456"),
        ])
        .send()
        .await
        .unwrap();
    stopped_if(
        "a cross-site post to the console's sign-in",
        r.status() == 403,
        r.status(),
    );
    let r = c
        .app
        .client
        .post(format!("{}/ops/api/sign_out", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    stopped_if(
        "a cross-site post to Sign out",
        r.status() == 403,
        r.status(),
    );
    // Unknown fields are refused as on every form.
    let r = c
        .post(
            "/ops/api/sign_in",
            &[
                ("username", "a"),
                ("password", "b"),
                ("code", "1"),
                ("is_admin", "1"),
            ],
        )
        .await;
    stopped_if(
        "a console form with an extra field",
        r.status == 400,
        r.status,
    );

    // Without Origin, a Referer of another site is refused on every console
    // action, and an action with neither is refused too; our own Referer
    // (an older browser's form post) is taken.
    app.state.clock.advance(30);
    let admin = app.enrolled_operator("ada.ops", Role::Admin).await;
    let a = Browser::new(&app);
    app.ops_sign_in(&a.client, &admin).await;
    let codes = "SELECT COUNT(*) FROM registration_codes";
    let issue: Vec<(String, String)> = [
        ("tin", "12-3456789"),
        ("practice", "Referer Clinic"),
        ("role", ""),
        ("days", "10"),
        ("reason", "asked by phone"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let issue_url = format!("{}/ops/api/registration_code", app.base);
    let before = count(&app, codes).await;
    for (what, referer) in [
        (
            "a foreign Referer",
            Some("http://evil.example/page".to_string()),
        ),
        (
            "a Referer of a look-alike host",
            Some(format!("{}.evil.example/ops/codes", app.base)),
        ),
        ("neither Origin nor Referer", None),
    ] {
        let r = post_referer(a.client.clone(), issue_url.clone(), referer, issue.clone())
            .await
            .unwrap();
        let after = count(&app, codes).await;
        stopped_if(
            &format!("a console action with {what} and no Origin"),
            [403, 429].contains(&r.status().as_u16()) && after == before,
            format!("{} ({before} -> {after} codes)", r.status()),
        );
    }
    for path in [
        "/ops/api/unlock",
        "/ops/api/end_sessions",
        "/ops/api/support_code",
        "/ops/api/revoke_code",
        "/ops/api/closing_set",
        "/ops/api/closing_remove",
        "/ops/api/campaign_create",
        "/ops/api/campaign_change",
        "/ops/api/campaign_test",
        "/ops/api/case",
        "/ops/api/operator_add",
        "/ops/api/operator_change",
        "/ops/api/sign_out",
    ] {
        let url = format!("{}{path}", app.base);
        let r = post_referer(
            a.client.clone(),
            url,
            Some("https://evil.example/page".into()),
            vec![],
        )
        .await
        .unwrap();
        stopped_if(
            &format!("{path} with a foreign Referer and no Origin"),
            [403, 429].contains(&r.status().as_u16()),
            r.status(),
        );
    }
    let own = Some(format!("{}/ops/codes", app.base));
    let r = post_referer(a.client.clone(), issue_url, own, issue)
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "our own Referer is taken");
    assert_eq!(count(&app, codes).await, before + 1, "the code is issued");

    // An operator added but not enrolled has no password and no
    // authenticator: nothing it is sent signs it in.
    app.add_operator("fresh.ops", Role::Admin).await;
    let r = app
        .post_with(
            &c.client,
            "/ops/api/sign_in",
            &[("username", "fresh.ops"), ("password", ""), ("code", "")],
        )
        .await;
    stopped_if(
        "sign-in of an operator not yet enrolled",
        r.location.as_deref() == Some("/ops/sign-in"),
        format!("{:?}", r.location),
    );

    // Enrolment links: made-up, reused and expired ones show nothing.
    let made_up = app
        .get(&format!("/ops/enrol?token={}", "cd".repeat(32)))
        .await;
    stopped_if(
        "a made-up enrolment link",
        !made_up.body.contains("<svg") && !made_up.body.contains("class=\"seed\""),
        made_up.status,
    );
    let token = app.add_operator("late.ops", Role::Support).await;
    app.state.clock.advance(24 * 3600 + 1);
    let expired = app.get(&format!("/ops/enrol?token={token}")).await;
    stopped_if(
        "an enrolment link after 24 hours",
        !expired.body.contains("class=\"seed\""),
        expired.status,
    );
    let r = app
        .post(
            "/ops/api/enrol",
            &[
                ("token", &token),
                ("password", OPS_PASSWORD),
                ("confirm_password", OPS_PASSWORD),
                ("code", "123456"),
            ],
        )
        .await;
    stopped_if(
        "enrolling with an expired link",
        count(&app, "SELECT COUNT(*) FROM operators WHERE username = 'late.ops' AND password_hash IS NOT NULL").await == 0,
        format!("{:?}", r.location),
    );
    app.cleanup().await;
}

/// One way of asking for the metrics: (what it is, Authorization, another
/// header, the path).
type Try = (
    &'static str,
    Option<String>,
    Option<(&'static str, String)>,
    &'static str,
);

/// `/metrics` is not public: without its bearer token, with a wrong one,
/// with the token sent another way (a cookie, the query, Basic), or with
/// a foreign Host, nothing of the metrics comes out.
pub(crate) async fn metrics_without_token(db: Db) {
    const TOKEN: &str = "metrics-token-for-the-attacks-42";
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("METRICS_TOKEN".into(), TOKEN.into());
    })
    .await
    else {
        return;
    };
    let get = |auth: Option<String>, extra: Option<(&'static str, String)>, path: &'static str| {
        let app = &app;
        async move {
            let mut r = app.client.get(format!("{}{path}", app.base));
            if let Some(a) = auth {
                r = r.header("authorization", a);
            }
            if let Some((k, v)) = extra {
                r = r.header(k, v);
            }
            let res = r.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let tries: Vec<Try> = vec![
        ("/metrics without a token", None, None, "/metrics"),
        (
            "/metrics with a wrong token",
            Some("Bearer wrong".into()),
            None,
            "/metrics",
        ),
        (
            "/metrics with the token as Basic",
            Some(format!("Basic {TOKEN}")),
            None,
            "/metrics",
        ),
        (
            "/metrics with the token in a cookie",
            None,
            Some(("cookie", format!("token={TOKEN}"))),
            "/metrics",
        ),
        (
            "/metrics with the token in the query",
            None,
            None,
            "/metrics?token=metrics-token-for-the-attacks-42",
        ),
        (
            "/metrics with the token plus one letter",
            Some(format!("Bearer {TOKEN}x")),
            None,
            "/metrics",
        ),
    ];
    for (name, auth, extra, path) in tries {
        let (status, body) = get(auth, extra, path).await;
        stopped_if(name, status == 401 && !body.contains("portal_"), status);
    }
    let (status, body) = get(Some(format!("Bearer {TOKEN}")), None, "/metrics").await;
    assert_eq!(status, 200, "the right token reads the metrics");
    assert!(body.contains("portal_"), "{body}");

    // Cross-site posts to addresses an attacker makes up: refused, and
    // none of those addresses becomes a label or an audited action; they
    // share one name, the address cut short beside it in the trail.
    let long = format!("/no-such-route-abc123/{}", "x".repeat(500));
    for path in [
        "/no-such-route-abc123/anything",
        "/api/no-such-function-xyz",
        long.as_str(),
    ] {
        let r = app
            .client
            .post(format!("{}{path}", app.base))
            .header("origin", "https://evil.example")
            .form(&[("a", "b")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    let (_, body) = get(Some(format!("Bearer {TOKEN}")), None, "/metrics").await;
    stopped_if(
        "a made-up address as a metrics label",
        !body.contains("no-such") && body.contains("action=\"unknown address\""),
        body.lines()
            .filter(|l| l.contains("no-such") || l.contains("unknown"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, target FROM audit_events WHERE outcome = 'refused: cross-site' ORDER BY id",
    )
    .fetch_all(app.state.store.pool())
    .await
    .unwrap();
    stopped_if(
        "a made-up address as an audited action",
        !rows.is_empty()
            && rows.iter().all(|(action, target)| {
                action == "unknown address"
                    && target
                        .as_ref()
                        .is_some_and(|t| t.starts_with("/") && t.len() <= 100)
            }),
        format!("{rows:?}"),
    );
    app.cleanup().await;
}
