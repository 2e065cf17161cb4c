//! Hashing (argon2id on a bounded pool), keyed hashes, random tokens and the
//! session cookie.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

mod keys;
pub mod legacy;
pub mod policy;
mod pool;
pub mod sealed;
pub mod totp;

/// The password hash's parameters: argon2id, m = 19456 KiB, t = 2, p = 1
/// (OWASP's first recommendation; SECURITY.md).
pub fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19_456, 2, 1, None).expect("valid params"),
    )
}

/// Hashes a secret into a PHC string. Blocking: call through [`HashPool`].
pub fn hash_blocking(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid params")
        .to_string()
}

/// Verifies against a PHC string; a malformed hash is a mismatch. Blocking.
pub fn verify_blocking(phc: &str, secret: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2().verify_password(secret.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Hashes into a PHC string using `memory` as argon2's work area (kept by
/// the pool's thread between calls, so no hash allocates or page-faults
/// 19 MiB of fresh memory). Blocking.
pub fn hash_with(memory: &mut Vec<argon2::Block>, secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_buf)
        .expect("a generated salt decodes");
    let a = argon2();
    let blocks = a.params().block_count();
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut out = [0u8; 32];
    a.hash_password_into_with_memory(
        secret.as_bytes(),
        salt_bytes,
        &mut out,
        &mut memory[..blocks],
    )
    .expect("argon2 hashing cannot fail with valid params");
    let output = argon2::password_hash::Output::new(&out).expect("32 bytes is a valid output");
    let p = a.params();
    format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        p.m_cost(),
        p.t_cost(),
        p.p_cost(),
        salt.as_str(),
        output
    )
}

/// Verifies against a PHC string (whatever its argon2 parameters, within
/// the limits of [`legacy::check`]) using
/// `memory` as the work area; a malformed hash is a mismatch. Blocking.
/// An old portal's hash in another format (`legacy`) is verified by its
/// own algorithm; one beyond the cost limits never matches.
pub fn verify_with(memory: &mut Vec<argon2::Block>, phc: &str, secret: &str) -> bool {
    if !phc.starts_with("$argon2") {
        return legacy::verify(phc, secret);
    }
    if legacy::check(phc).is_err() {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        Params::try_from(&parsed),
        Algorithm::try_from(parsed.algorithm),
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let a = Argon2::new(algorithm, version, params);
    if a.hash_password_into_with_memory(
        secret.as_bytes(),
        salt_bytes,
        &mut out,
        &mut memory[..blocks],
    )
    .is_err()
    {
        return false;
    }
    use subtle::ConstantTimeEq;
    bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

/// 32 random bytes from the OS, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A six-digit code from the OS's secure random source, uniform over 000000..=999999.
pub fn random_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// The letters of registration and support codes (domain::CODE_ALPHABET).
pub use crate::domain::CODE_ALPHABET as REGISTRATION_ALPHABET;
pub use keys::Keys;
pub use pool::{Admission, HashPool, Priority};

/// `groups` groups of `size` letters of [`REGISTRATION_ALPHABET`], joined
/// by dashes, from the OS's secure random source.
fn random_letters(groups: usize, size: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    let letters: Vec<char> = (0..groups * size)
        .map(|_| REGISTRATION_ALPHABET[rng.gen_range(0..REGISTRATION_ALPHABET.len())] as char)
        .collect();
    letters
        .chunks(size)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A registration code, `XXXX-XXXX-XXXX`: 12 letters of a 30-letter alphabet
/// (about 59 bits).
pub fn random_registration_code() -> String {
    random_letters(3, 4)
}

/// A support verification code, `XXXXX-XXXXX` (about 49 bits).
pub fn random_support_code() -> crate::domain::SupportCode {
    crate::domain::SupportCode::parse(&random_letters(2, 5)).expect("ten letters of the alphabet")
}

/// The keyed hash under which a support code of the old account `account`
/// is stored: bound to that account, so it verifies no other.
pub fn support_code_hash(key: &[u8], account: i64, code: &crate::domain::SupportCode) -> String {
    keyed_hash(key, &["support code", &account.to_string(), code.expose()])
}

/// How many backup codes a login holds.
pub const BACKUP_CODES: usize = 10;

/// A login's backup codes, shaped as support codes (`XXXXX-XXXXX`, about
/// 49 bits each), from the OS's secure random source.
pub fn random_backup_codes() -> Vec<crate::domain::SupportCode> {
    (0..BACKUP_CODES).map(|_| random_support_code()).collect()
}

/// The keyed hash under which a backup code of login `login` is stored:
/// bound to that login, so it opens no other.
pub fn backup_code_hash(key: &[u8], login: i64, code: &crate::domain::SupportCode) -> String {
    keyed_hash(key, &["backup code", &login.to_string(), code.expose()])
}

/// SHA-256 of a session token: the database never holds the token itself.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A keyed hash (HMAC-SHA256) under the application secret.
pub fn keyed_hash(key: &[u8], parts: &[&str]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(&(p.len() as u64).to_be_bytes());
        mac.update(p.as_bytes());
    }
    hex::encode(mac.finalize().into_bytes())
}

/// How a TIN is stored: a keyed hash of its nine digits, so that a copy of
/// the database does not give the TINs away (there are only 10^9 of them:
/// an unkeyed hash would be read back in seconds).
pub fn tin_hash(key: &[u8], digits: &str) -> String {
    keyed_hash(key, &["tin", digits])
}

/// A TIN's keyed hash under each secret, the current first (during a
/// rotation, a TIN stored under the previous secret is still found).
pub fn tin_hashes(keys: &Keys, digits: &str) -> Vec<String> {
    keys.hashes(&["tin", digits])
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

pub const WIZARD_COOKIE: &str = "pp_wizard";
/// The session of a Forgot Username, Forgot Password or Register flow.
pub const FLOW_COOKIE: &str = "pp_flow";
/// The sign-in session of a new-portal user.
pub const SESSION_COOKIE: &str = "pp_session";
/// A browser remembered for a login's second step ("Remember this browser
/// for 30 days"): a random token; the database keeps its SHA-256.
pub const REMEMBER_COOKIE: &str = "pp_remember";
/// How long a browser is remembered.
pub const REMEMBER_SECS: i64 = 30 * 86_400;
/// What a failed sign-in left for the sign-in page (the username typed and
/// the message), kept on the server rather than in the address.
pub const SIGNIN_COOKIE: &str = "pp_signin";
/// An operator's console session, sent only to `/ops`.
pub const OPS_COOKIE: &str = "pp_ops";

/// The console session's `Set-Cookie`: HttpOnly, SameSite=Strict, path
/// `/ops` (so no provider page ever receives it), Secure with the
/// `__Secure-` prefix over HTTPS (`__Host-` needs path `/`); `max_age` 0
/// removes it.
pub fn ops_cookie(value: &str, max_age: i64, secure: bool) -> String {
    cookie_at(ops_cookie_name(secure), "/ops", value, max_age, secure)
}

/// The console cookie's name as sent.
pub fn ops_cookie_name(secure: bool) -> String {
    secure_name(OPS_COOKIE, secure)
}

/// What the console shows once to the operator who asked for it (a support
/// code, a registration code, an enrolment link), sealed: sent only to
/// `/ops`, for [`SHOWN_SECS`] at most, removed by the page that shows it.
pub const SHOWN_COOKIE: &str = "pp_shown";

/// How long a value waits in its cookie for the page that shows it.
pub const SHOWN_SECS: i64 = 300;

/// The `Set-Cookie` of the value to show once (`max_age` 0 removes it).
pub fn shown_cookie(value: &str, max_age: i64, secure: bool) -> String {
    cookie_at(
        secure_name(SHOWN_COOKIE, secure),
        "/ops",
        value,
        max_age,
        secure,
    )
}

/// [`shown_cookie`] for a page of the provider's side at `path` (new
/// backup codes): sent to that page alone.
pub fn shown_cookie_at(path: &'static str, value: &str, max_age: i64, secure: bool) -> String {
    cookie_at(
        secure_name(SHOWN_COOKIE, secure),
        path,
        value,
        max_age,
        secure,
    )
}

/// The shown-once cookie's name as sent.
pub fn shown_cookie_name(secure: bool) -> String {
    secure_name(SHOWN_COOKIE, secure)
}

/// A cookie of a path below `/`: over HTTPS with the `__Secure-` prefix.
fn secure_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Secure-{name}")
    } else {
        name.to_string()
    }
}

/// A cookie's name as sent: over HTTPS with the `__Host-` prefix, which
/// browsers keep only for a Secure cookie of this very host and path `/`,
/// so that a sibling domain or a plain-HTTP page cannot plant one.
pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}

/// The `Set-Cookie` value of an HttpOnly, SameSite=Strict cookie for the
/// whole site (Secure, and `__Host-`, over HTTPS); `max_age` 0 removes it.
pub fn named_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    cookie_at(cookie_name(name, secure), "/", value, max_age, secure)
}

/// An HttpOnly, SameSite=Strict cookie under `path` (Secure over HTTPS).
fn cookie_at(name: String, path: &'static str, value: &str, max_age: i64, secure: bool) -> String {
    cookie::Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age))
        .secure(secure)
        .build()
        .to_string()
}

/// Reads one cookie from a `Cookie` header. A name sent twice reads as
/// none: which of two is ours cannot be told (one may have been planted).
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    let mut found = cookie::Cookie::split_parse(header)
        .filter_map(Result::ok)
        .filter(|c| c.name() == name);
    let first = found.next()?;
    match found.next() {
        Some(_) => None,
        None => Some(first.value().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pools_hashes_are_standard_phc_strings() {
        let mut memory = Vec::new();
        let phc = hash_with(&mut memory, "Welcome#2019");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        // Read by the reference implementation, and the other way round.
        assert!(verify_blocking(&phc, "Welcome#2019"));
        assert!(!verify_blocking(&phc, "welcome#2019"));
        let reference = hash_blocking("Billing#2020");
        assert!(verify_with(&mut memory, &reference, "Billing#2020"));
        assert!(!verify_with(&mut memory, &reference, "Billing#2021"));
        assert!(!verify_with(&mut memory, "not a hash", "x"));
        // Other parameters (an older hash) still verify.
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(b"old", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(verify_with(&mut memory, &weak, "old"));
    }

    #[tokio::test]
    async fn the_pool_answers_every_job() {
        let pool = HashPool::new(2);
        let phc = pool.hash("secret".into()).await;
        let checks: Vec<_> = (0..6)
            .map(|i| {
                let pool = pool.clone();
                let phc = phc.clone();
                tokio::spawn(async move {
                    pool.verify(
                        Some(phc),
                        if i % 2 == 0 {
                            "secret".into()
                        } else {
                            "nope".into()
                        },
                    )
                    .await
                })
            })
            .collect();
        for (i, c) in checks.into_iter().enumerate() {
            assert_eq!(c.await.unwrap(), i % 2 == 0);
        }
        assert!(
            !pool.verify(None, "secret".into()).await,
            "the dummy never matches"
        );
    }

    #[test]
    fn argon2id_with_the_contracted_parameters() {
        let phc = hash_blocking("Welcome#2019");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking(&phc, "Welcome#2019"));
        assert!(!verify_blocking(&phc, "welcome#2019"));
        assert!(!verify_blocking("not a hash", "x"));
    }

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<_> = (0..200).map(|_| random_code()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        assert!(codes.len() > 190, "codes repeat too often: {}", codes.len());
    }

    #[test]
    fn keyed_hash_depends_on_key_and_input() {
        let a = keyed_hash(b"k1", &["w", "123456"]);
        assert_ne!(a, keyed_hash(b"k2", &["w", "123456"]));
        assert_ne!(a, keyed_hash(b"k1", &["w", "123457"]));
        assert_ne!(
            keyed_hash(b"k", &["ab", "c"]),
            keyed_hash(b"k", &["a", "bc"])
        );
        assert!(!a.contains("123456"));
    }

    #[test]
    fn cookie_flags() {
        let c = named_cookie(WIZARD_COOKIE, "abc", 3600, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"));
        assert!(
            c.starts_with("pp_wizard=abc;") && c.contains("Path=/") && c.contains("Max-Age=3600")
        );
        assert!(named_cookie(WIZARD_COOKIE, "abc", 3600, true).contains("; Secure"));
        assert_eq!(
            cookie_value("a=1; pp_wizard=xyz; b=2", WIZARD_COOKIE).as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value("pp_wizardx=1", WIZARD_COOKIE), None);
        assert_eq!(
            cookie_value("pp_wizard=a; pp_wizard=b", WIZARD_COOKIE),
            None
        );
        let s = named_cookie(WIZARD_COOKIE, "abc", 3600, true);
        assert!(
            s.starts_with("__Host-pp_wizard=abc;") && s.contains("Path=/"),
            "{s}"
        );
        assert!(!s.contains("Domain"));
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let pool = HashPool::new(1);
        assert!(!pool.verify(None, "anything".into()).await);
        let h = pool.hash("pw".into()).await;
        assert!(pool.verify(Some(h), "pw".into()).await);
    }
}
