use super::ParseError;
use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

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

    /// A username for a new login: besides [`Username::parse`]'s rules, no
    /// invisible or bidirectional control character and no mix of scripts
    /// (`mјones` with a Cyrillic `ј`), so that no new login can look like
    /// another one. (Fullwidth and other compatibility forms are caught by
    /// the key: `ｍｊｏｎｅｓ` is `mjones`.)
    pub fn parse_new(raw: &str) -> Result<Self, ParseError> {
        let name = Self::parse(raw)?;
        if name.0.chars().any(is_invisible) {
            return Err(ParseError("error-username-invisible"));
        }
        if !name.0.as_str().is_single_script() {
            return Err(ParseError("error-username-mixed-script"));
        }
        Ok(name)
    }

    /// As typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key that lookups and uniqueness use (see [`username_key`]).
    pub fn key(&self) -> String {
        username_key(&self.0)
    }
}

/// A username's key: its compatibility form (NFKC, so width and other
/// presentation variants are one) in lower case. For plain ASCII it is
/// the lower-cased name, as keys were before.
pub fn username_key(name: &str) -> String {
    name.nfkc().collect::<String>().to_lowercase()
}

/// Unicode's default-ignorable code points (DerivedCoreProperties.txt):
/// zero-width spaces and joiners, bidirectional controls, variation
/// selectors, fillers, tags: nothing a reader sees.
fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5
        | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
        | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
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
    fn look_alikes_of_a_name_are_refused_or_the_same_key() {
        let mjones = Username::parse("mjones").unwrap().key();
        // Fullwidth letters are the same name.
        assert_eq!(Username::parse_new("ｍｊｏｎｅｓ").unwrap().key(), mjones);
        // Invisible and bidirectional characters, and a Cyrillic letter among Latin ones.
        for bad in [
            "mjones\u{200B}",
            "mj\u{202E}senoj",
            "m\u{0458}ones",
            "\u{2066}mjones",
        ] {
            assert!(Username::parse_new(bad).is_err(), "{bad:?}");
        }
        // Ordinary names, addresses and other scripts alone are fine.
        for good in [
            "johnsmith@gmail.com",
            "jsmith-billing",
            "müller.praxis",
            "иванов",
        ] {
            assert!(Username::parse_new(good).is_ok(), "{good}");
        }
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
