//! The mail that follows a merge: a confirmation to the verified address, and
//! a notice to each old account's email of record. No secret in either.
//! Written into the outbox in the merge's own transaction (flow::outbox):
//! committed with it, and delivered after the reply, retried until the
//! mail server takes it.

use crate::domain::mask_tin_digits;
use crate::flow::notme;
use crate::flow::outbox::Mail;
use crate::i18n::{text, text_of, Lang, Msg};
use crate::state::AppState;
use crate::store::LinkedAccount;

fn listing(accounts: &[(i64, LinkedAccount, Option<String>)]) -> String {
    accounts
        .iter()
        .map(|(_, a, _)| {
            let tins: Vec<String> = a.tins.iter().map(|t| mask_tin_digits(t)).collect();
            format!("  - {} ({}), {}\n", a.practice, a.username, tins.join(", "))
        })
        .collect()
}

/// The confirmation to `verified_email` and a notice to each other address
/// of record of `accounts`, merged at `now`; each with a "This wasn't me"
/// link of its own.
pub fn merge_mails(
    app: &AppState,
    lang: &Lang,
    verified_email: &str,
    accounts: &[(i64, LinkedAccount, Option<String>)],
    now: i64,
) -> Vec<Mail> {
    let when = crate::mail::utc_time(now);
    let list = listing(accounts);
    let (link, not_me) = notme::new_link(app, now);
    let mut mails = vec![Mail {
        kind: "merged",
        to: verified_email.to_string(),
        subject: text_of(lang, "mail-merged-subject"),
        body: text(
            lang,
            &Msg::new("mail-merged-body")
                .text("when", &when)
                .text("list", &list)
                .text("link", link),
        ),
        not_me: Some(not_me),
    }];
    for (_, account, email_of_record) in accounts {
        let Some(to) = email_of_record
            .as_deref()
            .filter(|e| !e.eq_ignore_ascii_case(verified_email))
        else {
            continue;
        };
        let (link, not_me) = notme::new_link(app, now);
        mails.push(Mail {
            kind: "notice",
            to: to.to_string(),
            subject: text_of(lang, "mail-notice-subject"),
            body: text(
                lang,
                &Msg::new("mail-notice-body")
                    .text("account", &account.username)
                    .text("practice", &account.practice)
                    .text("when", &when)
                    .text("list", &list)
                    .text("link", link),
            ),
            not_me: Some(not_me),
        });
    }
    mails
}
