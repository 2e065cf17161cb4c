//! Small mail servers of our own, for what maildev cannot show: how many
//! messages were taken at once and in which order (the outbox's
//! connections), a permanent refusal (bounces), and a sink that counts
//! 100,000 messages without keeping them (`make bench`, which includes
//! this file).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server answers.
#[derive(Clone, Copy)]
pub enum Answer {
    /// Takes every message, answering its end after `delay` (a server that
    /// writes each message to disk first); `keep`: remembers each one's
    /// recipient and subject.
    Take { delay: Duration, keep: bool },
    /// Refuses every recipient for good (550), as a receiving server does
    /// for an address that does not exist.
    RefuseRecipients,
}

/// What the server saw.
#[derive(Default)]
pub struct Seen {
    /// Messages taken.
    pub count: AtomicU64,
    /// Messages being taken now (between DATA and the answer to their end).
    taking: AtomicUsize,
    /// The most taken at once.
    pub most: AtomicUsize,
    /// (recipient, subject) of each message taken, in the order taken
    /// (with `keep`).
    pub taken: Mutex<Vec<(String, String)>>,
}

/// A server on a port of its own, answering as told.
pub async fn server(answer: Answer) -> (u16, Arc<Seen>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let all = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(session(stream, answer, all.clone()));
        }
    });
    (port, seen)
}

async fn session(stream: tokio::net::TcpStream, answer: Answer, seen: Arc<Seen>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 test.example ESMTP\r\n").await;
    let (mut data, mut to, mut subject) = (false, String::new(), String::new());
    while let Ok(Some(line)) = lines.next_line().await {
        if data {
            if let Some(s) = line.strip_prefix("Subject: ") {
                subject = s.to_string();
            }
            if line == "." {
                data = false;
                if let Answer::Take { delay, keep } = answer {
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    if keep {
                        seen.taken
                            .lock()
                            .unwrap()
                            .push((to.clone(), subject.clone()));
                    }
                }
                seen.count.fetch_add(1, Ordering::Relaxed);
                seen.taking.fetch_sub(1, Ordering::SeqCst);
                let _ = write.write_all(b"250 2.0.0 taken\r\n").await;
            }
            continue;
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let refuse = matches!(answer, Answer::RefuseRecipients);
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 test.example\r\n",
            "RCPT" if refuse => b"550 5.1.1 No such user here\r\n",
            "RCPT" => {
                to = line[line.find('<').unwrap_or(0)..]
                    .trim_matches(['<', '>'])
                    .to_string();
                b"250 2.1.5 ok\r\n"
            }
            "DATA" if refuse => b"503 5.5.1 Bad sequence\r\n",
            "DATA" => {
                data = true;
                let now = seen.taking.fetch_add(1, Ordering::SeqCst) + 1;
                seen.most.fetch_max(now, Ordering::SeqCst);
                b"354 go on\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 2.0.0 bye\r\n").await;
                return;
            }
            _ => b"250 2.1.0 ok\r\n",
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
