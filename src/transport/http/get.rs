//! A bounded `GET` with the transport's client and limits: the pool's JWKS
//! (feature `verify`), fetched with the same deadline, size limit and typed
//! errors as an operation.

use reqwest::header::{ACCEPT, HeaderValue, USER_AGENT};
use tokio::time::Instant;
use zeroize::Zeroizing;

use super::HttpTransport;
use super::body::read_limited;
use super::exchange::{CRATE_USER_AGENT, send_error};
use crate::transport::TransportError;
use crate::wire::Operation;

/// The operation name a `GET` failure carries: `GET <what>`.
fn operation(what: &str) -> Operation {
    Operation::Other(format!("GET {what}"))
}

impl HttpTransport {
    /// `GET url`: the status and body of one response, within the transport's
    /// request deadline and response-size limit (at most `max_bytes`). `what`
    /// names the resource in errors (`jwks.json`). Plain `http://` only to
    /// loopback, or to the host of an `http://` endpoint (accepted when the
    /// transport was built).
    /// No retries; redirects are not followed.
    pub(crate) async fn get(
        &self,
        url: &str,
        what: &str,
        max_bytes: usize,
    ) -> Result<(u16, Zeroizing<Vec<u8>>), TransportError> {
        let url = super::parse_endpoint(url)?;
        // Clear text to the endpoint's host only when the endpoint itself is
        // `http://` (accepted, or opted in, at build).
        let vetted = self.endpoint.scheme() == "http" && url.host_str() == self.endpoint.host_str();
        if !vetted {
            super::check_clear_text(&url, false)?;
        }
        let deadline = Instant::now() + self.limits.request_timeout;
        match tokio::time::timeout_at(deadline, self.get_once(url, what, max_bytes)).await {
            Ok(result) => result,
            Err(_elapsed) => Err(TransportError::Timeout {
                operation: operation(what),
                source: None,
            }),
        }
    }

    async fn get_once(
        &self,
        url: reqwest::Url,
        what: &str,
        max_bytes: usize,
    ) -> Result<(u16, Zeroizing<Vec<u8>>), TransportError> {
        let mut response = self
            .client
            .get(url)
            .header(USER_AGENT, HeaderValue::from_static(CRATE_USER_AGENT))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .send()
            .await
            .map_err(|e| send_error(operation(what), e))?;
        let status = response.status().as_u16();
        let limit = self.limits.max_response_bytes.min(max_bytes);
        let bytes = read_limited(&mut response, &operation(what), limit).await?;
        Ok((status, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn clear_text_only_to_loopback_or_an_http_endpoints_host() {
        let https = HttpTransport::builder()
            .region("eu-west-1")
            .build()
            .unwrap();
        let downgrade = "http://cognito-idp.eu-west-1.amazonaws.com/p/.well-known/jwks.json";
        assert!(matches!(
            https.get(downgrade, "jwks.json", 1024).await,
            Err(TransportError::InsecureEndpoint { .. })
        ));
        assert!(matches!(
            https.get("ftp://x/", "jwks.json", 1024).await,
            Err(TransportError::InvalidEndpoint)
        ));
        let remote = HttpTransport::builder()
            .endpoint("http://10.255.255.1:9/")
            .allow_insecure_http(true)
            .build()
            .unwrap();
        assert!(matches!(
            remote
                .get("http://10.255.255.2:9/p", "jwks.json", 1024)
                .await,
            Err(TransportError::InsecureEndpoint { .. })
        ));
    }
}
