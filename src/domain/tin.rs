use super::ParseError;

/// A nine-digit Tax ID Number, typed as `836576879` or `83-6576879`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tin(String);

impl Tin {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ParseError("error-tin-empty"));
        }
        let digits: String = match trimmed.as_bytes() {
            [a, b, b'-', rest @ ..] if rest.len() == 7 => {
                let mut s = String::with_capacity(9);
                s.push(*a as char);
                s.push(*b as char);
                s.push_str(trimmed.get(3..).unwrap_or_default());
                s
            }
            _ => trimmed.to_string(),
        };
        if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError("error-tin-format"));
        }
        Ok(Self(digits))
    }

    /// The nine digits, for storage and comparison. Never log or show this.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The last four digits, as stored beside the keyed hash.
    pub fn last4(&self) -> String {
        self.0[5..].to_string()
    }

    /// What may be shown: `***-**-6879`.
    pub fn masked(&self) -> String {
        mask_tin_digits(&self.0)
    }
}

/// Masks a stored TIN for display, keeping only the last four digits.
pub fn mask_tin_digits(digits: &str) -> String {
    let last4 = if digits.len() >= 4 {
        &digits[digits.len() - 4..]
    } else {
        ""
    };
    format!("***-**-{last4}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn both_spellings_are_the_same_tin() {
        assert_eq!(
            Tin::parse("836576879").unwrap(),
            Tin::parse("83-6576879").unwrap()
        );
        assert_eq!(Tin::parse(" 83-6576879 ").unwrap().digits(), "836576879");
    }

    #[test]
    fn refuses_wrong_shapes() {
        for bad in [
            "",
            "83657687",
            "8365768790",
            "83-657687",
            "8-36576879",
            "83_6576879",
            "83-65768a9",
            "８３６５７６８７９",
        ] {
            assert!(Tin::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn masks_all_but_last_four() {
        assert_eq!(Tin::parse("836576879").unwrap().masked(), "***-**-6879");
    }

    proptest! {
        #[test]
        fn any_nine_digits_parse_in_both_spellings(d in "[0-9]{9}") {
            let dashed = format!("{}-{}", &d[..2], &d[2..]);
            let (a, b) = (Tin::parse(&d).unwrap(), Tin::parse(&dashed).unwrap());
            prop_assert_eq!(a.digits(), d.as_str());
            prop_assert_eq!(b.digits(), d.as_str());
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = Tin::parse(&s);
        }
    }
}
