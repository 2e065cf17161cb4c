//! The two pages of "This wasn't me" and where the one call leads: the
//! link's page confirms (a POST) and goes to the page that says what
//! happens next; a link that does not work comes back to its page, which
//! says so.

/// The pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotMeStep {
    /// `/not-me?token=…`: what will happen, and the button.
    Confirm,
    /// `/not-me/done?ref=…`: frozen; what happens next, the reference.
    Done,
}

/// How a confirmation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Frozen,
    /// Used, expired, made up.
    Invalid,
}

impl NotMeStep {
    pub fn path(self) -> &'static str {
        match self {
            NotMeStep::Confirm => "/not-me",
            NotMeStep::Done => "/not-me/done",
        }
    }

    /// Where a confirmation leads.
    pub fn after(outcome: Confirmed) -> NotMeStep {
        match outcome {
            Confirmed::Frozen => NotMeStep::Done,
            Confirmed::Invalid => NotMeStep::Confirm,
        }
    }
}

/// A support reference as the done page may show it (eight letters and
/// digits, upper case); anything else is not shown.
pub fn shown_reference(r: &str) -> Option<&str> {
    (r.len() == 8
        && r.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
    .then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_freeze_leads_to_done_and_a_bad_link_back() {
        assert_eq!(NotMeStep::after(Confirmed::Frozen), NotMeStep::Done);
        assert_eq!(NotMeStep::after(Confirmed::Invalid), NotMeStep::Confirm);
        assert_eq!(NotMeStep::Done.path(), "/not-me/done");
    }

    #[test]
    fn only_a_reference_is_shown() {
        assert_eq!(shown_reference("AB12CD34"), Some("AB12CD34"));
        for bad in [
            "",
            "ab12cd34",
            "AB12CD3",
            "AB12CD345",
            "<script>",
            "AB12 D34",
        ] {
            assert_eq!(shown_reference(bad), None, "{bad}");
        }
    }
}
