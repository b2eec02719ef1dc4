//! The AWS credentials of `cognito-srp credentials`, cached next to the
//! profile (`HOME/profiles/NAME.aws-credentials.json`, mode 0600, replaced
//! atomically): the `credential_process` JSON plus what they were issued for
//! (identity pool, endpoint, the user's `sub`), so another pool, endpoint or
//! user never gets them.

use std::path::{Path, PathBuf};

use chrono::Utc;
use cognito_srp_auth::identity::{AwsCredentials, REFRESH_MARGIN};
use cognito_srp_auth::session::write_private_file;
use serde::Deserialize;
use zeroize::Zeroizing;

/// What cached credentials were issued for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Issued {
    /// The identity pool id.
    pub identity_pool_id: String,
    /// The Cognito Identity endpoint.
    pub endpoint: String,
    /// The user's `sub` (from the profile's ID token).
    pub subject: String,
}

/// The cache file of the profile at `profile_path` (`NAME.json` →
/// `NAME.aws-credentials.json`).
pub(crate) fn path_for(profile_path: &Path) -> PathBuf {
    profile_path.with_extension("aws-credentials.json")
}

/// The cached credentials when they were issued for `issued` and are good
/// for at least [`REFRESH_MARGIN`]; `None` otherwise (also for a missing or
/// unreadable file: it is then replaced).
pub(crate) fn load(path: &Path, issued: &Issued) -> Option<AwsCredentials> {
    let text = Zeroizing::new(std::fs::read_to_string(path).ok()?);
    let recorded: Issued = serde_json::from_str(&text).ok()?;
    if &recorded != issued {
        return None;
    }
    let credentials = AwsCredentials::from_credential_process_json(&text).ok()?;
    credentials
        .is_fresh(Utc::now(), REFRESH_MARGIN)
        .then_some(credentials)
}

/// Writes `credentials` for `issued` (0600, through a temporary file and a rename).
pub(crate) fn save(
    path: &Path,
    issued: &Issued,
    credentials: &AwsCredentials,
) -> std::io::Result<()> {
    let json = credentials.to_credential_process_json();
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    let mut record = Zeroizing::new(String::with_capacity(json.len() + 512));
    record.push_str(json.trim_end_matches('}'));
    record.push_str(",\"IdentityId\":");
    record.push_str(&quoted(credentials.identity_id().unwrap_or_default()));
    record.push_str(",\"IdentityPoolId\":");
    record.push_str(&quoted(&issued.identity_pool_id));
    record.push_str(",\"Endpoint\":");
    record.push_str(&quoted(&issued.endpoint));
    record.push_str(",\"Subject\":");
    record.push_str(&quoted(&issued.subject));
    record.push('}');
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_private_file(path, record.as_bytes())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cached_credentials_serve_only_their_pool_endpoint_and_user_while_fresh() {
        let dir = std::env::temp_dir().join(format!("credentials-cache-{}", std::process::id()));
        let path = path_for(&dir.join("dev.json"));
        assert!(path.ends_with("dev.aws-credentials.json"));
        let issued = Issued {
            identity_pool_id: "us-east-1:pool".into(),
            endpoint: "http://127.0.0.1:9229/".into(),
            subject: "sub-1".into(),
        };
        let fresh = AwsCredentials::new("ASIA1", "s", "t", Utc::now() + chrono::Duration::hours(1))
            .with_identity_id("us-east-1:id");
        save(&path, &issued, &fresh).unwrap();
        let loaded = load(&path, &issued).unwrap();
        assert_eq!(loaded.access_key_id(), "ASIA1");
        assert_eq!(loaded.identity_id(), Some("us-east-1:id"));
        for other in [
            Issued {
                subject: "sub-2".into(),
                ..issued.clone()
            },
            Issued {
                identity_pool_id: "us-east-1:other".into(),
                ..issued.clone()
            },
            Issued {
                endpoint: "https://cognito-identity.us-east-1.amazonaws.com/".into(),
                ..issued.clone()
            },
        ] {
            assert!(load(&path, &other).is_none(), "{other:?}");
        }
        let stale =
            AwsCredentials::new("ASIA2", "s", "t", Utc::now() + chrono::Duration::minutes(4));
        save(&path, &issued, &stale).unwrap();
        assert!(load(&path, &issued).is_none());
        std::fs::write(&path, "not json").unwrap();
        assert!(load(&path, &issued).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
