use super::ParseError;

/// A legacy or portal username. Matching ignores case; the original spelling
/// is kept for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ParseError("error-username-empty"));
        }
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(ParseError("error-username-long"));
        }
        if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(ParseError("error-username-spaces"));
        }
        Ok(Self(trimmed.to_string()))
    }

    /// As typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive key that lookups use.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_emails_and_plain_names() {
        assert_eq!(
            Username::parse("johnsmith@gmail.com").unwrap().as_str(),
            "johnsmith@gmail.com"
        );
        assert_eq!(
            Username::parse("  jsmith-billing ").unwrap().as_str(),
            "jsmith-billing"
        );
    }

    #[test]
    fn key_ignores_case() {
        assert_eq!(
            Username::parse("MJones").unwrap().key(),
            Username::parse("mjones").unwrap().key()
        );
    }

    #[test]
    fn refuses_empty_spaces_and_overlong() {
        assert!(Username::parse("   ").is_err());
        assert!(Username::parse("john smith").is_err());
        assert!(Username::parse(&"a".repeat(255)).is_err());
        assert!(Username::parse(&"a".repeat(254)).is_ok());
    }

    proptest! {
        #[test]
        fn parsed_value_is_trimmed_and_nonempty(s in "\\PC{0,40}") {
            if let Ok(u) = Username::parse(&s) {
                prop_assert!(!u.as_str().is_empty());
                prop_assert_eq!(u.as_str(), u.as_str().trim());
            }
        }
    }
}
