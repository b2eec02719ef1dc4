//! [`SoftwareTokenSetup`]: `MFA_SETUP` with an authenticator app.

use std::fmt;

use super::challenge::Challenge;

/// A TOTP secret obtained with `AssociateSoftwareToken` during `MFA_SETUP`.
///
/// Show [`otpauth_uri`](Self::otpauth_uri) (as a QR code) or
/// [`expose_secret_code`](Self::expose_secret_code) to the user, then finish
/// with [`finish_software_token_setup`](super::CognitoClient::finish_software_token_setup).
/// `Debug` redacts the secret and the session.
#[derive(Clone)]
pub struct SoftwareTokenSetup {
    pub(crate) secret_code: zeroize::Zeroizing<String>,
    pub(crate) challenge: Challenge,
}

impl SoftwareTokenSetup {
    /// The base32 TOTP secret. Do not log or print it anywhere but to the user.
    pub fn expose_secret_code(&self) -> &str {
        &self.secret_code
    }

    /// The internal user name the secret is for.
    pub fn username(&self) -> &str {
        self.challenge.username()
    }

    /// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`,
    /// the URI authenticator apps read from a QR code. **Contains the secret.**
    pub fn otpauth_uri(&self, issuer: &str, account_name: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}",
            percent_encode(account_name),
            percent_encode(&self.secret_code),
        )
    }
}

impl fmt::Debug for SoftwareTokenSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoftwareTokenSetup")
            .field("secret_code", &"[redacted]")
            .field("challenge", &self.challenge)
            .finish()
    }
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(percent_encode("My App"), "My%20App");
        assert_eq!(percent_encode("a@b.c:d"), "a%40b.c%3Ad");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }
}
