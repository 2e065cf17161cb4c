//! The "This wasn't me" link that every mail reporting a consolidation or a
//! password reset carries: a random token in the link, only its keyed hash
//! stored (with the mail, in the step's transaction), single use, 30 days.

use crate::auth::{keyed_hash, random_token};
use crate::state::AppState;
use crate::store::NotMeLink;

/// How long a link works.
pub const LINK_TTL_SECS: i64 = 30 * 86_400;

/// The address of the page the link opens.
pub const PATH: &str = "/not-me";

/// The keyed hash of a link's token.
pub fn token_hash(app: &AppState, token: &str) -> String {
    keyed_hash(&app.key, &["not-me", token])
}

/// The link of `token` at `now`, and the keyed hash it is stored under:
/// under the current secret, or during a rotation the previous one (a link
/// mailed before lives 30 days).
pub async fn find_link(
    app: &AppState,
    token: &str,
    now: i64,
) -> Result<(String, NotMeLink), sqlx::Error> {
    let mut unknown = None;
    for hash in app.key.hashes(&["not-me", token]) {
        match app.store.not_me_link(&hash, now).await? {
            NotMeLink::Unknown => {
                unknown.get_or_insert(hash);
            }
            link => return Ok((hash, link)),
        }
    }
    Ok((unknown.unwrap_or_default(), NotMeLink::Unknown))
}

/// A new link made at `now`: its address, and what the outbox stores
/// with the mail (the token's keyed hash, the expiry).
pub fn new_link(app: &AppState, now: i64) -> (String, (String, i64)) {
    let token = random_token();
    let url = format!("{}{PATH}?token={token}", app.settings.site_origin());
    (url, (token_hash(app, &token), now + LINK_TTL_SECS))
}
