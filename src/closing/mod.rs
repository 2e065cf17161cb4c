//! Each old portal's closing date (issue 32), as providers meet it: the
//! sign-in page and the quick guide name the portals that close soon, and
//! after the date the wizard refuses a portal's accounts where the
//! operators chose so. Operators set the dates on the console's Closing
//! dates page (console::closing_ui).

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;

use serde::{Deserialize, Serialize};

pub use ui::ClosingNotices;

/// How many days ahead a closing date is named to providers.
pub const NOTICE_DAYS: i64 = 90;

/// An old portal that closes soon, as the sign-in page names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosingNotice {
    /// The portal's name as providers know it.
    pub name: String,
    /// The last day it works, `YYYY-MM-DD`.
    pub closes_on: String,
}

/// The notices of `closings` (name, last day, first second after it) at
/// `now`: the portals still open that close within [`NOTICE_DAYS`] days,
/// soonest first.
pub fn notices_at(closings: &[(String, String, i64)], now: i64) -> Vec<ClosingNotice> {
    let mut soon: Vec<&(String, String, i64)> = closings
        .iter()
        .filter(|(_, _, at)| (0..=NOTICE_DAYS).contains(&days_left(*at, now)))
        .collect();
    soon.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
    soon.into_iter()
        .map(|(name, on, _)| ClosingNotice {
            name: name.clone(),
            closes_on: on.clone(),
        })
        .collect()
}

/// Days from today (UTC) to the last day before `closes_at`: 0 when today
/// is the last day, below 0 once the portal has closed.
pub fn days_left(closes_at: i64, now: i64) -> i64 {
    (closes_at - 86_400).div_euclid(86_400) - now.div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn only_portals_closing_within_ninety_days_are_named() {
        // Now: noon on day 100.
        let now = 100 * DAY + DAY / 2;
        let c = |name: &str, last_day: i64| {
            (
                name.to_string(),
                format!("day {last_day}"),
                (last_day + 1) * DAY,
            )
        };
        let all = [
            c("later", 100 + 91),
            c("last", 100 + 90),
            c("today", 100),
            c("yesterday", 99),
            c("soon", 110),
        ];
        let names: Vec<String> = notices_at(&all, now).into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["today", "soon", "last"]);
    }

    #[test]
    fn days_left_count_calendar_days() {
        let now = 100 * DAY + 3_600;
        assert_eq!(days_left(101 * DAY, now), 0, "today is the last day");
        assert_eq!(days_left(102 * DAY, now), 1);
        assert_eq!(days_left(131 * DAY, now + 20 * 3_600), 30);
        assert!(days_left(100 * DAY, now) < 0, "closed");
    }
}

/// Unix seconds at the start of day `YYYY-MM-DD` (UTC; ASCII digits, a
/// day from 1970 to 2099); `None` if it is not one.
#[cfg(feature = "ssr")]
pub fn day_start(ymd: &str) -> Option<i64> {
    let b = ymd.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1970..2100).contains(&year) {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year as i32, month, u8::try_from(day).ok()?).ok()?;
    // Julian day 2440588 is 1970-01-01.
    Some((i64::from(date.to_julian_day()) - 2_440_588) * 86_400)
}

/// The first second after `YYYY-MM-DD`, UTC (a closing date's end);
/// `None` if it is not a day from 2000 to 2099.
#[cfg(feature = "ssr")]
pub fn end_of_day(ymd: &str) -> Option<i64> {
    const Y2K: i64 = 946_684_800;
    day_start(ymd)
        .filter(|start| *start >= Y2K)
        .map(|start| start + 86_400)
}

#[cfg(all(test, feature = "ssr"))]
mod day_tests {
    use super::end_of_day;

    #[test]
    fn a_closing_day_ends_at_midnight_utc() {
        // 2026-12-31 ends as 2027-01-01 begins: 1798761600.
        assert_eq!(end_of_day("2026-12-31"), Some(1_798_761_600));
        assert_eq!(end_of_day("2028-02-29"), Some(1_835_481_600));
        for wrong in [
            "2027-02-29",
            "2026-13-01",
            "2026-1-31",
            "31/12/2026",
            "1999-12-31",
            "2026-12-31x",
            "２０２６-12-31",
        ] {
            assert_eq!(end_of_day(wrong), None, "{wrong}");
        }
    }
}
