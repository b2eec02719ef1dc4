//! The `--users FILE` format shared by `serve` and `load`:
//! `{"users": [{"username", "password" | "temporary_password",
//! "attributes": {...}, "totp_secret": "BASE32"}]}` or the bare array.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(untagged)]
enum UsersFile {
    Object { users: Vec<FileUser> },
    List(Vec<FileUser>),
}

/// One user of a users file.
#[derive(Deserialize)]
pub(crate) struct FileUser {
    /// The user name.
    pub username: String,
    /// A permanent password.
    #[serde(default)]
    pub password: Option<String>,
    /// A temporary password (the user must set a new one at sign-in).
    #[serde(default)]
    pub temporary_password: Option<String>,
    /// User attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// A TOTP secret, base32.
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// Fields this format does not know (`serve` refuses them).
    #[serde(flatten)]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

/// The users in `path`; the error names the file.
pub(crate) fn read(path: &Path) -> Result<Vec<FileUser>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: UsersFile = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a users file: {e}", path.display()))?;
    Ok(match file {
        UsersFile::Object { users } | UsersFile::List(users) => users,
    })
}
