//! The bench's server and load driver: the real server started on a fresh
//! database, one wizard walked through by HTTP, and offered or closed loads
//! of such flows and posts.

use super::*;

pub(crate) struct Running {
    pub(crate) base: String,
    pub(crate) state: AppState,
}

pub(crate) async fn start(
    database_url: &str,
    accounts: usize,
    hashes: &(String, String, String),
) -> Running {
    start_with(database_url, accounts, hashes, auth::Priority::Lowest).await
}

/// [`start`], with the hashing threads at `priority` (`Ordinary`: as
/// before issue 31, for the figures before and after in one run).
///
/// The server runs on a runtime of its own, on threads of its own, as it
/// would in a process of its own: the load generator's tasks (hundreds of
/// clients in some figures) then never wait in the server's run queue, nor
/// the server's in theirs; the two share the cores through the kernel's
/// scheduler, as a server and its clients on one machine do.
pub(crate) async fn start_with(
    database_url: &str,
    accounts: usize,
    hashes: &(String, String, String),
    priority: auth::Priority,
) -> Running {
    let (database_url, hashes) = (database_url.to_string(), hashes.clone());
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .thread_name("server")
                .enable_all()
                .build()
                .expect("the server's runtime");
            rt.block_on(async move {
                let (running, serving) = serve(&database_url, accounts, &hashes, priority).await;
                let _ = tx.send(running);
                serving.await
            })
        })
        .expect("the server's thread");
    rx.await.expect("the server starts")
}

/// Builds the server's state, writes the accounts and listens: what
/// [`start_with`] runs on the server's own runtime. Returns the server and
/// the future that serves it.
async fn serve(
    database_url: &str,
    accounts: usize,
    hashes: &(String, String, String),
    priority: auth::Priority,
) -> (
    Running,
    impl std::future::Future<Output = std::io::Result<()>>,
) {
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert("DATABASE_URL".into(), database_url.into());
    env.insert("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into());
    env.insert("LOAD_DEMO_DATA".into(), "1".into());
    // The per-address limits would stop a load generator on one address.
    for k in [
        "RATE_LIMIT_LOOKUPS",
        "RATE_LIMIT_PROOFS",
        "RATE_LIMIT_MAILS",
    ] {
        env.insert(k.into(), "100000000".into());
    }
    let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
    let opts = server::leptos_options(&settings).await;
    let mut state = server::build_state(settings, opts).await.expect("state");
    if priority != auth::Priority::Lowest {
        state.hasher = auth::HashPool::with_priority(state.hasher.size(), priority);
    }
    let (pw, answer, pin) = hashes;
    let practice = "Bench Practice";
    for i in 0..accounts {
        let username = format!("bench{i}");
        let tin = format!("{}", 700_000_000 + i);
        state
            .store
            .insert_legacy_account(
                NewLegacyAccount {
                    username: &username,
                    password_hash: pw.clone(),
                    tins: &[&tin],
                    question: "What's your maiden name?",
                    answer_hash: answer.clone(),
                    pin_hash: pin.clone(),
                    practice,
                    role: "Billing staff",
                    email: None,
                },
                &state.key,
            )
            .await
            .expect("insert a bench account");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // The bare handler behind the same layers as every route: it answers the
    // bytes `POST /api/wizard/state` answers when there is no wizard.
    let extra = axum::Router::new().route(
        "/bench/bare",
        axum::routing::post(|| async { ([("content-type", "application/json")], "\"None\"") }),
    );
    let app = server::router_with(state.clone(), extra);
    let serving = async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    };
    (Running { base, state }, serving)
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .pool_max_idle_per_host(64)
        .build()
        .unwrap()
}

// ---- one wizard flow -------------------------------------------------------------

/// Posts a form; on 429 waits `Retry-After` and tries again (as a person
/// would), up to 20 times. Returns the redirect's location.
pub(crate) async fn post(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> Option<String> {
    for _ in 0..20 {
        let r = c
            .post(format!("{base}{path}"))
            .form(form)
            .send()
            .await
            .ok()?;
        if r.status() == 429 {
            let wait: u64 = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(wait.min(5))).await;
            continue;
        }
        return r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
    }
    None
}

pub(crate) async fn flow(run: &Running, i: usize, tag: &str) -> bool {
    let c = client();
    let base = &run.base;
    let username = format!("bench{i}");
    let tin = format!("{}", 700_000_000 + i);
    let email = format!("bench{i}.{tag}@example.com");
    let steps = async {
        if post(
            &c,
            base,
            "/api/wizard/lookup",
            &[("username", &username), ("tin", &tin)],
        )
        .await?
            != "/wizard/verify"
        {
            return None;
        }
        if post(&c, base, "/api/wizard/verify", &[("answer", ANSWER)]).await? != "/wizard/email" {
            return None;
        }
        if post(
            &c,
            base,
            "/api/wizard/email",
            &[("email", &email), ("verify_email", &email)],
        )
        .await?
            != "/wizard/code"
        {
            return None;
        }
        let code = run
            .state
            .mailer
            .dev_mail(200)
            .into_iter()
            .find(|m| m.to == email)
            .and_then(|m| {
                let at = m.body.find("code is ")? + "code is ".len();
                Some(m.body[at..at + 6].to_string())
            })?;
        if post(&c, base, "/api/wizard/code", &[("code", &code)]).await? != "/wizard/password" {
            return None;
        }
        if post(
            &c,
            base,
            "/api/wizard/password",
            &[("username", &username), ("password", PASSWORD)],
        )
        .await?
            != "/wizard/accounts"
        {
            return None;
        }
        if post(&c, base, "/api/wizard/finish", &[]).await? != "/wizard/done" {
            return None;
        }
        Some(())
    };
    steps.await.is_some()
}

/// Flows started at `rate` per second for `secs`; returns completed flows
/// per second over the time until the last one ended.
pub(crate) async fn offered_load(
    run: &Arc<Running>,
    rate: f64,
    secs: f64,
    first: usize,
    tag: &str,
) -> (f64, usize, usize) {
    let n = (rate * secs).round() as usize;
    let started = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for k in 0..n {
        let at = Duration::from_secs_f64(k as f64 / rate);
        let run = run.clone();
        let done = done.clone();
        let tag = tag.to_string();
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + at)).await;
            if flow(&run, first + k, &tag).await {
                done.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let completed = done.load(Ordering::SeqCst);
    (completed as f64 / elapsed, completed, n)
}

/// [`RUNS`] runs of the flows figure, the hashing limit measured again
/// before and after each ([`pool_t_h`]):
/// the ratios to the limit, the rates, and what was offered and completed.
pub(crate) async fn flow_runs(
    run: &Arc<Running>,
    cores: usize,
    per_run: usize,
    tag: &str,
) -> (Runs, Runs, String) {
    let (mut ratios, mut rates, mut said) = (Runs::default(), Runs::default(), Vec::new());
    for r in 0..RUNS {
        let t_h = pool_t_h(cores);
        let rate = (1.5 * cores as f64 / (HASHES_PER_FLOW * t_h)).min(per_run as f64 / FLOW_SECS);
        let (done_rate, done, offered) =
            offered_load(run, rate, FLOW_SECS, r * per_run, &format!("{tag}{r}")).await;
        // The limit from t_h before and after the run: the machine's speed
        // moves within a run.
        let t_h = (t_h + pool_t_h(cores)) / 2.0;
        let limit = cores as f64 / (HASHES_PER_FLOW * t_h);
        println!("  ({tag} flows, run {}: {done_rate:.1} flows/s, {done} of {offered} completed, limit {limit:.1})", r + 1);
        ratios.push(done_rate / limit);
        rates.push(done_rate);
        said.push(format!("{done} of {offered}"));
    }
    (
        ratios,
        rates,
        format!("completed of offered in each run: {}", said.join(", ")),
    )
}

// ---- request rates ---------------------------------------------------------------

/// Requests per second of `make` with `conc` connections for `secs`.
pub(crate) async fn rate_of<F, Fut>(conc: usize, secs: f64, make: F) -> f64
where
    F: Fn(reqwest::Client) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(conc)
        .build()
        .unwrap();
    // Warm the connections.
    for _ in 0..conc {
        make(c.clone()).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let (c, make, stop, count) = (c.clone(), make.clone(), stop.clone(), count.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if make(c.clone()).await {
                    count.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs_f64(secs)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Requests per second of an empty form POST to `url`, 3 s.
pub(crate) async fn post_rate(conc: usize, url: String) -> f64 {
    rate_of(conc, 3.0, move |c: reqwest::Client| {
        let url = url.clone();
        async move {
            c.post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .map(|r| r.status().is_success())
                .unwrap_or(false)
        }
    })
    .await
}
