//! Starts the real server on port 0 with a fresh database (an SQLite file, or
//! a new PostgreSQL database) and drives it over HTTP with a cookie jar.
#![allow(dead_code)]

pub mod console;
pub mod maildev;
pub mod passkey;
pub mod process;
pub mod second;
pub mod smtp;
pub mod soft_key;

use provider_portal::config::Settings;
use provider_portal::server;
use provider_portal::state::AppState;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::redirect::Policy;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub database_url: String,
    pg_admin: Option<(String, String)>,
    /// Whether the app runs its background jobs (the outbox worker, the
    /// sweep); see [`TestApp::spawn_quiet`].
    jobs: bool,
}

/// A response, read whole.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub body: String,
    pub headers: HeaderMap,
}

pub fn unique(prefix: &str) -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

/// Where the PostgreSQL tests connect; `None` skips them (loudly), unless
/// `POSTGRES_TESTS=required`, where a missing server fails the test.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
    {
        Some(u) => Some(u),
        None => {
            if std::env::var("POSTGRES_TESTS").as_deref() == Ok("required") {
                panic!("POSTGRES_TESTS=required but TEST_DATABASE_URL is not set");
            }
            eprintln!("SKIPPED: PostgreSQL test (set TEST_DATABASE_URL to run it)");
            None
        }
    }
}

impl TestApp {
    /// `None` when the PostgreSQL tests are skipped.
    pub async fn spawn(db: Db) -> Option<TestApp> {
        Self::spawn_with(db, |_| {}).await
    }

    pub async fn spawn_with(
        db: Db,
        tweak: impl FnOnce(&mut HashMap<String, String>),
    ) -> Option<TestApp> {
        Self::spawn_as(db, tweak, true).await
    }

    /// The app without its background jobs: no outbox worker, no sweep
    /// (the pages are served all the same, without the connection limits
    /// of `server::serve`). For a test that plays a worker or the sweep
    /// itself, which the app's own would otherwise race: whatever it
    /// claims or sweeps, nothing else takes first. A second instance
    /// ([`TestApp::spawn_sharing`]) is quiet too.
    pub async fn spawn_quiet(
        db: Db,
        tweak: impl FnOnce(&mut HashMap<String, String>),
    ) -> Option<TestApp> {
        Self::spawn_as(db, tweak, false).await
    }

    async fn spawn_as(
        db: Db,
        tweak: impl FnOnce(&mut HashMap<String, String>),
        jobs: bool,
    ) -> Option<TestApp> {
        let mut env: HashMap<String, String> = HashMap::new();
        let mut pg_admin = None;
        match db {
            Db::Sqlite => {
                let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-dbs");
                std::fs::create_dir_all(&dir).unwrap();
                let file = dir.join(format!("{}.db", unique("t")));
                env.insert(
                    "DATABASE_URL".into(),
                    format!("sqlite://{}?mode=rwc", file.display()),
                );
            }
            Db::Postgres => {
                let admin = postgres_admin_url()?;
                let name = unique("pp_test");
                sqlx::any::install_default_drivers();
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .unwrap();
                let (base, query) = match admin.split_once('?') {
                    Some((b, q)) => (b.to_string(), format!("?{q}")),
                    None => (admin.clone(), String::new()),
                };
                let base = base.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
                env.insert("DATABASE_URL".into(), format!("{base}/{name}{query}"));
                pg_admin = Some((admin, name));
            }
        }
        env.insert("LOAD_DEMO_DATA".into(), "1".into());
        // Bound first, so that a test's settings can name the real address
        // (PUBLIC_URL); the server listens here whatever LEPTOS_SITE_ADDR says.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        env.insert("LEPTOS_SITE_ADDR".into(), addr.to_string());
        tweak(&mut env);
        let database_url = env["DATABASE_URL"].clone();
        let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
        let opts = server::leptos_options(&settings).await;
        let state = server::build_state(settings, opts).await.expect("state");
        if jobs {
            tokio::spawn(server::serve(state.clone(), listener));
        } else {
            let app = server::router(state.clone())
                .into_make_service_with_connect_info::<std::net::SocketAddr>();
            tokio::spawn(async move { axum::serve(listener, app).await });
        }
        let base = format!("http://{addr}");
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = Self::client(jar.clone());
        Some(TestApp {
            base,
            state,
            client,
            jar,
            database_url,
            pg_admin,
            jobs,
        })
    }

    /// A second instance of the app on this one's database (as behind a
    /// load balancer).
    pub async fn spawn_sharing(&self, tweak: impl FnOnce(&mut HashMap<String, String>)) -> TestApp {
        let url = self.database_url.clone();
        let db = if url.starts_with("sqlite:") {
            Db::Sqlite
        } else {
            Db::Postgres
        };
        let mut other = Self::spawn_as(
            db,
            move |env| {
                tweak(env);
                env.insert("DATABASE_URL".into(), url);
            },
            self.jobs,
        )
        .await
        .expect("second instance");
        // The database is this app's: the second instance must not drop it.
        if let Some((_, name)) = other.pg_admin.take() {
            if let Some((admin, _)) = &self.pg_admin {
                if let Ok(mut conn) =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(admin).await
                {
                    let _ = sqlx::Executor::execute(
                        &mut conn,
                        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                    )
                    .await;
                }
            }
        }
        other
    }

    /// Every table's rows as text, sorted: to prove that a refused request
    /// changed nothing. Tables named in `skip` are left out (views always).
    pub async fn snapshot(&self, skip: &[&str]) -> std::collections::BTreeMap<String, Vec<String>> {
        use sqlx::{Column, Row};
        let pool = self.state.store.pool();
        let tables_sql = if self.database_url.starts_with("sqlite:") {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'"
        } else {
            "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx%'"
        };
        let tables: Vec<String> = sqlx::query(tables_sql)
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String, _>("t").unwrap())
            .filter(|t| !skip.contains(&t.as_str()))
            .collect();
        let mut out = std::collections::BTreeMap::new();
        for t in tables {
            let rows = sqlx::query(&format!("SELECT * FROM {t}"))
                .fetch_all(pool)
                .await
                .unwrap();
            let mut lines: Vec<String> = rows
                .iter()
                .map(|r| {
                    (0..r.columns().len())
                        .map(|i| {
                            let name = r.columns()[i].name().to_string();
                            let v = if let Ok(v) = r.try_get::<Option<String>, _>(i) {
                                format!("{v:?}")
                            } else if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                                format!("{v:?}")
                            } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
                                format!("{v:?}")
                            } else if let Ok(v) = r.try_get::<Option<bool>, _>(i) {
                                format!("{v:?}")
                            } else if let Ok(v) = r.try_get::<Option<Vec<u8>>, _>(i) {
                                format!("{:?}", v.map(|b| String::from_utf8_lossy(&b).to_string()))
                            } else {
                                "?".to_string()
                            };
                            format!("{name}={v}")
                        })
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect();
            lines.sort();
            out.insert(t, lines);
        }
        out
    }

    /// The whole database as text (what a stolen backup would show).
    pub async fn dump(&self) -> String {
        self.snapshot(&[])
            .await
            .into_iter()
            .map(|(t, rows)| format!("== {t}\n{}\n", rows.join("\n")))
            .collect()
    }

    /// A browser with JavaScript: every request is the in-place
    /// navigation's `fetch` (its header, and what Chromium sends with it).
    pub fn new_in_place_browser(&self) -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("text/html"));
        headers.insert("islands-router", HeaderValue::from_static("true"));
        headers.insert("sec-fetch-mode", HeaderValue::from_static("cors"));
        headers.insert("sec-fetch-dest", HeaderValue::from_static("empty"));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        (client, jar)
    }

    fn client(jar: Arc<reqwest::cookie::Jar>) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        // What a browser's form post sends.
        headers.insert(
            "accept",
            HeaderValue::from_static("text/html,application/xhtml+xml"),
        );
        reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// A second browser: its own cookie jar.
    pub fn new_browser(&self) -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        (Self::client(jar.clone()), jar)
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(&self.client, path).await
    }

    /// A GET from `client` (a browser with its own cookies).
    pub async fn get_with(&self, client: &reqwest::Client, path: &str) -> Page {
        Self::read(
            client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(&self.client, path, form).await
    }

    pub async fn post_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> Page {
        let res = client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap();
        Self::read(res).await
    }

    pub async fn read(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let set_cookie = headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let body = res.text().await.unwrap();
        Page {
            status,
            location,
            set_cookie,
            body,
            headers,
        }
    }

    /// Posts, checks the 303, and returns the page it leads to.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> (String, Page) {
        self.submit_with(&self.client, path, form).await
    }

    /// [`TestApp::submit`] from `client`.
    pub async fn submit_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (String, Page) {
        let res = self.post_with(client, path, form).await;
        assert_eq!(
            res.status, 303,
            "POST {path} answered {} {}",
            res.status, res.body
        );
        let loc = res.location.clone().expect("a Location");
        let page = self.get_with(client, &loc).await;
        (loc, page)
    }

    /// Registers `username` with the demo registration code through every
    /// page, from `client`.
    pub async fn register_with_demo_code(
        &self,
        client: &reqwest::Client,
        username: &str,
        email: &str,
        password: &str,
    ) {
        self.register_with_code(
            client,
            ("demo-reg1-2026", "45-6789012"),
            username,
            email,
            password,
        )
        .await
    }

    /// Registers `username` with a registration code and its TIN through
    /// every page, from `client` (which Register leaves signed in).
    pub async fn register_with_code(
        &self,
        client: &reqwest::Client,
        (code, tin): (&str, &str),
        username: &str,
        email: &str,
        password: &str,
    ) {
        let (loc, _) = self
            .submit_with(
                client,
                "/api/register/start",
                &[("registration_code", code), ("tin", tin)],
            )
            .await;
        assert_eq!(loc, "/register/account");
        let account = [
            ("username", username),
            ("email", email),
            ("verify_email", email),
        ];
        let (loc, _) = self
            .submit_with(client, "/api/register/account", &account)
            .await;
        assert_eq!(loc, "/register/code");
        let code = self.latest_code(email).await;
        let (loc, _) = self
            .submit_with(client, "/api/flow/code", &[("code", &code)])
            .await;
        assert_eq!(loc, "/register/password");
        let (loc, page) = self
            .submit_with(
                client,
                "/api/register/password",
                &[("password", password), ("confirm_password", password)],
            )
            .await;
        assert_eq!(loc, "/register/done", "{}", page.body);
    }

    /// The newest mail to `to` whose subject contains `subject` (mail sent
    /// in the background may take a moment: up to [`PATIENCE`]). Only for
    /// a mail that is the first of its kind to `to`: an older one would be
    /// found at once (see [`TestApp::next_code_to`]).
    pub async fn wait_mail(
        &self,
        to: &str,
        subject: &str,
    ) -> Option<provider_portal::mail::DevMail> {
        let until = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(m) = self
                .state
                .mailer
                .dev_mail(1000)
                .into_iter()
                .find(|m| m.to.eq_ignore_ascii_case(to) && m.subject.contains(subject))
            {
                return Some(m);
            }
            if std::time::Instant::now() >= until {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The code of the next mail to `to` after `before` of them (mail sent
    /// in the background may take a moment).
    pub async fn next_code_to(&self, to: &str, before: usize) -> String {
        let until = std::time::Instant::now() + PATIENCE;
        loop {
            let codes = self.codes_to(to);
            if codes.len() > before {
                return codes[0].clone();
            }
            assert!(
                std::time::Instant::now() < until,
                "no new code mailed to {to} within {PATIENCE:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The newest code mailed to `to` (from the development mailbox).
    pub async fn latest_code(&self, to: &str) -> String {
        let mails = self.state.mailer.dev_mail(100);
        let m = mails
            .iter()
            .find(|m| m.to.eq_ignore_ascii_case(to))
            .expect("a mail to that address");
        let digits = code_in(&m.body);
        assert_eq!(digits.len(), 6);
        digits
    }

    /// The codes mailed to `to`, newest first.
    pub fn codes_to(&self, to: &str) -> Vec<String> {
        self.state
            .mailer
            .dev_mail(1000)
            .into_iter()
            .filter(|m| m.to == to && m.body.contains("code is "))
            .map(|m| code_in(&m.body))
            .collect()
    }

    /// Posts the sign-in form from `client` (a browser with its own cookies).
    pub async fn sign_in_from(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> Page {
        self.post_with(
            client,
            "/api/sign_in",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// Posts the sign-in form from a new browser.
    pub async fn sign_in(&self, username: &str, password: &str) -> Page {
        let (client, _) = self.new_browser();
        self.sign_in_from(&client, username, password).await
    }

    /// Waits until every mail in the outbox is done (sent, or failed for
    /// good): the mailbox holds all it will, so that a count taken now is
    /// not overtaken by a mail still on its way.
    pub async fn outbox_settled(&self) {
        let until = std::time::Instant::now() + PATIENCE;
        loop {
            let left = self
                .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
                .await;
            if left == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < until,
                "{left} mails in the outbox not done within {PATIENCE:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub async fn mail_count(&self) -> usize {
        self.state.mailer.dev_mail(1000).len()
    }

    /// The wizard's row for this browser (by its cookie).
    pub async fn wizard_step(&self) -> Option<String> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT step FROM flows WHERE kind = 'wizard'")
            .fetch_all(self.state.store.pool())
            .await
            .unwrap();
        rows.into_iter().next().map(|r| r.0)
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.state.store.pool())
            .await
            .unwrap();
        n
    }

    /// Walks Lookup -> Verify -> Email -> Code for johnsmith@gmail.com and stops at Verify Username and Password.
    pub async fn walk_to_password(&self, email: &str) {
        let code = self.walk_to_code(email).await;
        let (loc, _) = self.submit("/api/wizard/code", &[("code", &code)]).await;
        assert_eq!(loc, "/wizard/password");
    }

    /// Walks Lookup -> Verify -> Email for johnsmith@gmail.com, stops at
    /// Security Code Verification and gives the code mailed to `email`.
    pub async fn walk_to_code(&self, email: &str) -> String {
        let (loc, _) = self
            .submit(
                "/api/wizard/lookup",
                &[("username", "johnsmith@gmail.com"), ("tin", "83-6576879")],
            )
            .await;
        assert_eq!(loc, "/wizard/verify");
        let (loc, _) = self
            .submit("/api/wizard/verify", &[("answer", " smith ")])
            .await;
        assert_eq!(loc, "/wizard/email");
        let (loc, _) = self
            .submit(
                "/api/wizard/email",
                &[("email", email), ("verify_email", email)],
            )
            .await;
        assert_eq!(loc, "/wizard/code");
        self.latest_code(email).await
    }

    /// Forgot Password for `username`, whose login's address is `email`,
    /// up to Choose a New Password (the code mailed, then typed).
    pub async fn walk_to_new_password(&self, username: &str, email: &str) {
        let before = self.codes_to(email).len();
        let (loc, _) = self
            .submit("/api/forgot_password", &[("username", username)])
            .await;
        assert_eq!(loc, "/forgot-password/code");
        let code = self.next_code_to(email, before).await;
        let (loc, _) = self.submit("/api/flow/code", &[("code", &code)]).await;
        assert_eq!(loc, "/forgot-password/new");
    }

    /// Runs the operators' import of `bytes` on this app's database (chunks
    /// of 7 rows, so that a small file spans several), by `who`: its
    /// summary and every report line.
    pub async fn import(
        &self,
        format: provider_portal::import::FileFormat,
        bytes: Vec<u8>,
        dry_run: bool,
        who: &str,
    ) -> (
        provider_portal::import::Summary,
        Vec<provider_portal::import::Reported>,
    ) {
        let mut reported = Vec::new();
        let s = provider_portal::import::run(
            &self.state.store,
            &self.state.hasher,
            &self.state.key,
            format,
            std::io::Cursor::new(bytes),
            Arc::new(std::sync::atomic::AtomicU64::new(0)),
            &provider_portal::import::Options {
                dry_run,
                chunk: 7,
                who: who.into(),
                file_name: "test.csv".into(),
                at: self.state.clock.now(),
            },
            |r| reported.push(r.clone()),
            |_| {},
        )
        .await
        .expect("the import runs to its end");
        (s, reported)
    }

    /// The PostgreSQL admin URL and this test's database name.
    pub fn pg_database(&self) -> Option<(String, String)> {
        self.pg_admin.clone()
    }

    pub async fn cleanup(self) {
        if let Some((admin, name)) = self.pg_admin {
            self.state.store.pool().close().await;
            if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await {
                let _ = sqlx::Executor::execute(
                    &mut conn,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                )
                .await;
            }
        }
    }
}

/// How long a test waits for a state the app reaches by itself (a mail
/// sent in the background, a process up, a pool reconnected): generous,
/// since a new two-core machine with other work beside it may take many
/// times the usual; a test that passes waits only as long as it must.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

/// Polls `check` (every 50 ms, up to [`PATIENCE`]) until it gives `Ok`,
/// and returns that; otherwise panics, naming `what` and the last `Err`
/// (the state seen). For asserting a state the app writes in its own
/// time, instead of a fixed sleep. (An async closure that borrows makes a
/// future the compiler cannot prove `Send` for every lifetime: the attack
/// runner's boxed futures cannot await it, so the helpers above poll by
/// hand.)
pub async fn eventually<T, E: std::fmt::Debug>(
    what: &str,
    mut check: impl AsyncFnMut() -> Result<T, E>,
) -> T {
    let until = std::time::Instant::now() + PATIENCE;
    loop {
        match check().await {
            Ok(t) => return t,
            Err(last) if std::time::Instant::now() >= until => {
                panic!("{what}: not within {PATIENCE:?}; last seen: {last:?}")
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
}

/// Runs each named test, `async fn name(db: Db)`, once on SQLite and once
/// on PostgreSQL (the test starts its own app or apps).
#[macro_export]
macro_rules! with_each_database {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::common::Db::Sqlite).await }
        )* }
        mod postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::common::Db::Postgres).await }
        )* }
    };
}

/// Runs each named test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::common::TestApp::spawn($crate::common::Db::Sqlite).await {
                        super::$name(&app).await;
                        app.cleanup().await;
                    }
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::common::TestApp::spawn($crate::common::Db::Postgres).await {
                        super::$name(&app).await;
                        app.cleanup().await;
                    }
                }
            )*
        }
    };
}

/// The six-digit code in a mail's text ("Your code is 123456 ...").
pub fn code_in(body: &str) -> String {
    body.split("code is ")
        .nth(1)
        .unwrap()
        .chars()
        .take(6)
        .collect()
}

/// A log sink the tests can read: the whole process's tracing output.
#[derive(Clone, Default)]
pub struct LogBuffer(pub Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
    }
}

/// The seconds the code page's countdown starts from, if the page has one.
pub fn countdown_of(body: &str) -> Option<i64> {
    let start = body.find("data-countdown=\"")? + "data-countdown=\"".len();
    let end = start + body[start..].find('"')?;
    body[start..end].parse().ok()
}

/// A page with its countdown's seconds replaced by `N`: they come from the
/// clock, so two pages read a moment apart may differ by one. Compare them
/// with [`countdown_of`] instead.
fn without_countdown(body: &str) -> String {
    let body = match countdown_of(body) {
        Some(n) => body.replace(&format!("data-countdown=\"{n}\""), "data-countdown=\"N\""),
        None => body.to_string(),
    };
    // Every "in 59 seconds": the countdown's own, and the cooldown message
    // of a reply computed a second before the page was read.
    let mut out = String::with_capacity(body.len());
    let mut rest = body.as_str();
    while let Some(i) = rest.find(" in ") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" second") {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// Two code pages read a moment apart: the same countdown, give or take the
/// second that may have turned between them.
pub fn same_countdown(a: &str, b: &str) -> bool {
    match (countdown_of(a), countdown_of(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= 1,
        (None, None) => true,
        _ => false,
    }
}

/// A page with its random parts (CSP nonce) taken out, and its countdown's
/// seconds (they come from the clock; see `same_countdown`), for byte
/// comparison.
pub fn stable(body: &str) -> String {
    let mut out = without_countdown(body);
    for attr in ["nonce=\"", "crossorigin=\""] {
        let mut from = 0;
        while let Some(i) = out[from..].find(attr).map(|i| i + from) {
            let start = i + attr.len();
            let end = out[start..].find('"').map(|e| start + e).unwrap();
            out.replace_range(start..end, "X");
            from = start + 1;
        }
    }
    out
}
