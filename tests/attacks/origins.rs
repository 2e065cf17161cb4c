//! Origins and hosts: a form is taken only from the site's own origin
//! (scheme, host and port), only the site's own Host is served, HTTPS is
//! never taken from the request line, and the development mailbox answers
//! only a page of this machine.

use super::*;

/// A lookup posted with `origin` as its Origin.
async fn lookup_from(app: &TestApp, origin: &str) -> Page {
    TestApp::read(
        app.new_browser()
            .0
            .post(format!("{}/api/wizard/lookup", app.base))
            .header("origin", origin)
            .form(&[("username", JOHN), ("tin", JOHN_TIN)])
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// A raw HTTP/1.1 request (what reqwest will not send), and the reply's head.
async fn raw(app: &TestApp, request: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    text.split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(crate) async fn origins_and_hosts(db: Db) {
    // Development (no PUBLIC_URL): the request's own Host, and its scheme.
    let Some(app) = app(db).await else { return };
    let host = app.base.trim_start_matches("http://").to_string();
    for origin in [
        format!("https://{host}"),
        format!("chrome-extension://{host}"),
    ] {
        let r = lookup_from(&app, &origin).await;
        stopped_if(
            &format!("a form posted from {origin} on an http site"),
            r.status == 403,
            r.status,
        );
    }
    assert_eq!(lookup_from(&app, &app.base).await.status, 303);
    // An absolute-form request line is the client's word, not HTTPS.
    let head = raw(
        &app,
        &format!("GET https://{host}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    stopped_if(
        "HTTPS taken from an absolute-form request line",
        head.starts_with("http/1.1 200") && !head.contains("strict-transport-security"),
        head.lines().next().unwrap_or("").to_string(),
    );
    // The development mailbox answers only a loopback Host.
    let rebound = raw(
        &app,
        &format!(
            "GET /dev/mailbox HTTP/1.1\r\nHost: rebind.example:{}\r\nConnection: close\r\n\r\n",
            host.rsplit(':').next().unwrap()
        ),
    )
    .await;
    stopped_if(
        "the development mailbox read through a rebinding name",
        !rebound.starts_with("http/1.1 200"),
        rebound.lines().next().unwrap_or("").to_string(),
    );
    assert_eq!(app.get("/dev/mailbox").await.status, 200);
    app.cleanup().await;

    // Listening on every address: no development mailbox at all.
    let Some(app) = TestApp::spawn_with(db, |env| {
        let port = env["LEPTOS_SITE_ADDR"]
            .rsplit(':')
            .next()
            .unwrap()
            .to_string();
        env.insert("LEPTOS_SITE_ADDR".into(), format!("0.0.0.0:{port}"));
    })
    .await
    else {
        return;
    };
    let r = app.get("/dev/mailbox").await;
    stopped_if(
        "the development mailbox served while listening beyond loopback",
        r.status == 404,
        r.status,
    );
    app.cleanup().await;

    // With the site's address configured: exactly that origin, only that Host.
    let Some(app) = TestApp::spawn_with(db, |env| {
        let addr = env["LEPTOS_SITE_ADDR"].clone();
        env.insert("PUBLIC_URL".into(), format!("http://{addr}"));
        env.insert("RATE_LIMIT_LOOKUPS".into(), "100000".into());
    })
    .await
    else {
        return;
    };
    let host = app.base.trim_start_matches("http://").to_string();
    let port = host.rsplit(':').next().unwrap().to_string();
    for origin in [
        format!("https://{host}"),
        format!("chrome-extension://{host}"),
        format!("http://localhost:{port}"),
    ] {
        let r = lookup_from(&app, &origin).await;
        stopped_if(
            &format!("a form posted from {origin} to the site {}", app.base),
            r.status == 403,
            r.status,
        );
    }
    assert_eq!(lookup_from(&app, &app.base).await.status, 303);
    let other_host = raw(
        &app,
        &format!("GET / HTTP/1.1\r\nHost: rebind.example:{port}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    stopped_if(
        "a page served for a Host that is not the site's",
        other_host.starts_with("http/1.1 421"),
        other_host.lines().next().unwrap_or("").to_string(),
    );
    for probe in ["/healthz", "/livez", "/readyz"] {
        let health = raw(
            &app,
            &format!("GET {probe} HTTP/1.1\r\nHost: 10.0.0.7\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert!(
            health.starts_with("http/1.1 200"),
            "{probe} answers a load balancer: {health}"
        );
    }
    let posted = raw(
        &app,
        "POST /readyz HTTP/1.1\r\nHost: 10.0.0.7\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    stopped_if(
        "a POST to /readyz",
        !posted.starts_with("http/1.1 2"),
        posted.lines().next().unwrap_or("").to_string(),
    );
    app.cleanup().await;
}
