use crate::i18n::{text, text_of, Lang, Msg};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and quoted attribute values
/// (`&`, `<`, `>`, `"`, `'`), as Leptos escapes what it renders.
pub fn escape(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// hash.txt next to the running binary: `js: …`, `wasm: …`, `css: …`.
pub fn hash_file() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()
}

/// The stylesheet's address, with its content hash when the build has one
/// (for pages rendered outside Leptos: refusals, the development mailbox).
pub fn css_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = hash_file().and_then(|h| {
            h.lines()
                .find_map(|l| l.trim().strip_prefix("css:").map(|v| v.trim().to_string()))
        });
        match hash {
            Some(h) => format!("/pkg/provider-portal.{h}.css"),
            None => "/pkg/provider-portal.css".to_string(),
        }
    })
}

/// A small page for a refused request: a plain sentence and a way back.
pub fn refusal(
    status: StatusCode,
    lang: &Lang,
    title: &str,
    sentence: &Msg,
    back: &str,
) -> Response {
    let heading = text_of(lang, title);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{l}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main class=\"page\" id=\"main\"><h1>{h}</h1><p class=\"lead\">{s}</p>\
         <p><a href=\"{b}\">{back_text}</a></p></main></body></html>",
        l = escape(&lang.0),
        title = escape(&text(lang, &Msg::new("page-title").text("page", &heading))),
        h = escape(&heading),
        s = escape(&text(lang, sentence)),
        b = escape(back),
        back_text = escape(&text_of(lang, "refusal-back")),
        css = css_href(),
    );
    let mut res = (status, Html(html)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_html() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"
        );
    }
}
