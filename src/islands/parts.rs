//! The parts of a page that the browser starts (Show password, the resend
//! countdown), and what the other browser modules share: finding elements,
//! reading attributes and the page's texts, a form made ready again.

use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

/// Starts the parts inside `root`: on the first page, and on each page
/// shown in place.
pub fn enhance_in(doc: &Document, root: &Element) {
    for wrap in all(root, "[data-show-password]") {
        show_password(doc, wrap);
    }
    for p in all(root, "[data-countdown]") {
        countdown(p);
    }
}

/// A text of the page's catalogue, carried by `<main>` (`data-working`,
/// `data-offline`, `data-retry`).
pub fn text(doc: &Document, name: &str) -> String {
    doc.query_selector("main")
        .ok()
        .flatten()
        .map(|m| attr(&m, name))
        .unwrap_or_default()
}

/// The form can be sent again: its buttons as they were.
pub fn ready_again(form: &Element) {
    let _ = form.remove_attribute("data-sent");
    for b in all(form, "button[aria-disabled]") {
        let _ = b.remove_attribute("aria-disabled");
        let _ = b.remove_attribute("aria-busy");
        if b.has_attribute("data-label") {
            b.set_text_content(Some(&attr(&b, "data-label")));
            let _ = b.remove_attribute("data-label");
        }
    }
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

pub fn attr(e: &Element, name: &str) -> String {
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
    // The switch lives as long as its page; a page shown in place replaces
    // the button, and the closure goes with it only when the page is left
    // (a few bytes a page).
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
/// nothing has to be cancelled when it reaches zero (a countdown whose page
/// was left counts on a detached paragraph until then).
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
