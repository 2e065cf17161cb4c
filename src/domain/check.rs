//! The checks of a form's fields, from the parsed types above: the server
//! runs them when a form arrives, and the browser runs the same source
//! (compiled to WASM) when a field is left or corrected. The browser's
//! verdict only shapes what the page says; the server still decides.

use super::{EmailAddress, EmailCode, ParseError, RegistrationCode, Tin, Username};

/// Fewer characters than this are refused in a new password.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// More than this are refused (not cut: a cut password is not the one typed).
pub const PASSWORD_MAX_CHARS: usize = 64;

/// The length rules of a new password (the rest, the list of common
/// passwords and the username in it, needs the server).
pub fn password_length(password: &str) -> Result<(), ParseError> {
    match password.chars().count() {
        0 => Err(ParseError("error-new-password-empty")),
        n if n < PASSWORD_MIN_CHARS => Err(ParseError("error-new-password-short")),
        n if n > PASSWORD_MAX_CHARS => Err(ParseError("error-new-password-long")),
        _ => Ok(()),
    }
}

/// What a field is checked as (its `data-check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    Username,
    Tin,
    Email,
    /// Must be the address of the field `email`.
    VerifyEmail,
    Code,
    RegistrationCode,
    NewPassword,
    /// Must be the password of the field `password`.
    ConfirmPassword,
}

impl Check {
    pub const ALL: [Check; 8] = [
        Check::Username,
        Check::Tin,
        Check::Email,
        Check::VerifyEmail,
        Check::Code,
        Check::RegistrationCode,
        Check::NewPassword,
        Check::ConfirmPassword,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Check::Username => "username",
            Check::Tin => "tin",
            Check::Email => "email",
            Check::VerifyEmail => "verify_email",
            Check::Code => "code",
            Check::RegistrationCode => "registration_code",
            Check::NewPassword => "new_password",
            Check::ConfirmPassword => "confirm_password",
        }
    }

    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The field whose value this one must match.
    pub fn other(self) -> Option<&'static str> {
        match self {
            Check::VerifyEmail => Some("email"),
            Check::ConfirmPassword => Some("password"),
            _ => None,
        }
    }

    /// Every catalogue key [`Check::run`] can answer with (the page carries
    /// their texts for the browser).
    pub fn messages(self) -> &'static [&'static str] {
        match self {
            Check::Username => &[
                "error-username-empty",
                "error-username-long",
                "error-username-spaces",
            ],
            Check::Tin => &["error-tin-empty", "error-tin-format"],
            Check::Email => &["error-email-empty", "error-email-format"],
            Check::VerifyEmail => &["error-verify-email-empty", "error-verify-email-different"],
            Check::Code => &["error-code-empty", "error-code-format", "code-complete"],
            Check::RegistrationCode => &[
                "error-registration-code-empty",
                "error-registration-code-format",
            ],
            Check::NewPassword => &[
                "error-new-password-empty",
                "error-new-password-short",
                "error-new-password-long",
            ],
            Check::ConfirmPassword => &[
                "error-confirm-password-empty",
                "error-confirm-password-different",
            ],
        }
    }

    /// Checks `value` (`other`: the value of the field it must match).
    /// `Err(key)`: what is wrong; `Ok(Some(key))`: a note that it is
    /// complete; `Ok(None)`: nothing to say.
    pub fn run(self, value: &str, other: &str) -> Result<Option<&'static str>, &'static str> {
        let plain = |r: Result<(), ParseError>| r.map(|_| None).map_err(|e| e.0);
        match self {
            Check::Username => plain(Username::parse(value).map(drop)),
            Check::Tin => plain(Tin::parse(value).map(drop)),
            Check::Email => plain(EmailAddress::parse(value).map(drop)),
            Check::VerifyEmail => match (EmailAddress::parse(other), EmailAddress::parse(value)) {
                _ if value.trim().is_empty() => Err("error-verify-email-empty"),
                // The address itself is wrong: its own field says so.
                (Err(_), _) => Ok(None),
                (Ok(a), Ok(b)) if a.same_as(&b) => Ok(None),
                _ => Err("error-verify-email-different"),
            },
            Check::Code => EmailCode::parse(value)
                .map(|_| Some("code-complete"))
                .map_err(|e| e.0),
            Check::RegistrationCode => plain(RegistrationCode::parse(value).map(drop)),
            Check::NewPassword => plain(password_length(value)),
            Check::ConfirmPassword => match value {
                "" => Err("error-confirm-password-empty"),
                v if v == other => Ok(None),
                _ => Err("error-confirm-password-different"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_answer_is_listed() {
        let samples = [
            "",
            " ",
            "a",
            "mjones",
            "john smith",
            "83-6576879",
            "12-345",
            "836576879",
            "a@b.co",
            "A@B.CO",
            "x@y",
            "123456",
            "123 456",
            "12345",
            "ABCD-EFGH-2345",
            "short",
            "a much longer passphrase",
            &"x".repeat(300),
        ];
        for c in Check::ALL {
            assert_eq!(Check::from_name(c.name()), Some(c));
            for v in samples {
                for o in samples {
                    let key = match c.run(v, o) {
                        Ok(Some(k)) | Err(k) => k,
                        Ok(None) => continue,
                    };
                    assert!(c.messages().contains(&key), "{c:?} {v:?}: {key} not listed");
                }
            }
        }
    }

    /// The cases of `check_cases.rs`, natively (tests/wasm_checks.rs runs
    /// the same file in the browser build).
    #[test]
    fn the_checks_say_what_the_server_says() {
        for (check, value, other, want) in cases() {
            assert_eq!(
                check.run(value, other),
                want,
                "{check:?} {value:?} {other:?}"
            );
        }
    }

    include!("check_cases.rs");
}
