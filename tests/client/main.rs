//! The client: the login flow over scripted transports, the HTTP transport on loopback, and moto through both transports.
//!
//! One integration-test crate per area, so a change links a handful of test
//! binaries; each module is one former test file.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod flow_devices;
mod flow_login;
mod flow_user_auth;
mod http_transport;
#[cfg(feature = "identity")]
mod identity_pool;
mod moto;
mod script;
