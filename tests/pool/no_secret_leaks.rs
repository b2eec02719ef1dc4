//! Secrets never leak: `tracing` output captured at TRACE level (every
//! target, spans opened and closed) across full logins against the
//! in-process local pool with a client secret, and the errors produced on the
//! way, must not contain a password, client secret, `a`, `x`, `S`, key,
//! signature, `SECRET_HASH`, `SECRET_BLOCK`, session or token. Secret types
//! clear their memory with `Zeroize` (and do so on drop).
//!
//! The errors of the hostile-server scenarios are checked in
//! `tests/hostile_server.rs` (each one's Display, Debug and source chain).

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine;
use chrono::Utc;
use cognito_srp_auth::SrpStart;
use cognito_srp_auth::flow::{
    CognitoClient, FlowError, LoginOptions, LoginOutcome, RefreshToken, SecretAnswer, Tokens,
};
use cognito_srp_auth::local_pool::{AppClient, LocalPool, RunningPool, SeedUser};
use cognito_srp_auth::steps;
use cognito_srp_auth::transport::{HttpTransport, Transport, TransportError};
use cognito_srp_auth::wire::{
    AuthFlow, ChallengeName, CognitoOperation, InitiateAuthRequest, Operation, ParameterMap,
    RespondToAuthChallengeRequest,
};
use cognito_srp_auth::{
    ClientId, ClientSecret, CognitoTimestamp, DeviceCredentials, Password,
    PasswordVerifierChallenge, SecretInteger, SrpClient, StartOptions,
};
use serde_json::Value;
use zeroize::{Zeroize, ZeroizeOnDrop};

const USERNAME: &str = "alice";
const PASSWORD: &str = "Pa55word-leak-check-do-not-print";
const CLIENT_ID: &str = "leakcheckclient";
const CLIENT_SECRET: &str = "client-secret-leak-check-do-not-print";

// ---------------------------------------------------------------- capture

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process-wide TRACE subscriber, writing into one buffer.
fn captured() -> &'static Buffer {
    static BUFFER: OnceLock<Buffer> = OnceLock::new();
    BUFFER.get_or_init(|| {
        let buffer = Buffer(Arc::new(Mutex::new(Vec::new())));
        let writer = buffer.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .unwrap();
        buffer
    })
}

fn log_text() -> String {
    String::from_utf8_lossy(&captured().0.lock().unwrap()).into_owned()
}

/// Every way a secret could be written: as is, and for binary values in
/// lower/upper hex and base64.
fn assert_absent(what: &str, text: &str, secrets: &[(&str, String)]) {
    for (name, secret) in secrets {
        assert!(secret.len() >= 8, "{name} is too short to search for");
        assert!(
            !text.contains(secret.as_str()),
            "{what} contains the {name}"
        );
        let upper = secret.to_uppercase();
        if upper != *secret && secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            assert!(
                !text.contains(&upper),
                "{what} contains the {name} (upper hex)"
            );
        }
    }
}

fn assert_error_clean(error: &FlowError, secrets: &[(&str, String)]) {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    assert_absent("an error's Display", &chain, secrets);
    assert_absent("an error's Debug", &format!("{error:?}"), secrets);
}

// ---------------------------------------------------------------- the pool

async fn pool() -> RunningPool {
    LocalPool::builder()
        .client(AppClient::new(
            ClientId::new(CLIENT_ID).unwrap(),
            Some(ClientSecret::new(CLIENT_SECRET)),
        ))
        .user(SeedUser::new(USERNAME, Password::new(PASSWORD)))
        .start()
        .await
        .unwrap()
}

fn transport(pool: &RunningPool) -> HttpTransport {
    HttpTransport::builder()
        .endpoint(pool.endpoint())
        .build()
        .unwrap()
}

/// A transport that keeps every request and response, to learn the
/// server-issued secrets (sessions, secret blocks, tokens) and the ones the
/// flow computed (signature, `SECRET_HASH`).
struct Recorder<T> {
    inner: T,
    seen: Mutex<Vec<Value>>,
}

impl<T> Recorder<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            seen: Mutex::new(Vec::new()),
        }
    }

    fn record<V: serde::Serialize>(&self, value: &V) {
        self.seen
            .lock()
            .unwrap()
            .push(serde_json::to_value(value).unwrap());
    }

    /// The values of every secret-bearing field seen.
    fn secrets(&self) -> Vec<(&'static str, String)> {
        const FIELDS: &[&str] = &[
            "PASSWORD_CLAIM_SIGNATURE",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "SECRET_BLOCK",
            "SECRET_HASH",
            "Session",
            "AccessToken",
            "IdToken",
            "RefreshToken",
            "REFRESH_TOKEN",
            "PasswordVerifier",
        ];
        fn walk(value: &Value, out: &mut Vec<(&'static str, String)>) {
            match value {
                Value::Object(map) => {
                    for (key, value) in map {
                        match (FIELDS.iter().find(|f| **f == key), value) {
                            (Some(field), Value::String(text)) => out.push((field, text.clone())),
                            _ => walk(value, out),
                        }
                    }
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for value in self.seen.lock().unwrap().iter() {
            walk(value, &mut out);
        }
        out
    }
}

impl<T: Transport> Transport for Recorder<T> {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        // (request recorded, response recorded): not the TOTP set-up or ForgetDevice.
        let (request_seen, response_seen) = match Op::OPERATION {
            Operation::InitiateAuth
            | Operation::RespondToAuthChallenge
            | Operation::ConfirmDevice => (true, true),
            Operation::UpdateDeviceStatus => (true, false),
            _ => (false, false),
        };
        if request_seen {
            self.record(&request);
        }
        let response = self.inner.call::<Op>(request).await?;
        if response_seen {
            self.record(&response);
        }
        Ok(response)
    }
}

fn fixed_secrets() -> Vec<(&'static str, String)> {
    vec![
        ("password", PASSWORD.to_owned()),
        ("client secret", CLIENT_SECRET.to_owned()),
    ]
}

// ---------------------------------------------------------------- tests

/// The flow (user SRP login with a client secret, then a refresh) at TRACE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_login_and_refresh_log_no_secret() {
    captured();
    let pool = pool().await;
    let client = CognitoClient::new(
        pool.user_pool_id().clone(),
        ClientId::new(CLIENT_ID).unwrap(),
        Recorder::new(transport(&pool)),
    )
    .with_client_secret(ClientSecret::new(CLIENT_SECRET));

    let tokens = match client.login(USERNAME, Password::new(PASSWORD)).await {
        Ok(LoginOutcome::Tokens(tokens)) => tokens,
        other => panic!("{other:?}"),
    };
    let refreshed = client.refresh_tokens(&tokens).await.unwrap();
    let wrong = client
        .login(USERNAME, Password::new("Wrong-password-do-not-print"))
        .await
        .unwrap_err();
    let unknown = client
        .login("nobody-here", Password::new(PASSWORD))
        .await
        .unwrap_err();

    let mut secrets = fixed_secrets();
    secrets.extend(client.transport().secrets());
    secrets.push(("wrong password", "Wrong-password-do-not-print".into()));
    // x, from the salt the pool sent.
    let parameters = client
        .transport()
        .seen
        .lock()
        .unwrap()
        .iter()
        .find_map(|v| {
            let params = v.get("ChallengeParameters")?;
            serde_json::from_value::<ParameterMap>(params.clone()).ok()
        })
        .unwrap();
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters).unwrap();
    let x = steps::private_key(
        challenge.salt(),
        pool.user_pool_id().pool_name(),
        challenge.user_id_for_srp(),
        &Password::new(PASSWORD),
    );
    secrets.push(("x", x.expose_hex().to_string()));
    for (name, token) in tokens_of(&tokens).into_iter().chain(tokens_of(&refreshed)) {
        secrets.push((name, token));
    }
    assert!(
        secrets
            .iter()
            .any(|(n, _)| *n == "PASSWORD_CLAIM_SIGNATURE")
            && secrets.iter().any(|(n, _)| *n == "SECRET_BLOCK")
            && secrets.iter().any(|(n, _)| *n == "SECRET_HASH")
            && secrets.iter().any(|(n, _)| *n == "REFRESH_TOKEN"),
        "the recorder saw the secrets it should check"
    );

    let log = log_text();
    assert!(
        log.contains("cognito.login"),
        "the capture works: {log:.400}"
    );
    assert!(log.contains("TRACE") || log.contains("DEBUG"));
    assert_absent("the TRACE log", &log, &secrets);
    assert_error_clean(&wrong, &secrets);
    assert_error_clean(&unknown, &secrets);
    assert_absent(
        "Tokens' Debug",
        &format!("{tokens:?} {refreshed:?}"),
        &secrets,
    );
    pool.shutdown().await.unwrap();
}

/// Device tracking at TRACE: a login that confirms and remembers the device
/// (`ConfirmDevice` with its verifier), then a login as that device
/// (`DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER`), with a client secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_login_logs_no_secret() {
    captured();
    let pool = pool().await;
    let client = CognitoClient::new(
        pool.user_pool_id().clone(),
        ClientId::new(CLIENT_ID).unwrap(),
        Recorder::new(transport(&pool)),
    )
    .with_client_secret(ClientSecret::new(CLIENT_SECRET));
    let remember = LoginOptions::default().remember_device("leak-check laptop", true);
    let mut first = match client
        .login_with(USERNAME, Password::new(PASSWORD), &remember)
        .await
    {
        Ok(LoginOutcome::Tokens(tokens)) => tokens,
        other => panic!("{other:?}"),
    };
    let device = first
        .take_device_credentials()
        .expect("the login confirmed the device");
    let as_device = LoginOptions::default().device(device.clone());
    let second = match client
        .login_with(USERNAME, Password::new(PASSWORD), &as_device)
        .await
    {
        Ok(LoginOutcome::Tokens(tokens)) => tokens,
        other => panic!("{other:?}"),
    };
    assert!(second.stale_device().is_none(), "the device was known");
    let device_steps = client
        .transport()
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|v| v["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER")
        .count();
    assert!(device_steps >= 1, "the second login proved the device");

    let mut secrets = fixed_secrets();
    secrets.extend(client.transport().secrets());
    secrets.push((
        "device password",
        device.device_password().expose_secret().to_owned(),
    ));
    for (name, token) in tokens_of(&first).into_iter().chain(tokens_of(&second)) {
        secrets.push((name, token));
    }
    assert!(secrets.iter().any(|(n, _)| *n == "PasswordVerifier"));
    assert_absent("the TRACE log", &log_text(), &secrets);
    assert_absent(
        "Tokens' and options' Debug",
        &format!("{first:?} {second:?} {as_device:?} {device:?}"),
        &secrets,
    );
    pool.shutdown().await.unwrap();
}

fn tokens_of(tokens: &Tokens) -> Vec<(&'static str, String)> {
    let mut out = vec![("access token", tokens.expose_access_token().to_owned())];
    if let Some(id) = tokens.expose_id_token() {
        out.push(("id token", id.to_owned()));
    }
    if let Some(refresh) = tokens.refresh_token() {
        out.push(("refresh token", refresh.expose_secret().to_owned()));
    }
    out
}

/// The core driven over the http transport with a known `a`, so that `a`,
/// `x`, `S` and the key can be searched for in the TRACE log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_with_a_known_a_logs_no_derived_value() {
    captured();
    let pool = pool().await;
    let transport = transport(&pool);
    let srp = SrpClient::new(
        pool.user_pool_id().clone(),
        ClientId::new(CLIENT_ID).unwrap(),
    )
    .with_client_secret(ClientSecret::new(CLIENT_SECRET));
    let a_hex = "5e1f0a93c2d4b6e8".repeat(16);
    let a = SecretInteger::from_hex(&a_hex).unwrap();
    let SrpStart {
        parameters: params,
        session,
        ..
    } = srp
        .start_with_secret_exponent(
            USERNAME,
            Password::new(PASSWORD),
            &StartOptions::default(),
            a.clone(),
        )
        .unwrap();
    let response = transport
        .initiate_auth(InitiateAuthRequest::new(
            CLIENT_ID,
            AuthFlow::UserSrpAuth,
            params.to_map().into_iter().collect(),
        ))
        .await
        .unwrap();
    let parameters = response.challenge_parameters.clone().unwrap();
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters).unwrap();
    let u = steps::scrambling_parameter(session.srp_a(), challenge.srp_b()).unwrap();
    let x = steps::private_key(
        challenge.salt(),
        pool.user_pool_id().pool_name(),
        challenge.user_id_for_srp(),
        &Password::new(PASSWORD),
    );
    let s = steps::premaster_secret(challenge.srp_b(), &u, &x, &a).unwrap();
    let key = steps::session_key(&s, &u).unwrap();
    let answer = session
        .respond(&challenge, &CognitoTimestamp::from(Utc::now()))
        .unwrap();
    let mut responses: ParameterMap = answer.to_map().into_iter().collect();
    if let Some(internal) = challenge.username().filter(|u| *u != answer.username()) {
        responses.insert("USERNAME".into(), internal.to_owned());
        if let Some(hash) = srp.secret_hash(internal) {
            responses.insert("SECRET_HASH".into(), hash);
        }
    }
    let result = transport
        .respond_to_auth_challenge(RespondToAuthChallengeRequest::new(
            CLIENT_ID,
            ChallengeName::PasswordVerifier,
            responses,
            response.session.clone(),
        ))
        .await
        .unwrap();
    let result = result.authentication_result.unwrap();

    let b64 = base64::engine::general_purpose::STANDARD;
    let mut secrets = fixed_secrets();
    secrets.extend([
        ("a", a.expose_hex().to_string()),
        ("x", x.expose_hex().to_string()),
        ("S", s.expose_hex().to_string()),
        ("key (hex)", hex::encode(key.expose_bytes())),
        ("key (base64)", b64.encode(key.expose_bytes())),
        ("signature", answer.password_claim_signature().to_owned()),
        (
            "secret block",
            answer.password_claim_secret_block().to_owned(),
        ),
        ("access token", result.access_token.clone().unwrap()),
        ("refresh token", result.refresh_token.clone().unwrap()),
    ]);
    if let Some(hash) = answer.secret_hash() {
        secrets.push(("SECRET_HASH", hash.to_owned()));
    }
    if let Some(session) = &response.session {
        secrets.push(("session", session.clone()));
    }
    assert_absent("the TRACE log", &log_text(), &secrets);
    pool.shutdown().await.unwrap();
}

// ---------------------------------------------------------------- zeroize

fn zeroize_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn secret_types_zeroize_and_do_so_on_drop() {
    zeroize_on_drop::<Password>();
    zeroize_on_drop::<ClientSecret>();
    zeroize_on_drop::<SecretInteger>();
    zeroize_on_drop::<cognito_srp_auth::SessionKey>();
    zeroize_on_drop::<RefreshToken>();
    zeroize_on_drop::<SecretAnswer>();
    zeroize_on_drop::<DeviceCredentials>();

    let mut password = Password::new(PASSWORD);
    password.zeroize();
    assert_eq!(password.expose_secret(), "");
    let mut secret = ClientSecret::new(CLIENT_SECRET);
    secret.zeroize();
    assert_eq!(secret.expose_secret(), "");
    let mut refresh = RefreshToken::new("refresh-token-value");
    refresh.zeroize();
    assert_eq!(refresh.expose_secret(), "");
    let mut answer = SecretAnswer::new("123456");
    answer.zeroize();
    assert_eq!(answer.expose_secret(), "");

    let mut a = SecretInteger::from_hex(&"ab".repeat(128)).unwrap();
    assert_eq!(a.expose_be_bytes().len(), 128);
    a.zeroize();
    assert!(a.expose_be_bytes().iter().all(|&b| b == 0));

    let s = SecretInteger::from_hex(&"cd".repeat(384)).unwrap();
    let u = cognito_srp_auth::math::SrpInteger::from_be_bytes(&[7u8; 32]);
    let mut key = steps::session_key(&s, &u).unwrap();
    assert!(key.expose_bytes().iter().any(|&b| b != 0));
    key.zeroize();
    assert_eq!(key.expose_bytes(), &[0u8; 16]);

    let mut device =
        DeviceCredentials::new("us-east-1_dev", "-Abc123xyz", Password::new("device-pw")).unwrap();
    device.zeroize();
    assert_eq!(device.device_password().expose_secret(), "");
    assert_eq!(device.device_key(), "");
}
