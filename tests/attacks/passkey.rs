//! Passkeys, attacked: an answer replayed (its challenge used twice), a
//! challenge answered after it expired, an answer made for another origin
//! or without user verification, another login's passkey at the second
//! step, a ceremony's state of one login brought by another, or changed, a
//! counter that goes back (a cloned authenticator), a passkey added without
//! step-up, a step-up answered by another login's passkey, the same
//! credential added to a second login, and a removed passkey.

use super::*;
use common::passkey::{ceremony_on, SoftKey};
use common::second::{codes_on, has_session};

const PASSWORD: &str = "Lantern harbour quietly 42";

/// The sign-in page's ceremony, fresh, for `b`.
async fn sign_in_ceremony(b: &Browser<'_>) -> common::soft_key::OnPage {
    let page = b.get("/").await;
    ceremony_on(&page.body, "/api/sign_in/passkey").expect("the sign-in page's passkey")
}

async fn post_answer(b: &Browser<'_>, action: &str, state: &str, answer: &str) -> Page {
    b.post(action, &[("state", state), ("credential", answer)])
        .await
}

pub(crate) async fn passkeys(db: Db) {
    let Some(app) = app(db).await else { return };
    let origin = app.passkey_origin();
    let ana = Browser::new(&app);
    app.new_login(&ana.client, "passkey-ana", "ana@pk.example", PASSWORD)
        .await;
    let mut key = SoftKey::new();
    let (_, page) = app.add_passkey(&ana.client, &mut key, PASSWORD, None).await;
    let ana_codes = codes_on(&page.body);
    let bob = Browser::new(&app);
    app.new_login(&bob.client, "passkey-bob", "bob@pk.example", PASSWORD)
        .await;
    let mut bobs = SoftKey::new();
    app.add_passkey(&bob.client, &mut bobs, PASSWORD, None)
        .await;

    // An answer replayed: its challenge works once.
    let b = Browser::new(&app);
    let on = sign_in_ceremony(&b).await;
    let answer = key.get(&on.options, &origin);
    let first = post_answer(&b, "/api/sign_in/passkey", &on.state, &answer).await;
    assert!(has_session(&first), "{}", first.body);
    let again = Browser::new(&app);
    let r = post_answer(&again, "/api/sign_in/passkey", &on.state, &answer).await;
    stopped_if(
        "a passkey answer replayed",
        !has_session(&r)
            && audits(&app, "sign_in/passkey", "refused: challenge used twice").await == 1,
        r.status,
    );

    // A challenge answered after its five minutes.
    let b = Browser::new(&app);
    let on = sign_in_ceremony(&b).await;
    let answer = key.get(&on.options, &origin);
    app.state.clock.advance(301);
    let r = post_answer(&b, "/api/sign_in/passkey", &on.state, &answer).await;
    stopped_if(
        "a challenge answered after it expired",
        !has_session(&r)
            && audits(&app, "sign_in/passkey", "refused: challenge expired").await == 1,
        r.status,
    );

    // An answer made for another origin (a phishing site's).
    let on = sign_in_ceremony(&b).await;
    let answer = key.get(&on.options, "https://portal-login.example");
    let r = post_answer(&b, "/api/sign_in/passkey", &on.state, &answer).await;
    stopped_if(
        "an assertion for another origin",
        !has_session(&r)
            && audits(&app, "sign_in/passkey", "refused: passkey not verified").await == 1,
        r.status,
    );

    // Without user verification (a key only touched): refused.
    let on = sign_in_ceremony(&b).await;
    key.counter += 1;
    let answer = key.assert(&on.options, &origin, 0x01);
    let r = post_answer(&b, "/api/sign_in/passkey", &on.state, &answer).await;
    stopped_if(
        "an assertion without user verification",
        !has_session(&r)
            && audits(&app, "sign_in/passkey", "refused: passkey not verified").await == 2,
        r.status,
    );

    // The counter going back: a cloned authenticator.
    let on = sign_in_ceremony(&b).await;
    let mut clone_of = key.clone_key();
    clone_of.counter = 0;
    let answer = clone_of.get(&on.options, &origin);
    let r = post_answer(&b, "/api/sign_in/passkey", &on.state, &answer).await;
    stopped_if(
        "a counter that went back",
        !has_session(&r) && log_text().contains("CredentialPossibleCompromise"),
        r.status,
    );

    // The state changed (or of another ceremony): refused before any check.
    let on = sign_in_ceremony(&b).await;
    let answer = key.get(&on.options, &origin);
    // Its last hex digit changed (to another digit, whatever it was).
    let mut forged = on.state.clone();
    let last = forged.pop();
    forged.push(if last == Some('0') { '1' } else { '0' });
    assert_ne!(forged, on.state);
    let r = post_answer(&b, "/api/sign_in/passkey", &forged, &answer).await;
    stopped_if(
        "a ceremony's state changed",
        !has_session(&r) && audits(&app, "sign_in/passkey", "refused: state forged").await == 1,
        r.status,
    );

    // Another login's passkey at ana's second step.
    let b = Browser::new(&app);
    let r = app.sign_in_from(&b.client, "passkey-ana", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/sign-in/second-step"));
    let page = b.get("/sign-in/second-step").await;
    let on = ceremony_on(&page.body, "/api/sign_in/second_step_passkey").unwrap();
    let answer = bobs.get(&on.options, &origin);
    let r = post_answer(&b, "/api/sign_in/second_step_passkey", &on.state, &answer).await;
    stopped_if(
        "another login's passkey as the second step",
        !has_session(&r),
        r.status,
    );

    // Bob's second-step ceremony brought to ana's second step.
    let bb = Browser::new(&app);
    app.sign_in_from(&bb.client, "passkey-bob", PASSWORD).await;
    let page = bb.get("/sign-in/second-step").await;
    let bobs_on = ceremony_on(&page.body, "/api/sign_in/second_step_passkey").unwrap();
    let answer = bobs.get(&bobs_on.options, &origin);
    let r = post_answer(
        &b,
        "/api/sign_in/second_step_passkey",
        &bobs_on.state,
        &answer,
    )
    .await;
    stopped_if(
        "another login's ceremony at the second step",
        !has_session(&r) && audits(&app, "sign_in/second_step", "refused: state forged").await == 1,
        r.status,
    );

    // The second step's passkey with no password before it.
    let stranger = Browser::new(&app);
    let page = b.get("/sign-in/second-step").await;
    let on = ceremony_on(&page.body, "/api/sign_in/second_step_passkey").unwrap();
    let answer = key.get(&on.options, &origin);
    let r = post_answer(
        &stranger,
        "/api/sign_in/second_step_passkey",
        &on.state,
        &answer,
    )
    .await;
    stopped_if(
        "a second-step passkey without the password",
        !has_session(&r),
        r.status,
    );

    // A passkey added without the step-up: the page that makes one is not
    // there, and its form's state of another login is refused.
    let r = ana.get("/security/passkey").await;
    stopped_if(
        "the passkey page without step-up",
        ceremony_on(&r.body, "/api/security/passkey_finish").is_none(),
        r.status,
    );
    let dave = Browser::new(&app);
    app.new_login(&dave.client, "passkey-dave", "dave@pk.example", PASSWORD)
        .await;
    let (_, page) = app
        .submit_with(
            &dave.client,
            "/api/security/passkey_start",
            &[("password", PASSWORD)],
        )
        .await;
    let on = ceremony_on(&page.body, "/api/security/passkey_finish").expect("dave's ceremony");
    let before = count(
        &app,
        "SELECT COUNT(*) FROM second_steps WHERE kind = 'passkey'",
    )
    .await;
    let mut thief = SoftKey::new();
    let answer = thief.create(&on.options, &origin);
    let r = ana
        .post(
            "/api/security/passkey_finish",
            &[
                ("name", "thief"),
                ("state", &on.state),
                ("credential", &answer),
            ],
        )
        .await;
    let after = count(
        &app,
        "SELECT COUNT(*) FROM second_steps WHERE kind = 'passkey'",
    )
    .await;
    stopped_if(
        "a passkey added with another login's ceremony",
        after == before
            && audits(&app, "security/passkey_finish", "refused: state forged").await == 1,
        r.status,
    );

    // The same credential added to a second login.
    let carol = Browser::new(&app);
    app.new_login(&carol.client, "passkey-carol", "carol@pk.example", PASSWORD)
        .await;
    let mut same = key.clone_key();
    let (loc, _) = app
        .add_passkey(&carol.client, &mut same, PASSWORD, None)
        .await;
    stopped_if(
        "one credential added to two logins",
        loc.contains("error=registered"),
        loc,
    );

    // A step-up answered by another login's passkey: nothing removed.
    let page = ana.get("/security").await;
    let on = ceremony_on(&page.body, "/api/security/remove").expect("ana's step-up");
    let answer = bobs.get(&on.options, &origin);
    let id = count(
        &app,
        "SELECT MIN(id) FROM second_steps WHERE kind = 'passkey'",
    )
    .await;
    let r = ana
        .post(
            "/api/security/remove",
            &[
                ("method", &id.to_string()),
                ("password", PASSWORD),
                ("code", ""),
                ("state", &on.state),
                ("credential", &answer),
            ],
        )
        .await;
    let left = count(
        &app,
        &format!("SELECT COUNT(*) FROM second_steps WHERE id = {id}"),
    )
    .await;
    stopped_if(
        "a step-up answered by another login's passkey",
        left == 1 && r.location.as_deref() == Some("/security?form=remove&error=code"),
        format!("{:?}", r.location),
    );

    // A removed passkey signs in no more.
    let id = count(
        &app,
        "SELECT MIN(id) FROM second_steps WHERE kind = 'passkey'",
    )
    .await;
    let (loc, _) = app
        .submit_with(
            &ana.client,
            "/api/security/remove",
            &[
                ("method", &id.to_string()),
                ("password", PASSWORD),
                ("code", &ana_codes[0]),
            ],
        )
        .await;
    assert_eq!(loc, "/security?notice=removed");
    let b = Browser::new(&app);
    let r = app.sign_in_passkey(&b.client, &mut key).await;
    stopped_if("a removed passkey", !has_session(&r), r.status);
}
