//! Unions of CIDRs: whether several egress CIDRs together reach everywhere, or too much
//! of it (#11: `0.0.0.0/1` plus `128.0.0.0/1` is a `/0`, and so is `::ffff:0.0.0.0/96`).
use std::net::Ipv6Addr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The largest share of an address family (IPv4 or IPv6) the CIDRs of one port may
/// cover where open egress is refused: 1/16, a `/4`. Cloud services publish ranges far
/// smaller (an AWS region's are `/10` and longer), so a union this wide is a wildcard.
pub const MAX_SHARE: f64 = 1.0 / 16.0;

/// IPv6 prefixes whose last 32 bits are an IPv4 address that traffic may reach: IPv4-mapped
/// (`::ffff:0:0/96`, how dual-stack sockets write IPv4 peers), IPv4-compatible (`::/96`,
/// deprecated) and NAT64's well-known prefix (`64:ff9b::/96`, an IPv6-only cluster's way to
/// IPv4). A CNI may or may not match IPv4 traffic against them; a wildcard is refused either way.
const IPV4_IN_IPV6: [Ipv6Addr; 4] = [
    Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0),
    Ipv6Addr::UNSPECIFIED,
    Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0),
    // IPv4-translated (RFC 2765, `::ffff:0:0:0/96`).
    Ipv6Addr::new(0, 0, 0, 0, 0xffff, 0, 0, 0),
];

/// NAT64's local-use prefix (RFC 8215, `64:ff9b:1::/48`): with the RFC 6052 layout for a
/// `/48`, the IPv4 address's first 16 bits follow the prefix (bits 48–63).
const LOCAL_NAT64: Ipv6Addr = Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0);

/// The IPv4 addresses `net` reaches through an IPv4-in-IPv6 prefix ([`IPV4_IN_IPV6`]):
/// `::ffff:10.0.0.0/104` is `10.0.0.0/8`, and `::ffff:0.0.0.0/96` (or anything holding it,
/// like `::/80`) is all of IPv4. `None` for IPv4 networks and other IPv6 ones.
pub fn embedded_ipv4(net: &IpNet) -> Option<Ipv4Net> {
    let IpNet::V6(v6) = net else {
        return None;
    };
    if let Ok(local) = Ipv6Net::new(LOCAL_NAT64, 48) {
        if v6.contains(&local) {
            return Some(Ipv4Net::default());
        }
        if local.contains(v6) {
            // At least the first 16 bits' worth of IPv4: a `/(p-48)`, at most a `/16`.
            let high = u32::from(v6.network().segments()[3]) << 16;
            let len = (v6.prefix_len() - 48).min(16);
            return Ipv4Net::new(high.into(), len).ok().map(|n| n.trunc());
        }
    }
    IPV4_IN_IPV6.iter().find_map(|prefix| {
        let block = Ipv6Net::new(*prefix, 96).ok()?;
        if v6.prefix_len() <= 96 {
            // Holding the whole block is holding every IPv4 address.
            v6.contains(&block).then_some(Ipv4Net::default())
        } else if block.contains(v6) {
            let bits = u128::from(v6.network()) as u32;
            Ipv4Net::new(bits.into(), v6.prefix_len() - 96).ok()
        } else {
            None
        }
    })
}

/// Whether `net` alone is every address of a family: a `/0`, or an IPv6 network holding all
/// of IPv4 ([`embedded_ipv4`]).
pub fn is_everywhere(net: &IpNet) -> bool {
    net.prefix_len() == 0 || embedded_ipv4(net).is_some_and(|v4| v4.prefix_len() == 0)
}

/// The globally routable IPv6 addresses (IANA's global unicast, `2000::/3`): the IPv6
/// share is of these, since the rest of the space is reserved, private or link-local, and a
/// share of all IPv6 would let `2000::/4`, half of the routable Internet, pass (#11).
const GLOBAL_UNICAST: Ipv6Net = match Ipv6Net::new(Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3) {
    Ok(n) => n,
    Err(_) => panic!("2000::/3 is a network"),
};

/// The share (0 to 1) the union of `nets` covers of all IPv4, and of the globally routable
/// IPv6 addresses ([`GLOBAL_UNICAST`]). An IPv6 network embedding IPv4 addresses
/// ([`embedded_ipv4`]) counts for those IPv4 addresses too; one holding all of IPv6 (`::/0`)
/// counts as all of it.
pub fn shares(nets: &[IpNet]) -> (f64, f64) {
    let mut all = nets.to_vec();
    all.extend(nets.iter().filter_map(embedded_ipv4).map(IpNet::V4));
    let union = IpNet::aggregate(&all);
    let mut v4 = 0.0;
    let mut v6 = 0.0;
    for n in union {
        match n {
            IpNet::V4(n) => v4 += 0.5_f64.powi(i32::from(n.prefix_len())),
            IpNet::V6(n) if n.prefix_len() == 0 => v6 += 1.0,
            IpNet::V6(n) if n.contains(&GLOBAL_UNICAST) => v6 += 1.0,
            IpNet::V6(n) if GLOBAL_UNICAST.contains(&n) => {
                v6 += 0.5_f64.powi(i32::from(n.prefix_len() - GLOBAL_UNICAST.prefix_len()));
            }
            IpNet::V6(_) => {}
        }
    }
    (v4, v6.min(1.0))
}

/// Why the union of `nets` is too wide where open egress is refused, if it is: it covers
/// every address of a family, or more than [`MAX_SHARE`] of it.
pub fn too_wide(nets: &[IpNet]) -> Option<String> {
    let (v4, v6) = shares(nets);
    // All of IPv6 holds all of IPv4 as mapped addresses too: name IPv6 then.
    let (all, share, most) = if v4 >= v6 && v6 < 1.0 {
        (
            "every IPv4 address (like a /0)",
            v4,
            "of all IPv4 addresses (at most 6.25% = a /4 is allowed)",
        )
    } else {
        (
            "every globally routable IPv6 address (2000::/3, like a /0)",
            v6,
            "of the globally routable IPv6 addresses, 2000::/3 (at most 6.25% = a /7 is allowed)",
        )
    };
    if share >= 1.0 {
        Some(format!("together they cover {all}"))
    } else if share > MAX_SHARE {
        Some(format!("together they cover {:.0}% {most}", share * 100.0))
    } else {
        None
    }
}

/// The ranges Caracal's STS and API refuse to reach unless the host is named in
/// `CARACAL_PRIVATE_EGRESS_HOSTS` (services/sts/internal/refresh.go `isUnsafeIP`,
/// apps/api/src/egress-address.ts `privateBlocked`), with their NAT64 (64:ff9b::/96)
/// forms, which both re-check as the IPv4 address they embed.
pub const PRIVATE_RANGES: [&str; 9] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
    "64:ff9b::a00:0/104",
    "64:ff9b::ac10:0/108",
    "64:ff9b::c0a8:0/112",
    "64:ff9b::6440:0/106",
];

/// The first of [`PRIVATE_RANGES`] that shares an address with `net`, if any.
pub fn private_overlap(net: &IpNet) -> Option<&'static str> {
    PRIVATE_RANGES.into_iter().find(|r| {
        r.parse::<IpNet>()
            .is_ok_and(|p| p.contains(&net.network()) || net.contains(&p.network()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_overlap_names_the_range_caracal_refuses() {
        let at = |s: &str| private_overlap(&s.parse().expect("cidr"));
        assert_eq!(at("10.20.5.0/24"), Some("10.0.0.0/8"));
        assert_eq!(at("172.31.0.0/16"), Some("172.16.0.0/12"));
        assert_eq!(at("100.100.0.0/16"), Some("100.64.0.0/10"));
        assert_eq!(at("fd12:3456::/48"), Some("fc00::/7"));
        assert_eq!(at("64:ff9b::c0a8:100/120"), Some("64:ff9b::c0a8:0/112"));
        // A wider CIDR that holds a private range overlaps it too.
        assert_eq!(at("192.0.0.0/2"), Some("192.168.0.0/16"));
        assert_eq!(at("140.82.112.0/20"), None);
        assert_eq!(at("172.32.0.0/16"), None);
        assert_eq!(at("2001:db8::/32"), None);
    }

    fn nets(s: &[&str]) -> Vec<IpNet> {
        s.iter().map(|n| n.parse().expect("cidr")).collect()
    }

    #[test]
    fn halves_together_are_everywhere() {
        assert!(too_wide(&nets(&["0.0.0.0/1", "128.0.0.0/1"]))
            .is_some_and(|m| m.contains("every IPv4")));
        assert!(too_wide(&nets(&["::/1", "8000::/1"]))
            .is_some_and(|m| m.contains("every globally routable IPv6")));
        // Half of the routable IPv6 Internet is not a narrow range (#11).
        let half = too_wide(&nets(&["2000::/4"])).expect("refused");
        assert!(half.contains("50% of the globally routable IPv6"), "{half}");
        assert!(too_wide(&nets(&["2000::/5", "3000::/5"])).is_some());
        assert!(too_wide(&nets(&["2000::/7"])).is_none(), "a /7 is the most");
        assert!(too_wide(&nets(&["2000::/6"])).is_some());
        // Private and reserved space isn't the Internet.
        assert!(too_wide(&nets(&["fc00::/7"])).is_none());
        assert!(too_wide(&nets(&["0.0.0.0/2", "64.0.0.0/3"])).is_some());
    }

    #[test]
    fn ipv4_written_as_ipv6_counts_as_ipv4() {
        for everywhere in [
            "::ffff:0.0.0.0/96",
            "::ffff:0:0/96",
            "::/96",
            "64:ff9b::/96",
            "::/80",
        ] {
            let net: IpNet = everywhere.parse().expect("cidr");
            assert!(is_everywhere(&net), "{everywhere}");
            assert!(
                too_wide(&[net]).is_some_and(|m| m.contains("every IPv4")),
                "{everywhere}"
            );
        }
        assert!(too_wide(&nets(&["::ffff:0.0.0.0/97", "128.0.0.0/1"]))
            .is_some_and(|m| m.contains("every IPv4")));
        assert!(too_wide(&nets(&["::ffff:0.0.0.0/99"])).is_some());
        assert!(
            too_wide(&nets(&["::ffff:0.0.0.0/100"])).is_none(),
            "a /4 is allowed"
        );
        let ten: IpNet = "::ffff:10.0.0.0/104".parse().expect("cidr");
        assert_eq!(embedded_ipv4(&ten), "10.0.0.0/8".parse().ok());
        assert!(too_wide(&[ten]).is_none());
        // NAT64's local-use prefix and IPv4-translated addresses carry IPv4 too (#11).
        assert!(is_everywhere(&"64:ff9b:1::/48".parse().unwrap()));
        assert!(is_everywhere(&"::ffff:0:0:0/96".parse().unwrap()));
        assert_eq!(
            embedded_ipv4(&"64:ff9b:1:a00::/56".parse().unwrap()),
            Some("10.0.0.0/8".parse().unwrap())
        );
        assert!(too_wide(&nets(&["64:ff9b:1::/50"])).is_some());
        // Ordinary IPv6 ranges embed nothing.
        for other in ["2600:1f00::/24", "::1/128", "fd00::/8", "10.0.0.0/8"] {
            let net: IpNet = other.parse().expect("cidr");
            assert!(!is_everywhere(&net), "{other}");
            assert_eq!(
                embedded_ipv4(&net).filter(|n| n.prefix_len() == 0),
                None,
                "{other}"
            );
        }
    }

    #[test]
    fn provider_ranges_are_fine() {
        assert!(too_wide(&nets(&["10.0.0.0/8", "20.190.128.0/18", "2600:1f00::/24"])).is_none());
        assert!(too_wide(&[]).is_none());
    }
}
