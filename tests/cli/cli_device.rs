//! `cognito-srp login --device-file` against `cognito-srp serve`: the first
//! run confirms the device and writes its credentials (mode 0600), the
//! second signs in through DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER, and a
//! forgotten device is reported on stderr and replaced.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use crate::support::serve::{self, Serve, output_with_stdin};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-srp");
const PASSWORD: &str = "Password1!";

/// The `serve` process, killed when dropped (also when a test fails).
/// `cognito-srp serve` with `alice`, and the CLI commands against it.
struct Server(Serve);

impl Server {
    fn start() -> Self {
        Self::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Self {
        let user = format!("alice:{PASSWORD}");
        let mut args = vec!["--user", user.as_str()];
        args.extend_from_slice(extra);
        Server(Serve::start(BIN, &args))
    }

    fn ready(&self) -> &Value {
        &self.0.ready
    }

    fn endpoint(&self) -> &str {
        self.0.endpoint()
    }

    fn pool_id(&self) -> &str {
        self.0.user_pool_id()
    }

    /// The app client without a secret.
    fn client_id(&self) -> &str {
        self.0.public_client_id()
    }

    fn call(&self, operation: &str, body: Value) -> Value {
        crate::support::aws_json::call(self.endpoint(), operation, &body, "")
    }

    fn login(&self, device_file: &Path) -> Output {
        self.run(
            "login",
            &[
                "--username",
                "alice",
                "--password-stdin",
                "--device-file",
                device_file.to_str().unwrap(),
                "--device-name",
                "ci-runner",
                "--verbose",
            ],
            &format!("{PASSWORD}\n"),
        )
    }
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("cognito-srp-device-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn succeeded(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "login failed: {}\n{}",
        output.status,
        stderr(output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn device_key(path: &Path) -> String {
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    stored["device_key"].as_str().unwrap().to_owned()
}

#[test]
fn two_logins_with_a_device_file_use_device_srp_the_second_time() {
    let server = Server::start();
    let dir = TempDir::new();
    let file = dir.0.join("device.json");

    let first = server.login(&file);
    let tokens = succeeded(&first);
    assert!(tokens["AccessToken"].is_string());
    let log = stderr(&first);
    assert!(log.contains("ConfirmDevice"), "{log}");
    assert!(!log.contains("DEVICE_SRP_AUTH"), "{log}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "device file mode {mode:o}");
    }
    let key = device_key(&file);
    let leftovers: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");

    let second = server.login(&file);
    let tokens = succeeded(&second);
    let log = stderr(&second);
    assert!(
        log.contains("RespondToAuthChallenge DEVICE_SRP_AUTH"),
        "{log}"
    );
    assert!(
        log.contains("RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER"),
        "{log}"
    );
    assert!(!log.contains("ConfirmDevice"), "{log}");
    assert_eq!(device_key(&file), key, "the file is kept");

    // Forgotten by the pool: reported on stderr and replaced.
    server.call(
        "ForgetDevice",
        json!({"AccessToken": tokens["AccessToken"], "DeviceKey": key}),
    );
    let third = server.login(&file);
    succeeded(&third);
    let log = stderr(&third);
    assert!(log.contains("no longer knows the device"), "{log}");
    assert!(log.contains("ConfirmDevice"), "{log}");
    let replaced = device_key(&file);
    assert_ne!(replaced, key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "device file mode {mode:o}");
    }
}

impl Server {
    /// `cognito-srp <command> <connection> <args>` with `stdin`.
    fn run(&self, command: &str, args: &[&str], stdin: &str) -> Output {
        let connection = [
            "--user-pool-id",
            self.pool_id(),
            "--client-id",
            self.client_id(),
            "--endpoint",
            self.endpoint(),
        ];
        output_with_stdin(
            serve::command(BIN).arg(command).args(connection).args(args),
            stdin,
        )
    }

    /// A fresh sign-in: `(refresh token, access token, device key)`. The
    /// login confirms the device Cognito offers (`NewDeviceMetadata` in its
    /// JSON), whose key every refresh then names.
    fn sign_in(&self) -> (String, String, String) {
        let output = self.run(
            "login",
            &["--username", "alice", "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let result: Value = serde_json::from_slice(&output.stdout).unwrap();
        (
            result["RefreshToken"].as_str().unwrap().to_owned(),
            result["AccessToken"].as_str().unwrap().to_owned(),
            result["NewDeviceMetadata"]["DeviceKey"]
                .as_str()
                .expect("login prints NewDeviceMetadata")
                .to_owned(),
        )
    }

    /// `cognito-srp refresh` of `token` for the device `device_key`.
    fn refresh(&self, token: &str, device_key: &str) -> Output {
        self.run(
            "refresh",
            &["--refresh-token-stdin", "--device-key", device_key],
            &format!("{token}\n"),
        )
    }
}

#[test]
fn logout_revokes_and_logout_global_signs_out_everywhere() {
    let server = Server::start();
    let (refresh_token, _, device) = server.sign_in();
    assert!(server.refresh(&refresh_token, &device).status.success());
    // With devices remembered, a refresh without the device's key is refused.
    let output = server.run(
        "refresh",
        &["--refresh-token-stdin"],
        &format!("{refresh_token}\n"),
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let output = server.run(
        "logout",
        &["--refresh-token-stdin"],
        &format!("{refresh_token}\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!String::from_utf8_lossy(&output.stdout).contains(&refresh_token));
    let output = server.refresh(&refresh_token, &device);
    assert_eq!(output.status.code(), Some(1), "refused after logout");
    assert!(stderr(&output).contains("NotAuthorizedException"));

    let (first, _, first_device) = server.sign_in();
    let (second, access, second_device) = server.sign_in();
    let output = server.run(
        "logout",
        &["--global", "--access-token-stdin"],
        &format!("{access}\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for (token, device) in [(&first, &first_device), (&second, &second_device)] {
        assert_eq!(server.refresh(token, device).status.code(), Some(1));
    }
    // A revoked access token is refused (exit 1); flags that contradict
    // each other are a usage error (exit 2).
    let output = server.run(
        "logout",
        &["--global", "--access-token-stdin"],
        &format!("{access}\n"),
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let output = server.run("logout", &["--global", "--refresh-token-stdin"], "x\n");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn refresh_on_a_rotating_pool_prints_the_new_refresh_token() {
    let server = Server::start_with(&[
        "--refresh-token-rotation",
        "5",
        "--access-token-validity",
        "120",
        "--device-tracking",
        "opt-in",
    ]);
    assert_eq!(server.ready()["refresh_token_rotation"], 5);
    assert_eq!(server.ready()["access_token_validity"], 120);
    assert_eq!(server.ready()["device_tracking"], "opt-in");
    let (refresh_token, _, device) = server.sign_in();
    let output = server.refresh(&refresh_token, &device);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rotated = result["RefreshToken"].as_str().unwrap();
    assert_ne!(rotated, refresh_token);
    assert_eq!(result["ExpiresIn"], 120);
    let output = server.refresh(rotated, &device);
    assert!(output.status.success(), "{}", stderr(&output));
}
