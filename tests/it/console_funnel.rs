//! The wizard funnel on Progress (issue 17), against scripted wizards: one
//! goes the whole way, one stops at Account Verification after a wrong
//! answer, one stops at Email after a right one, one types a bad TIN and
//! never gets further; a period that holds none of them shows nothing.

use crate::common::TestApp;
use provider_portal::console::service::funnel::FOLD_LAG_SECS;
use provider_portal::domain::Role;

/// The funnel's row of `step`: (reached, went no further, median).
fn row(body: &str, step: &str) -> (i64, i64, String) {
    let start = body
        .find(&format!("<th scope=\"row\">{step}</th>"))
        .unwrap_or_else(|| panic!("a row for {step}"));
    let cells: Vec<String> = body[start..]
        .split("<td>")
        .skip(1)
        .take(3)
        .map(|c| c.split("</td>").next().unwrap().to_string())
        .collect();
    (
        cells[0].parse().unwrap(),
        cells[1].parse().unwrap(),
        cells[2].clone(),
    )
}

async fn the_funnel_counts_scripted_wizards(app: &TestApp) {
    let john = [("username", "johnsmith@gmail.com"), ("tin", "83-6576879")];
    // 1: the whole way, 40 s at Account Verification.
    let (w1, _) = app.new_browser();
    app.submit_with(&w1, "/api/wizard/lookup", &john).await;
    app.state.clock.advance(40);
    app.submit_with(&w1, "/api/wizard/verify", &[("answer", "Smith")])
        .await;
    let mail = [
        ("email", "john@example.com"),
        ("verify_email", "john@example.com"),
    ];
    app.submit_with(&w1, "/api/wizard/email", &mail).await;
    let code = app.latest_code("john@example.com").await;
    app.submit_with(&w1, "/api/wizard/code", &[("code", &code)])
        .await;
    let pw = [
        ("username", "johnsmith@gmail.com"),
        ("password", "Welcome#2019"),
    ];
    app.submit_with(&w1, "/api/wizard/password", &pw).await;
    let (loc, _) = app.submit_with(&w1, "/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    // 2: a wrong answer, then nothing.
    let (w2, _) = app.new_browser();
    let mjones = [("username", "mjones"), ("tin", "123456789")];
    app.submit_with(&w2, "/api/wizard/lookup", &mjones).await;
    app.submit_with(&w2, "/api/wizard/verify", &[("answer", "Fido")])
        .await;
    // 3: a right answer (the PIN) after 20 s, then nothing.
    let (w3, _) = app.new_browser();
    app.submit_with(
        &w3,
        "/api/wizard/lookup",
        &[("username", "jsmith-billing"), ("tin", "061234567")],
    )
    .await;
    app.state.clock.advance(20);
    let (loc, _) = app
        .submit_with(&w3, "/api/wizard/verify", &[("answer", "1357")])
        .await;
    assert_eq!(loc, "/wizard/email");
    // 4: a TIN typed wrong, then nothing.
    let (w4, _) = app.new_browser();
    app.submit_with(
        &w4,
        "/api/wizard/lookup",
        &[("username", "mjones"), ("tin", "12-34")],
    )
    .await;

    // The funnel folds events once they are a few seconds old.
    app.state.clock.advance(FOLD_LAG_SECS);
    let op = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &op).await;
    let page = app.get_with(&a, "/ops").await;
    let body = &page.body;
    assert!(body.contains("4 wizards begun from"), "{body}");
    assert_eq!(row(body, "Account Lookup").0, 4);
    assert_eq!(
        row(body, "Account Lookup").1,
        1,
        "the bad TIN went no further"
    );
    let verify = row(body, "Account Verification");
    assert_eq!((verify.0, verify.1), (3, 1), "{verify:?}");
    // The clock is the real one moved on: a request that straddles a
    // second adds it to a step's time (40 s may be 41).
    let median: i64 = verify.2.trim_end_matches(" s").parse().unwrap();
    assert!(
        (30..=31).contains(&median),
        "the median of 40 s and 20 s: {}",
        verify.2
    );
    assert_eq!(row(body, "Email Address Verification").0, 2);
    assert_eq!(row(body, "Email Address Verification").1, 1);
    assert_eq!(row(body, "Security Code Verification").0, 1);
    assert_eq!(row(body, "Verify Username and Password").0, 1);
    assert_eq!(row(body, "Thank You"), (1, 0, "–".to_string()));

    // 4 again, after the view: the TIN typed right this time. The next
    // view folds only that, and the wizard moves on from Account Lookup
    // (for another account: its TIN is kpatel's).
    let (loc, _) = app
        .submit_with(
            &w4,
            "/api/wizard/lookup",
            &[("username", "kpatel"), ("tin", "731234567")],
        )
        .await;
    assert_eq!(loc, "/wizard/verify");
    app.state.clock.advance(FOLD_LAG_SECS);
    let body = &app.get_with(&a, "/ops").await.body;
    assert!(body.contains("4 wizards begun from"), "{body}");
    assert_eq!(row(body, "Account Lookup").1, 0, "none stopped there now");
    let verify = row(body, "Account Verification");
    assert_eq!((verify.0, verify.1), (4, 2), "{verify:?}");
    let folded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM funnel_wizards")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert!(folded >= 4, "each wizard's summary is kept: {folded}");

    // A period before any of them: nothing; a date typed wrong: said.
    let page = app.get_with(&a, "/ops?from=2020-01-01&to=2020-01-31").await;
    assert!(
        page.body
            .contains("0 wizards begun from 2020-01-01 to 2020-01-31"),
        "{}",
        page.body
    );
    assert_eq!(row(&page.body, "Account Lookup").0, 0);
    let page = app.get_with(&a, "/ops?from=yesterday&to=").await;
    assert!(
        page.body.contains("Enter the date as YYYY-MM-DD"),
        "{}",
        page.body
    );
    assert_eq!(
        row(&page.body, "Account Lookup").0,
        4,
        "the last 30 days instead"
    );
}

on_both_databases!(the_funnel_counts_scripted_wizards);
