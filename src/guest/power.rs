//! Start, stop, shutdown, reboot, suspend and resume (spec 3.6 - 3.10),
//! with the HA redirection of 3.13.

use super::set::apply_pending;
use super::vm::{self, err, param, Ctx, GResult, Term};
use crate::storage::volid::parse_volid;

/// Options of `qm start`.
#[derive(Debug, Clone, Default)]
pub struct StartOpts {
    pub skiplock: bool,
    /// Called by the HA stack (LRM): no redirection.
    pub ha_internal: bool,
}

/// Check that every volume of the current config is visible on the node
/// (the storage specific error of 7.5 otherwise).
pub fn activate_volumes(ctx: &Ctx, cfg: &super::config::VmConfig) -> GResult<()> {
    let scfg = ctx.storage_cfg()?;
    for (_, d) in cfg.drives() {
        let Some(volid) = d.volid() else { continue };
        let Some((sid, volname)) = parse_volid(volid) else {
            return err(format!("unable to parse volume ID '{volid}'"));
        };
        let inst = ctx.instance(&scfg, sid, &ctx.node)?;
        if inst.offline() {
            return err(format!("storage '{sid}' is not online"));
        }
        if !ctx.visible(&inst) || !inst.exists(volname) {
            return err(inst.missing_error(volname, 300));
        }
    }
    Ok(())
}

/// `qm start`.
pub fn start(ctx: &Ctx, vmid: u32, opts: &StartOpts, term: &mut Term) -> GResult<()> {
    ctx.check_quorum()?;
    let pve = ctx.pve()?;
    if !opts.ha_internal && super::ha::is_managed(&pve, vmid)? {
        term.out(format!("Requesting HA start for VM {vmid}"));
        term.ha_request = Some(super::ha::start_request(vmid));
        return Ok(());
    }
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    if cfg.get("template") == Some("1") {
        return err("you can't start a vm if it's a template");
    }
    if !opts.skiplock && cfg.get("lock") != Some("suspended") {
        vm::check_lock(&cfg)?;
    }
    if vm::run_state(ctx.cl, &ctx.node, vmid).is_some() {
        return err(format!("VM {vmid} already running"));
    }
    if cfg.has_pending() {
        let scfg = ctx.storage_cfg()?;
        apply_pending(ctx, &scfg, &mut cfg, vmid, false, term)?;
        vm::save(&pve, &ctx.node, vmid, &cfg)?;
    }
    activate_volumes(ctx, &cfg)?;
    vm::set_running(ctx.root(), &ctx.node, vmid, ctx.now)?;
    Ok(())
}

/// Options of `qm stop` / `qm shutdown`.
#[derive(Debug, Clone, Default)]
pub struct StopOpts {
    pub skiplock: bool,
    pub overrule_shutdown: bool,
    pub migratedfrom: Option<String>,
    pub timeout: Option<u64>,
    pub force_stop: bool,
    pub ha_internal: bool,
}

fn stop_cleanup(ctx: &Ctx, vmid: u32, skiplock: bool, term: &mut Term) -> GResult<()> {
    let pve = ctx.pve()?;
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    if !skiplock {
        vm::check_lock(&cfg)?;
    }
    vm::set_stopped(ctx.root(), &ctx.node, vmid)?;
    if cfg.has_pending() {
        let scfg = ctx.storage_cfg()?;
        apply_pending(ctx, &scfg, &mut cfg, vmid, false, term)?;
        vm::save(&pve, &ctx.node, vmid, &cfg)?;
    }
    Ok(())
}

fn require_local(ctx: &Ctx, vmid: u32) -> GResult<()> {
    if !vm::exists(&ctx.pve()?, &ctx.node, vmid) {
        return err(format!(
            "unable to find configuration file for VM {vmid} on node '{}'",
            ctx.node
        ));
    }
    Ok(())
}

/// `qm stop`.
pub fn stop(ctx: &Ctx, vmid: u32, opts: &StopOpts, term: &mut Term) -> GResult<()> {
    let pve = ctx.pve()?;
    if !opts.ha_internal && opts.migratedfrom.is_none() && super::ha::is_managed(&pve, vmid)? {
        if opts.overrule_shutdown {
            return param("overrule-shutdown", "Not applicable for HA resources.");
        }
        term.out(format!("Requesting HA stop for VM {vmid}"));
        term.ha_request = Some(super::ha::stop_request(vmid, 0));
        return Ok(());
    }
    require_local(ctx, vmid)?;
    if vm::run_state(ctx.cl, &ctx.node, vmid).is_none() {
        return Ok(());
    }
    stop_cleanup(ctx, vmid, opts.skiplock, term)
}

/// `qm shutdown`.
pub fn shutdown(ctx: &Ctx, vmid: u32, opts: &StopOpts, term: &mut Term) -> GResult<()> {
    let pve = ctx.pve()?;
    if let Some(rs) = vm::run_state(ctx.cl, &ctx.node, vmid) {
        if rs.status == "paused" {
            if !opts.force_stop {
                return err("VM is paused - cannot shutdown");
            }
            term.err("VM is paused - stop instead of shutdown");
        }
    }
    if !opts.ha_internal && super::ha::is_managed(&pve, vmid)? {
        term.out(format!("Requesting HA stop for VM {vmid}"));
        term.ha_request = Some(super::ha::stop_request(vmid, opts.timeout.unwrap_or(60)));
        return Ok(());
    }
    require_local(ctx, vmid)?;
    if vm::run_state(ctx.cl, &ctx.node, vmid).is_none() {
        return Ok(());
    }
    stop_cleanup(ctx, vmid, opts.skiplock, term)
}

/// `qm reboot`.
pub fn reboot(ctx: &Ctx, vmid: u32, term: &mut Term) -> GResult<()> {
    require_local(ctx, vmid)?;
    match vm::run_state(ctx.cl, &ctx.node, vmid) {
        None => return err(format!("VM {vmid} not running")),
        Some(rs) if rs.status == "paused" => return err("VM is paused - cannot shutdown"),
        _ => {}
    }
    stop_cleanup(ctx, vmid, false, term)?;
    start(
        ctx,
        vmid,
        &StartOpts {
            skiplock: false,
            ha_internal: true,
        },
        term,
    )
}

/// `qm suspend` (`pause = true`) / `qm resume`.
pub fn suspend(ctx: &Ctx, vmid: u32, pause: bool, term: &mut Term) -> GResult<()> {
    let pve = ctx.pve()?;
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    vm::check_lock(&cfg)?;
    let Some(mut rs) = vm::run_state(ctx.cl, &ctx.node, vmid) else {
        return err(format!("VM {vmid} not running"));
    };
    rs.status = if pause { "paused" } else { "running" }.into();
    vm::write_run(ctx.root(), &ctx.node, vmid, &rs)
}
