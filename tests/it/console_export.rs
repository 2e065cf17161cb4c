//! The audit export streams (issue 17): 100k events go out in constant
//! memory. The server runs here as its own process (the real binary), so
//! that its peak resident memory (VmHWM) is its own and not the test
//! runner's; the peak after exporting 100k events (a CSV of about 30 MB)
//! is compared with the peak after exporting 1k.

use crate::common::process::{server_process, up, KillOnDrop};
use crate::common::TestApp;
use provider_portal::auth::{random_token, token_hash};
use provider_portal::domain::Role;

/// The peak resident memory of process `pid`, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status");
    kb * 1024
}

async fn the_export_of_100k_events_runs_in_constant_memory(app: &TestApp) {
    app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let id = app
        .count("SELECT id FROM operators WHERE username = 'audrey.ops'")
        .await;
    // A session for the server process, which keeps the real time.
    let token = random_token();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    app.state
        .store
        .insert_operator_session(&token_hash(&token), id, now)
        .await
        .unwrap();
    // 1k and 100k events, each with a long reason, one statement each.
    let reason = "r".repeat(250);
    for (action, n) in [("export-small", 1_000), ("export-large", 100_000)] {
        sqlx::query(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             INSERT INTO audit_events (at, address, action, outcome, reason) \
             SELECT CAST($1 AS BIGINT) + i, '203.0.113.9', '{action}', 'ok', $2 FROM n"
        ))
        .bind(now - 200_000)
        .bind(&reason)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    }
    let (server, base) = server_process(&app.database_url, &[]);
    // Killed however the test ends.
    let mut server = KillOnDrop(server);
    let client = reqwest::Client::new();
    assert!(up(&base).await, "the server process answers");
    // Reads an export as it arrives, keeping only its size and lines.
    let export = |action: &'static str| {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        async move {
            let mut res = client
                .get(format!("{base}/ops/audit.csv?action={action}"))
                .header("cookie", format!("pp_ops={token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let (mut bytes, mut lines, mut chunks) = (0usize, 0usize, 0usize);
            while let Some(chunk) = res.chunk().await.unwrap() {
                bytes += chunk.len();
                lines += chunk.iter().filter(|b| **b == b'\n').count();
                chunks += 1;
            }
            (bytes, lines, chunks)
        }
    };
    let pid = server.id();
    // Twice small first: whatever is allocated once is in the baseline.
    export("export-small").await;
    let (_, lines, _) = export("export-small").await;
    assert_eq!(lines, 1_001, "the header and 1k events");
    // The peak is reset to the memory in use now (Linux: clear_refs 5), so
    // that what startup once used (the hashing pool's first hash) cannot
    // hide a growth.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset the peak");
    let before = peak_rss(pid);
    let (bytes, lines, chunks) = export("export-large").await;
    let after = peak_rss(pid);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(lines, 100_001, "the header and 100k events");
    assert!(bytes > 25_000_000, "a CSV of {bytes} bytes");
    assert!(
        chunks > 100,
        "it arrived in {chunks} pieces, as it was read"
    );
    let grew = after.saturating_sub(before);
    eprintln!(
        "export: {bytes} bytes in {chunks} pieces; the server's peak memory grew {grew} bytes"
    );
    assert!(
        grew < 12 * 1024 * 1024,
        "the server's peak memory grew by {} MB for a {} MB export",
        grew / 1024 / 1024,
        bytes / 1024 / 1024
    );
}

on_both_databases!(the_export_of_100k_events_runs_in_constant_memory);
