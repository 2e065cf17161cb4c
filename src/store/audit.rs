//! Reading the audit trail: the console's search, page by page, and its
//! export, streamed row by row. (Writing is in limits.rs; nothing updates
//! or deletes an event.)

use super::{DbResult, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Which events: every field given narrows the search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// From this time on (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Before this time (exclusive).
    pub until: Option<i64>,
    /// Actions starting with this (`ops/`, `sign_in`).
    pub action: Option<String>,
    /// Outcomes starting with this (`refused`, `ok`).
    pub outcome: Option<String>,
    pub legacy_account_id: Option<i64>,
    pub operator_id: Option<i64>,
    pub address: Option<String>,
}

/// One event as the console shows and exports it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub action: String,
    pub outcome: String,
    pub repeats: i64,
    pub address: Option<String>,
    pub legacy_account_id: Option<i64>,
    pub flow_id: Option<String>,
    pub operator: Option<String>,
    pub target: Option<String>,
    pub reason: Option<String>,
}

enum Bind {
    Int(i64),
    Text(String),
}

/// `LIKE` pattern of a prefix, its wildcards taken literally.
fn prefix_pattern(p: &str) -> String {
    let escaped: String = p
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("{escaped}%")
}

impl AuditFilter {
    /// The `WHERE` clause and its values, numbered from `$1`.
    fn clause(&self) -> (String, Vec<Bind>) {
        let mut parts: Vec<String> = Vec::new();
        let mut binds = Vec::new();
        let mut add = |sql: &str, b: Bind| {
            binds.push(b);
            parts.push(sql.replace('?', &format!("${}", binds.len())));
        };
        if let Some(v) = self.from {
            add("e.at >= ?", Bind::Int(v));
        }
        if let Some(v) = self.until {
            add("e.at < ?", Bind::Int(v));
        }
        if let Some(v) = &self.action {
            add("e.action LIKE ? ESCAPE '\\'", Bind::Text(prefix_pattern(v)));
        }
        if let Some(v) = &self.outcome {
            add(
                "e.outcome LIKE ? ESCAPE '\\'",
                Bind::Text(prefix_pattern(v)),
            );
        }
        if let Some(v) = self.legacy_account_id {
            add("e.legacy_account_id = ?", Bind::Int(v));
        }
        if let Some(v) = self.operator_id {
            add("e.operator_id = ?", Bind::Int(v));
        }
        if let Some(v) = &self.address {
            add("e.address = ?", Bind::Text(v.clone()));
        }
        let clause = if parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", parts.join(" AND "))
        };
        (clause, binds)
    }

    fn sql(&self, tail: &str) -> (String, Vec<Bind>) {
        let (clause, binds) = self.clause();
        (
            format!(
                "SELECT e.id, e.at, e.action, e.outcome, e.repeats, e.address, e.legacy_account_id, e.flow_id, \
                   o.username AS operator, e.target, e.reason \
                 FROM audit_trail e LEFT JOIN operators o ON o.id = e.operator_id {clause} \
                 ORDER BY e.at DESC, e.id DESC {tail}"
            ),
            binds,
        )
    }
}

fn bound<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Int(v) => q.bind(v),
            Bind::Text(v) => q.bind(v),
        };
    }
    q
}

fn audit_row(r: &AnyRow) -> DbResult<AuditRow> {
    Ok(AuditRow {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        action: r.try_get("action")?,
        outcome: r.try_get("outcome")?,
        repeats: r.try_get("repeats")?,
        address: r.try_get("address")?,
        legacy_account_id: r.try_get("legacy_account_id")?,
        flow_id: r.try_get("flow_id")?,
        operator: r.try_get("operator")?,
        target: r.try_get("target")?,
        reason: r.try_get("reason")?,
    })
}

impl Store {
    /// One page of the events `f` selects, newest first: `limit` of them
    /// after skipping `offset`.
    pub async fn audit_page(
        &self,
        f: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<AuditRow>> {
        let (sql, binds) = f.sql(&format!(
            "LIMIT {} OFFSET {}",
            limit.clamp(1, 500),
            offset.max(0)
        ));
        bound(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(audit_row)
            .collect()
    }

    /// Sends every event `f` selects into `out`, newest first, as the
    /// database streams them (memory stays flat whatever their number);
    /// stops early if `out` is closed. Returns how many were sent.
    pub async fn audit_rows_into(
        &self,
        f: &AuditFilter,
        out: tokio::sync::mpsc::Sender<AuditRow>,
    ) -> DbResult<u64> {
        use futures_util::TryStreamExt;
        let (sql, binds) = f.sql("");
        let mut rows = bound(sqlx::query(&sql), binds).fetch(&self.pool);
        let mut sent = 0;
        while let Some(r) = rows.try_next().await? {
            if out.send(audit_row(&r)?).await.is_err() {
                break;
            }
            sent += 1;
        }
        Ok(sent)
    }

    /// The id of the old account with this username key, if there is one.
    pub async fn legacy_id_by_username_key(&self, key: &str) -> DbResult<Option<i64>> {
        sqlx::query("SELECT id FROM legacy_accounts WHERE username_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()
    }
}

/// One wizard in the funnel: when it began (its first Account Lookup), and
/// when it first got through each step: a lookup taken (matched, or a
/// decoy), a right answer, PIN or support code, a code sent, a right code, a
/// right password, a finish that merged.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FunnelWizard {
    pub begun: Option<i64>,
    pub through: [Option<i64>; 6],
}

impl Store {
    /// The wizards begun (an Account Lookup) in `[from, to)`, each with the
    /// moments it got through each step, folded in the database (a row of
    /// numbers per wizard). Read by index: the lookups of the period, then
    /// each wizard's events.
    pub async fn funnel_wizards(&self, from: i64, to: i64) -> DbResult<Vec<FunnelWizard>> {
        sqlx::query(
            "SELECT \
               MIN(CASE WHEN e.action = 'lookup_account' THEN e.at END) AS begun, \
               MIN(CASE WHEN e.action = 'lookup_account' AND e.outcome IN ('matched', 'no match (decoy)') THEN e.at END) AS t0, \
               MIN(CASE WHEN e.action = 'verify_security_answer' AND e.outcome LIKE 'ok%' THEN e.at END) AS t1, \
               MIN(CASE WHEN e.action = 'send_email_code' AND e.outcome = 'sent' THEN e.at END) AS t2, \
               MIN(CASE WHEN e.action = 'verify_email_code' AND e.outcome = 'ok' THEN e.at END) AS t3, \
               MIN(CASE WHEN e.action = 'verify_legacy_password' AND e.outcome LIKE 'ok%' THEN e.at END) AS t4, \
               MIN(CASE WHEN e.action = 'finish' AND e.outcome = 'merged' THEN e.at END) AS t5 \
             FROM (SELECT DISTINCT flow_id FROM audit_events \
                   WHERE action = 'lookup_account' AND at >= $1 AND at < $2 AND flow_id IS NOT NULL) b \
             JOIN audit_events e ON e.flow_id = b.flow_id \
             WHERE e.action IN ('lookup_account', 'verify_security_answer', 'send_email_code', \
                                'verify_email_code', 'verify_legacy_password', 'finish') \
             GROUP BY e.flow_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let mut through = [None; 6];
            for (i, t) in through.iter_mut().enumerate() {
                *t = r.try_get(i + 1)?;
            }
            Ok(FunnelWizard {
                begun: r.try_get(0)?,
                through,
            })
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_binds_every_value_and_quotes_no_value() {
        let f = AuditFilter {
            from: Some(10),
            action: Some("ops/%".into()),
            address: Some("1.2.3.4' OR '1'='1".into()),
            ..Default::default()
        };
        let (clause, binds) = f.clause();
        assert_eq!(
            clause,
            "WHERE e.at >= $1 AND e.action LIKE $2 ESCAPE '\\' AND e.address = $3"
        );
        assert_eq!(binds.len(), 3);
        assert!(matches!(&binds[1], Bind::Text(p) if p == "ops/\\%%"));
        assert_eq!(AuditFilter::default().clause().0, "");
    }
}
