//! The console's figures (issue 17), each against a baseline of the same
//! run, with 100k old accounts (through the import) and 1M audit events
//! loaded (a seventh of them each step of a wizard, so the funnel has
//! about 143k wizards to read): the Progress page (with the funnel of the
//! last 30 days) and a filtered Audit page, each against a plain SSR page
//! (the quick guide); and the audit export's rows/s against a plain
//! `SELECT` of the same rows.

use super::import_figures::{fresh_sqlite, import_csv, write_file};
use super::Report;
use provider_portal::auth::{random_token, token_hash, HashPool};
use provider_portal::config::Settings;
use provider_portal::domain::{Role, Username};
use provider_portal::server;
use sqlx::Row;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

const EVENTS: i64 = 1_000_000;
const ACCOUNTS: usize = 100_000;

/// The median of `n` sequential GETs of `path`, in ms, and the body's size.
async fn median_get(client: &reqwest::Client, url: &str, cookie: &str, n: usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(n);
    let mut size = 0;
    for _ in 0..n {
        let t = Instant::now();
        let res = client
            .get(url)
            .header("cookie", cookie)
            .send()
            .await
            .expect("the server answers");
        assert!(res.status().is_success(), "{url}: {}", res.status());
        size = res.bytes().await.unwrap().len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (times[n / 2], size)
}

pub fn figures(report: &mut Report, rt: &tokio::runtime::Runtime, dir: &Path) {
    rt.block_on(async {
        let (url, file) = fresh_sqlite(dir, "console").await;
        let csv = dir.join("console-accounts.csv");
        write_file(&csv, ACCOUNTS, false);
        let mut env: HashMap<String, String> = HashMap::new();
        env.insert("DATABASE_URL".into(), url.clone());
        env.insert("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into());
        let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
        let opts = server::leptos_options(&settings).await;
        let state = server::build_state(settings, opts).await.expect("state");
        let t = Instant::now();
        import_csv(&state.store, &HashPool::per_core(), &state.key, &csv).await;
        let now = state.clock.now();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) \
             INSERT INTO audit_events (at, flow_id, address, action, outcome) \
             SELECT CAST($1 AS BIGINT) + (i / 7) * 7 + (i % 7) * (1 + (i / 7) % 40), 'f' || (i / 7), '198.51.100.' || (i % 200), \
               CASE i % 7 WHEN 0 THEN 'lookup_account' WHEN 1 THEN 'verify_security_answer' \
                 WHEN 2 THEN 'send_email_code' WHEN 3 THEN 'verify_email_code' \
                 WHEN 4 THEN 'verify_legacy_password' WHEN 5 THEN 'finish' ELSE 'sign_in' END, \
               CASE i % 7 WHEN 0 THEN 'matched' WHEN 1 THEN 'ok' WHEN 2 THEN 'sent' WHEN 3 THEN 'ok' \
                 WHEN 4 THEN 'ok' WHEN 5 THEN 'merged' ELSE 'wrong' END \
             FROM n",
        )
        .bind(now - EVENTS - 3_600)
        .execute(state.store.pool())
        .await
        .expect("1M audit events");
        // 30k of the old accounts consolidated over the last 30 days, each
        // into a login of its own (through the counting triggers, as Finish
        // would).
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) \
             INSERT INTO portal_users (username, username_key, password_hash, email, created_at) \
             SELECT 'bench' || i, 'bench' || i, 'x', 'bench@example.com', $1 FROM n",
        )
        .bind(now)
        .execute(state.store.pool())
        .await
        .expect("30k logins");
        sqlx::query(
            "UPDATE legacy_accounts SET consolidated_into = id, consolidated_at = $1 - (id % 30) * 86400 \
             WHERE id <= 30000",
        )
        .bind(now)
        .execute(state.store.pool())
        .await
        .expect("30k consolidations");
        println!(
            "  console: {ACCOUNTS} accounts and {EVENTS} audit events loaded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        // The funnel's fold of the whole trail, as the sweep would do it
        // (page views then fold only what came since), against a plain
        // SELECT of the same columns of the same events.
        // (Events are folded once a few seconds old: the import's own event
        // was written moments ago.)
        tokio::time::sleep(std::time::Duration::from_secs(
            provider_portal::console::service::funnel::FOLD_LAG_SECS as u64 + 1,
        ))
        .await;
        let t = Instant::now();
        let folded = provider_portal::console::service::funnel::fold(&state)
            .await
            .expect("the fold");
        let fold_rate = folded as f64 / t.elapsed().as_secs_f64();
        assert!(folded as i64 > EVENTS, "the whole trail is folded: {folded}");
        let t = Instant::now();
        let all = sqlx::query("SELECT id, at, flow_id, action, outcome FROM audit_events ORDER BY id")
            .fetch_all(state.store.pool())
            .await
            .unwrap();
        let select_all = all.len() as f64 / t.elapsed().as_secs_f64();
        drop(all);
        report.add(
            "console funnel fold of the audit trail (1M events), events/s",
            format!("{fold_rate:.0} events/s ({folded} events)"),
            format!("{select_all:.0} events/s (a plain SELECT of them)"),
            format!("{:.2}", fold_rate / select_all),
            "reported",
        );
        // The bulk loads above left a large write-ahead log; a running
        // server checkpoints as it goes.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(state.store.pool())
            .await
            .unwrap();
        // An auditor's session, as sign-in would make it.
        let added = provider_portal::console::service::add_operator(
            &state.store,
            &state.key,
            &Username::parse_new("bench.ops").unwrap(),
            Role::Auditor,
            now,
        )
        .await
        .unwrap()
        .unwrap();
        sqlx::query("UPDATE operators SET password_hash = 'set' WHERE id = $1")
            .bind(added.id)
            .execute(state.store.pool())
            .await
            .unwrap();
        let token = random_token();
        state
            .store
            .insert_operator_session(&token_hash(&token), added.id, now)
            .await
            .unwrap();
        let cookie = format!("pp_ops={token}");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = server::router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let (plain, plain_size) = median_get(&client, &format!("{base}/help"), "", 30).await;
        let (progress, progress_size) =
            median_get(&client, &format!("{base}/ops"), &cookie, 15).await;
        // The same page with the funnel of a day no wizard began: what the
        // rest of the page costs.
        let (progress_rest, _) = median_get(
            &client,
            &format!("{base}/ops?from=2020-01-01&to=2020-01-01"),
            &cookie,
            15,
        )
        .await;
        let (audit, audit_size) = median_get(
            &client,
            &format!("{base}/ops/audit?action=verify_legacy_password&address=198.51.100.7"),
            &cookie,
            15,
        )
        .await;
        // The console's floor: its lightest page (Stuck, with no flow in
        // progress), which only checks the session, reads one small table
        // and records the view.
        let (floor, floor_size) =
            median_get(&client, &format!("{base}/ops/stuck"), &cookie, 15).await;
        let baseline = format!("{plain:.1} ms (the quick guide, {} KB)", plain_size / 1024);
        report.add(
            "console Stuck page with nothing stuck (a console page's floor: session, one small read, the view recorded)",
            format!("{floor:.1} ms ({} KB)", floor_size / 1024),
            baseline.clone(),
            format!("{:.1}", floor / plain),
            "reported",
        );
        report.add(
            "console Progress page with the funnel of the last 30 days, 100k accounts and 1M events (median of 15)",
            format!("{progress:.1} ms ({} KB)", progress_size / 1024),
            baseline.clone(),
            format!("{:.1}", progress / plain),
            "<= 5",
        );
        report.add(
            "console Progress page with the funnel of a day without wizards (the rest of the page)",
            format!("{progress_rest:.1} ms"),
            baseline.clone(),
            format!("{:.1}", progress_rest / plain),
            "<= 5",
        );
        report.add(
            "console Audit page filtered by action and address, 1M events (median of 15)",
            format!("{audit:.1} ms ({} KB)", audit_size / 1024),
            baseline,
            format!("{:.1}", audit / plain),
            "<= 5",
        );

        // The export of one action's events against a plain SELECT of them.
        let t = Instant::now();
        let mut res = client
            .get(format!("{base}/ops/audit.csv?action=verify_security_answer"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        let mut lines = 0usize;
        while let Some(chunk) = res.chunk().await.unwrap() {
            lines += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let export_rate = (lines - 1) as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        let rows = sqlx::query(
            "SELECT id, at, action, outcome, repeats, address, legacy_account_id, flow_id, operator_id, target, reason \
             FROM audit_trail WHERE action = 'verify_security_answer' ORDER BY at DESC, id DESC",
        )
        .fetch_all(state.store.pool())
        .await
        .unwrap();
        let n = rows.iter().filter(|r| r.try_get::<i64, _>("id").is_ok()).count();
        let select_rate = n as f64 / t.elapsed().as_secs_f64();
        report.add(
            "console audit export (CSV, streamed), rows/s",
            format!("{export_rate:.0} rows/s ({} rows)", lines - 1),
            format!("{select_rate:.0} rows/s (a plain SELECT of the same {n} rows)"),
            format!("{:.2}", export_rate / select_rate),
            "reported",
        );
        state.store.pool().close().await;
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
        }
        let _ = std::fs::remove_file(&csv);
    });
}
