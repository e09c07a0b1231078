//! `pvesr status [--guest <vmid>]` and `pvesr schedule-now <id>`
//! (pvesr.md §9.8, §9.9).

use super::super::ha_manager::schema::{CmdDef, Param};
use super::{err, params, Handler, Inv, REPLICATION};
use crate::cli::CliResult;
use crate::replication::ops;

pub fn def_status() -> CmdDef<Handler> {
    CmdDef {
        class: REPLICATION,
        args: vec![],
        params: vec![Param::integer("guest", Some(100), Some(999_999_999))
            .desc("Only list replication jobs for this guest.")],
        format_options: false,
        desc: "List status of all replication jobs on this node.",
        handler: status,
    }
}

fn status(inv: &Inv) -> CliResult {
    let (root, node) = inv.acting()?;
    let now = crate::sim::clock::now(&root)?;
    let guest = inv.values.int("guest").map(|g| g as u32);
    print!(
        "{}",
        ops::status(&root, &node, guest, &inv.zone(), now).map_err(err)?
    );
    Ok(())
}

pub fn def_schedule_now() -> CmdDef<Handler> {
    CmdDef {
        class: REPLICATION,
        args: vec!["id"],
        params: vec![params::id()],
        format_options: false,
        desc: "Schedule replication job to start as soon as possible.",
        handler: schedule_now,
    }
}

fn schedule_now(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    let (root, node) = inv.acting()?;
    ops::schedule_now(&root, &node, inv.get("id").unwrap_or_default()).map_err(err)
}
