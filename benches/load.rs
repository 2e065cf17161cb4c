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
#[path = "load/campaigns.rs"]
mod campaign_figures;
#[path = "load/cheap.rs"]
mod cheap;
#[path = "load/console.rs"]
mod console_figures;
#[path = "load/driver.rs"]
mod driver;
#[path = "load/sign_in.rs"]
mod sign_in;
use driver::*;
#[path = "load/import.rs"]
mod import_figures;
#[path = "load/slow.rs"]
mod slow;
// The tests' own mail servers: the bench uses the sink alone.
#[allow(dead_code)]
#[path = "../tests/common/smtp.rs"]
mod smtp;
#[path = "load/two_step.rs"]
mod two_step;

const PASSWORD: &str = "Bench#Password1";
const ANSWER: &str = "benchanswer";
const PIN: &str = "2468";
/// argon2 runs per completed flow: the answer, the old password, the re-hash
/// of that password for the new login (src/wizard/service.rs).
const HASHES_PER_FLOW: f64 = 3.0;
/// How long each run of the flows figure offers flows.
const FLOW_SECS: f64 = 8.0;

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

    /// A figure measured [`RUNS`] times: `ratios` judged on their median
    /// against `budget` (in `unit`).
    fn runs(
        &mut self,
        figure: &str,
        value: &str,
        baseline: &str,
        ratios: &Runs,
        budget: Budget,
        unit: &str,
    ) {
        let (said, met) = match budget {
            Budget::AtMost(x) => (format!("<= {x}{unit}"), ratios.median() <= x),
            Budget::AtLeast(x) => (format!(">= {x}{unit}"), ratios.median() >= x),
        };
        let verdict = if met { "met" } else { "MISSED" };
        self.add(
            figure,
            value.into(),
            baseline.into(),
            format!("{}{unit}: {verdict}", ratios.said(2)),
            &said,
        );
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

/// How many times each headline figure is measured; budgets are judged on
/// the median.
const RUNS: usize = 3;

/// The runs of one figure.
#[derive(Default, Clone)]
struct Runs(Vec<f64>);

impl Runs {
    fn push(&mut self, v: f64) {
        self.0.push(v);
    }

    fn median(&self) -> f64 {
        let mut s = self.0.clone();
        s.sort_by(|a, b| a.partial_cmp(b).unwrap());
        s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
    }

    /// (largest - smallest) / median.
    fn spread(&self) -> f64 {
        let max = self.0.iter().cloned().fold(f64::MIN, f64::max);
        let min = self.0.iter().cloned().fold(f64::MAX, f64::min);
        (max - min) / self.median()
    }

    /// "median 0.91 (0.88, 0.91, 0.95; spread 7%)", to `decimals` places.
    fn said(&self, decimals: usize) -> String {
        let each: Vec<String> = self.0.iter().map(|v| format!("{v:.decimals$}")).collect();
        format!(
            "median {:.decimals$} ({}; spread {:.0}%)",
            self.median(),
            each.join(", "),
            self.spread() * 100.0
        )
    }
}

/// A budget judged on a median.
#[derive(Clone, Copy)]
enum Budget {
    AtMost(f64),
    AtLeast(f64),
}

/// argon2id at the production parameters on this thread: the median of `n`.
fn measure_t_h(n: usize) -> f64 {
    measure_t_h_parallel(1, n)
}

/// The time per hash when `threads` threads hash at once, `n` hashes each
/// (the median over the threads of each thread's median): what the hashing
/// pool's threads get from the machine together, where [`measure_t_h`]
/// measures one thread alone. Argon2 works through 19 MiB per hash: two at
/// once share the caches and the memory's bandwidth.
fn measure_t_h_parallel(threads: usize, n: usize) -> f64 {
    let mut each: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut times: Vec<f64> = (0..n)
                        .map(|i| {
                            let start = Instant::now();
                            let _ = auth::hash_blocking(&format!("secret {t} {i}"));
                            start.elapsed().as_secs_f64()
                        })
                        .collect();
                    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
                    percentile(&times, 0.5)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    each.sort_by(|a, b| a.partial_cmp(b).unwrap());
    percentile(&each, 0.5)
}

/// The hashing limit's t_h: the time per hash with every core hashing at
/// once, as the pool hashes when it is saturated (five hashes a thread).
/// Measured so, not taken as one thread's t_h times the cores: on the
/// machines measured, two hashes at once each took 1.3 to 1.8 times as long
/// as one alone (docs/performance.md), so cores / t_h was more than the
/// machine could hash with nothing else running.
fn pool_t_h(cores: usize) -> f64 {
    measure_t_h_parallel(cores, 5)
}

/// The peak of this process's VmRSS (KiB), sampled every `every` on a
/// thread of its own until [`PeakRss::stop`].
struct PeakRss {
    peak: Arc<AtomicU64>,
    sampling: Arc<AtomicBool>,
    sampler: std::thread::JoinHandle<()>,
}

impl PeakRss {
    fn start(every: Duration) -> Self {
        let peak = Arc::new(AtomicU64::new(0));
        let sampling = Arc::new(AtomicBool::new(true));
        let sampler = {
            let (peak, sampling) = (peak.clone(), sampling.clone());
            std::thread::spawn(move || {
                while sampling.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib("VmRSS:"), Ordering::Relaxed);
                    std::thread::sleep(every);
                }
            })
        };
        PeakRss {
            peak,
            sampling,
            sampler,
        }
    }

    /// Stops sampling; the peak.
    fn stop(self) -> u64 {
        self.sampling.store(false, Ordering::Relaxed);
        self.sampler.join().unwrap();
        self.peak.load(Ordering::Relaxed)
    }
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

/// CPU seconds used so far by each thread of this process, by name.
fn thread_cpu() -> Vec<(String, f64)> {
    let tick = 100.0; // USER_HZ on Linux
    let mut out = Vec::new();
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
        out.push((comm.trim().to_string(), t / tick));
    }
    out
}

/// Where this process's CPU went so far, in seconds, by kind of thread:
/// the hashing pool, the server's runtime (its own threads: driver.rs),
/// SQLite's connection threads (sqlx runs each connection on one), the load
/// generator (the bench's runtime), and the rest; and the whole machine's
/// busy seconds (`/proc/stat`), which PostgreSQL's backends are part of.
fn cpu_by_group() -> Vec<(&'static str, f64)> {
    let mut groups: Vec<(&'static str, f64)> = vec![
        ("hashing", 0.0),
        ("the server's runtime", 0.0),
        ("SQLite's connection threads", 0.0),
        ("the load generator", 0.0),
        ("other threads of the process", 0.0),
    ];
    for (comm, t) in thread_cpu() {
        let i = if comm.starts_with("argon2-") {
            0
        } else if comm.starts_with("server") {
            1
        } else if comm.starts_with("sqlx-sqlite") {
            2
        } else if comm.starts_with("tokio-runtime") {
            3
        } else {
            4
        };
        groups[i].1 += t;
    }
    groups
}

/// The machine's busy CPU seconds so far (every core; `/proc/stat`).
fn machine_busy_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let f: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal ...: all but idle and iowait.
    let busy: f64 = f
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, v)| v)
        .sum();
    busy / 100.0
}

/// A line saying where the cores went between two readings
/// ([`cpu_by_group`], [`machine_busy_secs`]) `wall` seconds apart.
fn cpu_said(
    before: &(Vec<(&'static str, f64)>, f64),
    after: &(Vec<(&'static str, f64)>, f64),
    wall: f64,
    cores: usize,
) -> String {
    let share = |secs: f64| secs / (wall * cores as f64) * 100.0;
    let mut parts: Vec<String> = before
        .0
        .iter()
        .zip(&after.0)
        .map(|((name, a), (_, b))| format!("{name} {:.0}%", share(b - a)))
        .collect();
    let process: f64 =
        after.0.iter().map(|(_, t)| t).sum::<f64>() - before.0.iter().map(|(_, t)| t).sum::<f64>();
    parts.push(format!(
        "outside the process (PostgreSQL, the system) {:.0}%",
        share((after.1 - before.1) - process).max(0.0)
    ));
    format!("of the {cores} cores: {}", parts.join(", "))
}

/// [`cpu_by_group`] and [`machine_busy_secs`] now.
fn cpu_now() -> (Vec<(&'static str, f64)>, f64) {
    (cpu_by_group(), machine_busy_secs())
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
    let t_h = measure_t_h(20);
    report.add(
        "argon2id time per hash t_h (m=19456 KiB, t=2, p=1, one thread)",
        format!("{:.1} ms", t_h * 1e3),
        "-".into(),
        "-".into(),
        "reported; the baseline for the rest",
    );
    // The same with every core hashing at once: the limits below are
    // built on it (pool_t_h).
    let t_h_all = measure_t_h_parallel(cores, 10);
    report.add(
        "argon2id time per hash with every core hashing at once (each thread's median, median over the threads)",
        format!("{:.1} ms", t_h_all * 1e3),
        format!("t_h, one thread alone: {:.1} ms", t_h * 1e3),
        format!("{:.2}", t_h_all / t_h),
        "reported; the hashing limits' unit",
    );
    // `BENCH_ONLY=t_h make bench`: the two t_h alone, three times.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("t_h") {
        for _ in 0..3 {
            let (one, all) = (measure_t_h(9), measure_t_h_parallel(cores, 9));
            println!(
                "t_h one thread {:.1} ms, {cores} threads at once {:.1} ms: {:.2}",
                one * 1e3,
                all * 1e3,
                all / one
            );
        }
        report.print();
        return;
    }
    let hashes = (
        auth::hash_blocking(PASSWORD),
        auth::hash_blocking(ANSWER),
        auth::hash_blocking(PIN),
    );
    let limit = cores as f64 / (HASHES_PER_FLOW * t_h);
    // Accounts enough for the runs at 1.5x the limit, with room for a
    // faster machine later in the run.
    let per_run = (limit * 1.5 * FLOW_SECS * 1.5) as usize + 20;
    let accounts = per_run * RUNS + 50;

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    // `BENCH_ONLY=import make bench`: the import's figures alone.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("import") {
        import_figures::figures(&mut report, &rt, t_h, cores, &dir, postgres_url());
        report.print();
        return;
    }
    // `BENCH_ONLY=campaigns make bench`: the invitations' figures alone.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("campaigns") {
        campaign_figures::figures(&mut report, &rt, &dir);
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
    // `BENCH_ONLY=interactive make bench`: the server's figures on SQLite
    // and PostgreSQL (pages, steps, flows, sign-ins), without the browser,
    // the second step, the import and the console.
    let interactive_only = std::env::var("BENCH_ONLY").as_deref() == Ok("interactive");
    let file = dir.join(format!("bench-{}.db", std::process::id()));
    let sqlite_url = format!("sqlite://{}?mode=rwc", file.display());

    rt.block_on(async {
        let run = Arc::new(start(&sqlite_url, accounts, &hashes).await);
        let base = run.base.clone();
        // `BENCH_ONLY=cheap make bench`: the cheap requests' figure alone,
        // printed run by run (a minute; for trying a change).
        if std::env::var("BENCH_ONLY").as_deref() == Ok("cheap") {
            for _ in 0..RUNS {
                let before_run = measure_t_h(9);
                let (p99, said) = cheap::p99_while_hashing(&run).await;
                let t_h = (before_run + measure_t_h(9)) / 2.0;
                println!("cheap requests: p99 {:.2} ms = {:.2} t_h ({:.1} ms); {said}", p99 * 1e3, p99 / t_h, t_h * 1e3);
            }
            std::process::exit(0);
        }
        let idle_kib = rss_kib("VmRSS:");

        // Memory: 500 concurrent password submissions.
        let sampler = PeakRss::start(Duration::from_millis(2));
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
        let peak_kib = sampler.stop();
        let pool = run.state.hasher.size();
        let budget_kib = idle_kib + (pool as f64 * 19.0 * 1024.0 * 1.1) as u64;
        report.add(
            "peak memory, 500 concurrent password submissions (RSS of server and load generator)",
            format!("{:.1} MiB ({refused} of 500 refused with 429)", peak_kib as f64 / 1024.0),
            format!("idle {:.1} MiB; idle + pool {pool} x 19 MiB x 1.1 = {:.1} MiB", idle_kib as f64 / 1024.0, budget_kib as f64 / 1024.0),
            format!("{:.2} of the budget", peak_kib as f64 / budget_kib as f64),
            "<= idle + pool size x 19 MiB x 1.1",
        );

        // Cheap requests while password checks saturate the pool: three
        // runs, t_h measured again before each.
        // The same on a server whose hashing threads run as every other
        // thread (as before issue 31), alternately.
        let before_file = dir.join(format!("bench-ordinary-{}.db", std::process::id()));
        let before = Arc::new(start_with(&format!("sqlite://{}?mode=rwc", before_file.display()), accounts, &hashes, auth::Priority::Ordinary).await);
        let (mut ratios, mut p99s, mut last) = (Runs::default(), Runs::default(), String::new());
        let (mut ratios_before, mut p99s_before) = (Runs::default(), Runs::default());
        for _ in 0..RUNS {
            let before_run = measure_t_h(9);
            let (p99, said) = cheap::p99_while_hashing(&run).await;
            let t_h = (before_run + measure_t_h(9)) / 2.0;
            println!("  (cheap requests: p99 {:.2} ms against t_h {:.1} ms; {said})", p99 * 1e3, t_h * 1e3);
            ratios.push(p99 / t_h);
            p99s.push(p99 * 1e3);
            last = said;
            let (p99, said) = cheap::p99_while_hashing(&before).await;
            println!("  (the same, hashing at ordinary priority: p99 {:.2} ms; {said})", p99 * 1e3);
            ratios_before.push(p99 / t_h);
            p99s_before.push(p99 * 1e3);
        }
        report.runs(
            "p99 latency of cheap requests (sign-in page, Account Lookup page, lookup step) while password checks saturate the pool",
            &format!("{} ms (last run: {last})", p99s.said(2)),
            "t_h, measured before and after each run",
            &ratios,
            Budget::AtMost(0.25),
            " t_h",
        );
        report.add(
            "the same with the hashing threads at ordinary priority (before issue 31), alternately in the same run",
            format!("{} ms", p99s_before.said(2)),
            "the same t_h".into(),
            format!("{} t_h", ratios_before.said(2)),
            "(reported)",
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

        // Completed wizard flows under 1.5x the hashing limit: three runs.
        let cpu0 = cpu_now();
        let t0 = Instant::now();
        let (flows, rates, offered) = flow_runs(&run, cores, per_run, "sqlite").await;
        let cpu1 = cpu_now();
        let wall = t0.elapsed().as_secs_f64();
        let sqlite_cpu = cpu_said(&cpu0, &cpu1, wall, cores);
        println!("  (during the flows, {sqlite_cpu})");
        report.runs(
            "completed wizard flows/s at an offered load of 1.5x the hashing limit (SQLite)",
            &format!("{} flows/s ({offered}; over the runs, {sqlite_cpu})", rates.said(1)),
            &format!("limit = {cores} cores / ({HASHES_PER_FLOW} hashes x t_h with every core hashing), measured before and after each run: {:.1} flows/s at the start", cores as f64 / (HASHES_PER_FLOW * t_h_all)),
            &flows,
            Budget::AtLeast(0.9),
            "",
        );

        // Sign-ins near the limit, and while pages flood the cores.
        sign_in::figures(&mut report, &run, "SQLite", t_h_all, cores).await;
        sign_in::make_logins(&run, "flooded", 4000).await;
        let started = Instant::now();
        let quiet = sign_in::closed_loop(&base, "flooded", 0..2000, 8, started + Duration::from_secs(3)).await;
        let quiet = quiet.done as f64 / started.elapsed().as_secs_f64();
        let (flooded, pages, rescued) = cheap::sign_ins_under_page_flood(&run, "flooded", 2000..4000, 64, 3.0).await;
        report.add(
            "sign-ins/s (eight clients, many logins) while 64 clients load pages as fast as they are answered (SQLite)",
            format!("{flooded:.1} sign-ins/s beside {pages:.0} pages/s ({rescued} hashes run by the rescuer)"),
            format!("the same sign-ins with no pages: {quiet:.1} sign-ins/s"),
            format!("{:.2}", flooded / quiet),
            "reported: hashing is not starved (> 0)",
        );

        let (flows, rates, offered) = flow_runs(&before, cores, per_run, "ordinary").await;
        report.runs(
            "the same flows with the hashing threads at ordinary priority (before issue 31), SQLite",
            &format!("{} flows/s ({offered})", rates.said(1)),
            "the same limit",
            &flows,
            Budget::AtLeast(0.0),
            "",
        );
        before.state.store.pool().close().await;
        let _ = std::fs::remove_file(&before_file);

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
        assert_eq!(&payload[..], b"\"None\"", "the bare handlers answer the same bytes");
        // Alternately, three runs of each.
        let (mut sfs, mut layereds, mut bares, mut ratios, mut bare_ratios) =
            (Runs::default(), Runs::default(), Runs::default(), Runs::default(), Runs::default());
        for _ in 0..RUNS {
            let sf = post_rate(conc, format!("{base}/api/wizard/state")).await;
            let layered = post_rate(conc, format!("{base}/bench/bare")).await;
            let b = post_rate(conc, format!("{bare_base}/bare")).await;
            sfs.push(sf);
            layereds.push(layered);
            bares.push(b);
            ratios.push(sf / layered);
            bare_ratios.push(sf / b);
        }
        report.runs(
            &format!("requests/s of a trivial server function (wizard/state, {} bytes)", payload.len()),
            &format!("{} req/s", sfs.said(0)),
            &format!("a bare axum handler, same payload, behind the same layers: {} req/s", layereds.said(0)),
            &ratios,
            Budget::AtLeast(0.7),
            "",
        );
        report.add(
            "the same, against a bare axum handler with no layers at all (the cost of headers, CSP nonce, form check and Leptos together)",
            format!("{} req/s", sfs.said(0)),
            format!("{} req/s", bares.said(0)),
            bare_ratios.said(2),
            "(reported)",
        );

        // A server-rendered wizard page over the same bytes as a static file.
        let page = reqwest::Client::new().get(format!("{base}/wizard/lookup")).send().await.unwrap().bytes().await.unwrap();
        let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("bench-static.html"), &page).unwrap();
        let (pb, sb) = (base.clone(), base.clone());
        let (mut ssrs, mut stats, mut ratios) = (Runs::default(), Runs::default(), Runs::default());
        for _ in 0..RUNS {
            let (pb, sb) = (pb.clone(), sb.clone());
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
            ssrs.push(ssr);
            stats.push(stat);
            ratios.push(ssr / stat);
        }
        let _ = std::fs::remove_file(site.join("bench-static.html"));
        report.runs(
            &format!("requests/s of the server-rendered Account Lookup page ({} bytes, brotli)", page.len()),
            &format!("{} req/s", ssrs.said(0)),
            &format!("the same bytes as a static file: {} req/s", stats.said(0)),
            &ratios,
            Budget::AtLeast(0.5),
            "",
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
        if !interactive_only {
            browser::lighthouse(&mut report, &base);
            browser::navigation(&mut report, &base);
        }
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
            let cpu0 = cpu_now();
            let t0 = Instant::now();
            let (flows, rates, offered) = flow_runs(&run, cores, per_run, "pg").await;
            let pg_cpu = cpu_said(&cpu0, &cpu_now(), t0.elapsed().as_secs_f64(), cores);
            println!("  (during the flows, {pg_cpu})");
            report.runs(
                "completed wizard flows/s at an offered load of 1.5x the hashing limit (PostgreSQL)",
                &format!("{} flows/s ({offered}; over the runs, {pg_cpu})", rates.said(1)),
                &format!("limit, measured before and after each run: {:.1} flows/s at the start", cores as f64 / (HASHES_PER_FLOW * t_h_all)),
                &flows,
                Budget::AtLeast(0.8),
                "",
            );
            sign_in::figures(&mut report, &run, "PostgreSQL", t_h_all, cores).await;
            run.state.store.pool().close().await;
            let _ = sqlx::Executor::execute(&mut conn, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
        });
    } else {
        println!("  PostgreSQL: nothing answers at 127.0.0.1:5432 and TEST_DATABASE_URL is not set; skipped");
    }

    if !interactive_only {
        // The second step's cost (a server of its own, on a fresh SQLite file).
        two_step::run(&mut report, &rt, &dir, &hashes, cores, t_h);

        // The operators' import (docs/import.md).
        import_figures::figures(&mut report, &rt, t_h, cores, &dir, postgres_url());

        // The operators' console (its pages and export with 1M events).
        console_figures::figures(&mut report, &rt, &dir);

        // Invitation campaigns: 100,000 mails against the outbox's own.
        campaign_figures::figures(&mut report, &rt, &dir);
    }

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
