//! Adding a passkey on Sign-in and security: the password and the second
//! step again (a passkey signs in alone, so a session alone must not add
//! one), then the page where the browser makes it, then the passkey
//! checked and kept. The login's first method comes with its backup codes.

use super::service::{
    clean_name, codes_with_method, method_added, refused, reported_change, shown_for_login,
    shown_of_login, signed_in,
};
use crate::auth;
use crate::domain::PasskeyCeremony;
use crate::flow::outbox;
use crate::flow::passkey::{self, credential_key, seal_credential, CHALLENGE_SECS};
use crate::flow::second::{self, StepUp};
use crate::flow::{audit, Outcome, Stop};
use crate::state::AppState;
use crate::web::{Ctx, Reply};

/// The page where the browser makes the passkey; the only path the proof
/// of the step-up is sent to.
pub const PASSKEY_PATH: &str = "/security/passkey";
/// What the step-up's proof is sealed for.
const STEPPED_UP: &str = "passkey step-up, v1";
/// The name a passkey gets unless one is typed.
const DEFAULT_NAME: &str = "Passkey";

/// `Add a passkey`: the password and the second step again, then the page
/// that makes it, for five minutes.
pub async fn start(app: &AppState, ctx: &Ctx, password: &str, given: second::Given<'_>) -> Outcome {
    const ACTION: &str = "security/passkey_start";
    let user = signed_in(app, ctx).await?;
    if app.passkeys.is_none() {
        return Ok(Reply::to("/security"));
    }
    let proof = second::step_up(app, &user, password, given).await?;
    if proof != StepUp::Proven {
        audit(app, ctx, None, ACTION, proof.audited()).await;
        return Ok(refused("passkey", proof));
    }
    audit(app, ctx, None, ACTION, "ok").await;
    let until = (app.clock.now() + CHALLENGE_SECS).to_string();
    let to = (PASSKEY_PATH, STEPPED_UP);
    let cookie = shown_for_login(app, ctx, to, user.id, &until, CHALLENGE_SECS);
    Ok(Reply::to(PASSKEY_PATH).with_cookie(cookie))
}

/// Whether this browser proved the step-up for `login` less than five
/// minutes ago.
fn stepped_up(app: &AppState, ctx: &Ctx, login: i64) -> bool {
    shown_of_login(app, ctx, STEPPED_UP, login)
        .is_some_and(|until| until.parse::<i64>().is_ok_and(|u| app.clock.now() <= u))
}

/// What the page that makes the passkey shows: the browser's options and
/// the ceremony's sealed state; None without a fresh step-up.
pub async fn setup(app: &AppState, ctx: &Ctx) -> Result<Option<PasskeyCeremony>, Stop> {
    let user = signed_in(app, ctx).await?;
    if !stepped_up(app, ctx, user.id) {
        return Ok(None);
    }
    passkey::start_adding(app, &user).await
}

/// `Create passkey`: the browser's answer, checked and kept.
pub async fn finish(app: &AppState, ctx: &Ctx, name: &str, state: &str, answer: &str) -> Outcome {
    const ACTION: &str = "security/passkey_finish";
    let user = signed_in(app, ctx).await?;
    let key = match passkey::finish_adding(app, user.id, state, answer).await? {
        Ok(k) => k,
        Err(r) => {
            audit(app, ctx, None, ACTION, r.audited()).await;
            return Ok(Reply::to(&format!("{PASSKEY_PATH}?error=passkey")));
        }
    };
    let name = match name.trim() {
        "" => DEFAULT_NAME.to_string(),
        typed => clean_name(typed),
    };
    let now = app.clock.now();
    let (hashes, cookie) = codes_with_method(app, ctx, user.id).await?;
    let change = reported_change(app, ctx, &user, "mail-second-step-passkey-added", now);
    let added = app
        .store
        .add_passkey(
            &change,
            &name,
            &credential_key(key.cred_id()),
            &seal_credential(app, &key),
            &hashes,
        )
        .await?;
    if !added {
        audit(
            app,
            ctx,
            None,
            ACTION,
            passkey::Refused::Registered.audited(),
        )
        .await;
        return Ok(Reply::to(&format!("{PASSKEY_PATH}?error=registered")));
    }
    outbox::wake(app);
    audit(app, ctx, None, ACTION, "ok: passkey added").await;
    // The step-up's proof is spent.
    let spent = auth::shown_cookie_at(PASSKEY_PATH, "", 0, ctx.secure);
    Ok(method_added(cookie, "passkey-added").with_cookie(spent))
}
