//! The `replication.cfg` commands: `create-local-job`, `update`, `enable`,
//! `disable`, `delete`, `list`, `read` (pvesr.md §9.2 - §9.7).

use super::super::ha_manager::schema::{param_error, CmdDef, Param};
use super::{err, params, Handler, Inv, CLI, CONFIG};
use crate::cli::CliResult;
use crate::replication::ops;

pub fn def_create() -> CmdDef<Handler> {
    CmdDef {
        class: CONFIG,
        args: vec!["id", "target"],
        params: vec![
            params::id(),
            params::target(),
            params::comment(),
            params::disable(),
            params::rate(),
            params::remove_job(),
            params::schedule(),
            params::source(),
        ],
        format_options: false,
        desc: "Create a new replication job",
        handler: create,
    }
}

fn create(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    params::check_rate(inv)?;
    let (root, node) = inv.acting()?;
    ops::create_local_job(
        &root,
        &node,
        inv.get("id").unwrap_or_default(),
        inv.get("target").unwrap_or_default(),
        &params::job_options(inv),
    )
    .map_err(err)
}

pub fn def_update() -> CmdDef<Handler> {
    CmdDef {
        class: CONFIG,
        args: vec!["id"],
        params: vec![
            params::id(),
            params::comment(),
            Param::string("delete")
                .max_len(4096)
                .desc("A list of settings you want to delete."),
            Param::string("digest").max_len(64).desc(
                "Prevent changes if current configuration file has a different digest. This can be used to prevent concurrent modifications.",
            ),
            params::disable(),
            params::rate(),
            params::remove_job(),
            params::schedule(),
            params::source(),
        ],
        format_options: false,
        desc: "Update replication job configuration.",
        handler: update,
    }
}

fn update(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    params::check_rate(inv)?;
    let (root, node) = inv.acting()?;
    ops::update(
        &root,
        &node,
        inv.get("id").unwrap_or_default(),
        &params::job_options(inv),
        inv.get("delete"),
        inv.get("digest"),
    )
    .map_err(err)
}

pub fn def_enable() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["id"],
        params: vec![params::id()],
        format_options: false,
        desc: "Enable a replication job.",
        handler: enable,
    }
}

pub fn def_disable() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["id"],
        params: vec![params::id()],
        format_options: false,
        desc: "Disable a replication job.",
        handler: disable,
    }
}

fn set_disable(inv: &Inv, value: &str) -> CliResult {
    params::check_id_pattern(inv)?;
    let (root, node) = inv.acting()?;
    ops::update(
        &root,
        &node,
        inv.get("id").unwrap_or_default(),
        &[("disable".to_string(), value.to_string())],
        None,
        None,
    )
    .map_err(err)
}

fn enable(inv: &Inv) -> CliResult {
    set_disable(inv, "0")
}

fn disable(inv: &Inv) -> CliResult {
    set_disable(inv, "1")
}

pub fn def_delete() -> CmdDef<Handler> {
    CmdDef {
        class: CONFIG,
        args: vec!["id"],
        params: vec![
            params::id(),
            Param::boolean("force")
                .default("0")
                .desc("Will remove the jobconfig entry, but will not cleanup."),
            Param::boolean("keep")
                .default("0")
                .desc("Keep replicated data at target (do not remove)."),
        ],
        format_options: false,
        desc: "Mark replication job for removal.",
        handler: delete,
    }
}

fn delete(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    let keep = inv.values.bool("keep").unwrap_or(false);
    let force = inv.values.bool("force").unwrap_or(false);
    if keep && force {
        return Err(param_error(
            &[("keep".into(), "conflicts with parameter 'force'".into())],
            &inv.usage,
        ));
    }
    let (root, node) = inv.acting()?;
    let notice =
        ops::delete(&root, &node, inv.get("id").unwrap_or_default(), keep, force).map_err(err)?;
    if notice {
        eprintln!("Replication job removal is a background task and will take some time.");
    }
    Ok(())
}

pub fn def_list() -> CmdDef<Handler> {
    CmdDef {
        class: CONFIG,
        args: vec![],
        params: vec![],
        format_options: false,
        desc: "List replication jobs.",
        handler: list,
    }
}

fn list(inv: &Inv) -> CliResult {
    let (root, node) = inv.acting()?;
    print!("{}", ops::list(&root, &node).map_err(err)?);
    Ok(())
}

pub fn def_read() -> CmdDef<Handler> {
    CmdDef {
        class: CONFIG,
        args: vec!["id"],
        params: vec![params::id()],
        format_options: false,
        desc: "Read replication job configuration.",
        handler: read,
    }
}

fn read(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    let (root, node) = inv.acting()?;
    print!(
        "{}",
        ops::read(&root, &node, inv.get("id").unwrap_or_default()).map_err(err)?
    );
    Ok(())
}
