//! The first step of every tool's CLI: find the state root and the node the
//! command runs as (`PVESIM_NODE`, else `pvesim use`), and refuse with
//! `machine '<name>' is powered off` (exit 255) when that machine is off
//! (project decision 9). [`finish`] refreshes the materialised per-node
//! files (`.members`, `.vmlist`, `local` ...) after a command.

use super::{CliError, CliResult, Context};
use crate::cluster::{self, ClusterError};
use crate::store::Root;

impl From<ClusterError> for CliError {
    fn from(e: ClusterError) -> Self {
        let code = e.exit_code();
        CliError::with_code(e.to_string(), code)
    }
}

/// The root (which must exist) and the acting node (which must be a powered-on
/// machine of the lab).
pub fn acting(ctx: &Context) -> CliResult<(Root, String)> {
    let root = ctx.store_root()?;
    root.require()?;
    let node = root.acting_node(ctx.node.as_deref())?;
    cluster::check_acting(&root, &node)?;
    Ok((root, node))
}

/// Refresh the materialised virtual files after a command (errors ignored:
/// they are views only).
pub fn finish(root: &Root) {
    let _ = cluster::pmxcfs::refresh_views(root);
}
