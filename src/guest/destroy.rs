//! `qm destroy` (spec 3.11).

use super::drive::{is_drive_key, is_unused_key, Drive};
use super::vm::{self, err, Ctx, GResult, Term};
use crate::format::section_config;
use crate::storage::volid::{parse_volid, parse_volname};
use std::collections::BTreeSet;

/// Options of `qm destroy`.
#[derive(Debug, Clone, Default)]
pub struct DestroyOpts {
    pub purge: bool,
    pub destroy_unreferenced: bool,
    pub skiplock: bool,
}

/// Replication job ids of a guest (`<vmid>-<n>` in replication.cfg).
pub fn replication_jobs(pve: &crate::store::PveFs, vmid: u32) -> GResult<Vec<String>> {
    let text = pve.read("replication.cfg")?.unwrap_or_default();
    let p = section_config::parse("/etc/pve/replication.cfg", &text);
    Ok(p.sections
        .iter()
        .filter(|s| {
            s.id.split_once('-').map(|(g, _)| g) == Some(&vmid.to_string())
                || s.get("guest") == Some(&vmid.to_string())
        })
        .map(|s| s.id.clone())
        .collect())
}

/// `qm destroy`; returns the number of counted warnings.
pub fn destroy(ctx: &Ctx, vmid: u32, opts: &DestroyOpts, term: &mut Term) -> GResult<u32> {
    let pve = ctx.pve()?;
    let check = |term: &mut Term| -> GResult<super::config::VmConfig> {
        let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
        if cfg.get("protection") == Some("1") {
            return err(format!("can't remove VM {vmid} - protection mode enabled"));
        }
        if !opts.purge {
            if super::ha::is_configured(&pve, vmid)? {
                return err(format!(
                    "unable to remove VM {vmid} - used in HA resources and purge parameter not set."
                ));
            }
            if let Some(j) = replication_jobs(&pve, vmid)?.first() {
                return err(format!(
                    "There is a replication job '{j}' for guest '{vmid}' - Please remove that first."
                ));
            }
        }
        if vm::run_state(ctx.cl, &ctx.node, vmid).is_some() {
            return err(format!("VM {vmid} is running - destroy failed"));
        }
        Ok(cfg)
    };
    check(term)?;
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = check(term)?;
    if !opts.skiplock && cfg.get("lock") != Some("suspended") {
        vm::check_lock(&cfg)?;
    }
    let scfg = ctx.storage_cfg()?;
    let mut warnings = 0;
    // volumes referenced anywhere
    let mut vols: BTreeSet<String> = BTreeSet::new();
    let sections = std::iter::once(&cfg.main)
        .chain(std::iter::once(&cfg.pending))
        .chain(cfg.snapshots.values());
    for sec in sections {
        for (k, v) in &sec.keys {
            if is_drive_key(k) {
                if let Ok(d) = Drive::parse(v) {
                    if !d.is_cdrom() {
                        if let Some(id) = d.volid() {
                            vols.insert(id.to_string());
                        }
                    }
                }
            } else if is_unused_key(k) || k == "vmstate" {
                vols.insert(v.clone());
            }
        }
    }
    if opts.destroy_unreferenced {
        for st in &scfg.storages {
            if st.check_node(&ctx.node).is_err() || !st.has_content("images") {
                continue;
            }
            let inst = crate::storage::Instance::open(ctx.root(), st, &ctx.node);
            if !ctx.visible(&inst) {
                continue;
            }
            for r in inst.list()? {
                if r.vmid == Some(vmid) && r.content.is_none() {
                    vols.insert(r.volid.clone());
                }
            }
        }
    }
    for volid in &vols {
        let Some((sid, vn)) = parse_volid(volid) else {
            continue;
        };
        let Some(st) = scfg.get(sid) else {
            term.out(format!(
                "WARN: Could not remove disk '{volid}', check manually: storage '{sid}' does not exist"
            ));
            warnings += 1;
            continue;
        };
        if parse_volname(&st.ty, vn).and_then(|v| v.owner) != Some(vmid) {
            continue;
        }
        match ctx.instance(&scfg, sid, &ctx.node) {
            Ok(inst) => {
                if !inst.remove(vn)? && st.file_based() {
                    term.err(format!(
                        "disk image '{}' does not exist",
                        inst.file_path(vn)
                    ));
                }
            }
            Err(e) => {
                term.out(format!(
                    "WARN: Could not remove disk '{volid}', check manually: {e}"
                ));
                warnings += 1;
            }
        }
    }
    cfg = super::config::VmConfig::default();
    cfg.set("lock", "destroyed");
    vm::save(&pve, &ctx.node, vmid, &cfg)?;
    let _ = pve.remove(&format!("firewall/{vmid}.fw"));
    if opts.purge {
        term.out(format!("purging VM {vmid} from related configurations.."));
        let jobs = replication_jobs(&pve, vmid)?;
        if !jobs.is_empty() {
            use crate::replication::root::{lock_config, read_config, write_config};
            let m = |e: crate::replication::runner::Error| vm::GuestError::Msg(e.to_string());
            let _g = lock_config(ctx.root(), pve.writable()).map_err(m)?;
            let mut rc = read_config(&pve).map_err(m)?;
            for j in &jobs {
                rc.jobs.remove(j);
            }
            rc.order.retain(|id| !jobs.contains(id));
            write_config(&pve, &rc).map_err(m)?;
        }
        if super::ha::remove_resource(ctx.root(), &pve, vmid)? {
            term.out(format!(
                "NOTE: removed VM {vmid} from HA resource configuration."
            ));
        }
    }
    pve.remove(&vm::conf_rel(&ctx.node, vmid))?;
    Ok(warnings)
}
