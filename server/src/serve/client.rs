//! Who is on the other end of a request, as the server sees it: the client's network address
//! (the TCP peer, or with `--trust-forwarded-for` the address the reverse proxy in front of us
//! appended to `X-Forwarded-For`) and the browser and OS its `User-Agent` names (parsed with the
//! core's `DeviceInfo`). Never what a body claims. Rate limits key on [`Client::key`]: the IPv4
//! address, or an IPv6 address's /64 (one host usually holds a whole /64, so keying on single
//! IPv6 addresses would give it 2^64 keys).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::api::error::ApiError;
use super::state::AppState;
use latchkey_core::device::DeviceInfo;

/// Longest `User-Agent` read; real ones are a few hundred bytes.
const MAX_USER_AGENT: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The address, as shown to people ("203.0.113.7", "2001:db8::1").
    pub addr: String,
    /// What limits count under: the IPv4 address, or the IPv6 /64.
    pub key: String,
    pub os: &'static str,
    pub browser: &'static str,
}

impl Client {
    pub fn new(ip: IpAddr, user_agent: &str) -> Client {
        let info = DeviceInfo::from_user_agent(user_agent, &[]);
        let ip = unmapped(ip);
        Client {
            addr: ip.to_string(),
            key: limit_key(ip),
            os: info.os,
            browser: info.browser,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:203.0.113.7`) is that IPv4 address.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// What limits count a client under (HTTP's rate limits, SMTP's sessions): the IPv4 address, or
/// the IPv6 address's /64.
pub fn limit_key(ip: IpAddr) -> String {
    match unmapped(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The last address of `X-Forwarded-For` (the one our own proxy appended; earlier ones are
/// whatever the client sent and prove nothing).
fn forwarded_for(parts: &Parts) -> Option<IpAddr> {
    let joined = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    joined.rsplit(',').next()?.trim().parse().ok()
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| ApiError::internal("client address", &"the connection's peer address is missing"))?;
        let ip = if state.trust_forwarded_for {
            forwarded_for(parts).ok_or_else(|| {
                ApiError::bad_request(
                    "this server is set to sit behind a reverse proxy (--trust-forwarded-for), and the request \
                     came without X-Forwarded-For",
                )
            })?
        } else {
            peer
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| &ua[..ua.len().min(MAX_USER_AGENT)])
            .unwrap_or("");
        Ok(Client::new(ip, user_agent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ipv4_addresses_and_ipv6_prefixes() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
        let c = Client::new("203.0.113.7".parse().unwrap(), chrome);
        assert_eq!((c.addr.as_str(), c.key.as_str()), ("203.0.113.7", "203.0.113.7"));
        assert_eq!((c.os, c.browser), ("Linux", "Chrome"));
        let a = Client::new("2001:db8:1:2::1".parse().unwrap(), "");
        let b = Client::new("2001:db8:1:2:ffff::9".parse().unwrap(), "");
        assert_eq!(a.key, b.key);
        assert_eq!(a.key, "2001:db8:1:2::/64");
        assert_ne!(a.addr, b.addr);
        let mapped = Client::new("::ffff:198.51.100.4".parse().unwrap(), "");
        assert_eq!(mapped.key, "198.51.100.4");
        assert_eq!((mapped.os, mapped.browser), ("Unknown OS", "Browser"));
    }
}
