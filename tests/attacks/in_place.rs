//! In-place navigation's requests (`fetch` with `Islands-Router: true`, as
//! the browser sends them with JavaScript) get exactly the refusals of plain
//! ones: step order, origin, form checks and rate limits. The header buys
//! nothing.

use super::*;

/// A POST from `client` with its own Origin and body type.
async fn post_raw(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    origin: &str,
    body: &str,
    kind: &str,
) -> Page {
    TestApp::read(
        client
            .post(format!("{}{path}", app.base))
            .header("origin", origin)
            .header("content-type", kind)
            .body(body.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await
}

const FORM: &str = "application/x-www-form-urlencoded;charset=UTF-8";

pub(crate) async fn in_place_requests(db: Db) {
    let Some(app) = app(db).await else { return };
    let (plain, _) = app.new_browser();
    let (js, _) = app.new_in_place_browser();
    // Both wizards at Account Lookup (an empty lookup leaves one there).
    for c in [&plain, &js] {
        let r = app
            .post_with(c, "/api/wizard/lookup", &[("username", ""), ("tin", "")])
            .await;
        assert_eq!(r.location.as_deref(), Some("/wizard/lookup"));
    }

    // Step order: every function Account Lookup does not allow.
    for (path, form) in ACTIONS {
        if allowed("lookup").contains(path) {
            continue;
        }
        let want = app.post_with(&plain, path, form).await;
        let before = app.snapshot(BOOKKEEPING).await;
        let got = app.post_with(&js, path, form).await;
        stopped_if(
            &format!("{path} out of order, in place"),
            got.status == 303
                && got.location.as_deref() == Some("/wizard/lookup?notice=out-of-order")
                && got.location == want.location
                && before == app.snapshot(BOOKKEEPING).await,
            format!(
                "{} {:?} (plain: {:?})",
                got.status, got.location, want.location
            ),
        );
    }
    // A step's page fetched out of order shows where the wizard is.
    for step in ["verify", "email", "code", "password", "accounts", "done"] {
        let want = app.get_with(&plain, &format!("/wizard/{step}")).await;
        let got = app.get_with(&js, &format!("/wizard/{step}")).await;
        stopped_if(
            &format!("/wizard/{step} fetched in place at Account Lookup"),
            (300..400).contains(&got.status)
                && got.location.as_deref() == Some("/wizard/lookup")
                && got.location == want.location,
            format!("{} {:?}", got.status, got.location),
        );
    }

    // Origin: a foreign one, or the browser's word that the fetch is cross-site.
    let lookup = format!("username={JOHN}&tin={JOHN_TIN}");
    for origin in ["https://evil.example", "null"] {
        let r = post_raw(&app, &js, "/api/wizard/lookup", origin, &lookup, FORM).await;
        stopped_if(
            &format!("an in-place form from {origin}"),
            r.status == 403,
            r.status,
        );
    }
    let r = TestApp::read(
        js.post(format!("{}/api/wizard/lookup", app.base))
            .header("origin", &app.base)
            .header("sec-fetch-site", "cross-site")
            .header("content-type", FORM)
            .body(lookup.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    stopped_if(
        "an in-place form fetched cross-site",
        r.status == 403,
        r.status,
    );

    // Form checks: the same 4xx for the same malformed form.
    for (what, body, kind, status) in [
        ("an unknown field", "username=a&tin=1&admin=1", FORM, 400),
        ("a missing field", "username=a", FORM, 400),
        ("a repeated field", "username=a&tin=1&tin=2", FORM, 400),
        (
            "a JSON body",
            "{\"username\":\"a\",\"tin\":\"1\"}",
            "application/json",
            415,
        ),
    ] {
        let want = post_raw(&app, &plain, "/api/wizard/lookup", &app.base, body, kind).await;
        let before = app.snapshot(BOOKKEEPING).await;
        let got = post_raw(&app, &js, "/api/wizard/lookup", &app.base, body, kind).await;
        stopped_if(
            &format!("{what}, in place"),
            got.status == status
                && want.status == status
                && before == app.snapshot(BOOKKEEPING).await,
            format!("{} (plain {})", got.status, want.status),
        );
    }
    app.cleanup().await;

    // Rate limits: one address's lookups, plain and in place, count together.
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("RATE_LIMIT_LOOKUPS".into(), "2".into());
    })
    .await
    else {
        return;
    };
    let (plain, _) = app.new_browser();
    let (js, _) = app.new_in_place_browser();
    let form = [("username", MJONES), ("tin", "123456789")];
    assert_eq!(
        app.post_with(&plain, "/api/wizard/lookup", &form)
            .await
            .status,
        303
    );
    assert_eq!(
        app.post_with(&js, "/api/wizard/lookup", &form).await.status,
        303
    );
    let r = app.post_with(&js, "/api/wizard/lookup", &form).await;
    stopped_if(
        "a third lookup from one address, in place",
        r.status == 429 && r.headers.get("retry-after").is_some(),
        r.status,
    );
    app.cleanup().await;
}
