//! The scripted in-memory transport the flow tests drive the client over,
//! and the replies they script.

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use cognito_srp_auth::flow::{CognitoClient, LoginOutcome, Tokens};
use cognito_srp_auth::transport::{Transport, TransportError};
use cognito_srp_auth::wire::{CognitoOperation, Operation};
use cognito_srp_auth::{ClientId, ClientSecret, Password, UserPoolId, secret_hash};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Replies in order; records `(operation, request as JSON)`.
#[derive(Default)]
pub(crate) struct Script {
    replies: Mutex<VecDeque<Result<Value, (String, String)>>>,
    calls: Mutex<Vec<(String, Value)>>,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Script")
    }
}

impl Script {
    pub(crate) fn new(replies: Vec<Value>) -> Self {
        Self {
            replies: Mutex::new(replies.into_iter().map(Ok).collect()),
            calls: Mutex::default(),
        }
    }

    pub(crate) fn mixed(replies: Vec<Result<Value, (&str, &str)>>) -> Self {
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

    pub(crate) fn with_error(code: &str, message: &str) -> Self {
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

    pub(crate) fn calls(&self) -> Vec<(String, Value)> {
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

pub(crate) const POOL: &str = "us-east-1_Pool1";
pub(crate) const CLIENT: &str = "client1";
pub(crate) const SECRET: &str = "s3cr3t";

pub(crate) fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_770_102_489, 0).unwrap() // Tue Feb 3 07:08:09 UTC 2026
}

pub(crate) fn client(script: Script, with_secret: bool) -> CognitoClient<Script> {
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

pub(crate) fn hash(username: &str) -> String {
    secret_hash(
        &ClientSecret::new(SECRET),
        username,
        &ClientId::new(CLIENT).unwrap(),
    )
}

pub(crate) fn jwt(payload: Value) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("eyJhbGciOiJub25lIn0.{body}.c2ln")
}

pub(crate) fn tokens_reply(username: &str) -> Value {
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
pub(crate) fn tokens_reply_with_device(username: &str) -> Value {
    let mut reply = tokens_reply(username);
    reply["AuthenticationResult"]["NewDeviceMetadata"] =
        json!({"DeviceKey": "us-east-1_dev", "DeviceGroupKey": "grp"});
    reply
}

pub(crate) fn verifier_reply(internal: &str, session: Option<&str>) -> Value {
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

pub(crate) fn challenge_reply(name: &str, session: &str, parameters: Value) -> Value {
    json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters})
}

pub(crate) fn expect_tokens(outcome: LoginOutcome) -> Tokens {
    match outcome {
        LoginOutcome::Tokens(tokens) => *tokens,
        LoginOutcome::Challenge(c) => panic!("expected tokens, got {c:?}"),
    }
}

pub(crate) fn expect_challenge(outcome: LoginOutcome) -> cognito_srp_auth::flow::Challenge {
    match outcome {
        LoginOutcome::Challenge(c) => *c,
        LoginOutcome::Tokens(t) => panic!("expected a challenge, got {t:?}"),
    }
}

pub(crate) fn device() -> cognito_srp_auth::DeviceCredentials {
    cognito_srp_auth::DeviceCredentials::new(
        "us-east-1_old-device",
        "-grp",
        Password::new("device-password"),
    )
    .unwrap()
}

pub(crate) fn device_verifier_reply(internal: &str, session: &str) -> Value {
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
