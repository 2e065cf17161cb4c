//! Every visible text, in the user's language.
//!
//! The texts live in one Fluent catalogue per language, `locales/<lang>/main.ftl`,
//! compiled into the server. A new language is a new folder there (and a build):
//! the language switch on every page lists every catalogue by its own
//! `language-name`. Pages are rendered on the server, so the catalogues never
//! reach the browser; the countdown gets its few texts in `data-` attributes.
//!
//! The language is the `lang` cookie (set by the switch) or else the best match
//! of `Accept-Language`, or else English.

use serde::{Deserialize, Serialize};

/// A language tag of one of the catalogues, like `en` or `es`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lang(pub String);

impl Default for Lang {
    fn default() -> Self {
        Lang(DEFAULT.to_string())
    }
}

/// The language of the pages when nothing else is known.
pub const DEFAULT: &str = "en";

/// The cookie the language switch sets.
pub const COOKIE: &str = "lang";

/// A value for a placeholder in a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// A day, `YYYY-MM-DD`, written out in the reader's language
    /// ("December 31, 2026", "31 de diciembre de 2026").
    Day(String),
}

/// A message to show later, in the language of whoever then reads it: a
/// catalogue key and its arguments. Stored in the wizard's flash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Msg {
    pub key: String,
    #[serde(default)]
    pub args: Vec<(String, Arg)>,
}

impl Msg {
    pub fn new(key: &str) -> Msg {
        Msg {
            key: key.to_string(),
            args: Vec::new(),
        }
    }

    pub fn text(mut self, name: &str, value: impl Into<String>) -> Msg {
        self.args.push((name.to_string(), Arg::Text(value.into())));
        self
    }

    pub fn number(mut self, name: &str, value: i64) -> Msg {
        self.args.push((name.to_string(), Arg::Number(value)));
        self
    }

    /// A day, `YYYY-MM-DD`, written out in the reader's language.
    pub fn day(mut self, name: &str, ymd: &str) -> Msg {
        self.args
            .push((name.to_string(), Arg::Day(ymd.to_string())));
        self
    }
}

/// The text for `key` in the language of the page being rendered.
pub fn t(key: &str) -> String {
    tr(&Msg::new(key))
}

/// A message in the language of the page being rendered.
pub fn tr(msg: &Msg) -> String {
    #[cfg(feature = "ssr")]
    {
        server::text(&current(), msg)
    }
    #[cfg(not(feature = "ssr"))]
    {
        // Only the server renders texts; islands get theirs as props.
        msg.key.clone()
    }
}

/// A stored security question in the language of the page being rendered.
pub fn question_text(stored: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        server::question(&current(), stored)
    }
    #[cfg(not(feature = "ssr"))]
    {
        stored.to_string()
    }
}

/// The other languages there are catalogues for: tag and own name ("Español").
pub fn others() -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        let here = current();
        server::available()
            .into_iter()
            .filter(|l| *l != here)
            .map(|l| {
                let name = server::text_of(&l, "language-name");
                (l.0, name)
            })
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Vec::new()
    }
}

/// What a query value keeps as it is: RFC 3986's unreserved characters,
/// and slashes (so that a path reads as one).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// `s` percent-encoded for a query parameter (paths keep their slashes).
pub fn encode_query_value(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// The language of the page being rendered (English outside a request).
pub fn current() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::{Arg, Lang, Msg, COOKIE, DEFAULT};
    use fluent_bundle::FluentValue;
    use fluent_templates::{LanguageIdentifier, Loader};
    use std::borrow::Cow;
    use std::collections::HashMap;
    use std::sync::LazyLock;

    fluent_templates::static_loader! {
        static LOCALES = {
            locales: "./locales",
            fallback_language: "en",
            // No Unicode isolation marks around placeholders: our values
            // (numbers, masked addresses, references) are all left-to-right.
            customise: |bundle| bundle.set_use_isolating(false),
        };
    }

    /// Every catalogue: its tag and its identifier, English first, the rest
    /// in tag order.
    static LANGS: LazyLock<Vec<(Lang, LanguageIdentifier)>> = LazyLock::new(|| {
        let mut all: Vec<(Lang, LanguageIdentifier)> = LOCALES
            .locales()
            .map(|id| (Lang(id.to_string()), id.clone()))
            .collect();
        all.sort_by_key(|(l, _)| (l.0 != DEFAULT, l.0.clone()));
        all
    });

    fn id(lang: &Lang) -> &'static LanguageIdentifier {
        LANGS
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| LANGS.first())
            .map(|(_, id)| id)
            .expect("at least one catalogue")
    }

    /// The languages there are catalogues for, English first.
    pub fn available() -> Vec<Lang> {
        LANGS.iter().map(|(l, _)| l.clone()).collect()
    }

    /// A catalogue's tag for `tag` (case and region aside), if there is one.
    pub fn supported(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let all = available();
        all.iter()
            .find(|l| l.0.eq_ignore_ascii_case(tag))
            .or_else(|| all.iter().find(|l| l.0.eq_ignore_ascii_case(primary)))
            .cloned()
    }

    /// The best catalogue for an `Accept-Language` header: the highest `q`
    /// first, in the order given when equal.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranged: Vec<(u32, usize, &str)> = header
            .split(',')
            .take(20)
            .enumerate()
            .filter_map(|(i, part)| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                    .unwrap_or(1.0);
                (q > 0.0 && !tag.is_empty()).then_some(((q * 1000.0) as u32, i, tag))
            })
            .collect();
        ranged.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranged.into_iter().find_map(|(_, _, tag)| supported(tag))
    }

    /// The language of a request: the switch's cookie, else `Accept-Language`.
    pub fn from_headers(headers: &http::HeaderMap) -> Lang {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        header(http::header::COOKIE)
            .and_then(|c| crate::auth::cookie_value(c, COOKIE))
            .and_then(|tag| supported(&tag))
            .or_else(|| header(http::header::ACCEPT_LANGUAGE).and_then(from_accept_language))
            .unwrap_or_default()
    }

    /// A message in `lang`; English when the catalogue lacks it, the key
    /// itself (and a log line) when no catalogue has it.
    pub fn text(lang: &Lang, msg: &Msg) -> String {
        let args: Option<HashMap<Cow<'static, str>, FluentValue>> =
            (!msg.args.is_empty()).then(|| {
                msg.args
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Arg::Text(s) => FluentValue::from(s.clone()),
                            Arg::Number(n) => FluentValue::from(*n),
                            Arg::Day(ymd) => FluentValue::from(long_day(lang, ymd)),
                        };
                        (Cow::Owned(k.clone()), v)
                    })
                    .collect()
            });
        LOCALES
            .try_lookup_complete(id(lang), &msg.key, args.as_ref())
            .unwrap_or_else(|| {
                tracing::warn!(key = %msg.key, lang = %lang.0, "no text for this key");
                msg.key.clone()
            })
    }

    /// A day, `YYYY-MM-DD`, as `lang`'s catalogue writes one out
    /// (`day-long`, with `month-1` to `month-12`); anything else as it is.
    pub fn long_day(lang: &Lang, ymd: &str) -> String {
        let mut parts = ymd.splitn(3, '-');
        let (year, month, day) = (parts.next(), parts.next(), parts.next());
        let number = |p: Option<&str>, most: u32| {
            p.filter(|p| (1..=4).contains(&p.len()))
                .and_then(|p| p.parse::<u32>().ok())
                .filter(|n| (1..=most).contains(n))
        };
        match (number(year, 9999), number(month, 12), number(day, 31)) {
            (Some(y), Some(m), Some(d)) => text(
                lang,
                &Msg::new("day-long")
                    .text("year", y.to_string())
                    .text("month", text_of(lang, &format!("month-{m}")))
                    .text("day", d.to_string()),
            ),
            _ => ymd.to_string(),
        }
    }

    /// `text` of a key without arguments.
    pub fn text_of(lang: &Lang, key: &str) -> String {
        text(lang, &Msg::new(key))
    }

    /// Whether `lang`'s own catalogue (not the fallback) has `key`.
    pub fn has(lang: &Lang, key: &str) -> bool {
        LOCALES
            .lookup_single_language::<&str>(id(lang), key, None)
            .is_ok()
    }

    /// A security question in the page's language: the catalogue's
    /// `question-<words>` when it has one, else as stored.
    pub fn question(lang: &Lang, stored: &str) -> String {
        let key = question_key(stored);
        if has(lang, &key) {
            text_of(lang, &key)
        } else {
            stored.to_string()
        }
    }

    /// "What's your maiden name?" -> "question-whats-your-maiden-name".
    pub fn question_key(stored: &str) -> String {
        let mut key = String::from("question");
        let mut dash = true;
        for c in stored.chars() {
            if c.is_ascii_alphanumeric() {
                if dash {
                    key.push('-');
                    dash = false;
                }
                key.push(c.to_ascii_lowercase());
            } else if c != '\'' {
                dash = true;
            }
        }
        key
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use fluent_bundle::FluentResource;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};

    fn es() -> Lang {
        Lang("es".into())
    }

    #[test]
    fn accept_language_picks_the_best_catalogue() {
        assert_eq!(from_accept_language("es-MX,es;q=0.9,en;q=0.8"), Some(es()));
        assert_eq!(
            from_accept_language("fr-FR, es;q=0.5, en;q=0.4"),
            Some(es())
        );
        assert_eq!(from_accept_language("en;q=0.4, es;q=0.9"), Some(es()));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("es;q=0"), None);
        assert_eq!(from_accept_language("EN-us"), Some(Lang::default()));
        let mut h = http::HeaderMap::new();
        h.insert("accept-language", "es".parse().unwrap());
        assert_eq!(from_headers(&h), es());
        h.insert("cookie", "a=b; lang=en".parse().unwrap());
        assert_eq!(from_headers(&h), Lang::default(), "the switch wins");
        h.insert("cookie", "lang=xx".parse().unwrap());
        assert_eq!(from_headers(&h), es(), "an unknown cookie value is ignored");
    }

    #[test]
    fn messages_take_their_arguments_and_plurals() {
        let m = |n| Msg::new("countdown-wait").number("seconds", n);
        assert_eq!(
            text(&Lang::default(), &m(1)),
            "Didn't get it? You can request a new code in 1 second."
        );
        assert_eq!(
            text(&Lang::default(), &m(42)),
            "Didn't get it? You can request a new code in 42 seconds."
        );
        assert_eq!(
            text(&es(), &m(1)),
            "¿No le llegó? Podrá pedir un código nuevo en 1 segundo."
        );
        assert_eq!(
            text(&es(), &m(7)),
            "¿No le llegó? Podrá pedir un código nuevo en 7 segundos."
        );
        assert_eq!(text_of(&es(), "no-such-key"), "no-such-key");
        assert_eq!(
            question(&es(), "What's your maiden name?"),
            "¿Cuál es su apellido de soltera?"
        );
        assert_eq!(question(&es(), "Who is it?"), "Who is it?");
    }

    #[test]
    fn days_are_written_out_in_the_readers_language() {
        assert_eq!(
            long_day(&Lang::default(), "2026-12-31"),
            "December 31, 2026"
        );
        assert_eq!(long_day(&es(), "2027-01-05"), "5 de enero de 2027");
        // Not a day: as it is.
        assert_eq!(long_day(&es(), "2027-13-05"), "2027-13-05");
        assert_eq!(long_day(&es(), "soon"), "soon");
        let m = Msg::new("day-long").day("date", "2026-03-01");
        assert_eq!(m.args[0].1, Arg::Day("2026-03-01".into()));
    }

    /// Every catalogue file, by language.
    fn catalogues() -> BTreeMap<String, String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                (name, std::fs::read_to_string(p.join("main.ftl")).unwrap())
            })
            .collect()
    }

    /// Each message's name and the variables it uses.
    fn shape(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let res = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("a catalogue does not parse: {e:?}"));
        let mut out = BTreeMap::new();
        for entry in res.entries() {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        variables(p, &mut vars);
                    }
                    out.insert(m.id.name.to_string(), vars);
                }
                ast::Entry::Term(t) => {
                    let mut vars = BTreeSet::new();
                    variables(&t.value, &mut vars);
                    out.insert(format!("-{}", t.id.name), vars);
                }
                _ => {}
            }
        }
        out
    }

    fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => inline_variables(i, out),
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
        }
    }

    fn inline_variables(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, out)
            }
            _ => {}
        }
    }

    #[test]
    fn every_catalogue_has_every_message_with_the_same_placeholders() {
        let all = catalogues();
        let english = shape(&all["en"]);
        assert!(
            english.len() > 100,
            "the English catalogue is the reference"
        );
        assert!(all.len() >= 2, "English and Spanish at least");
        for (lang, source) in &all {
            let other = shape(source);
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
            for (k, vars) in &english {
                assert_eq!(&other[k], vars, "{lang}: {k} uses other placeholders");
            }
            assert!(supported(lang).is_some(), "{lang} is compiled in");
        }
    }

    /// Every key the code names (`t("…")`, `Msg::new("…")`, `ParseError("…")`,
    /// `text_of(…, "…")`) is in the English catalogue.
    #[test]
    fn every_key_the_code_uses_is_in_the_catalogue() {
        let english = shape(&catalogues()["en"]);
        let mut used = BTreeSet::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            for pat in [
                "t(\"",
                "=> \"",
                "Msg::new(\"",
                "ParseError(\"",
                "text_of(lang, \"",
                "text_of(&lang, \"",
            ] {
                for (i, _) in src.match_indices(pat) {
                    let before = src[..i].chars().next_back().unwrap_or(' ');
                    if pat == "t(\"" && (before.is_alphanumeric() || "_.".contains(before)) {
                        continue;
                    }
                    let rest = &src[i + pat.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        && key.contains('-')
                    {
                        used.insert(key.to_string());
                    }
                }
            }
        }
        assert!(used.len() > 80, "found {} keys in the code", used.len());
        let missing: Vec<_> = used.iter().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "keys used in the code but not in locales/en: {missing:?}"
        );
    }
}
