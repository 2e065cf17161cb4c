//! Flooding a mailbox with codes.

use super::*;

pub(crate) async fn mail_abuse(db: Db) {
    let Some(app) = app(db).await else { return };
    let b = Browser::new(&app);
    b.john_to("code", "flood@example.com").await;
    let first = app.latest_code("flood@example.com").await;
    let (_, page) = b.submit("/api/wizard/resend", &[]).await;
    stopped_if(
        "resend at once",
        app.mail_count().await == 1 && page.body.contains("less than a minute ago"),
        app.mail_count().await,
    );
    for _ in 0..4 {
        app.state.clock.advance(61);
        b.submit("/api/wizard/resend", &[]).await;
    }
    app.state.clock.advance(61);
    let (_, page) = b.submit("/api/wizard/resend", &[]).await;
    stopped_if(
        "a sixth code in an hour",
        app.mail_count().await == 5 && page.body.contains("5 codes in the last hour"),
        app.mail_count().await,
    );
    let (loc, _) = b.submit("/api/wizard/code", &[("code", &first)]).await;
    stopped_if("an older code after a new one", loc == "/wizard/code", loc);
    app.cleanup().await;

    // At most 10 code mails per address in 24 hours, across wizards and accounts.
    let Some(app) = self::app(db).await else {
        return;
    };
    let (loc, page) = eleven_code_flows(&app, any_account, |_| "victim@example.com".into()).await;
    stopped_if(
        "an 11th code flow to one address in a day",
        loc == "/wizard/email" && page.body.contains("10 codes") && app.mail_count().await == 10,
        format!("{loc}, {} mails", app.mail_count().await),
    );
    // A day later the address can get codes again.
    app.state.clock.advance(24 * 3600 + 1);
    let b = Browser::new(&app);
    b.to_step("code", MJONES, "123456789", "Rex", "victim@example.com")
        .await;
    assert_eq!(app.mail_count().await, 11);
    app.cleanup().await;

    // The same mailbox under other spellings (a +tag, dots at Gmail, the
    // other Gmail domain, capitals) counts as one address.
    let Some(app) = self::app(db).await else {
        return;
    };
    let spelt = |i: usize| match i % 3 {
        0 => format!("victim+{i}@gmail.com"),
        1 => format!("vic.tim+x{i}@googlemail.com"),
        _ => format!("V.I.C.T.I.M+{i}@Gmail.com"),
    };
    let (loc, _) = eleven_code_flows(&app, any_account, spelt).await;
    stopped_if(
        "an 11th code flow to one mailbox spelt another way",
        loc == "/wizard/email" && app.mail_count().await == 10,
        format!("{loc}, {} mails", app.mail_count().await),
    );
    app.cleanup().await;

    // At most 10 per old account, whatever the address.
    let Some(app) = self::app(db).await else {
        return;
    };
    let john = |_| (JOHN, JOHN_TIN, "Smith");
    let (loc, _) = eleven_code_flows(&app, john, |i| format!("a{i}@example.com")).await;
    stopped_if(
        "an 11th code flow for one old account in a day",
        loc == "/wizard/email"
            && app.mail_count().await == 10
            && audits(&app, "send_email_code", "refused: daily mail limit").await == 1,
        format!("{loc}, {} mails", app.mail_count().await),
    );
    app.cleanup().await;
}

/// The three demo accounts in turn (username, TIN, answer).
fn any_account(i: usize) -> (&'static str, &'static str, &'static str) {
    [
        (JOHN, JOHN_TIN, "Smith"),
        (BILLING, "061234567", "Hartford"),
        (MJONES, "123456789", "Rex"),
    ][i % 3]
}

/// Eleven wizards, the i-th for `account(i)`, each asking for a code to
/// `to(i)`: where the eleventh was sent, and its page.
async fn eleven_code_flows(
    app: &TestApp,
    account: impl Fn(usize) -> (&'static str, &'static str, &'static str),
    to: impl Fn(usize) -> String,
) -> (String, Page) {
    let mut last = None;
    for i in 0..11 {
        let (u, t, a) = account(i);
        let b = Browser::new(app);
        b.to_step("email", u, t, a, "").await;
        let to = to(i);
        let form = [("email", to.as_str()), ("verify_email", to.as_str())];
        last = Some(b.submit("/api/wizard/email", &form).await);
    }
    last.unwrap()
}
