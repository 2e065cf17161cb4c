//! The server's life as an operating system sees it: stopped by SIGTERM
//! under load without failing a request it accepted, its PostgreSQL
//! backup (`provider-portal backup`, pg_dump) restored into a new database,
//! and serving beside a schema a newer build migrated (a rolling upgrade).

use crate::common::process::{server_process_logged, terminated, up, KillOnDrop};
use crate::common::{Db, TestApp};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

on_both_databases!(
    sigterm_under_load_fails_no_request_it_accepted,
    an_older_build_serves_beside_a_newer_schema,
);

/// What one client request met: the id it sent, and the status it got or
/// the error, and whether it was sent after the SIGTERM.
struct Sent {
    id: String,
    got: Result<u16, String>,
    answered_after_stop: bool,
}

async fn hammer(
    base: String,
    client_no: usize,
    stopped_at: Arc<AtomicBool>,
    answers: Arc<AtomicUsize>,
) -> Vec<Sent> {
    // A new connection for every request: a connection the server never
    // accepted is refused at connect, not cut.
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut sent = Vec::new();
    let mut refused_in_a_row = 0;
    for n in 0.. {
        let id = format!("t{client_no}-{n}");
        let req = if n % 2 == 0 {
            // A sign-in: a whole password hash, so that requests are in
            // flight when the signal comes.
            c.post(format!("{base}/api/sign_in"))
                .header("origin", &base)
                .header("accept", "text/html")
                .form(&[
                    ("username", "johnsmith@gmail.com"),
                    ("password", "Wrong#2026pass"),
                ])
        } else {
            c.get(format!("{base}/wizard/lookup"))
        };
        let got = match req.header("x-request-id", &id).send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                match res.bytes().await {
                    Ok(_) => {
                        answers.fetch_add(1, Ordering::SeqCst);
                        Ok(status)
                    }
                    Err(e) => Err(format!("body: {e}")),
                }
            }
            Err(e) => Err(format!("{e:?}")),
        };
        let refused = matches!(&got, Err(e) if e.contains("ConnectionRefused"));
        sent.push(Sent {
            id,
            got,
            answered_after_stop: stopped_at.load(Ordering::SeqCst),
        });
        refused_in_a_row = if refused { refused_in_a_row + 1 } else { 0 };
        if refused_in_a_row >= 3 {
            return sent;
        }
        if sent.len() > 5000 {
            panic!("the server never stopped answering");
        }
    }
    sent
}

async fn sigterm_under_load_fails_no_request_it_accepted(app: &TestApp) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-dbs");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join(format!("{}.log", crate::common::unique("sigterm")));
    let (child, base) = server_process_logged(
        &app.database_url,
        &[
            ("LOG_FORMAT", "json"),
            (
                "RUST_LOG",
                "info,sqlx=warn,provider_portal::server::logs=debug",
            ),
            ("TRUST_PROXY", "1"),
            ("SHUTDOWN_TIMEOUT_SECS", "30"),
            ("RATE_LIMIT_PROOFS", "1000000"),
            ("RATE_LIMIT_LOOKUPS", "1000000"),
            ("RATE_LIMIT_REFUSALS", "1000000"),
        ],
        Some(&log),
    );
    let mut server = KillOnDrop(child);
    assert!(up(&base).await, "the server process starts");
    let stopped = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..6)
        .map(|i| tokio::spawn(hammer(base.clone(), i, stopped.clone(), answers.clone())))
        .collect();
    // Load first: the signal comes once the six clients have had 24 answers
    // between them, while they keep sending.
    crate::common::eventually("the load under way", async || {
        let n = answers.load(Ordering::SeqCst);
        if n >= 24 {
            Ok(())
        } else {
            Err(n)
        }
    })
    .await;
    stopped.store(true, Ordering::SeqCst);
    let status = terminated(&mut server).await;
    assert_eq!(status.code(), Some(0), "SIGTERM ends the server with 0");
    let mut sent = Vec::new();
    for c in clients {
        sent.extend(c.await.unwrap());
    }

    // What the server says it answered: request id -> status.
    let text = std::fs::read_to_string(&log).unwrap();
    let mut answered: HashMap<String, u64> = HashMap::new();
    let mut accepted = std::collections::HashSet::new();
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if v["message"] == "request begins" {
            accepted.insert(v["request_id"].as_str().unwrap().to_string());
        }
        if v["message"] == "request" {
            let id = v["request_id"].as_str().unwrap().to_string();
            answered.insert(id, v["status"].as_u64().unwrap());
        }
    }
    assert!(text.contains("stopping: SIGTERM"), "{text}");
    assert!(text.contains("\"message\":\"stopped\""), "{text}");
    let mut after = 0;
    for s in &sent {
        assert!(
            !accepted.contains(&s.id) || answered.contains_key(&s.id),
            "{} was accepted and never answered ({:?})",
            s.id,
            s.got
        );
        match (&s.got, answered.get(&s.id)) {
            (Ok(status), Some(logged)) => {
                assert!(*status < 500, "{} answered {status}", s.id);
                assert_eq!(u64::from(*status), *logged, "{}", s.id);
                if s.answered_after_stop {
                    after += 1;
                }
            }
            (Ok(status), None) => panic!("{} answered {status} but not logged", s.id),
            (Err(e), Some(logged)) => {
                panic!("{} was accepted (logged {logged}) and failed: {e}", s.id)
            }
            // Never accepted: refused at connect, or cut in the kernel's
            // queue before the server took it.
            (Err(_), None) => {}
        }
    }
    assert!(
        answered.len() > 12,
        "the load ran: {} requests",
        answered.len()
    );
    assert!(
        after > 0,
        "some requests were answered after the signal (in flight when it came)"
    );
    let _ = std::fs::remove_file(&log);
}

/// `provider-portal backup FILE` on PostgreSQL runs pg_dump (the password
/// handed over in its environment); pg_restore into a new database brings
/// back every consolidation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_restores_into_a_new_database() {
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    app.walk_to_password("pg.backup@example.com").await;
    let (loc, _) = app
        .submit(
            "/api/wizard/password",
            &[
                ("username", "johnsmith@gmail.com"),
                ("password", "Welcome#2019"),
            ],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-dbs");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.dump", crate::common::unique("pg")));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_provider-portal"))
        .arg("backup")
        .arg(&file)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(file.metadata().unwrap().len() > 0);

    let (admin, _) = app.pg_database().unwrap();
    let restored = crate::common::unique("pp_restored");
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {restored}").as_str())
        .await
        .unwrap();
    let url = {
        let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
        let base = base.rsplit_once('/').unwrap().0;
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("{base}/{restored}{query}")
    };
    let mut pg_restore = std::process::Command::new("pg_restore");
    pg_restore
        .args(["--no-owner", "--exit-on-error", "--dbname", &restored])
        .arg(&file);
    for (k, v) in provider_portal::ops::libpq_env(&url).unwrap() {
        pg_restore.env(k, v);
    }
    let r = pg_restore.output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));

    let store = provider_portal::store::Store::open(&url, false)
        .await
        .unwrap();
    let state = store.migration_state().await.unwrap();
    assert!(state.complete() && !state.applied.is_empty(), "{state:?}");
    let (links,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM portal_links")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(links, 1, "the consolidation is in the backup");
    store.pool().close().await;
    let _ = sqlx::Executor::execute(
        &mut conn,
        format!("DROP DATABASE IF EXISTS {restored} WITH (FORCE)").as_str(),
    )
    .await;
    let _ = std::fs::remove_file(&file);
    app.cleanup().await;
}

/// A rolling upgrade's premise (docs/deploy.md, Upgrades): once a newer
/// build has migrated the database (here: a migration of its own recorded,
/// a table and a column with a default added, as the expand-only rule
/// allows), an instance of this build still starts, migrating at start or
/// not, says it is ready, and serves a whole wizard that writes beside
/// what it does not know.
async fn an_older_build_serves_beside_a_newer_schema(app: &TestApp) {
    let pool = app.state.store.pool();
    for sql in [
        "CREATE TABLE newer_build_campaigns (id BIGINT PRIMARY KEY, name TEXT NOT NULL)",
        "ALTER TABLE legacy_accounts ADD COLUMN newer_build_note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE portal_users ADD COLUMN newer_build_flag BIGINT NOT NULL DEFAULT 0",
    ] {
        sqlx::query(sql).execute(pool).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from a newer build', TRUE, $1, 0)",
    )
    .bind(vec![0u8; 48])
    .execute(pool)
    .await
    .unwrap();
    let state = app.state.store.migration_state().await.unwrap();
    assert_eq!(state.newer, vec![9999]);
    assert!(state.complete(), "{state:?}");

    for migrate_at_start in ["1", "0"] {
        let other = app
            .spawn_sharing(|env| {
                env.insert("MIGRATE_AT_START".into(), migrate_at_start.into());
            })
            .await;
        assert_eq!(other.get("/readyz").await.status, 200);
        assert!(
            !other
                .state
                .store
                .migrate()
                .await
                .unwrap()
                .iter()
                .any(|(v, _)| *v == 9999),
            "nothing of the newer build is touched"
        );
    }
    app.walk_to_password("rolling@example.com").await;
    let form = [
        ("username", "johnsmith@gmail.com"),
        ("password", "Welcome#2019"),
    ];
    let (loc, _) = app.submit("/api/wizard/password", &form).await;
    assert_eq!(loc, "/wizard/accounts");
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users WHERE newer_build_flag = 0")
            .await,
        1,
        "the new login was written beside the newer build's column"
    );
}
