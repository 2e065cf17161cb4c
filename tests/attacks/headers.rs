//! The security headers of every page.

use super::*;

pub(crate) async fn headers(db: Db) {
    let Some(app) = app(db).await else { return };
    let b = Browser::new(&app);
    let mut nonces = Vec::new();
    for (path, setup) in [
        ("/", ""),
        ("/wizard/lookup", ""),
        ("/wizard/verify", "verify"),
        ("/wizard/code", "code"),
        ("/help", ""),
    ] {
        let page = if setup.is_empty() {
            b.get(path).await
        } else {
            let b2 = Browser::new(&app);
            b2.john_to(setup, &format!("h-{setup}@example.com")).await;
            b2.get(path).await
        };
        let h = |n: &str| {
            page.headers
                .get(n)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = h("content-security-policy");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap_or("")
            .to_string();
        // Every inline script carries this response's nonce.
        let mut scripts_ok = true;
        let mut rest = page.body.as_str();
        while let Some(i) = rest.find("<script") {
            let tag_end = rest[i..].find('>').unwrap() + i;
            let tag = &rest[i..tag_end];
            if !tag.contains(" src=") && !tag.contains(&format!("nonce=\"{nonce}\"")) {
                scripts_ok = false;
            }
            rest = &rest[tag_end..];
        }
        stopped_if(
            &format!("an inline script without the nonce on {path}"),
            nonce.len() >= 16
                && scripts_ok
                && page.body.contains("<script")
                && !csp.contains("unsafe-inline")
                && !csp.contains("'unsafe-eval'"),
            &csp,
        );
        nonces.push(nonce);
        for (name, want) in [
            ("content-security-policy", "object-src 'none'"),
            ("content-security-policy", "base-uri 'none'"),
            ("content-security-policy", "frame-ancestors 'none'"),
            ("cache-control", "no-store"),
            ("referrer-policy", "same-origin"),
            ("x-content-type-options", "nosniff"),
        ] {
            stopped_if(
                &format!("{path} without {name}: {want}"),
                h(name).contains(want),
                h(name),
            );
        }
    }
    nonces.sort();
    nonces.dedup();
    stopped_if("a nonce used twice", nonces.len() == 5, nonces.len());

    // A form post without Origin (older browsers) to a function that sets
    // no Location of its own is not sent on to the Referer's site.
    for path in [
        "/api/wizard/state",
        "/api/flow/state",
        "/api/my_accounts",
        "/api/sign_in_state",
    ] {
        let res = app
            .client
            .post(format!("{}{path}", app.base))
            .header("referer", "https://evil.example/phish")
            .form(&[] as &[(&str, &str)])
            .send()
            .await
            .unwrap();
        let r = TestApp::read(res).await;
        let to = r.location.clone().unwrap_or_default();
        stopped_if(
            &format!("{path} redirects off the site"),
            !to.contains("evil.example")
                && (to.is_empty() || (to.starts_with('/') && !to.starts_with("//"))),
            format!("{} {to}", r.status),
        );
    }
    app.cleanup().await;
    request_ids(db).await;
}

/// `X-Request-Id`: a client's own is never taken (it would let anyone
/// write into our log lines, or pin two requests on one id); behind a
/// trusted proxy only a short plain one is, and anything else is replaced.
async fn request_ids(db: Db) {
    for trusted in [false, true] {
        let Some(app) = TestApp::spawn_with(db, |env| {
            if trusted {
                env.insert("TRUST_PROXY".into(), "1".into());
            }
        })
        .await
        else {
            return;
        };
        for (forged, taken) in [
            ("proxy-id-42", trusted),
            ("a\"b", false),
            ("line\u{2028}break", false),
            (&"x".repeat(65)[..], false),
            ("id with spaces", false),
        ] {
            let Ok(value) = reqwest::header::HeaderValue::from_str(forged) else {
                continue;
            };
            let res = app
                .client
                .get(format!("{}/wizard/lookup", app.base))
                .header("x-request-id", value)
                .send()
                .await
                .unwrap();
            let id = res
                .headers()
                .get("x-request-id")
                .map(|v| v.to_str().unwrap_or("").to_string())
                .unwrap_or_default();
            let plain = !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            stopped_if(
                &format!("X-Request-Id {forged:?} (proxy trusted: {trusted})"),
                plain && (id == forged) == taken,
                format!("answered with {id:?}"),
            );
        }
        app.cleanup().await;
    }
}
