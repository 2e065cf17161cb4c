//! The console's one table, as the provider's pages have one `Field`
//! (src/ui/fields.rs): a caption, the column headings, the rows, and with no
//! rows a sentence in place of a table of headings. Its look (headings never
//! broken inside a word, a wide table scrolling in its own box on a phone)
//! is `.figures` in style/main.css.

use crate::i18n::{t, tr, Msg};
use leptos::prelude::*;

/// A table of the console's. `rows` are `<tr>`s, most made by [`row`].
#[component]
pub fn DataTable(
    /// What the table holds: its caption, read first by screen readers.
    caption: String,
    /// The column headings, in order.
    columns: Vec<String>,
    rows: Vec<AnyView>,
    /// Said in place of the table when there are no rows (without it, an
    /// empty table keeps its headings).
    #[prop(optional, into)]
    empty: Option<String>,
    /// The caption for screen readers only (a heading above says the same).
    #[prop(optional)]
    caption_hidden: bool,
    /// The whole table for screen readers only: the figures of a chart.
    #[prop(optional)]
    hidden: bool,
) -> impl IntoView {
    if rows.is_empty() {
        if let Some(sentence) = empty {
            return view! { <p class="table-empty" role="status">{sentence}</p> }.into_any();
        }
    }
    let table = view! {
        <table class=if hidden { "figures visually-hidden" } else { "figures" }>
            <caption class=caption_hidden.then_some("visually-hidden")>{caption}</caption>
            <thead>
                <tr>
                    {columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    };
    if hidden {
        table.into_any()
    } else {
        view! { <div class="table-wrap">{table}</div> }.into_any()
    }
}

/// A row of text cells; with `head`, the row's name comes first, as the
/// row's heading (`<th scope="row">`).
pub fn row(head: Option<String>, cells: Vec<String>) -> AnyView {
    view! {
        <tr>
            {head.map(|h| view! { <th scope="row">{h}</th> })}
            {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
        </tr>
    }
    .into_any()
}

/// The headings of `keys`, in the page's language.
pub fn columns(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t(k)).collect()
}

/// A portal's last day and the days left ("2027-03-31 (116 days left)").
pub fn last_day(closes: &Option<(String, i64)>) -> String {
    match closes {
        None => t("ops-closing-no-date"),
        Some((on, days)) if *days < 0 => {
            tr(&Msg::new("ops-closing-closed").text("date", on.clone()))
        }
        Some((on, 0)) => tr(&Msg::new("ops-closing-today").text("date", on.clone())),
        Some((on, days)) => crate::i18n::tr(
            &crate::i18n::Msg::new("ops-closing-days-left")
                .text("date", on.clone())
                .number("days", *days),
        ),
    }
}
