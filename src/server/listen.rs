//! Accepting connections, bounded in number and in time, so that one client
//! with slow or idle connections cannot hold the server: a connection must
//! send its request headers (also the next request's, when kept alive)
//! within the header timeout; beyond the connection cap a client gets a
//! short 503 at once instead of waiting for `accept`.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How many connections, and how long a connection may take to send a
/// request's headers (or stay idle between requests).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub max: usize,
    pub header_timeout: Duration,
}

/// Serves `app` on `listener` until the listener fails for good.
pub async fn serve_bounded(app: Router, listener: TcpListener, limits: ConnLimits) {
    let slots = Arc::new(Semaphore::new(limits.max));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment
                // rather than spin; connections already open go on.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(shed(stream));
            continue;
        };
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req.map(axum::body::Body::new)
            });
        tokio::spawn(async move {
            // HTTP/1.1: detecting HTTP/2 first would wait for a first byte
            // with no timeout (browsers speak HTTP/2 to the TLS proxy).
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(slot);
        });
    }
}

/// A connection beyond the cap: the request's head is read (a second at
/// most; a client expects its request taken before the answer), then a
/// short 503 with `Retry-After`, and the connection is closed.
async fn shed(mut stream: TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\
        Content-Type: text/plain; charset=utf-8\r\nContent-Length: 38\r\nConnection: close\r\n\r\n\
        The portal is busy. Please try again.\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while head.len() < 16 * 1024 && !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let _ = stream.write_all(BUSY).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Raises this process's open-file limit as far as the system allows and
/// returns it, so that the connection cap, not the descriptor table, is
/// what sheds load.
pub fn raise_open_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "could not read or raise the open-file limit");
            1024
        }
    }
}
