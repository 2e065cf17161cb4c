//! Closing dates as the provider's pages use them: the notices, read again
//! at most once a minute (the front page is the busiest page, and the dates
//! change a few times in a migration), and the wizard's refusal of a closed
//! portal's account where the operators chose so.

use super::{notices_at, ClosingNotice};
use crate::state::AppState;
use crate::store::{Closing, LegacyAccount};
use std::sync::Arc;

/// Every closing date, as kept (read again once [`KeptClosings`] is a
/// minute old): what providers and campaign mail are told. The console's
/// pages read the database itself.
///
/// [`KeptClosings`]: crate::state::KeptClosings
pub async fn closings(app: &AppState) -> Result<Arc<Vec<Closing>>, sqlx::Error> {
    let now = app.clock.now();
    if let Some(c) = app.closings.fresh(now) {
        return Ok(c);
    }
    let c = Arc::new(app.store.closings().await?);
    app.closings.keep(now, c.clone());
    Ok(c)
}

/// The old portals that close within `NOTICE_DAYS`, soonest first. A
/// database fault shows none (and is logged): the page itself still works.
pub async fn notices(app: &AppState) -> Vec<ClosingNotice> {
    let closings = match closings(app).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "closing dates could not be read");
            return Vec::new();
        }
    };
    let dates: Vec<(String, String, i64)> = closings
        .iter()
        .map(|c| (c.name.clone(), c.closes_on.clone(), c.closes_at))
        .collect();
    notices_at(&dates, app.clock.now())
}

/// The closing that keeps `account` out of the wizard: its portal closed,
/// and the operators chose that its accounts are no longer moved. Read
/// from the dates kept, so that a right answer costs no statement more;
/// another instance follows a change within a minute.
pub async fn refusing(
    app: &AppState,
    account: &LegacyAccount,
) -> Result<Option<Closing>, crate::flow::Stop> {
    let now = app.clock.now();
    Ok(closings(app)
        .await?
        .iter()
        .find(|c| c.source == account.source && c.refuse_after && c.closes_at <= now)
        .cloned())
}
