//! Operators' roles and what each may do in the console.

use serde::{Deserialize, Serialize};

/// An operator's role. Each role may do what the one before it may, and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Reads and exports.
    Auditor,
    /// Also unlocks, issues support and registration codes, and runs
    /// invitation campaigns.
    Support,
    /// Also manages operators (add, disable, reset TOTP) and sets the old
    /// portals' closing dates.
    Admin,
}

/// What an operator asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Export,
    Unlock,
    /// End every session of a provider's login.
    EndSessions,
    IssueCode,
    /// Undo a consolidation reported "This wasn't me", or lift its freeze.
    DecideCase,
    /// Remove every second step of a login that lost its own (after the
    /// insurer's own check of who is calling).
    ResetSecondStep,
    /// Create, start, pause, resume and stop invitation campaigns, and
    /// test-send their mail.
    RunCampaign,
    /// Set or remove an old portal's closing date.
    SetClosing,
    ManageOperators,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Support, Role::Auditor];

    /// As stored and as typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Auditor => "auditor",
            Role::Support => "support",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The catalogue key of the role's name.
    pub fn label(self) -> &'static str {
        match self {
            Role::Auditor => "ops-role-auditor",
            Role::Support => "ops-role-support",
            Role::Admin => "ops-role-admin",
        }
    }

    /// Whether this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        let least = match action {
            Action::Read | Action::Export => Role::Auditor,
            Action::Unlock
            | Action::EndSessions
            | Action::IssueCode
            | Action::DecideCase
            | Action::ResetSecondStep
            | Action::RunCampaign => Role::Support,
            Action::SetClosing | Action::ManageOperators => Role::Admin,
        };
        self >= least
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_what_the_issue_says() {
        use Action::*;
        let may = |r: Role| {
            [
                Read,
                Export,
                Unlock,
                EndSessions,
                IssueCode,
                ResetSecondStep,
                RunCampaign,
                SetClosing,
                ManageOperators,
            ]
            .into_iter()
            .filter(|a| r.may(*a))
            .count()
        };
        assert_eq!(may(Role::Auditor), 2, "reads and exports");
        assert!(!Role::Auditor.may(Unlock));
        assert_eq!(
            may(Role::Support),
            7,
            "also unlocks, ends sessions, issues codes, resets second steps and runs campaigns"
        );
        assert!(!Role::Auditor.may(ResetSecondStep));
        assert!(!Role::Support.may(ManageOperators));
        assert!(
            !Role::Support.may(SetClosing),
            "closing dates are the admins'"
        );
        assert_eq!(may(Role::Admin), 9);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
