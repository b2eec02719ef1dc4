//! CORS over real loopback HTTP: the preflight `OPTIONS` and the headers on
//! every answer, as a browser SDK (Amplify, identity-js) needs them.

use cognito_srp_auth::local_pool::LocalPool;

use crate::local_pool_http::alice;
use crate::support::raw_http;

/// One request on its own connection: the status and the lower-cased head.
async fn exchange(addr: std::net::SocketAddr, request: String) -> (u16, String) {
    let reply = raw_http::exchange(addr, &request).await;
    (reply.status, reply.head)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_and_answers_carry_cognitos_cors_headers() {
    let pool = LocalPool::builder().user(alice()).start().await.unwrap();
    let addr = pool.local_addr();
    // The preflight a browser sends before Amplify's InitiateAuth.
    let (status, head) = exchange(
        addr,
        format!(
            "OPTIONS / HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://localhost:3000\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type,x-amz-target,x-amz-user-agent,cache-control\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "access-control-allow-origin"), Some("*"));
    assert!(
        header(&head, "access-control-allow-methods").is_some_and(|m| m.contains("post")),
        "{head}"
    );
    assert_eq!(
        header(&head, "access-control-allow-headers"),
        Some("content-type,x-amz-target,x-amz-user-agent,cache-control")
    );
    assert_eq!(header(&head, "access-control-max-age"), Some("600"));
    // Without Access-Control-Request-Headers: the SDKs' headers are allowed.
    let (status, head) = exchange(
        addr,
        format!("OPTIONS / HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://a.example\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        header(&head, "access-control-allow-headers").is_some_and(|h| h.contains("x-amz-target")),
        "{head}"
    );

    // An answer (here an error: x-amzn-ErrorType must be readable) carries
    // Allow-Origin and Expose-Headers.
    let body = r#"{"AuthFlow":"USER_SRP_AUTH","ClientId":"nosuchclient","AuthParameters":{"USERNAME":"alice","SRP_A":"02"}}"#;
    let (status, head) = exchange(
        addr,
        format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://localhost:3000\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert_eq!(status, 400, "{head}");
    assert_eq!(header(&head, "access-control-allow-origin"), Some("*"));
    assert_eq!(
        header(&head, "access-control-expose-headers"),
        Some("x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date")
    );
    assert!(header(&head, "x-amzn-errortype").is_some(), "{head}");
    // The JWKS, fetched by browser token verifiers, too.
    let (status, head) = exchange(
        addr,
        format!(
            "GET /{}/.well-known/jwks.json HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://a.example\r\nConnection: close\r\n\r\n",
            pool.user_pool_id()
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "access-control-allow-origin"), Some("*"));
    pool.shutdown().await.unwrap();
}
