//! The outbox sends a batch on several connections at once
//! (`MAIL_CONNECTIONS`, issue 32: a campaign's 100,000 mails would
//! otherwise go one at a time, each waiting for the server's answer to its
//! end), never more than that many, and the mails to one address in the
//! order they were written.

use crate::common::{Db, TestApp};
use provider_portal::flow::outbox;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the slow mail server saw.
#[derive(Default)]
struct Seen {
    /// Messages being taken now (between DATA and the answer to their end).
    taking: AtomicUsize,
    /// The most taken at once.
    most: AtomicUsize,
    /// (recipient, subject) of each message taken, in the order taken.
    taken: Mutex<Vec<(String, String)>>,
}

/// A mail server that takes every message and answers its end 40 ms later,
/// as a server does that writes each message to disk first.
async fn slow_smtp() -> (u16, Arc<Seen>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let all = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = all.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 slow.example ESMTP\r\n").await;
                let (mut data, mut to, mut subject) = (false, String::new(), String::new());
                while let Ok(Some(line)) = lines.next_line().await {
                    if data {
                        if let Some(s) = line.strip_prefix("Subject: ") {
                            subject = s.to_string();
                        }
                        if line == "." {
                            data = false;
                            tokio::time::sleep(std::time::Duration::from_millis(40)).await;
                            seen.taken
                                .lock()
                                .unwrap()
                                .push((to.clone(), subject.clone()));
                            seen.taking.fetch_sub(1, Ordering::SeqCst);
                            let _ = write.write_all(b"250 2.0.0 taken\r\n").await;
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 slow.example\r\n",
                        "RCPT" => {
                            to = line[line.find('<').unwrap_or(0)..]
                                .trim_matches(['<', '>'])
                                .to_string();
                            b"250 2.1.5 ok\r\n"
                        }
                        "DATA" => {
                            data = true;
                            let now = seen.taking.fetch_add(1, Ordering::SeqCst) + 1;
                            seen.most.fetch_max(now, Ordering::SeqCst);
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 2.1.0 ok\r\n",
                    };
                    if write.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, seen)
}

/// 30 mails to 30 addresses and 10 to one more, interleaved: what each
/// setting of `MAIL_CONNECTIONS` does with them.
async fn sends_with(db: Db, connections: &str) -> Option<Arc<Seen>> {
    let (port, seen) = slow_smtp().await;
    let connections = connections.to_string();
    let app = TestApp::spawn_quiet(db, move |env| {
        env.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
        env.insert("MAIL_TIMEOUT_SECS".into(), "30".into());
        env.insert("MAIL_CONNECTIONS".into(), connections);
    })
    .await?;
    let mails = (0..40)
        .map(|i| outbox::Mail {
            kind: "notice",
            to: if i % 4 == 0 {
                "same@practice.example".into()
            } else {
                format!("other{i}@practice.example")
            },
            subject: format!("Mail {i}"),
            body: format!("Mail number {i}."),
            not_me: None,
        })
        .collect();
    outbox::enqueue(&app.state, mails).await.unwrap();
    let mut sent = 0;
    while sent < 40 {
        let went = outbox::deliver_due(&app.state).await;
        assert!(went > 0, "every mail goes ({sent} of 40 so far)");
        sent += went;
    }
    assert_eq!(sent, 40);
    app.cleanup().await;
    Some(seen)
}

async fn a_batch_goes_out_on_several_connections_in_order_per_address(db: Db) {
    let Some(seen) = sends_with(db, "4").await else {
        return;
    };
    let taken = seen.taken.lock().unwrap().clone();
    assert_eq!(taken.len(), 40, "each mail taken once");
    let most = seen.most.load(Ordering::SeqCst);
    assert!(
        (2..=4).contains(&most),
        "up to MAIL_CONNECTIONS (4) messages at once, and more than one: {most}"
    );
    let to_one: Vec<&str> = taken
        .iter()
        .filter(|(to, _)| to == "same@practice.example")
        .map(|(_, s)| s.as_str())
        .collect();
    let written: Vec<String> = (0..40).step_by(4).map(|i| format!("Mail {i}")).collect();
    assert_eq!(to_one, written, "one address's mail in the order written");

    let Some(seen) = sends_with(db, "1").await else {
        return;
    };
    assert_eq!(seen.taken.lock().unwrap().len(), 40);
    assert_eq!(
        seen.most.load(Ordering::SeqCst),
        1,
        "MAIL_CONNECTIONS=1: one message at a time"
    );
}

with_each_database!(a_batch_goes_out_on_several_connections_in_order_per_address);
