//! The wizard's steps and the pure transition table. The server keeps the
//! current step; every server function asks this table whether its action is
//! allowed now and where it leads.

use serde::{Deserialize, Serialize};

/// Where a wizard is. `Done` is the Thank You page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    Lookup,
    Verify,
    Email,
    Code,
    Password,
    /// The old password proven is below today's rules, and it would become
    /// the new login's: choose a new one first (the same rules as Register).
    NewPassword,
    /// The accounts added so far: Add another account, or Finish.
    Review,
    Done,
}

/// What a user asks the wizard to do (one per server function).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    LookupAccount,
    AnswerQuestion,
    SendCode,
    ResendCode,
    VerifyCode,
    VerifyPassword,
    ChoosePassword,
    AddAnother,
    Finish,
    Previous,
    Cancel,
}

impl Action {
    /// The name in the audit trail (the server function's).
    pub fn name(self) -> &'static str {
        match self {
            Action::LookupAccount => "lookup_account",
            Action::AnswerQuestion => "verify_security_answer",
            Action::SendCode => "send_email_code",
            Action::ResendCode => "resend_email_code",
            Action::VerifyCode => "verify_email_code",
            Action::VerifyPassword => "verify_legacy_password",
            Action::ChoosePassword => "choose_new_password",
            Action::AddAnother => "add_another_account",
            Action::Finish => "finish",
            Action::Previous => "previous",
            Action::Cancel => "cancel",
        }
    }
}

/// The outcome of an action that moves the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Account Lookup accepted the username and TIN (or chose a decoy).
    LookedUp,
    /// The answer or PIN was right. `email_verified`: this wizard already
    /// proved an email address, so the email steps are skipped.
    AnswerAccepted {
        email_verified: bool,
    },
    /// The account was right but has been consolidated before: start over.
    AlreadyConsolidated,
    /// The account proven is already in this wizard's list.
    AlreadyInList,
    /// The account was right but its old portal has closed, and the
    /// operators chose that its accounts are no longer moved (issue 32).
    PortalClosed,
    /// At Finish, an account turned out consolidated by another wizard
    /// first and was taken off the list; `any_left`: others remain.
    AccountLost {
        any_left: bool,
    },
    CodeSent,
    CodeAccepted,
    PasswordAccepted,
    /// The old password was right but fails today's rules, and it would
    /// become the new login's password.
    PasswordBelowRules,
    /// A new password that meets the rules was chosen.
    PasswordChosen,
    /// `Add another account` on the review page.
    AnotherAccount,
    /// `Finish` merged everything.
    Finished,
    /// `Previous`. `email_verified`: as for `AnswerAccepted`.
    Back {
        email_verified: bool,
    },
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::Lookup,
        Step::Verify,
        Step::Email,
        Step::Code,
        Step::Password,
        Step::NewPassword,
        Step::Review,
        Step::Done,
    ];

    /// Whether `action` may be taken at this step. Anything else is refused
    /// and changes nothing.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Step::Lookup => matches!(action, LookupAccount | Cancel),
            Step::Verify => matches!(action, AnswerQuestion | Previous | Cancel),
            Step::Email => matches!(action, SendCode | Previous | Cancel),
            Step::Code => matches!(action, VerifyCode | ResendCode | Previous | Cancel),
            Step::Password => matches!(action, VerifyPassword | Previous | Cancel),
            Step::NewPassword => matches!(action, ChoosePassword | Previous | Cancel),
            Step::Review => matches!(action, AddAnother | Finish | Cancel),
            Step::Done => false,
        }
    }

    /// The step an event leads to, or `None` if it cannot happen here.
    pub fn after(self, event: Event) -> Option<Step> {
        use Event::*;
        Some(match (self, event) {
            (Step::Lookup, LookedUp) => Step::Verify,
            (
                Step::Verify,
                AnswerAccepted {
                    email_verified: false,
                },
            ) => Step::Email,
            (
                Step::Verify,
                AnswerAccepted {
                    email_verified: true,
                },
            ) => Step::Password,
            (Step::Verify | Step::Password, AlreadyConsolidated) => Step::Lookup,
            (Step::Verify, AlreadyInList | PortalClosed) => Step::Lookup,
            (Step::Review, AccountLost { any_left: false }) => Step::Lookup,
            (Step::Review, AccountLost { any_left: true }) => Step::Review,
            (Step::Email, CodeSent) => Step::Code,
            (Step::Code, CodeSent) => Step::Code,
            (Step::Code, CodeAccepted) => Step::Password,
            (Step::Password, PasswordAccepted) => Step::Review,
            (Step::Password, PasswordBelowRules) => Step::NewPassword,
            (Step::NewPassword, PasswordChosen) => Step::Review,
            // Back to prove the old password again.
            (Step::NewPassword, Back { .. }) => Step::Password,
            (Step::Review, AnotherAccount) => Step::Lookup,
            (Step::Review, Finished) => Step::Done,
            (Step::Verify, Back { .. }) => Step::Lookup,
            (Step::Email, Back { .. }) => Step::Verify,
            (Step::Code, Back { .. }) => Step::Email,
            (
                Step::Password,
                Back {
                    email_verified: true,
                },
            ) => Step::Verify,
            (
                Step::Password,
                Back {
                    email_verified: false,
                },
            ) => Step::Email,
            _ => return None,
        })
    }

    /// The page's own URL.
    pub fn path(self) -> &'static str {
        match self {
            Step::Lookup => "/wizard/lookup",
            Step::Verify => "/wizard/verify",
            Step::Email => "/wizard/email",
            Step::Code => "/wizard/code",
            Step::Password => "/wizard/password",
            Step::NewPassword => "/wizard/new-password",
            Step::Review => "/wizard/accounts",
            Step::Done => "/wizard/done",
        }
    }

    /// The catalogue key of the heading (in English as the quick guide names it).
    pub fn heading(self) -> &'static str {
        match self {
            Step::Lookup => "step-lookup",
            Step::Verify => "step-verify",
            Step::Email => "step-email",
            Step::Code => "step-code",
            Step::Password => "step-password",
            Step::NewPassword => "heading-new-password",
            Step::Review => "step-review",
            Step::Done => "step-done",
        }
    }

    /// The position shown in the step indicator ("Step 3 of 5"); `Done` is past the end.
    pub fn number(self) -> u8 {
        match self {
            Step::Lookup => 1,
            Step::Verify => 2,
            Step::Email => 3,
            Step::Code => 4,
            // Part of the fifth step.
            Step::Password | Step::NewPassword => 5,
            Step::Review => 6,
            Step::Done => 7,
        }
    }

    /// The quick guide's section for this step.
    pub fn help_anchor(self) -> &'static str {
        match self {
            Step::Lookup => "/help#account-lookup",
            Step::Verify => "/help#account-verification",
            Step::Email => "/help#email-address-verification",
            Step::Code => "/help#security-code-verification",
            Step::Password | Step::NewPassword => "/help#verify-username-and-password",
            Step::Review => "/help#add-another-account",
            Step::Done => "/help#thank-you",
        }
    }

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Lookup => "lookup",
            Step::Verify => "verify",
            Step::Email => "email",
            Step::Code => "code",
            Step::Password => "password",
            Step::NewPassword => "new_password",
            Step::Review => "review",
            Step::Done => "done",
        }
    }

    pub fn from_db(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The step `event` leads to from here. Only called where the step was
    /// checked first, so the table always has an answer.
    pub fn then(self, event: Event) -> Step {
        self.after(event)
            .unwrap_or_else(|| panic!("the step table has no {event:?} at {self:?}"))
    }
}

/// The flow engine's view of the table.
#[cfg(feature = "ssr")]
impl crate::flow::Steps for Step {
    const COOKIE: &'static str = crate::auth::WIZARD_COOKIE;
    const DEFAULT: Step = Step::Lookup;

    fn owns(kind: &str) -> bool {
        kind == "wizard"
    }
    fn of(row: &crate::store::FlowRow) -> Option<Step> {
        Step::from_db(&row.step)
    }
    fn kind(self) -> &'static str {
        "wizard"
    }
    fn stored(self) -> &'static str {
        self.as_str()
    }
    fn path(self) -> &'static str {
        Step::path(self)
    }
    fn first(self) -> Step {
        Step::Lookup
    }
}

pub const STEP_COUNT: u8 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happy_path_walks_every_step_in_order() {
        let mut s = Step::Lookup;
        for ev in [
            Event::LookedUp,
            Event::AnswerAccepted {
                email_verified: false,
            },
            Event::CodeSent,
            Event::CodeAccepted,
            Event::PasswordAccepted,
            Event::Finished,
        ] {
            s = s.after(ev).unwrap();
        }
        assert_eq!(s, Step::Done);
    }

    #[test]
    fn verified_email_skips_the_email_steps() {
        assert_eq!(
            Step::Verify.after(Event::AnswerAccepted {
                email_verified: true
            }),
            Some(Step::Password)
        );
        assert_eq!(
            Step::Password.after(Event::Back {
                email_verified: true
            }),
            Some(Step::Verify)
        );
    }

    #[test]
    fn another_account_skips_the_email_steps() {
        let mut s = Step::Password.after(Event::PasswordAccepted).unwrap();
        assert_eq!(s, Step::Review);
        s = s.after(Event::AnotherAccount).unwrap();
        assert_eq!(s, Step::Lookup);
        s = s.after(Event::LookedUp).unwrap();
        assert_eq!(
            s.after(Event::AnswerAccepted {
                email_verified: true
            }),
            Some(Step::Password)
        );
        assert_eq!(
            Step::Review.after(Event::Back {
                email_verified: true
            }),
            None
        );
    }

    #[test]
    fn an_old_password_below_the_rules_needs_a_new_one_before_review() {
        let s = Step::Password.after(Event::PasswordBelowRules).unwrap();
        assert_eq!(s, Step::NewPassword);
        assert_eq!(s.number(), Step::Password.number(), "still the fifth step");
        assert_eq!(s.after(Event::PasswordChosen), Some(Step::Review));
        assert_eq!(
            s.after(Event::Back {
                email_verified: true
            }),
            Some(Step::Password)
        );
        assert_eq!(s.after(Event::Finished), None, "no Finish from here");
        assert_eq!(Step::Password.after(Event::PasswordChosen), None);
        assert_eq!(Step::Review.after(Event::PasswordBelowRules), None);
    }

    #[test]
    fn previous_goes_one_step_back() {
        let back = Event::Back {
            email_verified: false,
        };
        assert_eq!(Step::Verify.after(back), Some(Step::Lookup));
        assert_eq!(Step::Email.after(back), Some(Step::Verify));
        assert_eq!(Step::Code.after(back), Some(Step::Email));
        assert_eq!(Step::Password.after(back), Some(Step::Email));
        assert_eq!(Step::Lookup.after(back), None);
        assert_eq!(Step::Done.after(back), None);
    }

    #[test]
    fn setbacks_go_back_to_the_start_or_stay() {
        assert_eq!(
            Step::Verify.after(Event::AlreadyConsolidated),
            Some(Step::Lookup)
        );
        assert_eq!(
            Step::Password.after(Event::AlreadyConsolidated),
            Some(Step::Lookup)
        );
        assert_eq!(Step::Verify.after(Event::AlreadyInList), Some(Step::Lookup));
        assert_eq!(Step::Verify.after(Event::PortalClosed), Some(Step::Lookup));
        assert_eq!(Step::Password.after(Event::PortalClosed), None);
        assert_eq!(
            Step::Review.after(Event::AccountLost { any_left: false }),
            Some(Step::Lookup)
        );
        assert_eq!(
            Step::Review.after(Event::AccountLost { any_left: true }),
            Some(Step::Review)
        );
        assert_eq!(Step::Review.after(Event::Finished), Some(Step::Done));
        assert_eq!(Step::Code.after(Event::AlreadyInList), None);
    }

    #[test]
    fn events_out_of_order_lead_nowhere() {
        assert_eq!(Step::Lookup.after(Event::CodeAccepted), None);
        assert_eq!(Step::Lookup.after(Event::PasswordAccepted), None);
        assert_eq!(Step::Email.after(Event::CodeAccepted), None);
        assert_eq!(Step::Verify.after(Event::CodeSent), None);
        assert_eq!(Step::Done.after(Event::LookedUp), None);
    }

    #[test]
    fn each_step_allows_only_its_own_actions() {
        use Action::*;
        let all = [
            LookupAccount,
            AnswerQuestion,
            SendCode,
            ResendCode,
            VerifyCode,
            VerifyPassword,
            ChoosePassword,
            AddAnother,
            Finish,
            Previous,
            Cancel,
        ];
        let expected: &[(Step, &[Action])] = &[
            (Step::Lookup, &[LookupAccount, Cancel]),
            (Step::Verify, &[AnswerQuestion, Previous, Cancel]),
            (Step::Email, &[SendCode, Previous, Cancel]),
            (Step::Code, &[VerifyCode, ResendCode, Previous, Cancel]),
            (Step::Password, &[VerifyPassword, Previous, Cancel]),
            (Step::NewPassword, &[ChoosePassword, Previous, Cancel]),
            (Step::Review, &[AddAnother, Finish, Cancel]),
            (Step::Done, &[]),
        ];
        for (step, allowed) in expected {
            for a in all {
                assert_eq!(step.allows(a), allowed.contains(&a), "{step:?} {a:?}");
            }
        }
    }

    #[test]
    fn names_roundtrip_and_paths_are_distinct() {
        for s in Step::ALL {
            assert_eq!(Step::from_db(s.as_str()), Some(s));
        }
        let mut paths: Vec<_> = Step::ALL.iter().map(|s| s.path()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), Step::ALL.len());
        assert_eq!(Step::from_db("nonsense"), None);
    }
}
