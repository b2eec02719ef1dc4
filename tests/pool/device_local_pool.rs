//! Remembered devices end to end: `CognitoClient` over `HttpTransport`
//! against the in-process local pool — ConfirmDevice after the first login,
//! DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER (and no TOTP) on the next, a
//! forgotten device reported stale, and salts of 15, 16 and 17 bytes.
#![cfg(all(feature = "local-pool", feature = "http", feature = "vectors"))]

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, CognitoClient, LoginOptions, LoginOutcome, SecretAnswer, Tokens,
};
use cognito_srp_auth::local_pool::{
    AppClient, LocalPool, MfaConfiguration, RunningPool, SeedUser, TotpSecret,
};
use cognito_srp_auth::transport::{HttpTransport, Transport, TransportError};
use cognito_srp_auth::vectors::ReplayRng;
use cognito_srp_auth::wire::{CognitoOperation, Operation};
use cognito_srp_auth::{DeviceCredentials, Password};
use cognito_srp_auth::{DeviceSrpStart, SrpStart};
use serde_json::{Value, json};

use crate::client_sessions::{client_over, loopback_transport};
use crate::support::aws_json;
use crate::support::totp::TotpSteps;

const PASSWORD: &str = "Password1!";

/// Records each operation (with the challenge name answered) and the salt
/// of every `ConfirmDevice`.
#[derive(Debug)]
struct Recording {
    inner: HttpTransport,
    steps: Arc<Mutex<Vec<String>>>,
    salts: Arc<Mutex<Vec<String>>>,
}

impl Recording {
    fn note(&self, step: String) {
        self.steps.lock().unwrap().push(step);
    }
    fn take_steps(&self) -> Vec<String> {
        std::mem::take(&mut *self.steps.lock().unwrap())
    }
}

impl Transport for Recording {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        let body = serde_json::to_value(&request).unwrap();
        match Op::OPERATION {
            Operation::InitiateAuth => {
                let device = body["AuthParameters"].get("DEVICE_KEY").is_some();
                self.note(format!(
                    "InitiateAuth{}",
                    if device { " DEVICE_KEY" } else { "" }
                ));
            }
            Operation::RespondToAuthChallenge => {
                let name = body["ChallengeName"].as_str().unwrap_or_default();
                self.note(name.to_owned());
            }
            Operation::ConfirmDevice => {
                self.note("ConfirmDevice".into());
                if let Some(salt) = body["DeviceSecretVerifierConfig"]["Salt"].as_str() {
                    self.salts.lock().unwrap().push(salt.to_owned());
                }
            }
            Operation::UpdateDeviceStatus | Operation::ForgetDevice => {
                self.note(Op::OPERATION.as_str().to_owned());
            }
            _ => {}
        }
        self.inner.call::<Op>(request).await
    }
}

fn client(pool: &RunningPool, app: &AppClient) -> CognitoClient<Recording> {
    let transport = Recording {
        inner: loopback_transport(pool),
        steps: Arc::default(),
        salts: Arc::default(),
    };
    client_over(pool, app, transport)
}

/// One AWS JSON 1.1 call over a raw loopback connection: 200 expected.
async fn call(pool: &RunningPool, operation: &str, body: Value) -> Value {
    let (status, body) = call_status(pool, operation, body).await;
    assert_eq!(status, 200, "{operation}: {body}");
    body
}

/// One AWS JSON 1.1 call: the status and the JSON body.
async fn call_status(pool: &RunningPool, operation: &str, body: Value) -> (u16, Value) {
    let endpoint = format!("http://{}/", pool.local_addr());
    aws_json::post_async(&endpoint, operation, &body, "").await
}

async fn admin_devices(pool: &RunningPool, username: &str) -> Vec<Value> {
    let reply = call(
        pool,
        "AdminListDevices",
        json!({"UserPoolId": pool.user_pool_id().as_str(), "Username": username}),
    )
    .await;
    reply["Devices"].as_array().unwrap().clone()
}

fn attribute<'a>(device: &'a Value, name: &str) -> Option<&'a str> {
    device["DeviceAttributes"]
        .as_array()?
        .iter()
        .find(|a| a["Name"] == name)?["Value"]
        .as_str()
}

/// Logs in, answering TOTP with the next code of `steps` when asked (the
/// pool accepts a step once); returns the tokens and whether TOTP was asked.
async fn login_totp(
    client: &CognitoClient<Recording>,
    options: &LoginOptions,
    steps: &TotpSteps,
) -> (Tokens, bool) {
    let outcome = client
        .login_with("alice", Password::new(PASSWORD), options)
        .await
        .unwrap();
    match outcome {
        LoginOutcome::Tokens(tokens) => (*tokens, false),
        LoginOutcome::Challenge(challenge) => {
            assert!(
                matches!(challenge.kind(), ChallengeKind::SoftwareTokenMfa { .. }),
                "{challenge:?}"
            );
            let code = SecretAnswer::new(steps.next().await);
            let tokens = client
                .answer(*challenge, ChallengeAnswer::Code(code))
                .await
                .unwrap()
                .into_tokens()
                .unwrap();
            (tokens, true)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remembered_device_skips_totp_and_a_forgotten_one_is_stale() {
    let totp_secret = TotpSecret::from_bytes(b"0123456789abcdef0123");
    let codes = TotpSteps::new(&totp_secret.expose_base32());
    let pool = LocalPool::builder()
        .mfa(MfaConfiguration::Optional)
        .user(
            SeedUser::new("alice", Password::new(PASSWORD))
                .attribute("email", "alice@example.com")
                .totp_secret(totp_secret),
        )
        .start()
        .await
        .unwrap();
    let app = pool.secret_client().unwrap().clone();
    let client = client(&pool, &app);
    let remember = LoginOptions::default().remember_device("laptop", true);

    // First login: TOTP, then the device Cognito names is confirmed.
    let (mut first, asked) = login_totp(&client, &remember, &codes).await;
    assert!(asked, "the first login passes TOTP");
    assert!(first.stale_device().is_none());
    let credentials: DeviceCredentials = first.take_device_credentials().expect("confirmed");
    let region = pool.region().to_owned();
    assert!(credentials.device_key().starts_with(&format!("{region}_")));
    assert_eq!(first.device_key(), Some(credentials.device_key()));
    let steps = client.transport().take_steps();
    assert_eq!(
        steps,
        [
            "InitiateAuth",
            "PASSWORD_VERIFIER",
            "SOFTWARE_TOKEN_MFA",
            "ConfirmDevice"
        ]
    );
    let devices = admin_devices(&pool, "alice").await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["DeviceKey"], credentials.device_key());
    assert_eq!(attribute(&devices[0], "device_name"), Some("laptop"));
    assert_eq!(
        attribute(&devices[0], "dev:device_remembered_status"),
        Some("remembered")
    );

    // The credentials survive their documented serialisation.
    let stored = credentials.to_json().unwrap();
    let credentials = DeviceCredentials::from_json(&stored).unwrap();

    // Second login: the device SRP replaces TOTP; no new device.
    let with_device = remember.clone().device(credentials.clone());
    let (second, asked) = login_totp(&client, &with_device, &codes).await;
    assert!(!asked, "a remembered device skips TOTP");
    assert!(second.device_credentials().is_none());
    assert!(second.new_device_metadata().is_none());
    assert!(second.stale_device().is_none());
    assert_eq!(second.device_key(), Some(credentials.device_key()));
    assert_eq!(
        client.transport().take_steps(),
        [
            "InitiateAuth DEVICE_KEY",
            "PASSWORD_VERIFIER",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER"
        ]
    );
    assert_eq!(admin_devices(&pool, "alice").await.len(), 1);

    // Refresh with the device key.
    let refreshed = client.refresh_tokens(&second).await.unwrap();
    assert!(refreshed.refresh_token().is_some());

    // ListDevices with the access token.
    let listed = call(
        &pool,
        "ListDevices",
        json!({"AccessToken": second.expose_access_token()}),
    )
    .await;
    assert_eq!(listed["Devices"].as_array().unwrap().len(), 1);

    // Forgotten: the login falls back to password + TOTP, reports the device
    // stale and confirms a new one.
    client
        .forget_device(&second, credentials.device_key())
        .await
        .unwrap();
    client.transport().take_steps();
    assert!(admin_devices(&pool, "alice").await.is_empty());
    let (mut third, asked) = login_totp(&client, &with_device, &codes).await;
    assert!(asked, "without a device TOTP is asked again");
    let stale = third.stale_device().expect("reported stale");
    assert_eq!(stale.device_key(), credentials.device_key());
    assert_eq!(stale.error_code(), "ResourceNotFoundException");
    let replacement = third.take_device_credentials().expect("a new device");
    assert_ne!(replacement.device_key(), credentials.device_key());
    assert_eq!(
        client.transport().take_steps(),
        [
            "InitiateAuth DEVICE_KEY",
            "InitiateAuth",
            "PASSWORD_VERIFIER",
            "SOFTWARE_TOKEN_MFA",
            "ConfirmDevice"
        ]
    );

    // A wrong device password is refused on the device step, reported stale
    // and the login still succeeds.
    let wrong = DeviceCredentials::new(
        replacement.device_key(),
        replacement.device_group_key(),
        Password::new("not the device password"),
    )
    .unwrap();
    let (fourth, asked) = login_totp(&client, &LoginOptions::default().device(wrong), &codes).await;
    assert!(asked);
    let stale = fourth
        .stale_device()
        .expect("refused device reported stale");
    assert_eq!(stale.error_code(), "NotAuthorizedException");
    // Not asked to remember, the newly offered device is still confirmed
    // (as the SDKs do: Cognito refreshes only for a confirmed device).
    assert!(
        fourth.device_credentials().is_some(),
        "the offered device is confirmed"
    );
    assert_eq!(
        client.transport().take_steps(),
        [
            "InitiateAuth DEVICE_KEY",
            "PASSWORD_VERIFIER",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER",
            "InitiateAuth",
            "PASSWORD_VERIFIER",
            "SOFTWARE_TOKEN_MFA",
            "ConfirmDevice"
        ]
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_verifier_is_accepted_for_salts_of_15_16_and_17_bytes() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .start()
        .await
        .unwrap();
    let app = pool.public_client().unwrap().clone();
    for (first_salt_byte, expected_len) in [(0x00u8, 15usize), (0x40, 16), (0x80, 17)] {
        // 40 bytes of device password, then the 16 salt bytes.
        let mut bytes: Vec<u8> = (1..=40).collect();
        let mut salt = [0x5au8; 16];
        salt[0] = first_salt_byte;
        salt[1] = 0x11;
        bytes.extend_from_slice(&salt);
        // One factory serves every draw: the login's `a` first, then the device.
        let draws = std::sync::atomic::AtomicUsize::new(0);
        let client = client(&pool, &app).with_rng(move || {
            match draws.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                // The first login's `a`, then the device credentials under
                // test; later draws (the next logins' `a`) get bytes of their own.
                0 => ReplayRng::new(vec![0x42; 128]),
                1 => ReplayRng::new(bytes.clone()),
                n => ReplayRng::new(vec![0x40 + (n % 64) as u8; 1024]),
            }
        });
        let options = LoginOptions::default().remember_device("salt-test", true);
        let mut tokens = client
            .login_with("alice", Password::new(PASSWORD), &options)
            .await
            .unwrap()
            .into_tokens()
            .unwrap();
        let credentials = tokens.take_device_credentials().unwrap();
        let salts = client.transport().salts.lock().unwrap().clone();
        assert_eq!(salts.len(), 1);
        let salt = STANDARD.decode(&salts[0]).unwrap();
        assert_eq!(salt.len(), expected_len, "salt {salt:02x?}");
        client.transport().take_steps();
        let tokens = client
            .login_with(
                "alice",
                Password::new(PASSWORD),
                &LoginOptions::default().device(credentials.clone()),
            )
            .await
            .unwrap()
            .into_tokens()
            .unwrap();
        assert!(
            tokens.stale_device().is_none(),
            "salt of {expected_len} bytes"
        );
        assert_eq!(
            client.transport().take_steps(),
            [
                "InitiateAuth DEVICE_KEY",
                "PASSWORD_VERIFIER",
                "DEVICE_SRP_AUTH",
                "DEVICE_PASSWORD_VERIFIER"
            ]
        );
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_devices_and_bad_tokens_are_refused_like_cognito() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .start()
        .await
        .unwrap();
    let app = pool.public_client().unwrap().clone();
    let srp =
        cognito_srp_auth::SrpClient::new(pool.user_pool_id().clone(), app.client_id().clone());
    let options = cognito_srp_auth::StartOptions::default().device_key("us-east-1_unknown");
    let SrpStart {
        parameters: params,
        session: _session,
        ..
    } = srp
        .start_with_rng(
            "alice",
            Password::new(PASSWORD),
            &options,
            &mut getrandom::SysRng,
        )
        .unwrap();
    let (status, body) = call_status(
        &pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": app.client_id().as_str(), "AuthParameters": params.to_map()}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ResourceNotFoundException");
    assert_eq!(body["message"], "Device does not exist.");

    let config = json!({"PasswordVerifier": "AQID", "Salt": "AQID"});
    let (status, body) = call_status(
        &pool,
        "ConfirmDevice",
        json!({"AccessToken": "not-a-token", "DeviceKey": "us-east-1_x", "DeviceSecretVerifierConfig": config}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "NotAuthorizedException");

    // A real access token, but a device the pool never issued.
    let client = client(&pool, &app);
    let tokens = client
        .login("alice", Password::new(PASSWORD))
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert!(tokens.new_device_metadata().is_some());
    let (status, body) = call_status(
        &pool,
        "ConfirmDevice",
        json!({"AccessToken": tokens.expose_access_token(), "DeviceKey": "us-east-1_x", "DeviceSecretVerifierConfig": config}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ResourceNotFoundException");
    // The offered device was confirmed by the client (as the SDKs do), so
    // the pool (devices always remembered) lists it remembered.
    let devices = admin_devices(&pool, "alice").await;
    assert_eq!(devices.len(), 1);
    assert_eq!(
        attribute(&devices[0], "dev:device_remembered_status"),
        Some("remembered")
    );
    pool.shutdown().await.unwrap();
}

/// Sends `DEVICE_SRP_AUTH` without its `Session`, as a client that drops it would.
#[derive(Debug)]
struct DropsDeviceSession(HttpTransport);

impl Transport for DropsDeviceSession {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        let mut request = request;
        let any: &mut dyn std::any::Any = &mut request;
        if let Some(answer) =
            any.downcast_mut::<cognito_srp_auth::wire::RespondToAuthChallengeRequest>()
            && answer.challenge_name == Some(cognito_srp_auth::wire::ChallengeName::DeviceSrpAuth)
        {
            answer.session = None;
        }
        self.0.call::<Op>(request).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_srp_auth_without_its_session_continues_the_sign_in_it_belongs_to() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .start()
        .await
        .unwrap();
    let app = pool.public_client().unwrap().clone();
    let client = client_over(&pool, &app, DropsDeviceSession(loopback_transport(&pool)));
    let remember = LoginOptions::default().remember_device("laptop", true);
    let first = client
        .login_with("alice", Password::new(PASSWORD), &remember)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let credentials = first.device_credentials().cloned().unwrap();
    let device = LoginOptions::default().device(credentials.clone());
    let again = client
        .login_with("alice", Password::new(PASSWORD), &device)
        .await
        .unwrap()
        .into_tokens()
        .expect("signed in through DEVICE_SRP_AUTH without a Session");
    assert_eq!(again.device_key(), Some(credentials.device_key()));
    assert!(again.stale_device().is_none());

    // Without a password proof before it there is no device step to continue.
    let DeviceSrpStart { responses, .. } =
        cognito_srp_auth::SrpClient::new(pool.user_pool_id().clone(), app.client_id().clone())
            .start_device_srp("alice", &credentials)
            .unwrap();
    let body = json!({
        "ClientId": app.client_id().as_str(),
        "ChallengeName": "DEVICE_SRP_AUTH",
        "ChallengeResponses": responses.to_map(),
    });
    let (status, reply) = call_status(&pool, "RespondToAuthChallenge", body).await;
    assert_eq!(status, 400, "{reply}");
    assert_eq!(reply["__type"], "NotAuthorizedException", "{reply}");
    pool.shutdown().await.unwrap();
}

/// `ConfirmDevice` with `verifier` and `salt` (raw bytes): the status and body.
async fn confirm_with(
    pool: &RunningPool,
    access_token: &str,
    verifier: &[u8],
    salt: &[u8],
) -> (u16, Value) {
    let config =
        json!({"PasswordVerifier": STANDARD.encode(verifier), "Salt": STANDARD.encode(salt)});
    call_status(
        pool,
        "ConfirmDevice",
        json!({"AccessToken": access_token, "DeviceKey": "us-east-1_x", "DeviceSecretVerifierConfig": config}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirm_device_refuses_a_verifier_outside_one_to_n_and_bad_salts() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .start()
        .await
        .unwrap();
    let app = pool.public_client().unwrap().clone();
    let tokens = client(&pool, &app)
        .login("alice", Password::new(PASSWORD))
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let access = tokens.expose_access_token();
    let n = hex::decode(cognito_srp_auth::math::N_HEX).unwrap();
    let mut n_plus_one = n.clone();
    for byte in n_plus_one.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    let salt = [7u8; 16];
    let padded_n = [&[0u8][..], &n[..]].concat();
    for (what, verifier) in [
        ("v = 0", vec![0u8]),
        ("v = 1", vec![1u8]),
        ("v = 1 with leading zeros", vec![0, 0, 1]),
        ("v = N", n.clone()),
        ("v = pad(N)", padded_n),
        ("v = N + 1", n_plus_one),
        ("v = 2^3072 - 1", vec![0xff; 384]),
        ("v = 2^3072", [&[1u8][..], &[0u8; 384][..]].concat()),
    ] {
        let (status, body) = confirm_with(&pool, access, &verifier, &salt).await;
        assert_eq!(status, 400, "{what}: {body}");
        assert_eq!(
            body["__type"], "InvalidParameterException",
            "{what}: {body}"
        );
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("PasswordVerifier"),
            "{what}: {body}"
        );
    }
    let two = [2u8];
    for (what, salt) in [("empty salt", vec![]), ("65-byte salt", vec![1u8; 65])] {
        let (status, body) = confirm_with(&pool, access, &two, &salt).await;
        assert_eq!(status, 400, "{what}: {body}");
        assert_eq!(
            body["__type"], "InvalidParameterException",
            "{what}: {body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("Salt"),
            "{what}: {body}"
        );
    }
    // In range (2, N - 1) with 1- and 64-byte salts: past the checks, the
    // unknown device is what is refused.
    let mut n_minus_one = n.clone();
    *n_minus_one.last_mut().unwrap() -= 1;
    for (verifier, salt) in [(vec![2u8], vec![1u8]), (n_minus_one, vec![9u8; 64])] {
        let (status, body) = confirm_with(&pool, access, &verifier, &salt).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["__type"], "ResourceNotFoundException", "{body}");
    }
    pool.shutdown().await.unwrap();
}
