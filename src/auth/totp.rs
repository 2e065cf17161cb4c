//! Operators' second factor: TOTP (RFC 6238; SHA-1, 6 digits, 30 s, one
//! step of clock drift either way), as every authenticator app reads it.
//! The seed is kept encrypted under the application secret; a code is good
//! once (the store keeps the last step accepted).

use rand::RngCore;
use totp_rs::{Builder, Secret, Totp};

/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Provider Portal";

/// 20 random bytes (RFC 4226's recommended 160 bits).
pub fn new_seed() -> Vec<u8> {
    let mut b = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// The seed as typed into an authenticator by hand (Base32, in groups of four).
pub fn seed_text(seed: &[u8]) -> String {
    let b32 = Secret::from(seed.to_vec()).to_base32();
    b32.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The seed of a key typed by hand ([`seed_text`]'s form, spaces ignored).
pub fn seed_from_text(text: &str) -> Option<Vec<u8>> {
    let b32: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    Secret::try_from_base32(b32)
        .ok()
        .map(|s| s.as_bytes().to_vec())
}

fn totp(seed: &[u8], account: &str) -> Option<Totp> {
    // The otpauth label may not hold ':'; usernames never hold one anyway.
    let account = account.replace(':', "");
    Builder::new()
        .with_secret(seed.to_vec())
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(seed: &[u8], account: &str) -> Option<String> {
    totp(seed, account)?.to_url().ok()
}

/// The QR code of `url`, as an SVG element to put in a page (the XML
/// declaration removed), or `None` if the address is too long for one.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// The time step at which `code` is right at `now` (Unix seconds), if it is.
pub fn check(seed: &[u8], code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) || now < 0 {
        return None;
    }
    let step = totp(seed, "")?.check(&code, now as u64)?;
    i64::try_from(step).ok()
}

/// The code at `now` (the tests' authenticator).
pub fn code_at(seed: &[u8], now: i64) -> String {
    totp(seed, "")
        .map(|t| t.generate(now.max(0) as u64).to_string())
        .unwrap_or_default()
}

/// What a seed is sealed for (auth::sealed): a copy of the database alone
/// gives no seed away.
pub const SEED_PURPOSE: &str = "operator TOTP seed, v1";

/// A seed as stored: sealed (auth::sealed: `v2:`, the id of the secret, and
/// the hex of a random nonce and the ciphertext).
pub fn seal_seed(app_key: &[u8], seed: &[u8]) -> String {
    super::sealed::seal(app_key, SEED_PURPOSE, seed)
}

/// The seed of a stored value; `None` if it was not sealed under this key.
pub fn open_seed(keys: &super::Keys, stored: &str) -> Option<Vec<u8>> {
    super::sealed::open(keys, SEED_PURPOSE, stored)
}

/// What a login's authenticator-app seed is sealed for: never taken for
/// an operator's, nor an operator's for a login's.
pub const LOGIN_SEED_PURPOSE: &str = "login TOTP seed, v1";

/// A login's seed as stored (see [`seal_seed`]).
pub fn seal_login_seed(app_key: &[u8], seed: &[u8]) -> String {
    super::sealed::seal(app_key, LOGIN_SEED_PURPOSE, seed)
}

/// The seed of a login's stored value; `None` if it was not sealed under
/// this key as a login's.
pub fn open_login_seed(keys: &super::Keys, stored: &str) -> Option<Vec<u8>> {
    super::sealed::open(keys, LOGIN_SEED_PURPOSE, stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890" gives
    /// 94287082 at 59 s, 07081804 at 1111111109 s, 14050471 at 1111111111 s
    /// (8 digits); our 6-digit codes are their last six.
    #[test]
    fn codes_are_rfc_6238s() {
        let seed = b"12345678901234567890";
        assert_eq!(code_at(seed, 59), "287082");
        assert_eq!(code_at(seed, 1_111_111_109), "081804");
        assert_eq!(code_at(seed, 1_111_111_111), "050471");
        assert_eq!(check(seed, "287082", 59), Some(1));
        assert_eq!(
            check(seed, "287 082", 59),
            Some(1),
            "spaces as apps show them"
        );
        // One step of drift either way, not two.
        assert_eq!(check(seed, "287082", 59 + 30), Some(1));
        assert_eq!(check(seed, "287082", 59 + 60), None);
        assert_eq!(check(seed, "287083", 59), None);
        assert_eq!(check(seed, "28708", 59), None);
        assert_eq!(check(seed, "２８７０８２", 59), None, "ASCII digits only");
    }

    #[test]
    fn seeds_are_sealed_under_the_key() {
        let seed = new_seed();
        let sealed = seal_seed(b"key one", &seed);
        assert!(!sealed.contains(&hex::encode(&seed)));
        assert_eq!(
            open_seed(&super::super::Keys::from(b"key one".to_vec()), &sealed),
            Some(seed.clone())
        );
        assert_eq!(
            open_seed(&super::super::Keys::from(b"key two".to_vec()), &sealed),
            None
        );
        assert_eq!(
            open_login_seed(&super::super::Keys::from(b"key one".to_vec()), &sealed),
            None,
            "an operator's seed is no login's"
        );
        let login = seal_login_seed(b"key one", &seed);
        assert_eq!(
            open_login_seed(&super::super::Keys::from(b"key one".to_vec()), &login),
            Some(seed.clone())
        );
        assert_eq!(
            open_seed(&super::super::Keys::from(b"key one".to_vec()), &login),
            None
        );
        assert_ne!(
            seal_seed(b"key one", &seed),
            sealed,
            "a fresh nonce each time"
        );
        let mut tampered = sealed.clone().into_bytes();
        let i = tampered.len() - 5;
        tampered[i] = if tampered[i] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(
            open_seed(&super::super::Keys::from(b"key one".to_vec()), &tampered),
            None,
            "a changed byte is refused"
        );
    }

    #[test]
    fn the_qr_code_and_text_carry_the_seed() {
        let seed = b"12345678901234567890".to_vec();
        assert_eq!(seed_text(&seed), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(seed_from_text(&seed_text(&seed)), Some(seed.clone()));
        let url = otpauth_url(&seed, "ana").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Provider%20Portal:ana?"),
            "{url}"
        );
        assert!(
            url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{url}"
        );
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
