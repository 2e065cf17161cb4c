//! Invitation campaigns (issue 32): the old accounts not moved yet, one
//! mail per address listing its accounts, queued into the outbox at a set
//! rate, then reminders to the addresses that still hold accounts not
//! moved. Each account's link opens Account Lookup with its username filled
//! in (an opaque token: it proves nothing); every mail can be unsubscribed
//! from in one click (RFC 8058); a mail server's permanent refusal marks
//! the address as bouncing. Started from the console or the command line.

pub mod api;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;

use serde::{Deserialize, Serialize};

pub use ui::UnsubscribePage;

/// The statuses an old account may be picked by.
pub const STATUSES: [&str; 3] = ["not_started", "in_wizard", "stuck"];
/// The mail's languages.
pub const LANGS: [&str; 2] = ["en", "es"];
/// The highest rate, mails per hour.
pub const MOST_PER_HOUR: i64 = 1_000_000;
/// The most reminders, and the latest day one may be sent on.
pub const MOST_REMINDERS: usize = 5;
pub const LATEST_REMINDER_DAY: i64 = 365;

/// What the page shows of an unsubscribe link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UnsubscribeState {
    /// A live link: the address, masked, and whether it is unsubscribed.
    Ready {
        masked: String,
        done: bool,
    },
    /// Unknown link.
    Invalid,
    Fault(String),
}

/// Reminder days as typed (`7, 21` or `7 21`): rising, each from 1 to
/// [`LATEST_REMINDER_DAY`], at most [`MOST_REMINDERS`]; `Err` names the
/// catalogue key of what is wrong.
pub fn parse_reminders(typed: &str) -> Result<Vec<i64>, &'static str> {
    let mut days = Vec::new();
    for part in typed.split([',', ' ', ';']).filter(|p| !p.is_empty()) {
        let day = part
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=LATEST_REMINDER_DAY).contains(d))
            .ok_or("error-campaign-reminders")?;
        if days.last().is_some_and(|last| *last >= day) {
            return Err("error-campaign-reminders");
        }
        days.push(day);
    }
    if days.len() > MOST_REMINDERS {
        return Err("error-campaign-reminders");
    }
    Ok(days)
}

/// A rate as typed: mails per hour, 1 to [`MOST_PER_HOUR`].
pub fn parse_rate(typed: &str) -> Result<i64, &'static str> {
    typed
        .trim()
        .replace([',', '_'], "")
        .parse::<i64>()
        .ok()
        .filter(|r| (1..=MOST_PER_HOUR).contains(r))
        .ok_or("error-campaign-rate")
}

/// The milliseconds one mail takes of the pace at `per_hour`.
pub fn step_ms(per_hour: i64) -> i64 {
    (3_600_000 / per_hour.max(1)).max(1)
}

/// How many mails the pace allows at `now_ms`, at most `batch`, and where
/// the pace stands before they are counted: a pace left behind (a quiet
/// spell, a slow tick) gives at most one batch at once.
pub fn allowed(paced_ms: i64, now_ms: i64, per_hour: i64, batch: i64) -> (i64, i64) {
    let step = step_ms(per_hour);
    let from = paced_ms.max(now_ms - batch * step);
    (((now_ms - from) / step).clamp(0, batch), from)
}

/// When wave `wave + 1` (0: the invitation, then the reminders) is due
/// after the invitation went at `first_at`; None when there is none.
pub fn next_wave_at(first_at: i64, reminders: &[i64], waves_sent: usize) -> Option<i64> {
    // After the invitation (wave 1), the first reminder; after it, the second...
    reminders
        .get(waves_sent.checked_sub(1)?)
        .map(|days| first_at + days * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_rise_within_a_year() {
        assert_eq!(parse_reminders("7, 21"), Ok(vec![7, 21]));
        assert_eq!(parse_reminders(" 3 10;30 "), Ok(vec![3, 10, 30]));
        assert_eq!(parse_reminders(""), Ok(vec![]));
        for wrong in ["21, 7", "7, 7", "0", "366", "x", "1 2 3 4 5 6", "-1"] {
            assert_eq!(
                parse_reminders(wrong),
                Err("error-campaign-reminders"),
                "{wrong}"
            );
        }
    }

    #[test]
    fn a_rate_is_mails_per_hour() {
        assert_eq!(parse_rate("500"), Ok(500));
        assert_eq!(parse_rate(" 1,000 "), Ok(1000));
        assert!(parse_rate("0").is_err() && parse_rate("fast").is_err());
        assert!(parse_rate("1000001").is_err());
    }

    #[test]
    fn the_pace_allows_mails_as_time_passes_and_no_burst() {
        // 60 an hour: one a minute.
        assert_eq!(step_ms(60), 60_000);
        let start = 1_000_000_000;
        assert_eq!(allowed(start, start + 59_999, 60, 100), (0, start));
        assert_eq!(allowed(start, start + 3_600_000, 60, 100), (60, start));
        // A day behind: one batch, not 1,440 mails.
        let (n, from) = allowed(start, start + 86_400_000, 60, 100);
        assert_eq!(n, 100);
        assert_eq!(from, start + 86_400_000 - 100 * 60_000);
        // The pace ahead of now (another instance counted): none.
        assert_eq!(allowed(start + 60_000, start, 60, 100).0, 0);
    }

    #[test]
    fn reminders_are_due_days_after_the_invitation() {
        let first = 1_000;
        assert_eq!(
            next_wave_at(first, &[7, 21], 0),
            None,
            "the invitation is due at once"
        );
        assert_eq!(next_wave_at(first, &[7, 21], 1), Some(first + 7 * 86_400));
        assert_eq!(next_wave_at(first, &[7, 21], 2), Some(first + 21 * 86_400));
        assert_eq!(next_wave_at(first, &[7, 21], 3), None);
        assert_eq!(next_wave_at(first, &[], 1), None);
    }
}
