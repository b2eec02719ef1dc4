//! Hostile servers: an in-process fake Cognito endpoint on 127.0.0.1 (raw
//! HTTP/1.1 over a tokio `TcpListener`, so it can send truncated, garbage,
//! huge or slow answers) driving the real `HttpTransport` and `CognitoClient`,
//! and the `cognito-srp login` binary for a few.
//!
//! For every misbehaviour: a typed error naming the problem, within the
//! configured deadline plus slack, no panic, no `PASSWORD_VERIFIER` answer when
//! the challenge was invalid, and no secret in the error's `Display`/`Debug`.

use std::time::{Duration, Instant};

use crate::support::fake_http::{FakeEndpoint, Recorded, Reply, aws_error, ok_json};
use cognito_srp_auth::flow::{ChallengeKind, CognitoClient, FlowError, LoginOutcome};
use cognito_srp_auth::transport::{ErrorClass, HttpTransport, MalformedProblem, TransportError};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::{ClientId, ClientSecret, Field, Password, SrpError, UserPoolId};
use serde_json::{Value, json};

const POOL: &str = "us-east-1_Hostile1";
const CLIENT: &str = "hostile-client";
const USERNAME: &str = "alice";
const PASSWORD: &str = "Pa55word-hostile-do-not-print";
const CLIENT_SECRET: &str = "client-secret-hostile-do-not-print";
const SESSION: &str = "SESSION-hostile-do-not-print";
const SECRET_BLOCK: &str = "c2VjcmV0LWJsb2NrLWhvc3RpbGUtZG8tbm90LXByaW50";
const ACCESS_TOKEN: &str = "ACCESS-TOKEN-hostile-do-not-print";
const REFRESH_TOKEN: &str = "REFRESH-TOKEN-hostile-do-not-print";

/// The total deadline of one request in these tests.
const DEADLINE: Duration = Duration::from_millis(1500);
/// What the bound allows beyond the deadlines (scheduling, SRP arithmetic).
const SLACK: Duration = Duration::from_millis(2000);
/// A body well over the transport's 1 MiB cap.
const HUGE: usize = 3 * 1024 * 1024;

fn ok_bytes(body: impl Into<Vec<u8>>) -> Reply {
    Reply::Http(200, vec![], body.into())
}

/// A valid-looking `PASSWORD_VERIFIER` challenge's parameters.
fn good_params() -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("SRP_B".into(), json!("ab".repeat(300)));
    map.insert("SALT".into(), json!("-0f1e2d3c"));
    map.insert("SECRET_BLOCK".into(), json!(SECRET_BLOCK));
    map.insert("USER_ID_FOR_SRP".into(), json!("sub-1"));
    map.insert("USERNAME".into(), json!("sub-1"));
    map
}

fn challenge_with(params: serde_json::Map<String, Value>) -> Reply {
    ok_json(&json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": SESSION,
        "ChallengeParameters": params,
    }))
}

fn challenge_setting(key: &str, value: &str) -> Reply {
    let mut params = good_params();
    params.insert(key.into(), json!(value));
    challenge_with(params)
}

fn tokens(result: Value) -> Reply {
    ok_json(&json!({ "AuthenticationResult": result }))
}

/// The fake endpoint, answering by operation.
struct Fake {
    endpoint: FakeEndpoint,
    url: String,
}

impl Fake {
    async fn start(initiate: Reply, respond: Reply) -> Self {
        let endpoint = FakeEndpoint::start(move |request| match request.operation() {
            "InitiateAuth" => initiate.clone(),
            "RespondToAuthChallenge" => respond.clone(),
            _ => aws_error(400, "UnknownOperationException", ""),
        })
        .await;
        let url = endpoint.url().to_owned();
        Self { endpoint, url }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.endpoint.requests()
    }

    fn count(&self, operation: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.operation() == operation)
            .count()
    }

    /// Whether a `PASSWORD_VERIFIER` answer (a signature) was ever sent.
    fn answered_password_verifier(&self) -> bool {
        self.requests().iter().any(|r| {
            r.operation() == "RespondToAuthChallenge"
                && r.json()["ChallengeName"] == "PASSWORD_VERIFIER"
        })
    }
}

fn client(url: &str) -> CognitoClient<HttpTransport> {
    let transport = HttpTransport::builder()
        .endpoint(url)
        .connect_timeout(Duration::from_millis(500))
        .request_timeout(DEADLINE)
        .backoff(Duration::from_millis(10), Duration::from_millis(50))
        .build()
        .unwrap();
    CognitoClient::new(
        UserPoolId::parse(POOL).unwrap(),
        ClientId::new(CLIENT).unwrap(),
        transport,
    )
    .with_client_secret(ClientSecret::new(CLIENT_SECRET))
}

/// The result of one login against a fake.
struct Run {
    fake: Fake,
    result: Result<LoginOutcome, FlowError>,
    elapsed: Duration,
}

/// A login whose `InitiateAuth` gets `initiate` and whose answer gets `respond`.
async fn login(initiate: Reply, respond: Reply) -> Run {
    let fake = Fake::start(initiate, respond).await;
    let client = client(&fake.url);
    let started = Instant::now();
    let result = client.login(USERNAME, Password::new(PASSWORD)).await;
    let elapsed = started.elapsed();
    Run {
        fake,
        result,
        elapsed,
    }
}

/// The error and its sources, as the CLI prints them.
fn chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// Every secret the client holds or the fake sent.
const SECRETS: &[&str] = &[
    PASSWORD,
    CLIENT_SECRET,
    SESSION,
    SECRET_BLOCK,
    ACCESS_TOKEN,
    REFRESH_TOKEN,
];

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret:?}: {text}");
    }
}

impl Run {
    /// The error, checked: within `requests` deadlines plus slack, no secret
    /// in Display, Debug or the source chain.
    fn error(&self, requests: u32) -> &FlowError {
        let bound = DEADLINE * requests + SLACK;
        assert!(
            self.elapsed <= bound,
            "took {:?}, over {bound:?}",
            self.elapsed
        );
        let error = match &self.result {
            Ok(outcome) => panic!("expected an error, got {outcome:?}"),
            Err(error) => error,
        };
        assert_no_secret("Display", &error.to_string());
        assert_no_secret("Debug", &format!("{error:?}"));
        assert_no_secret("source chain", &chain(error));
        assert!(!chain(error).contains('\n'), "{}", chain(error));
        error
    }

    /// The error of an invalid challenge: one request, no answer sent.
    fn refused_challenge(&self) -> &FlowError {
        assert!(
            !self.fake.answered_password_verifier(),
            "a PASSWORD_VERIFIER answer was sent for an invalid challenge"
        );
        assert_eq!(self.fake.count("RespondToAuthChallenge"), 0);
        self.error(1)
    }

    fn srp_error(&self) -> &SrpError {
        match self.refused_challenge() {
            FlowError::Srp(error) => error,
            other => panic!("expected an SRP refusal, got {other:?}"),
        }
    }

    fn transport_error(&self, requests: u32) -> &TransportError {
        match self.error(requests) {
            FlowError::Transport(error) => error,
            other => panic!("expected a transport error, got {other:?}"),
        }
    }
}

fn malformed(error: &TransportError) -> MalformedProblem {
    match error {
        TransportError::MalformedResponse { problem, .. } => *problem,
        other => panic!("expected a malformed response, got {other:?}"),
    }
}

fn n_hex() -> String {
    cognito_srp_auth::math::N_HEX.to_owned()
}

fn two_n_hex() -> String {
    (cognito_srp_auth::math::n() * 2u32).to_str_radix(16)
}

// ---------------------------------------------------------------- SRP_B

#[tokio::test]
async fn srp_b_congruent_to_zero_is_refused_without_answering() {
    let cases = [
        "0".to_owned(),
        "-0".to_owned(),
        "0000".to_owned(),
        n_hex(),
        n_hex().to_uppercase(),
        format!("000{}", n_hex()),
        format!("-{}", n_hex()),
        two_n_hex(),
    ];
    for srp_b in cases {
        let run = login(challenge_setting("SRP_B", &srp_b), tokens(json!({}))).await;
        assert_eq!(
            run.srp_error(),
            &SrpError::SrpBModNZero,
            "SRP_B={srp_b:.12}…"
        );
        assert!(
            run.refused_challenge()
                .to_string()
                .contains("SRP computation")
        );
        assert!(chain(run.refused_challenge()).contains("SRP_B is congruent to 0"));
    }
}

#[tokio::test]
async fn srp_b_not_hex_empty_or_huge_is_refused() {
    for (srp_b, expected) in [
        ("xyz", SrpError::InvalidHex(Field::SrpB)),
        ("12 34", SrpError::InvalidHex(Field::SrpB)),
        ("0x1234", SrpError::InvalidHex(Field::SrpB)),
        ("--12", SrpError::InvalidHex(Field::SrpB)),
        ("", SrpError::EmptyParameter(Field::SrpB)),
    ] {
        let run = login(challenge_setting("SRP_B", srp_b), tokens(json!({}))).await;
        assert_eq!(run.srp_error(), &expected, "SRP_B={srp_b:?}");
    }
    let million = "7".repeat(1_000_000);
    let run = login(challenge_setting("SRP_B", &million), tokens(json!({}))).await;
    assert!(
        matches!(
            run.srp_error(),
            SrpError::ValueTooLong {
                field: Field::SrpB,
                len: 1_000_000,
                ..
            }
        ),
        "{:?}",
        run.result
    );
}

// ---------------------------------------------------------------- SALT, SECRET_BLOCK

#[tokio::test]
async fn salt_not_hex_or_huge_is_refused() {
    let run = login(challenge_setting("SALT", "not-hex!"), tokens(json!({}))).await;
    assert_eq!(run.srp_error(), &SrpError::InvalidHex(Field::Salt));
    let run = login(challenge_setting("SALT", ""), tokens(json!({}))).await;
    assert_eq!(run.srp_error(), &SrpError::EmptyParameter(Field::Salt));
    let run = login(
        challenge_setting("SALT", &"f".repeat(200_000)),
        tokens(json!({})),
    )
    .await;
    assert!(
        matches!(
            run.srp_error(),
            SrpError::ValueTooLong {
                field: Field::Salt,
                ..
            }
        ),
        "{:?}",
        run.result
    );
}

#[tokio::test]
async fn secret_block_not_base64_or_megabytes_is_refused() {
    let run = login(
        challenge_setting("SECRET_BLOCK", "not base64 at all!"),
        tokens(json!({})),
    )
    .await;
    assert_eq!(
        run.srp_error(),
        &SrpError::InvalidBase64(Field::SecretBlock)
    );
    let run = login(challenge_setting("SECRET_BLOCK", ""), tokens(json!({}))).await;
    assert_eq!(
        run.srp_error(),
        &SrpError::EmptyParameter(Field::SecretBlock)
    );
    // Under the 1 MiB body cap: the core's own length limit refuses it.
    let run = login(
        challenge_setting("SECRET_BLOCK", &"QUFB".repeat(200_000)),
        tokens(json!({})),
    )
    .await;
    assert!(
        matches!(
            run.srp_error(),
            SrpError::ValueTooLong {
                field: Field::SecretBlock,
                ..
            }
        ),
        "{:?}",
        run.result
    );
    // Megabytes: the transport stops reading at its cap.
    let run = login(
        challenge_setting("SECRET_BLOCK", &"QUFB".repeat(1_000_000)),
        tokens(json!({})),
    )
    .await;
    assert!(!run.fake.answered_password_verifier());
    assert!(
        matches!(
            run.transport_error(1),
            TransportError::ResponseTooLarge { limit, .. } if *limit == 1024 * 1024
        ),
        "{:?}",
        run.result
    );
}

// ---------------------------------------------------------------- parameters

#[tokio::test]
async fn each_missing_challenge_parameter_is_named() {
    for (key, field) in [
        ("SRP_B", Field::SrpB),
        ("SALT", Field::Salt),
        ("SECRET_BLOCK", Field::SecretBlock),
        ("USER_ID_FOR_SRP", Field::UserIdForSrp),
    ] {
        let mut params = good_params();
        params.remove(key);
        let run = login(challenge_with(params), tokens(json!({}))).await;
        assert_eq!(
            run.srp_error(),
            &SrpError::MissingParameter(field),
            "without {key}"
        );
        assert!(chain(run.refused_challenge()).contains(key));
    }
    // No ChallengeParameters at all.
    let run = login(
        ok_json(&json!({"ChallengeName": "PASSWORD_VERIFIER", "Session": SESSION})),
        tokens(json!({})),
    )
    .await;
    assert!(matches!(
        run.srp_error(),
        SrpError::MissingParameter(Field::SrpB)
    ));
}

#[tokio::test]
async fn challenge_parameters_of_the_wrong_json_type_are_malformed() {
    let bodies = [
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": ["SRP_B", "ab"]}),
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": 17}),
        // A string where the map belongs: serde_json would quote it in its error.
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": SECRET_BLOCK}),
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {"SRP_B": 5, "SALT": "ab"}}),
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {"SRP_B": null}}),
        json!({"ChallengeName": 7, "ChallengeParameters": {}}),
        json!({"ChallengeName": "PASSWORD_VERIFIER", "Session": [SESSION]}),
        json!(["not", "an", "object"]),
    ];
    for body in bodies {
        let run = login(ok_json(&body), tokens(json!({}))).await;
        assert!(!run.fake.answered_password_verifier());
        assert_eq!(
            malformed(run.transport_error(1)),
            MalformedProblem::InvalidJson,
            "{body}"
        );
        assert!(chain(run.refused_challenge()).contains("unexpected type"));
    }
}

#[tokio::test]
async fn an_unknown_challenge_is_handed_to_the_caller_unanswered() {
    let run = login(
        ok_json(&json!({
            "ChallengeName": "TOTALLY_NEW_CHALLENGE",
            "Session": SESSION,
            "ChallengeParameters": good_params(),
        })),
        tokens(json!({})),
    )
    .await;
    assert!(run.elapsed <= DEADLINE + SLACK);
    assert_eq!(run.fake.requests().len(), 1);
    let challenge = match &run.result {
        Ok(LoginOutcome::Challenge(challenge)) => challenge,
        other => panic!("expected the challenge, got {other:?}"),
    };
    assert_eq!(challenge.name().as_str(), "TOTALLY_NEW_CHALLENGE");
    assert!(matches!(challenge.kind(), ChallengeKind::Other));
    assert_no_secret("Debug", &format!("{challenge:?}"));
}

#[tokio::test]
async fn a_response_with_neither_challenge_nor_result_is_incomplete() {
    for body in [
        json!({}),
        json!({"Session": SESSION}),
        json!({"ChallengeParameters": good_params()}),
    ] {
        let run = login(ok_json(&body), tokens(json!({}))).await;
        assert!(
            matches!(
                run.refused_challenge(),
                FlowError::IncompleteResponse { .. }
            ),
            "{body}: {:?}",
            run.result
        );
    }
}

// ---------------------------------------------------------------- bodies

#[tokio::test]
async fn bodies_that_are_not_the_json_are_malformed() {
    let mut nested_inside =
        br#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":"#.to_vec();
    nested_inside.extend(std::iter::repeat_n(b'[', 200_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "html",
            b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        ),
        ("plain text", b"hello".to_vec()),
        (
            "truncated",
            br#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SRP_B":"ab"#.to_vec(),
        ),
        ("nested at top", vec![b'['; 900_000]),
        ("nested inside", nested_inside),
        (
            "invalid UTF-8",
            b"{\"ChallengeName\":\"PASSWORD_VERIFIER\",\"Session\":\"\xff\xfe\xfd\"}".to_vec(),
        ),
        ("NUL bytes", vec![0u8; 64]),
    ];
    for (what, body) in cases {
        let run = login(ok_bytes(body), tokens(json!({}))).await;
        assert!(!run.fake.answered_password_verifier(), "{what}");
        assert_eq!(
            malformed(run.transport_error(1)),
            MalformedProblem::InvalidJson,
            "{what}"
        );
    }
}

#[tokio::test]
async fn an_empty_200_is_an_incomplete_response() {
    for body in [&b""[..], b"   \r\n"] {
        let run = login(ok_bytes(body), tokens(json!({}))).await;
        assert!(
            matches!(
                run.refused_challenge(),
                FlowError::IncompleteResponse { .. }
            ),
            "{:?}",
            run.result
        );
    }
}

#[tokio::test]
async fn response_bodies_are_capped_at_one_mebibyte() {
    for reply in [
        ok_bytes(vec![b' '; HUGE]),
        Reply::Chunked(HUGE),
        Reply::Http(500, vec![], vec![b'x'; HUGE]),
    ] {
        let run = login(reply, tokens(json!({}))).await;
        assert!(!run.fake.answered_password_verifier());
        assert!(
            matches!(
                run.transport_error(1),
                TransportError::ResponseTooLarge { limit, .. } if *limit == 1024 * 1024
            ),
            "{:?}",
            run.result
        );
    }
}

// ---------------------------------------------------------------- HTTP errors

#[tokio::test]
async fn server_errors_with_and_without_an_aws_body() {
    let run = login(
        aws_error(500, "InternalErrorException", "Internal server error."),
        tokens(json!({})),
    )
    .await;
    let error = run.transport_error(1);
    assert_eq!(error.service_kind(), Some(&ServiceErrorKind::InternalError));
    assert!(error.to_string().starts_with("InternalErrorException"));
    assert_eq!(error.class(), ErrorClass::Fault);

    let run = login(
        Reply::Http(
            503,
            vec![(
                "x-amzn-ErrorType",
                "ServiceUnavailableException:http://x".into(),
            )],
            vec![],
        ),
        tokens(json!({})),
    )
    .await;
    assert_eq!(
        run.transport_error(1).service_code(),
        Some("ServiceUnavailableException")
    );

    for (status, body) in [
        (500u16, &b""[..]),
        (502, b"<html>Bad Gateway</html>"),
        (504, b"{\"__type\": 5}"),
        (500, b"{\"__type\":\"\xff\xfe\"}"),
    ] {
        let run = login(
            Reply::Http(status, vec![], body.to_vec()),
            tokens(json!({})),
        )
        .await;
        match run.transport_error(1) {
            TransportError::MalformedResponse {
                status: got,
                problem: MalformedProblem::NoErrorCode,
                ..
            } => assert_eq!(*got, status),
            other => panic!("{status}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn hostile_error_messages_stay_on_one_short_line() {
    let message = format!(
        "\u{1b}]0;pwned\u{7}\u{1b}[2J line1\nline2\r{}",
        "m".repeat(100_000)
    );
    let run = login(
        aws_error(400, "NotAuthorizedException\u{1b}[31m", &message),
        tokens(json!({})),
    )
    .await;
    let error = run.transport_error(1);
    let line = error.to_string();
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(line.chars().count() < 1024, "{} chars", line.len());
    assert!(
        line.starts_with("NotAuthorizedException[31m: ]0;pwned"),
        "{line:.80}"
    );
}

#[tokio::test]
async fn throttling_on_every_call_gives_up_after_bounded_retries() {
    let run = login(
        aws_error(400, "TooManyRequestsException", "Rate exceeded"),
        aws_error(400, "TooManyRequestsException", "Rate exceeded"),
    )
    .await;
    let error = run.transport_error(1);
    assert_eq!(
        error.service_kind(),
        Some(&ServiceErrorKind::TooManyRequests)
    );
    let attempts = run.fake.count("InitiateAuth");
    assert!((1..=3).contains(&attempts), "{attempts} attempts");
    assert!(!run.fake.answered_password_verifier());
    // ThrottlingException is the same kind.
    let run = login(aws_error(400, "ThrottlingException", ""), tokens(json!({}))).await;
    assert_eq!(
        run.transport_error(1).service_kind(),
        Some(&ServiceErrorKind::TooManyRequests)
    );
}

// ---------------------------------------------------------------- connections

#[tokio::test]
async fn a_server_that_never_answers_times_out_at_the_deadline() {
    let run = login(Reply::Hang, tokens(json!({}))).await;
    assert!(
        matches!(run.transport_error(1), TransportError::Timeout { .. }),
        "{:?}",
        run.result
    );
    assert!(run.elapsed >= DEADLINE - Duration::from_millis(100));
    assert!(!run.fake.answered_password_verifier());
}

#[tokio::test]
async fn a_server_that_drips_one_byte_a_second_does_not_hold_the_client() {
    for reply in [Reply::DripBody, Reply::DripHead] {
        let run = login(reply, tokens(json!({}))).await;
        assert!(
            matches!(run.transport_error(1), TransportError::Timeout { .. }),
            "{:?}",
            run.result
        );
    }
}

#[tokio::test]
async fn a_server_that_closes_the_connection_is_interrupted() {
    let cases = [
        Reply::Close,
        Reply::Raw(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"Chall".to_vec()),
        Reply::Raw(b"HTTP/1.1 20".to_vec()),
        Reply::Raw(b"this is not HTTP at all\r\n\r\n".to_vec()),
    ];
    for reply in cases {
        let run = login(reply, tokens(json!({}))).await;
        assert!(
            matches!(run.transport_error(1), TransportError::Interrupted { .. }),
            "{:?}",
            run.result
        );
        assert_eq!(run.fake.count("InitiateAuth"), 1, "not retried");
    }
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let started = Instant::now();
    let result = client(&url).login(USERNAME, Password::new(PASSWORD)).await;
    assert!(started.elapsed() <= DEADLINE + SLACK);
    assert!(
        matches!(
            result,
            Err(FlowError::Transport(TransportError::Connect { .. }))
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn the_answer_step_is_bounded_too() {
    let run = login(challenge_with(good_params()), Reply::Hang).await;
    assert!(run.fake.answered_password_verifier());
    assert!(
        matches!(run.transport_error(2), TransportError::Timeout { .. }),
        "{:?}",
        run.result
    );
    let run = login(challenge_with(good_params()), Reply::Close).await;
    assert!(matches!(
        run.transport_error(2),
        TransportError::Interrupted { .. }
    ));
}

// ---------------------------------------------------------------- tokens

#[tokio::test]
async fn garbage_token_results_are_typed_errors() {
    let cases = [
        (json!({}), "no AccessToken"),
        (json!({"AccessToken": ""}), "empty AccessToken"),
        (
            json!({"AccessToken": null, "RefreshToken": REFRESH_TOKEN}),
            "null AccessToken",
        ),
    ];
    for (result, what) in cases {
        let run = login(challenge_with(good_params()), tokens(result)).await;
        assert!(
            matches!(
                run.error(2),
                FlowError::MissingField {
                    field: "AccessToken",
                    ..
                }
            ),
            "{what}: {:?}",
            run.result
        );
    }
    let malformed_results = [
        json!(ACCESS_TOKEN),
        json!([ACCESS_TOKEN]),
        json!({"AccessToken": 12345}),
        json!({"AccessToken": ACCESS_TOKEN, "ExpiresIn": REFRESH_TOKEN}),
        json!({"AccessToken": ACCESS_TOKEN, "RefreshToken": {"t": REFRESH_TOKEN}}),
        json!({"AccessToken": ACCESS_TOKEN, "ExpiresIn": 1e300}),
    ];
    for result in malformed_results {
        let run = login(challenge_with(good_params()), tokens(result.clone())).await;
        assert_eq!(
            malformed(run.transport_error(2)),
            MalformedProblem::InvalidJson,
            "{result}"
        );
    }
}

#[tokio::test]
async fn odd_but_well_typed_token_results_are_bounded() {
    // Expiry far in the future or in the past: accepted, with the expiry clamped.
    for result in [
        json!({"AccessToken": jwt(&json!({"username": "u"})), "ExpiresIn": i64::MAX}),
        json!({"AccessToken": jwt(&json!({"username": "u"})), "ExpiresIn": -5}),
    ] {
        let run = login(challenge_with(good_params()), tokens(result)).await;
        assert!(run.elapsed <= 2 * DEADLINE + SLACK);
        let tokens = match run.result {
            Ok(LoginOutcome::Tokens(tokens)) => tokens,
            other => panic!("{other:?}"),
        };
        let ten_years = chrono::Utc::now() + chrono::TimeDelta::days(3660);
        assert!(tokens.expires_at() <= ten_years);
    }
}

/// An AccessToken that is not a JWT (or whose payload is not JSON, or that is
/// longer than the 64 KiB a token's claims may take) is refused, not handed on
/// as a successful login.
#[tokio::test]
async fn an_access_token_that_is_not_a_jwt_is_refused() {
    let huge = "x".repeat(70_000);
    for token in [
        "not-a-jwt",
        "a.!!!.c",
        "eyJhbGciOiJub25lIn0.bm90IGpzb24.sig",
        huge.as_str(),
    ] {
        let run = login(
            challenge_with(good_params()),
            tokens(json!({"AccessToken": token, "IdToken": token, "ExpiresIn": 3600})),
        )
        .await;
        assert!(
            matches!(
                run.error(2),
                FlowError::MissingField {
                    field: "AccessToken",
                    ..
                }
            ),
            "{token:.40}: {:?}",
            run.result
        );
    }
}

fn jwt(payload: &Value) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        b64.encode(br#"{"alg":"none"}"#),
        b64.encode(payload.to_string())
    )
}

// ---------------------------------------------------------------- CLI

/// `cognito-srp login` against a fake: (exit code, stdout, stderr).
async fn cli_login(initiate: Reply, respond: Reply) -> (Option<i32>, String, String) {
    let fake = Fake::start(initiate, respond).await;
    let url = fake.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-srp"))
            .args([
                "login",
                "--endpoint",
                &url,
                "--user-pool-id",
                POOL,
                "--client-id",
                CLIENT,
                "--username",
                USERNAME,
            ])
            .env("COGNITO_PASSWORD", PASSWORD)
            .env("COGNITO_CLIENT_SECRET", CLIENT_SECRET)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(40) {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_no_secret("CLI stdout", &stdout);
    assert_no_secret("CLI stderr", &stderr);
    assert_eq!(
        stderr.lines().filter(|l| !l.trim().is_empty()).count(),
        1,
        "one stderr line: {stderr:?}"
    );
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'));
    (output.status.code(), stdout, stderr)
}

#[tokio::test]
async fn cli_maps_hostile_answers_to_exit_codes_and_one_line() {
    let (code, _, stderr) = cli_login(challenge_setting("SRP_B", "0"), tokens(json!({}))).await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("SRP_B is congruent to 0 modulo N"),
        "{stderr}"
    );

    let mut params = good_params();
    params.remove("SECRET_BLOCK");
    let (code, _, stderr) = cli_login(challenge_with(params), tokens(json!({}))).await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("SECRET_BLOCK is missing"), "{stderr}");

    let (code, _, stderr) = cli_login(
        aws_error(500, "InternalErrorException", "boom"),
        tokens(json!({})),
    )
    .await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("InternalErrorException: boom"), "{stderr}");

    let (code, _, stderr) = cli_login(
        aws_error(
            400,
            "NotAuthorizedException",
            "Incorrect username or password.\n\u{1b}[2J",
        ),
        tokens(json!({})),
    )
    .await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");

    let (code, _, stderr) = cli_login(ok_bytes("<html>nope</html>"), tokens(json!({}))).await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("malformed response"), "{stderr}");

    let (code, _, stderr) = cli_login(ok_bytes(vec![b' '; HUGE]), tokens(json!({}))).await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("limit"), "{stderr}");

    let (code, _, stderr) = cli_login(Reply::Close, tokens(json!({}))).await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("connection failed"), "{stderr}");

    let (code, _, stderr) = cli_login(
        challenge_with(good_params()),
        tokens(json!({"AccessToken": ACCESS_TOKEN, "ExpiresIn": REFRESH_TOKEN})),
    )
    .await;
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("unexpected type"), "{stderr}");
}
