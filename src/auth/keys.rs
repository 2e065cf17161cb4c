//! The application's keys: `APP_SECRET`, and while it is being replaced,
//! the secret before it (`APP_SECRET_PREVIOUS`), still accepted for reading
//! (docs/deploy.md, Replacing APP_SECRET).
//!
//! Each use derives its own key from the secret (a purpose in the sealed
//! values, a label first in every keyed hash), and every value sealed now
//! names the secret it was sealed under by a short id, so that a value
//! opens under the right one of the two and the `rotate-secret` command
//! finds what still needs sealing again.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The current secret, and the previous one during a rotation. Derefs to
/// the current secret: what is written is always under it.
#[derive(Clone)]
pub struct Keys {
    current: Vec<u8>,
    previous: Option<Vec<u8>>,
}

impl Keys {
    pub fn new(current: Vec<u8>, previous: Option<Vec<u8>>) -> Keys {
        let previous = previous.filter(|p| *p != current);
        Keys { current, previous }
    }

    pub fn current(&self) -> &[u8] {
        &self.current
    }

    pub fn previous(&self) -> Option<&[u8]> {
        self.previous.as_deref()
    }

    /// The current secret, then the previous one if there is one.
    pub fn all(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.current.as_slice()).chain(self.previous.as_deref())
    }

    /// A secret's id: eight hex digits of its keyed hash of a fixed label
    /// (it names the secret; it gives nothing of it away).
    pub fn id_of(secret: &[u8]) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"provider-portal key id");
        hex::encode(&mac.finalize().into_bytes()[..4])
    }

    /// The secret whose id is `id`, of these two.
    pub fn by_id(&self, id: &str) -> Option<&[u8]> {
        self.all().find(|k| Self::id_of(k) == id)
    }

    /// The keyed hash of `parts` under each secret, the current first: a
    /// value stored under the previous secret is still found.
    pub fn hashes(&self, parts: &[&str]) -> Vec<String> {
        self.all().map(|k| super::keyed_hash(k, parts)).collect()
    }
}

impl std::ops::Deref for Keys {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.current
    }
}

impl From<Vec<u8>> for Keys {
    fn from(current: Vec<u8>) -> Keys {
        Keys::new(current, None)
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Keys(current {}, previous {:?})",
            Self::id_of(&self.current),
            self.previous.as_deref().map(Self::id_of)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_secret_is_found_by_its_id_and_hashes() {
        let keys = Keys::new(b"new secret".to_vec(), Some(b"old secret".to_vec()));
        let old = Keys::id_of(b"old secret");
        assert_eq!(keys.by_id(&old), Some(&b"old secret"[..]));
        assert_eq!(keys.by_id("00000000"), None);
        assert_ne!(old, Keys::id_of(b"new secret"));
        let h = keys.hashes(&["tin", "123456789"]);
        assert_eq!(h.len(), 2);
        assert_eq!(
            h[1],
            crate::auth::keyed_hash(b"old secret", &["tin", "123456789"])
        );
        assert_eq!(&*keys, b"new secret");
        let alone = Keys::from(b"new secret".to_vec());
        assert_eq!(alone.hashes(&["x"]).len(), 1);
        assert!(!format!("{keys:?}").contains("secret"));
        assert_eq!(
            Keys::new(b"same".to_vec(), Some(b"same".to_vec())).previous(),
            None
        );
    }
}
