//! Tries at a secret while others are being checked, and after a crash: a
//! right password is never refused as wrong because of concurrency, five
//! wrong in a row still lock, a try cut short by a dead process counts for
//! nothing once its hold expires, and what a failed sign-in typed never
//! travels in the address.

use super::*;
use provider_portal::flow::limits::TRY_HOLD_SECS;
use provider_portal::flow::tries::{self, Counter, Try};

/// John's consolidated login: (its id, its username key).
async fn johns_login(app: &TestApp) -> (i64, String) {
    let id = count(
        app,
        &format!("SELECT id FROM portal_users WHERE username = '{JOHN}'"),
    )
    .await;
    (id, provider_portal::domain::username_key(JOHN))
}

async fn john_signs_in(b: &Browser<'_>, password: &str) -> Page {
    b.post(
        "/api/sign_in",
        &[("username", JOHN), ("password", password)],
    )
    .await
}

async fn sign_in_failures(app: &TestApp) -> i64 {
    count(
        app,
        &format!("SELECT failures FROM portal_users WHERE username = '{JOHN}'"),
    )
    .await
}

pub(crate) async fn tries_in_flight(db: Db) {
    let Some(app) = app(db).await else { return };
    Browser::new(&app)
        .john_to("done", "tries@example.com")
        .await;

    // Eight sign-ins with the right password at once, again and again: none
    // is answered "wrong" or "locked" (a busy answer would be allowed).
    let started = Instant::now();
    let mut rounds = 0;
    let mut signed_in = 0;
    while started.elapsed() < Duration::from_secs(3) || rounds < 5 {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (client, _) = app.new_browser();
            let url = format!("{}/api/sign_in", app.base);
            let origin = app.base.clone();
            set.spawn(async move {
                let r = client
                    .post(url)
                    .header("origin", origin)
                    .form(&[("username", JOHN), ("password", JOHN_PASSWORD)])
                    .send()
                    .await
                    .unwrap();
                r.headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .map(str::to_string)
            });
        }
        while let Some(to) = set.join_next().await {
            if to.unwrap().as_deref() == Some("/accounts") {
                signed_in += 1;
            }
        }
        rounds += 1;
    }
    let refused =
        audits(&app, "sign_in", "wrong").await + audits(&app, "sign_in", "refused: locked").await;
    stopped_if(
        "the right password refused while others were checked at once",
        refused == 0 && signed_in > 0,
        format!(
            "{refused} refused as wrong or locked, {signed_in} of {} signed in",
            rounds * 8
        ),
    );

    // Five checks held by other requests (still hashing): the right
    // password waits for a place and is then told "busy", never "wrong",
    // and nothing is counted against the login.
    let (id, key) = johns_login(&app).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        let t = tries::take(&app.state, Counter::SignIn, &key, Some(id))
            .await
            .unwrap_or_else(|_| panic!("take"));
        assert!(matches!(t, Try::Held(_)));
        held.push(t);
    }
    let b = Browser::new(&app);
    let r = john_signs_in(&b, JOHN_PASSWORD).await;
    let page = b.get("/").await;
    stopped_if(
        "the right password with five checks in flight",
        r.location.as_deref() == Some("/")
            && page.body.contains("Nothing was counted against you")
            && !page.body.contains("is not right")
            && sign_in_failures(&app).await == 0,
        format!("{:?}", r.location),
    );
    // Once they end (right), it signs in.
    for t in held {
        tries::settle(&app.state, t, true).await.ok();
    }
    let r = john_signs_in(&b, JOHN_PASSWORD).await;
    stopped_if(
        "the right password once the checks in flight ended",
        r.location.as_deref() == Some("/accounts"),
        format!("{:?}", r.location),
    );

    // Five wrong in a row, sent at once, still lock: then the right one is
    // refused as wrong.
    no_server_errors(all_at_once(
        &app,
        "/api/sign_in",
        (0..5)
            .map(|i| {
                (
                    Browser::new(&app).client,
                    vec![
                        ("username", JOHN.to_string()),
                        ("password", format!("Wrong#{i}")),
                    ],
                )
            })
            .collect(),
    ))
    .await;
    let r = john_signs_in(&Browser::new(&app), JOHN_PASSWORD).await;
    stopped_if(
        "five wrong at once, then the right one",
        r.location.as_deref() == Some("/") && sign_in_failures(&app).await == 5,
        format!(
            "{:?}, {} failures",
            r.location,
            sign_in_failures(&app).await
        ),
    );
    app.state.clock.advance(15 * 60 + 1);

    // A process takes three tries and dies before their verdicts (killed
    // mid-check): they hold places for a few seconds, count for nothing,
    // and once expired the owner still has five tries.
    let before = sign_in_failures(&app).await;
    for _ in 0..3 {
        let t = tries::take(&app.state, Counter::SignIn, &key, Some(id)).await;
        assert!(matches!(t, Ok(Try::Held(_))), "a try held");
    }
    let after = sign_in_failures(&app).await;
    stopped_if(
        "tries of a dead process counted as failures",
        after == before,
        format!("{before} -> {after}"),
    );
    app.state.clock.advance(TRY_HOLD_SECS + 1);
    for i in 0..4 {
        let r = john_signs_in(&Browser::new(&app), &format!("Typo#{i}")).await;
        assert_eq!(r.location.as_deref(), Some("/"));
    }
    let r = john_signs_in(&Browser::new(&app), JOHN_PASSWORD).await;
    stopped_if(
        "four typos after a crash with three tries in flight, then the right password",
        r.location.as_deref() == Some("/accounts"),
        format!("{:?}", r.location),
    );
    app.state.clock.advance(TRY_HOLD_SECS + 1);
    let swept = app
        .state
        .store
        .sweep_tries(app.state.clock.now())
        .await
        .unwrap_or(0);
    stopped_if(
        "expired tries are swept",
        count(&app, "SELECT COUNT(*) FROM tries_in_flight").await == 0,
        swept,
    );

    // What a failed sign-in typed (sometimes a password in the wrong field)
    // never travels in the address; the sign-in page shows it again from
    // the server.
    let v = Browser::new(&app);
    let r = v
        .post(
            "/api/sign_in",
            &[("username", "Hunter2-typed-here"), ("password", "x")],
        )
        .await;
    let page = v.get("/").await;
    stopped_if(
        "a typed username in the sign-in redirect",
        r.location.as_deref() == Some("/")
            && page.body.contains("value=\"Hunter2-typed-here\"")
            && !log_text().contains("Hunter2-typed-here"),
        format!("{:?}", r.location),
    );
    // A sign-in token planted in the victim's browser reads nothing typed
    // there: each failure moves the record to a token of the browser's own.
    let attacker = Browser::new(&app);
    let r = attacker
        .post(
            "/api/sign_in",
            &[("username", "attacker"), ("password", "x")],
        )
        .await;
    let planted = r
        .set_cookie
        .iter()
        .find_map(|c| c.strip_prefix("pp_signin="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    let (victim, jar) = app.new_browser();
    jar.add_cookie_str(
        &format!("pp_signin={planted}; Path=/"),
        &app.base.parse().unwrap(),
    );
    app.post_with(
        &victim,
        "/api/sign_in",
        &[("username", "Victim-typed-this"), ("password", "x")],
    )
    .await;
    let seen = attacker.get("/").await;
    stopped_if(
        "a planted sign-in token reads what the victim typed",
        !seen.body.contains("Victim-typed-this")
            && app
                .get_with(&victim, "/")
                .await
                .body
                .contains("Victim-typed-this"),
        "seen",
    );
    app.cleanup().await;
}
