//! The server binary as a process of its own (to kill it, or to watch its
//! memory), and a mail server that takes connections and never answers.

use std::process::{Child, Command, Stdio};

/// The server binary on `database_url`, on a port of its own, with `env`
/// added (no demo data, no `APP_SECRET` unless `env` gives one): the
/// process and its address. [`up`] waits until it answers.
pub fn server_process(database_url: &str, env: &[(&str, &str)]) -> (Child, String) {
    server_process_logged(database_url, env, None)
}

/// [`server_process`] with its log (stderr) written to `log`.
pub fn server_process_logged(
    database_url: &str,
    env: &[(&str, &str)],
    log: Option<&std::path::Path>,
) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_provider-portal"));
    cmd.env("DATABASE_URL", database_url)
        .env_remove("APP_SECRET")
        .env_remove("LOAD_DEMO_DATA")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(match log {
            Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
            None => Stdio::null(),
        });
    for (k, v) in env {
        cmd.env(k, v);
    }
    (cmd.spawn().unwrap(), format!("http://127.0.0.1:{port}"))
}

/// A child process that is killed (SIGKILL) and reaped when dropped: a
/// test that fails midway leaves no server running.
pub struct KillOnDrop(pub Child);

impl std::ops::Deref for KillOnDrop {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether the server at `base` answers `/livez` within
/// [`super::PATIENCE`] (a process starting on a loaded machine).
pub async fn up(base: &str) -> bool {
    let client = reqwest::Client::new();
    let until = std::time::Instant::now() + super::PATIENCE;
    while std::time::Instant::now() < until {
        if client.get(format!("{base}/livez")).send().await.is_ok() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// A server that takes connections and never answers (an SMTP server
/// hung): its port.
pub async fn silent_server() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}

/// A port free now on 127.0.0.1 (another process may take it before it is
/// bound: a server that cannot bind it says so).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sends SIGTERM to `child` and waits (up to [`super::PATIENCE`]) until it
/// has exited by itself: how it ended.
pub async fn terminated(child: &mut Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let until = std::time::Instant::now() + super::PATIENCE;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(
            std::time::Instant::now() < until,
            "process {pid} did not stop after SIGTERM"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
