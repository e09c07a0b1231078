//! The internal commands a source node runs on a target node:
//! `prepare-local-job`, `finalize-local-job` (pvesr.md §16) and `set-state`
//! (§9.13), which migration uses.

use super::super::ha_manager::schema::{CmdDef, Param};
use super::{err, params, Handler, Inv, CLI};
use crate::cli::ha_manager::params::check_configid;
use crate::cli::CliResult;
use crate::replication::root::{finalize_local_job, load_node, prepare_local_job, snapmap_json};
use crate::replication::runner::PrepareArgs;

/// Options of the internal commands that take a value (for splitting off
/// the volids, which are positional).
const VALUE_OPTIONS: &[&str] = &["scan", "last_sync", "parent_snapname"];

/// Split `<id> [<volid>...] [OPTIONS]` into the arguments the generic parser
/// should see (id and options) and the extra positional volids.
pub fn split_extra(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut kept = Vec::new();
    let mut extra = Vec::new();
    let mut seen_id = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a.starts_with('-') && a != "-" {
            kept.push(a.clone());
            let name = a.trim_start_matches('-');
            if !name.contains('=') {
                let takes_value = VALUE_OPTIONS
                    .iter()
                    .any(|o| !name.is_empty() && o.starts_with(name));
                let bool_value = "force".starts_with(name)
                    && args.get(i).is_some_and(|n| !n.starts_with('-'))
                    && args.get(i).is_some_and(|n| {
                        crate::cli::ha_manager::schema::normalise_bool(n).is_some()
                    });
                if takes_value || bool_value {
                    if let Some(v) = args.get(i) {
                        kept.push(v.clone());
                        i += 1;
                    }
                }
            }
        } else if !seen_id {
            kept.push(a.clone());
            seen_id = true;
        } else {
            extra.push(a.clone());
        }
    }
    (kept, extra)
}

fn job_guest(id: &str) -> u32 {
    crate::replication::job::parse_job_id(id)
        .map(|(g, _)| g)
        .unwrap_or(0)
}

pub fn def_prepare() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["id", "extra-args"],
        params: vec![
            params::id(),
            Param::string("extra-args")
                .typetext("<array>")
                .desc("The list of volume IDs to consider."),
            Param::boolean("force")
                .default("0")
                .desc("Allow to remove all existion volumes (empty volume list)."),
            Param::integer("last_sync", Some(0), None).desc(
                "Time (UNIX epoch) of last successful sync. If not specified, all replication snapshots get removed.",
            ),
            Param::format("parent_snapname", check_configid)
                .max_len(40)
                .desc("The name of the snapshot."),
            Param::string("scan").desc("List of storage IDs to scan for stale volumes."),
        ],
        format_options: false,
        desc: "Prepare for starting a replication job. This is called on the target node before replication starts. This call is for internal use, and return a JSON object on stdout. The method first test if VM <vmid> reside on the local node. If so, stop immediately. After that the method scans all volume IDs for snapshots, and removes all replications snapshots with timestamps different than <last_sync>. It also removes any unused volumes. Returns a hash with boolean markers for all volumes with existing replication snapshots.",
        handler: prepare,
    }
}

fn prepare(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    let (root, node) = inv.acting()?;
    let id = inv.get("id").unwrap_or_default().to_string();
    let args = PrepareArgs {
        guest: job_guest(&id),
        jobid: id,
        scan: inv
            .get("scan")
            .map(|s| {
                s.split([',', ';', ' '])
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        volids: inv.extra.clone(),
        last_sync: inv.values.int("last_sync").unwrap_or(0),
        parent: inv.get("parent_snapname").map(str::to_string),
        force: inv.values.bool("force").unwrap_or(false),
    };
    let mut ctx = load_node(&root, &node).map_err(err)?;
    let r = prepare_local_job(&mut ctx, &args, &mut |l| eprintln!("{l}")).map_err(err)?;
    println!("{}", snapmap_json(&r));
    Ok(())
}

pub fn def_finalize() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["id", "extra-args"],
        params: vec![
            params::id(),
            Param::string("extra-args")
                .typetext("<array>")
                .desc("The list of volume IDs to consider."),
            Param::integer("last_sync", Some(0), None)
                .desc("Time (UNIX epoch) of last successful sync. If not specified, all replication snapshots gets removed."),
        ],
        format_options: false,
        desc: "Finalize a replication job. This removes all replications snapshots with timestamps different than <last_sync>.",
        handler: finalize,
    }
}

fn finalize(inv: &Inv) -> CliResult {
    params::check_id_pattern(inv)?;
    let (root, node) = inv.acting()?;
    let id = inv.get("id").unwrap_or_default().to_string();
    let mut ctx = load_node(&root, &node).map_err(err)?;
    finalize_local_job(
        &mut ctx,
        &id,
        job_guest(&id),
        &inv.extra,
        inv.values.int("last_sync").unwrap_or(0),
        &mut |l| eprintln!("{l}"),
    )
    .map_err(err)
}

pub fn def_set_state() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec!["vmid", "state"],
        params: vec![
            Param::integer("vmid", Some(100), Some(999_999_999))
                .required()
                .desc("The (unique) ID of the VM."),
            Param::string("state").required().desc("Job state as JSON decoded string."),
        ],
        format_options: false,
        desc: "Set the job replication state on migration. This call is for internal use. It will accept the JSON or hash as input.",
        handler: set_state,
    }
}

fn set_state(inv: &Inv) -> CliResult {
    let (root, node) = inv.acting()?;
    let vmid = inv.values.int("vmid").unwrap_or(0) as u32;
    crate::replication::ops::set_state(&root, &node, vmid, inv.get("state").unwrap_or_default())
        .map_err(err)
}
