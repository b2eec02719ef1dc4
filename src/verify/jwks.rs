//! The pool's JSON Web Key Set: parsed into RS256 keys by `kid`, cached,
//! refetched once on an unknown `kid` — at most once per refetch interval.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use super::error::{JwksError, JwksProblem, VerifyError, echo};
use super::source::JwksSource;

/// The most keys a key set may list (Cognito's lists two).
pub const MAX_JWKS_KEYS: usize = 32;

/// Default shortest time between two fetches of the key set.
pub const DEFAULT_MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// One RSA public key of the set (modulus and exponent, big-endian, no
/// leading zeros).
#[derive(Debug)]
pub(super) struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
}

impl RsaKey {
    /// Whether `signature` is an RSASSA-PKCS1-v1_5 SHA-256 signature of
    /// `message` by this key (2048–8192-bit moduli only).
    pub(super) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let key = ring::signature::RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        };
        key.verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            message,
            signature,
        )
        .is_ok()
    }
}

fn unsigned(text: &str) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    let start = bytes.iter().position(|&b| b != 0)?;
    Some(bytes[start..].to_vec())
}

/// One usable key of a JWK: RSA, and `alg` / `use` (when present) `RS256` /
/// `sig`. Other keys are skipped, not fatal.
fn rsa_key(jwk: &Value) -> Option<(String, RsaKey)> {
    let text = |name: &str| jwk.get(name).and_then(Value::as_str);
    let absent_or = |name: &str, value: &str| jwk.get(name).is_none() || text(name) == Some(value);
    if text("kty") != Some("RSA") || !absent_or("alg", "RS256") || !absent_or("use", "sig") {
        return None;
    }
    let kid = text("kid").filter(|kid| !kid.is_empty())?;
    let key = RsaKey {
        n: unsigned(text("n")?)?,
        e: unsigned(text("e")?)?,
    };
    Some((kid.to_owned(), key))
}

/// The RS256 keys of a JWKS document, by `kid` (a repeated `kid` keeps the
/// first).
pub(super) fn parse_key_set(bytes: &[u8]) -> Result<HashMap<String, Arc<RsaKey>>, JwksError> {
    let invalid = |problem| JwksError::Invalid { problem };
    let document: Value =
        serde_json::from_slice(bytes).map_err(|_| invalid(JwksProblem::NotAKeySet))?;
    let keys = document
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(invalid(JwksProblem::NotAKeySet))?;
    if keys.len() > MAX_JWKS_KEYS {
        return Err(invalid(JwksProblem::TooManyKeys));
    }
    let mut set = HashMap::new();
    for (kid, key) in keys.iter().filter_map(rsa_key) {
        set.entry(kid).or_insert_with(|| Arc::new(key));
    }
    Ok(set)
}

#[derive(Default)]
struct State {
    keys: HashMap<String, Arc<RsaKey>>,
    fetched_at: Option<DateTime<Utc>>,
}

/// The cached key set of one JWKS URL.
pub(super) struct JwksCache {
    url: String,
    min_refetch: TimeDelta,
    state: Mutex<State>,
    /// One fetch at a time: concurrent misses wait for it, then look again.
    fetching: tokio::sync::Mutex<()>,
}

impl JwksCache {
    pub(super) fn new(url: String, min_refetch: Duration) -> Self {
        Self {
            url,
            min_refetch: TimeDelta::from_std(min_refetch).unwrap_or(TimeDelta::MAX),
            state: Mutex::default(),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The URL the set is fetched from.
    pub(super) fn url(&self) -> &str {
        &self.url
    }

    fn cached(&self, kid: &str) -> Option<Arc<RsaKey>> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.keys.get(kid).cloned()
    }

    /// Fetches the set now and replaces the cached one; the number of
    /// usable keys.
    pub(super) async fn refresh<S: JwksSource>(
        &self,
        source: &S,
        now: DateTime<Utc>,
    ) -> Result<usize, JwksError> {
        let _one_at_a_time = self.fetching.lock().await;
        self.fetch(source, now).await
    }

    async fn fetch<S: JwksSource>(
        &self,
        source: &S,
        now: DateTime<Utc>,
    ) -> Result<usize, JwksError> {
        let keys = parse_key_set(&source.fetch_jwks(&self.url).await?)?;
        let count = keys.len();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.keys = keys;
        state.fetched_at = Some(now);
        Ok(count)
    }

    /// The key `kid` names: from the cache, else from one fetch of the set
    /// — unless the set was fetched less than the refetch interval ago
    /// (then [`VerifyError::UnknownKey`] without a request).
    pub(super) async fn key<S: JwksSource>(
        &self,
        source: &S,
        kid: &str,
        now: DateTime<Utc>,
    ) -> Result<Arc<RsaKey>, VerifyError> {
        let unknown = || VerifyError::UnknownKey { kid: echo(kid) };
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let _one_at_a_time = self.fetching.lock().await;
        // Another verification may have fetched it while this one waited.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let fetched_at = self
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .fetched_at;
        if fetched_at.is_some_and(|at| now.signed_duration_since(at) < self.min_refetch) {
            return Err(unknown());
        }
        self.fetch(source, now).await?;
        self.cached(kid).ok_or_else(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_keys_are_kept_and_others_skipped() {
        let n = URL_SAFE_NO_PAD.encode([0u8, 0, 1, 2, 3]);
        let document = serde_json::json!({"keys": [
            {"kty": "RSA", "kid": "a", "n": n, "e": "AQAB", "alg": "RS256", "use": "sig"},
            {"kty": "RSA", "kid": "b", "n": n, "e": "AQAB"},
            {"kty": "RSA", "kid": "c", "n": n, "e": "AQAB", "alg": "HS256"},
            {"kty": "RSA", "kid": "d", "n": n, "e": "AQAB", "use": "enc"},
            {"kty": "EC", "kid": "e", "x": "AA", "y": "AA"},
            {"kty": "RSA", "kid": "f", "n": "!!", "e": "AQAB"},
            {"kty": "RSA", "n": n, "e": "AQAB"},
            "not a key",
        ]});
        let set = parse_key_set(document.to_string().as_bytes()).unwrap();
        let mut kids: Vec<_> = set.keys().cloned().collect();
        kids.sort();
        assert_eq!(kids, ["a", "b"]);
        assert_eq!(set["a"].n, [1, 2, 3]);
    }

    #[test]
    fn documents_that_are_not_key_sets_are_refused() {
        let problem = |body: &[u8]| match parse_key_set(body) {
            Err(JwksError::Invalid { problem }) => Some(problem),
            _ => None,
        };
        assert_eq!(problem(b"<html>"), Some(JwksProblem::NotAKeySet));
        assert_eq!(problem(b"{\"keys\":{}}"), Some(JwksProblem::NotAKeySet));
        let many = serde_json::json!({"keys": vec![serde_json::json!({}); MAX_JWKS_KEYS + 1]});
        assert_eq!(
            problem(many.to_string().as_bytes()),
            Some(JwksProblem::TooManyKeys)
        );
        assert_eq!(problem(b"{\"keys\":[]}"), None);
    }
}
