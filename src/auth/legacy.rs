//! The old portals' hashes of passwords, answers and PINs, taken as they
//! were exported and only ever verified (a new login's password is always
//! argon2id, made at the wizard's password step). `check` reads a hash
//! whole, with its cost, before it is stored: a malformed one, one of an
//! unknown format or one whose cost would hold a hashing thread for
//! seconds is refused at import, not met later by a provider.
//! docs/import.md lists the formats and the limits.

use argon2::password_hash::PasswordHash;
use base64::Engine;
use subtle::ConstantTimeEq;

/// A hash format the import accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Argon2id,
    Argon2i,
    Bcrypt,
    Sha256Crypt,
    Sha512Crypt,
    Pbkdf2Sha1,
    Pbkdf2Sha256,
    Pbkdf2Sha512,
    Scrypt,
    Ssha,
    Ssha256,
    Ssha512,
    Md5Crypt,
}

impl Format {
    /// The name used in docs/import.md and in reports.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("?", |(_, n)| n)
    }

    /// A format that a stolen copy gives up quickly (one round of a fast
    /// digest, or MD5): accepted, and marked in the report.
    pub fn weak(self) -> bool {
        matches!(
            self,
            Format::Md5Crypt | Format::Ssha | Format::Ssha256 | Format::Ssha512
        )
    }
}

/// Each format's name (a table, not a match: the catalogue check reads
/// `=> "..."` as a message key).
const NAMES: [(Format, &str); 13] = [
    (Format::Argon2id, "argon2id"),
    (Format::Argon2i, "argon2i"),
    (Format::Bcrypt, "bcrypt"),
    (Format::Sha256Crypt, "sha256-crypt"),
    (Format::Sha512Crypt, "sha512-crypt"),
    (Format::Pbkdf2Sha1, "pbkdf2-sha1"),
    (Format::Pbkdf2Sha256, "pbkdf2-sha256"),
    (Format::Pbkdf2Sha512, "pbkdf2-sha512"),
    (Format::Scrypt, "scrypt"),
    (Format::Ssha, "ssha"),
    (Format::Ssha256, "ssha256"),
    (Format::Ssha512, "ssha512"),
    (Format::Md5Crypt, "md5-crypt"),
];

/// Why a hash is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not one of the formats the import takes.
    Unknown,
    /// One of them, but not well formed.
    Malformed(&'static str),
    /// Well formed, with a cost beyond the limit (what it asks, in words).
    TooCostly(String),
}

/// Limits on a hash's cost: about a second of one core at most, and no
/// more than 64 MiB of memory, so that an absurd parameter in an export
/// cannot hold the hashing pool.
pub const MAX_BCRYPT_COST: u32 = 14;
pub const MAX_SHA_CRYPT_ROUNDS: u64 = 1_000_000;
/// PBKDF2's work is its rounds times the blocks of output it makes (one
/// block is the digest's length: 20 bytes for SHA-1, 32 for SHA-256, 64
/// for SHA-512), each block a run of every round: `l=64` in SHA-1 is four.
pub const MAX_PBKDF2_ROUNDS: u64 = 2_000_000;
pub const MAX_MEMORY_BYTES: u64 = 64 * 1024 * 1024;
/// argon2's memory (KiB) x passes: about seven times ours (19456 x 2).
pub const MAX_ARGON2_WORK: u64 = 262_144;
pub const MAX_SCRYPT_PARALLELISM: u32 = 4;

const BCRYPT_ALPHABET: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const CRYPT_ALPHABET: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Reads `hash` whole: its format, or why it is refused.
pub fn check(hash: &str) -> Result<Format, Refusal> {
    if hash.len() > 512 || !hash.is_ascii() {
        return Err(Refusal::Malformed("too long or not ASCII"));
    }
    if let Some(rest) = hash.strip_prefix('{') {
        return ssha(rest).map(|(f, _, _)| f);
    }
    let id = hash.split('$').nth(1).unwrap_or("");
    match id {
        "argon2id" | "argon2i" => phc_argon2(hash),
        "2a" | "2b" | "2y" => bcrypt_cost(hash).map(|_| Format::Bcrypt),
        "5" | "6" => sha_crypt(hash),
        "1" => md5_parts(hash).map(|_| Format::Md5Crypt),
        "pbkdf2" | "pbkdf2-sha256" | "pbkdf2-sha512" => phc_pbkdf2(hash),
        "scrypt" => phc_scrypt(hash),
        _ => Err(Refusal::Unknown),
    }
}

/// Whether `secret` is the one `hash` was made of. Any hash `check`
/// refuses is a mismatch. Blocking: run it on the hashing pool. argon2
/// hashes are verified by the pool itself (its work areas), not here.
pub fn verify(hash: &str, secret: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    let Ok(format) = check(hash) else {
        return false;
    };
    match format {
        Format::Argon2id | Format::Argon2i => super::verify_blocking(hash, secret),
        Format::Bcrypt => bcrypt::verify(secret, hash).unwrap_or(false),
        Format::Sha256Crypt => sha_crypt::sha256_check(secret, hash).is_ok(),
        Format::Sha512Crypt => sha_crypt::sha512_check(secret, hash).is_ok(),
        Format::Pbkdf2Sha1 | Format::Pbkdf2Sha256 | Format::Pbkdf2Sha512 => PasswordHash::new(hash)
            .is_ok_and(|h| {
                pbkdf2::Pbkdf2
                    .verify_password(secret.as_bytes(), &h)
                    .is_ok()
            }),
        Format::Scrypt => PasswordHash::new(hash).is_ok_and(|h| {
            scrypt::Scrypt
                .verify_password(secret.as_bytes(), &h)
                .is_ok()
        }),
        Format::Md5Crypt => match md5_parts(hash) {
            Ok(salt) => {
                let made = md5_crypt(secret.as_bytes(), salt.as_bytes());
                bool::from(made.as_bytes().ct_eq(hash.as_bytes()))
            }
            Err(_) => false,
        },
        Format::Ssha | Format::Ssha256 | Format::Ssha512 => {
            let Ok((format, digest, salt)) = ssha(&hash[1..]) else {
                return false;
            };
            let made = ssha_digest(format, secret.as_bytes(), &salt);
            bool::from(made.as_slice().ct_eq(&digest))
        }
    }
}

fn phc(hash: &str) -> Result<PasswordHash<'_>, Refusal> {
    PasswordHash::new(hash).map_err(|_| Refusal::Malformed("not a PHC string"))
}

fn decimal(h: &PasswordHash<'_>, name: &str) -> Result<u64, Refusal> {
    h.params
        .get_decimal(name)
        .map(u64::from)
        .ok_or(Refusal::Malformed("a parameter is missing or not a number"))
}

fn phc_argon2(hash: &str) -> Result<Format, Refusal> {
    let h = phc(hash)?;
    let format = match h.algorithm.as_str() {
        "argon2id" => Format::Argon2id,
        _ => Format::Argon2i,
    };
    let params =
        argon2::Params::try_from(&h).map_err(|_| Refusal::Malformed("argon2 parameters"))?;
    if h.salt.is_none() || h.hash.is_none() {
        return Err(Refusal::Malformed("no salt or no hash"));
    }
    let memory_kib = u64::from(params.m_cost());
    let work = memory_kib * u64::from(params.t_cost());
    if memory_kib * 1024 > MAX_MEMORY_BYTES || work > MAX_ARGON2_WORK || params.p_cost() > 8 {
        return Err(Refusal::TooCostly(format!(
            "argon2 m={} KiB, t={}, p={}",
            params.m_cost(),
            params.t_cost(),
            params.p_cost()
        )));
    }
    Ok(format)
}

/// A bcrypt hash's cost: `$2b$10$` + 22 letters of salt + 31 of hash.
fn bcrypt_cost(hash: &str) -> Result<u32, Refusal> {
    let b = hash.as_bytes();
    if b.len() != 60 || b[6] != b'$' {
        return Err(Refusal::Malformed("a bcrypt hash has 60 characters"));
    }
    let cost: u32 = hash[4..6]
        .parse()
        .map_err(|_| Refusal::Malformed("bcrypt cost"))?;
    if !b[7..].iter().all(|c| BCRYPT_ALPHABET.contains(c)) {
        return Err(Refusal::Malformed("bcrypt salt or hash"));
    }
    if cost < 4 {
        return Err(Refusal::Malformed("bcrypt cost below 4"));
    }
    if cost > MAX_BCRYPT_COST {
        return Err(Refusal::TooCostly(format!("bcrypt cost {cost}")));
    }
    Ok(cost)
}

/// `$5$` / `$6$` [`rounds=N$`] salt `$` hash.
fn sha_crypt(hash: &str) -> Result<Format, Refusal> {
    let parts: Vec<&str> = hash.split('$').collect();
    let (format, len) = match parts[1] {
        "5" => (Format::Sha256Crypt, 43),
        _ => (Format::Sha512Crypt, 86),
    };
    let (salt, digest) = match parts.as_slice() {
        [_, _, rounds, salt, digest] => {
            let n: u64 = rounds
                .strip_prefix("rounds=")
                .and_then(|n| n.parse().ok())
                .ok_or(Refusal::Malformed("SHA-crypt rounds"))?;
            if n > MAX_SHA_CRYPT_ROUNDS {
                return Err(Refusal::TooCostly(format!("SHA-crypt rounds={n}")));
            }
            if n < 1000 {
                return Err(Refusal::Malformed("SHA-crypt rounds below 1000"));
            }
            (*salt, *digest)
        }
        [_, _, salt, digest] => (*salt, *digest),
        _ => return Err(Refusal::Malformed("SHA-crypt layout")),
    };
    let crypt64 = |s: &str| s.bytes().all(|c| CRYPT_ALPHABET.contains(&c));
    if salt.is_empty() || salt.len() > 16 || digest.len() != len || !crypt64(digest) {
        return Err(Refusal::Malformed("SHA-crypt salt or hash"));
    }
    Ok(format)
}

fn phc_pbkdf2(hash: &str) -> Result<Format, Refusal> {
    let h = phc(hash)?;
    let format = match h.algorithm.as_str() {
        "pbkdf2" => Format::Pbkdf2Sha1,
        "pbkdf2-sha256" => Format::Pbkdf2Sha256,
        _ => Format::Pbkdf2Sha512,
    };
    let rounds = decimal(&h, "i")?;
    let (Some(_), Some(out)) = (h.salt, h.hash) else {
        return Err(Refusal::Malformed("no salt or no hash"));
    };
    if rounds == 0 || out.len() > 64 || out.len() < 16 {
        return Err(Refusal::Malformed("PBKDF2 rounds or hash length"));
    }
    let block = match format {
        Format::Pbkdf2Sha1 => 20,
        Format::Pbkdf2Sha256 => 32,
        _ => 64,
    };
    let blocks = out.len().div_ceil(block) as u64;
    if rounds.saturating_mul(blocks) > MAX_PBKDF2_ROUNDS {
        return Err(Refusal::TooCostly(format!(
            "PBKDF2 {rounds} rounds x {blocks} blocks of output"
        )));
    }
    Ok(format)
}

fn phc_scrypt(hash: &str) -> Result<Format, Refusal> {
    let h = phc(hash)?;
    let (ln, r, p) = (decimal(&h, "ln")?, decimal(&h, "r")?, decimal(&h, "p")?);
    let (Some(_), Some(out)) = (h.salt, h.hash) else {
        return Err(Refusal::Malformed("no salt or no hash"));
    };
    if ln >= 32 || r == 0 || p == 0 || out.len() < 16 || out.len() > 64 {
        return Err(Refusal::Malformed("scrypt parameters"));
    }
    let memory = 128u64.saturating_mul(r).saturating_mul(1u64 << ln);
    if memory > MAX_MEMORY_BYTES || p > u64::from(MAX_SCRYPT_PARALLELISM) {
        return Err(Refusal::TooCostly(format!("scrypt ln={ln}, r={r}, p={p}")));
    }
    scrypt::Params::new(ln as u8, r as u32, p as u32, out.len())
        .map_err(|_| Refusal::Malformed("scrypt parameters"))?;
    Ok(Format::Scrypt)
}

/// `{SSHA}`, `{SSHA256}`, `{SSHA512}`: base64 of digest(secret + salt) +
/// salt. Gives the digest and the salt.
fn ssha(after_brace: &str) -> Result<(Format, Vec<u8>, Vec<u8>), Refusal> {
    let (scheme, body) = after_brace.split_once('}').ok_or(Refusal::Unknown)?;
    let (format, len) = match scheme.to_ascii_uppercase().as_str() {
        "SSHA" => (Format::Ssha, 20),
        "SSHA256" => (Format::Ssha256, 32),
        "SSHA512" => (Format::Ssha512, 64),
        _ => return Err(Refusal::Unknown),
    };
    let raw = base64::engine::general_purpose::STANDARD
        .decode(body)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(body))
        .map_err(|_| Refusal::Malformed("not base64"))?;
    if raw.len() <= len || raw.len() > len + 64 {
        return Err(Refusal::Malformed("no salt after the digest"));
    }
    let (digest, salt) = raw.split_at(len);
    Ok((format, digest.to_vec(), salt.to_vec()))
}

fn ssha_digest(format: Format, secret: &[u8], salt: &[u8]) -> Vec<u8> {
    fn of<D: sha2::Digest>(secret: &[u8], salt: &[u8]) -> Vec<u8> {
        let mut d = D::new();
        d.update(secret);
        d.update(salt);
        d.finalize().to_vec()
    }
    match format {
        Format::Ssha => of::<sha1::Sha1>(secret, salt),
        Format::Ssha256 => of::<sha2::Sha256>(secret, salt),
        _ => of::<sha2::Sha512>(secret, salt),
    }
}

/// `$1$salt$hash`: the salt (at most 8 characters), or why not.
fn md5_parts(hash: &str) -> Result<&str, Refusal> {
    match hash.split('$').collect::<Vec<_>>().as_slice() {
        ["", "1", salt, digest]
            if salt.len() <= 8
                && digest.len() == 22
                && digest.bytes().all(|c| CRYPT_ALPHABET.contains(&c)) =>
        {
            Ok(salt)
        }
        _ => Err(Refusal::Malformed("MD5-crypt layout")),
    }
}

/// Poul-Henning Kamp's MD5-crypt (FreeBSD, glibc `$1$`), as the old
/// systems computed it: there is no maintained crate of it.
fn md5_crypt(secret: &[u8], salt: &[u8]) -> String {
    use md5::{Digest, Md5};
    let mut alt = Md5::new();
    alt.update(secret);
    alt.update(salt);
    alt.update(secret);
    let alt = alt.finalize();
    let mut ctx = Md5::new();
    ctx.update(secret);
    ctx.update(b"$1$");
    ctx.update(salt);
    for chunk in (0..secret.len()).step_by(16) {
        ctx.update(&alt[..(secret.len() - chunk).min(16)]);
    }
    let mut i = secret.len();
    while i > 0 {
        if i & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(&secret[..1]);
        }
        i >>= 1;
    }
    let mut fin = ctx.finalize();
    for i in 0..1000 {
        let mut c = Md5::new();
        if i & 1 == 1 {
            c.update(secret);
        } else {
            c.update(fin);
        }
        if i % 3 != 0 {
            c.update(salt);
        }
        if i % 7 != 0 {
            c.update(secret);
        }
        if i & 1 == 1 {
            c.update(fin);
        } else {
            c.update(secret);
        }
        fin = c.finalize();
    }
    let mut out = format!("$1${}$", String::from_utf8_lossy(salt));
    let mut to64 = |mut v: u32, n: usize| {
        for _ in 0..n {
            out.push(CRYPT_ALPHABET[(v & 0x3f) as usize] as char);
            v >>= 6;
        }
    };
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        to64(
            (u32::from(fin[a]) << 16) | (u32::from(fin[b]) << 8) | u32::from(fin[c]),
            4,
        );
    }
    to64(u32::from(fin[11]), 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tests/fixtures/legacy-hashes.tsv: made by other implementations
    /// (scripts/make-hash-fixtures.py names each tool and command).
    fn fixtures() -> Vec<(String, String, String)> {
        let text = include_str!("../../tests/fixtures/legacy-hashes.tsv");
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[0].to_string(), f[1].to_string(), f[2].to_string())
            })
            .collect()
    }

    #[test]
    fn every_format_made_elsewhere_verifies_and_a_wrong_secret_does_not() {
        let all = fixtures();
        let names: std::collections::BTreeSet<&str> = all.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names.len(),
            13,
            "every accepted format has a fixture: {names:?}"
        );
        for (name, password, hash) in &all {
            let format = check(hash).unwrap_or_else(|e| panic!("{name} {hash}: {e:?}"));
            assert_eq!(format.name(), name, "{hash}");
            assert!(verify(hash, password), "{name}: the right password, {hash}");
            assert!(!verify(hash, "Welcome#2018"), "{name}: a wrong one");
            assert!(!verify(hash, ""), "{name}: none");
            assert!(!verify(hash, &password.to_lowercase()), "{name}: case");
        }
    }

    #[test]
    fn weak_formats_are_marked() {
        assert!(Format::Md5Crypt.weak() && Format::Ssha.weak());
        assert!(!Format::Bcrypt.weak() && !Format::Sha512Crypt.weak() && !Format::Argon2id.weak());
    }

    #[test]
    fn absurd_costs_are_refused_before_any_work() {
        let bcrypt31 = "$2b$31$CPSSibVtn03Dlel9KwrAGevKYvUgAVxJNbYKM3HlIzRpxVqLQj0bi";
        assert!(matches!(check(bcrypt31), Err(Refusal::TooCostly(_))));
        assert!(!verify(bcrypt31, "Welcome#2019"));
        let pbkdf2 = "$pbkdf2-sha256$i=1000000000,l=32$9sSfcR/t0gfGKNXad/Xe9w$MPeNe9wBiS0ON+zFiJCNkdf58rk0uxvNV3GH2Ny6tEg";
        assert!(matches!(check(pbkdf2), Err(Refusal::TooCostly(_))));
        // Four blocks of SHA-1 (l=64) at 2,000,000 rounds: 8,000,000 rounds'
        // work; at 500,000 rounds the same hash is within the limit.
        let four_blocks = "$pbkdf2$i=2000000,l=64$c2FsdHNhbHRzYWx0c2FsdA$3mQwxQvcnUtx62j99hQkk9BBmiNribB4lB5KYVNm8QwO/FhE+OUyeXeOSLbvaN0lPZJqYm3qz0GiLP+Ko4L+hQ";
        assert!(matches!(check(four_blocks), Err(Refusal::TooCostly(_))));
        let within = four_blocks.replace("i=2000000", "i=500000");
        assert_eq!(check(&within), Ok(Format::Pbkdf2Sha1));
        let sha = "$6$rounds=999999999$saltsaltsalt$w3Ri28EnrN85AeM.oPKCwy2dvgz3hSHiSncSId8ibNirT7pM7CVFEXpwwq0H96KvYucpVTO.yW.UErijQN9fl.";
        assert!(matches!(check(sha), Err(Refusal::TooCostly(_))));
        let scrypt = "$scrypt$ln=24,r=8,p=1$91E2yssZlfX3C+2COJz11g$kAzdhhS96emTwLP1iaSa/n0e2VKdE2jZt4qQlrFJ51E";
        assert!(matches!(check(scrypt), Err(Refusal::TooCostly(_))));
        let argon = "$argon2id$v=19$m=4194304,t=2,p=1$PNjcI4il/QZNljhuEXDumQ$jxqwRXkt8lQC3vyiFI8g+s4COt5yqVKFhw/XagKU/gc";
        assert!(matches!(check(argon), Err(Refusal::TooCostly(_))));
    }

    #[test]
    fn unknown_and_malformed_hashes_are_told_apart() {
        for unknown in [
            "",
            "plain",
            "$7$abc",
            "{CRYPT}$1$x$y",
            "{MD5}abc",
            "$argon2d$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
        ] {
            assert_eq!(check(unknown), Err(Refusal::Unknown), "{unknown}");
        }
        for bad in [
            "$2b$10$short",
            "$6$salt",
            "$1$toolongsalt$N7g9i6CZS.da9d8NecdV11",
            "$pbkdf2-sha256$i=x$c2FsdA$aGFzaA",
            "{SSHA}!!!",
            "{SSHA}Xyhr0FUpZCMFNyIZg0nINwvBMYA=",
        ] {
            assert!(matches!(check(bad), Err(Refusal::Malformed(_))), "{bad}");
        }
    }
}
