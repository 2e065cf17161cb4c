//! What flows do with typed values before they are parsed: keep them for
//! the page (trimmed, bounded) and check an address against its confirmation.

use super::flash::FieldError;
use crate::domain::{Check, EmailAddress};
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
/// The confirmation is checked by [`Check::VerifyEmail`], the browser's
/// check too.
pub fn checked_email(email: &str, verify_email: &str) -> Result<EmailAddress, FieldError> {
    let a = EmailAddress::parse(email).map_err(|e| FieldError::new("email", Msg::new(e.0)))?;
    Check::VerifyEmail
        .run(verify_email, email)
        .map_err(|key| FieldError::new("verify_email", Msg::new(key)))?;
    Ok(a)
}

/// A new password, if it meets the rules for the login `username` and its
/// confirmation matches; otherwise what the page says, beside the field at
/// fault. The same rules wherever a password is chosen; the confirmation is
/// checked by [`Check::ConfirmPassword`], the browser's check too.
pub fn checked_new_password(
    password: &str,
    confirm: &str,
    username: &str,
) -> Result<crate::auth::policy::NewPassword, FieldError> {
    let p = crate::auth::policy::NewPassword::parse(password, username)
        .map_err(|e| FieldError::new("password", Msg::new(e.0)))?;
    Check::ConfirmPassword
        .run(confirm, password)
        .map_err(|key| FieldError::new("confirm_password", Msg::new(key)))?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The message the browser's check puts beside `field` (`domain::check`).
    fn browser_says(check: Check, value: &str, other: &str) -> Option<&'static str> {
        check.run(value, other).err()
    }

    fn server_says(r: Result<impl Sized, FieldError>, field: &str) -> Option<String> {
        r.err().filter(|e| e.field == field).map(|e| e.message.key)
    }

    proptest! {
        /// Whatever is typed, the browser's check of Verify Email and of
        /// Confirm says what the server's form check says beside that field
        /// (or nothing, when the server finds the other field at fault).
        #[test]
        fn the_browser_checks_agree_with_the_server(
            email in "[a-c@. ]{0,8}",
            verify in "[a-c@. ]{0,8}",
            password in "[ab]{0,10}",
            confirm in "[ab]{0,10}",
        ) {
            for (e, v) in [(email.as_str(), verify.as_str()), ("a@b.co", verify.as_str()), ("a@b.co", "A@B.CO")] {
                let server = server_says(checked_email(e, v), "verify_email");
                if EmailAddress::parse(e).is_ok() {
                    prop_assert_eq!(browser_says(Check::VerifyEmail, v, e).map(str::to_string), server);
                }
                let server = server_says(checked_email(e, v), "email");
                prop_assert_eq!(browser_says(Check::Email, e, "").map(str::to_string), server);
            }
            // The list of common passwords is the server's alone: where it
            // refuses, the browser says nothing.
            let server = server_says(checked_new_password(&password, &confirm, ""), "password");
            let shared = server.clone().filter(|k| Check::NewPassword.messages().contains(&k.as_str()));
            prop_assert_eq!(browser_says(Check::NewPassword, &password, "").map(str::to_string), shared);
            if server.is_none() {
                let server = server_says(checked_new_password(&password, &confirm, ""), "confirm_password");
                prop_assert_eq!(browser_says(Check::ConfirmPassword, &confirm, &password).map(str::to_string), server);
            }
        }
    }
}
