//! `ha-manager crm-command stop <sid> <timeout>`: queue a stop request.

use super::{migrate::check_managed, params, schema::CmdDef, schema::Param, Handler, Inv, CLI};
use crate::cli::CliResult;
use crate::ha::config::{parse_sid, queue_crm_command};

pub fn def() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["sid", "timeout"],
        params: vec![
            params::sid(),
            Param::integer("timeout", Some(0), None)
                .required()
                .desc("Timeout in seconds. If set to 0 a hard stop will be performed."),
        ],
        format_options: false,
        desc: "Request the service to be stopped.",
        handler: run,
    }
}

fn run(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    let sid = parse_sid(v.get("sid").unwrap_or_default(), &env.lookup())?;
    check_managed(&env, &sid)?;
    let timeout = v.int("timeout").unwrap_or(0);
    queue_crm_command(&env.root, &env.pve, &format!("stop {sid} {timeout}"))?;
    Ok(())
}
