//! Old accounts loaded by the operators' import: found by their old
//! portal's key (source, legacy_id) and written a chunk at a time, each
//! chunk in one transaction, so that an import stopped at any point leaves
//! whole rows only.

use super::{last4, DbResult, Store};
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

/// One account to write: a new one (`id` None) or an update.
pub struct ImportWrite<'a> {
    pub id: Option<i64>,
    pub source: &'a str,
    pub legacy_id: &'a str,
    pub username: &'a str,
    /// Nine digits each.
    pub tins: Vec<&'a str>,
    pub practice: &'a str,
    pub role: &'a str,
    pub email: Option<&'a str>,
    pub question: &'a str,
    pub password_hash: String,
    pub answer_hash: String,
    pub pin_hash: String,
    pub answer_as_typed: bool,
    pub digest: String,
    pub run: &'a str,
}

/// `$from, $from+1, ...`: `n` placeholders.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The accounts already in under these keys (source, legacy_id).
    pub async fn imported(
        &self,
        keys: &[(&str, &str)],
    ) -> DbResult<HashMap<(String, String), Imported>> {
        let mut found = HashMap::new();
        if keys.is_empty() {
            return Ok(found);
        }
        let pairs = (0..keys.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, source, legacy_id, row_digest, import_run, consolidated_into FROM legacy_accounts \
             WHERE (source, legacy_id) IN (VALUES {pairs})"
        );
        let mut q = sqlx::query(&sql);
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
        Ok(found)
    }

    /// The accounts that hold these username keys.
    pub async fn username_owners(
        &self,
        username_keys: &[&str],
    ) -> DbResult<HashMap<String, UsernameOwner>> {
        let mut found = HashMap::new();
        if username_keys.is_empty() {
            return Ok(found);
        }
        let sql = format!(
            "SELECT id, username_key, source, legacy_id, import_run FROM legacy_accounts WHERE username_key IN ({})",
            placeholders(1, username_keys.len())
        );
        let mut q = sqlx::query(&sql);
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
        Ok(found)
    }

    /// Writes `writes` in one transaction, TINs as keyed hashes under
    /// `key`. For each: whether it was written (an update of an account
    /// that a wizard consolidated meanwhile is not). New accounts go in
    /// with one multi-row INSERT per 200, their TINs likewise.
    pub async fn import_chunk(
        &self,
        writes: &[ImportWrite<'_>],
        key: &[u8],
    ) -> DbResult<Vec<bool>> {
        let mut tx = self.begin_write().await?;
        let mut done = vec![true; writes.len()];
        let mut tins: Vec<(i64, &str)> = Vec::new();
        let new: Vec<&ImportWrite<'_>> = writes.iter().filter(|w| w.id.is_none()).collect();
        for batch in new.chunks(200) {
            let values = (0..batch.len())
                .map(|i| format!("({})", placeholders(i * 14 + 1, 14)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO legacy_accounts (username, username_key, password_hash, question, answer_hash, pin_hash, \
                 practice, role, email, source, legacy_id, row_digest, import_run, answer_as_typed) \
                 VALUES {values} RETURNING id, source, legacy_id"
            );
            let mut q = sqlx::query(&sql);
            for w in batch {
                q = q
                    .bind(w.username)
                    .bind(crate::domain::username_key(w.username))
                    .bind(w.password_hash.as_str())
                    .bind(w.question)
                    .bind(w.answer_hash.as_str())
                    .bind(w.pin_hash.as_str())
                    .bind(w.practice)
                    .bind(w.role)
                    .bind(w.email)
                    .bind(w.source)
                    .bind(w.legacy_id)
                    .bind(w.digest.as_str())
                    .bind(w.run)
                    .bind(i64::from(w.answer_as_typed));
            }
            let mut ids = HashMap::new();
            for r in q.fetch_all(&mut *tx).await? {
                let k: (String, String) = (r.try_get("source")?, r.try_get("legacy_id")?);
                ids.insert(k, r.try_get::<i64, _>("id")?);
            }
            for w in batch {
                let id = ids[&(w.source.to_string(), w.legacy_id.to_string())];
                tins.extend(w.tins.iter().map(|t| (id, *t)));
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
            .bind(crate::domain::username_key(w.username))
            .bind(&w.password_hash)
            .bind(w.question)
            .bind(&w.answer_hash)
            .bind(&w.pin_hash)
            .bind(w.practice)
            .bind(w.role)
            .bind(w.email)
            .bind(&w.digest)
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
            tins.extend(w.tins.iter().map(|t| (id, *t)));
        }
        for batch in tins.chunks(500) {
            let values = (0..batch.len())
                .map(|i| format!("({})", placeholders(i * 3 + 1, 3)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql =
                format!("INSERT INTO legacy_tins (legacy_account_id, tin, last4) VALUES {values}");
            let mut q = sqlx::query(&sql);
            for (id, tin) in batch {
                q = q
                    .bind(*id)
                    .bind(crate::auth::tin_hash(key, tin))
                    .bind(last4(tin));
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done)
    }
}
