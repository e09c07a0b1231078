//! `qm snapshot`, `qm delsnapshot`, `qm rollback`, `qm listsnapshot` (spec
//! 3.14, brief; pvesr.md section 22 for the replication snapshots a
//! rollback removes): storage-level snapshots of every non-CD volume plus a
//! config section.

use super::config::{valid_snapname, ConfigSection, VmConfig};
use super::drive::{is_drive_key, is_unused_key, Drive};
use super::vm::{self, err, Ctx, GResult, Term};
use crate::storage::volid::{parse_volid, parse_volname};
use crate::storage::Instance;
use std::collections::BTreeMap;

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

/// The prefix of the storage snapshots pvesr takes (`__replicate_<job>_<time>__`).
const REPLICATION_SNAPSHOT: &str = "__replicate_";

/// Options of `qm rollback`.
#[derive(Debug, Clone, Default)]
pub struct RollbackOpts {
    /// `--start`: start the VM after a successful rollback.
    pub start: bool,
}

/// One volume of the snapshot being rolled back to.
struct RollbackVolume {
    volid: String,
    volname: String,
    inst: Instance,
    /// Replication snapshots newer than the target (removed first).
    replication_blockers: Vec<String>,
}

/// The non-CD volumes referenced by the drive keys of a config section.
fn section_volids(sec: &ConfigSection) -> Vec<String> {
    let mut keys: Vec<&String> = sec.keys.keys().filter(|k| is_drive_key(k)).collect();
    keys.sort_by_key(|k| super::drive::drive_order(k));
    keys.into_iter()
        .filter_map(|k| Drive::parse(&sec.keys[k]).ok())
        .filter(|d| !d.is_cdrom())
        .filter_map(|d| d.volid().map(str::to_string))
        .collect()
}

/// `qm rollback <vmid> <snapname> [--start]`; returns the number of counted
/// warnings (`WARN:` lines) the task printed.
///
/// Every check comes before the first change: the snapshot exists and is
/// complete, the VM is no template and not locked, and every volume of the
/// snapshot exists and can go back to it. On zfspool only the most recent
/// snapshot can be rolled back to; replication snapshots that are in the way
/// are removed (with the warnings of pvesr.md section 22) when the guest has
/// a replication job, any other newer snapshot is an error. Then the config
/// is locked (`lock: rollback`), a running VM is stopped, the volumes are
/// rolled back (spec 7.3) and the config becomes the snapshot's, with
/// `parent` set to it.
pub fn rollback(
    ctx: &Ctx,
    vmid: u32,
    name: &str,
    opts: &RollbackOpts,
    term: &mut Term,
) -> GResult<u32> {
    if !valid_snapname(name) || name.len() > 40 {
        return vm::param(
            "snapname",
            format!("invalid format - invalid configuration ID '{name}'"),
        );
    }
    let pve = ctx.pve()?;
    // Like the real task, hold the migration lock: no replication run can
    // take a new snapshot meanwhile.
    let _mlock = crate::replication::migrate::lock_guest_for_migration(ctx.root(), vmid)
        .map_err(vm::GuestError::Msg)?;
    let lock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let mut cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    let Some(snap) = cfg.snapshots.get(name).cloned() else {
        return err(format!("snapshot '{name}' does not exist"));
    };
    if cfg.get("template") == Some("1") {
        return err("you can't rollback if vm is a template");
    }
    if let Some(state) = snap.get("snapstate") {
        return err(format!(
            "unable to rollback to incomplete snapshot (snapstate = {state})"
        ));
    }
    vm::check_lock(&cfg)?;
    let scfg = ctx.storage_cfg()?;
    let replicated = !super::destroy::replication_jobs(&pve, vmid)?.is_empty();
    let mut vols = Vec::new();
    for volid in section_volids(&snap) {
        let Some((sid, vn)) = parse_volid(&volid) else {
            return err(format!("unable to parse volume ID '{volid}'"));
        };
        if scfg.get(sid).is_none() {
            return err(format!("storage '{sid}' does not exist"));
        }
        let inst = ctx.instance(&scfg, sid, &ctx.node)?;
        if !ctx.visible(&inst) || !inst.exists(vn) {
            return err(inst.missing_error(vn, 300));
        }
        let blockers = inst.rollback_blockers(vn, name)?;
        let only_replication =
            replicated && blockers.iter().all(|b| b.starts_with(REPLICATION_SNAPSHOT));
        if !blockers.is_empty() && !only_replication {
            return err(format!(
                "can't rollback, '{name}' is not most recent snapshot on '{volid}'"
            ));
        }
        vols.push(RollbackVolume {
            volname: vn.to_string(),
            volid,
            inst,
            replication_blockers: blockers,
        });
    }

    cfg.set("lock", "rollback");
    vm::save(&pve, &ctx.node, vmid, &cfg)?;
    if vm::run_state(ctx.cl, &ctx.node, vmid).is_some() {
        vm::set_stopped(ctx.root(), &ctx.node, vmid)?;
    }
    let mut warnings = 0;
    for v in &vols {
        for b in &v.replication_blockers {
            term.out(format!(
                "WARN: removing replication snapshot '{}@{b}'",
                v.volid
            ));
            warnings += 1;
            v.inst.delete_snapshot(&v.volname, b)?;
        }
    }
    if warnings > 0 {
        term.out(format!(
            "WARN: you shouldn't remove '{name}' before running the next replication!"
        ));
        warnings += 1;
    }
    for v in &vols {
        v.inst.rollback(&v.volname, name)?;
    }
    let newcfg = rolled_back_config(&cfg, &snap, name).map_err(vm::GuestError::Msg)?;
    vm::save(&pve, &ctx.node, vmid, &newcfg)?;
    drop(lock);
    if opts.start && vm::run_state(ctx.cl, &ctx.node, vmid).is_none() {
        super::power::start(ctx, vmid, &super::power::StartOpts::default(), term)?;
    }
    Ok(warnings)
}

/// The config after a rollback to `snap` (called `name`): the snapshot's
/// keys without its own bookkeeping (`snaptime`, `snapstate`, the saved
/// RAM state), `parent: <name>`, the VM's description, `unusedN` entries
/// and snapshot list kept, and every volume the current config attaches
/// but the snapshot does not added as unused. Pending changes and the lock
/// are gone.
fn rolled_back_config(
    cur: &VmConfig,
    snap: &ConfigSection,
    name: &str,
) -> Result<VmConfig, String> {
    const NOT_COPIED: &[&str] = &[
        "snaptime",
        "snapstate",
        "vmstate",
        "runningmachine",
        "runningcpu",
        "lock",
    ];
    let mut keys: BTreeMap<String, String> = cur.main.unused_entries();
    for (k, v) in &snap.keys {
        if !NOT_COPIED.contains(&k.as_str()) {
            keys.insert(k.clone(), v.clone());
        }
    }
    keys.insert("parent".into(), name.into());
    let mut new = VmConfig {
        main: ConfigSection {
            description: cur.main.description.clone(),
            keys,
        },
        special: cur.special.clone(),
        snapshots: cur.snapshots.clone(),
        ..Default::default()
    };
    let kept = section_volids(snap);
    for volid in section_volids(&cur.main) {
        if !kept.contains(&volid) {
            new.add_unused(&volid)?;
        }
    }
    Ok(new)
}

/// `qm listsnapshot <vmid>`: the snapshot tree, one line per snapshot and
/// the pseudo-entry `current` (spec 3.14). Children follow their parent
/// (the `parent` key), siblings and roots are ordered by `snaptime` with
/// `current` last; a parent that does not exist makes the entry a root.
pub fn listsnapshot(ctx: &Ctx, vmid: u32, term: &mut Term) -> GResult<Vec<String>> {
    let pve = ctx.pve()?;
    let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    Ok(snapshot_tree(&cfg, &ctx.zone))
}

/// One entry of the tree.
struct TreeEntry<'a> {
    name: &'a str,
    parent: Option<&'a str>,
    snaptime: Option<i64>,
    description: &'a str,
}

/// The lines of `qm listsnapshot` for `cfg`.
pub fn snapshot_tree(cfg: &VmConfig, zone: &crate::replication::localtime::Zone) -> Vec<String> {
    let mut entries: Vec<TreeEntry> = cfg
        .snapshots
        .iter()
        .map(|(name, sec)| TreeEntry {
            name,
            parent: sec.get("parent"),
            snaptime: sec.get("snaptime").and_then(|t| t.parse().ok()),
            description: sec.description.as_deref().unwrap_or(""),
        })
        .collect();
    entries.push(TreeEntry {
        name: "current",
        parent: cfg.get("parent"),
        snaptime: None,
        description: "You are here!",
    });
    // by snaptime, entries without one (`current`) last; ties by name
    entries.sort_by(|a, b| {
        let key = |e: &TreeEntry| (e.snaptime.is_none(), e.snaptime);
        key(a).cmp(&key(b)).then(a.name.cmp(b.name))
    });
    let index: BTreeMap<&str, usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name != "current")
        .map(|(i, e)| (e.name, i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut roots = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match e.parent.and_then(|p| index.get(p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    let mut lines = Vec::new();
    // depth-first, iteratively: (entry, depth), next sibling on top
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        let e = &entries[i];
        let prefix = format!("{}`->", " ".repeat(depth));
        let width = 30usize.saturating_sub(prefix.len());
        let time = e.snaptime.map(|t| zone.format(t)).unwrap_or_default();
        // an empty (or "0") description shows as `no-description`, as in
        // the real tool; otherwise its first line
        let desc = match e.description {
            "" | "0" => "no-description",
            d => d.split('\n').next().unwrap_or(""),
        };
        lines.push(format!("{prefix} {:<width$} {time:<23} {desc}", e.name));
        stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replication::localtime::Zone;

    #[test]
    fn tree_orders_by_snaptime_and_indents_children() {
        let text = "memory: 512\nparent: b2\n\n[aa]\n#first line\n#second line\nsnaptime: 100\n\n[b1]\nparent: aa\nsnaptime: 300\n\n[b2]\n#other branch\nparent: aa\nsnaptime: 200\n\n[cc]\nparent: b1\nsnaptime: 400\n\n[orphan]\n#0\nparent: gone\nsnaptime: 50\n";
        let (cfg, warns) = VmConfig::parse(text, 100);
        assert!(warns.is_empty(), "{warns:?}");
        let lines = snapshot_tree(&cfg, &Zone::utc());
        assert_eq!(
            lines,
            vec![
                "`-> orphan                      1970-01-01 00:00:50     no-description",
                "`-> aa                          1970-01-01 00:01:40     first line",
                " `-> b2                         1970-01-01 00:03:20     other branch",
                "  `-> current                                           You are here!",
                " `-> b1                         1970-01-01 00:05:00     no-description",
                "  `-> cc                        1970-01-01 00:06:40     no-description",
            ]
        );
        let (empty, _) = VmConfig::parse("memory: 512\n", 100);
        assert_eq!(
            snapshot_tree(&empty, &Zone::utc()),
            vec!["`-> current                                             You are here!"]
        );
    }

    #[test]
    fn rolled_back_config_takes_the_snapshot_and_keeps_description_and_unused() {
        let text = "#the vm\nlock: rollback\nmemory: 4096\nparent: s1\nscsi0: local-zfs:vm-100-disk-0,size=32G\nscsi1: local-zfs:vm-100-disk-1,size=1G\nunused0: local-zfs:vm-100-disk-7\n\n[PENDING]\nmemory: 8192\n\n[s1]\n#snap\nmemory: 2048\nscsi0: local-zfs:vm-100-disk-0,size=32G\nsnaptime: 10\nvmstate: local-zfs:vm-100-state-s1\n";
        let (cfg, _) = VmConfig::parse(text, 100);
        let new = rolled_back_config(&cfg, &cfg.snapshots["s1"], "s1").unwrap();
        assert_eq!(
            new.write(),
            "#the vm\nmemory: 2048\nparent: s1\nscsi0: local-zfs:vm-100-disk-0,size=32G\nunused0: local-zfs:vm-100-disk-7\nunused1: local-zfs:vm-100-disk-1\n\n[s1]\n#snap\nmemory: 2048\nscsi0: local-zfs:vm-100-disk-0,size=32G\nsnaptime: 10\nvmstate: local-zfs:vm-100-state-s1\n"
        );
    }
}
