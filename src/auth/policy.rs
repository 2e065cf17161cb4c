//! The rules for a new password, as NIST SP 800-63B (5.1.1.2) and OWASP ASVS 5
//! (V6.2) ask: a length, no composition rules, and a check against passwords
//! that attackers try first. The password is never trimmed or truncated.

use crate::domain::ParseError;
use std::collections::HashSet;
use std::sync::OnceLock;

// The length rules (8 to 64 characters, never cut) are in domain::check,
// shared with the browser.
/// What the page recommends.
pub const RECOMMENDED_CHARS: usize = 15;

/// A password that passed the rules. It does not print.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// Why a new password was refused: the catalogue key of what the page says.
pub use crate::domain::ParseError as Refused;

static LIST: &str = include_str!("common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LIST.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// How many passwords the shipped list holds.
pub fn common_count() -> usize {
    common().len()
}

impl NewPassword {
    /// Checks `password` (exactly as typed) for the login `username`.
    pub fn parse(password: &str, username: &str) -> Result<NewPassword, Refused> {
        // The length rules are the browser's too (domain::check).
        crate::domain::password_length(password)?;
        let lower = password.to_lowercase();
        if common().contains(lower.as_str()) || common().contains(lower.trim()) {
            return Err(ParseError("error-new-password-common"));
        }
        let name = username.trim().to_lowercase();
        if !name.is_empty() && lower.contains(&name) {
            return Err(ParseError("error-new-password-username"));
        }
        Ok(NewPassword(password.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_list_is_shipped_whole() {
        assert!(common_count() >= 10_000, "{}", common_count());
        for p in ["password123", "iloveyou1", "qwertyuiop", "1234567890"] {
            assert!(common().contains(p), "{p}");
        }
    }

    #[test]
    fn each_rule_has_its_own_message() {
        let refused = |p: &str| NewPassword::parse(p, "riverside").err().map(|r| r.0);
        assert_eq!(refused(""), Some("error-new-password-empty"));
        assert_eq!(refused("Abc#123"), Some("error-new-password-short"));
        assert_eq!(refused(&"x".repeat(65)), Some("error-new-password-long"));
        assert_eq!(refused("Password123"), Some("error-new-password-common"));
        assert_eq!(refused("PASSWORD123"), Some("error-new-password-common"));
        assert_eq!(
            refused("my RiverSide clinic"),
            Some("error-new-password-username")
        );
        assert_eq!(refused("correct horse battery"), None);
        // Exactly the bounds.
        assert_eq!(refused("kq7#vzp2"), None);
        assert_eq!(refused(&"kq7#".repeat(16)), None);
    }

    #[test]
    fn nothing_is_trimmed_or_cut() {
        let p = NewPassword::parse("  spaced out words  ", "x@y").unwrap();
        assert_eq!(p.expose(), "  spaced out words  ");
        // 64 characters of four bytes each count as 64, not 256.
        let emoji = "🔑".repeat(64);
        assert_eq!(NewPassword::parse(&emoji, "u").unwrap().expose(), emoji);
        assert!(NewPassword::parse(&"🔑".repeat(65), "u").is_err());
        assert_eq!(format!("{:?}", p), "NewPassword(..)");
    }

    proptest! {
        /// Any password of 8..=64 characters that is not listed and does not
        /// contain the username passes; a longer one never does.
        #[test]
        fn length_rules_hold(s in "[a-zA-Z0-9 #!]{8,64}") {
            let r = NewPassword::parse(&s, "zz-user-zz");
            if common().contains(s.to_lowercase().as_str()) || common().contains(s.to_lowercase().trim()) {
                prop_assert!(r.is_err());
            } else {
                let p = r.unwrap();
                prop_assert_eq!(p.expose(), s.as_str());
            }
        }

        #[test]
        fn too_long_is_refused(s in "[a-z]{65,100}") {
            prop_assert_eq!(NewPassword::parse(&s, "u").err(), Some(ParseError("error-new-password-long")));
        }
    }
}
