//! Closing dates (issue 32): only an admin sets or removes one; a name
//! typed into it reaches providers' pages as text, never as markup; and a
//! closed portal's refusal is said only after the account's proof, so that
//! the wizard's lookup still tells nobody which accounts exist.

use super::*;
use provider_portal::domain::Role;

const SOURCE: &str = "provider-portal-2012";

/// The form of Save the closing date.
fn form<'a>(
    source: &'a str,
    name: &'a str,
    on: &'a str,
    after: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("source", source),
        ("name", name),
        ("closes_on", on),
        ("after", after),
        ("reason", "attack suite"),
    ]
}

const DATES: &str = "SELECT COUNT(*) FROM portal_closings";

pub(crate) async fn closing_dates(db: Db) {
    let Some(app) = app(db).await else { return };
    let good = form(SOURCE, "Provider Portal 2012", "2099-12-31", "refuse");

    // Nobody, a provider, an auditor, support: refused, nothing stored.
    let nobody = Browser::new(&app);
    let r = nobody.post("/ops/api/closing_set", &good).await;
    stopped_if(
        "Save a closing date without a session",
        r.location.as_deref() == Some("/ops/sign-in") && count(&app, DATES).await == 0,
        format!("{:?}", r.location),
    );
    let provider = Browser::new(&app);
    let pw = "Lantern harbour quietly 42";
    app.register_with_demo_code(&provider.client, "prov-close", "close@prov.example", pw)
        .await;
    app.sign_in_from(&provider.client, "prov-close", pw).await;
    let r = provider.post("/ops/api/closing_set", &good).await;
    stopped_if(
        "Save a closing date with a provider's session",
        r.location.as_deref() == Some("/ops/sign-in") && count(&app, DATES).await == 0,
        format!("{:?}", r.location),
    );
    for (who, role) in [("olga.ops", Role::Auditor), ("sam.ops", Role::Support)] {
        app.state.clock.advance(30);
        let op = app.enrolled_operator(who, role).await;
        let b = Browser::new(&app);
        app.ops_sign_in(&b.client, &op).await;
        for (path, f) in [
            ("/ops/api/closing_set", good.clone()),
            (
                "/ops/api/closing_remove",
                vec![("source", SOURCE), ("reason", "x")],
            ),
        ] {
            let r = b.post(path, &f).await;
            stopped_if(
                &format!("{path} by {role:?}"),
                r.location.as_deref() == Some("/ops?notice=not-allowed")
                    && count(&app, DATES).await == 0,
                format!("{:?}", r.location),
            );
        }
    }
    stopped_if(
        "refused closing-date actions are audited",
        audits(&app, "ops/closing_set", "refused: role").await == 2
            && audits(&app, "ops/closing_remove", "refused: role").await == 2,
        "audit",
    );

    // An admin: a source that holds no accounts, a name with a control
    // character or too long, a day that is none: refused, nothing stored.
    app.state.clock.advance(30);
    let admin = app.enrolled_operator("ada.ops", Role::Admin).await;
    let a = Browser::new(&app);
    app.ops_sign_in(&a.client, &admin).await;
    let long = "P".repeat(81);
    for (what, f, error) in [
        (
            "a source holding no accounts",
            form("other-portal", "X", "2099-12-31", "lookup"),
            "error-ops-source",
        ),
        (
            "a source with SQL in it",
            form("x' OR '1'='1", "X", "2099-12-31", "lookup"),
            "error-ops-source",
        ),
        (
            "a name with a control character",
            form(SOURCE, "Old\u{7}Portal", "2099-12-31", "lookup"),
            "error-ops-portal-name",
        ),
        (
            "a name of 81 characters",
            form(SOURCE, &long, "2099-12-31", "lookup"),
            "error-ops-portal-name",
        ),
        (
            "a day that is none",
            form(SOURCE, "X", "2099-02-30", "lookup"),
            "error-ops-closes-on",
        ),
        (
            "a day with SQL in it",
            form(SOURCE, "X", "2099-12-31'--", "lookup"),
            "error-ops-closes-on",
        ),
        (
            "a choice that is none",
            form(SOURCE, "X", "2099-12-31", "always"),
            "error-ops-after-closing",
        ),
    ] {
        let r = a.post("/ops/api/closing_set", &f).await;
        let to = r.location.clone().unwrap_or_default();
        stopped_if(
            &format!("Save a closing date with {what}"),
            to.contains(&format!("error={error}")) && count(&app, DATES).await == 0,
            to,
        );
    }
    let r = a
        .post(
            "/ops/api/closing_remove",
            &[("source", "nothing-here"), ("reason", "attack")],
        )
        .await;
    stopped_if(
        "Remove the date of a portal with none",
        r.location.as_deref() == Some("/ops/closing?notice=closing-gone"),
        format!("{:?}", r.location),
    );

    // A name with markup reaches the sign-in page as text.
    let markup = "<img src=x onerror=alert(1)>";
    let soon = time::OffsetDateTime::from_unix_timestamp(app.state.clock.now() + 10 * 86_400)
        .unwrap()
        .date();
    let soon = format!(
        "{}-{:02}-{:02}",
        soon.year(),
        soon.month() as u8,
        soon.day()
    );
    let r = a
        .post(
            "/ops/api/closing_set",
            &form(SOURCE, markup, &soon, "lookup"),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/ops/closing?notice=closing-set")
    );
    for path in ["/", "/help"] {
        let page = app.get(path).await;
        stopped_if(
            &format!("a portal's name with markup on {path}"),
            page.body.contains("&lt;img src=x onerror=alert(1)&gt;")
                && !page.body.contains("<img src=x"),
            "markup",
        );
    }
    let page = a.get("/ops/closing").await;
    stopped_if(
        "a portal's name with markup on the console",
        !page.body.contains("<img src=x"),
        "markup",
    );

    // Closed and refused: a wrong answer to a closed portal's account reads
    // as one to any other account; only the right one hears of the closing.
    app.state.clock.advance(11 * 86_400);
    app.ops_sign_in(&a.client, &admin).await;
    let r = a
        .post(
            "/ops/api/closing_set",
            &form(SOURCE, "Provider Portal 2012", &soon, "refuse"),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/ops/closing?notice=closing-set")
    );
    let wrong = |user: &'static str, tin: &'static str| {
        let app = &app;
        async move {
            let b = Browser::new(app);
            b.submit("/api/wizard/lookup", &[("username", user), ("tin", tin)])
                .await;
            let (loc, page) = b
                .submit("/api/wizard/verify", &[("answer", "wrong guess")])
                .await;
            (
                loc,
                page.body.contains("closed on"),
                page.body.contains("does not match our records"),
            )
        }
    };
    let closed = wrong(JOHN, JOHN_TIN).await;
    let open = wrong("kpatel", "731234567").await;
    let nobody = wrong("no-such-user", "111111111").await;
    stopped_if(
        "a wrong answer tells a closed portal's account from others",
        closed == open && open == nobody && closed.0 == "/wizard/verify" && !closed.1,
        format!("{closed:?} {open:?} {nobody:?}"),
    );
    app.cleanup().await;
}
