//! `pvesim use NODE`: choose the node commands act as when `PVESIM_NODE` is
//! not set (and whose view the materialised `.members` and `local` show).

use crate::cli::{CliResult, Context};

/// Choose the node commands act as.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The machine name.
    pub node: String,
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    crate::cluster::bench::use_node(&root, &args.node)?;
    Ok(())
}
