use super::*;
use crate::answers::Answers;

fn problems(text: &str) -> String {
    Answers::parse("a.yaml", text, &[]).unwrap_err().to_string()
}

#[test]
fn every_unknown_key_and_type_error_is_listed_with_its_path() {
    let msg = problems(
        "cloud: eks\nsignin: {}\nclod: x\npostgres: {port: \"10.99.0.5/16\", hots: a}\nredis: {port: x, tls: maybe}\negress: {other: [{cidr: 10.0.0.0/8, ports: [a]}, 10.1.0.0/16, 5]}\n",
    );
    for needle in [
        "`signin`: unknown key `signin`; did you mean `signIn`?",
        "`clod`: unknown key `clod`; did you mean `cloud`?",
        "`postgres.port`: must be a port number (1–65535); got \"10.99.0.5/16\"",
        "`postgres.hots`: unknown key `hots`; did you mean `host`?",
        "`redis.port`: must be a port number (1–65535); got \"x\"",
        "`redis.tls`: must be true or false; got \"maybe\"",
        "`egress.other[0]`: must be a CIDR",
        "`egress.other[2]`: must be a CIDR",
    ] {
        assert!(msg.contains(needle), "missing {needle:?} in:\n{msg}");
    }
    let order: Vec<usize> = [
        "`signin`",
        "`clod`",
        "`postgres.port`",
        "`redis.port`",
        "`egress.other[0]`",
    ]
    .iter()
    .map(|n| msg.find(n).unwrap())
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "not in file order:\n{msg}"
    );
    assert!(msg.starts_with("a.yaml: 8 problems:"), "{msg}");
    for serde_word in ["invalid type", "expected u32", "untagged", "struct"] {
        assert!(
            !msg.contains(serde_word),
            "serde wording {serde_word:?} in:\n{msg}"
        );
    }
}

#[test]
fn an_unknown_key_without_a_near_one_lists_every_key_in_full() {
    let msg = problems("zzzzzz: 1\n");
    assert!(msg.contains("use one of version, cloud, profile,"), "{msg}");
    assert!(msg.contains("chartRepo, digests"), "{msg}");
}

#[test]
fn control_characters_in_any_string_are_refused_with_the_key_path() {
    let msg = problems(
        "cloud: eks\ndomain: \"ex\\e]52;c;aGk=\\aample.com\"\nsignIn: {provider: github, from: \"a\\x07b\"}\nidentity: {awsRoleArn: \"x\\u009by\"}\n",
    );
    for needle in [
        "`domain`: contains the control character \\u{1b}",
        "`signIn.from`: contains the control character \\u{7}",
        "`identity.awsRoleArn`: contains the control character \\u{9b}",
    ] {
        assert!(msg.contains(needle), "missing {needle:?} in:\n{msg}");
    }
    assert!(!msg.contains('\x1b'), "{msg:?}");
    let set = Answers::parse("a.yaml", "", &["signIn.from=a\u{1b}b".into()]).unwrap_err();
    assert!(set.to_string().contains("`signIn.from`"), "{set}");
}

#[test]
fn a_byte_order_mark_is_not_content() {
    let a = Answers::parse("a.yaml", "\u{feff}---\ncloud: eks\n", &[]).unwrap();
    assert_eq!(a.cloud, "eks");
}

#[test]
fn ipv6_cidrs_in_a_set_list_are_a_list() {
    let a = Answers::parse(
        "a.yaml",
        "",
        &["ingressController.cidrs={fd00::/8,10.0.0.0/8}".into()],
    )
    .unwrap();
    assert_eq!(
        a.ingress_controller.unwrap().cidrs,
        vec!["fd00::/8".to_string(), "10.0.0.0/8".to_string()]
    );
    let a = Answers::parse(
        "a.yaml",
        "",
        &["egress.other=[{cidr: 10.0.0.0/8, ports: [443]}]".into()],
    )
    .unwrap();
    assert_eq!(a.egress.unwrap().other.unwrap()[0].cidr(), "10.0.0.0/8");
}

#[test]
fn a_missing_required_key_is_named_in_full() {
    let msg = problems("dns: {cidr: 10.0.0.0/8}\n");
    assert!(msg.contains("`dns.mode`: missing"), "{msg}");
}

#[test]
fn suggest_prefers_case_then_small_edits() {
    let known = ["signIn", "cloud", "storageClass"];
    assert_eq!(suggest("SIGNIN", &known), Some("signIn"));
    assert_eq!(suggest("storageClas", &known), Some("storageClass"));
    assert_eq!(suggest("banana", &known), None);
    assert_eq!(distance("kitten", "sitting"), 3);
}

#[test]
fn a_key_that_is_not_text_is_named_as_written() {
    let head = "version: 1\nprofile: evaluation\ncloud: eks\n";
    for (key, written, kind) in [
        ("1", "1", "a number"),
        ("~", "~", "null"),
        ("true", "true", "a boolean"),
        ("? [a, b]\n", "[a, b]", "a list"),
    ] {
        let msg = problems(&format!("{head}{key}: x\n"));
        let want = format!("`{written}`: the key `{written}` is {kind}");
        assert!(msg.contains(&want), "missing {want:?} in:\n{msg}");
        assert!(msg.contains("not text"), "{msg}");
        assert!(!msg.contains(".?"), "{msg}");
    }
    let msg = problems(&format!("{head}postgres: {{7: x}}\n"));
    assert!(
        msg.contains("`postgres.7`: the key `7` is a number"),
        "{msg}"
    );
}

#[test]
fn a_huge_unknown_key_is_reported_quickly_and_shortened() {
    let key = "k".repeat(900_000);
    let start = std::time::Instant::now();
    let msg = problems(&format!("version: 1\n? {key}\n: x\n"));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    let shown = format!("{}… (900000 bytes)", "k".repeat(32));
    assert!(
        msg.contains(&format!("unknown key `{shown}`")),
        "{}",
        &msg[..msg.len().min(500)]
    );
    assert!(msg.len() < 2_000, "{} bytes", msg.len());
    // Short misspellings still get their suggestion.
    assert!(suggest("clod", &["cloud", "profile"]) == Some("cloud"));
    assert_eq!(suggest(&"c".repeat(65), &["cloud"]), None);
}
