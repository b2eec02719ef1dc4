//! The pinned Python peers (boto3, pycognito) in the project's virtualenv:
//! one way to find its interpreter and run a script of `tests/interop/`.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The virtualenv's Python (`COGNITO_SRP_VENV`, else `.venv`), made by
/// `scripts/python-env.sh` with the pinned boto3 and pycognito.
pub(crate) fn python() -> PathBuf {
    let venv = std::env::var_os("COGNITO_SRP_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv"));
    let python = venv.join("bin").join("python");
    assert!(
        python.is_file(),
        "no Python at {} — run scripts/test.sh (or scripts/python-env.sh) to create the \
         virtualenv with pinned boto3 + pycognito, or set COGNITO_SRP_VENV",
        python.display()
    );
    python
}

/// `python tests/interop/<script> <args as JSON>`, with no AWS profile or
/// instance metadata to fall back on.
pub(crate) fn script_command(script: &str, args: &Value) -> Command {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/interop")
        .join(script);
    let mut command = Command::new(python());
    command
        .arg(path)
        .arg(args.to_string())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE");
    command
}

/// Runs `script` with `args` on a blocking thread; it must succeed and print
/// one JSON line, which is returned.
pub(crate) async fn run_script(script: &'static str, args: Value) -> Value {
    let output = tokio::task::spawn_blocking(move || {
        script_command(script, &args).output().expect("run python")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{}\n{}",
        output.status,
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|_| panic!("not one JSON line: {stdout}"))
}
