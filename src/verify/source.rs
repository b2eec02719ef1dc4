//! [`JwksSource`]: where a [`TokenVerifier`](super::TokenVerifier) gets the
//! pool's key set; implemented for [`HttpTransport`].

use std::future::Future;

use super::error::{JwksError, JwksProblem};
use crate::transport::HttpTransport;

/// The largest JWKS document read, in bytes (Cognito's is about 1 KiB).
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// Fetches a JSON Web Key Set.
///
/// [`HttpTransport`] implements it with its client and limits (the request
/// deadline, the connect timeout, the response-size limit capped at
/// [`MAX_JWKS_BYTES`], `http://` only to loopback or to an `http://` endpoint's
/// host). A test double or another HTTP stack implements the one method.
pub trait JwksSource: Send + Sync {
    /// The body of a `GET url` answered with 200, at most
    /// [`MAX_JWKS_BYTES`] long.
    fn fetch_jwks(&self, url: &str) -> impl Future<Output = Result<Vec<u8>, JwksError>> + Send;
}

impl<S: JwksSource + ?Sized> JwksSource for &S {
    fn fetch_jwks(&self, url: &str) -> impl Future<Output = Result<Vec<u8>, JwksError>> + Send {
        (**self).fetch_jwks(url)
    }
}

impl JwksSource for HttpTransport {
    async fn fetch_jwks(&self, url: &str) -> Result<Vec<u8>, JwksError> {
        let (status, mut body) = self
            .get(url, "jwks.json", MAX_JWKS_BYTES)
            .await
            .map_err(JwksError::Transport)?;
        if status != 200 {
            return Err(JwksError::Status { status });
        }
        if body.len() > MAX_JWKS_BYTES {
            return Err(JwksError::Invalid {
                problem: JwksProblem::TooLarge,
            });
        }
        // A key set is public: handed over as it is, not copied.
        Ok(std::mem::take(&mut *body))
    }
}
