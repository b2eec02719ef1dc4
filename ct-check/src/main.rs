//! The constant-time check: a whole user login and a whole device login, the
//! client and the server side, with every secret marked *undefined* for
//! valgrind memcheck — the ephemeral `a` and `b` (through an RNG that marks
//! what it draws), the password, the device password and the client secret.
//! Memcheck then reports any branch or memory address that depends on them.
//! The library marks its public outputs defined where the protocol reveals
//! them (`A`, `B`, the length of `pad(S)`, the signature, the outcome of the
//! check).
//!
//! Run it with `scripts/ct-memcheck.sh` (release build, `valgrind
//! --error-exitcode=1`); outside valgrind it simply logs in twice. With
//! `CT_MEMCHECK_PLANT=1` it first branches on a secret byte on purpose, so the
//! script can show that the check fails when it should.

#![allow(unsafe_code)] // turning a classified byte buffer back into a `String`

use cognito_srp_auth::ct_check::classify;
use cognito_srp_auth::math::SrpInteger;
use cognito_srp_auth::{
    ClientId, ClientSecret, CognitoTimestamp, DeviceCredentials, Password, PasswordVerifier,
    PasswordVerifierChallenge, SecretBlock, ServerChallenge, SrpClient, StartOptions, UserPoolId,
    device_secret_verifier,
};
use rand_core::{TryCryptoRng, TryRng};

/// The OS RNG, with every byte it hands out marked secret.
struct ClassifyingRng;

impl TryRng for ClassifyingRng {
    type Error = getrandom::Error;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst)?;
        classify(dst);
        Ok(())
    }
}

impl TryCryptoRng for ClassifyingRng {}

/// `text` as a `String` whose bytes memcheck treats as secret.
fn secret_string(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    classify(&mut bytes);
    // SAFETY: the bytes are those of `text`, valid UTF-8; `classify` changes
    // only valgrind's shadow state, never a byte (and `from_utf8` would branch
    // on the secret bytes to validate them).
    unsafe { String::from_utf8_unchecked(bytes) }
}

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    if std::env::var_os("CT_MEMCHECK_PLANT").is_some() {
        planted_leak();
    }
    user_login()?;
    device_login()?;
    new_device()?;
    println!(
        "ct_memcheck: user and device logins verified, a device verifier made (backend {})",
        cognito_srp_auth::arithmetic_backend()
    );
    Ok(())
}

/// A deliberate secret-dependent branch: memcheck must report it.
#[inline(never)]
fn planted_leak() {
    let mut secret = [0u8; 1];
    getrandom::fill(&mut secret).ok();
    classify(&mut secret);
    if std::hint::black_box(secret[0]) & 1 == 1 {
        println!("ct_memcheck: planted branch taken");
    }
}

/// USER_SRP_AUTH with a client secret: the server's verifier, `B`, the
/// client's `A` and signature, the server's check.
fn user_login() -> Result<(), Failure> {
    let pool = UserPoolId::parse("us-east-1_CtCheck1")?;
    let user_id = "7d2f0e4a-3b1c-4d5e-8f90-a1b2c3d4e5f6";
    let password = Password::new(secret_string("correct horse battery staple"));
    let verifier =
        PasswordVerifier::create_with_rng("CtCheck1", user_id, &password, &mut ClassifyingRng)?;
    let client = SrpClient::new(pool, ClientId::new("ctcheckclient")?)
        .with_client_secret(ClientSecret::new(secret_string("s3cr3t-client-secret")));
    let start = client.start_with_rng(
        "alice",
        password,
        &StartOptions::default(),
        &mut ClassifyingRng,
    )?;
    let server = ServerChallenge::start_with_rng(&verifier, &mut ClassifyingRng)?;
    let block = SecretBlock::from_bytes(vec![0x5a; 300]);
    let challenge = PasswordVerifierChallenge::new(
        &server.srp_b().to_hex(),
        &verifier.salt().to_hex(),
        block.as_str(),
        user_id,
    )?;
    let timestamp = CognitoTimestamp::now();
    let answer = start.session.respond(&challenge, &timestamp)?.to_map();
    let srp_a = SrpInteger::from_signed_hex(start.parameters.srp_a()).ok_or("SRP_A")?;
    server.accept(&srp_a)?.verify_claim(
        "CtCheck1",
        user_id,
        &block,
        &timestamp,
        &answer["PASSWORD_CLAIM_SIGNATURE"],
    )?;
    Ok(())
}

/// DEVICE_SRP_AUTH: the same proof keyed by the device group key, device key
/// and device password.
fn device_login() -> Result<(), Failure> {
    let pool = UserPoolId::parse("us-east-1_CtCheck1")?;
    let device_key = "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    let group_key = "-dGroupKey1";
    let device_password = secret_string("M2JmZDk0NjctYjU1Ny00ZGY1LWJjNzMtYzI1ZmRlOTliMGNl");
    let verifier = PasswordVerifier::create_with_rng(
        group_key,
        device_key,
        &Password::new(device_password.clone()),
        &mut ClassifyingRng,
    )?;
    let credentials =
        DeviceCredentials::new(device_key, group_key, Password::new(device_password))?;
    let client = SrpClient::new(pool, ClientId::new("ctcheckclient")?);
    let start =
        client.start_device_srp_with_rng("alice-internal", &credentials, &mut ClassifyingRng)?;
    let server = ServerChallenge::start_with_rng(&verifier, &mut ClassifyingRng)?;
    let block = SecretBlock::from_bytes(vec![0xa5; 300]);
    let challenge = PasswordVerifierChallenge::new(
        &server.srp_b().to_hex(),
        &verifier.salt().to_hex(),
        block.as_str(),
        "alice-internal",
    )?;
    let timestamp = CognitoTimestamp::now();
    let srp_a = SrpInteger::from_signed_hex(start.responses.srp_a()).ok_or("SRP_A")?;
    let answer = start.session.respond(&challenge, &timestamp)?.to_map();
    server.accept(&srp_a)?.verify_claim(
        group_key,
        device_key,
        &block,
        &timestamp,
        &answer["PASSWORD_CLAIM_SIGNATURE"],
    )?;
    Ok(())
}

/// ConfirmDevice: a fresh device password (drawn secret, base64) and its
/// verifier (sent, hence public once computed).
fn new_device() -> Result<(), Failure> {
    let (config, password) = device_secret_verifier(
        "-dGroupKey1",
        "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        &mut ClassifyingRng,
    )?;
    if config.password_verifier().is_empty() || password.expose_secret().is_empty() {
        return Err("empty device verifier".into());
    }
    Ok(())
}
