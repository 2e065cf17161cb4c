//! What a flow's last action leaves for its page to say. Stored with the
//! flow (so a page rendered without JavaScript shows it) and read by the
//! pages in the browser too.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// A message beside a field (and in the error summary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input's `id`/`name`.
    pub field: String,
    /// What to say, rendered in the reader's language.
    pub message: Msg,
}

impl FieldError {
    pub fn new(field: &str, message: Msg) -> FieldError {
        FieldError {
            field: field.into(),
            message,
        }
    }

    /// The same message beside another field.
    pub fn on(self, field: &str) -> FieldError {
        FieldError {
            field: field.into(),
            ..self
        }
    }
}

/// What the last action left for the page to say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flash {
    #[serde(default)]
    pub errors: Vec<FieldError>,
    /// A neutral message ("We sent a new code").
    #[serde(default)]
    pub info: Option<Msg>,
    /// The account was consolidated before: point to sign-in.
    #[serde(default)]
    pub already_consolidated: bool,
    /// What was typed in the page's fields that the flow keeps nowhere
    /// else (field id, value), shown again beside the errors. Never a
    /// secret: no password, answer, PIN, code or full TIN.
    #[serde(default)]
    pub kept: Vec<(String, String)>,
}

impl Flash {
    /// The flash as stored with the flow.
    pub fn stored(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }

    /// The flash of a stored flow (none if it cannot be read).
    pub fn of(stored: Option<&str>) -> Flash {
        stored
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    /// Stored errors beside their fields.
    pub fn errors(errors: Vec<FieldError>) -> Option<String> {
        Flash::with_errors(errors).stored()
    }

    /// Errors beside their fields, not stored yet (see [`Flash::keep`]).
    pub fn with_errors(errors: Vec<FieldError>) -> Flash {
        Flash {
            errors,
            ..Flash::default()
        }
    }

    /// The same flash, keeping `value` as typed in `field` for the page to
    /// show again. Never a secret.
    pub fn keep(mut self, field: &str, value: impl Into<String>) -> Flash {
        self.kept.retain(|(f, _)| f != field);
        self.kept.push((field.into(), value.into()));
        self
    }

    /// What was typed in `field`, kept for the page (empty if nothing was).
    pub fn kept(&self, field: &str) -> String {
        self.kept
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A stored error beside one field.
    pub fn error(field: &str, message: Msg) -> Option<String> {
        Flash::errors(vec![FieldError::new(field, message)])
    }

    /// A stored neutral message.
    pub fn info(info: Msg) -> Option<String> {
        Flash {
            info: Some(info),
            ..Flash::default()
        }
        .stored()
    }

    /// Stored: the account was consolidated before.
    pub fn already_consolidated() -> Option<String> {
        Flash {
            already_consolidated: true,
            ..Flash::default()
        }
        .stored()
    }

    /// The message for `field`, in the reader's language.
    pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| crate::i18n::tr(&e.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_typed_is_kept_with_the_errors_and_older_flashes_still_read() {
        let stored = Flash::with_errors(vec![FieldError::new(
            "password",
            Msg::new("error-password-wrong"),
        )])
        .keep("username", "first")
        .keep("username", "mjones")
        .stored();
        let f = Flash::of(stored.as_deref());
        assert_eq!(f.kept("username"), "mjones");
        assert_eq!(f.kept.len(), 1, "one value a field");
        assert_eq!(f.kept("password"), "");
        assert_eq!(f.errors.len(), 1);
        // A flash stored before `kept` existed.
        let old = Flash::of(Some(
            r#"{"errors":[],"info":null,"already_consolidated":true}"#,
        ));
        assert!(old.already_consolidated && old.kept.is_empty());
    }
}
