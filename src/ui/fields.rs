use crate::domain::Check;
use crate::flow::FieldError;
use crate::i18n::{t, tr};
use leptos::prelude::*;

/// The error summary at the top of a page: each message links to its field.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" autofocus=true>
                <h2 id="error-summary-title">{t("error-summary-title")}</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|e| view! { <li><a href=format!("#{}", e.field)>{tr(&e.message)}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled input with its hint and its own error message. With `check`,
/// the browser checks it as the server would when it is left or corrected
/// (islands/check.rs): the message sits in a polite live region, and the
/// texts it may need are in the page, hidden, in the page's language.
#[component]
pub fn Field(
    id: &'static str,
    /// The field's name in the form, when it is not its id (two forms on
    /// one page that post the same field).
    #[prop(optional)]
    name: Option<&'static str>,
    label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autofocus: bool,
    #[prop(default = 254)] maxlength: u32,
    #[prop(optional)] check: Option<Check>,
) -> impl IntoView {
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let described: Vec<String> = hint_id.iter().chain(error_id.iter()).cloned().collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    let invalid = error.is_some();
    view! {
        <div class=if invalid { "field field--error" } else { "field" }>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <div class="field__live" aria-live="polite">
                {error.map(|e| view! {
                    <p class="field-error" id=error_id.clone()>
                        <span class="visually-hidden">{format!("{} ", t("error-prefix"))}</span>{e}
                    </p>
                })}
            </div>
            <input
                id=id
                name=name.unwrap_or(id)
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                autofocus=autofocus
                maxlength=maxlength
                spellcheck="false"
                autocapitalize="none"
                aria-invalid=invalid.then_some("true")
                aria-describedby=described
                data-check=check.map(Check::name)
            />
            {check.map(|c| view! {
                <div hidden=true>
                    {std::iter::once("error-prefix").chain(c.messages().iter().copied())
                        .map(|key| view! { <span data-message=key>{t(key)}</span> })
                        .collect_view()}
                </div>
            })}
        </div>
    }
}
