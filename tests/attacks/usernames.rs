//! Usernames that look like another: a new login may not be named so that
//! it reads as an existing one.

use super::*;

pub(crate) async fn look_alike_usernames(db: Db) {
    let Some(app) = app(db).await else { return };
    let b = Browser::new(&app);
    let (loc, _) = b
        .submit(
            "/api/register/start",
            &[
                ("registration_code", "DEMO-REG1-2026"),
                ("tin", "456789012"),
            ],
        )
        .await;
    assert_eq!(loc, "/register/account");
    // `mjones` is an old account's username (it becomes a login when
    // consolidated), so none of these may be registered.
    for (what, name) in [
        ("with a zero-width space", "mjones\u{200B}"),
        ("in fullwidth letters", "ｍｊｏｎｅｓ"),
        ("with a Cyrillic je", "m\u{0458}ones"),
        ("behind a right-to-left override", "\u{202E}senojm"),
        ("with a soft hyphen", "mjo\u{00AD}nes"),
    ] {
        let r = b
            .post(
                "/api/register/account",
                &[
                    ("username", name),
                    ("email", "look@alike.example"),
                    ("verify_email", "look@alike.example"),
                ],
            )
            .await;
        stopped_if(
            &format!("a new login named like mjones {what}"),
            r.location.as_deref() == Some("/register/account") && app.mail_count().await == 0,
            format!("{:?}", r.location),
        );
    }
    let (loc, _) = b
        .submit(
            "/api/register/account",
            &[
                ("username", "mjones-front-desk"),
                ("email", "look@alike.example"),
                ("verify_email", "look@alike.example"),
            ],
        )
        .await;
    assert_eq!(loc, "/register/code", "an ordinary new name goes on");
    app.cleanup().await;
}
