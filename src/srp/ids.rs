//! Validated identifiers: [`UserPoolId`] and [`ClientId`].

use std::fmt;
use std::str::FromStr;

use crate::error::{SrpError, UserPoolIdProblem};

/// A user pool id, `<region>_<id>` (for example `us-east-1_AbCdEf123`), parsed once.
///
/// ```
/// use cognito_srp_auth::UserPoolId;
/// let pool: UserPoolId = "eu-west-1_myPool".parse()?;
/// assert_eq!(pool.region(), "eu-west-1");
/// assert_eq!(pool.pool_name(), "myPool");
/// # Ok::<(), cognito_srp_auth::SrpError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UserPoolId {
    id: String,
    underscore: usize,
}

impl UserPoolId {
    /// Parses and validates `<region>_<id>`: region of `a-z`, `0-9`, `-`; id of
    /// ASCII letters and digits; 55 characters at most.
    pub fn parse(text: &str) -> Result<Self, SrpError> {
        let problem = |p| SrpError::InvalidUserPoolId(p);
        if text.len() > 55 {
            return Err(problem(UserPoolIdProblem::TooLong));
        }
        let underscore = text
            .find('_')
            .ok_or(problem(UserPoolIdProblem::MissingUnderscore))?;
        let (region, id) = (&text[..underscore], &text[underscore + 1..]);
        let region_ok = !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !region_ok {
            return Err(problem(UserPoolIdProblem::BadRegion));
        }
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(problem(UserPoolIdProblem::BadId));
        }
        Ok(Self {
            id: text.to_owned(),
            underscore,
        })
    }

    /// The region, the part before `_` (`us-east-1`).
    pub fn region(&self) -> &str {
        &self.id[..self.underscore]
    }

    /// The pool name, the part after `_`: what SRP hashes and signs.
    pub fn pool_name(&self) -> &str {
        &self.id[self.underscore + 1..]
    }

    /// The whole id.
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

impl FromStr for UserPoolId {
    type Err = SrpError;
    fn from_str(text: &str) -> Result<Self, SrpError> {
        Self::parse(text)
    }
}

impl fmt::Display for UserPoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl fmt::Debug for UserPoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UserPoolId({:?})", self.id)
    }
}

/// An app client id (1 to 128 characters). A separate type so that it cannot be
/// swapped with a user name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    /// Validates and wraps an app client id.
    pub fn new(id: impl Into<String>) -> Result<Self, SrpError> {
        let id = id.into();
        if id.is_empty() || id.chars().count() > 128 {
            return Err(SrpError::InvalidClientId);
        }
        Ok(Self(id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ClientId {
    type Err = SrpError;
    fn from_str(text: &str) -> Result<Self, SrpError> {
        Self::new(text)
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientId({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed_pool_ids() {
        let cases = [
            ("", UserPoolIdProblem::MissingUnderscore),
            ("useast1AbC", UserPoolIdProblem::MissingUnderscore),
            ("_AbC", UserPoolIdProblem::BadRegion),
            ("US-EAST-1_AbC", UserPoolIdProblem::BadRegion),
            ("us-east-1_", UserPoolIdProblem::BadId),
            ("us-east-1_a_b", UserPoolIdProblem::BadId),
            ("us-east-1_a-b", UserPoolIdProblem::BadId),
        ];
        for (text, problem) in cases {
            assert_eq!(
                UserPoolId::parse(text),
                Err(SrpError::InvalidUserPoolId(problem)),
                "{text:?}"
            );
        }
        let long = format!("us-east-1_{}", "a".repeat(50));
        assert_eq!(
            UserPoolId::parse(&long),
            Err(SrpError::InvalidUserPoolId(UserPoolIdProblem::TooLong))
        );
    }

    #[test]
    fn client_id_bounds() {
        assert_eq!(ClientId::new(""), Err(SrpError::InvalidClientId));
        assert_eq!(
            ClientId::new("x".repeat(129)),
            Err(SrpError::InvalidClientId)
        );
        assert!(ClientId::new("x".repeat(128)).is_ok());
    }
}
