//! The sans-IO core and the arithmetic: shared vectors, properties, differential and negative tests, device SRP, redaction.
//!
//! One integration-test crate per area, so a change links a handful of test
//! binaries; each module is one former test file.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod backend_env;
mod debug_redaction;
mod device_core;
mod differential;
mod math_backend;
mod negative;
mod properties;
mod vectors;
