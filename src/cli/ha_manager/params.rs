//! The parameters `ha-manager` commands share (resource id, comment,
//! request state, node, ...) with their types, defaults, ranges, formats
//! and help texts, and the format checks behind them.

use super::schema::Param;
use crate::ha::config::{sid_format_ok, REQUEST_STATES};

/// `pve-ha-resource-or-vm-id`.
pub fn check_sid_or_vmid(v: &str) -> Result<(), String> {
    if sid_format_ok(v, true) {
        Ok(())
    } else {
        Err("value does not look like a valid ha resource id".into())
    }
}

/// `pve-ha-resource-id`.
pub fn check_sid(v: &str) -> Result<(), String> {
    if sid_format_ok(v, false) {
        Ok(())
    } else {
        Err("value does not look like a valid ha resource id".into())
    }
}

/// `pve-ha-resource-id-list` (comma/space separated).
pub fn check_sid_list(v: &str) -> Result<(), String> {
    for s in split_list(v) {
        check_sid(&s)?;
    }
    Ok(())
}

/// `pve-configid`: `^[a-z][a-z0-9_-]+$`, case-insensitive.
pub fn check_configid(v: &str) -> Result<(), String> {
    let b = v.as_bytes();
    let ok = b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!("invalid configuration ID '{v}'"))
    }
}

/// `pve-configid-list`.
pub fn check_configid_list(v: &str) -> Result<(), String> {
    for s in split_list(v) {
        check_configid(&s)?;
    }
    Ok(())
}

/// `pve-node`: a host name label.
pub fn valid_node_name(v: &str) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

pub fn check_node(v: &str) -> Result<(), String> {
    if valid_node_name(v) {
        Ok(())
    } else {
        Err("value does not look like a valid node name".into())
    }
}

/// `pve-ha-group-node-list`: `<node>[:<pri>]` entries.
pub fn check_node_list(v: &str) -> Result<(), String> {
    let entries = split_list(v);
    if entries.is_empty() {
        return Err("value does not look like a valid ha group node".into());
    }
    for e in entries {
        let (n, pri) = match e.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (e.as_str(), None),
        };
        let pri_ok = pri.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !valid_node_name(n) || !pri_ok {
            return Err("value does not look like a valid ha group node".into());
        }
    }
    Ok(())
}

/// Split a list value on commas, semicolons and white space.
pub fn split_list(v: &str) -> Vec<String> {
    v.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub const SID_DESC: &str = "HA resource ID. This consists of a resource type followed by a resource specific name, separated with colon (example: vm:100 / ct:100). For virtual machines and containers, you can simply use the VM or CT id as a shortcut (example: 100).";

pub fn sid() -> Param {
    Param::format("sid", check_sid_or_vmid)
        .required()
        .typetext("<type>:<name>")
        .desc(SID_DESC)
}

pub fn comment() -> Param {
    Param::string("comment").max_len(4096).desc("Description.")
}

pub fn group() -> Param {
    Param::format("group", check_configid).desc("The HA group identifier.")
}

pub fn max_relocate() -> Param {
    Param::integer("max_relocate", Some(0), None)
        .default("1")
        .desc("Maximal number of service relocate tries when a service failes to start.")
}

pub fn max_restart() -> Param {
    Param::integer("max_restart", Some(0), None)
        .default("1")
        .desc("Maximal number of tries to restart the service on a node after its start failed.")
}

pub fn state() -> Param {
    Param::enumeration("state", &REQUEST_STATES)
        .default("started")
        .desc("Requested resource state.")
}

pub fn failback() -> Param {
    Param::boolean("failback").default("1").desc(
        "Automatically migrate HA resource to the node with the highest priority according to their node affinity rules, if a node with a higher priority than the current node comes online.",
    )
}

pub fn resource_type() -> Param {
    Param::enumeration("type", &["ct", "vm"]).desc("Resource type.")
}

pub fn digest() -> Param {
    Param::string("digest").max_len(64).desc(
        "Prevent changes if current configuration file has a different digest. This can be used to prevent concurrent modifications.",
    )
}

pub fn delete() -> Param {
    Param::format("delete", check_configid_list)
        .max_len(4096)
        .desc("A list of settings you want to delete.")
}

pub fn node(desc: &'static str) -> Param {
    Param::format("node", check_node).required().desc(desc)
}

pub fn group_nodes() -> Param {
    Param::format("nodes", check_node_list)
        .list()
        .typetext("<node>[:<pri>]{,<node>[:<pri>]}*")
        .desc("List of cluster node names with optional priority.")
}
