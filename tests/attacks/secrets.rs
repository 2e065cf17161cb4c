//! Secrets in the database dump and in the log.

use super::*;

/// Whether `needle` occurs in `hay` as a whole token (not inside a longer
/// run of letters and digits, such as a hash or a timestamp).
pub(crate) fn has_token(hay: &str, needle: &str) -> bool {
    token_at(hay, needle).is_some()
}

/// Where `needle` first stands as a whole token in `hay`. The decimals of
/// a number are part of it: the request log's `seconds=0.221455` is no
/// six-digit code (it was taken for one, once in a few runs).
fn token_at(hay: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle).map(|i| i + from) {
        let mut back = hay[..i].chars().rev();
        let before = back.next();
        let decimals = before == Some('.') && back.next().is_some_and(|c| c.is_ascii_digit());
        let after = hay[i + needle.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !word(before) && !word(after) && !decimals {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// The text around `needle`'s first whole-token place in `hay`, to say
/// where a secret was found.
pub(crate) fn token_context(hay: &str, needle: &str) -> Option<String> {
    let i = token_at(hay, needle)?;
    let start = hay[..i].char_indices().rev().nth(80).map_or(0, |(j, _)| j);
    let end = hay[i..]
        .char_indices()
        .nth(80 + needle.len())
        .map_or(hay.len(), |(j, _)| i + j);
    Some(hay[start..end].to_string())
}

pub(crate) async fn secrets_at_rest_and_in_logs(db: Db) {
    let Some(app) = app(db).await else { return };
    let mut secrets: Vec<String> = vec![
        "Welcome#2019".into(),
        "Billing#2020".into(),
        "Hartford".into(),
        "4826".into(),
        "1357".into(),
        "836576879".into(),
        "83-6576879".into(),
        "061234567".into(),
        "123456789".into(),
        "Zanzibar-wrong-answer".into(),
        "Wrong#Secret-991".into(),
    ];
    // A full run: wrong tries, a PIN, two accounts, Finish, sign-in.
    let b = Browser::new(&app);
    b.submit(
        "/api/wizard/lookup",
        &[("username", JOHN), ("tin", "83-6576879")],
    )
    .await;
    b.submit("/api/wizard/verify", &[("answer", "Zanzibar-wrong-answer")])
        .await;
    b.submit("/api/wizard/verify", &[("answer", "4826")]).await;
    b.submit(
        "/api/wizard/email",
        &[
            ("email", "rest@example.com"),
            ("verify_email", "rest@example.com"),
        ],
    )
    .await;
    b.submit("/api/wizard/code", &[("code", "000000")]).await;
    let code = app.latest_code("rest@example.com").await;
    b.submit("/api/wizard/code", &[("code", &code)]).await;
    b.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", "Wrong#Secret-991")],
    )
    .await;
    b.submit(
        "/api/wizard/password",
        &[("username", JOHN), ("password", JOHN_PASSWORD)],
    )
    .await;
    b.submit("/api/wizard/another", &[]).await;
    b.submit(
        "/api/wizard/lookup",
        &[("username", BILLING), ("tin", "061234567")],
    )
    .await;
    b.submit("/api/wizard/verify", &[("answer", "Hartford")])
        .await;
    b.submit(
        "/api/wizard/password",
        &[("username", BILLING), ("password", "Billing#2020")],
    )
    .await;
    let (loc, _) = b.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    let s = Browser::new(&app);
    let (loc, _) = s
        .submit(
            "/api/sign_in",
            &[("username", JOHN), ("password", JOHN_PASSWORD)],
        )
        .await;
    assert_eq!(loc, "/accounts");
    for m in app.state.mailer.dev_mail(100) {
        if let Some(c) = m.body.split("code is ").nth(1) {
            secrets.push(c.chars().take(6).collect());
        }
    }
    secrets.push("000000".into());
    let dump = app.dump().await;
    assert!(
        dump.contains("== legacy_accounts"),
        "the dump reads the tables"
    );
    for secret in &secrets {
        stopped_if(
            &format!("{secret} in a dump of the database"),
            !has_token(&dump.to_lowercase(), &secret.to_lowercase()),
            "found",
        );
    }
    let log = log_text();
    assert!(log.contains("wizard step"), "the log is captured");
    // The JSON log: each line an object; each request's lines carry its id.
    let json = crate::json_log_text();
    let mut with_id = 0;
    for line in json.lines().filter(|l| !l.is_empty()) {
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                stopped_if(
                    "a JSON log line that does not parse",
                    false,
                    format!("{e}: {line}"),
                );
                continue;
            }
        };
        if v["message"] == "request" {
            stopped_if(
                "a request's JSON log line without its id",
                v["request_id"].as_str().is_some_and(|id| {
                    (1..=64).contains(&id.len())
                        && id
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                }),
                line,
            );
            with_id += 1;
        }
    }
    assert!(with_id > 0, "the JSON log has the requests");
    for secret in &secrets {
        stopped_if(
            &format!("{secret} in the log"),
            !has_token(&log, secret),
            "found",
        );
    }
    app.cleanup().await;
}
