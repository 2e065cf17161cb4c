//! Refusals at the edge, written together (issue 31).
//!
//! A refusal is recorded aggregated: one event per address, action,
//! outcome and minute, and a count beside it (`audit_repeats`). Written one
//! by one, a flood of refused requests (a client retrying what the hashing
//! pool refused with 429) made a write transaction each: on SQLite, where
//! one writer writes at a time, a provider's lookup then queued behind
//! hundreds of them. Now a refusal joins a queue, and one writer at a time
//! takes the whole queue and writes it in one transaction: one statement
//! pair per minute's bucket however many refusals it counts. A caller still
//! waits until its refusal is written (and learns its count); under no
//! load a refusal is written at once, alone, as before.

use super::{DbResult, Store};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Mutex;

/// A refusal waiting to be written, and where its count goes.
struct Pending {
    bucket: String,
    minute: i64,
    address: String,
    action: String,
    outcome: String,
    target: Option<String>,
    done: tokio::sync::oneshot::Sender<Result<i64, String>>,
}

/// The refusals waiting, and whether a writer is at work on them.
#[derive(Default)]
pub(crate) struct Queue {
    waiting: Mutex<(Vec<Pending>, bool)>,
}

impl Queue {
    /// The queue, locked (a panic while it was held poisons nothing here:
    /// its state is whole after every statement).
    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<Pending>, bool)> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store {
    /// Records a refusal at the edge, aggregated: one event per address,
    /// action, outcome and minute, written once, and its count kept beside
    /// it in `audit_repeats` (the trail itself is append-only). Returns the
    /// count so far (1 for the first of its minute). Written with the other
    /// refusals waiting at that moment, in one transaction (module doc).
    pub async fn audit_refusal(
        &self,
        now: i64,
        address: &str,
        action: &str,
        outcome: &str,
        target: Option<&str>,
    ) -> DbResult<i64> {
        let minute = now - now.rem_euclid(60);
        let (done, written) = tokio::sync::oneshot::channel();
        let lead = {
            let mut q = self.refusals.lock();
            q.0.push(Pending {
                bucket: format!("{minute}|{address}|{action}|{outcome}"),
                minute,
                address: address.into(),
                action: action.into(),
                outcome: outcome.into(),
                target: target.map(str::to_string),
                done,
            });
            !std::mem::replace(&mut q.1, true)
        };
        if lead {
            // The writer is a task of its own: whoever asked may be gone
            // (a request cancelled) before the queue is empty.
            let store = self.clone();
            tokio::spawn(async move { store.write_refusals().await });
        }
        match written.await {
            Ok(Ok(n)) => Ok(n),
            Ok(Err(e)) => Err(sqlx::Error::Protocol(e)),
            Err(_) => Err(sqlx::Error::Protocol("the refusal was not written".into())),
        }
    }

    /// Writes what waits, batch after batch, until nothing does.
    async fn write_refusals(&self) {
        loop {
            let batch = {
                let mut q = self.refusals.lock();
                if q.0.is_empty() {
                    q.1 = false;
                    return;
                }
                std::mem::take(&mut q.0)
            };
            match self.write_batch(&batch).await {
                Ok(counts) => {
                    for (p, n) in batch.into_iter().zip(counts) {
                        let _ = p.done.send(Ok(n));
                    }
                }
                Err(e) => {
                    let said = e.to_string();
                    for p in batch {
                        let _ = p.done.send(Err(said.clone()));
                    }
                }
            }
        }
    }

    /// One transaction for `batch`: per bucket, its count raised by the
    /// refusals it holds, and its event written if these are its first.
    /// Each refusal's count, in order.
    async fn write_batch(&self, batch: &[Pending]) -> DbResult<Vec<i64>> {
        let mut per_bucket: HashMap<&str, (usize, i64)> = HashMap::new();
        let mut order = Vec::new();
        for (i, p) in batch.iter().enumerate() {
            let e = per_bucket.entry(&p.bucket).or_insert_with(|| {
                order.push(i);
                (i, 0)
            });
            e.1 += 1;
        }
        let mut after: HashMap<&str, i64> = HashMap::new();
        let mut tx = self.begin_write().await?;
        for i in order {
            let p = &batch[i];
            let k = per_bucket[p.bucket.as_str()].1;
            // A count is made once and only ever added to (migration 0014:
            // on SQLite an INSERT of an existing bucket does nothing, so
            // that REPLACE cannot reset it; an upsert would be ignored whole).
            sqlx::query(
                "INSERT INTO audit_repeats (bucket, repeats) VALUES ($1, 0) \
                 ON CONFLICT (bucket) DO NOTHING",
            )
            .bind(&p.bucket)
            .execute(&mut *tx)
            .await?;
            let repeats: i64 = sqlx::query(
                "UPDATE audit_repeats SET repeats = repeats + $2 WHERE bucket = $1 RETURNING repeats",
            )
            .bind(&p.bucket)
            .bind(k)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            if repeats == k {
                sqlx::query(
                    "INSERT INTO audit_events (at, flow_id, legacy_account_id, address, action, outcome, repeats, bucket, target) \
                     VALUES ($1, NULL, NULL, $2, $3, $4, 1, $5, $6)",
                )
                .bind(p.minute)
                .bind(&p.address)
                .bind(&p.action)
                .bind(&p.outcome)
                .bind(&p.bucket)
                .bind(p.target.as_deref())
                .execute(&mut *tx)
                .await?;
            }
            after.insert(&p.bucket, repeats - k);
        }
        super::commit(tx).await?;
        // Each refusal's count: its bucket's count before, plus its place.
        Ok(batch
            .iter()
            .map(|p| {
                let n = after
                    .get_mut(p.bucket.as_str())
                    .expect("every bucket written");
                *n += 1;
                *n
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;

    /// Refusals sent together are counted together: each gets its own
    /// count, the bucket's event is written once, and its count is the sum.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refusals_together_are_counted_once_each() {
        let dir = std::env::temp_dir().join(format!("pp-refusals-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/r.db?mode=rwc", dir.display());
        let store = Store::connect(&url).await.unwrap();
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.audit_refusal(120, "10.0.0.1", "sign_in", "refused: busy", None)
                    .await
            }));
        }
        let mut counts = Vec::new();
        for t in tasks {
            counts.push(t.await.unwrap().unwrap());
        }
        counts.sort();
        assert_eq!(counts, (1..=50).collect::<Vec<i64>>());
        let (events, repeats): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in'), \
                    (SELECT repeats FROM audit_repeats WHERE bucket = '120|10.0.0.1|sign_in|refused: busy')",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!((events, repeats), (1, 50));
        store.pool().close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
