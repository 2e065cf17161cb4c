//! Slow and idle connections: a client that never finishes its headers or
//! its body is cut off after a few seconds, and beyond the connection cap a
//! client gets a fast 503 instead of hanging.

use super::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Whether the server closes (or answers and closes) a connection that
/// sent `sent` and then nothing more, within `within`.
async fn cut_off(app: &TestApp, sent: &str, within: Duration) -> bool {
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(sent.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let ended = async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(within, ended).await.is_ok()
}

pub(crate) async fn slow_clients(db: Db) {
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("REQUEST_TIMEOUT_SECS".into(), "2".into());
        env.insert("MAX_CONNECTIONS".into(), "8".into());
    })
    .await
    else {
        return;
    };
    let host = app.base.trim_start_matches("http://").to_string();
    let within = Duration::from_secs(12);
    stopped_if(
        "a connection that stops in the middle of its headers is kept",
        cut_off(
            &app,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow: "),
            within,
        )
        .await,
        "still open",
    );
    stopped_if(
        "a connection that never sends a request is kept",
        cut_off(&app, "", within).await,
        "still open",
    );
    stopped_if(
        "a POST whose body stalls is kept",
        cut_off(
            &app,
            &format!(
                "POST /api/wizard/lookup HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nusername=ab"
            ),
            within,
        )
        .await,
        "still open",
    );
    app.cleanup().await;
    // The cap, on an instance whose header deadline (60 s) cannot free a
    // slot while the test runs, however loaded the machine is: with the
    // 2 s deadline above, an idle connection could be closed before the
    // ninth client was accepted, and that client was then served.
    let Some(app) = TestApp::spawn_with(db, |env| {
        env.insert("REQUEST_TIMEOUT_SECS".into(), "60".into());
        env.insert("MAX_CONNECTIONS".into(), "8".into());
    })
    .await
    else {
        return;
    };
    let addr = app.base.trim_start_matches("http://").to_string();
    // Eight idle connections fill the cap: the ninth client is told at once.
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A client of its own, so that no kept-alive connection is reused.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let busy = tokio::time::timeout(Duration::from_secs(5), app.get_with(&fresh, "/healthz")).await;
    stopped_if(
        "a client beyond the connection cap waits instead of being told",
        matches!(&busy, Ok(p) if p.status == 503 && p.headers.get("retry-after").is_some())
            && started.elapsed() < Duration::from_secs(5),
        format!("{:?}", busy.as_ref().map(|p| p.status)),
    );
    drop(idle);
    // Once they are gone, clients are served again.
    let mut served = false;
    for _ in 0..50 {
        if app.get_with(&fresh, "/healthz").await.status == 200 {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "served again after the idle connections closed");
    app.cleanup().await;
}
