//! Running an import: rows read on a thread of their own, checked, and
//! written a chunk at a time. A row's keyed digest (under APP_SECRET, so
//! that it gives no clear secret away) tells an unchanged row at once: a
//! re-run, or a run after an interrupted one, redoes no hashing and writes
//! nothing for the rows already in.

use super::read::{read_rows, FileFormat, FileProblem, Item};
use super::row::{self, ImportRow, Reject, Secret};
use crate::auth::{keyed_hash, HashPool};
use crate::store::{AuditEvent, ImportWrite, Imported, Store, UsernameOwner};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// Rows per transaction unless `--chunk` says otherwise. Measured (100k
/// rows, docs/performance.md): 1,000 against 500 takes less time on both
/// databases; more holds more rows in memory (2,000: +54 MB at 1M rows).
/// An interrupted run loses at most one chunk's work, which a re-run
/// redoes.
pub const DEFAULT_CHUNK: usize = 1000;

/// How to run.
pub struct Options {
    /// Check every row against the file and the database; write nothing.
    pub dry_run: bool,
    /// Rows per transaction.
    pub chunk: usize,
    /// Who runs it (for the audit trail).
    pub who: String,
    /// The file's name (for the audit trail).
    pub file_name: String,
    /// When the run began (Unix seconds): the accounts it loads were
    /// imported then (a campaign may pick those imported before a date).
    pub at: i64,
}

/// What a run did so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub rejected: u64,
    /// Rows taken whose hashes are of a weak format.
    pub weak: u64,
    /// The file's SHA-256 (hex), once read to its end.
    pub file_sha256: String,
}

impl Summary {
    pub fn line(&self) -> String {
        format!(
            "{} rows: {} inserted, {} updated, {} unchanged, {} skipped (already consolidated), {} rejected; {} with a weak hash",
            self.rows, self.inserted, self.updated, self.unchanged, self.skipped, self.rejected, self.weak
        )
    }
}

/// Why a run stopped before the end of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// A sentence (never a secret).
    pub message: String,
    /// The file cannot be used at all (its header, say): nothing was
    /// read or written. Otherwise the chunks written before stay written.
    pub unusable: bool,
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A line of the report: a refused row, or a weak hash taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub line: u64,
    pub legacy_id: String,
    pub code: &'static str,
    pub message: String,
    pub rejected: bool,
}

/// What became of one checked row before writing.
enum Plan {
    Unchanged,
    Skipped,
    Refused(Reject),
    /// A new account (`existing` None) or an update.
    Write {
        existing: Option<i64>,
    },
}

/// One row of a chunk, read and checked on the reading thread.
struct Entry {
    line: u64,
    legacy_id: String,
    checked: Result<Ready, Reject>,
}

/// A row that passed its checks, with what its keyed hashes need worked
/// out once, on the reading thread, while the database writes the chunk
/// before.
struct Ready {
    row: ImportRow,
    /// The keyed digest of everything the row says.
    digest: String,
    /// The username's key (case and compatibility forms folded).
    name_key: String,
    /// Each TIN's keyed hash and last four digits.
    tins: Vec<(String, String)>,
}

impl Entry {
    fn of(item: Item, key: &[u8]) -> Entry {
        let legacy_id = match &item.row {
            Ok(r) => r.legacy_id(),
            Err(_) => String::new(),
        };
        let checked = item.row.and_then(|r| row::check(&r)).map(|row| Ready {
            digest: digest(key, &row),
            name_key: row.username.key(),
            tins: row
                .tins
                .iter()
                .map(|t| (crate::auth::tin_hash(key, t.digits()), t.last4()))
                .collect(),
            row,
        });
        Entry {
            line: item.line,
            legacy_id,
            checked,
        }
    }
}

/// Runs an import of `input`; `report` gets each refused row and each
/// weak hash taken, `progress` the counts after each chunk. `bytes`
/// counts what was read. `Err` says why it stopped: the file cannot be
/// used (nothing done), or the file or the database failed midway (the
/// chunks written before stay written).
#[allow(clippy::too_many_arguments)]
pub async fn run(
    store: &Store,
    hasher: &HashPool,
    key: &[u8],
    format: FileFormat,
    input: impl std::io::Read + Send + 'static,
    bytes: Arc<AtomicU64>,
    opts: &Options,
    mut report: impl FnMut(&Reported),
    mut progress: impl FnMut(&Summary),
) -> Result<Summary, Stopped> {
    let chunk = opts.chunk.max(1);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Entry>>(2);
    let counter = bytes.clone();
    let thread_key = key.to_vec();
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(chunk);
        let sha = read_rows(format, input, &counter, |item| {
            batch.push(Entry::of(item, &thread_key));
            if batch.len() == chunk {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(chunk));
                return tx.blocking_send(full).is_ok();
            }
            true
        })?;
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        Ok::<_, FileProblem>(sha)
    });
    let run_id = crate::auth::random_token()[..16].to_string();
    let mut summary = Summary::default();
    // Rows repeated within the file that the database cannot tell (a dry
    // run writes nothing; a row found unchanged is not written again) are
    // found here: 64-bit fingerprints, a few bytes a row.
    let mut seen = Seen::default();
    let mut failed = None;
    while let Some(entries) = rx.recv().await {
        let step = Chunk {
            store,
            hasher,
            run: &run_id,
            dry_run: opts.dry_run,
            at: opts.at,
        };
        if let Err(e) = step
            .run(entries, &mut summary, &mut seen, &mut report)
            .await
        {
            failed = Some(format!("database: {e}"));
            break;
        }
        progress(&summary);
    }
    drop(rx);
    let read = reader
        .join()
        .unwrap_or_else(|_| Err(FileProblem::Failed("the reading thread failed".into())));
    let outcome = match (failed, &read) {
        (Some(e), _) => Err(Stopped {
            message: e,
            unusable: false,
        }),
        (None, Err(e)) => Err(Stopped {
            message: e.to_string(),
            unusable: matches!(e, FileProblem::Unusable(_)),
        }),
        (None, Ok(sha)) => {
            summary.file_sha256 = sha.clone();
            Ok(summary.clone())
        }
    };
    audit(store, opts, &summary, &outcome).await;
    outcome
}

/// One audit event a run, whatever its outcome (logged if it cannot be
/// recorded, e.g. the database is down).
async fn audit(
    store: &Store,
    opts: &Options,
    summary: &Summary,
    outcome: &Result<Summary, Stopped>,
) {
    let action = if opts.dry_run {
        "import (dry run)"
    } else {
        "import"
    };
    let what = match outcome {
        Ok(s) => format!(
            "ok: {} (sha256 {}): {}",
            opts.file_name,
            s.file_sha256,
            s.line()
        ),
        Err(e) => format!(
            "failed: {}: {e}; before that, {}",
            opts.file_name,
            summary.line()
        ),
    };
    let now = crate::state::Clock::default().now();
    let who = format!("operator:{}", opts.who);
    let event = AuditEvent {
        flow_id: None,
        legacy_account_id: None,
        address: &who,
        action,
        outcome: &what,
    };
    if let Err(e) = store.audit(now, &event).await {
        eprintln!("could not record the audit event ({e}): {action} by {who}: {what}");
    }
}

#[derive(Default)]
struct Seen {
    /// A dry run's keys and usernames that would be written.
    keys: HashSet<u64>,
    usernames: HashSet<u64>,
    /// The keys of rows found unchanged: a later row of the file with the
    /// same key is a repeat, as on the run that wrote the first (else a
    /// re-run would write the repeat over the account).
    unchanged: HashSet<u64>,
    state: std::hash::RandomState,
}

impl Seen {
    fn first(
        set: &mut HashSet<u64>,
        state: &std::hash::RandomState,
        v: impl std::hash::Hash,
    ) -> bool {
        set.insert(state.hash_one(v))
    }
}

struct Chunk<'a> {
    store: &'a Store,
    hasher: &'a HashPool,
    run: &'a str,
    dry_run: bool,
    at: i64,
}

impl Chunk<'_> {
    async fn run(
        &self,
        entries: Vec<Entry>,
        summary: &mut Summary,
        seen: &mut Seen,
        report: &mut impl FnMut(&Reported),
    ) -> Result<(), sqlx::Error> {
        let rows: Vec<&Ready> = entries
            .iter()
            .filter_map(|e| e.checked.as_ref().ok())
            .collect();
        let keys: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.row.source.as_str(), r.row.legacy_id.as_str()))
            .collect();
        let refs: Vec<&str> = rows.iter().map(|r| r.name_key.as_str()).collect();
        let imported = self.store.imported(&keys).await?;
        let owners = self.store.username_owners(&refs).await?;
        let mut in_chunk_keys = HashSet::new();
        let mut in_chunk_names = HashSet::new();
        let mut plans = Vec::with_capacity(entries.len());
        for e in &entries {
            summary.rows += 1;
            let plan = match &e.checked {
                Err(r) => Plan::Refused(r.clone()),
                Ok(ready) => {
                    let key = (ready.row.source.as_str(), ready.row.legacy_id.as_str());
                    let print = seen.state.hash_one(key);
                    let plan = if seen.unchanged.contains(&print) {
                        Plan::Refused(duplicate_key())
                    } else {
                        self.plan(ready, &imported, &owners, seen)
                    };
                    if matches!(plan, Plan::Unchanged) {
                        seen.unchanged.insert(print);
                    }
                    match plan {
                        Plan::Write { .. } if !in_chunk_keys.insert(key) => {
                            Plan::Refused(duplicate_key())
                        }
                        Plan::Write { .. } if !in_chunk_names.insert(ready.name_key.as_str()) => {
                            Plan::Refused(duplicate_username())
                        }
                        p => p,
                    }
                }
            };
            plans.push(plan);
        }
        // Secrets in clear are hashed on the pool, every core at once.
        let mut writes = Vec::new();
        let mut written_entries = Vec::new();
        for (e, plan) in entries.iter().zip(&plans) {
            if let (Plan::Write { existing }, Ok(ready)) = (plan, &e.checked) {
                if self.dry_run {
                    count_write(summary, existing.is_some(), true);
                    note_weak(summary, report, e, &ready.row);
                    continue;
                }
                writes.push(self.prepare(ready, *existing));
                written_entries.push(e);
            }
        }
        let mut ready = Vec::with_capacity(writes.len());
        for w in writes {
            ready.push(w.done().await);
        }
        let writes: Vec<ImportWrite<'_>> = ready;
        let done = match self.store.import_chunk(&writes, self.at).await {
            Ok(done) => done.into_iter().map(Ok).collect::<Vec<_>>(),
            // A username taken meanwhile (another import at once): one row
            // at a time, so that only the row at fault is refused.
            Err(e) if is_unique_violation(&e) => {
                let mut each = Vec::new();
                for w in &writes {
                    each.push(
                        match self
                            .store
                            .import_chunk(std::slice::from_ref(w), self.at)
                            .await
                        {
                            Ok(d) => Ok(d[0]),
                            Err(e) if is_unique_violation(&e) => Err(taken(None)),
                            Err(e) => return Err(e),
                        },
                    );
                }
                each
            }
            Err(e) => return Err(e),
        };
        // Report in the file's order.
        let mut outcome_of: HashMap<u64, Result<bool, Reject>> = HashMap::new();
        for (e, d) in written_entries.iter().zip(done) {
            outcome_of.insert(e.line, d);
        }
        for (e, plan) in entries.iter().zip(plans) {
            match plan {
                Plan::Unchanged => summary.unchanged += 1,
                Plan::Skipped => summary.skipped += 1,
                Plan::Refused(r) => refuse(summary, report, e, r),
                Plan::Write { existing, .. } if !self.dry_run => match outcome_of.remove(&e.line) {
                    Some(Ok(written)) => {
                        count_write(summary, existing.is_some(), written);
                        if written {
                            if let Ok(ready) = &e.checked {
                                note_weak(summary, report, e, &ready.row);
                            }
                        }
                    }
                    Some(Err(r)) => refuse(summary, report, e, r),
                    None => {}
                },
                Plan::Write { .. } => {}
            }
        }
        Ok(())
    }

    fn plan(
        &self,
        ready: &Ready,
        imported: &HashMap<(String, String), Imported>,
        owners: &HashMap<String, UsernameOwner>,
        seen: &mut Seen,
    ) -> Plan {
        let row = &ready.row;
        let key = (row.source.clone(), row.legacy_id.clone());
        let existing = imported.get(&key);
        let key = (row.source.as_str(), row.legacy_id.as_str());
        if let Some(e) = existing {
            if e.run.as_deref() == Some(self.run) {
                return Plan::Refused(duplicate_key());
            }
            if e.digest.as_deref() == Some(ready.digest.as_str()) {
                return Plan::Unchanged;
            }
            if e.consolidated {
                return Plan::Skipped;
            }
        }
        let name = &ready.name_key;
        if let Some(o) = owners.get(name) {
            if Some(o.id) != existing.map(|e| e.id) {
                return Plan::Refused(if o.run.as_deref() == Some(self.run) {
                    duplicate_username()
                } else {
                    taken(o.source.as_deref())
                });
            }
        }
        if self.dry_run {
            if !Seen::first(&mut seen.keys, &seen.state, key) {
                return Plan::Refused(duplicate_key());
            }
            if !Seen::first(&mut seen.usernames, &seen.state, name) {
                return Plan::Refused(duplicate_username());
            }
        }
        Plan::Write {
            existing: existing.map(|e| e.id),
        }
    }

    /// The write of `row`, its clear secrets being hashed on the pool
    /// (each a task of its own, so that a chunk keeps every core busy).
    fn prepare<'r>(&'r self, ready: &'r Ready, existing: Option<i64>) -> Pending<'r> {
        let row = &ready.row;
        let answer = match &row.answer {
            Secret::Clear(a) if row.answer_as_typed => {
                Secret::Clear(crate::domain::answer_as_typed(a))
            }
            Secret::Clear(a) => Secret::Clear(crate::domain::normalise_answer(a)),
            hashed => hashed.clone(),
        };
        let pin = match &row.pin {
            Secret::Clear(p) => Secret::Clear(p.trim().to_string()),
            hashed => hashed.clone(),
        };
        Pending {
            ready,
            existing,
            run: self.run,
            hashes: [
                Hash::start(self.hasher, row.password.clone()),
                Hash::start(self.hasher, answer),
                Hash::start(self.hasher, pin),
            ],
        }
    }
}

/// A secret's hash: as the file gave it, or being made on the pool.
enum Hash {
    Given(String),
    Making(tokio::task::JoinHandle<String>),
}

impl Hash {
    fn start(hasher: &HashPool, s: Secret) -> Hash {
        match s {
            Secret::Hashed(h, _) => Hash::Given(h),
            Secret::Clear(c) => {
                let hasher = hasher.clone();
                Hash::Making(tokio::spawn(async move { hasher.hash(c).await }))
            }
        }
    }

    async fn done(self) -> String {
        match self {
            Hash::Given(h) => h,
            Hash::Making(task) => task.await.expect("a hashing task does not panic"),
        }
    }
}

/// A write whose hashes are being made.
struct Pending<'r> {
    ready: &'r Ready,
    existing: Option<i64>,
    run: &'r str,
    hashes: [Hash; 3],
}

impl<'r> Pending<'r> {
    async fn done(self) -> ImportWrite<'r> {
        let [password, answer, pin] = self.hashes;
        let row = &self.ready.row;
        ImportWrite {
            id: self.existing,
            source: &row.source,
            legacy_id: &row.legacy_id,
            username: row.username.as_str(),
            username_key: &self.ready.name_key,
            tins: &self.ready.tins,
            practice: &row.practice,
            role: &row.role,
            email: row.email.as_ref().map(|e| e.as_str()),
            question: &row.question,
            password_hash: password.done().await,
            answer_hash: answer.done().await,
            pin_hash: pin.done().await,
            answer_as_typed: row.answer_as_typed,
            digest: &self.ready.digest,
            run: self.run,
        }
    }
}

/// The keyed digest of everything a row says.
pub fn digest(key: &[u8], row: &ImportRow) -> String {
    let parts = row.canonical();
    let mut all = vec!["import-row"];
    all.extend(parts.iter().map(String::as_str));
    keyed_hash(key, &all)
}

fn count_write(summary: &mut Summary, update: bool, written: bool) {
    match (written, update) {
        (false, _) => summary.skipped += 1,
        (true, true) => summary.updated += 1,
        (true, false) => summary.inserted += 1,
    }
}

fn refuse(summary: &mut Summary, report: &mut impl FnMut(&Reported), e: &Entry, r: Reject) {
    summary.rejected += 1;
    report(&Reported {
        line: e.line,
        legacy_id: e.legacy_id.clone(),
        code: r.code,
        message: r.message,
        rejected: true,
    });
}

fn note_weak(
    summary: &mut Summary,
    report: &mut impl FnMut(&Reported),
    e: &Entry,
    row: &ImportRow,
) {
    let weak = row.weak_formats();
    if weak.is_empty() {
        return;
    }
    summary.weak += 1;
    report(&Reported {
        line: e.line,
        legacy_id: e.legacy_id.clone(),
        code: "weak-hash",
        message: format!(
            "taken; its {} hash is weak: ask the provider to consolidate soon (the new login gets argon2id).",
            weak.join(" and ")
        ),
        rejected: false,
    });
}

fn duplicate_key() -> Reject {
    Reject::new(
        "duplicate-legacy-id",
        "an earlier row of this file has the same source and legacy_id.",
    )
}

fn duplicate_username() -> Reject {
    Reject::new(
        "duplicate-username",
        "an earlier row of this file has the same username (case does not count).",
    )
}

fn taken(source: Option<&str>) -> Reject {
    Reject::new(
        "username-taken",
        match source {
            Some(s) => format!("the username is already another old account's (source {s})."),
            None => "the username is already another old account's.".to_string(),
        },
    )
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
