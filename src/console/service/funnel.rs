//! The wizard funnel on the Progress page (issue 17): of the wizards begun
//! in a period, how many reached each step, how many stopped there, and the
//! median time spent at each step. The audit trail (each step's first
//! event that moved the wizard on) is folded into figures by the day a
//! wizard began (store::funnel, domain::funnel); the page reads its days.

use crate::console::{Funnel, FunnelStep};
use crate::domain::funnel::StepFigures;
use crate::flow::Stop;
use crate::state::AppState;

/// The wizard's steps in order (their headings' catalogue keys).
pub const STEPS: [&str; 7] = [
    "step-lookup",
    "step-verify",
    "step-email",
    "step-code",
    "step-password",
    "step-review",
    "step-done",
];

/// Events are folded once they are this old (seconds): on PostgreSQL an
/// event numbered by a transaction that has not committed yet would
/// otherwise be passed over for good.
pub const FOLD_LAG_SECS: i64 = 5;

/// Audit events folded per transaction.
const FOLD_BATCH: i64 = 10_000;

/// Folds every audit event not folded yet (the sweep does this every five
/// minutes; a view of Progress does it for what came since). Returns how
/// many events were taken.
pub async fn fold(app: &AppState) -> Result<usize, sqlx::Error> {
    let cutoff = app.clock.now() - FOLD_LAG_SECS;
    let mut total = 0;
    loop {
        let n = app.store.fold_funnel(cutoff, FOLD_BATCH).await?;
        total += n;
        if n == 0 {
            return Ok(total);
        }
    }
}

/// [`fold`] in a task of its own, awaited: a page whose request is dropped
/// midway (the browser went away, the render finished without it) must not
/// drop the fold's transaction with the write lock held.
async fn fold_apart(app: &AppState) -> Result<usize, Stop> {
    let app = app.clone();
    match tokio::spawn(async move { fold(&app).await }).await {
        Ok(folded) => Ok(folded?),
        Err(e) => {
            tracing::error!(error = %e, "the funnel's fold stopped");
            Ok(0)
        }
    }
}

/// The funnel of the wizards begun in `[from, to)` (UTC seconds, whole
/// days), from the folded figures of those days.
pub async fn funnel(app: &AppState, from: i64, to: i64) -> Result<Funnel, Stop> {
    fold_apart(app).await?;
    let steps = app
        .store
        .funnel_figures(from.div_euclid(86_400), (to - 1).div_euclid(86_400))
        .await?;
    Ok(Funnel {
        from_links: app.store.funnel_from_links(from, to).await?,
        ..figures(&steps)
    })
}

/// The page's figures from the period's sums, step by step.
pub fn figures(steps: &[StepFigures]) -> Funnel {
    Funnel {
        from: String::new(),
        to: String::new(),
        begun: steps.first().map_or(0, |s| s.reached),
        steps: STEPS
            .iter()
            .zip(steps)
            .map(|(key, s)| FunnelStep {
                key: key.to_string(),
                reached: s.reached,
                stopped: s.stopped,
                median_secs: s.median_secs(),
            })
            .collect(),
        from_links: (0, 0),
    }
}
