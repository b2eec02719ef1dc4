//! [`TokenVerifier`]: checks a Cognito ID or access token against the pool's
//! JWKS and the expected claims.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::claims::VerifiedClaims;
use super::error::{JwksError, TokenProblem, VerifyError, echo};
use super::jwks::JwksCache;
use super::jwt::{SignedJwt, decode_object};
use super::options::{TokenUse, VerifierOptions};
use super::source::JwksSource;
use crate::srp::UserPoolId;
use crate::transport::{HttpTransport, TransportError};

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Verifies the ID and access tokens of one user pool.
///
/// The checks, in order (each failure its own [`VerifyError`]):
/// the token's size and shape; the header's `alg` is exactly `RS256` (never
/// `none`, never an HMAC), `kid` present, `typ` if present `JWT`; the key
/// `kid` names is in the pool's JWKS (fetched from
/// `<issuer>/.well-known/jwks.json`, cached, refetched once on an unknown
/// `kid` but at most once per [`min_refetch_interval`](VerifierOptions::min_refetch_interval));
/// the RSASSA-PKCS1-v1_5 SHA-256 signature; `iss` equals the issuer;
/// `token_use` is `id` or `access` (the one required, if any); `aud` (ID
/// token) or `client_id` (access token) is an allowed app client (if any are
/// named); `exp` is after now, `iat` and `nbf` (when present) not after now,
/// each with the leeway.
///
/// One verifier serves any number of concurrent verifications; share it
/// (it is `Send + Sync`) to share the cached keys.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_srp_auth::UserPoolId;
/// use cognito_srp_auth::verify::{TokenUse, TokenVerifier, VerifierOptions};
/// let pool: UserPoolId = "eu-west-1_myPool".parse()?;
/// let verifier = TokenVerifier::for_user_pool(
///     &pool,
///     VerifierOptions::new().client_id("my-app-client-id").token_use(TokenUse::Access),
/// )?;
/// # let token = "";
/// let claims = verifier.verify(token).await?;
/// println!("{:?}", claims.sub());
/// # Ok(()) }
/// ```
pub struct TokenVerifier<S = HttpTransport> {
    source: S,
    issuer: String,
    options: VerifierOptions,
    cache: JwksCache,
    clock: Clock,
}

impl<S> fmt::Debug for TokenVerifier<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.issuer)
            .field("jwks_url", &self.cache.url())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// `<endpoint>/<user-pool-id>`: Cognito's issuer for the regional endpoint
/// (`https://cognito-idp.<region>.amazonaws.com/<user-pool-id>`), the local
/// pool's for its endpoint.
fn issuer_for(endpoint: &str, user_pool_id: &UserPoolId) -> String {
    format!(
        "{}/{}",
        endpoint.trim_end_matches('/'),
        user_pool_id.as_str()
    )
}

impl TokenVerifier<HttpTransport> {
    /// A verifier for `user_pool_id` that fetches the JWKS through
    /// `transport` (its deadline, size limit and `http://`-to-loopback rule).
    ///
    /// The issuer is [`VerifierOptions::issuer`] if set, else the
    /// transport's endpoint followed by the pool id: Cognito's
    /// `https://cognito-idp.<region>.amazonaws.com/<user-pool-id>` for a
    /// regional transport, the local pool's `http://127.0.0.1:<port>/<user-pool-id>`
    /// for its endpoint. Behind a proxy or VPC endpoint, set the issuer.
    pub fn new(
        user_pool_id: &UserPoolId,
        transport: HttpTransport,
        options: VerifierOptions,
    ) -> Self {
        let issuer = options
            .issuer
            .clone()
            .unwrap_or_else(|| issuer_for(transport.endpoint(), user_pool_id));
        Self::with_source(transport, issuer, options)
    }

    /// A verifier for `user_pool_id` over a new transport to its region.
    pub fn for_user_pool(
        user_pool_id: &UserPoolId,
        options: VerifierOptions,
    ) -> Result<Self, TransportError> {
        Ok(Self::new(
            user_pool_id,
            HttpTransport::for_user_pool(user_pool_id)?,
            options,
        ))
    }
}

impl<S: JwksSource> TokenVerifier<S> {
    /// A verifier of tokens issued by `issuer` (`iss`, without a trailing
    /// `/`), whose key set `source` fetches from
    /// `<issuer>/.well-known/jwks.json`. [`VerifierOptions::issuer`] is
    /// ignored here.
    pub fn with_source(source: S, issuer: impl Into<String>, options: VerifierOptions) -> Self {
        let issuer = issuer.into().trim_end_matches('/').to_owned();
        let cache = JwksCache::new(
            format!("{issuer}/.well-known/jwks.json"),
            options.min_refetch_interval,
        );
        Self {
            source,
            issuer,
            options,
            cache,
            clock: Arc::new(Utc::now),
        }
    }

    /// Replaces the clock (`Utc::now`) the times are checked against, and
    /// the refetch interval measured with (for tests).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The expected `iss`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Where the key set is fetched from.
    pub fn jwks_url(&self) -> &str {
        self.cache.url()
    }

    /// The options.
    pub fn options(&self) -> &VerifierOptions {
        &self.options
    }

    /// Fetches the key set now (warming the cache, or picking up a rotated
    /// key at once); the number of usable RS256 keys.
    pub async fn refresh_keys(&self) -> Result<usize, JwksError> {
        self.cache.refresh(&self.source, (self.clock)()).await
    }

    /// Verifies `token` and returns its claims. See the type for the checks.
    pub async fn verify(&self, token: &str) -> Result<VerifiedClaims, VerifyError> {
        let now = (self.clock)();
        let jwt = SignedJwt::parse(token)?;
        let key = self.cache.key(&self.source, &jwt.kid, now).await?;
        if !key.verifies(jwt.signing_input.as_bytes(), &jwt.signature) {
            return Err(VerifyError::BadSignature);
        }
        let claims = decode_object(jwt.payload, TokenProblem::Payload)?;
        let token_use = self.check_claims(&claims, now.timestamp())?;
        Ok(VerifiedClaims::new(token_use, claims))
    }

    fn check_claims(&self, claims: &Map<String, Value>, now: i64) -> Result<TokenUse, VerifyError> {
        let text = |claim: &'static str| match claims.get(claim) {
            Some(Value::String(value)) => Ok(value.as_str()),
            _ => Err(VerifyError::MissingClaim { claim }),
        };
        let issuer = text("iss")?;
        if issuer != self.issuer {
            return Err(VerifyError::WrongIssuer {
                expected: self.issuer.clone(),
                found: echo(issuer),
            });
        }
        let found = text("token_use")?;
        let token_use = found.parse::<TokenUse>().ok();
        let token_use = match (token_use, self.options.token_use) {
            (Some(found), Some(wanted)) if found == wanted => found,
            (Some(found), None) => found,
            (_, wanted) => {
                return Err(VerifyError::WrongTokenUse {
                    expected: wanted.map_or("id or access", TokenUse::as_str),
                    found: echo(found),
                });
            }
        };
        self.check_audience(claims, token_use)?;
        let leeway = i64::try_from(self.options.leeway.as_secs()).unwrap_or(i64::MAX);
        let exp = time(claims, "exp")?.ok_or(VerifyError::MissingClaim { claim: "exp" })?;
        if exp.saturating_add(leeway) <= now {
            return Err(VerifyError::Expired { exp, now });
        }
        let latest = now.saturating_add(leeway);
        if let Some(iat) = time(claims, "iat")?.filter(|&iat| iat > latest) {
            return Err(VerifyError::IssuedInFuture { iat, now });
        }
        if let Some(nbf) = time(claims, "nbf")?.filter(|&nbf| nbf > latest) {
            return Err(VerifyError::NotYetValid { nbf, now });
        }
        Ok(token_use)
    }

    /// `aud` (a string, or an array with an allowed member) for an ID
    /// token, `client_id` for an access token; skipped when no client is
    /// named.
    fn check_audience(
        &self,
        claims: &Map<String, Value>,
        token_use: TokenUse,
    ) -> Result<(), VerifyError> {
        let allowed = &self.options.client_ids;
        if allowed.is_empty() {
            return Ok(());
        }
        let claim = match token_use {
            TokenUse::Id => "aud",
            TokenUse::Access => "client_id",
        };
        let is_allowed = |id: &str| allowed.iter().any(|a| a == id);
        let found = match claims.get(claim) {
            Some(Value::String(id)) if is_allowed(id) => return Ok(()),
            Some(Value::Array(ids))
                if token_use == TokenUse::Id
                    && ids.iter().filter_map(Value::as_str).any(is_allowed) =>
            {
                return Ok(());
            }
            Some(Value::String(id)) => echo(id),
            Some(other) => echo(&other.to_string()),
            None => String::new(),
        };
        Err(VerifyError::WrongAudience { found })
    }
}

/// A NumericDate claim (whole or fractional seconds); `None` when absent.
fn time(claims: &Map<String, Value>, claim: &'static str) -> Result<Option<i64>, VerifyError> {
    match claims.get(claim) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.floor() as i64)
            })
            .map(Some)
            .ok_or(VerifyError::MissingClaim { claim }),
        Some(_) => Err(VerifyError::MissingClaim { claim }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_follows_the_endpoint_unless_given() {
        let pool: UserPoolId = "eu-west-1_AbCdEf123".parse().unwrap();
        let regional = HttpTransport::for_user_pool(&pool).unwrap();
        let verifier = TokenVerifier::new(&pool, regional.clone(), VerifierOptions::new());
        assert_eq!(
            verifier.issuer(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
        );
        assert_eq!(
            verifier.jwks_url(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json"
        );
        let local = HttpTransport::builder()
            .endpoint("http://127.0.0.1:9229/")
            .build()
            .unwrap();
        let verifier = TokenVerifier::new(&pool, local, VerifierOptions::new());
        assert_eq!(
            verifier.issuer(),
            "http://127.0.0.1:9229/eu-west-1_AbCdEf123"
        );
        let given = VerifierOptions::new().issuer("https://issuer.example.com/p/");
        let verifier = TokenVerifier::new(&pool, regional, given);
        assert_eq!(verifier.issuer(), "https://issuer.example.com/p");
        assert_eq!(
            verifier.jwks_url(),
            "https://issuer.example.com/p/.well-known/jwks.json"
        );
        assert!(!format!("{verifier:?}").is_empty());
    }

    #[test]
    fn numeric_dates() {
        let claims: Map<String, Value> =
            serde_json::from_str(r#"{"a": 10, "b": 10.9, "c": "10", "d": 1e300}"#).unwrap();
        assert_eq!(time(&claims, "a").unwrap(), Some(10));
        assert_eq!(time(&claims, "b").unwrap(), Some(10));
        assert!(time(&claims, "c").is_err());
        assert_eq!(time(&claims, "d").unwrap(), Some(i64::MAX));
        assert_eq!(time(&claims, "absent").unwrap(), None);
    }
}
