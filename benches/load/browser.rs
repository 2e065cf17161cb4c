//! make bench's figures measured in Chromium: Lighthouse, and the
//! in-place navigation against a full page load of the same step, and the
//! INP while typing into a checked field (end2end/bench/navigation.mjs).

use super::Report;

/// The server names its JS and WASM from hash.txt next to its binary, where
/// `cargo leptos build --release` leaves it (target/release); this program
/// runs from target/release/deps, so it gets a copy, and the pages it serves
/// load the release JS and WASM that the browser figures need.
pub(crate) fn use_release_asset_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let from = root.join("target/release/hash.txt");
    let to = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join("hash.txt")));
    if let (true, Some(to)) = (from.exists(), to) {
        let _ = std::fs::copy(from, to);
    }
}

/// Lighthouse (mobile preset) on the sign-in page and Account Lookup.
pub(crate) fn lighthouse(report: &mut Report, base: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("end2end/node_modules/.bin/lighthouse");
    if !bin.exists() {
        println!(
            "  Lighthouse: not installed (scripts/setup.sh test installs it in end2end/); skipped"
        );
        return;
    }
    for (name, path) in [("sign-in", "/"), ("Account Lookup", "/wizard/lookup")] {
        let out = root.join(format!(
            "target/bench/lighthouse-{}.json",
            name.replace(' ', "-")
        ));
        let status = std::process::Command::new(&bin)
            .arg(format!("{base}{path}"))
            .args(["--output=json", "--quiet", "--only-categories=performance"])
            .arg(format!("--output-path={}", out.display()))
            .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run")
            .env("CHROME_PATH", "/usr/bin/chromium")
            .status();
        let json: Option<serde_json::Value> = status
            .ok()
            .filter(|s| s.success())
            .and_then(|_| std::fs::read_to_string(&out).ok())
            .and_then(|t| serde_json::from_str(&t).ok());
        let Some(j) = json else {
            println!("  Lighthouse on {name}: did not run");
            continue;
        };
        let audit = |id: &str| j["audits"][id]["numericValue"].as_f64().unwrap_or(f64::NAN);
        let score = j["categories"]["performance"]["score"]
            .as_f64()
            .unwrap_or(f64::NAN)
            * 100.0;
        report.add(
            &format!("Lighthouse mobile, {name}"),
            format!(
                "performance {score:.0}, LCP {:.2} s, CLS {:.3}, TBT {:.0} ms",
                audit("largest-contentful-paint") / 1000.0,
                audit("cumulative-layout-shift"),
                audit("total-blocking-time")
            ),
            "-".into(),
            "-".into(),
            "performance >= 98, LCP <= 1.0 s, CLS 0, TBT <= 50 ms",
        );
    }
}

/// end2end/bench/navigation.mjs: Next on Account Lookup shown in place
/// against the same step as a full page load (the same browser with the
/// app's JS and WASM not served), each timed in the page from the press to
/// the first frame with the new heading; medians of the same run. And the
/// INP while typing.
pub(crate) fn navigation(report: &mut Report, base: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("end2end/node_modules/@playwright/test").exists() {
        println!("  navigation in Chromium: Playwright not installed; skipped");
        return;
    }
    let out = std::process::Command::new("node")
        .arg("bench/navigation.mjs")
        .arg(base)
        .arg("15")
        .current_dir(root.join("end2end"))
        .output();
    let (json, err): (Option<serde_json::Value>, String) = match out {
        Ok(o) => (
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .last()
                .and_then(|l| serde_json::from_str(l).ok()),
            String::from_utf8_lossy(&o.stderr)
                .chars()
                .take(600)
                .collect(),
        ),
        Err(e) => (None, e.to_string()),
    };
    let Some(j) = json else {
        println!("  navigation in Chromium: did not run: {err}");
        return;
    };
    let f = |k: &str| j[k].as_f64().unwrap_or(f64::NAN);
    let (in_place, full) = (f("in_place_ms"), f("full_load_ms"));
    report.add(
        "Next on Account Lookup to the next heading visible, in place (median of 15)",
        format!("{in_place:.0} ms"),
        format!("the same step as a full page load: {full:.0} ms"),
        format!("{:.2}", in_place / full),
        "<= 0.6",
    );
    let (inp, over) = (f("inp_ms"), f("inp_over_16ms"));
    report.add(
        "INP while typing a TIN into a field that shows a message (each key checked)",
        if over > 0.0 {
            format!("{inp:.0} ms")
        } else {
            "under 16 ms (no interaction reached the 16 ms threshold)".into()
        },
        "-".into(),
        format!("{:.2} of the budget", inp.max(16.0) / 100.0),
        "<= 100 ms",
    );
}
