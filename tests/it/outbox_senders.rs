//! The outbox sends a batch on several connections at once
//! (`MAIL_CONNECTIONS`, issue 32: a campaign's 100,000 mails would
//! otherwise go one at a time, each waiting for the server's answer to its
//! end), never more than that many, and the mails to one address in the
//! order they were written.

use crate::common::smtp::{self, Answer, Seen};
use crate::common::{Db, TestApp};
use provider_portal::flow::outbox;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// 30 mails to 30 addresses and 10 to one more, interleaved: what each
/// setting of `MAIL_CONNECTIONS` does with them.
async fn sends_with(db: Db, connections: &str) -> Option<Arc<Seen>> {
    // Each message's end answered 40 ms late, as a server that writes it
    // to disk first: sends at once overlap there.
    let (port, seen) = smtp::server(Answer::Take {
        delay: std::time::Duration::from_millis(40),
        keep: true,
    })
    .await;
    let connections = connections.to_string();
    let app = TestApp::spawn_quiet(db, move |env| {
        env.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
        env.insert("MAIL_TIMEOUT_SECS".into(), "30".into());
        env.insert("MAIL_CONNECTIONS".into(), connections);
    })
    .await?;
    let mails = (0..40)
        .map(|i| outbox::Mail {
            kind: "notice",
            to: if i % 4 == 0 {
                "same@practice.example".into()
            } else {
                format!("other{i}@practice.example")
            },
            subject: format!("Mail {i}"),
            body: format!("Mail number {i}."),
            not_me: None,
        })
        .collect();
    outbox::enqueue(&app.state, mails).await.unwrap();
    let mut sent = 0;
    while sent < 40 {
        let went = outbox::deliver_due(&app.state).await;
        assert!(went > 0, "every mail goes ({sent} of 40 so far)");
        sent += went;
    }
    assert_eq!(sent, 40);
    app.cleanup().await;
    Some(seen)
}

async fn a_batch_goes_out_on_several_connections_in_order_per_address(db: Db) {
    let Some(seen) = sends_with(db, "4").await else {
        return;
    };
    let taken = seen.taken.lock().unwrap().clone();
    assert_eq!(taken.len(), 40, "each mail taken once");
    let most = seen.most.load(Ordering::SeqCst);
    assert!(
        (2..=4).contains(&most),
        "up to MAIL_CONNECTIONS (4) messages at once, and more than one: {most}"
    );
    let to_one: Vec<&str> = taken
        .iter()
        .filter(|(to, _)| to == "same@practice.example")
        .map(|(_, s)| s.as_str())
        .collect();
    let written: Vec<String> = (0..40).step_by(4).map(|i| format!("Mail {i}")).collect();
    assert_eq!(to_one, written, "one address's mail in the order written");

    let Some(seen) = sends_with(db, "1").await else {
        return;
    };
    assert_eq!(seen.taken.lock().unwrap().len(), 40);
    assert_eq!(
        seen.most.load(Ordering::SeqCst),
        1,
        "MAIL_CONNECTIONS=1: one message at a time"
    );
}

with_each_database!(a_batch_goes_out_on_several_connections_in_order_per_address);
