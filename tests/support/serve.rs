//! `cognito-srp serve` as a child process on 127.0.0.1 (an ephemeral port):
//! started with the caller's arguments, its ready line parsed, killed when
//! dropped (also when a test fails).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// A running `cognito-srp serve` and its ready line.
pub(crate) struct Serve {
    child: Child,
    /// The JSON ready line (`endpoint`, `user_pool_id`, `clients`, …).
    pub(crate) ready: Value,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// `bin serve --listen 127.0.0.1:0 <args>`, once its ready line is out
    /// (at most 60 s).
    pub(crate) fn start(bin: &str, args: &[&str]) -> Self {
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut serve = Self {
            child,
            ready: Value::Null,
        };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("serve printed no ready line within 60 s");
        serve.ready = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("ready line {line:?} is not JSON: {e}"));
        serve
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn endpoint(&self) -> &str {
        self.ready["endpoint"].as_str().unwrap()
    }

    /// The user pool id.
    pub(crate) fn user_pool_id(&self) -> &str {
        self.ready["user_pool_id"].as_str().unwrap()
    }

    /// The app client without a secret.
    pub(crate) fn public_client_id(&self) -> &str {
        self.client(false)["client_id"].as_str().unwrap()
    }

    /// The app client with a secret: `(client_id, client_secret)`.
    pub(crate) fn secret_client(&self) -> (String, String) {
        let client = self.client(true);
        (
            client["client_id"].as_str().unwrap().to_owned(),
            client["client_secret"].as_str().unwrap().to_owned(),
        )
    }

    fn client(&self, with_secret: bool) -> &Value {
        self.ready["clients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["client_secret"].is_string() == with_secret)
            .expect("serve has both app clients")
    }
}

/// The `cognito-srp` binary `bin`, without the `COGNITO_*` variables a
/// developer's shell may set (a test passes what it means explicitly).
pub(crate) fn command(bin: &str) -> Command {
    let mut command = Command::new(bin);
    for name in [
        "COGNITO_PASSWORD",
        "COGNITO_CLIENT_SECRET",
        "COGNITO_USERNAME",
        "COGNITO_REFRESH_TOKEN",
        "COGNITO_ACCESS_TOKEN",
    ] {
        command.env_remove(name);
    }
    command
}

/// Runs `command` with `stdin` written to it, and waits for its output.
pub(crate) fn output_with_stdin(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
