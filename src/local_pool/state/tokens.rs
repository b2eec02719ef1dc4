//! Tokens: RS256 JWTs with Cognito's claims, signed with a key made at start
//! and published as a JWKS at `/<user-pool-id>/.well-known/jwks.json`, and
//! opaque refresh tokens.
//!
//! **Refresh token rotation.** Every refresh token works once:
//! `REFRESH_TOKEN_AUTH` (or `REFRESH_TOKEN`) spends it and returns new ID and
//! access tokens *and a new refresh token* (as Cognito does with refresh-token
//! rotation turned on, without a grace period). A spent, unknown or expired
//! token, or one presented by another app client, gets
//! `NotAuthorizedException: Invalid Refresh Token`. A refresh token is valid
//! for 30 days after it was issued; `auth_time` keeps the original sign-in.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::local_pool::error::{ErrorReply, LocalPoolError};
use crate::local_pool::random;
use crate::local_pool::state::bounded::ExpiringMap;
use crate::local_pool::state::users::User;
use crate::wire::AuthenticationResult;
use crate::wire::ServiceErrorKind;

/// Lifetime of ID and access tokens, seconds (Cognito's default).
pub const TOKEN_LIFETIME_SECONDS: i64 = 3600;

/// Lifetime of a refresh token (Cognito's default).
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// Bits of the RSA signing key.
pub(crate) const RSA_BITS: usize = 2048;

/// What a refresh token stands for.
pub(crate) struct RefreshGrant {
    pub(crate) sub: String,
    pub(crate) client_id: String,
    pub(crate) auth_time: i64,
}

/// What a valid access token says.
pub(crate) struct AccessClaims {
    pub(crate) sub: String,
}

/// Signs and checks the pool's tokens.
pub(crate) struct TokenIssuer {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    kid: String,
    issuer: String,
    refresh: ExpiringMap<RefreshGrant>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn refresh_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl TokenIssuer {
    /// A new RSA key; `issuer` is `<endpoint>/<user-pool-id>`.
    pub(crate) fn new(issuer: String, refresh_capacity: usize) -> Result<Self, LocalPoolError> {
        let signing = SigningKey::<Sha256>::random(&mut getrandom::SysRng, RSA_BITS)
            .map_err(|_| LocalPoolError::SigningKey)?;
        let verifying = VerifyingKey::<Sha256>::new(signing.as_ref().to_public_key());
        let kid = random::url_token(24).map_err(|_| LocalPoolError::Randomness)?;
        Ok(Self {
            signing,
            verifying,
            kid,
            issuer,
            refresh: ExpiringMap::new(refresh_capacity, REFRESH_TOKEN_LIFETIME),
        })
    }

    /// `iss` of every token.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The JSON Web Key Set with the public key.
    pub(crate) fn jwks(&self) -> Value {
        let public = self.signing.as_ref().as_public_key();
        json!({"keys": [{
            "alg": "RS256",
            "e": b64(&public.e_bytes()),
            "kid": self.kid,
            "kty": "RSA",
            "n": b64(&public.n_bytes()),
            "use": "sig",
        }]})
    }

    fn sign(&self, claims: &Value) -> Result<String, ErrorReply> {
        let header = json!({"kid": self.kid, "alg": "RS256"});
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let signature = self
            .signing
            .try_sign(input.as_bytes())
            .map_err(|_| ErrorReply::internal())?;
        Ok(format!("{input}.{}", b64(&signature.to_bytes())))
    }

    /// Checks an RS256 token of this pool (signature, `kid`, `iss`, `exp`) and
    /// returns its claims.
    pub(crate) fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Value> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header.get("alg")? != "RS256" || header.get("kid")? != self.kid.as_str() {
            return None;
        }
        let signature =
            Signature::try_from(URL_SAFE_NO_PAD.decode(signature).ok()?.as_slice()).ok()?;
        let input_len = header_len(token)?;
        self.verifying
            .verify(&token.as_bytes()[..input_len], &signature)
            .ok()?;
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        let fresh = claims.get("exp")?.as_i64()? > now.timestamp();
        (fresh && claims.get("iss")? == self.issuer.as_str()).then_some(claims)
    }

    /// Checks an access token: `NotAuthorizedException` unless it is a valid,
    /// unexpired access token of this pool.
    pub(crate) fn verify_access_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<AccessClaims, ErrorReply> {
        let invalid = || ErrorReply::new(ServiceErrorKind::NotAuthorized, "Invalid Access Token");
        let claims = self.verify(token, now).ok_or_else(invalid)?;
        if claims.get("token_use").and_then(Value::as_str) != Some("access") {
            return Err(invalid());
        }
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .ok_or_else(invalid)?;
        Ok(AccessClaims {
            sub: sub.to_owned(),
        })
    }

    /// ID and access tokens for `user` signed in through `client_id`, and a
    /// new refresh token.
    pub(crate) fn issue(
        &self,
        user: &User,
        client_id: &str,
        auth_time: i64,
        now: DateTime<Utc>,
    ) -> Result<AuthenticationResult, ErrorReply> {
        let iat = now.timestamp();
        let exp = iat + TOKEN_LIFETIME_SECONDS;
        let origin_jti = random::uuid_v4()?;
        let event_id = random::uuid_v4()?;
        // The claims both tokens carry, then each token's own.
        let claims = |own: Value| -> Result<Value, ErrorReply> {
            let mut claims = json!({
                "sub": user.sub,
                "iss": self.issuer,
                "auth_time": auth_time,
                "iat": iat,
                "exp": exp,
                "jti": random::uuid_v4()?,
                "origin_jti": origin_jti,
                "event_id": event_id,
            });
            if let (Some(map), Value::Object(own)) = (claims.as_object_mut(), own) {
                map.extend(own);
            }
            Ok(claims)
        };
        let mut id_claims = claims(json!({
            "aud": client_id,
            "token_use": "id",
            "cognito:username": user.sub,
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
            if !user.attributes.contains_key("preferred_username") {
                map.insert(
                    "preferred_username".into(),
                    Value::String(user.username.clone()),
                );
            }
        }
        let access_claims = claims(json!({
            "client_id": client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "username": user.sub,
        }))?;
        let refresh_token = random::url_token(96)?;
        let grant = RefreshGrant {
            sub: user.sub.clone(),
            client_id: client_id.to_owned(),
            auth_time,
        };
        if !self
            .refresh
            .insert(refresh_key(&refresh_token), grant, Instant::now())
        {
            return Err(ErrorReply::new(
                ServiceErrorKind::LimitExceeded,
                "Too many refresh tokens outstanding.",
            ));
        }
        Ok(AuthenticationResult {
            access_token: Some(self.sign(&access_claims)?),
            expires_in: Some(TOKEN_LIFETIME_SECONDS),
            token_type: Some("Bearer".to_owned()),
            refresh_token: Some(refresh_token),
            id_token: Some(self.sign(&id_claims)?),
            new_device_metadata: None,
        })
    }

    /// The `sub` a refresh token stands for, if it is live and belongs to
    /// `client_id`, without spending it.
    pub(crate) fn peek_refresh_token(
        &self,
        token: &str,
        client_id: &str,
    ) -> Result<String, ErrorReply> {
        self.refresh
            .with(&refresh_key(token), Instant::now(), |grant| {
                (grant.client_id == client_id).then(|| grant.sub.clone())
            })
            .flatten()
            .ok_or_else(|| {
                ErrorReply::new(ServiceErrorKind::NotAuthorized, "Invalid Refresh Token")
            })
    }

    /// Spends `token` (single use) for `client_id`.
    pub(crate) fn redeem_refresh_token(
        &self,
        token: &str,
        client_id: &str,
    ) -> Result<RefreshGrant, ErrorReply> {
        let invalid = || ErrorReply::new(ServiceErrorKind::NotAuthorized, "Invalid Refresh Token");
        let grant = self
            .refresh
            .take(&refresh_key(token), Instant::now())
            .ok_or_else(invalid)?;
        if grant.client_id != client_id {
            return Err(invalid());
        }
        Ok(grant)
    }

    /// Unspent refresh tokens that have not expired.
    pub(crate) fn live_refresh_tokens(&self) -> usize {
        self.refresh.live_len(Instant::now())
    }

    /// Revokes every refresh token of `sub` (after a password reset by an admin).
    pub(crate) fn revoke_user(&self, sub: &str) {
        self.refresh.retain(|grant| grant.sub != sub);
    }
}

/// Length of `header.payload` in a compact JWS.
fn header_len(token: &str) -> Option<usize> {
    token.rfind('.')
}
