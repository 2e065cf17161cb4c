//! The wizard funnel's figures, folded from the audit trail (issue 17): a
//! batch of events at a time, in one transaction, each wizard's summary is
//! brought up to date and the change in what it adds to the figures of the
//! day it began is written to `funnel_days`. The Progress page then reads
//! only the rows of its period's days (seven a day), whatever the size of
//! the trail.

use super::import::placeholders;
use super::{Backend, DbResult, Store};
use crate::domain::funnel::{fold_change, FunnelWizard, StepFigures, FUNNEL_ACTIONS};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// Summaries read or written per statement.
const PER_STATEMENT: usize = 500;

/// A `funnel_days` row (step, reached, stopped, times): its step and figures.
fn day_row(r: &sqlx::any::AnyRow) -> DbResult<(usize, StepFigures)> {
    let step: i64 = r.try_get("step")?;
    Ok((
        step as usize,
        StepFigures {
            reached: r.try_get("reached")?,
            stopped: r.try_get("stopped")?,
            times: StepFigures::times_from_text(r.try_get("times")?),
        },
    ))
}

impl Store {
    /// Folds up to `limit` audit events after the last one folded, stopping
    /// at the first written after `cutoff` (Unix seconds): an event that
    /// another transaction has numbered but not yet committed is then
    /// still to come. Returns how many events were taken (0: up to date).
    /// Concurrent folds (page views, the sweep, other instances) take
    /// turns: the watermark row is locked for the transaction.
    pub async fn fold_funnel(&self, cutoff: i64, limit: i64) -> DbResult<usize> {
        // Nothing to fold (the usual case for a page view): no write lock.
        // (The fold stops at the first event after the cutoff, so the first
        // event not folded tells.)
        let first: Option<i64> = sqlx::query(
            "SELECT at FROM audit_events WHERE id > (SELECT last_event_id FROM funnel_fold WHERE id = 1) \
             ORDER BY id LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        if first.is_none_or(|at| at > cutoff) {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        };
        let last: i64 = sqlx::query(&format!(
            "SELECT last_event_id FROM funnel_fold WHERE id = 1{lock}"
        ))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let rows = sqlx::query(
            "SELECT id, at, flow_id, action, outcome FROM audit_events \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(last)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut upto = last;
        let mut taken = 0;
        let mut events: Vec<(String, i64, String, String)> = Vec::new();
        for r in &rows {
            let at: i64 = r.try_get("at")?;
            if at > cutoff {
                break;
            }
            upto = r.try_get("id")?;
            taken += 1;
            let action: String = r.try_get("action")?;
            if !FUNNEL_ACTIONS.contains(&action.as_str()) {
                continue;
            }
            if let Some(flow) = r.try_get::<Option<String>, _>("flow_id")? {
                events.push((flow, at, action, r.try_get("outcome")?));
            }
        }
        if taken == 0 {
            super::rollback(tx).await?;
            return Ok(0);
        }
        // The summaries of the wizards in the batch, as folded so far.
        let mut flows: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
        flows.sort_unstable();
        flows.dedup();
        let mut before: HashMap<String, FunnelWizard> = HashMap::new();
        for chunk in flows.chunks(PER_STATEMENT) {
            let sql = format!(
                "SELECT flow_id, begun, t0, t1, t2, t3, t4, t5 FROM funnel_wizards WHERE flow_id IN ({})",
                placeholders(self.backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for f in chunk {
                q = q.bind(*f);
            }
            for r in q.fetch_all(&mut *tx).await? {
                let mut w = FunnelWizard {
                    begun: r.try_get(1)?,
                    ..Default::default()
                };
                for (i, t) in w.through.iter_mut().enumerate() {
                    *t = r.try_get(i + 2)?;
                }
                before.insert(r.try_get(0)?, w);
            }
        }
        let mut after = before.clone();
        let mut changed: Vec<&str> = Vec::new();
        for (flow, at, action, outcome) in &events {
            let w = after.entry(flow.clone()).or_default();
            if w.see(*at, action, outcome) {
                changed.push(flow);
            }
        }
        changed.sort_unstable();
        changed.dedup();
        let mut days: BTreeMap<(i64, usize), StepFigures> = BTreeMap::new();
        for flow in &changed {
            let old = before.get(*flow).and_then(|w| w.contribution());
            let new = after[*flow].contribution();
            fold_change(old.as_ref(), new.as_ref(), &mut days);
        }
        for chunk in changed.chunks(PER_STATEMENT) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(self.backend, i * 8 + 1, 8)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO funnel_wizards (flow_id, begun, t0, t1, t2, t3, t4, t5) VALUES {values} \
                 ON CONFLICT (flow_id) DO UPDATE SET begun = excluded.begun, t0 = excluded.t0, \
                 t1 = excluded.t1, t2 = excluded.t2, t3 = excluded.t3, t4 = excluded.t4, t5 = excluded.t5"
            );
            let mut q = sqlx::query(&sql);
            for flow in chunk {
                let w = &after[*flow];
                q = q.bind(*flow).bind(w.begun);
                for t in w.through {
                    q = q.bind(t);
                }
            }
            q.execute(&mut *tx).await?;
        }
        let mut day_list: Vec<i64> = days.keys().map(|(d, _)| *d).collect();
        day_list.dedup();
        for day in day_list {
            let mut stored: BTreeMap<usize, StepFigures> = BTreeMap::new();
            for r in
                sqlx::query("SELECT step, reached, stopped, times FROM funnel_days WHERE day = $1")
                    .bind(day)
                    .fetch_all(&mut *tx)
                    .await?
            {
                let (step, figures) = day_row(&r)?;
                stored.insert(step, figures);
            }
            for ((_, step), change) in days.range((day, 0)..=(day, usize::MAX)) {
                let f = stored.entry(*step).or_default();
                f.add(change);
                sqlx::query(
                    "INSERT INTO funnel_days (day, step, reached, stopped, times) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (day, step) DO UPDATE SET reached = excluded.reached, \
                     stopped = excluded.stopped, times = excluded.times",
                )
                .bind(day)
                .bind(*step as i64)
                .bind(f.reached)
                .bind(f.stopped)
                .bind(f.times_text())
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE funnel_fold SET last_event_id = $1 WHERE id = 1")
            .bind(upto)
            .execute(&mut *tx)
            .await?;
        super::commit(tx).await?;
        Ok(taken)
    }

    /// The funnel's figures of the wizards begun from day `first` to day
    /// `last` (UTC days since 1970, inclusive), step by step.
    pub async fn funnel_figures(&self, first: i64, last: i64) -> DbResult<Vec<StepFigures>> {
        let mut steps = vec![StepFigures::default(); crate::domain::funnel::FUNNEL_STEPS];
        for r in sqlx::query(
            "SELECT step, reached, stopped, times FROM funnel_days WHERE day >= $1 AND day <= $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&self.pool)
        .await?
        {
            let (step, figures) = day_row(&r)?;
            if let Some(s) = steps.get_mut(step) {
                s.add(&figures);
            }
        }
        Ok(steps)
    }

    /// Of the wizards begun in `[from, to)` (Unix seconds), those begun
    /// from a campaign's link (issue 32), and of these, those whose linked
    /// account has moved since.
    pub async fn funnel_from_links(&self, from: i64, to: i64) -> DbResult<(i64, i64)> {
        let r = sqlx::query(
            "SELECT COUNT(DISTINCT st.flow_id) AS begun, \
               COUNT(DISTINCT CASE WHEN la.consolidated_at >= st.at THEN st.flow_id END) AS moved \
             FROM campaign_starts st JOIN campaign_tokens t ON t.token_hash = st.token_hash \
             JOIN legacy_accounts la ON la.id = t.legacy_account_id \
             WHERE st.at >= $1 AND st.at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok((r.try_get("begun")?, r.try_get("moved")?))
    }
}
