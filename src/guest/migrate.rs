//! `qm migrate` (spec 5): pre-task checks, HA redirection, and the
//! migration task (prepare, volume scan, replication, offline copy, live
//! migration, config move, cleanup) with the real task log lines.

use super::config::VmConfig;
use super::drive::{is_drive_key, is_unused_key, Drive};
use super::vm::{self, err, param, Ctx, GResult, GuestError, Term};
use crate::storage::{
    size::render_bytes,
    transfer::{migration_copy, TransferOpts},
    volid::{parse_volid, parse_volname},
    Instance, StorageConfig,
};
use std::collections::{BTreeMap, BTreeSet};

/// Options of `qm migrate`.
#[derive(Debug, Clone, Default)]
pub struct MigrateOpts {
    pub online: bool,
    pub with_local_disks: bool,
    pub targetstorage: Option<String>,
    pub bwlimit: Option<u64>,
    pub force: bool,
    pub migration_type: Option<String>,
    pub migration_network: Option<String>,
    pub with_conntrack_state: bool,
    /// Run by the HA stack: no redirection.
    pub ha_internal: bool,
}

/// A replication job of the guest (from replication.cfg).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplJob {
    pub id: String,
    pub target: String,
    pub remove_job: bool,
}

/// Runs a replication job inside a migration and returns its log lines
/// (without timestamps or job prefix) or the error text. Wired by the
/// replication layer; without it, replicated volumes are copied in full.
pub type ReplicateHook<'a> = &'a dyn Fn(&Ctx, &str) -> Result<Vec<String>, (Vec<String>, String)>;

/// The guest's replication jobs (through the replication layer's parser).
pub fn repl_jobs(ctx: &Ctx, vmid: u32) -> GResult<Vec<ReplJob>> {
    let jobs = crate::replication::migrate::guest_jobs(ctx.root(), &ctx.node, vmid)
        .map_err(GuestError::Msg)?;
    let mut v: Vec<ReplJob> = jobs
        .into_iter()
        .map(|(id, target, remove_job)| ReplJob {
            id,
            target,
            remove_job,
        })
        .collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(v)
}

/// Storage mapping of `--targetstorage`.
#[derive(Debug, Clone, Default)]
struct StorageMap {
    default: Option<String>,
    entries: BTreeMap<String, String>,
}

impl StorageMap {
    fn parse(s: &str) -> Result<StorageMap, String> {
        let mut m = StorageMap::default();
        if s == "1" {
            return Ok(m);
        }
        for part in s.split(',').filter(|p| !p.is_empty()) {
            match part.split_once(':') {
                Some((a, b)) => {
                    if !crate::storage::config::valid_storage_id(a)
                        || !crate::storage::config::valid_storage_id(b)
                    {
                        return Err(format!("invalid storage ID in '{part}'"));
                    }
                    m.entries.insert(a.into(), b.into());
                }
                None => {
                    if !crate::storage::config::valid_storage_id(part) {
                        return Err(format!("invalid storage ID '{part}'"));
                    }
                    if m.default.is_some() {
                        return Err("default storage ID specified more than once".into());
                    }
                    m.default = Some(part.into());
                }
            }
        }
        Ok(m)
    }
    fn map(&self, sid: &str) -> String {
        self.entries
            .get(sid)
            .cloned()
            .or_else(|| self.default.clone())
            .unwrap_or_else(|| sid.to_string())
    }
}

type Phase1Result = Result<(BTreeMap<String, LocalVol>, BTreeMap<String, String>), String>;

/// How a volume is referenced (5.4.1).
#[derive(Debug, Clone, Default)]
struct VolRef {
    attached: Vec<String>,
    unused: bool,
    snapshots: BTreeSet<String>,
    pending: bool,
    vmstate: bool,
    cdrom: bool,
    tpmstate: bool,
    shared_flag: bool,
    replicate: bool,
}

fn collect_refs(cfg: &VmConfig) -> BTreeMap<String, VolRef> {
    let mut refs: BTreeMap<String, VolRef> = BTreeMap::new();
    let add_drive =
        |refs: &mut BTreeMap<String, VolRef>, key: &str, value: &str, f: &dyn Fn(&mut VolRef)| {
            if let Ok(d) = Drive::parse(value) {
                let r = refs.entry(d.file.clone()).or_insert_with(|| VolRef {
                    replicate: true,
                    ..Default::default()
                });
                if d.is_cdrom() {
                    r.cdrom = true;
                }
                if key == "tpmstate0" {
                    r.tpmstate = true;
                }
                if d.get("shared") == Some("1") {
                    r.shared_flag = true;
                }
                if d.get("replicate") == Some("0") {
                    r.replicate = false;
                }
                f(r);
            }
        };
    for (k, v) in &cfg.main.keys {
        if is_drive_key(k) {
            let kk = k.clone();
            add_drive(&mut refs, k, v, &move |r: &mut VolRef| {
                r.attached.push(kk.clone())
            });
        } else if is_unused_key(k) {
            refs.entry(v.clone())
                .or_insert_with(|| VolRef {
                    replicate: true,
                    ..Default::default()
                })
                .unused = true;
        } else if k == "vmstate" {
            refs.entry(v.clone()).or_default().vmstate = true;
        }
    }
    for (k, v) in &cfg.pending.keys {
        if is_drive_key(k) {
            add_drive(&mut refs, k, v, &|r: &mut VolRef| r.pending = true);
        }
    }
    for (name, sec) in &cfg.snapshots {
        for (k, v) in &sec.keys {
            if is_drive_key(k) {
                let n = name.clone();
                add_drive(&mut refs, k, v, &move |r: &mut VolRef| {
                    r.snapshots.insert(n.clone());
                });
            } else if k == "vmstate" {
                let r = refs.entry(v.clone()).or_default();
                r.vmstate = true;
                r.snapshots.insert(name.clone());
            }
        }
    }
    refs
}

/// A local volume found by the scan.
#[derive(Debug, Clone)]
struct LocalVol {
    kind: &'static str,
    replicated: bool,
    online: bool,
    path_only: bool,
}

fn check_storage_for(
    scfg: &StorageConfig,
    sid: &str,
    tsid: &str,
    node: &str,
    target: &str,
    volid: &str,
    content: &str,
) -> Result<(), String> {
    let st = scfg.enabled_on(sid, node).map_err(|e| e.to_string())?;
    let tst = scfg.enabled_on(tsid, target).map_err(|e| e.to_string())?;
    for s in [st, tst] {
        if !s.has_content(content) {
            return Err(format!(
                "{volid}: content type '{content}' is not available on storage '{}'",
                s.id
            ));
        }
    }
    Ok(())
}

fn content_of(scfg: &StorageConfig, volid: &str) -> String {
    parse_volid(volid)
        .and_then(|(sid, vn)| scfg.get(sid).and_then(|st| parse_volname(&st.ty, vn)))
        .map(|v| v.content)
        .unwrap_or_else(|| "images".into())
}

fn ssh_prefix(ctx: &Ctx, target: &str, ip: &str) -> GResult<String> {
    let pve = ctx.pve()?;
    let known = pve
        .path(&format!("nodes/{target}/ssh_known_hosts"))
        .exists();
    let mut s = format!("/usr/bin/ssh -e none -o 'BatchMode=yes' -o 'HostKeyAlias={target}'");
    if known {
        s.push_str(&format!(
            " -o 'UserKnownHostsFile=/etc/pve/nodes/{target}/ssh_known_hosts' -o 'GlobalKnownHostsFile=none'"
        ));
    }
    s.push_str(&format!(" root@{ip}"));
    Ok(s)
}

fn local_devices(cfg: &VmConfig, running: bool) -> Vec<String> {
    let mut v: Vec<String> = cfg
        .main
        .keys
        .iter()
        .filter(|(k, val)| {
            let (p, n) = super::drive::split_key(k);
            let mapped = val.contains("mapping=");
            match (p, n) {
                ("usb", Some(_)) => !val.contains("host=spice") && (!mapped || running),
                ("hostpci", Some(_)) => !mapped || running,
                ("serial", Some(_)) => val.as_str() != "socket",
                ("parallel", Some(_)) | ("virtiofs", Some(_)) => !mapped || running,
                _ => *k == "ivshmem" || (running && (*k == "amd-sev" || *k == "intel-tdx")),
            }
        })
        .map(|(k, _)| k.clone())
        .collect();
    v.sort();
    v
}

/// Bandwidth limit (KiB/s) for the offline copy of volumes on `sids`.
fn bwlimit_kib(ctx: &Ctx, scfg: &StorageConfig, sids: &[String], opt: Option<u64>) -> Option<u64> {
    if let Some(b) = opt {
        return (b > 0).then_some(b);
    }
    let parse = |v: &str| -> Option<u64> {
        let mut mig = None;
        let mut def = None;
        for p in v.split(',') {
            match p.split_once('=') {
                Some(("migration", x)) => mig = x.parse().ok(),
                Some(("default", x)) => def = x.parse().ok(),
                None => def = p.parse().ok(),
                _ => {}
            }
        }
        mig.or(def)
    };
    let mut limit: Option<u64> = None;
    let mut some_without = sids.is_empty();
    for sid in sids {
        match scfg.get(sid).and_then(|s| s.get("bwlimit")).and_then(parse) {
            Some(l) => limit = Some(limit.map_or(l, |x: u64| x.min(l))),
            None => some_without = true,
        }
    }
    if some_without {
        if let Some(dc) = datacenter_bwlimit(ctx) {
            limit = Some(limit.map_or(dc, |x| x.min(dc)));
        }
    }
    limit.filter(|l| *l > 0)
}

fn datacenter_bwlimit(ctx: &Ctx) -> Option<u64> {
    ctx.pve().ok()?.datacenter().ok()?.migration_bwlimit()
}

/// `qm migrate`: checks before the task, HA redirection, then the task.
pub fn migrate(
    ctx: &Ctx,
    vmid: u32,
    target: &str,
    opts: &MigrateOpts,
    hook: Option<ReplicateHook>,
    term: &mut Term,
) -> GResult<()> {
    if target == ctx.node {
        return param("target", "target is local node.");
    }
    ctx.check_quorum()?;
    if ctx.cl.member_ip(target).is_none() {
        return err(format!("no such cluster node '{target}'"));
    }
    let pve = ctx.pve()?;
    let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    vm::check_lock(&cfg)?;
    let running = vm::run_state(ctx.cl, &ctx.node, vmid).is_some();
    let mut opts = opts.clone();
    let jobs = repl_jobs(ctx, vmid)?;
    if running {
        if !opts.online {
            return err("can't migrate running VM without --online");
        }
        if !jobs.is_empty() && !jobs.iter().any(|j| j.target == target) && !opts.force {
            return err(format!("Cannot live-migrate replicated VM to node '{target}' - not a replication target. Use 'force' to override."));
        }
    } else if opts.online {
        term.err("VM isn't running. Doing offline migration instead.");
        opts.online = false;
        opts.with_conntrack_state = false;
    }
    let scfg = ctx.storage_cfg()?;
    let map = match &opts.targetstorage {
        Some(t) => match StorageMap::parse(t) {
            Ok(m) => {
                for tsid in m.entries.values().chain(m.default.iter()) {
                    let st = scfg
                        .enabled_on(tsid, target)
                        .map_err(|e| GuestError::Msg(e.to_string()))?;
                    if !st.has_content("images") {
                        return err(format!("storage '{tsid}' does not support vm images"));
                    }
                }
                m
            }
            Err(e) => return param("targetstorage", format!("failed to parse storage map: {e}")),
        },
        None => StorageMap::default(),
    };
    for (_, d) in cfg.drives() {
        let Some(volid) = d.volid() else { continue };
        let Some((sid, _)) = parse_volid(volid) else {
            continue;
        };
        let content = content_of(&scfg, volid);
        let is_shared = scfg.get(sid).map(|s| s.shared()).unwrap_or(false);
        let tsid = if is_shared {
            sid.to_string()
        } else {
            map.map(sid)
        };
        check_storage_for(&scfg, sid, &tsid, &ctx.node, target, volid, &content)
            .map_err(GuestError::Msg)?;
    }
    if !opts.ha_internal && super::ha::is_managed(&pve, vmid)? {
        term.out(format!(
            "Requesting HA migration for VM {vmid} to node {target}"
        ));
        term.ha_request = Some(super::ha::migrate_request(vmid, target));
        return Ok(());
    }
    // beyond the real tool: warn about cpu type host between CPU models
    if running && opts.online {
        let cpu = cfg.get("cpu").unwrap_or("kvm64");
        let ty = cpu
            .split(',')
            .find_map(|p| {
                p.strip_prefix("cputype=")
                    .or((!p.contains('=')).then_some(p))
            })
            .unwrap_or("");
        let (a, b) = (ctx.cl.cpu_model(&ctx.node), ctx.cl.cpu_model(target));
        if ty == "host" && a != b {
            term.err(format!(
                "WARNING: VM {vmid} uses 'cpu: host' and the CPU models of '{}' ({a}) and '{target}' ({b}) differ - the guest may freeze or crash after the live migration (pvesim)",
                ctx.node
            ));
        }
    }
    migrate_task(ctx, vmid, target, &opts, &map, hook, term)
}

struct Task<'t> {
    ts: String,
    term: &'t mut Term,
}

impl Task<'_> {
    fn log(&mut self, s: impl AsRef<str>) {
        for l in s.as_ref().split('\n') {
            self.term.out(format!("{} {l}", self.ts));
        }
    }
    fn raw(&mut self, s: impl Into<String>) {
        self.term.out(s.into());
    }
}

#[allow(clippy::too_many_arguments)]
fn migrate_task(
    ctx: &Ctx,
    vmid: u32,
    target: &str,
    opts: &MigrateOpts,
    map: &StorageMap,
    hook: Option<ReplicateHook>,
    term: &mut Term,
) -> GResult<()> {
    let mut t = Task {
        ts: ctx.zone.format(ctx.now),
        term,
    };
    let dur = "00:00:00";
    let aborted = |t: &mut Task, e: &str| -> GResult<()> {
        t.log(format!("ERROR: migration aborted (duration {dur}): {e}"));
        err("migration aborted")
    };
    let _mlock = crate::replication::migrate::lock_guest_for_migration(ctx.root(), vmid)
        .map_err(GuestError::Msg)?;
    let _clock = vm::lock_config(ctx.root(), &ctx.node, vmid)?;
    let pve = ctx.pve()?;
    let scfg = ctx.storage_cfg()?;
    let ip = ctx.cl.member_ip(target).unwrap_or_default();
    // prepare
    let mut cfg = match vm::load(&pve, &ctx.node, vmid, t.term) {
        Ok(c) => c,
        Err(e) => return aborted(&mut t, &e.to_string()),
    };
    let jobs = repl_jobs(ctx, vmid)?;
    let job = jobs.iter().find(|j| j.target == target).cloned();
    if job.as_ref().is_some_and(|j| j.remove_job) {
        return aborted(
            &mut t,
            "refusing to migrate replicated VM whose replication job is marked for removal",
        );
    }
    if let Some(l) = cfg.get("lock") {
        return aborted(&mut t, &format!("VM is locked ({l})"));
    }
    let running = vm::run_state(ctx.cl, &ctx.node, vmid).is_some();
    let online = running && opts.online;
    if running {
        if !opts.online {
            return aborted(&mut t, "can't migrate running VM without --online");
        }
        if !jobs.is_empty() && job.is_none() {
            if !opts.force {
                return aborted(&mut t, &format!("Cannot live-migrate replicated VM to node '{target}' - not a replication target. Use 'force' to override."));
            }
            t.log(format!("WARNING: Node '{target}' is not a replication target. Existing replication jobs will fail after migration!"));
        }
        if !opts.with_conntrack_state {
            t.log("conntrack state migration not supported or disabled, active connections might get dropped");
        }
    }
    let devs = local_devices(&cfg, running);
    if !devs.is_empty() {
        if !opts.force {
            return aborted(
                &mut t,
                &format!(
                    "can't migrate VM which uses local devices: {}",
                    devs.join(", ")
                ),
            );
        }
        t.log("migrating VM which uses local devices");
    }
    let refs = collect_refs(&cfg);
    for volid in refs.keys() {
        let Some((sid, _)) = parse_volid(volid) else {
            continue;
        };
        let content = content_of(&scfg, volid);
        let is_shared = scfg.get(sid).map(|s| s.shared()).unwrap_or(false);
        let tsid = if is_shared {
            sid.to_string()
        } else {
            map.map(sid)
        };
        if let Err(e) = check_storage_for(&scfg, sid, &tsid, &ctx.node, target, volid, &content) {
            return aborted(&mut t, &e);
        }
    }
    if !ctx.cl.reach(&ctx.node, target) {
        let pre = ssh_prefix(ctx, target, &ip)?;
        t.log(format!("# {pre} /bin/true"));
        t.log(format!(
            "ssh: connect to host {ip} port 22: No route to host"
        ));
        return aborted(
            &mut t,
            "Can't connect to destination address using public key",
        );
    }

    // phase 1
    t.log(format!(
        "starting migration of VM {vmid} to node '{target}' ({ip})"
    ));
    cfg.set("lock", "migrate");
    vm::save(&pve, &ctx.node, vmid, &cfg)?;
    let mut copied: Vec<(String, String)> = Vec::new(); // (tsid, volname) on target
    let phase1 = (|| -> Phase1Result {
        let (locals, _) = scan_volumes(
            ctx,
            &scfg,
            &cfg,
            vmid,
            target,
            map,
            running,
            opts,
            job.is_some(),
            &mut t,
        )?;
        // size updates for attached local volumes
        let mut changed = false;
        for (key, mut d) in cfg.drives() {
            if key == "efidisk0" || key == "tpmstate0" {
                continue;
            }
            let Some(volid) = d.volid().map(String::from) else {
                continue;
            };
            if !locals.contains_key(&volid) || d.is_cdrom() {
                continue;
            }
            if let Ok(Some(rec)) = ctx.volume(&scfg, &volid, &ctx.node) {
                let old = d.size().unwrap_or(0);
                if rec.size != old {
                    t.log(format!(
                        "drive '{key}': size of disk '{volid}' updated from {} to {}",
                        crate::storage::size::format_disk_size(old),
                        crate::storage::size::format_disk_size(rec.size)
                    ));
                    d.set_size(rec.size);
                    cfg.set(&key, d.to_text());
                    changed = true;
                }
            }
        }
        if changed {
            vm::save(&pve, &ctx.node, vmid, &cfg).map_err(|e| e.to_string())?;
        }
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        if let Some(j) = &job {
            if online {
                for (k, d) in cfg.drives() {
                    if let Some(v) = d.volid() {
                        if locals.get(v).is_some_and(|l| l.replicated && l.online) {
                            t.log(format!(
                                "{k}: start tracking writes using block-dirty-bitmap 'repl_{k}'"
                            ));
                        }
                    }
                }
            }
            t.log("replicating disk images");
            let run = match hook {
                Some(h) => h(ctx, &j.id),
                None => crate::replication::migrate::run_job_for_migration(
                    ctx.root(),
                    &ctx.node,
                    &j.id,
                    ctx.now,
                    &ctx.zone,
                ),
            };
            match run {
                Ok(lines) => {
                    for l in lines {
                        t.log(l);
                    }
                }
                Err((lines, e)) => {
                    for l in lines {
                        t.log(l);
                    }
                    return Err(e);
                }
            }
            for (volid, l) in &locals {
                if l.replicated {
                    let (sid, vn) = parse_volid(volid).unwrap();
                    let there = scfg
                        .get(sid)
                        .map(|st| Instance::open(ctx.root(), st, target).exists(vn))
                        .unwrap_or(false);
                    if !there {
                        return Err(format!(
                            "expected volume '{volid}' to get replicated, but it wasn't"
                        ));
                    }
                }
            }
        }
        let offline: Vec<(&String, &LocalVol)> = locals
            .iter()
            .filter(|(_, l)| !l.replicated && !l.online && !l.path_only)
            .collect();
        if !offline.is_empty() {
            t.log("copying local disk images");
        }
        for (volid, l) in offline {
            let (sid, vn) = parse_volid(volid).unwrap();
            let tsid = map.map(sid);
            let src = Instance::open(ctx.root(), scfg.get(sid).unwrap(), &ctx.node);
            let dst = Instance::open(ctx.root(), scfg.get(&tsid).unwrap(), target);
            let bw = bwlimit_kib(ctx, &scfg, &[sid.to_string(), tsid.clone()], opts.bwlimit);
            let topts = TransferOpts {
                bwlimit_bytes: bw.map(|b| b * 1024),
                insecure_target: (opts.migration_type.as_deref() == Some("insecure"))
                    .then(|| target.to_string()),
            };
            let mut lines = Vec::new();
            let res = migration_copy(
                &src,
                &dst,
                vn,
                l.kind != "generated",
                &topts,
                ctx.now,
                &mut lines,
            );
            for line in lines {
                t.log(line);
            }
            match res {
                Ok(new) => {
                    let (_, nvn) = parse_volid(&new).unwrap();
                    copied.push((tsid.clone(), nvn.to_string()));
                    t.log(format!("volume '{volid}' is '{new}' on the target"));
                    renamed.insert(volid.clone(), new);
                }
                Err(e) => {
                    return Err(format!(
                        "storage migration for '{volid}' to storage '{tsid}' failed - {e}"
                    ))
                }
            }
        }
        Ok((locals, renamed))
    })();
    let (locals, mut renamed) = match phase1 {
        Ok(x) => x,
        Err(e) => {
            t.log(format!("ERROR: {e}"));
            t.log("aborting phase 1 - cleanup resources");
            cfg.remove("lock");
            let _ = vm::save(&pve, &ctx.node, vmid, &cfg);
            for (tsid, vn) in &copied {
                if let Some(st) = scfg.get(tsid) {
                    let _ = Instance::open(ctx.root(), st, target).remove(vn);
                }
            }
            return aborted(&mut t, &e);
        }
    };

    // phase 2
    let mut mirrored: Vec<(String, String, String)> = Vec::new(); // key, old volid, new volid
    let mut mirrored_replica: BTreeSet<String> = BTreeSet::new();
    if online {
        let target_quorate = ctx.cl.quorate(target);
        t.log(format!("starting VM {vmid} on remote node '{target}'"));
        let mut allocated: Vec<(String, String)> = Vec::new();
        for (k, d) in cfg.drives() {
            let Some(volid) = d.volid().map(String::from) else {
                continue;
            };
            let Some(l) = locals.get(&volid) else {
                continue;
            };
            if !l.online {
                continue;
            }
            let (sid, vn) = parse_volid(&volid).unwrap();
            let tsid = map.map(sid);
            let new = if l.replicated {
                mirrored_replica.insert(k.clone());
                volid.clone()
            } else {
                let dst = Instance::open(ctx.root(), scfg.get(&tsid).unwrap(), target);
                let src_rec = Instance::open(ctx.root(), scfg.get(sid).unwrap(), &ctx.node)
                    .get(vn)?
                    .unwrap();
                let fmt = if dst
                    .storage
                    .supported_formats()
                    .contains(&src_rec.format.as_str())
                {
                    src_rec.format.clone()
                } else {
                    dst.storage.default_format().to_string()
                };
                let rec = dst.alloc(vmid, None, src_rec.size, &fmt, ctx.now)?;
                allocated.push((tsid.clone(), rec.volname().to_string()));
                rec.volid
            };
            t.log(format!("volume '{volid}' is '{new}' on the target"));
            mirrored.push((k, volid, new));
        }
        if !target_quorate {
            let e = "can't open tunnel - no quorum on target node";
            t.log(format!("ERROR: online migrate failure - {e}"));
            t.log("aborting phase 2 - cleanup resources");
            t.log("migrate_cancel");
            for (tsid, vn) in &allocated {
                if let Some(st) = scfg.get(tsid) {
                    let _ = Instance::open(ctx.root(), st, target).remove(vn);
                }
            }
            cfg.remove("lock");
            let _ = vm::save(&pve, &ctx.node, vmid, &cfg);
            t.log(format!(
                "ERROR: migration finished with problems (duration {dur})"
            ));
            return err("migration problems");
        }
        t.log("start remote tunnel");
        t.log("ssh tunnel ver 1");
        if !mirrored.is_empty() {
            t.log("starting storage migration");
            let bw = bwlimit_kib(
                ctx,
                &scfg,
                &mirrored
                    .iter()
                    .map(|(_, v, _)| parse_volid(v).unwrap().0.to_string())
                    .collect::<Vec<_>>(),
                opts.bwlimit,
            );
            for (k, v, _) in &mirrored {
                t.log(format!("{k}: start migration to nbd:unix:/run/qemu-server/{vmid}_nbd.migrate:exportname=drive-{k}"));
                if locals.get(v).is_some_and(|l| l.replicated) {
                    t.raw(format!("drive mirror re-using dirty bitmap 'repl_{k}'"));
                }
                match bw {
                    Some(b) => t.raw(format!(
                        "drive mirror is starting for drive-{k} with bandwidth limit: {b} KiB/s"
                    )),
                    None => t.raw(format!("drive mirror is starting for drive-{k}")),
                }
                let size = cfg
                    .get(k)
                    .and_then(|x| Drive::parse(x).ok())
                    .and_then(|d| d.size())
                    .unwrap_or(0);
                let s = render_bytes(size);
                t.raw(format!(
                    "drive-{k}: transferred {s} of {s} (100.00%) in 0s, ready"
                ));
            }
            t.raw("all 'mirror' jobs are ready");
            t.log("switching mirror jobs to actively synced mode");
            for (k, _, _) in &mirrored {
                t.raw(format!("drive-{k}: switching to actively synced mode"));
                t.raw(format!(
                    "drive-{k}: successfully switched to actively synced mode"
                ));
            }
        }
        let uri = if opts.migration_type.as_deref() == Some("insecure") {
            format!("tcp:{ip}:60000")
        } else {
            format!("unix:/run/qemu-server/{vmid}.migrate")
        };
        t.log(format!("starting online/live migration on {uri}"));
        t.log("set migration capabilities");
        let ram_limit = {
            let base = match opts.bwlimit {
                Some(b) => b,
                None => datacenter_bwlimit(ctx).unwrap_or(0),
            };
            let ms = cfg
                .get("migrate_speed")
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
                * 1024;
            match (base, ms) {
                (0, m) => m,
                (b, 0) => b,
                (b, m) => b.min(m),
            }
        };
        if ram_limit > 0 {
            t.log(format!(
                "migration speed limit: {}/s",
                render_bytes(ram_limit * 1024)
            ));
        }
        let downtime = cfg
            .get("migrate_downtime")
            .and_then(|v| v.parse::<f64>().ok())
            .map(|d| ((d * 1000.0) as u64).min(2_000_000))
            .unwrap_or(100);
        t.log(format!("migration downtime limit: {downtime} ms"));
        let mem = {
            let m = cfg.get("memory").unwrap_or("512");
            m.strip_prefix("current=")
                .unwrap_or(m)
                .split(',')
                .next()
                .unwrap_or("512")
                .parse::<u64>()
                .unwrap_or(512)
                * 1_048_576
        };
        t.log(format!(
            "migration cachesize: {}",
            render_bytes(mem.div_ceil(10).next_power_of_two())
        ));
        t.log("set migration parameters");
        t.log(format!("start migrate command to {uri}"));
        t.log(format!(
            "migration active, transferred {} of {} VM-state, {}/s",
            render_bytes(mem),
            render_bytes(mem),
            render_bytes(1_073_741_824)
        ));
        t.log(format!(
            "migration completed, transferred {} VM-state",
            render_bytes(mem)
        ));
        t.log("migration status: completed");
        if !mirrored.is_empty() {
            t.raw("all 'mirror' jobs are ready");
            for (k, _, _) in &mirrored {
                t.raw(format!("drive-{k}: Completing block job..."));
                t.raw(format!("drive-{k}: Completed successfully."));
                t.raw(format!("drive-{k}: mirror-job finished"));
            }
        }
        // the target copies take the source's size and generation
        for (_, old, new) in &mirrored {
            let (sid, vn) = parse_volid(old).unwrap();
            let (tsid, tvn) = parse_volid(new).unwrap();
            let src = Instance::open(ctx.root(), scfg.get(sid).unwrap(), &ctx.node);
            let dst = Instance::open(ctx.root(), scfg.get(tsid).unwrap(), target);
            if let (Some(s), Some(mut d)) = (src.get(vn)?, dst.get(tvn)?) {
                d.size = s.size;
                d.generation = s.generation;
                dst.put(&d)?;
            }
        }
    }

    // phase 3
    for (k, old, new) in &mirrored {
        if mirrored_replica.contains(k) {
            continue;
        }
        if let Some(mut d) = cfg.get(k).and_then(|v| Drive::parse(v).ok()) {
            let (tsid, _) = parse_volid(new).unwrap();
            let dst_st = scfg.get(tsid).unwrap();
            let fmt = ctx
                .volume(&scfg, old, &ctx.node)
                .ok()
                .flatten()
                .map(|r| r.format)
                .filter(|f| dst_st.supported_formats().contains(&f.as_str()))
                .unwrap_or_else(|| dst_st.default_format().to_string());
            d.file = new.clone();
            d.props.set("format", fmt);
            cfg.set(k, d.to_text());
        }
        renamed.remove(old);
    }
    if !renamed.is_empty() {
        replace_volids(&mut cfg, &renamed);
    }
    for (_, old, new) in &mirrored {
        if old != new {
            let mut m = BTreeMap::new();
            m.insert(old.clone(), new.clone());
            replace_volids_except_main_drives(&mut cfg, &m);
        }
    }
    vm::save(&pve, &ctx.node, vmid, &cfg)?;
    let mut problems = false;
    if !jobs.is_empty() {
        match crate::replication::migrate::transfer_state(ctx.root(), vmid, &ctx.node, target) {
            Ok(json) => {
                let pre = ssh_prefix(ctx, target, &ip)?;
                t.log(format!("# {pre} pvesr set-state {vmid} \\''{json}'\\'"));
            }
            Err(e) => {
                t.log(format!("ERROR: transfer replication state failed - {e}"));
                problems = true;
            }
        }
    }
    if let Err(e) = pve.rename(&vm::conf_rel(&ctx.node, vmid), &vm::conf_rel(target, vmid)) {
        t.log(format!(
            "ERROR: failed to move config file to node '{target}': {e}"
        ));
        t.log(format!(
            "ERROR: migration finished with problems (duration {dur})"
        ));
        return err("migration problems");
    }
    if !jobs.is_empty() {
        if let Err(e) = switch_jobs(ctx, &pve, vmid, &ctx.node, target) {
            t.log(format!("ERROR: switch replication job target failed - {e}"));
            problems = true;
        }
    }
    if online {
        if !mirrored.is_empty() {
            t.log("stopping NBD storage migration server on target.");
        }
        let rs = vm::run_state(ctx.cl, &ctx.node, vmid);
        vm::set_stopped(ctx.root(), &ctx.node, vmid)?;
        let mut new_rs = vm::set_running(ctx.root(), target, vmid, ctx.now)?;
        if let Some(rs) = rs {
            new_rs.started = rs.started;
            new_rs.status = rs.status;
            vm::write_run(ctx.root(), target, vmid, &new_rs)?;
        }
    }
    for (volid, l) in &locals {
        if l.replicated || l.path_only {
            continue;
        }
        let (sid, vn) = parse_volid(volid).unwrap();
        if let Some(st) = scfg.get(sid) {
            if let Err(e) = Instance::open(ctx.root(), st, &ctx.node).remove(vn) {
                t.log(format!(
                    "ERROR: removing local copy of '{volid}' failed - {e}"
                ));
                problems = true;
            }
        }
    }
    // clear the migrate lock on the target
    let tpve = ctx.pve_of(target)?;
    let mut moved = cfg.clone();
    moved.remove("lock");
    if let Err(e) = tpve.write(&vm::conf_rel(target, vmid), &moved.write()) {
        let pre = ssh_prefix(ctx, target, &ip)?;
        t.log(format!("# {pre} qm unlock {vmid}"));
        t.log(format!("ERROR: failed to clear migrate lock: {e}"));
        problems = true;
    }
    if problems {
        t.log(format!(
            "ERROR: migration finished with problems (duration {dur})"
        ));
        return err("migration problems");
    }
    t.log(format!("migration finished successfully (duration {dur})"));
    Ok(())
}

/// Replace volids throughout the config (all sections).
fn replace_volids(cfg: &mut VmConfig, m: &BTreeMap<String, String>) {
    let fix = |k: &str, v: &mut String| {
        if is_drive_key(k) {
            if let Ok(mut d) = Drive::parse(v) {
                if let Some(n) = m.get(&d.file) {
                    d.file = n.clone();
                    *v = d.to_text();
                }
            }
        } else if is_unused_key(k) || k == "vmstate" {
            if let Some(n) = m.get(v.as_str()) {
                *v = n.clone();
            }
        }
    };
    for sec in std::iter::once(&mut cfg.main)
        .chain(std::iter::once(&mut cfg.pending))
        .chain(cfg.snapshots.values_mut())
    {
        for (k, v) in sec.keys.iter_mut() {
            fix(k, v);
        }
    }
}

fn replace_volids_except_main_drives(cfg: &mut VmConfig, m: &BTreeMap<String, String>) {
    let main_drives: BTreeMap<String, String> = cfg
        .main
        .keys
        .iter()
        .filter(|(k, _)| is_drive_key(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    replace_volids(cfg, m);
    for (k, v) in main_drives {
        cfg.main.keys.insert(k, v);
    }
}

/// Flip the guest's replication jobs after a migration src → dst (5.4 step 4.4).
pub fn switch_jobs(
    ctx: &Ctx,
    _pve: &crate::store::PveFs,
    vmid: u32,
    src: &str,
    dst: &str,
) -> GResult<()> {
    crate::replication::migrate::switch_jobs(ctx.root(), &ctx.node, vmid, src, dst)
        .map_err(GuestError::Msg)
}

/// The volume scan of 5.4.1: logs the `found` and problem lines; returns the
/// local volumes or the phase error.
#[allow(clippy::too_many_arguments)]
fn scan_volumes(
    ctx: &Ctx,
    scfg: &StorageConfig,
    cfg: &VmConfig,
    vmid: u32,
    target: &str,
    map: &StorageMap,
    running: bool,
    opts: &MigrateOpts,
    has_job: bool,
    t: &mut Task,
) -> Result<(BTreeMap<String, LocalVol>, ()), String> {
    let refs = collect_refs(cfg);
    let mut locals: BTreeMap<String, LocalVol> = BTreeMap::new();
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    let mut other: Vec<String> = Vec::new();
    for (file, r) in &refs {
        // rule 1
        if file.starts_with('/') {
            if r.shared_flag {
                continue;
            }
            locals.insert(
                file.clone(),
                LocalVol {
                    kind: "config",
                    replicated: false,
                    online: false,
                    path_only: true,
                },
            );
            problems.insert(file.clone(), "local file/device".into());
            continue;
        }
        // rule 2
        if file == "cdrom" {
            let mut p = "can't migrate local cdrom drive".to_string();
            if !r.snapshots.is_empty() && r.attached.is_empty() {
                let names: Vec<&str> = r.snapshots.iter().map(|s| s.as_str()).collect();
                p.push_str(&format!(" (referenced in snapshot - {})", names.join(", ")));
            }
            other.push(p);
            continue;
        }
        if file == "none" {
            continue;
        }
        let Some((sid, volname)) = parse_volid(file) else {
            continue;
        };
        // rule 3
        let content = content_of(scfg, file);
        let is_shared = scfg.get(sid).map(|s| s.shared()).unwrap_or(false);
        let tsid = if is_shared {
            sid.to_string()
        } else {
            map.map(sid)
        };
        if let Err(e) = check_storage_for(scfg, sid, &tsid, &ctx.node, target, file, &content) {
            problems.insert(file.clone(), e);
            continue;
        }
        let st = scfg.get(sid).unwrap();
        // rule 4
        if st.shared() {
            continue;
        }
        // rule 5
        let kind = if r.tpmstate {
            "generated"
        } else if !r.attached.is_empty() {
            "attached"
        } else if r.unused {
            "unused"
        } else if !r.snapshots.is_empty() {
            "snapshot"
        } else {
            "pending"
        };
        let vn = parse_volname(&st.ty, volname);
        let owner = vn.as_ref().and_then(|v| v.owner);
        let replicated = has_job
            && st.ty == "zfspool"
            && owner == Some(vmid)
            && vn.as_ref().is_some_and(|v| v.content == "images")
            && r.replicate
            && !r.cdrom;
        let mut lv = LocalVol {
            kind,
            replicated,
            online: running && opts.online && kind == "attached",
            path_only: false,
        };
        // rule 6
        let inst = Instance::open(ctx.root(), st, &ctx.node);
        let rec = if ctx.visible(&inst) {
            inst.get(volname).map_err(|e| e.to_string())?
        } else {
            None
        };
        let Some(_rec) = rec else {
            locals.insert(file.clone(), lv);
            let p = if st.file_based() {
                t.term
                    .err(format!("failed to stat '{}'", inst.file_path(volname)));
                format!("unable to determine size for volume '{file}'")
            } else {
                inst.missing_error(volname, 300)
            };
            problems.insert(file.clone(), p);
            continue;
        };
        // rule 7
        if r.cdrom {
            if volname.contains(&format!("vm-{vmid}-cloudinit")) {
                lv.kind = "generated";
                lv.online = false;
                locals.insert(file.clone(), lv);
            } else {
                locals.insert(file.clone(), lv);
                problems.insert(file.clone(), "local cdrom image".into());
            }
            continue;
        }
        if vn
            .as_ref()
            .is_some_and(|v| v.content != "images" && v.content != "rootdir")
        {
            locals.insert(file.clone(), lv);
            problems.insert(file.clone(), "local cdrom image".into());
            continue;
        }
        // rule 8
        if owner != Some(vmid) {
            locals.insert(file.clone(), lv);
            problems.insert(
                file.clone(),
                format!("owned by other VM (owner = VM {})", owner.unwrap_or(0)),
            );
            continue;
        }
        // rule 9
        if !r.vmstate && !r.snapshots.is_empty() {
            let fmt = vn.as_ref().map(|v| v.format.as_str()).unwrap_or("raw");
            if running && opts.online && !replicated {
                locals.insert(file.clone(), lv);
                problems.insert(
                    file.clone(),
                    "online storage migration not possible if non-replicated snapshot exists"
                        .into(),
                );
                continue;
            }
            let ok = st.ty == "zfspool"
                || (st.file_based() && st.ty != "btrfs" && fmt == "qcow2")
                || (st.ty == "btrfs" && fmt == "raw");
            if !ok {
                locals.insert(file.clone(), lv);
                problems.insert(file.clone(), "non-migratable snapshot exists".into());
                continue;
            }
        }
        if r.tpmstate {
            lv.online = false;
        }
        locals.insert(file.clone(), lv);
    }
    // rule 11: found lines
    for (volid, l) in &locals {
        let what = if l.replicated {
            "local, replicated disk"
        } else {
            "local disk"
        };
        let line = match l.kind {
            "attached" => format!("found {what} '{volid}' (attached)"),
            "unused" => format!("found {what} '{volid}' (unused)"),
            "snapshot" => format!("found {what} '{volid}' (referenced by snapshot(s))"),
            "pending" => format!("found {what} '{volid}' (pending change)"),
            "generated" => format!("found generated disk '{volid}' (in current VM config)"),
            _ => format!("found local disk '{volid}'"),
        };
        t.log(line);
        if running && !opts.with_local_disks && l.kind == "attached" {
            problems.insert(
                volid.clone(),
                "can't live migrate attached local disks without with-local-disks option".into(),
            );
        }
    }
    for (volid, p) in &problems {
        t.log(format!("can't migrate local disk '{volid}': {p}"));
    }
    for p in &other {
        t.log(p);
    }
    if !problems.is_empty() || !other.is_empty() {
        return Err("Problem found while scanning volumes - can't migrate VM - check log".into());
    }
    for (volid, l) in &locals {
        if l.path_only {
            continue;
        }
        let (sid, vn) = parse_volid(volid).unwrap();
        let st = scfg.get(sid).unwrap();
        if !matches!(
            st.ty.as_str(),
            "dir" | "btrfs" | "zfspool" | "lvmthin" | "lvm"
        ) {
            return Err(format!(
                "Problem found while scanning volumes - can't migrate '{volid}' - storage type '{}' not supported",
                st.ty
            ));
        }
        if let Some(b) = parse_volname(&st.ty, vn).and_then(|v| v.base) {
            return Err(format!(
                "Problem found while scanning volumes - can't migrate '{volid}' as it's a clone of '{b}'"
            ));
        }
    }
    Ok((locals, ()))
}
