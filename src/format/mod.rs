//! Text formats of the cluster file system: one parser and one writer each.
//!
//! - [`section_config`]: the `<type>: <id>` + indented `key value` format of
//!   resources.cfg, groups.cfg, rules.cfg, storage.cfg, replication.cfg.
//! - [`property_string`]: comma-separated `key=value` lists used inside
//!   values (`local-zfs:vm-100-disk-0,size=32G`).

pub mod corosync;
pub mod datacenter;
pub mod property_string;
pub mod section_config;

/// The reason a schema without additional properties gives for a key it
/// does not define (datacenter.cfg, replication.cfg, rules, property strings).
pub const NOT_IN_SCHEMA: &str =
    "property is not defined in schema and the schema does not allow additional properties";
