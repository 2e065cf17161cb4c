//! `provider-portal campaign ...`: invitation campaigns from a script, the
//! same work as the console's Campaigns page (issue 32). Each action is
//! audited with the user running the command.

use crate::campaign::service::{self, Spec};
use crate::config::Settings;
use crate::store::{Store, WaveFigures};

pub const USAGE: &str = "usage: provider-portal campaign create --name <name> [--source <old portal>]... [--status not_started,in_wizard,stuck] [--lang en,es] --per-hour <mails> [--reminders 7,21] [--imported-before YYYY-MM-DD]
       provider-portal campaign start|pause|resume|stop <id>
       provider-portal campaign status [<id>]";

/// What was asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    Create(Spec),
    Change(String, i64),
    Status(Option<i64>),
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Reads the command's words; `Err` says what is wrong, in a sentence.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let id = |v: Option<&String>| {
        v.and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| "give the campaign's number (campaign status lists them)".to_string())
    };
    match args {
        [sub, rest @ ..] if sub == "create" => {
            let mut spec = Spec {
                statuses: vec!["not_started".into(), "in_wizard".into(), "stuck".into()],
                langs: vec!["en".into(), "es".into()],
                ..Spec::default()
            };
            let mut it = rest.iter();
            while let Some(flag) = it.next() {
                let value = it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--name" => spec.name = value,
                    "--source" => spec.sources.extend(list(&value)),
                    "--status" => spec.statuses = list(&value),
                    "--lang" => spec.langs = list(&value),
                    "--per-hour" => spec.per_hour = value,
                    "--reminders" => spec.reminders = value,
                    "--imported-before" => spec.imported_before = value,
                    other => return Err(format!("unknown option {other:?}")),
                }
            }
            if spec.name.trim().is_empty() {
                return Err("--name is required".into());
            }
            if spec.per_hour.is_empty() {
                return Err("--per-hour is required".into());
            }
            Ok(Command::Create(spec))
        }
        [sub, n] if ["start", "pause", "resume", "stop"].contains(&sub.as_str()) => {
            Ok(Command::Change(sub.clone(), id(Some(n))?))
        }
        [sub] if sub == "status" => Ok(Command::Status(None)),
        [sub, n] if sub == "status" => Ok(Command::Status(Some(id(Some(n))?))),
        _ => Err("unknown campaign command".into()),
    }
}

/// The sentence of a refusal's catalogue key, in English.
fn said(key: &str) -> String {
    crate::i18n::text_of(&crate::i18n::Lang::default(), key)
}

/// Runs the command; the process's exit code.
pub async fn run(command: Command) -> i32 {
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("configuration: {e}");
            return 2;
        }
    };
    let store = match Store::connect(settings.database_url.expose()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("database: {e}");
            return 1;
        }
    };
    let now = crate::state::Clock::default().now();
    let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let audit = |action: &'static str, target: String, outcome: String| {
        let store = store.clone();
        let who = who.clone();
        async move {
            let event = crate::store::OperatorEvent {
                operator_id: None,
                legacy_account_id: None,
                address: &format!("operator:{who}"),
                action,
                target: Some(&target),
                reason: None,
                outcome: &outcome,
            };
            if let Err(e) = store.audit_operator(now, &event).await {
                eprintln!("could not record the audit event ({e})");
            }
        }
    };
    let result: Result<i32, sqlx::Error> = async {
        match command {
            Command::Create(spec) => match service::create(&store, &spec, None, now).await? {
                Ok(id) => {
                    audit("ops/campaign_create", format!("campaign:{id}"), "ok".into()).await;
                    let c = store.campaign(id).await?.expect("just created");
                    let (addresses, accounts) = store.campaign_reach(&c).await?;
                    println!("{id}");
                    eprintln!(
                        "campaign {id} created as a draft: it would write to {addresses} addresses ({accounts} old accounts) now. Start it with: provider-portal campaign start {id}"
                    );
                    Ok(0)
                }
                Err((field, key)) => {
                    eprintln!("--{}: {}\n{USAGE}", field.replace('_', "-"), said(key));
                    Ok(2)
                }
            },
            Command::Change(change, id) => {
                let done = if change == "start" {
                    match service::start(&store, id, now).await? {
                        Some(n) => {
                            eprintln!("campaign {id} started: {n} addresses");
                            true
                        }
                        None => false,
                    }
                } else {
                    service::change(&store, id, &change, now).await?
                };
                let outcome = if done { "ok" } else { "refused: state" };
                audit(action_of(&change), format!("campaign:{id}"), outcome.into()).await;
                if !done {
                    let state = store.campaign(id).await?.map(|c| c.state);
                    eprintln!(
                        "campaign {id} cannot {change} ({})",
                        state.map_or("no such campaign".into(), |s| format!("it is {s}"))
                    );
                    return Ok(1);
                }
                Ok(0)
            }
            Command::Status(None) => {
                for c in store.campaigns().await? {
                    println!("{}\t{}\t{}\t{}/h", c.id, c.state, c.name, c.per_hour);
                }
                Ok(0)
            }
            Command::Status(Some(id)) => {
                let Some(c) = store.campaign(id).await? else {
                    eprintln!("no campaign {id}");
                    return Ok(1);
                };
                println!("campaign {id}: {} ({}), {}/h", c.name, c.state, c.per_hour);
                println!("wave\tsent\tbounced\tunsubscribed\tstarted\tfinished_7d\tfinished_30d");
                for f in store.campaign_figures(id).await? {
                    println!("{}", wave_line(&f));
                }
                Ok(0)
            }
        }
    }
    .await;
    result.unwrap_or_else(|e| {
        eprintln!("database: {e}");
        1
    })
}

fn action_of(change: &str) -> &'static str {
    match change {
        "start" => "ops/campaign_start",
        "pause" => "ops/campaign_pause",
        "resume" => "ops/campaign_resume",
        _ => "ops/campaign_stop",
    }
}

fn wave_line(f: &WaveFigures) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        f.wave, f.sent, f.bounced, f.unsubscribed, f.started, f.finished_7, f.finished_30
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn the_words_are_read_and_checked() {
        let Command::Create(spec) = parse(&args(&[
            "create",
            "--name",
            "Wave A",
            "--source",
            "claims-portal",
            "--per-hour",
            "500",
            "--reminders",
            "7,21",
            "--lang",
            "es",
            "--imported-before",
            "2026-11-01",
        ]))
        .unwrap() else {
            panic!("create");
        };
        assert_eq!(spec.sources, ["claims-portal"]);
        assert_eq!(spec.langs, ["es"]);
        assert_eq!(spec.imported_before, "2026-11-01");
        assert_eq!(spec.statuses.len(), 3, "every status unless told");
        assert_eq!(
            parse(&args(&["start", "4"])),
            Ok(Command::Change("start".into(), 4))
        );
        assert_eq!(parse(&args(&["status"])), Ok(Command::Status(None)));
        for (bad, says) in [
            (vec!["create", "--per-hour", "5"], "--name"),
            (vec!["create", "--name", "x"], "--per-hour"),
            (vec!["create", "--name"], "needs a value"),
            (vec!["start", "x"], "number"),
            (vec!["launch", "1"], "unknown"),
        ] {
            let e = parse(&args(&bad)).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
