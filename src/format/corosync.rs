//! corosync.conf: pvecm's token parser, the canonical writer, corosync's own
//! line reader, and the configuration check `pvecm addnode` runs (spec C.7).
//!
//! The parsed form is a tree of [`Section`]s. Plain keys and nested sections
//! share one name space per section; `node` and `interface` sections may
//! repeat and are kept in a map keyed by their index (the node `name`, else
//! `ring0_addr`; the interface `linknumber`, else `ringnumber`). The writer
//! prints every level in byte-wise name order, so
//! `write(parse(text)) == text` for every file in canonical layout.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A value inside a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `key: value`
    Str(String),
    /// `name { ... }`
    Section(Section),
    /// Repeated `node { ... }` / `interface { ... }` sections by index.
    List(BTreeMap<String, Section>),
}

/// One `{ ... }` block (the top level is a section without a name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub entries: BTreeMap<String, Value>,
}

/// A parse error of pvecm's parser (texts as upstream, typos included).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("section '{0}' already exists and not marked as array!")]
    SectionExists(String),
    #[error("parse error - uncexpected '}}'")]
    UnexpectedClose,
    #[error("missing ':' after key '{0}'")]
    MissingColon(String),
    #[error("parse error - no value for '{0}'")]
    NoValue(String),
}

fn is_array(name: &str) -> bool {
    name == "node" || name == "interface"
}

impl Section {
    /// The string value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.entries.get(key) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Set a `key: value` line.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.entries
            .insert(key.to_string(), Value::Str(value.into()));
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.entries.remove(key)
    }

    /// The nested (non-repeating) section `name`.
    pub fn section(&self, name: &str) -> Option<&Section> {
        match self.entries.get(name) {
            Some(Value::Section(s)) => Some(s),
            _ => None,
        }
    }

    pub fn section_mut(&mut self, name: &str) -> Option<&mut Section> {
        match self.entries.get_mut(name) {
            Some(Value::Section(s)) => Some(s),
            _ => None,
        }
    }

    /// The nested section `name`, created empty if missing.
    pub fn section_entry(&mut self, name: &str) -> &mut Section {
        if !matches!(self.entries.get(name), Some(Value::Section(_))) {
            self.entries
                .insert(name.to_string(), Value::Section(Section::default()));
        }
        self.section_mut(name).expect("just inserted")
    }

    /// The repeated sections `name` (e.g. `node`) by index.
    pub fn list(&self, name: &str) -> Option<&BTreeMap<String, Section>> {
        match self.entries.get(name) {
            Some(Value::List(l)) => Some(l),
            _ => None,
        }
    }

    pub fn list_entry(&mut self, name: &str) -> &mut BTreeMap<String, Section> {
        if !matches!(self.entries.get(name), Some(Value::List(_))) {
            self.entries
                .insert(name.to_string(), Value::List(BTreeMap::new()));
        }
        match self.entries.get_mut(name) {
            Some(Value::List(l)) => l,
            _ => unreachable!(),
        }
    }

    fn insert_child(&mut self, name: &str, child: Section) -> Result<(), ParseError> {
        if is_array(name) {
            let idx = index_of(name, &child);
            self.list_entry(name).insert(idx, child);
            Ok(())
        } else if self.entries.contains_key(name) {
            Err(ParseError::SectionExists(name.to_string()))
        } else {
            self.entries.insert(name.to_string(), Value::Section(child));
            Ok(())
        }
    }
}

/// The index of a repeated section: node `name` (else `ring0_addr`),
/// interface `linknumber` (else `ringnumber`).
pub fn index_of(kind: &str, s: &Section) -> String {
    let (a, b) = if kind == "node" {
        ("name", "ring0_addr")
    } else {
        ("linknumber", "ringnumber")
    };
    s.get(a).or_else(|| s.get(b)).unwrap_or("").to_string()
}

/// Parse with pvecm's token parser (C.7.1).
pub fn parse(text: &str) -> Result<Section, ParseError> {
    let mut cleaned = String::with_capacity(text.len());
    for line in text.split('\n') {
        let line = match line.find('#') {
            Some(i) => &line[..i],
            None => line,
        };
        cleaned.push_str(line);
        cleaned.push(' ');
    }
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    // Stack of open sections: (name, section).
    let mut stack: Vec<(String, Section)> = vec![(String::new(), Section::default())];
    let mut i = 0;
    while i < tokens.len() {
        let tok = tokens[i];
        if tokens.get(i + 1) == Some(&"{") {
            stack.push((tok.to_string(), Section::default()));
            i += 2;
            continue;
        }
        if tok == "}" {
            if stack.len() < 2 {
                return Err(ParseError::UnexpectedClose);
            }
            let (name, sec) = stack.pop().expect("checked");
            stack
                .last_mut()
                .expect("checked")
                .1
                .insert_child(&name, sec)?;
            i += 1;
            continue;
        }
        let Some(key) = tok.strip_suffix(':') else {
            return Err(ParseError::MissingColon(tok.to_string()));
        };
        let Some(value) = tokens.get(i + 1) else {
            return Err(ParseError::NoValue(key.to_string()));
        };
        stack.last_mut().expect("root").1.set(key, *value);
        i += 2;
    }
    // Sections still open at the end are accepted as they are.
    while stack.len() > 1 {
        let (name, sec) = stack.pop().expect("checked");
        stack.last_mut().expect("root").1.insert_child(&name, sec)?;
    }
    Ok(stack.pop().expect("root").1)
}

/// Read a file the way corosync itself does (line based; C.7.1 emulation
/// note): `key: value` takes the rest of the line, so values may contain
/// spaces. Returns `None` when corosync could not read the file.
pub fn parse_corosync(text: &str) -> Option<Section> {
    let mut stack: Vec<(String, Section)> = vec![(String::new(), Section::default())];
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_suffix('{') {
            stack.push((name.trim().to_string(), Section::default()));
        } else if line == "}" {
            if stack.len() < 2 {
                return None;
            }
            let (name, sec) = stack.pop()?;
            stack.last_mut()?.1.insert_child(&name, sec).ok()?;
        } else {
            let (k, v) = line.split_once(':')?;
            stack.last_mut()?.1.set(k.trim(), v.trim());
        }
    }
    if stack.len() != 1 {
        return None;
    }
    Some(stack.pop()?.1)
}

/// Serialize in the canonical layout (C.7.2).
pub fn write(conf: &Section) -> String {
    let mut out = String::new();
    for (name, value) in &conf.entries {
        match value {
            Value::Str(v) => {
                let _ = writeln!(out, "{name}: {v}");
            }
            Value::Section(s) => {
                write_section(&mut out, name, s, 0);
                out.push('\n');
            }
            Value::List(l) => {
                for s in l.values() {
                    write_section(&mut out, name, s, 0);
                    out.push('\n');
                }
            }
        }
    }
    out
}

fn write_section(out: &mut String, name: &str, s: &Section, depth: usize) {
    let ind = "  ".repeat(depth);
    let _ = writeln!(out, "{ind}{name} {{");
    for (k, v) in &s.entries {
        match v {
            Value::Str(v) => {
                let _ = writeln!(out, "{ind}  {k}: {v}");
            }
            Value::Section(c) => write_section(out, k, c, depth + 1),
            Value::List(l) => {
                for c in l.values() {
                    write_section(out, k, c, depth + 1);
                }
            }
        }
    }
    let _ = writeln!(out, "{ind}}}");
}

/// A node entry of the nodelist, with the fields quorum and pvecm use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeEntry {
    pub name: String,
    pub nodeid: u32,
    /// `quorum_votes` as written (`None` when absent, which corosync reads as 1).
    pub quorum_votes: Option<u32>,
    /// `ring0_addr` .. `ring7_addr` (index = link number).
    pub links: BTreeMap<u8, String>,
}

impl NodeEntry {
    /// The votes corosync counts (absent = 1).
    pub fn votes(&self) -> u32 {
        self.quorum_votes.unwrap_or(1)
    }
}

/// The nodelist entries in byte-wise index order.
pub fn nodes(conf: &Section) -> Vec<NodeEntry> {
    let Some(list) = conf.section("nodelist").and_then(|n| n.list("node")) else {
        return Vec::new();
    };
    list.iter()
        .map(|(idx, s)| {
            let mut links = BTreeMap::new();
            for n in 0..8u8 {
                if let Some(a) = s.get(&format!("ring{n}_addr")) {
                    links.insert(n, a.to_string());
                }
            }
            NodeEntry {
                name: s.get("name").unwrap_or(idx).to_string(),
                nodeid: s.get("nodeid").and_then(|v| v.parse().ok()).unwrap_or(0),
                quorum_votes: s.get("quorum_votes").and_then(|v| v.parse().ok()),
                links,
            }
        })
        .collect()
}

/// `totem.config_version`, if present and numeric.
pub fn config_version(conf: &Section) -> Option<u64> {
    conf.section("totem")?.get("config_version")?.parse().ok()
}

/// Findings of the configuration check (C.7.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Verify a parsed configuration as `addnode` does (C.7.3). `resolve` maps
/// a host name to an IP address (`None`: does not resolve).
pub fn verify(conf: &Section, resolve: &dyn Fn(&str) -> Option<String>) -> Verification {
    let mut v = Verification::default();
    let nodes = conf
        .section("nodelist")
        .and_then(|n| n.list("node"))
        .cloned()
        .unwrap_or_default();
    if nodes.is_empty() {
        v.errors.push("no nodes found".into());
        return v;
    }
    let Some(totem) = conf.section("totem") else {
        v.errors.push("no totem found".into());
        return v;
    };
    let secauth_on = totem.get("secauth") == Some("on");
    let cipher = totem.get("crypto_cipher");
    if !secauth_on && (cipher.is_none() || cipher == Some("none")) {
        v.warnings.push(
            "warning: authentication/encryption is not explicitly enabled (secauth / crypto_cipher / crypto_hash)"
                .into(),
        );
    }
    let interfaces = totem.list("interface").cloned().unwrap_or_default();
    let addr_warning = |n: u8, node: &str, addr: &str| -> Option<String> {
        if addr.parse::<std::net::IpAddr>().is_ok() {
            return None;
        }
        Some(match resolve(addr) {
            None => format!("warning: unable to resolve ring{n}_addr '{addr}' for node '{node}' to an IP address according to Corosync's resolve strategy - cluster could fail on restart!"),
            Some(ip) => format!("warning: ring{n}_addr '{addr}' for node '{node}' resolves to '{ip}' - consider replacing it with the currently resolved IP address for stability"),
        })
    };
    for n in 0..8u8 {
        let key = format!("ring{n}_addr");
        if !interfaces.is_empty() {
            let has_iface = interfaces.contains_key(&n.to_string());
            for (name, node) in &nodes {
                if let Some(addr) = node.get(&key) {
                    if let Some(w) = addr_warning(n, name, addr) {
                        v.warnings.push(w);
                    }
                    if !has_iface {
                        v.errors.push(format!("node '{name}' has '{key}', but there is no interface number {n} configured"));
                    }
                } else if has_iface {
                    v.errors.push(format!(
                        "node '{name}' is missing address forinterface number {n}"
                    ));
                }
            }
        } else {
            let mut any = false;
            for (name, node) in &nodes {
                if let Some(addr) = node.get(&key) {
                    any = true;
                    if let Some(w) = addr_warning(n, name, addr) {
                        v.warnings.push(w);
                    }
                }
            }
            if any {
                for (name, node) in &nodes {
                    if node.get(&key).is_none() {
                        v.errors.push(format!(
                            "node '{name}' is missing link {n}, which is configured on other nodes"
                        ));
                    }
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREE: &str = "logging {\n  debug: off\n  to_syslog: yes\n}\n\nnodelist {\n  node {\n    name: pve1\n    nodeid: 1\n    quorum_votes: 1\n    ring0_addr: 192.168.1.11\n  }\n  node {\n    name: pve2\n    nodeid: 2\n    quorum_votes: 1\n    ring0_addr: 192.168.1.12\n  }\n  node {\n    name: pve3\n    nodeid: 3\n    quorum_votes: 1\n    ring0_addr: 192.168.1.13\n  }\n}\n\nquorum {\n  provider: corosync_votequorum\n}\n\ntotem {\n  cluster_name: demo\n  config_version: 3\n  interface {\n    linknumber: 0\n  }\n  ip_version: ipv4-6\n  link_mode: passive\n  secauth: on\n  token_coefficient: 125\n  version: 2\n}\n\n";

    const QDEV: &str = "quorum {\n  device {\n    model: net\n    net {\n      algorithm: ffsplit\n      host: 192.168.1.50\n      tls: on\n    }\n    votes: 1\n  }\n  provider: corosync_votequorum\n}\n\n";

    #[test]
    fn spec_examples_round_trip() {
        for text in [THREE, QDEV] {
            let c = parse(text).unwrap();
            assert_eq!(write(&c), text);
            assert_eq!(parse(&write(&c)).unwrap(), c);
            assert_eq!(parse_corosync(text).unwrap(), c);
        }
        let c = parse(THREE).unwrap();
        assert_eq!(config_version(&c), Some(3));
        let n = nodes(&c);
        assert_eq!(n.len(), 3);
        assert_eq!(n[2].name, "pve3");
        assert_eq!(n[2].links[&0], "192.168.1.13");
    }

    #[test]
    fn parser_errors_as_upstream() {
        assert_eq!(
            parse("totem {\n key:value\n}").unwrap_err().to_string(),
            "missing ':' after key 'key:value'"
        );
        assert_eq!(
            parse("totem{\n}").unwrap_err().to_string(),
            "missing ':' after key 'totem{'"
        );
        assert_eq!(
            parse("quorum {\n auto_tie_breaker_node: 1 3\n}")
                .unwrap_err()
                .to_string(),
            "missing ':' after key '3'"
        );
        assert_eq!(
            parse("}").unwrap_err().to_string(),
            "parse error - uncexpected '}'"
        );
        assert_eq!(
            parse("a {\n b:").unwrap_err().to_string(),
            "parse error - no value for 'b'"
        );
        assert_eq!(
            parse("a {\n}\na {\n}").unwrap_err().to_string(),
            "section 'a' already exists and not marked as array!"
        );
        // An unclosed section is accepted; a comment is dropped.
        let c = parse("totem { # c\n version: 2").unwrap();
        assert_eq!(c.section("totem").unwrap().get("version"), Some("2"));
        // corosync's own reader accepts values with spaces.
        let c = parse_corosync("quorum {\n auto_tie_breaker_node: 1 3\n}\n").unwrap();
        assert_eq!(
            c.section("quorum").unwrap().get("auto_tie_breaker_node"),
            Some("1 3")
        );
    }

    #[test]
    fn nodes_sort_by_name_bytewise() {
        let text = "nodelist {\n  node {\n    name: pve2\n    nodeid: 2\n  }\n  node {\n    name: pve10\n    nodeid: 10\n  }\n}\n";
        let c = parse(text).unwrap();
        let w = write(&c);
        assert!(w.find("pve10").unwrap() < w.find("pve2").unwrap());
    }

    fn arb_section(depth: u32) -> impl proptest::strategy::Strategy<Value = Section> {
        use proptest::prelude::*;
        let leaf =
            proptest::collection::btree_map("[a-z][a-z0-9_]{0,8}", "[A-Za-z0-9.:_/-]{1,10}", 0..4)
                .prop_map(|m| Section {
                    entries: m.into_iter().map(|(k, v)| (k, Value::Str(v))).collect(),
                });
        leaf.prop_recursive(depth, 24, 3, |inner| {
            (
                proptest::collection::btree_map(
                    "[a-z][a-z0-9_]{0,8}",
                    "[A-Za-z0-9.:_/-]{1,10}",
                    0..3,
                ),
                proptest::collection::btree_map("[a-m][a-z]{0,6}", inner.clone(), 0..3),
                proptest::collection::vec(inner, 0..3),
            )
                .prop_map(|(keys, subs, nodes)| {
                    let mut s = Section::default();
                    for (k, v) in keys {
                        s.set(&k, v);
                    }
                    for (k, sub) in subs {
                        if k != "node" && k != "interface" {
                            s.entries.insert(format!("s{k}"), Value::Section(sub));
                        }
                    }
                    for (i, mut n) in nodes.into_iter().enumerate() {
                        n.set("name", format!("n{i}"));
                        s.list_entry("node").insert(format!("n{i}"), n);
                    }
                    s
                })
        })
    }

    proptest::proptest! {
        #[test]
        fn write_then_parse_is_identity(conf in arb_section(3)) {
            // Top level holds only sections (as in corosync.conf).
            let mut top = Section::default();
            top.entries.insert("totem".into(), Value::Section(conf));
            let text = write(&top);
            proptest::prop_assert_eq!(parse(&text).unwrap(), top.clone());
            proptest::prop_assert_eq!(write(&parse(&text).unwrap()), text.clone());
            proptest::prop_assert_eq!(parse_corosync(&text).unwrap(), top);
        }
    }

    #[test]
    fn verification_order() {
        let c = parse("nodelist {\n node {\n name: a\n nodeid: 1\n ring0_addr: hosta\n ring1_addr: 10.0.0.1\n }\n node {\n name: b\n nodeid: 2\n ring0_addr: 10.0.0.2\n }\n}\ntotem {\n interface {\n linknumber: 0\n }\n}\n").unwrap();
        let v = verify(&c, &|h| (h == "hosta").then(|| "1.2.3.4".to_string()));
        assert_eq!(
            v.errors,
            vec!["node 'a' has 'ring1_addr', but there is no interface number 1 configured"]
        );
        assert_eq!(v.warnings.len(), 2);
        assert!(v.warnings[1].contains("resolves to '1.2.3.4'"));
        assert_eq!(
            verify(&Section::default(), &|_| None).errors,
            vec!["no nodes found"]
        );
    }
}
