//! The parameters `pvesr` commands share, with their types, help texts and
//! checks (pvesr.md §2, §3, §9).

use super::super::ha_manager::schema::Param;
use super::Inv;
use crate::cli::CliResult;
use crate::replication::calendar::verify_schedule;
use crate::replication::config::{parse_number, valid_node_name};
use crate::replication::job::{job_id_matches_pattern, parse_job_id};

pub const ID_DESC: &str = "Replication Job ID. The ID is composed of a Guest ID and a job number, separated by a hyphen, i.e. '<GUEST>-<JOBNUM>'.";

fn check_job_id(v: &str) -> Result<(), String> {
    parse_job_id(v).map(|_| ())
}

fn check_node(v: &str) -> Result<(), String> {
    if valid_node_name(v) {
        Ok(())
    } else {
        Err(format!("value '{v}' does not look like a valid node name"))
    }
}

fn check_schedule(v: &str) -> Result<(), String> {
    verify_schedule(v).map(|_| ())
}

/// `<id>`: format check here; the pattern is checked by [`check_id_pattern`].
pub fn id() -> Param {
    Param::format("id", check_job_id).required().desc(ID_DESC)
}

/// The `id` pattern check that follows the format check.
pub fn check_id_pattern(inv: &Inv) -> CliResult {
    if let Some(id) = inv.get("id") {
        if !job_id_matches_pattern(id) {
            return Err(inv.param_error("id", "value does not match the regex pattern"));
        }
    }
    Ok(())
}

pub fn target() -> Param {
    Param::format("target", check_node)
        .required()
        .typetext("<string>")
        .desc("Target node.")
}

pub fn schedule() -> Param {
    Param::format("schedule", check_schedule)
        .max_len(128)
        .default("*/15")
        .desc("Storage replication schedule. The format is a subset of `systemd` calendar events.")
}

pub fn rate() -> Param {
    Param::string("rate")
        .typetext("<number> (1 - N)")
        .desc("Rate limit in mbps (megabytes per second) as floating point number.")
}

/// The number check of `--rate` (the generic parser has no number type).
pub fn check_rate(inv: &Inv) -> CliResult {
    if let Some(r) = inv.get("rate") {
        match parse_number(r) {
            None => {
                return Err(
                    inv.param_error("rate", &format!("type check ('number') failed - got '{r}'"))
                )
            }
            Some(x) if x < 1.0 => {
                return Err(inv.param_error("rate", "value must have a minimum value of 1"))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub fn comment() -> Param {
    Param::string("comment").max_len(4096).desc("Description.")
}

pub fn disable() -> Param {
    Param::boolean("disable").desc("Flag to disable/deactivate the entry.")
}

pub fn remove_job() -> Param {
    Param::enumeration("remove_job", &["local", "full"]).desc(
        "Mark the replication job for removal. The job will remove all local replication snapshots. When set to 'full', it also tries to remove replicated volumes on the target. The job then removes itself from the configuration file.",
    )
}

pub fn source() -> Param {
    Param::format("source", check_node)
        .typetext("<string>")
        .desc("For internal use, to detect if the guest was stolen.")
}

/// The job options of create and update, in the order they are applied.
pub const JOB_OPTIONS: &[&str] = &[
    "comment",
    "disable",
    "rate",
    "remove_job",
    "schedule",
    "source",
];

/// The given job options as (key, value) pairs (booleans as `1`/`0`).
pub fn job_options(inv: &Inv) -> Vec<(String, String)> {
    JOB_OPTIONS
        .iter()
        .filter_map(|k| inv.get(k).map(|v| (k.to_string(), v.to_string())))
        .collect()
}
