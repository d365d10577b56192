//! The rules of webhook delivery that need no I/O: which addresses a delivery may reach
//! and when a failed delivery is tried again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

/// True for an address on the public internet. Loopback, link-local, private (RFC 1918,
/// unique-local), shared (carrier-grade NAT), unspecified, multicast, broadcast and
/// documentation addresses are not: a webhook must not reach into the server's own
/// network unless an operator allows the host by name.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10
    let this_network = a == 0;
    let reserved = a >= 240;
    let benchmarking = a == 198 && (b == 18 || b == 19);
    let protocol_assignments = a == 192 && b == 0 && c == 0;
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || shared
        || this_network
        || reserved
        || benchmarking
        || protocol_assignments)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00; // fc00::/7
    let link_local = (first & 0xffc0) == 0xfe80; // fe80::/10
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || unique_local
        || link_local
        || documentation)
}

/// When deliveries are tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each further failure doubles it.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
    /// How long after a delivery was queued it is still tried; a failure after that
    /// gives it up.
    pub give_up_after: Duration,
}

impl Default for RetryPolicy {
    /// 10 s, 20 s, 40 s, … up to an hour between attempts, for 25 hours.
    fn default() -> Self {
        RetryPolicy {
            first_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(25 * 3600),
        }
    }
}

impl RetryPolicy {
    /// After `failures` failed attempts (at least one) of a delivery queued `age` ago:
    /// the wait before the next attempt, or None to give up.
    pub fn next_delay(&self, failures: u32, age: Duration) -> Option<Duration> {
        if age >= self.give_up_after {
            return None;
        }
        let doublings = failures.saturating_sub(1).min(30);
        let delay = self.first_delay.saturating_mul(1u32 << doublings);
        Some(delay.min(self.max_delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_table() {
        #[rustfmt::skip]
        let table: &[(&str, bool)] = &[
            ("93.184.216.34", true),
            ("8.8.8.8", true),
            ("2606:4700:4700::1111", true),
            ("127.0.0.1", false),
            ("127.8.9.10", false),
            ("::1", false),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("172.32.0.1", true),
            ("192.168.1.1", false),
            ("169.254.169.254", false),   // cloud metadata
            ("100.64.0.1", false),
            ("100.128.0.1", true),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("224.0.0.1", false),
            ("192.0.2.1", false),
            ("198.18.0.1", false),
            ("fe80::1", false),
            ("fc00::1", false),
            ("fd12:3456::1", false),
            ("::", false),
            ("::ffff:127.0.0.1", false),
            ("::ffff:10.0.0.1", false),
            ("::ffff:93.184.216.34", true),
            ("2001:db8::1", false),
        ];
        for (ip, public) in table {
            let parsed: IpAddr = ip.parse().unwrap();
            assert_eq!(is_public_address(parsed), *public, "{ip}");
        }
    }

    #[test]
    fn retries_double_up_to_the_cap_for_at_least_a_day() {
        let p = RetryPolicy::default();
        let hour = Duration::from_secs(3600);
        assert_eq!(p.next_delay(1, Duration::ZERO), Some(Duration::from_secs(10)));
        assert_eq!(p.next_delay(2, Duration::ZERO), Some(Duration::from_secs(20)));
        assert_eq!(p.next_delay(3, Duration::ZERO), Some(Duration::from_secs(40)));
        assert_eq!(p.next_delay(12, Duration::ZERO), Some(hour));
        assert_eq!(p.next_delay(500, Duration::ZERO), Some(hour));
        // Still tried a day later; given up after 25 hours.
        assert_eq!(p.next_delay(30, 24 * hour), Some(hour));
        assert_eq!(p.next_delay(31, 25 * hour), None);
        // The sum of the waits before giving up covers at least 24 hours.
        let mut age = Duration::ZERO;
        let mut failures = 0;
        while let Some(d) = p.next_delay(failures + 1, age) {
            failures += 1;
            age += d;
        }
        assert!(age >= 24 * hour, "{age:?}");
    }
}
