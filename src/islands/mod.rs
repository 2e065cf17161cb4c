//! The interactive parts of the pages: the resend countdown, the "Show
//! password" switch, and forms that are sent once. All are rendered on the
//! server as plain HTML that works without JavaScript (a sentence; no switch;
//! a plain form), with what the browser needs in `data-` attributes. One
//! island without props, [`Enhance`], wires them up once JavaScript runs.
//!
//! Why one prop-less island rather than one island per part: island props
//! travel as JSON, and their deserialisation (serde_json and the formatting
//! machinery behind its errors) plus the reactive view code was most of the
//! WASM (the 60 KB budget of docs/performance.md). Reading a few attributes and setting a
//! text with web-sys needs neither.

use leptos::prelude::*;

/// "You can request a new code in 42 seconds.", counting down in the browser.
/// The texts come from the server's catalogue: `now`, `one` (1 second) and
/// `other` (with `{n}` for the seconds).
#[component]
pub fn ResendCountdown(wait_secs: i64, now: String, one: String, other: String) -> impl IntoView {
    let left = wait_secs.max(0);
    let text = countdown_text(left, &now, &one, &other);
    view! {
        <p class="resend__text" aria-live="polite" data-countdown=left.to_string() data-now=now data-one=one data-other=other>
            {text}
        </p>
    }
}

/// The countdown's sentence for `n` seconds left, on the server and in the
/// browser alike.
fn countdown_text(n: i64, now: &str, one: &str, other: &str) -> String {
    match n {
        0 => now.to_string(),
        1 => one.to_string(),
        n => other.replace("{n}", &n.to_string()),
    }
}

/// A "Show password" switch for the input with id `target`. It needs
/// JavaScript, so it stays hidden until [`Enhance`] shows it.
#[component]
pub fn ShowPassword(target: String, show: String, hide: String) -> impl IntoView {
    let label = show.clone();
    view! {
        <div class="show-password" hidden=true data-show-password=target>
            <button type="button" class="button button--link" aria-pressed="false" data-show=show data-hide=hide>
                {label}
            </button>
        </div>
    }
}

/// A form that a passkey answers: `mode` is `create` (adding one), `get`
/// (the second step) or `sign-in` (no username; with conditional mediation,
/// the browser also offers the passkey from the username field). It needs
/// the browser's WebAuthn and its JSON forms of the options and the answer
/// (`PublicKeyCredential.parseCreationOptionsFromJSON`, `toJSON`), so it
/// stays hidden until [`Enhance`] finds them; without them (or without
/// JavaScript) the page's other ways remain. The answer goes in the hidden
/// `credential` field, and the form is sent as any other.
#[component]
pub fn PasskeyForm(
    action: &'static str,
    mode: &'static str,
    ceremony: crate::domain::PasskeyCeremony,
    label: String,
    #[prop(optional)] primary: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="passkey" hidden=true data-passkey=mode data-options=ceremony.options>
            <input type="hidden" name="state" value=ceremony.state />
            <input type="hidden" name="credential" value="" />
            {children.map(|c| c())}
            <div class="buttons">
                <button type="submit" class=if primary { "button button--primary" } else { "button button--secondary" }>
                    {label}
                </button>
            </div>
        </form>
    }
}

/// What a step-up form (the password and the second step again) carries
/// for a login with a passkey: the ceremony's sealed state, the field of
/// the browser's answer, and a sentence shown where the browser can answer.
/// The form itself says `data-passkey="step-up"` and the options (see
/// [`step_up_mode`]); sent with the code left empty, the browser is asked
/// for the passkey first.
pub fn step_up_passkey(
    ceremony: Option<crate::domain::PasskeyCeremony>,
    said: String,
) -> impl IntoView {
    ceremony.map(|c| {
        view! {
            <input type="hidden" name="state" value=c.state />
            <input type="hidden" name="credential" value="" />
            <p class="hint" data-passkey-only="" hidden=true>{said}</p>
        }
    })
}

/// The `data-passkey` and `data-options` of a step-up form for `ceremony`.
pub fn step_up_mode(
    ceremony: &Option<crate::domain::PasskeyCeremony>,
) -> (Option<&'static str>, Option<String>) {
    (
        ceremony.as_ref().map(|_| "step-up"),
        ceremony.as_ref().map(|c| c.options.clone()),
    )
}

/// Placed once on every page: when the page hydrates, it starts the
/// countdowns, shows the password switches and guards the forms against a
/// second send; then it marks the document `data-enhanced`.
#[island]
pub fn Enhance() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::enhance();
}

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod check;
#[cfg(feature = "hydrate")]
mod nav;
#[cfg(feature = "hydrate")]
mod parts;
#[cfg(feature = "hydrate")]
mod passkey;
