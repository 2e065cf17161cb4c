//! Reading the audit trail: the console's search, page by page, and its
//! export, streamed row by row. (Writing is in limits.rs; nothing updates
//! or deletes an event.)

use super::{Backend, DbResult, Store};
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
    /// Only the wizards that consolidated old accounts into this login
    /// (accounts since undone too): every step of theirs.
    pub consolidated_into: Option<i64>,
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

/// The first string after every string that starts with `p`, in code
/// point order (none when `p` is empty or ends with the last code point).
fn prefix_end(p: &str) -> Option<String> {
    let mut end = p.to_string();
    let last = end.pop()? as u32;
    let next = match last + 1 {
        0xD800 => 0xE000,
        n => n,
    };
    end.push(char::from_u32(next)?);
    Some(end)
}

impl AuditFilter {
    /// The `WHERE` clause and its values, numbered from `$1`. An action
    /// prefix is a range of the action index (`audit_events_by_action`; on
    /// PostgreSQL compared byte by byte, `audit_events_by_action_c`), so
    /// that the search reads only the matching events.
    fn clause(&self, backend: Backend) -> (String, Vec<Bind>) {
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
            let action = match backend {
                Backend::Sqlite => "e.action",
                Backend::Postgres => "e.action COLLATE \"C\"",
            };
            match prefix_end(v) {
                Some(end) if !v.is_empty() => {
                    add(&format!("{action} >= ?"), Bind::Text(v.clone()));
                    add(&format!("{action} < ?"), Bind::Text(end));
                }
                _ => add("e.action LIKE ? ESCAPE '\\'", Bind::Text(prefix_pattern(v))),
            }
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
        if let Some(v) = self.consolidated_into {
            add(
                "e.flow_id IN (SELECT f.flow_id FROM audit_events f \
                   WHERE f.action = 'finish' AND f.outcome = 'merged' AND f.legacy_account_id IN ( \
                     SELECT legacy_account_id FROM portal_links WHERE portal_user_id = ? \
                     UNION SELECT legacy_account_id FROM undone_links WHERE portal_user_id = ?))",
                Bind::Int(v),
            );
        }
        let clause = if parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", parts.join(" AND "))
        };
        (clause, binds)
    }

    fn sql(&self, backend: Backend, tail: &str) -> (String, Vec<Bind>) {
        let (clause, binds) = self.clause(backend);
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
        let (sql, binds) = f.sql(
            self.backend,
            &format!("LIMIT {} OFFSET {}", limit.clamp(1, 500), offset.max(0)),
        );
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
        let (sql, binds) = f.sql(self.backend, "");
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
        let (clause, binds) = f.clause(Backend::Sqlite);
        assert_eq!(
            clause,
            "WHERE e.at >= $1 AND e.action >= $2 AND e.action < $3 AND e.address = $4"
        );
        assert_eq!(binds.len(), 4);
        assert!(matches!(&binds[1], Bind::Text(p) if p == "ops/%"));
        assert!(
            matches!(&binds[2], Bind::Text(p) if p == "ops/&"),
            "the next string"
        );
        let (clause, _) = f.clause(Backend::Postgres);
        assert!(clause.contains("e.action COLLATE \"C\" >= $2"), "{clause}");
        assert_eq!(AuditFilter::default().clause(Backend::Sqlite).0, "");
    }

    #[test]
    fn a_prefix_ends_before_the_next_string() {
        assert_eq!(prefix_end("sign_in").as_deref(), Some("sign_io"));
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end(""), None);
        assert_eq!(prefix_end("a\u{10FFFF}"), None);
        let f = AuditFilter {
            action: Some("x\u{10FFFF}".into()),
            ..Default::default()
        };
        assert!(
            f.clause(Backend::Sqlite).0.contains("LIKE"),
            "the pattern instead"
        );
    }
}
