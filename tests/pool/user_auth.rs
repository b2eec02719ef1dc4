//! `USER_AUTH` (choice-based sign-in) against the local pool over real HTTP:
//! the factors offered, `PREFERRED_CHALLENGE` (`PASSWORD_SRP` in one round
//! trip, `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`), `SELECT_CHALLENGE`, the codes,
//! and the refusals; boto3 drives `PASSWORD` and `SELECT_CHALLENGE` →
//! `EMAIL_OTP` as an independent client.
#![cfg(feature = "local-pool")]

use std::collections::HashMap;

use cognito_srp_auth::local_pool::{
    AppClient, FirstAuthFactors, LocalPool, MfaConfiguration, RunningPool, SeedUser, TotpSecret,
};
use cognito_srp_auth::{
    CognitoTimestamp, Password, PasswordVerifierChallenge, SrpClient, SrpSession, StartOptions,
    secret_hash,
};
use serde_json::{Value, json};

use crate::local_pool_http::{PASSWORD, Reply, call, claims, public, secret, tokens};

/// alice: verified email; bob: verified phone, unverified email; carol: TOTP MFA.
fn users() -> Vec<SeedUser> {
    vec![
        SeedUser::new("alice", Password::new(PASSWORD))
            .attribute("email", "alice@example.com")
            .attribute("email_verified", "true"),
        SeedUser::new("bob", Password::new(PASSWORD))
            .attribute("email", "bob@example.com")
            .attribute("email_verified", "false")
            .attribute("phone_number", "+15550001234")
            .attribute("phone_number_verified", "true"),
        SeedUser::new("carol", Password::new(PASSWORD))
            .attribute("email", "carol@example.com")
            .totp_secret(TotpSecret::from_base32("JBSWY3DPEHPK3PXP").unwrap()),
    ]
}

async fn start_pool(factors: FirstAuthFactors, mfa: MfaConfiguration) -> RunningPool {
    let mut builder = LocalPool::builder().first_auth_factors(factors).mfa(mfa);
    for user in users() {
        builder = builder.user(user);
    }
    builder.start().await.unwrap()
}

async fn all_factors() -> RunningPool {
    start_pool(FirstAuthFactors::all(), MfaConfiguration::Optional).await
}

/// `AuthParameters` `USERNAME` (+ `SECRET_HASH` for a client with a secret) and `extra`.
fn auth_params(client: &AppClient, username: &str, extra: &[(&str, &str)]) -> Value {
    let mut params = json!({ "USERNAME": username });
    if let Some(secret) = client.client_secret() {
        params["SECRET_HASH"] = json!(secret_hash(secret, username, client.client_id()));
    }
    for (key, value) in extra {
        params[*key] = json!(value);
    }
    params
}

async fn initiate(pool: &RunningPool, client: &AppClient, params: Value) -> Reply {
    call(
        pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": params}),
    )
    .await
}

async fn respond(
    pool: &RunningPool,
    client: &AppClient,
    name: &str,
    session: Option<&str>,
    responses: Value,
) -> Reply {
    let mut body = json!({"ChallengeName": name, "ClientId": client.client_id().as_str(), "ChallengeResponses": responses});
    if let Some(session) = session {
        body["Session"] = json!(session);
    }
    call(pool, "RespondToAuthChallenge", body).await
}

/// `SRP_A` and the session that answers `PASSWORD_VERIFIER`.
fn srp_start(pool: &RunningPool, client: &AppClient, username: &str) -> (String, SrpSession) {
    let srp = SrpClient::new(pool.user_pool_id().clone(), client.client_id().clone());
    let srp = match client.client_secret() {
        Some(secret) => srp.with_client_secret(secret.clone()),
        None => srp,
    };
    let start = srp
        .start_with_rng(
            username,
            Password::new(PASSWORD),
            &StartOptions::default(),
            &mut getrandom::SysRng,
        )
        .unwrap();
    let srp_a = start.parameters.to_map()["SRP_A"].clone();
    (srp_a, start.session)
}

/// Answers a `PASSWORD_VERIFIER` reply with the core's proof.
async fn prove(pool: &RunningPool, client: &AppClient, body: &Value, session: SrpSession) -> Reply {
    assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER", "{body}");
    let params: HashMap<String, String> =
        serde_json::from_value(body["ChallengeParameters"].clone()).unwrap();
    let challenge = PasswordVerifierChallenge::from_parameters(&params).unwrap();
    let answer = session
        .respond(&challenge, &CognitoTimestamp::now())
        .unwrap()
        .to_map();
    respond(pool, client, "PASSWORD_VERIFIER", None, json!(answer)).await
}

fn session(body: &Value) -> String {
    body["Session"].as_str().expect("a Session").to_owned()
}

fn code(pool: &RunningPool, username: &str, email: bool) -> String {
    let code = match email {
        true => pool.last_email_code(username),
        false => pool.last_sms_code(username),
    };
    code.expect("a code was sent").to_string()
}

#[tokio::test]
async fn without_a_preference_each_user_is_offered_the_factors_they_can_use() {
    let pool = all_factors().await;
    let client = public(&pool);
    for (user, expected) in [
        ("alice", json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])),
        (
            "alice@example.com",
            json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]),
        ),
        ("bob", json!(["PASSWORD", "PASSWORD_SRP", "SMS_OTP"])),
        // MFA and passwordless factors do not combine.
        ("carol", json!(["PASSWORD", "PASSWORD_SRP"])),
    ] {
        let body = initiate(&pool, &client, auth_params(&client, user, &[]))
            .await
            .ok();
        assert_eq!(body["ChallengeName"], "SELECT_CHALLENGE", "{user}: {body}");
        assert_eq!(body["AvailableChallenges"], expected, "{user}");
        assert!(body["Session"].is_string() && body.get("AuthenticationResult").is_none());
    }
    let password_only = pool_with_factors(FirstAuthFactors::default()).await;
    let client = public(&password_only);
    let body = initiate(&password_only, &client, auth_params(&client, "alice", &[]))
        .await
        .ok();
    assert_eq!(
        body["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP"])
    );
    let required = start_pool(FirstAuthFactors::all(), MfaConfiguration::On).await;
    let client = public(&required);
    let body = initiate(&required, &client, auth_params(&client, "alice", &[]))
        .await
        .ok();
    assert_eq!(
        body["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP"]),
        "no passwordless factor where MFA is required"
    );
}

async fn pool_with_factors(factors: FirstAuthFactors) -> RunningPool {
    start_pool(factors, MfaConfiguration::Optional).await
}

#[tokio::test]
async fn preferred_password_srp_answers_password_verifier_in_one_round_trip() {
    let pool = all_factors().await;
    for client in [public(&pool), secret(&pool)] {
        let (srp_a, srp) = srp_start(&pool, &client, "alice");
        let extra = [("PREFERRED_CHALLENGE", "PASSWORD_SRP"), ("SRP_A", &srp_a)];
        let body = initiate(&pool, &client, auth_params(&client, "alice", &extra))
            .await
            .ok();
        let signed_in = prove(&pool, &client, &body, srp).await.ok();
        let id = claims(tokens(&signed_in)["IdToken"].as_str().unwrap());
        assert_eq!(id["sub"], pool.user_sub("alice").unwrap().as_str());
    }
}

#[tokio::test]
async fn preferred_password_signs_in_or_asks_for_mfa() {
    let pool = all_factors().await;
    let client = secret(&pool);
    let extra = [("PREFERRED_CHALLENGE", "PASSWORD"), ("PASSWORD", PASSWORD)];
    let body = initiate(&pool, &client, auth_params(&client, "alice", &extra))
        .await
        .ok();
    tokens(&body);
    // A password factor is followed by MFA as in the other flows.
    let body = initiate(&pool, &client, auth_params(&client, "carol", &extra))
        .await
        .ok();
    assert_eq!(body["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{body}");
    let wrong = [
        ("PREFERRED_CHALLENGE", "PASSWORD"),
        ("PASSWORD", "Wrong-pass1"),
    ];
    let reply = initiate(&pool, &client, auth_params(&client, "alice", &wrong)).await;
    reply.assert_error("NotAuthorizedException");
    assert_eq!(reply.message(), "Incorrect username or password.");
    // Preferred without its value: the factor is asked for.
    let body = initiate(&pool, &client, auth_params(&client, "alice", &extra[..1]))
        .await
        .ok();
    assert_eq!(body["ChallengeName"], "PASSWORD", "{body}");
    let responses = auth_params(&client, "alice", &[("PASSWORD", PASSWORD)]);
    let done = respond(&pool, &client, "PASSWORD", Some(&session(&body)), responses).await;
    tokens(&done.ok());
}

#[tokio::test]
async fn select_challenge_answers_password_and_password_srp() {
    let pool = all_factors().await;
    for client in [public(&pool), secret(&pool)] {
        // The answers name the user as typed (the alias) and hash it so.
        let start = initiate(
            &pool,
            &client,
            auth_params(&client, "alice@example.com", &[]),
        );
        let body = start.await.ok();
        let (srp_a, srp) = srp_start(&pool, &client, "alice@example.com");
        let extra = [("ANSWER", "PASSWORD_SRP"), ("SRP_A", srp_a.as_str())];
        let responses = auth_params(&client, "alice@example.com", &extra);
        let key = session(&body);
        let verifier = respond(&pool, &client, "SELECT_CHALLENGE", Some(&key), responses)
            .await
            .ok();
        tokens(&prove(&pool, &client, &verifier, srp).await.ok());

        let body = initiate(&pool, &client, auth_params(&client, "alice", &[]))
            .await
            .ok();
        let extra = [("ANSWER", "PASSWORD"), ("PASSWORD", PASSWORD)];
        let responses = auth_params(&client, "alice", &extra);
        let key = session(&body);
        let done = respond(&pool, &client, "SELECT_CHALLENGE", Some(&key), responses).await;
        tokens(&done.ok());
    }
}

#[tokio::test]
async fn email_otp_signs_in_without_mfa_and_limits_wrong_codes() {
    let pool = all_factors().await;
    let client = secret(&pool);
    let extra = [("PREFERRED_CHALLENGE", "EMAIL_OTP")];
    let body = initiate(&pool, &client, auth_params(&client, "alice", &extra))
        .await
        .ok();
    assert_eq!(body["ChallengeName"], "EMAIL_OTP", "{body}");
    let params = &body["ChallengeParameters"];
    assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(params["CODE_DELIVERY_DESTINATION"], "a***@e***");
    let key = session(&body);
    let answer = |code: &str| auth_params(&client, "alice", &[("EMAIL_OTP_CODE", code)]);
    let wrong = respond(&pool, &client, "EMAIL_OTP", Some(&key), answer("00000000")).await;
    wrong.assert_error("CodeMismatchException");
    let right = code(&pool, "alice", true);
    let done = respond(&pool, &client, "EMAIL_OTP", Some(&key), answer(&right)).await;
    let id = claims(tokens(&done.ok())["IdToken"].as_str().unwrap());
    assert_eq!(id["email"], "alice@example.com");
    let reused = respond(&pool, &client, "EMAIL_OTP", Some(&key), answer(&right)).await;
    reused.assert_error("NotAuthorizedException");

    // Three wrong codes end the session; the right one is then refused.
    let body = initiate(&pool, &client, auth_params(&client, "alice", &extra))
        .await
        .ok();
    let key = session(&body);
    for _ in 0..3 {
        let wrong = respond(&pool, &client, "EMAIL_OTP", Some(&key), answer("x")).await;
        wrong.assert_error("CodeMismatchException");
    }
    let right = code(&pool, "alice", true);
    let late = respond(&pool, &client, "EMAIL_OTP", Some(&key), answer(&right)).await;
    late.assert_error("NotAuthorizedException");
    assert_eq!(
        late.message(),
        "Invalid session for the user, session is expired."
    );
}

#[tokio::test]
async fn select_challenge_sms_otp_sends_a_code_to_the_phone() {
    let pool = all_factors().await;
    let client = public(&pool);
    let body = initiate(&pool, &client, auth_params(&client, "bob", &[]))
        .await
        .ok();
    let responses = auth_params(&client, "bob", &[("ANSWER", "SMS_OTP")]);
    let key = session(&body);
    let sent = respond(&pool, &client, "SELECT_CHALLENGE", Some(&key), responses)
        .await
        .ok();
    assert_eq!(sent["ChallengeName"], "SMS_OTP", "{sent}");
    assert_eq!(
        sent["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "SMS"
    );
    assert_eq!(
        sent["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "+*******1234"
    );
    let responses = auth_params(
        &client,
        "bob",
        &[("SMS_OTP_CODE", &code(&pool, "bob", false))],
    );
    let done = respond(&pool, &client, "SMS_OTP", Some(&session(&sent)), responses).await;
    tokens(&done.ok());
}

#[tokio::test]
async fn an_unavailable_or_unknown_preference_falls_back_to_the_choice() {
    let pool = all_factors().await;
    let client = public(&pool);
    for preferred in ["SMS_OTP", "WEB_AUTHN", "BOGUS", ""] {
        let extra = [("PREFERRED_CHALLENGE", preferred)];
        let body = initiate(&pool, &client, auth_params(&client, "alice", &extra))
            .await
            .ok();
        assert_eq!(
            body["ChallengeName"], "SELECT_CHALLENGE",
            "{preferred}: {body}"
        );
    }
    assert!(pool.last_sms_code("alice").is_none(), "no code was sent");
}

#[tokio::test]
async fn a_user_with_one_factor_skips_the_choice() {
    let factors = FirstAuthFactors::password_only()
        .with_password(false)
        .with_email_otp(true);
    let pool = pool_with_factors(factors).await;
    let client = public(&pool);
    let body = initiate(&pool, &client, auth_params(&client, "alice", &[]))
        .await
        .ok();
    assert_eq!(body["ChallengeName"], "EMAIL_OTP", "{body}");
    assert_eq!(body["AvailableChallenges"], json!(["EMAIL_OTP"]));
    // carol (MFA) has no factor left here.
    let reply = initiate(&pool, &client, auth_params(&client, "carol", &[])).await;
    reply.assert_error("NotAuthorizedException");
}

#[tokio::test]
async fn bad_input_is_refused_with_cognitos_errors() {
    let pool = all_factors().await;
    let client = secret(&pool);
    let reply = initiate(&pool, &client, json!({})).await;
    reply.assert_error("InvalidParameterException");
    assert_eq!(reply.message(), "Missing required parameter USERNAME");
    let reply = initiate(&pool, &client, json!({"USERNAME": "alice"})).await;
    reply.assert_error("NotAuthorizedException");
    let reply = initiate(&pool, &client, auth_params(&client, "mallory", &[])).await;
    reply.assert_error("UserNotFoundException");
    for bad in ["zz", "0", "-1"] {
        let extra = [("PREFERRED_CHALLENGE", "PASSWORD_SRP"), ("SRP_A", bad)];
        let reply = initiate(&pool, &client, auth_params(&client, "alice", &extra)).await;
        reply.assert_error("InvalidParameterException");
    }

    let body = initiate(&pool, &client, auth_params(&client, "alice", &[]))
        .await
        .ok();
    let key = session(&body);
    let select = |extra: &[(&str, &str)]| auth_params(&client, "alice", extra);
    // Refusals that keep the session for a corrected answer.
    for (extra, message) in [
        (
            vec![("ANSWER", "SMS_OTP")],
            "Invalid ANSWER: SMS_OTP is not an available challenge for this user.",
        ),
        (
            vec![("ANSWER", "PASSWORD_SRP")],
            "Missing required parameter SRP_A",
        ),
        (
            vec![("ANSWER", "PASSWORD_SRP"), ("SRP_A", "not-hex")],
            "Invalid SRP_A.",
        ),
        (
            vec![("ANSWER", "PASSWORD")],
            "Missing required parameter PASSWORD",
        ),
        (vec![], "Missing required parameter ANSWER"),
    ] {
        let reply = respond(
            &pool,
            &client,
            "SELECT_CHALLENGE",
            Some(&key),
            select(&extra),
        )
        .await;
        reply.assert_error("InvalidParameterException");
        assert_eq!(reply.message(), message);
    }
    let missing = respond(
        &pool,
        &client,
        "SELECT_CHALLENGE",
        None,
        select(&[("ANSWER", "EMAIL_OTP")]),
    )
    .await;
    missing.assert_error("InvalidParameterException");
    let bogus = respond(
        &pool,
        &client,
        "SELECT_CHALLENGE",
        Some("bogus"),
        select(&[("ANSWER", "EMAIL_OTP")]),
    )
    .await;
    bogus.assert_error("NotAuthorizedException");
    let sent = respond(
        &pool,
        &client,
        "SELECT_CHALLENGE",
        Some(&key),
        select(&[("ANSWER", "EMAIL_OTP")]),
    );
    assert_eq!(sent.await.ok()["ChallengeName"], "EMAIL_OTP");
    let reused = respond(
        &pool,
        &client,
        "SELECT_CHALLENGE",
        Some(&key),
        select(&[("ANSWER", "EMAIL_OTP")]),
    )
    .await;
    reused.assert_error("NotAuthorizedException");
    assert_eq!(
        reused.message(),
        "Invalid session for the user, session is expired."
    );

    // A code challenge answered against a choice session, and another user's name.
    let body = initiate(&pool, &client, auth_params(&client, "alice", &[]))
        .await
        .ok();
    let code_answer = select(&[("EMAIL_OTP_CODE", "12345678")]);
    let reply = respond(
        &pool,
        &client,
        "EMAIL_OTP",
        Some(&session(&body)),
        code_answer,
    )
    .await;
    reply.assert_error("NotAuthorizedException");
    let body = initiate(&pool, &client, auth_params(&client, "alice", &[]))
        .await
        .ok();
    let as_bob = auth_params(
        &client,
        "bob",
        &[("ANSWER", "PASSWORD"), ("PASSWORD", PASSWORD)],
    );
    let reply = respond(
        &pool,
        &client,
        "SELECT_CHALLENGE",
        Some(&session(&body)),
        as_bob,
    )
    .await;
    reply.assert_error("NotAuthorizedException");
}

/// boto3 (an independent client) drives `PREFERRED_CHALLENGE=PASSWORD` and
/// `SELECT_CHALLENGE` → `EMAIL_OTP`; the code is handed to it on stdin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_signs_in_with_user_auth() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let pool = all_factors().await;
    let client = secret(&pool);
    let args = json!({
        "endpoint": pool.endpoint(),
        "region": pool.region(),
        "client_id": client.client_id().as_str(),
        "client_secret": client.client_secret().map(|s| s.expose_secret()),
        "username": "alice",
        "password": PASSWORD,
    });
    let mut child = crate::support::python::script_command("boto3_user_auth.py", &args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || -> Value {
        let line = lines.next().expect("a line from the script").unwrap();
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"))
    };
    let password = tokio::task::block_in_place(&mut next);
    assert_eq!(password["step"], "password", "{password}");
    assert_eq!(password["has_tokens"], true, "{password}");
    let asked = tokio::task::block_in_place(&mut next);
    assert_eq!(
        asked["available"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]),
        "{asked}"
    );
    assert_eq!(asked["challenge"], "EMAIL_OTP", "{asked}");
    assert_eq!(asked["medium"], "EMAIL", "{asked}");
    writeln!(stdin, "{}", code(&pool, "alice", true)).unwrap();
    let done = tokio::task::block_in_place(&mut next);
    assert_eq!(done["step"], "email_otp", "{done}");
    assert_eq!(done["has_tokens"], true, "{done}");
    assert_eq!(done["wrong_code_error"], "CodeMismatchException", "{done}");
    assert!(
        tokio::task::block_in_place(|| child.wait())
            .unwrap()
            .success()
    );
}

/// `serve --first-auth-factors` sets the factors and shows them in the ready line.
#[cfg(all(feature = "cli", unix))]
#[test]
fn serve_takes_first_auth_factors() {
    use crate::support::aws_json::call as raw_call;
    use crate::support::serve::Serve;

    let serve = Serve::start(
        env!("CARGO_BIN_EXE_cognito-srp"),
        &[
            "--user",
            "alice:Password1!",
            "--first-auth-factors",
            "password,email-otp",
        ],
    );
    assert_eq!(
        serve.ready["first_auth_factors"],
        json!(["PASSWORD", "EMAIL_OTP"])
    );
    let body = raw_call(
        serve.endpoint(),
        "InitiateAuth",
        &json!({"AuthFlow": "USER_AUTH", "ClientId": serve.public_client_id(), "AuthParameters": {"USERNAME": "alice"}}),
        "",
    );
    // alice has no email: only the password factors.
    assert_eq!(
        body["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP"])
    );
    let default = Serve::start(env!("CARGO_BIN_EXE_cognito-srp"), &[]);
    assert_eq!(default.ready["first_auth_factors"], json!(["PASSWORD"]));
}
