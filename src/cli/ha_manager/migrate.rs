//! `ha-manager crm-command migrate|relocate <sid> <node>` (also reachable
//! as `ha-manager migrate|relocate`): queue a move of a resource, then
//! report the resources that move along (positive affinity) and fail if
//! resources in negative affinity already sit on the target.

use super::{env::HaEnv, params, rules, schema::CmdDef, Handler, Inv, RESOURCES};
use crate::cli::{CliError, CliResult};
use crate::ha::config::{check_not_error, is_ha_managed, parse_sid, queue_crm_command, Sid};

pub fn def_migrate() -> CmdDef<Handler> {
    CmdDef {
        class: RESOURCES,
        args: vec!["sid", "node"],
        params: vec![params::sid(), params::node("Target node.")],
        format_options: false,
        desc: "Request resource migration (online) to another node.",
        handler: run_migrate,
    }
}

pub fn def_relocate() -> CmdDef<Handler> {
    CmdDef {
        class: RESOURCES,
        args: vec!["sid", "node"],
        params: vec![params::sid(), params::node("Target node.")],
        format_options: false,
        desc: "Request resource relocatzion to another node. This stops the service on the old node, and restarts it on the target node.",
        handler: run_relocate,
    }
}

fn run_migrate(inv: &Inv) -> CliResult {
    run(inv, "migrate")
}

fn run_relocate(inv: &Inv) -> CliResult {
    run(inv, "relocate")
}

/// The checks `migrate`, `relocate` and `stop` share: the resource must be
/// HA-managed and not in error state.
pub fn check_managed(env: &HaEnv, sid: &Sid) -> CliResult<()> {
    if !is_ha_managed(&env.pve, sid)? {
        return Err(CliError::fail(format!(
            "resource '{sid}' is not HA managed"
        )));
    }
    check_not_error(&env.pve, sid)?;
    Ok(())
}

/// Fail unless `node` is a configured cluster node.
pub fn check_member(env: &HaEnv, node: &str) -> CliResult<()> {
    if env.members()?.iter().any(|m| m == node) {
        Ok(())
    } else {
        Err(CliError::fail(format!("no such cluster node '{node}'")))
    }
}

fn run(inv: &Inv, task: &str) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    let sid = parse_sid(v.get("sid").unwrap_or_default(), &env.lookup())?;
    let node = v.get("node").unwrap_or_default();
    check_managed(&env, &sid)?;
    check_member(&env, node)?;
    queue_crm_command(&env.root, &env.pve, &format!("{task} {sid} {node}"))?;
    let motion = rules::motion_info(&env, &sid.to_string(), node)?;
    for partner in &motion.positive {
        println!(
            "also {task} resource '{partner}' in positive affinity with resource '{sid}' to target node '{node}'"
        );
    }
    if !motion.blocking.is_empty() {
        let mut msg = format!("cannot {task} resource '{sid}' to node '{node}':\n\n");
        for p in &motion.blocking {
            msg.push_str(&format!(
                "- resource '{p}' on target node '{node}' in negative affinity with resource '{sid}'\n"
            ));
        }
        return Err(CliError::fail(msg));
    }
    Ok(())
}
