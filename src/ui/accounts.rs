use crate::domain::AccountSummary;
use crate::i18n::t;
use leptos::prelude::*;

/// Practices, old usernames, roles and masked TINs, as a table.
pub fn accounts_table(accounts: &[AccountSummary]) -> impl IntoView {
    view! {
        <table class="accounts">
            <caption class="visually-hidden">{t("accounts-caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("col-practice")}</th>
                    <th scope="col">{t("col-old-username")}</th>
                    <th scope="col">{t("col-role")}</th>
                    <th scope="col">{t("col-tins")}</th>
                </tr>
            </thead>
            <tbody>
                {accounts.iter().map(|a| view! {
                    <tr>
                        <td data-label=t("col-practice")>{a.practice.clone()}</td>
                        <td data-label=t("col-old-username")>{a.username.clone()}</td>
                        <td data-label=t("col-role")>{a.role.clone()}</td>
                        <td data-label=t("col-tins")>{a.masked_tins.join(", ")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
