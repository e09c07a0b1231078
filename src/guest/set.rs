//! `qm set` (spec 3.5) and the application of pending changes shared with
//! start/stop/reboot: deletions, detaching disks to `unusedN`, freeing
//! volumes, attaching existing volumes, hotplug rules for running VMs.

use super::config::{check_value, VmConfig};
use super::disk::{allocate, boot_order, parse_disk_arg, precheck_alloc, DiskArg};
use super::drive::{is_drive_key, is_unused_key, Drive};
use super::vm::{self, err, param, Ctx, GResult, Term};
use crate::storage::{volid::parse_volid, volid::parse_volname, StorageConfig};

/// Options of `qm set`.
#[derive(Debug, Clone, Default)]
pub struct SetOpts {
    /// `--<key> <value>` in the order given.
    pub values: Vec<(String, String)>,
    pub delete: Vec<String>,
    pub revert: Vec<String>,
    pub force: bool,
    pub skiplock: bool,
    /// Every option as given (name, value) for the `update VM` line.
    pub shown: Vec<(String, String)>,
}

/// Split a `--delete`/`--revert` list.
pub fn split_keys(v: &str) -> Vec<String> {
    v.split([',', ';', ' ', '\t'])
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s == "cdrom" {
                "ide2".into()
            } else {
                s.to_string()
            }
        })
        .collect()
}

/// Keys applied at once even while the VM runs (3.5 step 6).
fn hotpluggable(key: &str, cfg: &VmConfig) -> bool {
    const ALWAYS: [&str; 17] = [
        "name",
        "onboot",
        "tags",
        "description",
        "protection",
        "startup",
        "lock",
        "hookscript",
        "migrate_speed",
        "migrate_downtime",
        "shares",
        "vmstatestorage",
        "cpuunits",
        "cpulimit",
        "agent",
        "ciuser",
        "cipassword",
    ];
    if ALWAYS.contains(&key)
        || key.starts_with("ipconfig")
        || is_unused_key(key)
        || matches!(
            key,
            "nameserver" | "searchdomain" | "sshkeys" | "citype" | "cicustom"
        )
    {
        return true;
    }
    let hp = cfg.get("hotplug").unwrap_or("network,disk,usb");
    let hp: Vec<&str> = match hp {
        "1" => vec!["network", "disk", "usb"],
        "0" => vec![],
        s => s.split(',').collect(),
    };
    if key.starts_with("net") {
        return hp.contains(&"network");
    }
    if key.starts_with("scsi") || key.starts_with("virtio") {
        return hp.contains(&"disk") && is_drive_key(key);
    }
    match key {
        "memory" => hp.contains(&"memory"),
        "vcpus" => hp.contains(&"cpu"),
        "balloon" => cfg.get("balloon").is_some_and(|b| b != "0"),
        _ => false,
    }
}

/// Free a volume owned by the VM on the local node (deleting `unusedN` or
/// `--force`): snapshot-use check, missing volumes are not an error.
pub fn free_owned(
    ctx: &Ctx,
    scfg: &StorageConfig,
    cfg: &VmConfig,
    vmid: u32,
    volid: &str,
    term: &mut Term,
) -> GResult<()> {
    let Some((sid, volname)) = parse_volid(volid) else {
        return Ok(());
    };
    let Some(st) = scfg.get(sid) else {
        return Ok(());
    };
    let owner = parse_volname(&st.ty, volname).and_then(|v| v.owner);
    if owner != Some(vmid) {
        return Ok(());
    }
    let in_snap = cfg.snapshots.values().any(|s| {
        s.keys.iter().any(|(k, v)| {
            (is_drive_key(k) || k == "vmstate")
                && Drive::parse(v).map(|d| d.file == volid).unwrap_or(false)
        })
    });
    if in_snap {
        return err(format!(
            "unable to delete '{volid}' - volume is still in use (snapshot?)"
        ));
    }
    let inst = ctx.instance(scfg, sid, &ctx.node)?;
    if !inst.remove(volname)? && st.file_based() {
        term.err(format!(
            "disk image '{}' does not exist",
            inst.file_path(volname)
        ));
    }
    Ok(())
}

/// Apply the deletion of `key` to the main section.
fn apply_delete(
    ctx: &Ctx,
    scfg: &StorageConfig,
    cfg: &mut VmConfig,
    vmid: u32,
    key: &str,
    force: bool,
    term: &mut Term,
) -> GResult<()> {
    let Some(value) = cfg.main.keys.get(key).cloned() else {
        return Ok(());
    };
    if is_unused_key(key) {
        free_owned(ctx, scfg, cfg, vmid, &value, term)?;
    } else if is_drive_key(key) {
        if let Ok(d) = Drive::parse(&value) {
            if let Some(volid) = d.volid().filter(|_| !d.is_cdrom()) {
                if let Some((sid, volname)) = parse_volid(volid) {
                    match scfg.get(sid) {
                        None => term.err(format!(
                            "WARN: storage '{sid}' no longer exists, volume '{volid}' will be removed from config"
                        )),
                        Some(st) => {
                            let owned =
                                parse_volname(&st.ty, volname).and_then(|v| v.owner) == Some(vmid);
                            if owned {
                                cfg.main.keys.remove(key);
                                if force {
                                    free_owned(ctx, scfg, cfg, vmid, volid, term)?;
                                } else {
                                    cfg.add_unused(volid).map_err(vm::GuestError::Msg)?;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    cfg.main.keys.remove(key);
    Ok(())
}

/// Apply a new value of `key` to the main section: a replaced volume that
/// the VM owns becomes unused.
fn apply_value(scfg: &StorageConfig, cfg: &mut VmConfig, vmid: u32, key: &str, value: &str) {
    if is_drive_key(key) {
        if let Some(old) = cfg.main.keys.get(key).and_then(|v| Drive::parse(v).ok()) {
            let new = Drive::parse(value).ok();
            if let Some(ov) = old.volid().filter(|_| !old.is_cdrom()) {
                if new.as_ref().map(|n| n.file.as_str()) != Some(ov) {
                    let owned = parse_volid(ov)
                        .and_then(|(sid, vn)| {
                            scfg.get(sid).and_then(|st| parse_volname(&st.ty, vn))
                        })
                        .and_then(|v| v.owner)
                        == Some(vmid);
                    if owned {
                        let _ = cfg.add_unused(ov);
                    }
                }
            }
        }
    }
    cfg.main.keys.insert(key.into(), value.into());
}

/// Apply pending changes: all of them (`only_hotplug` false) or only those
/// a running VM takes at once.
pub fn apply_pending(
    ctx: &Ctx,
    scfg: &StorageConfig,
    cfg: &mut VmConfig,
    vmid: u32,
    only_hotplug: bool,
    term: &mut Term,
) -> GResult<()> {
    let deletes: Vec<(String, bool)> = cfg
        .pending_delete
        .iter()
        .map(|(k, f)| (k.clone(), *f))
        .collect();
    for (k, force) in deletes {
        if only_hotplug && !hotpluggable(&k, cfg) {
            continue;
        }
        apply_delete(ctx, scfg, cfg, vmid, &k, force, term)?;
        cfg.pending_delete.remove(&k);
    }
    let values: Vec<(String, String)> = cfg
        .pending
        .keys
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in values {
        if only_hotplug && !hotpluggable(&k, cfg) {
            continue;
        }
        apply_value(scfg, cfg, vmid, &k, &v);
        cfg.pending.keys.remove(&k);
    }
    if !only_hotplug {
        if let Some(d) = cfg.pending.description.take() {
            cfg.main.description = Some(d);
        }
    }
    Ok(())
}

/// Attach an existing volume: it must exist on the local node; `size=` from
/// the volume; format and content checks.
fn attach_volume(
    ctx: &Ctx,
    scfg: &StorageConfig,
    key: &str,
    mut d: Drive,
    term: &mut Term,
) -> GResult<String> {
    let volid = d.file.clone();
    let (sid, volname) = parse_volid(&volid).expect("checked by parse_disk_arg");
    let inst = ctx.instance(scfg, sid, &ctx.node)?;
    let rec = if ctx.visible(&inst) {
        inst.get(volname)?
    } else {
        None
    };
    let Some(rec) = rec else {
        if inst.storage.file_based() {
            term.err(format!("failed to stat '{}'", inst.file_path(volname)));
            return err(format!("volume {volid} does not exist"));
        }
        return err(inst.missing_error(volname, 10));
    };
    let ct = rec.content_type();
    if !(ct == "images" || ct == "iso" || ct == "rootdir") {
        return err(format!(
            "cannot use volume {volid} - content type needs to be 'images' or 'iso'"
        ));
    }
    if let Some(f) = d.get("format") {
        if ct != "iso" && f != rec.format {
            return err(format!(
                "drive '{key}' - volume '{volid}' - 'format={f}' option different from storage format '{}'",
                rec.format
            ));
        }
    }
    if ct != "iso" {
        d.set_size(rec.size);
    }
    Ok(d.to_text())
}

/// `qm set`.
/// A disk added to a replicated VM must be replicatable (qm-and-storage
/// 6.7, pvesr.md §22): on a storage that replicates (zfspool) or is shared,
/// or marked `replicate=0`. CD-ROMs and `none` are not replicated.
fn check_replicatable(scfg: &StorageConfig, arg: &DiskArg) -> GResult<()> {
    let (drive, sid) = match arg {
        DiskArg::Alloc { sid, drive, .. } => (drive, sid.clone()),
        DiskArg::Volume(d) => (
            d,
            d.volid().and_then(parse_volid).map(|(s, _)| s.to_string()),
        ),
        DiskArg::Other(d) => (d, None),
    };
    if drive.is_cdrom() || drive.get("replicate") == Some("0") || drive.file == "none" {
        return Ok(());
    }
    if drive.file.starts_with('/') {
        return err("cannot add non-managed/pass-through volume to a replicated VM");
    }
    let Some(st) = sid.as_deref().and_then(|s| scfg.get(s)) else {
        // an unknown storage fails later with its own error
        return Ok(());
    };
    if st.ty == "zfspool" || st.shared() {
        return Ok(());
    }
    err("cannot add non-replicatable volume to a replicated VM")
}

pub fn set(ctx: &Ctx, vmid: u32, opts: &SetOpts, term: &mut Term) -> GResult<()> {
    if opts.values.is_empty() && opts.delete.is_empty() && opts.revert.is_empty() {
        return err("no options specified");
    }
    super::config::check_no_line_breaks(&opts.values)?;
    let mut errors = Vec::new();
    let mut values: Vec<(String, String)> = Vec::new();
    let mut drives: Vec<DiskArg> = Vec::new();
    for (k, v) in &opts.values {
        let k = if k == "cdrom" {
            "ide2".to_string()
        } else {
            k.clone()
        };
        if opts.delete.contains(&k) {
            errors.push((
                "delete".to_string(),
                format!("you can't use '-{k}' and -delete {k}' at the same time"),
            ));
            continue;
        }
        if is_drive_key(&k) {
            // the drive's own syntax is checked with the other parameters,
            // before anything is printed or changed
            match parse_disk_arg(&k, v) {
                Ok(d) => {
                    drives.push(d);
                    values.push((k, v.clone()));
                }
                Err(vm::GuestError::Param(p)) => errors.extend(p),
                Err(e) => return Err(e),
            }
            continue;
        }
        if k.starts_with("net") || k == "tags" {
            values.push((k, v.clone()));
            continue;
        }
        match check_value(&k, v) {
            Ok(v) => values.push((k, v)),
            Err(e) => errors.push((k, e)),
        }
    }
    for k in &opts.delete {
        if !super::config::known_key(k) {
            errors.push(("delete".into(), format!("unknown option '{k}'")));
        }
    }
    if !errors.is_empty() {
        return Err(vm::GuestError::Param(errors));
    }
    let pve = ctx.pve()?;
    if !drives.is_empty() && !super::destroy::replication_jobs(&pve, vmid)?.is_empty() {
        let scfg = ctx.storage_cfg()?;
        for d in &drives {
            check_replicatable(&scfg, d)?;
        }
    }
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    if !opts.skiplock {
        vm::check_lock(&cfg)?;
    }
    let scfg = ctx.storage_cfg()?;
    let mut shown = opts.shown.clone();
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    let line: Vec<String> = shown.iter().map(|(k, v)| format!("-{k} {v}")).collect();
    term.out(format!("update VM {vmid}: {}", line.join(" ")));

    for k in &opts.revert {
        cfg.pending.keys.remove(k);
        cfg.pending_delete.remove(k);
    }
    // deletions: checked against the config as it was
    let deleting_boot = opts.delete.iter().any(|k| k == "boot");
    for k in &opts.delete {
        let present = cfg.main.keys.contains_key(k) || cfg.pending.keys.contains_key(k);
        if !present {
            term.err(format!(
                "cannot delete '{k}' - not set in current configuration!"
            ));
            continue;
        }
        cfg.pending.keys.remove(k);
        if cfg.main.keys.contains_key(k) {
            let e = cfg.pending_delete.entry(k.clone()).or_insert(false);
            *e |= opts.force;
        }
        if !deleting_boot {
            let cur = cfg
                .pending
                .keys
                .get("boot")
                .or_else(|| cfg.main.keys.get("boot"))
                .cloned();
            if let Some(order) = cur.as_deref().and_then(boot_order) {
                if order.contains(k) {
                    let rest: Vec<String> = order.into_iter().filter(|x| x != k).collect();
                    let v = if rest.is_empty() {
                        String::new()
                    } else {
                        format!("order={}", rest.join(";"))
                    };
                    cfg.pending.keys.insert("boot".into(), v);
                }
            }
        }
    }
    // values
    for (k, v) in &values {
        let stored = if is_drive_key(k) {
            match parse_disk_arg(k, v)? {
                DiskArg::Alloc { sid, gib, drive } => {
                    let sid = match sid {
                        Some(s) => s,
                        None => return err("no storage ID specified (and no default storage)"),
                    };
                    precheck_alloc(&scfg, &sid)?;
                    allocate(ctx, &scfg, vmid, k, &sid, &gib, &drive, term)?.0
                }
                DiskArg::Volume(d) => attach_volume(ctx, &scfg, k, d, term)?,
                DiskArg::Other(d) => d.to_text(),
            }
        } else if k.starts_with("net") {
            match check_value(k, v) {
                Ok(_) => super::disk::normalize_net(k, v, &format!("{vmid}-{k}-{}", ctx.now))?,
                Err(e) => return param(k, e),
            }
        } else if k == "tags" {
            super::disk::normalize_tags(v)
        } else {
            v.clone()
        };
        // a new CD-ROM joins a non-empty boot order
        if is_drive_key(k) && Drive::parse(&stored).map(|d| d.is_cdrom()).unwrap_or(false) {
            let cur = cfg
                .pending
                .keys
                .get("boot")
                .or_else(|| cfg.main.keys.get("boot"))
                .cloned();
            if let Some(mut order) = cur.as_deref().and_then(boot_order) {
                if !order.is_empty() && !order.contains(k) {
                    order.push(k.clone());
                    cfg.pending
                        .keys
                        .insert("boot".into(), format!("order={}", order.join(";")));
                }
            }
        }
        cfg.pending_delete.remove(k);
        if k == "description" {
            cfg.main.description = Some(v.clone());
            continue;
        }
        cfg.pending.keys.insert(k.clone(), stored);
    }
    // drop pending values equal to the current ones
    let same: Vec<String> = cfg
        .pending
        .keys
        .iter()
        .filter(|(k, v)| cfg.main.keys.get(*k) == Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    for k in same {
        cfg.pending.keys.remove(&k);
    }
    let running = vm::run_state(ctx.cl, &ctx.node, vmid).is_some();
    let res = apply_pending(ctx, &scfg, &mut cfg, vmid, running, term);
    vm::save(&pve, &ctx.node, vmid, &cfg)?;
    res
}

/// `qm unlock`.
pub fn unlock(ctx: &Ctx, vmid: u32, term: &mut Term) -> GResult<()> {
    let pve = ctx.pve()?;
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    cfg.main.keys.remove("lock");
    cfg.pending.keys.remove("lock");
    vm::save(&pve, &ctx.node, vmid, &cfg)
}
