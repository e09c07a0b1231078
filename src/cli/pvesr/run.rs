//! `pvesr run [--id <id>] [--verbose] [--mail]`: one scheduler run, or one
//! job now (pvesr.md §9.10).

use super::super::ha_manager::schema::{CmdDef, Param};
use super::{err, params, Handler, Inv, CLI};
use crate::cli::{CliError, CliResult};
use crate::replication::ops;

pub fn def() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec![],
        params: vec![
            Param {
                optional: true,
                ..params::id()
            }
            .desc(params::ID_DESC),
            Param::boolean("mail")
                .default("0")
                .desc("Send an email notification in case of a failure."),
            Param::boolean("verbose")
                .default("0")
                .desc("Print more verbose logs to stdout."),
        ],
        format_options: false,
        desc:
            "This method is called by the systemd-timer and executes all (or a specific) sync jobs.",
        handler: run,
    }
}

fn run(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    let id = inv.get("id");
    let mail = inv.values.bool("mail").unwrap_or(false);
    if id.is_some() && mail {
        return Err(CliError::fail("Mail and id are mutually exclusive!"));
    }
    let verbose = inv.values.bool("verbose").unwrap_or(false);
    let (root, node) = inv.acting()?;
    let now = crate::sim::clock::now(&root)?;
    let print = |out: &ops::RunOutput| {
        if verbose {
            for m in &out.messages {
                println!("{m}");
            }
        }
        for w in &out.warnings {
            eprint!("{w}");
            if !w.ends_with('\n') {
                eprintln!();
            }
        }
    };
    match ops::run(&root, &node, id, &inv.zone(), now) {
        Ok(out) => {
            print(&out);
            Ok(())
        }
        Err((out, e)) => {
            print(&out);
            Err(err(e))
        }
    }
}
