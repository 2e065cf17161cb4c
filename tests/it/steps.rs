//! A step either happened or did not (issue 28, item 9): what a step
//! writes beside its flow (the account proven at Verify Username and
//! Password) is one transaction with the flow's move, so a failure at the
//! moment of the save (a process killed, the database gone) leaves the
//! wizard where it was with nothing added, and a retry goes on.

use crate::common::*;

crate::on_both_databases!(
    the_password_step_writes_whole_or_not_at_all,
    the_code_step_writes_whole_or_not_at_all,
    a_password_reset_submitted_twice_resets_once,
);

const JOHN: &str = "johnsmith@gmail.com";

/// Makes the database refuse to move any flow to `step`, as a process
/// killed at that moment would leave it (`Some`), or lets it again.
async fn refuse_moves_to(app: &TestApp, step: Option<&str>) {
    let pool = app.state.store.pool();
    let postgres = app.database_url.starts_with("postgres");
    let statements: Vec<String> = match (postgres, step) {
        (false, Some(step)) => vec![format!(
            "CREATE TRIGGER test_killed_at_save BEFORE UPDATE ON flows \
             WHEN NEW.step = '{step}' BEGIN SELECT RAISE(ABORT, 'killed at the save'); END"
        )],
        (false, None) => vec!["DROP TRIGGER test_killed_at_save".into()],
        (true, Some(step)) => vec![
            "CREATE FUNCTION test_killed() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'killed at the save'; END $$"
                .into(),
            format!(
                "CREATE TRIGGER test_killed_at_save BEFORE UPDATE ON flows FOR EACH ROW \
                 WHEN (NEW.step = '{step}') EXECUTE FUNCTION test_killed()"
            ),
        ],
        (true, None) => vec![
            "DROP TRIGGER test_killed_at_save ON flows".into(),
            "DROP FUNCTION test_killed()".into(),
        ],
    };
    for sql in statements {
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
}

async fn the_password_step_writes_whole_or_not_at_all(app: &TestApp) {
    app.walk_to_password("whole@example.com").await;
    refuse_moves_to(app, Some("review")).await;
    let (loc, page) = app
        .submit(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert!(loc.starts_with("/wizard/password"), "{loc}");
    assert!(
        page.body.contains("Something went wrong on our side"),
        "{}",
        page.body
    );
    assert_eq!(app.wizard_step().await.as_deref(), Some("password"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM wizard_accounts").await,
        0,
        "the account joined the list of a wizard that did not move"
    );
    // The fault passes; the same step, tried again, goes on.
    refuse_moves_to(app, None).await;
    let (loc, _) = app
        .submit(
            "/api/wizard/password",
            &[("username", JOHN), ("password", "Welcome#2019")],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    assert_eq!(app.wizard_step().await.as_deref(), Some("review"));
    assert_eq!(app.count("SELECT COUNT(*) FROM wizard_accounts").await, 1);
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 1);
}

/// Forgot Password's last step: the new password, its mail and the flow's
/// end are one transaction, so the same reset posted twice at once resets
/// once and mails once, and both answers say the password was changed.
async fn a_password_reset_submitted_twice_resets_once(app: &TestApp) {
    let new = "Quiet harbour lanterns at dusk";
    app.register_with_demo_code(
        &app.client,
        "Twice-Front",
        "front@twice.example",
        "Riverside clinic front desk 7",
    )
    .await;
    app.walk_to_new_password("twice-front", "front@twice.example")
        .await;
    let form = [("password", new), ("confirm_password", new)];
    let (a, b) = tokio::join!(
        app.post("/api/forgot_password/new", &form),
        app.post("/api/forgot_password/new", &form)
    );
    // The second either met the first's flow (then it says the same) or
    // came after it had gone (then it is out of order); never a second reset.
    let said = [&a, &b].map(|r| r.location.clone().unwrap_or_default());
    assert!(
        said.iter().any(|l| l == "/?notice=password-changed")
            && said
                .iter()
                .all(|l| l == "/?notice=password-changed" || l.contains("out-of-order")),
        "{said:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'reset'")
            .await,
        1,
        "one reset, one mail"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'reset_password' AND outcome = 'ok'"
        )
        .await,
        1
    );
}

/// Security Code Verification: the code is used up in the transaction that
/// moves the wizard on, so a failure at that moment leaves the code good
/// for the retry (before, the code was used and the wizard still asked
/// for it: "this code is no longer valid").
async fn the_code_step_writes_whole_or_not_at_all(app: &TestApp) {
    let code = app.walk_to_code("code-whole@example.com").await;
    refuse_moves_to(app, Some("password")).await;
    let (loc, page) = app.submit("/api/wizard/code", &[("code", &code)]).await;
    assert!(loc.starts_with("/wizard/code"), "{loc}");
    assert!(
        page.body.contains("Something went wrong on our side"),
        "{}",
        page.body
    );
    assert_eq!(app.wizard_step().await.as_deref(), Some("code"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_codes WHERE status = 'used'")
            .await,
        0,
        "the code was used by a step that did not happen"
    );
    refuse_moves_to(app, None).await;
    let (loc, _) = app.submit("/api/wizard/code", &[("code", &code)]).await;
    assert_eq!(loc, "/wizard/password", "the same code, tried again");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_codes WHERE status = 'used'")
            .await,
        1
    );
}
