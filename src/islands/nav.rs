//! In-place navigation: with JavaScript, a link or a form inside the site
//! fetches the next page and shows it without a new document.
//!
//! The protocol is Leptos' islands router's (`fetch` with the header
//! `Islands-Router: true`, the page parsed with `DOMParser`, the address
//! kept by `history`), done here rather than by its `islands_routing.js`,
//! which (Leptos 0.8) sends a form to the form's own action whatever button
//! was pressed (Previous, Cancel and Request New Code would send Next),
//! never removes an attribute in its diff (a field's `aria-invalid` stays),
//! neither moves focus nor starts the parts of the new page, and has no
//! answer for a refusal or a lost connection. What it does here:
//! - the pressed button's `formaction` and the form's fields are sent, with
//!   the server's answer (its 303 followed) shown in `<main>`; the title,
//!   the language links and the address follow; focus goes to the error
//!   summary or the new heading, which a screen reader then reads;
//! - the browser's Back, one step back from a step with Previous, presses
//!   Previous (the server moves the step back and keeps what was typed);
//!   any other Back or Forward shows the page the server is at for that
//!   address, never a stale form;
//! - a 429 with `Retry-After` says so above the form and sends it again when
//!   the wait is over; a lost connection says so and the form can be sent
//!   again, nothing typed lost; a link that cannot be shown in place is
//!   followed as a plain link.
//!
//! Without JavaScript none of this runs: plain forms, 303s, whole pages.

use super::parts::{all, attr, enhance_in, ready_again, text};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, HtmlElement, HtmlFormElement, Request, RequestInit, Response};

/// The header of an in-place request.
pub const HEADER: &str = "Islands-Router";

/// Addresses that are not pages of the app: never fetched in place. The
/// operators' console (`/ops`) is plain pages and forms, loaded whole.
const NOT_PAGES: &[&str] = &["/api/", "/pkg/", "/guide/", "/lang/", "/dev/", "/ops"];

thread_local! {
    /// The history index of the entry shown (kept in `history.state`).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The latest navigation: an earlier one that answers late is dropped.
    static LATEST: Cell<u32> = const { Cell::new(0) };
    /// Path and query of the page shown: a change of `#` alone is the browser's.
    static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// One request for a page: a link's address (GET) or a form's action with
/// its fields (POST), and what the history does with the answer.
#[derive(Clone)]
struct Nav {
    url: String,
    body: Option<String>,
    replace: bool,
}

enum Answer {
    Page {
        html: String,
        url: String,
        moved: bool,
    },
    /// 429: the wait in seconds, and the server's sentence.
    Wait(u32, String),
}

fn doc() -> Option<Document> {
    web_sys::window()?.document()
}

/// Path and query of the address shown.
fn here() -> String {
    let Some(l) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    l.pathname().unwrap_or_default() + &l.search().unwrap_or_default()
}

/// Listens for link clicks and the browser's Back and Forward.
pub fn start(doc: &Document) {
    let Some(w) = web_sys::window() else {
        return;
    };
    if let Ok(h) = w.history() {
        match h.state().ok().and_then(|s| s.as_f64()) {
            Some(n) => DEPTH.set(n as u32),
            None => {
                let _ = h.replace_state(&JsValue::from(0), "");
            }
        }
    }
    SHOWN.set(here());
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        if let Some(url) = link_of(&ev) {
            ev.prevent_default();
            go(
                Nav {
                    url,
                    body: None,
                    replace: false,
                },
                None,
            );
        }
    });
    let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    let on_pop = Closure::<dyn FnMut(web_sys::PopStateEvent)>::new(popped);
    let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
}

/// The address of a plain click on a link to one of the app's pages.
fn link_of(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let a = target.closest("a[href]").ok()??;
    if a.has_attribute("target") || a.has_attribute("download") || a.has_attribute("data-reload") {
        return None;
    }
    let location = web_sys::window()?.location();
    let url = web_sys::Url::new_with_base(&attr(&a, "href"), &location.href().ok()?).ok()?;
    if url.origin() != location.origin().ok()? {
        return None;
    }
    let path = url.pathname();
    if NOT_PAGES.iter().any(|p| path.starts_with(p)) {
        return None;
    }
    // A `#` on the page shown is the browser's (skip link, error summary).
    if !url.hash().is_empty() && path + &url.search() == here() {
        return None;
    }
    Some(url.href())
}

/// Takes over the sending of `form` (already marked as sent), pressed by
/// `pressed`: its fields go to the button's `formaction` or the form's
/// action, in place.
pub fn submit(ev: &web_sys::Event, form: &Element, pressed: Option<HtmlElement>) {
    let Ok(form) = form.clone().dyn_into::<HtmlFormElement>() else {
        return;
    };
    if !form.method().eq_ignore_ascii_case("post") {
        return;
    }
    let Some(body) = form_body(&form, pressed.as_ref()) else {
        return;
    };
    let url = pressed
        .as_ref()
        .and_then(|b| b.get_attribute("formaction"))
        .unwrap_or_else(|| form.action());
    let console = web_sys::Url::new(&url).is_ok_and(|u| u.pathname().starts_with("/ops"));
    if console {
        return;
    }
    ev.prevent_default();
    go(
        Nav {
            url,
            body: Some(body),
            replace: false,
        },
        Some(form),
    );
}

/// The form's fields, urlencoded as the browser would send them.
fn form_body(form: &HtmlFormElement, pressed: Option<&HtmlElement>) -> Option<String> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    if let Some(name) = pressed.and_then(|b| b.get_attribute("name")) {
        let value = pressed.map(|b| attr(b, "value")).unwrap_or_default();
        data.append_with_str(&name, &value).ok()?;
    }
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    Some(params.to_string().into())
}

/// The browser's Back or Forward.
fn popped(ev: web_sys::PopStateEvent) {
    if SHOWN.with_borrow(|s| *s == here()) {
        return;
    }
    let to = ev.state().as_f64().map(|n| n as u32);
    let one_back = to.is_some_and(|n| n + 1 == DEPTH.get());
    DEPTH.set(to.unwrap_or(0));
    let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) else {
        return;
    };
    if one_back {
        if let Some((form, previous)) = previous_button() {
            if let Some(body) = form_body(&form, Some(&previous)) {
                go(
                    Nav {
                        url: attr(&previous, "formaction"),
                        body: Some(body),
                        replace: true,
                    },
                    Some(form),
                );
                return;
            }
        }
    }
    go(
        Nav {
            url: href,
            body: None,
            replace: true,
        },
        None,
    );
}

/// The Previous button of the step shown, and its form.
fn previous_button() -> Option<(HtmlFormElement, HtmlElement)> {
    let b = doc()?.query_selector("main button[data-previous]").ok()??;
    let form = b
        .closest("form")
        .ok()??
        .dyn_into::<HtmlFormElement>()
        .ok()?;
    Some((form, b.dyn_into::<HtmlElement>().ok()?))
}

fn go(nav: Nav, form: Option<HtmlFormElement>) {
    let n = LATEST.get() + 1;
    LATEST.set(n);
    spawn_local(async move {
        let answer = fetch(&nav).await;
        if LATEST.get() != n {
            return;
        }
        let Some(doc) = doc() else {
            return;
        };
        match answer {
            Ok(Answer::Page { html, url, moved }) => {
                // A form refused without a move (a 4xx page at /api/...)
                // is shown where the user is; the address stays.
                let url = (moved || nav.body.is_none()).then_some(url);
                if !show(&doc, &html, url, nav.replace) {
                    failed(&doc, &nav, form.as_ref());
                }
            }
            Ok(Answer::Wait(secs, sentence)) => match form {
                Some(f) => wait_and_resend(&doc, nav, f, secs, &sentence),
                None => failed(&doc, &nav, None),
            },
            Err(_) => failed(&doc, &nav, form.as_ref()),
        }
    });
}

async fn fetch(nav: &Nav) -> Result<Answer, JsValue> {
    let headers = web_sys::Headers::new()?;
    headers.set(HEADER, "true")?;
    headers.set("Accept", "text/html")?;
    let init = RequestInit::new();
    if let Some(body) = &nav.body {
        init.set_method("POST");
        headers.set("Content-Type", "application/x-www-form-urlencoded")?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let req = Request::new_with_str_and_init(&nav.url, &init)?;
    let w = web_sys::window().ok_or(JsValue::NULL)?;
    let resp: Response = JsFuture::from(w.fetch_with_request(&req))
        .await?
        .dyn_into()?;
    let kind = resp.headers().get("content-type")?.unwrap_or_default();
    if !kind.starts_with("text/html") {
        return Err(JsValue::NULL);
    }
    let html = JsFuture::from(resp.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    if resp.status() == 429 {
        if let Some(secs) = resp
            .headers()
            .get("retry-after")?
            .and_then(|s| s.trim().parse::<u32>().ok())
        {
            let sentence = parse(&html)
                .and_then(|d| d.query_selector("main p").ok().flatten())
                .and_then(|p| p.text_content())
                .unwrap_or_default();
            return Ok(Answer::Wait(secs, sentence));
        }
    }
    // A response's address has no `#`: the link's is kept (the quick
    // guide's sections).
    let mut url = resp.url();
    if let (None, Some((_, hash))) = (url.find('#'), nav.url.split_once('#')) {
        url = url + "#" + hash;
    }
    Ok(Answer::Page {
        html,
        url,
        moved: resp.redirected(),
    })
}

fn parse(html: &str) -> Option<Document> {
    web_sys::DomParser::new()
        .ok()?
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()
}

/// Shows the page `html` in place of the one shown: false when it is not
/// one of our pages (nothing changed then).
fn show(doc: &Document, html: &str, url: Option<String>, replace: bool) -> bool {
    let Some(new) = parse(html) else {
        return false;
    };
    let (Ok(Some(fresh)), Ok(Some(main))) =
        (new.query_selector("main"), doc.query_selector("main"))
    else {
        return false;
    };
    doc.set_title(&new.title());
    if let (Ok(Some(old)), Ok(Some(nav))) = (
        doc.query_selector(".language"),
        new.query_selector(".language"),
    ) {
        old.set_inner_html(&nav.inner_html());
    }
    main.set_inner_html(&fresh.inner_html());
    let hash = url.as_ref().map(|u| record(u, replace)).unwrap_or_default();
    enhance_in(doc, &main);
    super::passkey::enhance_in(&main);
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
    focus(doc, &main, &hash);
    true
}

/// Puts `url` in the address bar: a new entry, or the same entry when
/// `replace` or when the address is the one shown (a form that came back
/// with errors). Returns its `#` part.
fn record(url: &str, replace: bool) -> String {
    let Some(w) = web_sys::window() else {
        return String::new();
    };
    let Ok(h) = w.history() else {
        return String::new();
    };
    let (path, hash) = match url.split_once('#') {
        Some((p, h)) => (p, "#".to_string() + h),
        None => (url, String::new()),
    };
    let same = w
        .location()
        .href()
        .ok()
        .is_some_and(|now| now.split('#').next() == Some(path));
    if replace || same {
        let _ = h.replace_state_with_url(&JsValue::from(DEPTH.get()), "", Some(url));
    } else {
        DEPTH.set(DEPTH.get() + 1);
        let _ = h.push_state_with_url(&JsValue::from(DEPTH.get()), "", Some(url));
    }
    SHOWN.set(here());
    hash
}

/// Focus where a new page's reader starts: the section of the address's
/// `#`, the error summary, or the heading.
fn focus(doc: &Document, main: &Element, hash: &str) {
    let target = hash
        .strip_prefix('#')
        .filter(|h| !h.is_empty())
        .and_then(|id| doc.get_element_by_id(id))
        .or_else(|| main.query_selector("#error-summary").ok().flatten())
        .or_else(|| main.query_selector("[autofocus]").ok().flatten())
        .or_else(|| main.query_selector("h1").ok().flatten());
    if let Some(el) = target {
        if !el.has_attribute("tabindex") {
            let _ = el.set_attribute("tabindex", "-1");
        }
        if let Ok(el) = el.dyn_into::<HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// A sentence above `form` (or at the top of the page), in a live region.
fn say(doc: &Document, form: Option<&HtmlFormElement>, sentence: &str, urgent: bool) {
    let Some(main) = doc.query_selector("main").ok().flatten() else {
        return;
    };
    for old in all(&main, "[data-nav-notice]") {
        old.remove();
    }
    let Ok(p) = doc.create_element("div") else {
        return;
    };
    let _ = p.set_attribute("data-nav-notice", "");
    let _ = p.set_attribute("class", "notice notice--error");
    let _ = p.set_attribute("role", if urgent { "alert" } else { "status" });
    p.set_text_content(Some(sentence));
    match (form, main.query_selector("h1").ok().flatten()) {
        (Some(f), _) => {
            let _ = f.before_with_node_1(&p);
        }
        (None, Some(h1)) => {
            let _ = h1.after_with_node_1(&p);
        }
        (None, None) => {
            let _ = main.prepend_with_node_1(&p);
        }
    }
}

/// 429: says why and when, keeps the form as typed and busy, and sends it
/// again once the wait is over (not before).
fn wait_and_resend(doc: &Document, nav: Nav, form: HtmlFormElement, secs: u32, sentence: &str) {
    let then = text(doc, "data-retry");
    say(
        doc,
        Some(&form),
        &(sentence.to_string() + " " + &then),
        false,
    );
    gloo_timers::callback::Timeout::new(secs.saturating_mul(1000), move || {
        if form.is_connected() {
            go(nav, Some(form));
        }
    })
    .forget();
}

/// The page could not be shown in place: a link is followed as a plain
/// link; a form says that the portal could not be reached and can be sent
/// again, with everything typed still there.
fn failed(doc: &Document, nav: &Nav, form: Option<&HtmlFormElement>) {
    if nav.body.is_none() {
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign(&nav.url);
        }
        return;
    }
    if let Some(f) = form {
        ready_again(f);
    }
    say(doc, form, &text(doc, "data-offline"), true);
}
