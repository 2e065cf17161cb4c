//! The portal behind nginx terminating TLS, configured by the very server
//! blocks docs/deploy.md gives (taken from the guide, with this test's
//! ports, names and certificate put in): HTTPS served, HTTP sent to it,
//! one HSTS header, `__Host-` Secure cookies, the proxy's request id taken,
//! and the client's address the proxy saw, whatever `X-Forwarded-For` the
//! client sent.

use crate::common::process::{free_port, terminated, KillOnDrop};
use crate::common::{Db, TestApp, PATIENCE};
use std::path::Path;
use std::process::Command;

/// The guide's nginx configuration (its `nginx` code block).
fn guide_config() -> String {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md"))
            .unwrap();
    let start = guide
        .find("```nginx\n# /etc/nginx/sites-available/provider-portal")
        .expect("the guide's nginx configuration");
    let block = &guide[start + "```nginx\n".len()..];
    block[..block.find("\n```").unwrap()].to_string()
}

/// A CA, and a certificate for `localhost` it signed, by the openssl
/// command: (CA's PEM, certificate file, key file).
fn certificate(dir: &Path) -> (Vec<u8>, String, String) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    run(&[
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=provider-portal test CA",
        ],
    ]
    .concat());
    run(&[
        &["req"][..],
        &ec,
        &[
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=localhost",
        ],
    ]
    .concat());
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    (
        std::fs::read(dir.join("ca.pem")).unwrap(),
        dir.join("leaf.pem").display().to_string(),
        dir.join("leaf.key").display().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_as_the_guide_configures_it() {
    let nginx = Path::new("/usr/sbin/nginx");
    assert!(
        nginx.exists(),
        "nginx is not installed: run scripts/setup.sh test (Debian's nginx-light)"
    );
    let (tls, plain) = (free_port(), free_port());
    let app = TestApp::spawn_with(Db::Sqlite, |env| {
        env.insert("TRUST_PROXY".into(), "1".into());
        env.insert("PUBLIC_URL".into(), format!("https://localhost:{tls}"));
    })
    .await
    .unwrap();
    let upstream = app.base.trim_start_matches("http://").to_string();

    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-dbs")
        .join(crate::common::unique("nginx"));
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    let (ca, cert, key) = certificate(&dir);
    let site = guide_config()
        .replace("server 127.0.0.1:3000;", &format!("server {upstream};"))
        .replace(
            "listen 443 ssl http2;",
            &format!("listen 127.0.0.1:{tls} ssl http2;"),
        )
        .replace("listen 80;", &format!("listen 127.0.0.1:{plain};"))
        .lines()
        .filter(|l| !l.contains("listen [::]"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "portal.example.com$request_uri",
            &format!("localhost:{tls}$request_uri"),
        )
        .replace("portal.example.com", "localhost")
        .replace("/etc/letsencrypt/live/localhost/fullchain.pem", &cert)
        .replace("/etc/letsencrypt/live/localhost/privkey.pem", &key)
        .replace("/var/log/nginx/", &format!("{}/logs/", dir.display()))
        // The guide's own advice for a PUBLIC_URL with a port.
        .replace(
            "proxy_set_header Host $host;",
            "proxy_set_header Host $http_host;",
        );
    assert!(site.contains(&cert) && site.contains(&upstream), "{site}");
    let d = dir.display();
    let conf = format!(
        "user root;\npid {d}/nginx.pid;\nerror_log {d}/logs/error.log;\nevents {{}}\nhttp {{\n\
         client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
         {site}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let mut server = KillOnDrop(
        Command::new(nginx)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );

    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("https://localhost:{tls}");
    let until = std::time::Instant::now() + PATIENCE;
    let page = loop {
        match client.get(format!("{base}/")).send().await {
            Ok(r) => break r,
            Err(e) => {
                assert!(server.try_wait().unwrap().is_none(), "nginx exited: {e}");
                assert!(
                    std::time::Instant::now() < until,
                    "nginx never answered: {e:?}"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    assert_eq!(page.status(), 200);
    let hsts: Vec<_> = page
        .headers()
        .get_all("strict-transport-security")
        .iter()
        .collect();
    assert_eq!(hsts.len(), 1, "HSTS once, from the portal: {hsts:?}");
    let id = page.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "the proxy's request id ($request_id) is taken: {id}"
    );
    assert!(page.text().await.unwrap().contains("Provider Portal"));

    // HTTP goes to HTTPS.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("http://127.0.0.1:{plain}/wizard/lookup"))
        .header("host", "localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("https://localhost:{tls}/wizard/lookup")
    );

    // A form through the proxy, with a forged X-Forwarded-For: the cookie
    // is a Secure __Host- one, and the address recorded is the proxy's view.
    let r = client
        .post(format!("{base}/api/wizard/lookup"))
        .header("origin", &base)
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("username", "johnsmith@gmail.com"), ("tin", "83-6576879")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("__Host-") && cookie.contains("Secure"),
        "{cookie}"
    );
    let (address,): (String,) =
        sqlx::query_as("SELECT address FROM audit_events ORDER BY id DESC LIMIT 1")
            .fetch_one(app.state.store.pool())
            .await
            .unwrap();
    assert_eq!(
        address, "127.0.0.1",
        "the client's own X-Forwarded-For is not believed"
    );
    let log = std::fs::read_to_string(dir.join("logs/provider-portal.access.log")).unwrap();
    assert!(
        log.contains(&format!("rid={id}")),
        "the proxy's log has the id: {log}"
    );
    assert!(
        !log.contains("836576879"),
        "no form content in the proxy's log"
    );
    // SIGTERM: nginx's fast shutdown stops its workers too (a SIGKILL of
    // the master alone would leave them running).
    terminated(&mut server).await;
    let _ = std::fs::remove_dir_all(&dir);
    app.cleanup().await;
}
