//! Support verification codes (issue 17): only support and admin issue
//! them; the code is shown once, only to the operator who issued it; it is
//! never stored, logged or shown again; guessing at Account Verification
//! voids it after five tries; a provider's or no session issues nothing.

use super::*;
use provider_portal::domain::Role;

const JOHN: &str = "johnsmith@gmail.com";

fn shown_value(p: &Page) -> Option<String> {
    p.set_cookie
        .iter()
        .find_map(|c| c.strip_prefix("pp_shown="))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) async fn support_codes(db: Db) {
    let Some(app) = app(db).await else { return };
    let issue = [("account", JOHN), ("code_reason", "caller checked")];

    // Nobody, a provider, an auditor: refused, audited, nothing issued.
    let nobody = Browser::new(&app);
    let r = nobody.post("/ops/api/support_code", &issue).await;
    stopped_if(
        "Issue a support code without a session",
        r.location.as_deref() == Some("/ops/sign-in")
            && audits(&app, "ops/support_code", "refused: no console session").await == 1,
        format!("{:?}", r.location),
    );
    let provider = Browser::new(&app);
    let pw = "Lantern harbour quietly 42";
    app.register_with_demo_code(&provider.client, "prov-lead", "lead@prov.example", pw)
        .await;
    app.sign_in_from(&provider.client, "prov-lead", pw).await;
    let r = provider.post("/ops/api/support_code", &issue).await;
    stopped_if(
        "Issue a support code with a provider's session",
        r.location.as_deref() == Some("/ops/sign-in"),
        format!("{:?}", r.location),
    );
    let auditor = app.enrolled_operator("olga.ops", Role::Auditor).await;
    let a = Browser::new(&app);
    app.ops_sign_in(&a.client, &auditor).await;
    let r = a.post("/ops/api/support_code", &issue).await;
    stopped_if(
        "an auditor issuing a support code",
        r.location.as_deref() == Some("/ops?notice=not-allowed")
            && audits(&app, "ops/support_code", "refused: role").await == 1,
        format!("{:?}", r.location),
    );
    stopped_if(
        "no code was issued by the refused calls",
        count(&app, "SELECT COUNT(*) FROM support_codes").await == 0,
        "a code",
    );

    // Support issues one. The shown-once value opens for nobody else: not
    // for another operator's session, not when made up or changed.
    app.state.clock.advance(30);
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let s = Browser::new(&app);
    app.ops_sign_in(&s.client, &support).await;
    let r = app
        .client
        .post(format!("{}/ops/api/support_code", app.base))
        .header("origin", &app.base)
        .form(&issue)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "no session: to sign-in");
    let res = s.post("/ops/api/support_code", &issue).await;
    let sealed = shown_value(&res).expect("the code waits in its cookie");
    let mut tried = vec![
        sealed.clone(),
        format!("{sealed}00"),
        "v1:".to_string() + &"ab".repeat(60),
    ];
    let mut flipped = sealed.clone().into_bytes();
    let i = flipped.len() - 3;
    flipped[i] = if flipped[i] == b'a' { b'b' } else { b'a' };
    tried.push(String::from_utf8(flipped).unwrap());
    for value in &tried {
        let page = a
            .app
            .client
            .get(format!("{}/ops/shown", app.base))
            .header(
                "cookie",
                format!("pp_ops={}; pp_shown={value}", a_token(&a)),
            )
            .send()
            .await
            .unwrap();
        let page = TestApp::read(page).await;
        stopped_if(
            "a shown-once value read by another operator, or forged",
            page.body.contains("There is nothing to show.") && !page.body.contains("shown-code"),
            page.status,
        );
    }
    let shown = s.get("/ops/shown").await;
    assert!(shown.body.contains("shown-code"), "its operator sees it");
    let start = shown.body.find("<strong>").unwrap() + 8;
    let code = shown.body[start..start + 11].to_string();

    // Never kept, never logged.
    let dump = app.dump().await;
    let bare = code.replace('-', "");
    stopped_if(
        "the support code at rest",
        !dump.contains(&code) && !dump.contains(&bare),
        "found in the database",
    );
    stopped_if(
        "the support code in the log",
        !log_text().contains(&code) && !log_text().contains(&bare),
        "found in the log",
    );

    // Guessing at Account Verification: five wrong codes void the real one.
    let guess = |answer: String| {
        let app = &app;
        async move {
            let b = Browser::new(app);
            b.submit(
                "/api/wizard/lookup",
                &[("username", JOHN), ("tin", "83-6576879")],
            )
            .await;
            b.submit("/api/wizard/verify", &[("answer", &answer)])
                .await
                .0
        }
    };
    for i in 0..5 {
        guess(format!("ZZZZZ-ZZZZ{}", 2 + i)).await;
    }
    let after = guess(code.clone()).await;
    stopped_if(
        "the right support code after five wrong ones",
        after == "/wizard/verify",
        after,
    );
    app.cleanup().await;
}

/// The console session token of a browser, as its cookie jar holds it.
fn a_token(b: &Browser<'_>) -> String {
    use reqwest::cookie::CookieStore;
    let url = format!("{}/ops/", b.app.base).parse().unwrap();
    let c = b.jar.cookies(&url).expect("signed in");
    c.to_str()
        .unwrap()
        .split(';')
        .map(str::trim)
        .find_map(|kv| kv.strip_prefix("pp_ops="))
        .expect("a console session")
        .to_string()
}

/// Spreadsheet formulas on their way to the audit export: old accounts
/// whose usernames or practices a spreadsheet would run are refused at
/// import (`formula-like`), and reasons typed by an operator that start
/// like a formula go out neutralised: no cell of the export starts with
/// `=`, `+`, `-`, `@`, a tab or a CR, and each reason is there with a
/// leading `'`.
pub(crate) async fn csv_formulas_in_the_export(db: Db) {
    use provider_portal::import::FileFormat;
    let Some(app) = app(db).await else { return };
    let hostile = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)"];
    let mut file = String::new();
    for (i, bad) in hostile.iter().enumerate() {
        for (username, practice) in [
            (format!("{bad}{i}"), "Plain Practice".to_string()),
            (format!("plain{i}"), bad.to_string()),
        ] {
            file.push_str(&format!(
                "{{\"source\":\"e2e\",\"legacy_id\":\"{username}\",\"username\":\"{username}\",\"tins\":[\"70000010{i}\"],\"practice\":\"{practice}\",\"role\":\"R\",\"question\":\"Q?\",\"answer\":\"a\",\"pin\":\"1234\",\"password\":\"Secret#2019\"}}\n"
            ));
        }
    }
    let (summary, reported) = app
        .import(FileFormat::Jsonl, file.into_bytes(), false, "ops")
        .await;
    stopped_if(
        "formula-like usernames and practices at import",
        summary.inserted == 0
            && reported.len() == 2 * hostile.len()
            && reported.iter().all(|r| r.code == "formula-like"),
        format!("{} inserted; {reported:?}", summary.inserted),
    );

    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let s = Browser::new(&app);
    app.ops_sign_in(&s.client, &support).await;
    let reasons = [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-1+1",
        "@SUM(1)",
        "\t=1",
        "\r=2",
    ];
    for (i, reason) in reasons.iter().enumerate() {
        s.post("/ops/api/find", &[("q", hostile[i % hostile.len()])])
            .await;
        s.post(
            "/ops/api/support_code",
            &[("account", JOHN), ("code_reason", reason)],
        )
        .await;
    }
    let export = s.get("/ops/audit.csv").await;
    assert_eq!(export.status, 200);
    let mut reader = csv::ReaderBuilder::new().from_reader(export.body.as_bytes());
    let mut cells = 0;
    let mut formulas = Vec::new();
    let mut seen = 0;
    for record in reader.records() {
        let record = record.expect("a well-formed CSV");
        for cell in record.iter() {
            cells += 1;
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                formulas.push(cell.to_string());
            }
            // Reasons are kept trimmed.
            if reasons.iter().any(|r| cell == format!("'{}", r.trim())) {
                seen += 1;
            }
        }
    }
    stopped_if(
        "formula cells in the audit export",
        formulas.is_empty() && cells > 0,
        format!("{formulas:?}"),
    );
    stopped_if(
        "the hostile reasons are in the export, neutralised",
        seen == reasons.len(),
        format!("{seen} of {}", reasons.len()),
    );
    app.cleanup().await;
}
