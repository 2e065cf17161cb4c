//! `provider-portal operator add --username NAME --role admin|support|auditor`:
//! adds an operator and prints the one-time enrolment link (24 hours), at
//! which the operator sets a password and an authenticator.

use crate::config::Settings;
use crate::domain::{Role, Username};
use crate::store::Store;

pub const USAGE: &str =
    "usage: provider-portal operator add --username <name> --role admin|support|auditor";

/// What `operator add` was asked for.
#[derive(Debug, PartialEq)]
pub struct Add {
    pub username: Username,
    pub role: Role,
}

/// Reads `add`'s options; `Err` says what is wrong, in a sentence.
pub fn parse(args: &[String]) -> Result<Add, String> {
    let (mut username, mut role) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--username" => {
                username = Some(Username::parse_new(value).map_err(|_| {
                    format!("--username: {value:?} is not a username (no spaces, one script, at most 254 characters)")
                })?);
            }
            "--role" => {
                role = Some(Role::parse(value).ok_or_else(|| {
                    format!("--role: {value:?} is not a role (admin, support or auditor)")
                })?);
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(Add {
        username: username.ok_or("--username is required")?,
        role: role.ok_or("--role is required")?,
    })
}

/// Runs `operator add`; returns the process's exit code.
pub async fn run(add: Add) -> i32 {
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
        let added =
            crate::console::service::add_operator(&store, &key, &add.username, add.role, now)
                .await
                .map_err(|e| format!("database: {e}"))?
                .ok_or_else(|| {
                    format!("an operator named {} exists already", add.username.as_str())
                })?;
        let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        let event = crate::store::OperatorEvent {
            operator_id: None,
            legacy_account_id: None,
            address: &format!("operator:{who}"),
            action: "ops_operator_add",
            target: Some(&format!("operator:{}", add.username.as_str())),
            reason: None,
            outcome: &format!("ok: {}", add.role.as_str()),
        };
        if let Err(e) = store.audit_operator(now, &event).await {
            eprintln!("could not record the audit event ({e})");
        }
        Ok::<_, String>(added)
    }
    .await;
    match result {
        Ok(added) => {
            let base = settings.site_origin();
            // The only time the link is shown: only its keyed hash is stored.
            println!("{base}/ops/enrol?token={}", added.token);
            eprintln!(
                "operator {} ({}) added; the enrolment link above works once, until {}. Give it to the operator in person or by a channel you trust.",
                add.username.as_str(),
                add.role.as_str(),
                crate::mail::utc_time(added.expires)
            );
            0
        }
        Err(e) => {
            eprintln!("could not add the operator: {e}");
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
        let a = parse(&args(&["--username", "ana.ops", "--role", "admin"])).unwrap();
        assert_eq!((a.username.as_str(), a.role), ("ana.ops", Role::Admin));
        for (bad, says) in [
            (vec!["--role", "admin"], "--username is required"),
            (vec!["--username", "ana"], "--role is required"),
            (vec!["--username", "ana", "--role", "root"], "not a role"),
            (
                vec!["--username", "a b", "--role", "admin"],
                "not a username",
            ),
            (vec!["--username"], "needs a value"),
            (vec!["--colour", "red"], "unknown option"),
        ] {
            let e = parse(&args(&bad)).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
