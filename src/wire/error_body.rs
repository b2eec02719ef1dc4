//! The body of an AWS JSON 1.1 error.

use serde::{Deserialize, Serialize};

/// `{"__type": "NotAuthorizedException", "message": "Incorrect username or password."}`.
///
/// `__type` may carry a namespace prefix (`com.amazonaws…#NotAuthorizedException`)
/// and the message may be spelled `Message`; [`code`](Self::code) strips the prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AwsErrorBody {
    /// `__type`: the error code.
    #[serde(rename = "__type", default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// `message` (or `Message`).
    #[serde(default, alias = "Message", skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl AwsErrorBody {
    /// An error body with `code` and `message`.
    pub fn new(code: &str, message: &str) -> Self {
        Self {
            error_type: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }
    }

    /// The error code without any `namespace#` prefix or `:suffix`.
    pub fn code(&self) -> Option<&str> {
        self.error_type.as_deref().map(strip_error_code)
    }
}

/// `aws.protocols#Foo:http://…` → `Foo`: the code part of `__type` or
/// `x-amzn-ErrorType`.
pub fn strip_error_code(raw: &str) -> &str {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash.split(':').next().unwrap_or(after_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_namespace_and_suffix() {
        assert_eq!(
            strip_error_code("NotAuthorizedException"),
            "NotAuthorizedException"
        );
        assert_eq!(
            strip_error_code("com.amazon.cognito#UserNotFoundException:http://x"),
            "UserNotFoundException"
        );
        let body: AwsErrorBody = serde_json::from_str(r#"{"__type":"a#B","Message":"m"}"#).unwrap();
        assert_eq!(body.code(), Some("B"));
        assert_eq!(body.message.as_deref(), Some("m"));
    }
}
