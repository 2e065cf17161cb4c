//! The commands of a deployment (docs/deploy.md):
//!
//! ```text
//! provider-portal check        every problem of the settings, database, SMTP and site, in one run
//! provider-portal migrate      applies the migrations and exits
//! provider-portal backup FILE  an online copy of the database
//! ```
//!
//! `check` changes nothing: it connects without migrating, and an SQLite
//! file that does not exist yet is not created.

use crate::config::{ConfigError, Settings};
use crate::store::{Backend, MigrationState, Store};
use std::time::Duration;

pub const USAGE: &str =
    "usage: provider-portal check | migrate | backup <FILE> | rotate-secret | --version";

/// How long `check` waits for the database.
const DB_PATIENCE: Duration = Duration::from_secs(10);

/// Fewer characters than this, and `APP_SECRET` is weak.
pub const SECRET_MIN_CHARS: usize = 32;

/// One line of `check`'s report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Ok(String),
    Note(String),
    Problem(String),
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Ok(s) => write!(f, "ok       {s}"),
            Finding::Note(s) => write!(f, "note     {s}"),
            Finding::Problem(s) => write!(f, "PROBLEM  {s}"),
        }
    }
}

/// Why `APP_SECRET` is too weak to stand, if it is.
pub fn secret_weakness(secret: &str) -> Option<String> {
    let chars = secret.chars().count();
    let distinct = secret
        .chars()
        .collect::<std::collections::HashSet<_>>()
        .len();
    if chars < SECRET_MIN_CHARS {
        Some(format!(
            "APP_SECRET is weak: {chars} characters, where at least {SECRET_MIN_CHARS} random ones are needed (make one with: openssl rand -base64 48)"
        ))
    } else if distinct < 12 {
        Some(format!(
            "APP_SECRET is weak: only {distinct} different characters (make one with: openssl rand -base64 48)"
        ))
    } else {
        None
    }
}

/// Everything `check` finds, in order. `get` reads the environment.
pub async fn check(get: impl Fn(&str) -> Option<String>) -> Vec<Finding> {
    let mut out = Vec::new();
    let (settings, errors) = Settings::problems(&get);
    let wrong: Vec<&str> = errors.iter().map(|e| e.setting().0).collect();
    for e in &errors {
        out.push(Finding::Problem(e.to_string()));
    }
    let Some(s) = settings else {
        return out;
    };
    if errors.is_empty() {
        out.push(Finding::Ok(format!(
            "settings: read ({}, listening on {})",
            if s.production {
                "production"
            } else {
                "development: APP_ENV is not production"
            },
            s.site_addr
        )));
    }
    if !wrong.contains(&"PUBLIC_URL") {
        out.extend(public_url(&s));
    }
    match &s.app_secret {
        Some(secret) => out.push(match secret_weakness(secret.expose()) {
            Some(w) => Finding::Problem(w),
            None => Finding::Ok("APP_SECRET: set, and long enough".into()),
        }),
        None if s.production => out.push(Finding::Problem(
            "APP_SECRET is not set: the key would be kept in the database, beside what it protects (make one with: openssl rand -base64 48, the same on every instance)".into(),
        )),
        None => out.push(Finding::Note(
            "APP_SECRET is not set: a key kept in the database is used (development only)".into(),
        )),
    }
    if s.app_secret.is_some() && s.app_secret_previous.is_some() {
        out.push(Finding::Note(
            "APP_SECRET_PREVIOUS is set: a rotation is under way (run `provider-portal rotate-secret`, and remove it after 30 days: docs/deploy.md)".into(),
        ));
    }
    if !wrong.contains(&"DATABASE_URL") {
        out.extend(database(&s).await);
    }
    if !wrong.contains(&"SMTP_URL") {
        out.push(smtp(&s).await);
    }
    let site = crate::server::site_root(&s);
    out.push(if site.join("pkg").is_dir() {
        Finding::Ok(format!("site: {}", site.display()))
    } else {
        Finding::Problem(format!(
            "site: no pkg folder in {}: the pages would have no style and no script (keep site/ beside the binary, or set LEPTOS_SITE_ROOT)",
            site.display()
        ))
    });
    out
}

fn public_url(s: &Settings) -> Option<Finding> {
    let url = s.public_url.as_ref()?;
    let host = url
        .host
        .rsplit_once(':')
        .map_or(url.host.as_str(), |(h, _)| h);
    let here = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    Some(if s.production && !url.https && !here {
        Finding::Problem(format!(
            "PUBLIC_URL {} is not https: sign-in cookies and forms would cross the network in clear (put the TLS proxy's address here)",
            url.origin()
        ))
    } else {
        Finding::Ok(format!("PUBLIC_URL: {}", url.origin()))
    })
}

async fn database(s: &Settings) -> Vec<Finding> {
    let url = s.database_url.expose();
    if url.starts_with("sqlite:") {
        if let Some(file) = crate::store::sqlite_file(url) {
            if !file.exists() {
                return vec![Finding::Note(format!(
                    "database: no file at {} yet: `provider-portal migrate` (or the server's start) creates it",
                    file.display()
                ))];
            }
        }
    }
    let store = match tokio::time::timeout(DB_PATIENCE, Store::open(url, false)).await {
        Ok(Ok(store)) => store,
        Ok(Err(e)) => return vec![Finding::Problem(format!("database: cannot connect: {e}"))],
        Err(_) => {
            return vec![Finding::Problem(format!(
                "database: no answer within {} s",
                DB_PATIENCE.as_secs()
            ))]
        }
    };
    let mut found = match store.migration_state().await {
        Ok(state) => migrations(&store, &state, s.migrate_at_start),
        Err(e) => vec![Finding::Problem(format!(
            "database: cannot read its migrations: {e}"
        ))],
    };
    if matches!(found.first(), Some(Finding::Ok(_))) {
        found.extend(sealed_values(&store, s).await);
    }
    store.pool().close().await;
    found
}

/// Whether `APP_SECRET` opens what the database keeps sealed: an instance
/// with another secret than the others could read none of it.
async fn sealed_values(store: &Store, s: &Settings) -> Vec<Finding> {
    let Some(keys) = crate::server::configured_keys(s) else {
        return Vec::new();
    };
    let survey = match crate::flow::rotation::survey(store, &keys).await {
        Ok(survey) => survey,
        Err(e) => return vec![Finding::Problem(format!("database: {e}"))],
    };
    let total = survey.current + survey.previous_only + survey.unreadable;
    let mut out = Vec::new();
    if survey.unreadable > 0 && survey.unreadable == total {
        out.push(Finding::Problem(format!(
            "APP_SECRET opens none of the {total} values sealed in this database: it is not the secret they were sealed under (the same on every instance?)"
        )));
    } else if survey.unreadable > 0 {
        out.push(Finding::Problem(format!(
            "{} of the {total} values sealed in this database open under neither APP_SECRET nor APP_SECRET_PREVIOUS",
            survey.unreadable
        )));
    } else if total > 0 {
        out.push(Finding::Ok(format!(
            "APP_SECRET opens the {total} values sealed in this database"
        )));
    }
    if survey.previous_only > 0 {
        out.push(Finding::Note(format!(
            "{} sealed values open only under APP_SECRET_PREVIOUS: run `provider-portal rotate-secret`",
            survey.previous_only
        )));
    }
    out
}

fn migrations(store: &Store, m: &MigrationState, migrate_at_start: bool) -> Vec<Finding> {
    let kind = match store.backend() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let mut out = vec![Finding::Ok(format!(
        "database: {kind} answers; {} migrations applied",
        m.applied.len()
    ))];
    let list = |v: &[i64]| {
        v.iter()
            .map(|n| format!("{n:04}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !m.failed.is_empty() {
        out.push(Finding::Problem(format!(
            "database: migrations {} started and never finished: restore the backup taken before the upgrade",
            list(&m.failed)
        )));
    }
    if !m.changed.is_empty() {
        out.push(Finding::Problem(format!(
            "database: migrations {} differ from this version's files: this build does not match the database",
            list(&m.changed)
        )));
    }
    if !m.pending.is_empty() {
        let versions: Vec<i64> = m.pending.iter().map(|(v, _)| *v).collect();
        let said = format!(
            "database: {} to apply ({})",
            versions.len(),
            list(&versions)
        );
        out.push(if migrate_at_start {
            Finding::Note(format!(
                "{said}: the server applies them at start, or run `provider-portal migrate`"
            ))
        } else {
            Finding::Problem(format!(
                "{said} and MIGRATE_AT_START=0: run `provider-portal migrate`"
            ))
        });
    }
    if !m.newer.is_empty() {
        out.push(Finding::Note(format!(
            "database: migrations {} come from a newer version; this one serves beside them (docs/deploy.md, Upgrades)",
            list(&m.newer)
        )));
    }
    out
}

async fn smtp(s: &Settings) -> Finding {
    let Some(url) = &s.smtp_url else {
        return Finding::Note("SMTP_URL is not set: mail stays in the development mailbox".into());
    };
    let mailer = match crate::mail::Mailer::smtp(url.expose(), &s.mail_from, s.mail_timeout, 1) {
        Ok(m) => m,
        Err(e) => return Finding::Problem(format!("SMTP_URL or MAIL_FROM: {e}")),
    };
    match mailer.reachable().await {
        Ok(()) => Finding::Ok("SMTP: the mail server answers".into()),
        Err(e) => Finding::Problem(format!("SMTP: {e}")),
    }
}

/// `check`: prints every finding; 1 if any is a problem.
pub async fn run_check() -> i32 {
    println!(
        "provider-portal {} (commit {}): check",
        crate::VERSION,
        crate::COMMIT
    );
    let found = check(crate::config::env).await;
    for f in &found {
        println!("{f}");
    }
    let problems = found
        .iter()
        .filter(|f| matches!(f, Finding::Problem(_)))
        .count();
    if problems == 0 {
        println!("no problem found");
        0
    } else {
        println!(
            "{problems} problem{} found; nothing was changed",
            if problems == 1 { "" } else { "s" }
        );
        1
    }
}

/// The database of the settings, not migrated; the exit code if it cannot
/// be reached (said on standard error).
pub(super) async fn open_store(s: &Settings) -> Result<Store, i32> {
    Store::open(s.database_url.expose(), false)
        .await
        .map_err(|e| {
            eprintln!("database: cannot connect: {e}");
            1
        })
}

pub(super) fn settings() -> Result<Settings, i32> {
    Settings::from_env().map_err(|e: ConfigError| {
        eprintln!("configuration: {e}");
        2
    })
}

/// `migrate`: applies what is missing and says what it applied.
pub async fn run_migrate() -> i32 {
    let s = match settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let store = match open_store(&s).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let code = match store.migrate().await {
        Ok(applied) if applied.is_empty() => {
            println!("nothing to apply: the database is up to date");
            0
        }
        Ok(applied) => {
            for (v, what) in &applied {
                println!("applied {v:04} {what}");
            }
            0
        }
        Err(e) => {
            eprintln!("the migrations failed: {e}");
            1
        }
    };
    store.pool().close().await;
    code
}

/// `backup FILE`: SQLite's online copy, or PostgreSQL's `pg_dump`.
pub async fn run_backup(file: &str) -> i32 {
    let s = match settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let url = s.database_url.expose();
    if !url.starts_with("sqlite:") {
        return pg_dump(url, file);
    }
    if let Some(db) = crate::store::sqlite_file(url).filter(|f| !f.exists()) {
        eprintln!("no database at {}: nothing to back up", db.display());
        return 1;
    }
    let store = match open_store(&s).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let copied = store.backup_sqlite(std::path::Path::new(file)).await;
    store.pool().close().await;
    match copied {
        Ok(bytes) => {
            println!(
                "backup written to {file} ({bytes} bytes, {:.1} s); restore it as docs/deploy.md says",
                started.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            eprintln!("backup: {e}");
            1
        }
    }
}

/// The parts of a `postgres://user:password@host:port/db?sslmode=…` URL,
/// as libpq's environment (so that the password is not in the command
/// line, which other users of the machine can read).
pub fn libpq_env(url: &str) -> Option<Vec<(&'static str, String)>> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .to_string()
    };
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))?;
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, db) = rest.split_once('/').unwrap_or((rest, ""));
    let (user_info, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let mut env = Vec::new();
    if let Some(u) = user_info {
        let (user, password) = u.split_once(':').unwrap_or((u, ""));
        if !user.is_empty() {
            env.push(("PGUSER", decode(user)));
        }
        if !password.is_empty() {
            env.push(("PGPASSWORD", decode(password)));
        }
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || p.parse::<u16>().is_ok() => (h, Some(p)),
        _ => (host_port, None),
    };
    if !host.is_empty() {
        env.push((
            "PGHOST",
            decode(host.trim_start_matches('[').trim_end_matches(']')),
        ));
    }
    if let Some(p) = port.filter(|p| !p.is_empty()) {
        env.push(("PGPORT", p.to_string()));
    }
    if !db.is_empty() {
        env.push(("PGDATABASE", decode(db)));
    }
    for pair in query.split('&') {
        if let Some(mode) = pair.strip_prefix("sslmode=") {
            env.push(("PGSSLMODE", decode(mode)));
        }
    }
    Some(env)
}

fn pg_dump(url: &str, file: &str) -> i32 {
    let Some(env) = libpq_env(url) else {
        eprintln!("DATABASE_URL is not a postgres:// URL");
        return 2;
    };
    if std::path::Path::new(file).exists() {
        eprintln!("backup: {file} exists already: name a new file");
        return 1;
    }
    let mut cmd = std::process::Command::new("pg_dump");
    cmd.args(["--format=custom", "--no-owner", "--file", file]);
    for (k, v) in &env {
        cmd.env(k, v);
    }
    match cmd.status() {
        Ok(status) if status.success() => {
            println!("backup written to {file} by pg_dump; restore it with pg_restore as docs/deploy.md says");
            0
        }
        Ok(status) => {
            eprintln!("pg_dump failed ({status}); nothing else was changed");
            1
        }
        Err(e) => {
            eprintln!(
                "pg_dump could not be run ({e}): install PostgreSQL's client (the same major version as the server, or newer) and run:\n  pg_dump --format=custom --no-owner --file {file} \"$DATABASE_URL\""
            );
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_secrets_are_named() {
        assert!(secret_weakness("changeme")
            .unwrap()
            .contains("8 characters"));
        assert!(secret_weakness(&"ab".repeat(20))
            .unwrap()
            .contains("different"));
        assert!(secret_weakness("q8Vx2LmP0sT9wRz4Yb7Nc1Kd6Fh3Jg5A").is_none());
    }

    #[test]
    fn a_postgres_url_becomes_libpq_settings() {
        let env = libpq_env("postgres://portal:p%40ss@db.example.com:6432/portal?sslmode=require")
            .unwrap();
        let get = |k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("PGUSER"), Some("portal"));
        assert_eq!(get("PGPASSWORD"), Some("p@ss"));
        assert_eq!(get("PGHOST"), Some("db.example.com"));
        assert_eq!(get("PGPORT"), Some("6432"));
        assert_eq!(get("PGDATABASE"), Some("portal"));
        assert_eq!(get("PGSSLMODE"), Some("require"));
        let env = libpq_env("postgres://postgres@127.0.0.1/postgres").unwrap();
        assert_eq!(env.len(), 3);
        assert!(libpq_env("sqlite://x.db").is_none());
    }
}
