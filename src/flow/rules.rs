//! The flow's decisions that need no I/O: the internal user name, the
//! `USERNAME` / `SECRET_HASH` completion of an answer, and the request
//! bodies carrying the request metadata. Tested here without a transport.

use super::options::RequestMetadata;
use crate::srp::param;
use crate::wire::{
    AuthFlow, ChallengeName, InitiateAuthRequest, InitiateAuthResponse, ParameterMap,
    RespondToAuthChallengeRequest,
};

/// The internal user name a response names: its challenge's `USERNAME`,
/// else `USER_ID_FOR_SRP`, else (absent or empty) the name the user typed.
pub(super) fn internal_username(response: &InitiateAuthResponse, typed: &str) -> String {
    let params = response.challenge_parameters.as_ref();
    params
        .and_then(|p| {
            p.get(param::USERNAME)
                .or_else(|| p.get(param::USER_ID_FOR_SRP))
        })
        .filter(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| typed.to_owned())
}

/// Completes an answer: `USERNAME` is `username` unless the answer names one,
/// and `SECRET_HASH`, unless the answer carries one, is `secret_hash` of that
/// `USERNAME`-less default (`username`) when the client has a secret.
pub(super) fn complete_answer(
    responses: &mut ParameterMap,
    username: &str,
    secret_hash: impl FnOnce(&str) -> Option<String>,
) {
    responses
        .entry(param::USERNAME.into())
        .or_insert_with(|| username.to_owned());
    if !responses.contains_key(param::SECRET_HASH) {
        insert_secret_hash(responses, secret_hash(username));
    }
}

/// Inserts `SECRET_HASH` when there is one (the client has a secret).
pub(super) fn insert_secret_hash(parameters: &mut ParameterMap, hash: Option<String>) {
    if let Some(hash) = hash {
        parameters.insert(param::SECRET_HASH.into(), hash);
    }
}

/// The `InitiateAuth` request for `flow` with `parameters` and `metadata`.
pub(super) fn initiate_request(
    client_id: &str,
    flow: AuthFlow,
    parameters: ParameterMap,
    metadata: &RequestMetadata,
) -> InitiateAuthRequest {
    InitiateAuthRequest {
        auth_flow: Some(flow),
        auth_parameters: Some(parameters),
        client_metadata: metadata.client_metadata.clone(),
        client_id: client_id.to_owned(),
        analytics_metadata: metadata.analytics_metadata.clone(),
        session: None,
        user_context_data: metadata.user_context_data.clone(),
    }
}

/// The `RespondToAuthChallenge` request answering `name` in `session`.
pub(super) fn respond_request(
    client_id: &str,
    name: ChallengeName,
    session: Option<String>,
    responses: ParameterMap,
    metadata: &RequestMetadata,
) -> RespondToAuthChallengeRequest {
    RespondToAuthChallengeRequest {
        client_id: client_id.to_owned(),
        challenge_name: Some(name),
        session,
        challenge_responses: Some(responses),
        client_metadata: metadata.client_metadata.clone(),
        analytics_metadata: metadata.analytics_metadata.clone(),
        user_context_data: metadata.user_context_data.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response_with(params: &[(&str, &str)]) -> InitiateAuthResponse {
        let map: std::collections::HashMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        InitiateAuthResponse {
            challenge_parameters: Some(map.into_iter().collect()),
            ..InitiateAuthResponse::default()
        }
    }

    #[test]
    fn internal_username_prefers_username_then_user_id_then_typed() {
        let both = response_with(&[
            (param::USERNAME, "uuid-1"),
            (param::USER_ID_FOR_SRP, "id-2"),
        ]);
        assert_eq!(internal_username(&both, "alice"), "uuid-1");
        let id_only = response_with(&[(param::USER_ID_FOR_SRP, "id-2")]);
        assert_eq!(internal_username(&id_only, "alice"), "id-2");
        let empty = response_with(&[(param::USERNAME, "")]);
        assert_eq!(internal_username(&empty, "alice"), "alice");
        assert_eq!(
            internal_username(&InitiateAuthResponse::default(), "bob"),
            "bob"
        );
    }

    #[test]
    fn complete_answer_adds_username_and_secret_hash() {
        let mut responses = ParameterMap::new();
        complete_answer(&mut responses, "uuid-1", |name| {
            Some(format!("hash({name})"))
        });
        assert_eq!(responses[param::USERNAME], "uuid-1");
        assert_eq!(responses[param::SECRET_HASH], "hash(uuid-1)");
    }

    #[test]
    fn complete_answer_keeps_what_the_answer_carries() {
        let mut responses = ParameterMap::new();
        responses.insert(param::USERNAME.into(), "given".into());
        responses.insert(param::SECRET_HASH.into(), "given-hash".into());
        complete_answer(&mut responses, "uuid-1", |_| Some("other".into()));
        assert_eq!(responses[param::USERNAME], "given");
        assert_eq!(responses[param::SECRET_HASH], "given-hash");
    }

    #[test]
    fn complete_answer_without_secret_adds_no_hash() {
        let mut responses = ParameterMap::new();
        complete_answer(&mut responses, "uuid-1", |_| None);
        assert!(!responses.contains_key(param::SECRET_HASH));
    }

    #[test]
    fn requests_carry_the_metadata() {
        let metadata = RequestMetadata {
            client_metadata: Some([("k".to_owned(), "v".to_owned())].into_iter().collect()),
            ..RequestMetadata::default()
        };
        let initiate =
            initiate_request("app", AuthFlow::UserSrpAuth, ParameterMap::new(), &metadata);
        assert_eq!(initiate.client_id, "app");
        assert_eq!(initiate.auth_flow, Some(AuthFlow::UserSrpAuth));
        assert_eq!(initiate.client_metadata, metadata.client_metadata);
        let respond = respond_request(
            "app",
            ChallengeName::PasswordVerifier,
            Some("s".into()),
            ParameterMap::new(),
            &metadata,
        );
        assert_eq!(
            respond.challenge_name,
            Some(ChallengeName::PasswordVerifier)
        );
        assert_eq!(respond.session.as_deref(), Some("s"));
        assert_eq!(respond.client_metadata, metadata.client_metadata);
    }
}
