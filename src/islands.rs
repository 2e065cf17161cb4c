//! The interactive islands: the only parts of a page that ship code to the
//! browser. Everything they show is also rendered on the server, so a browser
//! without JavaScript gets a plain sentence instead.

use leptos::prelude::*;

/// "You can request a new code in 42 seconds.", counting down in the browser.
/// The texts come from the server's catalogue: `now`, `one` (1 second) and
/// `other` (with `{n}` for the seconds).
#[island]
pub fn ResendCountdown(wait_secs: i64, now: String, one: String, other: String) -> impl IntoView {
    let left = RwSignal::new(wait_secs.max(0));
    #[cfg(feature = "hydrate")]
    {
        let timer = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
        Effect::new(move |_| {
            if left.get() == 0 {
                // Dropping the interval stops it.
                timer.update_value(|t| drop(t.take()));
            } else if timer.with_value(|t| t.is_none()) {
                let tick = move || left.update(|n| *n = (*n - 1).max(0));
                timer.set_value(Some(gloo_timers::callback::Interval::new(1_000, tick)));
            }
        });
    }
    view! {
        <p class="resend__text" aria-live="polite">
            {move || match left.get() {
                0 => now.clone(),
                1 => one.clone(),
                n => other.replace("{n}", &n.to_string()),
            }}
        </p>
    }
}

/// A "Show password" switch for the input with id `target`; it appears only
/// once JavaScript runs, since it needs it.
#[island]
pub fn ShowPassword(target: String, show: String, hide: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    let ready = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| ready.set(true));
    let toggle = move |_| {
        shown.update(|s| *s = !*s);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = document()
                .get_element_by_id(&target)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set_type(if shown.get_untracked() {
                    "text"
                } else {
                    "password"
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &target;
    };
    view! {
        <div class="show-password" hidden=move || !ready.get()>
            <button type="button" class="button button--link" aria-pressed=move || if shown.get() { "true" } else { "false" } on:click=toggle>
                {move || if shown.get() { hide.clone() } else { show.clone() }}
            </button>
        </div>
    }
}
