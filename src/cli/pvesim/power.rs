//! `pvesim power NODE on|off` and `pvesim network NODE on|off`: the fault
//! switches (same words as the upstream HA simulator's command list).

use crate::cli::{CliResult, Context};

/// on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// Power a machine on or off.
#[derive(Debug, clap::Args)]
pub struct PowerArgs {
    /// The machine (node or qnetd host).
    pub node: String,
    /// on or off.
    #[arg(value_enum)]
    pub state: Switch,
}

/// Connect or cut a machine's network.
#[derive(Debug, clap::Args)]
pub struct NetworkArgs {
    /// The machine (node or qnetd host).
    pub node: String,
    /// on or off.
    #[arg(value_enum)]
    pub state: Switch,
}

pub fn run_power(ctx: &Context, args: PowerArgs) -> CliResult {
    let root = ctx.store_root()?;
    crate::cluster::bench::power(&root, &args.node, args.state == Switch::On)?;
    crate::sim::events::bench_action(
        &root,
        &format!("power {} {}", args.node, switch_word(args.state)),
    )?;
    Ok(())
}

pub fn run_network(ctx: &Context, args: NetworkArgs) -> CliResult {
    let root = ctx.store_root()?;
    crate::cluster::bench::network(&root, &args.node, args.state == Switch::On)?;
    crate::sim::events::bench_action(
        &root,
        &format!("network {} {}", args.node, switch_word(args.state)),
    )?;
    Ok(())
}

fn switch_word(s: Switch) -> &'static str {
    match s {
        Switch::On => "on",
        Switch::Off => "off",
    }
}
