//! `pvesim`: the lab bench. One file per subcommand; this file holds the
//! command enum and the dispatch.

pub mod replay;
pub mod schedule_analyze;

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
    /// Show the state root and the node commands act as.
    Where,
    /// Replay an upstream HA regression test directory and print its log.
    Replay(replay::ReplayArgs),
    /// Show the next events of a calendar-event schedule.
    ScheduleAnalyze(schedule_analyze::Args),
    /// Open a shell where the emulated tools come first on PATH.
    Shell(shell::Args),
    /// Upgrade the emulated cluster to a newer Proxmox VE generation.
    Upgrade(upgrade::Args),
}

pub fn main(ctx: Context) -> CliResult {
    let cli = Cli::parse();
    run(ctx, cli)
}

pub fn run(ctx: Context, cli: Cli) -> CliResult {
    match cli.command {
        Command::Where => {
            let root = ctx.store_root()?;
            println!("root: {}", root.path().display());
            match root.acting_node(ctx.node.as_deref()) {
                Ok(n) => println!("node: {n}"),
                Err(_) => println!("node: (none)"),
            }
            Ok(())
        }
        Command::Replay(args) => replay::run(&args),
        Command::ScheduleAnalyze(args) => schedule_analyze::run(&ctx, args),
        Command::Shell(args) => shell::run(&ctx, args),
        Command::Upgrade(args) => upgrade::run(&ctx, args),
    }
}
