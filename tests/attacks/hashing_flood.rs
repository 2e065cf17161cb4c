//! The hashing pool under a flood of password checks.

use super::*;

pub(crate) async fn hashing_flood(db: Db) {
    let Some(app) = app(db).await else { return };
    // One hash, measured here: the unit of the figures below.
    let t = Instant::now();
    for _ in 0..5 {
        app.state.hasher.hash("x".into()).await;
    }
    let t_h = t.elapsed() / 5;
    // 80 password checks at once (sign-in attempts, unknown logins)...
    let flood_started = Instant::now();
    let mut set = all_at_once(
        &app,
        "/api/sign_in",
        (0..80)
            .map(|i| {
                (
                    Browser::new(&app).client,
                    vec![
                        ("username", format!("flood{i}")),
                        ("password", "x".to_string()),
                    ],
                )
            })
            .collect(),
    );
    // ...while a cheap request (the sign-in page) is timed.
    tokio::time::sleep(t_h * 2).await;
    let mut cheap = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let p = Browser::new(&app).get("/").await;
        assert_eq!(p.status, 200);
        cheap.push(t.elapsed());
    }
    let cheap_done = flood_started.elapsed();
    while set.join_next().await.is_some() {}
    let flood = flood_started.elapsed();
    let p50 = median(cheap.clone());
    println!("    hashing flood: t_h {t_h:?}, 80 checks took {flood:?}, cheap page p50 {p50:?}, max {:?}", cheap.iter().max().unwrap());
    stopped_if(
        "a flood of password checks stalls the other pages",
        cheap_done < flood && p50 * 4 < flood,
        format!("page p50 {p50:?} vs flood {flood:?}"),
    );

    // More than the pool takes: the excess is refused at once (429 with
    // Retry-After), never queued without bound.
    let max = app.state.hasher.max_admitted();
    let n = max + 150;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let client = Browser::new(&app).client;
        let url = format!("{}/api/sign_in", app.base);
        let origin = app.base.clone();
        set.spawn(async move {
            let t = Instant::now();
            let r = client
                .post(url)
                .header("origin", origin)
                .form(&[("username", format!("flood{i}")), ("password", "x".into())])
                .send()
                .await
                .unwrap();
            let retry = r.headers().contains_key("retry-after");
            (r.status().as_u16(), retry, t.elapsed())
        });
    }
    let mut peak = 0;
    let mut results = Vec::new();
    while !set.is_empty() {
        peak = peak.max(app.state.hasher.waiting());
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(5)) => {}
            r = set.join_next() => { if let Some(r) = r { results.push(r.unwrap()); } }
        }
    }
    let refused: Vec<_> = results.iter().filter(|r| r.0 == 429).collect();
    let served: Vec<Duration> = results.iter().filter(|r| r.0 == 303).map(|r| r.2).collect();
    let slowest_refusal = refused.iter().map(|r| r.2).max().unwrap_or_default();
    println!(
        "    excess: {n} at once, {} served (p50 {:?}), {} refused (slowest {slowest_refusal:?}), peak queue {peak} of {max}",
        served.len(),
        median(served.clone()),
        refused.len()
    );
    stopped_if(
        "more password checks than the pool takes",
        !refused.is_empty()
            && refused.iter().all(|r| r.1)
            && results.iter().all(|r| r.0 == 303 || r.0 == 429)
            && peak <= max
            && slowest_refusal < median(served.clone()),
        format!("{} refused, peak {peak}", refused.len()),
    );
    app.cleanup().await;
}
