//! Each old portal's closing date (issue 32): one row per import source,
//! set and removed by an admin in the console.

use super::{DbResult, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// One old portal's closing date, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Closing {
    /// The import source (`(demo)` for accounts loaded without one).
    pub source: String,
    /// The portal's name as providers know it.
    pub name: String,
    /// The last day the old portal works, `YYYY-MM-DD`.
    pub closes_on: String,
    /// The first second after that day, UTC.
    pub closes_at: i64,
    /// After the date, the wizard refuses this portal's accounts.
    pub refuse_after: bool,
    pub set_at: i64,
}

fn closing_from_row(r: &AnyRow) -> DbResult<Closing> {
    Ok(Closing {
        source: r.try_get("source")?,
        name: r.try_get("name")?,
        closes_on: r.try_get("closes_on")?,
        closes_at: r.try_get("closes_at")?,
        refuse_after: r.try_get::<String, _>("after_closing")? == "refuse",
        set_at: r.try_get("set_at")?,
    })
}

impl Store {
    /// Every closing date, soonest first.
    pub async fn closings(&self) -> DbResult<Vec<Closing>> {
        sqlx::query("SELECT * FROM portal_closings ORDER BY closes_at, source")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(closing_from_row)
            .collect()
    }

    /// The import sources that hold old accounts, in order.
    pub async fn sources(&self) -> DbResult<Vec<String>> {
        sqlx::query("SELECT source FROM figure_sources ORDER BY source")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("source"))
            .collect()
    }

    /// Sets (or replaces) `c.source`'s closing date, by `operator`.
    pub async fn set_closing(&self, c: &Closing, operator: Option<i64>) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO portal_closings (source, name, closes_on, closes_at, after_closing, set_by, set_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (source) DO UPDATE SET name = excluded.name, closes_on = excluded.closes_on, \
               closes_at = excluded.closes_at, after_closing = excluded.after_closing, \
               set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(&c.source)
        .bind(&c.name)
        .bind(&c.closes_on)
        .bind(c.closes_at)
        .bind(if c.refuse_after { "refuse" } else { "lookup" })
        .bind(operator)
        .bind(c.set_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes `source`'s closing date; whether it had one.
    pub async fn remove_closing(&self, source: &str) -> DbResult<bool> {
        Ok(sqlx::query("DELETE FROM portal_closings WHERE source = $1")
            .bind(source)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }
}
