//! Small secrets sealed under the application secret (XChaCha20-Poly1305,
//! a key derived per purpose with HMAC-SHA256): operators' TOTP seeds in
//! the database, and a code shown once to the operator who issued it, in
//! that operator's browser for a few minutes.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;

/// The key of one purpose: a value sealed for one purpose does not open
/// for another.
fn key(app_key: &[u8], purpose: &str) -> XChaCha20Poly1305 {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(app_key).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    XChaCha20Poly1305::new(&mac.finalize().into_bytes())
}

/// `v1:` and the hex of a random nonce and the ciphertext.
pub fn seal(app_key: &[u8], purpose: &str, plain: &[u8]) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = key(app_key, purpose)
        .encrypt(&nonce, plain)
        .expect("encrypting a small value cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    format!("v1:{}", hex::encode(out))
}

/// What was sealed; `None` if `stored` was not sealed under this key for
/// this purpose (or was changed).
pub fn open(app_key: &[u8], purpose: &str, stored: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(stored.strip_prefix("v1:")?).ok()?;
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

    #[test]
    fn opens_only_under_its_key_and_purpose() {
        let s = seal(b"key one", "a", b"secret");
        assert_eq!(open(b"key one", "a", &s).as_deref(), Some(&b"secret"[..]));
        assert_eq!(open(b"key two", "a", &s), None);
        assert_eq!(open(b"key one", "b", &s), None);
        let mut changed = s.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            open(b"key one", "a", std::str::from_utf8(&changed).unwrap()),
            None
        );
        assert_ne!(
            seal(b"key one", "a", b"secret"),
            s,
            "a fresh nonce each time"
        );
    }
}
