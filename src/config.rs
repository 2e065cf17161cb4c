//! Environment -> typed settings. Secrets live in [`Secret`], which never prints.

use std::net::SocketAddr;

/// A value that must never reach a log line.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Everything the server reads from its environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`. May hold a password, hence secret.
    pub database_url: Secret,
    /// lettre's SMTP URL; `None` keeps mail in the development mailbox.
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    /// How long one mail may take to send (`MAIL_TIMEOUT_SECS`); a server
    /// that accepts and never answers is then a refused send.
    pub mail_timeout: std::time::Duration,
    pub site_addr: SocketAddr,
    /// `APP_ENV=production`: no development mailbox, SMTP required.
    pub production: bool,
    /// Key for the keyed hashes of email codes and for decoy questions.
    /// Set `APP_SECRET` in production (the same on every instance); without it
    /// a random key is generated once and kept in the database.
    pub app_secret: Option<Secret>,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from the load balancer.
    pub trust_proxy: bool,
    /// Load the demo accounts into an empty database at start.
    pub load_demo_data: bool,
    /// Requests per client address, kept in the database (so every instance
    /// counts the same requests).
    pub ip_limits: IpLimits,
}

/// Per-address request limits (`RATE_LIMIT_LOOKUPS`, `RATE_LIMIT_PROOFS`
/// per 15 minutes, `RATE_LIMIT_MAILS` per hour). Generous enough for a
/// practice's whole office behind one address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IpLimits {
    /// Account Lookup requests.
    pub lookups: i64,
    /// Tries at a secret: answer or PIN, code, password, sign-in.
    pub proofs: i64,
    /// Requests that send a code.
    pub mails: i64,
}

impl Default for IpLimits {
    fn default() -> Self {
        IpLimits {
            lookups: 100,
            proofs: 60,
            mails: 20,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not a valid listen address (expected host:port, like 127.0.0.1:3000)")]
    SiteAddr(String),
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    DatabaseUrl,
    #[error("APP_ENV=production needs SMTP_URL: the development mailbox is off in production")]
    SmtpRequired,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db?mode=rwc";

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `get`, so that tests can pass their own values.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres:")
            || database_url.starts_with("postgresql:"))
        {
            return Err(ConfigError::DatabaseUrl);
        }
        let addr = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let site_addr = addr.parse().map_err(|_| ConfigError::SiteAddr(addr))?;
        let production = get("APP_ENV").is_some_and(|v| v.eq_ignore_ascii_case("production"));
        let smtp_url = get("SMTP_URL").map(Secret::new);
        if production && smtp_url.is_none() {
            return Err(ConfigError::SmtpRequired);
        }
        let number = |k: &str, default: i64| {
            get(k)
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        let d = IpLimits::default();
        let ip_limits = IpLimits {
            lookups: number("RATE_LIMIT_LOOKUPS", d.lookups),
            proofs: number("RATE_LIMIT_PROOFS", d.proofs),
            mails: number("RATE_LIMIT_MAILS", d.mails),
        };
        let flag = |k: &str| get(k).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
        Ok(Settings {
            database_url: Secret::new(database_url),
            smtp_url,
            mail_from: get("MAIL_FROM")
                .unwrap_or_else(|| "Provider Portal <no-reply@provider-portal.localhost>".into()),
            mail_timeout: std::time::Duration::from_secs(number("MAIL_TIMEOUT_SECS", 10) as u64),
            site_addr,
            production,
            app_secret: get("APP_SECRET").map(Secret::new),
            trust_proxy: flag("TRUST_PROXY"),
            load_demo_data: flag("LOAD_DEMO_DATA"),
            ip_limits,
        })
    }

    /// Whether `/dev/mailbox` exists.
    pub fn dev_mailbox(&self) -> bool {
        self.smtp_url.is_none() && !self.production
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_sqlite_and_the_dev_mailbox() {
        let s = from(&[]).unwrap();
        assert_eq!(s.database_url.expose(), DEFAULT_DATABASE_URL);
        assert!(s.dev_mailbox());
        assert_eq!(s.site_addr.to_string(), "127.0.0.1:3000");
    }

    #[test]
    fn secrets_do_not_print() {
        let s = from(&[
            ("SMTP_URL", "smtps://user:hunter2@mail.example.com"),
            ("DATABASE_URL", "postgres://u:pw123@h/db"),
        ])
        .unwrap();
        let printed = format!("{s:?}");
        assert!(
            !printed.contains("hunter2") && !printed.contains("pw123"),
            "{printed}"
        );
        assert!(!s.dev_mailbox());
    }

    #[test]
    fn production_needs_smtp() {
        assert!(matches!(
            from(&[("APP_ENV", "production")]),
            Err(ConfigError::SmtpRequired)
        ));
        assert!(from(&[
            ("APP_ENV", "production"),
            ("SMTP_URL", "smtp://localhost:25")
        ])
        .is_ok());
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(from(&[("DATABASE_URL", "mysql://x")]).is_err());
        assert!(from(&[("LEPTOS_SITE_ADDR", "localhost")]).is_err());
    }
}
