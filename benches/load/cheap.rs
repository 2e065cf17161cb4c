//! Cheap requests (pages, a lookup step) timed while wrong sign-ins
//! saturate the hashing pool: one run of the figure.

use super::*;

/// Pages and lookup steps timed in each run, one at a time: a p99 of 1,800
/// samples is the 18th slowest (of 600 it was the 6th, and one stall more
/// or less moved the figure by half).
const PAGES: usize = 1200;
const STEPS: usize = 600;

/// One run: the cheap requests' p99 and a line of what happened.
pub(crate) async fn p99_while_hashing(run: &Running) -> (f64, String) {
    let base = run.base.clone();
    let pool = run.state.hasher.size();
    let flooding = Arc::new(AtomicBool::new(true));
    let floods = Arc::new(AtomicUsize::new(0));
    let flood_429 = Arc::new(AtomicUsize::new(0));
    let mut flood = Vec::new();
    for w in 0..(pool * 64 + 64) {
        let (c, base, flooding, floods, flood_429) = (
            client(),
            base.clone(),
            flooding.clone(),
            floods.clone(),
            flood_429.clone(),
        );
        flood.push(tokio::spawn(async move {
            while flooding.load(Ordering::Relaxed) {
                let s = c
                    .post(format!("{base}/api/sign_in"))
                    .form(&[
                        ("username", format!("flood{w}")),
                        ("password", "wrong".to_string()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                floods.fetch_add(1, Ordering::Relaxed);
                if s == 429 {
                    flood_429.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rescued = run.state.hasher.rescued();
    let pc = client();
    let mut lat = Vec::new();
    let saturated = run.state.hasher.waiting();
    for i in 0..PAGES {
        let path = if i % 2 == 0 { "/" } else { "/wizard/lookup" };
        let t = Instant::now();
        let ok = pc
            .get(format!("{base}{path}"))
            .send()
            .await
            .map(|r| r.status().is_success())
            .unwrap_or(false);
        if ok {
            lat.push(t.elapsed().as_secs_f64());
        }
    }
    // A lookup step (a POST that does not hash) as well.
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for i in 0..STEPS {
        let t = Instant::now();
        let ok = c
            .post(format!("{base}/api/wizard/lookup"))
            .form(&[
                ("username", format!("someone{i}")),
                ("tin", "123456789".to_string()),
            ])
            .send()
            .await
            .map(|r| r.status() == 303)
            .unwrap_or(false);
        if ok {
            lat.push(t.elapsed().as_secs_f64());
        }
    }
    flooding.store(false, Ordering::Relaxed);
    for f in flood {
        let _ = f.await;
    }
    let (mut pages, mut steps) = (
        lat[..lat.len().min(PAGES)].to_vec(),
        lat[lat.len().min(PAGES)..].to_vec(),
    );
    pages.sort_by(|a, b| a.partial_cmp(b).unwrap());
    steps.sort_by(|a, b| a.partial_cmp(b).unwrap());
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p99 = percentile(&lat, 0.99);
    let said = format!(
        "p50 {:.2} ms, pages p99 {:.2} ms, lookup steps p99 {:.2} ms, {} samples; queue {saturated} at start; flood {} requests, {} refused fast with 429; {} hashes rescued",
        percentile(&lat, 0.5) * 1e3,
        percentile(&pages, 0.99) * 1e3,
        percentile(&steps, 0.99) * 1e3,
        lat.len(),
        floods.load(Ordering::Relaxed),
        flood_429.load(Ordering::Relaxed),
        run.state.hasher.rescued() - rescued,
    );
    (p99, said)
}

/// Sign-ins while a flood of cheap requests keeps the cores busy: whether
/// hashing, which runs below everything else, still gets done. `clients`
/// load pages as fast as they are answered for `secs`, while eight
/// clients sign in (right password, many logins, each once); returns
/// sign-ins/s and pages/s.
pub(crate) async fn sign_ins_under_page_flood(
    run: &Running,
    prefix: &str,
    logins: std::ops::Range<usize>,
    clients: usize,
    secs: f64,
) -> (f64, f64, u64) {
    let base = run.base.clone();
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let pages = Arc::new(AtomicUsize::new(0));
    let rescued = run.state.hasher.rescued();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (c, base, pages) = (client(), base.clone(), pages.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                if c.get(format!("{base}/wizard/lookup"))
                    .send()
                    .await
                    .map(|r| r.status().is_success())
                    .unwrap_or(false)
                {
                    pages.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let started = Instant::now();
    let signed = super::sign_in::closed_loop(&base, prefix, logins, 8, until).await;
    for t in tasks {
        let _ = t.await;
    }
    let wall = started.elapsed().as_secs_f64();
    (
        signed.done as f64 / wall,
        pages.load(Ordering::Relaxed) as f64 / wall,
        run.state.hasher.rescued() - rescued,
    )
}
