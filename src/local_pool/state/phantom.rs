//! Phantom users: what `PreventUserExistenceErrors: ENABLED` answers an SRP
//! sign-in for a name no user has. As Cognito documents it, "a simulated
//! response in the first step", with "the same salt and an internal user ID
//! in UUID format for the same user name and user pool combination"; the
//! proof then fails as a wrong password would.
//!
//! The salt, id and verifier come from HMAC-SHA256 under a key drawn when the
//! pool starts, so they are stable for a name while the pool runs and say
//! nothing about which names exist.

use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::math::SrpInteger;
use crate::srp::PasswordVerifier;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Salt bytes, as in a real verifier.
const SALT_BYTES: usize = 16;

/// The simulated user for one unknown name.
pub(crate) struct PhantomUser {
    /// A UUID-shaped internal user name (`USER_ID_FOR_SRP`, `USERNAME`).
    pub(crate) id: String,
    /// A verifier no password matches (its value is not `g^x` of any known x).
    pub(crate) verifier: PasswordVerifier,
}

/// Makes phantom users for one pool.
pub(crate) struct PhantomUsers {
    key: Zeroizing<Vec<u8>>,
}

impl PhantomUsers {
    /// A fresh key.
    pub(crate) fn new() -> Result<Self, ErrorReply> {
        Ok(Self {
            key: random::bytes(32)?,
        })
    }

    fn derive(&self, label: &[u8], name: &str) -> Zeroizing<Vec<u8>> {
        let mut mac = match HmacSha256::new_from_slice(&self.key) {
            Ok(mac) => mac,
            // Unreachable: HMAC accepts every key length.
            Err(_) => <HmacSha256 as KeyInit>::new(&Default::default()),
        };
        mac.update(label);
        mac.update(&[0]);
        mac.update(name.as_bytes());
        Zeroizing::new(mac.finalize().into_bytes().to_vec())
    }

    /// The phantom user for `name`: the same id and salt every time.
    pub(crate) fn user(&self, name: &str) -> PhantomUser {
        let id_bytes = self.derive(b"id", name);
        let salt = self.derive(b"salt", name);
        let verifier = self.derive(b"verifier", name);
        PhantomUser {
            id: uuid_from(&id_bytes),
            verifier: PasswordVerifier::from_parts(
                SrpInteger::from_be_bytes(&salt[..SALT_BYTES]),
                &verifier,
            ),
        }
    }
}

/// A version-4-shaped UUID from 16 or more bytes.
fn uuid_from(bytes: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_gets_the_same_id_and_salt_and_another_name_others() {
        let phantoms = PhantomUsers::new().unwrap();
        let (a, again, b) = (
            phantoms.user("nobody"),
            phantoms.user("nobody"),
            phantoms.user("somebody"),
        );
        assert_eq!(a.id, again.id);
        assert_eq!(a.verifier.salt().to_hex(), again.verifier.salt().to_hex());
        assert_ne!(a.id, b.id);
        assert_eq!(a.id.len(), 36);
        assert_eq!(&a.id[14..15], "4");
    }
}
