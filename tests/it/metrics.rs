//! Prometheus metrics (issue 17): `/metrics` answers only its bearer token,
//! or, with METRICS_ADDR, only on that address; what it shows follows what
//! the app does (steps by action and outcome, request durations by route,
//! mail, the hashing pool).

use crate::common::{eventually, Db, TestApp};

const TOKEN: &str = "scrape-token-0123456789abcdef";

async fn scrape(app: &TestApp, bearer: Option<&str>) -> (u16, String) {
    let mut req = app.client.get(format!("{}/metrics", app.base));
    if let Some(t) = bearer {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The value of the sample `line_start` (a name and its labels), 0 if absent.
fn sample(text: &str, line_start: &str) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(line_start))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_their_token_and_follow_the_steps() {
    let Some(app) = TestApp::spawn_with(Db::Sqlite, |env| {
        env.insert("METRICS_TOKEN".into(), TOKEN.into());
    })
    .await
    else {
        return;
    };
    let (status, body) = scrape(&app, None).await;
    assert_eq!(status, 401, "{body}");
    assert!(!body.contains("portal_"), "nothing without the token");
    let (status, _) = scrape(&app, Some("not-the-token")).await;
    assert_eq!(status, 401);
    let (status, _) = scrape(&app, Some(&TOKEN[..TOKEN.len() - 1])).await;
    assert_eq!(status, 401, "a prefix of the token is not the token");

    let (status, before) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 200);
    let lookups = "portal_steps_total{action=\"lookup_account\",outcome=\"matched\"}";
    let n = sample(&before, lookups);
    // A lookup that matches, and a page: both show.
    app.submit(
        "/api/wizard/lookup",
        &[("username", "johnsmith@gmail.com"), ("tin", "83-6576879")],
    )
    .await;
    let (_, after) = scrape(&app, Some(TOKEN)).await;
    // The counters are the process's: another test's lookup in between
    // counts too (seen in a full run), so ours is at least one more.
    assert!(sample(&after, lookups) >= n + 1.0, "{after}");
    assert!(
        after.contains("portal_http_request_duration_seconds_bucket{route=\"/api/wizard/lookup\",method=\"POST\",status=\"303\""),
        "{after}"
    );
    assert!(after.contains("portal_hash_jobs "), "{after}");
    assert!(
        !after.contains("route=\"/favicon.ico\""),
        "unknown addresses add no route label"
    );
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_apart_are_not_on_the_site() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let Some(app) = TestApp::spawn_with(Db::Sqlite, |env| {
        env.insert("METRICS_ADDR".into(), format!("127.0.0.1:{port}"));
        env.insert("METRICS_TOKEN".into(), TOKEN.into());
    })
    .await
    else {
        return;
    };
    let (status, _) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 404, "with METRICS_ADDR the site has no /metrics");
    // The metrics' own listener is bound by the server as it starts.
    let text = eventually("the metrics' own address answers", async || {
        match app
            .client
            .get(format!("http://127.0.0.1:{port}/metrics"))
            .send()
            .await
        {
            Ok(r) => Ok(r.text().await.unwrap()),
            Err(e) => Err(e.to_string()),
        }
    })
    .await;
    assert!(text.contains("portal_hash_jobs"), "{text}");
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_there_are_no_metrics() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let (status, body) = scrape(&app, Some("anything")).await;
    assert_eq!(status, 404);
    assert!(!body.contains("portal_"));
    app.cleanup().await;
}

/// `portal_logins{second_step=…}` counts the logins by second step, read
/// from the database at each scrape (a scrape of another test's app may
/// set the same gauges in between: each is retried until it reads ours).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_counted_by_second_step() {
    let Some(app) = TestApp::spawn_with(Db::Sqlite, |env| {
        env.insert("METRICS_TOKEN".into(), TOKEN.into());
    })
    .await
    else {
        return;
    };
    let (client, _) = app.new_browser();
    app.new_login(
        &client,
        "metrics-two-step",
        "two@metrics.example",
        "Lantern harbour quietly 42",
    )
    .await;
    let read = |text: &str| {
        (
            sample(text, "portal_logins{second_step=\"app\"}"),
            sample(text, "portal_logins{second_step=\"passkey\"}"),
            sample(text, "portal_logins{second_step=\"none\"}"),
        )
    };
    let wanted = async |app_n: f64, passkey_n: f64, none_n: f64| {
        eventually("the logins' second steps in /metrics", async || {
            let (_, text) = scrape(&app, Some(TOKEN)).await;
            let seen = read(&text);
            if seen == (app_n, passkey_n, none_n) {
                Ok(())
            } else {
                Err(seen)
            }
        })
        .await
    };
    wanted(0.0, 0.0, 1.0).await;
    let enrolled = app.enrol_app(&client, "Phone").await;
    wanted(1.0, 0.0, 0.0).await;
    // A passkey beside the app: the login counts under both kinds.
    let code = app.app_code(&enrolled.seed);
    let mut key = crate::common::passkey::SoftKey::new();
    app.add_passkey(&client, &mut key, "Lantern harbour quietly 42", Some(&code))
        .await;
    wanted(1.0, 1.0, 0.0).await;
    app.cleanup().await;
}
