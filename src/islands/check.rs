//! Fields checked as they are left and corrected, with the rules of
//! `domain::check` compiled from the same source as the server's. A field
//! is checked when the user leaves it (unless it was passed over empty),
//! and again at each keystroke once it shows a message (or, for the email
//! code, to say when its six digits are there). The message beside it sits
//! in a polite live region; the error summary, when the page has one,
//! follows. Focus is never moved. The server still decides on Next.

use super::parts::{all, attr};
use crate::domain::Check;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

thread_local! {
    /// When a button was last pressed (ms since the epoch).
    static PRESSED_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// Listens (once, on the document) for fields left and typed into.
///
/// A field left for a button (Next, Previous, Cancel) is not checked then:
/// its message would move the button away between the press and the
/// release, and the click would be lost; the server checks it on Next.
pub fn start(doc: &Document) {
    let on_press = Closure::<dyn FnMut(web_sys::Event)>::new(|ev: web_sys::Event| {
        let on_button = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest("button").ok().flatten())
            .is_some();
        if on_button {
            PRESSED_AT.set(js_sys::Date::now());
        }
    });
    let _ = doc.add_event_listener_with_callback("mousedown", on_press.as_ref().unchecked_ref());
    on_press.forget();
    let d = doc.clone();
    let on_leave =
        Closure::<dyn FnMut(web_sys::FocusEvent)>::new(move |ev: web_sys::FocusEvent| {
            let to_button = ev
                .related_target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|e| e.tag_name().eq_ignore_ascii_case("button"));
            // The focus that a button's press takes (once, just after it).
            let pressing = js_sys::Date::now() - PRESSED_AT.get() < 500.0;
            PRESSED_AT.set(0.0);
            if to_button || pressing {
                return;
            }
            if let Some(input) = checked_input(&ev) {
                if input.has_attribute("data-typed") || !input.value().is_empty() {
                    check(&d, &input);
                }
            }
        });
    let _ = doc.add_event_listener_with_callback("focusout", on_leave.as_ref().unchecked_ref());
    on_leave.forget();
    let d = doc.clone();
    let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(input) = checked_input(&ev) {
            let _ = input.set_attribute("data-typed", "");
            if shows_message(&input) || attr(&input, "data-check") == Check::Code.name() {
                check(&d, &input);
            }
            // A field that others must match: their verdict may change too.
            for other in dependants(&d, &input.id()) {
                if shows_message(&other) {
                    check(&d, &other);
                }
            }
        }
    });
    let _ = doc.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
    on_input.forget();
}

fn shows_message(input: &HtmlInputElement) -> bool {
    input.get_attribute("aria-invalid").as_deref() == Some("true")
}

fn checked_input(ev: &web_sys::Event) -> Option<HtmlInputElement> {
    let input = ev.target()?.dyn_into::<HtmlInputElement>().ok()?;
    input.has_attribute("data-check").then_some(input)
}

/// The checked fields that must match the field `id`.
fn dependants(doc: &Document, id: &str) -> Vec<HtmlInputElement> {
    let Some(root) = doc.document_element() else {
        return Vec::new();
    };
    all(&root, "input[data-check]")
        .into_iter()
        .filter_map(|e| e.dyn_into::<HtmlInputElement>().ok())
        .filter(|i| Check::from_name(&attr(i, "data-check")).and_then(Check::other) == Some(id))
        .collect()
}

/// Runs the field's check and says the verdict beside it.
fn check(doc: &Document, input: &HtmlInputElement) {
    let Some(kind) = Check::from_name(&attr(input, "data-check")) else {
        return;
    };
    let other = kind
        .other()
        .and_then(|id| doc.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default();
    let Ok(Some(field)) = input.closest(".field") else {
        return;
    };
    let Ok(Some(live)) = field.query_selector(".field__live") else {
        return;
    };
    let message = |key: &str| {
        field
            .query_selector(&("[data-message=\"".to_string() + key + "\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    let id = input.id();
    let error_id = id.clone() + "-error";
    match kind.run(&input.value(), &other) {
        Err(key) => {
            let text = message(key);
            if live_text(&live) != text {
                live.set_inner_html("");
                if let Some(p) = paragraph(doc, "field-error", &error_id) {
                    if let Some(prefix) = span(doc, &(message("error-prefix") + " ")) {
                        let _ = p.append_child(&prefix);
                    }
                    let _ = p.append_with_str_1(&text);
                    let _ = live.append_child(&p);
                }
            }
            let _ = input.set_attribute("aria-invalid", "true");
            let _ = field.class_list().add_1("field--error");
            described_by(input, &error_id, true);
            summary(doc, &id, Some(&text));
        }
        Ok(note) => {
            live.set_inner_html("");
            if let Some(p) = note.and_then(|k| {
                paragraph(doc, "field-note", "").inspect(|p| p.set_text_content(Some(&message(k))))
            }) {
                let _ = live.append_child(&p);
            }
            let _ = input.remove_attribute("aria-invalid");
            let _ = field.class_list().remove_1("field--error");
            described_by(input, &error_id, false);
            summary(doc, &id, None);
        }
    }
}

/// The message shown, without its hidden "Error:".
fn live_text(live: &Element) -> String {
    live.query_selector(".field-error")
        .ok()
        .flatten()
        .and_then(|p| p.last_child())
        .and_then(|n| n.text_content())
        .unwrap_or_default()
}

fn paragraph(doc: &Document, class: &str, id: &str) -> Option<Element> {
    let p = doc.create_element("p").ok()?;
    let _ = p.set_attribute("class", class);
    if !id.is_empty() {
        let _ = p.set_attribute("id", id);
    }
    Some(p)
}

fn span(doc: &Document, text: &str) -> Option<Element> {
    let s = doc.create_element("span").ok()?;
    let _ = s.set_attribute("class", "visually-hidden");
    s.set_text_content(Some(text));
    Some(s)
}

/// Adds `id` to (or takes it from) the input's `aria-describedby`.
fn described_by(input: &HtmlInputElement, id: &str, on: bool) {
    let mut ids = String::new();
    for i in attr(input, "aria-describedby").split_whitespace() {
        if i != id {
            ids = ids + i + " ";
        }
    }
    if on {
        ids += id;
    }
    match ids.trim_end() {
        "" => {
            let _ = input.remove_attribute("aria-describedby");
        }
        v => {
            let _ = input.set_attribute("aria-describedby", v);
        }
    }
}

/// The error summary (when the page shows one) follows the field `id`:
/// its line says `text`, or goes when the field is right. It then speaks
/// politely, like the fields.
fn summary(doc: &Document, id: &str, text: Option<&str>) {
    let Some(summary) = doc.get_element_by_id("error-summary") else {
        return;
    };
    let Ok(Some(list)) = summary.query_selector("ul") else {
        return;
    };
    let _ = summary.remove_attribute("role");
    let _ = summary.set_attribute("aria-live", "polite");
    let href = "#".to_string() + id;
    let line = all(&list, "a")
        .into_iter()
        .find(|a| attr(a, "href") == href);
    match (line, text) {
        (Some(a), Some(t)) => a.set_text_content(Some(t)),
        (Some(a), None) => {
            if let Some(li) = a.parent_element() {
                li.remove();
            }
        }
        (None, Some(t)) => {
            let (Ok(li), Ok(a)) = (doc.create_element("li"), doc.create_element("a")) else {
                return;
            };
            let _ = a.set_attribute("href", &href);
            a.set_text_content(Some(t));
            let _ = li.append_child(&a);
            let _ = list.append_child(&li);
        }
        (None, None) => {}
    }
    if list.child_element_count() == 0 {
        summary.remove();
    }
}
