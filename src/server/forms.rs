//! What stands in front of every server function: form checks (size,
//! encoding, fields), admission to the hashing pool, and per-address rate
//! limits kept in the database.

use super::refused::{count_refusal, ctx_of, peer, too_many};
use crate::flow::{audit_refusal, short_reference};
use crate::i18n::{from_headers, Msg};
use crate::state::AppState;
use crate::store::Limit;
use crate::web::{client_key, is_https, refusal};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The largest form body accepted (the forms are a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// How much of a too-large body is read (and discarded) before answering.
const DRAIN_BYTES: usize = 4 * 1024 * 1024;
/// The longest value of one field (the longest legitimate one, an email
/// address, is at most 254 bytes; the inputs carry matching `maxlength`).
pub const MAX_FIELD_BYTES: usize = 512;

/// Every field name our forms use. A button with `formaction` (Previous,
/// Cancel, Request New Code) posts its whole form to another function, so a
/// function ignores the known fields it does not take; any other name is
/// refused.
const KNOWN_FIELDS: &[&str] = &[
    "username",
    "tin",
    "answer",
    "email",
    "verify_email",
    "code",
    "password",
    "registration_code",
    "confirm_password",
    "token",
    "lock",
    "reason",
    "login",
    "q",
    "tin",
    "minutes",
    "account",
    "code_reason",
    "practice",
    "role",
    "days",
    "code_id",
    "operator",
    "change",
    "from",
    "to",
    "case",
    "decision",
    "name",
    "method",
    "remember",
    "browser",
    "state",
    "credential",
    "source",
    "closes_on",
    "after",
    "invite",
    "statuses",
    "langs",
    "per_hour",
    "reminders",
    "imported_before",
    "campaign",
    "address",
    "id",
];

/// The fields a passkey's ceremony brings back (the sealed state and the
/// browser's answer, JSON), and their longest value.
const PASSKEY_FIELDS: &[&str] = &["state", "credential"];
pub const MAX_PASSKEY_FIELD_BYTES: usize = 12 * 1024;

/// The longest value of field `name`.
fn max_of(name: &str) -> usize {
    if PASSKEY_FIELDS.contains(&name) {
        MAX_PASSKEY_FIELD_BYTES
    } else {
        MAX_FIELD_BYTES
    }
}

/// One server function's form: the fields it requires.
struct FormSpec {
    required: &'static [&'static str],
    /// The page to go back to.
    page: &'static str,
    /// Which per-address limit counts it.
    class: Option<Class>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Class {
    Lookup,
    Proof,
    Mail,
}

/// The action a form's address names in the audit trail and the metrics
/// (`wizard/lookup`, `sign_in`; the console's `ops/sign_in`), if it is one
/// of our forms; any other address is [`UNKNOWN_ADDRESS`].
pub(super) fn form_action(path: &str) -> Option<String> {
    form_spec(path).map(|_| action_of(path))
}

/// The action named by the address of one of our forms.
fn action_of(path: &str) -> String {
    match path.strip_prefix("/ops/api/") {
        Some(rest) => format!("ops/{rest}"),
        None => path.trim_start_matches("/api/").to_string(),
    }
}

/// The one action name of a request to an address that is none of ours:
/// an attacker picks addresses, which must not become labels or actions.
pub(super) const UNKNOWN_ADDRESS: &str = "unknown address";

fn form_spec(path: &str) -> Option<FormSpec> {
    let spec = |required, page, class| {
        Some(FormSpec {
            required,
            page,
            class,
        })
    };
    match path {
        "/api/wizard/lookup" => spec(&["username", "tin"], "/wizard/lookup", Some(Class::Lookup)),
        "/api/wizard/verify" => spec(&["answer"], "/wizard/verify", Some(Class::Proof)),
        "/api/wizard/email" => spec(
            &["email", "verify_email"],
            "/wizard/email",
            Some(Class::Mail),
        ),
        "/api/wizard/resend" => spec(&[], "/wizard/code", Some(Class::Mail)),
        "/api/wizard/code" => spec(&["code"], "/wizard/code", Some(Class::Proof)),
        "/api/wizard/password" => spec(
            &["username", "password"],
            "/wizard/password",
            Some(Class::Proof),
        ),
        "/api/wizard/new_password" => spec(
            &["password", "confirm_password"],
            "/wizard/new-password",
            Some(Class::Proof),
        ),
        "/api/wizard/another" | "/api/wizard/finish" => spec(&[], "/wizard/accounts", None),
        "/api/wizard/previous" => spec(&[], "/wizard/lookup", None),
        "/api/wizard/cancel" | "/api/wizard/state" => spec(&[], "/wizard/lookup", None),
        "/api/sign_in" => spec(&["username", "password"], "/", Some(Class::Proof)),
        "/api/sign_out" | "/api/my_accounts" => spec(&[], "/accounts", None),
        "/api/sign_in_state" => spec(&[], "/", None),
        "/api/add_old_account" => spec(&["password"], "/accounts", Some(Class::Proof)),
        "/api/sign_in/second_step" => spec(&["code"], "/sign-in/second-step", Some(Class::Proof)),
        "/api/sign_in/second_step_state" => spec(&[], "/sign-in/second-step", None),
        "/api/sign_in/second_step_passkey" => spec(
            &["state", "credential"],
            "/sign-in/second-step",
            Some(Class::Proof),
        ),
        "/api/sign_in/passkey" => spec(&["state", "credential"], "/", Some(Class::Proof)),
        // Sign-in and security.
        "/api/security" | "/api/security/backup_codes_shown" | "/api/security/app_start" => {
            spec(&[], "/security", None)
        }
        "/api/security/app_confirm" => spec(&["name", "code"], "/security/app", None),
        "/api/security/backup_codes" => spec(&["password"], "/security", Some(Class::Proof)),
        "/api/security/rename" => spec(&["method", "name"], "/security", None),
        "/api/security/forget_browser" => spec(&["browser"], "/security", None),
        "/api/security/remove" => spec(&["method", "password"], "/security", Some(Class::Proof)),
        "/api/security/passkey_start" => spec(&["password"], "/security", Some(Class::Proof)),
        "/api/security/passkey_setup" => spec(&[], "/security/passkey", None),
        "/api/security/passkey_finish" => spec(
            &["state", "credential"],
            "/security/passkey",
            Some(Class::Proof),
        ),
        "/api/forgot_username" => spec(&["email"], "/forgot-username", Some(Class::Mail)),
        "/api/forgot_password" => spec(&["username"], "/forgot-password", Some(Class::Mail)),
        "/api/forgot_password/new" => spec(
            &["password", "confirm_password"],
            "/forgot-password/new",
            Some(Class::Proof),
        ),
        "/api/register/start" => spec(
            &["registration_code", "tin"],
            "/register",
            Some(Class::Proof),
        ),
        "/api/register/account" => spec(
            &["username", "email", "verify_email"],
            "/register/account",
            Some(Class::Mail),
        ),
        "/api/register/password" => spec(
            &["password", "confirm_password"],
            "/register/password",
            Some(Class::Proof),
        ),
        // "This wasn't me": a token guessed counts as a proof tried.
        "/api/not_me" => spec(&["token"], "/not-me", Some(Class::Proof)),
        "/api/not_me/state" => spec(&["token"], "/not-me", None),
        "/api/closing_notices" => spec(&[], "/", None),
        "/api/unsubscribe_state" => spec(&["token"], "/", None),
        "/api/invite" => spec(&["invite"], "/wizard/lookup", None),
        // Forgot Password and Register share these; the sign-in page is the
        // way back from a refusal to either.
        "/api/flow/code" => spec(&["code"], "/", Some(Class::Proof)),
        "/api/flow/resend" => spec(&[], "/", Some(Class::Mail)),
        "/api/flow/previous" | "/api/flow/cancel" | "/api/flow/state" => spec(&[], "/", None),
        // The operators' console.
        "/ops/api/sign_in" => spec(
            &["username", "password", "code"],
            "/ops/sign-in",
            Some(Class::Proof),
        ),
        "/ops/api/enrol" => spec(
            &["token", "password", "confirm_password", "code"],
            "/ops/sign-in",
            Some(Class::Proof),
        ),
        "/ops/api/enrol_state" => spec(&["token"], "/ops/sign-in", None),
        "/ops/api/unlock" => spec(&["lock", "reason"], "/ops/locked", None),
        "/ops/api/end_sessions" => spec(&["login", "reason"], "/ops/find", None),
        "/ops/api/reset_second_step" => spec(&["login", "reason"], "/ops/find", None),
        "/ops/api/find" => spec(&["q"], "/ops/find", None),
        "/ops/api/found" => spec(&["q", "tin"], "/ops/find", None),
        "/ops/api/stuck" => spec(&["minutes"], "/ops/stuck", None),
        "/ops/api/progress" => spec(&["from", "to"], "/ops", None),
        "/ops/api/support_code" => spec(&["account", "code_reason"], "/ops/find", None),
        "/ops/api/registration_code" => spec(
            &["tin", "practice", "role", "days", "reason"],
            "/ops/codes",
            None,
        ),
        "/ops/api/revoke_code" => spec(&["code_id", "reason"], "/ops/codes", None),
        // `after` is a choice of two, one of them chosen as the page opens.
        "/ops/api/closing_set" => spec(
            &["source", "name", "closes_on", "reason"],
            "/ops/closing",
            None,
        ),
        "/ops/api/closing_remove" => spec(&["source", "reason"], "/ops/closing", None),
        "/ops/api/campaign_create" => spec(
            &[
                "name",
                "source",
                "statuses",
                "langs",
                "per_hour",
                "reminders",
                "reason",
            ],
            "/ops/campaigns",
            None,
        ),
        "/ops/api/campaign_change" => {
            spec(&["campaign", "change", "reason"], "/ops/campaigns", None)
        }
        "/ops/api/campaign_test" => {
            spec(&["campaign", "address", "reason"], "/ops/campaigns", None)
        }
        "/ops/api/campaign" => spec(&["id"], "/ops/campaigns", None),
        "/ops/api/case" => spec(&["case", "decision", "reason"], "/ops/cases", None),
        "/ops/api/operator_add" => spec(&["username", "role", "reason"], "/ops/operators", None),
        "/ops/api/operator_change" => {
            spec(&["operator", "change", "reason"], "/ops/operators", None)
        }
        "/ops/api/sign_out"
        | "/ops/api/outbox"
        | "/ops/api/cases"
        | "/ops/api/sign_in_state"
        | "/ops/api/locked"
        | "/ops/api/shown"
        | "/ops/api/codes"
        | "/ops/api/closings"
        | "/ops/api/campaigns"
        | "/ops/api/operators"
        | "/ops/api/audit" => spec(&[], "/ops/sign-in", None),
        _ => None,
    }
}

/// Why a form was refused (never quoting what was sent).
#[derive(Debug, PartialEq)]
pub enum FormProblem {
    TooLarge,
    /// The body did not arrive within the request timeout.
    TooSlow,
    NotAForm,
    BadEncoding,
    FieldTooLong(String),
    UnknownField,
    Repeated(String),
    Missing(String),
}

impl FormProblem {
    fn status(&self) -> StatusCode {
        match self {
            FormProblem::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            FormProblem::TooSlow => StatusCode::REQUEST_TIMEOUT,
            FormProblem::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn sentence(&self) -> Msg {
        match self {
            FormProblem::TooLarge => Msg::new("refused-form-too-large"),
            FormProblem::TooSlow => Msg::new("refused-form-too-slow"),
            FormProblem::NotAForm => Msg::new("refused-form-not-a-form"),
            FormProblem::BadEncoding => Msg::new("refused-form-encoding"),
            FormProblem::FieldTooLong(f) => Msg::new("refused-form-field-too-long")
                .text("field", f)
                .number("max", max_of(f) as i64),
            FormProblem::UnknownField => Msg::new("refused-form-unknown-field"),
            FormProblem::Repeated(f) => Msg::new("refused-form-repeated").text("field", f),
            FormProblem::Missing(f) => Msg::new("refused-form-missing").text("field", f),
        }
    }

    fn audit_reason(&self) -> &'static str {
        match self {
            FormProblem::TooLarge => "refused: body too large",
            FormProblem::TooSlow => "refused: body too slow",
            FormProblem::NotAForm => "refused: not a form",
            FormProblem::BadEncoding => "refused: bad encoding",
            FormProblem::FieldTooLong(_) => "refused: field too long",
            FormProblem::UnknownField => "refused: unknown field",
            FormProblem::Repeated(_) => "refused: repeated field",
            FormProblem::Missing(_) => "refused: missing field",
        }
    }
}

fn decode(part: &[u8]) -> Result<String, FormProblem> {
    let plus: Vec<u8> = part
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
    String::from_utf8(bytes).map_err(|_| FormProblem::BadEncoding)
}

/// Checks a urlencoded body against a form's fields.
fn check_form(body: &[u8], spec: &FormSpec) -> Result<(), FormProblem> {
    std::str::from_utf8(body).map_err(|_| FormProblem::BadEncoding)?;
    let mut seen: Vec<String> = Vec::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let name = decode(k)?;
        let value = decode(v)?;
        let Some(known) = KNOWN_FIELDS.iter().find(|f| **f == name) else {
            return Err(FormProblem::UnknownField);
        };
        if value.len() > max_of(known) {
            return Err(FormProblem::FieldTooLong(known.to_string()));
        }
        if value.contains('\0') {
            return Err(FormProblem::BadEncoding);
        }
        if seen.iter().any(|s| s == known) {
            return Err(FormProblem::Repeated(known.to_string()));
        }
        seen.push(known.to_string());
    }
    if let Some(missing) = spec.required.iter().find(|f| !seen.iter().any(|s| s == *f)) {
        return Err(FormProblem::Missing(missing.to_string()));
    }
    Ok(())
}

/// Reads a form body. One larger than [`MAX_BODY_BYTES`] is refused, but
/// read (and thrown away) up to [`DRAIN_BYTES`] first, so that the browser
/// gets the 413 page rather than a broken connection; beyond that the
/// connection is simply closed.
async fn read_body(mut body: Body) -> Result<Bytes, FormProblem> {
    use http_body_util::BodyExt;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| FormProblem::TooLarge)?;
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen > DRAIN_BYTES {
                return Err(FormProblem::TooLarge);
            }
            if seen <= MAX_BODY_BYTES {
                kept.extend_from_slice(&data);
            }
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(FormProblem::TooLarge);
    }
    Ok(Bytes::from(kept))
}

/// Every POST to a server function: a form of the right shape (else a clear
/// 4xx, nothing stored), then the per-address limit of its kind (else 429
/// with `Retry-After`). Both refusals are audited.
pub async fn checked_forms(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::POST || !(path.starts_with("/api/") || path.starts_with("/ops/api/"))
    {
        return next.run(req).await;
    }
    let Some(spec) = form_spec(req.uri().path()) else {
        return refusal(
            StatusCode::NOT_FOUND,
            &from_headers(req.headers()),
            "not-found-heading",
            &Msg::new("refused-no-such-form"),
            "/",
        );
    };
    let ctx = ctx_of(
        &app,
        req.headers(),
        peer(&req),
        is_https(req.headers(), &app.settings),
    );
    let req_path = req.uri().path().to_string();
    let action = action_of(&req_path);
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    let (parts, body) = req.into_parts();
    let deadline = app.settings.request_timeout;
    let checked: Result<Bytes, FormProblem> = async {
        if !is_form {
            return Err(FormProblem::NotAForm);
        }
        let bytes = tokio::time::timeout(deadline, read_body(body))
            .await
            .map_err(|_| FormProblem::TooSlow)??;
        check_form(&bytes, &spec)?;
        Ok(bytes)
    }
    .await;
    let bytes = match checked {
        Ok(b) => b,
        Err(problem) => {
            let outcome = problem.audit_reason();
            if let Some(res) = count_refusal(&app, &ctx, &action, outcome, None, spec.page).await {
                return res;
            }
            return refusal(
                problem.status(),
                &ctx.lang,
                "refused-title-form",
                &problem.sentence(),
                spec.page,
            );
        }
    };
    // A request that hashes needs a place in the pool's queue; when it is
    // full the request is refused at once, so excess work never queues
    // without bound. (The code check does not hash.)
    let hashes = spec.class == Some(Class::Proof)
        && !matches!(
            req_path.as_str(),
            "/api/wizard/code" | "/api/flow/code" | "/api/register/start"
        );
    let admission = if hashes { app.hasher.admit() } else { None };
    if hashes && admission.is_none() {
        metrics::counter!("portal_hash_refused_total").increment(1);
        // Recorded beside the answer, not before it: the refusal must not
        // wait for a database connection behind the work it refuses.
        let (a, c) = (app.clone(), ctx.clone());
        tokio::spawn(async move { audit_refusal(&a, &c, &action, "refused: busy").await });
        let mut res = refusal(
            StatusCode::TOO_MANY_REQUESTS,
            &ctx.lang,
            "refused-title-busy",
            &Msg::new("refused-busy"),
            spec.page,
        );
        res.headers_mut()
            // The admitted work is about a second of hashing.
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return res;
    }
    if let Some(class) = spec.class {
        let (name, window, limit) = match class {
            Class::Lookup => ("lookup", 15 * 60, app.settings.ip_limits.lookups),
            Class::Proof => ("proof", 15 * 60, app.settings.ip_limits.proofs),
            Class::Mail => ("mail", 3600, app.settings.ip_limits.mails),
        };
        let limit = Limit {
            key: format!("ip-{name}:{}", client_key(&ctx.address)),
            window,
            limit,
        };
        match app.store.rate_take(&[limit], app.clock.now()).await {
            Ok(None) => {}
            Ok(Some(wait)) => {
                audit_refusal(&app, &ctx, &action, "refused: too many requests").await;
                return too_many(&ctx.lang, spec.page, wait);
            }
            Err(e) => {
                // The limit cannot be read: refuse rather than let it go unchecked.
                let reference = short_reference();
                tracing::error!(reference = %reference, error = %e, "rate limit: database");
                return refusal(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &ctx.lang,
                    "refused-title-fault",
                    &Msg::new("refused-fault").text("reference", reference),
                    spec.page,
                );
            }
        }
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    drop(admission);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FormSpec {
        form_spec("/api/wizard/lookup").unwrap()
    }

    #[test]
    fn good_forms_pass() {
        assert_eq!(
            check_form(b"username=a%40b.c&tin=83-6576879", &spec()),
            Ok(())
        );
        assert_eq!(check_form(b"tin=1&username=x+y", &spec()), Ok(()));
    }

    #[test]
    fn bad_forms_are_named() {
        assert_eq!(
            check_form(b"username=a", &spec()),
            Err(FormProblem::Missing("tin".into()))
        );
        assert_eq!(
            check_form(b"username=a&tin=1&tin=2", &spec()),
            Err(FormProblem::Repeated("tin".into()))
        );
        assert_eq!(
            check_form(b"username=a&tin=1&x=1", &spec()),
            Err(FormProblem::UnknownField)
        );
        assert_eq!(
            check_form(b"username=a&tin=1&username[]=1", &spec()),
            Err(FormProblem::UnknownField)
        );
        // Fields of the page posted along to another function are fine.
        assert_eq!(check_form(b"username=a&tin=1&password=x", &spec()), Ok(()));
        assert_eq!(
            check_form(b"username=%FF&tin=1", &spec()),
            Err(FormProblem::BadEncoding)
        );
        assert_eq!(
            check_form(b"username=\xff&tin=1", &spec()),
            Err(FormProblem::BadEncoding)
        );
        assert_eq!(
            check_form(b"username=%00&tin=1", &spec()),
            Err(FormProblem::BadEncoding)
        );
        let long = format!("username={}&tin=1", "a".repeat(MAX_FIELD_BYTES + 1));
        assert_eq!(
            check_form(long.as_bytes(), &spec()),
            Err(FormProblem::FieldTooLong("username".into()))
        );
    }
}
