//! Sealing one value: XChaCha20-Poly1305 with a random 24-byte nonce, the case id and the
//! variable name as associated data.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};

use super::{Error, Key, KeyRing};

/// How every sealed value starts.
pub const SEALED_PREFIX: &str = "wfctl:enc:v1:";

const NONCE_LEN: usize = 24;

/// Whether `text` is a sealed value.
pub fn is_sealed(text: &str) -> bool {
    text.starts_with(SEALED_PREFIX)
}

// what a value is bound to: it opens only as this variable of this case
fn associated_data(case_id: &str, name: &str) -> Vec<u8> {
    let mut ad = Vec::with_capacity(case_id.len() + name.len() + 16);
    ad.extend_from_slice(b"wfctl:v1\0");
    ad.extend_from_slice(case_id.as_bytes());
    ad.push(0);
    ad.extend_from_slice(name.as_bytes());
    ad
}

/// Seals `plaintext` as variable `name` of case `case_id`.
pub fn seal(key: &Key, case_id: &str, name: &str, plaintext: &[u8]) -> Result<String, Error> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| Error::KeyFile {
        path: key.id().to_owned(),
        reason: format!("no randomness from the system: {e}"),
    })?;
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let ad = associated_data(case_id, name);
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &ad,
            },
        )
        .map_err(|_| Error::Tampered {
            case: case_id.to_owned(),
            variable: name.to_owned(),
        })?;
    let mut body = nonce.to_vec();
    body.extend_from_slice(&ciphertext);
    Ok(format!(
        "{SEALED_PREFIX}{}:{}",
        key.id(),
        STANDARD.encode(body)
    ))
}

/// Opens a sealed value of variable `name` of case `case_id` with the key it names.
pub fn open(keys: &KeyRing, case_id: &str, name: &str, sealed: &str) -> Result<Vec<u8>, Error> {
    let tampered = || Error::Tampered {
        case: case_id.to_owned(),
        variable: name.to_owned(),
    };
    let rest = sealed.strip_prefix(SEALED_PREFIX).ok_or_else(tampered)?;
    let (key_id, encoded) = rest.split_once(':').ok_or_else(tampered)?;
    let key = keys.get(key_id).ok_or_else(|| match keys.sealing() {
        None => Error::NoKey {
            case: case_id.to_owned(),
            variable: name.to_owned(),
        },
        Some(_) => Error::WrongKey {
            case: case_id.to_owned(),
            variable: name.to_owned(),
            key_id: key_id.to_owned(),
            loaded: keys.ids(),
        },
    })?;
    let body = STANDARD.decode(encoded).map_err(|_| tampered())?;
    if body.len() < NONCE_LEN {
        return Err(tampered());
    }
    let (nonce, ciphertext) = body.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let ad = associated_data(case_id, name);
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &ad,
            },
        )
        .map_err(|_| tampered())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_opens_only_as_its_own_variable_of_its_own_case() {
        let key = Key::from_bytes([7; 32]);
        let ring = KeyRing::new(vec![key.clone()]);
        let sealed = seal(&key, "c1", "ssn", b"123-45-6789").unwrap();
        assert!(sealed.starts_with(&format!("{SEALED_PREFIX}{}:", key.id())));
        assert!(!sealed.contains("123-45"));
        assert_eq!(open(&ring, "c1", "ssn", &sealed).unwrap(), b"123-45-6789");
        for (case, name) in [("c2", "ssn"), ("c1", "iban")] {
            let err = open(&ring, case, name, &sealed).unwrap_err();
            assert!(matches!(err, Error::Tampered { .. }), "{err}");
        }
        let mut altered = sealed.clone();
        altered.replace_range(sealed.len() - 3..sealed.len() - 2, "A");
        let altered = if altered == sealed {
            format!("{}B==", &sealed[..sealed.len() - 3])
        } else {
            altered
        };
        assert!(open(&ring, "c1", "ssn", &altered).is_err());
        let other = KeyRing::new(vec![Key::from_bytes([8; 32])]);
        let err = open(&other, "c1", "ssn", &sealed).unwrap_err().to_string();
        assert!(err.contains(key.id()), "{err}");
        let err = open(&KeyRing::default(), "c1", "ssn", &sealed)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no key is loaded"), "{err}");
    }
}
