//! Replacing `APP_SECRET` (docs/deploy.md): with the new secret in
//! `APP_SECRET` and the old one in `APP_SECRET_PREVIOUS`, every value the
//! database keeps sealed is sealed again under the new secret. What is kept
//! only as a keyed hash cannot be: [`KEYED_ONLY`] names it.

use crate::auth::{sealed, totp, Keys};
use crate::store::{SealedColumn, SealedValue, Store};

/// What one column came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sealed again under the new secret.
    pub resealed: u64,
    /// Under the new secret already (written since the switch, or a
    /// second run).
    pub current: u64,
    /// Opens under neither secret: it stays as it is (and is unusable).
    pub unreadable: u64,
    /// Changed by a request between the read and the write: left as the
    /// request wrote it (under the new secret, as everything written now).
    pub changed: u64,
}

/// What is kept only as a keyed hash under the secret, and so is read
/// under `APP_SECRET_PREVIOUS` until it goes away by itself or is keyed
/// again; each with how.
pub const KEYED_ONLY: &[&str] = &[
    "TINs of the old accounts: each is keyed again when its provider next types it at Account Lookup; `provider-portal import` of the old portals' file keys again every account not yet consolidated",
    "backup codes: until used or renewed (a login's owner makes new ones on Sign-in and security)",
    "\"This wasn't me\" links and registration codes: 30 days; support codes: 72 hours; operators' enrolment links: 24 hours; email codes: minutes",
];

/// The purpose a value of `column` with this row `kind` is sealed for.
fn purpose(column: SealedColumn, kind: &str) -> Option<&'static str> {
    match column {
        SealedColumn::SecondSteps if kind == crate::store::APP => Some(totp::LOGIN_SEED_PURPOSE),
        SealedColumn::SecondSteps if kind == crate::store::PASSKEY => {
            Some(super::passkey::CREDENTIAL)
        }
        SealedColumn::SecondSteps => None,
        SealedColumn::OperatorSeeds => Some(totp::SEED_PURPOSE),
        SealedColumn::OutboxBodies => Some(super::outbox::PURPOSE),
    }
}

/// Seals every value of `column` again under `keys`' current secret.
pub async fn reseal_column(
    store: &Store,
    keys: &Keys,
    column: SealedColumn,
) -> Result<Tally, sqlx::Error> {
    let mut tally = Tally::default();
    for SealedValue { id, kind, value } in store.sealed_values(column).await? {
        if sealed::under_current(keys, &value) {
            tally.current += 1;
            continue;
        }
        let Some(again) = purpose(column, &kind).and_then(|p| sealed::reseal(keys, p, &value))
        else {
            tracing::warn!(
                column = column.name(),
                id,
                "a sealed value opens under neither secret"
            );
            tally.unreadable += 1;
            continue;
        };
        if store.replace_sealed(column, id, &value, &again).await? {
            tally.resealed += 1;
        } else {
            tally.changed += 1;
        }
    }
    Ok(tally)
}

/// What the sealed values of the database open under (the `check`
/// command): the current secret, only the previous one, or neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Survey {
    pub current: u64,
    pub previous_only: u64,
    pub unreadable: u64,
}

/// Reads every sealed value (a read only) and says what it opens under.
pub async fn survey(store: &Store, keys: &Keys) -> Result<Survey, sqlx::Error> {
    let current_only = Keys::from(keys.current().to_vec());
    let mut s = Survey::default();
    for column in SealedColumn::ALL {
        for SealedValue { kind, value, .. } in store.sealed_values(column).await? {
            let Some(purpose) = purpose(column, &kind) else {
                continue;
            };
            if sealed::open(&current_only, purpose, &value).is_some() {
                s.current += 1;
            } else if sealed::open(keys, purpose, &value).is_some() {
                s.previous_only += 1;
            } else {
                s.unreadable += 1;
            }
        }
    }
    Ok(s)
}
