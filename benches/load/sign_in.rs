//! Sign-ins near the hashing limit (issue 31): offered at 1.5x what the
//! hashing pool can check, from many logins (each once, a new browser
//! each) and from one login signed in to by eight clients at once, each
//! again as soon as answered. A correct sign-in is never refused: any
//! answer but the signed-in page counts as refused.

use super::*;

/// What a load of sign-ins got.
#[derive(Default)]
pub(crate) struct Signed {
    pub(crate) done: usize,
    pub(crate) refused: usize,
}

/// `count` logins named `{prefix}{i}`, all with the bench's password.
pub(crate) async fn make_logins(run: &Running, prefix: &str, count: usize) {
    let hash = auth::hash_blocking(PASSWORD);
    for i in 0..count {
        let name = format!("{prefix}{i}");
        sqlx::query(
            "INSERT INTO portal_users (username, username_key, password_hash, email, created_at) VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(&name)
        .bind(&name)
        .bind(&hash)
        .bind(format!("{name}@bench.example"))
        .execute(run.state.store.pool())
        .await
        .expect("a bench login");
    }
}

/// One sign-in with the right password; a 429 waits its Retry-After and
/// tries again, as a person would. Whether it signed in.
async fn sign_in(c: &reqwest::Client, base: &str, name: &str) -> bool {
    let to = post(
        c,
        base,
        "/api/sign_in",
        &[("username", name), ("password", PASSWORD)],
    )
    .await;
    matches!(to.as_deref(), Some("/accounts") | Some("/security/protect"))
}

/// A client without cookies: each sign-in is a new browser's, on a kept
/// connection.
fn cookieless() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(4)
        .build()
        .unwrap()
}

/// Sign-ins started at `rate` per second for `secs`, login
/// `{prefix}{first + k}` for the k-th; completed per second over the time
/// until the last one ended.
pub(crate) async fn offered(
    base: &str,
    prefix: &str,
    first: usize,
    rate: f64,
    secs: f64,
) -> (f64, Signed) {
    let n = (rate * secs).round() as usize;
    let started = Instant::now();
    let c = cookieless();
    let (done, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tasks = Vec::new();
    for k in 0..n {
        let at = Duration::from_secs_f64(k as f64 / rate);
        let (c, base, done, refused) = (c.clone(), base.to_string(), done.clone(), refused.clone());
        let name = format!("{prefix}{}", first + k);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + at)).await;
            let counter = if sign_in(&c, &base, &name).await {
                done
            } else {
                refused
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let signed = Signed {
        done: done.load(Ordering::Relaxed),
        refused: refused.load(Ordering::Relaxed),
    };
    (signed.done as f64 / started.elapsed().as_secs_f64(), signed)
}

/// `clients` clients signing in until `until`, each again as soon as
/// answered, to the logins of `logins` in turn (one login when it holds one).
pub(crate) async fn closed_loop(
    base: &str,
    prefix: &str,
    logins: std::ops::Range<usize>,
    clients: usize,
    until: Instant,
) -> Signed {
    let next = Arc::new(AtomicUsize::new(0));
    let (done, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (base, prefix, logins, next, done, refused) = (
            base.to_string(),
            prefix.to_string(),
            logins.clone(),
            next.clone(),
            done.clone(),
            refused.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let c = cookieless();
            while Instant::now() < until {
                let i = logins.start + next.fetch_add(1, Ordering::Relaxed) % logins.len();
                let counter = if sign_in(&c, &base, &format!("{prefix}{i}")).await {
                    &done
                } else {
                    &refused
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Signed {
        done: done.load(Ordering::Relaxed),
        refused: refused.load(Ordering::Relaxed),
    }
}

/// How long each run offers sign-ins.
const SECS: f64 = 4.0;

/// The two figures on `run`'s database (`db` names it), three runs each,
/// t_h measured again before each run.
pub(crate) async fn figures(report: &mut Report, run: &Running, db: &str, t_h0: f64, cores: usize) {
    // Logins enough for three runs at 1.5x, with room for a faster machine.
    let per_run = (1.5 * cores as f64 / t_h0 * SECS * 1.5) as usize + 20;
    make_logins(run, "many", per_run * RUNS).await;
    make_logins(run, "one", 1).await;
    let (mut many, mut one) = (Runs::default(), Runs::default());
    let (mut many_rates, mut one_rates) = (Vec::new(), Vec::new());
    let (mut refused, mut offered_total) = (0, 0);
    for r in 0..RUNS {
        let t_h = pool_t_h(cores);
        let rate = (1.5 * cores as f64 / t_h).min(per_run as f64 / SECS);
        let (got, signed) = offered(&run.base, "many", r * per_run, rate, SECS).await;
        // t_h before and after the run.
        let limit = cores as f64 / ((t_h + pool_t_h(cores)) / 2.0);
        refused += signed.refused;
        offered_total += signed.done + signed.refused;
        many.push(got / limit);
        many_rates.push(got);
        let t_h = pool_t_h(cores);
        let started = Instant::now();
        let signed = closed_loop(
            &run.base,
            "one",
            0..1,
            8,
            started + Duration::from_secs_f64(SECS),
        )
        .await;
        let limit = cores as f64 / ((t_h + pool_t_h(cores)) / 2.0);
        refused += signed.refused;
        one.push(signed.done as f64 / started.elapsed().as_secs_f64() / limit);
        one_rates.push(signed.done as f64 / started.elapsed().as_secs_f64());
    }
    report.runs(
        &format!("sign-ins/s offered at 1.5x the hashing limit, many logins, each once ({db})"),
        &format!("{} sign-ins/s; {refused} of {offered_total} refused over the runs (both figures)", Runs(many_rates).said(1)),
        &format!("limit = {cores} cores / t_h with every core hashing, measured before and after each run: {:.1} sign-ins/s at the start", cores as f64 / t_h0),
        &many,
        Budget::AtLeast(0.9),
        "",
    );
    report.runs(
        &format!("sign-ins/s to one login by eight clients at once, each again as soon as answered ({db})"),
        &format!("{} sign-ins/s", Runs(one_rates).said(1)),
        "the same limit",
        &one,
        Budget::AtLeast(0.9),
        "",
    );
}
