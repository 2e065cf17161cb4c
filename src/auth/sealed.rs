//! Small secrets sealed under the application secret (XChaCha20-Poly1305,
//! a key derived per purpose with HMAC-SHA256): operators' TOTP seeds in
//! the database, and a code shown once to the operator who issued it, in
//! that operator's browser for a few minutes.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;

use super::Keys;

/// The key of one purpose: a value sealed for one purpose does not open
/// for another.
fn key(app_key: &[u8], purpose: &str) -> XChaCha20Poly1305 {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(app_key).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    XChaCha20Poly1305::new(&mac.finalize().into_bytes())
}

/// `v2:`, the id of the secret it is sealed under, `:`, and the hex of a
/// random nonce and the ciphertext. Always under the current secret.
pub fn seal(app_key: &[u8], purpose: &str, plain: &[u8]) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = key(app_key, purpose)
        .encrypt(&nonce, plain)
        .expect("encrypting a small value cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    format!("v2:{}:{}", Keys::id_of(app_key), hex::encode(out))
}

/// What was sealed; `None` if `stored` was not sealed under one of these
/// secrets for this purpose (or was changed). A `v1:` value (sealed before
/// values named their secret) is tried under each.
pub fn open(keys: &Keys, purpose: &str, stored: &str) -> Option<Vec<u8>> {
    if let Some(rest) = stored.strip_prefix("v2:") {
        let (id, sealed) = rest.split_once(':')?;
        return open_under(keys.by_id(id)?, purpose, sealed);
    }
    let sealed = stored.strip_prefix("v1:")?;
    keys.all().find_map(|k| open_under(k, purpose, sealed))
}

/// Whether `stored` is sealed under the current secret (else the
/// `rotate-secret` command seals it again).
pub fn under_current(keys: &Keys, stored: &str) -> bool {
    stored
        .strip_prefix("v2:")
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(id, _)| id == Keys::id_of(keys.current()))
}

/// `stored` sealed again under the current secret, if it opens and is not
/// under it already.
pub fn reseal(keys: &Keys, purpose: &str, stored: &str) -> Option<String> {
    if under_current(keys, stored) {
        return None;
    }
    open(keys, purpose, stored).map(|plain| seal(keys.current(), purpose, &plain))
}

fn open_under(app_key: &[u8], purpose: &str, sealed: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(sealed).ok()?;
    if bytes.len() < 24 + 16 {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(24);
    key(app_key, purpose)
        .decrypt(chacha20poly1305::XNonce::from_slice(nonce), sealed)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[u8]) -> Keys {
        Keys::from(k.to_vec())
    }

    #[test]
    fn opens_only_under_its_key_and_purpose() {
        let s = seal(b"key one", "a", b"secret");
        assert_eq!(
            open(&keys(b"key one"), "a", &s).as_deref(),
            Some(&b"secret"[..])
        );
        assert_eq!(open(&keys(b"key two"), "a", &s), None);
        assert_eq!(open(&keys(b"key one"), "b", &s), None);
        let mut changed = s.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            open(
                &keys(b"key one"),
                "a",
                std::str::from_utf8(&changed).unwrap()
            ),
            None
        );
        assert_ne!(
            seal(b"key one", "a", b"secret"),
            s,
            "a fresh nonce each time"
        );
    }

    #[test]
    fn a_value_of_the_previous_secret_opens_until_it_is_dropped_and_reseals() {
        let old = seal(b"old secret", "p", b"seed");
        let rotating = Keys::new(b"new secret".to_vec(), Some(b"old secret".to_vec()));
        assert_eq!(open(&rotating, "p", &old).as_deref(), Some(&b"seed"[..]));
        assert!(!under_current(&rotating, &old));
        let again = reseal(&rotating, "p", &old).expect("sealed again");
        assert!(under_current(&rotating, &again));
        assert_eq!(reseal(&rotating, "p", &again), None, "once is enough");
        let after = keys(b"new secret");
        assert_eq!(open(&after, "p", &again).as_deref(), Some(&b"seed"[..]));
        assert_eq!(
            open(&after, "p", &old),
            None,
            "the dropped secret opens nothing"
        );
        // A value of the first format (no secret named) opens under either.
        let v1 = format!("v1:{}", old.rsplit(':').next().unwrap());
        assert_eq!(open(&rotating, "p", &v1).as_deref(), Some(&b"seed"[..]));
        assert_eq!(open(&after, "p", &v1), None);
    }
}
