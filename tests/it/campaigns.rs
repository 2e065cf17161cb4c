//! Invitation campaigns (issue 32, step 2), against maildev on both
//! databases: 1,000 imported old accounts at 300 addresses get 300 mails at
//! the campaign's rate (time compressed through the app's clock), one per
//! address listing its accounts, with two instances ticking at once and
//! none sent twice; a link fills in Account Lookup and counts the wizard
//! begun from it; the one-click unsubscribe works without a session;
//! reminders go only to the addresses still holding accounts not moved,
//! and nothing to an unsubscribed address (campaign_bounces: a mail
//! server's permanent refusal).
//!
//! The app runs quiet (no background workers): the test plays the
//! campaign worker and the outbox worker, on both instances at once, so
//! that nothing else takes what it counts.

use crate::common::maildev::{Maildev, Received};
use crate::common::TestApp;
use provider_portal::campaign::service::{self as campaigns, Spec};
use provider_portal::flow::outbox;
use std::collections::HashMap;

pub(super) const SOURCE: &str = "camp-portal";
const TIN: &str = "934567890";
const PASSWORD: &str = "Lantern harbour quietly 42";

/// An LDAP salted SHA-1 (`{SSHA}`), one of the old portals' formats: cheap
/// to check, so that 1,000 accounts import in a moment.
fn ssha(secret: &str) -> String {
    use base64::Engine;
    use sha1::{Digest, Sha1};
    let salt = b"campaign";
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(salt);
    let mut out = h.finalize().to_vec();
    out.extend_from_slice(salt);
    format!(
        "{{SSHA}}{}",
        base64::engine::general_purpose::STANDARD.encode(out)
    )
}

/// The address of account `i`: account 999 alone at `owner0@`, the other
/// 999 spread over `owner1@` to `owner299@` (three or four each).
fn address_of(i: usize) -> String {
    let n = if i == 999 { 0 } else { i % 299 + 1 };
    format!("owner{n}@clinic.example")
}

/// `n` old accounts of [`SOURCE`], as an import file.
pub(super) fn accounts(n: usize) -> Vec<u8> {
    let (answer, pin, password) = (ssha("civic"), ssha("2718"), ssha(PASSWORD));
    let mut csv = String::from(
        "source,legacy_id,username,tins,practice,role,email,question,answer_hash,pin_hash,password_hash\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "{SOURCE},{i},camp-{i:04},{TIN},Clinic {i},Front desk,{},What was your first car?,{answer},{pin},{password}\n",
            address_of(i).to_uppercase(),
        ));
    }
    csv.into_bytes()
}

/// Both instances tick and deliver at once; the campaign mail written so far.
async fn tick_both(a: &TestApp, b: &TestApp) -> i64 {
    tokio::join!(campaigns::tick(&a.state), campaigns::tick(&b.state));
    tokio::join!(outbox::deliver_due(&a.state), outbox::deliver_due(&b.state));
    a.count("SELECT COUNT(*) FROM outbox WHERE kind = 'campaign'")
        .await
}

fn advance(a: &TestApp, b: &TestApp, secs: i64) {
    a.state.clock.advance(secs);
    b.state.clock.advance(secs);
}

/// The campaign's mail received, by address.
fn by_address(mail: &[Received]) -> HashMap<String, Vec<&Received>> {
    let mut map: HashMap<String, Vec<&Received>> = HashMap::new();
    for m in mail
        .iter()
        .filter(|m| m.subject.contains("to the new provider portal"))
    {
        map.entry(m.to.clone()).or_default().push(m);
    }
    map
}

/// The link into Account Lookup of `username` in a mail's text.
fn link_of(text: &str, username: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("- {username} (")))
        .unwrap_or_else(|| panic!("{username} is listed: {text}"));
    line.rsplit(' ').next().unwrap().to_string()
}

async fn a_campaign_writes_once_per_address_at_its_rate_and_reminds_who_has_not_moved(
    db: crate::common::Db,
) {
    let maildev = Maildev::start().await;
    let smtp = maildev.smtp_url();
    let Some(a) = TestApp::spawn_quiet(db, |env| {
        env.insert("SMTP_URL".into(), smtp.clone());
    })
    .await
    else {
        return;
    };
    let b = a
        .spawn_sharing(|env| {
            env.insert("SMTP_URL".into(), smtp.clone());
        })
        .await;
    let (summary, _) = a
        .import(
            provider_portal::import::FileFormat::Csv,
            accounts(1000),
            false,
            "test",
        )
        .await;
    assert_eq!(summary.inserted, 1000, "{summary:?}");

    // A draft of every status of the portal, 60 an hour, a reminder after
    // 7 days, in English and Spanish.
    let now = a.state.clock.now();
    let spec = Spec {
        name: "Spring wave".into(),
        sources: vec![SOURCE.into()],
        statuses: vec!["not_started".into(), "in_wizard".into(), "stuck".into()],
        langs: vec!["en".into(), "es".into()],
        per_hour: "60".into(),
        reminders: "7".into(),
        imported_before: String::new(),
    };
    let id = campaigns::create(&a.state.store, &spec, None, now)
        .await
        .unwrap()
        .expect("a good spec");
    let c = a.state.store.campaign(id).await.unwrap().unwrap();
    assert_eq!(a.state.store.campaign_reach(&c).await.unwrap(), (300, 1000));
    // A draft sends nothing.
    advance(&a, &b, 3600);
    assert_eq!(tick_both(&a, &b).await, 0);
    let started = campaigns::start(&a.state.store, id, a.state.clock.now())
        .await
        .unwrap();
    assert_eq!(started, Some(300));
    assert_eq!(
        campaigns::start(&b.state.store, id, b.state.clock.now())
            .await
            .unwrap(),
        None,
        "started once"
    );

    // Each hour, 60 more: both instances tick at once, and none is written
    // twice.
    for hour in 1..=5 {
        advance(&a, &b, 3600);
        assert_eq!(tick_both(&a, &b).await, 60 * hour, "after hour {hour}");
        assert_eq!(
            tick_both(&a, &b).await,
            60 * hour,
            "no more within the hour"
        );
    }
    let mail = maildev.wait_for(300).await;
    let got = by_address(&mail);
    assert_eq!(got.len(), 300, "one mail per address");
    assert!(got.values().all(|m| m.len() == 1), "none twice");
    // One mail lists every account of its address, each with its own link.
    let owner1 = got["owner1@clinic.example"][0];
    let listed: Vec<usize> = (0..999)
        .filter(|i| address_of(*i) == "owner1@clinic.example")
        .collect();
    assert!(listed.len() >= 3);
    for i in &listed {
        let link = link_of(&owner1.text, &format!("camp-{i:04}"));
        assert!(link.contains("/wizard/lookup?invite="), "{link}");
        assert!(
            !link.contains(&format!("camp-{i:04}")),
            "the link names nobody: {link}"
        );
    }
    assert!(
        !owner1.text.contains(TIN)
            && !owner1.text.contains("civic")
            && !owner1.text.contains("2718")
    );
    assert!(owner1.text.contains("Hola:"), "English, then Spanish");
    assert!(
        owner1.unsubscribe.starts_with("<http") && owner1.unsubscribe.contains("/unsubscribe/"),
        "{}",
        owner1.unsubscribe
    );
    assert_eq!(owner1.unsubscribe_post, "List-Unsubscribe=One-Click");

    // owner0's one account: its link fills in Account Lookup, and the
    // provider moves it; the wizard counts as begun from the link.
    let link = link_of(&got["owner0@clinic.example"][0].text, "camp-0999");
    let path = &link[link.find("/wizard/").unwrap()..];
    let invite = path.split("invite=").nth(1).unwrap().to_string();
    let (p, _) = a.new_browser();
    let page = a.get_with(&p, path).await;
    assert!(page.body.contains("value=\"camp-0999\""), "{}", page.body);
    assert!(page
        .body
        .contains(&format!("name=\"invite\" value=\"{invite}\"")));
    let (loc, _) = a
        .submit_with(
            &p,
            "/api/wizard/lookup",
            &[("username", "camp-0999"), ("tin", TIN), ("invite", &invite)],
        )
        .await;
    assert_eq!(loc, "/wizard/verify");
    let (loc, _) = a
        .submit_with(&p, "/api/wizard/verify", &[("answer", "Civic")])
        .await;
    assert_eq!(loc, "/wizard/email");
    let before = maildev.received().await.len();
    let email = "mover0@clinic.example";
    a.submit_with(
        &p,
        "/api/wizard/email",
        &[("email", email), ("verify_email", email)],
    )
    .await;
    let code_mail = maildev.wait_for(before + 1).await;
    let code = crate::common::code_in(&code_mail.last().unwrap().text);
    let (loc, _) = a
        .submit_with(&p, "/api/wizard/code", &[("code", &code)])
        .await;
    assert_eq!(loc, "/wizard/password");
    let (loc, _) = a
        .submit_with(
            &p,
            "/api/wizard/password",
            &[("username", "camp-0999"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    let (loc, _) = a.submit_with(&p, "/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    // Progress's funnel counts it among the wizards begun that day, as
    // begun from a link, its account moved.
    let now = a.state.clock.now();
    let today = now - now.rem_euclid(86_400);
    let store = &a.state.store;
    assert_eq!(
        store
            .funnel_from_links(today, today + 86_400)
            .await
            .unwrap(),
        (1, 1)
    );
    assert_eq!(
        store
            .funnel_from_links(today + 86_400, today + 2 * 86_400)
            .await
            .unwrap(),
        (0, 0)
    );

    // owner1 unsubscribes with one click: no session, no cookie, no page.
    let url = owner1.unsubscribe.trim_matches(['<', '>']).to_string();
    let res = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        a.count("SELECT COUNT(*) FROM mail_suppressions WHERE address = 'owner1@clinic.example' AND reason = 'unsubscribed'").await,
        1
    );
    // The page of the same link says so, in plain words.
    let page = a.get(&url[url.find("/unsubscribe/").unwrap()..]).await;
    assert!(
        page.body.contains("gets no more invitations or reminders"),
        "{}",
        page.body
    );
    // Find says so at once, on each of its accounts (and not on another's).
    let op = a
        .enrolled_operator("fay.ops", provider_portal::domain::Role::Auditor)
        .await;
    let (o, _) = a.new_browser();
    a.ops_sign_in(&o, &op).await;
    let page = a.get_with(&o, "/ops/find?q=camp-0299").await;
    assert!(
        page.body.contains("Its address unsubscribed on "),
        "{}",
        page.body
    );
    let page = a.get_with(&o, "/ops/find?q=camp-0002").await;
    assert!(page.body.contains("Campaigns may write to its address"));

    // A week on: the reminder, to every address still holding an account
    // not moved (not owner0, who moved it; not owner1, unsubscribed), at
    // the rate, none twice.
    advance(&a, &b, 7 * 86_400);
    let mut written = 0;
    for _ in 0..10 {
        written = tick_both(&a, &b).await;
        if written == 300 + 298 {
            break;
        }
        advance(&a, &b, 3600);
    }
    assert_eq!(written, 300 + 298);
    let mail = maildev.wait_for(300 + 1 + 298).await;
    let got = by_address(&mail);
    assert_eq!(got["owner0@clinic.example"].len(), 1, "moved: no reminder");
    assert_eq!(
        got["owner1@clinic.example"].len(),
        1,
        "unsubscribed: no reminder"
    );
    let reminded = got.values().filter(|m| m.len() == 2).count();
    assert_eq!(reminded, 298);
    assert!(got.values().all(|m| m.len() <= 2));
    let reminder = got["owner2@clinic.example"]
        .iter()
        .find(|m| m.subject.starts_with("Reminder"))
        .expect("a reminder");
    assert!(reminder.text.contains("A reminder"));
    // Nothing more is due: the campaign is done.
    advance(&a, &b, 30 * 86_400);
    assert_eq!(tick_both(&a, &b).await, 598);
    assert_eq!(
        a.state.store.campaign(id).await.unwrap().unwrap().state,
        "done"
    );

    // The figures per wave.
    let f = a.state.store.campaign_figures(id).await.unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!((f[0].wave, f[0].sent, f[0].bounced), (1, 300, 0));
    assert_eq!(
        (
            f[0].unsubscribed,
            f[0].started,
            f[0].finished_7,
            f[0].finished_30
        ),
        (1, 1, 1, 1)
    );
    assert_eq!((f[1].wave, f[1].sent, f[1].started), (2, 298, 0));
    // The Campaigns list's count, read for every campaign at once.
    let sent = a.state.store.invitations_sent().await.unwrap();
    assert_eq!(sent.get(&id), Some(&300));
    b.cleanup().await;
    a.cleanup().await;
}

with_each_database!(
    a_campaign_writes_once_per_address_at_its_rate_and_reminds_who_has_not_moved,
    support_runs_a_campaign_from_the_console
);

/// Support runs a campaign from the console: an auditor reads but may not
/// act; a refused form keeps what was typed; the page previews the mail
/// with the first address's usernames and practices (no TIN, no working
/// link); a test goes to the address typed; Start, Pause, Resume and Stop
/// each need a reason and are audited; the figures export as CSV.
async fn support_runs_a_campaign_from_the_console(db: crate::common::Db) {
    use provider_portal::domain::Role;
    let Some(owned) = TestApp::spawn(db).await else {
        return;
    };
    let app = &owned;
    app.import(
        provider_portal::import::FileFormat::Csv,
        accounts(5),
        false,
        "test",
    )
    .await;
    let auditor = app.enrolled_operator("olga.ops", Role::Auditor).await;
    let (o, _) = app.new_browser();
    app.ops_sign_in(&o, &auditor).await;
    let page = app.get_with(&o, "/ops/campaigns").await;
    assert!(page.body.contains("No campaign yet."), "{}", page.body);
    assert!(
        !page.body.contains("name=\"per_hour\""),
        "no form for an auditor"
    );
    let form = |name: &'static str, per_hour: &'static str, reason: &'static str| {
        vec![
            ("name", name),
            ("source", SOURCE),
            ("statuses", "all"),
            ("langs", "en es"),
            ("per_hour", per_hour),
            ("reminders", "7, 21"),
            ("reason", reason),
        ]
    };
    let res = app
        .post_with(
            &o,
            "/ops/api/campaign_create",
            &form("Spring", "500", "wave one"),
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/ops?notice=not-allowed"));

    app.state.clock.advance(30);
    let support = app.enrolled_operator("sam.ops", Role::Support).await;
    let (s, _) = app.new_browser();
    app.ops_sign_in(&s, &support).await;
    let res = app
        .post_with(
            &s,
            "/ops/api/campaign_create",
            &form("Spring", "lots", "wave one"),
        )
        .await;
    let back = res.location.unwrap();
    assert!(back.contains("error=error-campaign-rate"), "{back}");
    let page = app.get_with(&s, &back).await;
    assert!(
        page.body.contains("Enter the mails per hour"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Spring\"") && page.body.contains("value=\"7, 21\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM campaigns").await, 0);
    let res = app
        .post_with(
            &s,
            "/ops/api/campaign_create",
            &form("Spring", "500", "wave one"),
        )
        .await;
    let here = res.location.unwrap();
    assert!(
        here.starts_with("/ops/campaign?id=") && here.ends_with("&notice=created"),
        "{here}"
    );
    let id = here["/ops/campaign?id=".len()..]
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let page = app.get_with(&s, &here).await;
    assert!(
        page.body
            .contains("It writes to 5 addresses now (5 old accounts)."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("camp-0000 (Clinic 0): http"),
        "the preview lists the first address's account"
    );
    assert!(
        page.body.contains("invite=…"),
        "no working link in the preview"
    );
    assert!(!page.body.contains(TIN));

    // A test, to the address typed.
    let before = app.state.mailer.dev_mail(200).len();
    let res = app
        .post_with(
            &s,
            "/ops/api/campaign_test",
            &[
                ("campaign", &id),
                ("address", "sam@insurer.example"),
                ("reason", "check the text"),
            ],
        )
        .await;
    assert!(res.location.unwrap().ends_with("&notice=campaign-test"));
    let mail = crate::common::eventually("the test mail", async || {
        let mail = app.state.mailer.dev_mail(200);
        if mail.len() > before {
            Ok(mail[0].clone())
        } else {
            Err(mail.len())
        }
    })
    .await;
    assert_eq!(mail.to, "sam@insurer.example");
    assert!(mail.subject.starts_with("[Test] "), "{}", mail.subject);
    assert!(mail.body.contains("jsmith-sample") && !mail.body.contains("camp-0000"));

    // Start needs a reason; then pause, resume, stop, each audited.
    let change = |change: &'static str, reason: &'static str| {
        let (s, id) = (s.clone(), id.clone());
        async move {
            app.post_with(
                &s,
                "/ops/api/campaign_change",
                &[("campaign", &id), ("change", change), ("reason", reason)],
            )
            .await
            .location
            .unwrap()
        }
    };
    assert!(change("start", " ")
        .await
        .contains("error=error-ops-reason-empty"));
    assert_eq!(
        app.state
            .store
            .campaign(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .state,
        "draft"
    );
    for (ch, state) in [
        ("start", "running"),
        ("pause", "paused"),
        ("resume", "running"),
        ("stop", "stopped"),
    ] {
        let to = change(ch, "asked by the migration lead").await;
        assert!(
            to.ends_with(&format!("&notice=campaign-{ch}")),
            "{ch}: {to}"
        );
        assert_eq!(
            app.state
                .store
                .campaign(id.parse().unwrap())
                .await
                .unwrap()
                .unwrap()
                .state,
            state
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_trail WHERE action = 'ops/campaign_{ch}' AND target = 'campaign:{id}' AND outcome = 'ok' AND reason = 'asked by the migration lead'"
            ))
            .await,
            1
        );
    }
    assert!(
        change("resume", "again")
            .await
            .ends_with("&notice=campaign-unchanged"),
        "a stopped campaign stays stopped"
    );

    // The figures as CSV, for the auditor too.
    let csv = app
        .get_with(&o, &format!("/ops/campaign.csv?id={id}"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body
            .starts_with("wave,sent,bounced,unsubscribed,wizards_begun"),
        "{}",
        csv.body
    );
    for action in [
        "ops/campaign_create",
        "ops/campaign_test",
        "ops/campaign_export",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_trail WHERE action = '{action}' AND outcome = 'ok'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    owned.cleanup().await;
}
