//! Passkeys in the browser: the forms of [`super::PasskeyForm`] shown where
//! the browser can answer them, and answered by `navigator.credentials`.
//! The browser itself reads the server's options and writes its answer as
//! JSON (`PublicKeyCredential.parseCreationOptionsFromJSON`,
//! `parseRequestOptionsFromJSON`, `toJSON`: Chromium 129, Firefox 119,
//! Safari 18.4), so no WebAuthn code of our own travels in the WASM. A
//! browser without them never sees a passkey button: the code fields and
//! the password remain.
//!
//! Reached through `js_sys::Reflect` rather than web-sys's bindings: the
//! JSON methods are too new for web-sys, and the few calls cost less so.

use super::parts::{all, attr};
use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, HtmlFormElement, HtmlInputElement};

thread_local! {
    /// The abort of the conditional request under way (the username
    /// field's offer), if any: a button's request, or the next page's,
    /// replaces it.
    static PENDING: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `o.name(args…)`.
fn call(o: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue> {
    let f: Function = get(o, name).dyn_into()?;
    Reflect::apply(&f, o, args)
}

/// `PublicKeyCredential`, if it has the JSON methods.
fn credential_class() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let class = get(&window, "PublicKeyCredential");
    let able = [
        "parseCreationOptionsFromJSON",
        "parseRequestOptionsFromJSON",
    ]
    .iter()
    .all(|m| get(&class, m).is_function());
    able.then_some(class)
}

/// Shows and starts the passkey forms inside `root`.
pub fn enhance_in(root: &Element) {
    let Some(class) = credential_class() else {
        return;
    };
    abort_pending();
    for part in all(root, "[data-passkey-only]") {
        let _ = part.remove_attribute("hidden");
    }
    for form in all(root, "form[data-passkey]") {
        let _ = form.remove_attribute("hidden");
        answer_on_submit(&form, class.clone());
        if attr(&form, "data-passkey") == "sign-in" {
            offer_from_username(form, class.clone());
        }
    }
}

fn abort_pending() {
    if let Some(ctrl) = PENDING.with(|p| p.borrow_mut().take()) {
        let _ = call(&ctrl, "abort", &Array::new());
    }
}

fn credential_field(form: &Element) -> Option<HtmlInputElement> {
    form.query_selector("input[name=credential]")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// The form's first send asks the browser; its answer is put in the form,
/// which is then sent as any other (once, and in place).
fn answer_on_submit(form: &Element, class: JsValue) {
    let f = form.clone();
    let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let Some(field) = credential_field(&f) else {
            return;
        };
        if !field.value().is_empty() {
            return;
        }
        // A step-up with a code typed goes as it is.
        if attr(&f, "data-passkey") == "step-up" && code_typed(&f) {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        abort_pending();
        let (form, class) = (f.clone(), class.clone());
        spawn_local(async move {
            if let Ok(answer) = ask(&form, &class, None).await {
                send(&form, &field, &answer);
            }
        });
    });
    let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}

fn code_typed(form: &Element) -> bool {
    form.query_selector("input[name=code]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| !i.value().trim().is_empty())
}

fn send(form: &Element, field: &HtmlInputElement, answer: &str) {
    field.set_value(answer);
    if let Some(form) = form.dyn_ref::<HtmlFormElement>() {
        let _ = form.request_submit();
    }
}

/// With conditional mediation, the browser offers the site's passkeys
/// from the username field (`autocomplete="username webauthn"`); one
/// chosen signs in as the button would.
fn offer_from_username(form: Element, class: JsValue) {
    spawn_local(async move {
        let Ok(p) = call(&class, "isConditionalMediationAvailable", &Array::new()) else {
            return;
        };
        let Ok(p) = p.dyn_into::<Promise>() else {
            return;
        };
        if JsFuture::from(p).await.ok().and_then(|v| v.as_bool()) != Some(true) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let class: Function = get(&window.into(), "AbortController").unchecked_into();
        let Ok(ctrl) = Reflect::construct(&class, &Array::new()) else {
            return;
        };
        PENDING.with(|p| *p.borrow_mut() = Some(ctrl.clone()));
        let Some(field) = credential_field(&form) else {
            return;
        };
        if let Ok(answer) = ask(&form, &class, Some(get(&ctrl, "signal"))).await {
            send(&form, &field, &answer);
        }
    });
}

/// Asks the browser for the form's ceremony: its answer as JSON. `signal`
/// makes it the conditional request.
async fn ask(form: &Element, class: &JsValue, signal: Option<JsValue>) -> Result<String, JsValue> {
    let options = JSON::parse(&attr(form, "data-options"))?;
    let create = attr(form, "data-passkey") == "create";
    let parser = if create {
        "parseCreationOptionsFromJSON"
    } else {
        "parseRequestOptionsFromJSON"
    };
    let public_key = call(class, parser, &Array::of1(&get(&options, "publicKey")))?;
    let request = Object::new();
    Reflect::set(&request, &"publicKey".into(), &public_key)?;
    if let Some(signal) = signal {
        Reflect::set(&request, &"mediation".into(), &"conditional".into())?;
        Reflect::set(&request, &"signal".into(), &signal)?;
    }
    let window: JsValue = web_sys::window().ok_or(JsValue::NULL)?.into();
    let credentials = get(&get(&window, "navigator"), "credentials");
    let method = if create { "create" } else { "get" };
    let promise: Promise = call(&credentials, method, &Array::of1(&request))?.dyn_into()?;
    let answer = JsFuture::from(promise).await?;
    let json = call(&answer, "toJSON", &Array::new())?;
    JSON::stringify(&json)?.as_string().ok_or(JsValue::NULL)
}
