//! One store API over SQLite and PostgreSQL (sqlx's `Any` driver). The SQL is
//! written once with `$n` placeholders, which both databases accept; only the
//! DDL differs (`migrations/sqlite`, `migrations/postgres`). One file per
//! group of tables; this one connects and holds what they share.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::time::Duration;

mod audit;
mod busy;
mod campaigns;
mod closing;
mod codes;
mod find;
mod flows;
mod funnel;
mod import;
mod legacy;
mod limits;
mod notme;
mod operators;
mod outbox;
mod passkey;
mod refusals;
mod registration;
mod rotation;
mod schema;
mod second;
mod support;
mod tries;
mod users;
pub use audit::{AuditFilter, AuditRow};
pub use busy::waits as sqlite_lock_waits;
pub use campaigns::{AccountLine, AddressWrite, CampaignRow, DueAddress, NewCampaign, WaveFigures};
pub use closing::Closing;
pub use codes::CodeRow;
pub use find::{LoginView, OldAccountView, OldStatus, StuckFlow, StuckGroup};
pub use flows::{FinishOutcome, FinishWrites, FlowRow, StepWrite};
pub use import::{ImportWrite, Imported, UsernameOwner};
pub use legacy::{LegacyAccount, LinkedAccount, NewLegacyAccount};
pub use limits::{AuditEvent, Limit, OperatorEvent};
pub use notme::{CaseRow, Decided, Frozen, NotMeLink};
pub use operators::{ImportRun, NewOperator, Operator, OperatorLine, SourceProgress};
pub use outbox::{ClaimedMail, NewMail, OutboxLine};
pub use passkey::PASSKEY;
pub use registration::{NewRegistrationCode, RegisterOutcome, RegistrationCodeRow};
pub use rotation::{SealedColumn, SealedValue};
pub use schema::MigrationState;
pub use second::{Change, Method, Remembered, SecondSteps, APP};
pub use support::{LiveSupportCode, SUPPORT_CODE_TRIES};
pub use tries::{Counter, Lock, Ticket, Try};
pub use users::PortalUser;

/// A background job's lock (see [`Store::try_job_lock`]).
pub struct JobLock {
    conn: Option<sqlx::AnyConnection>,
    key: i64,
}

impl JobLock {
    /// Lets another instance run the job.
    pub async fn release(self) {
        if let Some(mut conn) = self.conn {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.key)
                .execute(&mut conn)
                .await;
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Refusals at the edge waiting to be written together (refusals.rs).
    refusals: std::sync::Arc<refusals::Queue>,
}

pub type DbResult<T> = Result<T, sqlx::Error>;

/// Where a transaction's begin, commit and rollback are logged (debug):
/// sqlx records every statement (`sqlx::query`) but not SQLite's `BEGIN`
/// and `COMMIT`, nor PostgreSQL's `BEGIN`. tests/queries.rs counts commits
/// from these.
pub const TX: &str = "provider_portal::store::tx";

/// Commits a write transaction (and says so at debug level, [`TX`]).
async fn commit(tx: sqlx::Transaction<'static, sqlx::Any>) -> DbResult<()> {
    tx.commit().await?;
    tracing::debug!(target: TX, "COMMIT");
    Ok(())
}

/// Rolls a write transaction back (and says so at debug level, [`TX`]).
async fn rollback(tx: sqlx::Transaction<'static, sqlx::Any>) -> DbResult<()> {
    tx.rollback().await?;
    tracing::debug!(target: TX, "ROLLBACK");
    Ok(())
}

fn last4(digits: &str) -> String {
    digits
        .get(digits.len().saturating_sub(4)..)
        .unwrap_or("")
        .to_string()
}

impl Store {
    /// Connects, creates the SQLite file (and its folder) if needed, and runs
    /// the migrations.
    pub async fn connect(url: &str) -> DbResult<Store> {
        Self::open(url, true).await
    }

    /// Connects, creating the SQLite file (and its folder) if needed; runs
    /// the migrations if `migrate`.
    pub async fn open(url: &str, migrate: bool) -> DbResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        if backend == Backend::Sqlite {
            busy::install();
            if let Some(dir) = sqlite_parent_dir(url) {
                std::fs::create_dir_all(&dir).map_err(sqlx::Error::Io)?;
            }
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; the busy
                        // timeout makes writers queue instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;").await?;
                        // The busy timeout's waits, in short steps (busy.rs).
                        conn.execute(busy::SHORT_WAITS).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        if migrate {
            backend.migrator().run(&pool).await?;
        }
        Ok(Store {
            pool,
            backend,
            refusals: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The row that `sql` (with one parameter, `key`) selects, read by
    /// `from_row`, if there is one.
    async fn one<'q, T, K>(
        &self,
        sql: &'q str,
        key: K,
        from_row: fn(&AnyRow) -> DbResult<T>,
    ) -> DbResult<Option<T>>
    where
        K: 'q + Send + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        sqlx::query(sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    /// Opens a write transaction; on SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so that two writers never deadlock on upgrade.
    async fn begin_write(&self) -> DbResult<sqlx::Transaction<'static, sqlx::Any>> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }?;
        tracing::debug!(target: TX, "BEGIN");
        Ok(tx)
    }

    /// A background job's lock across instances: on PostgreSQL the
    /// session advisory lock `key`, held on a connection of its own until
    /// [`JobLock::release`] (or until that connection ends, if the process
    /// dies); None if another instance holds it. On SQLite every instance
    /// runs the job (the jobs are safe to run twice; one file has few
    /// instances).
    pub async fn try_job_lock(&self, key: i64) -> DbResult<Option<JobLock>> {
        if self.backend == Backend::Sqlite {
            return Ok(Some(JobLock { conn: None, key }));
        }
        let mut conn = self.pool.acquire().await?.detach();
        let got: bool = sqlx::query("SELECT pg_try_advisory_lock($1) AS got")
            .bind(key)
            .fetch_one(&mut conn)
            .await?
            .try_get("got")?;
        if !got {
            let _ = sqlx::Connection::close(conn).await;
            return Ok(None);
        }
        Ok(Some(JobLock {
            conn: Some(conn),
            key,
        }))
    }

    // ---- application secret -------------------------------------------------

    /// The stored value of `name`, inserting `generate()` first if absent.
    /// Every instance gets the same value.
    pub async fn secret_or_insert(&self, name: &str, generated: &str) -> DbResult<String> {
        sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(generated)
        .execute(&self.pool)
        .await?;
        sqlx::query("SELECT value FROM app_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?
            .try_get("value")
    }
}

/// Why the database is not ready to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReady {
    /// A query failed or the pool is closed.
    NoAnswer,
    /// A migration this build carries is not recorded as applied.
    Migrations,
}

impl Store {
    /// Whether the database answers and every migration this build carries
    /// is applied (for `/readyz`).
    pub async fn readiness(&self) -> Result<(), NotReady> {
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .map_err(|_| NotReady::NoAnswer)?;
        if self
            .backend
            .migrator()
            .migrations
            .iter()
            .all(|m| applied.contains(&m.version))
        {
            Ok(())
        } else {
            Err(NotReady::Migrations)
        }
    }
}

/// The file an SQLite URL names (None for a database in memory).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.into())
}

/// The folder of an SQLite URL's file, if it names one.
fn sqlite_parent_dir(url: &str) -> Option<std::path::PathBuf> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_folder_is_found() {
        assert_eq!(
            sqlite_parent_dir("sqlite://data/portal.db?mode=rwc"),
            Some("data".into())
        );
        assert_eq!(
            sqlite_parent_dir("sqlite:///tmp/x/p.db"),
            Some("/tmp/x".into())
        );
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_parent_dir("sqlite://p.db"), None);
    }
}
