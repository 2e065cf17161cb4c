//! What a sign-in page shows again after a failed sign-in (the provider's
//! and the console's): the username typed and the message, kept with this
//! browser's one-step flow record on the server, never in the address
//! (history and access logs would keep them).

use super::{fresh, keep, load, renew, Flash, Loaded, Outcome, Steps};
use crate::domain::Username;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::{Ctx, Reply};

/// Back to `page`'s sign-in page, which shows `message` and the username
/// typed again.
pub async fn failed_sign_in<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    page: S,
    username: &str,
    message: Msg,
) -> Outcome {
    let kept: String = username.trim().chars().take(Username::MAX_LEN).collect();
    // A browser without a record gets a fresh one, stored once with what
    // it shows (one insert).
    let (old, new_cookie) = match load::<S>(app, ctx).await? {
        Loaded::Active(f, _) => (f, None),
        _ => {
            let (f, cookie) = fresh(app, ctx, page);
            (f, Some(cookie))
        }
    };
    let stored = new_cookie.is_none().then_some(&old);
    let mut f = old.clone();
    // A token this browser came with may have been planted (cookie
    // tossing) by someone waiting to read what is typed: each failure
    // moves the record to a token of its own.
    let cookie = new_cookie.unwrap_or_else(|| renew::<S>(&mut f, ctx));
    f.username_draft = kept;
    f.flash = Flash::error("password", message);
    // A password refused after another was right (a second step under
    // way) takes the flow back to the password: the login it held goes.
    f.step = page.stored().into();
    f.portal_user_id = None;
    keep::<S>(app, ctx, stored, f, None).await?;
    Ok(Reply::to(page.path()).with_cookie(cookie))
}

/// The username and the message of this browser's last failed sign-in at
/// `S`'s page, if its record is still there (and at that page, not at a
/// second step).
pub async fn kept_sign_in<S: Steps>(app: &AppState, ctx: &Ctx) -> (String, Option<Msg>) {
    match load::<S>(app, ctx).await {
        Ok(Loaded::Active(f, step)) if step == step.first() => (
            f.username_draft,
            Flash::of(f.flash.as_deref())
                .errors
                .into_iter()
                .next()
                .map(|e| e.message),
        ),
        _ => (String::new(), None),
    }
}

/// After a sign-in: the page has nothing more to show again.
pub async fn forget_sign_in<S: Steps>(app: &AppState, ctx: &Ctx) -> Result<(), super::Stop> {
    if let Loaded::Active(f, _) = load::<S>(app, ctx).await? {
        app.store.delete_flow(&f.id).await?;
    }
    Ok(())
}
