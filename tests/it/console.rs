//! The operators' console: an operator added by the command enrols (a
//! password and an authenticator), signs in with both, sees the migration's
//! figures, and every step is in the audit trail under the operator.

use crate::common::console::{seed_on, OPS_PASSWORD};
use crate::common::TestApp;
use provider_portal::auth::totp;
use provider_portal::domain::Role;

async fn an_operator_enrols_signs_in_and_sees_progress(app: &TestApp) {
    // Without a session the console sends the browser to its sign-in page.
    let page = app.get("/ops").await;
    assert!(
        page.location.as_deref() == Some("/ops/sign-in"),
        "{} {:?}",
        page.status,
        page.location
    );

    let token = app.add_operator("ana.ops", Role::Admin).await;
    let (browser, jar) = app.new_browser();
    let enrol = app
        .get_with(&browser, &format!("/ops/enrol?token={token}"))
        .await;
    assert_eq!(enrol.status, 200);
    assert!(enrol.body.contains("<svg") && enrol.body.contains("ana.ops"));
    let seed = seed_on(&enrol.body);
    // The seed is stored sealed, never as the page shows it.
    let stored: String = sqlx::query_scalar("SELECT totp_seed FROM operators")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert!(stored.starts_with("v2:") && !stored.contains(&hex_of(&seed)));

    let enrol_with = |password: &'static str, code: String| {
        let token = token.clone();
        let browser = browser.clone();
        async move {
            app.post_with(
                &browser,
                "/ops/api/enrol",
                &[
                    ("token", &token),
                    ("password", password),
                    ("confirm_password", password),
                    ("code", &code),
                ],
            )
            .await
        }
    };
    // A short password, then a wrong code: each said, nothing enrolled.
    let now = app.state.clock.now();
    let res = enrol_with("short", totp::code_at(&seed, now)).await;
    let back = res.location.unwrap();
    assert!(back.contains("error=error-new-password-short"), "{back}");
    let page = app.get_with(&browser, &back).await;
    assert!(page.body.contains("error-summary"), "the message is shown");
    let wrong = format!(
        "{:06}",
        (totp::code_at(&seed, now).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let res = enrol_with(OPS_PASSWORD, wrong).await;
    assert!(res.location.unwrap().contains("error=error-ops-code-wrong"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM operators WHERE password_hash IS NOT NULL")
            .await,
        0
    );
    // The right code enrols, once.
    let res = enrol_with(OPS_PASSWORD, totp::code_at(&seed, now)).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/sign-in?notice=enrolled")
    );
    let again = app.get(&format!("/ops/enrol?token={token}")).await;
    assert!(!again.body.contains("<svg"), "the link works once");

    // The code that enrolled does not sign in (a code is good once).
    let op = crate::common::console::Operator {
        username: "ana.ops".into(),
        password: OPS_PASSWORD.into(),
        seed: seed.clone(),
    };
    let res = app
        .ops_sign_in_with(&browser, &op, &totp::code_at(&seed, now))
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/sign-in"),
        "{} {}",
        res.status,
        res.body
    );
    let page = app.get_with(&browser, "/ops/sign-in").await;
    assert!(
        page.body.contains("value=\"ana.ops\""),
        "the username typed is kept"
    );
    assert!(page.body.contains("error-summary"));

    // A fresh code signs in: a console cookie for /ops only.
    app.state.clock.advance(30);
    let code = totp::code_at(&seed, app.state.clock.now());
    let res = app.ops_sign_in_with(&browser, &op, &code).await;
    assert_eq!(res.location.as_deref(), Some("/ops"), "{}", res.body);
    let cookie = res
        .set_cookie
        .iter()
        .find(|c| c.starts_with("pp_ops="))
        .expect("the console cookie");
    for part in ["Path=/ops", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let _ = jar;
    let progress = app.get_with(&browser, "/ops").await;
    assert_eq!(progress.status, 200, "{}", progress.body);
    let loaded = app.count("SELECT COUNT(*) FROM legacy_accounts").await;
    assert!(loaded > 0);
    assert!(progress.body.contains("Migration progress"));
    assert!(
        progress.body.contains(&format!("<td>{loaded}</td>")),
        "the total of old accounts loaded ({loaded}) is shown"
    );
    // The same code again, from another browser: refused.
    let (other, _) = app.new_browser();
    let replay = app.ops_sign_in_with(&other, &op, &code).await;
    assert_eq!(replay.location.as_deref(), Some("/ops/sign-in"));

    // In Spanish too.
    let es = browser
        .get(format!("{}/ops", app.base))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    assert!(es.text().await.unwrap().contains("Avance de la migración"));

    // 15 minutes idle end the session.
    app.state.clock.advance(16 * 60);
    let page = app.get_with(&browser, "/ops").await;
    assert_eq!(
        page.location.as_deref(),
        Some("/ops/sign-in"),
        "{} {}",
        page.status,
        &page.body[..page.body.len().min(3000)]
    );

    // Sign in again, then Sign out ends the session on the server.
    app.state.clock.advance(30);
    app.ops_sign_in(&browser, &op).await;
    assert_eq!(app.get_with(&browser, "/ops").await.status, 200);
    let res = app.post_with(&browser, "/ops/api/sign_out", &[]).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/sign-in?notice=signed-out")
    );
    let page = app.get_with(&browser, "/ops").await;
    assert_eq!(page.location.as_deref(), Some("/ops/sign-in"), "signed out");
    let live = app.state.clock.now() - 15 * 60;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM operator_sessions WHERE last_seen >= {live}"
        ))
        .await,
        0,
        "the session ended on the server"
    );

    // The trail names the operator for each of its actions.
    let id: i64 = sqlx::query_scalar("SELECT id FROM operators")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    for (action, outcome) in [
        ("ops_enrol", "ok"),
        ("ops_sign_in", "ok"),
        ("ops/progress", "viewed"),
        ("ops_sign_out", "ok"),
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {id} AND action = '{action}' AND outcome = '{outcome}'"
            ))
            .await;
        assert!(n >= 1, "{action} {outcome} is audited under the operator");
    }
    assert!(
        app.count("SELECT COUNT(*) FROM audit_trail WHERE action = 'ops_sign_in' AND outcome = 'refused: code already used'").await >= 1
    );
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Five wrong answers lock John's old account; a support operator sees the
/// lock, is asked for a reason, lifts it; John is told by mail and his
/// right answer then gets through. An auditor sees the lock but may not lift it.
async fn support_unlocks_a_provider_locked_by_wrong_answers(app: &TestApp) {
    sqlx::query("UPDATE legacy_accounts SET email = 'john.old@example.com' WHERE username = 'johnsmith@gmail.com'")
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let (john, _) = app.new_browser();
    let lookup = [("username", "johnsmith@gmail.com"), ("tin", "83-6576879")];
    app.submit_with(&john, "/api/wizard/lookup", &lookup).await;
    for _ in 0..5 {
        app.post_with(&john, "/api/wizard/verify", &[("answer", "Jones")])
            .await;
    }
    let locked = app
        .count("SELECT COUNT(*) FROM legacy_accounts WHERE answer_locked_until > 0")
        .await;
    assert_eq!(locked, 1, "five wrong answers lock the account");

    let auditor = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &auditor).await;
    let page = app.get_with(&a, "/ops/locked").await;
    assert!(
        page.body.contains("johnsmith@gmail.com"),
        "the auditor sees the lock"
    );
    assert!(!page.body.contains("name=\"reason\""), "but has no Unlock");
    let lock: String = format!(
        "answer:{}",
        app.count("SELECT id FROM legacy_accounts WHERE username = 'johnsmith@gmail.com'")
            .await
    );
    let res = app
        .post_with(
            &a,
            "/ops/api/unlock",
            &[("lock", &lock), ("reason", "asked nicely")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops?notice=not-allowed"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE answer_locked_until > 0")
            .await,
        1
    );

    app.state.clock.advance(30);
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    let page = app.get_with(&s, "/ops/locked").await;
    assert!(page.body.contains("name=\"reason\""), "support has Unlock");
    // Without a reason: said beside the lock's field, nothing lifted.
    let res = app
        .post_with(&s, "/ops/api/unlock", &[("lock", &lock), ("reason", "  ")])
        .await;
    let back = res.location.unwrap();
    let page = app.get_with(&s, &back).await;
    assert!(
        page.body.contains("Give the reason for this action."),
        "{back}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE answer_locked_until > 0")
            .await,
        1
    );
    let res = app
        .post_with(
            &s,
            "/ops/api/unlock",
            &[
                ("lock", &lock),
                ("reason", "caller verified by ticket 4411"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops/locked?notice=unlocked"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE answer_locked_until > 0")
            .await,
        0
    );
    let mail = app
        .wait_mail("john.old@example.com", "unlocked")
        .await
        .expect("John is told the lock was lifted");
    assert!(
        mail.body.contains("was lifted") && mail.body.contains("levantó"),
        "{}",
        mail.body
    );
    let id: i64 = app
        .count("SELECT id FROM operators WHERE username = 'sam.ops'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {id} AND action = 'ops/unlock' AND target = '{lock}' AND reason = 'caller verified by ticket 4411' AND outcome = 'ok'"
        ))
        .await,
        1
    );
    // Unlocking again: the lock has gone.
    let res = app
        .post_with(
            &s,
            "/ops/api/unlock",
            &[("lock", &lock), ("reason", "again")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/locked?notice=unlock-gone")
    );

    // John gets through with the right answer.
    let (john, _) = app.new_browser();
    app.submit_with(&john, "/api/wizard/lookup", &lookup).await;
    let (loc, _) = app
        .submit_with(&john, "/api/wizard/verify", &[("answer", "Smith")])
        .await;
    assert_eq!(loc, "/wizard/email");
}

/// A stranger at any console page is sent to the console's sign-in with a
/// real redirect, whatever the client says it accepts (a browser's
/// `text/html`, curl's `*/*`, nothing), and the page sent with it is titled
/// and headed as the sign-in, not as the page refused.
async fn a_stranger_is_sent_to_the_console_sign_in(app: &TestApp) {
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let title_of = |body: &str| -> String {
        body.split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .unwrap_or_default()
            .to_string()
    };
    for path in [
        "/ops",
        "/ops/find",
        "/ops/stuck",
        "/ops/locked",
        "/ops/cases",
        "/ops/codes",
        "/ops/outbox",
        "/ops/audit",
        "/ops/operators",
        "/ops/shown",
    ] {
        for accept in [Some("text/html,application/xhtml+xml"), Some("*/*"), None] {
            let mut req = plain.get(format!("{}{path}", app.base));
            if let Some(a) = accept {
                req = req.header("accept", a);
            }
            let res = req.send().await.unwrap();
            let status = res.status();
            let location = res
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string());
            let body = res.text().await.unwrap();
            let title = title_of(&body);
            assert_eq!(
                (status.as_u16(), location.as_deref()),
                (302, Some("/ops/sign-in")),
                "{path} with Accept {accept:?}: {title}"
            );
            assert!(
                title.contains("console: sign in") && !title.contains("Migration progress"),
                "{path} with Accept {accept:?} is titled {title:?}"
            );
            assert!(
                body.contains("<h1") && body.contains("href=\"/ops/sign-in\""),
                "{path}: a heading and the way to sign in"
            );
        }
    }
}

on_both_databases!(
    a_stranger_is_sent_to_the_console_sign_in,
    an_operator_enrols_signs_in_and_sees_progress,
    support_unlocks_a_provider_locked_by_wrong_answers,
    an_auditor_searches_and_exports_the_trail,
    support_finds_accounts_and_ends_a_logins_sessions,
    stuck_flows_are_grouped_by_step,
    progress_follows_a_consolidation
);

/// An auditor searches the trail and exports it: the CSV's rows are the
/// database's events for the same search, with formula cells neutralised;
/// the export is itself audited.
async fn an_auditor_searches_and_exports_the_trail(app: &TestApp) {
    // Events to find: refusals with a formula-looking address field would
    // need a client at "=1+1"; an audit event written as the store writes
    // them stands in for one.
    let store = &app.state.store;
    let now = app.state.clock.now();
    for (i, address) in ["=HYPERLINK(\"x\")", "203.0.113.7", "+1", "@SUM(A1)"]
        .iter()
        .enumerate()
    {
        store
            .audit_operator(
                now - i as i64,
                &provider_portal::store::OperatorEvent {
                    operator_id: None,
                    legacy_account_id: Some(42),
                    address,
                    action: "test_event",
                    target: Some("-target"),
                    reason: Some("\tspace"),
                    outcome: "ok",
                },
            )
            .await
            .unwrap();
    }
    let op = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &op).await;
    let page = app
        .get_with(&a, "/ops/audit?action=test_&address=203.0.113.7")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("203.0.113.7") && !page.body.contains("HYPERLINK"),
        "the search narrows"
    );
    let bad = app.get_with(&a, "/ops/audit?from=30%2F11%2F2026").await;
    assert!(
        bad.body.contains("Enter the date as YYYY-MM-DD"),
        "a bad date is said"
    );

    let res = a
        .get(format!("{}/ops/audit.csv?action=test_", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM audit_events WHERE action = 'test_event' ORDER BY at DESC, id DESC",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let exported: Vec<i64> = records.iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(
        exported, ids,
        "the CSV holds exactly the events of the search"
    );
    for r in &records {
        for cell in r.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run as a formula"
            );
        }
    }
    assert!(records.iter().any(|r| &r[5] == "'=HYPERLINK(\"x\")"));
    let id: i64 = app
        .count("SELECT id FROM operators WHERE username = 'audrey.ops'")
        .await;
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_trail WHERE operator_id = {id} AND action = 'ops/audit_export'")).await,
        1
    );
    // Compressed, as browsers ask for it, the export arrives whole.
    let res = a
        .get(format!("{}/ops/audit.csv?action=test_", app.base))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("content-encoding").is_some());
    assert!(!res
        .bytes()
        .await
        .expect("the whole compressed body")
        .is_empty());
    // Without a session: no CSV.
    let res = app.get("/ops/audit.csv").await;
    assert_eq!(res.location.as_deref(), Some("/ops/sign-in"));
    assert!(!res.body.contains("time_utc"));
}

/// Find an account: by username and by TIN (only masked TINs shown), the
/// old account's status as it moves, a login's accounts and sessions, and
/// End all sessions (a reason required).
async fn support_finds_accounts_and_ends_a_logins_sessions(app: &TestApp) {
    let op = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &op).await;
    // A TIN is searched by a POST; the page's address holds its keyed hash only.
    let r = app
        .post_with(&s, "/ops/api/find", &[("q", "83-6576879")])
        .await;
    let to = r.location.expect("to the results");
    assert!(
        to.starts_with("/ops/find?tin=") && !to.contains("6576879"),
        "{to}"
    );
    let page = app.get_with(&s, &to).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Old account johnsmith@gmail.com"),
        "found by TIN"
    );
    assert!(
        page.body.contains("Old account jsmith-billing"),
        "both accounts of the TIN"
    );
    assert!(
        page.body.contains("***-**-6879") && !page.body.contains("6576879"),
        "only masked TINs"
    );
    assert!(page.body.contains("Not started"));
    // Neither has an event yet: each trail says so, not a table of headings.
    assert_eq!(
        page.body
            .matches("Its audit trail is empty: nothing has been recorded for this account yet.")
            .count(),
        2,
        "an empty trail is said in words"
    );
    assert!(!page.body.contains("Its audit trail, newest first"));
    // In a wizard: the status says where.
    let (john, _) = app.new_browser();
    app.submit_with(
        &john,
        "/api/wizard/lookup",
        &[("username", "johnsmith@gmail.com"), ("tin", "836576879")],
    )
    .await;
    let page = app.get_with(&s, "/ops/find?q=JohnSmith@gmail.com").await;
    assert!(
        page.body.contains("In a wizard at step verify"),
        "case does not matter"
    );
    assert!(page.body.contains("lookup_account"), "its trail is shown");
    assert!(page.body.contains("Its audit trail, newest first"));
    // A login: its accounts and sessions; End all sessions needs a reason.
    let pw = "Lantern harbour quietly 42";
    let (p, _) = app.new_browser();
    app.register_with_demo_code(&p, "clinic-lead", "lead@clinic.example", pw)
        .await;
    let r = app.sign_in_from(&p, "clinic-lead", pw).await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    let page = app.get_with(&s, "/ops/find?q=clinic-lead").await;
    assert!(
        page.body.contains("New-portal login clinic-lead"),
        "{}",
        page.body.len()
    );
    let login = app
        .count("SELECT id FROM portal_users WHERE username = 'clinic-lead'")
        .await
        .to_string();
    let r = app
        .post_with(
            &s,
            "/ops/api/end_sessions",
            &[("login", &login), ("reason", "")],
        )
        .await;
    assert!(r.location.unwrap().ends_with("&error=reason"));
    assert_eq!(
        app.get_with(&p, "/accounts").await.status,
        200,
        "still signed in"
    );
    let r = app
        .post_with(
            &s,
            "/ops/api/end_sessions",
            &[("login", &login), ("reason", "stolen laptop, ticket 77")],
        )
        .await;
    assert!(r.location.unwrap().ends_with("&notice=sessions-ended"));
    let page = app.get_with(&p, "/accounts").await;
    assert_eq!(
        page.location.as_deref(),
        Some("/"),
        "the provider is signed out"
    );
    let id = app
        .count("SELECT id FROM operators WHERE username = 'sam.ops'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {id} AND action = 'ops/end_sessions' AND target = 'login:clinic-lead' AND reason = 'stolen laptop, ticket 77'"
        ))
        .await,
        1
    );
    let n = app.count(&format!("SELECT COUNT(*) FROM audit_trail WHERE operator_id = {id} AND action = 'ops/find' AND target LIKE 'tin:%'")).await;
    let all: Vec<(String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT action, target FROM audit_trail WHERE operator_id = {id}"
    ))
    .fetch_all(app.state.store.pool())
    .await
    .unwrap();
    assert_eq!(n, 1, "a TIN search is audited with the TIN masked: {all:?}");
}

/// Stuck: a wizard idle at Account Verification shows in its step's group
/// and in the list, with the old account's username; a shorter idle time
/// than asked for does not.
async fn stuck_flows_are_grouped_by_step(app: &TestApp) {
    let op = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &op).await;
    let (john, _) = app.new_browser();
    app.submit_with(
        &john,
        "/api/wizard/lookup",
        &[("username", "johnsmith@gmail.com"), ("tin", "836576879")],
    )
    .await;
    let page = app.get_with(&a, "/ops/stuck").await;
    assert!(
        page.body.contains("No flow is idle that long."),
        "not idle 5 minutes yet"
    );
    app.state.clock.advance(6 * 60);
    let page = app.get_with(&a, "/ops/stuck?minutes=5").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<th scope=\"row\">wizard</th><td>verify</td><td>1</td><td>6</td>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<td>johnsmith@gmail.com</td>"));
    let page = app.get_with(&a, "/ops/stuck?minutes=10").await;
    assert!(page.body.contains("No flow is idle that long."));
}

/// Progress follows a consolidation made in another browser: the day's
/// count, the 30-day total and the source's consolidated column.
async fn progress_follows_a_consolidation(app: &TestApp) {
    let op = app.enrolled_operator("audrey.ops", Role::Auditor).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &op).await;
    let before = app.get_with(&a, "/ops").await;
    assert!(
        before.body.contains("in the last 30 days: 0."),
        "nothing consolidated yet"
    );
    // No consolidation yet: a sentence says so, in place of an empty chart
    // (which showed a lone "1" on its axis).
    assert!(
        before
            .body
            .contains("No old account has been consolidated in the last 30 days"),
        "the empty chart is said in words"
    );
    assert!(!before.body.contains("class=\"chart\""), "no empty chart");
    let row = |source: &str, figures: [i64; 4]| {
        format!(
            "<th scope=\"row\">{source}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            figures[0], figures[1], figures[2], figures[3]
        )
    };
    assert!(
        before
            .body
            .contains(&row("provider-portal-2012", [3, 0, 0, 3])),
        "loaded, consolidated, in a wizard, not started: {}",
        before.body
    );
    assert!(before.body.contains("New-portal logins created: 0."));
    app.walk_to_password("john@example.com").await;
    let during = app.get_with(&a, "/ops").await;
    assert!(
        during
            .body
            .contains(&row("provider-portal-2012", [3, 0, 1, 2])),
        "held by the wizard: {}",
        during.body
    );
    app.submit(
        "/api/wizard/password",
        &[
            ("username", "johnsmith@gmail.com"),
            ("password", "Welcome#2019"),
        ],
    )
    .await;
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    let after = app.get_with(&a, "/ops").await;
    assert!(after
        .body
        .contains(&row("provider-portal-2012", [3, 1, 0, 2])));
    assert!(after.body.contains(&row("All old portals", [5, 1, 0, 4])));
    assert!(after.body.contains("New-portal logins created: 1."));
    assert!(
        after.body.contains("class=\"chart\"") && after.body.contains("aria-hidden=\"true\""),
        "a consolidation: the chart, hidden from screen readers"
    );
    assert!(!after.body.contains("no chart to draw"));
    assert!(
        after.body.contains("in the last 30 days: 1."),
        "the consolidation is counted: {}",
        after.body
    );
    let today: String = provider_portal::mail::utc_time(app.state.clock.now())
        .chars()
        .take(10)
        .collect();
    assert!(
        after
            .body
            .contains(&format!("<th scope=\"row\">{today}</th><td>1</td>")),
        "today's row in the figures' table"
    );
    // An account returned to "not consolidated" (issue 18's undo) leaves the
    // figures kept by the triggers as they were before.
    sqlx::query(
        "UPDATE legacy_accounts SET consolidated_into = NULL, consolidated_at = NULL \
         WHERE username = 'johnsmith@gmail.com'",
    )
    .execute(app.state.store.pool())
    .await
    .unwrap();
    let undone = app.get_with(&a, "/ops").await;
    assert!(undone.body.contains("in the last 30 days: 0."));
    assert!(
        undone
            .body
            .contains(&row("provider-portal-2012", [3, 0, 0, 3])),
        "{}",
        undone.body
    );
}
