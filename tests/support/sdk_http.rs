//! The HTTP client the AWS SDK for Rust uses in the tests: rustls with ring,
//! the only TLS feature the `aws-smithy-http-client` dev-dependency enables
//! (the tests' endpoints are plain `http://127.0.0.1`).

use aws_sdk_cognitoidentityprovider::config::SharedHttpClient;

/// A rustls (ring) HTTP client for an SDK `Config`.
pub(crate) fn rustls_http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}
