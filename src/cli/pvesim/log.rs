//! `pvesim log`: the event log of the root (HA daemons, replication, lab
//! bench actions), in the upstream HA simulator's line format.

use crate::cli::{CliResult, Context};

/// Show the event log.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the last N lines.
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    root.require()?;
    let text = crate::sim::events::read(&root)?;
    let lines: Vec<&str> = text.lines().collect();
    let from = args
        .tail
        .map(|n| lines.len().saturating_sub(n))
        .unwrap_or(0);
    let mut out = String::new();
    for l in &lines[from..] {
        out.push_str(l);
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}
