//! The import's figures (issue 16), each against a baseline of the same run:
//! rows/s of 100k rows whose secrets come hashed, over the database's own
//! bulk load of the same values (SQLite: one prepared INSERT per row in one
//! transaction; PostgreSQL: COPY); rows/s of 10k rows whose answer and PIN
//! come in clear, over the hashing limit cores / (2 x t_h); and the peak
//! RSS of the real command importing 1M rows against 10k rows.

use super::Report;
use provider_portal::import::{self, FileFormat, Options};
use provider_portal::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Hashes of other systems (tests/fixtures/legacy-hashes.tsv): bcrypt, SHA-512-crypt.
const BCRYPT: &str = "$2b$04$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi";
const SHA512: &str = "$6$saltsaltsalt$w3Ri28EnrN85AeM.oPKCwy2dvgz3hSHiSncSId8ibNirT7pM7CVFEXpwwq0H96KvYucpVTO.yW.UErijQN9fl.";
const HEADER: &str = "source,legacy_id,username,tins,practice,role,question,answer,answer_hash,pin,pin_hash,password_hash\n";

/// Writes `rows` rows; `clear` puts the answer and the PIN in clear.
pub(super) fn write_file(path: &Path, rows: usize, clear: bool) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(HEADER.as_bytes()).unwrap();
    for i in 0..rows {
        let tin = 100_000_000 + i;
        if clear {
            writeln!(f, "bench,B{i},bench{i},{tin},Bench Practice {},Billing staff,Your first school?,Oak Hill {i},,{},,{SHA512}", i % 97, 1000 + i % 9000).unwrap();
        } else {
            writeln!(f, "bench,B{i},bench{i},{tin};{},Bench Practice {},Billing staff,Your first school?,,{BCRYPT},,{BCRYPT},{SHA512}", tin + 1, i % 97).unwrap();
        }
    }
    f.flush().unwrap();
}

pub(super) async fn fresh_sqlite(dir: &Path, name: &str) -> (String, PathBuf) {
    let file = dir.join(format!("{name}-{}.db", std::process::id()));
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
    }
    (format!("sqlite://{}?mode=rwc", file.display()), file)
}

/// Imports the CSV file at `path` into `store`, as the command does (its
/// default chunk); what the run did.
pub async fn import_csv(
    store: &Store,
    hasher: &provider_portal::auth::HashPool,
    key: &[u8],
    path: &Path,
) -> import::Summary {
    import::run(
        store,
        hasher,
        key,
        FileFormat::Csv,
        std::io::BufReader::new(std::fs::File::open(path).unwrap()),
        Arc::new(AtomicU64::new(0)),
        &Options {
            dry_run: false,
            chunk: import::DEFAULT_CHUNK,
            who: "bench".into(),
            file_name: path.display().to_string(),
            at: provider_portal::state::Clock::default().now(),
        },
        |_| {},
        |_| {},
    )
    .await
    .expect("the import runs")
}

/// rows/s of the import of `path` into the database at `url`.
async fn import_rate(url: &str, path: &Path) -> (f64, import::Summary) {
    let store = Store::connect(url).await.expect("database");
    let key = b"bench-key".to_vec();
    let hasher = provider_portal::auth::HashPool::per_core();
    let t = Instant::now();
    let s = import_csv(&store, &hasher, &key, path).await;
    let rate = s.rows as f64 / t.elapsed().as_secs_f64();
    store.pool().close().await;
    (rate, s)
}

/// The same values as the import writes, precomputed, loaded by the
/// database's own bulk path: rows/s.
async fn bulk_rate(url: &str, rows: usize, postgres: bool) -> f64 {
    let store = Store::connect(url).await.expect("database");
    let key = b"bench-key";
    let accounts: Vec<[String; 13]> = (0..rows)
        .map(|i| {
            let name = format!("bench{i}");
            [
                name.clone(),
                provider_portal::domain::username_key(&name),
                SHA512.into(),
                "Your first school?".into(),
                BCRYPT.into(),
                BCRYPT.into(),
                format!("Bench Practice {}", i % 97),
                "Billing staff".into(),
                "bench".into(),
                format!("B{i}"),
                provider_portal::auth::keyed_hash(key, &["row", &name]),
                "run".into(),
                "0".into(),
            ]
        })
        .collect();
    let tins: Vec<(usize, String, String)> = (0..rows)
        .flat_map(|i| {
            let t = 100_000_000 + i;
            [t, t + 1].map(|t| {
                let d = t.to_string();
                (
                    i + 1,
                    provider_portal::auth::tin_hash(key, &d),
                    d[5..].to_string(),
                )
            })
        })
        .collect();
    let started = Instant::now();
    if postgres {
        use sqlx::postgres::PgPoolCopyExt;
        let pg = sqlx::PgPool::connect(url).await.unwrap();
        let mut copy = pg
            .copy_in_raw("COPY legacy_accounts (username, username_key, password_hash, question, answer_hash, pin_hash, practice, role, source, legacy_id, row_digest, import_run, answer_as_typed) FROM STDIN")
            .await
            .unwrap();
        let mut buf = String::new();
        for a in &accounts {
            buf.push_str(&a.join("\t"));
            buf.push('\n');
            if buf.len() > 1 << 20 {
                copy.send(std::mem::take(&mut buf).into_bytes())
                    .await
                    .unwrap();
            }
        }
        copy.send(buf.into_bytes()).await.unwrap();
        copy.finish().await.unwrap();
        let mut copy = pg
            .copy_in_raw("COPY legacy_tins (legacy_account_id, tin, last4) FROM STDIN")
            .await
            .unwrap();
        let mut buf = String::new();
        for (id, tin, last4) in &tins {
            buf.push_str(&format!("{id}\t{tin}\t{last4}\n"));
        }
        copy.send(buf.into_bytes()).await.unwrap();
        copy.finish().await.unwrap();
        pg.close().await;
    } else {
        let mut tx = store.pool().begin().await.unwrap();
        for a in &accounts {
            let mut q = sqlx::query("INSERT INTO legacy_accounts (username, username_key, password_hash, question, answer_hash, pin_hash, practice, role, source, legacy_id, row_digest, import_run, answer_as_typed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
            for (k, v) in a.iter().enumerate() {
                q = if k == 12 {
                    q.bind(0i64)
                } else {
                    q.bind(v.as_str())
                };
            }
            q.execute(&mut *tx).await.unwrap();
        }
        for (id, tin, last4) in &tins {
            sqlx::query(
                "INSERT INTO legacy_tins (legacy_account_id, tin, last4) VALUES ($1, $2, $3)",
            )
            .bind(*id as i64)
            .bind(tin.as_str())
            .bind(last4.as_str())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    store.pool().close().await;
    rate
}

/// Peak RSS (VmHWM, KiB) of the real command importing `path`, sampled
/// until it exits; and its wall time.
fn command_peak(url: &str, path: &Path) -> (u64, Duration) {
    let t = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_provider-portal"))
        .args(["import", path.to_str().unwrap()])
        .env("DATABASE_URL", url)
        .env("APP_SECRET", "bench-secret-bench-secret-bench-secret")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the provider-portal binary");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            if let Some(kib) = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (peak, t.elapsed())
}

pub fn figures(
    report: &mut Report,
    rt: &tokio::runtime::Runtime,
    t_h: f64,
    cores: usize,
    dir: &Path,
    pg_admin: Option<String>,
) {
    let hashed = dir.join("import-100k.csv");
    write_file(&hashed, 100_000, false);
    rt.block_on(async {
        let (url, file) = fresh_sqlite(dir, "import").await;
        let (rate, s) = import_rate(&url, &hashed).await;
        assert_eq!(s.inserted, 100_000, "{s:?}");
        let (burl, bfile) = fresh_sqlite(dir, "bulk").await;
        let bulk = bulk_rate(&burl, 100_000, false).await;
        report.add(
            "import rows/s, 100k rows with hashed secrets (SQLite)",
            format!("{rate:.0} rows/s"),
            format!("one prepared INSERT per row in one transaction: {bulk:.0} rows/s"),
            format!("{:.2}", rate / bulk),
            ">= 0.5",
        );
        for f in [file, bfile] {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", f.display()));
            }
        }
        if let Some(admin) = &pg_admin {
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin)
                .await
                .expect("PostgreSQL");
            let base = admin.rsplit_once('/').unwrap().0.to_string();
            let mut rates = Vec::new();
            for which in ["import", "copy"] {
                let name = format!("pp_bench_{which}_{}", std::process::id());
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .unwrap();
                let url = format!("{base}/{name}");
                rates.push(if which == "import" {
                    import_rate(&url, &hashed).await.0
                } else {
                    bulk_rate(&url, 100_000, true).await
                });
                let _ = sqlx::Executor::execute(
                    &mut conn,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                )
                .await;
            }
            report.add(
                "import rows/s, 100k rows with hashed secrets (PostgreSQL)",
                format!("{:.0} rows/s", rates[0]),
                format!("COPY of the same values: {:.0} rows/s", rates[1]),
                format!("{:.2}", rates[0] / rates[1]),
                ">= 0.5",
            );
        }
        // Answer and PIN in clear: two argon2 hashes a row.
        let clear = dir.join("import-10k-clear.csv");
        write_file(&clear, 10_000, true);
        let (url, file) = fresh_sqlite(dir, "clear").await;
        let (rate, _) = import_rate(&url, &clear).await;
        let limit = cores as f64 / (2.0 * t_h);
        report.add(
            "import rows/s, 10k rows with answer and PIN in clear (SQLite)",
            format!("{rate:.1} rows/s"),
            format!("hashing limit cores / (2 x t_h) = {limit:.1} rows/s"),
            format!("{:.2}", rate / limit),
            ">= 0.8",
        );
        let _ = std::fs::remove_file(&clear);
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
        }
    });
    let _ = std::fs::remove_file(&hashed);
    // Memory: the real command, 10k rows and 1M rows.
    let mut peaks = Vec::new();
    for rows in [10_000, 1_000_000] {
        let path = dir.join(format!("import-{rows}.csv"));
        write_file(&path, rows, false);
        let (url, file) = rt.block_on(fresh_sqlite(dir, &format!("rss-{rows}")));
        let (kib, took) = command_peak(&url, &path);
        peaks.push((rows, kib, took));
        let _ = std::fs::remove_file(&path);
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
        }
    }
    let (small, large) = (peaks[0], peaks[1]);
    report.add(
        "peak RSS of provider-portal import, 1M rows (SQLite)",
        format!(
            "{:.1} MiB (1M rows in {:.0} s)",
            large.1 as f64 / 1024.0,
            large.2.as_secs_f64()
        ),
        format!("10k rows: {:.1} MiB", small.1 as f64 / 1024.0),
        format!("{:+.1} MiB", (large.1 as f64 - small.1 as f64) / 1024.0),
        "<= +50 MB",
    );
}
