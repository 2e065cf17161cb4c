//! Each old portal's closing date (issue 32, step 1): set and removed by an
//! admin with a reason (audited; support may not), named on the sign-in
//! page and the quick guide while it is within 90 days, in both languages;
//! after the day the wizard still moves the portal's accounts unless the
//! admin chose otherwise, and then says so only after the account's proof.

use crate::common::{Page, TestApp};
use provider_portal::domain::Role;

const JOHN: &str = "johnsmith@gmail.com";
const LOOKUP: [(&str, &str); 2] = [("username", JOHN), ("tin", "83-6576879")];
/// The demo accounts' old portal (demo/accounts.csv).
const SOURCE: &str = "provider-portal-2012";
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MESES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// The day `days` after the app's today: `YYYY-MM-DD`, in English and in
/// Spanish as the pages write it.
fn day_after(app: &TestApp, days: i64) -> (String, String, String) {
    let at = app.state.clock.now() + days * 86_400;
    let d = time::OffsetDateTime::from_unix_timestamp(at)
        .unwrap()
        .date();
    let m = d.month() as usize;
    (
        format!("{}-{:02}-{:02}", d.year(), m, d.day()),
        format!("{} {}, {}", MONTHS[m - 1], d.day(), d.year()),
        format!("{} de {} de {}", d.day(), MESES[m - 1], d.year()),
    )
}

async fn spanish(app: &TestApp, path: &str) -> Page {
    let req = app
        .client
        .get(format!("{}{path}", app.base))
        .header("accept-language", "es");
    TestApp::read(req.send().await.unwrap()).await
}

/// The audit rows of `action` with `outcome`.
async fn audited(app: &TestApp, action: &str, outcome: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_trail WHERE action = '{action}' AND outcome = '{outcome}'"
    ))
    .await
}

/// John's lookup and right answer from a new browser: where it leads.
async fn john_answers(app: &TestApp) -> (String, Page) {
    let (john, _) = app.new_browser();
    app.submit_with(&john, "/api/wizard/lookup", &LOOKUP).await;
    app.submit_with(&john, "/api/wizard/verify", &[("answer", "smith")])
        .await
}

async fn closing_dates_are_set_by_admins_and_named_to_providers(app: &TestApp) {
    let notice = "works until";
    assert!(!app.get("/").await.body.contains(notice));
    let (day, in_english, in_spanish) = day_after(app, 30);
    let form = |after: &'static str, on: &str, reason: &str| {
        vec![
            ("source", SOURCE.to_string()),
            ("name", "Provider Portal 2012".to_string()),
            ("closes_on", on.to_string()),
            ("after", after.to_string()),
            ("reason", reason.to_string()),
        ]
    };
    let as_pairs = |f: &Vec<(&'static str, String)>| {
        f.iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect::<Vec<(&str, String)>>()
    };

    // Support sees the page but may not set a date: refused and audited.
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    let page = app.get_with(&s, "/ops/closing").await;
    assert!(page.body.contains(SOURCE), "{}", page.body);
    assert!(page.body.contains("No date"));
    assert!(
        !page.body.contains("name=\"closes_on\""),
        "no form for support"
    );
    let f = as_pairs(&form("lookup", &day, "old portal retired"));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.post_with(&s, "/ops/api/closing_set", &f).await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops?notice=not-allowed"),
        "{} {}",
        res.status,
        res.body
    );
    assert_eq!(audited(app, "ops/closing_set", "refused: role").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_closings").await, 0);

    // An admin: a day typed wrong is said, and what was typed comes back.
    app.state.clock.advance(30);
    let admin = app.enrolled_operator("ada.ops", Role::Admin).await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &admin).await;
    let page = app.get_with(&a, "/ops/closing").await;
    assert!(page.body.contains("name=\"closes_on\""), "the admin's form");
    let post = |after: &'static str, on: String, reason: &'static str| {
        let a = a.clone();
        async move {
            let f = form(after, &on, reason);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_with(&a, "/ops/api/closing_set", &f).await
        }
    };
    let res = post("lookup", "31/12/2026".into(), "old portal retired").await;
    let back = res.location.unwrap();
    assert!(back.contains("error=error-ops-closes-on"), "{back}");
    let page = app.get_with(&a, &back).await;
    assert!(
        page.body.contains("Enter the day as YYYY-MM-DD"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"31/12/2026\""));
    assert!(page.body.contains("value=\"Provider Portal 2012\""));
    assert!(page.body.contains("value=\"old portal retired\""));
    let res = post("lookup", day.clone(), " ").await;
    assert!(res
        .location
        .unwrap()
        .contains("error=error-ops-reason-empty"));
    let res = post("sometimes", day.clone(), "x").await;
    assert!(res
        .location
        .unwrap()
        .contains("error=error-ops-after-closing"));
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_closings").await, 0);

    // A date beyond 90 days is kept but not named yet.
    let (far, _, _) = day_after(app, 120);
    let res = post("lookup", far.clone(), "planned").await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/closing?notice=closing-set")
    );
    assert!(!app.get("/").await.body.contains(notice));

    // Within 30 days: named on the sign-in page and the quick guide, in
    // both languages, with a plain link into the wizard.
    post("lookup", day.clone(), "old portal retired 2026").await;
    let page = app.get("/").await;
    let english = format!("Your old Provider Portal 2012 account works until {in_english}:");
    assert!(page.body.contains(&english), "{}", page.body);
    assert!(page
        .body
        .contains("<a href=\"/wizard/lookup\">move it now</a>"));
    assert!(app.get("/help").await.body.contains(&english));
    let spanish_text =
        format!("Su cuenta antigua de Provider Portal 2012 funciona hasta el {in_spanish}:");
    assert!(spanish(app, "/").await.body.contains(&spanish_text));
    assert!(spanish(app, "/help").await.body.contains(&spanish_text));
    let ada = app
        .count("SELECT id FROM operators WHERE username = 'ada.ops'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_trail WHERE operator_id = {ada} AND action = 'ops/closing_set' \
             AND target = 'source:{SOURCE}' AND reason = 'old portal retired 2026' AND outcome = 'ok: {day}, lookup after'"
        ))
        .await,
        1
    );
    let page = app.get_with(&a, "/ops/closing").await;
    assert!(
        page.body.contains(&format!("{day} (30 days left)")),
        "{}",
        page.body
    );
    let progress = app.get_with(&a, "/ops").await;
    assert!(progress.body.contains(&format!("{day} (30 days left)")));

    // After the day: no longer named; the wizard still moves its accounts.
    app.state.clock.advance(31 * 86_400);
    assert!(!app.get("/").await.body.contains(notice));
    let (loc, _) = john_answers(app).await;
    assert_eq!(loc, "/wizard/email");

    // Refused after the day: said after the right answer only.
    app.ops_sign_in(&a, &admin).await;
    post("refuse", day.clone(), "data moved elsewhere").await;
    let (loc, page) = john_answers(app).await;
    assert_eq!(loc, "/wizard/lookup");
    assert!(
        page.body.contains(&format!(
            "The old Provider Portal 2012 portal closed on {in_english}"
        )),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("value=\"{JOHN}\"")),
        "the username is kept"
    );
    assert_eq!(
        audited(app, "verify_security_answer", "refused: portal closed").await,
        1
    );
    // A wrong answer reads as wrong, as for any account.
    let (john, _) = app.new_browser();
    app.submit_with(&john, "/api/wizard/lookup", &LOOKUP).await;
    let (loc, page) = app
        .submit_with(&john, "/api/wizard/verify", &[("answer", "Jones")])
        .await;
    assert_eq!(loc, "/wizard/verify");
    assert!(!page.body.contains("closed on"));

    // Removed (with a reason): the wizard moves John's account again.
    let res = app
        .post_with(
            &a,
            "/ops/api/closing_remove",
            &[("source", SOURCE), ("reason", "")],
        )
        .await;
    let back = res.location.unwrap();
    assert!(back.contains("error=error-ops-reason-empty"), "{back}");
    assert!(app
        .get_with(&a, &back)
        .await
        .body
        .contains("Give the reason for this action."));
    let res = app
        .post_with(
            &a,
            "/ops/api/closing_remove",
            &[("source", SOURCE), ("reason", "closing postponed")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/ops/closing?notice=closing-removed")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM portal_closings").await, 0);
    assert_eq!(audited(app, "ops/closing_remove", "ok").await, 1);
    let (loc, _) = john_answers(app).await;
    assert_eq!(loc, "/wizard/email");
}

on_both_databases!(closing_dates_are_set_by_admins_and_named_to_providers);
