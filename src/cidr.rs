//! Unions of CIDRs: whether several egress CIDRs together reach everywhere, or too much
//! of it (#11: `0.0.0.0/1` plus `128.0.0.0/1` is a `/0`).
use ipnet::IpNet;

/// The largest share of an address family (IPv4 or IPv6) the CIDRs of one port may
/// cover where open egress is refused: 1/16, a `/4`. Cloud services publish ranges far
/// smaller (an AWS region's are `/10` and longer), so a union this wide is a wildcard.
pub const MAX_SHARE: f64 = 1.0 / 16.0;

/// The share (0 to 1) of its address family the union of `nets` of that family covers,
/// for IPv4 and IPv6.
pub fn shares(nets: &[IpNet]) -> (f64, f64) {
    let union = IpNet::aggregate(&nets.to_vec());
    let mut v4 = 0.0;
    let mut v6 = 0.0;
    for n in union {
        let share = 0.5_f64.powi(i32::from(n.prefix_len()));
        match n {
            IpNet::V4(_) => v4 += share,
            IpNet::V6(_) => v6 += share,
        }
    }
    (v4, v6)
}

/// Why the union of `nets` is too wide where open egress is refused, if it is: it covers
/// every address of a family, or more than [`MAX_SHARE`] of it.
pub fn too_wide(nets: &[IpNet]) -> Option<String> {
    let (v4, v6) = shares(nets);
    let (family, share) = if v4 >= v6 { ("IPv4", v4) } else { ("IPv6", v6) };
    if share >= 1.0 {
        Some(format!(
            "together they cover every {family} address (like a /0)"
        ))
    } else if share > MAX_SHARE {
        Some(format!(
            "together they cover {:.0}% of all {family} addresses (at most {:.2}% = a /4 is allowed)",
            share * 100.0,
            MAX_SHARE * 100.0
        ))
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
        assert!(too_wide(&nets(&["::/1", "8000::/1"])).is_some_and(|m| m.contains("every IPv6")));
        assert!(too_wide(&nets(&["0.0.0.0/2", "64.0.0.0/3"])).is_some());
    }

    #[test]
    fn provider_ranges_are_fine() {
        assert!(too_wide(&nets(&["10.0.0.0/8", "20.190.128.0/18", "2600:1f00::/24"])).is_none());
        assert!(too_wide(&[]).is_none());
    }
}
