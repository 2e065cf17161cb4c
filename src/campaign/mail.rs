//! A campaign's mail, in the languages the campaign chose (English first
//! when both), from the catalogue: the old accounts an address holds, each
//! with its own link into Account Lookup, the closing dates of their
//! portals, and the one-click unsubscribe. Never a secret or a full TIN.

use crate::i18n::{text, Lang, Msg};

/// What one mail says.
pub struct Letter<'a> {
    /// 1: the invitation; 2 and on: the reminders.
    pub wave: i64,
    /// Each account: username, practice, its link.
    pub accounts: &'a [(String, String, String)],
    /// The closing dates of their portals still open: name, last day.
    pub closings: &'a [(String, String)],
    pub unsubscribe: &'a str,
    /// The quick guide's address.
    pub guide: &'a str,
}

/// The subject and the text of `letter` in `langs` (English when none).
pub fn compose(langs: &[String], letter: &Letter) -> (String, String) {
    let langs: Vec<Lang> = if langs.is_empty() {
        vec![Lang::default()]
    } else {
        langs.iter().map(|l| Lang(l.clone())).collect()
    };
    let subject_key = if letter.wave > 1 {
        "campaign-subject-reminder"
    } else {
        "campaign-subject"
    };
    let subject = langs
        .iter()
        .map(|l| text(l, &Msg::new(subject_key)))
        .collect::<Vec<_>>()
        .join(" / ");
    let body = langs
        .iter()
        .map(|l| body_in(l, letter))
        .collect::<Vec<_>>()
        .join("\n\n----------------------------------------\n\n");
    (subject, body)
}

fn body_in(lang: &Lang, l: &Letter) -> String {
    let t = |key: &str| text(lang, &Msg::new(key));
    let mut out = vec![t("campaign-greeting")];
    out.push(t(if l.wave > 1 {
        "campaign-reminder-intro"
    } else {
        "campaign-intro"
    }));
    let accounts: Vec<String> = l
        .accounts
        .iter()
        .map(|(username, practice, link)| {
            text(
                lang,
                &Msg::new("campaign-account-line")
                    .text("username", username.clone())
                    .text("practice", practice.clone())
                    .text("link", link.clone()),
            )
        })
        .collect();
    out.push(accounts.join("\n"));
    for (name, on) in l.closings {
        out.push(text(
            lang,
            &Msg::new("closing-notice-mail")
                .text("portal", name.clone())
                .day("date", on),
        ));
    }
    out.push(text(
        lang,
        &Msg::new("campaign-how").text("guide", l.guide.to_string()),
    ));
    out.push(t("campaign-never"));
    out.push(text(
        lang,
        &Msg::new("campaign-unsubscribe").text("link", l.unsubscribe.to_string()),
    ));
    out.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_lists_each_account_with_its_link_in_each_language() {
        let accounts = [
            (
                "jsmith".to_string(),
                "Smith Family Medicine".to_string(),
                "https://p.example/wizard/lookup?invite=A".to_string(),
            ),
            (
                "jsmith-billing".to_string(),
                "Smith Billing".to_string(),
                "https://p.example/wizard/lookup?invite=B".to_string(),
            ),
        ];
        let closings = [("Provider Portal 2012".to_string(), "2027-03-31".to_string())];
        let letter = Letter {
            wave: 1,
            accounts: &accounts,
            closings: &closings,
            unsubscribe: "https://p.example/unsubscribe/U",
            guide: "https://p.example/help",
        };
        let (subject, body) = compose(&["en".into(), "es".into()], &letter);
        assert!(subject.contains(" / "), "{subject}");
        for a in &accounts {
            assert_eq!(body.matches(&a.2).count(), 2, "each link in both languages");
        }
        assert!(body
            .contains("jsmith (Smith Family Medicine): https://p.example/wizard/lookup?invite=A"));
        assert!(
            body.contains("March 31, 2027") && body.contains("31 de marzo de 2027"),
            "{body}"
        );
        assert!(body.contains("https://p.example/unsubscribe/U"));
        let (reminder, _) = compose(&["es".into()], &Letter { wave: 2, ..letter });
        assert!(!reminder.contains(" / "));
        assert_ne!(
            reminder,
            compose(&["es".into()], &Letter { wave: 1, ..letter }).0
        );
    }
}
