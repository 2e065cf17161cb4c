//! Operators' commands, run by the same binary:
//!
//! ```text
//! provider-portal registration-code issue --tin 83-6576879 --practice "Smith Family Medicine" [--role "Practice manager"] [--days 30]
//! provider-portal import FILE [--format csv|jsonl] [--dry-run] [--report FILE]
//! provider-portal operator add --username NAME --role admin|support|auditor
//! provider-portal campaign create|start|pause|resume|stop|status ...
//! provider-portal check | migrate | backup FILE | rotate-secret | --version
//! ```
//!
//! The code is printed once; the database keeps only its keyed hash (under
//! `APP_SECRET`, so run it with the same settings as the server).

mod admin;
mod campaign;
mod import;
mod operator;
mod rotate;

pub use admin::{check, libpq_env, secret_weakness, Finding};

use crate::config::Settings;
use crate::domain::Tin;
use crate::store::Store;

pub const USAGE: &str = "usage: provider-portal registration-code issue --tin <TIN> --practice <name> [--role <role>] [--days <1-365>]";

/// What `registration-code issue` was asked for.
#[derive(Debug, PartialEq)]
pub struct Issue {
    pub tin: Tin,
    pub practice: String,
    pub role: String,
    pub days: i64,
}

/// Reads `issue`'s options; `Err` says what is wrong, in a sentence.
pub fn parse_issue(args: &[String]) -> Result<Issue, String> {
    let mut tin = None;
    let mut practice = None;
    let mut role = "Practice manager".to_string();
    let mut days = crate::recovery::service::REGISTRATION_CODE_DAYS;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--tin" => {
                let v = value()?;
                tin = Some(
                    Tin::parse(&v).map_err(|_| format!("--tin: {v:?} is not a TIN of 9 digits"))?,
                );
            }
            "--practice" => {
                let v = value()?;
                if v.trim().is_empty() || v.chars().count() > 200 {
                    return Err(
                        "--practice: give the practice's name (at most 200 characters)".into(),
                    );
                }
                practice = Some(v.trim().to_string());
            }
            "--role" => role = value()?.trim().to_string(),
            "--days" => {
                let v = value()?;
                days = v
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (1..=365).contains(d))
                    .ok_or_else(|| {
                        format!("--days: {v:?} is not a number of days from 1 to 365")
                    })?;
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(Issue {
        tin: tin.ok_or("--tin is required")?,
        practice: practice.ok_or("--practice is required")?,
        role,
        days,
    })
}

/// Runs an operator's command; returns the process's exit code.
pub async fn run(args: &[String]) -> i32 {
    match args {
        [v] if v == "--version" || v == "version" || v == "-V" => {
            println!(
                "provider-portal {} (commit {})",
                crate::VERSION,
                crate::COMMIT
            );
            return 0;
        }
        [h] if h == "--help" || h == "help" || h == "-h" => {
            println!(
                "provider-portal {}: with no command, serves the portal (settings: portal.env.example, docs/deploy.md)\n{}\n{USAGE}\n{}\n{}\n{}",
                crate::VERSION,
                admin::USAGE,
                import::USAGE,
                operator::USAGE,
                campaign::USAGE
            );
            return 0;
        }
        [c] if c == "check" => return admin::run_check().await,
        [c] if c == "migrate" => return admin::run_migrate().await,
        [c] if c == "rotate-secret" => return rotate::run().await,
        [c, file] if c == "backup" => return admin::run_backup(file).await,
        [c, ..] if c == "backup" => {
            eprintln!("backup needs one FILE to write\n{}", admin::USAGE);
            return 2;
        }
        _ => {}
    }
    if let [cmd, sub, rest @ ..] = args {
        if cmd == "operator" && sub == "add" {
            return match operator::parse(rest) {
                Ok(a) => operator::run(a).await,
                Err(e) => {
                    eprintln!("{e}\n{}", operator::USAGE);
                    2
                }
            };
        }
    }
    if let [cmd, rest @ ..] = args {
        if cmd == "campaign" {
            return match campaign::parse(rest) {
                Ok(c) => campaign::run(c).await,
                Err(e) => {
                    eprintln!("{e}\n{}", campaign::USAGE);
                    2
                }
            };
        }
    }
    if let [cmd, rest @ ..] = args {
        if cmd == "import" {
            return match import::parse(rest) {
                Ok(a) => import::run(a).await,
                Err(e) => {
                    eprintln!("{e}\n{}", import::USAGE);
                    2
                }
            };
        }
    }
    let issue = match args {
        [cmd, sub, rest @ ..] if cmd == "registration-code" && sub == "issue" => parse_issue(rest),
        _ => Err("unknown command".into()),
    };
    let issue = match issue {
        Ok(i) => i,
        Err(e) => {
            eprintln!(
                "{e}\n{}\n{USAGE}\n{}\n{}",
                admin::USAGE,
                import::USAGE,
                operator::USAGE
            );
            return 2;
        }
    };
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("configuration: {e}");
            return 2;
        }
    };
    let result = async {
        let store = Store::connect(settings.database_url.expose())
            .await
            .map_err(|e| format!("database: {e}"))?;
        let key = crate::server::app_key(&settings, &store).await?;
        let now = crate::state::Clock::default().now();
        let what = crate::recovery::service::CodeFor {
            tin: &issue.tin,
            practice: &issue.practice,
            role: &issue.role,
            days: issue.days,
            code: None,
        };
        let code = crate::recovery::service::issue_registration_code(&store, &key, &what, now)
            .await
            .map_err(|e| format!("database: {e}"))?;
        Ok::<_, String>((code, now + issue.days * 24 * 3600))
    }
    .await;
    match result {
        Ok((code, expires)) => {
            // The only time the code is shown: it is not stored in clear.
            println!("{code}");
            eprintln!(
                "registration code for TIN {} ({}), {}; expires {}. It is shown only now.",
                issue.tin.masked(),
                issue.practice,
                issue.role,
                crate::mail::utc_time(expires)
            );
            0
        }
        Err(e) => {
            eprintln!("could not issue the code: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_are_read_and_checked() {
        let i = parse_issue(&args(&[
            "--tin",
            "83-6576879",
            "--practice",
            "Smith Family Medicine",
        ]))
        .unwrap();
        assert_eq!(i.tin.digits(), "836576879");
        assert_eq!((i.role.as_str(), i.days), ("Practice manager", 30));
        let i = parse_issue(&args(&[
            "--practice",
            "X",
            "--tin",
            "836576879",
            "--days",
            "7",
            "--role",
            "Billing staff",
        ]))
        .unwrap();
        assert_eq!((i.role.as_str(), i.days), ("Billing staff", 7));
        for (bad, says) in [
            (vec!["--practice", "X"], "--tin is required"),
            (vec!["--tin", "836576879"], "--practice is required"),
            (vec!["--tin", "12"], "not a TIN"),
            (
                vec!["--tin", "836576879", "--practice", "X", "--days", "0"],
                "--days",
            ),
            (vec!["--tin"], "needs a value"),
            (vec!["--colour", "red"], "unknown option"),
        ] {
            let e = parse_issue(&args(&bad)).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
