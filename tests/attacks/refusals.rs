//! Refused requests from one client: counted against the address's refusal
//! limit before anything is written (then 429), recorded once per address,
//! action, outcome and minute with a count, and never removed from the
//! trail (append-only).

use super::*;

/// Sums the refusals recorded with `outcome` (rows carry a count).
async fn recorded(app: &TestApp, outcome: &str) -> (i64, i64) {
    let rows = count(
        app,
        &format!("SELECT COUNT(*) FROM audit_events WHERE outcome = '{outcome}'"),
    )
    .await;
    let events = count(
        app,
        &format!(
            "SELECT CAST(COALESCE(SUM(repeats), 0) AS BIGINT) FROM audit_trail WHERE outcome = '{outcome}'"
        ),
    )
    .await;
    (rows, events)
}

/// The whole trail as read, each event with its count.
async fn trail(app: &TestApp) -> Vec<(i64, String, String, i64)> {
    sqlx::query_as(
        "SELECT id, action, outcome, CAST(repeats AS BIGINT) FROM audit_trail ORDER BY id",
    )
    .fetch_all(app.state.store.pool())
    .await
    .unwrap()
}

/// `n` posts from one address, 50 at a time: their statuses.
async fn flood(
    app: &TestApp,
    n: usize,
    form: &'static str,
    origin: Option<&'static str>,
) -> Vec<u16> {
    let mut statuses = Vec::new();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let mut set = tokio::task::JoinSet::new();
        for _ in chunk {
            let c = client.clone();
            let url = format!("{}/api/wizard/lookup", app.base);
            let origin = origin.map_or(app.base.clone(), str::to_string);
            set.spawn(async move {
                c.post(url)
                    .header("origin", origin)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            });
        }
        while let Some(s) = set.join_next().await {
            statuses.push(s.unwrap());
        }
    }
    statuses
}

pub(crate) async fn refused_requests_flood(db: Db) {
    // The real limits (60 refusals per address per 15 minutes).
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let log_before = log_text().matches("refused (repeats").count();
    let statuses = flood(&app, 1500, "username=a&tin=1&evil=1", None).await;
    let bad = statuses.iter().filter(|s| **s == 400).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    stopped_if(
        "1,500 malformed posts from one address, all answered",
        bad == 60 && limited == 1440,
        format!("{bad} answered 400, {limited} answered 429"),
    );
    let (rows, events) = recorded(&app, "refused: unknown field").await;
    stopped_if(
        "a row per malformed post in the audit trail",
        events == 60 && rows <= 3,
        format!("{rows} rows for {events} refusals"),
    );
    let logged = log_text().matches("refused (repeats").count() - log_before;
    stopped_if(
        "a log line per malformed post",
        logged <= 3,
        format!("{logged} lines"),
    );
    let kept = count(&app, "SELECT COUNT(*) FROM rate_events").await;
    stopped_if(
        "the rate-limit table grows with every refusal",
        kept <= 60,
        format!("{kept} rows"),
    );
    // Foreign origins from another address count the same way; the limit is
    // per address, so the first one is unaffected.
    let other = TestApp::spawn(db).await.unwrap();
    let statuses = flood(
        &other,
        300,
        "username=a&tin=1",
        Some("https://evil.example"),
    )
    .await;
    let forbidden = statuses.iter().filter(|s| **s == 403).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    let (rows, events) = recorded(&other, "refused: cross-site").await;
    stopped_if(
        "300 cross-site posts from one address",
        forbidden == 60 && limited == 240 && events == 60 && rows <= 3,
        format!("{forbidden} 403, {limited} 429, {rows} rows for {events}"),
    );
    other.cleanup().await;

    // The trail is append-only: years later the sweep has removed nothing,
    // and the database itself refuses to change or remove an event.
    app.state.clock.advance(7 * 365 * 24 * 3600);
    provider_portal::server::sweep(&app.state).await;
    let (_, kept) = recorded(&app, "refused: unknown field").await;
    stopped_if(
        "seven years on, the sweep keeps the trail",
        kept == 60,
        kept,
    );
    let pool = app.state.store.pool();
    for (what, sql) in [
        ("UPDATE", "UPDATE audit_events SET outcome = 'ok'"),
        ("DELETE", "DELETE FROM audit_events"),
    ] {
        let refused = sqlx::query(sql).execute(pool).await;
        let after = recorded(&app, "refused: unknown field").await.1;
        stopped_if(
            &format!("the database refuses {what} on audit_events"),
            refused
                .as_ref()
                .is_err_and(|e| e.to_string().contains("append-only"))
                && after == 60,
            format!("{:?}, {after} kept", refused.map(|r| r.rows_affected())),
        );
    }
    // Nor can an event be replaced by an INSERT (SQLite's REPLACE deletes
    // without firing the DELETE trigger), nor a count lowered or removed.
    let (id, bucket): (i64, String) = sqlx::query_as(
        "SELECT id, bucket FROM audit_events WHERE outcome = 'refused: unknown field' AND bucket IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let before = trail(&app).await;
    let columns = "(id, at, flow_id, legacy_account_id, address, action, outcome, repeats, bucket)";
    let values = format!("VALUES ({id}, 0, NULL, NULL, 'x', 'sign_in', 'ok', 1, NULL)");
    let mut statements = vec![
        ("INSERT ... ON CONFLICT DO UPDATE on an event", format!("INSERT INTO audit_events {columns} {values} ON CONFLICT (id) DO UPDATE SET outcome = 'ok'")),
        ("an INSERT of an event's bucket", format!("INSERT INTO audit_events {columns} VALUES ({}, 0, NULL, NULL, 'x', 'sign_in', 'ok', 1, '{bucket}') ON CONFLICT DO NOTHING", id + 1_000_000)),
        ("DELETE on the counts", "DELETE FROM audit_repeats".to_string()),
        ("a count lowered", "UPDATE audit_repeats SET repeats = 1".to_string()),
        ("a count moved to another bucket", format!("UPDATE audit_repeats SET bucket = 'x' WHERE bucket = '{bucket}'")),
        ("a count lowered by an upsert", format!("INSERT INTO audit_repeats (bucket, repeats) VALUES ('{bucket}', 0) ON CONFLICT (bucket) DO UPDATE SET repeats = 0")),
    ];
    if db == Db::Sqlite {
        statements.extend([
            ("INSERT OR REPLACE of an event", format!("INSERT OR REPLACE INTO audit_events {columns} {values}")),
            ("REPLACE of an event's bucket", format!("REPLACE INTO audit_events {columns} VALUES ({}, 0, NULL, NULL, 'x', 'sign_in', 'ok', 1, '{bucket}')", id + 2_000_000)),
            ("INSERT OR REPLACE of a count", format!("INSERT OR REPLACE INTO audit_repeats (bucket, repeats) VALUES ('{bucket}', 0)")),
        ]);
    }
    for (what, sql) in statements {
        let result = sqlx::query(&sql).execute(pool).await;
        let after = trail(&app).await;
        stopped_if(
            &format!("the trail is kept against {what}"),
            after == before,
            format!("{sql}: {:?}", result.map(|r| r.rows_affected())),
        );
    }
    app.cleanup().await;
}
