//! The console's sign-in, as a step table of one step: a failed sign-in
//! keeps what the page shows again (the username typed, the message) in a
//! flow record on the server, never in the address. The record rides on
//! the sign-in page's cookie; its kind tells the two pages' records apart.

/// The console's sign-in page, the only step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpsSignInStep;

impl OpsSignInStep {
    pub const KIND: &'static str = "ops_sign_in";
    pub const PATH: &'static str = "/ops/sign-in";
}

#[cfg(feature = "ssr")]
impl crate::flow::Steps for OpsSignInStep {
    const COOKIE: &'static str = crate::auth::SIGNIN_COOKIE;
    const DEFAULT: OpsSignInStep = OpsSignInStep;

    fn owns(kind: &str) -> bool {
        kind == OpsSignInStep::KIND
    }
    fn of(row: &crate::store::FlowRow) -> Option<OpsSignInStep> {
        (row.step == OpsSignInStep::KIND).then_some(OpsSignInStep)
    }
    fn kind(self) -> &'static str {
        OpsSignInStep::KIND
    }
    fn stored(self) -> &'static str {
        OpsSignInStep::KIND
    }
    fn path(self) -> &'static str {
        OpsSignInStep::PATH
    }
    fn first(self) -> OpsSignInStep {
        OpsSignInStep
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::flow::Steps;
    use crate::store::FlowRow;

    #[test]
    fn a_console_sign_in_record_is_not_a_provider_one() {
        let row = FlowRow::new(
            "i".into(),
            "h".into(),
            OpsSignInStep.kind(),
            OpsSignInStep.stored(),
            0,
        );
        assert_eq!(OpsSignInStep::of(&row), Some(OpsSignInStep));
        assert!(!crate::signin::step::SignInStep::owns(OpsSignInStep.kind()));
        assert!(!OpsSignInStep::owns(crate::signin::step::SignInStep::KIND));
    }
}
