//! `qm rescan` / `qm disk rescan` (spec 4): add volumes that belong to a VM
//! but are missing from its config as `unusedN`, and fix disk sizes.

use super::drive::Drive;
use super::vm::{self, Ctx, GResult, Term};
use crate::storage::{size::format_disk_size, Instance, VolumeRecord};

/// `qm rescan [--vmid] [--dryrun]`.
pub fn rescan(ctx: &Ctx, vmid: Option<u32>, dryrun: bool, term: &mut Term) -> GResult<()> {
    if dryrun {
        term.out("NOTE: running in dry-run mode, won't write changes out!");
    }
    term.out("rescan volumes...");
    let pve = ctx.pve()?;
    let scfg = ctx.storage_cfg()?;
    // collect image volumes visible from this node
    let mut found: Vec<VolumeRecord> = Vec::new();
    for st in &scfg.storages {
        if st.check_node(&ctx.node).is_err() || !st.has_content("images") {
            continue;
        }
        let inst = Instance::open(ctx.root(), st, &ctx.node);
        if !ctx.visible(&inst) {
            continue;
        }
        for r in inst.list()? {
            if r.content.is_some() || r.size == 0 {
                continue;
            }
            if vmid.is_some() && r.vmid != vmid {
                continue;
            }
            found.push(r);
        }
    }
    found.sort_by(|a, b| a.volid.cmp(&b.volid));
    let vmids: Vec<u32> = match vmid {
        Some(v) => vec![v],
        None => {
            let dir = pve.path(&format!("nodes/{}/qemu-server", ctx.node));
            let mut ids: Vec<u32> = std::fs::read_dir(dir)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .filter_map(|e| {
                            e.file_name()
                                .to_string_lossy()
                                .strip_suffix(".conf")
                                .and_then(|s| s.parse().ok())
                        })
                        .collect()
                })
                .unwrap_or_default();
            ids.sort();
            ids
        }
    };
    for id in vmids {
        let _lock = vm::lock_config(ctx.root(), &ctx.node, id)?;
        let mut cfg = vm::load(&pve, &ctx.node, id, term)?;
        vm::check_lock(&cfg)?;
        let mine: Vec<&VolumeRecord> = found.iter().filter(|r| r.vmid == Some(id)).collect();
        let mut changed = false;
        let mut referenced: Vec<String> = Vec::new();
        for (key, mut d) in cfg.drives() {
            let Some(volid) = d.volid().map(String::from) else {
                continue;
            };
            referenced.push(volid.clone());
            if d.is_cdrom() {
                continue;
            }
            if let Some(r) = mine.iter().find(|r| r.volid == volid) {
                let old = d.size().unwrap_or(0);
                if r.size != old {
                    term.out(format!(
                        "VM {id} ({key}): size of disk '{volid}' updated from {} to {}",
                        format_disk_size(old),
                        format_disk_size(r.size)
                    ));
                    d.set_size(r.size);
                    cfg.set(&key, d.to_text());
                    changed = true;
                }
            }
        }
        let mut unused_sorted: Vec<(String, String)> = cfg.main.unused_entries();
        unused_sorted.sort_by_key(|(k, _)| super::drive::drive_order(k));
        for (k, v) in unused_sorted {
            if referenced.contains(&v) {
                term.out(format!(
                    "VM {id} remove entry '{k}', its volume '{v}' is in use"
                ));
                cfg.remove(&k);
                changed = true;
            } else {
                referenced.push(v);
            }
        }
        for r in mine {
            if referenced.contains(&r.volid) || r.volname().contains(&format!("vm-{id}-state-")) {
                continue;
            }
            if let Some(k) = cfg.add_unused(&r.volid).map_err(vm::GuestError::Msg)? {
                term.out(format!(
                    "VM {id} add unreferenced volume '{}' as '{k}' to config",
                    r.volid
                ));
                referenced.push(r.volid.clone());
                changed = true;
            }
        }
        if changed && !dryrun {
            vm::save(&pve, &ctx.node, id, &cfg)?;
        }
        let _ = Drive::parse("none");
    }
    Ok(())
}
