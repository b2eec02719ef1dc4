//! One raw HTTP/1.1 exchange on its own TCP connection, for tests that must
//! send exactly the bytes they choose (a foreign or missing `Host`, a CORS
//! preflight) rather than what an HTTP client would.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The answer: its status, its head lower-cased, and its body as text.
pub(crate) struct RawReply {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

/// Sends `request` (a whole HTTP request, `Connection: close` expected) to
/// `addr` and reads the answer to the end, within 30 s.
pub(crate) async fn exchange(addr: SocketAddr, request: &str) -> RawReply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut response))
        .await
        .expect("an answer within 30 s")
        .unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let head = head.to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    RawReply {
        status,
        head,
        body: body.to_owned(),
    }
}
