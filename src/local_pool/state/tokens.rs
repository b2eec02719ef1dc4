//! Tokens: RS256 JWTs with Cognito's claims, and opaque refresh tokens
//! ([`RefreshGrants`]: rotation and revocation).
//!
//! ID and access tokens are signed with two keys made at start (Cognito signs
//! them with different keys too), published as a JWKS at
//! `/<user-pool-id>/.well-known/jwks.json`. Every token of one sign-in carries
//! the same `origin_jti`, kept across refreshes; access tokens carry the
//! `device_key` of the sign-in's device. `auth_time` keeps the original
//! sign-in.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::local_pool::error::{ErrorReply, LocalPoolError};
use crate::local_pool::random;
use crate::local_pool::state::refresh_grants::{RefreshGrant, RefreshGrants};
use crate::local_pool::state::users::User;
use crate::wire::AuthenticationResult;
use crate::wire::ServiceErrorKind;

/// Lifetime of ID and access tokens, seconds (Cognito's default).
pub const TOKEN_LIFETIME_SECONDS: i64 = 3600;

/// Lifetime of a refresh token (Cognito's default).
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// Bits of the RSA signing keys.
pub(crate) const RSA_BITS: usize = 2048;

/// What a valid access token says.
pub(crate) struct AccessClaims {
    pub(crate) sub: String,
}

/// One RS256 key and its `kid`.
struct JwtKey {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    kid: String,
}

impl JwtKey {
    fn generate() -> Result<Self, LocalPoolError> {
        let signing = SigningKey::<Sha256>::random(&mut getrandom::SysRng, RSA_BITS)
            .map_err(|_| LocalPoolError::SigningKey)?;
        let verifying = VerifyingKey::<Sha256>::new(signing.as_ref().to_public_key());
        let kid = random::url_token(24).map_err(|_| LocalPoolError::Randomness)?;
        Ok(Self {
            signing,
            verifying,
            kid,
        })
    }

    fn jwk(&self) -> Value {
        let public = self.signing.as_ref().as_public_key();
        json!({
            "alg": "RS256",
            "e": b64(&public.e_bytes()),
            "kid": self.kid,
            "kty": "RSA",
            "n": b64(&public.n_bytes()),
            "use": "sig",
        })
    }
}

/// How long the pool's tokens live and whether refresh tokens rotate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenSettings {
    /// ID and access token validity (Cognito: 5 minutes to 1 day, default
    /// 1 hour; the local pool accepts any positive value, for tests).
    pub access_token_validity: Duration,
    /// Refresh token validity (default 30 days).
    pub refresh_token_validity: Duration,
    /// Refresh-token rotation with this grace period (Cognito: 0–60 s), or
    /// `None` (off, the default).
    pub refresh_token_rotation: Option<Duration>,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            access_token_validity: Duration::from_secs(TOKEN_LIFETIME_SECONDS.unsigned_abs()),
            refresh_token_validity: REFRESH_TOKEN_LIFETIME,
            refresh_token_rotation: None,
        }
    }
}

/// Signs and checks the pool's tokens.
pub(crate) struct TokenIssuer {
    id_key: JwtKey,
    access_key: JwtKey,
    issuer: String,
    settings: TokenSettings,
    pub(crate) grants: RefreshGrants,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX).max(1)
}

impl TokenIssuer {
    /// New RSA keys; `issuer` is `<endpoint>/<user-pool-id>`.
    pub(crate) fn new(
        issuer: String,
        refresh_capacity: usize,
        settings: TokenSettings,
    ) -> Result<Self, LocalPoolError> {
        Ok(Self {
            id_key: JwtKey::generate()?,
            access_key: JwtKey::generate()?,
            issuer,
            settings,
            grants: RefreshGrants::new(refresh_capacity),
        })
    }

    /// `iss` of every token.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The token settings.
    pub(crate) fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    /// The JSON Web Key Set with both public keys.
    pub(crate) fn jwks(&self) -> Value {
        json!({"keys": [self.id_key.jwk(), self.access_key.jwk()]})
    }

    fn sign(key: &JwtKey, claims: &Value) -> Result<String, ErrorReply> {
        let header = json!({"kid": key.kid, "alg": "RS256"});
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let signature = key
            .signing
            .try_sign(input.as_bytes())
            .map_err(|_| ErrorReply::internal())?;
        Ok(format!("{input}.{}", b64(&signature.to_bytes())))
    }

    /// Checks an RS256 token of this pool (signature with the key its `kid`
    /// names, `iss`, `exp`) and returns its claims.
    pub(crate) fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Value> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        let key = [&self.id_key, &self.access_key]
            .into_iter()
            .find(|key| header.get("kid").and_then(Value::as_str) == Some(key.kid.as_str()))?;
        if header.get("alg")? != "RS256" {
            return None;
        }
        let signature =
            Signature::try_from(URL_SAFE_NO_PAD.decode(signature).ok()?.as_slice()).ok()?;
        let input_len = header_len(token)?;
        key.verifying
            .verify(&token.as_bytes()[..input_len], &signature)
            .ok()?;
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        let fresh = claims.get("exp")?.as_i64()? > now.timestamp();
        (fresh && claims.get("iss")? == self.issuer.as_str()).then_some(claims)
    }

    /// Checks an access token: `NotAuthorizedException` unless it is a valid,
    /// unexpired, unrevoked access token of this pool.
    pub(crate) fn verify_access_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<AccessClaims, ErrorReply> {
        let invalid = || ErrorReply::new(ServiceErrorKind::NotAuthorized, "Invalid Access Token");
        let claims = self.verify(token, now).ok_or_else(invalid)?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if text("token_use") != Some("access") {
            return Err(invalid());
        }
        let sub = text("sub").ok_or_else(invalid)?;
        if self
            .grants
            .is_revoked(text("origin_jti").unwrap_or_default())
        {
            return Err(ErrorReply::new(
                ServiceErrorKind::NotAuthorized,
                "Access Token has been revoked",
            ));
        }
        Ok(AccessClaims {
            sub: sub.to_owned(),
        })
    }

    /// The tokens of a new sign-in of `user` through `client_id`: ID, access
    /// and a new refresh token, a new token family.
    pub(crate) fn sign_in(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        device_key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<AuthenticationResult, ErrorReply> {
        let validity = chrono::Duration::from_std(self.settings.refresh_token_validity)
            .map_err(|_| ErrorReply::internal())?;
        let grant = RefreshGrant::new(
            &user.sub,
            client_id,
            auth_time,
            random::uuid_v4()?,
            device_key,
            now + validity,
        );
        let mut result = self.tokens(user, &grant, now)?;
        let refresh_token = random::url_token(96)?;
        self.grants.insert(&refresh_token, grant, now)?;
        result.refresh_token = Some(refresh_token);
        Ok(result)
    }

    /// Rotation: a new refresh token for `grant` (same family, the original's
    /// remaining lifetime), `presented` marked replaced, and new ID and access
    /// tokens.
    pub(crate) fn rotate(
        &self,
        user: &User,
        presented: &str,
        grant: &RefreshGrant,
        now: DateTime<Utc>,
    ) -> Result<AuthenticationResult, ErrorReply> {
        let mut result = self.tokens(user, grant, now)?;
        let refresh_token = random::url_token(96)?;
        self.grants
            .insert(&refresh_token, grant.clone().renewed(), now)?;
        self.grants.mark_rotated(presented, now);
        result.refresh_token = Some(refresh_token);
        Ok(result)
    }

    /// ID and access tokens (no refresh token) for `user` in `grant`'s family.
    pub(crate) fn tokens(
        &self,
        user: &User,
        grant: &RefreshGrant,
        now: DateTime<Utc>,
    ) -> Result<AuthenticationResult, ErrorReply> {
        let iat = now.timestamp();
        let lifetime = seconds(self.settings.access_token_validity);
        let exp = iat.saturating_add(lifetime);
        let event_id = random::uuid_v4()?;
        // The claims both tokens carry, then each token's own.
        let claims = |own: Value| -> Result<Value, ErrorReply> {
            let mut claims = json!({
                "sub": user.sub,
                "iss": self.issuer,
                "auth_time": grant.auth_time,
                "iat": iat,
                "exp": exp,
                "jti": random::uuid_v4()?,
                "origin_jti": grant.origin_jti,
                "event_id": event_id,
            });
            if let (Some(map), Value::Object(own)) = (claims.as_object_mut(), own) {
                map.extend(own);
            }
            Ok(claims)
        };
        let mut id_claims = claims(json!({
            "aud": grant.client_id,
            "token_use": "id",
            "cognito:username": user.internal_name,
        }))?;
        if let Some(map) = id_claims.as_object_mut() {
            for (name, value) in &user.attributes {
                if name == "sub" {
                    continue;
                }
                let value = match name.as_str() {
                    "email_verified" | "phone_number_verified" => Value::Bool(value == "true"),
                    _ => Value::String(value.clone()),
                };
                map.insert(name.clone(), value);
            }
        }
        let mut access_claims = claims(json!({
            "client_id": grant.client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "username": user.internal_name,
        }))?;
        if let (Some(map), Some(device_key)) = (access_claims.as_object_mut(), &grant.device_key) {
            map.insert("device_key".into(), Value::String(device_key.clone()));
        }
        Ok(AuthenticationResult {
            access_token: Some(Self::sign(&self.access_key, &access_claims)?),
            expires_in: Some(lifetime),
            token_type: Some("Bearer".to_owned()),
            refresh_token: None,
            id_token: Some(Self::sign(&self.id_key, &id_claims)?),
            new_device_metadata: None,
        })
    }

    /// Live refresh tokens.
    pub(crate) fn live_refresh_tokens(&self) -> usize {
        self.grants.live()
    }
}

/// Length of `header.payload` in a compact JWS.
fn header_len(token: &str) -> Option<usize> {
    token.rfind('.')
}
