//! [`from_fn`]: a closure over an operation's JSON as a [`Transport`].
//!
//! Closures cannot be generic, so the closure sees the operation's wire form
//! (its [`Operation`] and JSON body); [`FromFn`] serialises `Op::Request` and
//! deserialises `Op::Response`. A wrapper rather than a blanket impl on `Fn`,
//! which would overlap the `&T` forwarder (a reference to a closure is a closure).

use std::fmt;
use std::future::Future;

use super::Transport;
use super::error::{MalformedProblem, TransportError};
use crate::wire::{CognitoOperation, Operation};

/// A [`Transport`] made of a closure `Fn(Operation, serde_json::Value) -> Fut`
/// returning the response's JSON; see [`from_fn`].
#[derive(Clone)]
pub struct FromFn<F>(F);

impl<F> fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FromFn { .. }")
    }
}

/// A transport from a closure over each operation's name and JSON body.
///
/// The closure answers with the response's JSON (or an error); a response
/// that does not parse as the operation's response type becomes
/// [`TransportError::MalformedResponse`].
///
/// ```
/// use cognito_srp_auth::transport::{TransportError, from_fn};
/// let transport = from_fn(|operation, _body| async move {
///     Err::<serde_json::Value, _>(TransportError::service(operation, "NotAuthorizedException", "no", None))
/// });
/// # let _ = transport;
/// ```
pub fn from_fn<F, Fut>(f: F) -> FromFn<F>
where
    F: Fn(Operation, serde_json::Value) -> Fut + Send + Sync,
    Fut: Future<Output = Result<serde_json::Value, TransportError>> + Send,
{
    FromFn(f)
}

impl<F, Fut> Transport for FromFn<F>
where
    F: Fn(Operation, serde_json::Value) -> Fut + Send + Sync,
    Fut: Future<Output = Result<serde_json::Value, TransportError>> + Send,
{
    async fn call<Op: CognitoOperation>(
        &self,
        request: Op::Request,
    ) -> Result<Op::Response, TransportError> {
        let body = serde_json::to_value(&request).map_err(|e| TransportError::Request {
            operation: Op::OPERATION,
            source: Some(Box::new(e)),
        })?;
        let response = (self.0)(Op::OPERATION, body).await?;
        // An empty body (`null`) is an empty object, as over HTTP.
        let response = match response {
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            other => other,
        };
        serde_json::from_value(response).map_err(|_| TransportError::MalformedResponse {
            operation: Op::OPERATION,
            status: 200,
            problem: MalformedProblem::InvalidJson,
            source: None,
        })
    }
}
