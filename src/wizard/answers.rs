//! Reading and writing answers by key path (`endpoints.sts`), the same paths `--set` and problems use.
use crate::answers::{apply_set, Answers};
use crate::error::AnswersError;

/// Sets `path` to `raw` exactly as `--set path=raw` would, and re-types the answers.
///
/// On error the answers are unchanged and the message says what is wrong with the value.
pub fn set(answers: &mut Answers, path: &str, raw: &str) -> Result<(), String> {
    let mut doc = to_value(answers);
    apply_set(&mut doc, &format!("{path}={raw}")).map_err(|e| explain(&e))?;
    *answers = Answers::from_value(path, doc).map_err(|e| explain(&e))?;
    Ok(())
}

/// Sets `path` to a YAML value taken from other answers (creating parent maps).
pub fn set_value(
    answers: &mut Answers,
    path: &str,
    value: serde_yaml::Value,
) -> Result<(), String> {
    let mut doc = to_value(answers);
    let mut cur = &mut doc;
    for k in path.split('.') {
        if !cur.is_mapping() {
            *cur = serde_yaml::Value::Mapping(Default::default());
        }
        let serde_yaml::Value::Mapping(m) = cur else {
            return Err(format!("`{path}` can't be set"));
        };
        cur = m
            .entry(serde_yaml::Value::String(k.to_string()))
            .or_insert(serde_yaml::Value::Null);
    }
    *cur = value;
    *answers = Answers::from_value(path, doc).map_err(|e| explain(&e))?;
    Ok(())
}

/// Removes `path`, so the profile's or cloud's default applies again.
pub fn unset(answers: &mut Answers, path: &str) -> Result<(), String> {
    let mut doc = to_value(answers);
    let keys: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = keys.split_last() else {
        return Ok(());
    };
    let mut cur = &mut doc;
    for k in parents {
        match cur.get_mut(*k) {
            Some(next) => cur = next,
            None => return Ok(()),
        }
    }
    if let serde_yaml::Value::Mapping(m) = cur {
        m.remove(*last);
        // An emptied parent map would otherwise stay as `{}` and change nothing, but keep the
        // answers tidy: `postgres: {}` reads as "answered" to a human.
    }
    prune_empty(&mut doc, parents);
    *answers = Answers::from_value(path, doc).map_err(|e| explain(&e))?;
    Ok(())
}

/// Removes maps along `parents` that became empty, deepest first.
fn prune_empty(doc: &mut serde_yaml::Value, parents: &[&str]) {
    for depth in (1..=parents.len()).rev() {
        let (last, above) = match parents[..depth].split_last() {
            Some(x) => x,
            None => return,
        };
        let mut cur = &mut *doc;
        for k in above {
            match cur.get_mut(*k) {
                Some(next) => cur = next,
                None => return,
            }
        }
        let is_empty = cur
            .get(*last)
            .and_then(serde_yaml::Value::as_mapping)
            .is_some_and(serde_yaml::Mapping::is_empty);
        if let (true, serde_yaml::Value::Mapping(m)) = (is_empty, cur) {
            m.remove(*last);
        }
    }
}

/// The value at `path`, if set (an empty string counts as unset).
pub fn get(answers: &Answers, path: &str) -> Option<serde_yaml::Value> {
    let doc = to_value(answers);
    let mut cur = &doc;
    for k in path.split('.') {
        cur = cur.get(k)?;
    }
    // `cloud`, `profile` and `domain` read as "" when absent.
    let unset = cur.is_null() || cur.as_str() == Some("");
    (!unset).then(|| cur.clone())
}

/// A value as one line of text, the way a user would type it back (`a, b` for lists).
pub fn display(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Sequence(items) => items
            .iter()
            .map(|v| match (v.get("cidr"), v.get("ports")) {
                // `{cidr, ports}` reads back as `CIDR:PORT+PORT`, the way it is typed.
                (Some(c), Some(serde_yaml::Value::Sequence(ports))) => format!(
                    "{}:{}",
                    display(c),
                    ports.iter().map(display).collect::<Vec<_>>().join("+")
                ),
                (Some(c), _) => display(c),
                (None, _) => display(v),
            })
            .collect::<Vec<_>>()
            .join(", "),
        // Labels read back as `key=value`, the way they are typed.
        serde_yaml::Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| format!("{}={}", display(k), display(v)))
            .collect::<Vec<_>>()
            .join(", "),
        serde_yaml::Value::Tagged(t) => display(&t.value),
    }
}

/// Text typed for labels (`a=1, b=2`) as a mapping of strings.
pub fn labels_value(text: &str) -> Result<serde_yaml::Value, String> {
    let mut m = serde_yaml::Mapping::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = item.split_once('=').ok_or_else(|| {
            format!("`{item}` is not key=value, e.g. app.kubernetes.io/name=ingress-nginx")
        })?;
        m.insert(
            serde_yaml::Value::String(k.trim().to_string()),
            serde_yaml::Value::String(v.trim().to_string()),
        );
    }
    Ok(serde_yaml::Value::Mapping(m))
}

/// Refuses a typed list item whose ports (after `CIDR:`) are not TCP ports, in the syntax
/// the wizard shows them (`CIDR:PORT+PORT`), before YAML parsing would word it as YAML.
pub fn ensure_list_ports(text: &str) -> Result<(), String> {
    const EXAMPLE: &str =
        "write `CIDR:PORT+PORT`, e.g. `10.30.0.0/16:8443+9443`, or the CIDR alone for 443";
    for item in text
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let Some((_, ports)) = item.split_once('/').and_then(|(_, t)| t.split_once(':')) else {
            continue;
        };
        if ports.is_empty() {
            return Err(format!("`{item}` has no port after `:`; {EXAMPLE}"));
        }
        for p in ports.split('+') {
            if !p.parse::<u16>().is_ok_and(|n| n > 0) {
                return Err(format!(
                    "`{item}`: `{p}` is not a TCP port (1–65535); {EXAMPLE}"
                ));
            }
        }
    }
    Ok(())
}

/// Text typed for a list (`a, b`) as a `--set` value: a YAML flow sequence. An item
/// `CIDR:PORT+PORT` (e.g. `10.30.0.0/16:8443+9443`) becomes `{cidr, ports}`.
pub fn list_to_set_value(text: &str) -> String {
    let items: Vec<String> = text
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            // Ports follow the prefix length, so IPv6 colons before the `/` are not ports.
            let ports = item.split_once('/').and_then(|(_, tail)| {
                let (_, ports) = tail.split_once(':')?;
                let cidr_len = item.len() - ports.len() - 1;
                Some((&item[..cidr_len], ports))
            });
            match ports {
                Some((cidr, ports)) => format!(
                    "{{cidr: '{cidr}', ports: [{}]}}",
                    ports.split('+').collect::<Vec<_>>().join(", ")
                ),
                None => format!("'{item}'"),
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn to_value(answers: &Answers) -> serde_yaml::Value {
    serde_yaml::to_value(answers).unwrap_or(serde_yaml::Value::Null)
}

fn explain(e: &AnswersError) -> String {
    match e {
        AnswersError::Parse { path, reason, .. } => format!("{path}{reason}"),
        AnswersError::Set { reason, .. } => reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Endpoint, Exposure};

    #[test]
    fn set_and_unset_use_key_paths() {
        let mut a = Answers::default();
        set(&mut a, "endpoints.sts", "internal").unwrap();
        assert_eq!(a.endpoints[&Endpoint::Sts], Exposure::Internal);
        set(&mut a, "redis.port", "6380").unwrap();
        assert_eq!(a.redis.as_ref().unwrap().port, Some(6380));
        unset(&mut a, "redis.port").unwrap();
        assert_eq!(a.redis, None, "an emptied map is removed");
        set(
            &mut a,
            "egress.other",
            &list_to_set_value("10.0.0.0/8, 10.1.0.0/16"),
        )
        .unwrap();
        assert_eq!(
            display(&get(&a, "egress.other").unwrap()),
            "10.0.0.0/8, 10.1.0.0/16"
        );
    }

    #[test]
    fn set_reports_a_bad_value_and_keeps_the_answers() {
        let mut a = Answers::default();
        let err = set(&mut a, "endpoints.web", "off").unwrap_err();
        assert!(err.contains("disabled"), "{err}");
        assert_eq!(a, Answers::default());
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;

    #[test]
    fn lists_with_ports_round_trip_through_the_text_field() {
        let mut a = Answers::default();
        let typed = "10.0.0.0/16, 10.30.0.0/16:8443+9443, fd00::/8:443";
        set(&mut a, "egress.other", &list_to_set_value(typed)).unwrap();
        let other = a.egress.clone().unwrap().other.unwrap();
        assert_eq!(other[0].ports(), vec![443]);
        assert_eq!(other[1].cidr(), "10.30.0.0/16");
        assert_eq!(other[1].ports(), vec![8443, 9443]);
        assert_eq!(other[2].cidr(), "fd00::/8");
        assert_eq!(display(&get(&a, "egress.other").unwrap()), typed);
    }

    #[test]
    fn host_names_stay_plain_strings_in_a_list() {
        let mut a = Answers::default();
        let typed = "login.corp.example, oauth.corp.example:8443";
        set(&mut a, "egress.privateHosts", &list_to_set_value(typed)).unwrap();
        let hosts = a.egress.clone().unwrap().private_hosts.unwrap();
        // A port is kept as typed, for validation to refuse with its reason.
        assert_eq!(hosts, ["login.corp.example", "oauth.corp.example:8443"]);
        assert_eq!(display(&get(&a, "egress.privateHosts").unwrap()), typed);
    }
}
