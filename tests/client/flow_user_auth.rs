//! `USER_AUTH` (choice-based sign-in) over the scripted transport: the
//! preferred first factor on `InitiateAuth`, `SELECT_CHALLENGE` chosen by the
//! client or by the caller, passwordless codes, passkeys, the sign-up
//! `Session`, and a remembered device.

use super::script::*;
use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, FirstFactor, FlowError, LoginFlow, LoginOptions,
};
use cognito_srp_auth::wire::ChallengeName;
use serde_json::json;

fn srp_a_of(value: &serde_json::Value) -> &str {
    value["SRP_A"].as_str().expect("SRP_A")
}

#[tokio::test]
async fn the_default_user_auth_proves_the_password_with_srp_in_one_round_trip() {
    let script = Script::new(vec![
        verifier_reply("internal", Some("S1")),
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
    assert_eq!(calls.len(), 2, "InitiateAuth, then PASSWORD_VERIFIER");
    let start = &calls[0].1;
    assert_eq!(start["AuthFlow"], "USER_AUTH");
    let params = &start["AuthParameters"];
    assert_eq!(params["USERNAME"], "alias");
    assert_eq!(params["SECRET_HASH"], hash("alias"));
    assert_eq!(params["PREFERRED_CHALLENGE"], "PASSWORD_SRP");
    assert!(srp_a_of(params).len() > 700);
    assert!(start.get("Session").is_none());
    let verifier = &calls[1].1;
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(verifier["Session"], "S1");
    assert_eq!(verifier["ChallengeResponses"]["USERNAME"], "internal");
    assert_eq!(
        verifier["ChallengeResponses"]["SECRET_HASH"],
        hash("internal")
    );
}

#[tokio::test]
async fn a_select_challenge_offering_password_srp_is_answered_with_it() {
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
    assert_eq!(
        calls[0].1["AuthParameters"]["PREFERRED_CHALLENGE"],
        "PASSWORD_SRP"
    );
    let select = &calls[1].1;
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(select["Session"], "S1");
    let responses = &select["ChallengeResponses"];
    assert_eq!(responses["ANSWER"], "PASSWORD_SRP");
    assert_eq!(responses["USERNAME"], "internal");
    assert_eq!(responses["SECRET_HASH"], hash("internal"));
    assert!(srp_a_of(responses).len() > 700);
    assert_ne!(
        srp_a_of(responses),
        srp_a_of(&calls[0].1["AuthParameters"]),
        "a fresh A for the second try"
    );
    assert_eq!(calls[2].1["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(calls[2].1["Session"], "S2");
}

#[tokio::test]
async fn without_password_srp_the_choice_goes_to_the_caller_who_picks_an_emailed_code() {
    let script = Script::new(vec![
        json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S1",
               "AvailableChallenges": ["EMAIL_OTP", "WEB_AUTHN"]}),
        challenge_reply(
            "EMAIL_OTP",
            "S2",
            json!({"CODE_DELIVERY_DESTINATION": "a***@e***", "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL"}),
        ),
        tokens_reply("u"),
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
    let challenge = expect_challenge(
        client
            .answer(challenge, ChallengeAnswer::Select(FirstFactor::EmailOtp))
            .await
            .unwrap(),
    );
    assert_eq!(
        challenge.kind(),
        &ChallengeKind::EmailOtp {
            destination: Some("a***@e***".into())
        }
    );
    expect_tokens(
        client
            .answer(challenge, ChallengeAnswer::code("12345678"))
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(
        calls[1].1["ChallengeResponses"],
        json!({"USERNAME": "u", "ANSWER": "EMAIL_OTP"})
    );
    assert_eq!(calls[1].1["Session"], "S1");
    assert_eq!(calls[2].1["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        calls[2].1["ChallengeResponses"],
        json!({"USERNAME": "u", "EMAIL_OTP_CODE": "12345678"})
    );
    assert_eq!(calls[2].1["Session"], "S2");
}

#[tokio::test]
async fn asking_for_the_choices_then_choosing_password_srp() {
    let script = Script::new(vec![
        json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S1",
               "ChallengeParameters": {"USERNAME": "internal"},
               "AvailableChallenges": ["PASSWORD_SRP", "PASSWORD", "SMS_OTP"]}),
        verifier_reply("internal", Some("S2")),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let challenge = expect_challenge(
        client
            .login_user_auth("alias", None, &LoginOptions::default())
            .await
            .unwrap(),
    );
    assert_eq!(challenge.username(), "internal");
    let params = &client.transport().calls()[0].1["AuthParameters"];
    assert_eq!(
        params,
        &json!({"USERNAME": "alias", "SECRET_HASH": hash("alias")}),
        "no preferred challenge, no proof"
    );
    expect_tokens(
        client
            .answer(
                challenge,
                ChallengeAnswer::Select(FirstFactor::PasswordSrp(Password::new("pw"))),
            )
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 3);
    let select = &calls[1].1["ChallengeResponses"];
    assert_eq!(select["ANSWER"], "PASSWORD_SRP");
    assert_eq!(select["SECRET_HASH"], hash("internal"));
    assert!(srp_a_of(select).len() > 700);
    assert_eq!(calls[2].1["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(calls[2].1["Session"], "S2");
}

#[tokio::test]
async fn a_preferred_plain_password_is_sent_only_when_chosen() {
    let script = Script::new(vec![tokens_reply("u")]);
    let client = client(script, false);
    expect_tokens(
        client
            .login_user_auth(
                "u",
                Some(FirstFactor::Password(Password::new("plain-pw"))),
                &LoginOptions::default(),
            )
            .await
            .unwrap(),
    );
    let params = &client.transport().calls()[0].1["AuthParameters"];
    assert_eq!(
        params,
        &json!({"USERNAME": "u", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "plain-pw"})
    );
}

#[tokio::test]
async fn passwordless_sms_sign_in_answers_the_texted_code() {
    let script = Script::new(vec![
        challenge_reply(
            "SMS_OTP",
            "S1",
            json!({"CODE_DELIVERY_DESTINATION": "+*******0199", "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "USERNAME": "internal"}),
        ),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let challenge = expect_challenge(
        client
            .login_user_auth("alias", Some(FirstFactor::SmsOtp), &LoginOptions::default())
            .await
            .unwrap(),
    );
    assert_eq!(
        challenge.kind(),
        &ChallengeKind::SmsOtp {
            destination: Some("+*******0199".into())
        }
    );
    expect_tokens(
        client
            .answer(challenge, ChallengeAnswer::code("654321"))
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(
        calls[0].1["AuthParameters"]["PREFERRED_CHALLENGE"],
        "SMS_OTP"
    );
    assert!(calls[0].1["AuthParameters"].get("SRP_A").is_none());
    assert_eq!(
        calls[1].1["ChallengeResponses"],
        json!({"USERNAME": "internal", "SMS_OTP_CODE": "654321", "SECRET_HASH": hash("internal")})
    );
}

#[tokio::test]
async fn a_passkey_challenge_is_typed_and_answered_with_the_credential() {
    let options_json = r#"{"challenge":"Y2hhbGxlbmdl","rpId":"example.com","allowCredentials":[]}"#;
    let script = Script::new(vec![
        challenge_reply(
            "WEB_AUTHN",
            "S1",
            json!({"CREDENTIAL_REQUEST_OPTIONS": options_json}),
        ),
        tokens_reply("u"),
    ]);
    let client = client(script, false);
    let challenge = expect_challenge(
        client
            .login_user_auth("u", Some(FirstFactor::WebAuthn), &LoginOptions::default())
            .await
            .unwrap(),
    );
    assert_eq!(
        challenge.kind(),
        &ChallengeKind::WebAuthn {
            credential_request_options: Some(options_json.into())
        }
    );
    let mismatch = client
        .answer(challenge.clone(), ChallengeAnswer::code("123"))
        .await
        .unwrap_err();
    assert!(
        matches!(mismatch, FlowError::AnswerMismatch { .. }),
        "{mismatch:?}"
    );
    let credential = r#"{"id":"cred","type":"public-key","response":{}}"#;
    expect_tokens(
        client
            .answer(
                challenge,
                ChallengeAnswer::WebAuthnCredential(credential.into()),
            )
            .await
            .unwrap(),
    );
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 2, "the mismatch sent nothing");
    assert_eq!(calls[1].1["ChallengeName"], "WEB_AUTHN");
    assert_eq!(
        calls[1].1["ChallengeResponses"],
        json!({"USERNAME": "u", "CREDENTIAL": credential})
    );
}

#[tokio::test]
async fn a_sign_up_session_goes_on_initiate_auth_and_is_never_shown() {
    let script = Script::new(vec![tokens_reply("u")]);
    let client = client(script, false);
    let options = LoginOptions::default().session("SIGN-UP-SESSION");
    assert!(!format!("{options:?}").contains("SIGN-UP-SESSION"));
    expect_tokens(client.login_user_auth("u", None, &options).await.unwrap());
    let start = &client.transport().calls()[0].1;
    assert_eq!(start["AuthFlow"], "USER_AUTH");
    assert_eq!(start["Session"], "SIGN-UP-SESSION");
}

#[tokio::test]
async fn a_select_challenge_takes_only_a_choice_or_raw_responses() {
    let script = Script::new(vec![
        json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S1",
               "AvailableChallenges": ["EMAIL_OTP"]}),
    ]);
    let client = client(script, false);
    let challenge = expect_challenge(
        client
            .login_user_auth("u", None, &LoginOptions::default())
            .await
            .unwrap(),
    );
    for wrong in [
        ChallengeAnswer::code("1"),
        ChallengeAnswer::new_password(Password::new("x")),
        ChallengeAnswer::WebAuthnCredential("{}".into()),
    ] {
        let error = client.answer(challenge.clone(), wrong).await.unwrap_err();
        assert!(
            matches!(error, FlowError::AnswerMismatch { .. }),
            "{error:?}"
        );
    }
    assert_eq!(client.transport().calls().len(), 1);
}

#[tokio::test]
async fn a_remembered_device_signs_in_through_user_auth() {
    let script = Script::new(vec![
        verifier_reply("internal", Some("S1")),
        challenge_reply("DEVICE_SRP_AUTH", "S2", json!({"USERNAME": "internal"})),
        device_verifier_reply("internal", "S3"),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default()
        .flow(LoginFlow::UserAuth)
        .device(device());
    let tokens = expect_tokens(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    assert_eq!(tokens.device_key(), Some("us-east-1_old-device"));
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 4);
    assert_eq!(
        calls[0].1["AuthParameters"]["DEVICE_KEY"],
        "us-east-1_old-device"
    );
    assert_eq!(
        calls[1].1["ChallengeResponses"]["DEVICE_KEY"],
        "us-east-1_old-device"
    );
    assert_eq!(calls[2].1["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(calls[3].1["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
}
