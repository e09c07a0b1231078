//! `/etc/pve/ha/groups.cfg`: the deprecated HA groups (spec ha-crm.md 2.3).
//!
//! ```text
//! (property lines are indented with one TAB in the file)
//! group: prefer-fast
//!     comment fast nodes first
//!     nodes node1:2,node2
//!     nofailback 1
//!     restricted 1
//!
//! ```
//!
//! Typed parse and canonical write, plus the value checks the `ha-manager
//! group*` commands and the rules parser share (config ids, node entries).
//! The manager never uses groups directly: it turns them into node-affinity
//! rules (see [`crate::ha::rules::group_rules`]).

use std::collections::BTreeMap;

use crate::format::section_config::{self, Section};
use crate::ha::digest::sha1_hex;

/// The file name used in parser warnings.
pub const GROUPS_FILE: &str = "/etc/pve/ha/groups.cfg";

/// One `group: <id>` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    /// Node entries as given (`node2:2`, `node3`), in file / command order.
    pub nodes: Vec<String>,
    /// `None` when the key is not written (default 0).
    pub restricted: Option<bool>,
    /// `None` when the key is not written (default 0).
    pub nofailback: Option<bool>,
    /// Written unencoded.
    pub comment: Option<String>,
}

impl Group {
    pub fn new(id: impl Into<String>, nodes: Vec<String>) -> Group {
        Group {
            id: id.into(),
            nodes,
            restricted: None,
            nofailback: None,
            comment: None,
        }
    }

    pub fn is_restricted(&self) -> bool {
        self.restricted.unwrap_or(false)
    }

    pub fn is_nofailback(&self) -> bool {
        self.nofailback.unwrap_or(false)
    }

    /// Node -> priority (default 0). Entries that do not parse are skipped;
    /// for a node listed twice the last entry wins.
    pub fn node_priorities(&self) -> BTreeMap<String, i64> {
        self.nodes
            .iter()
            .filter_map(|e| parse_node_entry(e).ok())
            .collect()
    }

    /// The `nodes` value as written: entries joined with `,`.
    pub fn nodes_string(&self) -> String {
        self.nodes.join(",")
    }

    fn to_section(&self) -> Section {
        let mut s = Section::new("group", self.id.clone());
        if let Some(c) = &self.comment {
            s.push("comment", c.clone());
        }
        s.push("nodes", self.nodes_string());
        if let Some(b) = self.nofailback {
            s.push("nofailback", bool_str(b));
        }
        if let Some(b) = self.restricted {
            s.push("restricted", bool_str(b));
        }
        s
    }
}

/// The whole groups.cfg.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupsConfig {
    /// Groups in file order.
    pub groups: Vec<Group>,
    /// SHA-1 of the text that was parsed (empty text for a new config).
    pub digest: String,
}

impl GroupsConfig {
    /// Parse groups.cfg. Returns the config and the upstream-style warnings
    /// for skipped sections and lines. Never fails.
    pub fn parse(text: &str) -> (GroupsConfig, Vec<String>) {
        let parsed = section_config::parse(GROUPS_FILE, text);
        let mut warnings: Vec<String> = parsed.warnings.into_iter().map(|w| w.message).collect();
        let mut groups: Vec<Group> = Vec::new();
        for sec in parsed.sections {
            let prefix = format!("file {GROUPS_FILE} line {}", sec.line);
            if sec.ty != "group" {
                warnings.push(format!(
                    "{prefix} (skip section '{}'): unsupported type '{}'",
                    sec.id, sec.ty
                ));
                continue;
            }
            if let Err(e) = check_config_id(&sec.id) {
                warnings.push(format!("{prefix} (skip section '{}'): {e}", sec.id));
                continue;
            }
            if groups.iter().any(|g| g.id == sec.id) {
                warnings.push(format!(
                    "{prefix} (skip section '{}'): duplicate section",
                    sec.id
                ));
                continue;
            }
            let mut g = Group::new(sec.id.clone(), Vec::new());
            let mut have_nodes = false;
            let mut seen: Vec<&str> = Vec::new();
            for p in &sec.props {
                let value = p.value.as_deref();
                let bad = |msg: &str| {
                    format!(
                        "file {GROUPS_FILE} line {} (section '{}') - unable to parse value of '{}': {msg}",
                        p.line, sec.id, p.key
                    )
                };
                if seen.contains(&p.key.as_str()) {
                    warnings.push(bad("duplicate attribute"));
                    continue;
                }
                match p.key.as_str() {
                    "nodes" => match value {
                        Some(v) => {
                            g.nodes = split_node_list(v);
                            have_nodes = true;
                        }
                        None => {
                            warnings.push(bad("missing value"));
                            continue;
                        }
                    },
                    "restricted" | "nofailback" => match parse_bool(value.unwrap_or("1")) {
                        Some(b) => {
                            if p.key == "restricted" {
                                g.restricted = Some(b);
                            } else {
                                g.nofailback = Some(b);
                            }
                        }
                        None => {
                            warnings.push(bad(&format!(
                                "type check ('boolean') failed - got '{}'",
                                value.unwrap_or("")
                            )));
                            continue;
                        }
                    },
                    "comment" => g.comment = Some(value.unwrap_or("").to_string()),
                    _ => {
                        warnings.push(bad("unexpected property"));
                        continue;
                    }
                }
                seen.push(p.key.as_str());
            }
            if !have_nodes {
                warnings.push(format!(
                    "{prefix} (skip section '{}'): missing value for required option 'nodes'",
                    sec.id
                ));
                continue;
            }
            groups.push(g);
        }
        (
            GroupsConfig {
                groups,
                digest: sha1_hex(text.as_bytes()),
            },
            warnings,
        )
    }

    /// Canonical text: sections in order; `comment`, `nodes`, then
    /// `nofailback`, `restricted`; every section followed by an empty line.
    pub fn write(&self) -> String {
        let sections: Vec<Section> = self.groups.iter().map(Group::to_section).collect();
        section_config::write(&sections)
    }

    pub fn get(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Group> {
        self.groups.iter_mut().find(|g| g.id == id)
    }

    pub fn remove(&mut self, id: &str) -> Option<Group> {
        let i = self.groups.iter().position(|g| g.id == id)?;
        Some(self.groups.remove(i))
    }

    /// No groups at all: with a missing file, this is what "groups have been
    /// migrated to rules" means.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// Boolean values as Proxmox accepts them (case-insensitive).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "on" | "true" => Some(true),
        "0" | "no" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// Check a group or rule id: `^[a-z][a-z0-9_-]+$`, case-insensitive.
pub fn check_config_id(id: &str) -> Result<(), String> {
    let b = id.as_bytes();
    let ok = b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!("invalid configuration ID '{id}'"))
    }
}

/// Parse one node entry `<node>[:<pri>]`; the node name matches
/// `^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`, the priority is a decimal
/// number (default 0).
pub fn parse_node_entry(entry: &str) -> Result<(String, i64), String> {
    const ERR: &str = "value does not look like a valid ha group node";
    let (name, pri) = match entry.split_once(':') {
        Some((n, p)) => {
            if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
                return Err(ERR.into());
            }
            (n, p.parse::<i64>().map_err(|_| ERR.to_string())?)
        }
        None => (entry, 0),
    };
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-');
    if ok {
        Ok((name.to_string(), pri))
    } else {
        Err(ERR.into())
    }
}

/// Split a node list on `,`, `;` and whitespace, dropping empty entries.
pub fn split_node_list(list: &str) -> Vec<String> {
    list.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Split and check a node list (the `--nodes` value of the group and rule
/// commands). Every entry must parse; an empty list is refused.
pub fn check_node_list(list: &str) -> Result<Vec<String>, String> {
    let entries = split_node_list(list);
    if entries.is_empty() {
        return Err("value does not look like a valid ha group node".into());
    }
    for e in &entries {
        parse_node_entry(e)?;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &str = "group: group1\n\tnodes node1\n\trestricted 1\n\ngroup: group2\n\tnodes node2:2,node3\n\tnofailback 1\n";

    #[test]
    fn parses_corpus_groups() {
        let (cfg, warnings) = GroupsConfig::parse(CORPUS);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(cfg.groups.len(), 2);
        let g1 = cfg.get("group1").unwrap();
        assert_eq!(g1.nodes, vec!["node1"]);
        assert!(g1.is_restricted());
        assert!(!g1.is_nofailback());
        let g2 = cfg.get("group2").unwrap();
        assert_eq!(g2.nodes, vec!["node2:2", "node3"]);
        assert!(g2.is_nofailback());
        assert_eq!(g2.restricted, None);
        assert_eq!(
            g2.node_priorities().into_iter().collect::<Vec<_>>(),
            vec![("node2".to_string(), 2), ("node3".to_string(), 0)]
        );
        assert_eq!(cfg.digest, sha1_hex(CORPUS.as_bytes()));
        // canonical form adds the trailing empty line
        assert_eq!(cfg.write(), format!("{CORPUS}\n"));
    }

    #[test]
    fn canonical_round_trip_and_key_order() {
        let text = "group: prefer-fast\n\tcomment fast: nodes 100%\n\tnodes node3,node1:2\n\tnofailback 0\n\trestricted 1\n\n";
        let (cfg, w) = GroupsConfig::parse(text);
        assert!(w.is_empty());
        assert_eq!(cfg.write(), text);
        let (again, _) = GroupsConfig::parse(&cfg.write());
        assert_eq!(again.groups, cfg.groups);
        // unordered input is written canonically
        let messy =
            "group: g1\n    restricted yes\n  nodes   node1 node2;node3  \n\tcomment  x y \n";
        let (cfg, w) = GroupsConfig::parse(messy);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            cfg.write(),
            "group: g1\n\tcomment x y\n\tnodes node1,node2,node3\n\trestricted 1\n\n"
        );
    }

    #[test]
    fn warnings_for_bad_sections_and_lines() {
        let text = "group: 1bad\n\tnodes node1\n\ngroup: ok\n\tnodes n1\n\tfoo bar\n\trestricted maybe\n\tnodes n2\n\nvm: 100\n\tstate started\n\ngroup: nonodes\n\tcomment c\n";
        let (cfg, w) = GroupsConfig::parse(text);
        assert_eq!(cfg.groups.len(), 1);
        assert_eq!(cfg.groups[0].nodes, vec!["n1"]);
        assert_eq!(cfg.groups[0].restricted, None);
        assert_eq!(
            w,
            vec![
                "file /etc/pve/ha/groups.cfg line 1 (skip section '1bad'): invalid configuration ID '1bad'",
                "file /etc/pve/ha/groups.cfg line 6 (section 'ok') - unable to parse value of 'foo': unexpected property",
                "file /etc/pve/ha/groups.cfg line 7 (section 'ok') - unable to parse value of 'restricted': type check ('boolean') failed - got 'maybe'",
                "file /etc/pve/ha/groups.cfg line 8 (section 'ok') - unable to parse value of 'nodes': duplicate attribute",
                "file /etc/pve/ha/groups.cfg line 10 (skip section '100'): unsupported type 'vm'",
                "file /etc/pve/ha/groups.cfg line 13 (skip section 'nonodes'): missing value for required option 'nodes'",
            ]
        );
    }

    #[test]
    fn config_ids() {
        assert!(check_config_id("group1").is_ok());
        assert!(check_config_id("Group_1-x").is_ok());
        assert_eq!(
            check_config_id("g").unwrap_err(),
            "invalid configuration ID 'g'"
        );
        assert!(check_config_id("1g").is_err());
        assert!(check_config_id("_merged").is_err());
        assert!(check_config_id("a.b").is_err());
    }

    #[test]
    fn node_entries() {
        assert_eq!(parse_node_entry("node1").unwrap(), ("node1".into(), 0));
        assert_eq!(
            parse_node_entry("node-1:20").unwrap(),
            ("node-1".into(), 20)
        );
        assert_eq!(parse_node_entry("n").unwrap(), ("n".into(), 0));
        for bad in ["", "-n", "n-", "n:", "n:x", "n:-1", "n_1", ":1", "a:1:2"] {
            assert_eq!(
                parse_node_entry(bad).unwrap_err(),
                "value does not look like a valid ha group node",
                "{bad}"
            );
        }
        assert_eq!(check_node_list("a:1, b;c").unwrap(), vec!["a:1", "b", "c"]);
        assert!(check_node_list("a,b_c").is_err());
        assert!(check_node_list(" , ").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,300}") {
            let _ = GroupsConfig::parse(&text);
        }

        #[test]
        fn write_parse_round_trip(
            groups in proptest::collection::vec((
                "[a-z][a-z0-9_-]{1,8}",
                proptest::collection::vec("[a-z][a-z0-9]{0,5}(:[0-9]{1,3})?", 1..4),
                proptest::option::of(proptest::bool::ANY),
                proptest::option::of(proptest::bool::ANY),
                proptest::option::of("[a-zA-Z0-9][a-zA-Z0-9 :%,.]{0,20}[a-zA-Z0-9]"),
            ), 0..5)
        ) {
            let mut cfg = GroupsConfig::default();
            for (id, nodes, r, n, c) in groups {
                if cfg.get(&id).is_some() { continue; }
                cfg.groups.push(Group { id, nodes, restricted: r, nofailback: n, comment: c });
            }
            let text = cfg.write();
            let (back, w) = GroupsConfig::parse(&text);
            proptest::prop_assert!(w.is_empty());
            proptest::prop_assert_eq!(&back.groups, &cfg.groups);
            proptest::prop_assert_eq!(back.write(), text);
        }
    }
}
