//! Token verification (`cognito_srp_auth::verify`) against the local pool
//! over HTTP: the pool's own ID and access tokens verify; forged, altered,
//! expired and misdirected ones are refused with the error of their check;
//! the JWKS is cached and refetched once on an unknown `kid`; a JWKS
//! endpoint that misbehaves gets a typed error within the deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use cognito_srp_auth::local_pool::RunningPool;
use cognito_srp_auth::transport::{HttpTransport, TransportError};
use cognito_srp_auth::verify::{
    JwksError, JwksProblem, JwksSource, TokenUse, TokenVerifier, VerifierOptions, VerifyError,
};
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};

use crate::local_pool_http::{PASSWORD, claims, login, public, tokens};
use crate::support::fake_http::{FakeEndpoint, Reply};
use crate::token_lifecycle::untracked_pool;

/// The pool's ID and access tokens from an SRP sign-in.
async fn sign_in(pool: &RunningPool) -> (String, String) {
    let reply = login(pool, &public(pool), "alice", PASSWORD).await.ok();
    let result = tokens(&reply);
    (
        result["IdToken"].as_str().unwrap().to_owned(),
        result["AccessToken"].as_str().unwrap().to_owned(),
    )
}

fn transport(endpoint: &str) -> HttpTransport {
    HttpTransport::builder()
        .endpoint(endpoint)
        .request_timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

fn verifier(pool: &RunningPool, options: VerifierOptions) -> TokenVerifier {
    TokenVerifier::new(pool.user_pool_id(), transport(pool.endpoint()), options)
}

/// The pool's JWKS, from wherever the verifier asks; counts the fetches.
struct CountingPoolKeys {
    transport: HttpTransport,
    url: String,
    fetches: Arc<AtomicUsize>,
}

impl JwksSource for CountingPoolKeys {
    async fn fetch_jwks(&self, _url: &str) -> Result<Vec<u8>, JwksError> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        self.transport.fetch_jwks(&self.url).await
    }
}

fn counting(pool: &RunningPool) -> (CountingPoolKeys, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = CountingPoolKeys {
        transport: transport(pool.endpoint()),
        url: pool.jwks_url(),
        fetches: fetches.clone(),
    };
    (source, fetches)
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn header(jwt: &str) -> Value {
    let part = jwt.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// `jwt` with its header replaced, payload and signature kept.
fn with_header(jwt: &str, header: &Value) -> String {
    let (_, rest) = jwt.split_once('.').unwrap();
    format!("{}.{rest}", b64(header.to_string().as_bytes()))
}

/// `jwt` with its payload replaced, header and signature kept.
fn with_payload(jwt: &str, payload: &Value) -> String {
    let parts: Vec<&str> = jwt.split('.').collect();
    format!(
        "{}.{}.{}",
        parts[0],
        b64(payload.to_string().as_bytes()),
        parts[2]
    )
}

fn code(result: Result<impl std::fmt::Debug, VerifyError>) -> &'static str {
    match result {
        Ok(claims) => panic!("accepted: {claims:?}"),
        Err(error) => error.code(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pools_id_and_access_tokens_verify() {
    let pool = untracked_pool().await;
    let (id, access) = sign_in(&pool).await;
    let client_id = public(&pool).client_id().as_str().to_owned();
    let access_verifier = verifier(
        &pool,
        VerifierOptions::new()
            .client_id(client_id.clone())
            .token_use(TokenUse::Access),
    );
    assert_eq!(access_verifier.issuer(), pool.issuer());
    assert_eq!(access_verifier.jwks_url(), pool.jwks_url());
    let claims = access_verifier.verify(&access).await.unwrap();
    assert_eq!(claims.token_use(), TokenUse::Access);
    assert_eq!(claims.client_id(), Some(client_id.as_str()));
    assert_eq!(claims.sub(), pool.user_sub("alice").as_deref());
    assert_eq!(claims.username(), Some("alice"));
    assert_eq!(claims.issuer(), Some(pool.issuer()));

    let id_verifier = verifier(
        &pool,
        VerifierOptions::new()
            .client_id("another-client")
            .client_id(client_id.clone())
            .token_use(TokenUse::Id),
    );
    let claims = id_verifier.verify(&id).await.unwrap();
    assert_eq!(claims.token_use(), TokenUse::Id);
    assert_eq!(claims.client_id(), Some(client_id.as_str()));
    assert_eq!(claims.get("email"), Some(&json!("alice@example.com")));

    // Without a required use or client, either token verifies.
    let any = verifier(&pool, VerifierOptions::new());
    assert_eq!(any.verify(&id).await.unwrap().token_use(), TokenUse::Id);
    assert_eq!(
        any.verify(&access).await.unwrap().token_use(),
        TokenUse::Access
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_altered_and_misdirected_tokens_are_refused() {
    let pool = untracked_pool().await;
    let (id, access) = sign_in(&pool).await;
    let client_id = public(&pool).client_id().as_str().to_owned();
    let options = || VerifierOptions::new().client_id(client_id.clone());
    let any = verifier(&pool, options());

    // A kid the pool never published: refused after the refetch.
    let mut unknown = header(&access);
    unknown["kid"] = json!("not-a-key-of-the-pool");
    let result = any.verify(&with_header(&access, &unknown)).await;
    assert!(
        matches!(&result, Err(VerifyError::UnknownKey { kid }) if kid == "not-a-key-of-the-pool")
    );

    // The other key's kid on this token: the signature does not verify.
    let mut swapped = header(&access);
    swapped["kid"] = header(&id)["kid"].clone();
    assert_eq!(
        code(any.verify(&with_header(&access, &swapped)).await),
        "bad_signature"
    );

    // `alg: none` with an empty signature.
    let mut none = header(&access);
    none["alg"] = json!("none");
    let unsigned = format!(
        "{}.",
        with_header(&access, &none).rsplit_once('.').unwrap().0
    );
    assert!(matches!(
        any.verify(&unsigned).await,
        Err(VerifyError::UnsupportedAlgorithm { alg }) if alg == "none"
    ));

    // HS256 keyed with the public key (the RS/HS confusion): the JWKS's
    // modulus, and the JWK's JSON, as the HMAC key.
    let jwks: Value = pool_jwks(&pool).await;
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header(&access)["kid"])
        .unwrap()
        .clone();
    let mut hs = header(&access);
    hs["alg"] = json!("HS256");
    for key in [
        URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap(),
        jwk.to_string().into_bytes(),
    ] {
        let input = with_header(&access, &hs)
            .rsplit_once('.')
            .unwrap()
            .0
            .to_owned();
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(input.as_bytes());
        let forged = format!("{input}.{}", b64(&mac.finalize().into_bytes()));
        assert!(matches!(
            any.verify(&forged).await,
            Err(VerifyError::UnsupportedAlgorithm { alg }) if alg == "HS256"
        ));
    }

    // A tampered payload with the original signature.
    let mut payload = claims(&access);
    payload["username"] = json!("mallory");
    assert_eq!(
        code(any.verify(&with_payload(&access, &payload)).await),
        "bad_signature"
    );
    let mut payload = claims(&id);
    payload["exp"] = json!(payload["exp"].as_i64().unwrap() + 86_400);
    assert_eq!(
        code(any.verify(&with_payload(&id, &payload)).await),
        "bad_signature"
    );

    // The signature cut off, or one bit of it flipped.
    let cut = access.rsplit_once('.').unwrap().0;
    assert_eq!(code(any.verify(&format!("{cut}.")).await), "bad_signature");
    let mut signature = URL_SAFE_NO_PAD
        .decode(access.rsplit_once('.').unwrap().1)
        .unwrap();
    signature[10] ^= 1;
    assert_eq!(
        code(any.verify(&format!("{cut}.{}", b64(&signature))).await),
        "bad_signature"
    );

    // Another app client.
    let other = verifier(&pool, VerifierOptions::new().client_id("another-client"));
    for token in [&id, &access] {
        assert!(matches!(
            other.verify(token).await,
            Err(VerifyError::WrongAudience { found }) if found == client_id
        ));
    }

    // An ID token where an access token is wanted, and the other way round.
    let access_only = verifier(&pool, options().token_use(TokenUse::Access));
    assert!(matches!(
        access_only.verify(&id).await,
        Err(VerifyError::WrongTokenUse { expected: "access", found }) if found == "id"
    ));
    let id_only = verifier(&pool, options().token_use(TokenUse::Id));
    assert_eq!(code(id_only.verify(&access).await), "wrong_token_use");

    // Another issuer: the pool's keys, served for another issuer.
    let (source, _) = counting(&pool);
    let elsewhere = TokenVerifier::with_source(
        source,
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other",
        options(),
    );
    assert!(matches!(
        elsewhere.verify(&access).await,
        Err(VerifyError::WrongIssuer { found, .. }) if found == pool.issuer()
    ));

    // Not a JWT at all.
    for junk in ["", "abc", "a.b.c", &"x".repeat(20_000)] {
        assert_eq!(code(any.verify(junk).await), "malformed");
    }
}

/// The JWKS as JSON (through the library's own source, no other client).
async fn pool_jwks(pool: &RunningPool) -> Value {
    let body = transport(pool.endpoint())
        .fetch_jwks(&pool.jwks_url())
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_and_issue_times_are_checked_with_the_leeway() {
    let pool = untracked_pool().await;
    let (id, access) = sign_in(&pool).await;
    let exp = claims(&access)["exp"].as_i64().unwrap();
    let iat = claims(&access)["iat"].as_i64().unwrap();
    let at = |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap();
    let verifier_at = |now: DateTime<Utc>| {
        verifier(
            &pool,
            VerifierOptions::new().leeway(Duration::from_secs(60)),
        )
        .with_clock(move || now)
    };
    // Within the leeway after `exp`: accepted; at `exp` + leeway: expired.
    verifier_at(at(exp + 59)).verify(&access).await.unwrap();
    assert!(matches!(
        verifier_at(at(exp + 60)).verify(&access).await,
        Err(VerifyError::Expired { exp: e, now }) if e == exp && now == exp + 60
    ));
    assert_eq!(
        code(verifier_at(at(exp + 3600)).verify(&id).await),
        "expired"
    );
    // A clock behind the issuer by more than the leeway: issued in the future.
    verifier_at(at(iat - 60)).verify(&access).await.unwrap();
    assert_eq!(
        code(verifier_at(at(iat - 61)).verify(&access).await),
        "issued_in_future"
    );
    // No leeway: expired at `exp` itself.
    let strict =
        verifier(&pool, VerifierOptions::new().leeway(Duration::ZERO)).with_clock(move || at(exp));
    assert_eq!(code(strict.verify(&access).await), "expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwks_is_cached_and_refetched_once_per_interval_on_an_unknown_kid() {
    let pool = untracked_pool().await;
    let (id, access) = sign_in(&pool).await;
    let (source, fetches) = counting(&pool);
    let clock = Arc::new(std::sync::Mutex::new(Utc::now()));
    let now = clock.clone();
    let verifier = TokenVerifier::with_source(source, pool.issuer(), VerifierOptions::new())
        .with_clock(move || *now.lock().unwrap());
    let count = || fetches.load(Ordering::SeqCst);

    // One fetch serves both keys and later verifications.
    verifier.verify(&access).await.unwrap();
    verifier.verify(&id).await.unwrap();
    verifier.verify(&access).await.unwrap();
    assert_eq!(count(), 1);

    // An unknown kid soon after the fetch: refused without a request.
    let mut unknown = header(&access);
    unknown["kid"] = json!("rotated-in-later");
    let forged = with_header(&access, &unknown);
    assert_eq!(code(verifier.verify(&forged).await), "unknown_key");
    assert_eq!(count(), 1);

    // After the interval: refetched once, then refused again without one.
    *clock.lock().unwrap() += TimeDelta::seconds(61);
    assert_eq!(code(verifier.verify(&forged).await), "unknown_key");
    assert_eq!(count(), 2);
    assert_eq!(code(verifier.verify(&forged).await), "unknown_key");
    assert_eq!(count(), 2);
    // Known keys stay served from the cache.
    verifier.verify(&access).await.unwrap();
    assert_eq!(count(), 2);

    // Concurrent verifications of a cold verifier share one fetch.
    let (source, fetches) = counting(&pool);
    let cold = Arc::new(TokenVerifier::with_source(
        source,
        pool.issuer(),
        VerifierOptions::new(),
    ));
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (cold, token) = (
                cold.clone(),
                if i % 2 == 0 {
                    id.clone()
                } else {
                    access.clone()
                },
            );
            tokio::spawn(async move { cold.verify(&token).await.map(drop) })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(cold.refresh_keys().await.unwrap(), 2);
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

/// Whether a JWKS error is the one a case expects.
type Expected = fn(&JwksError) -> bool;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misbehaving_jwks_endpoint_gets_a_typed_error_within_the_deadline() {
    let pool = untracked_pool().await;
    let (_, access) = sign_in(&pool).await;
    let cases: Vec<(&str, Reply, Expected)> = vec![
        (
            "garbage",
            Reply::Http(200, vec![], b"<html>hi</html>".to_vec()),
            |e| {
                matches!(
                    e,
                    JwksError::Invalid {
                        problem: JwksProblem::NotAKeySet
                    }
                )
            },
        ),
        (
            "not a key set",
            Reply::Http(200, vec![], br#"{"keys":"no"}"#.to_vec()),
            |e| {
                matches!(
                    e,
                    JwksError::Invalid {
                        problem: JwksProblem::NotAKeySet
                    }
                )
            },
        ),
        (
            "huge",
            Reply::Chunked(2 * 1024 * 1024),
            |e| matches!(e, JwksError::Transport(TransportError::ResponseTooLarge { limit, .. }) if *limit == 64 * 1024),
        ),
        (
            "huge declared",
            Reply::Http(200, vec![], vec![b' '; 100 * 1024]),
            |e| {
                matches!(
                    e,
                    JwksError::Transport(TransportError::ResponseTooLarge { .. })
                )
            },
        ),
        (
            "error status",
            Reply::Http(500, vec![], b"{}".to_vec()),
            |e| matches!(e, JwksError::Status { status: 500 }),
        ),
        ("closed", Reply::Close, |e| {
            matches!(
                e,
                JwksError::Transport(
                    TransportError::Interrupted { .. } | TransportError::Connect { .. }
                )
            )
        }),
        ("hangs", Reply::Hang, |e| {
            matches!(e, JwksError::Transport(TransportError::Timeout { .. }))
        }),
        ("drips", Reply::DripBody, |e| {
            matches!(e, JwksError::Transport(TransportError::Timeout { .. }))
        }),
    ];
    for (name, reply, expected) in cases {
        let endpoint = FakeEndpoint::replying(vec![reply]).await;
        let transport = HttpTransport::builder()
            .endpoint(endpoint.url())
            .request_timeout(Duration::from_millis(800))
            .build()
            .unwrap();
        let verifier = TokenVerifier::new(pool.user_pool_id(), transport, VerifierOptions::new());
        let started = Instant::now();
        let result = verifier.verify(&access).await;
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{name}: {:?}",
            started.elapsed()
        );
        match result {
            Err(VerifyError::Jwks(error)) => assert!(expected(&error), "{name}: {error:?}"),
            other => panic!("{name}: {other:?}"),
        }
        let requests = endpoint.requests();
        assert_eq!(requests.len(), 1, "{name}");
        assert_eq!(
            requests[0].request_line,
            format!(
                "GET /{}/.well-known/jwks.json HTTP/1.1",
                pool.user_pool_id().as_str()
            ),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_url_over_clear_text_to_another_host_is_refused() {
    let transport = transport("http://127.0.0.1:9/");
    let verifier = TokenVerifier::with_source(
        transport,
        "http://cognito.example.com/eu-west-1_x",
        VerifierOptions::new(),
    );
    let token = format!(
        "{}.{}.c2ln",
        b64(br#"{"alg":"RS256","kid":"k"}"#),
        b64(b"{}")
    );
    assert!(matches!(
        verifier.verify(&token).await,
        Err(VerifyError::Jwks(JwksError::Transport(
            TransportError::InsecureEndpoint { .. }
        )))
    ));
}

/// Serves whichever pool's JWKS `current` names.
struct SwitchableKeys {
    transport: HttpTransport,
    urls: [String; 2],
    current: Arc<AtomicUsize>,
}

impl JwksSource for SwitchableKeys {
    async fn fetch_jwks(&self, _url: &str) -> Result<Vec<u8>, JwksError> {
        let url = &self.urls[self.current.load(Ordering::SeqCst)];
        self.transport.fetch_jwks(url).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rotated_in_is_picked_up_by_the_refetch() {
    let (old, new) = (untracked_pool().await, untracked_pool().await);
    let (_, token) = sign_in(&new).await;
    let current = Arc::new(AtomicUsize::new(0));
    let source = SwitchableKeys {
        transport: transport(old.endpoint()),
        urls: [old.jwks_url(), new.jwks_url()],
        current: current.clone(),
    };
    let clock = Arc::new(std::sync::Mutex::new(Utc::now()));
    let now = clock.clone();
    let verifier = TokenVerifier::with_source(source, new.issuer(), VerifierOptions::new())
        .with_clock(move || *now.lock().unwrap());
    // The set still has the old keys only: the new kid is unknown.
    assert_eq!(code(verifier.verify(&token).await), "unknown_key");
    // The keys rotate; within the interval the verifier does not look again.
    current.store(1, Ordering::SeqCst);
    assert_eq!(code(verifier.verify(&token).await), "unknown_key");
    // After it, the refetch finds the new key.
    *clock.lock().unwrap() += TimeDelta::seconds(61);
    verifier.verify(&token).await.unwrap();
}
