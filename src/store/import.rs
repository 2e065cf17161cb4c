//! Old accounts loaded by the operators' import: found by their old
//! portal's key (source, legacy_id) and written a chunk at a time, each
//! chunk in one transaction, so that an import stopped at any point leaves
//! whole rows only.

use super::{Backend, DbResult, Store};
use sqlx::Row;
use std::collections::HashMap;

/// An account already in, as the import sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: i64,
    /// The keyed digest of the row it was last written from.
    pub digest: Option<String>,
    /// The run that last wrote it.
    pub run: Option<String>,
    pub consolidated: bool,
}

/// The account that holds a username (by its key), and the run that wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsernameOwner {
    pub id: i64,
    pub source: Option<String>,
    pub legacy_id: Option<String>,
    pub run: Option<String>,
}

/// Keys looked up a query (see [`Store::imported`]).
const LOOKUP: usize = 500;

/// One account to write: a new one (`id` None) or an update.
pub struct ImportWrite<'a> {
    pub id: Option<i64>,
    pub source: &'a str,
    pub legacy_id: &'a str,
    pub username: &'a str,
    /// The username's key (domain::username_key).
    pub username_key: &'a str,
    /// Each TIN's keyed hash and last four digits.
    pub tins: &'a [(String, String)],
    pub practice: &'a str,
    pub role: &'a str,
    pub email: Option<&'a str>,
    pub question: &'a str,
    pub password_hash: String,
    pub answer_hash: String,
    pub pin_hash: String,
    pub answer_as_typed: bool,
    pub digest: &'a str,
    pub run: &'a str,
}

/// `n` placeholders numbered from `from`, bound in their order: `$from,
/// $from+1, ...` on PostgreSQL, `?, ?, ...` on SQLite. (sqlx binds SQLite's
/// numbered parameters by asking SQLite each one's name, a search of all
/// of them: a 2,800-parameter INSERT spent most of the import's time there.)
pub(super) fn placeholders(backend: Backend, from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The accounts already in under these keys (source, legacy_id). The
    /// keys are joined as a VALUES list, which both databases answer with
    /// one search of the unique index per key. (A row-value
    /// `IN (VALUES ...)` is a full scan in SQLite.) Not a kept prepared
    /// statement: PostgreSQL would soon use a generic plan, made while the
    /// table was nearly empty, that reads the whole table (measured: 20 ms
    /// a chunk at 100k accounts instead of 1.5 ms); a statement planned
    /// for each chunk is planned for the table as it is.
    ///
    /// At most [`LOOKUP`] keys a query: with more, PostgreSQL's planner
    /// turns to a hash join over the whole table (58 ms for 2,000 keys at
    /// 100k accounts, against 1.5 ms for 500 by the index).
    pub async fn imported(
        &self,
        keys: &[(&str, &str)],
    ) -> DbResult<HashMap<(String, String), Imported>> {
        let mut found = HashMap::new();
        for slice in keys.chunks(LOOKUP) {
            self.imported_into(slice, &mut found).await?;
        }
        Ok(found)
    }

    async fn imported_into(
        &self,
        keys: &[(&str, &str)],
        found: &mut HashMap<(String, String), Imported>,
    ) -> DbResult<()> {
        let pairs = (0..keys.len())
            .map(|i| format!("({})", placeholders(self.backend, 2 * i + 1, 2)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT a.id, a.source, a.legacy_id, a.row_digest, a.import_run, a.consolidated_into \
             FROM (VALUES {pairs}) AS v \
             JOIN legacy_accounts a ON a.source = v.column1 AND a.legacy_id = v.column2"
        );
        let mut q = sqlx::query(&sql).persistent(false);
        for (source, id) in keys {
            q = q.bind(*source).bind(*id);
        }
        for r in q.fetch_all(&self.pool).await? {
            found.insert(
                (r.try_get("source")?, r.try_get("legacy_id")?),
                Imported {
                    id: r.try_get("id")?,
                    digest: r.try_get("row_digest")?,
                    run: r.try_get("import_run")?,
                    consolidated: r.try_get::<Option<i64>, _>("consolidated_into")?.is_some(),
                },
            );
        }
        Ok(())
    }

    /// The accounts that hold these username keys (planned for each chunk,
    /// as above).
    pub async fn username_owners(
        &self,
        username_keys: &[&str],
    ) -> DbResult<HashMap<String, UsernameOwner>> {
        let mut found = HashMap::new();
        for slice in username_keys.chunks(LOOKUP) {
            self.owners_into(slice, &mut found).await?;
        }
        Ok(found)
    }

    async fn owners_into(
        &self,
        username_keys: &[&str],
        found: &mut HashMap<String, UsernameOwner>,
    ) -> DbResult<()> {
        let sql = format!(
            "SELECT id, username_key, source, legacy_id, import_run FROM legacy_accounts WHERE username_key IN ({})",
            placeholders(self.backend, 1, username_keys.len())
        );
        let mut q = sqlx::query(&sql).persistent(false);
        for k in username_keys {
            q = q.bind(*k);
        }
        for r in q.fetch_all(&self.pool).await? {
            found.insert(
                r.try_get("username_key")?,
                UsernameOwner {
                    id: r.try_get("id")?,
                    source: r.try_get("source")?,
                    legacy_id: r.try_get("legacy_id")?,
                    run: r.try_get("import_run")?,
                },
            );
        }
        Ok(())
    }

    /// Writes `writes` in one transaction. For each: whether it was
    /// written (an update of an account that a wizard consolidated
    /// meanwhile is not). New accounts go in with one multi-row INSERT per
    /// 500, their TINs 2,000 to an INSERT.
    ///
    /// On PostgreSQL a chunk's commit does not wait for its WAL to reach
    /// the disk (`synchronous_commit` off for this transaction only): a
    /// crash of the database server could lose the last chunks, never a
    /// part of one, and the run's audit event, committed as usual once
    /// every chunk is in, flushes the WAL of them all (it is written in
    /// order). So a run that reports "ok" is on disk whole; one cut short
    /// is re-run, as after the import is killed.
    pub async fn import_chunk(
        &self,
        writes: &[ImportWrite<'_>],
        imported_at: i64,
    ) -> DbResult<Vec<bool>> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET LOCAL synchronous_commit TO OFF")
                .execute(&mut *tx)
                .await?;
        }
        let mut done = vec![true; writes.len()];
        let mut tins: Vec<(i64, &(String, String))> = Vec::new();
        let new: Vec<&ImportWrite<'_>> = writes.iter().filter(|w| w.id.is_none()).collect();
        for batch in new.chunks(500) {
            let values = (0..batch.len())
                .map(|i| format!("({})", placeholders(self.backend, i * 15 + 1, 15)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO legacy_accounts (username, username_key, password_hash, question, answer_hash, pin_hash, \
                 practice, role, email, source, legacy_id, row_digest, import_run, answer_as_typed, imported_at) \
                 VALUES {values} RETURNING id, source, legacy_id"
            );
            let mut q = sqlx::query(&sql);
            for w in batch {
                q = q
                    .bind(w.username)
                    .bind(w.username_key)
                    .bind(w.password_hash.as_str())
                    .bind(w.question)
                    .bind(w.answer_hash.as_str())
                    .bind(w.pin_hash.as_str())
                    .bind(w.practice)
                    .bind(w.role)
                    .bind(w.email)
                    .bind(w.source)
                    .bind(w.legacy_id)
                    .bind(w.digest)
                    .bind(w.run)
                    .bind(i64::from(w.answer_as_typed))
                    .bind(imported_at);
            }
            let mut ids = HashMap::new();
            for r in q.fetch_all(&mut *tx).await? {
                let k: (String, String) = (r.try_get("source")?, r.try_get("legacy_id")?);
                ids.insert(k, r.try_get::<i64, _>("id")?);
            }
            for w in batch {
                let id = ids[&(w.source.to_string(), w.legacy_id.to_string())];
                tins.extend(w.tins.iter().map(|t| (id, t)));
            }
        }
        for (i, w) in writes.iter().enumerate() {
            let Some(id) = w.id else { continue };
            let updated = sqlx::query(
                "UPDATE legacy_accounts SET username = $2, username_key = $3, password_hash = $4, question = $5, \
                 answer_hash = $6, pin_hash = $7, practice = $8, role = $9, email = $10, row_digest = $11, \
                 import_run = $12, answer_as_typed = $13 \
                 WHERE id = $1 AND consolidated_into IS NULL",
            )
            .bind(id)
            .bind(w.username)
            .bind(w.username_key)
            .bind(&w.password_hash)
            .bind(w.question)
            .bind(&w.answer_hash)
            .bind(&w.pin_hash)
            .bind(w.practice)
            .bind(w.role)
            .bind(w.email)
            .bind(w.digest)
            .bind(w.run)
            .bind(i64::from(w.answer_as_typed))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                done[i] = false;
                continue;
            }
            sqlx::query("DELETE FROM legacy_tins WHERE legacy_account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tins.extend(w.tins.iter().map(|t| (id, t)));
        }
        for batch in tins.chunks(2000) {
            let values = (0..batch.len())
                .map(|i| format!("({})", placeholders(self.backend, i * 3 + 1, 3)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql =
                format!("INSERT INTO legacy_tins (legacy_account_id, tin, last4) VALUES {values}");
            let mut q = sqlx::query(&sql);
            for (id, (hash, last4)) in batch {
                q = q.bind(*id).bind(hash.as_str()).bind(last4.as_str());
            }
            q.execute(&mut *tx).await?;
        }
        super::commit(tx).await?;
        Ok(done)
    }
}
