/// When something happened, as the mail says it: `2026-11-25 14:03 UTC`
/// from Unix seconds.
pub fn utc_time(secs: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// The UTC day of `secs`, `2026-11-25`.
pub fn utc_day(secs: i64) -> String {
    utc_time(secs).chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_time_formats_dates() {
        assert_eq!(super::utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc_time(1_795_574_580), "2026-11-25 02:43 UTC");
        assert_eq!(super::utc_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(super::utc_day(1_795_574_580), "2026-11-25");
    }
}
