//! Old portal accounts: their TINs (keyed hashes) and their lockout counters.

use super::{last4, DbResult, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

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
    /// Its old portal hashed the answer as typed, not normalised.
    pub answer_as_typed: bool,
    /// The old portal it came from (`(demo)` when loaded without one).
    pub source: String,
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

/// An account as shown on Thank You.
#[derive(Debug, Clone)]
pub struct LinkedAccount {
    pub username: String,
    pub practice: String,
    pub role: String,
    pub tins: Vec<String>,
}

impl LinkedAccount {
    /// What may be shown: the TINs masked.
    pub fn summary(self) -> crate::domain::AccountSummary {
        crate::domain::AccountSummary {
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
        answer_as_typed: r.try_get::<i64, _>("answer_as_typed")? != 0,
        source: r
            .try_get::<Option<String>, _>("source")?
            .unwrap_or_else(|| "(demo)".into()),
    })
}

impl Store {
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
        .bind(crate::domain::username_key(a.username))
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
        super::commit(tx).await?;
        Ok(id)
    }

    pub async fn legacy_by_username_key(&self, key: &str) -> DbResult<Option<LegacyAccount>> {
        self.one(
            "SELECT * FROM legacy_accounts WHERE username_key = $1",
            key,
            legacy_from_row,
        )
        .await
    }

    pub async fn legacy_by_id(&self, id: i64) -> DbResult<Option<LegacyAccount>> {
        self.one(
            "SELECT * FROM legacy_accounts WHERE id = $1",
            id,
            legacy_from_row,
        )
        .await
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

    /// Whether the account has this TIN, given as its keyed hashes under
    /// the current secret and then the previous one (a rotation): a TIN
    /// found under the previous secret is keyed again under the current one
    /// on the way (the provider just typed it), so that it no longer needs
    /// the previous secret.
    pub async fn legacy_has_tin_of(&self, id: Option<i64>, hashes: &[String]) -> DbResult<bool> {
        for (i, hash) in hashes.iter().enumerate() {
            if !self.legacy_has_tin(id, hash).await? {
                continue;
            }
            if let (Some(id), true) = (id, i > 0) {
                sqlx::query(
                    "UPDATE legacy_tins SET tin = $3 WHERE legacy_account_id = $1 AND tin = $2",
                )
                .bind(id)
                .bind(hash)
                .bind(&hashes[0])
                .execute(&self.pool)
                .await?;
            }
            return Ok(true);
        }
        Ok(false)
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
}
