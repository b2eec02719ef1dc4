//! `cognito-srp vectors verify` as a user runs it: the real binary, real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cognito-srp"))
        .arg("vectors")
        .arg("verify")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cognito-srp-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_shared_vector_passes_through_the_cli() {
    let files: Vec<PathBuf> = ["user_srp.json", "device_srp.json", "published.json"]
        .iter()
        .map(|f| vectors_dir().join(f))
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let output = cli(&refs);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert_eq!(
        text.trim_end().lines().last(),
        Some("66 passed, 0 failed"),
        "{text}"
    );
}

#[test]
fn an_altered_expected_value_is_rejected() {
    let original = std::fs::read_to_string(vectors_dir().join("user_srp.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&original).unwrap();
    let signature = &mut doc["vectors"][3]["expected"]["password_claim_signature"];
    let altered = signature
        .as_str()
        .unwrap()
        .replacen(char::is_alphanumeric, "Z", 1);
    let altered = if altered == signature.as_str().unwrap() {
        signature.as_str().unwrap().replacen('Z', "Y", 1)
    } else {
        altered
    };
    *signature = serde_json::Value::String(altered);
    let path = temp_file("altered.json", &doc.to_string());
    let output = cli(&[&path]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let name = doc["vectors"][3]["name"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "vector `{name}`: field `password_claim_signature`"
        )),
        "{text}"
    );
    assert_eq!(
        text.trim_end().lines().last(),
        Some("49 passed, 1 failed"),
        "{text}"
    );
}

#[test]
fn unreadable_or_unrecognised_files_exit_non_zero() {
    let missing = Path::new("/nonexistent/vectors.json");
    let output = cli(&[missing]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));

    let unrecognised = temp_file("nothing.json", r#"{"description": "no sections"}"#);
    let output = cli(&[&unrecognised]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no recognised section"));

    let not_json = temp_file("broken.json", "{not json");
    assert_eq!(cli(&[&not_json]).status.code(), Some(2));
}

#[test]
fn a_vector_with_a_large_a_is_accepted() {
    // `a` of any size: here 4000 bits, larger than N.
    let original = std::fs::read_to_string(vectors_dir().join("user_srp.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&original).unwrap();
    let vector = doc["vectors"][0].clone();
    let mut big = vector.clone();
    big["a"] = serde_json::Value::String(format!("{}{}", "f".repeat(1000), "1"));
    big["name"] = serde_json::Value::String("huge_a_without_expected_values".into());
    big["expected"] = serde_json::json!({});
    doc = serde_json::json!({ "vectors": [vector, big] });
    let path = temp_file("huge_a.json", &doc.to_string());
    let output = cli(&[&path]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("2 passed, 0 failed"));
}
