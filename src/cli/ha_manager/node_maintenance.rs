//! `ha-manager crm-command node-maintenance enable|disable <node>`: queue
//! a maintenance request for a node.

use super::{migrate::check_member, params, schema::CmdDef, Handler, Inv, CLI};
use crate::cli::CliResult;
use crate::ha::config::queue_crm_command;

fn def(handler: Handler, desc: &'static str) -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["node"],
        params: vec![params::node("The cluster node name.")],
        format_options: false,
        desc,
        handler,
    }
}

pub fn def_enable() -> CmdDef<Handler> {
    def(run_enable, "Change the node-maintenance request state.")
}

pub fn def_disable() -> CmdDef<Handler> {
    def(run_disable, "Change the node-maintenance request state.")
}

fn run_enable(inv: &Inv) -> CliResult {
    run(inv, "enable-node-maintenance")
}

fn run_disable(inv: &Inv) -> CliResult {
    run(inv, "disable-node-maintenance")
}

fn run(inv: &Inv, cmd: &str) -> CliResult {
    let env = inv.env()?;
    let node = inv.values.get("node").unwrap_or_default();
    check_member(&env, node)?;
    queue_crm_command(&env.root, &env.pve, &format!("{cmd} {node}"))?;
    Ok(())
}
