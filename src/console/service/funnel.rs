//! The wizard funnel on the Progress page (issue 17): of the wizards begun
//! in a period, how many reached each step, how many stopped there, and the
//! median time spent at each step, read from the audit trail (each step's
//! first event that moved the wizard on).

use crate::console::{Funnel, FunnelStep};
use crate::flow::Stop;
use crate::state::AppState;
use crate::store::FunnelEvent;

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

/// Which step an event shows a wizard got through: a lookup that was taken
/// (matched, or a decoy) Account Lookup; a right answer or PIN (or support
/// code) Account Verification; a code sent Email; a right code Security
/// Code; a right password Verify Username and Password; a finish that
/// merged the review.
fn done(e: &FunnelEvent) -> Option<usize> {
    match (e.action.as_str(), e.outcome.as_str()) {
        ("lookup_account", "matched" | "no match (decoy)") => Some(0),
        ("verify_security_answer", o) if o.starts_with("ok") => Some(1),
        ("send_email_code", "sent") => Some(2),
        ("verify_email_code", "ok") => Some(3),
        ("verify_legacy_password", o) if o.starts_with("ok") => Some(4),
        ("finish", "merged") => Some(5),
        _ => None,
    }
}

/// The funnel of the wizards begun in `[from, to)` (UTC seconds).
pub async fn funnel(app: &AppState, from: i64, to: i64) -> Result<Funnel, Stop> {
    let events = app.store.funnel_events(from, to).await?;
    Ok(figures(&events))
}

/// The figures of `events` (each a wizard's first event of an action and
/// outcome). A wizard reaches a step when it gets through the one before
/// (Account Lookup when it first sends one); the time at a step runs from
/// reaching it to getting through it. A wizard whose address was verified
/// already goes from Account Verification to Verify Username and Password:
/// seen when it gets through the password with no code sent. (One that
/// stops at the password step before that is counted at Email.)
pub fn figures(events: &[FunnelEvent]) -> Funnel {
    use std::collections::HashMap;
    let earliest = |slot: &mut Option<i64>, at: i64| *slot = Some(slot.map_or(at, |t| t.min(at)));
    let mut flows: HashMap<&str, (Option<i64>, [Option<i64>; 6])> = HashMap::new();
    for e in events {
        let (begun, through) = flows.entry(e.flow_id.as_str()).or_default();
        if e.action == "lookup_account" {
            earliest(begun, e.at);
        }
        if let Some(i) = done(e) {
            earliest(&mut through[i], e.at);
        }
    }
    let mut reached_n = [0i64; 7];
    let mut stopped = [0i64; 7];
    let mut times: [Vec<i64>; 7] = Default::default();
    for (begun, through) in flows.values() {
        let skipped = through[2].is_none() && through[4].is_some();
        let reached: [Option<i64>; 7] = [
            *begun,
            through[0],
            through[1].filter(|_| !skipped),
            through[2],
            if skipped { through[1] } else { through[3] },
            through[4],
            through[5],
        ];
        let mut furthest = None;
        for (i, at) in reached.iter().enumerate() {
            let Some(at) = at else { continue };
            reached_n[i] += 1;
            furthest = Some(i);
            if let Some(out) = through.get(i).copied().flatten() {
                times[i].push((out - at).max(0));
            }
        }
        if let Some(i) = furthest.filter(|i| *i < 6) {
            stopped[i] += 1;
        }
    }
    let steps = STEPS
        .iter()
        .enumerate()
        .map(|(i, key)| FunnelStep {
            key: key.to_string(),
            reached: reached_n[i],
            stopped: stopped[i],
            median_secs: median(&mut times[i]),
        })
        .collect();
    Funnel {
        from: String::new(),
        to: String::new(),
        begun: reached_n[0],
        steps,
    }
}

fn median(v: &mut [i64]) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(flow: &str, action: &str, outcome: &str, at: i64) -> FunnelEvent {
        FunnelEvent {
            flow_id: flow.into(),
            action: action.into(),
            outcome: outcome.into(),
            at,
        }
    }

    #[test]
    fn reached_stopped_and_medians() {
        let events = [
            // a: the whole way, with the email steps.
            ev("a", "lookup_account", "matched", 0),
            ev("a", "verify_security_answer", "ok", 30),
            ev("a", "send_email_code", "sent", 90),
            ev("a", "verify_email_code", "ok", 150),
            ev("a", "verify_legacy_password", "ok", 200),
            ev("a", "finish", "merged", 210),
            // b: a wrong TIN shape first, then stops at Account Verification.
            ev("b", "lookup_account", "invalid input", 0),
            ev("b", "lookup_account", "matched", 20),
            ev("b", "verify_security_answer", "wrong", 40),
            // c: stops at Email.
            ev("c", "lookup_account", "no match (decoy)", 0),
            ev("c", "verify_security_answer", "ok: support code", 50),
        ];
        let f = figures(&events);
        let reached: Vec<i64> = f.steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [3, 3, 2, 1, 1, 1, 1]);
        let stopped: Vec<i64> = f.steps.iter().map(|s| s.stopped).collect();
        assert_eq!(stopped, [0, 1, 1, 0, 0, 0, 0]);
        assert_eq!(f.begun, 3);
        // At Account Lookup: 0 (a), 20 (b), 0 (c) -> 0.
        assert_eq!(f.steps[0].median_secs, Some(0));
        // At Account Verification: 30 (a), 50 (c) -> 40; b never left it.
        assert_eq!(f.steps[1].median_secs, Some(40));
        assert_eq!(f.steps[2].median_secs, Some(60));
        assert_eq!(f.steps[6].median_secs, None);
    }

    #[test]
    fn a_verified_address_skips_the_email_steps() {
        let events = [
            ev("a", "lookup_account", "matched", 0),
            ev("a", "verify_security_answer", "ok", 10),
            ev("a", "verify_legacy_password", "ok", 70),
        ];
        let f = figures(&events);
        assert_eq!(f.steps[1].median_secs, Some(10));
        assert_eq!(f.steps[2].reached, 0);
        assert_eq!(f.steps[4].reached, 1, "Verify Username and Password");
        assert_eq!(f.steps[4].median_secs, Some(60));
        assert_eq!(f.steps[5].reached, 1);
        assert_eq!(f.steps[5].stopped, 1, "stopped at the review, not finished");
    }
}
