//! `qm snapshot`, `qm delsnapshot`, `qm listsnapshot` (spec 3.14, brief):
//! storage-level snapshots of every non-CD volume plus a config section.

use super::config::{valid_snapname, ConfigSection};
use super::drive::is_unused_key;
use super::vm::{self, err, Ctx, GResult, Term};
use crate::storage::volid::{parse_volid, parse_volname};

fn snapshot_capable(ty: &str, format: &str, file_based: bool) -> bool {
    matches!(ty, "zfspool" | "lvmthin" | "btrfs" | "rbd") || (file_based && format == "qcow2")
}

/// `qm snapshot <vmid> <name> [--description]`.
pub fn snapshot(
    ctx: &Ctx,
    vmid: u32,
    name: &str,
    description: Option<&str>,
    term: &mut Term,
) -> GResult<()> {
    if !valid_snapname(name) || name.len() > 40 || name == "pending" || name == "current" {
        return vm::param(
            "snapname",
            format!("invalid format - invalid configuration ID '{name}'"),
        );
    }
    let pve = ctx.pve()?;
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    if cfg.snapshots.contains_key(name) {
        return err(format!("snapshot name '{name}' already used"));
    }
    if cfg.get("template") == Some("1") {
        return err("you can't take a snapshot if it's a template");
    }
    vm::check_lock(&cfg)?;
    let scfg = ctx.storage_cfg()?;
    let mut vols = Vec::new();
    for (_, d) in cfg.drives() {
        if d.is_cdrom() {
            continue;
        }
        let Some(volid) = d.volid() else { continue };
        let Some((sid, vn)) = parse_volid(volid) else {
            continue;
        };
        let Some(st) = scfg.get(sid) else {
            return err(format!("storage '{sid}' does not exist"));
        };
        let fmt = parse_volname(&st.ty, vn)
            .map(|v| v.format)
            .unwrap_or_default();
        if !snapshot_capable(&st.ty, &fmt, st.file_based()) {
            return err("snapshot feature is not available");
        }
        vols.push((sid.to_string(), vn.to_string()));
    }
    let mut sec = ConfigSection {
        description: Some(description.unwrap_or("").to_string()),
        keys: cfg.main.keys.clone(),
    };
    sec.keys
        .retain(|k, _| !(k == "lock" || k == "digest" || k == "snapstate" || is_unused_key(k)));
    sec.keys.insert("snaptime".into(), ctx.now.to_string());
    for (sid, vn) in &vols {
        let inst = ctx.instance(&scfg, sid, &ctx.node)?;
        if !ctx.visible(&inst) || !inst.exists(vn) {
            return err(inst.missing_error(vn, 300));
        }
    }
    for (sid, vn) in &vols {
        ctx.instance(&scfg, sid, &ctx.node)?
            .snapshot(vn, name, ctx.now)?;
    }
    cfg.snapshots.insert(name.into(), sec);
    cfg.set("parent", name);
    vm::save(&pve, &ctx.node, vmid, &cfg)
}

/// `qm delsnapshot <vmid> <name>`.
pub fn delsnapshot(ctx: &Ctx, vmid: u32, name: &str, term: &mut Term) -> GResult<()> {
    let pve = ctx.pve()?;
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    vm::check_lock(&cfg)?;
    let Some(sec) = cfg.snapshots.remove(name) else {
        return err(format!("snapshot '{name}' does not exist"));
    };
    let scfg = ctx.storage_cfg()?;
    for (k, v) in &sec.keys {
        if !super::drive::is_drive_key(k) {
            continue;
        }
        let Ok(d) = super::drive::Drive::parse(v) else {
            continue;
        };
        if d.is_cdrom() {
            continue;
        }
        if let Some((sid, vn)) = d.volid().and_then(parse_volid) {
            if let Ok(inst) = ctx.instance(&scfg, sid, &ctx.node) {
                inst.delete_snapshot(vn, name)?;
            }
        }
    }
    let parent = sec.keys.get("parent").cloned();
    for s in cfg.snapshots.values_mut() {
        if s.keys.get("parent").map(|p| p.as_str()) == Some(name) {
            match &parent {
                Some(p) => s.keys.insert("parent".into(), p.clone()),
                None => s.keys.remove("parent"),
            };
        }
    }
    if cfg.get("parent") == Some(name) {
        match parent {
            Some(p) => cfg.set("parent", p),
            None => {
                cfg.remove("parent");
            }
        }
    }
    vm::save(&pve, &ctx.node, vmid, &cfg)
}
