//! The flow over a scripted in-memory transport: every request the flow
//! sends (parameters, `USERNAME`, `SECRET_HASH`, `Session`, metadata) for each
//! auth flow and each typed next step.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, CognitoClient, FlowError, LoginFlow, LoginOptions,
    LoginOutcome, MfaType, RefreshOptions, RefreshToken, RequestMetadata, SecretAnswer, Tokens,
};
use cognito_srp_auth::transport::{Transport, TransportError};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::wire::{
    AnalyticsMetadata, ChallengeName, CognitoOperation, Operation, UserContextData,
};
use cognito_srp_auth::{ClientId, ClientSecret, Password, UserPoolId, secret_hash};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Replies in order; records `(operation, request as JSON)`.
#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Result<Value, (String, String)>>>,
    calls: Mutex<Vec<(String, Value)>>,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Script")
    }
}

impl Script {
    fn new(replies: Vec<Value>) -> Self {
        Self {
            replies: Mutex::new(replies.into_iter().map(Ok).collect()),
            calls: Mutex::default(),
        }
    }

    fn mixed(replies: Vec<Result<Value, (&str, &str)>>) -> Self {
        Self {
            replies: Mutex::new(
                replies
                    .into_iter()
                    .map(|r| r.map_err(|(c, m)| (c.to_owned(), m.to_owned())))
                    .collect(),
            ),
            calls: Mutex::default(),
        }
    }

    fn with_error(code: &str, message: &str) -> Self {
        Self {
            replies: Mutex::new(VecDeque::from([Err((code.into(), message.into()))])),
            calls: Mutex::default(),
        }
    }

    fn reply<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        operation: &str,
        request: &Req,
    ) -> Result<Resp, TransportError> {
        self.calls
            .lock()
            .unwrap()
            .push((operation.into(), serde_json::to_value(request).unwrap()));
        match self.replies.lock().unwrap().pop_front() {
            Some(Ok(value)) => Ok(serde_json::from_value(value).unwrap()),
            Some(Err((code, message))) => Err(TransportError::service(
                Operation::from_wire(operation),
                &code,
                &message,
                None,
            )),
            None => panic!("no reply scripted for {operation}"),
        }
    }

    fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().unwrap().clone()
    }
}

impl Transport for Script {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        self.reply(Op::OPERATION.as_str(), &request)
    }
}

const POOL: &str = "us-east-1_Pool1";
const CLIENT: &str = "client1";
const SECRET: &str = "s3cr3t";

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_770_102_489, 0).unwrap() // Tue Feb 3 07:08:09 UTC 2026
}

fn client(script: Script, with_secret: bool) -> CognitoClient<Script> {
    let client = CognitoClient::new(
        UserPoolId::parse(POOL).unwrap(),
        ClientId::new(CLIENT).unwrap(),
        script,
    )
    .with_clock(now);
    if with_secret {
        client.with_client_secret(ClientSecret::new(SECRET))
    } else {
        client
    }
}

fn hash(username: &str) -> String {
    secret_hash(
        &ClientSecret::new(SECRET),
        username,
        &ClientId::new(CLIENT).unwrap(),
    )
}

fn jwt(payload: Value) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("eyJhbGciOiJub25lIn0.{body}.c2ln")
}

fn tokens_reply(username: &str) -> Value {
    json!({"AuthenticationResult": {
        "AccessToken": jwt(json!({"sub": "sub-1", "username": username, "token_use": "access", "exp": 1_770_106_089})),
        "IdToken": jwt(json!({"sub": "sub-1", "cognito:username": username, "email": "a@example.com", "token_use": "id"})),
        "RefreshToken": "REFRESH-SECRET",
        "ExpiresIn": 3600,
        "TokenType": "Bearer",
    }})
}

/// [`tokens_reply`] offering a new device (`NewDeviceMetadata`), which the
/// client confirms.
fn tokens_reply_with_device(username: &str) -> Value {
    let mut reply = tokens_reply(username);
    reply["AuthenticationResult"]["NewDeviceMetadata"] =
        json!({"DeviceKey": "us-east-1_dev", "DeviceGroupKey": "grp"});
    reply
}

fn verifier_reply(internal: &str, session: Option<&str>) -> Value {
    let mut reply = json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SRP_B": "ab".repeat(64),
            "SALT": "-1f2e",
            "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr",
            "USER_ID_FOR_SRP": internal,
            "USERNAME": internal,
        },
    });
    if let Some(session) = session {
        reply["Session"] = json!(session);
    }
    reply
}

fn challenge_reply(name: &str, session: &str, parameters: Value) -> Value {
    json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters})
}

fn expect_tokens(outcome: LoginOutcome) -> Tokens {
    match outcome {
        LoginOutcome::Tokens(tokens) => *tokens,
        LoginOutcome::Challenge(c) => panic!("expected tokens, got {c:?}"),
    }
}

fn expect_challenge(outcome: LoginOutcome) -> cognito_srp_auth::flow::Challenge {
    match outcome {
        LoginOutcome::Challenge(c) => *c,
        LoginOutcome::Tokens(t) => panic!("expected a challenge, got {t:?}"),
    }
}

#[tokio::test]
async fn user_srp_with_secret_uses_alias_then_internal_name() {
    let script = Script::new(vec![
        verifier_reply("internal-id", None),
        tokens_reply("internal-id"),
    ]);
    let client = client(script, true);
    let tokens = expect_tokens(
        client
            .login("alice@example.com", Password::new("pw"))
            .await
            .unwrap(),
    );
    assert_eq!(tokens.username(), Some("internal-id"));
    assert_eq!(tokens.email(), Some("a@example.com"));
    assert_eq!(
        tokens.expires_at(),
        now() + chrono::TimeDelta::seconds(3600)
    );
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 2);
    let (op, init) = &calls[0];
    assert_eq!(op, "InitiateAuth");
    assert_eq!(init["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(init["ClientId"], CLIENT);
    let params = &init["AuthParameters"];
    assert_eq!(params["USERNAME"], "alice@example.com");
    assert_eq!(params["SECRET_HASH"], hash("alice@example.com"));
    let srp_a = params["SRP_A"].as_str().unwrap();
    assert!(srp_a.len() > 700 && srp_a.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(params.get("CHALLENGE_NAME").is_none());
    let (op, answer) = &calls[1];
    assert_eq!(op, "RespondToAuthChallenge");
    assert_eq!(answer["ChallengeName"], "PASSWORD_VERIFIER");
    let responses = &answer["ChallengeResponses"];
    assert_eq!(responses["USERNAME"], "internal-id");
    assert_eq!(responses["SECRET_HASH"], hash("internal-id"));
    assert_eq!(responses["TIMESTAMP"], "Tue Feb 3 07:08:09 UTC 2026");
    assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], "c2VjcmV0LWJsb2Nr");
    assert!(
        responses["PASSWORD_CLAIM_SIGNATURE"]
            .as_str()
            .unwrap()
            .len()
            == 44
    );
    assert!(answer.get("Session").is_none() || answer["Session"].is_null());
}

#[tokio::test]
async fn custom_auth_starts_with_srp_and_answers_custom_challenge() {
    let script = Script::new(vec![
        verifier_reply("u1", Some("S1")),
        challenge_reply(
            "CUSTOM_CHALLENGE",
            "S2",
            json!({"USERNAME": "u1", "question": "2+2"}),
        ),
        tokens_reply("u1"),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default().flow(LoginFlow::CustomSrp);
    let challenge = expect_challenge(
        client
            .login_with("u1", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let ChallengeKind::CustomChallenge { parameters } = challenge.kind() else {
        panic!("{challenge:?}")
    };
    assert_eq!(parameters["question"], "2+2");
    expect_tokens(
        client
            .answer(challenge, ChallengeAnswer::Custom(SecretAnswer::new("4")))
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(calls[0].1["AuthFlow"], "CUSTOM_AUTH");
    assert_eq!(calls[0].1["AuthParameters"]["CHALLENGE_NAME"], "SRP_A");
    assert_eq!(calls[1].1["Session"], "S1");
    let last = &calls[2].1;
    assert_eq!(last["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(last["Session"], "S2");
    assert_eq!(
        last["ChallengeResponses"],
        json!({"USERNAME": "u1", "ANSWER": "4", "SECRET_HASH": hash("u1")})
    );
}

#[tokio::test]
async fn user_auth_answers_select_challenge_with_password_srp() {
    let script = Script::new(vec![
        json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S1",
               "ChallengeParameters": {"USERNAME": "internal"},
               "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]}),
        verifier_reply("internal", Some("S2")),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default().flow(LoginFlow::UserAuth);
    expect_tokens(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(calls[0].1["AuthFlow"], "USER_AUTH");
    assert_eq!(
        calls[0].1["AuthParameters"],
        json!({"USERNAME": "alias", "SECRET_HASH": hash("alias")})
    );
    let select = &calls[1].1;
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(select["Session"], "S1");
    let responses = &select["ChallengeResponses"];
    assert_eq!(responses["ANSWER"], "PASSWORD_SRP");
    assert_eq!(responses["USERNAME"], "internal");
    assert_eq!(responses["SECRET_HASH"], hash("internal"));
    assert!(responses["SRP_A"].as_str().unwrap().len() > 700);
    assert_eq!(calls[2].1["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(calls[2].1["Session"], "S2");
}

#[tokio::test]
async fn user_auth_without_password_srp_hands_the_choice_over() {
    let script = Script::new(vec![
        json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S1",
        "AvailableChallenges": ["EMAIL_OTP", "WEB_AUTHN"]}),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().flow(LoginFlow::UserAuth);
    let challenge = expect_challenge(
        client
            .login_with("u", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    assert_eq!(
        challenge.kind(),
        &ChallengeKind::SelectChallenge {
            available: vec![ChallengeName::EmailOtp, ChallengeName::WebAuthn]
        }
    );
}

#[tokio::test]
async fn user_password_auth_sends_the_password_explicitly() {
    let script = Script::new(vec![
        challenge_reply(
            "NEW_PASSWORD_REQUIRED",
            "S1",
            json!({
                "USER_ID_FOR_SRP": "internal",
                "requiredAttributes": "[\"userAttributes.name\"]",
                "userAttributes": "{\"email\":\"a@example.com\"}",
            }),
        ),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default().flow(LoginFlow::UserPassword);
    let challenge = expect_challenge(
        client
            .login_with("alias", Password::new("old-pw"), &options)
            .await
            .unwrap(),
    );
    let ChallengeKind::NewPasswordRequired {
        required_attributes,
        user_attributes,
    } = challenge.kind()
    else {
        panic!("{challenge:?}")
    };
    assert_eq!(required_attributes, &["name"]);
    assert_eq!(user_attributes["email"], "a@example.com");
    let answer = ChallengeAnswer::NewPassword {
        new_password: Password::new("new-pw"),
        attributes: BTreeMap::from([("name".to_owned(), "Alice".to_owned())]),
    };
    expect_tokens(client.answer(challenge, answer).await.unwrap());
    let calls = client.transport().calls();
    assert_eq!(calls[0].1["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(
        calls[0].1["AuthParameters"],
        json!({"USERNAME": "alias", "PASSWORD": "old-pw", "SECRET_HASH": hash("alias")})
    );
    assert_eq!(calls[1].1["Session"], "S1");
    assert_eq!(
        calls[1].1["ChallengeResponses"],
        json!({"USERNAME": "internal", "NEW_PASSWORD": "new-pw",
               "userAttributes.name": "Alice", "SECRET_HASH": hash("internal")})
    );
}

#[tokio::test]
async fn mfa_codes_go_under_their_challenge_keys() {
    for (name, key, params) in [
        (
            "SMS_MFA",
            "SMS_MFA_CODE",
            json!({"CODE_DELIVERY_DESTINATION": "+*******1234", "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}),
        ),
        ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE", json!({})),
        (
            "EMAIL_OTP",
            "EMAIL_OTP_CODE",
            json!({"CODE_DELIVERY_DESTINATION": "a***@e***"}),
        ),
    ] {
        let script = Script::new(vec![
            verifier_reply("internal", None),
            challenge_reply(name, "S2", params),
            tokens_reply("internal"),
        ]);
        let client = client(script, true);
        let challenge = expect_challenge(client.login("alias", Password::new("pw")).await.unwrap());
        match (name, challenge.kind()) {
            ("SMS_MFA", ChallengeKind::SmsMfa { destination }) => {
                assert_eq!(destination.as_deref(), Some("+*******1234"));
            }
            ("EMAIL_OTP", ChallengeKind::EmailOtp { destination }) => {
                assert_eq!(destination.as_deref(), Some("a***@e***"));
            }
            ("SOFTWARE_TOKEN_MFA", ChallengeKind::SoftwareTokenMfa { .. }) => {}
            (_, other) => panic!("{name}: {other:?}"),
        }
        // The internal name carries over from PASSWORD_VERIFIER.
        assert_eq!(challenge.username(), "internal");
        expect_tokens(
            client
                .answer(challenge, ChallengeAnswer::code("123456"))
                .await
                .unwrap(),
        );
        let calls = client.transport().calls();
        assert_eq!(calls[2].1["ChallengeName"], name);
        assert_eq!(calls[2].1["Session"], "S2");
        assert_eq!(
            calls[2].1["ChallengeResponses"],
            json!({"USERNAME": "internal", key: "123456", "SECRET_HASH": hash("internal")}),
            "{name}"
        );
    }
}

#[tokio::test]
async fn select_mfa_type_then_code() {
    let script = Script::new(vec![
        verifier_reply("u", None),
        challenge_reply(
            "SELECT_MFA_TYPE",
            "S2",
            json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}),
        ),
        challenge_reply("SOFTWARE_TOKEN_MFA", "S3", json!({})),
        tokens_reply("u"),
    ]);
    let client = client(script, false);
    let challenge = expect_challenge(client.login("u", Password::new("pw")).await.unwrap());
    assert_eq!(
        challenge.kind(),
        &ChallengeKind::SelectMfaType {
            options: vec![MfaType::Sms, MfaType::SoftwareToken]
        }
    );
    // A code does not answer SELECT_MFA_TYPE.
    let mismatch = client
        .answer(challenge.clone(), ChallengeAnswer::code("1"))
        .await
        .unwrap_err();
    assert!(matches!(mismatch, FlowError::AnswerMismatch { .. }));
    let next = expect_challenge(
        client
            .answer(
                challenge,
                ChallengeAnswer::SelectMfaType(MfaType::SoftwareToken),
            )
            .await
            .unwrap(),
    );
    expect_tokens(
        client
            .answer(next, ChallengeAnswer::code("654321"))
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 4, "the mismatch sent nothing");
    assert_eq!(
        calls[2].1["ChallengeResponses"],
        json!({"USERNAME": "u", "ANSWER": "SOFTWARE_TOKEN_MFA"})
    );
    assert_eq!(calls[3].1["Session"], "S3");
}

#[tokio::test]
async fn mfa_setup_associates_verifies_and_continues() {
    let script = Script::new(vec![
        verifier_reply("internal", None),
        challenge_reply(
            "MFA_SETUP",
            "S2",
            json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}),
        ),
        json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "S3"}),
        json!({"Status": "SUCCESS", "Session": "S4"}),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let challenge = expect_challenge(client.login("alias", Password::new("pw")).await.unwrap());
    assert_eq!(
        challenge.kind(),
        &ChallengeKind::MfaSetup {
            can_set_up: vec![MfaType::SoftwareToken]
        }
    );
    let setup = client.begin_software_token_setup(challenge).await.unwrap();
    assert_eq!(setup.expose_secret_code(), "JBSWY3DPEHPK3PXP");
    assert_eq!(
        setup.otpauth_uri("My App", "alice@example.com"),
        "otpauth://totp/My%20App:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20App"
    );
    assert!(!format!("{setup:?}").contains("JBSWY3DPEHPK3PXP"));
    expect_tokens(
        client
            .finish_software_token_setup(setup, SecretAnswer::new("123456"), Some("phone"))
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(
        calls[2],
        ("AssociateSoftwareToken".into(), json!({"Session": "S2"}))
    );
    assert_eq!(
        calls[3],
        (
            "VerifySoftwareToken".into(),
            json!({"Session": "S3", "UserCode": "123456", "FriendlyDeviceName": "phone"})
        )
    );
    assert_eq!(calls[4].1["ChallengeName"], "MFA_SETUP");
    assert_eq!(calls[4].1["Session"], "S4");
    assert_eq!(
        calls[4].1["ChallengeResponses"],
        json!({"USERNAME": "internal", "SECRET_HASH": hash("internal")})
    );
}

#[tokio::test]
async fn rejected_totp_code_stops_the_setup() {
    let script = Script::new(vec![
        verifier_reply("u", None),
        challenge_reply("MFA_SETUP", "S2", json!({})),
        json!({"SecretCode": "JBSWY3DPEHPK3PXP"}),
        json!({"Status": "ERROR"}),
    ]);
    let client = client(script, false);
    let challenge = expect_challenge(client.login("u", Password::new("pw")).await.unwrap());
    let setup = client.begin_software_token_setup(challenge).await.unwrap();
    let error = client
        .finish_software_token_setup(setup, SecretAnswer::new("000000"), None)
        .await
        .unwrap_err();
    assert!(matches!(error, FlowError::SoftwareTokenRejected));
}

#[tokio::test]
async fn unknown_challenges_are_generic_steps() {
    let script = Script::new(vec![
        verifier_reply("u", None),
        challenge_reply("SHINY_NEW_CHALLENGE", "S2", json!({"HINT": "x"})),
        tokens_reply("u"),
    ]);
    let client = client(script, true);
    let challenge = expect_challenge(client.login("u", Password::new("pw")).await.unwrap());
    assert_eq!(
        challenge.name(),
        &ChallengeName::Other("SHINY_NEW_CHALLENGE".into())
    );
    assert_eq!(challenge.kind(), &ChallengeKind::Other);
    assert_eq!(challenge.parameters()["HINT"], "x");
    let answer = ChallengeAnswer::Responses(BTreeMap::from([("FOO".to_owned(), "bar".to_owned())]));
    expect_tokens(client.answer(challenge, answer).await.unwrap());
    assert_eq!(
        client.transport().calls()[2].1["ChallengeResponses"],
        json!({"FOO": "bar", "USERNAME": "u", "SECRET_HASH": hash("u")})
    );
}

#[tokio::test]
async fn metadata_is_passed_through_on_every_request() {
    let metadata = RequestMetadata {
        client_metadata: Some([("app".to_owned(), "web".to_owned())].into_iter().collect()),
        analytics_metadata: Some(AnalyticsMetadata::new("pinpoint-1")),
        user_context_data: Some({
            let mut context = UserContextData::ip_address("192.0.2.7");
            context.encoded_data = Some("ENC".into());
            context
        }),
    };
    let script = Script::new(vec![
        verifier_reply("u", None),
        challenge_reply("SMS_MFA", "S2", json!({})),
        tokens_reply("u"),
    ]);
    let client = client(script, false).with_metadata(metadata.clone());
    let challenge = expect_challenge(client.login("u", Password::new("pw")).await.unwrap());
    client
        .answer(challenge, ChallengeAnswer::code("1"))
        .await
        .unwrap();
    for (operation, request) in client.transport().calls() {
        assert_eq!(
            request["ClientMetadata"],
            json!({"app": "web"}),
            "{operation}"
        );
        assert_eq!(
            request["AnalyticsMetadata"],
            json!({"AnalyticsEndpointId": "pinpoint-1"}),
            "{operation}"
        );
        assert_eq!(
            request["UserContextData"],
            json!({"IpAddress": "192.0.2.7", "EncodedData": "ENC"}),
            "{operation}"
        );
    }
    assert!(!format!("{metadata:?}").contains("192.0.2.7"));
}

#[tokio::test]
async fn refresh_takes_name_and_device_key_from_the_tokens() {
    let script = Script::new(vec![
        verifier_reply("internal", None),
        tokens_reply_with_device("internal"),
        // The offered device is confirmed, as the SDKs do.
        json!({"UserConfirmationNecessary": false}),
        json!({"AuthenticationResult": {
            "AccessToken": jwt(json!({"username": "internal"})),
            "IdToken": jwt(json!({"cognito:username": "internal"})),
            "ExpiresIn": 300, "TokenType": "Bearer"}}),
    ]);
    let client = client(script, true);
    let tokens = expect_tokens(client.login("alias", Password::new("pw")).await.unwrap());
    let refreshed = client.refresh_tokens(&tokens).await.unwrap();
    assert_eq!(
        refreshed.refresh_token().map(RefreshToken::expose_secret),
        Some("REFRESH-SECRET")
    );
    assert_eq!(refreshed.expires_in(), Some(300));
    let calls = client.transport().calls();
    assert_eq!(calls[2].0, "ConfirmDevice");
    assert_eq!(calls[3].1["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(
        calls[3].1["AuthParameters"],
        json!({"REFRESH_TOKEN": "REFRESH-SECRET", "SECRET_HASH": hash("internal"),
               "DEVICE_KEY": "us-east-1_dev"})
    );
}

#[tokio::test]
async fn refresh_with_a_secret_and_no_username_uses_get_tokens() {
    // GetTokensFromRefreshToken sends the secret itself: no user name needed.
    let client = client(Script::new(vec![tokens_reply("u")]), true);
    client
        .refresh(&RefreshToken::new("rt"), &RefreshOptions::default())
        .await
        .unwrap();
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].0, "GetTokensFromRefreshToken");
    assert_eq!(calls[0].1["ClientSecret"], SECRET);
    assert_eq!(calls[0].1["RefreshToken"], "rt");
    // A server without it (moto): REFRESH_TOKEN_AUTH needs the user name.
    let client = self::client(
        Script::with_error("UnknownOperationException", "Unknown operation"),
        true,
    );
    let error = client
        .refresh(&RefreshToken::new("rt"), &RefreshOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, FlowError::UsernameRequired));
}

#[tokio::test]
async fn service_errors_surface_with_their_kind() {
    let client = client(
        Script::with_error("NotAuthorizedException", "Incorrect username or password."),
        false,
    );
    let error = client.login("u", Password::new("pw")).await.unwrap_err();
    assert_eq!(error.service_kind(), Some(&ServiceErrorKind::NotAuthorized));
    assert_eq!(error.service_code(), Some("NotAuthorizedException"));
    assert_eq!(
        error.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
}

#[tokio::test]
async fn a_bad_server_challenge_is_refused_before_answering() {
    let mut reply = verifier_reply("u", None);
    reply["ChallengeParameters"]["SRP_B"] = json!("0");
    let client = client(Script::new(vec![reply]), false);
    let error = client.login("u", Password::new("pw")).await.unwrap_err();
    assert!(matches!(error, FlowError::Srp(_)), "{error:?}");
    assert_eq!(client.transport().calls().len(), 1, "nothing answered");
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let script = Script::new(vec![
        verifier_reply("u", None),
        challenge_reply("SMS_MFA", "SESSION-SECRET", json!({})),
    ]);
    let client = client(script, true);
    let challenge = expect_challenge(
        client
            .login("u", Password::new("PASSWORD-SECRET"))
            .await
            .unwrap(),
    );
    let printed = [
        format!("{client:?}"),
        format!("{challenge:?}"),
        format!("{:?}", ChallengeAnswer::code("CODE-SECRET")),
        format!(
            "{:?}",
            ChallengeAnswer::new_password(Password::new("PASSWORD-SECRET"))
        ),
        format!("{:?}", RefreshToken::new("REFRESH-SECRET")),
        format!("{:?}", SecretAnswer::new("CODE-SECRET")),
    ];
    for text in printed {
        for secret in [
            "PASSWORD-SECRET",
            "SESSION-SECRET",
            "CODE-SECRET",
            "REFRESH-SECRET",
            SECRET,
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

// ---------------------------------------------------------------- devices

fn device() -> cognito_srp_auth::DeviceCredentials {
    cognito_srp_auth::DeviceCredentials::new(
        "us-east-1_old-device",
        "-grp",
        Password::new("device-password"),
    )
    .unwrap()
}

fn device_verifier_reply(internal: &str, session: &str) -> Value {
    challenge_reply(
        "DEVICE_PASSWORD_VERIFIER",
        session,
        json!({
            "SRP_B": "cd".repeat(64),
            "SALT": "0a1b",
            "SECRET_BLOCK": "ZGV2aWNlLWJsb2Nr",
            "USERNAME": internal,
        }),
    )
}

#[tokio::test]
async fn remembered_device_answers_device_srp_with_internal_name_and_session() {
    let script = Script::new(vec![
        verifier_reply("internal-id", None),
        challenge_reply("DEVICE_SRP_AUTH", "S1", json!({"USERNAME": "internal-id"})),
        device_verifier_reply("internal-id", "S2"),
        tokens_reply("internal-id"),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default().device(device());
    let tokens = expect_tokens(
        client
            .login_with("alice@example.com", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    assert!(tokens.stale_device().is_none());
    assert!(
        tokens.device_credentials().is_none(),
        "not asked to remember"
    );
    assert_eq!(tokens.device_key(), Some("us-east-1_old-device"));
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 4);
    assert_eq!(
        calls[0].1["AuthParameters"]["DEVICE_KEY"],
        "us-east-1_old-device"
    );
    let (op, srp) = &calls[2];
    assert_eq!(op, "RespondToAuthChallenge");
    assert_eq!(srp["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(srp["Session"], "S1");
    let r = &srp["ChallengeResponses"];
    assert_eq!(r["USERNAME"], "internal-id");
    assert_eq!(r["DEVICE_KEY"], "us-east-1_old-device");
    assert_eq!(r["SECRET_HASH"], hash("internal-id"));
    assert!(r["SRP_A"].as_str().unwrap().len() > 700);
    let (_, verifier) = &calls[3];
    assert_eq!(verifier["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert_eq!(verifier["Session"], "S2");
    let r = &verifier["ChallengeResponses"];
    assert_eq!(r["USERNAME"], "internal-id");
    assert_eq!(r["DEVICE_KEY"], "us-east-1_old-device");
    assert_eq!(r["SECRET_HASH"], hash("internal-id"));
    assert_eq!(r["PASSWORD_CLAIM_SECRET_BLOCK"], "ZGV2aWNlLWJsb2Nr");
    assert_eq!(r["TIMESTAMP"], "Tue Feb 3 07:08:09 UTC 2026");
    assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap().len(), 44);
}

#[tokio::test]
async fn unknown_device_at_initiate_is_retried_without_it_and_reported_stale() {
    let script = Script::mixed(vec![
        Err(("ResourceNotFoundException", "Device does not exist.")),
        Ok(verifier_reply("internal-id", None)),
        Ok(tokens_reply_with_device("internal-id")),
        Ok(json!({"UserConfirmationNecessary": true})),
        Ok(json!({})),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default()
        .device(device())
        .remember_device("my laptop", true);
    let mut tokens = expect_tokens(
        client
            .login_with("alice", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let stale = tokens.stale_device().unwrap();
    assert_eq!(stale.device_key(), "us-east-1_old-device");
    assert_eq!(stale.error_code(), "ResourceNotFoundException");
    let fresh = tokens.take_device_credentials().unwrap();
    assert_eq!(fresh.device_key(), "us-east-1_dev");
    assert_eq!(fresh.device_group_key(), "grp");
    let calls = client.transport().calls();
    let ops: Vec<&str> = calls.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(
        ops,
        [
            "InitiateAuth",
            "InitiateAuth",
            "RespondToAuthChallenge",
            "ConfirmDevice",
            "UpdateDeviceStatus"
        ]
    );
    assert_eq!(
        calls[0].1["AuthParameters"]["DEVICE_KEY"],
        "us-east-1_old-device"
    );
    assert!(calls[1].1["AuthParameters"].get("DEVICE_KEY").is_none());
    let confirm = &calls[3].1;
    assert_eq!(confirm["DeviceKey"], "us-east-1_dev");
    assert_eq!(confirm["DeviceName"], "my laptop");
    let config = &confirm["DeviceSecretVerifierConfig"];
    assert!(!config["PasswordVerifier"].as_str().unwrap().is_empty());
    assert!(!config["Salt"].as_str().unwrap().is_empty());
    let update = &calls[4].1;
    assert_eq!(update["DeviceKey"], "us-east-1_dev");
    assert_eq!(update["DeviceRememberedStatus"], "remembered");
}

#[tokio::test]
async fn device_refused_on_the_device_step_is_retried_once() {
    let script = Script::mixed(vec![
        Ok(verifier_reply("internal-id", None)),
        Ok(challenge_reply(
            "DEVICE_SRP_AUTH",
            "S1",
            json!({"USERNAME": "internal-id"}),
        )),
        Err(("NotAuthorizedException", "Incorrect username or password.")),
        Ok(verifier_reply("internal-id", None)),
        Ok(tokens_reply("internal-id")),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().device(device());
    let tokens = expect_tokens(
        client
            .login_with("alice", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    assert_eq!(
        tokens.stale_device().unwrap().error_code(),
        "NotAuthorizedException"
    );
    assert!(tokens.device_credentials().is_none());
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 5);
    assert!(calls[3].1["AuthParameters"].get("DEVICE_KEY").is_none());
}

#[tokio::test]
async fn wrong_password_with_a_device_is_not_retried() {
    let script = Script::mixed(vec![
        Ok(verifier_reply("internal-id", None)),
        Err(("NotAuthorizedException", "Incorrect username or password.")),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().device(device());
    let error = client
        .login_with("alice", Password::new("pw"), &options)
        .await
        .unwrap_err();
    assert_eq!(error.service_kind(), Some(&ServiceErrorKind::NotAuthorized));
    assert_eq!(client.transport().calls().len(), 2);
}

#[tokio::test]
async fn a_second_refusal_after_the_retry_is_returned() {
    let script = Script::mixed(vec![
        Err(("ResourceNotFoundException", "Device does not exist.")),
        Err(("NotAuthorizedException", "Incorrect username or password.")),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().device(device());
    let error = client
        .login_with("alice", Password::new("pw"), &options)
        .await
        .unwrap_err();
    assert_eq!(error.service_kind(), Some(&ServiceErrorKind::NotAuthorized));
    assert_eq!(client.transport().calls().len(), 2);
}

#[tokio::test]
async fn device_confirmed_after_an_mfa_answer_and_forget_device() {
    let script = Script::new(vec![
        verifier_reply("internal-id", None),
        challenge_reply(
            "SOFTWARE_TOKEN_MFA",
            "S1",
            json!({"USERNAME": "internal-id"}),
        ),
        tokens_reply_with_device("internal-id"),
        json!({"UserConfirmationNecessary": false}),
        json!({}),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().remember_device("phone", false);
    let challenge = expect_challenge(
        client
            .login_with("alice", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let tokens = expect_tokens(
        client
            .answer(
                challenge,
                ChallengeAnswer::Code(SecretAnswer::new("123456")),
            )
            .await
            .unwrap(),
    );
    let credentials = tokens.device_credentials().unwrap();
    assert_eq!(credentials.device_key(), "us-east-1_dev");
    client
        .forget_device(&tokens, credentials.device_key())
        .await
        .unwrap();
    let calls = client.transport().calls();
    let ops: Vec<&str> = calls.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(
        ops,
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge",
            "ConfirmDevice",
            "ForgetDevice"
        ]
    );
    assert_eq!(calls[4].1["DeviceKey"], "us-east-1_dev");
}

#[tokio::test]
async fn a_refused_refresh_token_auth_falls_back_to_get_tokens_and_stays_there() {
    let mut rotated = tokens_reply("u");
    rotated["AuthenticationResult"]["RefreshToken"] = json!("ROTATED");
    let script = Script::mixed(vec![
        Err((
            "NotAuthorizedException",
            "Refresh token rotation is enabled",
        )),
        Ok(rotated.clone()),
        Ok(rotated),
    ]);
    let client = client(script, false);
    let options = RefreshOptions::default().device_key("us-east-1_dev");
    let tokens = client
        .refresh(&RefreshToken::new("rt"), &options)
        .await
        .unwrap();
    assert_eq!(
        tokens.refresh_token().map(RefreshToken::expose_secret),
        Some("ROTATED")
    );
    client
        .refresh(tokens.refresh_token().unwrap(), &options)
        .await
        .unwrap();
    let calls = client.transport().calls();
    let names: Vec<&str> = calls.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "InitiateAuth",
            "GetTokensFromRefreshToken",
            "GetTokensFromRefreshToken"
        ]
    );
    assert_eq!(calls[1].1["DeviceKey"], "us-east-1_dev");
    assert_eq!(calls[2].1["RefreshToken"], "ROTATED");
    assert!(calls[1].1.get("ClientSecret").is_none());
}

#[tokio::test]
async fn a_refusal_of_both_refresh_paths_returns_cognitos_second_answer() {
    let script = Script::mixed(vec![
        Err(("NotAuthorizedException", "Invalid Refresh Token")),
        Err(("RefreshTokenReuseException", "reused")),
    ]);
    let client = client(script, false);
    let error = client
        .refresh(&RefreshToken::new("rt"), &RefreshOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_kind(),
        Some(&ServiceErrorKind::RefreshTokenReuse)
    );
}

#[tokio::test]
async fn every_offered_device_is_confirmed_and_remembering_stays_the_callers_choice() {
    // Not asked to remember: confirmed under the crate's name, not marked
    // remembered (UserConfirmationNecessary is left to the caller).
    let script = Script::new(vec![
        verifier_reply("internal-id", None),
        tokens_reply_with_device("internal-id"),
        json!({"UserConfirmationNecessary": true}),
    ]);
    let client = self::client(script, false);
    let tokens = expect_tokens(client.login("alice", Password::new("pw")).await.unwrap());
    let credentials = tokens.device_credentials().unwrap();
    assert_eq!(credentials.device_key(), "us-east-1_dev");
    assert_eq!(tokens.device_key(), Some("us-east-1_dev"));
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[2].0, "ConfirmDevice");
    assert_eq!(calls[2].1["DeviceName"], "cognito-srp-auth");
    assert!(calls[2].1["DeviceSecretVerifierConfig"]["PasswordVerifier"].is_string());

    // A failed confirmation the caller did not ask for does not fail the login.
    let script = Script::mixed(vec![
        Ok(verifier_reply("internal-id", None)),
        Ok(tokens_reply_with_device("internal-id")),
        Err(("InternalErrorException", "oops")),
    ]);
    let client = self::client(script, false);
    let tokens = expect_tokens(client.login("alice", Password::new("pw")).await.unwrap());
    assert!(tokens.device_credentials().is_none());
    assert_eq!(tokens.device_key(), Some("us-east-1_dev"));

    // Asked for: the same failure fails the login.
    let script = Script::mixed(vec![
        Ok(verifier_reply("internal-id", None)),
        Ok(tokens_reply_with_device("internal-id")),
        Err(("InternalErrorException", "oops")),
    ]);
    let client = self::client(script, false);
    let options = LoginOptions::default().remember_device("laptop", true);
    let error = client
        .login_with("alice", Password::new("pw"), &options)
        .await
        .unwrap_err();
    assert_eq!(error.service_kind(), Some(&ServiceErrorKind::InternalError));
}
