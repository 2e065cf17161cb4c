//! The wizard funnel's arithmetic (issue 17), pure: a wizard's summary as
//! its audit events are seen, what it adds to the figures of the day it
//! began, and those figures (reached, went no further, the times spent at
//! each step as a histogram) summed over a period. The store folds the
//! audit trail into these a batch at a time; the Progress page reads only
//! the days of its period.

use std::collections::BTreeMap;

/// The wizard's steps: Account Lookup ... Thank You.
pub const FUNNEL_STEPS: usize = 7;

/// One wizard: when it began (its first Account Lookup), and when it first
/// got through each step: a lookup taken (matched, or a decoy), a right
/// answer, PIN or support code, a code sent, a right code, a right
/// password, a finish that merged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FunnelWizard {
    pub begun: Option<i64>,
    pub through: [Option<i64>; 6],
}

/// The audit actions a wizard's summary is made of.
pub const FUNNEL_ACTIONS: [&str; 6] = [
    "lookup_account",
    "verify_security_answer",
    "send_email_code",
    "verify_email_code",
    "verify_legacy_password",
    "finish",
];

fn earliest(slot: &mut Option<i64>, at: i64) -> bool {
    match slot {
        Some(t) if *t <= at => false,
        _ => {
            *slot = Some(at);
            true
        }
    }
}

impl FunnelWizard {
    /// Takes one of the wizard's audit events into account; true when the
    /// summary changed.
    pub fn see(&mut self, at: i64, action: &str, outcome: &str) -> bool {
        let step = match action {
            "lookup_account" => {
                let begun = earliest(&mut self.begun, at);
                let taken = matches!(outcome, "matched" | "no match (decoy)")
                    && earliest(&mut self.through[0], at);
                return begun || taken;
            }
            "verify_security_answer" if outcome.starts_with("ok") => 1,
            "send_email_code" if outcome == "sent" => 2,
            "verify_email_code" if outcome == "ok" => 3,
            "verify_legacy_password" if outcome.starts_with("ok") => 4,
            "finish" if outcome == "merged" => 5,
            _ => return false,
        };
        earliest(&mut self.through[step], at)
    }

    /// What the wizard adds to the figures of the day it began; nothing
    /// before its first Account Lookup. A wizard reaches a step when it gets
    /// through the one before (Account Lookup when it first sends one); the
    /// time at a step runs from reaching it to getting through it. A wizard
    /// whose address was verified already goes from Account Verification to
    /// Verify Username and Password: seen when it gets through the password
    /// with no code sent. (One that stops at the password step before that
    /// is counted at Email.)
    pub fn contribution(&self) -> Option<Contribution> {
        let begun = self.begun?;
        let through = &self.through;
        let skipped = through[2].is_none() && through[4].is_some();
        let reached_at: [Option<i64>; FUNNEL_STEPS] = [
            Some(begun),
            through[0],
            through[1].filter(|_| !skipped),
            through[2],
            if skipped { through[1] } else { through[3] },
            through[4],
            through[5],
        ];
        let mut c = Contribution {
            day: begun.div_euclid(86_400),
            reached: [false; FUNNEL_STEPS],
            stopped: None,
            times: [None; FUNNEL_STEPS],
        };
        for (i, at) in reached_at.iter().enumerate() {
            let Some(at) = at else { continue };
            c.reached[i] = true;
            c.stopped = Some(i).filter(|i| *i < FUNNEL_STEPS - 1);
            if let Some(out) = through.get(i).copied().flatten() {
                c.times[i] = Some((out - at).max(0));
            }
        }
        Some(c)
    }
}

/// One wizard's share of its begin day's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// The UTC day it began (days since 1970).
    pub day: i64,
    pub reached: [bool; FUNNEL_STEPS],
    /// The furthest step it reached, unless it finished.
    pub stopped: Option<usize>,
    /// Seconds spent at each step it got through.
    pub times: [Option<i64>; FUNNEL_STEPS],
}

/// The figures of one step: of one day, a change to them, or a period's sum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepFigures {
    pub reached: i64,
    pub stopped: i64,
    /// Times at the step: bucket -> wizards.
    pub times: BTreeMap<u32, i64>,
}

/// Seconds below this are kept exactly; above, in buckets 2% wide.
const EXACT_SECS: i64 = 600;

/// The histogram bucket of `secs` spent at a step.
pub fn time_bucket(secs: i64) -> u32 {
    let secs = secs.max(0);
    if secs < EXACT_SECS {
        return secs as u32;
    }
    let above = ((secs as f64) / EXACT_SECS as f64).ln() / 1.02f64.ln();
    EXACT_SECS as u32 + above.floor().min(2_000.0) as u32
}

/// The seconds a bucket stands for (its middle, above ten minutes).
pub fn bucket_secs(bucket: u32) -> i64 {
    if i64::from(bucket) < EXACT_SECS {
        return i64::from(bucket);
    }
    let above = f64::from(bucket) - EXACT_SECS as f64 + 0.5;
    (EXACT_SECS as f64 * 1.02f64.powf(above)).round() as i64
}

impl StepFigures {
    /// Adds `other` (a day's figures, or a change) to these.
    pub fn add(&mut self, other: &StepFigures) {
        self.reached += other.reached;
        self.stopped += other.stopped;
        for (b, n) in &other.times {
            *self.times.entry(*b).or_default() += n;
        }
        self.times.retain(|_, n| *n != 0);
    }

    /// The histogram as stored: `bucket:count` pairs separated by spaces.
    pub fn times_text(&self) -> String {
        self.times
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(b, n)| format!("{b}:{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The histogram from its stored text (pairs it cannot read are left
    /// out).
    pub fn times_from_text(text: &str) -> BTreeMap<u32, i64> {
        text.split_ascii_whitespace()
            .filter_map(|pair| {
                let (b, n) = pair.split_once(':')?;
                Some((b.parse().ok()?, n.parse().ok()?))
            })
            .collect()
    }

    /// The median time at the step (the mean of the two middle values for
    /// an even count, as for a list), none when no wizard got through.
    pub fn median_secs(&self) -> Option<i64> {
        let n: i64 = self.times.values().filter(|n| **n > 0).sum();
        if n <= 0 {
            return None;
        }
        let at_rank = |rank: i64| {
            let mut seen = 0;
            for (b, count) in self.times.iter().filter(|(_, c)| **c > 0) {
                seen += count;
                if seen > rank {
                    return bucket_secs(*b);
                }
            }
            0
        };
        Some((at_rank((n - 1) / 2) + at_rank(n / 2)) / 2)
    }
}

/// The change to (day, step) figures when a wizard's contribution goes from
/// `old` to `new`, added into `into`.
pub fn fold_change(
    old: Option<&Contribution>,
    new: Option<&Contribution>,
    into: &mut BTreeMap<(i64, usize), StepFigures>,
) {
    for (c, sign) in [(old, -1), (new, 1)] {
        let Some(c) = c else { continue };
        for i in 0..FUNNEL_STEPS {
            let f = into.entry((c.day, i)).or_default();
            if c.reached[i] {
                f.reached += sign;
            }
            if c.stopped == Some(i) {
                f.stopped += sign;
            }
            if let Some(t) = c.times[i] {
                *f.times.entry(time_bucket(t)).or_default() += sign;
            }
        }
    }
    into.retain(|_, f| f.reached != 0 || f.stopped != 0 || f.times.values().any(|n| *n != 0));
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

    fn period(wizards: &[FunnelWizard]) -> Vec<StepFigures> {
        let mut days = BTreeMap::new();
        for w in wizards {
            fold_change(None, w.contribution().as_ref(), &mut days);
        }
        let mut steps = vec![StepFigures::default(); FUNNEL_STEPS];
        for ((_, i), f) in days {
            steps[i].add(&f);
        }
        steps
    }

    #[test]
    fn reached_stopped_and_medians() {
        let steps = period(&[
            // a: the whole way, with the email steps.
            w(0, &[(0, 0), (1, 30), (2, 90), (3, 150), (4, 200), (5, 210)]),
            // b: a wrong TIN shape first, matched at 20, then a wrong answer.
            w(0, &[(0, 20)]),
            // c: a decoy, then a right answer (a support code) at 50.
            w(0, &[(0, 0), (1, 50)]),
            // d: a TIN typed wrong, nothing more.
            w(5, &[]),
        ]);
        let reached: Vec<i64> = steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [4, 3, 2, 1, 1, 1, 1]);
        let stopped: Vec<i64> = steps.iter().map(|s| s.stopped).collect();
        assert_eq!(stopped, [1, 1, 1, 0, 0, 0, 0]);
        // At Account Lookup: 0 (a), 20 (b), 0 (c) -> 0; d never got through.
        assert_eq!(steps[0].median_secs(), Some(0));
        // At Account Verification: 30 (a), 50 (c) -> 40; b never left it.
        assert_eq!(steps[1].median_secs(), Some(40));
        assert_eq!(steps[2].median_secs(), Some(60));
        assert_eq!(steps[6].median_secs(), None);
    }

    #[test]
    fn a_verified_address_skips_the_email_steps() {
        let steps = period(&[w(0, &[(0, 0), (1, 10), (4, 70)])]);
        assert_eq!(steps[1].median_secs(), Some(10));
        assert_eq!(steps[2].reached, 0);
        assert_eq!(steps[4].reached, 1, "Verify Username and Password");
        assert_eq!(steps[4].median_secs(), Some(60));
        assert_eq!(steps[5].reached, 1);
        assert_eq!(steps[5].stopped, 1, "stopped at the review, not finished");
    }

    #[test]
    fn a_wizard_seen_again_moves_its_figures_and_leaves_no_trace_behind() {
        // Seen in two batches: first at Account Verification, then through
        // the password with no code sent (so Email was never reached).
        let mut wiz = FunnelWizard::default();
        assert!(wiz.see(100, "lookup_account", "matched"));
        assert!(wiz.see(130, "verify_security_answer", "ok: pin"));
        assert!(!wiz.see(140, "verify_security_answer", "wrong"));
        let first = wiz.contribution();
        let mut days = BTreeMap::new();
        fold_change(None, first.as_ref(), &mut days);
        assert_eq!(days[&(0, 2)].stopped, 1, "counted at Email for now");
        assert!(wiz.see(200, "verify_legacy_password", "ok"));
        assert!(!wiz.see(300, "lookup_account", "matched"), "not earlier");
        let second = wiz.contribution();
        fold_change(first.as_ref(), second.as_ref(), &mut days);
        assert!(!days.contains_key(&(0, 2)), "Email: nothing left");
        assert_eq!(days[&(0, 4)].reached, 1);
        assert_eq!(days[&(0, 5)].stopped, 1);
        assert_eq!(days[&(0, 4)].times[&70], 1);
        // Folding the same change back out leaves nothing at all.
        fold_change(second.as_ref(), None, &mut days);
        fold_change(None, first.as_ref(), &mut days);
        fold_change(first.as_ref(), None, &mut days);
        assert!(days.is_empty(), "{days:?}");
    }

    #[test]
    fn times_are_exact_below_ten_minutes_and_within_two_percent_above() {
        for secs in [0, 1, 59, 599] {
            assert_eq!(bucket_secs(time_bucket(secs)), secs);
        }
        for secs in [600, 601, 3_600, 86_400, 30 * 86_400] {
            let back = bucket_secs(time_bucket(secs));
            let off = (back - secs).abs() as f64 / secs as f64;
            assert!(off <= 0.02, "{secs} -> {back}");
        }
        let mut f = StepFigures::default();
        f.times.insert(time_bucket(3_600), 3);
        f.times.insert(5, 2);
        let text = f.times_text();
        assert_eq!(StepFigures::times_from_text(&text), f.times);
        assert_eq!(
            StepFigures::times_from_text("x 5:2 7:"),
            BTreeMap::from([(5, 2)])
        );
        // 5, 5, 3600, 3600, 3600 -> the third: about an hour.
        let m = f.median_secs().unwrap();
        assert!((3_528..=3_672).contains(&m), "{m}");
    }
}
