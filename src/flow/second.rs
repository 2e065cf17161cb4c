//! A login's second step, checked: an authenticator app's code or a backup
//! code, wherever one is asked for (sign-in, the step-up before a change on
//! Sign-in and security, adding an old account later). Five wrong codes in
//! a row lock it for 15 minutes, through the tries machinery: the try is
//! held while the code is checked, so parallel guesses get five checks
//! between them. A code works once: an app's time step is taken, a backup
//! code is used up, each by a conditional write.

use super::tries::{self, Counter, Try};
use super::Stop;
use crate::auth::{backup_code_hash, totp};
use crate::domain::SupportCode;
use crate::state::AppState;
use crate::store::APP;

/// What proved the second step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// The authenticator app of this method id.
    App(i64),
    /// A backup code; this many are left.
    Backup { left: i64 },
}

impl Proof {
    /// As the audit trail names it.
    pub fn audited(self) -> &'static str {
        match self {
            Proof::App(_) => "ok: authenticator app",
            Proof::Backup { .. } => "ok: backup code",
        }
    }
}

/// The verdict on a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Right(Proof),
    Wrong,
    /// Five wrong in a row: checked at the same cost and refused.
    Locked,
    /// The run's remaining tries are all being checked now.
    Busy,
}

impl Checked {
    /// The audit trail's outcome of a failed check.
    pub fn audited(self) -> &'static str {
        match self {
            Checked::Right(p) => p.audited(),
            Checked::Wrong => "wrong",
            Checked::Locked => "refused: locked",
            Checked::Busy => "refused: busy",
        }
    }
}

/// Checks `code` as login `login`'s second step.
pub async fn check(app: &AppState, login: i64, code: &str) -> Result<Checked, Stop> {
    let taken = tries::take(app, Counter::SecondStep, &login.to_string(), Some(login)).await?;
    if taken == Try::Busy {
        return Ok(Checked::Busy);
    }
    let locked = taken == Try::Locked;
    // A fault leaves the held try to expire on its own, counting nothing.
    let proof = verify(app, login, code).await?.filter(|_| !locked);
    tries::settle(app, taken, proof.is_some()).await?;
    Ok(match proof {
        Some(p) => Checked::Right(p),
        None if locked => Checked::Locked,
        None => Checked::Wrong,
    })
}

/// The proof `code` gives, if any. A locked counter's code is verified
/// too (and refused after), so that locked and wrong cost the same; a
/// right code then is used up, as a guess should be.
async fn verify(app: &AppState, login: i64, code: &str) -> Result<Option<Proof>, Stop> {
    let now = app.clock.now();
    let steps = app.store.second_steps(login).await?;
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        for m in steps.methods.iter().filter(|m| m.kind == APP) {
            let Some(seed) = totp::open_login_seed(&app.key, &m.secret) else {
                continue;
            };
            if let Some(step) = totp::check(&seed, &digits, now) {
                if app.store.take_totp(m.id, step, now).await? {
                    return Ok(Some(Proof::App(m.id)));
                }
            }
        }
        return Ok(None);
    }
    let Some(code) = SupportCode::parse(code) else {
        return Ok(None);
    };
    // Under the current secret, or the previous one during a rotation
    // (backup codes are kept only as keyed hashes: they cannot be sealed
    // again, and work under the previous secret while it is read).
    for key in app.key.all() {
        let hash = backup_code_hash(key, login, &code);
        if app.store.use_backup_code(login, &hash, now).await? {
            return Ok(Some(Proof::Backup {
                left: (steps.backup_left - 1).max(0),
            }));
        }
    }
    Ok(None)
}

/// What a step-up (the password again, and the second step if the login
/// has one) found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUp {
    Proven,
    /// The password was wrong (or its counter locked).
    WrongPassword,
    /// The password was right; the code was not.
    WrongCode(Checked),
    Busy,
}

impl StepUp {
    /// The audit trail's outcome.
    pub fn audited(self) -> &'static str {
        match self {
            StepUp::Proven => "ok",
            StepUp::WrongPassword => "wrong password",
            StepUp::WrongCode(c) => c.audited(),
            StepUp::Busy => "refused: busy",
        }
    }
}

/// The second step a form brings: a code typed, and a passkey's answer
/// (the ceremony's sealed state, the browser's answer) where the browser
/// gave one because no code was typed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Given<'a> {
    pub code: Option<&'a str>,
    pub passkey: Option<(&'a str, &'a str)>,
}

impl<'a> Given<'a> {
    /// What a form's `code`, `state` and `credential` fields bring.
    pub fn of(
        code: &'a Option<String>,
        state: &'a Option<String>,
        answer: &'a Option<String>,
    ) -> Self {
        let passkey = state
            .as_deref()
            .zip(answer.as_deref())
            .filter(|(_, a)| !a.trim().is_empty());
        Given {
            code: code.as_deref(),
            passkey,
        }
    }
}

/// A fresh proof before a change: `user`'s password (sign-in's counter,
/// taken before the check), then, if the login has a second step, the code
/// `given`, or else its passkey's answer.
pub async fn step_up(
    app: &AppState,
    user: &crate::store::PortalUser,
    password: &str,
    given: Given<'_>,
) -> Result<StepUp, Stop> {
    let key = crate::domain::username_key(&user.username);
    let taken = tries::take(app, Counter::SignIn, &key, Some(user.id)).await?;
    if taken == Try::Busy {
        return Ok(StepUp::Busy);
    }
    let locked = taken == Try::Locked;
    let ok = app
        .hasher
        .verify(Some(user.password_hash.clone()), password.to_string())
        .await;
    tries::settle(app, taken, ok && !locked).await?;
    if !ok || locked {
        return Ok(StepUp::WrongPassword);
    }
    if !app.store.second_steps(user.id).await?.any() {
        return Ok(StepUp::Proven);
    }
    let code = given.code.unwrap_or_default();
    if let (true, Some((state, answer))) = (code.trim().is_empty(), given.passkey) {
        return Ok(
            match super::passkey::finish_second(app, user.id, state, answer).await? {
                Ok(_) => StepUp::Proven,
                Err(_) => StepUp::WrongCode(Checked::Wrong),
            },
        );
    }
    Ok(match check(app, user.id, code).await? {
        Checked::Right(_) => StepUp::Proven,
        Checked::Busy => StepUp::Busy,
        wrong => StepUp::WrongCode(wrong),
    })
}
