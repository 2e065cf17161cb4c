//! The sealed values of the database, for `provider-portal rotate-secret`:
//! each is read, and written back sealed under the new secret only if it
//! is still the value read (a conditional update: a value changed in the
//! meantime, by a request or another instance, is left as it now is).

use super::{DbResult, Store};
use sqlx::Row;

/// A column that holds values sealed under the application secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    /// `second_steps.secret`: authenticator apps' seeds (also those being
    /// set up) and passkeys' credentials; the row's `kind` says which.
    SecondSteps,
    /// `operators.totp_seed`: the operators' authenticator seeds.
    OperatorSeeds,
    /// `outbox.body`: mail not yet sent (a sent mail's body is emptied).
    OutboxBodies,
}

impl SealedColumn {
    pub const ALL: [SealedColumn; 3] = [
        SealedColumn::SecondSteps,
        SealedColumn::OperatorSeeds,
        SealedColumn::OutboxBodies,
    ];

    /// What the values are, as the command says.
    pub fn name(self) -> &'static str {
        match self {
            SealedColumn::SecondSteps => "second steps (authenticator apps, passkeys)",
            SealedColumn::OperatorSeeds => "operators' authenticator seeds",
            SealedColumn::OutboxBodies => "mail waiting in the outbox",
        }
    }

    fn select(self) -> &'static str {
        match self {
            SealedColumn::SecondSteps => {
                "SELECT id, kind, secret AS v FROM second_steps ORDER BY id"
            }
            SealedColumn::OperatorSeeds => {
                "SELECT id, CAST('operator' AS TEXT) AS kind, totp_seed AS v FROM operators \
                 WHERE totp_seed IS NOT NULL ORDER BY id"
            }
            SealedColumn::OutboxBodies => {
                "SELECT id, kind, body AS v FROM outbox \
                 WHERE sent_at IS NULL AND failed_at IS NULL AND body <> '' ORDER BY id"
            }
        }
    }

    fn update(self) -> &'static str {
        match self {
            SealedColumn::SecondSteps => {
                "UPDATE second_steps SET secret = $3 WHERE id = $1 AND secret = $2"
            }
            SealedColumn::OperatorSeeds => {
                "UPDATE operators SET totp_seed = $3 WHERE id = $1 AND totp_seed = $2"
            }
            SealedColumn::OutboxBodies => {
                "UPDATE outbox SET body = $3 WHERE id = $1 AND body = $2 AND sent_at IS NULL"
            }
        }
    }
}

/// One sealed value: its row, the row's kind, and the value.
#[derive(Debug, Clone)]
pub struct SealedValue {
    pub id: i64,
    pub kind: String,
    pub value: String,
}

impl Store {
    /// Every value of `column`.
    pub async fn sealed_values(&self, column: SealedColumn) -> DbResult<Vec<SealedValue>> {
        sqlx::query(column.select())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(SealedValue {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    value: r.try_get("v")?,
                })
            })
            .collect()
    }

    /// Replaces `old` by `new` in row `id` of `column`, if the row still
    /// holds `old`; whether it did.
    pub async fn replace_sealed(
        &self,
        column: SealedColumn,
        id: i64,
        old: &str,
        new: &str,
    ) -> DbResult<bool> {
        let done = sqlx::query(column.update())
            .bind(id)
            .bind(old)
            .bind(new)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(done == 1)
    }
}
