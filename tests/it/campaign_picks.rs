//! A campaign picks the old accounts imported before a day (issue 32): an
//! import records when it first loaded each account (a later run that
//! changes the row keeps that), and a campaign with "Imported before"
//! reaches only the accounts loaded earlier; the console's form refuses a
//! day it cannot read and keeps what was typed, and the campaign's page
//! names the day.

use crate::common::{Db, TestApp};
use provider_portal::campaign::service::{self as campaigns, Spec};
use provider_portal::import::FileFormat;
use provider_portal::mail::utc_day as day;

const SOURCE: &str = "picks-portal";
const HASH: &str = "$6$saltsaltsalt$w3Ri28EnrN85AeM.oPKCwy2dvgz3hSHiSncSId8ibNirT7pM7CVFEXpwwq0H96KvYucpVTO.yW.UErijQN9fl.";

/// Old accounts `ids` of [`SOURCE`], each at an address of its own, their
/// practice named `practice`.
fn accounts(ids: std::ops::Range<usize>, practice: &str) -> Vec<u8> {
    let mut csv = String::from(
        "source,legacy_id,username,tins,practice,role,email,question,answer_hash,pin_hash,password_hash\n",
    );
    for i in ids {
        csv.push_str(&format!(
            "{SOURCE},{i},picks-{i},{},{practice} {i},Front desk,owner{i}@picks.example,Your first school?,{HASH},{HASH},{HASH}\n",
            300_000_000 + i
        ));
    }
    csv.into_bytes()
}

async fn a_campaign_picks_the_accounts_imported_before_a_day(db: Db) {
    use provider_portal::domain::Role;
    let Some(app) = TestApp::spawn_quiet(db, |_| {}).await else {
        return;
    };
    let first = app.state.clock.now();
    let s = app
        .import(FileFormat::Csv, accounts(0..3, "Early"), false, "test")
        .await;
    assert_eq!(s.0.inserted, 3, "{:?}", s.0);
    // Three days on: two more, and one of the first three changed.
    app.state.clock.advance(3 * 86_400);
    let mut later = accounts(3..5, "Late");
    let header = accounts(0..0, "").len();
    later.extend_from_slice(&accounts(0..1, "Renamed")[header..]);
    // And one with no address at all, which no campaign picks.
    let no_address = String::from_utf8(accounts(9..10, "Silent"))
        .unwrap()
        .replace("owner9@picks.example", "");
    later.extend_from_slice(&no_address.as_bytes()[header..]);
    let s = app.import(FileFormat::Csv, later, false, "test").await;
    assert_eq!((s.0.inserted, s.0.updated), (3, 1), "{:?}", s.0);

    let spec = |before: &str| Spec {
        name: "Early ones".into(),
        sources: vec![SOURCE.into()],
        statuses: vec!["not_started".into()],
        langs: vec!["en".into()],
        per_hour: "100".into(),
        reminders: String::new(),
        imported_before: before.into(),
    };
    let store = &app.state.store;
    let now = app.state.clock.now();
    // Before the day after the first import: the first three only (the
    // one changed later was still first imported then).
    let id = campaigns::create(store, &spec(&day(first + 86_400)), None, now)
        .await
        .unwrap()
        .expect("a good spec");
    let c = store.campaign(id).await.unwrap().unwrap();
    assert_eq!(c.imported_before, Some((first / 86_400 + 1) * 86_400));
    assert_eq!(store.campaign_reach(&c).await.unwrap(), (3, 3));
    // Before the first import's own day: none; any day: all five.
    let none = campaigns::create(store, &spec(&day(first)), None, now)
        .await
        .unwrap()
        .unwrap();
    let none = store.campaign(none).await.unwrap().unwrap();
    assert_eq!(store.campaign_reach(&none).await.unwrap(), (0, 0));
    let all = campaigns::create(store, &spec(""), None, now)
        .await
        .unwrap()
        .unwrap();
    let all = store.campaign(all).await.unwrap().unwrap();
    assert_eq!(
        (
            all.imported_before,
            store.campaign_reach(&all).await.unwrap()
        ),
        (None, (5, 5))
    );
    for wrong in ["2026-02-30", "yesterday", "06/12/2026"] {
        assert_eq!(
            campaigns::create(store, &spec(wrong), None, now)
                .await
                .unwrap(),
            Err(("imported_before", "error-campaign-imported-before")),
            "{wrong}"
        );
    }

    // The console: a day it cannot read is refused and kept; a good one
    // is named on the campaign's page.
    let support = app.enrolled_operator("pia.ops", Role::Support).await;
    let (b, _) = app.new_browser();
    app.ops_sign_in(&b, &support).await;
    let form = |before: &str| -> Vec<(&'static str, String)> {
        [
            ("name", "Early ones"),
            ("source", SOURCE),
            ("statuses", "all"),
            ("langs", "en"),
            ("per_hour", "100"),
            ("reminders", ""),
            ("imported_before", before),
            ("reason", "the first load"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
    };
    let post = async |fields: Vec<(&'static str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_with(&b, "/ops/api/campaign_create", &fields).await
    };
    // Find tells an account campaigns may write to from one without an
    // address.
    let page = app.get_with(&b, "/ops/find?q=picks-0").await;
    assert!(
        page.body.contains("Campaigns may write to its address"),
        "{}",
        page.body
    );
    let page = app.get_with(&b, "/ops/find?q=picks-9").await;
    assert!(
        page.body
            .contains("It has no address: campaigns pass it over"),
        "{}",
        page.body
    );
    let res = post(form("2026-13-01")).await;
    let back = res.location.unwrap();
    assert!(
        back.contains("error=error-campaign-imported-before"),
        "{back}"
    );
    let page = app.get_with(&b, &back).await;
    assert!(
        page.body.contains("Enter a day as YYYY-MM-DD"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"2026-13-01\""),
        "what was typed is kept"
    );
    let day_after = day(first + 86_400);
    let res = post(form(&day_after)).await;
    let here = res.location.unwrap();
    assert!(here.starts_with("/ops/campaign?id="), "{here}");
    let page = app.get_with(&b, &here).await;
    assert!(
        page.body.contains(&format!("<dd>{day_after}</dd>")),
        "the page names the day: {}",
        page.body
    );
    assert!(
        page.body
            .contains("It writes to 3 addresses now (3 old accounts)."),
        "{}",
        page.body
    );
    app.cleanup().await;
}

with_each_database!(a_campaign_picks_the_accounts_imported_before_a_day);
