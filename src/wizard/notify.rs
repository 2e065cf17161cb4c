//! The mail that follows a merge: a confirmation to the verified address, and
//! a notice to each old account's email of record. No secret in either.

use crate::domain::mask_tin_digits;
use crate::i18n::{text, text_of, Lang, Msg};
use crate::state::AppState;
use crate::store::LinkedAccount;
use tracing::warn;

fn listing(accounts: &[(i64, LinkedAccount, Option<String>)]) -> String {
    accounts
        .iter()
        .map(|(_, a, _)| {
            let tins: Vec<String> = a.tins.iter().map(|t| mask_tin_digits(t)).collect();
            format!("  - {} ({}), {}\n", a.practice, a.username, tins.join(", "))
        })
        .collect()
}

/// Sends the confirmation and the notices after the reply: the merge is
/// already committed, so a mail failure is logged, not shown, and the
/// provider never waits on the mail server.
pub fn after_merge(
    app: &AppState,
    lang: &Lang,
    verified_email: &str,
    accounts: Vec<(i64, LinkedAccount, Option<String>)>,
    now: i64,
) {
    let (app, lang, to) = (app.clone(), lang.clone(), verified_email.to_string());
    tokio::spawn(async move { send_after_merge(&app, &lang, &to, &accounts, now).await });
}

async fn send_after_merge(
    app: &AppState,
    lang: &Lang,
    verified_email: &str,
    accounts: &[(i64, LinkedAccount, Option<String>)],
    now: i64,
) {
    let when = crate::mail::utc_time(now);
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
