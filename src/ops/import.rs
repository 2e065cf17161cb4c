//! `provider-portal import FILE [--format csv|jsonl] [--dry-run] [--report FILE]`:
//! the old portals' accounts into the database (docs/import.md), with a
//! progress bar on a terminal and a progress line every few seconds
//! otherwise, then a summary. Exit code: 0 every row in, 1 a row was
//! rejected, 2 the command, the settings or the file's header are wrong
//! (nothing done), 3 the file or the database failed midway (run it
//! again: it finishes the rest).

use crate::domain::sheet::neutralised;
use crate::import::{self, FileFormat, Options, Reported, Summary};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const USAGE: &str =
    "usage: provider-portal import FILE [--format csv|jsonl] [--dry-run] [--report FILE]";

/// What `import` was asked for.
#[derive(Debug, PartialEq)]
pub struct ImportArgs {
    pub file: PathBuf,
    pub format: FileFormat,
    pub dry_run: bool,
    pub report: Option<PathBuf>,
    pub chunk: usize,
}

/// Reads `import`'s options; `Err` says what is wrong, in a sentence.
pub fn parse(args: &[String]) -> Result<ImportArgs, String> {
    let mut file = None;
    let mut format = None;
    let mut dry_run = false;
    let mut report = None;
    let mut chunk = crate::import::DEFAULT_CHUNK;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--dry-run" => dry_run = true,
            "--format" => {
                let v = value()?;
                format = Some(
                    FileFormat::from_name(&format!("x.{v}"))
                        .ok_or_else(|| format!("--format: {v:?} is not csv or jsonl"))?,
                );
            }
            "--report" => report = Some(PathBuf::from(value()?)),
            "--chunk" => {
                let v = value()?;
                chunk = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=5000).contains(n))
                    .ok_or_else(|| format!("--chunk: {v:?} is not a number from 1 to 5000"))?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag:?}")),
            path if file.is_none() => file = Some(PathBuf::from(path)),
            extra => return Err(format!("one file at a time ({extra:?} is a second)")),
        }
    }
    let file = file.ok_or("the file to import is required")?;
    let format = match format {
        Some(f) => f,
        None => FileFormat::from_name(&file.to_string_lossy()).ok_or_else(|| {
            format!(
                "{}: name it .csv or .jsonl, or say --format",
                file.display()
            )
        })?,
    };
    Ok(ImportArgs {
        file,
        format,
        dry_run,
        report,
        chunk,
    })
}

/// Who runs the command, for the audit trail.
fn operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    match host.trim() {
        "" => user,
        h => format!("{user}@{h}"),
    }
}

/// Runs the import; returns the exit code.
pub async fn run(a: ImportArgs) -> i32 {
    let settings = match crate::config::Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("configuration: {e}");
            return 2;
        }
    };
    let file = match std::fs::File::open(&a.file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot open {}: {e}", a.file.display());
            return 2;
        }
    };
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut report = match &a.report {
        None => None,
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => {
                let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
                let _ = w.write_record(["line", "legacy_id", "code", "outcome", "message"]);
                Some(w)
            }
            Err(e) => {
                eprintln!("cannot write the report {}: {e}", p.display());
                return 2;
            }
        },
    };
    let store = match crate::store::Store::connect(settings.database_url.expose()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("database: {e}");
            return 3;
        }
    };
    let key = match crate::server::app_key(&settings, &store).await {
        Ok(k) => k,
        Err(e) => {
            eprintln!("{e}");
            return 3;
        }
    };
    let hasher = crate::auth::HashPool::per_core();
    let opts = Options {
        dry_run: a.dry_run,
        chunk: a.chunk,
        who: operator(),
        file_name: a.file.display().to_string(),
        at: crate::state::Clock::default().now(),
    };
    let bytes = Arc::new(AtomicU64::new(0));
    // Both callbacks show on it, one at a time.
    let shown = std::cell::RefCell::new(Progress::new(total, bytes.clone()));
    let mut rejected_shown = 0;
    let result = import::run(
        &store,
        &hasher,
        &key,
        a.format,
        std::io::BufReader::new(file),
        bytes.clone(),
        &opts,
        |r: &Reported| {
            if let Some(w) = report.as_mut() {
                // Operators open the report in a spreadsheet: no cell of
                // it (the file's legacy_id above all) runs as a formula.
                let line = r.line.to_string();
                let outcome = if r.rejected { "rejected" } else { "taken" };
                let cells = [line.as_str(), &r.legacy_id, r.code, outcome, &r.message];
                let _ = w.write_record(cells.map(|c| neutralised(c).into_owned()));
            }
            // The first few on the terminal too; the report has them all.
            if r.rejected && rejected_shown < 10 {
                rejected_shown += 1;
                shown.borrow().println(&format!(
                    "line {}: {} ({}): {}",
                    r.line, r.code, r.legacy_id, r.message
                ));
            }
        },
        |s: &Summary| shown.borrow_mut().update(s),
    )
    .await;
    shown.borrow().finish();
    if let Some(mut w) = report {
        if let Err(e) = w.flush() {
            eprintln!("the report could not be written whole: {e}");
        }
    }
    let dry = if a.dry_run {
        " (dry run: nothing written)"
    } else {
        ""
    };
    match result {
        Ok(s) => {
            println!("{}{dry}", s.line());
            if s.rejected > 0 {
                if let Some(p) = &a.report {
                    println!("rejected rows are listed in {}", p.display());
                }
                1
            } else {
                0
            }
        }
        Err(e) if e.unusable => {
            eprintln!("the file cannot be used: {e}. Nothing was imported.");
            2
        }
        Err(e) => {
            eprintln!(
                "the import stopped: {e}. What was written stays; run the same command again to finish the rest."
            );
            3
        }
    }
}

/// A progress bar on a terminal; otherwise a line every five seconds.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    last_line: Instant,
    bytes: Arc<AtomicU64>,
    total: u64,
}

impl Progress {
    fn new(total: u64, bytes: Arc<AtomicU64>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}%  {msg}  ETA {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        Self {
            bar,
            started: Instant::now(),
            last_line: Instant::now(),
            bytes,
            total,
        }
    }

    fn rate(&self, s: &Summary) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        format!("{} rows, {:.0} rows/s", s.rows, s.rows as f64 / secs)
    }

    fn update(&mut self, s: &Summary) {
        let read = self.bytes.load(Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.set_position(read);
                bar.set_message(self.rate(s));
            }
            None if self.last_line.elapsed() >= Duration::from_secs(5) => {
                self.last_line = Instant::now();
                let pct = (read * 100).checked_div(self.total).unwrap_or(100);
                eprintln!("import: {pct}% of the file, {}", self.rate(s));
            }
            None => {}
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_are_read_and_checked() {
        let a = parse(&args(&["accounts.csv"])).unwrap();
        assert_eq!(
            (a.format, a.dry_run, a.report, a.chunk),
            (FileFormat::Csv, false, None, crate::import::DEFAULT_CHUNK)
        );
        let a = parse(&args(&[
            "--dry-run",
            "x.txt",
            "--format",
            "jsonl",
            "--report",
            "r.csv",
        ]))
        .unwrap();
        assert_eq!((a.format, a.dry_run), (FileFormat::Jsonl, true));
        assert_eq!(a.report, Some(PathBuf::from("r.csv")));
        for (bad, says) in [
            (vec![], "required"),
            (vec!["x.txt"], "--format"),
            (vec!["a.csv", "--format", "xml"], "not csv or jsonl"),
            (vec!["a.csv", "b.csv"], "one file"),
            (vec!["a.csv", "--force"], "unknown option"),
            (vec!["a.csv", "--report"], "needs a value"),
        ] {
            let e = parse(&args(&bad)).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
