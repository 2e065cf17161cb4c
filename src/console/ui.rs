//! The console's pages: sign-in, enrolment and Progress. Plain forms and
//! tables, loaded whole (no in-place navigation), in the page's language.

use super::api::{
    load_audit, load_enrolment, load_locked, load_ops_sign_in_state, load_progress, ops_enrol_url,
    ops_sign_in_url, ops_sign_out_url, ops_unlock_url,
};
use super::table::{columns, row, DataTable};
use super::{
    AuditLine, AuditQuery, AuditView, Console, EnrolState, Enrolment, Locked, Me, OpsSignInState,
    Progress, SourceFigures,
};
use crate::domain::Action;
use crate::flow::FieldError;
use crate::i18n::{t, tr, Msg};
use crate::ui::{
    fault_reference, load_once, page_title, redirect_to, reference_of, ErrorSummary, Field,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The console's sign-in page.
#[component]
pub fn OpsSignInPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| match q.get("notice").as_deref() {
            Some("signed-out") => Some(t("ops-notice-signed-out")),
            Some("enrolled") => Some(t("ops-notice-enrolled")),
            _ => None,
        })
    };
    let fault = move || query.with(|q| fault_reference(q.get("fault")));
    let load = load_once(load_ops_sign_in_state());
    view! {
        <Title text=page_title("ops-signin-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_default();
                    sign_in_form(state, notice(), fault())
                })
            }}
        </Suspense>
    }
}

/// Only a message's key from a page's address (`error=`), which is
/// anyone's to type: a catalogue key of ours is `error-…`, and short.
pub(super) fn error_key(k: Option<String>) -> String {
    k.filter(|e| e.starts_with("error-") && e.len() < 48)
        .unwrap_or_default()
}

pub(super) fn fault_notice(reference: String) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            {tr(&Msg::new("notice-fault").text("reference", reference))}
        </div>
    }
}

fn sign_in_form(
    state: OpsSignInState,
    notice: Option<String>,
    fault: Option<String>,
) -> impl IntoView {
    let error = state.error.as_ref().map(tr);
    let failed = error.is_some();
    let errors = state
        .error
        .map(|m| vec![FieldError::new("password", m)])
        .unwrap_or_default();
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=!failed>{t("ops-signin-heading")}</h1>
        <p class="lead">{t("ops-signin-lead")}</p>
        {notice.map(|n| view! { <div class="notice" role="status">{n}</div> })}
        {fault.map(fault_notice)}
        <ErrorSummary errors=errors />
        <form method="post" action=ops_sign_in_url() novalidate=true>
            <Field id="username" label=t("label-username") value=state.username autocomplete="username" />
            <Field id="password" label=t("label-password") kind="password" autocomplete="current-password"
                error=error maxlength=128 />
            <Field id="code" label=t("ops-label-code") hint=t("ops-hint-code") autocomplete="one-time-code"
                inputmode="numeric" maxlength=7 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-sign-in")}</button>
            </div>
        </form>
        <p>{t("ops-signin-help")}</p>
    }
}

/// The enrolment page of a one-time link (`/ops/enrol?token=…`).
#[component]
pub fn OpsEnrolPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let error = move || {
        query.with(|q| {
            // Only the page's own messages: the address is anyone's to write.
            q.get("error").filter(|k| {
                k == "link"
                    || k == "error-ops-code-wrong"
                    || (["error-new-password-", "error-confirm-password-"]
                        .iter()
                        .any(|p| k.starts_with(p))
                        && k.len() < 48
                        && k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            })
        })
    };
    let fault = move || query.with(|q| fault_reference(q.get("fault")));
    let load = load_once(untrack(move || load_enrolment(token())));
    view! {
        <Title text=page_title("ops-enrol-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let token = token();
                    let error = error();
                    let state = load
                        .await
                        .unwrap_or_else(|e| EnrolState::Fault(reference_of(&e)));
                    match (state, error.as_deref()) {
                        (EnrolState::Ready(e), Some("link")) | (EnrolState::Ready(e), None) => {
                            enrol_form(e, token, None, fault()).into_any()
                        }
                        (EnrolState::Ready(e), Some(key)) => enrol_form(e, token, Some(key.to_string()), fault()).into_any(),
                        (EnrolState::Invalid, _) => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t("ops-enrol-heading")}</h1>
                            <div class="notice notice--error" role="alert">{t("ops-enrol-invalid")}</div>
                        }.into_any(),
                        (EnrolState::Fault(reference), _) => view! {
                            <h1 id="page-heading" tabindex="-1" autofocus=true>{t("ops-enrol-heading")}</h1>
                            {fault_notice(reference)}
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn enrol_form(
    e: Enrolment,
    token: String,
    error: Option<String>,
    fault: Option<String>,
) -> impl IntoView {
    // Which field the message belongs to.
    let field = match error.as_deref() {
        Some("error-ops-code-wrong") => "code",
        Some(k) if k.starts_with("error-confirm-password-") => "confirm_password",
        _ => "password",
    };
    let errors = error
        .clone()
        .map(|k| vec![FieldError::new(field, Msg::new(&k))])
        .unwrap_or_default();
    let message = |f: &str| error.as_deref().filter(|_| field == f).map(t);
    view! {
        <h1 id="page-heading" tabindex="-1" autofocus=error.is_none()>{t("ops-enrol-heading")}</h1>
        <p class="lead">
            {tr(&Msg::new("ops-enrol-lead").text("username", e.username.clone()).text("role", t(e.role.label())))}
        </p>
        {fault.map(fault_notice)}
        <ErrorSummary errors=errors />
        <h2>{t("ops-enrol-authenticator-heading")}</h2>
        <p>{t("ops-enrol-authenticator-text")}</p>
        <figure class="qr">
            <div role="img" aria-label=t("ops-enrol-qr-label") inner_html=e.qr_svg></div>
            <figcaption>
                {t("ops-enrol-seed-label")} " " <code class="seed">{e.seed_text}</code>
            </figcaption>
        </figure>
        <form method="post" action=ops_enrol_url() novalidate=true>
            <input type="hidden" name="token" value=token />
            <Field id="password" label=t("label-new-password") kind="password" autocomplete="new-password"
                hint=t("hint-new-password") error=message("password") maxlength=128 />
            <Field id="confirm_password" label=t("label-confirm-password") kind="password" autocomplete="new-password"
                error=message("confirm_password") maxlength=128 />
            <Field id="code" label=t("ops-label-code") hint=t("ops-hint-code") autocomplete="one-time-code"
                inputmode="numeric" error=message("code") maxlength=7 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-enrol")}</button>
            </div>
        </form>
    }
}

/// The console's pages, as the header lists them: (address, catalogue key).
/// Each with what the operator must be allowed to see it listed.
const PAGES: [(&str, &str, Action); 11] = [
    ("/ops", "ops-progress-heading", Action::Read),
    ("/ops/find", "ops-find-heading", Action::Read),
    ("/ops/stuck", "ops-stuck-heading", Action::Read),
    ("/ops/locked", "ops-locked-heading", Action::Read),
    ("/ops/cases", "ops-cases-heading", Action::Read),
    ("/ops/codes", "ops-codes-heading", Action::Read),
    ("/ops/campaigns", "ops-campaigns-heading", Action::Read),
    ("/ops/closing", "ops-closing-heading", Action::Read),
    ("/ops/outbox", "ops-outbox-heading", Action::Read),
    ("/ops/audit", "ops-audit-heading", Action::Read),
    (
        "/ops/operators",
        "ops-operators-heading",
        Action::ManageOperators,
    ),
];

/// The console's header: who is signed in, the pages, Sign out.
fn console_nav(me: &Me, here: &str) -> impl IntoView {
    view! {
        <div class="console-bar">
            <p>{tr(&Msg::new("ops-signed-in-as").text("username", me.username.clone()).text("role", t(me.role.label())))}</p>
            <nav aria-label=t("ops-nav-label")>
                <ul class="console-nav">
                    {PAGES.iter().filter(|(_, _, may)| me.role.may(*may)).map(|(href, key, _)| view! {
                        <li><a href=*href aria-current=(*href == here).then_some("page")>{t(key)}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
            <form method="post" action=ops_sign_out_url()>
                <button type="submit" class="button button--secondary">{t("button-sign-out")}</button>
            </form>
        </div>
    }
}

/// A console page: the header and `body` for a signed-in operator, the
/// sign-in page for anyone else, the support reference of a fault.
pub(super) fn console_page<T: 'static>(
    state: Console<T>,
    here: &'static str,
    heading: &'static str,
    notice: Option<String>,
    body: impl FnOnce(&Me, T) -> AnyView,
) -> AnyView {
    match state {
        // The console's own layout: as wide as the screen allows (its
        // tables), where the provider's pages keep a narrow column.
        Console::Page(me, data) => view! {
            <div class="console">
                {console_nav(&me, here)}
                <h1 id="page-heading" tabindex="-1" autofocus=true>{t(heading)}</h1>
                {notice.map(|n| view! { <div class="notice" role="status">{n}</div> })}
                {body(&me, data)}
            </div>
        }
        .into_any(),
        Console::Refused => {
            redirect_to("/ops?notice=not-allowed");
            view! { <p><a href="/ops">{t("ops-progress-heading")}</a></p> }.into_any()
        }
        // A stranger is sent to sign in; a client that does not follow
        // redirects still reads a page that says so, titled so.
        Console::SignedOut => {
            redirect_to("/ops/sign-in");
            view! {
                <Title text=page_title("ops-signin-heading") />
                <h1 id="page-heading" tabindex="-1" autofocus=true>{t("ops-signin-heading")}</h1>
                <p><a href="/ops/sign-in">{t("ops-sign-in-first")}</a></p>
            }
            .into_any()
        }
        Console::Fault(reference) => view! {
            <div class="console">
                <h1 id="page-heading" tabindex="-1" autofocus=true>{t(heading)}</h1>
                {fault_notice(reference)}
            </div>
        }
        .into_any(),
    }
}

/// The Progress page (`/ops`).
#[component]
pub fn OpsProgressPage() -> impl IntoView {
    let query = use_query_map();
    // The funnel's period, as typed.
    let period = move || {
        query.with(|q| {
            (
                q.get("from").unwrap_or_default(),
                q.get("to").unwrap_or_default(),
            )
        })
    };
    let notice = move || {
        query.with(|q| {
            (q.get("notice").as_deref() == Some("not-allowed")).then(|| t("ops-notice-not-allowed"))
        })
    };
    let load = load_once(untrack(move || {
        let (from, to) = period();
        load_progress(from, to)
    }));
    view! {
        <Title text=page_title("ops-progress-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    console_page(state, "/ops", "ops-progress-heading", notice(), |_, p| progress(p).into_any())
                })
            }}
        </Suspense>
    }
}

/// The Locked page (`/ops/locked`).
#[component]
pub fn OpsLockedPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| match q.get("notice").as_deref() {
            Some("unlocked") => Some(t("ops-notice-unlocked")),
            Some("unlock-gone") => Some(t("ops-notice-unlock-gone")),
            Some("not-allowed") => Some(t("ops-notice-not-allowed")),
            _ => None,
        })
    };
    // The lock whose Unlock was sent without a reason.
    let reason_missing = move || {
        query.with(|q| {
            q.get("lock")
                .filter(|_| q.get("error").as_deref() == Some("reason"))
        })
    };
    let load = load_once(load_locked());
    view! {
        <Title text=page_title("ops-locked-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    let missing = reason_missing();
                    console_page(state, "/ops/locked", "ops-locked-heading", notice(), move |me, l| {
                        locked(l, me.role.may(Action::Unlock), missing).into_any()
                    })
                })
            }}
        </Suspense>
    }
}

fn locked(l: Locked, may_unlock: bool, reason_missing: Option<String>) -> impl IntoView {
    if l.locks.is_empty() {
        return view! { <p>{t("ops-locked-none")}</p> }.into_any();
    }
    let missing_at = reason_missing.and_then(|m| l.locks.iter().position(|x| x.lock == m));
    let errors = missing_at
        .map(|n| {
            vec![FieldError::new(
                &format!("reason-{}", n + 1),
                Msg::new("error-ops-reason-empty"),
            )]
        })
        .unwrap_or_default();
    let mut headings = columns(&["ops-col-whose", "ops-col-lock", "ops-col-ends"]);
    if may_unlock {
        headings.push(t("ops-col-action"));
    }
    let rows = l
        .locks
        .into_iter()
        .enumerate()
        .map(|(n, lock)| {
            let action = may_unlock.then(|| {
                row_action(RowAction {
                    url: ops_unlock_url(),
                    name: "lock",
                    value: lock.lock.clone(),
                    id: format!("reason-{}", n + 1),
                    label: format!("{} ({})", t("ops-label-reason"), lock.who),
                    error: (missing_at == Some(n)).then(|| t("error-ops-reason-empty")),
                    button: "ops-button-unlock",
                })
            });
            view! {
                <tr>
                    <th scope="row">{lock.who.clone()}</th>
                    <td>{t(&format!("ops-lock-{}", lock.kind))}</td>
                    <td>{format!("{} ({} min)", lock.ends, lock.minutes_left)}</td>
                    {action}
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <ErrorSummary errors=errors />
        <DataTable caption=t("ops-locked-caption") columns=headings rows=rows />
    }
    .into_any()
}

fn figures_row(s: SourceFigures, total: bool) -> impl IntoView {
    let name = if total { t("ops-total") } else { s.source };
    view! {
        <tr class=total.then_some("total")>
            <th scope="row">{name}</th>
            <td>{s.loaded}</td>
            <td>{s.consolidated}</td>
            <td>{s.in_wizard}</td>
            <td>{s.not_started}</td>
            <td>{(!total).then(|| super::table::last_day(&s.closes))}</td>
        </tr>
    }
}

fn progress(p: Progress) -> impl IntoView {
    let total: i64 = p.per_day.iter().map(|d| d.count).sum();
    // No consolidation yet: a sentence, not an empty chart.
    let chart = if total == 0 {
        view! { <p class="chart-empty">{t("ops-per-day-none")}</p> }.into_any()
    } else {
        let days = p
            .per_day
            .into_iter()
            .map(|d| row(Some(d.day), vec![d.count.to_string()]))
            .collect();
        view! {
            <figure class="chart-figure">
                <div inner_html=p.chart_svg></div>
            </figure>
            <DataTable caption=t("ops-per-day-heading") columns=columns(&["ops-col-day", "ops-col-consolidated"])
                rows=days hidden=true />
        }
        .into_any()
    };
    let mut sources: Vec<AnyView> = p
        .sources
        .into_iter()
        .map(|s| figures_row(s, false).into_any())
        .collect();
    sources.push(figures_row(p.total, true).into_any());
    let imports = p
        .imports
        .into_iter()
        .map(|i| {
            let what = if i.dry_run {
                format!("{} {}", t("ops-dry-run"), i.what)
            } else {
                i.what
            };
            row(None, vec![i.when, i.who, what])
        })
        .collect();
    view! {
        <p class="lead">{tr(&Msg::new("ops-logins-created").number("count", p.logins))}</p>
        <p>
            {tr(&Msg::new("ops-second-step-figures").number("none", p.unprotected))}
            {p.second_steps.iter().map(|(kind, n)| format!(" {}", tr(&Msg::new("ops-second-step-kind")
                .text("kind", t(&format!("security-kind-{kind}")))
                .number("count", *n)))).collect::<String>()}
        </p>
        <h2>{t("ops-per-day-heading")}</h2>
        <p>{tr(&Msg::new("ops-per-day-total").number("count", total))}</p>
        {chart}
        <DataTable caption=t("ops-sources-caption")
            columns=columns(&["ops-col-source", "ops-col-loaded", "ops-col-consolidated", "ops-col-in-wizard", "ops-col-not-started", "ops-col-closes"])
            rows=sources />
        {super::funnel_ui::funnel_section(p.funnel, p.funnel_errors)}
        <h2>{t("ops-imports-heading")}</h2>
        <DataTable caption=t("ops-imports-heading") caption_hidden=true
            columns=columns(&["ops-col-when", "ops-col-who", "ops-col-run"])
            rows=imports empty=t("ops-imports-none") />
    }
}

/// The Audit page (`/ops/audit`): the search is a GET form, so a search
/// has an address (bookmark it, go back to it); Export CSV takes the same.
#[component]
pub fn OpsAuditPage() -> impl IntoView {
    let query = use_query_map();
    let typed = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            AuditQuery {
                from: get("from"),
                to: get("to"),
                action: get("action"),
                outcome: get("outcome"),
                account: get("account"),
                operator: get("operator"),
                address: get("address"),
                page: get("page").parse().unwrap_or(1),
            }
        })
    };
    let load = load_once(untrack(move || load_audit(typed())));
    view! {
        <Title text=page_title("ops-audit-heading") />
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || {
                let load = load.clone();
                Suspend::new(async move {
                    let q = typed();
                    let state = load.await.unwrap_or_else(|e| Console::Fault(reference_of(&e)));
                    console_page(state, "/ops/audit", "ops-audit-heading", None, move |_, v| audit(q, v).into_any())
                })
            }}
        </Suspense>
    }
}

/// The search's address with `page` (and the CSV's, without it).
fn search_query(q: &AuditQuery, page: Option<u32>) -> String {
    let enc = crate::i18n::encode_query_value;
    let mut s = format!(
        "from={}&to={}&action={}&outcome={}&account={}&operator={}&address={}",
        enc(&q.from),
        enc(&q.to),
        enc(&q.action),
        enc(&q.outcome),
        enc(&q.account),
        enc(&q.operator),
        enc(&q.address)
    );
    if let Some(p) = page {
        s.push_str(&format!("&page={p}"));
    }
    s
}

fn audit(q: AuditQuery, v: AuditView) -> impl IntoView {
    let error = |f: &str| {
        v.errors
            .iter()
            .find(|e| e.field == f)
            .map(|e| tr(&e.message))
    };
    let (from_error, to_error) = (error("from"), error("to"));
    let newer = (v.page > 1).then(|| format!("/ops/audit?{}", search_query(&q, Some(v.page - 1))));
    let older = v
        .more
        .then(|| format!("/ops/audit?{}", search_query(&q, Some(v.page + 1))));
    let csv = format!("/ops/audit.csv?{}", search_query(&q, None));
    let lines = v
        .lines
        .into_iter()
        .map(|l| {
            row(
                None,
                vec![
                    l.when,
                    l.action,
                    l.outcome,
                    l.repeats.to_string(),
                    l.address,
                    l.account,
                    l.operator,
                    l.target,
                    l.reason,
                ],
            )
        })
        .collect();
    view! {
        <ErrorSummary errors=v.errors.clone() />
        <form method="get" action="/ops/audit" class="search-form" novalidate=true>
            <Field id="from" label=t("ops-label-from") value=q.from.clone() hint=t("ops-hint-date") error=from_error maxlength=10 />
            <Field id="to" label=t("ops-label-to") value=q.to.clone() hint=t("ops-hint-date") error=to_error maxlength=10 />
            <Field id="action" label=t("ops-label-action") value=q.action.clone() hint=t("ops-hint-prefix") maxlength=100 />
            <Field id="outcome" label=t("ops-label-outcome") value=q.outcome.clone() hint=t("ops-hint-prefix") maxlength=100 />
            <Field id="account" label=t("ops-label-account") value=q.account.clone() maxlength=254 />
            <Field id="operator" label=t("ops-label-operator") value=q.operator.clone() maxlength=254 />
            <Field id="address" label=t("ops-label-address") value=q.address.clone() maxlength=64 />
            <div class="buttons">
                <button type="submit" class="button button--primary">{t("ops-button-search")}</button>
                <a class="button button--secondary" href=csv download="">{t("ops-button-export")}</a>
            </div>
        </form>
        <DataTable caption=tr(&Msg::new("ops-audit-caption").number("page", v.page as i64))
            columns=columns(&["ops-col-when", "ops-label-action", "ops-label-outcome", "ops-col-times", "ops-label-address",
                "ops-col-account-id", "ops-label-operator", "ops-col-target", "ops-col-reason"])
            rows=lines empty=t("ops-audit-none") />
        <nav class="pager" aria-label=t("ops-pager-label")>
            {newer.map(|h| view! { <a href=h>{t("ops-newer")}</a> })}
            {older.map(|h| view! { <a href=h>{t("ops-older")}</a> })}
        </nav>
    }
}

/// A row's form with a reason: Unlock on Locks in force, Revoke here.
pub(super) struct RowAction {
    pub url: &'static str,
    /// The hidden field naming the row, and its value.
    pub name: &'static str,
    pub value: String,
    /// The reason field's id (unique on the page); its name is `reason`.
    pub id: String,
    pub label: String,
    pub error: Option<String>,
    pub button: &'static str,
}

pub(super) fn row_action(a: RowAction) -> AnyView {
    let missing = a.error.is_some();
    let id = a.id;
    view! {
        <td>
            <form method="post" action=a.url novalidate=true class="inline-form">
                <input type="hidden" name=a.name value=a.value />
                <label for=id.clone()>{a.label}</label>
                {a.error.map(|e| view! { <p class="field-error" id=format!("{id}-error")>{e}</p> })}
                <input id=id.clone() name="reason" type="text" maxlength="200" required=true
                    aria-invalid=missing.then_some("true")
                    aria-describedby=missing.then(|| format!("{id}-error")) />
                <button type="submit" class="button button--secondary">{t(a.button)}</button>
            </form>
        </td>
    }
    .into_any()
}

/// An audit trail as a table (newest first), under `caption`; `empty`
/// says so when there is no event.
pub(super) fn trail_table(caption: String, empty: String, lines: Vec<AuditLine>) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|l| {
            row(
                None,
                vec![l.when, l.action, l.outcome, l.address, l.operator],
            )
        })
        .collect();
    view! {
        <DataTable caption=caption
            columns=columns(&["ops-col-when", "ops-label-action", "ops-label-outcome", "ops-label-address", "ops-label-operator"])
            rows=rows empty=empty />
    }
}
