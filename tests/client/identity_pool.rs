//! The identity-pool client (`cognito_srp_auth::identity`): the wire it
//! sends, the same bounded-time typed errors as the user-pool transport
//! against a misbehaving endpoint, moto's Cognito Identity (an independent
//! server, `MOTO_ENDPOINT`), and the AWS SDK credentials provider signing
//! real SDK requests with the identity pool's credentials.

use std::time::{Duration, Instant};

use cognito_srp_auth::UserPoolId;
use cognito_srp_auth::identity::IdentityPoolClient;
use cognito_srp_auth::transport::{HttpTransport, MalformedProblem, TransportError};
use cognito_srp_auth::wire::ServiceErrorKind;
use serde_json::json;

use crate::support::aws_json::{moto_endpoint, moto_identity_async};
use crate::support::fake_http::{FakeEndpoint, Reply, aws_error, ok, ok_json};

const IDENTITY_POOL: &str = "us-east-1:0f0e0d0c-0000-4000-8000-000000000000";

fn user_pool() -> UserPoolId {
    UserPoolId::parse("us-east-1_AbCdEf123").unwrap()
}

fn client(
    url: &str,
    tweak: impl FnOnce(HttpTransportBuilderAlias) -> HttpTransportBuilderAlias,
) -> IdentityPoolClient {
    IdentityPoolClient::from_builder(tweak(HttpTransport::builder().endpoint(url))).unwrap()
}

type HttpTransportBuilderAlias = cognito_srp_auth::transport::HttpTransportBuilder;

fn credentials_body() -> serde_json::Value {
    json!({
        "IdentityId": "us-east-1:11111111-0000-4000-8000-000000000000",
        "Credentials": {
            "AccessKeyId": "ASIAFAKEFAKEFAKE0000",
            "SecretKey": "secretsecretsecretsecretsecretsecret0000",
            "SessionToken": "sessiontoken",
            "Expiration": 4.1e9,
        }
    })
}

#[tokio::test]
async fn get_id_and_get_credentials_speak_cognito_identitys_json() {
    let fake = FakeEndpoint::replying(vec![
        ok_json(&json!({"IdentityId": "us-east-1:11111111-0000-4000-8000-000000000000"})),
        ok_json(&credentials_body()),
    ])
    .await;
    let client = client(fake.url(), |b| b);
    let credentials = client
        .credentials(IDENTITY_POOL, &user_pool(), "the.id.token")
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEFAKEFAKE0000");
    assert_eq!(credentials.expiration().timestamp(), 4_100_000_000);
    assert_eq!(
        credentials.identity_id(),
        Some("us-east-1:11111111-0000-4000-8000-000000000000")
    );
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    let logins = json!({"cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123": "the.id.token"});
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("AWSCognitoIdentityService.GetId")
    );
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        requests[0].json(),
        json!({"IdentityPoolId": IDENTITY_POOL, "Logins": logins})
    );
    assert_eq!(
        requests[1].header("x-amz-target"),
        Some("AWSCognitoIdentityService.GetCredentialsForIdentity")
    );
    assert_eq!(
        requests[1].json(),
        json!({"IdentityId": "us-east-1:11111111-0000-4000-8000-000000000000", "Logins": logins})
    );
    assert!(requests[0].header("authorization").is_none(), "unsigned");
    // The regional endpoint is Cognito Identity's.
    assert_eq!(
        IdentityPoolClient::for_identity_pool(IDENTITY_POOL)
            .unwrap()
            .endpoint(),
        "https://cognito-identity.us-east-1.amazonaws.com/"
    );
}

#[tokio::test]
async fn a_misbehaving_identity_endpoint_gets_bounded_time_typed_errors() {
    let bounded = |b: HttpTransportBuilderAlias| {
        b.request_timeout(Duration::from_millis(800))
            .max_response_bytes(64 * 1024)
            .backoff(Duration::from_millis(10), Duration::from_millis(20))
    };
    let run = |reply: Reply| async move {
        let fake = FakeEndpoint::replying(vec![reply.clone(), reply.clone(), reply]).await;
        let started = Instant::now();
        let error = client(fake.url(), bounded)
            .identity_id(IDENTITY_POOL, &user_pool(), "t")
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(3), "{error}: {elapsed:?}");
        error
    };
    let garbage = run(ok("<html>not json</html>")).await;
    assert!(
        matches!(
            garbage,
            TransportError::MalformedResponse {
                problem: MalformedProblem::InvalidJson,
                ..
            }
        ),
        "{garbage:?}"
    );
    let huge = run(Reply::Chunked(2 * 1024 * 1024)).await;
    assert!(
        matches!(huge, TransportError::ResponseTooLarge { .. }),
        "{huge:?}"
    );
    for slow in [Reply::Hang, Reply::DripBody, Reply::DripHead] {
        let error = run(slow).await;
        assert!(matches!(error, TransportError::Timeout { .. }), "{error:?}");
    }
    let no_code = run(Reply::Http(500, vec![], b"oops".to_vec())).await;
    assert!(
        matches!(
            no_code,
            TransportError::MalformedResponse {
                problem: MalformedProblem::NoErrorCode,
                ..
            }
        ),
        "{no_code:?}"
    );
    let empty = run(ok("{}")).await;
    assert!(
        matches!(
            empty,
            TransportError::MalformedResponse {
                problem: MalformedProblem::MissingField,
                ..
            }
        ),
        "{empty:?}"
    );
    let refused = run(aws_error(
        400,
        "NotAuthorizedException",
        "Invalid login token.",
    ))
    .await;
    assert_eq!(
        refused.service_kind(),
        Some(&ServiceErrorKind::NotAuthorized)
    );
    // Credentials without their secret are not credentials.
    let mut partial = credentials_body();
    partial["Credentials"]
        .as_object_mut()
        .unwrap()
        .remove("SecretKey");
    let fake = FakeEndpoint::replying(vec![ok_json(&partial)]).await;
    let error = client(fake.url(), bounded)
        .credentials_for_identity("us-east-1:x", &user_pool(), "t")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            TransportError::MalformedResponse {
                problem: MalformedProblem::MissingField,
                ..
            }
        ),
        "{error:?}"
    );
    // Throttling is retried, a bounded number of times.
    let fake = FakeEndpoint::replying(vec![
        aws_error(400, "TooManyRequestsException", "Rate exceeded"),
        ok_json(&credentials_body()),
    ])
    .await;
    let credentials = client(fake.url(), bounded)
        .credentials_for_identity("us-east-1:x", &user_pool(), "t")
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAFAKEFAKEFAKE0000");
    assert_eq!(fake.requests().len(), 2);
}

/// An identity pool in moto (which does not check the `Logins` tokens).
async fn moto_identity_pool() -> String {
    let created = moto_identity_async(
        "CreateIdentityPool",
        &json!({"IdentityPoolName": "rust", "AllowUnauthenticatedIdentities": false}),
    )
    .await;
    created["IdentityPoolId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn moto_issues_credentials_to_the_library_client() {
    let identity_pool = moto_identity_pool().await;
    let client =
        IdentityPoolClient::from_builder(HttpTransport::builder().endpoint(moto_endpoint()))
            .unwrap();
    let credentials = client
        .credentials(&identity_pool, &user_pool(), "header.payload.signature")
        .await
        .unwrap();
    assert!(!credentials.access_key_id().is_empty());
    assert!(!credentials.secret_access_key().is_empty());
    assert!(!credentials.session_token().is_empty());
    assert!(credentials.expiration() > chrono::Utc::now());
    assert!(credentials.identity_id().is_some());
}

#[cfg(feature = "aws-credentials")]
mod sdk_provider {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
    use cognito_srp_auth::identity::{
        IdTokenFuture, IdTokenSource, IdentityPoolClient, IdentityPoolCredentialsProvider,
    };
    use cognito_srp_auth::transport::HttpTransport;
    use serde_json::json;
    use zeroize::Zeroizing;

    use super::{credentials_body, moto_identity_pool, user_pool};
    use crate::support::aws_json::moto_endpoint;
    use crate::support::fake_http::{FakeEndpoint, ok_json};

    /// An ID token source that counts its calls.
    #[derive(Debug, Default, Clone)]
    struct Counting(Arc<AtomicUsize>);

    impl IdTokenSource for Counting {
        fn id_token(&self) -> IdTokenFuture<'_> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Zeroizing::new("header.payload.signature".to_owned())) })
        }
    }

    fn sdk_client(
        provider: IdentityPoolCredentialsProvider<Counting>,
        endpoint: &str,
    ) -> aws_sdk_cognitoidentityprovider::Client {
        let http = crate::support::sdk_http::rustls_http_client();
        let config = aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(provider)
            .http_client(http)
            .build();
        aws_sdk_cognitoidentityprovider::Client::from_conf(config)
    }

    #[tokio::test]
    async fn the_sdk_signs_with_the_identity_pools_credentials_and_reuses_them() {
        // The identity endpoint: GetId, then GetCredentialsForIdentity.
        let identity = FakeEndpoint::replying(vec![
            ok_json(&json!({"IdentityId": "us-east-1:11111111-0000-4000-8000-000000000000"})),
            ok_json(&credentials_body()),
        ])
        .await;
        // The service the SDK calls: records the signed requests.
        let service = FakeEndpoint::replying(vec![
            ok_json(&json!({"UserPools": []})),
            ok_json(&json!({"UserPools": []})),
        ])
        .await;
        let calls = Counting::default();
        let provider = IdentityPoolCredentialsProvider::new(
            IdentityPoolClient::from_builder(HttpTransport::builder().endpoint(identity.url()))
                .unwrap(),
            super::IDENTITY_POOL,
            user_pool(),
            calls.clone(),
        );
        let sdk = sdk_client(provider, service.url());
        for _ in 0..2 {
            sdk.list_user_pools().max_results(10).send().await.unwrap();
        }
        // One token, one GetId and one GetCredentialsForIdentity for both calls.
        assert_eq!(calls.0.load(Ordering::SeqCst), 1);
        assert_eq!(identity.requests().len(), 2);
        let signed = service.requests();
        assert_eq!(signed.len(), 2);
        for request in &signed {
            let authorization = request.header("authorization").unwrap();
            assert!(
                authorization.starts_with("AWS4-HMAC-SHA256 Credential=ASIAFAKEFAKEFAKE0000/")
                    && authorization.contains("/us-east-1/cognito-idp/aws4_request"),
                "{authorization}"
            );
            assert_eq!(request.header("x-amz-security-token"), Some("sessiontoken"));
        }
    }

    #[tokio::test]
    async fn an_sdk_client_runs_on_moto_with_moto_identity_credentials() {
        let identity_pool = moto_identity_pool().await;
        let calls = Counting::default();
        let provider = IdentityPoolCredentialsProvider::new(
            IdentityPoolClient::from_builder(HttpTransport::builder().endpoint(moto_endpoint()))
                .unwrap(),
            identity_pool,
            user_pool(),
            calls.clone(),
        );
        let sdk = sdk_client(provider, &moto_endpoint());
        sdk.list_user_pools().max_results(10).send().await.unwrap();
        assert_eq!(calls.0.load(Ordering::SeqCst), 1);
    }
}
