//! The pages of Forgot Username, Forgot Password and Register, and their
//! pure transition table: which call each page allows, and where each
//! outcome leads. The server keeps the page a flow is at.

use serde::{Deserialize, Serialize};

/// Every page of the three flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Page {
    FuEmail,
    FuSent,
    FpUsername,
    FpCode,
    FpNew,
    RegStart,
    RegAccount,
    RegCode,
    RegPassword,
    RegDone,
}

impl Page {
    pub const ALL: [Page; 10] = [
        Page::FuEmail,
        Page::FuSent,
        Page::FpUsername,
        Page::FpCode,
        Page::FpNew,
        Page::RegStart,
        Page::RegAccount,
        Page::RegCode,
        Page::RegPassword,
        Page::RegDone,
    ];

    /// The flow it belongs to, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            Page::FuEmail | Page::FuSent => "forgot_username",
            Page::FpUsername | Page::FpCode | Page::FpNew => "forgot_password",
            _ => "register",
        }
    }

    /// The step, as stored.
    pub fn step(self) -> &'static str {
        match self {
            Page::FuEmail => "email",
            Page::FuSent => "sent",
            Page::FpUsername => "username",
            Page::FpCode | Page::RegCode => "code",
            Page::FpNew => "new_password",
            Page::RegStart => "registration_code",
            Page::RegAccount => "account",
            Page::RegPassword => "password",
            Page::RegDone => "done",
        }
    }

    /// The page for a stored flow; with an unknown step, its first page.
    pub fn from_db(kind: &str, step: &str) -> Option<Page> {
        Page::ALL
            .into_iter()
            .find(|p| p.kind() == kind && p.step() == step)
            .or_else(|| {
                (step.is_empty())
                    .then(|| Page::ALL.into_iter().find(|p| p.kind() == kind))
                    .flatten()
            })
    }

    /// The page a flow of this kind starts at.
    pub fn first(self) -> Page {
        match self.kind() {
            "forgot_username" => Page::FuEmail,
            "forgot_password" => Page::FpUsername,
            _ => Page::RegStart,
        }
    }

    pub fn is_code(self) -> bool {
        matches!(self, Page::FpCode | Page::RegCode)
    }

    pub fn path(self) -> &'static str {
        match self {
            Page::FuEmail => "/forgot-username",
            Page::FuSent => "/forgot-username/sent",
            Page::FpUsername => "/forgot-password",
            Page::FpCode => "/forgot-password/code",
            Page::FpNew => "/forgot-password/new",
            Page::RegStart => "/register",
            Page::RegAccount => "/register/account",
            Page::RegCode => "/register/code",
            Page::RegPassword => "/register/password",
            Page::RegDone => "/register/done",
        }
    }

    /// The catalogue key of the page's heading.
    pub fn heading(self) -> &'static str {
        match self {
            Page::FuEmail => "link-forgot-username",
            Page::FuSent => "heading-check-email",
            Page::FpUsername => "link-forgot-password",
            Page::FpCode | Page::RegCode => "step-code",
            Page::FpNew => "heading-new-password",
            Page::RegStart => "link-register",
            Page::RegAccount => "heading-create-login",
            Page::RegPassword => "heading-choose-password",
            Page::RegDone => "heading-registered",
        }
    }

    /// The quick guide's section for the page.
    pub fn help_anchor(self) -> &'static str {
        match self.kind() {
            "forgot_username" => "/help#forgot-username",
            "forgot_password" => "/help#forgot-password",
            _ => "/help#registration",
        }
    }
}

/// What a user asks of a flow that is under way (one per server function;
/// each flow's first page starts a flow instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    VerifyCode,
    ResendCode,
    ResetPassword,
    RegisterAccount,
    RegisterPassword,
    Previous,
}

impl Action {
    /// The name in the audit trail.
    pub fn name(self) -> &'static str {
        match self {
            Action::VerifyCode => "verify_flow_code",
            Action::ResendCode => "resend_flow_code",
            Action::ResetPassword => "reset_password",
            Action::RegisterAccount => "register_account",
            Action::RegisterPassword => "register_password",
            Action::Previous => "flow_previous",
        }
    }

    /// The first page of the flow the call belongs to (where a browser
    /// without such a flow is sent).
    pub fn home(self) -> Page {
        match self {
            Action::VerifyCode | Action::ResendCode | Action::ResetPassword => Page::FpUsername,
            _ => Page::RegStart,
        }
    }
}

/// The outcome of a call that moves a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Forgot Username: the usernames were mailed (or nobody had that address).
    UsernamesSent,
    /// A code went to the address (or, for nobody, was only stored).
    CodeSent,
    CodeAccepted,
    /// Register: the registration code and its TIN were right.
    RegistrationCodeAccepted,
    /// Register: the login was created.
    Registered,
    /// Register: somebody took the username meanwhile.
    UsernameTaken,
    /// Register: the code was used meanwhile or expired.
    RegistrationCodeGone,
    /// `Previous` on Register's code page.
    Back,
}

impl Page {
    /// Whether `action` may be taken at this page. Anything else is refused
    /// and changes nothing.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Page::FpCode => matches!(action, VerifyCode | ResendCode),
            Page::RegCode => matches!(action, VerifyCode | ResendCode | Previous),
            Page::FpNew => action == ResetPassword,
            Page::RegAccount => action == RegisterAccount,
            Page::RegPassword => action == RegisterPassword,
            _ => false,
        }
    }

    /// The page an event leads to, or `None` if it cannot happen here.
    pub fn after(self, event: Event) -> Option<Page> {
        use Event::*;
        Some(match (self, event) {
            (Page::FuEmail, UsernamesSent) => Page::FuSent,
            (Page::FpUsername, CodeSent) => Page::FpCode,
            (Page::RegAccount, CodeSent) => Page::RegCode,
            (Page::FpCode, CodeAccepted) => Page::FpNew,
            (Page::RegCode, CodeAccepted) => Page::RegPassword,
            (Page::RegStart, RegistrationCodeAccepted) => Page::RegAccount,
            (Page::RegPassword, Registered) => Page::RegDone,
            (Page::RegPassword, UsernameTaken) => Page::RegAccount,
            (Page::RegPassword, RegistrationCodeGone) => Page::RegStart,
            (Page::RegCode, Back) => Page::RegAccount,
            _ => return None,
        })
    }

    /// The page `event` leads to from here. Only called where the page was
    /// checked first, so the table always has an answer.
    pub fn then(self, event: Event) -> Page {
        self.after(event)
            .unwrap_or_else(|| panic!("the flow table has no {event:?} at {self:?}"))
    }
}

/// The flow engine's view of the table.
#[cfg(feature = "ssr")]
impl crate::flow::Steps for Page {
    const COOKIE: &'static str = crate::auth::FLOW_COOKIE;
    const DEFAULT: Page = Page::FuEmail;

    fn owns(kind: &str) -> bool {
        matches!(kind, "forgot_username" | "forgot_password" | "register")
    }
    fn of(row: &crate::store::FlowRow) -> Option<Page> {
        Page::from_db(&row.kind, &row.step)
    }
    fn kind(self) -> &'static str {
        Page::kind(self)
    }
    fn stored(self) -> &'static str {
        self.step()
    }
    fn path(self) -> &'static str {
        Page::path(self)
    }
    fn first(self) -> Page {
        Page::first(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_flow_walks_its_pages_in_order() {
        assert_eq!(Page::FuEmail.then(Event::UsernamesSent), Page::FuSent);
        let mut p = Page::FpUsername;
        for e in [Event::CodeSent, Event::CodeAccepted] {
            p = p.then(e);
        }
        assert_eq!(p, Page::FpNew);
        let mut p = Page::RegStart;
        for e in [
            Event::RegistrationCodeAccepted,
            Event::CodeSent,
            Event::CodeAccepted,
            Event::Registered,
        ] {
            p = p.then(e);
        }
        assert_eq!(p, Page::RegDone);
    }

    #[test]
    fn setbacks_and_previous_go_back() {
        assert_eq!(Page::RegCode.after(Event::Back), Some(Page::RegAccount));
        assert_eq!(Page::FpCode.after(Event::Back), None);
        assert_eq!(
            Page::RegPassword.after(Event::UsernameTaken),
            Some(Page::RegAccount)
        );
        assert_eq!(
            Page::RegPassword.after(Event::RegistrationCodeGone),
            Some(Page::RegStart)
        );
        assert_eq!(Page::FpNew.after(Event::Registered), None);
    }

    #[test]
    fn each_page_allows_only_its_own_calls() {
        use Action::*;
        let all = [
            VerifyCode,
            ResendCode,
            ResetPassword,
            RegisterAccount,
            RegisterPassword,
            Previous,
        ];
        let expected: &[(Page, &[Action])] = &[
            (Page::FuEmail, &[]),
            (Page::FuSent, &[]),
            (Page::FpUsername, &[]),
            (Page::FpCode, &[VerifyCode, ResendCode]),
            (Page::FpNew, &[ResetPassword]),
            (Page::RegStart, &[]),
            (Page::RegAccount, &[RegisterAccount]),
            (Page::RegCode, &[VerifyCode, ResendCode, Previous]),
            (Page::RegPassword, &[RegisterPassword]),
            (Page::RegDone, &[]),
        ];
        assert_eq!(expected.len(), Page::ALL.len());
        for (page, allowed) in expected {
            for a in all {
                assert_eq!(page.allows(a), allowed.contains(&a), "{page:?} {a:?}");
                // A call of one flow is never allowed in another (the code
                // pages' two are shared by both flows that mail codes).
                if page.allows(a) && !matches!(a, VerifyCode | ResendCode) {
                    assert_eq!(page.first(), a.home(), "{page:?} {a:?}");
                }
            }
        }
    }

    #[test]
    fn pages_roundtrip_through_the_database_names() {
        for p in Page::ALL {
            assert_eq!(Page::from_db(p.kind(), p.step()), Some(p));
        }
        assert_eq!(Page::from_db("register", ""), Some(Page::RegStart));
        assert_eq!(Page::from_db("register", "nonsense"), None);
    }
}
