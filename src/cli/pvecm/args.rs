//! Proxmox-style argument handling for pvecm (pve-common's CLIHandler and
//! Getopt conventions): subcommands abbreviated to a unique prefix, options
//! as `--name value`, `--name=value` or `-name value` (also abbreviated),
//! booleans with an optional value, and the error texts
//! `ERROR: unknown command`, `Unknown option: <x>` + `400 unable to parse
//! option`, `400 not enough arguments`, `400 too many arguments` and
//! `400 Parameter verification failed.`.

use crate::cli::CliError;
use std::collections::BTreeMap;

/// The type of a parameter, which decides its validation message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    /// Integer with a minimum.
    Int(i64),
    Str,
    /// Node-name format, at most 15 characters for cluster names.
    NodeName,
    ClusterName,
    Ip,
    Link,
    Cidr,
    Fingerprint,
    /// Extra arguments (`<extra-args>`): any number of words.
    Extra,
}

/// One subcommand's parameters.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Full command words after `pvecm`, e.g. `qdevice setup`.
    pub name: &'static str,
    pub args: &'static [(&'static str, Kind)],
    pub opts: &'static [(&'static str, Kind)],
}

impl Spec {
    /// The usage line `pvecm <cmd> <args> [OPTIONS]`.
    pub fn usage(&self) -> String {
        let mut s = format!("pvecm {}", self.name);
        for (a, k) in self.args {
            if *k == Kind::Extra {
                s.push_str(&format!(" [<{a}>]"));
            } else {
                s.push_str(&format!(" <{a}>"));
            }
        }
        if !self.opts.is_empty() {
            if self.args.is_empty() {
                s.push(' ');
            }
            s.push_str(" [OPTIONS]");
        } else if self.args.is_empty() {
            s.push(' ');
        }
        s
    }
}

/// Parsed values by parameter name (booleans as "0"/"1").
pub type Params = BTreeMap<String, String>;

fn fail_usage(spec: &Spec, first: &str) -> CliError {
    CliError::fail(format!("{first}\n{}", spec.usage()))
}

fn bool_value(v: &str) -> Option<&'static str> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "on" | "true" | "" => Some("1"),
        "0" | "no" | "off" | "false" => Some("0"),
        _ => None,
    }
}

/// Check one value; `Err` is the message after `<param>: `.
pub fn check(kind: Kind, v: &str) -> Result<String, String> {
    match kind {
        Kind::Bool => bool_value(v)
            .map(str::to_string)
            .ok_or_else(|| format!("type check ('boolean') failed - got '{v}'")),
        Kind::Int(min) => match v.parse::<i64>() {
            Ok(n) if n < min => Err(format!("value must have a minimum value of {min}")),
            // node ids, votes and timeouts are 32-bit in corosync
            Ok(n) if min >= 0 && n > i64::from(u32::MAX) => {
                Err(format!("value must have a maximum value of {}", u32::MAX))
            }
            Ok(n) => Ok(n.to_string()),
            Err(_) => Err(format!("type check ('integer') failed - got '{v}'")),
        },
        Kind::Str | Kind::Extra => Ok(v.to_string()),
        Kind::NodeName => {
            if crate::sim::hardware::valid_node_name(v) {
                Ok(v.to_string())
            } else {
                Err("value does not look like a valid node name".into())
            }
        }
        Kind::ClusterName => {
            if !crate::sim::hardware::valid_node_name(v) {
                Err("value does not look like a valid node name".into())
            } else if v.len() > 15 {
                Err("value may only be 15 characters long".into())
            } else {
                Ok(v.to_string())
            }
        }
        Kind::Ip => {
            if crate::sim::hardware::valid_ip(v) {
                Ok(v.to_string())
            } else {
                Err("value does not look like a valid IP address".into())
            }
        }
        Kind::Link => crate::cluster::ops::parse_link(v).map(|_| v.to_string()),
        Kind::Cidr => {
            let ok = v.split_once('/').is_some_and(|(ip, len)| {
                match (ip.parse::<std::net::IpAddr>(), len.parse::<u8>()) {
                    (Ok(std::net::IpAddr::V4(_)), Ok(l)) => l <= 32,
                    (Ok(std::net::IpAddr::V6(_)), Ok(l)) => l <= 128,
                    _ => false,
                }
            });
            if ok {
                Ok(v.to_string())
            } else {
                Err("value does not look like a valid CIDR network".into())
            }
        }
        Kind::Fingerprint => {
            let parts: Vec<&str> = v.split(':').collect();
            let ok = parts.len() == 32
                && parts
                    .iter()
                    .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
            if ok {
                Ok(v.to_string())
            } else {
                Err("value does not match the regex pattern".into())
            }
        }
    }
}

/// Parse the words after the subcommand.
pub fn parse(spec: &Spec, words: &[String]) -> Result<Params, CliError> {
    let mut params = Params::new();
    let mut positional: Vec<String> = Vec::new();
    let mut raw_opts: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let name_part = w
            .strip_prefix("--")
            .or_else(|| w.strip_prefix('-'))
            .filter(|n| !n.is_empty() && !w.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
        let Some(name_part) = name_part else {
            positional.push(w.clone());
            i += 1;
            continue;
        };
        let (name, inline) = match name_part.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (name_part, None),
        };
        let matches: Vec<&(&str, Kind)> = spec.opts.iter().filter(|(o, _)| *o == name).collect();
        let matches = if matches.is_empty() {
            spec.opts
                .iter()
                .filter(|(o, _)| o.starts_with(name))
                .collect()
        } else {
            matches
        };
        if matches.len() != 1 {
            return Err(fail_usage(
                spec,
                &format!("Unknown option: {name}\n400 unable to parse option"),
            ));
        }
        let (oname, kind) = *matches[0];
        let value = match inline {
            Some(v) => v,
            None if kind == Kind::Bool => {
                if let Some(next) = words.get(i + 1).filter(|n| !n.starts_with('-')) {
                    i += 1;
                    next.clone()
                } else {
                    String::new()
                }
            }
            None => match words.get(i + 1) {
                Some(n) => {
                    i += 1;
                    n.clone()
                }
                None => {
                    return Err(fail_usage(
                        spec,
                        &format!("Option {oname} requires an argument\n400 unable to parse option"),
                    ))
                }
            },
        };
        raw_opts.push((oname.to_string(), value));
        i += 1;
    }
    let fixed: Vec<&(&str, Kind)> = spec
        .args
        .iter()
        .filter(|(_, k)| *k != Kind::Extra)
        .collect();
    let extra = spec.args.iter().any(|(_, k)| *k == Kind::Extra);
    if positional.len() < fixed.len() {
        return Err(fail_usage(spec, "400 not enough arguments"));
    }
    if positional.len() > fixed.len() && !extra {
        return Err(fail_usage(spec, "400 too many arguments"));
    }
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for (k, (name, kind)) in fixed.iter().enumerate() {
        match check(*kind, &positional[k]) {
            Ok(v) => {
                params.insert(name.to_string(), v);
            }
            Err(e) => {
                errors.insert(name.to_string(), e);
            }
        }
    }
    if extra {
        params.insert("extra-args".into(), positional[fixed.len()..].join(" "));
    }
    for (name, value) in raw_opts {
        let kind = spec
            .opts
            .iter()
            .find(|(o, _)| *o == name)
            .map(|(_, k)| *k)
            .unwrap_or(Kind::Str);
        if params.contains_key(&name) {
            errors.insert(name.clone(), "duplicate parameter".into());
            continue;
        }
        match check(kind, &value) {
            Ok(v) => {
                params.insert(name, v);
            }
            Err(e) => {
                errors.insert(name, e);
            }
        }
    }
    if !errors.is_empty() {
        let mut msg = String::from("400 Parameter verification failed.");
        for (k, e) in &errors {
            msg.push_str(&format!("\n{k}: {e}"));
        }
        return Err(fail_usage(spec, &msg));
    }
    Ok(params)
}

/// Resolve an abbreviated command word among `names` (exact match first,
/// else a unique prefix).
pub fn resolve<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    if let Some(n) = names.iter().find(|n| **n == word) {
        return Some(n);
    }
    let m: Vec<&&str> = names.iter().filter(|n| n.starts_with(word)).collect();
    if m.len() == 1 {
        Some(m[0])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATE: Spec = Spec {
        name: "create",
        args: &[("clustername", Kind::ClusterName)],
        opts: &[
            ("link0", Kind::Link),
            ("nodeid", Kind::Int(1)),
            ("votes", Kind::Int(1)),
            ("force", Kind::Bool),
        ],
    };

    fn w(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn proxmox_style_parsing() {
        let p = parse(
            &CREATE,
            &w(&["demo", "--votes=2", "-nodeid", "3", "--force"]),
        )
        .unwrap();
        assert_eq!(p["clustername"], "demo");
        assert_eq!(p["votes"], "2");
        assert_eq!(p["nodeid"], "3");
        assert_eq!(p["force"], "1");
        let e = parse(&CREATE, &w(&["demo", "--net_algorithm", "x"])).unwrap_err();
        assert_eq!(
            e.message,
            "Unknown option: net_algorithm\n400 unable to parse option\npvecm create <clustername> [OPTIONS]"
        );
        let e = parse(&CREATE, &w(&["this-name-is-far-too-long", "--votes", "0"])).unwrap_err();
        assert_eq!(e.message, "400 Parameter verification failed.\nclustername: value may only be 15 characters long\nvotes: value must have a minimum value of 1\npvecm create <clustername> [OPTIONS]");
        // a value corosync cannot hold is refused, not replaced by a default
        let e = parse(&CREATE, &w(&["demo", "--nodeid", "99999999999"])).unwrap_err();
        assert_eq!(e.message, "400 Parameter verification failed.\nnodeid: value must have a maximum value of 4294967295\npvecm create <clustername> [OPTIONS]");
        assert!(parse(&CREATE, &w(&["demo", "--nodeid", "4294967295"])).is_ok());
        assert!(parse(&CREATE, &w(&[]))
            .unwrap_err()
            .message
            .starts_with("400 not enough arguments"));
        assert!(parse(&CREATE, &w(&["a", "b"]))
            .unwrap_err()
            .message
            .starts_with("400 too many arguments"));
        assert_eq!(
            resolve("stat", &["status", "add", "addnode"]),
            Some("status")
        );
        assert_eq!(resolve("add", &["status", "add", "addnode"]), Some("add"));
        assert_eq!(resolve("a", &["status", "add", "addnode"]), None);
    }
}
