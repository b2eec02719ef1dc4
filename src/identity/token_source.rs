//! [`IdTokenSource`]: where a credentials provider gets a valid ID token.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use zeroize::Zeroizing;

/// The future of [`IdTokenSource::id_token`]: the token, or why there is none.
pub type IdTokenFuture<'a> = Pin<
    Box<
        dyn Future<Output = Result<Zeroizing<String>, Box<dyn std::error::Error + Send + Sync>>>
            + Send
            + 'a,
    >,
>;

/// Gives a currently valid ID token of the user (refreshing it if need be).
///
/// Called each time credentials must be fetched, not on every request.
pub trait IdTokenSource: Send + Sync + fmt::Debug {
    /// A valid ID token.
    fn id_token(&self) -> IdTokenFuture<'_>;
}

/// A fixed ID token (valid until it expires; for short-lived programs and tests).
/// `Debug` redacts it.
#[derive(Clone)]
pub struct StaticIdToken(Zeroizing<String>);

impl StaticIdToken {
    /// Wraps `id_token`.
    pub fn new(id_token: impl Into<String>) -> Self {
        Self(Zeroizing::new(id_token.into()))
    }
}

impl fmt::Debug for StaticIdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticIdToken([redacted])")
    }
}

impl IdTokenSource for StaticIdToken {
    fn id_token(&self) -> IdTokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_static_token_is_given_back_and_never_shown() {
        let source = StaticIdToken::new("eyJ.secret.sig");
        assert_eq!(format!("{source:?}"), "StaticIdToken([redacted])");
        assert_eq!(source.id_token().await.unwrap().as_str(), "eyJ.secret.sig");
    }
}
