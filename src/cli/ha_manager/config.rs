//! `ha-manager config [--type ct|vm]`: list the configured resources.

use super::{params, schema::CmdDef, Handler, Inv, RESOURCES};
use crate::cli::CliResult;
use crate::ha::config::read_resources;
use std::fmt::Write as _;

pub fn def() -> CmdDef<Handler> {
    CmdDef {
        class: RESOURCES,
        args: vec![],
        params: vec![params::resource_type().desc("Only list resources of specific type")],
        format_options: false,
        desc: "List HA resources.",
        handler: run,
    }
}

fn run(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    let cfg = read_resources(&env.pve)?;
    for w in &cfg.warnings {
        eprintln!("{w}");
    }
    let migrated = super::groups_migrated(&env)?;
    let group_ids = if migrated {
        Vec::new()
    } else {
        super::groups::read_group_ids(&env.pve)?
    };
    let mut out = String::new();
    for r in cfg.sorted() {
        if let Some(t) = inv.values.get("type") {
            if r.sid.ty != t {
                continue;
            }
        }
        let _ = writeln!(out, "{}", r.sid);
        let mut opts = r.options();
        opts.sort_by_key(|(k, _)| *k);
        for (k, val) in opts {
            if k == "group" {
                if migrated {
                    continue;
                }
                if !group_ids.contains(&val) {
                    eprintln!("error: property 'group' - group '{val}' does not exist");
                }
            }
            let _ = writeln!(out, "\t{k} {val}");
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}
