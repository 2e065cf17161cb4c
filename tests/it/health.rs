//! The load balancer's probes: `/livez` (the process answers) and `/readyz`
//! (the database answers and this version's migrations are applied).

use crate::common::{eventually, Db, TestApp};

async fn probes_follow_the_database(app: &TestApp) {
    for path in ["/livez", "/readyz", "/healthz"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
    }
    assert_eq!(app.get("/readyz").await.body, "ready");

    // A migration this version carries is no longer recorded as applied.
    let store = &app.state.store;
    let last: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET version = $1 WHERE version = $2")
        .bind(-last)
        .bind(last)
        .execute(store.pool())
        .await
        .unwrap();
    let page = app.get("/readyz").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(page.body.contains("lacks migrations"), "{}", page.body);
    assert_eq!(
        page.headers.get("cache-control").unwrap(),
        "no-store",
        "a probe's answer is never cached"
    );
    assert_eq!(
        app.get("/livez").await.status,
        200,
        "the process still answers"
    );
    sqlx::query("UPDATE _sqlx_migrations SET version = $1 WHERE version = $2")
        .bind(last)
        .bind(-last)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(app.get("/readyz").await.status, 200);
}

on_both_databases!(probes_follow_the_database);

/// PostgreSQL refuses connections: `/readyz` says so, `/livez` still answers, and both recover when it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_503_while_the_database_is_away() {
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    let (admin, name) = app.pg_database().unwrap();
    sqlx::any::install_default_drivers();
    let mut admin_conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    let away = [
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
        format!(
            "SELECT CAST(pg_terminate_backend(pid) AS TEXT) FROM pg_stat_activity WHERE datname = '{name}'"
        ),
    ];
    for sql in &away {
        sqlx::Executor::execute(&mut admin_conn, sql.as_str())
            .await
            .unwrap();
    }
    let page = app.get("/readyz").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(page.body.contains("does not answer"), "{}", page.body);
    assert_eq!(app.get("/livez").await.status, 200);
    sqlx::Executor::execute(
        &mut admin_conn,
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true").as_str(),
    )
    .await
    .unwrap();
    eventually("ready again once the database is back", async || {
        let status = app.get("/readyz").await.status;
        if status == 200 {
            Ok(())
        } else {
            Err(status)
        }
    })
    .await;
    app.cleanup().await;
}
