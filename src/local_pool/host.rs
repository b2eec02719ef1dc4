//! The `Host` check that stops DNS rebinding: a web page whose name resolves
//! to 127.0.0.1 must not drive a developer's pool (`AdminCreateUser`,
//! `AdminSetUserPassword`, …) from the browser.
//!
//! Every request (the RPC, the JWKS, `OPTIONS` preflights, unknown paths)
//! must name, in its `Host` header (and in its request target, when that is
//! in absolute form), one of the allowed `host:port` pairs:
//!
//! * the listening address as `IP:PORT` (IPv6 in brackets);
//! * `localhost:PORT`;
//! * when listening on `0.0.0.0` or `::` (`allow_remote`): also
//!   `127.0.0.1:PORT` and `[::1]:PORT`;
//! * each name given with
//!   [`LocalPoolBuilder::allowed_host`](super::LocalPoolBuilder::allowed_host)
//!   (`serve --allowed-host`): `NAME` alone means `NAME:PORT` on the
//!   listening port; `NAME:PORT` means exactly that port (a reverse proxy or
//!   a forwarded port).
//!
//! Names compare case-insensitively, with one trailing dot ignored; IP
//! literals compare as addresses (`[0:0::1]` is `[::1]`). A `Host` without a
//! port means port 80, as HTTP says. A missing, repeated, malformed or
//! foreign `Host` is answered 403 `ForbiddenException`, with a message that
//! names the refused host (escaped and truncated) and the flag that allows
//! it. Real Cognito is reached by its own DNS name and needs no such check:
//! this is a safety of the local pool only.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::http::{HeaderMap, Uri, header};

use super::error::ErrorReply;
use crate::wire::ServiceErrorKind;

/// The port a `Host` without one means (HTTP's default).
const DEFAULT_HTTP_PORT: u16 = 80;

/// At most this many bytes of a refused `Host` are shown in the message.
const MAX_SHOWN_BYTES: usize = 100;

/// Why an allowed host given to the builder is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvalidAllowedHost;

/// A host name or IP literal (normalised) and an optional port.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Authority {
    host: String,
    port: Option<u16>,
}

impl Authority {
    /// Parses `host[:port]`: a DNS-style name (letters, digits, `-`, `_`,
    /// `.`), an IPv4 literal or a bracketed IPv6 literal. Names are
    /// lowercased and lose one trailing dot.
    fn parse(text: &str) -> Option<Self> {
        let (host, port) = match text.strip_prefix('[') {
            Some(rest) => {
                let (inside, after) = rest.split_once(']')?;
                let ip: Ipv6Addr = inside.parse().ok()?;
                (format!("[{ip}]"), after)
            }
            None => match text.find(':') {
                Some(colon) => {
                    let (name, after) = text.split_at(colon);
                    (normalise_name(name)?, after)
                }
                None => (normalise_name(text)?, ""),
            },
        };
        let port = match port {
            "" => None,
            colon_port => Some(parse_port(colon_port.strip_prefix(':')?)?),
        };
        Some(Self { host, port })
    }

    /// `host:port`, with `default_port` when none was given.
    fn with_port(&self, default_port: u16) -> String {
        format!("{}:{}", self.host, self.port.unwrap_or(default_port))
    }
}

/// A port: 1–65535 in decimal digits only.
fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|port| *port != 0)
}

/// A host name lowercased without its trailing dot, or an IPv4 literal in
/// its canonical form; `None` for anything else.
fn normalise_name(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Some(ip.to_string());
    }
    let valid = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    valid.then(|| name.to_ascii_lowercase())
}

/// An IP address as it appears in a `Host` header.
fn ip_literal(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// Checks that a `Host` given to the builder is `NAME`, `NAME:PORT`, an IP
/// literal or an IP literal with a port.
pub(crate) fn validate_allowed(spec: &str) -> Result<(), InvalidAllowedHost> {
    Authority::parse(spec).map(|_| ()).ok_or(InvalidAllowedHost)
}

/// The `host:port` pairs a pool accepts, and the check of each request.
#[derive(Debug, Clone)]
pub(crate) struct HostGuard {
    allowed: Vec<String>,
}

impl HostGuard {
    /// The guard of a pool bound to `address` (the real port, not 0), with
    /// the extra names `extra` (each already [validated](validate_allowed)).
    pub(crate) fn new(address: SocketAddr, extra: &[String]) -> Self {
        let port = address.port();
        let mut allowed = vec![
            format!("{}:{port}", ip_literal(address.ip())),
            format!("localhost:{port}"),
        ];
        if address.ip().is_unspecified() {
            allowed.push(format!("127.0.0.1:{port}"));
            allowed.push(format!("[::1]:{port}"));
        }
        allowed.extend(
            extra
                .iter()
                .filter_map(|spec| Authority::parse(spec))
                .map(|authority| authority.with_port(port)),
        );
        let mut seen = Vec::with_capacity(allowed.len());
        allowed.retain(|entry| {
            let new = !seen.contains(entry);
            if new {
                seen.push(entry.clone());
            }
            new
        });
        Self { allowed }
    }

    /// The accepted `host:port` pairs, the defaults first.
    pub(crate) fn allowed(&self) -> &[String] {
        &self.allowed
    }

    /// Whether one `Host` value (raw bytes) is allowed.
    fn allows(&self, raw: &[u8]) -> bool {
        std::str::from_utf8(raw)
            .ok()
            .and_then(Authority::parse)
            .is_some_and(|authority| {
                self.allowed
                    .contains(&authority.with_port(DEFAULT_HTTP_PORT))
            })
    }

    /// `Ok` when the request names an allowed host in its `Host` header (one,
    /// exactly) and in its request target when that carries an authority;
    /// otherwise the 403 to answer.
    pub(crate) fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), ErrorReply> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            let message = match headers.contains_key(header::HOST) {
                true => "The request has more than one Host header.".to_owned(),
                false => format!(
                    "The request has no Host header; the local pool answers only requests for {}.",
                    self.allowed.join(", ")
                ),
            };
            return Err(forbidden(message));
        };
        for raw in std::iter::once(host.as_bytes()).chain(
            uri.authority()
                .map(|authority| authority.as_str().as_bytes()),
        ) {
            if !self.allows(raw) {
                return Err(self.refusal(raw));
            }
        }
        Ok(())
    }

    /// The refusal of `raw`, naming it and how to allow it.
    fn refusal(&self, raw: &[u8]) -> ErrorReply {
        let shown = shown(raw);
        let parsed = std::str::from_utf8(raw).ok().and_then(Authority::parse);
        let message = match parsed {
            Some(authority) => format!(
                "Host '{shown}' is not allowed; start serve with --allowed-host {} \
                 (LocalPoolBuilder::allowed_host) to allow it.",
                authority.with_port(DEFAULT_HTTP_PORT)
            ),
            None => format!(
                "Host '{shown}' is not a valid host; the local pool answers only requests for {}.",
                self.allowed.join(", ")
            ),
        };
        forbidden(message)
    }
}

fn forbidden(message: String) -> ErrorReply {
    ErrorReply::new(ServiceErrorKind::Forbidden, message)
}

/// `raw` made safe to echo: at most [`MAX_SHOWN_BYTES`] bytes, every byte
/// that is not printable ASCII (and `'`, `\`) as `\xNN`, `…` when cut.
fn shown(raw: &[u8]) -> String {
    let mut text = String::new();
    for &byte in raw.iter().take(MAX_SHOWN_BYTES) {
        match byte {
            b'\'' | b'\\' => text.push_str(&format!("\\x{byte:02x}")),
            0x21..=0x7e => text.push(char::from(byte)),
            _ => text.push_str(&format!("\\x{byte:02x}")),
        }
    }
    if raw.len() > MAX_SHOWN_BYTES {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(listen: &str, extra: &[&str]) -> HostGuard {
        let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        HostGuard::new(listen.parse().unwrap(), &extra)
    }

    #[test]
    fn defaults_follow_the_listening_address() {
        assert_eq!(
            guard("127.0.0.1:9229", &[]).allowed(),
            ["127.0.0.1:9229", "localhost:9229"]
        );
        assert_eq!(
            guard("[::1]:9229", &[]).allowed(),
            ["[::1]:9229", "localhost:9229"]
        );
        assert_eq!(
            guard("0.0.0.0:9229", &["Pool.Example", "proxy.example:8443"]).allowed(),
            [
                "0.0.0.0:9229",
                "localhost:9229",
                "127.0.0.1:9229",
                "[::1]:9229",
                "pool.example:9229",
                "proxy.example:8443"
            ]
        );
    }

    #[test]
    fn hosts_compare_case_insensitively_and_as_addresses() {
        let g = guard("127.0.0.1:9229", &["pool.example"]);
        for ok in [
            "127.0.0.1:9229",
            "LOCALHOST:9229",
            "localhost.:9229",
            "Pool.Example:9229",
        ] {
            assert!(g.allows(ok.as_bytes()), "{ok}");
        }
        for refused in [
            "127.0.0.1",
            "localhost",
            "localhost:80",
            "localhost:9230",
            "evil.example:9229",
            "localhost:09229x",
            "localhost:",
            "user@localhost:9229",
            "[::1]:9229",
            "",
        ] {
            assert!(!g.allows(refused.as_bytes()), "{refused}");
        }
        let v6 = guard("[::1]:9229", &[]);
        assert!(v6.allows(b"[0:0:0:0:0:0:0:1]:9229"));
        assert!(!v6.allows(b"::1:9229"));
        // Without a port a Host means port 80.
        assert!(guard("127.0.0.1:80", &[]).allows(b"localhost"));
    }

    #[test]
    fn refusals_name_the_host_and_the_flag_escaped() {
        let g = guard("127.0.0.1:9229", &[]);
        let message = g.refusal(b"evil.example:9229").message().to_owned();
        assert_eq!(
            message,
            "Host 'evil.example:9229' is not allowed; start serve with --allowed-host evil.example:9229 (LocalPoolBuilder::allowed_host) to allow it."
        );
        let other_port = g.refusal(b"evil.example").message().to_owned();
        assert!(
            other_port.contains("--allowed-host evil.example:80"),
            "{other_port}"
        );
        let odd = g.refusal(b"a'b\x1b[31m\xff").message().to_owned();
        assert!(odd.contains("a\\x27b\\x1b[31m\\xff"), "{odd}");
        assert!(odd.contains("not a valid host"), "{odd}");
        let long = g.refusal(&[b'a'; 300]).message().to_owned();
        assert!(long.len() < 300 && long.contains('…'), "{long}");
    }

    #[test]
    fn allowed_host_specs_are_validated() {
        for ok in [
            "pool.example",
            "pool.example:8080",
            "10.0.0.5",
            "[fe80::1]:9229",
        ] {
            assert_eq!(validate_allowed(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a b",
            "pool.example:0",
            "pool.example:99999",
            "http://x",
            "::1",
        ] {
            assert_eq!(validate_allowed(bad), Err(InvalidAllowedHost), "{bad}");
        }
    }
}
