//! The pages of Sign-in and security. Plain forms: every one works without
//! JavaScript.

use super::api::{
    app_confirm_url, app_start_url, forget_browser_url, load_backup_codes, load_security,
    new_backup_codes_url, remove_url, rename_url,
};
use super::passkey_ui::add_passkey_section;
use super::{BrowserView, MethodView, Security, SecurityState, ShownCodes};
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::islands::{step_up_mode, step_up_passkey};
use crate::ui::{fault_page, gone_to, load_once, page_title, reference_of, ErrorSummary, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A page of Sign-in and security, once its state is read: signed out goes
/// to the sign-in page, a fault says its reference.
fn with_security(
    heading: &'static str,
    page: impl Fn(Security) -> AnyView + Send + Sync + Clone + 'static,
) -> impl IntoView {
    let load = load_once(load_security());
    view! {
        <Title text=page_title(heading) />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                let page = page.clone();
                Suspend::new(async move {
                    match load.await.unwrap_or_else(|e| SecurityState::Fault(reference_of(&e))) {
                        SecurityState::Ready(s) => page(s),
                        SecurityState::SignedOut => gone_to("/", "signin-heading"),
                        SecurityState::Fault(reference) => fault_page(heading, reference),
                    }
                })
            }}
        </Suspense>
    }
}

/// "Set up an authenticator app": a form of one button.
fn start_app_button(primary: bool) -> impl IntoView {
    view! {
        <form method="post" action=app_start_url()>
            <div class="buttons">
                <button type="submit" class=if primary { "button button--primary" } else { "button button--secondary" }>
                    {t("button-set-up-app")}
                </button>
            </div>
        </form>
    }
}

/// Protect your new login: offered after Thank You, after Register and at
/// sign-in to a login without a second step.
#[component]
pub fn ProtectPage() -> impl IntoView {
    with_security("protect-heading", |s: Security| {
        if !s.methods.is_empty() {
            return gone_to("/accounts", "accounts-heading");
        }
        view! {
            <h1 id="page-heading" tabindex="-1" autofocus=true>{t("protect-heading")}</h1>
            <p class="lead">{t("protect-text")}</p>
            {s.passkeys.then(|| add_passkey_section(false, true, None, None))}
            <h2>{t("protect-app-heading")}</h2>
            <p>{t("protect-app-text")}</p>
            {start_app_button(true)}
            {if s.may_skip {
                view! { <p><a href="/accounts">{t("protect-not-now")}</a></p> }.into_any()
            } else {
                view! { <p>{t("protect-required")}</p> }.into_any()
            }}
        }
        .into_any()
    })
}

/// Set up an authenticator app: the QR code, the key as text, and the
/// first code the app shows.
#[component]
pub fn AppSetupPage() -> impl IntoView {
    let query = use_query_map();
    let wrong = move || query.with(|q| q.get("error").is_some());
    with_security("app-heading", move |s: Security| {
        let Some(setup) = s.setup else {
            return gone_to("/security", "security-heading");
        };
        let error = wrong().then(|| Msg::new("error-app-code"));
        let message = error.as_ref().map(tr);
        view! {
            <h1 id="page-heading" tabindex="-1" autofocus=error.is_none()>{t("app-heading")}</h1>
            {error.map(|e| view! { <ErrorSummary errors=vec![FieldError::new("code", e)] /> })}
            <ol class="steps">
                <li>
                    <p>{t("app-step-scan")}</p>
                    <div class="qr" role="img" aria-label=t("app-qr-label") inner_html=setup.qr_svg></div>
                    <p>{t("app-step-key")}</p>
                    <p><code class="key">{setup.key}</code></p>
                </li>
                <li><p>{t("app-step-code")}</p></li>
            </ol>
            <form method="post" action=app_confirm_url() novalidate=true>
                <Field id="name" label=t("label-method-name") hint=t("hint-method-name") value=setup.name maxlength=60 />
                <Field id="code" label=t("label-app-code") autocomplete="one-time-code" inputmode="numeric"
                    error=message maxlength=32 />
                <div class="buttons">
                    <button type="submit" class="button button--primary">{t("button-turn-on")}</button>
                </div>
            </form>
            <p><a href="/security">{t("link-back-security")}</a></p>
        }
        .into_any()
    })
}

/// The ten backup codes, shown this once.
#[component]
pub fn BackupCodesPage() -> impl IntoView {
    let load = load_once(load_backup_codes());
    view! {
        <Title text=page_title("codes-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    match load.await.unwrap_or_else(|e| ShownCodes::Fault(reference_of(&e))) {
                        ShownCodes::Codes(codes) => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t("codes-heading")}</h1>
                            <p class="lead">{t("codes-text")}</p>
                            <ul class="backup-codes" aria-label=t("codes-heading")>
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ul>
                            <p>{t("codes-once")}</p>
                            <p><a class="button button--primary" href="/accounts">{t("button-codes-kept")}</a></p>
                        }.into_any(),
                        ShownCodes::Gone => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t("codes-heading")}</h1>
                            <p>{t("codes-gone")}</p>
                            <p><a href="/security">{t("security-heading")}</a></p>
                        }.into_any(),
                        ShownCodes::SignedOut => gone_to("/", "signin-heading"),
                        ShownCodes::Fault(reference) => fault_page("codes-heading", reference),
                    }
                })
            }}
        </Suspense>
    }
}

fn methods_table(methods: &[MethodView]) -> impl IntoView {
    view! {
        <table class="accounts">
            <caption class="visually-hidden">{t("security-methods-caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("security-col-name")}</th>
                    <th scope="col">{t("security-col-kind")}</th>
                    <th scope="col">{t("security-col-added")}</th>
                    <th scope="col">{t("security-col-used")}</th>
                </tr>
            </thead>
            <tbody>
                {methods.iter().map(|m| view! {
                    <tr>
                        <th scope="row">{m.name.clone()}</th>
                        <td>{t(&format!("security-kind-{}", m.kind))}</td>
                        <td>{m.added.clone()}</td>
                        <td>{m.last_used.clone().unwrap_or_else(|| t("security-never"))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The browsers the login remembers, each with its Forget button.
fn browsers_section(browsers: Vec<BrowserView>) -> impl IntoView {
    let none = browsers.is_empty();
    view! {
        <h2>{t("security-browsers-heading")}</h2>
        {if none {
            view! { <p>{t("security-browsers-none")}</p> }.into_any()
        } else {
            view! {
                <table class="accounts">
                    <caption class="visually-hidden">{t("security-browsers-heading")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("security-col-browser")}</th>
                            <th scope="col">{t("security-col-since")}</th>
                            <th scope="col">{t("security-col-used")}</th>
                            <th scope="col"><span class="visually-hidden">{t("button-forget")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {browsers.into_iter().map(|b| {
                            let label = if b.this { tr(&Msg::new("security-this-browser").text("browser", b.label.clone())) } else { b.label.clone() };
                            let forget = tr(&Msg::new("button-forget-browser").text("browser", b.label.clone()));
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td>{b.since}</td>
                                    <td>{b.last_used}</td>
                                    <td>
                                        <form method="post" action=forget_browser_url()>
                                            <input type="hidden" name="browser" value=b.id.to_string() />
                                            <button type="submit" class="button button--link" aria-label=forget>{t("button-forget")}</button>
                                        </form>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <form method="post" action=forget_browser_url()>
                    <input type="hidden" name="browser" value="all" />
                    <div class="buttons">
                        <button type="submit" class="button button--secondary">{t("button-forget-all")}</button>
                    </div>
                </form>
            }.into_any()
        }}
    }
}

/// A choice of the login's methods, for rename and remove.
fn method_choice(id: &'static str, methods: &[MethodView]) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t("label-method")}</label>
            <select id=id name="method">
                {methods.iter().map(|m| view! { <option value=m.id.to_string()>{m.name.clone()}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// The password and the code again, before a change that weakens the login.
fn step_up_fields(form: &'static str, error: Option<(&'static str, String)>) -> impl IntoView {
    let (field, message) = error.unzip();
    let for_field = move |f: &str| message.clone().filter(|_| field == Some(f));
    view! {
        <Field id=if form == "codes" { "codes-password" } else { "remove-password" } name="password" label=t("label-password")
            kind="password" autocomplete="current-password" maxlength=128 error=for_field("password") />
        <Field id=if form == "codes" { "codes-code" } else { "remove-code" } name="code" label=t("label-second-step-code")
            hint=t("hint-second-step-code") autocomplete="one-time-code" maxlength=32 error=for_field("code") />
    }
}

/// My accounts > Sign-in and security.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let query = use_query_map();
    let said = move || {
        query.with(|q| {
            let notice = q.get("notice").filter(|n| {
                [
                    "app-added",
                    "passkey-added",
                    "renamed",
                    "removed",
                    "backup-codes-low",
                    "browsers-forgotten",
                ]
                .contains(&n.as_str())
            });
            let form = q.get("form").unwrap_or_default();
            let error = q.get("error").and_then(|e| match e.as_str() {
                "password" => Some(("password", "error-password-recheck")),
                "code" => Some(("code", "error-second-step")),
                "busy" => Some(("password", "error-busy")),
                "method" => Some(("method", "error-method")),
                _ => None,
            });
            (notice, form, error)
        })
    };
    with_security("security-heading", move |s: Security| {
        let (notice, form, error) = said();
        let error_in = |f: &str| {
            error
                .filter(|_| form == f)
                .map(|(field, key)| (field, t(key)))
        };
        // The form the error is in names its fields' ids ("codes-password").
        let prefix = match form.as_str() {
            "codes" | "passkey" => format!("{form}-"),
            _ => format!("{}-", "remove"),
        };
        let summary = error.map(|(field, key)| {
            let id = match field {
                "method" => format!(
                    "{}-method",
                    if form == "rename" { "rename" } else { "remove" }
                ),
                f => format!("{prefix}{f}"),
            };
            view! { <ErrorSummary errors=vec![FieldError::new(&id, Msg::new(key))] /> }
        });
        let has = !s.methods.is_empty();
        let calm = summary.is_none();
        let (mode, options) = step_up_mode(&s.step_up);
        view! {
            <h1 id="page-heading" tabindex="-1" autofocus=calm>{t("security-heading")}</h1>
            {summary}
            {notice.map(|n| view! { <div class="notice" role="status">{t(&format!("notice-{n}"))}</div> })}
            <p class="lead">{format!("{} ", t("accounts-signed-in-as"))} <strong>{s.username.clone()}</strong></p>
            <h2>{t("security-methods-heading")}</h2>
            {if has {
                methods_table(&s.methods).into_any()
            } else {
                view! { <p>{t("security-none")}</p> }.into_any()
            }}
            {start_app_button(!has)}
            {s.passkeys.then(|| add_passkey_section(has, false, error_in("passkey"), s.step_up.clone()))}
            {has.then(|| view! {
                <h2>{t("security-codes-heading")}</h2>
                <p>{tr(&Msg::new("security-codes-left").number("left", s.backup_left))}</p>
                <form method="post" action=new_backup_codes_url() novalidate=true data-passkey=mode data-options=options.clone()>
                    {step_up_fields("codes", error_in("codes"))}
                    {step_up_passkey(s.step_up.clone(), t("hint-step-up-passkey"))}
                    <div class="buttons">
                        <button type="submit" class="button button--secondary">{t("button-new-codes")}</button>
                    </div>
                </form>
                {browsers_section(s.browsers.clone())}
                <h2>{t("security-rename-heading")}</h2>
                <form method="post" action=rename_url() novalidate=true>
                    {method_choice("rename-method", &s.methods)}
                    <Field id="name" label=t("label-new-name") maxlength=60 />
                    <div class="buttons">
                        <button type="submit" class="button button--secondary">{t("button-rename")}</button>
                    </div>
                </form>
                <h2>{t("security-remove-heading")}</h2>
                <p>{t("security-remove-text")}</p>
                <form method="post" action=remove_url() novalidate=true data-passkey=mode data-options=options.clone()>
                    {method_choice("remove-method", &s.methods)}
                    {step_up_fields("remove", error_in("remove"))}
                    {step_up_passkey(s.step_up.clone(), t("hint-step-up-passkey"))}
                    <div class="buttons">
                        <button type="submit" class="button button--secondary">{t("button-remove")}</button>
                    </div>
                </form>
            })}
            <p><a href="/accounts">{t("accounts-heading")}</a></p>
        }
        .into_any()
    })
}
