use crate::web::Reply;
use tracing::error;

/// Why a step ends before its last line: the browser is sent elsewhere
/// (refused, out of order, expired), or a fault, logged with a support
/// reference. `?` turns a database error into a fault.
#[derive(Debug)]
pub enum Stop {
    Go(Reply),
    Fault {
        reference: String,
        /// The page that shows it; by default the page the form was on.
        page: Option<&'static str>,
    },
}

/// What a step of a flow comes to.
pub type Outcome = Result<Reply, Stop>;

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::Fault {
            reference: database_fault(&e),
            page: None,
        }
    }
}

/// Logs a database error with a new support reference, and gives the
/// reference (for an answer that is no flow's page: a CSV, a one-click
/// unsubscribe).
pub fn database_fault(e: &sqlx::Error) -> String {
    let reference = short_reference();
    error!(reference = %reference, error = %e, "database error");
    reference
}

impl Stop {
    /// A fault shown on `page` (unless it names its page already).
    pub fn at(self, page: &'static str) -> Stop {
        match self {
            Stop::Fault {
                reference,
                page: None,
            } => Stop::Fault {
                reference,
                page: Some(page),
            },
            other => other,
        }
    }
}

/// The reply for a step's outcome; a fault is shown on `form_page` unless
/// the step named another page.
pub fn reply(outcome: Outcome, form_page: &str) -> Reply {
    match outcome {
        Ok(r) | Err(Stop::Go(r)) => r,
        Err(Stop::Fault { reference, page }) => Reply::fault(page.unwrap_or(form_page), &reference),
    }
}

/// A support reference: eight characters a user can read out, also in the
/// log line of the fault.
pub fn short_reference() -> String {
    crate::auth::random_token()[..8].to_uppercase()
}
