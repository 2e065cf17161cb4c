//! Tries at a secret (a password, a security answer or PIN, a registration
//! code's TIN): taken before the secret is checked, so that parallel guesses
//! get no more than five checks between them, and counted only when the
//! check says wrong. A try still being checked is not a failure: a right
//! password is never refused because others were checked at the same time
//! (at worst the answer is "busy, try again"), and a try cut short by a
//! crash counts for nothing once its hold expires.

use super::limits::{BUSY_WAIT_MS, LOCK_SECS, TRY_HOLD_SECS, WRONG_TRIES};
use super::Stop;
use crate::state::AppState;
pub use crate::store::{Counter, Try};
use std::time::{Duration, Instant};

/// Takes a try at `counter`'s secret for `target` (what is guessed at,
/// named the same whether or not it exists; `row` is its counter's row if
/// it does). While the run's remaining tries are all being checked, waits
/// for one of them, up to [`BUSY_WAIT_MS`]; then answers [`Try::Busy`].
pub async fn take(
    app: &AppState,
    counter: Counter,
    target: &str,
    row: Option<i64>,
) -> Result<Try, Stop> {
    let give_up = Instant::now() + Duration::from_millis(BUSY_WAIT_MS);
    loop {
        let now = app.clock.now();
        let taken = app
            .store
            .take_try(counter, target, row, now, WRONG_TRIES, TRY_HOLD_SECS)
            .await?;
        if taken != Try::Busy || Instant::now() >= give_up {
            return Ok(taken);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The verdict on a try taken with [`take`]: right ends the run of wrong
/// tries, wrong counts one (the fifth in a row locks for 15 minutes). A try
/// that found the counter locked or busy has nothing to settle.
pub async fn settle(app: &AppState, taken: Try, right: bool) -> Result<(), Stop> {
    if let Try::Held(ticket) = taken {
        let now = app.clock.now();
        app.store
            .settle_try(ticket, right, now, WRONG_TRIES, LOCK_SECS)
            .await?;
    }
    Ok(())
}
