//! `qm create` (spec 3.4).

use super::config::{check_value, VmConfig};
use super::disk::{
    allocate, default_boot, normalize_net, normalize_tags, parse_disk_arg, precheck_alloc, DiskArg,
};
use super::drive::{drive_order, is_drive_key};
use super::set::apply_pending;
use super::vm::{self, err, Ctx, GResult, GuestError, Term};
use crate::storage::volid::parse_volid;

/// Options of `qm create`.
#[derive(Debug, Clone, Default)]
pub struct CreateOpts {
    pub values: Vec<(String, String)>,
    pub storage: Option<String>,
    pub start: bool,
    pub ha_managed: bool,
}

/// QEMU version pvesim claims to run.
pub const QEMU_VERSION: &str = "9.2.0";

/// `qm create`.
pub fn create(ctx: &Ctx, vmid: u32, opts: &CreateOpts, term: &mut Term) -> GResult<()> {
    if !(100..=999_999_999).contains(&vmid) {
        return vm::param(
            "vmid",
            format!("invalid format - value '{vmid}' is not in range 100 - 999999999"),
        );
    }
    ctx.check_quorum()?;
    let pve = ctx.pve()?;
    let scfg = ctx.storage_cfg()?;
    super::config::check_no_line_breaks(&opts.values)?;
    // parameter checks and storage checks
    let mut errors = Vec::new();
    let mut plain: Vec<(String, String)> = Vec::new();
    let mut disks: Vec<(String, DiskArg)> = Vec::new();
    for (k, v) in &opts.values {
        let k = if k == "cdrom" {
            "ide2".to_string()
        } else {
            k.clone()
        };
        if is_drive_key(&k) {
            match parse_disk_arg(&k, v) {
                Ok(a) => disks.push((k, a)),
                Err(GuestError::Param(p)) => errors.extend(p),
                Err(e) => return Err(e),
            }
            continue;
        }
        match check_value(&k, v) {
            Ok(v) => plain.push((k, v)),
            Err(e) => errors.push((k, e)),
        }
    }
    if !errors.is_empty() {
        return Err(GuestError::Param(errors));
    }
    if let Some(s) = &opts.storage {
        if scfg.get(s).is_none() {
            return err(format!("storage '{s}' does not exist"));
        }
    }
    for (_, a) in &disks {
        match a {
            DiskArg::Alloc { sid, .. } => {
                let sid = match sid.as_ref().or(opts.storage.as_ref()) {
                    Some(s) => s,
                    None => return err("no storage ID specified (and no default storage)"),
                };
                precheck_alloc(&scfg, sid)?;
            }
            DiskArg::Volume(d) => {
                let (sid, _) = parse_volid(&d.file).expect("checked");
                if scfg.get(sid).is_none() {
                    return err(format!("storage '{sid}' does not exist"));
                }
            }
            DiskArg::Other(_) => {}
        }
    }
    let _lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    // pmxcfs refuses a guest config whose VMID exists anywhere in the
    // cluster, atomically; here creates on different nodes serialise on a
    // cluster-wide lock from the check until the placeholder exists
    let vmid_lock = ctx
        .root()
        .lock(
            &format!("pmxcfs-vmid-{vmid}"),
            std::time::Duration::from_secs(10),
        )
        .map_err(GuestError::from)?;
    if let Err(e) = crate::cluster::pmxcfs::check_vmid_unused(pve.base(), vmid, "qemu") {
        return err(format!("unable to create VM {vmid} - {e}"));
    }
    // a new guest must not inherit the replication state of an earlier one
    // with its ID (pvesr.md §5, §22); done first, so that a state file that
    // cannot be read stops the create before anything exists
    if let Err(e) = crate::replication::root::delete_guest_states(ctx.root(), &ctx.node, vmid) {
        return err(format!("unable to create VM {vmid} - {e}"));
    }
    let mut placeholder = VmConfig::default();
    placeholder.set("lock", "create");
    vm::save(&pve, &ctx.node, vmid, &placeholder)?;
    drop(vmid_lock);

    // the task
    let mut allocated: Vec<String> = Vec::new();
    let result = (|| -> GResult<VmConfig> {
        let mut cfg = VmConfig::default();
        disks.sort_by_key(|(k, _)| drive_order(k));
        for (k, a) in &disks {
            let text = match a {
                DiskArg::Alloc { sid, gib, drive } => {
                    let sid = sid.clone().or(opts.storage.clone()).unwrap_or_default();
                    let (text, volid) = allocate(ctx, &scfg, vmid, k, &sid, gib, drive, term)?;
                    allocated.push(volid);
                    text
                }
                DiskArg::Volume(d) => {
                    let rec = ctx.volume(&scfg, &d.file, &ctx.node)?;
                    let mut d = d.clone();
                    match rec {
                        Some(r) if r.content_type() != "iso" => d.set_size(r.size),
                        Some(_) => {}
                        None => {
                            let (sid, vn) = parse_volid(&d.file).expect("checked");
                            let inst = ctx.instance(&scfg, sid, &ctx.node)?;
                            return err(inst.missing_error(vn, 300));
                        }
                    }
                    d.to_text()
                }
                DiskArg::Other(d) => d.to_text(),
            };
            cfg.set(k, text);
        }
        for (k, v) in &plain {
            if k == "description" {
                cfg.main.description = Some(v.clone());
            } else if k.starts_with("net") {
                cfg.set(k, normalize_net(k, v, &format!("{vmid}-{k}-{}", ctx.now))?);
            } else if k == "tags" {
                cfg.set(k, normalize_tags(v));
            } else {
                cfg.set(k, v.clone());
            }
        }
        cfg.set(
            "meta",
            format!("creation-qemu={QEMU_VERSION},ctime={}", ctx.now),
        );
        if cfg.get("boot").is_none() {
            let b = default_boot(&cfg);
            cfg.set("boot", b);
        }
        if cfg.get("smbios1").is_none() {
            cfg.set(
                "smbios1",
                format!(
                    "uuid={}",
                    vm::seeded_uuid(&format!("smbios-{vmid}-{}", ctx.now))
                ),
            );
        }
        if matches!(cfg.get("vmgenid"), None | Some("1")) {
            cfg.set(
                "vmgenid",
                vm::seeded_uuid(&format!("vmgenid-{vmid}-{}", ctx.now)),
            );
        }
        Ok(cfg)
    })();
    match result {
        Ok(mut cfg) => {
            let _ = apply_pending(ctx, &scfg, &mut cfg, vmid, false, term);
            vm::save(&pve, &ctx.node, vmid, &cfg)?;
        }
        Err(e) => {
            for volid in &allocated {
                if let Some((sid, vn)) = parse_volid(volid) {
                    if let Ok(inst) = ctx.instance(&scfg, sid, &ctx.node) {
                        let _ = inst.remove(vn);
                    }
                }
            }
            let _ = pve.remove(&vm::conf_rel(&ctx.node, vmid));
            return err(format!("unable to create VM {vmid} - {e}"));
        }
    }
    drop(_lock);
    if opts.ha_managed {
        term.out("Add as HA resource");
        super::ha::add_resource(
            ctx.root(),
            &pve,
            vmid,
            if opts.start { "started" } else { "stopped" },
        )?;
    }
    if opts.start {
        term.out("Execute autostart");
        super::power::start(ctx, vmid, &super::power::StartOpts::default(), term)?;
    }
    Ok(())
}
