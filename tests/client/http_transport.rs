//! The `http` transport against an in-process mock on 127.0.0.1: the exact
//! request bytes of every operation, the mapping of AWS errors, retries,
//! deadlines and the response-size limit.

use std::time::{Duration, Instant};

use cognito_srp_auth::transport::{
    ErrorClass, HttpTransport, MalformedProblem, Transport, TransportError,
};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::wire::{
    AnalyticsMetadata, AssociateSoftwareTokenRequest, AuthFlow, ChallengeName,
    ConfirmDeviceRequest, DeviceRememberedStatus, DeviceSecretVerifierConfigType,
    ForgetDeviceRequest, InitiateAuthRequest, Operation, ParameterMap,
    RespondToAuthChallengeRequest, UpdateDeviceStatusRequest, UserContextData,
    VerifySoftwareTokenRequest, VerifySoftwareTokenStatus,
};
use tokio::net::TcpListener;

use crate::support::fake_http::{FakeEndpoint, Recorded, Reply, aws_error, ok};

/// The HTTP transport to a fake endpoint, with short back-offs.
trait TransportTo {
    fn transport(&self) -> HttpTransport;
}

impl TransportTo for FakeEndpoint {
    fn transport(&self) -> HttpTransport {
        HttpTransport::builder()
            .endpoint(self.url())
            .backoff(Duration::from_millis(1), Duration::from_millis(5))
            .build()
            .unwrap()
    }
}

fn params(pairs: &[(&str, &str)]) -> ParameterMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Asserts the framing every operation shares and returns the body.
fn assert_request(request: &Recorded, operation: &str) -> String {
    assert_eq!(
        request.request_line, "POST / HTTP/1.1",
        "{operation}: request line"
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some(format!("AWSCognitoIdentityProviderService.{operation}").as_str()),
        "{operation}: X-Amz-Target"
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1"),
        "{operation}: Content-Type"
    );
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("cognito-srp-auth/")),
        "{operation}: User-Agent"
    );
    assert_eq!(
        request.header("authorization"),
        None,
        "{operation}: unsigned"
    );
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str()),
        "{operation}: Content-Length"
    );
    request.body_text().to_owned()
}

#[tokio::test]
async fn initiate_auth_exact_bytes_and_response() {
    let mock = FakeEndpoint::replying(vec![ok(
        r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SRP_B":"ab","SALT":"01"},"Session":"s","Unknown":{"x":1}}"#,
    )])
    .await;
    let mut request = InitiateAuthRequest::new(
        "client-1",
        AuthFlow::UserSrpAuth,
        params(&[
            ("USERNAME", "alice"),
            ("SRP_A", "0a1b"),
            ("SECRET_HASH", "h="),
        ]),
    );
    request.client_metadata = Some(params(&[("k", "v")]));
    request.analytics_metadata = Some(AnalyticsMetadata::new("e"));
    let mut context = UserContextData::ip_address("192.0.2.1");
    context.encoded_data = Some("enc".into());
    request.user_context_data = Some(context);
    let response = mock.transport().initiate_auth(request).await.unwrap();
    assert_eq!(
        response.challenge_name,
        Some(ChallengeName::PasswordVerifier)
    );
    assert_eq!(response.session.as_deref(), Some("s"));
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        assert_request(&requests[0], "InitiateAuth"),
        concat!(
            r#"{"AnalyticsMetadata":{"AnalyticsEndpointId":"e"},"AuthFlow":"USER_SRP_AUTH","#,
            r#""AuthParameters":{"SECRET_HASH":"h=","SRP_A":"0a1b","USERNAME":"alice"},"#,
            r#""ClientId":"client-1","ClientMetadata":{"k":"v"},"#,
            r#""UserContextData":{"EncodedData":"enc","IpAddress":"192.0.2.1"}}"#
        )
    );
}

#[tokio::test]
async fn respond_to_auth_challenge_exact_bytes_and_unknown_challenge() {
    let mock = FakeEndpoint::replying(vec![ok(
        r#"{"ChallengeName":"SOMETHING_NEW","ChallengeParameters":{},"Session":"s2"}"#,
    )])
    .await;
    let response = mock
        .transport()
        .respond_to_auth_challenge(RespondToAuthChallengeRequest::new(
            "client-1",
            ChallengeName::PasswordVerifier,
            params(&[
                ("USERNAME", "u"),
                ("TIMESTAMP", "Tue Feb 3 07:08:09 UTC 2026"),
            ]),
            Some("s1".into()),
        ))
        .await
        .unwrap();
    assert_eq!(
        response.challenge_name,
        Some(ChallengeName::Other("SOMETHING_NEW".into()))
    );
    assert_eq!(
        assert_request(&mock.requests()[0], "RespondToAuthChallenge"),
        concat!(
            r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeResponses":"#,
            r#"{"TIMESTAMP":"Tue Feb 3 07:08:09 UTC 2026","USERNAME":"u"},"#,
            r#""ClientId":"client-1","Session":"s1"}"#
        )
    );
}

#[tokio::test]
async fn software_token_and_device_operations_exact_bytes() {
    let mock = FakeEndpoint::replying(vec![
        ok(r#"{"SecretCode":"JBSWY3DPEHPK3PXP","Session":"s2"}"#),
        ok(r#"{"Status":"SUCCESS","Session":"s3"}"#),
        ok(r#"{"UserConfirmationNecessary":true}"#),
        Reply::Http(200, vec![], vec![]),
        ok("{}"),
    ])
    .await;
    let transport = mock.transport();
    let associated = transport
        .associate_software_token(AssociateSoftwareTokenRequest::with_session("s1"))
        .await
        .unwrap();
    assert_eq!(associated.secret_code.as_deref(), Some("JBSWY3DPEHPK3PXP"));
    let mut verify = VerifySoftwareTokenRequest::with_session("s2", "123456");
    verify.friendly_device_name = Some("phone".into());
    let verified = transport.verify_software_token(verify).await.unwrap();
    assert_eq!(verified.status, Some(VerifySoftwareTokenStatus::Success));
    let mut confirm = ConfirmDeviceRequest::new(
        "at",
        "us-east-1_d",
        DeviceSecretVerifierConfigType::new("pv", "sa"),
    );
    confirm.device_name = Some("laptop".into());
    let confirmed = transport.confirm_device(confirm).await.unwrap();
    assert!(confirmed.user_confirmation_necessary);
    transport
        .update_device_status(UpdateDeviceStatusRequest::new(
            "at",
            "us-east-1_d",
            DeviceRememberedStatus::NotRemembered,
        ))
        .await
        .unwrap();
    transport
        .forget_device(ForgetDeviceRequest::new("at", "us-east-1_d"))
        .await
        .unwrap();
    let requests = mock.requests();
    let expected = [
        ("AssociateSoftwareToken", r#"{"Session":"s1"}"#),
        (
            "VerifySoftwareToken",
            r#"{"FriendlyDeviceName":"phone","Session":"s2","UserCode":"123456"}"#,
        ),
        (
            "ConfirmDevice",
            r#"{"AccessToken":"at","DeviceKey":"us-east-1_d","DeviceName":"laptop","DeviceSecretVerifierConfig":{"PasswordVerifier":"pv","Salt":"sa"}}"#,
        ),
        (
            "UpdateDeviceStatus",
            r#"{"AccessToken":"at","DeviceKey":"us-east-1_d","DeviceRememberedStatus":"not_remembered"}"#,
        ),
        (
            "ForgetDevice",
            r#"{"AccessToken":"at","DeviceKey":"us-east-1_d"}"#,
        ),
    ];
    assert_eq!(requests.len(), expected.len());
    for (request, (operation, body)) in requests.iter().zip(expected) {
        assert_eq!(
            assert_request(request, operation),
            body,
            "{operation}: body"
        );
    }
}

async fn initiate(transport: &HttpTransport) -> Result<(), TransportError> {
    transport
        .initiate_auth(InitiateAuthRequest::new(
            "c",
            AuthFlow::UserSrpAuth,
            ParameterMap::new(),
        ))
        .await
        .map(|_| ())
}

#[tokio::test]
async fn service_errors_carry_the_operation_and_request_id() {
    let reply = Reply::Http(
        400,
        vec![("x-amzn-requestid", "3f2c-req-1".into())],
        br#"{"__type":"NotAuthorizedException","message":"no\u001b[31m\nway"}"#.to_vec(),
    );
    let mock = FakeEndpoint::replying(vec![reply]).await;
    let error = initiate(&mock.transport()).await.unwrap_err();
    assert!(
        matches!(
            &error,
            TransportError::Service {
                operation: Operation::InitiateAuth,
                ..
            }
        ),
        "{error:?}"
    );
    // Control characters dropped from the server's text.
    assert_eq!(error.request_id(), Some("3f2c-req-1"));
    assert_eq!(error.to_string(), "NotAuthorizedException: no[31mway");
    assert_eq!(
        (error.code(), error.class()),
        ("service", ErrorClass::Refused)
    );
}

#[tokio::test]
async fn aws_errors_map_to_kinds() {
    let cases: Vec<(Reply, ServiceErrorKind, &str, &str)> = vec![
        (
            aws_error(
                400,
                "NotAuthorizedException",
                "Incorrect username or password.",
            ),
            ServiceErrorKind::NotAuthorized,
            "NotAuthorizedException",
            "Incorrect username or password.",
        ),
        (
            aws_error(
                400,
                "com.amazonaws.cognito#UserNotFoundException",
                "User does not exist.",
            ),
            ServiceErrorKind::UserNotFound,
            "UserNotFoundException",
            "User does not exist.",
        ),
        (
            Reply::Http(
                400,
                vec![(
                    "x-amzn-ErrorType",
                    "UserNotConfirmedException:http://internal.amazon.com/".into(),
                )],
                b"{}".to_vec(),
            ),
            ServiceErrorKind::UserNotConfirmed,
            "UserNotConfirmedException",
            "",
        ),
        (
            Reply::Http(
                400,
                vec![],
                br#"{"__type":"PasswordResetRequiredException","Message":"reset"}"#.to_vec(),
            ),
            ServiceErrorKind::PasswordResetRequired,
            "PasswordResetRequiredException",
            "reset",
        ),
        (
            aws_error(400, "InvalidParameterException", "m"),
            ServiceErrorKind::InvalidParameter,
            "InvalidParameterException",
            "m",
        ),
        (
            aws_error(400, "ResourceNotFoundException", "m"),
            ServiceErrorKind::ResourceNotFound,
            "ResourceNotFoundException",
            "m",
        ),
        (
            aws_error(400, "CodeMismatchException", "m"),
            ServiceErrorKind::CodeMismatch,
            "CodeMismatchException",
            "m",
        ),
        (
            aws_error(400, "ExpiredCodeException", "m"),
            ServiceErrorKind::ExpiredCode,
            "ExpiredCodeException",
            "m",
        ),
        (
            aws_error(400, "LimitExceededException", "m"),
            ServiceErrorKind::LimitExceeded,
            "LimitExceededException",
            "m",
        ),
        (
            aws_error(400, "SomeFutureException", "m"),
            ServiceErrorKind::Other("SomeFutureException".into()),
            "SomeFutureException",
            "m",
        ),
        (
            aws_error(500, "InternalErrorException", "m"),
            ServiceErrorKind::InternalError,
            "InternalErrorException",
            "m",
        ),
    ];
    for (reply, kind, code, message) in cases {
        let mock = FakeEndpoint::replying(vec![reply]).await;
        let error = initiate(&mock.transport()).await.unwrap_err();
        match &error {
            TransportError::Service {
                operation,
                request_id,
                kind: k,
                code: c,
                message: m,
            } => {
                assert_eq!(
                    (k, c.as_str(), m.as_str()),
                    (&kind, code, message),
                    "{code}"
                );
                assert_eq!(operation, &Operation::InitiateAuth, "{code}");
                assert_eq!(request_id, &None, "{code}: no x-amzn-requestid header");
            }
            other => panic!("{code}: {other:?}"),
        }
        assert_eq!(error.to_string(), format!("{code}: {message}"));
        assert_eq!(mock.requests().len(), 1, "{code}: not retried");
    }
    let mock = FakeEndpoint::replying(vec![Reply::Http(
        502,
        vec![("content-type", "text/html".into())],
        b"<html>bad gateway</html>".to_vec(),
    )])
    .await;
    let error = initiate(&mock.transport()).await.unwrap_err();
    assert!(
        matches!(
            error,
            TransportError::MalformedResponse {
                status: 502,
                problem: MalformedProblem::NoErrorCode,
                ..
            }
        ),
        "{error:?}"
    );
    let mock = FakeEndpoint::replying(vec![ok("{not json")]).await;
    let error = initiate(&mock.transport()).await.unwrap_err();
    assert!(
        matches!(
            error,
            TransportError::MalformedResponse {
                status: 200,
                problem: MalformedProblem::InvalidJson,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn throttling_is_retried_with_a_bound() {
    let throttled = || aws_error(400, "TooManyRequestsException", "Rate exceeded");
    let mock = FakeEndpoint::replying(vec![throttled(), throttled(), ok("{}")]).await;
    initiate(&mock.transport()).await.unwrap();
    assert_eq!(mock.requests().len(), 3);
    let first = mock.requests()[0].body.clone();
    assert!(
        mock.requests().iter().all(|r| r.body == first),
        "same bytes each try"
    );

    let mock = FakeEndpoint::replying(vec![throttled(), throttled(), throttled()]).await;
    let transport = HttpTransport::builder()
        .endpoint(mock.url())
        .max_attempts(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let error = initiate(&transport).await.unwrap_err();
    assert_eq!(
        error.service_kind(),
        Some(&ServiceErrorKind::TooManyRequests)
    );
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn failures_after_sending_are_not_retried() {
    let mock = FakeEndpoint::replying(vec![Reply::Close, ok("{}")]).await;
    let error = initiate(&mock.transport()).await.unwrap_err();
    assert!(
        matches!(error, TransportError::Interrupted { .. }),
        "{error:?}"
    );
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_until_the_server_is_up() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    // Nothing listens: a bounded number of quick retries, then Connect.
    let transport = HttpTransport::builder()
        .endpoint(url.as_str())
        .max_attempts(3)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let error = initiate(&transport).await.unwrap_err();
    assert!(matches!(error, TransportError::Connect { .. }), "{error:?}");
    // The server comes up while the client backs off.
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        FakeEndpoint::serve_queue(listener, vec![ok("{}")])
    });
    let transport = HttpTransport::builder()
        .endpoint(url.as_str())
        .max_attempts(10)
        .backoff(Duration::from_millis(50), Duration::from_millis(100))
        .build()
        .unwrap();
    initiate(&transport).await.unwrap();
    let mock = late.await.unwrap();
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn total_deadline_is_enforced() {
    let mock = FakeEndpoint::replying(vec![Reply::Stall(Duration::from_secs(5))]).await;
    let transport = HttpTransport::builder()
        .endpoint(mock.url())
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = initiate(&transport).await.unwrap_err();
    assert!(matches!(error, TransportError::Timeout { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn response_size_is_limited_while_reading() {
    let declared = FakeEndpoint::replying(vec![ok(&" ".repeat(5000))]).await;
    let chunked = FakeEndpoint::replying(vec![Reply::Chunked(50_000)]).await;
    for mock in [&declared, &chunked] {
        let transport = HttpTransport::builder()
            .endpoint(mock.url())
            .max_response_bytes(1024)
            .build()
            .unwrap();
        let error = initiate(&transport).await.unwrap_err();
        assert!(
            matches!(error, TransportError::ResponseTooLarge { limit: 1024, .. }),
            "{error:?}"
        );
    }
    let fits = FakeEndpoint::replying(vec![Reply::Chunked(900)]).await;
    let transport = HttpTransport::builder()
        .endpoint(fits.url())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    // 900 spaces are not JSON, but they were read in full.
    let error = initiate(&transport).await;
    assert!(error.is_ok() || matches!(error, Err(TransportError::MalformedResponse { .. })));
}

#[test]
fn endpoints_and_debug() {
    let pool = cognito_srp_auth::UserPoolId::parse("eu-west-1_Abc").unwrap();
    let transport = HttpTransport::for_user_pool(&pool).unwrap();
    assert_eq!(
        transport.endpoint(),
        "https://cognito-idp.eu-west-1.amazonaws.com/"
    );
    assert!(format!("{transport:?}").contains("cognito-idp.eu-west-1"));
    assert!(matches!(
        HttpTransport::builder().endpoint("ftp://x").build(),
        Err(TransportError::InvalidEndpoint)
    ));
    assert!(matches!(
        HttpTransport::builder().build(),
        Err(TransportError::InvalidEndpoint)
    ));
}
