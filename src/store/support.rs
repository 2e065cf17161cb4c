//! Support verification codes (issue 17): issued by support for one old
//! account, typed by its provider at Account Verification. Only the keyed
//! hash is stored.

use super::{DbResult, Store};
use sqlx::Row;

/// Wrong tries after which a support code is void.
pub const SUPPORT_CODE_TRIES: i64 = 5;

/// A live support code of an account, as Find shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSupportCode {
    pub expires_at: i64,
    pub tries_left: i64,
}

/// The conditions of a code that can still be used, after `$1` (the account)
/// and with `$2` as now.
const LIVE: &str = "legacy_account_id = $1 AND used_at IS NULL AND revoked_at IS NULL \
                    AND expires_at > $2 AND tries < 5";

impl Store {
    /// A new code for `account`; any code issued before for it is revoked,
    /// in the same transaction.
    pub async fn insert_support_code(
        &self,
        account: i64,
        code_hash: &str,
        operator: i64,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!(
            "UPDATE support_codes SET revoked_at = $2 WHERE {LIVE}"
        ))
        .bind(account)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO support_codes (legacy_account_id, code_hash, issued_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(account)
        .bind(code_hash)
        .bind(operator)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        super::commit(tx).await
    }

    /// Uses the live code of `account` whose hash is `code_hash`: true if it
    /// was there (it is now used). Otherwise the account's live code, if any,
    /// loses one of its tries.
    pub async fn take_support_code(
        &self,
        account: i64,
        code_hash: &str,
        now: i64,
    ) -> DbResult<bool> {
        let used = sqlx::query(&format!(
            "UPDATE support_codes SET used_at = $2 WHERE {LIVE} AND code_hash = $3 RETURNING id"
        ))
        .bind(account)
        .bind(now)
        .bind(code_hash)
        .fetch_optional(&self.pool)
        .await?;
        if used.is_some() {
            return Ok(true);
        }
        sqlx::query(&format!(
            "UPDATE support_codes SET tries = tries + 1 WHERE {LIVE}"
        ))
        .bind(account)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(false)
    }

    /// The live code of `account`, if it has one.
    pub async fn live_support_code(
        &self,
        account: i64,
        now: i64,
    ) -> DbResult<Option<LiveSupportCode>> {
        let row = sqlx::query(&format!(
            "SELECT expires_at, tries FROM support_codes WHERE {LIVE} ORDER BY id DESC LIMIT 1"
        ))
        .bind(account)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(LiveSupportCode {
                expires_at: r.try_get("expires_at")?,
                tries_left: SUPPORT_CODE_TRIES - r.try_get::<i64, _>("tries")?,
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_live_condition_counts_the_same_tries() {
        assert!(super::LIVE.contains(&format!("tries < {}", super::SUPPORT_CODE_TRIES)));
    }
}
