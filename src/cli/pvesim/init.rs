//! `pvesim init`: create a state root with N standalone, powered-on machines
//! (pve1..pveN, addresses 192.168.1.11.. unless given), optionally clustered
//! with `--cluster NAME` (as `pvecm create` on the first machine and
//! `pvecm add` on every other one would do).

use crate::cli::output::parse_bool;
use crate::cli::{CliError, CliResult, Context};
use crate::cluster::bench::{self, InitOptions};
use crate::sim::hardware::DEFAULT_CPU_MODEL;

/// Create a new state root with standalone machines.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of machines (named pve1..pveN unless --name is given).
    #[arg(long, default_value_t = 3)]
    pub nodes: usize,
    /// Machine names (repeat, or comma-separated); overrides --nodes.
    #[arg(long = "name", value_delimiter = ',')]
    pub names: Vec<String>,
    /// Primary addresses in machine order (repeat, or comma-separated);
    /// missing ones come from 192.168.1.11 upwards.
    #[arg(long = "ip", value_delimiter = ',')]
    pub ips: Vec<String>,
    /// Create cluster NAME on the first machine and join all others.
    #[arg(long)]
    pub cluster: Option<String>,
    /// Proxmox VE generation to emulate (8 or 9).
    #[arg(long = "pve-version", default_value_t = 9)]
    pub pve_version: u8,
    /// CPU model of every machine.
    #[arg(long = "cpu-model", default_value = DEFAULT_CPU_MODEL)]
    pub cpu_model: String,
    /// Replace an existing state root.
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = parse_bool, default_value = "0")]
    pub force: bool,
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    if args.pve_version != 8 && args.pve_version != 9 {
        return Err(CliError::fail(format!(
            "pve-version: unsupported Proxmox VE version '{}' (expected 8 or 9)",
            args.pve_version
        )));
    }
    let names: Vec<String> = if args.names.is_empty() {
        if args.nodes == 0 || args.nodes > 244 {
            return Err(CliError::fail(format!(
                "nodes: value must be between 1 and 244, got {}",
                args.nodes
            )));
        }
        (1..=args.nodes).map(|i| format!("pve{i}")).collect()
    } else {
        args.names.clone()
    };
    if args.ips.len() > names.len() {
        return Err(CliError::fail(format!(
            "ip: {} addresses given for {} machines",
            args.ips.len(),
            names.len()
        )));
    }
    bench::init(
        &root,
        &InitOptions {
            names: names.clone(),
            ips: args.ips.clone(),
            cpu_model: args.cpu_model.clone(),
            pve_version: args.pve_version,
            force: args.force,
        },
    )?;
    println!(
        "created state root '{}' with {} machine(s): {}",
        root.path().display(),
        names.len(),
        names.join(", ")
    );
    if let Some(cluster) = &args.cluster {
        crate::cluster::ops::build_cluster(&root, cluster, &names)?;
        println!("created cluster '{cluster}' with {} node(s)", names.len());
    }
    Ok(())
}
