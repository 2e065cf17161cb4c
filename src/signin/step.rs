//! Sign-in's step table: the sign-in page, then the second step. A failed sign-in keeps
//! what the page must show again (the username typed, the message) in a
//! flow record behind its own cookie, never in the address, where it would
//! land in history and access logs.

/// Sign-in's steps: the password, then the second step of a login that
/// has one. A flow at the second step holds the login whose password was
/// right; no session exists until both are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    Password,
    SecondStep,
}

impl SignInStep {
    pub const KIND: &'static str = "sign_in";
    pub const SECOND: &'static str = "second_step";
    pub const SECOND_PATH: &'static str = "/sign-in/second-step";
}

/// The flow engine's view of the table.
#[cfg(feature = "ssr")]
impl crate::flow::Steps for SignInStep {
    const COOKIE: &'static str = crate::auth::SIGNIN_COOKIE;
    const DEFAULT: SignInStep = SignInStep::Password;

    fn owns(kind: &str) -> bool {
        kind == SignInStep::KIND
    }
    fn of(row: &crate::store::FlowRow) -> Option<SignInStep> {
        match row.step.as_str() {
            SignInStep::KIND => Some(SignInStep::Password),
            SignInStep::SECOND if row.portal_user_id.is_some() => Some(SignInStep::SecondStep),
            _ => None,
        }
    }
    fn kind(self) -> &'static str {
        SignInStep::KIND
    }
    fn stored(self) -> &'static str {
        match self {
            SignInStep::Password => SignInStep::KIND,
            SignInStep::SecondStep => SignInStep::SECOND,
        }
    }
    fn path(self) -> &'static str {
        match self {
            SignInStep::Password => "/",
            SignInStep::SecondStep => SignInStep::SECOND_PATH,
        }
    }
    fn first(self) -> SignInStep {
        SignInStep::Password
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::flow::Steps;
    use crate::store::FlowRow;

    #[test]
    fn a_sign_in_record_is_read_back_and_no_other_kind_is_taken_for_one() {
        let row = FlowRow::new(
            "i".into(),
            "h".into(),
            SignInStep::Password.kind(),
            SignInStep::Password.stored(),
            0,
        );
        assert_eq!(SignInStep::of(&row), Some(SignInStep::Password));
        // The second step is read back only with the login it is for.
        let mut second = row.clone();
        second.step = SignInStep::SecondStep.stored().into();
        assert_eq!(SignInStep::of(&second), None);
        second.portal_user_id = Some(7);
        assert_eq!(SignInStep::of(&second), Some(SignInStep::SecondStep));
        assert_eq!(SignInStep::SecondStep.first(), SignInStep::Password);
        assert!(SignInStep::owns("sign_in"));
        assert!(!SignInStep::owns("wizard"));
        let wizard = FlowRow::new("i".into(), "h".into(), "wizard", "lookup", 0);
        assert_eq!(SignInStep::of(&wizard), None);
    }
}
