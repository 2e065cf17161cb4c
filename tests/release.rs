//! The release artefact (`make release`) as an insurer's IT team would use
//! it: unpacked into an empty folder, checked (a bad `PUBLIC_URL` and a weak
//! secret found in one run, nothing changed), migrated, served as the
//! systemd unit serves it (no `LEPTOS_*` variable but the listen address,
//! from a working folder of its own), one wizard walked through it, a
//! backup taken under load, restored into a new database that still holds
//! the consolidation, and a SIGTERM that ends the server cleanly.
//!
//! Run by `make release-test` (part of `make test`), which sets
//! `RELEASE_ARTEFACT`; `cargo test` alone skips it, saying so.

#[path = "common/mod.rs"]
mod common;

use common::maildev::Maildev;
use common::process::{free_port, terminated, KillOnDrop};
use common::{code_in, PATIENCE};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const STRONG_SECRET: &str = "release-test-0123456789-abcdefghijklmnopqrstuvwxyz";

struct Deployed {
    /// The unpacked folder (the binary, its site, its docs).
    root: PathBuf,
    /// The service's working and state folder (empty but for the database).
    state: PathBuf,
    port: u16,
    smtp_url: String,
}

struct Ran {
    code: i32,
    out: String,
}

impl Deployed {
    fn binary(&self) -> PathBuf {
        self.root.join("provider-portal")
    }

    fn database_url(&self, file: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.state.join(file).display())
    }

    /// The environment file of the unit, as docs/deploy.md writes it.
    fn env(&self, database: &str) -> Vec<(String, String)> {
        [
            ("APP_ENV", "production".to_string()),
            ("DATABASE_URL", self.database_url(database)),
            ("PUBLIC_URL", format!("http://localhost:{}", self.port)),
            ("APP_SECRET", STRONG_SECRET.to_string()),
            ("SMTP_URL", self.smtp_url.clone()),
            (
                "MAIL_FROM",
                "Provider Portal <portal@example.com>".to_string(),
            ),
            ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.port)),
            ("LOG_FORMAT", "json".to_string()),
            ("MIGRATE_AT_START", "0".to_string()),
            ("TWO_STEP", "offer".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// A command of the binary with exactly `env` (and PATH), from the
    /// state folder.
    fn command(&self, env: &[(String, String)]) -> Command {
        let mut cmd = Command::new(self.binary());
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .current_dir(&self.state);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run(&self, env: &[(String, String)], args: &[&str]) -> Ran {
        let out = self.command(env).args(args).output().unwrap();
        Ran {
            code: out.status.code().unwrap_or(-1),
            out: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    /// The server, its log (stderr, JSON lines) into `log`.
    fn serve(&self, env: &[(String, String)], log: &Path) -> KillOnDrop {
        let file = std::fs::File::create(log).unwrap();
        KillOnDrop(
            self.command(env)
                .stdout(Stdio::null())
                .stderr(file)
                .spawn()
                .unwrap(),
        )
    }

    fn base(&self) -> String {
        format!("http://localhost:{}", self.port)
    }
}

fn unpack(artefact: &Path) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/release-test")
        .join(common::unique("r"));
    std::fs::create_dir_all(&dir).unwrap();
    let ok = Command::new("tar")
        .arg("-xzf")
        .arg(artefact)
        .arg("-C")
        .arg(&dir)
        .status()
        .unwrap()
        .success();
    assert!(ok, "tar could not unpack {}", artefact.display());
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "one folder in the artefact: {entries:?}");
    let root = entries.pop().unwrap();
    for part in [
        "provider-portal",
        "hash.txt",
        "site/pkg",
        "portal.env.example",
        "provider-portal.service",
        "docs/deploy.md",
        "docs/README.md",
        "docs/SECURITY.md",
    ] {
        assert!(root.join(part).exists(), "the artefact holds {part}");
    }
    root
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn ready(base: &str) {
    let c = reqwest::Client::new();
    let until = Instant::now() + PATIENCE;
    loop {
        if let Ok(r) = c.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(
            Instant::now() < until,
            "the server at {base} never got ready"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Posts a form as the site's own page would; the answer's Location.
async fn post(c: &reqwest::Client, base: &str, path: &str, form: &[(&str, &str)]) -> String {
    let r = c
        .post(format!("{base}{path}"))
        .header("origin", base)
        .header("accept", "text/html")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let body = r.text().await.unwrap_or_default();
    assert_eq!(status, 303, "POST {path}: {status} {body}");
    location.unwrap()
}

/// johnsmith@gmail.com through every step of the wizard, the code from
/// the real mail server.
async fn walk_the_wizard(d: &Deployed, mail: &Maildev) {
    let (base, c) = (d.base(), client());
    let form = [("username", "johnsmith@gmail.com"), ("tin", "83-6576879")];
    assert_eq!(
        post(&c, &base, "/api/wizard/lookup", &form).await,
        "/wizard/verify"
    );
    let form = [("answer", "Smith")];
    assert_eq!(
        post(&c, &base, "/api/wizard/verify", &form).await,
        "/wizard/email"
    );
    let email = "john.release@example.com";
    let form = [("email", email), ("verify_email", email)];
    assert_eq!(
        post(&c, &base, "/api/wizard/email", &form).await,
        "/wizard/code"
    );
    let sent = mail.wait_for(1).await;
    let code = code_in(&sent.iter().find(|m| m.to.contains(email)).unwrap().text);
    let form = [("code", code.as_str())];
    assert_eq!(
        post(&c, &base, "/api/wizard/code", &form).await,
        "/wizard/password"
    );
    let form = [
        ("username", "johnsmith@gmail.com"),
        ("password", "Welcome#2019"),
    ];
    assert_eq!(
        post(&c, &base, "/api/wizard/password", &form).await,
        "/wizard/accounts"
    );
    assert_eq!(
        post(&c, &base, "/api/wizard/finish", &[]).await,
        "/wizard/done"
    );
    let done = c.get(format!("{base}/wizard/done")).send().await.unwrap();
    assert!(done.text().await.unwrap().contains("Thank You"));
}

/// Whether johnsmith@gmail.com's new login signs in at `base`.
async fn signs_in(base: &str) -> bool {
    let c = client();
    let r = c
        .post(format!("{base}/api/sign_in"))
        .header("origin", base)
        .header("accept", "text/html")
        .form(&[
            ("username", "johnsmith@gmail.com"),
            ("password", "Welcome#2019"),
        ])
        .send()
        .await
        .unwrap();
    r.status() == 303
        && r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap_or("").starts_with("pp_session="))
}

/// Requests while the backup runs: pages, sign-ins (each writes its try
/// and its audit event) and wrong lookups; none may fail.
async fn load(
    base: String,
    until: std::sync::Arc<std::sync::atomic::AtomicBool>,
    answered: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> usize {
    let mut done = 0;
    let c = client();
    while !until.load(std::sync::atomic::Ordering::SeqCst) {
        let status = match done % 3 {
            0 => c.get(format!("{base}/")).send().await.unwrap().status(),
            1 => c
                .post(format!("{base}/api/sign_in"))
                .header("origin", &base)
                .header("accept", "text/html")
                .form(&[("username", "nobody-here"), ("password", "Wrong#2026pass")])
                .send()
                .await
                .unwrap()
                .status(),
            _ => c
                .post(format!("{base}/api/wizard/lookup"))
                .header("origin", &base)
                .header("accept", "text/html")
                .form(&[("username", "not-an-account"), ("tin", "12-3456789")])
                .send()
                .await
                .unwrap()
                .status(),
        };
        assert!(
            status.as_u16() < 500,
            "a request under the backup failed: {status}"
        );
        done += 1;
        answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_artefact_deploys_serves_backs_up_and_restores() {
    let Some(artefact) = std::env::var_os("RELEASE_ARTEFACT").map(PathBuf::from) else {
        eprintln!("SKIPPED: the release artefact's test (make release-test sets RELEASE_ARTEFACT)");
        return;
    };
    let root = unpack(&artefact);
    let state = root.parent().unwrap().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let mail = Maildev::start().await;
    let d = Deployed {
        root,
        state,
        port: free_port(),
        smtp_url: mail.smtp_url(),
    };

    // --version: the version and the commit it was built from.
    let v = d.run(&[], &["--version"]);
    assert_eq!(v.code, 0, "{}", v.out);
    assert!(
        v.out.starts_with(&format!(
            "provider-portal {} (commit ",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        v.out
    );
    assert!(!v.out.contains("commit unknown"), "{}", v.out);

    // check: every problem in one run, exit 1, nothing created.
    let mut env = d.env("portal.db");
    let set = |env: &mut Vec<(String, String)>, k: &str, v: &str| {
        env.retain(|(n, _)| n != k);
        env.push((k.to_string(), v.to_string()));
    };
    let mut bad = env.clone();
    set(&mut bad, "PUBLIC_URL", "portal.example.com");
    set(&mut bad, "APP_SECRET", "changeme");
    let checked = d.run(&bad, &["check"]);
    assert_eq!(checked.code, 1, "{}", checked.out);
    assert!(
        checked.out.contains("PROBLEM  PUBLIC_URL must be"),
        "{}",
        checked.out
    );
    assert!(
        checked.out.contains("PROBLEM  APP_SECRET is weak"),
        "{}",
        checked.out
    );
    assert!(
        checked.out.contains("ok       SMTP"),
        "the rest is checked: {}",
        checked.out
    );
    assert!(checked.out.contains("2 problems found"), "{}", checked.out);
    assert!(!d.state.join("portal.db").exists(), "check created nothing");
    let checked = d.run(&env, &["check"]);
    assert_eq!(checked.code, 0, "{}", checked.out);
    assert!(checked.out.contains("ok       site: "), "{}", checked.out);

    // A server told not to migrate refuses a database without its tables.
    let early = d.run(&env, &[]);
    assert_eq!(early.code, 1, "{}", early.out);
    assert!(
        early.out.contains("provider-portal migrate"),
        "{}",
        early.out
    );

    // migrate, then again: nothing to apply.
    let m = d.run(&env, &["migrate"]);
    assert_eq!(m.code, 0, "{}", m.out);
    assert!(m.out.contains("applied 0001"), "{}", m.out);
    let m = d.run(&env, &["migrate"]);
    assert!(
        m.code == 0 && m.out.contains("nothing to apply"),
        "{}",
        m.out
    );

    // Served as the unit serves it, with the demo accounts loaded.
    set(&mut env, "LOAD_DEMO_DATA", "1");
    let log = d.state.join("server.log");
    let mut server = d.serve(&env, &log);
    ready(&d.base()).await;
    let page = reqwest::get(d.base()).await.unwrap().text().await.unwrap();
    let css = page
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css")))
        .expect("a stylesheet on the sign-in page")
        .to_string();
    let css = reqwest::get(format!("{}{css}", d.base())).await.unwrap();
    assert_eq!(css.status(), 200, "the site beside the binary is served");

    walk_the_wizard(&d, &mail).await;
    assert!(signs_in(&d.base()).await);

    // A backup under load.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let clients: Vec<_> = (0..4)
        .map(|_| tokio::spawn(load(d.base(), stop.clone(), answered.clone())))
        .collect();
    // The backup starts once the load is answered, and runs beside it.
    let until = Instant::now() + PATIENCE;
    while answered.load(std::sync::atomic::Ordering::SeqCst) < 12 {
        assert!(Instant::now() < until, "the load was never answered");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let backup = d.state.join("backup.db");
    let b = {
        let (d_env, bin, dir, file) = (env.clone(), d.binary(), d.state.clone(), backup.clone());
        tokio::task::spawn_blocking(move || {
            let mut cmd = Command::new(bin);
            cmd.env_clear().current_dir(dir).arg("backup").arg(&file);
            for (k, v) in &d_env {
                cmd.env(k, v);
            }
            cmd.output().unwrap()
        })
        .await
        .unwrap()
    };
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut served = 0;
    for c in clients {
        served += c.await.unwrap();
    }
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert!(served > 0, "the load ran");
    let again = d.run(&env, &["backup", backup.to_str().unwrap()]);
    assert_eq!(again.code, 1, "a backup never overwrites: {}", again.out);

    // SIGTERM: the server ends by itself, with 0.
    let status = terminated(&mut server).await;
    assert_eq!(status.code(), Some(0), "SIGTERM ends the server with 0");

    // The log: JSON lines, each request's with its id, no secret.
    let text = std::fs::read_to_string(&log).unwrap();
    let mut requests = 0;
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v["timestamp"].is_string() && v["level"].is_string(),
            "{line}"
        );
        if v["message"] == "request" {
            assert!(v["request_id"].is_string(), "{line}");
            requests += 1;
        }
    }
    assert!(requests > 10, "the requests are logged: {requests}");
    for secret in [STRONG_SECRET, "Welcome#2019", "Wrong#2026pass"] {
        assert!(!text.contains(secret), "the log holds a secret");
    }
    assert!(
        text.contains("\"message\":\"stopped\""),
        "the log says it stopped"
    );

    // Restored into a new database: the consolidation is there.
    std::fs::copy(&backup, d.state.join("restored.db")).unwrap();
    let mut restored_env = d.env("restored.db");
    set(
        &mut restored_env,
        "LEPTOS_SITE_ADDR",
        &format!("127.0.0.1:{}", d.port),
    );
    let checked = d.run(&restored_env, &["check"]);
    assert_eq!(
        checked.code, 0,
        "the restored database checks: {}",
        checked.out
    );
    assert!(
        checked.out.contains("migrations applied"),
        "{}",
        checked.out
    );
    let _restored = d.serve(&restored_env, &d.state.join("restored.log"));
    ready(&d.base()).await;
    assert!(
        signs_in(&d.base()).await,
        "the consolidated login is in the backup"
    );
    drop(mail);
    let _ = std::fs::remove_dir_all(d.root.parent().unwrap());
}
