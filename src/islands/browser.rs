//! What runs in the browser, started once: the page's parts (`parts`), the
//! guard that sends a form once, the in-place navigation (`nav`) and the
//! field checks (`check`).

use super::parts::{all, enhance_in, ready_again, text};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

pub fn enhance() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.document_element() else {
        return;
    };
    enhance_in(&doc, &root);
    super::passkey::enhance_in(&root);
    sent_once(&doc);
    super::nav::start(&doc);
    super::check::start(&doc);
    let _ = root.set_attribute("data-enhanced", "");
}

/// A form is sent once: the button pressed says it is working
/// (`aria-busy`, and the label in the page's `data-working`), the form's
/// buttons read as unavailable, and a second press (a double click, an
/// impatient Enter) sends nothing. The form then goes in place (`nav`). A
/// page shown again by the browser's Back (from its cache) is ready to send
/// again.
fn sent_once(doc: &Document) {
    let d = doc.clone();
    let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if form.has_attribute("data-sent") {
            ev.prevent_default();
            return;
        }
        let pressed = ev
            .dyn_ref::<web_sys::SubmitEvent>()
            .and_then(|s| s.submitter());
        mark_sent(&d, &form, pressed.as_ref());
        super::nav::submit(&ev, &form, pressed);
    });
    let _ = doc.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
    let d = doc.clone();
    let on_show = Closure::<dyn FnMut()>::new(move || {
        for form in d
            .document_element()
            .map(|r| all(&r, "form[data-sent]"))
            .unwrap_or_default()
        {
            ready_again(&form);
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
    }
    on_show.forget();
}

fn mark_sent(doc: &Document, form: &Element, pressed: Option<&web_sys::HtmlElement>) {
    let _ = form.set_attribute("data-sent", "");
    for b in all(form, "button[type=submit]") {
        let _ = b.set_attribute("aria-disabled", "true");
    }
    if let Some(b) = pressed {
        let _ = b.set_attribute("aria-busy", "true");
        let _ = b.set_attribute("data-label", &b.text_content().unwrap_or_default());
        let working = text(doc, "data-working");
        if !working.is_empty() {
            b.set_text_content(Some(&working));
        }
    }
}
