//! Slow connections (issue 14, #1): how many connections that send half a
//! request's headers and then nothing the server holds while a normal
//! visitor's p99 stays within 2x of its quiet figure, measured in the same
//! run. Each slow connection is cut by the server after
//! `REQUEST_TIMEOUT_SECS`; every level is measured inside that window.

use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// One level: slow connections held, the visitor's p99 and failures.
pub struct Level {
    pub slow: usize,
    pub p99: f64,
    pub failed: usize,
}

/// What a visitor does: 300 page loads of Account Lookup, each on a new
/// connection (a visitor arriving), timed.
async fn visitor_p99(base: &str) -> (f64, usize) {
    let mut times = Vec::new();
    let mut failed = 0;
    for _ in 0..300 {
        let c = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let t = Instant::now();
        match c.get(format!("{base}/wizard/lookup")).send().await {
            Ok(r) if r.status() == 200 => {
                let _ = r.bytes().await;
                times.push(t.elapsed().as_secs_f64());
            }
            _ => failed += 1,
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (super::percentile(&times, 0.99), failed)
}

/// Opens `n` connections that each send half a request's headers.
async fn slow_connections(addr: &str, n: usize) -> Vec<tokio::net::TcpStream> {
    let mut held = Vec::with_capacity(n);
    for _ in 0..n {
        match tokio::net::TcpStream::connect(addr).await {
            Ok(mut s) => {
                let _ = s
                    .write_all(b"GET /wizard/lookup HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .await;
                held.push(s);
            }
            Err(_) => break,
        }
    }
    held
}

/// The quiet p99 (after a warm-up), then each level of slow connections in
/// turn (all of them: on a noisy machine one level's p99 can jump), until a
/// visit fails.
pub async fn measure(base: &str, levels: &[usize]) -> (f64, Vec<Level>) {
    let addr = base.trim_start_matches("http://").to_string();
    // Once to warm up (the first visits of a run are the slowest), then quiet.
    visitor_p99(base).await;
    let (quiet, _) = visitor_p99(base).await;
    let mut out = Vec::new();
    for &n in levels {
        let held = slow_connections(&addr, n).await;
        let (p99, failed) = visitor_p99(base).await;
        let level = Level {
            slow: held.len(),
            p99,
            failed,
        };
        let over = failed > 0;
        out.push(level);
        drop(held);
        // Let the server see them go before the next level.
        tokio::time::sleep(Duration::from_millis(300)).await;
        if over {
            break;
        }
    }
    (quiet, out)
}
