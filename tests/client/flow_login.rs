//! The flow over a scripted in-memory transport: every request the flow
//! sends (parameters, `USERNAME`, `SECRET_HASH`, `Session`, metadata) for each
//! auth flow and each typed next step.

use super::script::*;
use std::collections::BTreeMap;

use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, FlowError, LoginFlow, LoginOptions, MfaType, RefreshOptions,
    RefreshToken, RequestMetadata, SecretAnswer,
};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::wire::{AnalyticsMetadata, ChallengeName, UserContextData};
use serde_json::json;

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
