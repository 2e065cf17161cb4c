//! The quick guide's pictures: phone-width screenshots of our own pages,
//! taken by the Playwright suite into `docs/screenshots/<lang>/`, embedded at
//! build time (build.rs) and served at `/guide/<lang>/<step>.png`.

use crate::i18n::{Lang, DEFAULT};
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/guide_images.rs"));

/// The picture of `step` in `lang`, else in English: its address and size.
pub fn find(lang: &Lang, step: &str) -> Option<(String, u32, u32)> {
    let of = |tag: &str| IMAGES.iter().find(|i| i.0 == tag && i.1 == step);
    of(&lang.0)
        .or_else(|| of(DEFAULT))
        .map(|i| (format!("/guide/{}/{}.png", i.0, i.1), i.2, i.3))
}

/// `GET /guide/{lang}/{file}`.
pub async fn serve(Path((lang, file)): Path<(String, String)>) -> Response {
    let step = file.strip_suffix(".png").unwrap_or("");
    match IMAGES.iter().find(|i| i.0 == lang && i.1 == step) {
        Some(i) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            i.4,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
