//! One store API over SQLite and PostgreSQL (sqlx's `Any` driver). The SQL is
//! written once with `$n` placeholders, which both databases accept; only the
//! DDL differs (`migrations/sqlite`, `migrations/postgres`).

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::time::Duration;

mod flows;
pub use flows::{FlowRow, NewRegistrationCode, RegisterOutcome, RegistrationCodeRow};

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
}

pub type DbResult<T> = Result<T, sqlx::Error>;

/// A legacy (old portal) account. The hashes never leave the server.
#[derive(Clone)]
pub struct LegacyAccount {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub question: String,
    pub answer_hash: String,
    pub pin_hash: String,
    pub practice: String,
    pub role: String,
    pub answer_failures: i64,
    pub answer_locked_until: i64,
    pub password_failures: i64,
    pub password_locked_until: i64,
    pub consolidated_into: Option<i64>,
}

/// A legacy account to load (demo data, operator imports).
pub struct NewLegacyAccount<'a> {
    pub username: &'a str,
    pub password_hash: String,
    pub tins: &'a [&'a str],
    pub question: &'a str,
    pub answer_hash: String,
    pub pin_hash: String,
    pub practice: &'a str,
    pub role: &'a str,
    pub email: Option<&'a str>,
}

/// A wizard session as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct WizardRow {
    pub id: String,
    pub token_hash: String,
    pub step: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub username_draft: String,
    pub tin_draft: String,
    pub legacy_account_id: Option<i64>,
    pub decoy_question: Option<String>,
    pub email_draft: String,
    pub verify_email_draft: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub flash: Option<String>,
    pub portal_user_id: Option<i64>,
}

impl WizardRow {
    /// A new wizard at Account Lookup, reached with the session token whose hash is `token_hash`.
    pub fn new_at_lookup(id: String, token_hash: String, now: i64) -> WizardRow {
        WizardRow {
            id,
            token_hash,
            step: "lookup".into(),
            created_at: now,
            last_seen_at: now,
            username_draft: String::new(),
            tin_draft: String::new(),
            legacy_account_id: None,
            decoy_question: None,
            email_draft: String::new(),
            verify_email_draft: String::new(),
            email: None,
            email_verified: false,
            flash: None,
            portal_user_id: None,
        }
    }
}

/// An emailed code as stored (only its keyed hash).
#[derive(Clone, Debug)]
pub struct CodeRow {
    pub id: i64,
    pub email: String,
    pub code_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
}

/// Which lockout counter.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    Answer,
    Password,
}

impl Counter {
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Counter::Answer => ("answer_failures", "answer_locked_until"),
            Counter::Password => ("password_failures", "password_locked_until"),
        }
    }
}

/// One audit record. Never holds a secret or a full TIN.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub wizard_id: Option<&'a str>,
    pub legacy_account_id: Option<i64>,
    pub address: &'a str,
    pub action: &'a str,
    pub outcome: &'a str,
}

/// An account as shown on Thank You.
#[derive(Debug, Clone)]
pub struct LinkedAccount {
    pub username: String,
    pub practice: String,
    pub role: String,
    pub tins: Vec<String>,
}

/// A new-portal login.
#[derive(Clone)]
pub struct PortalUser {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub email: String,
    pub locked_until: i64,
}

fn portal_user_from_row(r: &AnyRow) -> DbResult<PortalUser> {
    Ok(PortalUser {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        password_hash: r.try_get("password_hash")?,
        email: r.try_get("email")?,
        locked_until: r.try_get("locked_until")?,
    })
}

impl LinkedAccount {
    /// What may be shown: the TINs masked.
    pub fn summary(self) -> crate::wizard::api::AccountSummary {
        crate::wizard::api::AccountSummary {
            masked_tins: self
                .tins
                .iter()
                .map(|t| crate::domain::mask_tin_digits(t))
                .collect(),
            username: self.username,
            practice: self.practice,
            role: self.role,
        }
    }
}

/// How Finish ended.
#[derive(Debug, Clone, PartialEq)]
pub enum FinishOutcome {
    Merged {
        portal_user_id: i64,
    },
    /// One of the accounts was consolidated by somebody else first.
    AlreadyConsolidated {
        legacy_account_id: i64,
    },
    NothingToMerge,
}

const WIZARD_COLUMNS: &str = "id, token_hash, step, created_at, last_seen_at, username_draft, tin_draft, \
     legacy_account_id, decoy_question, email_draft, verify_email_draft, email, email_verified, flash, portal_user_id";

fn wizard_from_row(r: &AnyRow) -> DbResult<WizardRow> {
    Ok(WizardRow {
        id: r.try_get("id")?,
        token_hash: r.try_get("token_hash")?,
        step: r.try_get("step")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        username_draft: r.try_get("username_draft")?,
        tin_draft: r.try_get("tin_draft")?,
        legacy_account_id: r.try_get("legacy_account_id")?,
        decoy_question: r.try_get("decoy_question")?,
        email_draft: r.try_get("email_draft")?,
        verify_email_draft: r.try_get("verify_email_draft")?,
        email: r.try_get("email")?,
        email_verified: r.try_get::<i64, _>("email_verified")? != 0,
        flash: r.try_get("flash")?,
        portal_user_id: r.try_get("portal_user_id")?,
    })
}

fn legacy_from_row(r: &AnyRow) -> DbResult<LegacyAccount> {
    Ok(LegacyAccount {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        password_hash: r.try_get("password_hash")?,
        question: r.try_get("question")?,
        answer_hash: r.try_get("answer_hash")?,
        pin_hash: r.try_get("pin_hash")?,
        practice: r.try_get("practice")?,
        role: r.try_get("role")?,
        answer_failures: r.try_get("answer_failures")?,
        answer_locked_until: r.try_get("answer_locked_until")?,
        password_failures: r.try_get("password_failures")?,
        password_locked_until: r.try_get("password_locked_until")?,
        consolidated_into: r.try_get("consolidated_into")?,
    })
}

/// The SET clause of one attempt: a run after an expired lock starts again
/// at 1; the `limit`-th try in a row sets the lock.
fn attempt_set(f: &str, l: &str) -> String {
    format!(
        "{f} = CASE WHEN {l} > 0 AND {l} <= $2 THEN 1 ELSE {f} + 1 END, \
         {l} = CASE WHEN {l} > 0 AND {l} <= $2 THEN (CASE WHEN 1 >= $3 THEN $2 + $4 ELSE 0 END) \
                    WHEN {f} + 1 >= $3 THEN $2 + $4 ELSE {l} END"
    )
}

async fn take(
    pool: &AnyPool,
    sql: &str,
    id: i64,
    now: i64,
    limit: i64,
    lock_secs: i64,
) -> DbResult<Option<i64>> {
    sqlx::query(sql)
        .bind(id)
        .bind(now)
        .bind(limit)
        .bind(lock_secs)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()
}

fn last4(digits: &str) -> String {
    digits
        .get(digits.len().saturating_sub(4)..)
        .unwrap_or("")
        .to_string()
}

/// One rate limit: at most `limit` events per `window` seconds under `key`.
#[derive(Debug, Clone)]
pub struct Limit {
    pub key: String,
    pub window: i64,
    pub limit: i64,
}

impl Store {
    /// Connects, creates the SQLite file (and its folder) if needed, and runs
    /// the migrations.
    pub async fn connect(url: &str) -> DbResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        if backend == Backend::Sqlite {
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
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Opens a write transaction; on SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so that two writers never deadlock on upgrade.
    async fn begin_write(&self) -> DbResult<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
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

    // ---- legacy accounts ----------------------------------------------------

    pub async fn legacy_count(&self) -> DbResult<i64> {
        sqlx::query("SELECT COUNT(*) AS n FROM legacy_accounts")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Inserts an old account; its TINs are kept as keyed hashes under `key`
    /// (plus the last four digits, for masks), never in clear.
    pub async fn insert_legacy_account(
        &self,
        a: NewLegacyAccount<'_>,
        key: &[u8],
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO legacy_accounts (username, username_key, password_hash, question, answer_hash, pin_hash, practice, role, email) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(a.username)
        .bind(a.username.to_lowercase())
        .bind(a.password_hash)
        .bind(a.question)
        .bind(a.answer_hash)
        .bind(a.pin_hash)
        .bind(a.practice)
        .bind(a.role)
        .bind(a.email)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for tin in a.tins {
            sqlx::query(
                "INSERT INTO legacy_tins (legacy_account_id, tin, last4) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(crate::auth::tin_hash(key, tin))
            .bind(last4(tin))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn legacy_by_username_key(&self, key: &str) -> DbResult<Option<LegacyAccount>> {
        sqlx::query("SELECT * FROM legacy_accounts WHERE username_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(legacy_from_row)
            .transpose()
    }

    pub async fn legacy_by_id(&self, id: i64) -> DbResult<Option<LegacyAccount>> {
        sqlx::query("SELECT * FROM legacy_accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(legacy_from_row)
            .transpose()
    }

    /// TINs stored in clear by an older version become keyed hashes. Safe
    /// to run on every start and on several instances at once.
    pub async fn protect_tins(&self, key: &[u8]) -> DbResult<u64> {
        let rows = sqlx::query("SELECT legacy_account_id, tin FROM legacy_tins WHERE last4 = ''")
            .fetch_all(&self.pool)
            .await?;
        let mut n = 0;
        for r in rows {
            let id: i64 = r.try_get("legacy_account_id")?;
            let tin: String = r.try_get("tin")?;
            n += sqlx::query(
                "UPDATE legacy_tins SET tin = $3, last4 = $4 WHERE legacy_account_id = $1 AND tin = $2 AND last4 = ''",
            )
            .bind(id)
            .bind(&tin)
            .bind(crate::auth::tin_hash(key, &tin))
            .bind(last4(&tin))
            .execute(&self.pool)
            .await?
            .rows_affected();
        }
        Ok(n)
    }

    /// Whether the account has this TIN (given as its keyed hash). Runs the
    /// same query for a missing account (id -1) so that both cases cost the same.
    pub async fn legacy_has_tin(&self, id: Option<i64>, tin: &str) -> DbResult<bool> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM legacy_tins WHERE legacy_account_id = $1 AND tin = $2",
        )
        .bind(id.unwrap_or(-1))
        .bind(tin)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    pub async fn legacy_tins(&self, id: i64) -> DbResult<Vec<String>> {
        let rows = sqlx::query(
            "SELECT last4 FROM legacy_tins WHERE legacy_account_id = $1 ORDER BY last4",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get("last4")).collect()
    }

    /// Takes one try at a secret of an old account *before* it is checked,
    /// so that concurrent guesses get no more than `limit` evaluations: the
    /// `limit`-th try in a row locks until `now + lock_secs` (a right answer
    /// then resets it). `None` when the step is locked or there is no such
    /// account (id -1 runs the same statement, at the same cost).
    pub async fn take_attempt(
        &self,
        id: Option<i64>,
        counter: Counter,
        now: i64,
        limit: i64,
        lock_secs: i64,
    ) -> DbResult<Option<i64>> {
        let (f, l) = counter.columns();
        let sql = format!(
            "UPDATE legacy_accounts SET {} WHERE id = $1 AND {l} <= $2 RETURNING {f}",
            attempt_set(f, l)
        );
        take(&self.pool, &sql, id.unwrap_or(-1), now, limit, lock_secs).await
    }

    pub async fn reset_failures(&self, id: i64, counter: Counter) -> DbResult<()> {
        let (f, l) = counter.columns();
        sqlx::query(&format!(
            "UPDATE legacy_accounts SET {f} = 0, {l} = 0 WHERE id = $1"
        ))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // ---- wizards ------------------------------------------------------------

    pub async fn insert_wizard(&self, w: &WizardRow) -> DbResult<()> {
        sqlx::query(&format!("INSERT INTO wizards ({WIZARD_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)"))
            .bind(&w.id)
            .bind(&w.token_hash)
            .bind(&w.step)
            .bind(w.created_at)
            .bind(w.last_seen_at)
            .bind(&w.username_draft)
            .bind(&w.tin_draft)
            .bind(w.legacy_account_id)
            .bind(&w.decoy_question)
            .bind(&w.email_draft)
            .bind(&w.verify_email_draft)
            .bind(&w.email)
            .bind(w.email_verified as i64)
            .bind(&w.flash)
            .bind(w.portal_user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn wizard_by_token_hash(&self, token_hash: &str) -> DbResult<Option<WizardRow>> {
        sqlx::query(&format!(
            "SELECT {WIZARD_COLUMNS} FROM wizards WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(wizard_from_row)
        .transpose()
    }

    /// Writes `w` only if the stored wizard is still at `expected_step` with
    /// `expected_token_hash`: of two concurrent requests on one wizard only
    /// one moves it. Returns whether it was written.
    pub async fn update_wizard(
        &self,
        w: &WizardRow,
        expected_step: &str,
        expected_token_hash: &str,
    ) -> DbResult<bool> {
        let r = sqlx::query(
            "UPDATE wizards SET token_hash = $2, step = $3, last_seen_at = $4, username_draft = $5, tin_draft = $6, \
               legacy_account_id = $7, decoy_question = $8, email_draft = $9, verify_email_draft = $10, email = $11, \
               email_verified = $12, flash = $13, portal_user_id = $14 \
             WHERE id = $1 AND step = $15 AND token_hash = $16",
        )
        .bind(&w.id)
        .bind(&w.token_hash)
        .bind(&w.step)
        .bind(w.last_seen_at)
        .bind(&w.username_draft)
        .bind(&w.tin_draft)
        .bind(w.legacy_account_id)
        .bind(&w.decoy_question)
        .bind(&w.email_draft)
        .bind(&w.verify_email_draft)
        .bind(&w.email)
        .bind(w.email_verified as i64)
        .bind(&w.flash)
        .bind(w.portal_user_id)
        .bind(expected_step)
        .bind(expected_token_hash)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Removes a wizard and everything that hangs off it.
    pub async fn delete_wizard(&self, id: &str) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM email_codes WHERE wizard_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM wizards WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    pub async fn add_wizard_account(
        &self,
        wizard_id: &str,
        legacy_account_id: i64,
        new_password_hash: &str,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1 AND legacy_account_id = $2")
            .bind(wizard_id)
            .bind(legacy_account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO wizard_accounts (wizard_id, legacy_account_id, new_password_hash, position) \
             VALUES ($1, $2, $3, (SELECT COUNT(*) FROM wizard_accounts WHERE wizard_id = $1))",
        )
        .bind(wizard_id)
        .bind(legacy_account_id)
        .bind(new_password_hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Deletes wizards idle for `idle` seconds or older than `lifetime`
    /// (finished ones included), with their codes. Returns how many.
    pub async fn sweep_wizards(&self, now: i64, idle: i64, lifetime: i64) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let stale = "SELECT id FROM wizards WHERE last_seen_at < $1 OR created_at < $2";
        sqlx::query(&format!(
            "DELETE FROM wizard_accounts WHERE wizard_id IN ({stale})"
        ))
        .bind(now - idle)
        .bind(now - lifetime)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "DELETE FROM email_codes WHERE wizard_id IN ({stale})"
        ))
        .bind(now - idle)
        .bind(now - lifetime)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query("DELETE FROM wizards WHERE last_seen_at < $1 OR created_at < $2")
            .bind(now - idle)
            .bind(now - lifetime)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    pub async fn delete_wizard_accounts(&self, wizard_id: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1")
            .bind(wizard_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- email codes ----------------------------------------------------------

    /// How many codes this wizard was sent since `since`, and when the last one went.
    pub async fn code_sends_since(
        &self,
        wizard_id: &str,
        since: i64,
    ) -> DbResult<(i64, Option<i64>)> {
        let r = sqlx::query("SELECT COUNT(*) AS n, MAX(created_at) AS last_at FROM email_codes WHERE wizard_id = $1 AND created_at > $2")
            .bind(wizard_id)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get("n")?, r.try_get("last_at")?))
    }

    /// Voids every earlier code of the wizard and stores a new one, atomically.
    pub async fn replace_code(
        &self,
        wizard_id: &str,
        email: &str,
        code_hash: &str,
        now: i64,
        ttl: i64,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE email_codes SET status = 'void' WHERE wizard_id = $1 AND status = 'active'",
        )
        .bind(wizard_id)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query(
            "INSERT INTO email_codes (wizard_id, email, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(wizard_id)
        .bind(email)
        .bind(code_hash)
        .bind(now)
        .bind(now + ttl)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn active_code(&self, wizard_id: &str) -> DbResult<Option<CodeRow>> {
        let r = sqlx::query(
            "SELECT id, email, code_hash, created_at, expires_at, attempts FROM email_codes \
             WHERE wizard_id = $1 AND status = 'active' ORDER BY id DESC LIMIT 1",
        )
        .bind(wizard_id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(CodeRow {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                code_hash: r.try_get("code_hash")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .transpose()
    }

    /// Takes one try of a code: `Some(n)` is this try's number (1..=max);
    /// `None` when the code is no longer active or its tries are used up.
    pub async fn take_code_attempt(&self, code_id: i64, max: i64) -> DbResult<Option<i64>> {
        let r = sqlx::query(
            "UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1 AND status = 'active' AND attempts < $2 RETURNING attempts",
        )
        .bind(code_id)
        .bind(max)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| r.try_get("attempts")).transpose()
    }

    /// Moves an active code to `status`; false if it was no longer active
    /// (so a code is used at most once, whatever the concurrency).
    pub async fn close_code(&self, code_id: i64, status: &str) -> DbResult<bool> {
        let r =
            sqlx::query("UPDATE email_codes SET status = $2 WHERE id = $1 AND status = 'active'")
                .bind(code_id)
                .bind(status)
                .execute(&self.pool)
                .await?;
        Ok(r.rows_affected() == 1)
    }

    // ---- finish -----------------------------------------------------------------

    /// Merges the wizard's accounts into a new portal user, in one
    /// transaction: all or nothing. `fail_before_commit` exists for the test
    /// that proves a failure in the middle leaves no partial rows.
    pub async fn finish(
        &self,
        wizard_id: &str,
        email: &str,
        into_user: Option<i64>,
        now: i64,
        fail_before_commit: bool,
    ) -> DbResult<FinishOutcome> {
        let mut tx = self.begin_write().await?;
        let accounts = sqlx::query(
            "SELECT wa.legacy_account_id, wa.new_password_hash, la.username FROM wizard_accounts wa \
             JOIN legacy_accounts la ON la.id = wa.legacy_account_id WHERE wa.wizard_id = $1 ORDER BY wa.position",
        )
        .bind(wizard_id)
        .fetch_all(&mut *tx)
        .await?;
        let Some(first) = accounts.first() else {
            tx.rollback().await?;
            return Ok(FinishOutcome::NothingToMerge);
        };
        let user_id: i64 = match into_user {
            // A signed-in user adding an account later keeps their login.
            Some(id) => id,
            None => {
                let username: String = first.try_get("username")?;
                let password_hash: String = first.try_get("new_password_hash")?;
                sqlx::query(
                    "INSERT INTO portal_users (username, username_key, password_hash, email, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&username)
                .bind(username.to_lowercase())
                .bind(&password_hash)
                .bind(email)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?
            }
        };
        for a in &accounts {
            let legacy_id: i64 = a.try_get("legacy_account_id")?;
            // The conditional update is the guard: of concurrent merges of
            // one account, exactly one finds it unconsolidated.
            let r = sqlx::query("UPDATE legacy_accounts SET consolidated_into = $1, consolidated_at = $2 WHERE id = $3 AND consolidated_into IS NULL")
                .bind(user_id)
                .bind(now)
                .bind(legacy_id)
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(FinishOutcome::AlreadyConsolidated {
                    legacy_account_id: legacy_id,
                });
            }
            sqlx::query("INSERT INTO portal_links (portal_user_id, legacy_account_id, linked_at) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(legacy_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if fail_before_commit {
            tx.rollback().await?;
            return Err(sqlx::Error::Protocol(
                "injected failure before commit".into(),
            ));
        }
        sqlx::query("UPDATE wizards SET step = 'done', portal_user_id = $2, flash = NULL, last_seen_at = $3 WHERE id = $1")
            .bind(wizard_id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1")
            .bind(wizard_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(FinishOutcome::Merged {
            portal_user_id: user_id,
        })
    }

    /// The portal user's username and the accounts now under it.
    pub async fn portal_user_accounts(
        &self,
        user_id: i64,
    ) -> DbResult<Option<(String, Vec<LinkedAccount>)>> {
        let Some(u) = sqlx::query("SELECT username FROM portal_users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let username: String = u.try_get("username")?;
        let rows = sqlx::query(
            "SELECT la.id, la.username, la.practice, la.role FROM portal_links pl JOIN legacy_accounts la ON la.id = pl.legacy_account_id \
             WHERE pl.portal_user_id = $1 ORDER BY la.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        // Practices registered with a code come first: they are the login's own.
        let mut out = self.portal_practices(user_id, &username).await?;
        for r in rows {
            let id: i64 = r.try_get("id")?;
            out.push(LinkedAccount {
                username: r.try_get("username")?,
                practice: r.try_get("practice")?,
                role: r.try_get("role")?,
                tins: self.legacy_tins(id).await?,
            });
        }
        Ok(Some((username, out)))
    }

    /// The accounts proven in a wizard so far, in the order added.
    pub async fn wizard_accounts(
        &self,
        wizard_id: &str,
    ) -> DbResult<Vec<(i64, LinkedAccount, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT la.id, la.username, la.practice, la.role, la.email FROM wizard_accounts wa JOIN legacy_accounts la ON la.id = wa.legacy_account_id \
             WHERE wa.wizard_id = $1 ORDER BY wa.position",
        )
        .bind(wizard_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let account = LinkedAccount {
                username: r.try_get("username")?,
                practice: r.try_get("practice")?,
                role: r.try_get("role")?,
                tins: self.legacy_tins(id).await?,
            };
            out.push((id, account, r.try_get("email")?));
        }
        Ok(out)
    }

    pub async fn remove_wizard_account(
        &self,
        wizard_id: &str,
        legacy_account_id: i64,
    ) -> DbResult<()> {
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1 AND legacy_account_id = $2")
            .bind(wizard_id)
            .bind(legacy_account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- portal users and their sessions ------------------------------------------

    /// (id, username, password hash, email, locked_until) of a portal user.
    pub async fn portal_user_by_username_key(&self, key: &str) -> DbResult<Option<PortalUser>> {
        sqlx::query("SELECT id, username, password_hash, email, locked_until FROM portal_users WHERE username_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(portal_user_from_row)
            .transpose()
    }

    pub async fn portal_user_by_id(&self, id: i64) -> DbResult<Option<PortalUser>> {
        sqlx::query("SELECT id, username, password_hash, email, locked_until FROM portal_users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(portal_user_from_row)
            .transpose()
    }

    /// Takes one sign-in try before the password is checked (as
    /// [`Store::take_attempt`]).
    pub async fn take_sign_in_attempt(
        &self,
        id: Option<i64>,
        now: i64,
        limit: i64,
        lock_secs: i64,
    ) -> DbResult<Option<i64>> {
        let sql = format!(
            "UPDATE portal_users SET {} WHERE id = $1 AND locked_until <= $2 RETURNING failures",
            attempt_set("failures", "locked_until")
        );
        take(&self.pool, &sql, id.unwrap_or(-1), now, limit, lock_secs).await
    }

    pub async fn reset_sign_in_failures(&self, id: i64) -> DbResult<()> {
        sqlx::query("UPDATE portal_users SET failures = 0, locked_until = 0 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn insert_user_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query("INSERT INTO user_sessions (token_hash, portal_user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user of a session that was active since `since` (touching it), if any.
    pub async fn user_of_session(
        &self,
        token_hash: &str,
        since: i64,
        now: i64,
    ) -> DbResult<Option<i64>> {
        let r = sqlx::query("UPDATE user_sessions SET last_seen_at = $3 WHERE token_hash = $1 AND last_seen_at >= $2 RETURNING portal_user_id")
            .bind(token_hash)
            .bind(since)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| r.try_get("portal_user_id")).transpose()
    }

    pub async fn delete_user_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM user_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- audit and dev mailbox ------------------------------------------------

    // ---- rate limits (shared by every instance) ----------------------------------

    /// Counts one event under every limit, all or none: `Ok(None)` if each
    /// is under its limit (the events are recorded), `Ok(Some(secs))` with
    /// the wait until the first full one frees a place otherwise. Keys are
    /// locked in a fixed order, so concurrent callers queue, never deadlock.
    pub async fn rate_take(&self, limits: &[Limit], now: i64) -> DbResult<Option<i64>> {
        let mut sorted: Vec<&Limit> = limits.iter().collect();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        let mut tx = self.begin_write().await?;
        for l in &sorted {
            // Takes the row lock (PostgreSQL); SQLite holds the write lock already.
            sqlx::query(
                "INSERT INTO rate_keys (key, touched) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET touched = $2",
            )
            .bind(&l.key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for l in &sorted {
            sqlx::query("DELETE FROM rate_events WHERE key = $1 AND at <= $2")
                .bind(&l.key)
                .bind(now - l.window)
                .execute(&mut *tx)
                .await?;
            let r = sqlx::query(
                "SELECT COUNT(*) AS n, MIN(at) AS first FROM rate_events WHERE key = $1",
            )
            .bind(&l.key)
            .fetch_one(&mut *tx)
            .await?;
            let n: i64 = r.try_get("n")?;
            if n >= l.limit {
                let first: Option<i64> = r.try_get("first")?;
                tx.rollback().await?;
                return Ok(Some((first.unwrap_or(now) + l.window - now).max(1)));
            }
        }
        for l in &sorted {
            sqlx::query("INSERT INTO rate_events (key, at) VALUES ($1, $2)")
                .bind(&l.key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(None)
    }

    /// Forgets rate-limit events older than `horizon` seconds.
    pub async fn sweep_rate_events(&self, now: i64, horizon: i64) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM rate_events WHERE at <= $1")
            .bind(now - horizon)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM rate_keys WHERE touched <= $1")
            .bind(now - horizon)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    pub async fn audit(&self, now: i64, e: &AuditEvent<'_>) -> DbResult<()> {
        sqlx::query("INSERT INTO audit_events (at, wizard_id, legacy_account_id, address, action, outcome) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(now)
            .bind(e.wizard_id)
            .bind(e.legacy_account_id)
            .bind(e.address)
            .bind(e.action)
            .bind(e.outcome)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
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
