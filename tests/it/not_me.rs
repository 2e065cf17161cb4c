//! "This wasn't me" (issue 18): the link in the mail after a consolidation
//! or a password reset; opening it changes nothing, confirming it freezes
//! the login (sessions end, sign-in says so with a reference, Forgot
//! Password sends nothing, nothing is added to it); the case's undo and
//! lift, each one transaction.

use crate::common::TestApp;
use provider_portal::flow::notme;
use provider_portal::store::{Decided, NotMeLink};

const JOHN: &str = "johnsmith@gmail.com";
const JOHN_MAIL: &str = "john@example.com";
const PASSWORD: &str = "Welcome#2019";

/// The token of the newest not-me link mailed to `to` under `subject`.
async fn link_token(app: &TestApp, to: &str, subject: &str) -> String {
    let mail = app.wait_mail(to, subject).await.expect("the mail");
    let at = mail.body.find("/not-me?token=").expect("a not-me link") + "/not-me?token=".len();
    let token: String = mail.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "{}", mail.body);
    token
}

/// John's accounts consolidated, with `email` verified; the token of the
/// confirmation's link.
async fn consolidate(app: &TestApp, email: &str) -> String {
    app.walk_to_password(email).await;
    app.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", PASSWORD)],
    )
    .await;
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    link_token(app, email, "under one login").await
}

async fn frozen(app: &TestApp) -> bool {
    app.count("SELECT COUNT(*) FROM portal_users WHERE frozen_at IS NOT NULL")
        .await
        == 1
}

async fn the_link_freezes_the_login(app: &TestApp) {
    let token = consolidate(app, JOHN_MAIL).await;
    // Only the keyed hash is stored.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM not_me_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM not_me_tokens WHERE token_hash = '{}' AND used_at IS NULL",
            notme::token_hash(&app.state, &token)
        ))
        .await,
        1
    );
    // Signed in elsewhere before the report.
    let (signed_in, _) = app.new_browser();
    let r = app.sign_in_from(&signed_in, JOHN, PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    // Opening the link (a mail scanner does) changes nothing.
    let page = app.get(&format!("/not-me?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Freeze the login") && page.body.contains(JOHN),
        "{}",
        page.body
    );
    assert!(!frozen(app).await);
    let page = app.get(&format!("/not-me?token={token}")).await;
    assert!(
        page.body.contains("Freeze the login"),
        "opened twice, still good"
    );
    // A made-up token, and one changed by a letter.
    let flipped = if token.ends_with('0') { "1" } else { "0" };
    for bad in ["ab".repeat(32), format!("{}{flipped}", &token[..63])] {
        let page = app.get(&format!("/not-me?token={bad}")).await;
        assert!(page.body.contains("This link does not work"), "{bad}");
        let (loc, _) = app.submit("/api/not_me", &[("token", bad.as_str())]).await;
        assert_eq!(loc, "/not-me?notice=invalid");
    }
    assert!(!frozen(app).await);
    // Expired: 30 days later it no longer works.
    app.state.clock.advance(notme::LINK_TTL_SECS);
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    assert_eq!(loc, "/not-me?notice=invalid");
    assert!(!frozen(app).await);
    app.state.clock.advance(-notme::LINK_TTL_SECS + 60);
    // Confirmed: frozen at once.
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    assert!(loc.starts_with("/not-me/done?ref="), "{loc}");
    let reference = loc.trim_start_matches("/not-me/done?ref=").to_string();
    assert!(frozen(app).await);
    let done = app.get(&loc).await;
    assert!(done.body.contains("The login is frozen") && done.body.contains(&reference));
    // Used: the second time it does nothing.
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    assert_eq!(loc, "/not-me?notice=invalid");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cases WHERE decided_at IS NULL")
            .await,
        1,
        "one open case"
    );
    // The session from before has ended.
    let accounts = app.get_with(&signed_in, "/accounts").await;
    assert!(
        !accounts.body.contains("83-") && accounts.location.as_deref() != Some("/accounts"),
        "the old session no longer shows the accounts"
    );
    // Sign-in: the right password hears why, with the reference; a wrong
    // one hears what any wrong password hears.
    let (b, _) = app.new_browser();
    let r = app.sign_in_from(&b, JOHN, PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let page = app.get_with(&b, "/").await;
    assert!(page.body.contains("This login is frozen") && page.body.contains(&reference));
    let (c, _) = app.new_browser();
    app.sign_in_from(&c, JOHN, "Wrong#Password9").await;
    let page = app.get_with(&c, "/").await;
    assert!(!page.body.contains("frozen") && page.body.contains("not right"));
    // The login's address is told.
    let frozen_mail = app
        .wait_mail(JOHN_MAIL, "was frozen")
        .await
        .expect("the freeze is mailed");
    assert!(frozen_mail.body.contains(&reference));
    // Forgot Password: the same page as for nobody, and no code. A code
    // is written into the outbox by the request, before its answer: none
    // written is none to come.
    app.outbox_settled().await;
    let before = app.mail_count().await;
    let written = app.count("SELECT COUNT(*) FROM outbox").await;
    let (f, _) = app.new_browser();
    let (loc, _) = app
        .submit_with(&f, "/api/forgot_password", &[("username", JOHN)])
        .await;
    assert_eq!(loc, "/forgot-password/code");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        written,
        "no code written"
    );
    assert_eq!(app.mail_count().await, before, "no code mailed");
    // Audited with the login.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'not_me' AND outcome = 'frozen' AND target LIKE 'login:%'")
            .await,
        1
    );
}

async fn undo_and_lift_are_whole(app: &TestApp) {
    let token = consolidate(app, JOHN_MAIL).await;
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    assert!(loc.starts_with("/not-me/done"));
    app.enrolled_operator("uma.ops", provider_portal::domain::Role::Support)
        .await;
    let op = app
        .count("SELECT id FROM operators WHERE username = 'uma.ops'")
        .await;
    let case: i64 = app.count("SELECT MIN(id) FROM cases").await;
    let store = &app.state.store;
    let now = app.state.clock.now();
    let window = 30 * 86_400;
    let consolidated = "SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL";
    let n = app.count(consolidated).await;
    assert!(n >= 1);
    // A failure in the middle of the undo changes nothing.
    let err = store
        .undo_case(case, (op, "caller checked", now), window, &[], true)
        .await;
    assert!(err.is_err());
    assert_eq!(app.count(consolidated).await, n);
    assert_eq!(app.count("SELECT COUNT(*) FROM undone_links").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cases WHERE decided_at IS NULL")
            .await,
        1
    );
    // Undone: the accounts are free again, the login kept but disabled.
    let done = store
        .undo_case(case, (op, "caller checked", now), window, &[], false)
        .await
        .unwrap();
    assert!(
        matches!(&done, Decided::Done { accounts, .. } if accounts.len() as i64 == n),
        "{done:?}"
    );
    assert_eq!(app.count(consolidated).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_links").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM undone_links").await, n);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users WHERE disabled_at IS NOT NULL")
            .await,
        1
    );
    // Decided once.
    let again = store
        .undo_case(case, (op, "twice", now), window, &[], false)
        .await
        .unwrap();
    assert_eq!(again, Decided::AlreadyDecided);
    // The owner moves the accounts again, with the old credentials.
    let token = consolidate(app, "john.again@example.com").await;
    assert_eq!(app.count(consolidated).await, n);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 2);
    // A second report; 30 days on, undo is refused and the freeze lifted.
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    assert!(loc.starts_with("/not-me/done"));
    let case: i64 = app.count("SELECT MAX(id) FROM cases").await;
    app.state.clock.advance(window + 60);
    let now = app.state.clock.now();
    let late = store
        .undo_case(case, (op, "too late", now), window, &[], false)
        .await
        .unwrap();
    assert_eq!(late, Decided::TooLate);
    assert_eq!(app.count(consolidated).await, n, "nothing undone");
    let lifted = store
        .lift_case(case, (op, "it was the owner", now), &[])
        .await
        .unwrap();
    assert!(matches!(lifted, Decided::Done { .. }));
    let (b, _) = app.new_browser();
    let r = app.sign_in_from(&b, JOHN, PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"), "signs in again");
    assert_eq!(
        store
            .not_me_link(&notme::token_hash(&app.state, &token), now)
            .await
            .unwrap(),
        NotMeLink::Used
    );
}

/// In the console: the case shows to every role; an auditor may not
/// decide; a decision needs a reason; a failure midway changes nothing;
/// support undoes it, the addresses are mailed, and the owner moves the
/// accounts again.
async fn an_operator_undoes_a_case_in_the_console(app: &TestApp) {
    use provider_portal::domain::Role;
    let token = consolidate(app, JOHN_MAIL).await;
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    let reference = loc.trim_start_matches("/not-me/done?ref=").to_string();
    let case = app.count("SELECT MIN(id) FROM cases").await.to_string();
    let consolidated = "SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL";
    let n = app.count(consolidated).await;

    let auditor = app.enrolled_operator("ada.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &auditor).await;
    let page = app.get_with(&a, "/ops/cases").await;
    assert!(
        page.body
            .contains(&format!("Case {reference}: login {JOHN}"))
            && page.body.contains("Open: the login is frozen"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"decision\""),
        "no button for an auditor"
    );
    // The consolidation's trail, on the case: every step of the wizard,
    // with its outcome and address.
    let at = page
        .body
        .find("How it was consolidated")
        .expect("the consolidation's trail");
    let trail = &page.body[at..at + page.body[at..].find("</table>").unwrap()];
    for step in [
        "lookup_account",
        "verify_security_answer",
        "verify_email_code",
        "verify_legacy_password",
        "finish",
    ] {
        assert!(trail.contains(step), "{step} in {trail}");
    }
    assert!(
        trail.contains("merged") && trail.contains("127.0.0.1"),
        "{trail}"
    );
    let (loc, _) = app
        .submit_with(
            &a,
            "/ops/api/case",
            &[("case", &case), ("decision", "undo"), ("reason", "x")],
        )
        .await;
    assert_eq!(loc, "/ops?notice=not-allowed");
    assert_eq!(app.count(consolidated).await, n);

    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    let page = app.get_with(&s, "/ops/cases").await;
    assert!(page.body.contains("value=\"undo\"") && page.body.contains("value=\"lift\""));
    let (loc, page) = app
        .submit_with(
            &s,
            "/ops/api/case",
            &[("case", &case), ("decision", "undo"), ("reason", " ")],
        )
        .await;
    assert_eq!(loc, format!("/ops/cases?error=reason&case={case}"));
    assert!(page.body.contains("aria-invalid=\"true\""));
    // A failure in the middle: a fault reference, nothing changed.
    app.state
        .faults
        .fail_next_undo
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let (loc, _) = app
        .submit_with(
            &s,
            "/ops/api/case",
            &[
                ("case", &case),
                ("decision", "undo"),
                ("reason", "called the owner"),
            ],
        )
        .await;
    assert!(loc.starts_with("/ops/cases?fault="), "{loc}");
    assert_eq!(app.count(consolidated).await, n);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cases WHERE decided_at IS NULL")
            .await,
        1
    );
    let (loc, page) = app
        .submit_with(
            &s,
            "/ops/api/case",
            &[
                ("case", &case),
                ("decision", "undo"),
                ("reason", "called the owner"),
            ],
        )
        .await;
    assert_eq!(loc, "/ops/cases?notice=case-undone");
    assert!(page.body.contains("Consolidation undone"));
    assert_eq!(app.count(consolidated).await, 0);
    let mail = app
        .wait_mail(JOHN_MAIL, "was undone")
        .await
        .expect("the undo is mailed");
    assert!(mail.body.contains(JOHN));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'ops/case_undo' AND outcome = 'ok' \
             AND target = 'case:{case}' AND reason = 'called the owner'"
        ))
        .await,
        1
    );
    // Decided: a second decision changes nothing.
    let (loc, _) = app
        .submit_with(
            &s,
            "/ops/api/case",
            &[("case", &case), ("decision", "lift"), ("reason", "again")],
        )
        .await;
    assert_eq!(loc, "/ops/cases?notice=case-decided");
    // The owner moves the accounts again.
    consolidate(app, "john.again@example.com").await;
    assert_eq!(app.count(consolidated).await, n);
}

/// The owner's wizard is at Finish for John's account (it passed every
/// proof before someone else consolidated it) at the moment an operator
/// undoes that consolidation: the Finish either comes first and is refused
/// (the account is consolidated then), or comes after and moves the account
/// under a new login; never half of either.
async fn undo_racing_a_finish(app: &TestApp) {
    let (owner, _) = app.new_browser();
    let steps: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "/api/wizard/lookup",
            vec![("username", JOHN), ("tin", "83-6576879")],
        ),
        ("/api/wizard/verify", vec![("answer", "Smith")]),
        (
            "/api/wizard/email",
            vec![
                ("email", "owner@example.com"),
                ("verify_email", "owner@example.com"),
            ],
        ),
    ];
    for (path, form) in &steps {
        assert_eq!(
            app.post_with(&owner, path, form).await.status,
            303,
            "{path}"
        );
    }
    let code = app.latest_code("owner@example.com").await;
    app.post_with(&owner, "/api/wizard/code", &[("code", &code)])
        .await;
    let r = app
        .post_with(
            &owner,
            "/api/wizard/password",
            &[("username", JOHN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/wizard/accounts"));
    // Someone else consolidates it first; the owner reports it.
    let token = consolidate(app, JOHN_MAIL).await;
    let (loc, _) = app
        .submit("/api/not_me", &[("token", token.as_str())])
        .await;
    assert!(loc.starts_with("/not-me/done"));
    let login = app.count("SELECT id FROM portal_users").await;
    let case = app.count("SELECT MIN(id) FROM cases").await;
    let op = app
        .enrolled_operator("uma.ops", provider_portal::domain::Role::Support)
        .await;
    let op = app
        .count(&format!(
            "SELECT id FROM operators WHERE username = '{}'",
            op.username
        ))
        .await;
    let now = app.state.clock.now();
    let (undone, finish) = tokio::join!(
        app.state
            .store
            .undo_case(case, (op, "the owner called", now), 30 * 86_400, &[], false),
        app.post_with(&owner, "/api/wizard/finish", &[])
    );
    assert!(
        matches!(undone, Ok(Decided::Done { .. })),
        "the undo is whole: {undone:?}"
    );
    let consolidated = app
        .count("SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into IS NOT NULL")
        .await;
    // Whatever the order, every consolidated account has its link and the
    // undone login has none.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_links").await,
        consolidated
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM portal_links WHERE portal_user_id = {login}"
        ))
        .await,
        0
    );
    assert!(
        app.count("SELECT COUNT(*) FROM undone_links").await >= 1,
        "the undone links are kept"
    );
    match finish.location.as_deref() {
        // After the undo: the account moved under the owner's new login.
        Some("/wizard/done") => {
            assert!(consolidated >= 1);
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM legacy_accounts WHERE consolidated_into = {login}"
                ))
                .await,
                0
            );
            assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 2);
        }
        // Before it: refused, the account consolidated then; free now.
        Some("/wizard/lookup") => {
            assert_eq!(consolidated, 0);
            assert_eq!(app.count("SELECT COUNT(*) FROM portal_users").await, 1);
        }
        other => panic!("the Finish ended at {other:?}: {}", finish.body),
    }
}

on_both_databases!(
    the_link_freezes_the_login,
    undo_and_lift_are_whole,
    an_operator_undoes_a_case_in_the_console,
    undo_racing_a_finish
);
