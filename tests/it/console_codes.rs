//! Codes issued from the console (issue 17). Support verification codes:
//! support issues one for an old account after checking the caller; it is
//! shown once to that operator, kept only as a keyed hash, and lets the
//! provider through Account Verification once, within 72 hours and five
//! tries, even when wrong answers have locked the step. Registration codes:
//! issued (shown once), listed with their status, revoked.

use crate::common::TestApp;
use provider_portal::domain::{Role, SupportCode};

const JOHN: &str = "johnsmith@gmail.com";
const LOOKUP: [(&str, &str); 2] = [("username", JOHN), ("tin", "83-6576879")];

/// The code on the shown-once page, as support reads it out.
fn code_on(body: &str) -> String {
    let start = body
        .find("<p class=\"shown-code\"><strong>")
        .expect("the page shows a code")
        + 30;
    let code = &body[start..start + 11];
    assert!(SupportCode::parse(code).is_some(), "{code}");
    code.to_string()
}

async fn a_support_code_lets_a_locked_out_provider_through_once(app: &TestApp) {
    // John has forgotten his answer and his PIN: five wrong tries lock him.
    let (john, _) = app.new_browser();
    app.submit_with(&john, "/api/wizard/lookup", &LOOKUP).await;
    for _ in 0..5 {
        app.post_with(&john, "/api/wizard/verify", &[("answer", "Jones")])
            .await;
    }
    let account = app
        .count(&format!(
            "SELECT id FROM legacy_accounts WHERE username = '{JOHN}'"
        ))
        .await;

    // An auditor may not issue one: refused, audited, nothing issued.
    let auditor = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &auditor).await;
    let page = app.get_with(&a, &format!("/ops/find?q={JOHN}")).await;
    assert!(page.body.contains("None live"), "{}", page.body);
    assert!(
        !page.body.contains("name=\"code_reason\""),
        "no form for an auditor"
    );
    let issue = [("account", JOHN), ("code_reason", "caller checked")];
    let res = app.post_with(&a, "/ops/api/support_code", &issue).await;
    assert_eq!(res.location.as_deref(), Some("/ops?notice=not-allowed"));
    assert_eq!(app.count("SELECT COUNT(*) FROM support_codes").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_trail WHERE action = 'ops/support_code' AND outcome = 'refused: role'").await,
        1
    );

    app.state.clock.advance(30);
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    let page = app.get_with(&s, &format!("/ops/find?q={JOHN}")).await;
    assert!(
        page.body.contains("name=\"code_reason\""),
        "support has the form"
    );
    // Without a reason: said, nothing issued.
    let res = app
        .post_with(
            &s,
            "/ops/api/support_code",
            &[("account", JOHN), ("code_reason", " ")],
        )
        .await;
    let back = res.location.unwrap();
    assert!(back.contains("error=code_reason"), "{back}");
    let page = app.get_with(&s, &back).await;
    assert!(page.body.contains("Give the reason for this action."));
    assert_eq!(app.count("SELECT COUNT(*) FROM support_codes").await, 0);

    // Issued: shown once, to this operator, and gone on reload.
    let reason = "caller checked by callback, ticket 5120";
    let res = app
        .post_with(
            &s,
            "/ops/api/support_code",
            &[("account", JOHN), ("code_reason", reason)],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops/shown"));
    let shown = app.get_with(&s, "/ops/shown").await;
    assert_eq!(shown.status, 200);
    let code = code_on(&shown.body);
    assert!(
        shown
            .set_cookie
            .iter()
            .any(|c| c.starts_with("pp_shown=;") && c.contains("Max-Age=0")),
        "the page removes the value: {:?}",
        shown.set_cookie
    );
    let again = app.get_with(&s, "/ops/shown").await;
    assert!(
        again.body.contains("There is nothing to show."),
        "{}",
        again.body
    );
    assert!(!again.body.contains(&code));
    // Only its keyed hash is kept; the trail names operator, account, reason.
    let dump = app.dump().await;
    assert!(!dump.contains(&code) && !dump.contains(&code.replace('-', "")));
    let sam = app
        .count("SELECT id FROM operators WHERE username = 'sam.ops'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {sam} AND action = 'ops/support_code' \
             AND target = 'account:{JOHN}' AND reason = '{reason}' AND outcome = 'ok' AND legacy_account_id = {account}"
        ))
        .await,
        1
    );
    let page = app.get_with(&s, &format!("/ops/find?q={JOHN}")).await;
    assert!(
        page.body.contains("5 tries left"),
        "Find shows the live code"
    );

    // John, still locked, types it (lower case, spaced) and gets through.
    let (john, _) = app.new_browser();
    app.submit_with(&john, "/api/wizard/lookup", &LOOKUP).await;
    let typed = code.to_lowercase().replace('-', " ");
    let (loc, _) = app
        .submit_with(&john, "/api/wizard/verify", &[("answer", &typed)])
        .await;
    assert_eq!(loc, "/wizard/email");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_trail WHERE action = 'verify_security_answer' AND outcome = 'ok: support code' AND legacy_account_id = {account}"
        ))
        .await,
        1
    );
    // Once: the same code in another browser is wrong.
    let (other, _) = app.new_browser();
    app.submit_with(&other, "/api/wizard/lookup", &LOOKUP).await;
    let (loc, _) = app
        .submit_with(&other, "/api/wizard/verify", &[("answer", &code)])
        .await;
    assert_eq!(loc, "/wizard/verify");
}

async fn a_support_code_is_bound_to_its_account_and_void_after_five_tries(app: &TestApp) {
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    let issue = |account: String| {
        let s = s.clone();
        async move {
            let res = app
                .post_with(
                    &s,
                    "/ops/api/support_code",
                    &[("account", &account), ("code_reason", "checked")],
                )
                .await;
            assert_eq!(res.location.as_deref(), Some("/ops/shown"));
            code_on(&app.get_with(&s, "/ops/shown").await.body)
        }
    };
    let first = issue(JOHN.into()).await;
    // A second code voids the first.
    let second = issue(JOHN.into()).await;
    assert_ne!(first, second);
    let verify = |answer: String| async move {
        let (b, _) = app.new_browser();
        app.submit_with(&b, "/api/wizard/lookup", &LOOKUP).await;
        app.submit_with(&b, "/api/wizard/verify", &[("answer", &answer)])
            .await
            .0
    };
    assert_eq!(verify(first.clone()).await, "/wizard/verify", "voided");
    // Five wrong code-shaped tries (one already spent above) void the second.
    for _ in 0..4 {
        assert_eq!(verify("ZZZZZ-ZZZZZ".into()).await, "/wizard/verify");
    }
    assert_eq!(
        verify(second.clone()).await,
        "/wizard/verify",
        "void after five tries"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM support_codes WHERE used_at IS NOT NULL")
            .await,
        0
    );

    // A code of another account does not verify this one.
    let name: String = sqlx::query_scalar(
        "SELECT username FROM legacy_accounts WHERE username <> 'johnsmith@gmail.com' AND consolidated_into IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(app.state.store.pool())
    .await
    .unwrap();
    let theirs = issue(name).await;
    assert_eq!(verify(theirs).await, "/wizard/verify");
    // A fresh code for John, after 72 hours, is void.
    let third = issue(JOHN.into()).await;
    app.state.clock.advance(72 * 3600);
    assert_eq!(verify(third).await, "/wizard/verify", "expired");
}

/// The registration code on the shown-once page.
fn registration_code_on(body: &str) -> String {
    let start = body
        .find("<p class=\"shown-code\"><strong>")
        .expect("the page shows a code")
        + 30;
    body[start..start + 14].to_string()
}

async fn registration_codes_are_issued_listed_and_revoked(app: &TestApp) {
    let auditor = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &auditor).await;
    let page = app.get_with(&a, "/ops/codes").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("***-**-9012"),
        "the demo code is listed: {}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"practice\""),
        "no Issue for an auditor"
    );
    let form = |tin: &'static str, reason: &'static str| {
        [
            ("tin", tin),
            ("practice", "Hill Clinic"),
            ("role", ""),
            ("days", "10"),
            ("reason", reason),
        ]
    };
    let res = app
        .post_with(
            &a,
            "/ops/api/registration_code",
            &form("12-3456789", "new practice"),
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops?notice=not-allowed"));
    let before = app.count("SELECT COUNT(*) FROM registration_codes").await;

    app.state.clock.advance(30);
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    // A TIN typed wrong: said beside the field; the rest kept, never the TIN.
    let res = app
        .post_with(
            &s,
            "/ops/api/registration_code",
            &form("12-345", "new practice"),
        )
        .await;
    let back = res.location.unwrap();
    assert!(
        back.contains("field=tin") && !back.contains("12-345"),
        "{back}"
    );
    let page = app.get_with(&s, &back).await;
    assert!(
        page.body.contains("Enter a Tax ID Number of 9 digits"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"Hill Clinic\""),
        "the practice is kept"
    );
    assert!(
        page.body.contains("value=\"new practice\""),
        "the reason is kept"
    );
    // No reason: said.
    let res = app
        .post_with(&s, "/ops/api/registration_code", &form("12-3456789", " "))
        .await;
    let page = app.get_with(&s, &res.location.unwrap()).await;
    assert!(page.body.contains("Give the reason for this action."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM registration_codes").await,
        before
    );

    // Issued: shown once; it registers.
    let res = app
        .post_with(
            &s,
            "/ops/api/registration_code",
            &form("12-3456789", "new practice, ticket 77"),
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops/shown"));
    let shown = app.get_with(&s, "/ops/shown").await;
    let code = registration_code_on(&shown.body);
    assert!(
        shown
            .body
            .contains("***-**-6789 (Hill Clinic, Practice manager)"),
        "{}",
        shown.body
    );
    assert!(
        !app.dump().await.contains(&code),
        "only its keyed hash is kept"
    );
    let sam = app
        .count("SELECT id FROM operators WHERE username = 'sam.ops'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {sam} AND action = 'ops/registration_code' \
             AND target = 'tin:***-**-6789' AND reason = 'new practice, ticket 77' AND outcome = 'ok'"
        ))
        .await,
        1
    );
    let page = app.get_with(&s, "/ops/codes").await;
    assert!(page.body.contains("Hill Clinic") && page.body.contains("Live"));
    let (p, _) = app.new_browser();
    let (loc, _) = app
        .submit_with(
            &p,
            "/api/register/start",
            &[("registration_code", &code), ("tin", "123456789")],
        )
        .await;
    assert_eq!(loc, "/register/account");

    // A practice of 200 letters outside ASCII, with a tab: still shown.
    let long = format!("Clínica\t{}", "ñ".repeat(192));
    let res = app
        .post_with(
            &s,
            "/ops/api/registration_code",
            &[
                ("tin", "55-5555555"),
                ("practice", &long),
                ("role", ""),
                ("days", ""),
                ("reason", "long name"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops/shown"));
    let shown = app.get_with(&s, "/ops/shown").await;
    registration_code_on(&shown.body);
    assert!(shown.body.contains("Clínica ñ"), "the tab reads as a space");

    // A second code, revoked (a reason first), no longer registers.
    let res = app
        .post_with(
            &s,
            "/ops/api/registration_code",
            &form("98-7654321", "second"),
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops/shown"));
    let second = registration_code_on(&app.get_with(&s, "/ops/shown").await.body);
    let id = app
        .count("SELECT id FROM registration_codes WHERE last4 = '4321'")
        .await
        .to_string();
    let res = app
        .post_with(
            &s,
            "/ops/api/revoke_code",
            &[("code_id", &id), ("reason", "")],
        )
        .await;
    let page = app.get_with(&s, &res.location.unwrap()).await;
    assert!(page.body.contains("Give the reason for this action."));
    assert!(
        page.body.contains(&format!("id=\"reason-{id}\"")),
        "beside its row"
    );
    let res = app
        .post_with(
            &s,
            "/ops/api/revoke_code",
            &[("code_id", &id), ("reason", "sent to the wrong office")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops/codes?notice=revoked"));
    let page = app.get_with(&s, "/ops/codes").await;
    assert!(page.body.contains("Revoked on"), "{}", page.body);
    let (p, _) = app.new_browser();
    let (loc, _) = app
        .submit_with(
            &p,
            "/api/register/start",
            &[("registration_code", &second), ("tin", "987654321")],
        )
        .await;
    assert_eq!(loc, "/register", "a revoked code does not register");
    // Revoking again: gone.
    let res = app
        .post_with(
            &s,
            "/ops/api/revoke_code",
            &[("code_id", &id), ("reason", "again")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/codes?notice=revoke-gone")
    );
}

on_both_databases!(
    a_support_code_lets_a_locked_out_provider_through_once,
    a_support_code_is_bound_to_its_account_and_void_after_five_tries,
    registration_codes_are_issued_listed_and_revoked
);
