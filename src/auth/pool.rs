//! The hashing pool: argon2 off the async runtime, on a fixed set of
//! threads that run below everything else.
//!
//! Argon2 is the one piece of work here that may wait; a page never should.
//! On Linux the hashing threads therefore run under `SCHED_IDLE`: the
//! kernel gives them a core only when no ordinary thread (the runtime's
//! workers serving pages and steps, the database, the proxy) wants it, and
//! takes it back the moment one does. When nothing else runs, a hash takes
//! the same time as before: the policy decides who runs first, not how fast.
//!
//! Hashing cannot be starved, though: should the pool finish no job for
//! [`RESCUE_AFTER`] while jobs are queued (the cores kept busy by other
//! work), a rescuer thread at ordinary priority takes the queued jobs
//! itself, one after another, until the pool moves again or nothing is
//! queued: hashing then gets an ordinary thread's share of the cores. Its
//! work area is allocated for the rescue and freed after it.
//!
//! Elsewhere (macOS, Windows, the BSDs) the threads keep the ordinary
//! priority: hashing and pages share the cores as equals, as they did
//! before, and the rescuer never has anything to do.

use super::{hash_blocking, hash_with, random_token, verify_with};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

type Job = Box<dyn FnOnce(&mut Vec<argon2::Block>) + Send>;

/// How long the pool may finish nothing while jobs wait before the rescuer
/// steps in: several hashes' time at production parameters (15-40 ms each
/// on the machines measured), so that it never runs while the pool works.
pub const RESCUE_AFTER: Duration = Duration::from_millis(100);

/// A request's place among those allowed to hash; given back on drop.
pub struct Admission(Arc<AtomicUsize>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Argon2 work off the async runtime, on a fixed set of threads (one per
/// core by default), each with its own 19 MiB work area allocated once. A
/// flood of password attempts queues here and cannot starve the async
/// workers that serve every other request; memory stays at pool size x
/// 19 MiB however many attempts arrive (plus one area during a rescue).
#[derive(Clone)]
pub struct HashPool {
    jobs: mpsc::Sender<Job>,
    size: usize,
    /// Jobs queued or running.
    waiting: Arc<AtomicUsize>,
    /// Jobs finished by the pool's threads (the rescuer's are `rescued`).
    finished: Arc<AtomicU64>,
    /// Jobs the rescuer ran.
    rescued: Arc<AtomicU64>,
    /// Requests admitted to hash (see [`HashPool::admit`]), and their limit.
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
    /// Whether the hashing threads run below the others (Linux).
    lowered: bool,
    /// A real hash of nothing anyone knows: unknown accounts are verified
    /// against it, so they cost the same time as known ones.
    dummy: Arc<String>,
}

/// Where the hashing threads run among the process's threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Below every other thread (`SCHED_IDLE` on Linux), with the rescuer.
    Lowest,
    /// As every other thread: how the pool ran before issue 31 (kept for
    /// `make bench`, which measures both in one run).
    Ordinary,
}

impl HashPool {
    /// `size` threads below every other thread.
    pub fn new(size: usize) -> Self {
        Self::with_priority(size, Priority::Lowest)
    }

    pub fn with_priority(size: usize, priority: Priority) -> Self {
        let size = size.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let finished = Arc::new(AtomicU64::new(0));
        let (said_tx, said) = mpsc::channel::<bool>();
        for i in 0..size {
            let (queue, finished, said_tx) = (queue.clone(), finished.clone(), said_tx.clone());
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    let _ = said_tx.send(priority == Priority::Lowest && run_below_others());
                    drop(said_tx);
                    let mut memory = Vec::new();
                    loop {
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => {
                                job(&mut memory);
                                finished.fetch_add(1, Ordering::Release);
                            }
                            // Every sender is gone: the pool was dropped.
                            Err(_) => return,
                        }
                    }
                })
                .expect("spawn a hashing thread");
        }
        drop(said_tx);
        let lowered = said.iter().take(size).all(|lowered| lowered);
        let waiting = Arc::new(AtomicUsize::new(0));
        let rescued = Arc::new(AtomicU64::new(0));
        if lowered {
            let watch = Watch {
                queue: Arc::downgrade(&queue),
                waiting: waiting.clone(),
                finished: finished.clone(),
                rescued: rescued.clone(),
            };
            std::thread::Builder::new()
                .name("argon2-rescue".into())
                .spawn(move || watch.run())
                .expect("spawn the hashing pool's rescuer");
        }
        drop(queue);
        Self {
            jobs,
            size,
            waiting,
            finished,
            rescued,
            admitted: Arc::new(AtomicUsize::new(0)),
            // About a second of work per thread at production parameters.
            max_admitted: size * 64,
            lowered,
            dummy: Arc::new(hash_blocking(&random_token())),
        }
    }

    /// One thread per core.
    pub fn per_core() -> Self {
        Self::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    }

    /// How many hashes run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the hashing threads run below every other thread
    /// (`SCHED_IDLE`, Linux); false elsewhere, or where the system refused.
    pub fn lowered(&self) -> bool {
        self.lowered
    }

    /// Admits one request that will hash, or `None` when as many are in
    /// already as the pool can serve in about a second: such a request is
    /// refused at once (429) rather than queued without bound. The place is
    /// given back when the returned value is dropped.
    pub fn admit(&self) -> Option<Admission> {
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.max_admitted {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Admission(self.admitted.clone()))
    }

    /// How many requests may hash at once (queued or running).
    pub fn max_admitted(&self) -> usize {
        self.max_admitted
    }

    /// Requests admitted to hash now.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Relaxed)
    }

    /// Jobs queued or running now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Jobs finished since the pool began (by its threads or the rescuer).
    pub fn finished(&self) -> u64 {
        self.finished.load(Ordering::Relaxed) + self.rescued.load(Ordering::Relaxed)
    }

    /// Jobs the rescuer ran because the pool had finished none for
    /// [`RESCUE_AFTER`] while jobs waited.
    pub fn rescued(&self) -> u64 {
        self.rescued.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<argon2::Block>) -> T + Send + 'static,
    ) -> T {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let waiting = self.waiting.clone();
        waiting.fetch_add(1, Ordering::Relaxed);
        self.jobs
            .send(Box::new(move |memory| {
                let out = f(memory);
                // Counted down when done, even if the caller has gone.
                waiting.fetch_sub(1, Ordering::Relaxed);
                let _ = tx.send(out);
            }))
            .expect("the hashing threads outlive the pool");
        rx.await.expect("a hashing thread answers every job")
    }

    pub async fn hash(&self, secret: String) -> String {
        self.run(move |m| hash_with(m, &secret)).await
    }

    /// Verifies `secret` against `phc`, or against the dummy hash when there
    /// is no account (always false, same cost).
    pub async fn verify(&self, phc: Option<String>, secret: String) -> bool {
        let (phc, real) = match phc {
            Some(p) => (p, true),
            None => ((*self.dummy).clone(), false),
        };
        let ok = self.run(move |m| verify_with(m, &phc, &secret)).await;
        ok && real
    }
}

/// The rescuer's view of the pool. It holds the queue weakly, so it ends
/// when the pool does.
struct Watch {
    queue: std::sync::Weak<Mutex<mpsc::Receiver<Job>>>,
    waiting: Arc<AtomicUsize>,
    finished: Arc<AtomicU64>,
    rescued: Arc<AtomicU64>,
}

impl Watch {
    fn run(self) {
        let mut seen = self.finished.load(Ordering::Acquire);
        loop {
            std::thread::sleep(RESCUE_AFTER);
            let mut memory = Vec::new();
            // While the pool finishes nothing, run what is queued.
            while self.finished.load(Ordering::Acquire) == seen
                && self.waiting.load(Ordering::Relaxed) > 0
            {
                let Some(queue) = self.queue.upgrade() else {
                    return;
                };
                // A hashing thread waiting for work holds the lock, and
                // then nothing is queued: only a free lock can hide a job.
                let job = match queue.try_lock() {
                    Ok(q) => q.try_recv().ok(),
                    Err(_) => None,
                };
                drop(queue);
                let Some(job) = job else {
                    break;
                };
                job(&mut memory);
                self.rescued.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("a hash waited for the cores: the rescuer ran it");
            }
            seen = self.finished.load(Ordering::Acquire);
            if self.queue.strong_count() == 0 {
                return;
            }
        }
    }
}

/// Puts the calling thread below every ordinary thread: `SCHED_IDLE` on
/// Linux (`sched_setscheduler` with pid 0 applies to the calling thread
/// only). Needs no privilege and survives systemd's `RestrictRealtime=`
/// (which forbids only the real-time policies) and `@system-service`.
/// Returns whether it took effect.
#[cfg(target_os = "linux")]
fn run_below_others() -> bool {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: pid 0 names the calling thread; `param` is a valid
    // sched_param that outlives the call, and SCHED_IDLE requires priority 0.
    let rc = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
    if rc != 0 {
        tracing::warn!(
            error = %std::io::Error::last_os_error(),
            "the hashing threads could not be put below the others (SCHED_IDLE): they share the cores with the pages as equals"
        );
    }
    rc == 0
}

/// Elsewhere the hashing threads keep the ordinary priority.
#[cfg(not(target_os = "linux"))]
fn run_below_others() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy of a thread of this process, read from /proc.
    #[cfg(target_os = "linux")]
    fn policy_of(name: &str) -> Vec<u32> {
        let mut found = Vec::new();
        for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if comm.trim() != name {
                continue;
            }
            // A thread of another test's pool may end meanwhile.
            let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
                continue;
            };
            let Some((_, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            // Field 41 of stat is the policy; `rest` starts at field 3.
            let policy = rest.split_whitespace().nth(41 - 3).unwrap();
            found.push(policy.parse().unwrap());
        }
        found
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_run_below_the_others() {
        let pool = HashPool::new(1);
        assert!(pool.lowered(), "SCHED_IDLE refused");
        // Every argon2-0 of this process (other tests make pools too) is
        // SCHED_IDLE (5); the rescuer and this thread are SCHED_OTHER (0).
        let policies = policy_of("argon2-0");
        assert!(!policies.is_empty());
        assert!(
            policies.iter().all(|p| *p == libc::SCHED_IDLE as u32),
            "{policies:?}"
        );
        assert!(policy_of("argon2-rescue").iter().all(|p| *p == 0));
        // Hashing works as before.
        let phc = pool.hash("secret".into()).await;
        assert!(pool.verify(Some(phc), "secret".into()).await);
        // A job is counted once it has answered: wait for the count.
        let until = std::time::Instant::now() + Duration::from_secs(10);
        while pool.finished() < 2 && std::time::Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(pool.finished(), 2);
    }

    /// A pool whose threads are all busy with jobs that never end (as if
    /// the cores were never free for them) still gets the queued work done.
    #[tokio::test]
    async fn the_rescuer_runs_what_the_pool_cannot() {
        let pool = HashPool::new(1);
        if !pool.lowered() {
            return; // No rescuer where the threads are not lowered.
        }
        // Jam the pool's only thread. On a busy machine that thread (below
        // every other) may not have reached the queue yet, and the rescuer
        // may take the jamming job itself: then the job ends at once and
        // another is sent, until one holds argon2-0.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = Arc::new(Mutex::new(held));
        let stuck = loop {
            let (started_tx, started) = tokio::sync::oneshot::channel::<bool>();
            let held = held.clone();
            let job = {
                let pool = pool.clone();
                tokio::spawn(async move {
                    pool.run(move |_| {
                        let jammed = std::thread::current().name() == Some("argon2-0");
                        let _ = started_tx.send(jammed);
                        if jammed {
                            let _ = held.lock().unwrap().recv();
                        }
                    })
                    .await
                })
            };
            if started.await.unwrap() {
                break job;
            }
            job.await.unwrap();
        };
        let before = pool.rescued();
        let phc = tokio::time::timeout(Duration::from_secs(10), pool.hash("secret".into()))
            .await
            .expect("the queued hash is rescued");
        assert!(crate::auth::verify_blocking(&phc, "secret"));
        // The rescuer counts a job once it has answered: wait for the count.
        let until = std::time::Instant::now() + Duration::from_secs(10);
        while pool.rescued() == before && std::time::Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(pool.rescued(), before + 1);
        release.send(()).unwrap();
        stuck.await.unwrap();
    }
}
