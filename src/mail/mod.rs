//! Outgoing mail: lettre's SMTP transport when `SMTP_URL` is set, otherwise
//! the development mailbox (kept in the database, shown at `/dev/mailbox`).

use crate::store::Store;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    DevMailbox {
        store: Store,
        from: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(String),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("development mailbox: {0}")]
    Store(#[from] sqlx::Error),
}

impl Mailer {
    /// SMTP from a lettre URL (`smtp://host:port`, `smtps://user:pass@host`).
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from
            .parse()
            .map_err(|_| MailError::Address(from.to_string()))?;
        Ok(Mailer::Smtp { transport, from })
    }

    pub fn dev_mailbox(store: Store, from: &str) -> Self {
        Mailer::DevMailbox {
            store,
            from: from.to_string(),
        }
    }

    /// Sends a plain-text message. The body may hold a code: it is never logged.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        now: i64,
    ) -> Result<(), MailError> {
        match self {
            Mailer::Smtp { transport, from } => {
                let to: Mailbox = to.parse().map_err(|_| MailError::Address(to.to_string()))?;
                let msg = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .body(body.to_string())?;
                transport.send(msg).await?;
                Ok(())
            }
            Mailer::DevMailbox { store, from: _ } => {
                store.store_dev_mail(now, to, subject, body).await?;
                Ok(())
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Mailer::Smtp { .. } => "smtp",
            Mailer::DevMailbox { .. } => "development mailbox",
        }
    }
}
