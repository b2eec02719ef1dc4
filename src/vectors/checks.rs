//! Collecting the failures of one case and comparing computed values with its
//! `expected` fields.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::math::SrpInteger;

/// Collects failures for one case.
pub(super) struct Checks<'a> {
    pub(super) case: &'a Value,
    pub(super) failures: Vec<(String, String)>,
}

impl<'a> Checks<'a> {
    pub(super) fn new(case: &'a Value) -> Self {
        Self {
            case,
            failures: Vec::new(),
        }
    }

    pub(super) fn fail(&mut self, field: &str, detail: impl Into<String>) {
        self.failures.push((field.to_owned(), detail.into()));
    }

    /// A required string input.
    pub(super) fn text(&mut self, key: &str) -> Option<&'a str> {
        let value = self.case.get(key).and_then(Value::as_str);
        if value.is_none() {
            self.fail(key, "missing input (a string is required)");
        }
        value
    }

    /// The `expected` object, with every key known to this runner.
    pub(super) fn expected(&mut self, known: &[&str]) -> Option<&'a Map<String, Value>> {
        let Some(expected) = self.case.get("expected").and_then(Value::as_object) else {
            self.fail("expected", "missing (an object is required)");
            return None;
        };
        for key in expected.keys() {
            if !known.contains(&key.as_str()) {
                self.fail(key, "unknown expected field: this runner cannot check it");
            }
        }
        Some(expected)
    }

    pub(super) fn compare_text(
        &mut self,
        expected: &Map<String, Value>,
        field: &str,
        actual: &str,
    ) {
        match expected.get(field) {
            None => {}
            Some(Value::String(want)) if want == actual => {}
            Some(Value::String(want)) => self.fail(field, format!("expected {want}, got {actual}")),
            Some(_) => self.fail(field, "expected value is not a string"),
        }
    }

    pub(super) fn compare_integer(
        &mut self,
        expected: &Map<String, Value>,
        field: &str,
        actual: &SrpInteger,
    ) {
        match expected
            .get(field)
            .map(|v| v.as_str().and_then(SrpInteger::from_signed_hex))
        {
            None => {}
            Some(Some(want)) if &want == actual => {}
            Some(Some(want)) => self.fail(
                field,
                format!("expected {}, got {}", want.to_hex(), actual.to_hex()),
            ),
            Some(None) => self.fail(field, "expected value is not hex"),
        }
    }

    pub(super) fn compare_hex_bytes(
        &mut self,
        expected: &Map<String, Value>,
        field: &str,
        actual: &[u8],
    ) {
        match expected.get(field).map(|v| v.as_str().map(hex::decode)) {
            None => {}
            Some(Some(Ok(want))) if want == actual => {}
            Some(Some(Ok(want))) => self.fail(
                field,
                format!(
                    "expected {}, got {}",
                    hex::encode(want),
                    hex::encode(actual)
                ),
            ),
            Some(_) => self.fail(field, "expected value is not hex bytes"),
        }
    }

    pub(super) fn done(self) -> Vec<(String, String)> {
        self.failures
    }
}

/// `map` must hold exactly `want`.
pub(super) fn check_map(
    checks: &mut Checks<'_>,
    step: &str,
    map: &BTreeMap<String, String>,
    want: &[(&str, &str)],
) {
    for (key, value) in want {
        match map.get(*key) {
            Some(got) if got == value => {}
            Some(got) => checks.fail(key, format!("{step} sent {got}, expected {value}")),
            None => checks.fail(key, format!("{step} did not send it")),
        }
    }
    for key in map.keys() {
        if !want.iter().any(|(name, _)| name == key) {
            checks.fail(key, format!("{step} sent an unexpected parameter"));
        }
    }
}
