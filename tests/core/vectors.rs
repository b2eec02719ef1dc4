//! Every vector and invalid case in every file of `vectors/`, through the same
//! runner as `cognito-srp vectors verify`. One report lists every failure.

use std::path::{Path, PathBuf};

use cognito_srp_auth::vectors::{Report, verify_file, verify_json};

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("vectors/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_vector_file_passes() {
    let files = vector_files();
    assert!(
        files.len() >= 3,
        "expected the shared vector files in vectors/, found {files:?}"
    );
    let mut total = Report::default();
    for file in &files {
        let report = verify_file(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.passed() > 0, "{}: no case ran", file.display());
        total.merge(report);
    }
    for failure in total.failures() {
        eprintln!("{failure}");
    }
    eprintln!("{}", total.summary());
    assert_eq!(total.failed(), 0, "{}", total.summary());
}

/// The shared files hold at least these many cases of each kind; a runner
/// that silently skipped a section would fall short.
#[test]
fn no_section_is_skipped() {
    let count = |name: &str| {
        verify_file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("vectors")
                .join(name),
        )
        .expect("readable")
        .passed()
    };
    assert_eq!(count("user_srp.json"), 46 + 4);
    assert_eq!(count("device_srp.json"), 4 + 5 + 1);
    assert_eq!(count("published.json"), 3 + 2 + 1);
}

/// Changing any expected value of any vector makes that vector fail: the runner
/// compares every field it is given.
#[test]
fn an_altered_expected_value_is_caught() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/user_srp.json");
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let fields = [
        "srp_a",
        "u",
        "x",
        "s",
        "hkdf_key",
        "password_claim_signature",
    ];
    for field in fields {
        let mut doc = original.clone();
        let expected = &mut doc["vectors"][0]["expected"][field];
        let value = expected.as_str().unwrap().to_owned();
        // Flip the last character to another valid character of the same alphabet.
        let last = value.chars().last().unwrap();
        let replacement = if last == 'a' { 'b' } else { 'a' };
        let altered = format!("{}{}", &value[..value.len() - 1], replacement);
        *expected = serde_json::Value::String(altered);
        let report = verify_json("altered.json", &doc.to_string()).unwrap();
        assert_eq!(report.failed(), 1, "altering {field} was not caught");
        assert_eq!(report.failures()[0].field, field);
        assert_eq!(report.failures()[0].vector, "baseline_uuid_user");
    }
}

#[test]
fn an_invalid_case_that_names_another_error_fails() {
    let doc = serde_json::json!({
        "invalid": [{
            "name": "B_zero_wrong_name",
            "user_pool_id": "us-east-1_kuoLICw94",
            "pool_name": "kuoLICw94",
            "user_id_for_srp": "u",
            "password": "p",
            "a": "05",
            "salt": "01",
            "srp_b": "0",
            "secret_block": "AAAA",
            "timestamp": "Tue Feb 1 10:00:35 UTC 2022",
            "error": "u_zero"
        }]
    });
    let report = verify_json("x.json", &doc.to_string()).unwrap();
    assert_eq!(report.failed(), 1);
    assert!(report.failures()[0].detail.contains("srp_b_mod_n_zero"));
}

#[test]
fn files_without_a_known_section_are_refused() {
    assert!(verify_json("x.json", r#"{"description": "nothing"}"#).is_err());
    assert!(verify_json("x.json", "not json").is_err());
}
