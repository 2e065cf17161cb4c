//! What every attack group uses: a server with the per-address limits out
//! of the way, a browser with its own cookies, and measuring helpers.

use super::*;

/// A server with per-address limits high enough that they stay out of the
/// way of attacks on something else.
pub(crate) async fn app(db: Db) -> Option<TestApp> {
    TestApp::spawn_with(db, |env| {
        env.insert("RATE_LIMIT_LOOKUPS".into(), "100000".into());
        env.insert("RATE_LIMIT_PROOFS".into(), "100000".into());
        env.insert("RATE_LIMIT_MAILS".into(), "100000".into());
        env.insert("RATE_LIMIT_REFUSALS".into(), "100000".into());
    })
    .await
}

pub(crate) struct Browser<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) client: reqwest::Client,
    pub(crate) jar: Arc<reqwest::cookie::Jar>,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        let (client, jar) = app.new_browser();
        Browser { app, client, jar }
    }

    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.app.post_with(&self.client, path, form).await
    }

    pub(crate) async fn get(&self, path: &str) -> Page {
        self.app.get_with(&self.client, path).await
    }

    /// Posts and follows the 303: (where it led, the page there).
    pub(crate) async fn submit(&self, path: &str, form: &[(&str, &str)]) -> (String, Page) {
        self.app.submit_with(&self.client, path, form).await
    }

    pub(crate) fn wizard_token(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = self.app.base.parse().unwrap();
        let c = self.jar.cookies(&url)?;
        c.to_str()
            .ok()?
            .split(';')
            .map(str::trim)
            .find_map(|kv| kv.strip_prefix("pp_wizard="))
            .map(str::to_string)
    }

    /// Drives this browser's wizard to `step` for `user` (with its answer),
    /// mailing the code to `email`.
    pub(crate) async fn to_step(
        &self,
        step: &str,
        user: &str,
        tin: &str,
        answer: &str,
        email: &str,
    ) {
        if step == "lookup" {
            // An invalid lookup leaves a wizard at Account Lookup.
            let (loc, _) = self
                .submit("/api/wizard/lookup", &[("username", ""), ("tin", "")])
                .await;
            assert_eq!(loc, "/wizard/lookup");
            return;
        }
        let (loc, _) = self
            .submit("/api/wizard/lookup", &[("username", user), ("tin", tin)])
            .await;
        assert_eq!(loc, "/wizard/verify");
        if step == "verify" {
            return;
        }
        let (loc, _) = self
            .submit("/api/wizard/verify", &[("answer", answer)])
            .await;
        assert_eq!(loc, "/wizard/email", "answer of {user}");
        if step == "email" {
            return;
        }
        let (loc, _) = self
            .submit(
                "/api/wizard/email",
                &[("email", email), ("verify_email", email)],
            )
            .await;
        assert_eq!(loc, "/wizard/code");
        if step == "code" {
            return;
        }
        let code = self.app.latest_code(email).await;
        let (loc, _) = self.submit("/api/wizard/code", &[("code", &code)]).await;
        assert_eq!(loc, "/wizard/password");
    }

    pub(crate) async fn john_to(&self, step: &str, email: &str) {
        self.to_step(step, JOHN, JOHN_TIN, "Smith", email).await;
        if step == "accounts" || step == "done" {
            let (loc, _) = self
                .submit(
                    "/api/wizard/password",
                    &[("username", JOHN), ("password", JOHN_PASSWORD)],
                )
                .await;
            assert_eq!(loc, "/wizard/accounts");
            if step == "done" {
                let (loc, _) = self.submit("/api/wizard/finish", &[]).await;
                assert_eq!(loc, "/wizard/done");
            }
        }
    }
}

/// What a reply says, without its random tokens: status, location, which
/// cookies it sets (names and attributes, not values) and the body.
pub(crate) fn shape(p: &Page) -> String {
    let cookies: Vec<String> = p
        .set_cookie
        .iter()
        .map(|c| {
            let (name, rest) = c.split_once('=').unwrap_or((c, ""));
            let attrs = rest.split_once(';').map(|x| x.1).unwrap_or("");
            format!("{name}=TOKEN;{attrs}")
        })
        .collect();
    format!(
        "{} {:?} {:?} {}",
        p.status,
        p.location,
        cookies,
        stable(&p.body)
    )
}

pub(crate) async fn count(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

pub(crate) async fn audits(app: &TestApp, action: &str, outcome: &str) -> i64 {
    app.count(&format!(
        "SELECT CAST(COALESCE(SUM(repeats), 0) AS BIGINT) FROM audit_trail WHERE action = '{action}' AND outcome = '{outcome}'"
    ))
    .await
}

/// Sends every post at once, each with its own client (and so its own
/// cookies); the statuses come back through the set.
pub(crate) fn all_at_once(
    app: &TestApp,
    path: &str,
    posts: Vec<(reqwest::Client, Vec<(&'static str, String)>)>,
) -> tokio::task::JoinSet<u16> {
    let mut set = tokio::task::JoinSet::new();
    for (client, form) in posts {
        let url = format!("{}{path}", app.base);
        let origin = app.base.clone();
        set.spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    set
}

pub(crate) async fn no_server_errors(mut set: tokio::task::JoinSet<u16>) {
    while let Some(status) = set.join_next().await {
        assert!(status.unwrap() < 500);
    }
}

pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Times `a` and `b` alternately, `n` times each; true if their medians are
/// within `tolerance` of each other. Three rounds, so that one burst of
/// noise on a two-core machine does not decide it.
pub(crate) async fn same_timing<FA, FB, RA, RB>(
    what: &str,
    n: usize,
    tolerance: f64,
    mut a: FA,
    mut b: FB,
) -> (bool, String)
where
    FA: FnMut(usize) -> RA,
    FB: FnMut(usize) -> RB,
    RA: Future<Output = ()>,
    RB: Future<Output = ()>,
{
    let mut report = String::new();
    for round in 0..3 {
        let (mut ta, mut tb) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for i in 0..n {
            // Which goes first alternates, so that neither always follows the other.
            for first in [i % 2 == 0, i % 2 == 1] {
                let t = Instant::now();
                if first {
                    a(round * n + i).await;
                    ta.push(t.elapsed());
                } else {
                    b(round * n + i).await;
                    tb.push(t.elapsed());
                }
            }
        }
        let (ma, mb) = (median(ta), median(tb));
        let ratio = ma.as_secs_f64() / mb.as_secs_f64();
        report = format!("{what}: medians {ma:?} vs {mb:?} (ratio {ratio:.3})");
        println!("    {report}");
        if (ratio - 1.0).abs() <= tolerance {
            return (true, report);
        }
    }
    (false, report)
}
