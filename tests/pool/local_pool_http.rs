//! The local pool over real loopback HTTP, driven by the crate's core client
//! types (`SrpClient`/`SrpSession`) and raw AWS JSON 1.1 requests.
#![cfg(feature = "local-pool")]

use std::collections::HashMap;
use std::net::SocketAddr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_srp_auth::SrpStart;
use cognito_srp_auth::local_pool::{
    AppClient, CustomAuthTrigger, DeviceTracking, LocalPool, MfaConfiguration, RunningPool,
    SeedUser, TotpSecret,
};
use cognito_srp_auth::{
    ClientId, CognitoTimestamp, Password, PasswordVerifierChallenge, SrpClient, StartOptions,
    secret_hash,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub(crate) const PASSWORD: &str = "Password1!";

// ---------------------------------------------------------------- HTTP

pub(crate) struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    pub(crate) fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or("")
    }
    pub(crate) fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
    pub(crate) fn ok(self) -> Value {
        assert_eq!(self.status, 200, "unexpected error: {}", self.body);
        self.body
    }
    pub(crate) fn assert_error(&self, code: &str) {
        assert_eq!(self.status, 400, "expected {code}, got {}", self.body);
        assert_eq!(self.error_type(), code, "{}", self.body);
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
async fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let mut request = head.as_bytes().to_vec();
    request.extend_from_slice(body);
    // Written while the answer is read: the server may answer (and close)
    // before it has read a refused body.
    let sending = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        writer
    });
    let mut response = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        reader.read_to_end(&mut response),
    )
    .await;
    assert!(
        read.is_ok(),
        "no complete answer within 30 s to {}",
        head.lines().next().unwrap_or("")
    );
    let _ = read.unwrap();
    sending.abort();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP response");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let lower = head.to_ascii_lowercase();
    if status != 200
        && !lower.contains("content-type: application/x-amz-json-1.1")
        && !lower.contains("application/json")
    {
        panic!("error without JSON content type: {head}");
    }
    let body = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body:?}"));
    Reply { status, body }
}

async fn post_bytes(pool: &RunningPool, target: Option<&str>, body: &[u8]) -> Reply {
    let target = target
        .map(|t| format!("X-Amz-Target: {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.1\r\n{target}Content-Length: {}\r\nConnection: close\r\n\r\n",
        pool.local_addr(),
        body.len()
    );
    raw(pool.local_addr(), &head, body).await
}

pub(crate) async fn call(pool: &RunningPool, operation: &str, body: Value) -> Reply {
    let target = format!("AWSCognitoIdentityProviderService.{operation}");
    post_bytes(pool, Some(&target), body.to_string().as_bytes()).await
}

// ---------------------------------------------------------------- pools and logins

pub(crate) async fn pool_with(users: Vec<SeedUser>, mfa: MfaConfiguration) -> RunningPool {
    let mut builder = LocalPool::builder().mfa(mfa);
    for user in users {
        builder = builder.user(user);
    }
    builder.start().await.unwrap()
}

pub(crate) fn alice() -> SeedUser {
    SeedUser::new("alice", Password::new(PASSWORD)).attribute("email", "alice@example.com")
}

fn srp_client(pool: &RunningPool, client: &AppClient) -> SrpClient {
    let srp = SrpClient::new(pool.user_pool_id().clone(), client.client_id().clone());
    match client.client_secret() {
        Some(secret) => srp.with_client_secret(secret.clone()),
        None => srp,
    }
}

pub(crate) fn map(value: &Value) -> HashMap<String, String> {
    serde_json::from_value(value.clone()).unwrap()
}

/// InitiateAuth(USER_SRP_AUTH) → the challenge parameters and the session.
pub(crate) async fn initiate(
    pool: &RunningPool,
    client: &AppClient,
    username: &str,
    password: &str,
    options: StartOptions,
) -> (Reply, Option<cognito_srp_auth::SrpSession>) {
    let srp = srp_client(pool, client);
    let SrpStart {
        parameters: params,
        session,
        ..
    } = srp
        .start_with_rng(
            username,
            Password::new(password),
            &options,
            &mut getrandom::SysRng,
        )
        .unwrap();
    let flow = if options == StartOptions::default() {
        "USER_SRP_AUTH"
    } else {
        "CUSTOM_AUTH"
    };
    let reply = call(
        pool,
        "InitiateAuth",
        json!({"AuthFlow": flow, "ClientId": client.client_id().as_str(), "AuthParameters": params.to_map()}),
    )
    .await;
    (reply, Some(session))
}

/// The PASSWORD_VERIFIER answer the core computes.
pub(crate) fn answer(
    reply_body: &Value,
    session: cognito_srp_auth::SrpSession,
    timestamp: &CognitoTimestamp,
) -> HashMap<String, String> {
    let params = map(&reply_body["ChallengeParameters"]);
    let challenge = PasswordVerifierChallenge::from_parameters(&params).unwrap();
    session
        .respond(&challenge, timestamp)
        .unwrap()
        .to_map()
        .into_iter()
        .collect()
}

pub(crate) async fn respond(
    pool: &RunningPool,
    client: &AppClient,
    name: &str,
    session: Option<&str>,
    responses: &HashMap<String, String>,
) -> Reply {
    let mut body = json!({
        "ChallengeName": name,
        "ClientId": client.client_id().as_str(),
        "ChallengeResponses": responses,
    });
    if let Some(session) = session {
        body["Session"] = json!(session);
    }
    call(pool, "RespondToAuthChallenge", body).await
}

/// A whole SRP login; the reply of RespondToAuthChallenge.
pub(crate) async fn login(
    pool: &RunningPool,
    client: &AppClient,
    username: &str,
    password: &str,
) -> Reply {
    let (reply, session) =
        initiate(pool, client, username, password, StartOptions::default()).await;
    if reply.status != 200 {
        return reply;
    }
    assert_eq!(reply.body["ChallengeName"], "PASSWORD_VERIFIER");
    assert!(
        reply.body.get("Session").is_none(),
        "PASSWORD_VERIFIER comes without a Session"
    );
    let responses = answer(&reply.body, session.unwrap(), &CognitoTimestamp::now());
    respond(pool, client, "PASSWORD_VERIFIER", None, &responses).await
}

pub(crate) fn public(pool: &RunningPool) -> AppClient {
    pool.public_client().unwrap().clone()
}

pub(crate) fn secret(pool: &RunningPool) -> AppClient {
    pool.secret_client().unwrap().clone()
}

pub(crate) fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub(crate) fn tokens(body: &Value) -> &Value {
    let result = &body["AuthenticationResult"];
    assert!(
        result["IdToken"].is_string() && result["AccessToken"].is_string(),
        "no tokens: {body}"
    );
    result
}

use crate::support::totp::{TotpSteps, totp};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

// ---------------------------------------------------------------- tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp_login_returns_signed_cognito_tokens() {
    let pool = pool_with(vec![alice()], MfaConfiguration::Optional).await;
    let client = public(&pool);
    let body = login(&pool, &client, "alice", PASSWORD).await.ok();
    let result = tokens(&body);
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    let sub = pool.user_sub("alice").unwrap();
    let id = claims(result["IdToken"].as_str().unwrap());
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["aud"], client.client_id().as_str());
    assert_eq!(id["token_use"], "id");
    // No username attributes: the internal user name is the user name.
    assert_eq!(id["cognito:username"], "alice");
    let access_claims = claims(result["AccessToken"].as_str().unwrap());
    assert_eq!(access_claims["username"], "alice");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["iss"], pool.issuer());
    assert!(id["exp"].as_i64().unwrap() > now() && id["auth_time"].as_i64().unwrap() <= now());
    let access = claims(result["AccessToken"].as_str().unwrap());
    assert_eq!(access["client_id"], client.client_id().as_str());
    assert_eq!(access["token_use"], "access");

    // The JWKS verifies both tokens, signed with different keys (as Cognito's).
    let path = format!("/{}/.well-known/jwks.json", pool.user_pool_id());
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        pool.local_addr()
    );
    let jwks = raw(pool.local_addr(), &head, b"").await.ok();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    let mut kids = Vec::new();
    for token in [&result["IdToken"], &result["AccessToken"]] {
        let token = token.as_str().unwrap();
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        let key = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|key| key["kid"] == header["kid"])
            .expect("the token's kid is in the JWKS");
        assert_eq!(key["alg"], "RS256");
        kids.push(header["kid"].clone());
        let decode = |field: &str| {
            URL_SAFE_NO_PAD
                .decode(key[field].as_str().unwrap())
                .unwrap()
        };
        let public_key = rsa::PublicKey::new(
            rsa::BoxedUint::from_be_slice_vartime(&decode("n")),
            rsa::BoxedUint::from_be_slice_vartime(&decode("e")),
        )
        .unwrap();
        let verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(public_key);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature = rsa::pkcs1v15::Signature::try_from(
            URL_SAFE_NO_PAD.decode(signature).unwrap().as_slice(),
        )
        .unwrap();
        rsa::signature::Verifier::verify(&verifier, input.as_bytes(), &signature)
            .expect("RS256 signature");
    }
    assert_ne!(kids[0], kids[1], "ID and access tokens share a key");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_are_refused() {
    let pool = pool_with(vec![alice()], MfaConfiguration::Optional).await;
    let client = public(&pool);
    let reply = login(&pool, &client, "alice", "Password2!").await;
    reply.assert_error("NotAuthorizedException");
    assert_eq!(reply.message(), "Incorrect username or password.");
    login(&pool, &client, "bob", PASSWORD)
        .await
        .assert_error("UserNotFoundException");
    let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "nosuchclient", "AuthParameters": {"USERNAME": "alice", "SRP_A": "02"}});
    call(&pool, "InitiateAuth", body)
        .await
        .assert_error("ResourceNotFoundException");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_client_requires_the_right_secret_hash() {
    let pool = pool_with(vec![alice()], MfaConfiguration::Optional).await;
    let with_secret = secret(&pool);
    tokens(&login(&pool, &with_secret, "alice", PASSWORD).await.ok());
    // The same client id used without its secret: no SECRET_HASH.
    let without = AppClient::new(with_secret.client_id().clone(), None);
    let reply = login(&pool, &without, "alice", PASSWORD).await;
    reply.assert_error("NotAuthorizedException");
    assert!(reply.message().contains("secret"), "{}", reply.message());
    // A wrong secret.
    let wrong = AppClient::new(
        with_secret.client_id().clone(),
        Some("not-the-secret".into()),
    );
    let reply = login(&pool, &wrong, "alice", PASSWORD).await;
    reply.assert_error("NotAuthorizedException");
    assert!(
        reply.message().starts_with("Unable to verify secret hash"),
        "{}",
        reply.message()
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alias_signs_in_but_the_proof_uses_user_id_for_srp() {
    let pool = pool_with(vec![alice()], MfaConfiguration::Optional).await;
    let user_id = pool.internal_username("alice").unwrap();
    for client in [public(&pool), secret(&pool)] {
        // Signing in with the email alias: USER_ID_FOR_SRP is the user name, and the core uses it.
        let (reply, session) = initiate(
            &pool,
            &client,
            "alice@example.com",
            PASSWORD,
            StartOptions::default(),
        )
        .await;
        let body = reply.ok();
        assert_eq!(
            body["ChallengeParameters"]["USER_ID_FOR_SRP"],
            user_id.as_str()
        );
        assert_eq!(body["ChallengeParameters"]["USERNAME"], user_id.as_str());
        let responses = answer(&body, session.unwrap(), &CognitoTimestamp::now());
        assert_eq!(responses["USERNAME"], user_id);
        tokens(
            &respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
                .await
                .ok(),
        );

        // A client that signs with the alias instead of USER_ID_FOR_SRP is refused.
        let (reply, session) = initiate(
            &pool,
            &client,
            "alice@example.com",
            PASSWORD,
            StartOptions::default(),
        )
        .await;
        let body = reply.ok();
        let p = map(&body["ChallengeParameters"]);
        let wrong = PasswordVerifierChallenge::new(
            &p["SRP_B"],
            &p["SALT"],
            &p["SECRET_BLOCK"],
            "alice@example.com",
        )
        .unwrap();
        let mut responses: HashMap<String, String> = session
            .unwrap()
            .respond(&wrong, &CognitoTimestamp::now())
            .unwrap()
            .to_map()
            .into_iter()
            .collect();
        let reply = respond(
            &pool,
            &client,
            "PASSWORD_VERIFIER",
            None,
            &responses.clone(),
        )
        .await;
        reply.assert_error("NotAuthorizedException");

        // With a secret: SECRET_HASH over the alias on RespondToAuthChallenge is refused.
        if let Some(client_secret) = client.client_secret() {
            let (reply, session) = initiate(
                &pool,
                &client,
                "alice@example.com",
                PASSWORD,
                StartOptions::default(),
            )
            .await;
            responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
            responses.insert(
                "SECRET_HASH".into(),
                secret_hash(client_secret, "alice@example.com", client.client_id()),
            );
            let reply = respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses).await;
            reply.assert_error("NotAuthorizedException");
            assert!(reply.message().starts_with("Unable to verify secret hash"));
        }
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_created_user_must_set_a_new_password() {
    let pool = pool_with(vec![], MfaConfiguration::Optional).await;
    let id = pool.user_pool_id().as_str().to_owned();
    let created = call(
        &pool,
        "AdminCreateUser",
        json!({
            "UserPoolId": id, "Username": "carol", "TemporaryPassword": "Temp-pass1",
            "UserAttributes": [
                {"Name": "email", "Value": "carol@example.com"},
                {"Name": "email_verified", "Value": "true"}
            ]
        }),
    )
    .await
    .ok();
    assert_eq!(created["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let user_id = created["User"]["Username"].as_str().unwrap().to_owned();
    call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "carol"}),
    )
    .await
    .assert_error("UsernameExistsException");
    call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": "us-east-1_nope", "Username": "carol"}),
    )
    .await
    .assert_error("ResourceNotFoundException");

    for client in [public(&pool), secret(&pool)] {
        let reply = login(&pool, &client, "carol", "Temp-pass1").await.ok();
        assert_eq!(reply["ChallengeName"], "NEW_PASSWORD_REQUIRED");
        // userAttributes as Cognito sends them: `*_verified` included (the
        // SDK docs tell apps to drop them before answering), `sub` not.
        let attributes: Value = serde_json::from_str(
            reply["ChallengeParameters"]["userAttributes"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(attributes["email"], "carol@example.com");
        assert_eq!(attributes["email_verified"], "true");
        assert!(attributes.get("sub").is_none());
        let session = reply["Session"].as_str().unwrap().to_owned();
        assert_eq!(
            reply["ChallengeParameters"]["USER_ID_FOR_SRP"],
            user_id.as_str()
        );
        let mut responses = HashMap::from([
            ("USERNAME".to_owned(), user_id.clone()),
            ("NEW_PASSWORD".to_owned(), "short".to_owned()),
        ]);
        if let Some(client_secret) = client.client_secret() {
            responses.insert(
                "SECRET_HASH".into(),
                secret_hash(client_secret, &user_id, client.client_id()),
            );
        }
        // Too short: refused, and the session can be answered again.
        respond(
            &pool,
            &client,
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            &responses,
        )
        .await
        .assert_error("InvalidPasswordException");
        let new_password = if client.client_secret().is_some() {
            "Final-pass2"
        } else {
            "Second-pass1"
        };
        responses.insert("NEW_PASSWORD".into(), new_password.into());
        tokens(
            &respond(
                &pool,
                &client,
                "NEW_PASSWORD_REQUIRED",
                Some(&session),
                &responses,
            )
            .await
            .ok(),
        );
        // The session is spent.
        respond(
            &pool,
            &client,
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            &responses,
        )
        .await
        .assert_error("NotAuthorizedException");
        let user = call(
            &pool,
            "AdminGetUser",
            json!({"UserPoolId": id, "Username": "carol@example.com"}),
        )
        .await
        .ok();
        assert_eq!(user["UserStatus"], "CONFIRMED");
        tokens(&login(&pool, &client, "carol", new_password).await.ok());
        // Back to a temporary password for the second client.
        call(&pool, "AdminSetUserPassword", json!({"UserPoolId": id, "Username": "carol", "Password": "Temp-pass1", "Permanent": false})).await.ok();
    }
    call(
        &pool,
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "carol", "Password": "Perm-pass9", "Permanent": true}),
    )
    .await
    .ok();
    tokens(
        &login(&pool, &public(&pool), "carol", "Perm-pass9")
            .await
            .ok(),
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_mfa_with_codes_computed_here() {
    let secret_bytes = b"0123456789abcdef0123";
    let totp_secret = TotpSecret::from_bytes(secret_bytes);
    let base32 = totp_secret.expose_base32().to_string();
    let user = alice().totp_secret(totp_secret);
    let pool = pool_with(vec![user], MfaConfiguration::Optional).await;
    let client = secret(&pool);
    let user_id = pool.internal_username("alice").unwrap();
    let reply = login(&pool, &client, "alice", PASSWORD).await.ok();
    assert_eq!(reply["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let session = reply["Session"].as_str().unwrap().to_owned();
    let hash = secret_hash(
        client.client_secret().unwrap(),
        &user_id,
        client.client_id(),
    );
    let good = totp(&base32, now());
    let bad = format!("{:06}", (good.parse::<u32>().unwrap() + 1) % 1_000_000);
    let mut responses = HashMap::from([
        ("USERNAME".to_owned(), user_id.clone()),
        ("SOFTWARE_TOKEN_MFA_CODE".to_owned(), bad),
        ("SECRET_HASH".to_owned(), hash),
    ]);
    respond(
        &pool,
        &client,
        "SOFTWARE_TOKEN_MFA",
        Some(&session),
        &responses,
    )
    .await
    .assert_error("CodeMismatchException");
    responses.insert("SOFTWARE_TOKEN_MFA_CODE".into(), totp(&base32, now()));
    let body = respond(
        &pool,
        &client,
        "SOFTWARE_TOKEN_MFA",
        Some(&session),
        &responses,
    )
    .await
    .ok();
    tokens(&body);
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_setup_then_totp_sign_in() {
    let pool = pool_with(vec![alice()], MfaConfiguration::On).await;
    let client = public(&pool);
    let user_id = pool.internal_username("alice").unwrap();
    let reply = login(&pool, &client, "alice", PASSWORD).await.ok();
    assert_eq!(reply["ChallengeName"], "MFA_SETUP");
    assert!(
        reply["ChallengeParameters"]["MFAS_CAN_SETUP"]
            .as_str()
            .unwrap()
            .contains("SOFTWARE_TOKEN_MFA")
    );
    let responses = HashMap::from([("USERNAME".to_owned(), user_id.clone())]);
    let session = reply["Session"].as_str().unwrap();
    let associated = call(&pool, "AssociateSoftwareToken", json!({"Session": session}))
        .await
        .ok();
    let code = associated["SecretCode"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 52);
    // The set-up code is spent too: the sign-in below needs a later step.
    let steps = TotpSteps::new(&code);
    let session = associated["Session"].as_str().unwrap();
    call(
        &pool,
        "VerifySoftwareToken",
        json!({"Session": session, "UserCode": "000000x"}),
    )
    .await
    .assert_error("EnableSoftwareTokenMFAException");
    let setup_code = steps.next().await;
    let verified = call(
        &pool,
        "VerifySoftwareToken",
        json!({"Session": session, "UserCode": setup_code}),
    )
    .await
    .ok();
    assert_eq!(verified["Status"], "SUCCESS");
    let session = verified["Session"].as_str().unwrap();
    // The same code again, in the session that follows: spent.
    call(
        &pool,
        "VerifySoftwareToken",
        json!({"Session": session, "UserCode": setup_code}),
    )
    .await
    .assert_error("EnableSoftwareTokenMFAException");
    tokens(
        &respond(&pool, &client, "MFA_SETUP", Some(session), &responses)
            .await
            .ok(),
    );

    let user = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool.user_pool_id().as_str(), "Username": "alice"}),
    )
    .await
    .ok();
    assert_eq!(user["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    let reply = login(&pool, &client, "alice", PASSWORD).await.ok();
    assert_eq!(reply["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let mut responses = responses;
    responses.insert("SOFTWARE_TOKEN_MFA_CODE".into(), steps.next().await);
    tokens(
        &respond(
            &pool,
            &client,
            "SOFTWARE_TOKEN_MFA",
            reply["Session"].as_str(),
            &responses,
        )
        .await
        .ok(),
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_setup_with_access_token_and_sms_selection() {
    let user = alice().attribute("phone_number", "+15555550123").sms_mfa();
    let pool = pool_with(vec![user], MfaConfiguration::Optional).await;
    let client = public(&pool);
    let user_id = pool.internal_username("alice").unwrap();
    // SMS only: SMS_MFA with the code from the pool's log/outbox.
    let reply = login(&pool, &client, "alice", PASSWORD).await.ok();
    assert_eq!(reply["ChallengeName"], "SMS_MFA");
    assert_eq!(
        reply["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "+*******0123"
    );
    let code = pool.last_sms_code("alice").unwrap().to_string();
    let responses = HashMap::from([
        ("USERNAME".to_owned(), user_id.clone()),
        ("SMS_MFA_CODE".to_owned(), code),
    ]);
    let body = respond(
        &pool,
        &client,
        "SMS_MFA",
        reply["Session"].as_str(),
        &responses,
    )
    .await
    .ok();
    let access = tokens(&body)["AccessToken"].as_str().unwrap().to_owned();

    // Enabling TOTP before it is verified is refused; then associate + verify + enable.
    let prefs = json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true}});
    call(&pool, "SetUserMFAPreference", prefs.clone())
        .await
        .assert_error("InvalidParameterException");
    let secret_code = call(
        &pool,
        "AssociateSoftwareToken",
        json!({"AccessToken": access}),
    )
    .await
    .ok()["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let steps = TotpSteps::new(&secret_code);
    let verified = call(
        &pool,
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": steps.next().await}),
    )
    .await
    .ok();
    assert_eq!(verified["Status"], "SUCCESS");
    call(&pool, "SetUserMFAPreference", prefs).await.ok();
    call(
        &pool,
        "SetUserMFAPreference",
        json!({"AccessToken": "forged", "SMSMfaSettings": {"Enabled": false}}),
    )
    .await
    .assert_error("NotAuthorizedException");

    // Both enabled, none preferred: SELECT_MFA_TYPE.
    call(
        &pool,
        "AdminSetUserMFAPreference",
        json!({
            "UserPoolId": pool.user_pool_id().as_str(), "Username": "alice",
            "SMSMfaSettings": {"Enabled": true, "PreferredMfa": false},
            "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": false}
        }),
    )
    .await
    .ok();
    let reply = login(&pool, &client, "alice", PASSWORD).await.ok();
    assert_eq!(reply["ChallengeName"], "SELECT_MFA_TYPE");
    let select = HashMap::from([
        ("USERNAME".to_owned(), user_id.clone()),
        ("ANSWER".to_owned(), "SOFTWARE_TOKEN_MFA".to_owned()),
    ]);
    let reply = respond(
        &pool,
        &client,
        "SELECT_MFA_TYPE",
        reply["Session"].as_str(),
        &select,
    )
    .await
    .ok();
    assert_eq!(reply["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let responses = HashMap::from([
        ("USERNAME".to_owned(), user_id),
        ("SOFTWARE_TOKEN_MFA_CODE".to_owned(), steps.next().await),
    ]);
    tokens(
        &respond(
            &pool,
            &client,
            "SOFTWARE_TOKEN_MFA",
            reply["Session"].as_str(),
            &responses,
        )
        .await
        .ok(),
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_without_rotation_keeps_the_refresh_token() {
    // Without device tracking: these raw sign-ins confirm no device.
    let pool = LocalPool::builder()
        .user(alice())
        .device_tracking(DeviceTracking::Off)
        .start()
        .await
        .unwrap();
    for client in [public(&pool), secret(&pool)] {
        let user_id = pool.internal_username("alice").unwrap();
        let first = login(&pool, &client, "alice", PASSWORD).await.ok();
        let refresh = tokens(&first)["RefreshToken"].as_str().unwrap().to_owned();
        let mut params = json!({"REFRESH_TOKEN": refresh});
        if let Some(client_secret) = client.client_secret() {
            // Without SECRET_HASH: refused.
            let body = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": params});
            call(&pool, "InitiateAuth", body)
                .await
                .assert_error("NotAuthorizedException");
            params["SECRET_HASH"] = json!(secret_hash(client_secret, &user_id, client.client_id()));
        }
        // REFRESH_TOKEN_AUTH and REFRESH_TOKEN, twice each: ID and access
        // tokens only, the same refresh token working every time, the sign-in's
        // auth_time and token family kept.
        for flow in ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "REFRESH_TOKEN_AUTH"] {
            let body = json!({"AuthFlow": flow, "ClientId": client.client_id().as_str(), "AuthParameters": params});
            let reply = call(&pool, "InitiateAuth", body).await.ok();
            let result = tokens(&reply);
            assert!(result.get("RefreshToken").is_none(), "{flow}: {result}");
            let (now, then) = (
                claims(result["AccessToken"].as_str().unwrap()),
                claims(tokens(&first)["AccessToken"].as_str().unwrap()),
            );
            assert_eq!(now["auth_time"], then["auth_time"]);
            assert_eq!(now["origin_jti"], then["origin_jti"]);
        }
        // GetTokensFromRefreshToken on the same client: no rotation either.
        let mut body = json!({"ClientId": client.client_id().as_str(), "RefreshToken": refresh});
        if let Some(secret) = client.client_secret() {
            body["ClientSecret"] = json!(secret.expose_secret());
        }
        let reply = call(&pool, "GetTokensFromRefreshToken", body).await.ok();
        assert!(tokens(&reply).get("RefreshToken").is_none());
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_secret_block_and_bad_timestamps_are_refused() {
    let pool = pool_with(vec![alice()], MfaConfiguration::Optional).await;
    let client = public(&pool);
    let (reply, session) =
        initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    let responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
    tokens(
        &respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
            .await
            .ok(),
    );
    let replay = respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses).await;
    replay.assert_error("NotAuthorizedException");

    // Stale: correctly signed, ten minutes old.
    let stale = CognitoTimestamp::from(chrono::Utc::now() - chrono::TimeDelta::minutes(10));
    let (reply, session) =
        initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    let responses = answer(&reply.ok(), session.unwrap(), &stale);
    respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
        .await
        .assert_error("NotAuthorizedException");

    // A zero-padded day is a wrong claim (NotAuthorizedException, as
    // Cognito answers); another zone or lower case: InvalidParameterException.
    for (bad, code) in [
        ("Mon Feb 02 07:08:09 UTC 2026", "NotAuthorizedException"),
        ("Mon Feb 2 07:08:09 GMT 2026", "InvalidParameterException"),
        ("mon feb 2 07:08:09 UTC 2026", "InvalidParameterException"),
    ] {
        let (reply, session) =
            initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
        let mut responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
        responses.insert("TIMESTAMP".into(), bad.into());
        respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
            .await
            .assert_error(code);
    }
    // A block is bound to its client.
    let (reply, session) =
        initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    let responses = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
    let other = AppClient::new(secret(&pool).client_id().clone(), None);
    let mut other_responses = responses.clone();
    other_responses.insert(
        "SECRET_HASH".into(),
        secret_hash(
            secret(&pool).client_secret().unwrap(),
            &responses["USERNAME"],
            other.client_id(),
        ),
    );
    respond(&pool, &other, "PASSWORD_VERIFIER", None, &other_responses)
        .await
        .assert_error("NotAuthorizedException");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_auth_with_srp_a_and_user_password_auth() {
    // CUSTOM_AUTH needs a (modelled) Define Auth Challenge trigger.
    let pool = LocalPool::builder()
        .user(alice())
        .custom_auth_trigger(CustomAuthTrigger::SrpThenTokens)
        .start()
        .await
        .unwrap();
    let client = public(&pool);
    let (reply, session) = initiate(
        &pool,
        &client,
        "alice",
        PASSWORD,
        StartOptions::default().custom_auth(),
    )
    .await;
    let body = reply.ok();
    assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
    let responses = answer(&body, session.unwrap(), &CognitoTimestamp::now());
    tokens(
        &respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
            .await
            .ok(),
    );
    let custom = json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"USERNAME": "alice"}});
    call(&pool, "InitiateAuth", custom)
        .await
        .assert_error("InvalidParameterException");

    let plain = |password: &str| json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"USERNAME": "alice", "PASSWORD": password}});
    tokens(&call(&pool, "InitiateAuth", plain(PASSWORD)).await.ok());
    call(&pool, "InitiateAuth", plain("Password2!"))
        .await
        .assert_error("NotAuthorizedException");
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_aws_errors_while_logins_continue() {
    let pool = pool_with(vec![alice()], MfaConfiguration::Optional).await;
    let client = public(&pool);
    let target = Some("AWSCognitoIdentityProviderService.InitiateAuth");
    let reply = post_bytes(&pool, target, b"{not json").await;
    reply.assert_error("SerializationException");
    post_bytes(
        &pool,
        target,
        br#"{"ClientId": 5, "AuthFlow": "USER_SRP_AUTH"}"#,
    )
    .await
    .assert_error("SerializationException");
    post_bytes(
        &pool,
        target,
        br#"{"ClientId": "x", "AuthParameters": ["a"]}"#,
    )
    .await
    .assert_error("SerializationException");
    post_bytes(&pool, target, b"{}")
        .await
        .assert_error("InvalidParameterException");
    post_bytes(
        &pool,
        Some("AWSCognitoIdentityProviderService.DeleteUserPool"),
        b"{}",
    )
    .await
    .assert_error("UnknownOperationException");
    post_bytes(&pool, Some("SomethingElse"), b"{}")
        .await
        .assert_error("UnknownOperationException");
    post_bytes(&pool, None, b"{}")
        .await
        .assert_error("UnknownOperationException");
    let srp_a = |a: &str| json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"USERNAME": "alice", "SRP_A": a}});
    for bad in ["0", "zz", "-5", &"f".repeat(5000)] {
        call(&pool, "InitiateAuth", srp_a(bad))
            .await
            .assert_error("InvalidParameterException");
    }
    let n_hex = cognito_srp_auth::math::N_HEX;
    call(&pool, "InitiateAuth", srp_a(n_hex))
        .await
        .assert_error("InvalidParameterException");
    let garbage_answer = HashMap::from([
        ("USERNAME".to_owned(), "alice".to_owned()),
        ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), "AAAA".to_owned()),
        ("PASSWORD_CLAIM_SIGNATURE".to_owned(), "\u{0}".to_owned()),
        ("TIMESTAMP".to_owned(), "x".to_owned()),
    ]);
    respond(&pool, &client, "PASSWORD_VERIFIER", None, &garbage_answer)
        .await
        .assert_error("NotAuthorizedException");

    // A body over 1 MiB (announced): refused without reading it all.
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        pool.local_addr(),
        2 * 1024 * 1024
    );
    let reply = raw(pool.local_addr(), &head, b"{\"ClientId\": \"").await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_type(), "RequestEntityTooLargeException");
    // A body just over 1 MiB, sent in full.
    let big = format!("{{\"ClientId\": \"{}\"}}", "a".repeat(1024 * 1024));
    let reply = post_bytes(&pool, target, big.as_bytes()).await;
    assert_eq!(reply.status, 413, "{}", reply.body);

    // Other paths and methods.
    let head = format!(
        "GET /nothing HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        pool.local_addr()
    );
    assert_eq!(raw(pool.local_addr(), &head, b"").await.status, 404);

    // Still serving.
    for _ in 0..3 {
        tokens(&login(&pool, &client, "alice", PASSWORD).await.ok());
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_logins_from_tasks() {
    let pool = std::sync::Arc::new(pool_with(vec![alice()], MfaConfiguration::Optional).await);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let client = if i % 2 == 0 {
                public(&pool)
            } else {
                secret(&pool)
            };
            login(&pool, &client, "alice", PASSWORD).await.ok()
        }));
    }
    for task in tasks {
        tokens(&task.await.unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_non_loopback_unless_allowed() {
    let error = LocalPool::builder()
        .listen("0.0.0.0:0".parse().unwrap())
        .start()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("non-loopback"), "{error}");
    let pool = LocalPool::builder()
        .client(AppClient::new(ClientId::new("fixedclient").unwrap(), None))
        .start()
        .await
        .unwrap();
    assert_eq!(pool.clients().len(), 1);
    assert!(pool.endpoint().starts_with("http://127.0.0.1:"));
    pool.shutdown().await.unwrap();
}

#[test]
fn debug_output_never_shows_secrets() {
    let seed = alice().totp_secret(TotpSecret::from_bytes(b"supersecretkeybytes!"));
    let text = format!("{seed:?}");
    assert!(
        !text.contains(PASSWORD) && text.contains("[redacted]"),
        "{text}"
    );
    let client = AppClient::new(
        ClientId::new("c").unwrap(),
        Some("the-client-secret".into()),
    );
    assert!(!format!("{client:?}").contains("the-client-secret"));
}

/// A benchmark, not a timed test: `cargo test --release --features local-pool
/// --test local_pool_http -- --ignored --nocapture logins_per_second`.
/// Prints end-to-end SRP logins per second over loopback (client and server on
/// the same machine, so both sides' arithmetic share the cores) and the
/// server-side cost of one login (B, then S and the signature check).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark"]
async fn logins_per_second() {
    use cognito_srp_auth::{PasswordVerifier, ServerChallenge};
    use std::time::{Duration, Instant};

    let pool = std::sync::Arc::new(pool_with(vec![alice()], MfaConfiguration::Optional).await);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let run_for = Duration::from_secs(10);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let client = public(&pool);
            let mut count = 0u32;
            while start.elapsed() < run_for {
                tokens(&login(&pool, &client, "alice", PASSWORD).await.ok());
                count += 1;
            }
            count
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "end to end: {total} logins in {elapsed:.1} s with {workers} concurrent clients = {:.1} logins/s",
        f64::from(total) / elapsed
    );

    let verifier = PasswordVerifier::create("Pool", "user", &Password::new(PASSWORD)).unwrap();
    let a = cognito_srp_auth::math::SrpInteger::from_be_bytes(&[7u8; 384]);
    let rounds = 50;
    let start = Instant::now();
    for _ in 0..rounds {
        let server = ServerChallenge::start(&verifier).unwrap();
        server.accept(&a).unwrap().premaster_secret().unwrap();
    }
    let per_login = start.elapsed().as_secs_f64() / f64::from(rounds);
    println!(
        "server side: {:.2} ms per login (B + S) on one core = {:.0} logins/s per core",
        per_login * 1e3,
        1.0 / per_login
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_sign_ins_are_bounded_and_blocks_bound_to_their_user() {
    let mut limits = cognito_srp_auth::local_pool::Limits::default();
    limits.max_pending_sign_ins = 2;
    let bob = SeedUser::new("bob", Password::new("Password9!"));
    let pool = LocalPool::builder()
        .user(alice())
        .user(bob)
        .limits(limits)
        .start()
        .await
        .unwrap();
    let client = public(&pool);
    let (first, session) =
        initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    let mut responses = answer(&first.ok(), session.unwrap(), &CognitoTimestamp::now());
    let (second, _) = initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    second.ok();
    let (third, _) = initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    third.assert_error("TooManyRequestsException");
    // Alice's block answered in Bob's name: refused (and spent).
    responses.insert("USERNAME".into(), pool.user_sub("bob").unwrap());
    respond(&pool, &client, "PASSWORD_VERIFIER", None, &responses)
        .await
        .assert_error("NotAuthorizedException");
    tokens(&login(&pool, &client, "bob", "Password9!").await.ok());
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_lock_one_user_out_for_a_while() {
    use std::time::{Duration, Instant};
    const BASE: Duration = Duration::from_millis(500);
    let mut limits = cognito_srp_auth::local_pool::Limits::default();
    assert_eq!(limits.max_failed_attempts, 5);
    limits.lockout_base = BASE;
    let bob = SeedUser::new("bob", Password::new("Password9!"));
    let pool = LocalPool::builder()
        .user(alice())
        .user(bob)
        .limits(limits)
        .start()
        .await
        .unwrap();
    let client = public(&pool);
    let exceeded = |reply: Reply| {
        reply.assert_error("NotAuthorizedException");
        assert_eq!(reply.message(), "Password attempts exceeded");
    };
    let incorrect = |reply: Reply| {
        reply.assert_error("NotAuthorizedException");
        assert_eq!(reply.message(), "Incorrect username or password.");
    };
    let plain = |password: &str| json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": {"USERNAME": "alice", "PASSWORD": password}});
    let bystander = async || tokens(&login(&pool, &client, "bob", "Password9!").await.ok()).clone();

    // Four wrong passwords (SRP proofs and USER_PASSWORD_AUTH both count):
    // refused as wrong, not locked.
    for _ in 0..3 {
        incorrect(login(&pool, &client, "alice", "Password2!").await);
    }
    incorrect(call(&pool, "InitiateAuth", plain("Password2!")).await);
    bystander().await;
    // Prepared before the lock: a right-password SECRET_BLOCK and its answer,
    // and the client side of another right-password InitiateAuth.
    let (reply, session) =
        initiate(&pool, &client, "alice", PASSWORD, StartOptions::default()).await;
    let prepared = answer(&reply.ok(), session.unwrap(), &CognitoTimestamp::now());
    assert_eq!(pool.pending_sign_ins(), 1);
    let SrpStart {
        parameters: params,
        session: _session,
        ..
    } = srp_client(&pool, &client)
        .start_with_rng(
            "alice",
            Password::new(PASSWORD),
            &StartOptions::default(),
            &mut getrandom::SysRng,
        )
        .unwrap();
    let srp_start = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client.client_id().as_str(), "AuthParameters": params.to_map()});

    // The fifth wrong password locks Alice out.
    incorrect(login(&pool, &client, "alice", "Password2!").await);
    let locked_at = Instant::now();
    // Locked: the right password is refused at PASSWORD_VERIFIER (the block
    // is spent, the proof not checked), at InitiateAuth (no SECRET_BLOCK is
    // issued) and with USER_PASSWORD_AUTH.
    exceeded(respond(&pool, &client, "PASSWORD_VERIFIER", None, &prepared).await);
    exceeded(call(&pool, "InitiateAuth", srp_start.clone()).await);
    exceeded(call(&pool, "InitiateAuth", plain(PASSWORD)).await);
    assert_eq!(pool.pending_sign_ins(), 0, "nothing left pending");
    assert!(
        locked_at.elapsed() < BASE,
        "the machine is too slow for this test's timing"
    );
    // Bob is unaffected meanwhile.
    bystander().await;

    // The lock expires…
    tokio::time::sleep(BASE.saturating_sub(locked_at.elapsed()) + Duration::from_millis(100)).await;
    // …but the count does not: the sixth wrong password locks again, for twice as long.
    incorrect(login(&pool, &client, "alice", "Password2!").await);
    let locked_at = Instant::now();
    exceeded(call(&pool, "InitiateAuth", plain(PASSWORD)).await);
    bystander().await;
    tokio::time::sleep(BASE * 2 + Duration::from_millis(100)).await;
    assert!(locked_at.elapsed() > BASE * 2);
    // Expired: the right password signs in and resets the count.
    tokens(&login(&pool, &client, "alice", PASSWORD).await.ok());
    for _ in 0..4 {
        incorrect(login(&pool, &client, "alice", "Password2!").await);
    }
    tokens(&call(&pool, "InitiateAuth", plain(PASSWORD)).await.ok());
    bystander().await;
    assert_eq!(pool.pending_sign_ins(), 0);
    assert_eq!(pool.pending_sessions(), 0);

    // The same figures over HTTP (a local-pool extension, loopback only).
    let head = format!(
        "GET /_local/stats HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        pool.local_addr()
    );
    let stats = raw(pool.local_addr(), &head, b"").await.ok();
    assert_eq!(stats["pending_sign_ins"], 0, "{stats}");
    assert_eq!(stats["sessions"], 0, "{stats}");
    assert_eq!(stats["users"], 2, "{stats}");
    assert!(stats["refresh_tokens"].as_u64().unwrap() >= 5, "{stats}");
    pool.shutdown().await.unwrap();
}
