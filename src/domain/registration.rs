use super::ParseError;

/// A registration code as the insurer prints it, `XXXX-XXXX-XXXX`. Case,
/// spaces and dashes typed or pasted inside it are ignored.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistrationCode(String);

impl RegistrationCode {
    pub const LEN: usize = 12;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let letters: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if letters.is_empty() {
            return Err(ParseError("error-registration-code-empty"));
        }
        if letters.chars().count() != Self::LEN
            || !letters.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(ParseError("error-registration-code-format"));
        }
        Ok(Self(letters))
    }

    /// The 12 letters, without dashes. Never log or show this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RegistrationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegistrationCode(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typed_forms_agree() {
        let a = RegistrationCode::parse("DEMO-REG1-2026").unwrap();
        for typed in [
            "demo-reg1-2026",
            " DEMO REG1 2026 ",
            "demoreg12026",
            "DeMo-ReG1-2026",
        ] {
            assert_eq!(RegistrationCode::parse(typed).unwrap(), a, "{typed}");
        }
        assert_eq!(a.expose(), "DEMOREG12026");
        assert_eq!(format!("{a:?}"), "RegistrationCode(****)");
    }

    #[test]
    fn wrong_shapes_say_why() {
        assert_eq!(
            RegistrationCode::parse("  ").unwrap_err().0,
            "error-registration-code-empty"
        );
        for bad in [
            "DEMO-REG1-202",
            "DEMO-REG1-20266",
            "DEMO-REG1-20#6",
            "DÉMO-REG1-2026",
        ] {
            assert_eq!(
                RegistrationCode::parse(bad).unwrap_err().0,
                "error-registration-code-format",
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_dashed_grouping_parses(s in "[A-Za-z0-9]{12}") {
            let dashed = format!("{}-{}-{}", &s[..4], &s[4..8], &s[8..]);
            let parsed = RegistrationCode::parse(&dashed).unwrap();
            prop_assert_eq!(parsed.expose(), s.to_ascii_uppercase());
        }
    }
}
