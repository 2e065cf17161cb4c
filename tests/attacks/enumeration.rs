//! Telling real accounts from unknown ones by what the pages say or how long they take.

use super::*;

pub(crate) async fn enumeration(db: Db) {
    let Some(app) = app(db).await else { return };
    // The reply to a lookup: the same for a real pair, a known username with
    // a wrong TIN, and an unknown username (but for the cookie's token).
    let mut shapes = Vec::new();
    for (user, tin) in [
        (JOHN, JOHN_TIN),
        (JOHN, "999999999"),
        ("nobody-here", "123456780"),
    ] {
        let b = Browser::new(&app);
        let r = b
            .post("/api/wizard/lookup", &[("username", user), ("tin", tin)])
            .await;
        let page = b.get("/wizard/verify").await;
        shapes.push((shape(&r), stable(&page.body)));
    }
    stopped_if(
        "lookup reply: real pair vs unknown pair",
        shapes[0].0 == shapes[1].0 && shapes[0].0 == shapes[2].0,
        "the replies differ",
    );
    stopped_if(
        "lookup page: real pair vs known username with a wrong TIN",
        shapes[0].1 == shapes[1].1,
        "the pages differ",
    );
    let strip_question = |s: &str| {
        let i = s.find("<label").unwrap();
        let j = s[i..].find("</label>").unwrap() + i;
        format!("{}{}", &s[..i], &s[j..])
    };
    stopped_if(
        "lookup page: real pair vs unknown username (but the question)",
        strip_question(&shapes[0].1) == strip_question(&shapes[2].1),
        "the pages differ beyond the question",
    );

    // Timing, 200 samples each, alternating.
    let (ok, report) = same_timing(
        "lookup",
        200,
        0.10,
        |_| {
            let b = Browser::new(&app);
            async move {
                b.post(
                    "/api/wizard/lookup",
                    &[("username", JOHN), ("tin", JOHN_TIN)],
                )
                .await;
            }
        },
        |i| {
            let b = Browser::new(&app);
            async move {
                let user = format!("nobody{i}");
                b.post(
                    "/api/wizard/lookup",
                    &[("username", &user), ("tin", "123456780")],
                )
                .await;
            }
        },
    )
    .await;
    stopped_if("lookup timing, real vs unknown pair", ok, report);

    // The password step: the account's username with a wrong password vs
    // another username.
    let b = Browser::new(&app);
    b.john_to("password", "timing@example.com").await;
    let (ok, report) = usernames_time_alike(&b, "password step", "/api/wizard/password").await;
    stopped_if(
        "password step timing, known vs unknown username",
        ok,
        report,
    );

    // Sign-in: a real login with a wrong password vs an unknown username.
    app.state.clock.advance(15 * 60 + 1);
    let f = Browser::new(&app);
    f.john_to("done", "timing2@example.com").await;
    let s = Browser::new(&app);
    let known = s
        .post(
            "/api/sign_in",
            &[("username", JOHN), ("password", "Wrong#pass1")],
        )
        .await;
    let unknown = s
        .post(
            "/api/sign_in",
            &[("username", "nobody-here"), ("password", "Wrong#pass1")],
        )
        .await;
    stopped_if(
        "sign-in reply, real vs unknown login",
        shape(&known).replace(JOHN.replace('@', "%40").as_str(), "U")
            == shape(&unknown).replace("nobody-here", "U"),
        format!("{:?} vs {:?}", known.location, unknown.location),
    );
    let (ok, report) = usernames_time_alike(&s, "sign-in", "/api/sign_in").await;
    stopped_if("sign-in timing, real vs unknown login", ok, report);
    app.cleanup().await;
}

/// A wrong password for a real username vs for an unknown one, timed.
pub(crate) async fn usernames_time_alike(
    b: &Browser<'_>,
    what: &str,
    path: &str,
) -> (bool, String) {
    let post = |user: &'static str| async move {
        b.post(path, &[("username", user), ("password", "Wrong#pass1")])
            .await;
    };
    same_timing(what, 200, 0.10, |_| post(JOHN), |_| post("somebody-else")).await
}
