//! Audit: the search (by time, action, outcome, account, operator and
//! address; paged), and Export CSV of what the search selects, streamed
//! from the database to the browser.

use super::{allowed, audit_op, page};
use crate::console::{AuditLine, AuditQuery, AuditView, Console};
use crate::domain::sheet::neutralised;
use crate::domain::{username_key, Action};
use crate::flow::{FieldError, Stop};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::store::{AuditFilter, AuditRow};
use crate::web::Ctx;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tracing::{error, info};

/// Events on one page of the search.
pub const PER_PAGE: i64 = 50;

/// Unix seconds at the start of a `YYYY-MM-DD` day (UTC).
pub(super) fn day_start(s: &str) -> Option<i64> {
    crate::closing::day_start(s.trim())
}

fn given(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(200).collect())
}

/// The store's filter for what was typed, and what the page says about it.
/// A name that is nobody's selects nothing (never everything).
async fn filter_of(app: &AppState, q: &AuditQuery) -> Result<(AuditFilter, Vec<FieldError>), Stop> {
    let mut errors = Vec::new();
    let mut date = |field: &str, s: &str| -> Option<i64> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let d = day_start(s);
        if d.is_none() {
            errors.push(FieldError::new(field, Msg::new("error-ops-date")));
        }
        d
    };
    let from = date("from", &q.from);
    let until = date("to", &q.to).map(|d| d + 24 * 3600);
    let account = match given(&q.account) {
        Some(name) => Some(
            app.store
                .legacy_id_by_username_key(&username_key(&name))
                .await?
                .unwrap_or(-1),
        ),
        None => None,
    };
    let operator = match given(&q.operator) {
        Some(name) => Some(
            app.store
                .operator_by_username_key(&username_key(&name))
                .await?
                .map_or(-1, |o| o.id),
        ),
        None => None,
    };
    Ok((
        AuditFilter {
            from,
            until,
            action: given(&q.action),
            outcome: given(&q.outcome),
            legacy_account_id: account,
            operator_id: operator,
            address: given(&q.address),
            consolidated_into: None,
        },
        errors,
    ))
}

pub(super) fn line(r: AuditRow) -> AuditLine {
    AuditLine {
        when: crate::mail::utc_time(r.at),
        action: r.action,
        outcome: r.outcome,
        repeats: r.repeats,
        address: r.address.unwrap_or_default(),
        account: r
            .legacy_account_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        operator: r.operator.unwrap_or_default(),
        target: r.target.unwrap_or_default(),
        reason: r.reason.unwrap_or_default(),
    }
}

/// The Audit page: one page of the events the search selects, newest first.
pub async fn audit(app: &AppState, ctx: &Ctx, q: &AuditQuery) -> Console<AuditView> {
    page(app, ctx, Action::Read, "ops/audit", async {
        let (filter, errors) = filter_of(app, q).await?;
        let page = q.page.max(1);
        if !errors.is_empty() {
            return Ok(AuditView {
                errors,
                lines: vec![],
                page,
                more: false,
            });
        }
        let offset = (page as i64 - 1) * PER_PAGE;
        let mut rows = app.store.audit_page(&filter, PER_PAGE + 1, offset).await?;
        let more = rows.len() as i64 > PER_PAGE;
        rows.truncate(PER_PAGE as usize);
        Ok(AuditView {
            errors,
            lines: rows.into_iter().map(line).collect(),
            page,
            more,
        })
    })
    .await
}

const HEADER: [&str; 11] = [
    "id",
    "time_utc",
    "action",
    "outcome",
    "repeats",
    "address",
    "legacy_account_id",
    "flow_id",
    "operator",
    "target",
    "reason",
];

fn record(r: &AuditRow) -> [String; 11] {
    let opt = |v: &Option<String>| neutralised(v.as_deref().unwrap_or("")).into_owned();
    [
        r.id.to_string(),
        crate::mail::utc_time(r.at),
        neutralised(&r.action).into_owned(),
        neutralised(&r.outcome).into_owned(),
        r.repeats.to_string(),
        opt(&r.address),
        r.legacy_account_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        opt(&r.flow_id),
        opt(&r.operator),
        opt(&r.target),
        opt(&r.reason),
    ]
}

/// Rows as CSV text (no header).
fn csv_of(rows: &[AuditRow]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record(record(r));
    }
    w.into_inner().unwrap_or_default()
}

/// `GET /ops/audit.csv?…`: every event the search selects, as CSV, streamed
/// (the database's rows go out in batches as they are read, so memory
/// stays flat for a million events). Auditors, support and admins; the
/// export itself is audited with its search.
pub async fn audit_csv(app: &AppState, ctx: &Ctx, q: &AuditQuery) -> Response {
    let op = match allowed(app, ctx, Action::Export, "ops/audit_export").await {
        Ok(op) => op,
        Err(Stop::Go(reply)) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, reply.location)]).into_response()
        }
        Err(Stop::Fault { reference, .. }) => return fault(&reference),
    };
    let (filter, errors) = match filter_of(app, q).await {
        Ok(f) => f,
        Err(Stop::Fault { reference, .. }) => return fault(&reference),
        Err(Stop::Go(_)) => return fault("-"),
    };
    if !errors.is_empty() {
        return (StatusCode::BAD_REQUEST, "Enter dates as YYYY-MM-DD.").into_response();
    }
    let search = format!(
        "from={} to={} action={} outcome={} account={} operator={} address={}",
        q.from.trim(),
        q.to.trim(),
        q.action.trim(),
        q.outcome.trim(),
        q.account.trim(),
        q.operator.trim(),
        q.address.trim()
    );
    audit_op(
        app,
        ctx,
        Some(&op),
        "ops/audit_export",
        Some(&search),
        None,
        "ok",
    )
    .await;
    let (rows_tx, mut rows_rx) = tokio::sync::mpsc::channel::<AuditRow>(512);
    let (body_tx, body_rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let store = app.store.clone();
    tokio::spawn(async move {
        match store.audit_rows_into(&filter, rows_tx).await {
            Ok(n) => info!(events = n, "audit export sent"),
            Err(e) => error!(error = %e, "the audit export stopped: database error"),
        }
    });
    tokio::spawn(async move {
        let mut head = csv::Writer::from_writer(Vec::new());
        let _ = head.write_record(HEADER);
        if body_tx
            .send(Ok(Bytes::from(head.into_inner().unwrap_or_default())))
            .await
            .is_err()
        {
            return;
        }
        let mut batch = Vec::with_capacity(500);
        loop {
            let n = rows_rx.recv_many(&mut batch, 500).await;
            if n == 0 {
                break;
            }
            let chunk = Bytes::from(csv_of(&batch));
            batch.clear();
            if body_tx.send(Ok(chunk)).await.is_err() {
                break;
            }
        }
    });
    // Fused: the compression layer polls a body once more after its end.
    let stream =
        futures_util::StreamExt::fuse(futures_util::stream::unfold(body_rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        }));
    let name = format!(
        "attachment; filename=\"audit-{}.csv\"",
        crate::mail::utc_time(app.clock.now())
            .replace([' ', ':'], "-")
            .trim_end_matches("-UTC")
    );
    let mut res = Body::from_stream(stream).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// An export's answer to a fault: a sentence with its support reference.
pub(super) fn fault(reference: &str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("Something went wrong on our side. Please try again in a minute. Reference {reference}."),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_as_utc() {
        assert_eq!(day_start("1970-01-02"), Some(86_400));
        assert_eq!(day_start("2026-11-30"), Some(1_795_996_800));
        assert_eq!(day_start("2026-02-30"), None);
        assert_eq!(day_start("30/11/2026"), None);
        assert_eq!(day_start("2026-1-5"), None);
    }
}
