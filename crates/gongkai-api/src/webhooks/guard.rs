//! Where a webhook may point: `http` or `https` URLs whose host is on the public
//! internet, unless the operator allows the host by name in
//! `GONGKAI_WEBHOOK_ALLOW_HOSTS` (a local receiver, a system on the government network).
//!
//! The host is checked when the webhook is registered or changed, and resolved and
//! checked again before every delivery, so that a name later pointed at an inside
//! address is refused then.

use std::net::{IpAddr, ToSocketAddrs};

use gongkai_core::webhook::is_public_address;
use url::{Host, Url};

/// The longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// Hosts a webhook may reach whatever their addresses (`GONGKAI_WEBHOOK_ALLOW_HOSTS`:
/// names or IP addresses, comma-separated; compared without case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowHosts(Vec<String>);

impl AllowHosts {
    /// Reads the comma-separated list.
    pub fn parse(list: &str) -> Self {
        AllowHosts(
            list.split(',')
                .map(|h| h.trim().trim_start_matches('[').trim_end_matches(']').to_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        )
    }

    /// True when `host` is allowed by name.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_lowercase();
        self.0.contains(&host)
    }
}

/// Checks a webhook's URL without resolving it: http(s), a host, no credentials, and an
/// IP literal on the public internet (or allowed). Answers the parsed URL, or why not.
pub fn check_url(raw: &str, allow: &AllowHosts) -> Result<Url, String> {
    if raw.len() > MAX_URL_BYTES {
        return Err(format!("a webhook URL has at most {MAX_URL_BYTES} bytes"));
    }
    let url = Url::parse(raw.trim()).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("a webhook URL is http or https".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a webhook URL carries no user name or password".into());
    }
    if url.fragment().is_some() {
        return Err("a webhook URL has no fragment".into());
    }
    let Some(host) = url.host_str() else { return Err("a webhook URL names a host".into()) };
    if allow.allows(host) {
        return Ok(url);
    }
    let refused = || {
        format!(
            "{host} is a loopback, link-local or private address; \
             an operator may allow it in GONGKAI_WEBHOOK_ALLOW_HOSTS"
        )
    };
    match url.host() {
        Some(Host::Ipv4(ip)) if !is_public_address(IpAddr::V4(ip)) => Err(refused()),
        Some(Host::Ipv6(ip)) if !is_public_address(IpAddr::V6(ip)) => Err(refused()),
        Some(Host::Domain(d))
            if d.eq_ignore_ascii_case("localhost") || d.to_lowercase().ends_with(".localhost") =>
        {
            Err(refused())
        }
        _ => Ok(url),
    }
}

/// Resolves the URL's host and refuses it unless allowed by name or every address it
/// resolves to is public. Blocking (a DNS lookup).
pub fn check_resolved(url: &Url, allow: &AllowHosts) -> Result<(), String> {
    let host = url.host_str().ok_or("a webhook URL names a host")?;
    if allow.allows(host) {
        return Ok(());
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<IpAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("{host} does not resolve: {e}"))?
        .map(|a| a.ip())
        .collect();
    if addrs.is_empty() {
        return Err(format!("{host} does not resolve"));
    }
    if let Some(inside) = addrs.iter().find(|ip| !is_public_address(**ip)) {
        return Err(format!(
            "{host} resolves to {inside}, a loopback, link-local or private address; \
             an operator may allow it in GONGKAI_WEBHOOK_ALLOW_HOSTS"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_http_and_outside_unless_allowed() {
        let none = AllowHosts::default();
        let local = AllowHosts::parse(" 127.0.0.1 , Receiver.Internal,[::1]");
        #[rustfmt::skip]
        let table: &[(&str, bool, bool)] = &[
            // url, accepted without allow-list, accepted with it
            ("https://oa.example.gov.cn/hooks/gongkai", true, true),
            ("http://93.184.216.34:8080/x", true, true),
            ("ftp://example.com/x", false, false),
            ("javascript:alert(1)", false, false),
            ("https://user:pw@example.com/", false, false),
            ("http://127.0.0.1:9000/hook", false, true),
            ("http://[::1]:9000/hook", false, true),
            ("http://10.0.0.5/hook", false, false),
            ("http://169.254.169.254/latest/meta-data", false, false),
            ("http://localhost:9000/", false, false),
            ("http://receiver.internal/", true, true),
            ("not a url", false, false),
        ];
        for (url, plain, allowed) in table {
            assert_eq!(check_url(url, &none).is_ok(), *plain, "{url}");
            assert_eq!(check_url(url, &local).is_ok(), *allowed, "{url} allowed");
        }
    }

    #[test]
    fn resolved_names_are_checked_too() {
        let none = AllowHosts::default();
        let url = Url::parse("http://127.0.0.1:1/").unwrap();
        assert!(check_resolved(&url, &none).is_err());
        assert!(check_resolved(&url, &AllowHosts::parse("127.0.0.1")).is_ok());
    }
}
