//! The local user pool: server SRP on the vectors, the HTTP API, devices, USER_AUTH, brute-force controls, pycognito and boto3 against it, secrets in traces, fuzz regressions.
//!
//! One integration-test crate per area, so a change links a handful of test
//! binaries; each module is one former test file.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod boto3_interop;
mod brute_force;
mod client_every_setting;
mod client_sessions;
mod client_settings;
mod client_user_auth;
mod cors;
mod device_local_pool;
mod fuzz_regressions;
mod host_guard;
mod identity_pool;
mod local_pool_http;
mod local_pool_srp;
mod no_secret_leaks;
mod pycognito_interop;
mod token_lifecycle;
mod token_manager;
mod user_auth;
mod username_attributes;
#[cfg(feature = "verify")]
mod verify;
