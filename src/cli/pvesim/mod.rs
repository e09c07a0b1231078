//! `pvesim`: the lab bench. One file per subcommand; this file holds the
//! command enum and the dispatch.

pub mod demo;
pub mod host;
pub mod init;
pub mod log;
pub mod power;
pub mod replay;
pub mod schedule_analyze;
pub mod split;
pub mod status;
pub mod tick;
pub mod use_node;

use super::{CliResult, Context};

pub mod shell;
pub mod upgrade;
use clap::{Parser, Subcommand};

/// The lab bench around the emulated Proxmox VE tools.
#[derive(Debug, Parser)]
#[command(name = "pvesim", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a state root with standalone machines (optionally clustered).
    Init(init::Args),
    /// Choose the node commands act as (when PVESIM_NODE is not set).
    Use(use_node::Args),
    /// Add a machine or qnetd host, or reinstall a removed node.
    Host(host::Args),
    /// Power a machine on or off.
    Power(power::PowerArgs),
    /// Connect or cut a machine's network.
    Network(power::NetworkArgs),
    /// Divide the network into segments (comma-separated groups of machines).
    Split(split::Args),
    /// Remove the network split.
    Heal(split::HealArgs),
    /// Show the state root, machines, power, network, partitions and quorum.
    Status(status::Args),
    /// Replay an upstream HA regression test directory and print its log.
    Replay(replay::ReplayArgs),
    /// Show the next events of a calendar-event schedule.
    ScheduleAnalyze(schedule_analyze::Args),
    /// Open a shell where the emulated tools come first on PATH.
    Shell(shell::Args),
    /// Advance the simulated clock: HA rounds and replication runs.
    Tick(tick::Args),
    /// Build a three-node demo cluster, fail a node and show the HA failover.
    Demo(demo::Args),
    /// Show the event log (HA daemons, replication, lab bench actions).
    Log(log::Args),
    /// Shut a node down cleanly (the HA shutdown policy applies at the next tick).
    Shutdown(tick::ShutdownArgs),
    /// Reboot a node cleanly (the HA shutdown policy applies at the next tick).
    Reboot(tick::ShutdownArgs),
    /// Upgrade the emulated cluster to a newer Proxmox VE generation.
    Upgrade(upgrade::Args),
}

pub fn main(ctx: Context) -> CliResult {
    let cli = Cli::parse();
    run(ctx, cli)
}

pub fn run(ctx: Context, cli: Cli) -> CliResult {
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Use(args) => use_node::run(&ctx, args),
        Command::Host(args) => host::run(&ctx, args),
        Command::Power(args) => power::run_power(&ctx, args),
        Command::Network(args) => power::run_network(&ctx, args),
        Command::Split(args) => split::run(&ctx, args),
        Command::Heal(args) => split::run_heal(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::Replay(args) => replay::run(&args),
        Command::ScheduleAnalyze(args) => schedule_analyze::run(&ctx, args),
        Command::Shell(args) => shell::run(&ctx, args),
        Command::Tick(args) => tick::run(&ctx, args),
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Log(args) => log::run(&ctx, args),
        Command::Shutdown(args) => tick::run_shutdown(&ctx, args, false),
        Command::Reboot(args) => tick::run_shutdown(&ctx, args, true),
        Command::Upgrade(args) => upgrade::run(&ctx, args),
    }
}
