//! The mail that follows a merge: a confirmation to the verified address, and
//! a notice to each old account's email of record. No secret in either.

use crate::domain::mask_tin_digits;
use crate::i18n::{text, text_of, Lang, Msg};
use crate::state::AppState;
use crate::store::LinkedAccount;
use tracing::warn;

/// `2026-11-25 14:03 UTC` from Unix seconds.
pub fn utc_time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

fn listing(accounts: &[(i64, LinkedAccount, Option<String>)]) -> String {
    accounts
        .iter()
        .map(|(_, a, _)| {
            let tins: Vec<String> = a.tins.iter().map(|t| mask_tin_digits(t)).collect();
            format!("  - {} ({}), {}\n", a.practice, a.username, tins.join(", "))
        })
        .collect()
}

/// Sends the confirmation and the notices. The merge is already committed, so
/// a mail failure is logged, not shown as a failure of the merge.
pub async fn after_merge(
    app: &AppState,
    lang: &Lang,
    verified_email: &str,
    accounts: &[(i64, LinkedAccount, Option<String>)],
    now: i64,
) {
    let when = utc_time(now);
    let list = listing(accounts);
    let confirmation = text(
        lang,
        &Msg::new("mail-merged-body")
            .text("when", &when)
            .text("list", &list),
    );
    if let Err(e) = app
        .mailer
        .send(
            verified_email,
            &text_of(lang, "mail-merged-subject"),
            &confirmation,
            now,
        )
        .await
    {
        warn!(error = %e, "could not send the consolidation confirmation");
    }
    for (_, account, email_of_record) in accounts {
        let Some(to) = email_of_record
            .as_deref()
            .filter(|e| !e.eq_ignore_ascii_case(verified_email))
        else {
            continue;
        };
        let body = text(
            lang,
            &Msg::new("mail-notice-body")
                .text("account", &account.username)
                .text("practice", &account.practice)
                .text("when", &when)
                .text("list", &list),
        );
        if let Err(e) = app
            .mailer
            .send(to, &text_of(lang, "mail-notice-subject"), &body, now)
            .await
        {
            warn!(error = %e, "could not send the notice to an email of record");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_time_formats_dates() {
        assert_eq!(super::utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc_time(1_795_574_580), "2026-11-25 02:43 UTC");
        assert_eq!(super::utc_time(951_782_400), "2000-02-29 00:00 UTC");
    }
}
