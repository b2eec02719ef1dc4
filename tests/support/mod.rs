//! Test support shared by the integration-test crates: each crate includes
//! this module with `#[path = "../support/mod.rs"] mod support;` and uses
//! the parts it needs.
#![allow(dead_code)]

pub(crate) mod aws_json;
pub(crate) mod fake_http;
pub(crate) mod python;
#[cfg(feature = "local-pool")]
pub(crate) mod raw_http;
pub(crate) mod reference;
#[cfg(feature = "aws-sdk")]
pub(crate) mod sdk_http;
pub(crate) mod serve;
#[cfg(feature = "local-pool")]
pub(crate) mod totp;
