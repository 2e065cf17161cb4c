use super::ParseError;

/// The six-digit code we email. Spaces and dashes typed or pasted inside it are ignored.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailCode(String);

impl EmailCode {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.is_empty() {
            return Err(ParseError("error-code-empty"));
        }
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError("error-code-format"));
        }
        Ok(Self(digits))
    }

    /// The digits. Never log or show this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for EmailCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EmailCode(******)")
    }
}

/// A legacy account's PIN: 4 to 8 digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if (4..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_string()))
        } else {
            Err(ParseError("A PIN is 4 to 8 digits."))
        }
    }

    /// The digits. Never log or show this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn code_accepts_six_digits_with_spaces() {
        assert_eq!(EmailCode::parse("123 456").unwrap().expose(), "123456");
        assert_eq!(EmailCode::parse(" 123-456 ").unwrap().expose(), "123456");
    }

    #[test]
    fn code_refuses_other_shapes() {
        for bad in ["", "12345", "1234567", "12345a", "١٢٣٤٥٦"] {
            assert!(EmailCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_do_not_print() {
        let c = EmailCode::parse("654321").unwrap();
        assert!(!format!("{c:?}").contains("654321"));
        let p = Pin::parse("4826").unwrap();
        assert!(!format!("{p:?}").contains("4826"));
    }

    #[test]
    fn pin_is_four_to_eight_digits() {
        assert!(Pin::parse("4826").is_ok());
        assert!(Pin::parse("12345678").is_ok());
        assert!(Pin::parse("123").is_err());
        assert!(Pin::parse("123456789").is_err());
        assert!(Pin::parse("Smith").is_err());
    }

    proptest! {
        #[test]
        fn any_six_digits_roundtrip(d in "[0-9]{6}") {
            let c = EmailCode::parse(&d).unwrap();
            prop_assert_eq!(c.expose(), d.as_str());
        }
    }
}
