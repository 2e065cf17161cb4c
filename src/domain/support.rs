//! A support verification code: what provider support gives a caller who
//! can answer neither the security question nor the PIN, to type at
//! Account Verification instead (issue 17).

/// The letters of codes read aloud or copied from paper: no 0/O, 1/I/L or
/// U, so that what was heard comes out right.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// A support code as support reads it out, `XXXXX-XXXXX`: ten letters of
/// [`CODE_ALPHABET`] (about 49 bits). Case, spaces and dashes typed inside
/// it are ignored.
#[derive(Clone, PartialEq, Eq)]
pub struct SupportCode(String);

impl SupportCode {
    pub const LEN: usize = 10;

    /// `None` when `raw` is not shaped like a support code (an answer or a
    /// PIN, most likely).
    pub fn parse(raw: &str) -> Option<Self> {
        let letters: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (letters.len() == Self::LEN && letters.bytes().all(|b| CODE_ALPHABET.contains(&b)))
            .then_some(Self(letters))
    }

    /// The ten letters, without the dash. Never log or show this.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// As printed and read out: `XXXXX-XXXXX`.
    pub fn printed(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

impl std::fmt::Debug for SupportCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SupportCode(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_forms_agree_and_answers_are_not_codes() {
        let a = SupportCode::parse("ABCDE-23456").unwrap();
        for typed in ["abcde-23456", " ABCDE 23456 ", "abcde23456", "AbCdE-2345-6"] {
            assert_eq!(SupportCode::parse(typed), Some(a.clone()), "{typed}");
        }
        assert_eq!(a.printed(), "ABCDE-23456");
        assert_eq!(format!("{a:?}"), "SupportCode(****)");
        // Too short or long, letters outside the alphabet, a PIN, an answer.
        for not in [
            "ABCDE-2345",
            "ABCDE-234567",
            "ABCDE-23450",
            "OBCDE-23456",
            "12345678",
            "Springfield",
        ] {
            assert_eq!(SupportCode::parse(not), None, "{not}");
        }
    }
}
