//! Applicants' identity numbers at rest: sealed with AES-256-GCM, and recognised across
//! applications through an HMAC-SHA256 blind index, both under keys derived with
//! HKDF-SHA256 from the deployment's data key (`GONGKAI_DATA_KEY`).
//!
//! A database dump holds neither an identity number nor anything from which one could
//! be checked without the data key: the sealed value is `version ‖ nonce ‖ ciphertext ‖
//! tag` with a random 96-bit nonce, and the applicant key is a keyed hash.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::StoreError;

/// The first byte of a sealed value: the format and key generation.
const SEAL_VERSION: u8 = 1;
/// Bytes of an AES-GCM nonce.
const NONCE_BYTES: usize = 12;
/// Binds a ciphertext to its purpose, so that it cannot be passed off as another field.
const SEAL_AAD: &[u8] = b"gongkai/applicant-id-number/v1";
/// HKDF info of the encryption key.
const ENCRYPTION_INFO: &[u8] = b"gongkai/applicant-id-number/aes-256-gcm/v1";
/// HKDF info of the blind-index key.
const INDEX_INFO: &[u8] = b"gongkai/applicant-key/hmac-sha256/v1";
/// The least length of the data key, in bytes (as the configuration requires).
pub const MIN_DATA_KEY_BYTES: usize = 32;

/// A key sealing one kind of secret with AES-256-GCM, derived from the data key with
/// HKDF-SHA256 under that kind's own `info`, and binding each ciphertext to its kind
/// (`aad`): a value sealed for one purpose cannot be opened as another.
pub struct Sealer {
    cipher: Aes256Gcm,
    aad: &'static [u8],
    what: &'static str,
}

impl Sealer {
    /// The sealing key of `info` (HKDF) for values of `aad`; `what` names them in errors.
    pub fn derive(
        data_key: &[u8],
        info: &[u8],
        aad: &'static [u8],
        what: &'static str,
    ) -> Result<Self, StoreError> {
        let hk = hkdf_of(data_key)?;
        let mut enc = [0u8; 32];
        hk.expand(info, &mut enc)
            .map_err(|_| StoreError::Internal("HKDF refused the key length".into()))?;
        Ok(Sealer { cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(enc)), aad, what })
    }

    /// Seals a value: `version ‖ nonce ‖ ciphertext ‖ tag`, with a fresh random nonce.
    pub fn seal(&self, plain: &str) -> Result<Vec<u8>, StoreError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, Payload { msg: plain.as_bytes(), aad: self.aad })
            .map_err(|_| StoreError::Internal(format!("cannot encrypt the {}", self.what)))?;
        let mut out = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a sealed value. Fails when the data key is not the one it was sealed with,
    /// or the value was tampered with.
    pub fn open(&self, sealed: &[u8]) -> Result<String, StoreError> {
        let broken = || {
            StoreError::Internal(format!(
                "a stored {} cannot be decrypted: was GONGKAI_DATA_KEY changed?",
                self.what
            ))
        };
        let (&version, rest) = sealed.split_first().ok_or_else(broken)?;
        if version != SEAL_VERSION || rest.len() < NONCE_BYTES {
            return Err(broken());
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| broken())?;
        let plain = self
            .cipher
            .decrypt(&Nonce::from(nonce), Payload { msg: ciphertext, aad: self.aad })
            .map_err(|_| broken())?;
        String::from_utf8(plain).map_err(|_| broken())
    }
}

fn hkdf_of(data_key: &[u8]) -> Result<Hkdf<Sha256>, StoreError> {
    if data_key.len() < MIN_DATA_KEY_BYTES {
        return Err(StoreError::Internal(format!(
            "the data key must be at least {MIN_DATA_KEY_BYTES} bytes"
        )));
    }
    Ok(Hkdf::<Sha256>::new(None, data_key))
}

/// The keys derived from the data key.
pub struct ApplicantSecrets {
    sealer: Sealer,
    index_key: [u8; 32],
}

impl ApplicantSecrets {
    /// Derives both keys from the deployment's data key.
    pub fn derive(data_key: &[u8]) -> Result<Self, StoreError> {
        let sealer = Sealer::derive(data_key, ENCRYPTION_INFO, SEAL_AAD, "identity number")?;
        let mut index_key = [0u8; 32];
        hkdf_of(data_key)?
            .expand(INDEX_INFO, &mut index_key)
            .map_err(|_| StoreError::Internal("HKDF refused the key length".into()))?;
        Ok(ApplicantSecrets { sealer, index_key })
    }

    /// Seals an identity number (already normalized).
    pub fn seal(&self, id_number: &str) -> Result<Vec<u8>, StoreError> {
        self.sealer.seal(id_number)
    }

    /// Opens a sealed identity number. Fails when the data key is not the one it was
    /// sealed with, or the value was tampered with.
    pub fn open(&self, sealed: &[u8]) -> Result<String, StoreError> {
        self.sealer.open(sealed)
    }

    /// The blind index of an applicant: HMAC-SHA256 over the normalized name and the
    /// normalized identity number (empty when none was given).
    pub fn applicant_key(&self, normalized_name: &str, normalized_id: Option<&str>) -> Vec<u8> {
        // new_from_slice accepts any key length for HMAC; the fallback is unreachable.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key) else {
            return Vec::new();
        };
        mac.update(b"v1\x1f");
        mac.update(normalized_name.as_bytes());
        mac.update(b"\x1f");
        mac.update(normalized_id.unwrap_or("").as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_round_trips_and_never_repeats() {
        let s = ApplicantSecrets::derive(&[7u8; 32]).unwrap();
        let a = s.seal("440781199001011234").unwrap();
        let b = s.seal("440781199001011234").unwrap();
        assert_ne!(a, b, "a fresh nonce each time");
        assert_eq!(s.open(&a).unwrap(), "440781199001011234");
        assert!(!a.windows(18).any(|w| w == b"440781199001011234"));
    }

    #[test]
    fn another_key_cannot_open_or_match() {
        let s = ApplicantSecrets::derive(&[7u8; 32]).unwrap();
        let other = ApplicantSecrets::derive(&[8u8; 32]).unwrap();
        let sealed = s.seal("X1").unwrap();
        assert!(other.open(&sealed).is_err());
        let mut tampered = sealed.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(s.open(&tampered).is_err());
        assert_ne!(s.applicant_key("张三", Some("X1")), other.applicant_key("张三", Some("X1")));
        assert_eq!(s.applicant_key("张三", Some("X1")), s.applicant_key("张三", Some("X1")));
        assert_ne!(s.applicant_key("张三", Some("X1")), s.applicant_key("张三", None));
        assert_eq!(s.applicant_key("张三", None).len(), 32);
        assert!(ApplicantSecrets::derive(b"short").is_err());
    }
}
