//! `pvesim upgrade --pve-version 9`: move the emulated cluster from Proxmox
//! VE 8 to 9, so a user can practise what happens to their HA groups (the
//! HA manager of a 9 cluster migrates them to node-affinity rules; until
//! then `ha-manager` keeps the group commands and refuses the rule ones).

use crate::cli::{CliError, CliResult, Context};
use crate::ha::groups::GroupsConfig;
use crate::sim::version::{pve_version, set_pve_version};
use crate::store::DEFAULT_LOCK_TIMEOUT;

/// Upgrade the emulated cluster to a newer Proxmox VE generation.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Proxmox VE generation to upgrade to (9; there is no way back).
    #[arg(long = "pve-version")]
    pub pve_version: u8,
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    root.require()?;
    let target = args.pve_version;
    if target != 8 && target != 9 {
        return Err(CliError::fail(format!(
            "pve-version: unsupported Proxmox VE version '{target}' (expected 8 or 9)"
        )));
    }
    let _lock = root.lock("pve-version", DEFAULT_LOCK_TIMEOUT)?;
    let current = pve_version(&root)?;
    if target < current {
        return Err(CliError::fail(format!(
            "cannot downgrade from Proxmox VE {current} to {target}"
        )));
    }
    if target == current {
        println!("the cluster already runs Proxmox VE {current}");
        return Ok(());
    }
    set_pve_version(&root, target)?;
    println!("upgraded the cluster from Proxmox VE {current} to {target}");
    let groups_text = crate::store::read_opt(&root.etc_pve().join("ha/groups.cfg"))?;
    let groups = GroupsConfig::parse(&groups_text.unwrap_or_default()).0;
    if !groups.is_empty() {
        println!(
            "{} HA group(s) still configured: the HA manager migrates them to rules; until then 'ha-manager rules' refuses changes",
            groups.groups.len()
        );
    }
    Ok(())
}
