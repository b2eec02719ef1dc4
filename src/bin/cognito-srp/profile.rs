//! Profiles: a signed-in session on disk, named, under the tool's home
//! directory — `$COGNITO_SRP_HOME/profiles/NAME.json`, else the platform's
//! config directory (`$XDG_CONFIG_HOME/cognito-srp` or
//! `~/.config/cognito-srp` on Linux and other Unix systems,
//! `~/Library/Application Support/cognito-srp` on macOS,
//! `%APPDATA%\cognito-srp` on Windows).
//!
//! A profile is a [`StoredSession`] in a [`FileStore`] (mode 0600, replaced
//! atomically, refreshed under a lock on `NAME.json.lock`): the tokens, the
//! remembered device's credentials, the user pool and app client ids, the
//! endpoint or region, and whether the app client has a secret — never the
//! password, never the client secret (give it again with
//! `--client-secret`/`COGNITO_CLIENT_SECRET`).
//!
//! API (for every command that reads a profile):
//! * [`Profile::named`] checks the name and finds the file;
//! * [`Profile::load`] / [`Profile::load_optional`] read it (a corrupt or
//!   foreign file is an error naming it), [`Profile::save`] writes it,
//!   [`Profile::delete`] removes it;
//! * [`Profile::client`] builds the HTTP client of the stored session;
//! * [`Profile::valid_tokens`] returns tokens valid for at least the margin,
//!   refreshing and saving first when needed (under the lock, so
//!   concurrent callers refresh once), with the ID token in
//!   `tokens.expose_id_token()`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use cognito_srp_auth::ClientSecret;
use cognito_srp_auth::flow::{CognitoClient, Tokens};
use cognito_srp_auth::session::{
    FileStore, SessionError, StoreError, StoredSession, TokenManager, TokenManagerOptions,
    TokenStore,
};
use cognito_srp_auth::transport::HttpTransport;

use crate::exit::{self, Failure};
use crate::steps::{StepPrinter, StepSink};

/// The variable naming the tool's home directory.
pub(crate) const HOME_VARIABLE: &str = "COGNITO_SRP_HOME";

/// The longest profile name, in bytes.
const MAX_NAME_LEN: usize = 64;

/// What a command that uses a stored profile needs besides its name: the
/// secrets and settings a profile does not keep.
#[derive(Debug, Args)]
pub(crate) struct ProfileAccess {
    /// App client secret, for app clients that have one (profiles never
    /// store it).
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Accept the profile's http:// endpoint when it is not loopback.
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Print each request to stderr (never a secret).
    #[arg(long, short)]
    pub verbose: bool,
}

impl ProfileAccess {
    fn client_secret(&self) -> Option<ClientSecret> {
        self.client_secret
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(ClientSecret::new)
    }
}

/// The tool's home directory: `$COGNITO_SRP_HOME`, else the platform's
/// config directory joined with `cognito-srp`.
pub(crate) fn home() -> Result<PathBuf, Failure> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(home) = var(HOME_VARIABLE) {
        return Ok(home);
    }
    let config = if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|home| home.join("Library").join("Application Support"))
    } else {
        var("XDG_CONFIG_HOME")
            .filter(|dir| dir.is_absolute())
            .or_else(|| var("HOME").map(|home| home.join(".config")))
    };
    config.map(|dir| dir.join("cognito-srp")).ok_or_else(|| {
        Failure::usage(format!(
            "error: no home directory for profiles: set {HOME_VARIABLE}"
        ))
    })
}

/// Whether `name` is a profile name: 1 to 64 of `A-Z a-z 0-9 . _ -`, not
/// starting with `.` (no path separators, nothing hidden, nothing relative).
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A named profile and its file.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    name: String,
    store: FileStore,
}

impl Profile {
    /// The profile `name` under [`home`]: `HOME/profiles/NAME.json`.
    pub(crate) fn named(name: &str) -> Result<Self, Failure> {
        if !valid_name(name) {
            return Err(Failure::usage(format!(
                "error: --profile {name:?}: a profile name is 1 to {MAX_NAME_LEN} letters, digits, '.', '_' or '-', not starting with '.'"
            )));
        }
        let path = home()?.join("profiles").join(format!("{name}.json"));
        Ok(Self {
            name: name.to_owned(),
            store: FileStore::new(path),
        })
    }

    /// The profile's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The profile's file.
    pub(crate) fn path(&self) -> &Path {
        self.store.path()
    }

    /// The stored session, or `None` when the profile does not exist.
    pub(crate) fn load_optional(&self) -> Result<Option<StoredSession>, Failure> {
        self.store.load().map_err(|e| self.store_failure(&e))
    }

    /// The stored session; a missing profile is a usage error telling how
    /// to create it.
    pub(crate) fn load(&self) -> Result<StoredSession, Failure> {
        self.load_optional()?.ok_or_else(|| {
            Failure::usage(format!(
                "error: no profile {name} ({}): sign in with cognito-srp login --profile {name}",
                self.path().display(),
                name = self.name
            ))
        })
    }

    /// Writes `session` (mode 0600, atomically).
    pub(crate) fn save(&self, session: &StoredSession) -> Result<(), Failure> {
        self.store.save(session).map_err(|e| self.store_failure(&e))
    }

    /// Removes the profile; `false` when there was none.
    pub(crate) fn delete(&self) -> Result<bool, Failure> {
        let existed = self.path().exists();
        self.store.clear().map_err(|e| self.store_failure(&e))?;
        Ok(existed)
    }

    /// The failure of a store error: the file is named; exit 2 for a file
    /// that is not a profile, 3 for an I/O failure.
    pub(crate) fn store_failure(&self, error: &StoreError) -> Failure {
        let line = format!("error: profile {}: {}", self.name, exit::one_line(error));
        match error {
            StoreError::Io { .. } | StoreError::Serialize => Failure::fault(line),
            _ => Failure::usage(line),
        }
    }

    /// The client of `session` over HTTP: its pool, app client and endpoint
    /// (or region), with the secret and settings of `access`.
    pub(crate) fn client(
        &self,
        session: &StoredSession,
        access: &ProfileAccess,
    ) -> Result<CognitoClient<StepPrinter<HttpTransport>>, Failure> {
        let secret = access.client_secret();
        if session.client_secret_required() && secret.is_none() {
            return Err(Failure::usage(format!(
                "error: profile {}: the app client has a secret, which profiles do not store: give it with COGNITO_CLIENT_SECRET (or --client-secret)",
                self.name
            )));
        }
        let builder = HttpTransport::builder()
            .user_pool(session.user_pool_id())
            .allow_insecure_http(access.allow_insecure_http);
        let builder = match (session.endpoint(), session.region()) {
            (Some(url), _) => builder.endpoint(url),
            (None, Some(region)) => builder.region(region),
            (None, None) => builder,
        };
        let transport = builder.build().map_err(|e| {
            Failure::new(
                exit::transport_code_of(&e),
                format!("error: profile {}: {}", self.name, exit::one_line(&e)),
            )
        })?;
        let sink = match access.verbose {
            true => StepSink::Stderr,
            false => StepSink::Off,
        };
        let mut client = CognitoClient::new(
            session.user_pool_id().clone(),
            session.client_id().clone(),
            StepPrinter::new(transport, sink),
        );
        if let Some(secret) = secret {
            client = client.with_client_secret(secret);
        }
        Ok(client)
    }

    /// Tokens valid for at least `margin` (capped at half their lifetime),
    /// refreshed and saved first when needed. The refresh runs under the
    /// profile's lock and takes a session another process has just
    /// refreshed, so concurrent callers refresh once. A session Cognito no
    /// longer refreshes is exit 1, and the profile is left as it is.
    pub(crate) async fn valid_tokens(
        &self,
        access: &ProfileAccess,
        margin: Duration,
    ) -> Result<Tokens, Failure> {
        let session = self.load()?;
        let client = self.client(&session, access)?;
        let options = TokenManagerOptions::new().refresh_margin(margin);
        let manager =
            TokenManager::from_session(client, session, options).with_store(self.store.clone());
        manager
            .valid_tokens()
            .await
            .map_err(|e| self.session_failure(&e))
    }

    /// The failure of a session error.
    pub(crate) fn session_failure(&self, error: &SessionError) -> Failure {
        let name = &self.name;
        match error {
            SessionError::SignInRequired { reason } => Failure::new(
                exit::REFUSED,
                format!(
                    "error: session for profile {name} cannot be refreshed: {reason}; sign in again with cognito-srp login --profile {name}"
                ),
            ),
            SessionError::Refresh(flow) => Failure::new(
                exit::code_of(flow),
                format!(
                    "error: session for profile {name} could not be refreshed: {}",
                    exit::one_line(flow)
                ),
            ),
            SessionError::Store(store) => self.store_failure(store),
            _ => Failure::fault(format!("error: profile {name}: {}", exit::one_line(error))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for good in ["default", "dev-eu_1", "a.b", "A9"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "",
            ".hidden",
            "..",
            "a/b",
            "a\\b",
            "a b",
            "é",
            &"x".repeat(65),
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
