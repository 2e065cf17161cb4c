//! A hostile import file: what an old system's export (or someone who
//! altered it) could carry. Every such row is refused with its code and the
//! rest go in; nothing in it can take over another account, hold the
//! hashing pool later, or reach a spreadsheet as a formula.

use super::*;
use provider_portal::import::{FileFormat, Reported, Summary};

const BCRYPT4: &str = "$2b$04$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi";
const HEADER: &str =
    "source,legacy_id,username,tins,practice,role,question,answer,pin,password_hash\n";

async fn run(app: &TestApp, format: FileFormat, bytes: Vec<u8>) -> (Summary, Vec<Reported>) {
    app.import(format, bytes, false, "attacker").await
}

fn code_at(reported: &[Reported], line: u64) -> &'static str {
    reported
        .iter()
        .find(|r| r.line == line && r.rejected)
        .map_or("taken", |r| r.code)
}

pub(crate) async fn hostile_import_files(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mjones_before = app
        .count("SELECT COUNT(*) FROM legacy_accounts WHERE username = 'mjones' AND practice = 'Farmington Pediatrics'")
        .await;
    let mut csv = HEADER.as_bytes().to_vec();
    let mut line = |row: String| csv.extend_from_slice(row.as_bytes());
    let cases: Vec<(&str, &str, String)> = vec![
        ("a formula in a practice name", "formula-like", format!("evil,E1,e1,700000001,\"=cmd|' /C calc'!A0\",R,Q?,a,1234,{BCRYPT4}\n")),
        ("a formula behind a plus", "formula-like", format!("evil,E2,e2,700000002,+SUM(1;2),R,Q?,a,1234,{BCRYPT4}\n")),
        ("a formula behind an at sign", "formula-like", format!("evil,E3,e3,700000003,P,@HYPERLINK(x),Q?,a,1234,{BCRYPT4}\n")),
        ("a NUL in a username", "bad-text", format!("evil,E4,e\u{0}4,700000004,P,R,Q?,a,1234,{BCRYPT4}\n")),
        ("a NUL in a question", "bad-text", format!("evil,E5,e5,700000005,P,R,Q\u{0}?,a,1234,{BCRYPT4}\n")),
        ("a huge practice name", "field-too-long", format!("evil,E6,e6,700000006,{},R,Q?,a,1234,{BCRYPT4}\n", "P".repeat(5000))),
        ("a row bigger than 64 KiB", "field-too-long", format!("evil,E7,e7,700000007,P,R,Q?,{},1234,{BCRYPT4}\n", "a".repeat(70_000))),
        ("a bcrypt cost of 31", "hash-too-costly", "evil,E8,e8,700000008,P,R,Q?,a,1234,$2b$31$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi\n".to_string()),
        ("PBKDF2 with 10^9 rounds", "hash-too-costly", "evil,E9,e9,700000009,P,R,Q?,a,1234,\"$pbkdf2-sha256$i=1000000000,l=32$9sSfcR/t0gfGKNXad/Xe9w$MPeNe9wBiS0ON+zFiJCNkdf58rk0uxvNV3GH2Ny6tEg\"\n".to_string()),
        ("scrypt asking for 2 GiB", "hash-too-costly", "evil,E10,e10,700000010,P,R,Q?,a,1234,\"$scrypt$ln=21,r=8,p=1$91E2yssZlfX3C+2COJz11g$kAzdhhS96emTwLP1iaSa/n0e2VKdE2jZt4qQlrFJ51E\"\n".to_string()),
        ("argon2 asking for 4 GiB", "hash-too-costly", "evil,E11,e11,700000011,P,R,Q?,a,1234,\"$argon2id$v=19$m=4194304,t=2,p=1$PNjcI4il/QZNljhuEXDumQ$jxqwRXkt8lQC3vyiFI8g+s4COt5yqVKFhw/XagKU/gc\"\n".to_string()),
        ("SHA-crypt with 999,999,999 rounds", "hash-too-costly", "evil,E12,e12,700000012,P,R,Q?,a,1234,$6$rounds=999999999$saltsaltsalt$w3Ri28EnrN85AeM.oPKCwy2dvgz3hSHiSncSId8ibNirT7pM7CVFEXpwwq0H96KvYucpVTO.yW.UErijQN9fl.\n".to_string()),
        ("another source's username (the demo's mjones)", "username-taken", format!("evil,E13,MJONES,700000013,P,R,Q?,a,1234,{BCRYPT4}\n")),
        ("a look-alike of it in fullwidth letters", "username-taken", format!("evil,E14,ｍｊｏｎｅｓ,700000014,P,R,Q?,a,1234,{BCRYPT4}\n")),
        ("a plain hash of an unknown kind", "unknown-hash-format", "evil,E15,e15,700000015,P,R,Q?,a,1234,5f4dcc3b5aa765d61d8327deb882cf99\n".to_string()),
        ("PBKDF2-SHA1 at 2,000,000 rounds and four blocks of output (8,000,000 rounds' work)", "hash-too-costly", "evil,E18,e18,700000018,P,R,Q?,a,1234,\"$pbkdf2$i=2000000,l=64$c2FsdHNhbHRzYWx0c2FsdA$3mQwxQvcnUtx62j99hQkk9BBmiNribB4lB5KYVNm8QwO/FhE+OUyeXeOSLbvaN0lPZJqYm3qz0GiLP+Ko4L+hQ\"\n".to_string()),
        ("mjones with a zero-width space after it", "bad-username", format!("evil,E19,mjones\u{200B},700000019,P,R,Q?,a,1234,{BCRYPT4}\n")),
        ("mjones with a Cyrillic j (U+0458)", "bad-username", format!("evil,E20,m\u{0458}ones,700000020,P,R,Q?,a,1234,{BCRYPT4}\n")),
        ("mjones behind a right-to-left override", "bad-username", format!("evil,E21,\u{202E}mjones,700000021,P,R,Q?,a,1234,{BCRYPT4}\n")),
        ("a good row after them all", "taken", format!("evil,E16,e16,700000016,P,R,Q?,a,1234,{BCRYPT4}\n")),
    ];
    for (_, _, row) in &cases {
        line(row.clone());
    }
    // Invalid UTF-8, as its own row.
    line(String::new());
    csv.extend_from_slice(b"evil,E17,e\xff\xfe17,700000017,P,R,Q?,a,1234,");
    csv.extend_from_slice(BCRYPT4.as_bytes());
    csv.push(b'\n');
    let started = Instant::now();
    let (s, reported) = run(&app, FileFormat::Csv, csv).await;
    for (i, (what, want, _)) in cases.iter().enumerate() {
        let got = code_at(&reported, i as u64 + 2);
        stopped_if(
            what,
            got == *want,
            format!("line {}: {got} (wanted {want})", i + 2),
        );
    }
    stopped_if(
        "invalid UTF-8 in a username",
        code_at(&reported, cases.len() as u64 + 2) == "bad-encoding",
        format!("{reported:?}"),
    );
    stopped_if(
        "absurd costs are refused at once, not computed",
        started.elapsed() < Duration::from_secs(20) && s.inserted == 1,
        format!("{:?}, {s:?}", started.elapsed()),
    );
    // A second source reusing a legacy_id is a different account; the same
    // source and legacy_id with another username cannot take mjones's name.
    let (s, reported) = run(
        &app,
        FileFormat::Jsonl,
        format!(
            "{{\"source\":\"provider-portal-2012\",\"legacy_id\":\"1001\",\"username\":\"mjones\",\"tins\":[\"700000020\"],\"practice\":\"Taken Over\",\"role\":\"R\",\"question\":\"Q?\",\"answer\":\"a\",\"pin\":\"1234\",\"password_hash\":\"{BCRYPT4}\"}}\n\
             {{\"source\":\"other-portal\",\"legacy_id\":\"1003\",\"username\":\"mjones2\",\"tins\":[\"700000021\"],\"practice\":\"P\",\"role\":\"R\",\"question\":\"Q?\",\"answer\":\"a\",\"pin\":\"1234\",\"password_hash\":\"{BCRYPT4}\"}}\n\
             {{\"source\":\"evil\",\"legacy_id\":\"E16\",\"username\":\"e16\",\"tins\":[\"700000016\"],\"practice\":\"P\",\"role\":\"R\",\"question\":\"Q?\",\"answer\":\"a\",\"pin\":\"1234\",\"password_hash\":\"{BCRYPT4}\",\"consolidated_into\":1}}\n"
        )
        .into_bytes(),
    )
    .await;
    stopped_if(
        "a row that moves another source's account onto mjones's username",
        code_at(&reported, 1) == "username-taken",
        format!("{reported:?}"),
    );
    stopped_if(
        "a field the import does not know (consolidated_into)",
        code_at(&reported, 3) == "unknown-field",
        format!("{reported:?}"),
    );
    stopped_if(
        "the same legacy_id under another source is its own account",
        s.inserted == 1,
        format!("{s:?}"),
    );
    let mjones_after = app
        .count("SELECT COUNT(*) FROM legacy_accounts WHERE username = 'mjones' AND practice = 'Farmington Pediatrics'")
        .await;
    stopped_if(
        "mjones's account is left as it was",
        mjones_before == 1 && mjones_after == 1,
        format!("{mjones_before} -> {mjones_after}"),
    );
    // A hash planted directly in the database (not through the import)
    // with an absurd cost never runs: the wizard treats it as a mismatch.
    sqlx::query("UPDATE legacy_accounts SET password_hash = '$2b$31$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi' WHERE username = 'e16'")
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let t = Instant::now();
    let ok = app
        .state
        .hasher
        .verify(
            Some("$2b$31$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi".into()),
            "Welcome#2019".into(),
        )
        .await;
    stopped_if(
        "a bcrypt cost of 31 checked by the pool",
        !ok && t.elapsed() < Duration::from_secs(2),
        format!("{ok} after {:?}", t.elapsed()),
    );
    // Nothing secret from the file in the log or the report.
    let log = log_text();
    stopped_if(
        "an import's secrets in the log",
        !log.contains(BCRYPT4) && !reported.iter().any(|r| r.message.contains(BCRYPT4)),
        "a hash was logged",
    );
    app.cleanup().await;
}
