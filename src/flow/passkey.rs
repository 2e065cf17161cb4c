//! Passkeys (WebAuthn, by webauthn-rs): the three ceremonies, adding a
//! passkey to a signed-in login, a passkey as the second step of sign-in,
//! and "Sign in with a passkey" (a discoverable credential: no username).
//!
//! Each ceremony's state travels with the page that asks the browser, sealed
//! under the application secret for its own purpose, with the login it is
//! for and the moment it expires (5 minutes): nothing is written when a
//! page is shown. The answer's challenge works once: its id is taken by a
//! conditional insert before the answer is checked. The relying party's id
//! and origin come from `PUBLIC_URL`; every ceremony requires user
//! verification (a fingerprint, a face, a PIN), so a passkey is two factors
//! in itself. The authenticator's counter is checked by webauthn-rs (a
//! counter that goes back refuses the passkey) and, with the backup flags,
//! kept as the library updates it.

use super::Stop;
use crate::auth::{random_token, sealed};
use crate::config::Settings;
use crate::state::AppState;
use crate::store::{Method, PASSKEY};
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    CredentialID, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid, Webauthn,
    WebauthnBuilder,
};

/// How long the browser has to answer.
pub const CHALLENGE_SECS: i64 = 300;

const REGISTER: &str = "passkey registration, v1";
const SECOND: &str = "passkey second step, v1";
const DISCOVER: &str = "passkey sign-in, v1";
pub const CREDENTIAL: &str = "passkey credential, v1";

/// The relying party: `PUBLIC_URL`'s host and origin, else (development)
/// `localhost` on any port. None where a browser would refuse it: an
/// address by number is not a domain, so no passkey is offered.
pub fn relying_party(settings: &Settings) -> Option<Webauthn> {
    let origin = match &settings.public_url {
        Some(p) => p.origin(),
        None => format!("http://localhost:{}", settings.site_addr.port()),
    };
    let any_port = settings.public_url.is_none();
    let url = Url::parse(&origin).ok()?;
    let host = url.host_str()?.to_string();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    WebauthnBuilder::new(&host, &url)
        .ok()?
        .rp_name("Provider Portal")
        .allow_any_port(any_port)
        .timeout(std::time::Duration::from_secs(CHALLENGE_SECS as u64))
        .build()
        .ok()
}

/// A ceremony started: the options the browser is given and the state
/// sealed for the form that brings the answer back.
pub type Started = crate::domain::PasskeyCeremony;

/// Why an answer was refused (as the audit trail says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not sealed here, for another purpose or login, or changed.
    Forged,
    Expired,
    /// Its challenge was answered before.
    Replayed,
    /// Not a credential the browser made, or not from this site.
    Unreadable,
    /// No login of ours has that passkey.
    Unknown,
    /// webauthn-rs refused it (signature, origin, user verification,
    /// counter, another login's credential, ...).
    Rejected,
    /// The credential is registered already.
    Registered,
}

impl Refused {
    pub fn audited(self) -> &'static str {
        match self {
            Refused::Forged => "refused: state forged",
            Refused::Expired => "refused: challenge expired",
            Refused::Replayed => "refused: challenge used twice",
            Refused::Unreadable => "refused: unreadable answer",
            Refused::Unknown => "refused: unknown passkey",
            Refused::Rejected => "refused: passkey not verified",
            Refused::Registered => "refused: passkey registered already",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Ceremony<S> {
    /// The challenge's id in `passkey_challenges_used`.
    id: String,
    login: Option<i64>,
    until: i64,
    state: S,
}

fn start<S: Serialize>(
    app: &AppState,
    purpose: &str,
    login: Option<i64>,
    options: serde_json::Value,
    state: S,
) -> Started {
    let ceremony = Ceremony {
        id: random_token(),
        login,
        until: app.clock.now() + CHALLENGE_SECS,
        state,
    };
    let plain = serde_json::to_vec(&ceremony).expect("a ceremony serialises");
    Started {
        options: options.to_string(),
        state: sealed::seal(&app.key, purpose, &plain),
    }
}

/// A ceremony answered: the relying party, the ceremony's state (opened
/// for `login`, its challenge taken) and the browser's answer (read).
type Opened<'a, S, A> = Result<(&'a Webauthn, S, A), Refused>;

/// Opens a ceremony's sealed state for `login`, takes its challenge, and
/// reads the browser's answer.
async fn opened<'a, S: for<'de> Deserialize<'de>, A: for<'de> Deserialize<'de>>(
    app: &'a AppState,
    purpose: &str,
    login: Option<i64>,
    state: &str,
    answer: &str,
) -> Result<Opened<'a, S, A>, Stop> {
    let Some(rp) = app.passkeys.as_deref() else {
        return Ok(Err(Refused::Forged));
    };
    let Some(c) = sealed::open(&app.key, purpose, state.trim())
        .and_then(|b| serde_json::from_slice::<Ceremony<S>>(&b).ok())
        .filter(|c| c.login == login)
    else {
        return Ok(Err(Refused::Forged));
    };
    let now = app.clock.now();
    if now > c.until {
        return Ok(Err(Refused::Expired));
    }
    if !app
        .store
        .take_passkey_challenge(&c.id, c.until, now)
        .await?
    {
        return Ok(Err(Refused::Replayed));
    }
    Ok(match serde_json::from_str::<A>(answer) {
        Ok(a) => Ok((rp, c.state, a)),
        Err(_) => Err(Refused::Unreadable),
    })
}

/// A stored passkey's credential, opened.
pub fn open_credential(app: &AppState, m: &Method) -> Option<Passkey> {
    sealed::open(&app.key, CREDENTIAL, &m.secret).and_then(|b| serde_json::from_slice(&b).ok())
}

/// A credential sealed to be stored.
pub fn seal_credential(app: &AppState, p: &Passkey) -> String {
    let plain = serde_json::to_vec(p).expect("a passkey serialises");
    sealed::seal(&app.key, CREDENTIAL, &plain)
}

/// A credential id as stored (base64url, as the browser names it).
pub fn credential_key(id: &CredentialID) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_ref())
}

fn to_value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// Starts adding a passkey to `user` (after its step-up). The options ask
/// for a discoverable credential, so that it can sign in without a
/// username; the login's passkeys are excluded (no second on the same
/// authenticator).
pub async fn start_adding(
    app: &AppState,
    user: &crate::store::PortalUser,
) -> Result<Option<Started>, Stop> {
    let Some(rp) = app.passkeys.as_deref() else {
        return Ok(None);
    };
    let handle = app
        .store
        .passkey_handle(user.id, &Uuid::new_v4().to_string())
        .await?;
    let Ok(handle) = Uuid::parse_str(&handle) else {
        return Ok(None);
    };
    let exclude = app
        .store
        .passkeys(user.id)
        .await?
        .iter()
        .filter_map(|m| open_credential(app, m))
        .map(|p| p.cred_id().clone())
        .collect();
    let Ok((options, state)) =
        rp.start_passkey_registration(handle, &user.username, &user.username, Some(exclude))
    else {
        return Ok(None);
    };
    let mut options = to_value(&options);
    // A passkey that signs in alone must be discoverable (webauthn-rs
    // leaves it to the authenticator); what it checks is unchanged.
    if let Some(sel) = options
        .pointer_mut("/publicKey/authenticatorSelection")
        .and_then(|s| s.as_object_mut())
    {
        sel.insert("residentKey".into(), "required".into());
        sel.insert("requireResidentKey".into(), true.into());
    }
    Ok(Some(start(app, REGISTER, Some(user.id), options, state)))
}

/// The passkey the browser made for `login`, checked.
pub async fn finish_adding(
    app: &AppState,
    login: i64,
    state: &str,
    answer: &str,
) -> Result<Result<Passkey, Refused>, Stop> {
    let (rp, state, answer): (_, PasskeyRegistration, RegisterPublicKeyCredential) =
        match opened(app, REGISTER, Some(login), state, answer).await? {
            Ok(o) => o,
            Err(r) => return Ok(Err(r)),
        };
    Ok(rp
        .finish_passkey_registration(&answer, &state)
        .map_err(|e| {
            tracing::info!(error = ?e, "passkey registration refused");
            Refused::Rejected
        }))
}

/// The second step by passkey for `login`, if it has one.
pub async fn start_second(app: &AppState, login: i64) -> Result<Option<Started>, Stop> {
    Ok(second_of(app, login, &app.store.passkeys(login).await?))
}

/// [`start_second`] from the login's methods read already (its passkeys
/// among them).
pub fn second_of(app: &AppState, login: i64, methods: &[Method]) -> Option<Started> {
    let rp = app.passkeys.as_deref()?;
    let keys: Vec<Passkey> = methods
        .iter()
        .filter(|m| m.kind == PASSKEY)
        .filter_map(|m| open_credential(app, m))
        .collect();
    if keys.is_empty() {
        return None;
    }
    let (options, state) = rp.start_passkey_authentication(&keys).ok()?;
    Some(start(app, SECOND, Some(login), to_value(&options), state))
}

/// "Sign in with a passkey": a challenge for whichever passkey of this
/// site the browser holds.
pub fn start_sign_in(app: &AppState) -> Option<Started> {
    let rp = app.passkeys.as_deref()?;
    let (options, state) = rp.start_discoverable_authentication().ok()?;
    Some(start(app, DISCOVER, None, to_value(&options), state))
}

/// The method (a passkey of `login`) an assertion proved, its credential
/// updated as webauthn-rs advises.
async fn used(
    app: &AppState,
    login: i64,
    cred: &[u8],
    check: impl FnOnce(&Passkey) -> Result<webauthn_rs::prelude::AuthenticationResult, Refused>,
) -> Result<Result<i64, Refused>, Stop> {
    let found = app.store.passkeys(login).await?.into_iter().find_map(|m| {
        let p = open_credential(app, &m)?;
        (p.cred_id().as_ref() == cred).then_some((m, p))
    });
    let Some((method, mut key)) = found else {
        return Ok(Err(Refused::Unknown));
    };
    let result = match check(&key) {
        Ok(r) => r,
        Err(r) => return Ok(Err(r)),
    };
    let changed = key.update_credential(&result) == Some(true);
    let sealed = changed.then(|| seal_credential(app, &key));
    app.store
        .passkey_used(method.id, sealed.as_deref(), app.clock.now())
        .await?;
    Ok(Ok(method.id))
}

fn rejected(e: webauthn_rs::prelude::WebauthnError) -> Refused {
    tracing::info!(error = ?e, "passkey assertion refused");
    Refused::Rejected
}

/// The second step by passkey: the method that proved it.
pub async fn finish_second(
    app: &AppState,
    login: i64,
    state: &str,
    answer: &str,
) -> Result<Result<i64, Refused>, Stop> {
    let (rp, state, answer): (_, PasskeyAuthentication, PublicKeyCredential) =
        match opened(app, SECOND, Some(login), state, answer).await? {
            Ok(o) => o,
            Err(r) => return Ok(Err(r)),
        };
    let cred = answer.get_credential_id().to_vec();
    used(app, login, &cred, |_| {
        rp.finish_passkey_authentication(&answer, &state)
            .map_err(rejected)
    })
    .await
}

/// "Sign in with a passkey": the login and the method that proved it.
pub async fn finish_sign_in(
    app: &AppState,
    state: &str,
    answer: &str,
) -> Result<Result<(i64, i64), Refused>, Stop> {
    let (rp, state, answer): (_, DiscoverableAuthentication, PublicKeyCredential) =
        match opened(app, DISCOVER, None, state, answer).await? {
            Ok(o) => o,
            Err(r) => return Ok(Err(r)),
        };
    let Ok((handle, cred)) = rp.identify_discoverable_authentication(&answer) else {
        return Ok(Err(Refused::Unreadable));
    };
    let cred = cred.to_vec();
    let Some(login) = app
        .store
        .login_of_passkey_handle(&handle.to_string())
        .await?
    else {
        return Ok(Err(Refused::Unknown));
    };
    let method = used(app, login, &cred, |key| {
        rp.finish_discoverable_authentication(&answer, state, &[DiscoverableKey::from(key)])
            .map_err(rejected)
    })
    .await?;
    Ok(method.map(|m| (login, m)))
}
