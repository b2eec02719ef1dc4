//! A request to the local pool → its request handling (`OfflinePool::handle`,
//! the `dispatch` the HTTP layer runs on a blocking thread), against a pool
//! with three seeded users (alice: password only; bob: temporary password;
//! carol: TOTP MFA) and two app clients (`fuzzclient`, `fuzzsecretclient`).
//!
//! Input: text. Line 1 is `X-Amz-Target` (`-` → header absent; a name
//! without a `.` gets the `AWSCognitoIdentityProviderService.` prefix); the
//! rest is the body (bytes). To reach the states after a password proof, the
//! body may carry placeholders, filled from a real, fresh `USER_SRP_AUTH`
//! of alice before dispatch: `@SB@` (SECRET_BLOCK), `@SUB@` (USER_ID_FOR_SRP),
//! `@TS@` (TIMESTAMP), `@SIG@` (a valid PASSWORD_CLAIM_SIGNATURE), `@SESSION@`,
//! and `@ACCESS@` (an access token of alice from the pool's start).
//!
//! Invariants: no panic; the answer is 200 with a JSON object, or a 4xx/5xx
//! AWS-style error — `{"__type": <code>, "message": …}` with the code also in
//! `x-amzn-ErrorType`; the pool keeps answering.
#![no_main]

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use cognito_srp_auth::local_pool::{
    AppClient, Limits, LocalPool, OfflinePool, SeedUser, TotpSecret,
};
use cognito_srp_auth::wire::{AwsErrorBody, InitiateAuthResponse};
use cognito_srp_auth::{
    ClientId, ClientSecret, CognitoTimestamp, Password, PasswordVerifierChallenge, SecretInteger,
    SrpClient, StartOptions, UserPoolId,
};
use libfuzzer_sys::fuzz_target;

const POOL_ID: &str = "us-east-1_AbCdEf123";
const PREFIX: &str = "AWSCognitoIdentityProviderService.";
const A_HEX: &str = "19cda7e101d9552e6d486e1a267b1f5f8856f27ac57b1805d63b0b1872fdb6c4d68af92180ef2061fd88c90ef59d9e91b48a7228f2287c281b1783f6ed63cee0c36323f640258a5852cd9bccf4df49fd887903af4851832f2b284359c4d0a022682931a8ab5d369a3e5c5f5ebfb4feafb7e0df06614e0d64de64b2277fad586";

struct Fixture {
    pool: OfflinePool,
    access_token: String,
}

static FIXTURE: Mutex<Option<Fixture>> = Mutex::new(None);

fn build() -> Fixture {
    let pool = LocalPool::builder()
        .user_pool_id(UserPoolId::parse(POOL_ID).expect("pool id"))
        .client(AppClient::new(
            ClientId::new("fuzzclient").expect("id"),
            None,
        ))
        .client(AppClient::new(
            ClientId::new("fuzzsecretclient").expect("id"),
            Some(ClientSecret::new("fuzz-client-secret")),
        ))
        .user(
            SeedUser::new("alice", Password::new("Password1!"))
                .attribute("email", "alice@example.com"),
        )
        .user(SeedUser::new("bob", Password::new("Temporary1!")).temporary())
        .user(
            SeedUser::new("carol", Password::new("Password1!"))
                .totp_secret(TotpSecret::from_bytes(b"12345678901234567890")),
        )
        .limits(limits())
        .build_offline()
        .expect("offline pool");
    let proof = prove(&pool).expect("a fresh pool answers alice's sign-in");
    let body = respond_body(&proof);
    let answer = pool.handle(
        Some(&format!("{PREFIX}RespondToAuthChallenge")),
        body.as_bytes(),
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let response: InitiateAuthResponse = serde_json::from_slice(&answer.body).expect("json");
    let access_token = response
        .authentication_result
        .and_then(|r| r.access_token)
        .expect("alice gets tokens");
    Fixture { pool, access_token }
}

/// Small bounds, so that the fuzzer reaches them, and a lockout of
/// milliseconds, so that wrong proofs do not lock alice out for minutes.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_users = 64;
    limits.max_pending_sign_ins = 4096;
    limits.max_sessions = 4096;
    limits.max_refresh_tokens = 4096;
    limits.lockout_base = Duration::from_millis(1);
    limits.lockout_max = Duration::from_millis(4);
    limits
}

/// What a real client of alice would send to answer PASSWORD_VERIFIER.
struct Proof {
    secret_block: String,
    sub: String,
    timestamp: String,
    signature: String,
    session: String,
}

fn respond_body(proof: &Proof) -> String {
    serde_json::json!({
        "ClientId": "fuzzclient",
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": {
            "USERNAME": proof.sub,
            "PASSWORD_CLAIM_SECRET_BLOCK": proof.secret_block,
            "PASSWORD_CLAIM_SIGNATURE": proof.signature,
            "TIMESTAMP": proof.timestamp,
        }
    })
    .to_string()
}

fn prove(pool: &OfflinePool) -> Option<Proof> {
    let client = SrpClient::new(
        UserPoolId::parse(POOL_ID).ok()?,
        ClientId::new("fuzzclient").ok()?,
    );
    let a = SecretInteger::from_hex(A_HEX)?;
    let cognito_srp_auth::SrpStart {
        parameters: params,
        session,
        ..
    } = client
        .start_with_secret_exponent(
            "alice",
            Password::new("Password1!"),
            &StartOptions::default(),
            a,
        )
        .ok()?;
    let body = serde_json::json!({
        "AuthFlow": "USER_SRP_AUTH",
        "ClientId": "fuzzclient",
        "AuthParameters": {"USERNAME": "alice", "SRP_A": params.srp_a()},
    })
    .to_string();
    let answer = pool.handle(Some(&format!("{PREFIX}InitiateAuth")), body.as_bytes());
    if answer.status != 200 {
        return None;
    }
    let response: InitiateAuthResponse = serde_json::from_slice(&answer.body).ok()?;
    let parameters = response.challenge_parameters?;
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters).ok()?;
    let timestamp = CognitoTimestamp::now();
    let responses = session.respond(&challenge, &timestamp).ok()?;
    Some(Proof {
        secret_block: challenge.secret_block().as_str().to_owned(),
        sub: challenge.user_id_for_srp().to_owned(),
        timestamp: responses.timestamp().to_owned(),
        signature: responses.password_claim_signature().to_owned(),
        session: response.session.unwrap_or_default(),
    })
}

/// `FUZZ_DEBUG=1`: print each answer (to check what a corpus input reaches).
fn debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("FUZZ_DEBUG").is_some())
}

fn check(status: u16, error_type: Option<&str>, body: &[u8]) {
    if status == 200 {
        assert!(error_type.is_none());
        let value: serde_json::Value = serde_json::from_slice(body).expect("200 with a JSON body");
        assert!(value.is_object(), "200 with {value}");
        return;
    }
    assert!((400..600).contains(&status), "status {status}");
    let error: AwsErrorBody = serde_json::from_slice(body).expect("an AWS error body");
    let code = error.error_type.as_deref().expect("__type");
    assert!(!code.is_empty());
    assert_eq!(Some(code), error_type, "x-amzn-ErrorType matches __type");
    assert!(code.ends_with("Exception"), "{code}");
    assert!(error.message.is_some());
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |&b| b == b'\n');
    let target_line = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let body = parts.next().unwrap_or_default();
    let target = match target_line.as_str() {
        "-" => None,
        t if !t.contains('.') => Some(format!("{PREFIX}{t}")),
        t => Some(t.to_owned()),
    };

    let mut guard = FIXTURE.lock().unwrap_or_else(|p| p.into_inner());
    let fixture = guard.get_or_insert_with(build);

    let placeholders = ["@SB@", "@SUB@", "@TS@", "@SIG@", "@SESSION@", "@ACCESS@"];
    let has_placeholder = body
        .windows(4)
        .any(|w| w[0] == b'@' && placeholders.iter().any(|p| p.as_bytes().starts_with(w)));
    let filled;
    let mut body: &[u8] = body;
    if has_placeholder {
        let proof = match prove(&fixture.pool).or_else(|| {
            // Alice may be locked out for a few milliseconds.
            std::thread::sleep(Duration::from_millis(10));
            prove(&fixture.pool)
        }) {
            Some(proof) => proof,
            None => {
                // Pending sign-ins full (TooManyRequests): start afresh.
                *fixture = build();
                prove(&fixture.pool).expect("a fresh pool answers alice's sign-in")
            }
        };
        let mut text = String::from_utf8_lossy(body).into_owned();
        for (key, value) in [
            ("@SB@", proof.secret_block.as_str()),
            ("@SUB@", proof.sub.as_str()),
            ("@TS@", proof.timestamp.as_str()),
            ("@SIG@", proof.signature.as_str()),
            ("@SESSION@", proof.session.as_str()),
            ("@ACCESS@", fixture.access_token.as_str()),
        ] {
            text = text.replace(key, value);
        }
        filled = text.into_bytes();
        body = &filled;
    }

    let answer = fixture.pool.handle(target.as_deref(), body);
    if debug() {
        eprintln!(
            "{:?} -> {} {}",
            target,
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
    check(answer.status, answer.error_type.as_deref(), &answer.body);

    // The pool still answers: an unknown operation is refused cleanly.
    let again = fixture.pool.handle(Some("x"), b"{}");
    assert_eq!(again.status, 400);
});
