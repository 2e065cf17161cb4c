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

/// Placed once on every page: when the page hydrates, it starts the
/// countdowns, shows the password switches and guards the forms against a
/// second send; then it marks the document `data-enhanced`.
#[island]
pub fn Enhance() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::enhance();
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, Element, HtmlInputElement};

    pub fn enhance() {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        for wrap in all(&doc, "[data-show-password]") {
            show_password(&doc, wrap);
        }
        for p in all(&doc, "[data-countdown]") {
            countdown(p);
        }
        sent_once(&doc);
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("data-enhanced", "");
        }
    }

    /// A form is sent once: the button pressed says it is working
    /// (`aria-busy`, and the label in the page's `data-working`), the form's
    /// buttons read as unavailable, and a second press (a double click, an
    /// impatient Enter) sends nothing. A page shown again by the browser's
    /// Back (from its cache) is ready to send again.
    fn sent_once(doc: &Document) {
        let working = doc
            .query_selector("[data-working]")
            .ok()
            .flatten()
            .map(|e| attr(&e, "data-working"))
            .unwrap_or_default();
        let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            if form.has_attribute("data-sent") {
                ev.prevent_default();
                return;
            }
            let _ = form.set_attribute("data-sent", "");
            if let Ok(buttons) = form.query_selector_all("button[type=submit]") {
                for i in 0..buttons.length() {
                    if let Some(b) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                        let _ = b.set_attribute("aria-disabled", "true");
                    }
                }
            }
            let pressed = ev
                .dyn_ref::<web_sys::SubmitEvent>()
                .and_then(|s| s.submitter());
            if let Some(b) = pressed {
                let _ = b.set_attribute("aria-busy", "true");
                let _ = b.set_attribute("data-label", &b.text_content().unwrap_or_default());
                if !working.is_empty() {
                    b.set_text_content(Some(&working));
                }
            }
        });
        let _ = doc.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
        let d = doc.clone();
        let on_show = Closure::<dyn FnMut()>::new(move || {
            for form in all(&d, "form[data-sent]") {
                let _ = form.remove_attribute("data-sent");
            }
            for b in all(&d, "button[aria-disabled]") {
                let _ = b.remove_attribute("aria-disabled");
                let _ = b.remove_attribute("aria-busy");
                if b.has_attribute("data-label") {
                    b.set_text_content(Some(&attr(&b, "data-label")));
                    let _ = b.remove_attribute("data-label");
                }
            }
        });
        if let Some(w) = web_sys::window() {
            let _ =
                w.add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
        }
        on_show.forget();
    }

    fn all(doc: &Document, selector: &str) -> Vec<Element> {
        let Ok(list) = doc.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    fn attr(e: &Element, name: &str) -> String {
        e.get_attribute(name).unwrap_or_default()
    }

    fn show_password(doc: &Document, wrap: Element) {
        let Ok(Some(button)) = wrap.query_selector("button") else {
            return;
        };
        let target = attr(&wrap, "data-show-password");
        let (show, hide) = (attr(&button, "data-show"), attr(&button, "data-hide"));
        let doc = doc.clone();
        let b = button.clone();
        let toggle = Closure::<dyn FnMut()>::new(move || {
            let Some(input) = doc
                .get_element_by_id(&target)
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let shown = input.type_() == "password";
            input.set_type(if shown { "text" } else { "password" });
            b.set_text_content(Some(if shown { &hide } else { &show }));
            let _ = b.set_attribute("aria-pressed", if shown { "true" } else { "false" });
        });
        let _ = button.add_event_listener_with_callback("click", toggle.as_ref().unchecked_ref());
        // The switch lives as long as the page.
        toggle.forget();
        let _ = wrap.remove_attribute("hidden");
    }

    fn countdown(p: Element) {
        let left: i64 = attr(&p, "data-countdown").parse().unwrap_or(0);
        let texts = Rc::new([
            attr(&p, "data-now"),
            attr(&p, "data-one"),
            attr(&p, "data-other"),
        ]);
        if left > 0 {
            tick(p, left, texts);
        }
    }

    /// One second later, one second less; each tick schedules the next, so
    /// nothing has to be cancelled when it reaches zero.
    fn tick(p: Element, left: i64, texts: Rc<[String; 3]>) {
        gloo_timers::callback::Timeout::new(1_000, move || {
            let n = left - 1;
            let text = super::countdown_text(n, &texts[0], &texts[1], &texts[2]);
            p.set_text_content(Some(&text));
            if n > 0 {
                tick(p, n, texts);
            }
        })
        .forget();
    }
}
