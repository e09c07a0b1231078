//! `pvesim host add NAME [--ip ADDR]... [--cpu-model M] [--qnetd]` and
//! `pvesim host reinstall NAME`: machines joining the lab later, qnetd
//! hosts, and a fresh install for a machine removed with `pvecm delnode`.

use crate::cli::{CliResult, Context};
use crate::cluster::bench::{self, HostOptions};

/// Add or reinstall a machine.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: HostCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum HostCommand {
    /// Add a standalone machine (powered on), or a qnetd host with --qnetd.
    Add {
        /// Machine name (node-name format, at most 15 characters).
        name: String,
        /// An address of the machine; repeat for more (the first is primary).
        /// Default: the next free address from 192.168.1.11 upwards.
        #[arg(long = "ip")]
        ips: Vec<String>,
        /// CPU model (default EPYC-7302).
        #[arg(long = "cpu-model")]
        cpu_model: Option<String>,
        /// The machine runs only corosync-qnetd (a QDevice server).
        #[arg(long)]
        qnetd: bool,
    },
    /// Give a machine removed with 'pvecm delnode' a fresh standalone install.
    Reinstall {
        /// Machine name.
        name: String,
    },
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    match args.command {
        HostCommand::Add {
            name,
            ips,
            cpu_model,
            qnetd,
        } => {
            let ip = bench::host_add(
                &root,
                &HostOptions {
                    name: name.clone(),
                    ips,
                    cpu_model,
                    qnetd,
                },
            )?;
            let what = if qnetd { "qnetd host" } else { "machine" };
            println!("added {what} '{name}' ({ip})");
        }
        HostCommand::Reinstall { name } => {
            bench::host_reinstall(&root, &name)?;
            println!("reinstalled machine '{name}'");
        }
    }
    Ok(())
}
