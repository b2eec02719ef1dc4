//! The `Logins` map of a user pool's ID token.

use crate::srp::UserPoolId;
use crate::wire::ParameterMap;

/// The `Logins` key (identity provider name) of `user_pool_id`:
/// `cognito-idp.<region>.amazonaws.com/<user pool id>` (the developer
/// guide's form; `.amazonaws.com.cn` in `cn-` regions).
///
/// The local pool (`serve --identity-pool`) expects the same key for its own
/// user pool, so a client written for AWS works against it unchanged.
pub fn logins_key(user_pool_id: &UserPoolId) -> String {
    let region = user_pool_id.region();
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("cognito-idp.{region}.{suffix}/{}", user_pool_id.as_str())
}

/// `{logins_key(user_pool_id): id_token}`.
pub fn logins_map(user_pool_id: &UserPoolId, id_token: &str) -> ParameterMap {
    [(logins_key(user_pool_id), id_token.to_owned())]
        .into_iter()
        .collect()
}

/// The region of an identity pool id `<region>:<uuid>`, when it has that form.
pub fn identity_pool_region(identity_pool_id: &str) -> Option<&str> {
    let (region, rest) = identity_pool_id.split_once(':')?;
    let valid = !region.is_empty()
        && region.len() <= 32
        && !rest.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    valid.then_some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_regions() {
        let pool = UserPoolId::parse("eu-west-1_AbCdEf123").unwrap();
        assert_eq!(
            logins_key(&pool),
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
        );
        let pool = UserPoolId::parse("cn-north-1_AbCdEf123").unwrap();
        assert_eq!(
            logins_key(&pool),
            "cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbCdEf123"
        );
        assert_eq!(
            identity_pool_region("us-east-1:1b2c3d4e-0000-4000-8000-000000000000"),
            Some("us-east-1")
        );
        assert_eq!(identity_pool_region("us-east-1"), None);
        assert_eq!(identity_pool_region("Evil.com:x"), None);
    }
}
