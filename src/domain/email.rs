use super::ParseError;

/// Unicode lower case. In the browser, the browser's own (JavaScript's
/// `toLowerCase`, the same Unicode default case conversion) rather than a
/// copy of Rust's case tables in the WASM (about 6 KB of the size budget).
#[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
fn lower(s: &str) -> String {
    js_sys::JsString::from(s).to_lower_case().into()
}

#[cfg(not(all(feature = "hydrate", target_arch = "wasm32")))]
fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no
/// spaces. Deliverability is proven by the emailed code, not by parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ParseError("error-email-empty"));
        }
        let bad = ParseError("error-email-format");
        if s.len() > Self::MAX_LEN || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(bad.clone())?;
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"'])
            || domain.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"', '_'])
            || !domain.contains('.')
            || domain.starts_with(['.', '-'])
            || domain.ends_with(['.', '-'])
            || domain.contains("..")
        {
            return Err(bad);
        }
        Ok(Self(format!("{local}@{}", lower(domain))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two addresses are the same mailbox (the domain is already
    /// lower-cased; local parts are compared without regard to case too,
    /// which is what every mail provider our users have does).
    pub fn same_as(&self, other: &EmailAddress) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }

    /// What may be shown: `jo*****@gmail.com`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').expect("parsed");
        let keep: String = local
            .chars()
            .take(if local.chars().count() > 2 { 2 } else { 1 })
            .collect();
        let hidden = local
            .chars()
            .count()
            .saturating_sub(keep.chars().count())
            .max(3);
        format!("{keep}{}@{domain}", "*".repeat(hidden))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses() {
        assert_eq!(
            EmailAddress::parse(" John.Smith+x@Gmail.COM ")
                .unwrap()
                .as_str(),
            "John.Smith+x@gmail.com"
        );
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "john",
            "john@",
            "@gmail.com",
            "john@gmail",
            "jo hn@gmail.com",
            "john@gmail..com",
            "john@.gmail.com",
            "a@b@c.com",
            "<x>@y.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn masks_the_local_part() {
        assert_eq!(
            EmailAddress::parse("johnsmith@gmail.com").unwrap().masked(),
            "jo*******@gmail.com"
        );
        assert_eq!(
            EmailAddress::parse("j@x.org").unwrap().masked(),
            "j***@x.org"
        );
    }

    #[test]
    fn same_mailbox_ignores_case() {
        let a = EmailAddress::parse("A@x.org").unwrap();
        let b = EmailAddress::parse("a@X.org").unwrap();
        assert!(a.same_as(&b));
    }

    proptest! {
        #[test]
        fn masked_never_contains_the_whole_local_part(local in "[a-z]{3,20}") {
            // The domain is shown whole: look at the masked local part alone
            // (a local part such as "com" is in the domain).
            let e = EmailAddress::parse(&format!("{local}@example.com")).unwrap();
            let masked = e.masked();
            let (masked_local, _) = masked.split_once('@').unwrap();
            prop_assert!(!masked_local.contains(&local));
        }
    }
}
