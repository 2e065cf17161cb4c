//! A provider's sign-in session: opened after every proof a path asks for
//! (the password and a second step at sign-in; a whole wizard's proofs at
//! Finish; Register's code and password), always on a new token.

use super::Stop;
use crate::auth::{self, random_token, token_hash, SESSION_COOKIE};
use crate::flow::limits::SESSION_LIFETIME_SECS;
use crate::state::AppState;
use crate::web::Ctx;

/// A new session of login `login`; the cookie that carries it.
pub async fn open(app: &AppState, ctx: &Ctx, login: i64) -> Result<String, Stop> {
    let token = random_token();
    app.store
        .insert_user_session(&token_hash(&token), login, app.clock.now())
        .await?;
    Ok(cookie(ctx, &token))
}

/// The cookie that carries session `token` (a session written by the
/// caller, with the rest of its sign-in).
pub fn cookie(ctx: &Ctx, token: &str) -> String {
    auth::named_cookie(SESSION_COOKIE, token, SESSION_LIFETIME_SECS, ctx.secure)
}
