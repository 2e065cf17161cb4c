//! Outgoing mail: lettre's SMTP transport when `SMTP_URL` is set, otherwise
//! the development mailbox (kept in this process's memory, shown at
//! `/dev/mailbox`; never in the database, since mail holds codes in clear).

mod when;
pub use when::{utc_day, utc_time};

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        /// The whole send, bounded (lettre's own timeout covers the connect).
        timeout: Duration,
    },
    DevMailbox {
        inbox: Arc<Mutex<VecDeque<DevMail>>>,
    },
}

/// A message in the development mailbox.
#[derive(Debug, Clone)]
pub struct DevMail {
    pub at: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The message's `Message-ID` (the outbox row's: the same at every try).
    pub message_id: String,
    /// Its `List-Unsubscribe` address (a campaign's mail).
    pub unsubscribe: Option<String>,
}

/// The development mailbox keeps this many messages, newest first.
const DEV_MAILBOX_SIZE: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(String),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("no answer from the mail server within {0:?}")]
    Timeout(Duration),
}

impl MailError {
    /// What went wrong, as the outbox records it (never the server's own
    /// words, which may quote the message), and whether trying again may
    /// help: a refused address or a permanent (5xx) answer will not.
    pub fn class(&self) -> (&'static str, bool) {
        match self {
            MailError::Address(_) => ("bad-address", false),
            MailError::Build(_) => ("bad-message", false),
            MailError::Timeout(_) => ("timeout", true),
            MailError::Smtp(e) if e.is_permanent() => ("rejected", false),
            MailError::Smtp(e) if e.is_transient() => ("deferred", true),
            MailError::Smtp(e) if e.is_timeout() => ("timeout", true),
            MailError::Smtp(_) => ("unreachable", true),
        }
    }
}

impl Mailer {
    /// SMTP from a lettre URL (`smtp://host:port`, `smtps://user:pass@host`).
    /// Each send takes at most `timeout`, whatever the server does. The
    /// outbox sends up to `connections` mails at once; lettre's pool keeps
    /// that many connections open between sends (and two more for the
    /// email codes that requests send themselves).
    pub fn smtp(
        url: &str,
        from: &str,
        timeout: Duration,
        connections: usize,
    ) -> Result<Self, MailError> {
        let pool = lettre::transport::smtp::PoolConfig::new().max_size(connections as u32 + 2);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(timeout))
            .pool_config(pool)
            .build();
        let from = from
            .parse()
            .map_err(|_| MailError::Address(from.to_string()))?;
        Ok(Mailer::Smtp {
            transport,
            from,
            timeout,
        })
    }

    pub fn dev_mailbox(_from: &str) -> Self {
        Mailer::DevMailbox {
            inbox: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    /// The newest `limit` messages of the development mailbox (none with SMTP).
    pub fn dev_mail(&self, limit: usize) -> Vec<DevMail> {
        match self {
            Mailer::Smtp { .. } => Vec::new(),
            Mailer::DevMailbox { inbox } => inbox
                .lock()
                .map(|b| b.iter().take(limit).cloned().collect())
                .unwrap_or_default(),
        }
    }

    /// Sends a plain-text message with this `Message-ID` (`<...@...>`).
    /// The body may hold a code: it is never logged. Counted in the
    /// metrics (`portal_mail_sent_total`, `portal_mail_failed_total`).
    /// Only the outbox (flow::outbox) calls this: every mail goes there
    /// first.
    /// A campaign's mail carries `unsubscribe`, as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post` (RFC 8058: one click, no page to visit).
    pub async fn send(
        &self,
        to: &str,
        (subject, body): (&str, &str),
        message_id: &str,
        unsubscribe: Option<&str>,
        now: i64,
    ) -> Result<(), MailError> {
        let sent = self
            .send_now(to, (subject, body), message_id, unsubscribe, now)
            .await;
        match &sent {
            Ok(()) => metrics::counter!("portal_mail_sent_total").increment(1),
            Err(_) => metrics::counter!("portal_mail_failed_total").increment(1),
        }
        sent
    }

    async fn send_now(
        &self,
        to: &str,
        (subject, body): (&str, &str),
        message_id: &str,
        unsubscribe: Option<&str>,
        now: i64,
    ) -> Result<(), MailError> {
        match self {
            Mailer::Smtp {
                transport,
                from,
                timeout,
            } => {
                let to: Mailbox = to.parse().map_err(|_| MailError::Address(to.to_string()))?;
                let mut msg = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .message_id(Some(message_id.to_string()));
                if let Some(url) = unsubscribe {
                    use lettre::message::header::{HeaderName, HeaderValue};
                    msg = msg
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe"),
                            format!("<{url}>"),
                        ))
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                            "List-Unsubscribe=One-Click".into(),
                        ));
                }
                let msg = msg.body(body.to_string())?;
                tokio::time::timeout(*timeout, transport.send(msg))
                    .await
                    .map_err(|_| MailError::Timeout(*timeout))??;
                Ok(())
            }
            Mailer::DevMailbox { inbox } => {
                if let Ok(mut b) = inbox.lock() {
                    b.push_front(DevMail {
                        at: now,
                        to: to.to_string(),
                        subject: subject.to_string(),
                        body: body.to_string(),
                        message_id: message_id.to_string(),
                        unsubscribe: unsubscribe.map(str::to_string),
                    });
                    b.truncate(DEV_MAILBOX_SIZE);
                }
                Ok(())
            }
        }
    }

    /// Whether the SMTP server answers and takes this login (the `check`
    /// command), within the send timeout; the development mailbox always
    /// does.
    pub async fn reachable(&self) -> Result<(), MailError> {
        match self {
            Mailer::Smtp {
                transport, timeout, ..
            } => match tokio::time::timeout(*timeout, transport.test_connection()).await {
                Ok(Ok(true)) => Ok(()),
                Ok(Ok(false)) => Err(MailError::Timeout(*timeout)),
                Ok(Err(e)) => Err(MailError::Smtp(e)),
                Err(_) => Err(MailError::Timeout(*timeout)),
            },
            Mailer::DevMailbox { .. } => Ok(()),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Mailer::Smtp { .. } => "smtp",
            Mailer::DevMailbox { .. } => "development mailbox",
        }
    }
}
