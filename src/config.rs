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
    /// How many mails an instance sends at once (`MAIL_CONNECTIONS`), each
    /// on a connection of its own to the mail server (1 to 50).
    pub mail_connections: usize,
    pub site_addr: SocketAddr,
    /// `APP_ENV=production`: no development mailbox, SMTP required.
    pub production: bool,
    /// Key for the keyed hashes of email codes and for decoy questions.
    /// Set `APP_SECRET` in production (the same on every instance); without it
    /// a random key is generated once and kept in the database.
    pub app_secret: Option<Secret>,
    /// The secret `APP_SECRET` replaces (`APP_SECRET_PREVIOUS`), while it
    /// is being replaced: what was sealed or keyed under it is still read,
    /// and `provider-portal rotate-secret` seals it again under the new one.
    pub app_secret_previous: Option<Secret>,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from the load balancer.
    pub trust_proxy: bool,
    /// The site's public address (`PUBLIC_URL`): the only `Origin` a form
    /// may come from and the only `Host` served; its scheme decides Secure
    /// cookies and HSTS. Production requires it; without it (development)
    /// the request's own Host stands in.
    pub public_url: Option<PublicUrl>,
    /// Load the demo accounts into an empty database at start.
    pub load_demo_data: bool,
    /// Requests per client address, kept in the database (so every instance
    /// counts the same requests).
    pub ip_limits: IpLimits,
    /// How long a client may take to send a request's headers, or its
    /// form, or to start the next request on a kept-alive connection
    /// (`REQUEST_TIMEOUT_SECS`).
    pub request_timeout: std::time::Duration,
    /// The most connections served at once (`MAX_CONNECTIONS`; never more
    /// than the open-file limit allows); beyond it a client gets a 503.
    pub max_connections: usize,
    /// `/metrics` answers only this bearer token (`METRICS_TOKEN`).
    pub metrics_token: Option<Secret>,
    /// `/metrics` on a listener of its own, without a token, and not on the
    /// site (`METRICS_ADDR`, host:port of a private network).
    pub metrics_addr: Option<SocketAddr>,
    /// How strongly a login without a second step is asked to add one
    /// (`TWO_STEP`, `TWO_STEP_GRACE`).
    pub two_step: TwoStep,
    /// `LOG_FORMAT`: lines for people (`text`), or one JSON object a line
    /// for a SIEM (`json`).
    pub log_format: LogFormat,
    /// `MIGRATE_AT_START=0`: the server applies no migration at start (a
    /// deploy runs `provider-portal migrate` first) and refuses to start
    /// while one this build needs is missing.
    pub migrate_at_start: bool,
    /// On SIGTERM, how long the requests in flight may take to finish
    /// (`SHUTDOWN_TIMEOUT_SECS`).
    pub shutdown_timeout: std::time::Duration,
    /// The site's files (`LEPTOS_SITE_ROOT`); unset, `site` beside the
    /// binary (the release), else `target/site` (development).
    pub site_root: Option<std::path::PathBuf>,
}

/// How log lines are written (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// `TWO_STEP=offer`: a login without a second step is offered one at each
/// sign-in and may say "Not now". `TWO_STEP=required`: it may sign in
/// `TWO_STEP_GRACE` times (3 unless set) without one, and after that
/// reaches My accounts only by adding one. Production defaults to
/// required: the login opens patients' data, and every portal beside ours
/// asks for a second step; development and the demo default to offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoStep {
    Offer,
    Required { grace: i64 },
}

impl TwoStep {
    /// Whether a login that has signed in `sign_ins` times without a
    /// second step must now add one.
    pub fn must_add(self, sign_ins: i64) -> bool {
        match self {
            TwoStep::Offer => false,
            TwoStep::Required { grace } => sign_ins > grace,
        }
    }
}

/// Per-address request limits (`RATE_LIMIT_LOOKUPS`, `RATE_LIMIT_PROOFS`
/// and `RATE_LIMIT_REFUSALS` per 15 minutes, `RATE_LIMIT_MAILS` per hour).
/// Generous enough for a practice's whole office behind one address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IpLimits {
    /// Account Lookup requests.
    pub lookups: i64,
    /// Tries at a secret: answer or PIN, code, password, sign-in.
    pub proofs: i64,
    /// Requests that send a code.
    pub mails: i64,
    /// Requests refused at the edge (a malformed form, a foreign origin, a
    /// limit hit): past this many, the address is refused with 429 and
    /// nothing more is written for it.
    pub refusals: i64,
}

impl Default for IpLimits {
    fn default() -> Self {
        IpLimits {
            lookups: 100,
            proofs: 60,
            mails: 20,
            refusals: 60,
        }
    }
}

/// A site's public address: scheme and host (with the port when it is not
/// the scheme's default), lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    pub https: bool,
    /// `portal.example.com`, or `127.0.0.1:3101`.
    pub host: String,
}

impl PublicUrl {
    /// `https://portal.example.com/` (a path other than `/` is refused).
    pub fn parse(raw: &str) -> Option<PublicUrl> {
        let uri: http::Uri = raw.trim().parse().ok()?;
        let https = match uri.scheme_str()? {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return None;
        }
        let authority = uri.authority()?;
        if authority.as_str().contains('@') {
            return None;
        }
        let default = if https { 443 } else { 80 };
        let host = match authority.port_u16() {
            Some(p) if p != default => format!("{}:{p}", authority.host()),
            _ => authority.host().to_string(),
        };
        Some(PublicUrl {
            https,
            host: host.to_ascii_lowercase(),
        })
    }

    /// The `Origin` a browser sends from the site's pages.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.host)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PUBLIC_URL must be the site's address, like https://portal.example.com")]
    PublicUrl,
    #[error(
        "APP_ENV=production needs PUBLIC_URL: forms are accepted only from the site's own origin"
    )]
    PublicUrlRequired,
    #[error("{0} is not a valid listen address (expected host:port, like 127.0.0.1:3000)")]
    SiteAddr(String),
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    DatabaseUrl,
    #[error("TWO_STEP must be offer or required, not {0:?}")]
    TwoStep(String),
    #[error("APP_ENV=production needs SMTP_URL: the development mailbox is off in production")]
    SmtpRequired,
    #[error("METRICS_ADDR {0:?} is not a listen address (expected host:port, like 10.0.0.5:9100)")]
    MetricsAddr(String),
    #[error("LOG_FORMAT must be text or json, not {0:?}")]
    LogFormat(String),
}

impl ConfigError {
    /// The setting at fault, and the value that lets the others be read
    /// (none: unset it; some: a stand-in for a required one).
    pub fn setting(&self) -> (&'static str, Option<&'static str>) {
        match self {
            ConfigError::PublicUrl => ("PUBLIC_URL", None),
            ConfigError::PublicUrlRequired => ("PUBLIC_URL", Some("https://stand-in.invalid")),
            ConfigError::SiteAddr(_) => ("LEPTOS_SITE_ADDR", None),
            ConfigError::DatabaseUrl => ("DATABASE_URL", None),
            ConfigError::TwoStep(_) => ("TWO_STEP", None),
            ConfigError::SmtpRequired => ("SMTP_URL", Some("smtp://stand-in.invalid")),
            ConfigError::MetricsAddr(_) => ("METRICS_ADDR", None),
            ConfigError::LogFormat(_) => ("LOG_FORMAT", None),
        }
    }
}

/// A variable of the process environment; empty counts as unset.
pub fn env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db?mode=rwc";

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(env)
    }

    /// Every problem of the settings in `get` at once (the `check`
    /// command), rather than the first: each setting found wrong is set
    /// aside (or stood in for, if required) and the rest read again. The
    /// settings so read come with them (None only if that never ends).
    pub fn problems(get: impl Fn(&str) -> Option<String>) -> (Option<Settings>, Vec<ConfigError>) {
        let mut set_aside: std::collections::HashMap<&str, Option<&str>> = Default::default();
        let mut found = Vec::new();
        loop {
            let lookup = |k: &str| match set_aside.get(k) {
                Some(v) => v.map(str::to_string),
                None => get(k),
            };
            match Self::from_lookup(lookup) {
                Ok(s) => return (Some(s), found),
                Err(e) => {
                    let (key, stand_in) = e.setting();
                    match set_aside.insert(key, stand_in) {
                        // A wrong value set aside, and then missing where it
                        // is required: one problem, now stood in for.
                        Some(None) if stand_in.is_some() => {}
                        // Cannot happen (each error names its own setting,
                        // and a stand-in is valid); never loop.
                        Some(_) => {
                            found.push(e);
                            return (None, found);
                        }
                        None => found.push(e),
                    }
                }
            }
        }
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
        let public_url = match get("PUBLIC_URL") {
            Some(raw) => Some(PublicUrl::parse(&raw).ok_or(ConfigError::PublicUrl)?),
            None if production => return Err(ConfigError::PublicUrlRequired),
            None => None,
        };
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
            refusals: number("RATE_LIMIT_REFUSALS", d.refusals),
        };
        let metrics_addr = match get("METRICS_ADDR") {
            Some(a) => Some(a.trim().parse().map_err(|_| ConfigError::MetricsAddr(a))?),
            None => None,
        };
        let flag = |k: &str| get(k).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
        let grace = get("TWO_STEP_GRACE")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .unwrap_or(3);
        let two_step = match get("TWO_STEP").map(|v| v.trim().to_ascii_lowercase()) {
            None if production => TwoStep::Required { grace },
            None => TwoStep::Offer,
            Some(v) if v == "offer" => TwoStep::Offer,
            Some(v) if v == "required" => TwoStep::Required { grace },
            Some(v) => return Err(ConfigError::TwoStep(v)),
        };
        let log_format = match get("LOG_FORMAT").map(|v| v.trim().to_ascii_lowercase()) {
            None => LogFormat::Text,
            Some(v) if v == "text" => LogFormat::Text,
            Some(v) if v == "json" => LogFormat::Json,
            Some(v) => return Err(ConfigError::LogFormat(v)),
        };
        let migrate_at_start = get("MIGRATE_AT_START").is_none_or(|v| {
            !matches!(v.trim().to_ascii_lowercase().as_str(), "0" | "false" | "no")
        });
        Ok(Settings {
            log_format,
            migrate_at_start,
            shutdown_timeout: std::time::Duration::from_secs(
                number("SHUTDOWN_TIMEOUT_SECS", 20) as u64
            ),
            site_root: get("LEPTOS_SITE_ROOT").map(std::path::PathBuf::from),
            database_url: Secret::new(database_url),
            smtp_url,
            mail_from: get("MAIL_FROM")
                .unwrap_or_else(|| "Provider Portal <no-reply@provider-portal.localhost>".into()),
            mail_timeout: std::time::Duration::from_secs(number("MAIL_TIMEOUT_SECS", 10) as u64),
            mail_connections: number("MAIL_CONNECTIONS", 4).min(50) as usize,
            site_addr,
            production,
            app_secret: get("APP_SECRET").map(Secret::new),
            app_secret_previous: get("APP_SECRET_PREVIOUS").map(Secret::new),
            trust_proxy: flag("TRUST_PROXY"),
            public_url,
            load_demo_data: flag("LOAD_DEMO_DATA"),
            ip_limits,
            request_timeout: std::time::Duration::from_secs(
                number("REQUEST_TIMEOUT_SECS", 5) as u64
            ),
            max_connections: number("MAX_CONNECTIONS", 10_000) as usize,
            metrics_token: get("METRICS_TOKEN").map(|t| Secret::new(t.trim())),
            metrics_addr,
            two_step,
        })
    }

    /// The site's origin for links made outside a request (an operator's
    /// enrolment link): `PUBLIC_URL`, else the listen address.
    pub fn site_origin(&self) -> String {
        self.public_url
            .as_ref()
            .map(|p| p.origin())
            .unwrap_or_else(|| format!("http://{}", self.site_addr))
    }

    /// Whether `/dev/mailbox` exists: without SMTP, outside production, and
    /// only while listening on a loopback address (it shows codes).
    pub fn dev_mailbox(&self) -> bool {
        self.smtp_url.is_none() && !self.production && self.site_addr.ip().is_loopback()
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
    fn two_step_is_offered_in_development_and_required_in_production() {
        assert_eq!(from(&[]).unwrap().two_step, TwoStep::Offer);
        let prod = [
            ("APP_ENV", "production"),
            ("SMTP_URL", "smtp://localhost:25"),
            ("PUBLIC_URL", "https://portal.example.com"),
        ];
        let s = from(&prod).unwrap();
        assert_eq!(s.two_step, TwoStep::Required { grace: 3 });
        assert!(!s.two_step.must_add(3) && s.two_step.must_add(4));
        let mut offer = prod.to_vec();
        offer.push(("TWO_STEP", "Offer"));
        assert_eq!(from(&offer).unwrap().two_step, TwoStep::Offer);
        let s = from(&[("TWO_STEP", "required"), ("TWO_STEP_GRACE", "0")]).unwrap();
        assert!(s.two_step.must_add(1));
        assert!(matches!(
            from(&[("TWO_STEP", "sometimes")]),
            Err(ConfigError::TwoStep(_))
        ));
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
            ("SMTP_URL", "smtp://localhost:25"),
            ("PUBLIC_URL", "https://portal.example.com"),
        ])
        .is_ok());
    }

    #[test]
    fn production_needs_its_public_address() {
        assert!(matches!(
            from(&[
                ("APP_ENV", "production"),
                ("SMTP_URL", "smtp://localhost:25")
            ]),
            Err(ConfigError::PublicUrlRequired)
        ));
        let p = PublicUrl::parse("HTTPS://Portal.Example.com:443/").unwrap();
        assert_eq!((p.https, p.host.as_str()), (true, "portal.example.com"));
        assert_eq!(p.origin(), "https://portal.example.com");
        let p = PublicUrl::parse("http://127.0.0.1:3101").unwrap();
        assert_eq!(p.origin(), "http://127.0.0.1:3101");
        for bad in [
            "portal.example.com",
            "ftp://x",
            "https://x/app",
            "https://u:p@x",
            "https://x/?a=1",
        ] {
            assert!(PublicUrl::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_mailbox_is_served_only_on_loopback() {
        assert!(from(&[]).unwrap().dev_mailbox());
        assert!(!from(&[("LEPTOS_SITE_ADDR", "0.0.0.0:3000")])
            .unwrap()
            .dev_mailbox());
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(from(&[("DATABASE_URL", "mysql://x")]).is_err());
        assert!(from(&[("LEPTOS_SITE_ADDR", "localhost")]).is_err());
    }

    #[test]
    fn every_problem_is_found_in_one_run() {
        let (settings, found) = Settings::problems(|k| {
            match k {
                "APP_ENV" => Some("production"),
                "PUBLIC_URL" => Some("portal.example.com"),
                "LOG_FORMAT" => Some("xml"),
                "METRICS_ADDR" => Some("nowhere"),
                _ => None,
            }
            .map(str::to_string)
        });
        assert!(settings.is_some(), "the rest is read");
        let said: Vec<String> = found.iter().map(|e| e.to_string()).collect();
        assert_eq!(said.len(), 4, "{said:?}");
        for part in [
            "SMTP_URL",
            "PUBLIC_URL must be",
            "LOG_FORMAT",
            "METRICS_ADDR",
        ] {
            assert!(said.iter().any(|s| s.contains(part)), "{part}: {said:?}");
        }
        let (settings, found) = Settings::problems(|_| None);
        assert!(settings.is_some() && found.is_empty());
    }

    #[test]
    fn operations_settings_are_read() {
        let s = from(&[]).unwrap();
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(s.migrate_at_start);
        assert_eq!(s.shutdown_timeout.as_secs(), 20);
        let s = from(&[
            ("LOG_FORMAT", "JSON"),
            ("MIGRATE_AT_START", "0"),
            ("SHUTDOWN_TIMEOUT_SECS", "3"),
        ])
        .unwrap();
        assert_eq!(s.log_format, LogFormat::Json);
        assert!(!s.migrate_at_start);
        assert_eq!(s.shutdown_timeout.as_secs(), 3);
    }

    /// Every setting the server reads is in the example environment file
    /// of the release (deploy/portal.env.example), so that an operator
    /// finds each one, commented, in one place.
    #[test]
    fn every_setting_is_in_the_example_environment_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = std::fs::read_to_string(root.join("deploy/portal.env.example")).unwrap();
        let mut files = vec![root.join("src")];
        let mut names = std::collections::BTreeSet::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for opener in [
                "get(\"",
                "number(\"",
                "flag(\"",
                "var(\"",
                "var_os(\"",
                "env(\"",
            ] {
                for part in text.split(opener).skip(1) {
                    let name: String = part.chars().take_while(|c| *c != '"').collect();
                    let setting = name.len() > 2
                        && name
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
                    if setting {
                        names.insert(name);
                    }
                }
            }
        }
        // Not settings of the server: cargo-leptos's marker, the shell's
        // user (the import's report), a name refused with a warning, and
        // libpq's own names, which `backup` fills from DATABASE_URL.
        for not_ours in [
            "LEPTOS_OUTPUT_NAME",
            "USER",
            "LOGNAME",
            "AUDIT_RETENTION_DAYS",
            "PGUSER",
            "PGPASSWORD",
            "PGHOST",
            "PGPORT",
            "PGDATABASE",
            "PGSSLMODE",
        ] {
            names.remove(not_ours);
        }
        assert!(
            names.contains("APP_SECRET") && names.contains("LOG_FORMAT"),
            "{names:?}"
        );
        let missing: Vec<_> = names
            .iter()
            .filter(|n| !example.contains(&format!("{n}=")))
            .collect();
        assert!(
            missing.is_empty(),
            "not in deploy/portal.env.example: {missing:?}"
        );
    }

    #[test]
    fn refusal_limit_is_read() {
        assert_eq!(
            from(&[("RATE_LIMIT_REFUSALS", "5")])
                .unwrap()
                .ip_limits
                .refusals,
            5
        );
    }
}
