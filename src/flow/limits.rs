//! The security numbers every flow keeps (SECURITY.md says why each).

pub const WRONG_TRIES: i64 = 5;
pub const LOCK_SECS: i64 = 15 * 60;
pub const CODE_TTL_SECS: i64 = 10 * 60;
pub const CODE_TRIES: i64 = 5;
pub const RESEND_COOLDOWN_SECS: i64 = 60;
pub const SENDS_PER_HOUR: i64 = 5;
/// A flow ends after this long without a request...
pub const FLOW_IDLE_SECS: i64 = 15 * 60;
/// ...and this long after it began.
pub const FLOW_LIFETIME_SECS: i64 = 60 * 60;
/// Code mails per address and per account in 24 hours, across all flows
/// and instances (at most 10 code flows).
pub const MAILS_PER_DAY: i64 = 10;
pub const DAY_SECS: i64 = 24 * 3600;
/// A sign-in session ends after this long without a request...
pub const SESSION_IDLE_SECS: i64 = 30 * 60;
/// ...and this long after sign-in, however busy (checked on the server).
pub const SESSION_LIFETIME_SECS: i64 = 8 * 3600;
/// A try at a secret is held this long while it is checked (a check takes
/// well under a second: hashing is admitted only as far as the pool serves
/// in about a second); a try whose process died expires after it.
pub const TRY_HOLD_SECS: i64 = 10;
/// How long a try waits for a place while the run's remaining tries are
/// all being checked, before the answer is "busy, try again".
pub const BUSY_WAIT_MS: u64 = 3_000;

/// An operator's console session ends after 15 minutes without a request...
pub const OPS_IDLE_SECS: i64 = 15 * 60;
/// ...or 8 hours after sign-in, whichever comes first.
pub const OPS_LIFETIME_SECS: i64 = 8 * 3600;
/// A support verification code is good for 72 hours, once (five wrong
/// tries void it: store::SUPPORT_CODE_TRIES).
pub const SUPPORT_CODE_SECS: i64 = 72 * 3600;
