//! maildev (the SMTP server the Playwright specs use), started by a test on
//! ports of its own, stopped and started again to play a mail server that
//! goes away; its JSON API lists what it received.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::process::free_port;

pub struct Maildev {
    pub smtp_port: u16,
    web_port: u16,
    child: Option<Child>,
}

/// One message as maildev received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    /// The `List-Unsubscribe` and `List-Unsubscribe-Post` headers ('' if none).
    pub unsubscribe: String,
    pub unsubscribe_post: String,
}

fn binary() -> std::path::PathBuf {
    let bin =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("end2end/node_modules/.bin/maildev");
    assert!(
        bin.exists(),
        "maildev is not installed at {}: run scripts/setup.sh test",
        bin.display()
    );
    bin
}

impl Maildev {
    /// Ports chosen, nothing started: the mail server is down.
    pub fn ports() -> Maildev {
        Maildev {
            smtp_port: free_port(),
            web_port: free_port(),
            child: None,
        }
    }

    /// Started on fresh ports. A port found free may be taken before
    /// maildev binds it (by a test or a process beside this one): maildev
    /// then exits, and it is started again on other ports.
    pub async fn start() -> Maildev {
        for _ in 0..5 {
            let mut m = Maildev::ports();
            if m.try_up().await {
                return m;
            }
        }
        panic!("maildev did not start (five pairs of ports tried)");
    }

    /// `SMTP_URL` for the app.
    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp_port)
    }

    /// Starts it (again: a new maildev holds none of the old one's mail).
    pub async fn up(&mut self) {
        assert!(
            self.try_up().await,
            "maildev did not start on {} (its ports taken?)",
            self.smtp_port
        );
    }

    /// Starts it and waits until it answers (up to [`super::PATIENCE`]);
    /// false if it exited first (a port taken) or never answered.
    async fn try_up(&mut self) -> bool {
        assert!(self.child.is_none(), "maildev is already running");
        let child = Command::new(binary())
            .args([
                "--smtp",
                &self.smtp_port.to_string(),
                "--web",
                &self.web_port.to_string(),
                "--ip",
                "127.0.0.1",
                "--silent",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start maildev");
        self.child = Some(child);
        let until = std::time::Instant::now() + super::PATIENCE;
        while std::time::Instant::now() < until {
            let smtp = tokio::net::TcpStream::connect(("127.0.0.1", self.smtp_port)).await;
            let answers = smtp.is_ok() && self.try_received().await.is_some();
            // Whoever answered, it was not this maildev if it has exited.
            let exited = !matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)));
            if exited {
                self.down();
                return false;
            }
            if answers {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.down();
        false
    }

    /// Stops it: connections to its SMTP port are refused.
    pub fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    async fn try_received(&self) -> Option<Vec<Received>> {
        let url = format!("http://127.0.0.1:{}/email", self.web_port);
        let res = reqwest::get(url).await.ok()?;
        let list: serde_json::Value = res.json().await.ok()?;
        Some(
            list.as_array()?
                .iter()
                .map(|m| Received {
                    to: m["to"][0]["address"].as_str().unwrap_or("").to_string(),
                    subject: m["subject"].as_str().unwrap_or("").to_string(),
                    message_id: m["messageId"].as_str().unwrap_or("").to_string(),
                    text: m["text"].as_str().unwrap_or("").to_string(),
                    unsubscribe: m["headers"]["list-unsubscribe"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    unsubscribe_post: m["headers"]["list-unsubscribe-post"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                })
                .collect(),
        )
    }

    /// Every message received since it was last started.
    pub async fn received(&self) -> Vec<Received> {
        self.try_received().await.expect("maildev's API answers")
    }

    /// Waits (up to [`super::PATIENCE`]) until `n` messages are in;
    /// returns them all (fewer if they did not come).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let until = std::time::Instant::now() + super::PATIENCE;
        loop {
            let got = self.received().await;
            if got.len() >= n || std::time::Instant::now() >= until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Maildev {
    fn drop(&mut self) {
        self.down();
    }
}
