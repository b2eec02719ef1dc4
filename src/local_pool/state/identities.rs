//! The pool's identity pool (`serve --identity-pool`): its id and one
//! identity id per user, made on the user's first `GetId`.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::local_pool::error::ErrorReply;
use crate::local_pool::random;
use crate::wire::ServiceErrorKind;

/// The identities of one identity pool, at most one per user (`sub`), so
/// bounded by the pool's users.
pub(crate) struct IdentityPool {
    /// `<region>:<uuid>`.
    pub(crate) id: String,
    region: String,
    max_identities: usize,
    identities: Mutex<Identities>,
}

#[derive(Default)]
struct Identities {
    by_sub: HashMap<String, String>,
    by_id: HashMap<String, String>,
}

impl IdentityPool {
    /// A new identity pool in `region` with a random id.
    pub(crate) fn new(region: &str, max_identities: usize) -> Result<Self, ErrorReply> {
        Ok(Self {
            id: format!("{region}:{}", random::uuid_v4()?),
            region: region.to_owned(),
            max_identities,
            identities: Mutex::new(Identities::default()),
        })
    }

    /// The identity id of the user `sub`, made on first use.
    pub(crate) fn identity_of(&self, sub: &str) -> Result<String, ErrorReply> {
        let mut identities = self.identities.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = identities.by_sub.get(sub) {
            return Ok(id.clone());
        }
        if identities.by_sub.len() >= self.max_identities {
            return Err(ErrorReply::new(
                ServiceErrorKind::LimitExceeded,
                "The identity pool has as many identities as the user pool has users.",
            ));
        }
        let id = format!("{}:{}", self.region, random::uuid_v4()?);
        identities.by_sub.insert(sub.to_owned(), id.clone());
        identities.by_id.insert(id.clone(), sub.to_owned());
        Ok(id)
    }

    /// The user (`sub`) an identity id belongs to.
    pub(crate) fn owner(&self, identity_id: &str) -> Option<String> {
        let identities = self.identities.lock().unwrap_or_else(|e| e.into_inner());
        identities.by_id.get(identity_id).cloned()
    }
}
