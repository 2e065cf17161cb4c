//! Passkeys at sign-in: "Sign in with a passkey" (no username, no
//! password: a passkey with user verification is two factors in itself),
//! and a passkey as the second step after the password.

use super::service::{at_second_step, failed, frozen, open_session, second_step_done};
use super::step::SignInStep;
use crate::flow::passkey;
use crate::flow::{self, audit, Flash, Outcome};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::{Ctx, Reply};

/// `Sign in with a passkey`: the browser's answer to the sign-in page's
/// challenge. A refused passkey says one sentence, whatever the reason.
pub async fn sign_in(app: &AppState, ctx: &Ctx, state: &str, answer: &str) -> Outcome {
    const ACTION: &str = "sign_in/passkey";
    let (login, _) = match passkey::finish_sign_in(app, state, answer).await? {
        Ok(found) => found,
        Err(r) => {
            audit(app, ctx, None, ACTION, r.audited()).await;
            return failed(app, ctx, "", "error-passkey").await;
        }
    };
    let Some(user) = app.store.portal_user_by_id(login).await? else {
        return failed(app, ctx, "", "error-passkey").await;
    };
    if let Some(message) = frozen(app, &user).await? {
        audit(app, ctx, None, ACTION, "refused: frozen").await;
        return flow::failed_sign_in(app, ctx, SignInStep::Password, &user.username, message).await;
    }
    audit(app, ctx, None, ACTION, "ok: passkey").await;
    open_session(app, ctx, user.id, "/accounts").await
}

/// `Use your passkey` on Confirm it's you: the second step by passkey.
pub async fn second_step(
    app: &AppState,
    ctx: &Ctx,
    state: &str,
    answer: &str,
    remember: bool,
) -> Outcome {
    const ACTION: &str = "sign_in/second_step";
    let (f, user) = match at_second_step(app, ctx).await? {
        Ok(at) => at,
        Err(out_of_order) => return Ok(out_of_order),
    };
    if let Err(r) = passkey::finish_second(app, user.id, state, answer).await? {
        audit(app, ctx, Some(&f), ACTION, r.audited()).await;
        let mut again = f.clone();
        again.flash = Flash::error("code", Msg::new("error-passkey-second"));
        flow::save::<SignInStep>(app, &f, again).await?;
        return Ok(Reply::to(SignInStep::SECOND_PATH));
    }
    second_step_done(app, ctx, &f, &user, "ok: passkey", "/accounts", remember).await
}
