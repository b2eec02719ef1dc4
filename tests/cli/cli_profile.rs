//! `cognito-srp login --profile` / `token` / `logout --profile` against
//! `cognito-srp serve --access-token-validity 3`: the session saved (mode
//! 0600, no password), the same token while fresh, a new one after expiry,
//! eight concurrent `token` calls refreshing once (with rotation and no grace
//! period, a second refresh would fail), a refused refresh (exit 1, profile
//! kept), logout revoking and deleting, corrupt and foreign profiles named and
//! left alone until a sign-in succeeds.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::serve::{self, Serve, output_with_stdin};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");
const PASSWORD: &str = "Password1!";
/// Past the 3-second validity of the tokens.
const PAST_EXPIRY: Duration = Duration::from_millis(3300);

/// `cognito-srp serve` with `alice` and 3-second tokens, and a home
/// directory for profiles (removed when dropped).
struct Setup {
    serve: Serve,
    home: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

impl Setup {
    fn start(extra: &[&str]) -> Self {
        let user = format!("alice:{PASSWORD}");
        let mut args = vec!["--user", user.as_str(), "--access-token-validity", "3"];
        args.extend_from_slice(extra);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let home =
            std::env::temp_dir().join(format!("cognito-srp-home-{}-{nanos}", std::process::id()));
        Setup {
            serve: Serve::start(BIN, &args),
            home,
        }
    }

    fn command(&self) -> Command {
        let mut command = serve::command(BIN);
        command.env("COGNITO_SRP_HOME", &self.home);
        command
    }

    fn connection(&self) -> [&str; 6] {
        [
            "--user-pool-id",
            self.serve.user_pool_id(),
            "--client-id",
            self.serve.public_client_id(),
            "--endpoint",
            self.serve.endpoint(),
        ]
    }

    fn login(&self, profile: &str, password: &str) -> Output {
        self.login_with(profile, password, &[])
    }

    fn login_with(&self, profile: &str, password: &str, extra: &[&str]) -> Output {
        let mut command = self.command();
        command.arg("login").args(self.connection()).args([
            "--username",
            "alice",
            "--password-stdin",
            "--profile",
            profile,
        ]);
        command.args(extra);
        output_with_stdin(&mut command, &format!("{password}\n"))
    }

    fn token(&self, profile: &str, extra: &[&str]) -> Output {
        let mut command = self.command();
        command
            .args(["token", "--profile", profile, "--refresh-margin", "0"])
            .args(extra);
        output_with_stdin(&mut command, "")
    }

    fn path(&self, profile: &str) -> PathBuf {
        self.home.join("profiles").join(format!("{profile}.json"))
    }

    fn stored(&self, profile: &str) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.path(profile)).unwrap()).unwrap()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The token printed by a successful `token`.
fn printed(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        stderr(output)
    );
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        text.ends_with('\n') && text.matches('\n').count() == 1,
        "{text:?}"
    );
    text.trim_end().to_owned()
}

fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

#[test]
fn login_token_refresh_after_expiry_and_logout() {
    let setup = Setup::start(&[]);
    let login = setup.login("dev", PASSWORD);
    assert!(login.status.success(), "{}", stderr(&login));
    assert!(
        login.stdout.is_empty(),
        "no tokens on stdout with --profile"
    );
    assert!(stderr(&login).contains("saved in profile dev"));
    let path = setup.path("dev");
    assert_eq!(mode(&path), 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(PASSWORD), "the password is never stored");
    let stored = setup.stored("dev");
    assert_eq!(stored["format"], "cognito-srp-session");
    assert_eq!(stored["endpoint"], setup.serve.endpoint());
    assert!(
        stored["device_credentials"]["device_key"].is_string(),
        "device remembered"
    );

    // Fresh: the same token, without a refresh.
    let first = printed(&setup.token("dev", &[]));
    assert_eq!(first, stored["tokens"]["AccessToken"].as_str().unwrap());
    assert_eq!(printed(&setup.token("dev", &[])), first);
    let id = printed(&setup.token("dev", &["--id"]));
    assert_eq!(id, stored["tokens"]["IdToken"].as_str().unwrap());

    // Expired: a new token, saved.
    std::thread::sleep(PAST_EXPIRY);
    let fresh = printed(&setup.token("dev", &[]));
    assert_ne!(fresh, first);
    let saved = setup.stored("dev");
    assert_eq!(saved["tokens"]["AccessToken"].as_str().unwrap(), fresh);
    assert_eq!(saved["device_key"], stored["device_key"]);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(printed(&setup.token("dev", &[])), fresh);

    // Logout revokes the refresh token and deletes the profile.
    let refresh_token = saved["tokens"]["RefreshToken"].as_str().unwrap().to_owned();
    let mut command = setup.command();
    command.args(["logout", "--profile", "dev"]);
    let logout = output_with_stdin(&mut command, "");
    assert!(logout.status.success(), "{}", stderr(&logout));
    assert!(!path.exists());
    let mut command = setup.command();
    command
        .arg("refresh")
        .args(setup.connection())
        .args(["--refresh-token-stdin", "--device-key"])
        .arg(saved["device_key"].as_str().unwrap());
    let refresh = output_with_stdin(&mut command, &format!("{refresh_token}\n"));
    assert_eq!(
        refresh.status.code(),
        Some(1),
        "revoked: {}",
        stderr(&refresh)
    );
    // No profile any more: a usage error saying how to sign in.
    let token = setup.token("dev", &[]);
    assert_eq!(token.status.code(), Some(2));
    assert!(
        stderr(&token).contains("cognito-srp login --profile dev"),
        "{}",
        stderr(&token)
    );
}

#[test]
fn eight_concurrent_token_calls_refresh_once() {
    // Rotation without a grace period: a second refresh with the spent
    // refresh token would be refused.
    let setup = Setup::start(&["--refresh-token-rotation", "0"]);
    let login = setup.login("ci", PASSWORD);
    assert!(login.status.success(), "{}", stderr(&login));
    let before = setup.stored("ci");
    std::thread::sleep(PAST_EXPIRY);
    let children: Vec<_> = (0..8)
        .map(|_| {
            setup
                .command()
                .args(["token", "--profile", "ci", "--refresh-margin", "0"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let tokens: Vec<String> = children
        .into_iter()
        .map(|child| printed(&child.wait_with_output().unwrap()))
        .collect();
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "one refresh, one token"
    );
    let after = setup.stored("ci");
    assert_eq!(after["tokens"]["AccessToken"].as_str().unwrap(), tokens[0]);
    assert_ne!(
        after["tokens"]["RefreshToken"], before["tokens"]["RefreshToken"],
        "rotated once"
    );
    assert_eq!(printed(&setup.token("ci", &[])), tokens[0]);
    let leftovers: Vec<_> = std::fs::read_dir(setup.home.join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_refused_refresh_exits_1_and_keeps_the_profile() {
    let setup = Setup::start(&[]);
    assert!(setup.login("gone", PASSWORD).status.success());
    let stored = std::fs::read_to_string(setup.path("gone")).unwrap();
    let refresh_token = setup.stored("gone")["tokens"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut command = setup.command();
    command
        .arg("logout")
        .args(setup.connection())
        .arg("--refresh-token-stdin");
    assert!(
        output_with_stdin(&mut command, &format!("{refresh_token}\n"))
            .status
            .success()
    );
    std::thread::sleep(PAST_EXPIRY);
    let token = setup.token("gone", &[]);
    assert_eq!(token.status.code(), Some(1), "{}", stderr(&token));
    let message = stderr(&token);
    assert!(
        message.contains("session for profile gone cannot be refreshed")
            && message.contains("sign in again with cognito-srp login --profile gone"),
        "{message}"
    );
    assert!(token.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(setup.path("gone")).unwrap(), stored);
    // A logout of the revoked session still deletes the profile (the local
    // pool accepts revoking a revoked token; a refusal would be reported as
    // a warning, the profile deleted all the same).
    let mut command = setup.command();
    command.args(["logout", "--profile", "gone"]);
    let logout = output_with_stdin(&mut command, "");
    assert!(logout.status.success(), "{}", stderr(&logout));
    assert!(!setup.path("gone").exists());
}

#[test]
fn corrupt_and_foreign_profiles_are_named_and_kept_until_a_sign_in_succeeds() {
    let setup = Setup::start(&[]);
    let path = setup.path("p");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    for (content, says) in [
        (
            "{\"format\": \"cognito-srp-session\", \"vers",
            "not a valid stored session",
        ),
        (
            "{\"aws_access_key_id\": \"AKIA\"}",
            "not a session file written by cognito-srp",
        ),
    ] {
        std::fs::write(&path, content).unwrap();
        let token = setup.token("p", &[]);
        assert_eq!(token.status.code(), Some(2), "{}", stderr(&token));
        let message = stderr(&token);
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains(says), "{message}");
        assert!(!message.contains("AKIA"), "{message}");
        // A failed sign-in leaves it as it is.
        let login = setup.login("p", "wrong-password");
        assert_eq!(login.status.code(), Some(1), "{}", stderr(&login));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }
    // A successful one replaces it.
    let login = setup.login("p", PASSWORD);
    assert!(login.status.success(), "{}", stderr(&login));
    assert!(
        stderr(&login).contains(&path.display().to_string()),
        "the old file is named"
    );
    printed(&setup.token("p", &[]));
    // Names that could leave the profiles directory are refused.
    for name in ["../p", "a/b", ".p", ""] {
        let token = setup.token(name, &[]);
        assert_eq!(token.status.code(), Some(2), "{name:?}");
    }
}

#[test]
fn a_second_login_signs_in_as_the_profiles_remembered_device() {
    let setup = Setup::start(&[]);
    let first = setup.login_with("dev", PASSWORD, &["--verbose"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("ConfirmDevice"),
        "{}",
        stderr(&first)
    );
    let key = setup.stored("dev")["device_credentials"]["device_key"].clone();
    let second = setup.login_with("dev", PASSWORD, &["--verbose"]);
    let log = stderr(&second);
    assert!(second.status.success(), "{log}");
    assert!(
        log.contains("RespondToAuthChallenge DEVICE_SRP_AUTH"),
        "{log}"
    );
    assert!(!log.contains("ConfirmDevice"), "{log}");
    let stored = setup.stored("dev");
    assert_eq!(
        stored["device_credentials"]["device_key"], key,
        "device kept"
    );
    assert_eq!(stored["device_key"], key);
}
