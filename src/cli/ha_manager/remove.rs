//! `ha-manager remove <sid>`: take a resource out of HA management (with
//! `--purge`, also out of every rule that names it).

use super::{params, rules, schema::CmdDef, schema::Param, Handler, Inv, RESOURCES};
use crate::cli::{CliError, CliResult};
use crate::ha::config::{lock_ha, parse_sid, read_resources, write_resources};

pub fn def(version: u8) -> CmdDef<Handler> {
    let mut p = vec![params::sid()];
    if version >= 9 {
        p.push(Param::boolean("purge").default("1").desc(
            "Remove this resource from rules that reference it, deleting the rule if this resource is the only resource in the rule",
        ));
    }
    CmdDef {
        class: RESOURCES,
        args: vec!["sid"],
        params: p,
        format_options: false,
        desc: "Delete resource configuration.",
        handler: run,
    }
}

fn run(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    let sid = parse_sid(v.get("sid").unwrap_or_default(), &env.lookup())?;
    let purge = inv.version >= 9 && v.bool("purge").unwrap_or(true);
    let fail = |e: String| CliError::fail(format!("delete resource failed: {e}"));
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_resources(&env.pve)?;
    if !cfg.remove(&sid) {
        return Err(CliError::fail(format!(
            "cannot delete service '{sid}', not HA managed!"
        )));
    }
    write_resources(&env.pve, &cfg)?;
    if purge {
        rules::purge_resource_locked(&env, &sid.to_string())?;
    }
    Ok(())
}
