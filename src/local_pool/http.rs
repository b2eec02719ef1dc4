//! The HTTP face of the pool (axum on tokio): `POST /` with `X-Amz-Target`
//! and an AWS JSON 1.1 body, and the JWKS at
//! `GET /<user-pool-id>/.well-known/jwks.json`.
//!
//! Every request first passes the `Host` check (`host`, the DNS-rebinding
//! guard): a foreign or missing `Host` is answered 403 `ForbiddenException`
//! before routing, preflights included.
//!
//! Every answer carries CORS headers and `OPTIONS` is answered as a
//! preflight (`cors`), so browser SDKs can use the pool from any origin.
//!
//! Bodies over [`MAX_BODY_BYTES`], malformed JSON, wrong types and unknown
//! targets are answered with an AWS-style error; the server keeps serving.
//! Operations run on blocking threads (the SRP arithmetic is CPU-bound), at
//! most `Limits::max_concurrent_requests` at a time.
//!
//! # `GET /_local/stats` (a local-pool extension, not Cognito)
//!
//! Answers, to loopback peers only (others get the usual 404),
//! `{"pending_sign_ins": n, "sessions": n, "refresh_tokens": n, "users": n}`:
//! the live `SECRET_BLOCK`s (sign-ins started, neither answered nor expired),
//! the live challenge sessions, the unspent unexpired refresh tokens and the
//! users. It lets another process (a load test against `cognito-srp serve`)
//! see that nothing is left pending; the same figures are
//! [`RunningPool::pending_sign_ins`](super::RunningPool::pending_sign_ins) and
//! [`RunningPool::pending_sessions`](super::RunningPool::pending_sessions) in
//! process.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::Semaphore;

use super::cors;
use super::dispatch::{Answer, dispatch};
use super::error::ErrorReply;
use super::host::HostGuard;
use super::random;
use super::state::pool::PoolState;
use crate::wire::CONTENT_TYPE;
use crate::wire::ServiceErrorKind;

/// The largest request body accepted: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub(crate) struct App {
    pub(crate) pool: Arc<PoolState>,
    pub(crate) permits: Arc<Semaphore>,
    pub(crate) hosts: HostGuard,
}

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", post(rpc).options(cors::preflight))
        .route(
            "/{pool_id}/.well-known/jwks.json",
            get(jwks).options(cors::preflight),
        )
        .route("/_local/stats", get(stats))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), host_guard))
        .with_state(app)
}

/// The `Host` check, before any route (the fallback and preflights too).
async fn host_guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match app.hosts.check(request.headers(), request.uri()) {
        Ok(()) => next.run(request).await,
        Err(error) => {
            tracing::debug!(code = error.code(), "request refused: Host not allowed");
            respond(Answer::error(&error), CONTENT_TYPE)
        }
    }
}

fn respond(answer: Answer, content_type: &'static str) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    cors::add_headers(headers);
    if let Some(value) = random::uuid_v4()
        .ok()
        .and_then(|id| HeaderValue::from_str(&id).ok())
    {
        headers.insert("x-amzn-requestid", value);
    }
    if let Some(value) = answer
        .error_type
        .as_deref()
        .and_then(|code| HeaderValue::from_str(code).ok())
    {
        headers.insert("x-amzn-errortype", value);
    }
    response
}

async fn rpc(State(app): State<Arc<App>>, request: Request) -> Response {
    let target = request
        .headers()
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let too_large = || {
        let error = ErrorReply::new(
            ServiceErrorKind::RequestTooLarge,
            format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
        );
        let mut response = respond(Answer::error(&error), CONTENT_TYPE);
        // The rest of the body is not read: the connection cannot be reused.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let body = match axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(_) => return too_large(),
    };
    let Ok(permit) = app.permits.clone().acquire_owned().await else {
        return respond(Answer::error(&ErrorReply::internal()), CONTENT_TYPE);
    };
    let pool = app.pool.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        dispatch(&pool, target.as_deref(), &body)
    })
    .await
    .unwrap_or_else(|_| Answer::error(&ErrorReply::internal()));
    respond(answer, CONTENT_TYPE)
}

async fn jwks(State(app): State<Arc<App>>, Path(pool_id): Path<String>) -> Response {
    if let Err(error) = app.pool.check_pool_id(&pool_id) {
        let mut answer = Answer::error(&error);
        answer.status = 404;
        return respond(answer, "application/json");
    }
    let body = app.pool.tokens.jwks().to_string().into_bytes();
    respond(
        Answer {
            status: 200,
            body,
            error_type: None,
        },
        "application/json",
    )
}

/// `GET /_local/stats`, for loopback peers only.
async fn stats(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    if !peer.ip().is_loopback() {
        return not_found().await.into_response();
    }
    let pool = &app.pool;
    let body = serde_json::json!({
        "pending_sign_ins": pool.pending_sign_ins(),
        "sessions": pool.pending_sessions(),
        "refresh_tokens": pool.tokens.live_refresh_tokens(),
        "users": pool.users.len(),
    });
    respond(
        Answer {
            status: 200,
            body: body.to_string().into_bytes(),
            error_type: None,
        },
        "application/json",
    )
}

async fn not_found() -> impl IntoResponse {
    let error = ErrorReply::new(
        ServiceErrorKind::UnknownOperation,
        "Only POST / (AWS JSON 1.1) and GET /<user-pool-id>/.well-known/jwks.json are served.",
    );
    let mut answer = Answer::error(&error);
    answer.status = 404;
    respond(answer, CONTENT_TYPE)
}
