//! Hashing (argon2id on a bounded pool), keyed hashes, random tokens and the
//! session cookie.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// PRODUCT.md's parameters: argon2id, m = 19456 KiB, t = 2, p = 1.
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

/// Argon2 work off the async runtime, at most `size` at a time, so that a
/// flood of password attempts cannot starve every other request.
#[derive(Clone)]
pub struct HashPool {
    permits: Arc<Semaphore>,
    /// A real hash of nothing anyone knows: unknown accounts are verified
    /// against it, so they cost the same time as known ones.
    dummy: Arc<String>,
}

impl HashPool {
    pub fn new(size: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(size.max(1))),
            dummy: Arc::new(hash_blocking(&random_token())),
        }
    }

    /// One permit per core.
    pub fn per_core() -> Self {
        Self::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    }

    pub async fn hash(&self, secret: String) -> String {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("semaphore never closes");
        tokio::task::spawn_blocking(move || hash_blocking(&secret))
            .await
            .expect("hashing task panicked")
    }

    /// Verifies `secret` against `phc`, or against the dummy hash when there
    /// is no account (always false, same cost).
    pub async fn verify(&self, phc: Option<String>, secret: String) -> bool {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("semaphore never closes");
        let (phc, real) = match phc {
            Some(p) => (p, true),
            None => ((*self.dummy).clone(), false),
        };
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&phc, &secret))
            .await
            .expect("hashing task panicked");
        ok && real
    }
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

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

pub const WIZARD_COOKIE: &str = "pp_wizard";
/// The sign-in session of a new-portal user.
pub const SESSION_COOKIE: &str = "pp_session";

/// An HttpOnly, SameSite=Strict cookie (Secure over HTTPS).
pub fn named_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value for the wizard session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{WIZARD_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the wizard session.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{WIZARD_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Reads one cookie from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .map(str::trim)
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let c = session_cookie("abc", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"));
        assert!(session_cookie("abc", true).ends_with("; Secure"));
        assert_eq!(
            cookie_value("a=1; pp_wizard=xyz; b=2", WIZARD_COOKIE),
            Some("xyz")
        );
        assert_eq!(cookie_value("pp_wizardx=1", WIZARD_COOKIE), None);
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let pool = HashPool::new(1);
        assert!(!pool.verify(None, "anything".into()).await);
        let h = pool.hash("pw".into()).await;
        assert!(pool.verify(Some(h), "pw".into()).await);
    }
}
