//! The `cognito-srp` binary: vectors, demo, login, devices, load, and hostile servers.
//!
//! One integration-test crate per area, so a change links a handful of test
//! binaries; each module is one former test file.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod cli_credentials;
mod cli_demo;
mod cli_device;
mod cli_login;
mod cli_profile;
mod cli_vectors;
mod hostile_server;
mod js_peers;
mod load;
mod serve_flags;
mod serve_guard;
mod verify;
