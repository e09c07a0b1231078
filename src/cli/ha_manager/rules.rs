//! `ha-manager rules add|set|remove|list|config` (Proxmox VE 9): node- and
//! resource-affinity rules in `ha/rules.cfg`, and the rule lookups other
//! commands need (purging a removed resource, motion partners).

use super::{env::HaEnv, schema::Node, Handler};
use crate::cli::CliResult;

/// The `rules` subcommands.
pub fn tree() -> Vec<(&'static str, Node<Handler>)> {
    Vec::new()
}

/// Resources that move along with / block a motion of `sid`.
#[derive(Debug, Default)]
pub struct MotionInfo {
    /// Positive-affinity partners that move along (sorted).
    pub positive: Vec<String>,
    /// Negative-affinity partners and the node they are on.
    pub negative: Vec<(String, String)>,
}

/// Compute the motion partners of `sid` from the rules and manager status.
pub fn motion_info(_env: &HaEnv, _sid: &str) -> CliResult<MotionInfo> {
    Ok(MotionInfo::default())
}

/// Remove `sid` from every rule, deleting rules left without resources
/// (the caller holds the HA lock).
pub fn purge_resource_locked(_env: &HaEnv, _sid: &str) -> CliResult<()> {
    Ok(())
}
