use super::audit::{self, audit};
use super::limits::{FLOW_IDLE_SECS, FLOW_LIFETIME_SECS};
use super::Stop;
use crate::auth::{self, random_token, token_hash};
use crate::state::AppState;
use crate::store::{AuditEvent, FlowRow, StepWrite};
use crate::web::{Ctx, Reply};

/// A flow's step table, as the engine needs it: where each step's page is,
/// how a step is stored, and which cookie carries the flow.
pub trait Steps: Copy + Eq + Sized + 'static {
    /// The cookie that carries the flow's token.
    const COOKIE: &'static str;
    /// Where a flow goes when its stored step cannot be read.
    const DEFAULT: Self;
    /// Whether a stored flow of `kind` is one of these.
    fn owns(kind: &str) -> bool;
    /// The step a stored flow is at, if it can be read.
    fn of(row: &FlowRow) -> Option<Self>;
    /// The flow's kind, as stored.
    fn kind(self) -> &'static str;
    /// The step, as stored.
    fn stored(self) -> &'static str;
    /// The step's page.
    fn path(self) -> &'static str;
    /// The first step of this step's flow.
    fn first(self) -> Self;
}

/// This browser's flow of a kind, as found.
pub enum Loaded<S> {
    Missing,
    /// Past its idle time or its lifetime (or at a step no longer known).
    Expired(FlowRow),
    Active(FlowRow, S),
}

/// This browser's flow of `S`'s kind.
pub async fn load<S: Steps>(app: &AppState, ctx: &Ctx) -> Result<Loaded<S>, Stop> {
    let Some(token) = ctx.token(S::COOKIE) else {
        return Ok(Loaded::Missing);
    };
    let Some(f) = app.store.flow_by_token_hash(&token_hash(token)).await? else {
        return Ok(Loaded::Missing);
    };
    if !S::owns(&f.kind) {
        return Ok(Loaded::Missing);
    }
    let now = app.clock.now();
    let Some(step) = S::of(&f) else {
        return Ok(Loaded::Expired(f));
    };
    if now - f.last_seen_at > FLOW_IDLE_SECS || now - f.created_at > FLOW_LIFETIME_SECS {
        return Ok(Loaded::Expired(f));
    }
    Ok(Loaded::Active(f, step))
}

/// The flow, if `allowed` at its step now; otherwise the reply that refuses
/// the call, and nothing is written: a server function called out of order
/// changes nothing. `first` is the first page of the flow the call belongs to.
pub async fn begin<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    allowed: impl Fn(S) -> bool,
    action: &str,
    first: S,
) -> Result<(FlowRow, S), Stop> {
    let loaded = load::<S>(app, ctx).await?;
    begin_loaded(app, ctx, loaded, allowed, action, first).await
}

/// [`begin`] with the flow loaded already (by a caller that looked at it
/// first), so that it is not read twice.
pub async fn begin_loaded<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    loaded: Loaded<S>,
    allowed: impl Fn(S) -> bool,
    action: &str,
    first: S,
) -> Result<(FlowRow, S), Stop> {
    match loaded {
        Loaded::Missing => Err(Stop::Go(Reply::notice(first.path(), "out-of-order"))),
        Loaded::Expired(f) => {
            app.store.delete_flow(&f.id).await?;
            audit(app, ctx, Some(&f), action, "expired").await;
            Err(Stop::Go(
                Reply::notice(first.path(), "expired").with_cookie(clear_cookie::<S>(ctx)),
            ))
        }
        Loaded::Active(f, step) if allowed(step) => Ok((f, step)),
        Loaded::Active(f, step) => {
            audit(app, ctx, Some(&f), action, "refused: out of order").await;
            let back = if step.first() == first { step } else { first };
            Err(Stop::Go(Reply::notice(back.path(), "out-of-order")))
        }
    }
}

/// Writes `new` over `old` if nobody moved the flow meanwhile; otherwise
/// the browser goes back to where the flow is.
pub async fn save<S: Steps>(app: &AppState, old: &FlowRow, new: FlowRow) -> Result<(), Stop> {
    save_with::<S>(app, None, old, new, None, None).await
}

/// [`save`], with what the step writes beside the flow (`with`) and the
/// step's audit event (`audited`: action and outcome, recorded of `old`),
/// all in one transaction: neither is written without the other.
pub async fn save_with<S: Steps>(
    app: &AppState,
    ctx: Option<&Ctx>,
    old: &FlowRow,
    mut new: FlowRow,
    with: Option<&StepWrite<'_>>,
    audited: Option<(&str, &str)>,
) -> Result<(), Stop> {
    let now = app.clock.now();
    new.last_seen_at = now;
    let event = match (ctx, audited) {
        (Some(ctx), Some((action, outcome))) => Some(audit::event(ctx, Some(old), action, outcome)),
        _ => None,
    };
    write_over::<S>(app, old, &new, with, event.as_ref().map(|e| (e, old)), now).await
}

/// Writes `new` over `old` if nobody moved the flow meanwhile, with `with`
/// and `event` (told of its flow once written) in the same transaction;
/// otherwise the browser goes back to where the flow is.
async fn write_over<S: Steps>(
    app: &AppState,
    old: &FlowRow,
    new: &FlowRow,
    with: Option<&StepWrite<'_>>,
    event: Option<(&AuditEvent<'_>, &FlowRow)>,
    now: i64,
) -> Result<(), Stop> {
    let saved = app
        .store
        .update_flow_with(
            new,
            &old.step,
            &old.token_hash,
            with,
            event.map(|(e, _)| (now, e)),
        )
        .await?;
    if !saved {
        let step = S::of(old).unwrap_or(S::DEFAULT);
        return Err(Stop::Go(Reply::notice(step.path(), "out-of-order")));
    }
    if let Some((e, of)) = event {
        audit::told(e, Some(of));
    }
    Ok(())
}

/// Writes `new` over `old` (see [`save`]) and sends the browser to `to`'s
/// page, recording `audited` (action, outcome) in the audit trail if given,
/// in the same transaction.
pub async fn go<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    old: &FlowRow,
    new: FlowRow,
    to: S,
    audited: Option<(&str, &str)>,
) -> Result<Reply, Stop> {
    go_with(app, ctx, old, new, to, None, audited).await
}

/// [`go`], with what the step writes beside the flow (see [`save_with`]).
pub async fn go_with<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    old: &FlowRow,
    new: FlowRow,
    to: S,
    with: Option<&StepWrite<'_>>,
    audited: Option<(&str, &str)>,
) -> Result<Reply, Stop> {
    save_with::<S>(app, Some(ctx), old, new, with, audited).await?;
    Ok(Reply::to(to.path()))
}

/// A new flow at `step`, not yet stored, and the cookie that will carry
/// it: [`keep`] stores it with the step's outcome, in one insert rather
/// than an insert and an update.
pub fn fresh<S: Steps>(app: &AppState, ctx: &Ctx, step: S) -> (FlowRow, String) {
    let token = random_token();
    let f = FlowRow::new(
        random_token()[..32].to_string(),
        token_hash(&token),
        step.kind(),
        step.stored(),
        app.clock.now(),
    );
    (f, set_cookie::<S>(&token, ctx))
}

/// Writes `new`: inserted when `old` is `None` (a [`fresh`] flow), else
/// over `old` as [`save`] does; with `audited` (action, outcome), recorded
/// of `new`, in the same transaction.
pub async fn keep<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    old: Option<&FlowRow>,
    new: FlowRow,
    audited: Option<(&str, &str)>,
) -> Result<(), Stop> {
    let Some(old) = old else {
        let now = app.clock.now();
        let event = audited.map(|(action, outcome)| audit::event(ctx, Some(&new), action, outcome));
        app.store
            .insert_flow_audited(&new, event.as_ref().map(|e| (now, e)))
            .await?;
        if let Some(e) = &event {
            audit::told(e, Some(&new));
        }
        return Ok(());
    };
    let now = app.clock.now();
    let mut new = new;
    new.last_seen_at = now;
    let event = audited.map(|(action, outcome)| audit::event(ctx, Some(&new), action, outcome));
    write_over::<S>(app, old, &new, None, event.as_ref().map(|e| (e, &new)), now).await
}

/// A new flow at `step`, and the cookie that carries it.
pub async fn create<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    step: S,
) -> Result<(FlowRow, String), Stop> {
    create_with(app, ctx, step, |_| {}).await
}

/// [`create`], with what `fill` sets in the new flow (the login it is
/// for, a verified email) written in the same insert.
pub async fn create_with<S: Steps>(
    app: &AppState,
    ctx: &Ctx,
    step: S,
    fill: impl FnOnce(&mut FlowRow),
) -> Result<(FlowRow, String), Stop> {
    let (mut f, cookie) = fresh(app, ctx, step);
    fill(&mut f);
    app.store.insert_flow(&f).await?;
    Ok((f, cookie))
}

/// A new token for the same flow (after each proof); returns its cookie.
pub fn renew<S: Steps>(f: &mut FlowRow, ctx: &Ctx) -> String {
    let token = random_token();
    f.token_hash = token_hash(&token);
    set_cookie::<S>(&token, ctx)
}

/// The cookie that carries a flow's token: it lives as long as a flow may.
pub fn set_cookie<S: Steps>(token: &str, ctx: &Ctx) -> String {
    auth::named_cookie(S::COOKIE, token, FLOW_LIFETIME_SECS, ctx.secure)
}

/// The cookie that removes a flow's token.
pub fn clear_cookie<S: Steps>(ctx: &Ctx) -> String {
    auth::named_cookie(S::COOKIE, "", 0, ctx.secure)
}
