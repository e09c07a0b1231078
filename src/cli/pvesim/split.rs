//! `pvesim split G1 G2 ... [--qnetd-only-with NODE]` and `pvesim heal`:
//! network segments. Each group is a comma-separated list of machines;
//! machines named in no group form one more segment together.

use crate::cli::{CliResult, Context};

/// Divide the network into segments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Groups of machines, e.g. 'pve1,pve2 pve3,pve4'.
    #[arg(required = true)]
    pub groups: Vec<String>,
    /// Only the segment containing NODE reaches qnetd.
    #[arg(long = "qnetd-only-with")]
    pub qnetd_only_with: Option<String>,
}

/// Remove the split (one segment again).
#[derive(Debug, clap::Args)]
pub struct HealArgs {}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    crate::cluster::bench::split(&root, &args.groups, args.qnetd_only_with.as_deref())?;
    let mut what = format!("split {}", args.groups.join(" "));
    if let Some(n) = &args.qnetd_only_with {
        what.push_str(&format!(" --qnetd-only-with {n}"));
    }
    crate::sim::events::bench_action(&root, &what)?;
    Ok(())
}

pub fn run_heal(ctx: &Context, _args: HealArgs) -> CliResult {
    let root = ctx.store_root()?;
    crate::cluster::bench::heal(&root)?;
    crate::sim::events::bench_action(&root, "heal")?;
    Ok(())
}
