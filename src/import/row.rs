//! One row of an import file, as read (`RawRow`) and as checked
//! (`ImportRow`), and why a row is refused (`Reject`: a stable code and a
//! sentence that never holds a secret). Pure: no database, no hashing.

use crate::auth::legacy::{self, Refusal};
use crate::domain::sheet::formula_like;
use crate::domain::{EmailAddress, Pin, Tin, Username};

/// The columns of a file, in the order docs/import.md lists them.
pub const COLUMNS: [&str; 15] = [
    "source",
    "legacy_id",
    "username",
    "tins",
    "practice",
    "role",
    "email",
    "question",
    "answer",
    "answer_hash",
    "answer_normalised",
    "pin",
    "pin_hash",
    "password",
    "password_hash",
];

/// A row as the file gave it: every field as text (absent or empty is
/// `None`), the TINs as a list.
#[derive(Default, Clone)]
pub struct RawRow {
    pub fields: [Option<String>; 15],
    pub tins: Vec<String>,
}

/// Which fields are there, never their values (a row holds secrets).
impl std::fmt::Debug for RawRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let present: Vec<&str> = COLUMNS
            .iter()
            .zip(&self.fields)
            .filter(|(_, v)| v.is_some())
            .map(|(c, _)| *c)
            .collect();
        write!(
            f,
            "RawRow({} tins; {})",
            self.tins.len(),
            present.join(", ")
        )
    }
}

impl RawRow {
    /// Sets the field named `name` (one of [`COLUMNS`]); `tins` is split
    /// on `;`. An empty value is no value.
    pub fn set(&mut self, name: &str, value: String) -> bool {
        if name == "tins" {
            self.tins = value
                .split(';')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            return true;
        }
        match COLUMNS.iter().position(|c| *c == name) {
            Some(i) => {
                self.fields[i] = Some(value).filter(|v| !v.trim().is_empty());
                true
            }
            None => false,
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        let i = COLUMNS.iter().position(|c| *c == name)?;
        self.fields[i].as_deref()
    }

    /// The old portal's id, for a report line (as given, cut short).
    pub fn legacy_id(&self) -> String {
        self.get("legacy_id")
            .map(|s| s.chars().take(100).collect())
            .unwrap_or_default()
    }
}

/// Why a row is refused: a stable code (docs/import.md) and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub code: &'static str,
    pub message: String,
}

impl Reject {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// A secret as the file gave it: the old portal's hash, or the clear value
/// (hashed by the import; never stored, logged or shown as given).
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    Hashed(String, legacy::Format),
    Clear(String),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Hashed(_, format) => write!(f, "Hashed({})", format.name()),
            Secret::Clear(_) => f.write_str("Clear(******)"),
        }
    }
}

/// A row that passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub source: String,
    pub legacy_id: String,
    pub username: Username,
    pub tins: Vec<Tin>,
    pub practice: String,
    pub role: String,
    pub email: Option<EmailAddress>,
    pub question: String,
    pub answer: Secret,
    pub answer_as_typed: bool,
    pub pin: Secret,
    pub password: Secret,
}

impl ImportRow {
    /// The weak hash formats among its secrets (for the report).
    pub fn weak_formats(&self) -> Vec<&'static str> {
        [&self.password, &self.answer, &self.pin]
            .into_iter()
            .filter_map(|s| match s {
                Secret::Hashed(_, f) if f.weak() => Some(f.name()),
                _ => None,
            })
            .collect()
    }

    /// Everything the row says, in a fixed order, for its keyed digest.
    pub fn canonical(&self) -> Vec<String> {
        let secret = |s: &Secret| match s {
            Secret::Hashed(h, _) => format!("hash:{h}"),
            Secret::Clear(c) => format!("clear:{c}"),
        };
        let mut tins: Vec<String> = self.tins.iter().map(|t| t.digits().to_string()).collect();
        tins.sort();
        vec![
            self.source.clone(),
            self.legacy_id.clone(),
            self.username.as_str().to_string(),
            tins.join(";"),
            self.practice.clone(),
            self.role.clone(),
            self.email
                .as_ref()
                .map(|e| e.as_str().to_string())
                .unwrap_or_default(),
            self.question.clone(),
            secret(&self.answer),
            self.answer_as_typed.to_string(),
            secret(&self.pin),
            secret(&self.password),
        ]
    }
}

/// The longest a text field may be, in characters.
const MAX_TEXT: usize = 200;
/// The longest secret in clear, in bytes.
const MAX_SECRET: usize = 1024;
/// The most TINs one account may have.
const MAX_TINS: usize = 50;

/// A required or optional text field, trimmed and checked.
fn text(raw: &RawRow, name: &'static str, required: bool) -> Result<Option<String>, Reject> {
    let Some(v) = raw.get(name) else {
        return if required {
            Err(Reject::new(
                "missing-field",
                format!("{name} is required and is empty or absent."),
            ))
        } else {
            Ok(None)
        };
    };
    if v.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Reject::new(
            "bad-text",
            format!("{name} holds a control character (NUL, a line break or the like)."),
        ));
    }
    let v = v.trim();
    if v.chars().count() > MAX_TEXT {
        return Err(Reject::new(
            "field-too-long",
            format!("{name} is longer than {MAX_TEXT} characters."),
        ));
    }
    if formula_like(v) {
        return Err(Reject::new(
            "formula-like",
            format!("{name} begins with =, +, -, @ or a tab, which a spreadsheet would run as a formula."),
        ));
    }
    Ok(Some(v.to_string()))
}

/// One secret: exactly one of `clear` and `hashed` given.
fn secret(raw: &RawRow, clear: &'static str, hashed: &'static str) -> Result<Secret, Reject> {
    match (raw.get(clear), raw.get(hashed)) {
        (Some(_), Some(_)) => Err(Reject::new(
            "conflicting-fields",
            format!("give {clear} or {hashed}, not both."),
        )),
        (None, None) => Err(Reject::new(
            "missing-field",
            format!("{clear} or {hashed} is required."),
        )),
        (Some(c), None) => {
            if c.len() > MAX_SECRET || c.contains('\0') {
                return Err(Reject::new(
                    "bad-secret",
                    format!("{clear} is longer than {MAX_SECRET} bytes or holds a NUL."),
                ));
            }
            Ok(Secret::Clear(c.to_string()))
        }
        (None, Some(h)) => {
            let h = h.trim();
            match legacy::check(h) {
                Ok(format) => Ok(Secret::Hashed(h.to_string(), format)),
                Err(Refusal::Unknown) => Err(Reject::new(
                    "unknown-hash-format",
                    format!("{hashed} is in none of the formats docs/import.md lists."),
                )),
                Err(Refusal::Malformed(what)) => Err(Reject::new(
                    "malformed-hash",
                    format!("{hashed} is not well formed ({what})."),
                )),
                Err(Refusal::TooCostly(what)) => Err(Reject::new(
                    "hash-too-costly",
                    format!("{hashed} asks for too much work to check ({what}); docs/import.md gives the limits."),
                )),
            }
        }
    }
}

/// Checks a row; the first problem found refuses it.
pub fn check(raw: &RawRow) -> Result<ImportRow, Reject> {
    let source = text(raw, "source", true)?.unwrap_or_default();
    if source.len() > 50
        || !source
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(Reject::new(
            "bad-source",
            "source is at most 50 letters, digits, '-', '_' or '.'.",
        ));
    }
    let legacy_id = text(raw, "legacy_id", true)?.unwrap_or_default();
    let name = text(raw, "username", true)?.unwrap_or_default();
    // The rules of a new login's username (Register's): the new login is
    // named after its first old account, so an old account may not hold a
    // name that Register refuses as a look-alike of another.
    let username = Username::parse_new(&name).map_err(|e| {
        Reject::new(
            "bad-username",
            match e.0 {
                "error-username-invisible" => "username holds an invisible or bidirectional character (a zero-width space, a right-to-left mark or the like), so it could pass for another name.",
                "error-username-mixed-script" => "username mixes scripts (a Cyrillic or Greek letter among Latin ones, say), so it could pass for another name.",
                _ => "username has a space or a control character in it.",
            },
        )
    })?;
    if raw.tins.is_empty() {
        return Err(Reject::new("missing-field", "tins: give at least one TIN."));
    }
    if raw.tins.len() > MAX_TINS {
        return Err(Reject::new(
            "bad-tin",
            format!("tins: at most {MAX_TINS} per account."),
        ));
    }
    let mut tins = Vec::new();
    for (i, t) in raw.tins.iter().enumerate() {
        let tin = Tin::parse(t).map_err(|_| {
            Reject::new(
                "bad-tin",
                format!(
                    "TIN {} of the row is not 9 digits (12-3456789 or 123456789).",
                    i + 1
                ),
            )
        })?;
        if !tins.contains(&tin) {
            tins.push(tin);
        }
    }
    let practice = text(raw, "practice", true)?.unwrap_or_default();
    let role = text(raw, "role", true)?.unwrap_or_default();
    let email = match text(raw, "email", false)? {
        Some(e) => Some(
            EmailAddress::parse(&e)
                .map_err(|_| Reject::new("bad-email", "email is not an email address."))?,
        ),
        None => None,
    };
    let question = text(raw, "question", true)?.unwrap_or_default();
    let answer_as_typed = match raw
        .get("answer_normalised")
        .map(|v| v.trim().to_ascii_lowercase())
    {
        None => false,
        Some(v) if ["yes", "true", "1"].contains(&v.as_str()) => false,
        Some(v) if ["no", "false", "0"].contains(&v.as_str()) => true,
        Some(_) => {
            return Err(Reject::new(
                "bad-flag",
                "answer_normalised is yes or no (true or false).",
            ))
        }
    };
    let answer = secret(raw, "answer", "answer_hash")?;
    if let Secret::Clear(a) = &answer {
        if a.trim().is_empty() {
            return Err(Reject::new("missing-field", "answer is empty."));
        }
    }
    let pin = secret(raw, "pin", "pin_hash")?;
    if let Secret::Clear(p) = &pin {
        Pin::parse(p).map_err(|_| Reject::new("bad-pin", "pin is not 4 to 8 digits."))?;
    }
    let password = secret(raw, "password", "password_hash")?;
    Ok(ImportRow {
        source,
        legacy_id,
        username,
        tins,
        practice,
        role,
        email,
        question,
        answer,
        answer_as_typed,
        pin,
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> RawRow {
        let mut r = RawRow::default();
        for (k, v) in [
            ("source", "claims-portal"),
            ("legacy_id", "C-1"),
            ("username", "kpatel"),
            ("tins", "83-6576879; 061234567"),
            ("practice", "Patel Cardiology"),
            ("role", "Practice manager"),
            ("question", "What city were you born in?"),
            ("answer", "Boston"),
            ("pin", "2468"),
            (
                "password_hash",
                "$2b$04$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi",
            ),
        ] {
            r.set(k, v.to_string());
        }
        for (k, v) in pairs {
            assert!(r.set(k, v.to_string()), "{k}");
        }
        r
    }

    fn code(pairs: &[(&str, &str)]) -> &'static str {
        check(&row(pairs)).map(|_| "ok").unwrap_or_else(|r| r.code)
    }

    #[test]
    fn a_good_row_is_read_whole() {
        let r = check(&row(&[])).unwrap();
        assert_eq!(r.tins.len(), 2);
        assert_eq!(r.username.as_str(), "kpatel");
        assert!(matches!(
            r.password,
            Secret::Hashed(_, legacy::Format::Bcrypt)
        ));
        assert!(matches!(r.answer, Secret::Clear(_)));
        assert!(!r.answer_as_typed);
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("Boston") && !shown.contains("2468"),
            "{shown}"
        );
        assert!(
            check(&row(&[("answer_normalised", "no")]))
                .unwrap()
                .answer_as_typed
        );
    }

    #[test]
    fn every_problem_has_its_code() {
        for (pairs, want) in [
            (vec![("username", "")], "missing-field"),
            (vec![("username", "k patel")], "bad-username"),
            (vec![("username", "mjones\u{200B}")], "bad-username"),
            (vec![("username", "m\u{0458}ones")], "bad-username"),
            (vec![("username", "\u{202E}mjones")], "bad-username"),
            (vec![("tins", "12345")], "bad-tin"),
            (vec![("tins", "")], "missing-field"),
            (vec![("email", "nope")], "bad-email"),
            (vec![("pin", "12")], "bad-pin"),
            (
                vec![("pin_hash", "$1$abc$N7g9i6CZS.da9d8NecdV11")],
                "conflicting-fields",
            ),
            (vec![("password_hash", "md5:abc")], "unknown-hash-format"),
            (vec![("password_hash", "$2b$10$short")], "malformed-hash"),
            (
                vec![(
                    "password_hash",
                    "$2b$31$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi",
                )],
                "hash-too-costly",
            ),
            (
                vec![("practice", "=HYPERLINK(\"http://x\")")],
                "formula-like",
            ),
            (vec![("role", "@SUM(A1)")], "formula-like"),
            (vec![("practice", &"x".repeat(201))], "field-too-long"),
            (vec![("practice", "a\0b")], "bad-text"),
            (vec![("source", "claims portal")], "bad-source"),
            (vec![("answer_normalised", "maybe")], "bad-flag"),
        ] {
            assert_eq!(code(&pairs), want, "{pairs:?}");
        }
    }

    #[test]
    fn no_message_holds_a_secret() {
        for pairs in [
            vec![("pin", "12x")],
            vec![
                ("password", "Secret#1"),
                ("password_hash", "$1$abc$N7g9i6CZS.da9d8NecdV11"),
            ],
            vec![("password_hash", "$2b$10$SecretSecretSecret")],
        ] {
            let r = check(&row(&pairs)).unwrap_err();
            assert!(
                !r.message.contains("12x") && !r.message.contains("Secret"),
                "{}",
                r.message
            );
        }
    }

    #[test]
    fn the_canonical_form_changes_with_any_field() {
        let a = check(&row(&[])).unwrap().canonical();
        assert_eq!(
            a,
            check(&row(&[("tins", "061234567;836576879")]))
                .unwrap()
                .canonical()
        );
        assert_ne!(
            a,
            check(&row(&[("role", "Billing staff")]))
                .unwrap()
                .canonical()
        );
        assert_ne!(a, check(&row(&[("pin", "2469")])).unwrap().canonical());
    }
}
