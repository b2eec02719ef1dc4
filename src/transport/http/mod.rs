//! [`HttpTransport`]: Cognito's AWS JSON 1.1 over reqwest with rustls (ring).
//!
//! This file: the transport, its builder and limits; `exchange`: one
//! operation's request and retry loop; `response`: reading a response.
//!
//! No request signing: `InitiateAuth`, `RespondToAuthChallenge`, the software
//! token and device operations are public (authenticated by their content).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::Transport;
use super::error::{BoxError, TransportError};
use crate::srp::UserPoolId;
use crate::wire::CognitoOperation;

mod body;
mod exchange;
#[cfg(feature = "verify")]
mod get;
mod response;

#[doc(hidden)]
pub use response::parse_response;

/// Default time allowed to establish a connection (TCP and TLS).
pub(super) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default total deadline of one operation, retries and backoff included.
pub(super) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default largest response body read, in bytes (1 MiB).
pub(super) const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Default number of attempts per operation (the first try and two retries).
pub(super) const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default first backoff before a retry; it doubles per retry, with full jitter.
pub(super) const DEFAULT_BASE_BACKOFF: Duration = Duration::from_millis(100);
/// Default largest backoff before a retry.
pub(super) const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Cognito over HTTPS: `POST https://cognito-idp.<region>.amazonaws.com/` with
/// `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and
/// `Content-Type: application/x-amz-json-1.1`.
///
/// Bounded everywhere: a connect timeout, a total deadline per operation
/// (retries included), a response-size limit enforced while reading, and a
/// few retries with exponential backoff and full jitter — only for
/// throttling (`TooManyRequestsException`) and for connections that failed
/// before the request was sent, which are safe to repeat.
///
/// Needs a Tokio runtime with I/O and time enabled.
///
/// ```no_run
/// # async fn demo() -> Result<(), cognito_srp_auth::transport::TransportError> {
/// use cognito_srp_auth::transport::HttpTransport;
/// let transport = HttpTransport::builder().region("eu-west-1").build()?;
/// let local = HttpTransport::builder().endpoint("http://127.0.0.1:9229/").build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    limits: Limits,
}

#[derive(Debug, Clone, Copy)]
struct Limits {
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: usize,
    max_attempts: u32,
    base_backoff: Duration,
    max_backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_backoff: DEFAULT_BASE_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("endpoint", &self.endpoint.as_str())
            .field("limits", &self.limits)
            .finish()
    }
}

/// Builds an [`HttpTransport`]: the region or an endpoint override, and the limits.
#[derive(Debug, Clone, Default)]
pub struct HttpTransportBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    allow_insecure_http: bool,
    limits: Limits,
}

impl HttpTransportBuilder {
    /// The AWS region (`eu-west-1`): the endpoint is
    /// `https://cognito-idp.<region>.amazonaws.com/` (`.amazonaws.com.cn` for `cn-` regions).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The region of `user_pool_id` (the part before `_`).
    pub fn user_pool(self, user_pool_id: &UserPoolId) -> Self {
        self.region(user_pool_id.region())
    }

    /// An endpoint override (`http://127.0.0.1:9229/` for a local server, a
    /// VPC endpoint, …). Takes precedence over the region. `http://` is
    /// accepted only for a loopback host (`127.0.0.0/8`, `::1`,
    /// `localhost`) unless [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Accepts a plain `http://` endpoint on any host: everything sent —
    /// tokens, codes, and with `USER_PASSWORD_AUTH` the password — travels
    /// in clear. Default off: a non-loopback `http://` endpoint is
    /// [`TransportError::InsecureEndpoint`] at [`build`](Self::build).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Time allowed to establish a connection. Default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.limits.connect_timeout = timeout;
        self
    }

    /// Total deadline of one operation: connecting, sending, reading the
    /// whole body, retries and backoff included. Default 30 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.limits.request_timeout = timeout;
        self
    }

    /// Largest response body read; a larger one fails with
    /// [`TransportError::ResponseTooLarge`]. Default 1 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.limits.max_response_bytes = limit;
        self
    }

    /// Attempts per operation, at least 1 (1 disables retries). Default 3.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.limits.max_attempts = attempts.clamp(1, 10);
        self
    }

    /// The first backoff (doubled per retry, full jitter) and the largest one.
    /// Defaults 100 ms and 2 s.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.limits.base_backoff = base;
        self.limits.max_backoff = max.max(base);
        self
    }

    /// Builds the transport: resolves the endpoint and sets up rustls with
    /// the ring provider and the platform's certificate verifier.
    pub fn build(self) -> Result<HttpTransport, TransportError> {
        self.build_for_service("cognito-idp")
    }

    /// [`build`](Self::build) for another AWS service on the same protocol:
    /// a region resolves to `https://<service>.<region>.amazonaws.com/`
    /// (`cognito-identity` for identity pools).
    pub(crate) fn build_for_service(self, service: &str) -> Result<HttpTransport, TransportError> {
        let endpoint = match (&self.endpoint, &self.region) {
            (Some(url), _) => {
                let url = parse_endpoint(url)?;
                check_clear_text(&url, self.allow_insecure_http)?;
                url
            }
            (None, Some(region)) => regional_endpoint(service, region)?,
            (None, None) => return Err(TransportError::InvalidEndpoint),
        };
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(self.limits.connect_timeout)
            .timeout(self.limits.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .build()
            .map_err(|e| TransportError::ClientSetup {
                source: Some(Box::new(e)),
            })?;
        Ok(HttpTransport {
            client,
            endpoint,
            limits: self.limits,
        })
    }
}

fn parse_endpoint(url: &str) -> Result<reqwest::Url, TransportError> {
    let url = reqwest::Url::parse(url).map_err(|_| TransportError::InvalidEndpoint)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(TransportError::InvalidEndpoint);
    }
    Ok(url)
}

/// `http://` only to loopback, unless `allowed`.
fn check_clear_text(url: &reqwest::Url, allowed: bool) -> Result<(), TransportError> {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    };
    if url.scheme() == "http" && !loopback && !allowed {
        return Err(TransportError::InsecureEndpoint {
            host: host.to_owned(),
        });
    }
    Ok(())
}

fn regional_endpoint(service: &str, region: &str) -> Result<reqwest::Url, TransportError> {
    let valid = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(TransportError::InvalidEndpoint);
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    parse_endpoint(&format!("https://{service}.{region}.{suffix}/"))
}

fn tls_config() -> Result<rustls::ClientConfig, TransportError> {
    let setup = |e: BoxError| TransportError::ClientSetup { source: Some(e) };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| setup(Box::new(e)))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup(Box::new(e)))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

impl HttpTransport {
    /// A builder; give it a region, a user pool or an endpoint.
    pub fn builder() -> HttpTransportBuilder {
        HttpTransportBuilder::default()
    }

    /// The transport for `user_pool_id`'s region with default limits.
    pub fn for_user_pool(user_pool_id: &UserPoolId) -> Result<Self, TransportError> {
        Self::builder().user_pool(user_pool_id).build()
    }

    /// The URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }
}

/// Every operation through the same serde path: the request serialised as
/// `Op::Request`, the body of a success decoded as `Op::Response`.
impl Transport for HttpTransport {
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        self.send(Op::OPERATION, &request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::InitiateAuthRequest;

    #[test]
    fn regional_endpoints() {
        let url = |r: &str| {
            regional_endpoint("cognito-idp", r)
                .map(|u| u.to_string())
                .ok()
        };
        assert_eq!(
            url("eu-west-1").as_deref(),
            Some("https://cognito-idp.eu-west-1.amazonaws.com/")
        );
        assert_eq!(
            url("cn-north-1").as_deref(),
            Some("https://cognito-idp.cn-north-1.amazonaws.com.cn/")
        );
        assert_eq!(
            regional_endpoint("cognito-identity", "eu-west-1")
                .map(|u| u.to_string())
                .ok()
                .as_deref(),
            Some("https://cognito-identity.eu-west-1.amazonaws.com/")
        );
        assert_eq!(url("eu-west-1.evil.com/x"), None);
        assert_eq!(url(""), None);
        assert!(parse_endpoint("ftp://x/").is_err());
        assert!(parse_endpoint("not a url").is_err());
    }

    #[test]
    fn clear_text_only_to_loopback_unless_allowed() {
        let build = |url: &str, allow: bool| {
            HttpTransport::builder()
                .endpoint(url)
                .allow_insecure_http(allow)
                .build()
        };
        for url in [
            "http://127.0.0.1:9229/",
            "http://127.8.9.10/",
            "http://[::1]:9229/",
            "http://localhost:9229/",
            "http://LOCALHOST/",
            "https://cognito-idp.example.com/",
        ] {
            assert!(build(url, false).is_ok(), "{url}");
        }
        for (url, host) in [
            ("http://10.255.255.1:9229/", "10.255.255.1"),
            (
                "http://cognito-idp.eu-west-1.amazonaws.com/",
                "cognito-idp.eu-west-1.amazonaws.com",
            ),
            ("http://[2001:db8::1]/", "[2001:db8::1]"),
            ("http://localhost.example.com/", "localhost.example.com"),
        ] {
            match build(url, false) {
                Err(TransportError::InsecureEndpoint { host: refused }) => {
                    assert_eq!(refused, host);
                }
                other => panic!("{url}: {other:?}"),
            }
            // Opting in builds it (nothing is sent here).
            assert!(build(url, true).is_ok(), "{url}");
        }
    }

    #[test]
    fn parameter_maps_serialise_in_key_order() {
        let request = InitiateAuthRequest {
            client_id: "c".into(),
            auth_parameters: Some(
                [("Z", "1"), ("A", "2"), ("M", "3")]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            ),
            ..Default::default()
        };
        // The map is ordered: nothing re-sorts before serialising, and an
        // unset `AuthFlow` is left out.
        let bytes = serde_json::to_vec(&request).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"AuthParameters":{"A":"2","M":"3","Z":"1"},"ClientId":"c"}"#
        );
    }
}
