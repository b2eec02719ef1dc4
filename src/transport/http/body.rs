//! Reading a response body within the transport's size limit, for every
//! request the HTTP transport makes (operations and `GET`s).

use reqwest::header::CONTENT_LENGTH;
use zeroize::Zeroizing;

use crate::transport::TransportError;
use crate::wire::Operation;

/// Room for a response without `Content-Length` (token responses are ~4 KiB).
const MIN_CAPACITY: usize = 8 * 1024;

/// The body of `response`, at most `limit` bytes: refused as
/// `ResponseTooLarge` when its `Content-Length` says more, or as soon as more
/// arrives. The buffer is sized up front (the declared length, else 8 KiB, at
/// most `limit`) so that it rarely grows, since a reallocation would leave an
/// unwiped copy of the tokens behind. It is wiped when dropped.
pub(super) async fn read_limited(
    response: &mut reqwest::Response,
    operation: &Operation,
    limit: usize,
) -> Result<Zeroizing<Vec<u8>>, TransportError> {
    let too_large = || TransportError::ResponseTooLarge {
        operation: operation.clone(),
        limit,
    };
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(
        declared.map_or(MIN_CAPACITY, |n| n as usize).min(limit),
    ));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(e) => return Err(read_error(operation.clone(), e)),
        }
    }
}

/// A failure after the request may have been sent: a timeout, or a broken
/// exchange (reading a body, or a send error that is neither a connect nor a
/// request-building failure).
pub(super) fn read_error(operation: Operation, error: reqwest::Error) -> TransportError {
    if error.is_timeout() {
        TransportError::Timeout {
            operation,
            source: Some(Box::new(error)),
        }
    } else {
        TransportError::Interrupted {
            operation,
            source: Some(Box::new(error)),
        }
    }
}
