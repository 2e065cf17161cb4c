//! Malformed, oversized and hostile forms.

use super::*;

pub(crate) async fn bad_input(db: Db) {
    let Some(app) = app(db).await else { return };
    let b = Browser::new(&app);
    b.john_to("verify", "").await;
    let raw = |body: Vec<u8>, content_type: &'static str, path: &'static str| {
        let client = b.client.clone();
        let url = format!("{}{path}", app.base);
        let origin = app.base.clone();
        async move {
            TestApp::read(
                client
                    .post(url)
                    .header("origin", origin)
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, Vec<u8>, &'static str, &'static str, u16)> = vec![
        (
            "a 1 MB body",
            format!("answer={}", "a".repeat(1 << 20)).into_bytes(),
            form,
            "/api/wizard/verify",
            413,
        ),
        (
            "a 10 KB field",
            format!("answer={}", "a".repeat(10_000)).into_bytes(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "invalid UTF-8, raw",
            b"answer=\xff\xfe".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "invalid UTF-8, escaped",
            b"answer=%C3%28".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "a NUL byte",
            b"answer=a%00b".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "JSON instead of a form",
            br#"{"answer":"Smith"}"#.to_vec(),
            "application/json",
            "/api/wizard/verify",
            415,
        ),
        (
            "an array instead of a string",
            b"answer[]=Smith".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "a nested object",
            b"answer[x]=Smith".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "a field twice",
            b"answer=a&answer=Smith".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "a missing field",
            b"".to_vec(),
            form,
            "/api/wizard/verify",
            400,
        ),
        (
            "a missing field (lookup)",
            b"username=x".to_vec(),
            form,
            "/api/wizard/lookup",
            400,
        ),
        (
            "an unknown function",
            b"".to_vec(),
            form,
            "/api/wizard/make_admin",
            404,
        ),
    ];
    for (what, body, ct, path, want) in cases {
        let before = app.snapshot(BOOKKEEPING).await;
        let r = raw(body, ct, path).await;
        stopped_if(
            what,
            r.status == want
                && r.body.contains("Nothing was saved")
                && before == app.snapshot(BOOKKEEPING).await,
            format!(
                "{} {}",
                r.status,
                r.body.chars().take(200).collect::<String>()
            ),
        );
    }
    stopped_if(
        "bad forms are audited",
        count(&app, "SELECT CAST(COALESCE(SUM(repeats), 0) AS BIGINT) FROM audit_trail WHERE outcome LIKE 'refused: %' AND address IS NOT NULL").await >= 11,
        "missing audit events",
    );

    // SQL and HTML in every field of every form: refused or wrong, never
    // run, never shown unescaped.
    let payloads = [
        "' OR '1'='1",
        "'; DROP TABLE legacy_accounts; --",
        "\" OR 1=1 --",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
    ];
    let fields_at: &[(&str, &str, &[&str])] = &[
        ("lookup", "/api/wizard/lookup", &["username", "tin"]),
        ("verify", "/api/wizard/verify", &["answer"]),
        ("email", "/api/wizard/email", &["email", "verify_email"]),
        ("code", "/api/wizard/code", &["code"]),
        (
            "password",
            "/api/wizard/password",
            &["username", "password"],
        ),
    ];
    // The demo data's old accounts (demo/accounts.csv): none added or lost.
    let demo_accounts = count(&app, "SELECT COUNT(*) FROM legacy_accounts").await;
    assert_eq!(demo_accounts, 5);
    for (step, path, fields) in fields_at {
        for field in fields.iter() {
            for p in payloads {
                let b = Browser::new(&app);
                b.john_to(step, "inject@example.com").await;
                let form: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|f| (*f, if f == field { p } else { "x" }))
                    .collect();
                let r = b.post(path, &form).await;
                let page = match &r.location {
                    Some(l) => b.get(l).await,
                    None => r,
                };
                let unescaped =
                    page.body.contains("<script>alert") || page.body.contains("<img src=x");
                // A day later for the next one: no lockout or mail cap
                // from this payload stands in the way of the next.
                app.state.clock.advance(24 * 3600 + 1);
                stopped_if(
                    &format!("{p} in {field} at {step}"),
                    page.status < 500
                        && !unescaped
                        && count(&app, "SELECT COUNT(*) FROM legacy_accounts").await
                            == demo_accounts
                        && count(&app, "SELECT COUNT(*) FROM portal_users").await == 0
                        && count(&app, "SELECT COUNT(*) FROM wizard_accounts").await == 0,
                    format!("status {}, unescaped {unescaped}", page.status),
                );
            }
        }
    }
    // Sign-in too.
    for p in payloads {
        let s = Browser::new(&app);
        let r = s
            .post("/api/sign_in", &[("username", p), ("password", p)])
            .await;
        let page = s.get(r.location.as_deref().unwrap_or("/")).await;
        stopped_if(
            &format!("{p} in sign-in"),
            r.status == 303
                && !r.set_cookie.iter().any(|c| c.contains("pp_session"))
                && !page.body.contains("<script>alert")
                && !page.body.contains("<img src=x"),
            r.status,
        );
    }
    app.cleanup().await;
}
