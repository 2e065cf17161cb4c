//! Mail that is never lost (issue 18): every mail is written into the
//! outbox with its step and delivered by a worker, against a real SMTP
//! server (maildev) that goes away and comes back; each arrives once, with
//! the Message-ID its outbox row was given.

use crate::common::maildev::Maildev;
use crate::common::process::{server_process, silent_server, KillOnDrop};
use crate::common::{code_in, eventually, Db, TestApp};
use provider_portal::flow::outbox;
use std::collections::HashMap;

/// How long a mail may take to send here: maildev on a loaded machine may
/// answer late, and a send given up after the server took the mail would
/// send it twice.
const MAIL_TIMEOUT_SECS: &str = "30";

fn mailing_to(maildev: &Maildev) -> impl FnOnce(&mut HashMap<String, String>) {
    let url = maildev.smtp_url();
    move |env| {
        env.insert("SMTP_URL".into(), url);
        env.insert("MAIL_TIMEOUT_SECS".into(), MAIL_TIMEOUT_SECS.into());
    }
}

/// The app mailing to `maildev`, its outbox worker running.
async fn app_mailing(db: Db, maildev: &Maildev) -> Option<TestApp> {
    TestApp::spawn_with(db, mailing_to(maildev)).await
}

/// The app mailing to `maildev` with no worker of its own: the test's
/// claims and deliveries are the only ones.
async fn quiet_app_mailing(db: Db, maildev: &Maildev) -> Option<TestApp> {
    TestApp::spawn_quiet(db, mailing_to(maildev)).await
}

/// A try that failed waits its backoff: when no mail is being sent and none
/// is due, the app's clock moves on to the next one due (never further, so
/// that no lease is overtaken: a mail in a worker's hands is never taken
/// again).
async fn let_time_pass(app: &TestApp) {
    use sqlx::Row;
    let r = sqlx::query(
        "SELECT MIN(next_at) AS due, COUNT(claimed_by) AS held FROM outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(app.state.store.pool())
    .await
    .unwrap();
    let due: Option<i64> = r.try_get("due").unwrap();
    let held: i64 = r.try_get("held").unwrap();
    if let (Some(due), 0) = (due, held) {
        let wait = due - app.state.clock.now();
        if wait > 0 {
            app.state.clock.advance(wait);
        }
    }
}

/// (id, message_id, attempts, sent, failed, last_error) of every outbox row.
async fn rows(app: &TestApp) -> Vec<(i64, String, i64, bool, bool, Option<String>)> {
    use sqlx::Row;
    sqlx::query(
        "SELECT id, message_id, attempts, sent_at, failed_at, last_error, body FROM outbox ORDER BY id",
    )
    .fetch_all(app.state.store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        let sent = r.try_get::<Option<i64>, _>("sent_at").unwrap().is_some();
        let body: String = r.try_get("body").unwrap();
        // A body is kept sealed until the mail is done, then emptied.
        assert_eq!(sent, body.is_empty(), "a sent mail keeps no body; a queued one does");
        (
            r.try_get("id").unwrap(),
            r.try_get("message_id").unwrap(),
            r.try_get("attempts").unwrap(),
            sent,
            r.try_get::<Option<i64>, _>("failed_at").unwrap().is_some(),
            r.try_get("last_error").unwrap(),
        )
    })
    .collect()
}

/// John's wizard up to Verify Username and Password, its code read from
/// maildev.
async fn walk_to_password(app: &TestApp, maildev: &Maildev, email: &str) {
    let john = [("username", "johnsmith@gmail.com"), ("tin", "83-6576879")];
    let (loc, _) = app.submit("/api/wizard/lookup", &john).await;
    assert_eq!(loc, "/wizard/verify");
    let (loc, _) = app
        .submit("/api/wizard/verify", &[("answer", "smith")])
        .await;
    assert_eq!(loc, "/wizard/email");
    let before = maildev.received().await.len();
    let (loc, _) = app
        .submit(
            "/api/wizard/email",
            &[("email", email), ("verify_email", email)],
        )
        .await;
    assert_eq!(loc, "/wizard/code", "the code mail went at once");
    let got = maildev.wait_for(before + 1).await;
    let code = code_in(
        &got.iter()
            .find(|m| m.to == email)
            .expect("the code mail")
            .text,
    );
    let (loc, _) = app.submit("/api/wizard/code", &[("code", &code)]).await;
    assert_eq!(loc, "/wizard/password");
    let pw = [
        ("username", "johnsmith@gmail.com"),
        ("password", "Welcome#2019"),
    ];
    let (loc, _) = app.submit("/api/wizard/password", &pw).await;
    assert_eq!(loc, "/wizard/accounts");
}

/// The mail server goes away just before Finish and stays away ten
/// minutes: the consolidation is not held up, its mail waits in the
/// outbox, and once a mail server answers again every mail arrives, once.
async fn mail_waits_for_the_mail_server(db: Db) {
    let mut maildev = Maildev::start().await;
    let Some(app) = app_mailing(db, &maildev).await else {
        return;
    };
    walk_to_password(&app, &maildev, "john@example.com").await;
    let code_mails = rows(&app).await;
    assert_eq!(code_mails.len(), 1, "the code mail went through the outbox");
    assert!(code_mails[0].3, "and was sent by its request");
    maildev.down();
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(
        loc, "/wizard/done",
        "Finish does not wait for the mail server"
    );
    assert!(rows(&app).await.len() > 1, "Finish wrote its mail");
    // The worker tries at once, and fails: the mail waits (its failure
    // recorded once the try is over).
    let queued = eventually("the worker's first try, recorded", async || {
        let queued = rows(&app).await.split_off(1);
        if queued.iter().all(|r| r.2 >= 1 && r.5.is_some()) {
            Ok(queued)
        } else {
            Err(queued)
        }
    })
    .await;
    for r in &queued {
        assert!(
            r.2 >= 1 && !r.3 && !r.4,
            "tried, neither sent nor given up: {r:?}"
        );
        assert_eq!(r.5.as_deref(), Some("unreachable"), "{r:?}");
    }
    // Ten minutes of a mail server that refuses: every try fails.
    for _ in 0..4 {
        app.state.clock.advance(150);
        outbox::deliver_due(&app.state).await;
    }
    assert!(rows(&app).await.iter().skip(1).all(|r| !r.3 && !r.4));
    // It answers again: the next try delivers each mail, whether this
    // test or the app's worker takes it. The time passes only while no try
    // is under way: a mail the worker holds is never taken again here.
    maildev.up().await;
    eventually("every mail sent", async || {
        let done = rows(&app).await;
        if done.iter().all(|r| r.3) {
            return Ok(());
        }
        let_time_pass(&app).await;
        outbox::deliver_due(&app.state).await;
        Err(done)
    })
    .await;
    let got = maildev.wait_for(queued.len()).await;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for m in &got {
        *seen
            .entry(m.message_id.trim_matches(['<', '>']).to_string())
            .or_default() += 1;
    }
    for r in &queued {
        assert_eq!(
            seen.get(r.1.trim_matches(['<', '>'])),
            Some(&1),
            "{} arrived once: {seen:?}",
            r.1
        );
    }
    assert_eq!(got.len(), queued.len(), "nothing else, nothing twice");
    assert!(got
        .iter()
        .any(|m| m.to == "john@example.com" && m.subject.contains("under one login")));
    // Nothing is due any more, and nothing goes twice.
    app.state.clock.advance(3600);
    assert_eq!(outbox::deliver_due(&app.state).await, 0);
    assert_eq!(maildev.received().await.len(), got.len());
    app.cleanup().await;
}

/// Two instances on one database, each with its worker, and mail written
/// on both: each mail is delivered by one of them, once.
async fn two_instances_deliver_each_mail_once(db: Db) {
    let maildev = Maildev::start().await;
    let Some(one) = app_mailing(db, &maildev).await else {
        return;
    };
    let url = maildev.smtp_url();
    let two = one
        .spawn_sharing(move |env| {
            env.insert("SMTP_URL".into(), url);
        })
        .await;
    let letters = |app: &'static str, n: usize| {
        (0..n)
            .map(|i| outbox::Mail {
                kind: "test",
                to: format!("someone{i}@example.com"),
                subject: format!("from {app}, {i}"),
                body: format!("letter {i}"),
                not_me: None,
            })
            .collect::<Vec<_>>()
    };
    let (a, b) = tokio::join!(
        outbox::enqueue(&one.state, letters("one", 30)),
        outbox::enqueue(&two.state, letters("two", 30))
    );
    assert_eq!(a.unwrap().len() + b.unwrap().len(), 60);
    // Both deliver side by side (their workers too).
    tokio::join!(
        outbox::deliver_due(&one.state),
        outbox::deliver_due(&two.state)
    );
    let got = maildev.wait_for(60).await;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for m in &got {
        *seen.entry(m.subject.as_str()).or_default() += 1;
    }
    assert_eq!(got.len(), 60, "sixty mails, none twice: {seen:?}");
    assert!(seen.values().all(|n| *n == 1));
    // A mail is in maildev a moment before its sender records it sent.
    let done = eventually("every mail recorded as sent", async || {
        let done = rows(&one).await;
        if done.iter().all(|r| r.3) {
            Ok(done)
        } else {
            Err(done)
        }
    })
    .await;
    assert!(
        done.iter().all(|r| r.2 == 1),
        "each sent at its first try: {done:?}"
    );
    two.cleanup().await;
    one.cleanup().await;
}

/// A worker that died mid-send (its claim held, never confirmed): once its
/// lease ends, another worker sends the mail. The app runs no worker of
/// its own: the dead worker's claim and the other's are this test's.
async fn a_dead_workers_mail_goes_after_its_lease(db: Db) {
    let maildev = Maildev::start().await;
    let Some(app) = quiet_app_mailing(db, &maildev).await else {
        return;
    };
    let ids = app
        .state
        .store
        .enqueue_mail(
            &outbox::prepare(
                &app.state,
                vec![outbox::Mail {
                    kind: "test",
                    to: "owner@example.com".into(),
                    subject: "held by a dead worker".into(),
                    body: "hello".into(),
                    not_me: None,
                }],
                app.state.clock.now(),
            ),
            app.state.clock.now(),
        )
        .await
        .unwrap();
    // The dead worker's claim, as it was when the process was killed.
    let now = app.state.clock.now();
    let claimed = app
        .state
        .store
        .claim_mail((now, now), now + 40, "dead-worker", 10, None)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].id, ids[0]);
    assert_eq!(
        outbox::deliver_due(&app.state).await,
        0,
        "held: not sent meanwhile"
    );
    assert!(maildev.received().await.is_empty());
    // The dead worker cannot record it as sent once it lost the claim.
    app.state.clock.advance(41);
    assert_eq!(outbox::deliver_due(&app.state).await, 1);
    assert!(!app
        .state
        .store
        .mail_sent(ids[0], "dead-worker", now + 41)
        .await
        .unwrap());
    let got = maildev.wait_for(1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].text.trim(), "hello");
    let r = &rows(&app).await[0];
    assert!(r.3 && r.2 == 2, "sent at the second claim: {r:?}");
    app.cleanup().await;
}

with_each_database!(
    mail_waits_for_the_mail_server,
    two_instances_deliver_each_mail_once,
    a_dead_workers_mail_goes_after_its_lease,
    mail_of_a_killed_process_goes_after_restart,
    one_instance_sweeps_at_a_time,
    the_outbox_page_shows_mail_not_delivered
);

const KILL_TEST_SECRET: &str = "a-secret-for-the-kill-test-only-0123456789";

/// (claimed_by, attempts, sent) of every outbox row, read from `store`.
async fn states(store: &provider_portal::store::Store) -> Vec<(Option<String>, i64, bool)> {
    use sqlx::Row;
    sqlx::query("SELECT claimed_by, attempts, sent_at FROM outbox ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("claimed_by").unwrap(),
                r.try_get("attempts").unwrap(),
                r.try_get::<Option<i64>, _>("sent_at").unwrap().is_some(),
            )
        })
        .collect()
}

/// The app killed (SIGKILL) in the middle of sending its queued mail; a
/// new process on the same database sends every mail once the dead one's
/// claim has run out.
async fn mail_of_a_killed_process_goes_after_restart(db: Db) {
    // A database of its own, with no app in this process (no worker here).
    let Some(holder) = TestApp::spawn(db).await else {
        return;
    };
    let url = match db {
        Db::Sqlite => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-dbs");
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{}.db", crate::common::unique("kill")))
                    .display()
            )
        }
        Db::Postgres => {
            let (admin, _) = holder.pg_database().unwrap();
            let name = crate::common::unique("pp_kill");
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap();
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            let base = admin
                .split('?')
                .next()
                .unwrap()
                .rsplit_once('/')
                .unwrap()
                .0
                .to_string();
            format!("{base}/{name}")
        }
    };
    let store = provider_portal::store::Store::connect(&url).await.unwrap();
    let now = holder.state.clock.now();
    let mails: Vec<_> = (0..3)
        .map(|i| provider_portal::store::NewMail {
            kind: "test".into(),
            to: format!("owner{i}@example.com"),
            subject: format!("queued {i}"),
            sealed_body: provider_portal::auth::sealed::seal(
                KILL_TEST_SECRET.as_bytes(),
                outbox::PURPOSE,
                format!("body {i}").as_bytes(),
            ),
            message_id: format!("<kill-test-{i}-{now}@example.com>"),
            next_at: now,
            give_up_at: now + 3600,
            not_me: None,
            unsubscribe: None,
        })
        .collect();
    store.enqueue_mail(&mails, now).await.unwrap();
    // The first process claims the mail and hangs on a mail server that
    // never answers; it is killed there.
    let silent = format!("smtp://127.0.0.1:{}", silent_server().await);
    let mut first = KillOnDrop(
        server_process(
            &url,
            &[
                ("APP_SECRET", KILL_TEST_SECRET),
                ("SMTP_URL", &silent),
                ("MAIL_TIMEOUT_SECS", "60"),
            ],
        )
        .0,
    );
    eventually("the first process claimed the mail", async || {
        let s = states(&store).await;
        if s.iter().all(|(by, n, _)| by.is_some() && *n == 1) {
            Ok(())
        } else {
            Err(s)
        }
    })
    .await;
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(states(&store).await.iter().all(|(_, _, sent)| !sent));
    // Its claim lasts the mail timeout and a margin (here 90 s); the time
    // passes in the database, since the new process's clock cannot be
    // moved from here.
    sqlx::query("UPDATE outbox SET claimed_until = claimed_until - 3600")
        .execute(store.pool())
        .await
        .unwrap();
    let maildev = Maildev::start().await;
    let mut second = KillOnDrop(
        server_process(
            &url,
            &[
                ("APP_SECRET", KILL_TEST_SECRET),
                ("SMTP_URL", &maildev.smtp_url()),
                ("MAIL_TIMEOUT_SECS", MAIL_TIMEOUT_SECS),
            ],
        )
        .0,
    );
    let got = maildev.wait_for(3).await;
    // maildev has a mail a moment before the process records it sent: the
    // process is stopped only once every mail is recorded.
    let s = eventually("the second process recorded every mail sent", async || {
        let s = states(&store).await;
        if s.iter().all(|(_, _, sent)| *sent) {
            Ok(s)
        } else {
            Err(s)
        }
    })
    .await;
    let _ = second.kill();
    let _ = second.wait();
    let mut ids: Vec<String> = got
        .iter()
        .map(|m| m.message_id.trim_matches(['<', '>']).to_string())
        .collect();
    ids.sort();
    let want: Vec<String> = (0..3)
        .map(|i| format!("kill-test-{i}-{now}@example.com"))
        .collect();
    assert_eq!(
        ids, want,
        "each queued mail arrived once, with its Message-ID"
    );
    assert!(got.iter().any(|m| m.text.trim() == "body 1"));
    assert!(
        s.iter()
            .all(|(by, n, sent)| by.is_none() && *n == 2 && *sent),
        "{s:?}"
    );
    store.pool().close().await;
    if let Db::Postgres = db {
        let (admin, _) = holder.pg_database().unwrap();
        let name = url.rsplit('/').next().unwrap().to_string();
        if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await {
            let _ = sqlx::Executor::execute(
                &mut conn,
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
            )
            .await;
        }
    }
    holder.cleanup().await;
}

/// The sweep (expired wizards, sessions, the funnel's fold) runs on one
/// instance at a time: on PostgreSQL an advisory lock held elsewhere makes
/// an instance skip its turn. (SQLite: every instance sweeps.) Both
/// instances are quiet: no sweep of their own takes the lock between this
/// test's steps.
async fn one_instance_sweeps_at_a_time(db: Db) {
    let Some(app) = TestApp::spawn_quiet(db, |_| {}).await else {
        return;
    };
    let other = app.spawn_sharing(|_| {}).await;
    let held = other
        .state
        .store
        .try_job_lock(provider_portal::server::SWEEP_LOCK)
        .await
        .unwrap()
        .expect("the lock is free");
    let ran = provider_portal::server::sweep(&app.state).await;
    assert_eq!(
        ran,
        db == Db::Sqlite,
        "skipped while another instance sweeps (PostgreSQL)"
    );
    held.release().await;
    assert!(
        provider_portal::server::sweep(&app.state).await,
        "runs once the lock is free"
    );
    // The lock is free again after a sweep.
    assert!(other
        .state
        .store
        .try_job_lock(provider_portal::server::SWEEP_LOCK)
        .await
        .unwrap()
        .is_some());
    other.cleanup().await;
    app.cleanup().await;
}

/// The console's Outbox page: mail being tried again and mail failed for
/// good, with the recipient masked, the subject, the tries and the last
/// failure's class; never a body, never the whole address. The view is
/// audited. No worker of the app's own: a try it had in hand would show
/// as queued, not yet failed.
async fn the_outbox_page_shows_mail_not_delivered(db: Db) {
    let down = Maildev::ports();
    let Some(app) = quiet_app_mailing(db, &down).await else {
        return;
    };
    let letter = |to: &str, subject: &str| outbox::Mail {
        kind: "test",
        to: to.into(),
        subject: subject.into(),
        body: "the body holds 314159".into(),
        not_me: None,
    };
    outbox::enqueue(
        &app.state,
        vec![letter("someone@example.com", "Given up on")],
    )
    .await
    .unwrap();
    // Tried until its 24 hours are over: failed for good.
    outbox::deliver_due(&app.state).await;
    app.state.clock.advance(outbox::GIVE_UP_SECS);
    outbox::deliver_due(&app.state).await;
    outbox::enqueue(
        &app.state,
        vec![letter("another@example.com", "Still trying")],
    )
    .await
    .unwrap();
    outbox::deliver_due(&app.state).await;
    let op = app
        .enrolled_operator("otto.ops", provider_portal::domain::Role::Auditor)
        .await;
    let (a, _) = app.new_browser();
    app.ops_sign_in(&a, &op).await;
    let page = app.get_with(&a, "/ops/outbox").await;
    assert_eq!(page.status, 200);
    let text = &page.body;
    for want in [
        "Outbox",
        "so*****@example.com",
        "an*****@example.com",
        "Given up on",
        "Still trying",
        "Failed for good",
        "Being tried again",
        "unreachable",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    for never in ["314159", "someone@example.com", "another@example.com"] {
        assert!(!page.body.contains(never), "{never} shown");
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'ops/outbox' AND outcome = 'viewed'"
        )
        .await,
        1
    );
    // In Spanish too.
    let es = a
        .get(format!("{}/ops/outbox", app.base))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    let es = TestApp::read(es).await;
    assert!(es.body.contains("Bandeja de salida") && es.body.contains("Falló definitivamente"));
    app.cleanup().await;
}
