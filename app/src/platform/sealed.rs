//! Secrets at rest (the settings centre's SMTP password, provider keys): sealed with
//! ChaCha20-Poly1305 under a key from the environment (`AGORA_SETTINGS_KEY`, 32 bytes as 64 hex
//! digits), never under one the database holds. A sealed value names its key by a short hash, so
//! after a rotation (`AGORA_SETTINGS_KEY_PREVIOUS` set to the old key) values sealed under the old key
//! still open until `agora-server settings rotate-key` seals them again under the new one.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "sealed:v1:";

/// Why a value could not be sealed or opened. None of them carries the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealError {
    /// No key is configured: secrets cannot be stored.
    NoKey,
    /// Sealed under a key that is neither the current nor the previous one.
    UnknownKey,
    /// The value is not a sealed value, or was changed.
    Corrupt,
}

impl SealError {
    pub fn code(self) -> &'static str {
        match self {
            SealError::NoKey => "settings.problem.no_key",
            SealError::UnknownKey => "settings.problem.unknown_key",
            SealError::Corrupt => "settings.problem.corrupt",
        }
    }
}

struct SealKey {
    /// The first 8 hex digits of the key's SHA-256: which key sealed a value (not the key).
    id: String,
    cipher: ChaCha20Poly1305,
}

impl SealKey {
    fn from_hex(hex_key: &str) -> Result<Option<SealKey>, String> {
        let hex_key = hex_key.trim();
        if hex_key.is_empty() {
            return Ok(None);
        }
        let bytes = hex::decode(hex_key).map_err(|_| "must be 64 hexadecimal digits".to_string())?;
        if bytes.len() != 32 {
            return Err("must be 64 hexadecimal digits (32 bytes)".into());
        }
        let id = hex::encode(&Sha256::digest(&bytes)[..4]);
        Ok(Some(SealKey { id, cipher: ChaCha20Poly1305::new(Key::from_slice(&bytes)) }))
    }
}

/// The current key (seals and opens) and the previous one (opens only, during a rotation).
#[derive(Default)]
pub struct SealKeys {
    current: Option<SealKey>,
    previous: Option<SealKey>,
}

impl std::fmt::Debug for SealKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKeys(current: {:?}, previous: {:?})", self.current_id(), self.previous.as_ref().map(|k| &k.id))
    }
}

impl SealKeys {
    /// Keys as 64 hex digits each; empty: none. The error names what is wrong, never the key.
    pub fn from_hex(current: &str, previous: &str) -> Result<SealKeys, String> {
        let current = SealKey::from_hex(current).map_err(|e| format!("settings_key {e}"))?;
        let previous = SealKey::from_hex(previous).map_err(|e| format!("settings_key_previous {e}"))?;
        if current.is_none() && previous.is_some() {
            return Err("settings_key_previous needs settings_key (the new key)".into());
        }
        Ok(SealKeys { current, previous })
    }

    pub fn configured(&self) -> bool {
        self.current.is_some()
    }

    /// The short id of the current key (for the console: which key seals new secrets).
    pub fn current_id(&self) -> Option<&str> {
        self.current.as_ref().map(|k| k.id.as_str())
    }

    pub fn seal(&self, plain: &str) -> Result<String, SealError> {
        let key = self.current.as_ref().ok_or(SealError::NoKey)?;
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = key.cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).map_err(|_| SealError::Corrupt)?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}:{}", key.id, base64::engine::general_purpose::STANDARD_NO_PAD.encode(blob)))
    }

    pub fn open(&self, sealed: &str) -> Result<String, SealError> {
        let rest = sealed.strip_prefix(PREFIX).ok_or(SealError::Corrupt)?;
        let (id, blob) = rest.split_once(':').ok_or(SealError::Corrupt)?;
        let key = [&self.current, &self.previous]
            .into_iter()
            .flatten()
            .find(|k| k.id == id)
            .ok_or(if self.current.is_none() { SealError::NoKey } else { SealError::UnknownKey })?;
        let blob = base64::engine::general_purpose::STANDARD_NO_PAD.decode(blob).map_err(|_| SealError::Corrupt)?;
        if blob.len() < 12 {
            return Err(SealError::Corrupt);
        }
        let (nonce, body) = blob.split_at(12);
        let plain = key.cipher.decrypt(Nonce::from_slice(nonce), body).map_err(|_| SealError::Corrupt)?;
        String::from_utf8(plain).map_err(|_| SealError::Corrupt)
    }

    /// Whether `sealed` is sealed under the current key already (a rotation leaves it alone).
    pub fn is_current(&self, sealed: &str) -> bool {
        let id = sealed.strip_prefix(PREFIX).and_then(|r| r.split_once(':')).map(|(id, _)| id);
        id.is_some() && id == self.current_id()
    }
}

pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const B: &str = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

    #[test]
    fn a_sealed_value_opens_with_its_key_and_hides_the_plain_text() {
        let keys = SealKeys::from_hex(A, "").unwrap();
        let sealed = keys.seal("hunter2-smtp").unwrap();
        assert!(is_sealed(&sealed) && !sealed.contains("hunter2"));
        assert_ne!(sealed, keys.seal("hunter2-smtp").unwrap(), "a fresh nonce each time");
        assert_eq!(keys.open(&sealed).unwrap(), "hunter2-smtp");
        assert!(keys.is_current(&sealed));
    }

    #[test]
    fn after_a_rotation_the_previous_key_still_opens_and_a_stranger_key_does_not() {
        let old = SealKeys::from_hex(A, "").unwrap().seal("s3cret").unwrap();
        let rotating = SealKeys::from_hex(B, A).unwrap();
        assert_eq!(rotating.open(&old).unwrap(), "s3cret");
        assert!(!rotating.is_current(&old));
        let new_only = SealKeys::from_hex(B, "").unwrap();
        assert_eq!(new_only.open(&old), Err(SealError::UnknownKey));
        assert_eq!(SealKeys::default().open(&old), Err(SealError::NoKey));
        assert_eq!(SealKeys::default().seal("x"), Err(SealError::NoKey));
    }

    #[test]
    fn a_changed_value_or_a_bad_key_is_refused() {
        let keys = SealKeys::from_hex(A, "").unwrap();
        let mut sealed = keys.seal("value").unwrap();
        let last = sealed.pop().unwrap();
        sealed.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(keys.open(&sealed), Err(SealError::Corrupt));
        assert_eq!(keys.open("plain"), Err(SealError::Corrupt));
        assert!(SealKeys::from_hex("abcd", "").unwrap_err().contains("64 hexadecimal"));
        assert!(SealKeys::from_hex("", A).is_err());
        let debug = format!("{:?}", SealKeys::from_hex(A, "").unwrap());
        assert!(!debug.contains(A));
    }
}
