//! Device tracking in the flow over the scripted transport: signing in as a
//! remembered device in every flow and after every challenge, stale devices,
//! confirming offered devices, refresh with the device key.

use super::script::*;

use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{
    ChallengeAnswer, ChallengeKind, LoginFlow, LoginOptions, RefreshOptions, RefreshToken,
    SecretAnswer,
};
use cognito_srp_auth::wire::ServiceErrorKind;
use serde_json::json;

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
        Err(("NotAuthorizedException", "Invalid Refresh Token.")),
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

/// A sign-in with `device()` whose device Cognito asks for after a challenge.
fn device_steps_after(first: Vec<serde_json::Value>) -> Script {
    let mut replies = first;
    replies.extend([
        challenge_reply("DEVICE_SRP_AUTH", "D1", json!({"USERNAME": "internal"})),
        device_verifier_reply("internal", "D2"),
        tokens_reply("internal"),
    ]);
    Script::new(replies)
}

#[tokio::test]
async fn the_device_key_goes_with_an_mfa_answer_and_the_device_step_after_it_is_answered() {
    let script = device_steps_after(vec![
        verifier_reply("internal", Some("S1")),
        challenge_reply("SOFTWARE_TOKEN_MFA", "S2", json!({"USERNAME": "internal"})),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default().device(device());
    let challenge = expect_challenge(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let tokens = expect_tokens(
        client
            .answer(challenge, ChallengeAnswer::code("123456"))
            .await
            .unwrap(),
    );
    assert_eq!(tokens.device_key(), Some("us-east-1_old-device"));
    assert!(tokens.stale_device().is_none());
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 5);
    let mfa = &calls[2].1;
    assert_eq!(mfa["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        mfa["ChallengeResponses"],
        json!({"USERNAME": "internal", "SOFTWARE_TOKEN_MFA_CODE": "123456",
               "SECRET_HASH": hash("internal"), "DEVICE_KEY": "us-east-1_old-device"})
    );
    assert_eq!(calls[3].1["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(calls[3].1["Session"], "D1");
    assert_eq!(calls[4].1["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert_eq!(calls[4].1["Session"], "D2");
}

#[tokio::test]
async fn a_new_password_answer_carries_the_device_key_and_the_device_step_follows() {
    let script = device_steps_after(vec![
        verifier_reply("internal", Some("S1")),
        challenge_reply(
            "NEW_PASSWORD_REQUIRED",
            "S2",
            json!({"USER_ID_FOR_SRP": "internal", "requiredAttributes": "[]", "userAttributes": "{}"}),
        ),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().device(device());
    let challenge = expect_challenge(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let tokens = expect_tokens(
        client
            .answer(
                challenge,
                ChallengeAnswer::new_password(Password::new("N3w-password!")),
            )
            .await
            .unwrap(),
    );
    assert_eq!(tokens.device_key(), Some("us-east-1_old-device"));
    let calls = client.transport().calls();
    assert_eq!(
        calls[2].1["ChallengeResponses"]["DEVICE_KEY"],
        "us-east-1_old-device"
    );
    assert_eq!(calls[3].1["ChallengeName"], "DEVICE_SRP_AUTH");
}

#[tokio::test]
async fn a_custom_answer_carries_the_device_key_and_tokens_keep_it() {
    let script = Script::new(vec![
        verifier_reply("internal", Some("S1")),
        challenge_reply("CUSTOM_CHALLENGE", "S2", json!({"USERNAME": "internal"})),
        tokens_reply("internal"),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default()
        .flow(LoginFlow::CustomSrp)
        .device(device());
    let challenge = expect_challenge(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let tokens = expect_tokens(
        client
            .answer(challenge, ChallengeAnswer::Custom(SecretAnswer::new("42")))
            .await
            .unwrap(),
    );
    assert_eq!(
        tokens.device_key(),
        Some("us-east-1_old-device"),
        "the tokens of an answer belong to the sign-in's device"
    );
    let calls = client.transport().calls();
    assert_eq!(
        calls[2].1["ChallengeResponses"],
        json!({"USERNAME": "internal", "ANSWER": "42", "DEVICE_KEY": "us-east-1_old-device"})
    );
}

#[tokio::test]
async fn user_password_auth_signs_in_as_a_remembered_device() {
    let script = Script::new(vec![
        challenge_reply("DEVICE_SRP_AUTH", "D1", json!({"USERNAME": "internal"})),
        device_verifier_reply("internal", "D2"),
        tokens_reply("internal"),
    ]);
    let client = client(script, true);
    let options = LoginOptions::default()
        .flow(LoginFlow::UserPassword)
        .device(device());
    let tokens = expect_tokens(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    assert_eq!(tokens.device_key(), Some("us-east-1_old-device"));
    let calls = client.transport().calls();
    let params = &calls[0].1["AuthParameters"];
    assert_eq!(params["DEVICE_KEY"], "us-east-1_old-device");
    assert_eq!(params["PASSWORD"], "pw");
    let srp = &calls[1].1;
    assert_eq!(srp["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(srp["Session"], "D1");
    assert_eq!(srp["ChallengeResponses"]["USERNAME"], "internal");
    assert_eq!(srp["ChallengeResponses"]["SECRET_HASH"], hash("internal"));
}

#[tokio::test]
async fn an_unknown_device_on_user_password_auth_is_retried_without_it() {
    let script = Script::mixed(vec![
        Err(("ResourceNotFoundException", "Device does not exist.")),
        Ok(tokens_reply("internal")),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default()
        .flow(LoginFlow::UserPassword)
        .device(device());
    let tokens = expect_tokens(
        client
            .login_with("alias", Password::new("pw"), &options)
            .await
            .unwrap(),
    );
    let stale = tokens.stale_device().expect("reported stale");
    assert_eq!(stale.device_key(), "us-east-1_old-device");
    assert_eq!(tokens.device_key(), None, "not the stale device's tokens");
    let calls = client.transport().calls();
    assert_eq!(calls.len(), 2);
    assert!(calls[1].1["AuthParameters"].get("DEVICE_KEY").is_none());
}

#[tokio::test]
async fn a_lockout_on_the_device_step_keeps_the_device() {
    let script = Script::mixed(vec![
        Ok(verifier_reply("internal", Some("S1"))),
        Ok(challenge_reply(
            "DEVICE_SRP_AUTH",
            "D1",
            json!({"USERNAME": "internal"}),
        )),
        Err(("NotAuthorizedException", "Password attempts exceeded")),
    ]);
    let client = client(script, false);
    let options = LoginOptions::default().device(device());
    let error = client
        .login_with("alias", Password::new("pw"), &options)
        .await
        .unwrap_err();
    assert_eq!(error.service_code(), Some("NotAuthorizedException"));
    assert_eq!(
        client.transport().calls().len(),
        3,
        "no retry without the device: a lockout says nothing about it"
    );
}

#[tokio::test]
async fn a_device_step_without_credentials_is_typed_and_answered_with_them() {
    let script = Script::new(vec![
        verifier_reply("internal", Some("S1")),
        challenge_reply("DEVICE_SRP_AUTH", "D1", json!({"USERNAME": "internal"})),
        device_verifier_reply("internal", "D2"),
        tokens_reply("internal"),
    ]);
    let client = client(script, false);
    let challenge = expect_challenge(client.login("alias", Password::new("pw")).await.unwrap());
    assert_eq!(challenge.kind(), &ChallengeKind::DeviceSrpAuth);
    let tokens = expect_tokens(
        client
            .answer(challenge, ChallengeAnswer::Device(device()))
            .await
            .unwrap(),
    );
    assert_eq!(tokens.device_key(), Some("us-east-1_old-device"));
    let calls = client.transport().calls();
    assert_eq!(calls[2].1["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(calls[2].1["Session"], "D1");
    assert_eq!(
        calls[2].1["ChallengeResponses"]["DEVICE_KEY"],
        "us-east-1_old-device"
    );
    assert_eq!(calls[3].1["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
}
