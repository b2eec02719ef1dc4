//! Secret-holding types: zeroized on drop, `[redacted]` in `Debug`, no
//! `Display`, one explicit accessor each.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret string.
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }

            /// The secret itself. Do not log, print or store what this returns.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(secret: String) -> Self {
                Self(secret)
            }
        }

        impl From<&str> for $name {
            fn from(secret: &str) -> Self {
                Self(secret.to_owned())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_string!(
    /// A user's password. Hashed into `x` on the device; never sent.
    Password
);

secret_string!(
    /// An app client's secret, the key of `SECRET_HASH`.
    ClientSecret
);

/// A secret integer as big-endian bytes (the ephemeral `a`, `x`, the premaster
/// secret `S`), zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretInteger(Vec<u8>);

impl SecretInteger {
    /// Wraps big-endian bytes. Leading zero bytes are kept (they do not change the value).
    pub fn from_be_bytes(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }

    /// Parses unsigned hexadecimal of any length (leading zeros, either case).
    /// Returns `None` unless the text is one or more hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let padded: Zeroizing<String> = if text.len() % 2 == 1 {
            Zeroizing::new(format!("0{text}"))
        } else {
            Zeroizing::new(text.to_owned())
        };
        hex::decode(padded.as_bytes()).ok().map(Self)
    }

    /// The big-endian bytes. Do not log, print or store what this returns.
    pub fn expose_be_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Lowercase hex without leading zeros (`0` for zero). Do not log, print or store it.
    pub fn expose_hex(&self) -> Zeroizing<String> {
        let first = self.0.iter().position(|&b| b != 0).unwrap_or(self.0.len());
        let digits = Zeroizing::new(hex::encode(&self.0[first..]));
        let trimmed = digits.trim_start_matches('0');
        Zeroizing::new(if trimmed.is_empty() {
            "0".to_owned()
        } else {
            trimmed.to_owned()
        })
    }
}

impl fmt::Debug for SecretInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretInteger([redacted])")
    }
}

/// The 16-byte key both sides derive with HKDF from `S` and `u`; the key of
/// `PASSWORD_CLAIM_SIGNATURE`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKey([u8; 16]);

impl SessionKey {
    pub(crate) fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The key bytes. Do not log, print or store what this returns.
    pub fn expose_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey([redacted])")
    }
}

#[cfg(test)]
mod hash_state {
    /// The SHA-256 state that hashes the password and x, and the HMAC keyed
    /// with the client secret or the session key, wipe themselves on drop in
    /// every build: `sha2` and `hmac` (hence `digest`, and `hkdf`'s HMAC)
    /// have their `zeroize` feature on whatever the crate's features.
    /// `scripts/test.sh` runs this without `local-pool` (whose `rsa` would
    /// turn the feature on anyway).
    #[test]
    fn hash_and_mac_state_wipe_themselves_in_every_build() {
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        wiped_on_drop::<sha2::Sha256>();
        // HMAC-SHA256 (and HKDF's HMAC) keeps its inner and outer state in
        // two of these cores; its block buffer wipes itself too.
        wiped_on_drop::<<sha2::Sha256 as sha2::digest::block_api::CoreProxy>::Core>();
    }
}
