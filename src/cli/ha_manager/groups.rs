//! The deprecated HA group commands: `groupconfig`, `groupadd`, `groupset`,
//! `groupremove`. In Proxmox VE 9 they are refused once the groups have
//! been migrated to rules.

use super::{env::HaEnv, params, schema::CmdDef, schema::Param, Handler, Inv, GROUPS};
use crate::cli::{CliError, CliResult};
use crate::format::section_config;
use crate::ha::config::GROUPS_CFG;
use crate::store::PveFs;

/// The ids of the groups in groups.cfg (file order).
pub fn read_group_ids(pve: &PveFs) -> CliResult<Vec<String>> {
    let text = pve.read(GROUPS_CFG)?.unwrap_or_default();
    Ok(section_config::parse("/etc/pve/ha/groups.cfg", &text)
        .sections
        .into_iter()
        .filter(|s| s.ty == "group")
        .map(|s| s.id)
        .collect())
}

/// Fail unless group `g` exists.
pub fn check_group_exists(env: &HaEnv, g: &str) -> CliResult<()> {
    if read_group_ids(&env.pve)?.iter().any(|id| id == g) {
        Ok(())
    } else {
        Err(CliError::fail(format!("HA group '{g}' does not exist")))
    }
}

fn group_param() -> Param {
    Param::format("group", params::check_configid)
        .required()
        .desc("The HA group identifier.")
}

fn nofailback() -> Param {
    Param::boolean("nofailback").default("0").desc("The CRM tries to run services on the node with the highest priority. If a node with higher priority comes online, the CRM migrates the service to that node. Enabling nofailback prevents that behavior.")
}

fn restricted() -> Param {
    Param::boolean("restricted")
        .default("0")
        .desc("Resources bound to restricted groups may only run on nodes defined by the group.")
}

pub fn def_groupconfig() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec![],
        params: vec![],
        format_options: false,
        desc: "Get HA groups.",
        handler: run_groupconfig,
    }
}

pub fn def_groupadd() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec!["group"],
        params: vec![
            group_param(),
            params::comment(),
            params::group_nodes().required(),
            nofailback(),
            restricted(),
            Param::enumeration("type", &["group"]).desc("Group type."),
        ],
        format_options: false,
        desc: "Create a new HA group.",
        handler: run_groupadd,
    }
}

pub fn def_groupset() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec!["group"],
        params: vec![
            group_param(),
            params::comment(),
            params::delete(),
            params::digest(),
            params::group_nodes(),
            nofailback(),
            restricted(),
        ],
        format_options: false,
        desc: "Update ha group configuration.",
        handler: run_groupset,
    }
}

pub fn def_groupremove() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec!["group"],
        params: vec![group_param()],
        format_options: false,
        desc: "Delete ha group configuration.",
        handler: run_groupremove,
    }
}

fn not_yet(_inv: &Inv) -> CliResult {
    Err(CliError::fail(
        "HA group commands are not available yet in pvesim",
    ))
}

fn run_groupconfig(inv: &Inv) -> CliResult {
    not_yet(inv)
}
fn run_groupadd(inv: &Inv) -> CliResult {
    not_yet(inv)
}
fn run_groupset(inv: &Inv) -> CliResult {
    not_yet(inv)
}
fn run_groupremove(inv: &Inv) -> CliResult {
    not_yet(inv)
}
