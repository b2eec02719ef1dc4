//! What a vector run found.

use std::fmt;

/// One failed check: which file, which vector, which field, and what differed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file's path as given.
    pub file: String,
    /// The vector's `name` (or `section[index]` when it has none).
    pub vector: String,
    /// The field that did not match, or the input that could not be used.
    pub field: String,
    /// What was expected and what came out.
    pub detail: String,
}

impl Failure {
    pub(crate) fn new(file: &str, vector: &str, field: &str, detail: &str) -> Self {
        Self {
            file: file.to_owned(),
            vector: vector.to_owned(),
            field: field.to_owned(),
            detail: detail.to_owned(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FAIL {}: vector `{}`: field `{}`: {}",
            self.file, self.vector, self.field, self.detail
        )
    }
}

/// The result of checking one or more files: cases passed, cases failed, and every failure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    passed: usize,
    failed_cases: usize,
    failures: Vec<Failure>,
    case_failed: bool,
}

impl Report {
    /// Vectors and invalid cases that passed (every expected field matched, or
    /// the named error came back).
    pub fn passed(&self) -> usize {
        self.passed
    }

    /// Vectors and invalid cases with at least one failure.
    pub fn failed(&self) -> usize {
        self.failed_cases
    }

    /// Every failed field, in file order.
    pub fn failures(&self) -> &[Failure] {
        &self.failures
    }

    /// Adds another report's counts and failures to this one.
    pub fn merge(&mut self, other: Report) {
        self.passed += other.passed;
        self.failed_cases += other.failed_cases;
        self.failures.extend(other.failures);
    }

    /// The closing line: `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed_cases)
    }

    pub(crate) fn pass(&mut self) {
        self.passed += 1;
    }

    pub(crate) fn fail(&mut self, failure: Failure) {
        self.failures.push(failure);
        self.case_failed = true;
    }

    pub(crate) fn close_case(&mut self) {
        if std::mem::take(&mut self.case_failed) {
            self.failed_cases += 1;
        }
    }
}

/// A vector file that could not be checked at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VectorFileError {
    /// The file could not be read.
    #[error("{path}: cannot read the file")]
    Unreadable {
        /// The path as given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{path}: not valid JSON")]
    NotJson {
        /// The path as given.
        path: String,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The file has none of the sections the runner knows.
    #[error(
        "{path}: no recognised section (expected one of vectors, auth_vectors, device_auth_vectors, verifier_vectors, invalid, secret_hash_vectors)"
    )]
    NoRecognisedSection {
        /// The path as given.
        path: String,
    },
}
