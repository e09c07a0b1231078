//! `ha-manager crm-command disarm-ha <freeze|ignore>` and `arm-ha`: queue
//! the request to release or re-take the HA stack's watchdogs.

use super::{schema::CmdDef, schema::Param, Handler, Inv, CLI};
use crate::cli::CliResult;
use crate::ha::config::queue_crm_command;

pub fn def_disarm() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["resource-mode"],
        params: vec![Param::enumeration("resource-mode", &["freeze", "ignore"])
            .required()
            .desc("Whether HA resources are frozen in their current state ('freeze') or not managed by HA at all ('ignore') while the HA stack is disarmed.")],
        format_options: false,
        desc: "Request disarming the HA stack, releasing all watchdogs cluster-wide.",
        handler: run_disarm,
    }
}

pub fn def_arm() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec![],
        params: vec![],
        format_options: false,
        desc: "Request re-arming the HA stack after it was disarmed.",
        handler: run_arm,
    }
}

fn run_disarm(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    let mode = inv.values.get("resource-mode").unwrap_or_default();
    queue_crm_command(&env.root, &env.pve, &format!("disarm-ha {mode}"))?;
    Ok(())
}

fn run_arm(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    queue_crm_command(&env.root, &env.pve, "arm-ha")?;
    Ok(())
}
