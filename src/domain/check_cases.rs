// The checks' expected verdicts, shared by the native unit test
// (domain/check.rs) and the browser build's (tests/wasm_checks.rs).

type Verdict = Result<Option<&'static str>, &'static str>;

fn cases() -> Vec<(Check, &'static str, &'static str, Verdict)> {
    use Check::*;
    vec![
        (Tin, "12-345", "", Err("error-tin-format")),
        (Tin, "83-6576879", "", Ok(None)),
        (Tin, " 836576879 ", "", Ok(None)),
        (Tin, "", "", Err("error-tin-empty")),
        (Username, "  ", "", Err("error-username-empty")),
        (Username, "a b", "", Err("error-username-spaces")),
        (Username, "johnsmith@gmail.com", "", Ok(None)),
        (Email, "x@y", "", Err("error-email-format")),
        (Email, "name@example.com", "", Ok(None)),
        (VerifyEmail, "", "a@b.co", Err("error-verify-email-empty")),
        (VerifyEmail, "A@B.CO", "A@b.co", Ok(None)),
        (VerifyEmail, "c@b.co", "a@b.co", Err("error-verify-email-different")),
        (VerifyEmail, "c@b.co", "nonsense", Ok(None)),
        (Code, "123 456", "", Ok(Some("code-complete"))),
        (Code, "123-456", "", Ok(Some("code-complete"))),
        (Code, "12345", "", Err("error-code-format")),
        (Code, "", "", Err("error-code-empty")),
        (RegistrationCode, "abcd-efgh-2345", "", Ok(None)),
        (RegistrationCode, "ABCD", "", Err("error-registration-code-format")),
        (NewPassword, "short", "", Err("error-new-password-short")),
        (NewPassword, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "", Err("error-new-password-long")),
        (NewPassword, "Lantern harbour quietly 42", "", Ok(None)),
        (NewPassword, "", "", Err("error-new-password-empty")),
        (ConfirmPassword, "abc", "abd", Err("error-confirm-password-different")),
        (ConfirmPassword, "abc", "abc", Ok(None)),
        (ConfirmPassword, "", "abc", Err("error-confirm-password-empty")),
    ]
}
