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
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// How many connections, and how long a connection may take to send a
/// request's headers (or stay idle between requests).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub max: usize,
    pub header_timeout: Duration,
    /// How long a stop waits for the requests in flight.
    pub drain: Duration,
}

/// Serves `app` on `listener` until `stop` resolves; then stops accepting
/// and lets the requests in flight finish (up to `limits.drain`): a
/// connection busy with a request closes after its response; one that has
/// not yet sent its first request gets it answered (or its header timeout);
/// an idle kept-alive one is closed. Returns how many connections were
/// still open when the drain's time ran out (0: every one finished).
pub async fn serve_bounded(
    app: Router,
    listener: TcpListener,
    limits: ConnLimits,
    stop: impl std::future::Future<Output = ()>,
) -> usize {
    let slots = Arc::new(Semaphore::new(limits.max));
    let (stopping, stopped) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let (stream, peer) = match accepted {
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
        // Whether this connection has begun a request (so that a stop
        // closes it after that request, not before it).
        let (began, mut has_begun) = watch::channel(false);
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                began.send_replace(true);
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req.map(axum::body::Body::new)
            });
        let mut stop = stopped.clone();
        tokio::spawn(async move {
            // HTTP/1.1: detecting HTTP/2 first would wait for a first byte
            // with no timeout (browsers speak HTTP/2 to the TLS proxy).
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::pin!(conn);
            let ended = tokio::select! {
                ended = conn.as_mut() => Some(ended),
                _ = stop.wait_for(|s| *s) => None,
            };
            let ended = match ended {
                Some(ended) => ended,
                None => {
                    // Stopping. A connection that has not begun its first
                    // request is given it (its client sent it already, or
                    // soon will, believing the connection accepted).
                    let first = tokio::select! {
                        ended = conn.as_mut() => Some(ended),
                        _ = has_begun.wait_for(|b| *b) => None,
                    };
                    match first {
                        Some(ended) => ended,
                        None => {
                            conn.as_mut().graceful_shutdown();
                            conn.await
                        }
                    }
                }
            };
            if let Err(e) = ended {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    let open = limits.max - slots.available_permits();
    tracing::info!(
        connections = open,
        "stopping: no new connections; the requests in flight may finish"
    );
    stopping.send_replace(true);
    let all = u32::try_from(limits.max).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(limits.drain, slots.acquire_many(all))
        .await
        .is_ok();
    if drained {
        0
    } else {
        limits.max - slots.available_permits()
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
