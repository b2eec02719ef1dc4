//! A fake Cognito endpoint on 127.0.0.1: raw HTTP/1.1 over a tokio
//! `TcpListener`, so a test can answer with exact bytes, truncated, garbage,
//! huge, chunked or slow replies, and see every request exactly as sent.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the endpoint does with one request.
#[derive(Clone, Debug)]
pub(crate) enum Reply {
    /// Status, extra headers, body (sent with Content-Length; the AWS JSON
    /// content type unless a header names another).
    Http(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// These bytes verbatim, then close.
    Raw(Vec<u8>),
    /// A 200 with a chunked body of this many bytes (no Content-Length).
    Chunked(usize),
    /// Close the connection without a byte.
    Close,
    /// Keep the connection open and never answer.
    Hang,
    /// Wait, then answer 200 `{}`.
    Stall(Duration),
    /// A status line and headers announcing 1000 bytes, then one byte a second.
    DripBody,
    /// The status line itself, one byte a second.
    DripHead,
}

/// A 200 with `body`.
pub(crate) fn ok(body: &str) -> Reply {
    Reply::Http(200, vec![], body.as_bytes().to_vec())
}

/// A 200 with `value` as JSON.
pub(crate) fn ok_json(value: &Value) -> Reply {
    Reply::Http(200, vec![], value.to_string().into_bytes())
}

/// An AWS JSON 1.1 error.
pub(crate) fn aws_error(status: u16, code: &str, message: &str) -> Reply {
    let body = serde_json::json!({"__type": code, "message": message});
    Reply::Http(status, vec![], body.to_string().into_bytes())
}

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// `POST / HTTP/1.1`.
    pub(crate) request_line: String,
    /// The headers in the order sent.
    pub(crate) headers: Vec<(String, String)>,
    /// The body bytes.
    pub(crate) body: Vec<u8>,
}

impl Recorded {
    /// The first header called `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub(crate) fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The operation named by `X-Amz-Target` (`…CognitoIdentityProviderService.InitiateAuth`).
    pub(crate) fn operation(&self) -> &str {
        self.header("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or_default()
    }
}

type Responder = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// The endpoint: answers each request with its responder's reply and
/// records it. Stops when dropped.
pub(crate) struct FakeEndpoint {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeEndpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeEndpoint {
    /// Answers with `replies` in order, then `{}`.
    pub(crate) async fn replying(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve_queue(listener, replies)
    }

    /// Answers on `listener` with `replies` in order, then `{}`.
    pub(crate) fn serve_queue(listener: TcpListener, replies: Vec<Reply>) -> Self {
        let queue = Mutex::new(VecDeque::from(replies));
        Self::serve(listener, move |_| {
            queue.lock().unwrap().pop_front().unwrap_or(ok("{}"))
        })
    }

    /// Answers each request with `respond(request)`.
    pub(crate) async fn start(
        respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, respond)
    }

    /// Answers on `listener` with `respond(request)`.
    pub(crate) fn serve(
        listener: TcpListener,
        respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let respond: Responder = Arc::new(respond);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (recorded, respond) = (recorded.clone(), respond.clone());
                tokio::spawn(async move {
                    let _ = handle(stream, recorded, respond).await;
                });
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>/`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Every request so far.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn handle(
    mut stream: TcpStream,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    respond: Responder,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let reply = respond(&request);
    recorded.lock().unwrap().push(request);
    write_reply(&mut stream, reply).await?;
    stream.shutdown().await
}

/// Reads one request (head and Content-Length body); `None` when the peer
/// closes first.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Recorded>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut request = Recorded {
        request_line,
        headers,
        body: buffer[header_end + 4..].to_vec(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while request.body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        request.body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(request))
}

fn head(status: u16, headers: &[(&str, String)], extra: &str) -> String {
    let mut head = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n{extra}");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    head
}

async fn write_reply(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Http(status, mut headers, body) => {
            if !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            {
                headers.push(("content-type", "application/x-amz-json-1.1".into()));
            }
            let length = format!("content-length: {}\r\n", body.len());
            stream
                .write_all(head(status, &headers, &length).as_bytes())
                .await?;
            stream.write_all(&body).await?;
        }
        Reply::Raw(bytes) => stream.write_all(&bytes).await?,
        Reply::Chunked(size) => {
            let chunked = "transfer-encoding: chunked\r\n";
            stream.write_all(head(200, &[], chunked).as_bytes()).await?;
            let piece = vec![b' '; 16 * 1024];
            let mut sent = 0;
            while sent < size {
                let n = piece.len().min(size - sent);
                stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                stream.write_all(&piece[..n]).await?;
                stream.write_all(b"\r\n").await?;
                sent += n;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        Reply::Close => {}
        Reply::Hang => tokio::time::sleep(Duration::from_secs(3600)).await,
        Reply::Stall(delay) => {
            tokio::time::sleep(delay).await;
            let length = "content-length: 2\r\n";
            stream.write_all(head(200, &[], length).as_bytes()).await?;
            stream.write_all(b"{}").await?;
        }
        Reply::DripBody => {
            let length = "content-length: 1000\r\n";
            stream.write_all(head(200, &[], length).as_bytes()).await?;
            for _ in 0..1000 {
                stream.write_all(b" ").await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Reply::DripHead => {
            for byte in b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}" {
                stream.write_all(&[*byte]).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    Ok(())
}
