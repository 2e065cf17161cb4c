//! `make bench`: the speed and memory figures (docs/performance.md), each printed with
//! the baseline it is measured against in the same run, and the ratio.
//!
//! It starts the real server (the same router and state as `main`, on a real
//! socket) on a fresh SQLite file, and on a fresh PostgreSQL database when one
//! answers, and drives it from a load generator in this process (reqwest on
//! tokio). Nothing here is a test: it prints, and `docs/performance.md`
//! records a run. Run alone: `cargo bench --features ssr --bench load`
//! (after `cargo leptos build --release` for the asset sizes).

use provider_portal::auth;
use provider_portal::config::Settings;
use provider_portal::server;
use provider_portal::state::AppState;
use provider_portal::store::NewLegacyAccount;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "load/browser.rs"]
mod browser;
#[path = "load/console.rs"]
mod console_figures;
#[path = "load/driver.rs"]
mod driver;
use driver::*;
#[path = "load/import.rs"]
mod import_figures;
#[path = "load/slow.rs"]
mod slow;
#[path = "load/two_step.rs"]
mod two_step;

const PASSWORD: &str = "Bench#Password1";
const ANSWER: &str = "benchanswer";
const PIN: &str = "2468";
/// argon2 runs per completed flow: the answer, the old password, the re-hash
/// of that password for the new login (src/wizard/service.rs).
const HASHES_PER_FLOW: f64 = 3.0;

// ---- log capture (SQLITE_BUSY counting) ------------------------------------------

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn busy_errors(log: &LogBuffer) -> usize {
    let text = String::from_utf8_lossy(&log.0.lock().unwrap()).to_lowercase();
    text.matches("database is locked").count() + text.matches("sqlite_busy").count()
}

// ---- figures ---------------------------------------------------------------------

struct Report {
    rows: Vec<(String, String, String, String, String)>,
}

impl Report {
    fn add(&mut self, figure: &str, value: String, baseline: String, ratio: String, budget: &str) {
        println!("  {figure}: {value} | baseline {baseline} | ratio {ratio} | budget {budget}");
        self.rows
            .push((figure.into(), value, baseline, ratio, budget.into()));
    }

    fn print(&self) {
        println!("\n| figure | measured | baseline (same run) | ratio | budget |");
        println!("|---|---|---|---|---|");
        for (f, v, b, r, g) in &self.rows {
            println!("| {f} | {v} | {b} | {r} | {g} |");
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU seconds used so far by this process's threads whose name starts with
/// `prefix` (the hashing pool's threads are `argon2-N`), and by all threads.
fn cpu_secs(prefix: &str) -> (f64, f64) {
    let tick = 100.0; // USER_HZ on Linux
    let (mut mine, mut all) = (0.0, 0.0);
    for task in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // Fields after the ")" that closes the name: utime is the 12th, stime the 13th.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        let t = f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
            + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        all += t / tick;
        if comm.trim().starts_with(prefix) {
            mine += t / tick;
        }
    }
    (mine, all)
}

// ---- the server and the load driver: load/driver.rs --------------------------

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out.len()
}

fn postgres_url() -> Option<String> {
    let admin = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            std::net::TcpStream::connect_timeout(
                &"127.0.0.1:5432".parse().unwrap(),
                Duration::from_millis(300),
            )
            .ok()
            .map(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
        })?;
    Some(admin)
}

// ---- main ------------------------------------------------------------------------

fn main() {
    browser::use_release_asset_names();
    let log = LogBuffer::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn,sqlx=warn"))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut report = Report { rows: Vec::new() };
    println!("bench: {cores} cores, {}", std::env::consts::ARCH);

    // t_h: argon2id at the production parameters, one thread.
    let _ = auth::hash_blocking("warm-up");
    let mut times = Vec::new();
    for i in 0..20 {
        let t = Instant::now();
        let _ = auth::hash_blocking(&format!("secret {i}"));
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let t_h = percentile(&times, 0.5);
    report.add(
        "argon2id time per hash t_h (m=19456 KiB, t=2, p=1, one thread)",
        format!("{:.1} ms", t_h * 1e3),
        "-".into(),
        "-".into(),
        "reported; the baseline for the rest",
    );
    let hashes = (
        auth::hash_blocking(PASSWORD),
        auth::hash_blocking(ANSWER),
        auth::hash_blocking(PIN),
    );
    let limit = cores as f64 / (HASHES_PER_FLOW * t_h);
    let flow_secs = 8.0;
    let accounts = (limit * 1.5 * flow_secs) as usize + 50;

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    // `BENCH_ONLY=import make bench`: the import's figures alone.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("import") {
        import_figures::figures(&mut report, &rt, t_h, cores, &dir, postgres_url());
        report.print();
        return;
    }
    // `BENCH_ONLY=console make bench`: the console's figures alone.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("console") {
        console_figures::figures(&mut report, &rt, &dir);
        report.print();
        return;
    }
    // `BENCH_ONLY=two_step make bench`: the second step's figure alone.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("two_step") {
        two_step::run(&mut report, &rt, &dir, &hashes, cores, t_h);
        report.print();
        return;
    }
    let file = dir.join(format!("bench-{}.db", std::process::id()));
    let sqlite_url = format!("sqlite://{}?mode=rwc", file.display());

    rt.block_on(async {
        let run = Arc::new(start(&sqlite_url, accounts, &hashes).await);
        let base = run.base.clone();
        let idle_kib = rss_kib("VmRSS:");

        // Memory: 500 concurrent password submissions.
        let peak = Arc::new(AtomicU64::new(0));
        let sampling = Arc::new(AtomicBool::new(true));
        let sampler = {
            let (peak, sampling) = (peak.clone(), sampling.clone());
            std::thread::spawn(move || {
                while sampling.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib("VmRSS:"), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(2));
                }
            })
        };
        let c = client();
        let mut burst = Vec::new();
        for i in 0..500 {
            let c = c.clone();
            let base = base.clone();
            burst.push(tokio::spawn(async move {
                c.post(format!("{base}/api/sign_in"))
                    .form(&[("username", format!("nobody{i}")), ("password", "wrong".to_string())])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }));
        }
        let mut refused = 0;
        for b in burst {
            if b.await.unwrap_or(0) == 429 {
                refused += 1;
            }
        }
        sampling.store(false, Ordering::Relaxed);
        sampler.join().unwrap();
        let peak_kib = peak.load(Ordering::Relaxed);
        let pool = run.state.hasher.size();
        let budget_kib = idle_kib + (pool as f64 * 19.0 * 1024.0 * 1.1) as u64;
        report.add(
            "peak memory, 500 concurrent password submissions (RSS of server and load generator)",
            format!("{:.1} MiB ({refused} of 500 refused with 429)", peak_kib as f64 / 1024.0),
            format!("idle {:.1} MiB; idle + pool {pool} x 19 MiB x 1.1 = {:.1} MiB", idle_kib as f64 / 1024.0, budget_kib as f64 / 1024.0),
            format!("{:.2} of the budget", peak_kib as f64 / budget_kib as f64),
            "<= idle + pool size x 19 MiB x 1.1",
        );

        // Cheap requests while password checks saturate the pool.
        let flooding = Arc::new(AtomicBool::new(true));
        let floods = Arc::new(AtomicUsize::new(0));
        let flood_429 = Arc::new(AtomicUsize::new(0));
        let mut flood = Vec::new();
        for w in 0..(pool * 64 + 64) {
            let (c, base, flooding, floods, flood_429) = (client(), base.clone(), flooding.clone(), floods.clone(), flood_429.clone());
            flood.push(tokio::spawn(async move {
                while flooding.load(Ordering::Relaxed) {
                    let s = c
                        .post(format!("{base}/api/sign_in"))
                        .form(&[("username", format!("flood{w}")), ("password", "wrong".to_string())])
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    floods.fetch_add(1, Ordering::Relaxed);
                    if s == 429 {
                        flood_429.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let pc = client();
        let mut lat = Vec::new();
        let saturated = run.state.hasher.waiting();
        for i in 0..400 {
            let path = if i % 2 == 0 { "/".to_string() } else { "/wizard/lookup".to_string() };
            let t = Instant::now();
            let ok = pc.get(format!("{base}{path}")).send().await.map(|r| r.status().is_success()).unwrap_or(false);
            if ok {
                lat.push(t.elapsed().as_secs_f64());
            }
        }
        // A lookup step (a POST that does not hash) as well.
        let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        for i in 0..200 {
            let t = Instant::now();
            let ok = c
                .post(format!("{base}/api/wizard/lookup"))
                .form(&[("username", format!("someone{i}")), ("tin", "123456789".to_string())])
                .send()
                .await
                .map(|r| r.status() == 303)
                .unwrap_or(false);
            if ok {
                lat.push(t.elapsed().as_secs_f64());
            }
        }
        flooding.store(false, Ordering::Relaxed);
        for f in flood {
            let _ = f.await;
        }
        let (mut pages, mut steps) = (lat[..lat.len().min(400)].to_vec(), lat[lat.len().min(400)..].to_vec());
        pages.sort_by(|a, b| a.partial_cmp(b).unwrap());
        steps.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "  (pages p99 {:.2} ms, lookup steps p99 {:.2} ms)",
            percentile(&pages, 0.99) * 1e3,
            percentile(&steps, 0.99) * 1e3
        );
        lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let p99 = percentile(&lat, 0.99);
        report.add(
            "p99 latency of cheap requests (sign-in page, Account Lookup page, lookup step) while password checks saturate the pool",
            format!("{:.2} ms (p50 {:.2} ms, {} samples; queue {} at start; flood {} requests, {} refused fast with 429)", p99 * 1e3, percentile(&lat, 0.5) * 1e3, lat.len(), saturated, floods.load(Ordering::Relaxed), flood_429.load(Ordering::Relaxed)),
            format!("t_h {:.1} ms", t_h * 1e3),
            format!("{:.2} t_h", p99 / t_h),
            "<= 0.25 t_h",
        );

        // Slow connections: how many the server holds while a visitor's
        // p99 stays within 2x of the quiet figure.
        let (quiet, levels) = slow::measure(&base, &[250, 500, 1000, 2000, 4000, 8000]).await;
        for l in &levels {
            println!(
                "  ({} slow connections: visitor p99 {:.2} ms, {} failed)",
                l.slow,
                l.p99 * 1e3,
                l.failed
            );
        }
        // The largest level at which this and every smaller level kept the
        // visitor within 2x of quiet, with no visit failed.
        let survived = levels
            .iter()
            .take_while(|l| l.p99 <= 2.0 * quiet && l.failed == 0)
            .map(|l| l.slow)
            .max()
            .unwrap_or(0);
        let worst = levels
            .iter()
            .filter(|l| l.slow == survived)
            .map(|l| l.p99)
            .next()
            .unwrap_or(f64::NAN);
        report.add(
            "slow connections held (half a request's headers each) while a visitor's p99 stays within 2x of quiet",
            format!("{survived} (visitor p99 {:.2} ms there; levels tried: {})", worst * 1e3, levels.iter().map(|l| l.slow.to_string()).collect::<Vec<_>>().join(", ")),
            format!("quiet visitor p99 {:.2} ms (a new connection per visit)", quiet * 1e3),
            format!("{:.2} of quiet", worst / quiet),
            ">= 1000 held, <= 2x quiet",
        );

        // Completed wizard flows under 1.5x the hashing limit.
        let (hash0, all0) = cpu_secs("argon2-");
        let t0 = Instant::now();
        let (done_rate, done, offered) = offered_load(&run, limit * 1.5, flow_secs, 0, "sqlite").await;
        let (hash1, all1) = cpu_secs("argon2-");
        let wall = t0.elapsed().as_secs_f64();
        println!(
            "  (during the flows: the hashing threads used {:.0}% of the {cores} cores, all threads of the process {:.0}%; the rest of the machine, PostgreSQL aside, is idle)",
            (hash1 - hash0) / (wall * cores as f64) * 100.0,
            (all1 - all0) / (wall * cores as f64) * 100.0
        );
        report.add(
            "completed wizard flows/s at an offered load of 1.5x the hashing limit (SQLite)",
            format!("{done_rate:.1} flows/s ({done} of {offered} offered completed)"),
            format!("limit = {cores} cores / ({HASHES_PER_FLOW} hashes x t_h) = {limit:.1} flows/s"),
            format!("{:.2}", done_rate / limit),
            ">= 0.9",
        );

        // A trivial server function over a bare axum handler with the same payload.
        let payload = reqwest::Client::new()
            .post(format!("{base}/api/wizard/state"))
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let bare_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let bare_base = format!("http://{}", bare_listener.local_addr().unwrap());
        let body = payload.clone();
        let bare = axum::Router::new().route(
            "/bare",
            axum::routing::post(move || {
                let body = body.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        );
        tokio::spawn(async move { axum::serve(bare_listener, bare).await });
        let conc = 16;
        let sf = post_rate(conc, format!("{base}/api/wizard/state")).await;
        let b = post_rate(conc, format!("{bare_base}/bare")).await;
        assert_eq!(&payload[..], b"\"None\"", "the bare handlers answer the same bytes");
        let layered = post_rate(conc, format!("{base}/bench/bare")).await;
        report.add(
            &format!("requests/s of a trivial server function (wizard/state, {} bytes)", payload.len()),
            format!("{sf:.0} req/s"),
            format!("a bare axum handler, same payload, behind the same layers: {layered:.0} req/s"),
            format!("{:.2}", sf / layered),
            ">= 0.7",
        );
        report.add(
            "the same, against a bare axum handler with no layers at all (the cost of headers, CSP nonce, form check and Leptos together)",
            format!("{sf:.0} req/s"),
            format!("{b:.0} req/s"),
            format!("{:.2}", sf / b),
            "(reported)",
        );

        // A server-rendered wizard page over the same bytes as a static file.
        let page = reqwest::Client::new().get(format!("{base}/wizard/lookup")).send().await.unwrap().bytes().await.unwrap();
        let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("bench-static.html"), &page).unwrap();
        let (pb, sb) = (base.clone(), base.clone());
        let ssr = rate_of(conc, 3.0, move |c: reqwest::Client| {
            let url = format!("{pb}/wizard/lookup");
            async move { c.get(url).header("accept-encoding", "br").send().await.map(|r| r.status().is_success()).unwrap_or(false) }
        })
        .await;
        let stat = rate_of(conc, 3.0, move |c: reqwest::Client| {
            let url = format!("{sb}/bench-static.html");
            async move { c.get(url).header("accept-encoding", "br").send().await.map(|r| r.status().is_success()).unwrap_or(false) }
        })
        .await;
        let _ = std::fs::remove_file(site.join("bench-static.html"));
        report.add(
            &format!("requests/s of the server-rendered Account Lookup page ({} bytes, brotli)", page.len()),
            format!("{ssr:.0} req/s"),
            format!("the same bytes as a static file: {stat:.0} req/s"),
            format!("{:.2}", ssr / stat),
            ">= 0.5",
        );

        // Sizes.
        let br_get = |path: String| async move {
            reqwest::Client::new().get(path).header("accept-encoding", "br").send().await.unwrap().bytes().await.unwrap().len()
        };
        let html_br = br_get(format!("{base}/wizard/lookup")).await;
        let css_path = String::from_utf8_lossy(&page)
            .split("rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("/pkg/provider-portal.css")
            .to_string();
        let css_br = br_get(format!("{base}{css_path}")).await;
        report.add(
            "HTML + CSS of a wizard page (Account Lookup), brotli as served",
            format!("{:.1} KB ({html_br} + {css_br} bytes)", (html_br + css_br) as f64 / 1000.0),
            format!("uncompressed page {} bytes", page.len()),
            format!("{:.2} of the budget", (html_br + css_br) as f64 / 14_000.0),
            "<= 14 KB",
        );
        let pkg = site.join("pkg");
        // The names carry a content hash: take the newest of each kind.
        let newest = |ext: &str| {
            std::fs::read_dir(&pkg)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(ext))
                .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
                .and_then(|e| std::fs::read(e.path()).ok())
                .unwrap_or_default()
        };
        let (js, wasm) = (newest(".js"), newest(".wasm"));
        let (jb, wb) = (brotli_len(&js), brotli_len(&wasm));
        report.add(
            "release JS + WASM, brotli (quality 11)",
            format!("{:.1} KB (js {jb} + wasm {wb} bytes)", (jb + wb) as f64 / 1000.0),
            format!("uncompressed {} + {} bytes", js.len(), wasm.len()),
            format!("{:.2} of the budget", (jb + wb) as f64 / 60_000.0),
            "<= 60 KB",
        );

        // In Chromium, when installed (npm, in end2end/), on this server:
        // Lighthouse, and the in-place navigation and typing figures.
        browser::lighthouse(&mut report, &base);
        browser::navigation(&mut report, &base);
    });

    // PostgreSQL, when one answers: the flows figure again.
    if let Some(admin) = postgres_url() {
        rt.block_on(async {
            let name = format!("pp_bench_{}", std::process::id());
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.expect("PostgreSQL");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await.unwrap();
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            let run = Arc::new(start(&url, accounts, &hashes).await);
            let (done_rate, done, offered) = offered_load(&run, limit * 1.5, flow_secs, 0, "pg").await;
            report.add(
                "completed wizard flows/s at an offered load of 1.5x the hashing limit (PostgreSQL)",
                format!("{done_rate:.1} flows/s ({done} of {offered} offered completed)"),
                format!("limit {limit:.1} flows/s"),
                format!("{:.2}", done_rate / limit),
                ">= 0.9",
            );
            run.state.store.pool().close().await;
            let _ = sqlx::Executor::execute(&mut conn, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
        });
    } else {
        println!("  PostgreSQL: nothing answers at 127.0.0.1:5432 and TEST_DATABASE_URL is not set; skipped");
    }

    // The second step's cost (a server of its own, on a fresh SQLite file).
    two_step::run(&mut report, &rt, &dir, &hashes, cores, t_h);

    // The operators' import (docs/import.md).
    import_figures::figures(&mut report, &rt, t_h, cores, &dir, postgres_url());

    // The operators' console (its pages and export with 1M events).
    console_figures::figures(&mut report, &rt, &dir);

    let busy = busy_errors(&log);
    report.add(
        "SQLite \"database is locked\" / SQLITE_BUSY during the whole run",
        format!("{busy}"),
        "-".into(),
        "-".into(),
        "0",
    );
    let _ = std::fs::remove_file(&file);
    report.print();
}
