//! The DNS-rebinding guard over real loopback HTTP: a request whose `Host`
//! is not the pool's (a web page whose name resolves to 127.0.0.1) is
//! answered 403 `ForbiddenException` before anything runs, preflights
//! included; `localhost`, the listening address and the names given with
//! `allowed_host` are served. And `admin_operations(false)`: every `Admin*`
//! operation refused, sign-in unchanged.

use crate::support::raw_http;
use cognito_srp_auth::Password;
use cognito_srp_auth::local_pool::{LocalPool, LocalPoolError, RunningPool, SeedUser};
use serde_json::{Value, json};

const PASSWORD: &str = "Password1!";

/// An answer: status, lower-cased head, JSON body (`Null` if none).
struct Reply {
    status: u16,
    head: String,
    body: Value,
}

/// Sends `request` (a whole HTTP request) on its own connection.
async fn exchange(pool: &RunningPool, request: &str) -> Reply {
    let reply = raw_http::exchange(pool.local_addr(), request).await;
    Reply {
        status: reply.status,
        head: reply.head,
        body: serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    }
}

/// `POST /` of `operation` with `body` and the header lines `host_lines`
/// (each ending in `\r\n`; empty for none).
async fn post(pool: &RunningPool, host_lines: &str, operation: &str, body: &Value) -> Reply {
    let body = body.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\n{host_lines}X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    exchange(pool, &request).await
}

fn host(value: &str) -> String {
    format!("Host: {value}\r\n")
}

fn assert_forbidden(reply: &Reply, needles: &[&str]) {
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert_eq!(reply.body["__type"], "ForbiddenException", "{}", reply.body);
    assert!(
        reply.head.contains("x-amzn-errortype: forbiddenexception"),
        "{}",
        reply.head
    );
    let message = reply.body["message"].as_str().unwrap();
    for needle in needles {
        assert!(message.contains(needle), "{needle:?} not in {message:?}");
    }
}

async fn pool_with_alice() -> RunningPool {
    LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .start()
        .await
        .unwrap()
}

fn admin_get_user(pool: &RunningPool) -> Value {
    json!({"UserPoolId": pool.user_pool_id().as_str(), "Username": "alice"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_guard_refuses_a_foreign_host_naming_it_and_the_flag() {
    let pool = pool_with_alice().await;
    let port = pool.local_addr().port();
    let evil = format!("evil.example:{port}");

    // What a rebinding page's fetch sends: its own name with the pool's port.
    let reply = post(&pool, &host(&evil), "AdminGetUser", &admin_get_user(&pool)).await;
    assert_forbidden(
        &reply,
        &[
            &format!("Host '{evil}' is not allowed"),
            &format!("--allowed-host {evil}"),
        ],
    );
    // The CORS headers are there, so a browser script may read the refusal.
    assert!(reply.head.contains("access-control-allow-origin: *"));

    // The preflight, the JWKS and unknown paths are guarded too.
    let preflight = exchange(
        &pool,
        &format!(
            "OPTIONS / HTTP/1.1\r\nHost: {evil}\r\nOrigin: http://{evil}\r\n\
             Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_forbidden(&preflight, &[&evil]);
    let jwks = exchange(
        &pool,
        &format!(
            "GET /{}/.well-known/jwks.json HTTP/1.1\r\nHost: {evil}\r\nConnection: close\r\n\r\n",
            pool.user_pool_id()
        ),
    )
    .await;
    assert_forbidden(&jwks, &[&evil]);
    let stats = exchange(
        &pool,
        &format!("GET /_local/stats HTTP/1.1\r\nHost: {evil}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_forbidden(&stats, &[&evil]);
    for (method, path) in [("GET", "/nothing"), ("DELETE", "/")] {
        let other = exchange(
            &pool,
            &format!("{method} {path} HTTP/1.1\r\nHost: {evil}\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert_forbidden(&other, &[&evil]);
    }

    // Another port, a port-less name (port 80), an absolute-form target.
    assert_forbidden(
        &post(
            &pool,
            &host(&format!("localhost:{}", port ^ 1)),
            "AdminGetUser",
            &admin_get_user(&pool),
        )
        .await,
        &["is not allowed"],
    );
    assert_forbidden(
        &post(
            &pool,
            &host("localhost"),
            "AdminGetUser",
            &admin_get_user(&pool),
        )
        .await,
        &[
            "Host 'localhost' is not allowed",
            "--allowed-host localhost:80",
        ],
    );
    let absolute = exchange(
        &pool,
        &format!(
            "GET http://evil.example:{port}/_local/stats HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_forbidden(&absolute, &["evil.example"]);

    // Bytes that are not printable are escaped, long names cut.
    let odd = post(&pool, &host("a\u{e9}b'c"), "InitiateAuth", &json!({})).await;
    assert_forbidden(&odd, &["a\\xc3\\xa9b\\x27c", "not a valid host"]);
    let long = post(&pool, &host(&"a".repeat(500)), "InitiateAuth", &json!({})).await;
    let message = long.body["message"].as_str().unwrap();
    assert!(message.len() < 300 && message.contains('…'), "{message}");

    // Nothing ran: alice is untouched and the pool still serves.
    assert_eq!(pool.usernames(), ["alice"]);
    let ok = post(
        &pool,
        &host(&format!("127.0.0.1:{port}")),
        "AdminGetUser",
        &admin_get_user(&pool),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_guard_refuses_a_missing_or_repeated_host() {
    let pool = pool_with_alice().await;
    let port = pool.local_addr().port();
    let missing = post(&pool, "", "AdminGetUser", &admin_get_user(&pool)).await;
    assert_forbidden(&missing, &["no Host header", &format!("localhost:{port}")]);
    let http10 = exchange(&pool, "GET /_local/stats HTTP/1.0\r\n\r\n").await;
    assert_forbidden(&http10, &["no Host header"]);
    let twice = format!("Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n");
    assert_forbidden(
        &post(&pool, &twice, "AdminGetUser", &admin_get_user(&pool)).await,
        &["more than one Host header"],
    );
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_guard_serves_localhost_and_the_listening_address() {
    let pool = pool_with_alice().await;
    let port = pool.local_addr().port();
    assert_eq!(
        pool.allowed_hosts(),
        [format!("127.0.0.1:{port}"), format!("localhost:{port}")]
    );
    for name in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let reply = post(&pool, &host(&name), "AdminGetUser", &admin_get_user(&pool)).await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
        assert_eq!(reply.body["Username"], "alice");
        let preflight = exchange(
            &pool,
            &format!(
                "OPTIONS / HTTP/1.1\r\nHost: {name}\r\nOrigin: http://localhost:3000\r\n\
                 Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n"
            ),
        )
        .await;
        assert_eq!(preflight.status, 200, "{name}");
    }
    pool.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_guard_serves_the_allowed_hosts() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .allowed_host("Pool.Example")
        .allowed_host("proxy.example:8443")
        .start()
        .await
        .unwrap();
    let port = pool.local_addr().port();
    assert_eq!(
        pool.allowed_hosts(),
        [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("pool.example:{port}"),
            "proxy.example:8443".to_owned(),
        ]
    );
    for name in [
        format!("pool.example:{port}"),
        format!("POOL.example:{port}"),
        "proxy.example:8443".to_owned(),
    ] {
        let reply = post(&pool, &host(&name), "AdminGetUser", &admin_get_user(&pool)).await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
    }
    for name in ["pool.example".to_owned(), format!("proxy.example:{port}")] {
        let reply = post(&pool, &host(&name), "AdminGetUser", &admin_get_user(&pool)).await;
        assert_forbidden(&reply, &["is not allowed"]);
    }
    pool.shutdown().await.unwrap();

    let error = LocalPool::builder()
        .allowed_host("not a host")
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, LocalPoolError::InvalidAllowedHost(name) if name == "not a host"),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_guard_admin_operations_off_refuses_every_admin_call_but_not_sign_in() {
    let pool = LocalPool::builder()
        .user(SeedUser::new("alice", Password::new(PASSWORD)))
        .admin_operations(false)
        .start()
        .await
        .unwrap();
    assert!(!pool.admin_operations());
    let port = pool.local_addr().port();
    let local = host(&format!("127.0.0.1:{port}"));
    let id = pool.user_pool_id().as_str();
    for (operation, body) in [
        ("AdminGetUser", admin_get_user(&pool)),
        (
            "AdminCreateUser",
            json!({"UserPoolId": id, "Username": "mallory"}),
        ),
        (
            "AdminSetUserPassword",
            json!({"UserPoolId": id, "Username": "alice", "Password": "Mallory1!", "Permanent": true}),
        ),
        (
            "AdminSetUserMFAPreference",
            json!({"UserPoolId": id, "Username": "alice"}),
        ),
        (
            "AdminListDevices",
            json!({"UserPoolId": id, "Username": "alice"}),
        ),
        // Not modelled, refused as admin all the same.
        (
            "AdminDeleteUser",
            json!({"UserPoolId": id, "Username": "alice"}),
        ),
    ] {
        let reply = post(&pool, &local, operation, &body).await;
        assert_forbidden(&reply, &["Admin operations are turned off", "--no-admin"]);
    }
    assert_eq!(pool.usernames(), ["alice"]);

    // The seeded user signs in (SRP over HTTP) as before.
    let app = pool.public_client().unwrap().clone();
    let tokens = crate::client_sessions::client(&pool, &app)
        .login("alice", Password::new(PASSWORD))
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert!(!tokens.expose_access_token().is_empty());
    pool.shutdown().await.unwrap();

    // On by default.
    let pool = pool_with_alice().await;
    assert!(pool.admin_operations());
    pool.shutdown().await.unwrap();
}
