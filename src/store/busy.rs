//! How an SQLite connection waits for the one write lock.
//!
//! SQLite's own wait (`busy_timeout`) sleeps 1, 2, 5, 10, 15, 20, 25 ms
//! ... between tries, whatever the lock's holder is doing: a writer that
//! found the lock taken three times has slept 8 ms, four times 18 ms, while
//! the writes it waited behind took a fraction of a millisecond each. Under
//! a flood of sign-ins that was most of a lookup step's time.
//!
//! Here a connection tries again every quarter of a millisecond for the
//! first 10 ms, then every millisecond, and gives up after 5 s as before.
//! SQLite offers no way to set this through sqlx (which sets its own
//! `busy_timeout` on every connection it opens), so every connection of
//! this process gets an SQL function, `portal_short_waits()`, through
//! SQLite's automatic extensions; the pool calls it once per connection,
//! after sqlx's settings.

use libsqlite3_sys as ffi;
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The statement that gives a connection the short waits (run once per
/// connection, after it is opened).
pub const SHORT_WAITS: &str = "SELECT portal_short_waits()";

/// Tries in quick steps, then in steps of [`SLOW`]: together
/// [`QUICK_TRIES`] x [`QUICK`] + ([`MAX_TRIES`] - [`QUICK_TRIES`]) x
/// [`SLOW`], about 5 s.
const QUICK: Duration = Duration::from_micros(250);
const QUICK_TRIES: c_int = 40;
const SLOW: Duration = Duration::from_millis(1);
const MAX_TRIES: c_int = QUICK_TRIES + 4_990;

/// Makes `portal_short_waits()` known to every SQLite connection this
/// process opens from now on (once per process).
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `register` has the signature SQLite calls an automatic
        // extension with, and lives as long as the process.
        let rc = unsafe { ffi::sqlite3_auto_extension(Some(register)) };
        if rc != ffi::SQLITE_OK {
            tracing::warn!(
                rc,
                "SQLite's short waits for the write lock are not installed"
            );
        }
    });
}

/// Called by SQLite for each new connection: defines the function.
unsafe extern "C" fn register(
    db: *mut ffi::sqlite3,
    _error: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: `db` is the connection being opened; the name is a static C
    // string; the function has the signature SQLite calls it with.
    unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            c"portal_short_waits".as_ptr(),
            0,
            ffi::SQLITE_UTF8,
            std::ptr::null_mut(),
            Some(short_waits),
            None,
            None,
            None,
        )
    }
}

/// `portal_short_waits()`: puts [`wait`] in place of the connection's busy
/// handler; returns 1 if it took.
unsafe extern "C" fn short_waits(
    ctx: *mut ffi::sqlite3_context,
    _argc: c_int,
    _argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: `ctx` is the call's context, valid for the call; the handler
    // needs no argument.
    unsafe {
        let db = ffi::sqlite3_context_db_handle(ctx);
        let rc = ffi::sqlite3_busy_handler(db, Some(wait), std::ptr::null_mut());
        ffi::sqlite3_result_int(ctx, c_int::from(rc == ffi::SQLITE_OK));
    }
}

/// Waits for the write lock so far in this process (all connections).
static WAITS: AtomicU64 = AtomicU64::new(0);

/// How many times a connection of this process found SQLite's write lock
/// taken and waited (`portal_sqlite_lock_waits_total`).
pub fn waits() -> u64 {
    WAITS.load(Ordering::Relaxed)
}

/// The busy handler: `tries` is how often it was called for this lock
/// already; a non-zero answer means "try again".
unsafe extern "C" fn wait(_arg: *mut c_void, tries: c_int) -> c_int {
    if tries >= MAX_TRIES {
        return 0;
    }
    WAITS.fetch_add(1, Ordering::Relaxed);
    std::thread::sleep(if tries < QUICK_TRIES { QUICK } else { SLOW });
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A writer that finds the lock taken waits in the short steps (the
    /// count moves), and writes once the lock is free.
    #[tokio::test]
    async fn a_writer_waits_for_the_lock_in_short_steps() {
        let dir = std::env::temp_dir().join(format!("busy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.display());
        let store = Store::connect(&url).await.unwrap();
        let mut holder = store.begin_write().await.unwrap();
        sqlx::query("INSERT INTO rate_events (key, at) VALUES ('held', 1)")
            .execute(&mut *holder)
            .await
            .unwrap();
        let before = waits();
        let writer = {
            let store = store.clone();
            tokio::spawn(async move {
                sqlx::query("INSERT INTO rate_events (key, at) VALUES ('waited', 2)")
                    .execute(store.pool())
                    .await
            })
        };
        // Whatever the machine's speed: the writer has waited once the
        // count moved (SQLite's own handler would never move it).
        let until = std::time::Instant::now() + Duration::from_secs(20);
        while waits() == before {
            assert!(
                std::time::Instant::now() < until,
                "the writer never waited in short steps (SQLite's own busy handler?)"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        holder.commit().await.unwrap();
        writer.await.unwrap().expect("the writer got the lock");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_events")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(n, 2);
        store.pool().close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_waits_add_up_to_about_five_seconds() {
        let total = QUICK * QUICK_TRIES as u32 + SLOW * (MAX_TRIES - QUICK_TRIES) as u32;
        assert_eq!(total, Duration::from_millis(5_000));
    }
}
