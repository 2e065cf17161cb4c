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
        Flash {
            errors,
            ..Flash::default()
        }
        .stored()
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
