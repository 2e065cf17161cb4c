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
    let accounts = [
        (JOHN, JOHN_TIN, "Smith"),
        (BILLING, "061234567", "Hartford"),
        (MJONES, "123456789", "Rex"),
    ];
    for i in 0..11 {
        let (u, t, a) = accounts[i % 3];
        let b = Browser::new(&app);
        b.to_step("email", u, t, a, "").await;
        let (loc, page) = b
            .submit(
                "/api/wizard/email",
                &[
                    ("email", "victim@example.com"),
                    ("verify_email", "victim@example.com"),
                ],
            )
            .await;
        if i == 10 {
            stopped_if(
                "an 11th code flow to one address in a day",
                loc == "/wizard/email"
                    && page.body.contains("10 codes")
                    && app.mail_count().await == 10,
                format!("{loc}, {} mails", app.mail_count().await),
            );
        }
    }
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
    for i in 0..11 {
        let (u, t, a) = accounts[i % 3];
        let b = Browser::new(&app);
        b.to_step("email", u, t, a, "").await;
        let to = match i % 3 {
            0 => format!("victim+{i}@gmail.com"),
            1 => format!("vic.tim+x{i}@googlemail.com"),
            _ => format!("V.I.C.T.I.M+{i}@Gmail.com"),
        };
        let (loc, _) = b
            .submit(
                "/api/wizard/email",
                &[("email", &to), ("verify_email", &to)],
            )
            .await;
        if i == 10 {
            stopped_if(
                "an 11th code flow to one mailbox spelt another way",
                loc == "/wizard/email" && app.mail_count().await == 10,
                format!("{loc}, {} mails", app.mail_count().await),
            );
        }
    }
    app.cleanup().await;

    // At most 10 per old account, whatever the address.
    let Some(app) = self::app(db).await else {
        return;
    };
    for i in 0..11 {
        let b = Browser::new(&app);
        b.john_to("email", "").await;
        let to = format!("a{i}@example.com");
        let (loc, _) = b
            .submit(
                "/api/wizard/email",
                &[("email", &to), ("verify_email", &to)],
            )
            .await;
        if i == 10 {
            stopped_if(
                "an 11th code flow for one old account in a day",
                loc == "/wizard/email"
                    && app.mail_count().await == 10
                    && audits(&app, "send_email_code", "refused: daily mail limit").await == 1,
                format!("{loc}, {} mails", app.mail_count().await),
            );
        }
    }
    app.cleanup().await;
}
