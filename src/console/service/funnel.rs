//! The wizard funnel on the Progress page (issue 17): of the wizards begun
//! in a period, how many reached each step, how many stopped there, and the
//! median time spent at each step, read from the audit trail (each step's
//! first event that moved the wizard on).

use crate::console::{Funnel, FunnelStep};
use crate::flow::Stop;
use crate::state::AppState;
use crate::store::FunnelWizard;

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

/// The funnel of the wizards begun in `[from, to)` (UTC seconds).
pub async fn funnel(app: &AppState, from: i64, to: i64) -> Result<Funnel, Stop> {
    let wizards = app.store.funnel_wizards(from, to).await?;
    Ok(figures(&wizards))
}

/// The figures of `wizards` (store::FunnelWizard: when each began and got
/// through each step). A wizard reaches a step when it gets through the one
/// before (Account Lookup when it first sends one); the time at a step runs
/// from reaching it to getting through it. A wizard whose address was
/// verified already goes from Account Verification to Verify Username and
/// Password: seen when it gets through the password with no code sent. (One
/// that stops at the password step before that is counted at Email.)
pub fn figures(wizards: &[FunnelWizard]) -> Funnel {
    let mut reached_n = [0i64; 7];
    let mut stopped = [0i64; 7];
    let mut times: [Vec<i64>; 7] = Default::default();
    for FunnelWizard { begun, through } in wizards {
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

    /// A wizard that began at `begun` and got through steps at these times.
    fn w(begun: i64, through: &[(usize, i64)]) -> FunnelWizard {
        let mut f = FunnelWizard {
            begun: Some(begun),
            through: [None; 6],
        };
        for &(i, at) in through {
            f.through[i] = Some(at);
        }
        f
    }

    #[test]
    fn reached_stopped_and_medians() {
        let wizards = [
            // a: the whole way, with the email steps.
            w(0, &[(0, 0), (1, 30), (2, 90), (3, 150), (4, 200), (5, 210)]),
            // b: a wrong TIN shape first, matched at 20, then a wrong answer.
            w(0, &[(0, 20)]),
            // c: a decoy, then a right answer (a support code) at 50.
            w(0, &[(0, 0), (1, 50)]),
            // d: a TIN typed wrong, nothing more.
            w(5, &[]),
        ];
        let f = figures(&wizards);
        let reached: Vec<i64> = f.steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [4, 3, 2, 1, 1, 1, 1]);
        let stopped: Vec<i64> = f.steps.iter().map(|s| s.stopped).collect();
        assert_eq!(stopped, [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(f.begun, 4);
        // At Account Lookup: 0 (a), 20 (b), 0 (c) -> 0; d never got through.
        assert_eq!(f.steps[0].median_secs, Some(0));
        // At Account Verification: 30 (a), 50 (c) -> 40; b never left it.
        assert_eq!(f.steps[1].median_secs, Some(40));
        assert_eq!(f.steps[2].median_secs, Some(60));
        assert_eq!(f.steps[6].median_secs, None);
    }

    #[test]
    fn a_verified_address_skips_the_email_steps() {
        let f = figures(&[w(0, &[(0, 0), (1, 10), (4, 70)])]);
        assert_eq!(f.steps[1].median_secs, Some(10));
        assert_eq!(f.steps[2].reached, 0);
        assert_eq!(f.steps[4].reached, 1, "Verify Username and Password");
        assert_eq!(f.steps[4].median_secs, Some(60));
        assert_eq!(f.steps[5].reached, 1);
        assert_eq!(f.steps[5].stopped, 1, "stopped at the review, not finished");
    }
}
