//! A compact JWS split into its parts and its header checked: `alg` pinned
//! to `RS256`, `kid` required, `typ` (if any) `JWT`, no `crit`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::error::{TokenProblem, VerifyError, echo};

/// The longest token verified, in bytes (Cognito's are 1–4 KiB).
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The one algorithm accepted.
const RS256: &str = "RS256";

/// A token whose header passed the checks; nothing is verified yet.
pub(super) struct SignedJwt<'a> {
    /// `header.payload`: what the signature covers.
    pub(super) signing_input: &'a str,
    /// The base64url payload (decoded only after the signature verifies).
    pub(super) payload: &'a str,
    /// The signature bytes.
    pub(super) signature: Vec<u8>,
    /// The header's `kid`.
    pub(super) kid: String,
}

fn decode(part: &str) -> Result<Vec<u8>, VerifyError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| VerifyError::Malformed(TokenProblem::Base64))
}

/// A JSON object from a base64url part.
pub(super) fn decode_object(
    part: &str,
    problem: TokenProblem,
) -> Result<Map<String, Value>, VerifyError> {
    match serde_json::from_slice(&decode(part)?) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(VerifyError::Malformed(problem)),
    }
}

impl<'a> SignedJwt<'a> {
    /// Splits `token` and checks its header.
    pub(super) fn parse(token: &'a str) -> Result<Self, VerifyError> {
        if token.is_empty() || token.len() > MAX_TOKEN_LEN {
            return Err(VerifyError::Malformed(TokenProblem::Length));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed(TokenProblem::Shape));
        };
        if header.is_empty() || payload.is_empty() {
            return Err(VerifyError::Malformed(TokenProblem::Shape));
        }
        let fields = decode_object(header, TokenProblem::Header)?;
        // The algorithm first: `none` and `HS*` are refused whatever else
        // the header says.
        match fields.get("alg") {
            Some(Value::String(alg)) if alg == RS256 => {}
            Some(Value::String(alg)) => {
                return Err(VerifyError::UnsupportedAlgorithm { alg: echo(alg) });
            }
            _ => {
                return Err(VerifyError::UnsupportedAlgorithm { alg: String::new() });
            }
        }
        if fields.contains_key("crit") {
            return Err(VerifyError::Malformed(TokenProblem::Critical));
        }
        match fields.get("typ") {
            None => {}
            Some(Value::String(typ)) if typ.eq_ignore_ascii_case("JWT") => {}
            Some(_) => return Err(VerifyError::Malformed(TokenProblem::Type)),
        }
        let kid = match fields.get("kid") {
            Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
            _ => return Err(VerifyError::Malformed(TokenProblem::MissingKid)),
        };
        let signature = decode(signature)?;
        if signature.is_empty() {
            return Err(VerifyError::BadSignature);
        }
        Ok(Self {
            signing_input: &token[..header.len() + 1 + payload.len()],
            payload,
            signature,
            kid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> String {
        URL_SAFE_NO_PAD.encode(text)
    }

    fn token(header: &str) -> String {
        format!("{}.{}.c2ln", b64(header), b64("{}"))
    }

    #[test]
    fn the_header_is_checked() {
        let ok = token(r#"{"alg":"RS256","kid":"k1"}"#);
        let jwt = SignedJwt::parse(&ok).unwrap();
        assert_eq!(jwt.kid, "k1");
        assert_eq!(jwt.signature, b"sig");
        assert_eq!(jwt.signing_input, ok.rsplit_once('.').unwrap().0);
        let code = |header: &str| SignedJwt::parse(&token(header)).err().map(|e| e.code());
        assert_eq!(
            code(r#"{"alg":"none","kid":"k1"}"#),
            Some("unsupported_algorithm")
        );
        assert_eq!(
            code(r#"{"alg":"HS256","kid":"k1"}"#),
            Some("unsupported_algorithm")
        );
        assert_eq!(
            code(r#"{"alg":"rs256","kid":"k1"}"#),
            Some("unsupported_algorithm")
        );
        assert_eq!(code(r#"{"kid":"k1"}"#), Some("unsupported_algorithm"));
        assert_eq!(code(r#"{"alg":"RS256"}"#), Some("malformed"));
        assert_eq!(code(r#"{"alg":"RS256","kid":"k","typ":"JWT"}"#), None);
        assert_eq!(
            code(r#"{"alg":"RS256","kid":"k","typ":"at+jwt"}"#),
            Some("malformed")
        );
        assert_eq!(
            code(r#"{"alg":"RS256","kid":"k","crit":["b64"]}"#),
            Some("malformed")
        );
        assert_eq!(code("[]"), Some("malformed"));
    }

    #[test]
    fn shapes_and_sizes_are_checked() {
        let code = |t: &str| SignedJwt::parse(t).err().map(|e| e.code());
        let header = b64(r#"{"alg":"RS256","kid":"k1"}"#);
        assert_eq!(code(""), Some("malformed"));
        assert_eq!(code("a.b"), Some("malformed"));
        assert_eq!(code("a.b.c.d"), Some("malformed"));
        assert_eq!(code(&format!("{header}.e30.")), Some("bad_signature"));
        assert_eq!(code(&format!("{header}.e30.!!")), Some("malformed"));
        let long = format!("{header}.{}.c2ln", "A".repeat(MAX_TOKEN_LEN));
        assert_eq!(code(&long), Some("malformed"));
    }
}
