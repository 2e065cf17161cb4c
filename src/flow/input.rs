//! What flows do with typed values before they are parsed: keep them for
//! the page (trimmed, bounded) and check an address against its confirmation.

use super::flash::FieldError;
use crate::domain::EmailAddress;
use crate::i18n::Msg;

/// What was typed in an email field, kept for the page (trimmed, bounded).
pub fn typed_email(s: &str) -> String {
    s.trim().chars().take(EmailAddress::MAX_LEN).collect()
}

/// An address as a page may show it ("j***@example.com").
pub fn masked_email(email: Option<&str>) -> String {
    email
        .and_then(|e| EmailAddress::parse(e).ok())
        .map(|e| e.masked())
        .unwrap_or_default()
}

/// The address, if it parses and its confirmation matches; otherwise what
/// the page says, beside the field at fault.
pub fn checked_email(email: &str, verify_email: &str) -> Result<EmailAddress, FieldError> {
    let a = EmailAddress::parse(email).map_err(|e| FieldError::new("email", Msg::new(e.0)))?;
    match EmailAddress::parse(verify_email) {
        Ok(b) if a.same_as(&b) => Ok(a),
        Err(_) if verify_email.trim().is_empty() => Err(FieldError::new(
            "verify_email",
            Msg::new("error-verify-email-empty"),
        )),
        _ => Err(FieldError::new(
            "verify_email",
            Msg::new("error-verify-email-different"),
        )),
    }
}

/// A new password, if it meets the rules for the login `username` and its
/// confirmation matches; otherwise what the page says, beside the field at
/// fault. The same rules wherever a password is chosen.
pub fn checked_new_password(
    password: &str,
    confirm: &str,
    username: &str,
) -> Result<crate::auth::policy::NewPassword, FieldError> {
    let p = crate::auth::policy::NewPassword::parse(password, username)
        .map_err(|e| FieldError::new("password", Msg::new(e.0)))?;
    let key = match confirm {
        c if c == password => return Ok(p),
        "" => "error-confirm-password-empty",
        _ => "error-confirm-password-different",
    };
    Err(FieldError::new("confirm_password", Msg::new(key)))
}
