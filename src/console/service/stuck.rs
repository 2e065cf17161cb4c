//! Stuck: wizards and recovery flows idle at a step, grouped by step, with
//! their ages (never a secret: a step, times, and the old account's
//! username once the flow has found it).

use super::page;
use crate::console::{Console, Stuck, StuckLine, StuckRow};
use crate::domain::Action;
use crate::state::AppState;
use crate::web::Ctx;

/// Idle this long by default: a third of a flow's 15 minutes.
pub const DEFAULT_MINUTES: i64 = 5;

/// The Stuck page: flows idle `minutes` or longer (1 to 60).
pub async fn stuck(app: &AppState, ctx: &Ctx, minutes: i64) -> Console<Stuck> {
    let minutes = minutes.clamp(1, 60);
    page(app, ctx, Action::Read, "ops/stuck", async {
        let now = app.clock.now();
        let since = now - minutes * 60;
        let mins = |secs: i64| secs / 60;
        let groups = app
            .store
            .stuck_groups(now, since)
            .await?
            .into_iter()
            .map(|g| StuckLine {
                kind: g.kind,
                step: g.step,
                flows: g.flows,
                longest: mins(g.longest_idle),
                shortest: mins(g.shortest_idle),
            })
            .collect();
        let flows = app
            .store
            .stuck_flows(now, since, 100)
            .await?
            .into_iter()
            .map(|f| StuckRow {
                kind: f.kind,
                step: f.step,
                idle: mins(f.idle),
                age: mins(f.age),
                account: f.account.unwrap_or_default(),
            })
            .collect();
        Ok(Stuck {
            minutes,
            groups,
            flows,
        })
    })
    .await
}
