//! Invitations (issue 32): 100,000 old accounts at 100,000 addresses, a
//! campaign's invitations queued at its pace (the app's clock moved on an
//! hour a tick, so that the pace never waits) by the campaign's tick while
//! the outbox delivers them to a local SMTP sink, as the two workers run in
//! the app, in mails/s, against the outbox's plain delivery of 100,000
//! mails to the same sink in the same run; and the process's memory while
//! the campaign sends, against before it. Both deliver on 32 connections
//! (`MAIL_CONNECTIONS` sets another number).
//! `BENCH_CAMPAIGN_MAILS` sets a smaller count for a quick look.

use super::import_figures::{fresh_sqlite, import_csv};
use super::{rss_kib, smtp, PeakRss, Report};
use provider_portal::auth::HashPool;
use provider_portal::campaign::service::{self as campaigns, Spec};
use provider_portal::config::Settings;
use provider_portal::flow::outbox;
use provider_portal::server;
use provider_portal::state::AppState;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

const MAILS: usize = 100_000;

/// The mails of each half: [`MAILS`], or `BENCH_CAMPAIGN_MAILS`.
fn mails() -> usize {
    std::env::var("BENCH_CAMPAIGN_MAILS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(MAILS)
}
const SHA512: &str = "$6$saltsaltsalt$w3Ri28EnrN85AeM.oPKCwy2dvgz3hSHiSncSId8ibNirT7pM7CVFEXpwwq0H96KvYucpVTO.yW.UErijQN9fl.";

/// `MAILS` old accounts of source `invited`, each at an address of its own.
fn accounts_file(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "source,legacy_id,username,tins,practice,role,email,question,answer_hash,pin_hash,password_hash").unwrap();
    for i in 0..mails() {
        writeln!(f, "invited,I{i},invited{i},{},Invited Practice {},Front desk,owner{i}@practice.example,Your first school?,{SHA512},{SHA512},{SHA512}", 200_000_000 + i, i % 97).unwrap();
    }
    f.flush().unwrap();
}

/// Delivers what is due until the sink holds `until` messages.
async fn deliver_until(app: &AppState, sink: &smtp::Seen, until: u64) {
    while sink.count.load(Ordering::Relaxed) < until {
        if outbox::deliver_due(app).await == 0 {
            // Nothing due yet: as the worker waits to be woken.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

pub fn figures(report: &mut Report, rt: &tokio::runtime::Runtime, dir: &Path) {
    rt.block_on(async {
        let (sink, seen) = smtp::server(smtp::Answer::Take {
            delay: std::time::Duration::ZERO,
            keep: false,
        })
        .await;
        let (url, file) = fresh_sqlite(dir, "campaigns").await;
        let mut env: HashMap<String, String> = HashMap::new();
        env.insert("DATABASE_URL".into(), url);
        env.insert("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into());
        env.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{sink}"));
        // 32 connections (the sink takes any number): a relay that allows
        // them sends 100,000 mails in minutes, not in the half hour of the
        // default 4, and the figure is the ratio of the two halves.
        let connections = std::env::var("MAIL_CONNECTIONS").unwrap_or_else(|_| "32".into());
        env.insert("MAIL_CONNECTIONS".into(), connections.clone());
        let n = mails();
        let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
        let opts = server::leptos_options(&settings).await;
        let app = server::build_state(settings, opts).await.expect("state");
        let csv = dir.join("campaign-accounts.csv");
        accounts_file(&csv);
        import_csv(&app.store, &HashPool::per_core(), &app.key, &csv).await;

        // The baseline: the outbox's plain delivery of as many mails (each
        // written as a step writes its mail), to the same sink.
        let t = Instant::now();
        for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
            let mails = chunk
                .iter()
                .map(|i| outbox::Mail {
                    kind: "notice",
                    to: format!("plain{i}@practice.example"),
                    subject: "Your old portal account".into(),
                    body: format!("A plain mail of the same length as an invitation, number {i}.\n{}", "x".repeat(600)),
                    not_me: None,
                })
                .collect();
            outbox::enqueue(&app, mails).await.expect("written");
        }
        deliver_until(&app, &seen, n as u64).await;
        let plain = n as f64 / t.elapsed().as_secs_f64();

        // The campaign, sampled for memory as it sends.
        let spec = Spec {
            name: "bench".into(),
            sources: vec!["invited".into()],
            statuses: vec!["not_started".into()],
            langs: vec!["en".into(), "es".into()],
            per_hour: "1000000".into(),
            reminders: String::new(),
            imported_before: String::new(),
        };
        let id = campaigns::create(&app.store, &spec, None, app.clock.now())
            .await
            .unwrap()
            .expect("a good spec");
        let before_kib = rss_kib("VmRSS:");
        let sampler = PeakRss::start(std::time::Duration::from_millis(20));
        let t = Instant::now();
        let started = campaigns::start(&app.store, id, app.clock.now()).await.unwrap();
        assert_eq!(started, Some(n as i64), "every address picked");
        let target = 2 * n as u64;
        // The outbox's worker, as in the app: it delivers while the
        // campaign's tick queues.
        let delivering = {
            let (app, seen) = (app.clone(), seen.clone());
            tokio::spawn(async move { deliver_until(&app, &seen, target).await })
        };
        let mut queued = 0;
        while queued < n {
            app.clock.advance(3600);
            queued += campaigns::tick(&app).await;
        }
        delivering.await.expect("the delivery runs to its end");
        let invited = n as f64 / t.elapsed().as_secs_f64();
        let grown_mib = sampler.stop().saturating_sub(before_kib) as f64 / 1024.0;
        report.add(
            &format!("invitations: {n} addresses, a campaign's mail queued at its pace and sent to a local SMTP sink on {connections} connections"),
            format!("{invited:.0} mails/s"),
            format!("{plain:.0} mails/s (the outbox's plain delivery of {n} mails)"),
            format!("{:.2}", invited / plain),
            ">= 0.8",
        );
        report.add(
            &format!("memory while the {n} invitations go (RSS of the process)"),
            format!("+{grown_mib:.1} MiB"),
            format!("{:.1} MiB before", before_kib as f64 / 1024.0),
            "-".into(),
            "<= +50 MiB",
        );
        app.store.pool().close().await;
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
        }
        let _ = std::fs::remove_file(&csv);
    });
}
