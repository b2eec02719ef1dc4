//! An HTTP response as a (hostile) server may send it → the `http`
//! transport's response/error parsing (`transport::parse_response`, the same
//! functions `HttpTransport` applies after reading a body), the `wire`
//! response types, and the login flow's handling of the response (a mock
//! transport answers with it; no I/O).
//!
//! Input: text. Line 1 the status (decimal, clamped to 100..=999; not a
//! number → 200); line 2 the raw `x-amzn-ErrorType` header (empty → absent);
//! the rest is the body (bytes, as sent).
//!
//! Invariants: no panic; a success status never yields a service error and a
//! failure status never yields a value; a service error's code is non-empty
//! and stripped of `namespace#` and `:suffix`; the flow sends a
//! `PASSWORD_VERIFIER` answer only when the challenge parameters parse, and
//! returns an error (not a panic) otherwise.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use chrono::{TimeZone, Utc};
use cognito_srp_auth::flow::{CognitoClient, FlowError, LoginFlow, LoginOptions};
use cognito_srp_auth::transport::{MalformedProblem, Transport, TransportError, parse_response};
use cognito_srp_auth::wire::{
    AwsErrorBody, ChallengeName, CognitoOperation, InitiateAuthResponse, Operation,
};
use cognito_srp_auth::{ClientId, ClientSecret, Password, PasswordVerifierChallenge, UserPoolId};
use libfuzzer_sys::fuzz_target;

/// Answers every call with the fuzzed response; counts the answers sent.
struct Mock {
    response: InitiateAuthResponse,
    verifier_answers: AtomicUsize,
    responds: AtomicUsize,
}

impl Transport for Mock {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        match Op::OPERATION {
            Operation::InitiateAuth => {}
            Operation::RespondToAuthChallenge => {
                self.responds.fetch_add(1, Ordering::Relaxed);
                let request = serde_json::to_value(&request).unwrap_or_default();
                if request["ChallengeName"] == ChallengeName::PasswordVerifier.as_str() {
                    self.verifier_answers.fetch_add(1, Ordering::Relaxed);
                }
            }
            _ => return Err(TransportError::InvalidEndpoint),
        }
        // The fuzzed InitiateAuth response is also a RespondToAuthChallenge response.
        serde_json::to_value(&self.response)
            .and_then(serde_json::from_value)
            .map_err(|_| TransportError::InvalidEndpoint)
    }
}

/// Polls once: the mock transport never waits.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the flow waited on a mock transport that never waits"),
    }
}

fn check_error(error: &TransportError, status: u16) {
    let _ = format!("{error} {error:?}");
    match error {
        TransportError::Service { code, .. } => {
            assert!(!(200..300).contains(&status), "service error on {status}");
            assert!(!code.is_empty());
            assert!(!code.contains('#') && !code.contains(':'), "{code:?}");
        }
        TransportError::MalformedResponse { problem, .. } => match problem {
            MalformedProblem::InvalidJson => assert!((200..300).contains(&status)),
            MalformedProblem::NoErrorCode => assert!(!(200..300).contains(&status)),
            other => panic!("unexpected problem {other:?}"),
        },
        other => panic!("parsing produced a non-parsing error: {other:?}"),
    }
}

fn run_flow(response: InitiateAuthResponse, flow: LoginFlow) {
    let pool = UserPoolId::parse("us-east-1_AbCdEf123").expect("pool");
    let mock = Mock {
        response: response.clone(),
        verifier_answers: AtomicUsize::new(0),
        responds: AtomicUsize::new(0),
    };
    let client = CognitoClient::new(pool, ClientId::new("fuzzclient").expect("id"), &mock)
        .with_client_secret(ClientSecret::new("fuzz-secret"))
        .with_clock(|| Utc.with_ymd_and_hms(2026, 2, 3, 7, 8, 9).unwrap());
    let options = LoginOptions::default().flow(flow);
    let outcome = block_on(client.login_with("alice", Password::new("Password1!"), &options));
    if let Err(error) = &outcome {
        let _ = format!("{error} {error:?}");
    }
    let verifier_answers = mock.verifier_answers.load(Ordering::Relaxed);
    let parameters = response.challenge_parameters.clone().unwrap_or_default();
    let valid = PasswordVerifierChallenge::from_parameters(&parameters).is_ok();
    if verifier_answers > 0 {
        assert!(valid, "answered PASSWORD_VERIFIER for an invalid challenge");
        assert_eq!(verifier_answers, 1);
    }
    if response.challenge_name == Some(ChallengeName::PasswordVerifier)
        && flow == LoginFlow::UserSrp
    {
        if valid {
            assert_eq!(verifier_answers, 1);
        } else {
            assert!(
                matches!(outcome, Err(FlowError::Srp(_))),
                "invalid PASSWORD_VERIFIER: {outcome:?}"
            );
        }
    }
    assert!(mock.responds.load(Ordering::Relaxed) <= 2);
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let status_line = parts.next().unwrap_or_default();
    let header = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let status = std::str::from_utf8(status_line)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .map_or(200, |s| s.clamp(100, 999) as u16);
    // reqwest hands the transport only visible-ASCII header values.
    let header = std::str::from_utf8(header)
        .ok()
        .filter(|h| !h.is_empty() && h.bytes().all(|b| (0x20..0x7f).contains(&b)));

    let _ = serde_json::from_slice::<AwsErrorBody>(body);
    let direct = serde_json::from_slice::<InitiateAuthResponse>(body);
    let parsed =
        parse_response::<InitiateAuthResponse>(Operation::InitiateAuth, status, header, body);
    match &parsed {
        Ok(response) => {
            assert!((200..300).contains(&status));
            let _ = format!("{response:?}");
            if let Ok(direct) = &direct {
                assert_eq!(direct, response);
            }
        }
        Err(error) => check_error(error, status),
    }
    for operation in [Operation::ConfirmDevice, Operation::UpdateDeviceStatus] {
        if let Err(error) =
            parse_response::<ConfirmDeviceResponse>(operation.clone(), status, header, body)
        {
            check_error(&error, status);
        }
        if let Err(error) = parse_response::<serde_json::Value>(operation, status, header, body) {
            check_error(&error, status);
        }
    }
    if let Err(error) = parse_response::<AssociateSoftwareTokenResponse>(
        Operation::AssociateSoftwareToken,
        status,
        header,
        body,
    ) {
        check_error(&error, status);
    }
    if let Err(error) = parse_response::<VerifySoftwareTokenResponse>(
        Operation::VerifySoftwareToken,
        status,
        header,
        body,
    ) {
        check_error(&error, status);
    }

    if let Ok(response) = parsed {
        run_flow(response.clone(), LoginFlow::UserSrp);
        run_flow(response, LoginFlow::UserAuth);
    }
});
