//! The test-vector runner behind `cognito-srp vectors verify` and `tests/vectors.rs`.
//!
//! Reads JSON files in the formats of `vectors/README.md` (any number, any
//! file in those formats), recognises each section by its key, checks every
//! vector and invalid case, and reports every failure with the file, the
//! vector and the field, without stopping at the first.
//!
//! | section | what is checked |
//! |---|---|
//! | `vectors` | user vectors: `srp_a`, `u`, `x`, `s`, `hkdf_key`, `password_claim_signature` (those present) |
//! | `auth_vectors`, `device_auth_vectors` | the same for device SRP |
//! | `verifier_vectors` | ConfirmDevice verifiers from fixed randomness |
//! | `invalid` | user or device cases that must fail with the named error |
//! | `secret_hash_vectors` | `SECRET_HASH` |

mod case;
mod checks;
mod derived;
mod inputs;
mod replay_rng;
mod report;
mod session;

use std::path::Path;

use serde_json::Value;

pub use replay_rng::{ReplayExhausted, ReplayRng};
pub use report::{Failure, Report, VectorFileError};

/// Sections of a vector file and the checker for each.
const SECTIONS: [(&str, case::Checker); 6] = [
    ("vectors", case::check_user_vector),
    ("auth_vectors", case::check_device_auth_vector),
    ("device_auth_vectors", case::check_device_auth_vector),
    ("verifier_vectors", derived::check_device_verifier_vector),
    ("invalid", case::check_invalid_case),
    ("secret_hash_vectors", derived::check_secret_hash_vector),
];

/// Reads and checks one vector file.
pub fn verify_file(path: &Path) -> Result<Report, VectorFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| VectorFileError::Unreadable {
        path: path.display().to_string(),
        source,
    })?;
    verify_json(&path.display().to_string(), &text)
}

/// Checks the vectors in `json`; `file` names it in failures.
pub fn verify_json(file: &str, json: &str) -> Result<Report, VectorFileError> {
    let document: Value =
        serde_json::from_str(json).map_err(|source| VectorFileError::NotJson {
            path: file.to_owned(),
            source,
        })?;
    let mut report = Report::default();
    let mut recognised = false;
    for (key, check) in SECTIONS {
        let Some(section) = document.get(key) else {
            continue;
        };
        recognised = true;
        let Some(cases) = section.as_array() else {
            report.fail(Failure::new(file, key, "-", "section is not a JSON array"));
            continue;
        };
        for (index, case) in cases.iter().enumerate() {
            let name = case
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{key}[{index}]"), str::to_owned);
            let failures = check(case);
            if failures.is_empty() {
                report.pass();
            }
            for (field, detail) in failures {
                report.fail(Failure::new(file, &name, &field, &detail));
            }
            report.close_case();
        }
    }
    if !recognised {
        return Err(VectorFileError::NoRecognisedSection {
            path: file.to_owned(),
        });
    }
    Ok(report)
}
