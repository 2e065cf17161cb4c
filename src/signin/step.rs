//! Sign-in's step table: one step, the sign-in page. A failed sign-in keeps
//! what the page must show again (the username typed, the message) in a
//! flow record behind its own cookie, never in the address, where it would
//! land in history and access logs.

/// The sign-in page, the only step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInStep;

impl SignInStep {
    pub const KIND: &'static str = "sign_in";
}

/// The flow engine's view of the table.
#[cfg(feature = "ssr")]
impl crate::flow::Steps for SignInStep {
    const COOKIE: &'static str = crate::auth::SIGNIN_COOKIE;
    const DEFAULT: SignInStep = SignInStep;

    fn owns(kind: &str) -> bool {
        kind == SignInStep::KIND
    }
    fn of(row: &crate::store::FlowRow) -> Option<SignInStep> {
        (row.step == SignInStep::KIND).then_some(SignInStep)
    }
    fn kind(self) -> &'static str {
        SignInStep::KIND
    }
    fn stored(self) -> &'static str {
        SignInStep::KIND
    }
    fn path(self) -> &'static str {
        "/"
    }
    fn first(self) -> SignInStep {
        SignInStep
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
            SignInStep.kind(),
            SignInStep.stored(),
            0,
        );
        assert_eq!(SignInStep::of(&row), Some(SignInStep));
        assert!(SignInStep::owns("sign_in"));
        assert!(!SignInStep::owns("wizard"));
        let wizard = FlowRow::new("i".into(), "h".into(), "wizard", "lookup", 0);
        assert_eq!(SignInStep::of(&wizard), None);
    }
}
