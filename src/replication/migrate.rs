//! Replication inside a guest migration (pvesr.md §20.1, qm-and-storage.md
//! 5.4): run the job to the migration target now, hand the job state over
//! to the target node, and swap the jobs' direction once the config moved.
//! The migration itself (guest layer) calls these.

use super::localtime::Zone;
use super::root::{
    load_node, lock_config, lock_guest, lock_state, read_config, read_state, write_config,
    write_state, NodeCtx, RootEnv,
};
use super::runner::{self, chomp, switch_guest_jobs, Error};
use super::state::{tid, JobState};
use crate::store::Root;
use std::collections::BTreeMap;
use std::time::Duration;

/// Run job `jobid` now as part of migrating its guest away from `node`
/// (phase 1 step 5). The migration holds the guest lock, so none is taken.
/// Returns the run's log lines (bare), or the lines and the error. If the
/// job already ran at `now` (same simulated second), nothing runs and its
/// snapshot of `now` is the common base.
pub fn run_job_for_migration(
    root: &Root,
    node: &str,
    jobid: &str,
    now: i64,
    zone: &Zone,
) -> Result<Vec<String>, (Vec<String>, String)> {
    let open = |n: &str| load_node(root, n);
    let ctx = load_node(root, node).map_err(|e| (Vec::new(), chomp(&e).to_string()))?;
    let quorate = ctx.info.quorate;
    let mut env = RootEnv::new(ctx, zone.clone(), now, &open);
    env.sinks.echo = Some(Vec::new());
    let _lock = lock_config(root, quorate).map_err(|e| (Vec::new(), chomp(&e).to_string()))?;
    let status =
        runner::job_status(&mut env, true).map_err(|e| (Vec::new(), chomp(&e).to_string()))?;
    let Some(js) = status.into_iter().find(|j| j.job.id == jobid) else {
        return Err((Vec::new(), format!("no such job '{jobid}'")));
    };
    if js.state.last_sync == now {
        return Ok(Vec::new());
    }
    let r = runner::run_replication(&mut env, &js, now, now, true);
    let lines = env.sinks.echo.take().unwrap_or_default();
    match r {
        Ok(_) => Ok(lines),
        Err(e) => Err((lines, chomp(&e).to_string())),
    }
}

/// Hand the guest's replication state from `source` to `target` (phase 3
/// step 2, `pvesr set-state` on the target): the source's entry, with
/// `local/<target>` renamed to `local/<source>`, replaces the target's.
/// Returns the JSON sent (keys sorted; `{}` when the source had none).
pub fn transfer_state(
    root: &Root,
    vmid: u32,
    source: &str,
    target: &str,
) -> Result<String, String> {
    let e = |e: Error| chomp(&e).to_string();
    let mut entry: BTreeMap<String, JobState> = read_state(root, source)
        .map_err(e)?
        .remove(&vmid.to_string())
        .unwrap_or_default();
    if let Some(s) = entry.remove(&tid(target)) {
        entry.insert(tid(source), s);
    }
    // Through `Value`, so the keys come out sorted.
    let json = serde_json::to_value(&entry)
        .map(|v| v.to_string())
        .map_err(|er| er.to_string())?;
    let _g = lock_state(root, target).map_err(e)?;
    let mut st = read_state(root, target).map_err(e)?;
    if entry.is_empty() {
        st.remove(&vmid.to_string());
    } else {
        st.insert(vmid.to_string(), entry);
    }
    write_state(root, target, &st).map_err(e)?;
    Ok(json)
}

/// Swap the direction of the guest's jobs after its config moved from
/// `source` to `target` (phase 3 step 4), written through `node`'s view.
pub fn switch_jobs(
    root: &Root,
    node: &str,
    vmid: u32,
    source: &str,
    target: &str,
) -> Result<(), String> {
    let e = |e: Error| chomp(&e).to_string();
    let ctx: NodeCtx = load_node(root, node).map_err(e)?;
    let _lock = lock_config(root, ctx.info.quorate).map_err(e)?;
    let mut cfg = read_config(&ctx.pve).map_err(e)?;
    switch_guest_jobs(&mut cfg.jobs, vmid, target, source);
    write_config(&ctx.pve, &cfg).map_err(e)
}

/// The guest's jobs (id, target, marked for removal), for migration checks.
pub fn guest_jobs(
    root: &Root,
    node: &str,
    vmid: u32,
) -> Result<Vec<(String, String, bool)>, String> {
    let ctx = load_node(root, node).map_err(|e| chomp(&e).to_string())?;
    let cfg = read_config(&ctx.pve).map_err(|e| chomp(&e).to_string())?;
    Ok(cfg
        .jobs
        .values()
        .filter(|j| j.guest == vmid)
        .map(|j| (j.id.clone(), j.target.clone(), j.remove_job.is_some()))
        .collect())
}

/// Take the guest migration lock as a migration does (10 s).
pub fn lock_guest_for_migration(root: &Root, vmid: u32) -> Result<crate::store::LockGuard, String> {
    lock_guest(root, vmid, Duration::from_secs(10)).map_err(|e| chomp(&e).to_string())
}
