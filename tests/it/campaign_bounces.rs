//! A mail server's permanent refusal of a campaign's mail (issue 32)
//! marks the address as bouncing: Find says so, and a later campaign skips
//! it.

use super::campaigns::{accounts, SOURCE};
use crate::common::TestApp;
use provider_portal::campaign::service::{self as campaigns, Spec};
use provider_portal::flow::outbox;

async fn a_refused_address_bounces_and_later_campaigns_skip_it(db: crate::common::Db) {
    let (port, _) =
        crate::common::smtp::server(crate::common::smtp::Answer::RefuseRecipients).await;
    let Some(a) = TestApp::spawn_quiet(db, |env| {
        env.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
    })
    .await
    else {
        return;
    };
    a.import(
        provider_portal::import::FileFormat::Csv,
        accounts(6),
        false,
        "test",
    )
    .await;
    let spec = Spec {
        name: "First".into(),
        sources: vec![SOURCE.into()],
        statuses: vec!["not_started".into()],
        langs: vec!["en".into()],
        per_hour: "3600".into(),
        reminders: String::new(),
        imported_before: String::new(),
    };
    let store = &a.state.store;
    let first = campaigns::create(store, &spec, None, a.state.clock.now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        campaigns::start(store, first, a.state.clock.now())
            .await
            .unwrap(),
        Some(6)
    );
    a.state.clock.advance(60);
    assert_eq!(campaigns::tick(&a.state).await, 6);
    outbox::deliver_due(&a.state).await;
    assert_eq!(
        a.count("SELECT COUNT(*) FROM mail_suppressions WHERE reason = 'bouncing'")
            .await,
        6,
        "each refused address bounces"
    );
    let f = store.campaign_figures(first).await.unwrap();
    assert_eq!((f[0].sent, f[0].bounced), (0, 6));
    // Find says so on the account's card.
    let op = a
        .enrolled_operator("fay.ops", provider_portal::domain::Role::Auditor)
        .await;
    let (o, _) = a.new_browser();
    a.ops_sign_in(&o, &op).await;
    let page = a.get_with(&o, "/ops/find?q=camp-0001").await;
    assert!(
        page.body.contains("Its address bounces (since "),
        "{}",
        page.body
    );
    // A later campaign writes to none of them.
    let second = campaigns::create(
        store,
        &Spec {
            name: "Second".into(),
            ..spec
        },
        None,
        a.state.clock.now(),
    )
    .await
    .unwrap()
    .unwrap();
    campaigns::start(store, second, a.state.clock.now())
        .await
        .unwrap();
    a.state.clock.advance(60);
    assert_eq!(campaigns::tick(&a.state).await, 0);
    assert_eq!(
        a.count(&format!(
            "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = {second} AND ended = 'bouncing'"
        ))
        .await,
        6
    );
    a.cleanup().await;
}

with_each_database!(a_refused_address_bounces_and_later_campaigns_skip_it);
