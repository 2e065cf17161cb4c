//! Guessing codes, answers, PINs and passwords, in parallel and from many wizards.

use super::*;

pub(crate) async fn brute_force_codes(db: Db) {
    let Some(app) = app(db).await else { return };
    let b = Browser::new(&app);
    b.john_to("code", "guess@example.com").await;
    let right = app.latest_code("guess@example.com").await;
    let wrong: Vec<String> = (0..50)
        .map(|i| format!("{:06}", (right.parse::<u32>().unwrap() + 1 + i) % 1_000_000))
        .collect();
    no_server_errors(all_at_once(
        &app,
        "/api/wizard/code",
        wrong
            .into_iter()
            .map(|w| (b.client.clone(), vec![("code", w)]))
            .collect(),
    ))
    .await;
    let evaluated = audits(&app, "verify_email_code", "wrong").await;
    let attempts = count(&app, "SELECT COALESCE(MAX(attempts), 0) FROM email_codes").await;
    stopped_if(
        "50 concurrent code guesses",
        evaluated <= 5 && attempts <= 5,
        format!("{evaluated} evaluated, attempts {attempts}"),
    );
    let (loc, page) = b.submit("/api/wizard/code", &[("code", &right)]).await;
    stopped_if(
        "the right code after five wrong ones",
        loc == "/wizard/code" && page.body.contains("no longer"),
        loc,
    );
    app.cleanup().await;
}

/// 50 guesses at once from one wizard, then 50 from 50 wizards: at most
/// five evaluations, then the right answer is refused, reading as wrong.
pub(crate) async fn brute_force_answers_and_pins(db: Db) {
    for (what, guesses) in [
        (
            "answers",
            (0..50).map(|i| format!("guess {i}")).collect::<Vec<_>>(),
        ),
        (
            "PINs",
            (0..50)
                .map(|i| format!("{:04}", 5000 + i))
                .collect::<Vec<_>>(),
        ),
    ] {
        for spread in [false, true] {
            let Some(app) = app(db).await else { return };
            let one = Browser::new(&app);
            one.john_to("verify", "").await;
            let mut browsers = Vec::new();
            for _ in 0..if spread { 50 } else { 0 } {
                let b = Browser::new(&app);
                b.john_to("verify", "").await;
                browsers.push(b.client.clone());
            }
            no_server_errors(all_at_once(
                &app,
                "/api/wizard/verify",
                guesses
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        let client = if spread {
                            browsers[i].clone()
                        } else {
                            one.client.clone()
                        };
                        (client, vec![("answer", g.clone())])
                    })
                    .collect(),
            ))
            .await;
            let evaluated = audits(&app, "verify_security_answer", "wrong").await;
            let failures = count(
                &app,
                &format!(
                    "SELECT answer_failures FROM legacy_accounts WHERE username_key = '{JOHN}'"
                ),
            )
            .await;
            stopped_if(
                &format!(
                    "50 concurrent {what} from {}",
                    if spread { "50 wizards" } else { "one wizard" }
                ),
                evaluated <= 5 && failures <= 5,
                format!("{evaluated} evaluated"),
            );
            // Locked: the right answer and the PIN read exactly as a wrong one.
            let wrong = one.post("/api/wizard/verify", &[("answer", "nope")]).await;
            let wrong_page = one.get("/wizard/verify").await;
            for right in ["Smith", "4826"] {
                let r = one.post("/api/wizard/verify", &[("answer", right)]).await;
                let page = one.get("/wizard/verify").await;
                stopped_if(
                    &format!("the right answer ({right}) after the lockout ({what})"),
                    shape(&r) == shape(&wrong) && stable(&page.body) == stable(&wrong_page.body),
                    format!("{:?} vs {:?}", r.location, wrong.location),
                );
            }
            // Fifteen minutes later the account's owner gets in.
            app.state.clock.advance(15 * 60 + 1);
            let later = Browser::new(&app);
            later.john_to("verify", "").await;
            let (loc, _) = later
                .submit("/api/wizard/verify", &[("answer", "Smith")])
                .await;
            assert_eq!(loc, "/wizard/email", "the lock ends after 15 minutes");
            app.cleanup().await;
        }
    }
}

pub(crate) async fn brute_force_passwords_and_sign_in(db: Db) {
    let Some(app) = app(db).await else { return };
    let b = Browser::new(&app);
    b.john_to("password", "pw@example.com").await;
    no_server_errors(all_at_once(
        &app,
        "/api/wizard/password",
        (0..50)
            .map(|i| {
                (
                    b.client.clone(),
                    vec![
                        ("username", JOHN.to_string()),
                        ("password", format!("Guess#{i}")),
                    ],
                )
            })
            .collect(),
    ))
    .await;
    let evaluated = audits(&app, "verify_legacy_password", "wrong").await;
    stopped_if(
        "50 concurrent password guesses",
        evaluated <= 5,
        format!("{evaluated} evaluated"),
    );
    let wrong = b
        .post(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "nope")],
        )
        .await;
    let wrong_page = b.get("/wizard/password").await;
    let r = b
        .post(
            "/api/wizard/password",
            &[("username", JOHN), ("password", JOHN_PASSWORD)],
        )
        .await;
    let page = b.get("/wizard/password").await;
    stopped_if(
        "the right password after the lockout",
        shape(&r) == shape(&wrong)
            && stable(&page.body) == stable(&wrong_page.body)
            && count(&app, "SELECT COUNT(*) FROM wizard_accounts").await == 0,
        format!("{:?}", r.location),
    );
    app.state.clock.advance(15 * 60 + 1);
    // The lock ends after 15 minutes: the owner finishes.
    Browser::new(&app).john_to("done", "pw2@example.com").await;

    // Sign-in: the consolidated login, guessed 50 times at once.
    no_server_errors(all_at_once(
        &app,
        "/api/sign_in",
        (0..50)
            .map(|i| {
                (
                    Browser::new(&app).client,
                    vec![
                        ("username", JOHN.to_string()),
                        ("password", format!("Guess#{i}")),
                    ],
                )
            })
            .collect(),
    ))
    .await;
    let evaluated = audits(&app, "sign_in", "wrong").await;
    stopped_if(
        "50 concurrent sign-in guesses",
        evaluated <= 5,
        format!("{evaluated} evaluated"),
    );
    let s = Browser::new(&app);
    let wrong = s
        .post("/api/sign_in", &[("username", JOHN), ("password", "nope")])
        .await;
    let r = s
        .post(
            "/api/sign_in",
            &[("username", JOHN), ("password", JOHN_PASSWORD)],
        )
        .await;
    stopped_if(
        "the right sign-in password after the lockout",
        shape(&r) == shape(&wrong) && !r.set_cookie.iter().any(|c| c.contains("pp_session")),
        format!("{:?}", r.location),
    );
    app.cleanup().await;
}
