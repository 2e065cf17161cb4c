//! A software authenticator for the tests and the bench: a P-256 key (OpenSSL, already
//! under webauthn-rs), answering the options a page carries as a browser's
//! authenticator would (attestation "none", user verified), with
//! `clientDataJSON` for the origin the test names. The browser suite uses
//! Chromium's own virtual authenticator instead.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use openssl::pkey::Private;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct SoftKey {
    key: EcKey<Private>,
    pub cred_id: Vec<u8>,
    /// The user handle the site gave at creation.
    pub user_handle: Vec<u8>,
    pub counter: u32,
}

/// A form's ceremony as the page carries it: its options (JSON) and its
/// sealed state.
pub struct OnPage {
    pub options: Value,
    pub state: String,
}

/// The passkey form posting to `action` on `body`, if the page has one.
pub fn ceremony_on(body: &str, action: &str) -> Option<OnPage> {
    let at = body.find(&format!("action=\"{action}\""))?;
    let form = &body[at..at + body[at..].find("</form>")?];
    let attr = |name: &str| -> Option<String> {
        let from = form.find(&format!("{name}=\""))? + name.len() + 2;
        let to = from + form[from..].find('"')?;
        Some(html_escape::decode_html_entities(&form[from..to]).into_owned())
    };
    let options = serde_json::from_str(&attr("data-options")?).ok()?;
    let state_at = form.find("name=\"state\"")?;
    let rest = &form[state_at..];
    let from = rest.find("value=\"")? + 7;
    let to = from + rest[from..].find('"')?;
    Some(OnPage {
        options,
        state: html_escape::decode_html_entities(&rest[from..to]).into_owned(),
    })
}

fn cbor_head(major: u8, len: usize) -> Vec<u8> {
    match len {
        0..=23 => vec![(major << 5) | len as u8],
        24..=255 => vec![(major << 5) | 24, len as u8],
        _ => vec![(major << 5) | 25, (len >> 8) as u8, len as u8],
    }
}

fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    let mut out = cbor_head(2, b.len());
    out.extend_from_slice(b);
    out
}

fn cbor_text(s: &str) -> Vec<u8> {
    let mut out = cbor_head(3, s.len());
    out.extend_from_slice(s.as_bytes());
    out
}

fn b64(s: &Value) -> Vec<u8> {
    B64.decode(s.as_str().unwrap_or_default())
        .expect("base64url")
}

impl SoftKey {
    pub fn new() -> SoftKey {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        let mut id = [0u8; 16];
        openssl::rand::rand_bytes(&mut id).unwrap();
        SoftKey {
            key: EcKey::generate(&group).unwrap(),
            cred_id: id.to_vec(),
            user_handle: Vec::new(),
            counter: 0,
        }
    }

    /// The same credential in another authenticator (a clone).
    pub fn clone_key(&self) -> SoftKey {
        SoftKey {
            key: self.key.clone(),
            cred_id: self.cred_id.clone(),
            user_handle: self.user_handle.clone(),
            counter: self.counter,
        }
    }

    fn cose_key(&self) -> Vec<u8> {
        let group = self.key.group();
        let mut ctx = BigNumContext::new().unwrap();
        let (mut x, mut y) = (BigNum::new().unwrap(), BigNum::new().unwrap());
        self.key
            .public_key()
            .affine_coordinates(group, &mut x, &mut y, &mut ctx)
            .unwrap();
        let mut out = cbor_head(5, 5);
        out.extend([0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21]);
        out.extend(cbor_bytes(&x.to_vec_padded(32).unwrap()));
        out.push(0x22);
        out.extend(cbor_bytes(&y.to_vec_padded(32).unwrap()));
        out
    }

    fn client_data(kind: &str, challenge: &Value, origin: &str) -> Vec<u8> {
        json!({ "type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    fn auth_data(rp_id: &str, flags: u8, counter: u32) -> Vec<u8> {
        let mut out = Sha256::digest(rp_id.as_bytes()).to_vec();
        out.push(flags);
        out.extend(counter.to_be_bytes());
        out
    }

    /// The credential a browser sends back for creation `options`, made
    /// for `origin`.
    pub fn create(&mut self, options: &Value, origin: &str) -> String {
        let pk = &options["publicKey"];
        self.user_handle = b64(&pk["user"]["id"]);
        let rp_id = pk["rp"]["id"].as_str().unwrap();
        let client = Self::client_data("webauthn.create", &pk["challenge"], origin);
        // User present, user verified, attested credential data.
        let mut data = Self::auth_data(rp_id, 0x45, self.counter);
        data.extend([0u8; 16]);
        data.extend((self.cred_id.len() as u16).to_be_bytes());
        data.extend(&self.cred_id);
        data.extend(self.cose_key());
        let mut att = cbor_head(5, 3);
        att.extend(cbor_text("fmt"));
        att.extend(cbor_text("none"));
        att.extend(cbor_text("attStmt"));
        att.extend(cbor_head(5, 0));
        att.extend(cbor_text("authData"));
        att.extend(cbor_bytes(&data));
        json!({
            "id": B64.encode(&self.cred_id),
            "rawId": B64.encode(&self.cred_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(&client),
                "attestationObject": B64.encode(&att),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }

    /// The assertion a browser sends back for request `options`, made for
    /// `origin` (the counter one on).
    pub fn get(&mut self, options: &Value, origin: &str) -> String {
        self.counter += 1;
        self.assert(options, origin, 0x05)
    }

    /// An assertion with the given authenticator flags and this key's
    /// counter as it is.
    pub fn assert(&self, options: &Value, origin: &str, flags: u8) -> String {
        let pk = &options["publicKey"];
        let rp_id = pk["rpId"].as_str().unwrap();
        let client = Self::client_data("webauthn.get", &pk["challenge"], origin);
        let data = Self::auth_data(rp_id, flags, self.counter);
        let mut signed = data.clone();
        signed.extend(Sha256::digest(&client));
        let digest = Sha256::digest(&signed);
        let sig = EcdsaSig::sign(&digest, &self.key)
            .unwrap()
            .to_der()
            .unwrap();
        json!({
            "id": B64.encode(&self.cred_id),
            "rawId": B64.encode(&self.cred_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(&client),
                "authenticatorData": B64.encode(&data),
                "signature": B64.encode(&sig),
                "userHandle": B64.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }
}
