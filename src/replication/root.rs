//! The replication runner over the state root: [`RootEnv`] implements the
//! runner's [`Env`] with the cluster's `/etc/pve` (replication.cfg,
//! storage.cfg, datacenter.cfg, guest configs), the node-local state file
//! and job logs, and the storage model's volumes; the target-side
//! procedures (`prepare-local-job`, `finalize-local-job`) run directly
//! against the target node's volumes.

use super::config::{ReplicationConfig, FILE as CONFIG_FILE};
use super::job::Job;
use super::localtime::Zone;
use super::runner::{
    self, chomp, fail, Env, Error, GuestInfo, PrepareArgs, SnapInfo, SnapMap, SnapshotStore,
    Transport,
};
use super::state::{self, StateFile};
use super::volumes::{parse_volname, split_volid, GuestConf, StorageInfo, VmType};
use crate::storage::transfer::{self, TransferOpts};
use crate::storage::{Instance, StorageConfig};
use crate::store::{read_opt, write_atomic, LockGuard, PveFs, Root, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

/// Name of the cluster lock of replication.cfg.
pub const CONFIG_LOCK: &str = "file-replication_cfg";

/// A cluster member as the local node sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberInfo {
    /// Powered and in the local node's partition.
    pub online: bool,
    /// The cluster address (ring0).
    pub ip: String,
    /// Every address of the machine (for replication/migration networks).
    pub addresses: Vec<String>,
}

/// What the cluster layer tells a node about the cluster.
#[derive(Debug, Clone, Default)]
pub struct ClusterInfo {
    pub quorate: bool,
    pub members: BTreeMap<String, MemberInfo>,
    pub guests: BTreeMap<u32, GuestInfo>,
}

/// Path of a node's state file.
pub fn state_path(root: &Root, node: &str) -> PathBuf {
    root.node_local(node)
        .join("var/lib/pve-manager/pve-replication-state.json")
}

/// Path of a job's log file on a node.
pub fn log_path(root: &Root, node: &str, jobid: &str) -> PathBuf {
    root.node_local(node)
        .join("var/log/pve/replicate")
        .join(jobid)
}

fn store_err(e: StoreError) -> Error {
    fail(e.to_string())
}

/// Take the replication.cfg cluster lock as `node` (needs quorum).
pub fn lock_config(root: &Root, quorate: bool) -> Result<LockGuard, Error> {
    if !quorate {
        return Err(fail(format!("cfs-lock '{CONFIG_LOCK}' error: no quorum!")));
    }
    root.lock(CONFIG_LOCK, Duration::from_secs(10))
        .map_err(|e| match e {
            StoreError::LockTimeout { .. } => fail(format!(
                "cfs-lock '{CONFIG_LOCK}' error: got lock request timeout"
            )),
            other => store_err(other),
        })
}

/// Read replication.cfg through a node's view.
/// What the parser dropped is reported on stderr, as the real section-config
/// parser warns, each distinct warning once per process (a tick reads the
/// file every simulated minute).
pub fn read_config(pve: &PveFs) -> Result<ReplicationConfig, Error> {
    let text = pve
        .read(CONFIG_FILE)
        .map_err(store_err)?
        .unwrap_or_default();
    let cfg = ReplicationConfig::parse(&text);
    crate::store::warn_once(&cfg.warnings);
    Ok(cfg)
}

/// Write replication.cfg through a node's view (refused without quorum).
pub fn write_config(pve: &PveFs, cfg: &ReplicationConfig) -> Result<(), Error> {
    let text = cfg.write().map_err(fail)?;
    pve.write(CONFIG_FILE, &text).map_err(store_err)
}

/// Read a node's state file.
pub fn read_state(root: &Root, node: &str) -> Result<StateFile, Error> {
    let p = state_path(root, node);
    let text = read_opt(&p).map_err(|e| fail(e.to_string()))?;
    state::parse(&text.unwrap_or_default()).map_err(fail)
}

/// Write a node's state file (callers hold the state lock).
pub fn write_state(root: &Root, node: &str, st: &StateFile) -> Result<(), Error> {
    write_atomic(&state_path(root, node), state::write(st).as_bytes())
        .map_err(|e| fail(e.to_string()))
}

/// Remove every state entry of guest `vmid` from a node's state file, as
/// creating (or restoring) a VM with that ID does (pvesr.md §5, §22): a new
/// guest must not inherit the last sync of a destroyed one.
pub fn delete_guest_states(root: &Root, node: &str, vmid: u32) -> Result<(), Error> {
    let _lock = lock_state(root, node)?;
    let mut st = read_state(root, node)
        .map_err(|e| fail(format!("{}: {e}", state_path(root, node).display())))?;
    if st.remove(&vmid.to_string()).is_some() {
        write_state(root, node, &st)?;
    }
    Ok(())
}

/// Take a node's state lock (10 s).
pub fn lock_state(root: &Root, node: &str) -> Result<LockGuard, Error> {
    root.lock(
        &format!("pve-replication-state-{node}"),
        Duration::from_secs(10),
    )
    .map_err(store_err)
}

/// Take the guest migration lock (`timeout` 2 s for runs, 10 s for state).
pub fn lock_guest(root: &Root, vmid: u32, timeout: Duration) -> Result<LockGuard, Error> {
    root.lock(&format!("pve-migrate-{vmid}"), timeout)
        .map_err(|e| match e {
            StoreError::LockTimeout { .. } => fail(format!(
                "can't lock file '/var/lock/pve-manager/pve-migrate-{vmid}' - got timeout"
            )),
            other => store_err(other),
        })
}

/// The relative config path of a guest.
pub fn guest_conf_rel(node: &str, vmid: u32, vmtype: VmType) -> String {
    let dir = match vmtype {
        VmType::Qemu => "qemu-server",
        VmType::Lxc => "lxc",
    };
    format!("nodes/{node}/{dir}/{vmid}.conf")
}

/// Every guest config under `nodes/*/{qemu-server,lxc}` of a tree, as the
/// cluster's guest list has it (a VMID configured twice: the first node by
/// name, on one node the first type by name), VMIDs from 100.
pub fn scan_guests(root: &Root, pve: &PveFs) -> BTreeMap<u32, GuestInfo> {
    let Ok(homes) = crate::cluster::pmxcfs::current_guest_homes(root, pve.base(), &["qemu", "lxc"])
    else {
        return BTreeMap::new();
    };
    // one shared name per node: the list is copied whole for the runner
    let names: Vec<std::sync::Arc<str>> = homes
        .node_names()
        .iter()
        .map(|n| n.as_str().into())
        .collect();
    homes
        .iter()
        .filter(|(vmid, _, _)| *vmid >= 100)
        .map(|(vmid, node, kind)| {
            let vmtype = if kind == "lxc" {
                VmType::Lxc
            } else {
                VmType::Qemu
            };
            (
                vmid,
                GuestInfo {
                    node: names[node].clone(),
                    vmtype,
                },
            )
        })
        .collect()
}

/// Transport settings from datacenter.cfg.
pub fn read_transport(pve: &PveFs) -> Transport {
    let o = pve
        .datacenter()
        .map(|dc| dc.replication())
        .unwrap_or_default();
    Transport {
        insecure: !o.secure,
        network: o.network,
    }
}

/// Whether `ip` (IPv4) is inside `cidr`.
pub fn ip_in_cidr(ip: &str, cidr: &str) -> bool {
    let parse = |s: &str| -> Option<u32> {
        let o: Vec<u32> = s
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        (o.len() == 4 && o.iter().all(|x| *x < 256))
            .then(|| o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3])
    };
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Some(a), Some(n), Ok(bits)) = (parse(ip), parse(net), bits.parse::<u32>()) else {
        return false;
    };
    if bits > 32 {
        return false;
    }
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    a & mask == n & mask
}

/// One node's side of the world: its `/etc/pve` view, its cluster view and
/// its storage configuration.
#[derive(Debug, Clone)]
pub struct NodeCtx {
    pub root: Root,
    pub node: String,
    pub pve: PveFs,
    pub info: ClusterInfo,
    pub storage: StorageConfig,
}

impl NodeCtx {
    pub fn new(root: &Root, node: &str, pve: PveFs, info: ClusterInfo) -> NodeCtx {
        let storage =
            crate::storage::load_config(&pve).unwrap_or_else(|_| StorageConfig::parse(""));
        NodeCtx {
            root: root.clone(),
            node: node.to_string(),
            pve,
            info,
            storage,
        }
    }

    fn storage_info(&self, sid: &str) -> Option<StorageInfo> {
        let st = self.storage.get(sid)?;
        Some(StorageInfo {
            ty: st.ty.clone(),
            shared: st.shared(),
            disabled: st.disabled(),
            nodes: st.nodes(),
        })
    }

    /// The instance of a volume's storage on this node, if usable.
    fn instance(&self, sid: &str) -> Option<Instance> {
        let st = self.storage.get(sid)?;
        Some(Instance::open(&self.root, st, &self.node))
    }

    fn snapshots(&self, volid: &str) -> BTreeMap<String, SnapInfo> {
        let Some((sid, volname)) = split_volid(volid) else {
            return BTreeMap::new();
        };
        let Some(inst) = self.instance(sid) else {
            return BTreeMap::new();
        };
        match inst.get(volname) {
            Ok(Some(rec)) => rec
                .snaps
                .iter()
                .map(|s| (s.name.clone(), Some((s.id, s.ctime))))
                .collect(),
            _ => BTreeMap::new(),
        }
    }

    fn delete_snap(&self, volid: &str, snap: &str) -> Result<(), Error> {
        let (sid, volname) = split_volid(volid)
            .ok_or_else(|| fail(format!("unable to parse volume ID '{volid}'")))?;
        let inst = self
            .instance(sid)
            .ok_or_else(|| fail(format!("storage '{sid}' does not exist")))?;
        match inst.delete_snapshot(volname, snap) {
            Ok(true) => Ok(()),
            Ok(false) => Err(fail(format!(
                "could not find any snapshots to destroy; check snapshot names. ({}@{snap})",
                inst.zfs_path(volname)
            ))),
            Err(e) => Err(fail(e.to_string())),
        }
    }
}

impl SnapshotStore for NodeCtx {
    fn list_snapshots(&mut self, volid: &str) -> BTreeMap<String, SnapInfo> {
        self.snapshots(volid)
    }
    fn delete_snapshot(&mut self, volid: &str, snap: &str) -> Result<(), Error> {
        self.delete_snap(volid, snap)
    }
}

/// Check a volid on the target as §16.1 step 5 does; returns its storage id.
fn check_target_volid(ctx: &NodeCtx, guest: u32, volid: &str) -> Result<String, Error> {
    let (sid, volname) =
        split_volid(volid).ok_or_else(|| fail(format!("unable to parse volume ID '{volid}'")))?;
    let st = ctx
        .storage
        .get(sid)
        .ok_or_else(|| fail(format!("storage '{sid}' does not exist")))?;
    if st.disabled() {
        return Err(fail(format!("storage '{sid}' is disabled")));
    }
    if st.check_node(&ctx.node).is_err() {
        return Err(fail(format!(
            "storage '{sid}' is not available on node '{}'",
            ctx.node
        )));
    }
    if st.ty != "zfspool" {
        return Err(fail(format!("storage '{sid}' is not replicatable")));
    }
    let info = parse_volname(volname);
    if info.vtype != "images" {
        return Err(fail(format!(
            "volume '{volid}' has wrong vtype ({} != 'images')",
            info.vtype
        )));
    }
    if info.owner != Some(guest) {
        return Err(fail(format!("volume '{volid}' has wrong owner")));
    }
    Ok(sid.to_string())
}

/// `pvesr prepare-local-job` on the target (§16.1). `log` receives the
/// stderr lines. Returns the snapshot map printed as JSON.
pub fn prepare_local_job(
    ctx: &mut NodeCtx,
    args: &PrepareArgs,
    log: &mut dyn FnMut(&str),
) -> Result<SnapMap, Error> {
    if !args.force && args.volids.is_empty() {
        return Err(fail("no volumes specified"));
    }
    if ctx
        .info
        .guests
        .get(&args.guest)
        .is_some_and(|g| *g.node == *ctx.node)
    {
        return Err(fail(format!("guest '{}' is on local node", args.guest)));
    }
    let mut scan: BTreeSet<String> = BTreeSet::new();
    for sid in &args.scan {
        let Some(st) = ctx.storage.get(sid) else {
            continue;
        };
        if st.disabled() || st.check_node(&ctx.node).is_err() {
            continue;
        }
        if st.ty != "zfspool" {
            return Err(fail(format!("storage '{sid}' is not replicatable")));
        }
        scan.insert(sid.clone());
    }
    let mut wanted = BTreeSet::new();
    for volid in &args.volids {
        let sid = check_target_volid(ctx, args.guest, volid)?;
        wanted.insert(volid.clone());
        scan.insert(sid);
    }
    let mut existing: Vec<String> = Vec::new();
    for sid in &scan {
        let Some(inst) = ctx.instance(sid) else {
            continue;
        };
        for rec in inst.list().map_err(|e| fail(e.to_string()))? {
            if parse_volname(rec.volname()).owner == Some(args.guest) {
                existing.push(rec.volid.clone());
            }
        }
    }
    let (mut result, cleaned) = runner::prepare(
        ctx,
        &existing,
        Some(&args.jobid),
        args.last_sync,
        args.parent.as_deref(),
        log,
    );
    let marker = format!("__replicate_{}", args.jobid);
    for volid in &existing {
        if wanted.contains(volid) {
            continue;
        }
        let has_job_snap = result
            .get(volid)
            .is_some_and(|m| m.keys().any(|n| n.starts_with(&marker)));
        if cleaned.contains(volid) || has_job_snap {
            log(&format!("{}: delete stale volume '{volid}'", args.jobid));
            if let Some((sid, volname)) = split_volid(volid) {
                if let Some(inst) = ctx.instance(sid) {
                    inst.remove(volname).map_err(|e| fail(e.to_string()))?;
                }
            }
            result.remove(volid);
        }
    }
    Ok(result)
}

/// `pvesr finalize-local-job` on the target (§16.2).
pub fn finalize_local_job(
    ctx: &mut NodeCtx,
    jobid: &str,
    guest: u32,
    volids: &[String],
    last_sync: i64,
    log: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    if ctx
        .info
        .guests
        .get(&guest)
        .is_some_and(|g| *g.node == *ctx.node)
    {
        return Err(fail(format!("guest '{guest}' is on local node")));
    }
    if volids.is_empty() {
        return Err(fail("no volumes specified"));
    }
    for v in volids {
        check_target_volid(ctx, guest, v)?;
    }
    let mut sorted = volids.to_vec();
    sorted.sort();
    runner::prepare(ctx, &sorted, Some(jobid), last_sync, None, log);
    Ok(())
}

/// The JSON line prepare-local-job prints.
pub fn snapmap_json(m: &SnapMap) -> String {
    let mut obj = serde_json::Map::new();
    for (volid, snaps) in m {
        let mut s = serde_json::Map::new();
        for (name, info) in snaps {
            let v = match info {
                Some((id, ts)) => serde_json::json!({"id": id, "timestamp": ts}),
                None => serde_json::json!(1),
            };
            s.insert(name.clone(), v);
        }
        obj.insert(volid.clone(), serde_json::Value::Object(s));
    }
    serde_json::Value::Object(obj).to_string()
}

/// Opens the node context of another node (for remote procedures).
pub type NodeOpener<'a> = dyn Fn(&str) -> Result<NodeCtx, Error> + 'a;

/// Where a run's log lines go besides the job log file.
#[derive(Default)]
pub struct LogSinks {
    /// Bare messages (for `pvesr run --verbose` and the migration log).
    pub echo: Option<Vec<String>>,
}

/// The runner environment over the state root, as seen from one node.
pub struct RootEnv<'a> {
    pub ctx: NodeCtx,
    pub zone: Zone,
    pub transport: Transport,
    open_node: &'a NodeOpener<'a>,
    /// Log file handles are reopened per line; this remembers which logs
    /// were started in this run.
    pub sinks: LogSinks,
    /// The time log lines are stamped with.
    pub now: i64,
    /// replication.cfg as read at the first use (callers hold the lock).
    jobs_cache: Option<ReplicationConfig>,
    guest_lock: Option<LockGuard>,
}

impl<'a> RootEnv<'a> {
    pub fn new(ctx: NodeCtx, zone: Zone, now: i64, open_node: &'a NodeOpener<'a>) -> RootEnv<'a> {
        let transport = read_transport(&ctx.pve);
        RootEnv {
            ctx,
            zone,
            transport,
            open_node,
            sinks: LogSinks::default(),
            now,
            jobs_cache: None,
            guest_lock: None,
        }
    }

    fn config(&mut self) -> Result<&mut ReplicationConfig, Error> {
        if self.jobs_cache.is_none() {
            // only the jobs are used (read, rewritten): no digest needed
            let text = self
                .ctx
                .pve
                .read(CONFIG_FILE)
                .map_err(store_err)?
                .unwrap_or_default();
            self.jobs_cache = Some(ReplicationConfig::parse_jobs(&text));
        }
        Ok(self.jobs_cache.as_mut().unwrap())
    }

    /// The ssh command line upstream runs for a remote pvesr call.
    fn ssh_command(&self, target: &str, ip: &str, args: &[String]) -> String {
        let mut s = format!("/usr/bin/ssh -e none -o 'BatchMode=yes' -o 'HostKeyAlias={target}'");
        let kh = format!("nodes/{target}/ssh_known_hosts");
        if self.ctx.pve.path(&kh).exists() {
            s.push_str(&format!(
                " -o 'UserKnownHostsFile=/etc/pve/{kh}' -o 'GlobalKnownHostsFile=none'"
            ));
        }
        s.push_str(&format!(" root@{ip} -- pvesr"));
        for a in args {
            s.push(' ');
            s.push_str(&shell_quote(a));
        }
        s
    }

    /// The target's address for remote calls (§19).
    fn target_ip(&self, target: &str) -> Result<String, Error> {
        let m = self.ctx.info.members.get(target);
        if let Some(net) = &self.transport.network {
            return m
                .and_then(|m| m.addresses.iter().find(|a| ip_in_cidr(a, net)).cloned())
                .ok_or_else(|| {
                    fail(format!(
                        "failed to get ip for node '{target}' in network '{net}'"
                    ))
                });
        }
        Ok(m.map(|m| m.ip.clone())
            .unwrap_or_else(|| target.to_string()))
    }

    /// Run a target-side procedure, or fail as ssh does when the target is
    /// not reachable.
    fn remote<T>(
        &mut self,
        target: &str,
        prefix: &str,
        args: Vec<String>,
        log: &mut dyn FnMut(&str),
        f: impl FnOnce(&mut NodeCtx, &mut dyn FnMut(&str)) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let ip = self.target_ip(target)?;
        let cmd = self.ssh_command(target, &ip, &args);
        let online = self.ctx.info.members.get(target).is_some_and(|m| m.online);
        if !online {
            log(&format!(
                "({prefix}) ssh: connect to host {ip} port 22: No route to host"
            ));
            return Err(fail(format!("command '{cmd}' failed: exit code 255")));
        }
        let mut tctx = (self.open_node)(target)?;
        let mut lines = Vec::new();
        let r = f(&mut tctx, &mut |l: &str| lines.push(l.to_string()));
        for l in &lines {
            log(&format!("({prefix}) {l}"));
        }
        match r {
            Ok(v) => Ok(v),
            Err(e) => {
                for l in chomp(&e).lines() {
                    log(&format!("({prefix}) {l}"));
                }
                Err(fail(format!("command '{cmd}' failed: exit code 255")))
            }
        }
    }
}

/// Quote an argument as the real tool's command printer does.
pub fn shell_quote(a: &str) -> String {
    let plain = !a.is_empty()
        && a.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'_' | b'.' | b'/' | b':' | b',' | b'@' | b'+')
        });
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\"'\"'"))
    }
}

impl SnapshotStore for RootEnv<'_> {
    fn list_snapshots(&mut self, volid: &str) -> BTreeMap<String, SnapInfo> {
        self.ctx.snapshots(volid)
    }
    fn delete_snapshot(&mut self, volid: &str, snap: &str) -> Result<(), Error> {
        self.ctx.delete_snap(volid, snap)
    }
}

impl Env for RootEnv<'_> {
    fn local_node(&self) -> String {
        self.ctx.node.clone()
    }
    fn zone(&self) -> Zone {
        self.zone.clone()
    }
    fn members(&self) -> BTreeMap<String, bool> {
        self.ctx
            .info
            .members
            .iter()
            .map(|(n, m)| (n.clone(), m.online))
            .collect()
    }
    fn vmlist(&self) -> BTreeMap<u32, GuestInfo> {
        self.ctx.info.guests.clone()
    }
    fn read_jobs(&mut self) -> Result<BTreeMap<String, Job>, Error> {
        Ok(self.config()?.jobs.clone())
    }
    fn write_jobs(&mut self, jobs: &BTreeMap<String, Job>) -> Result<(), Error> {
        let cfg = self.config()?;
        for (id, j) in jobs {
            if cfg.jobs.contains_key(id) {
                cfg.jobs.insert(id.clone(), j.clone());
            }
        }
        let cfg = cfg.clone();
        write_config(&self.ctx.pve, &cfg)
    }
    fn delete_job(&mut self, id: &str) -> Result<(), Error> {
        let cfg = self.config()?;
        cfg.remove(id);
        let cfg = cfg.clone();
        write_config(&self.ctx.pve, &cfg)
    }
    fn read_state(&mut self) -> Result<StateFile, Error> {
        read_state(&self.ctx.root, &self.ctx.node)
    }
    fn write_state(&mut self, st: &StateFile) -> Result<(), Error> {
        let _g = lock_state(&self.ctx.root, &self.ctx.node)?;
        write_state(&self.ctx.root, &self.ctx.node, st)
    }
    fn guest_config(&mut self, vmid: u32, vmtype: VmType) -> Result<GuestConf, Error> {
        let rel = guest_conf_rel(&self.ctx.node, vmid, vmtype);
        match self.ctx.pve.read(&rel).map_err(store_err)? {
            Some(text) => Ok(GuestConf::parse(&text)),
            None => Err(fail(format!("Configuration file '{rel}' does not exist"))),
        }
    }
    fn guest_running(&mut self, vmid: u32, vmtype: VmType) -> u64 {
        // The guest model's run file: `nodes/<node>/run/<dir>/<vmid>.pid`
        // with a `pid: N` line.
        let dir = match vmtype {
            VmType::Qemu => "qemu-server",
            VmType::Lxc => "lxc",
        };
        let p = self
            .ctx
            .root
            .node_local(&self.ctx.node)
            .join("run")
            .join(dir)
            .join(format!("{vmid}.pid"));
        match read_opt(&p) {
            Ok(Some(t)) => {
                let stopped = t.lines().any(|l| l.trim() == "status: stopped");
                if stopped {
                    return 0;
                }
                t.lines()
                    .find_map(|l| l.strip_prefix("pid: "))
                    .and_then(|v| v.trim().parse().ok())
                    .filter(|p: &u64| *p > 0)
                    .unwrap_or(1)
            }
            _ => 0,
        }
    }
    fn storage(&self, sid: &str) -> Option<StorageInfo> {
        self.ctx.storage_info(sid)
    }
    fn transport(&self) -> Transport {
        self.transport.clone()
    }
    fn create_snapshot(&mut self, volid: &str, snap: &str, now: i64) -> Result<(), Error> {
        let (sid, volname) = split_volid(volid)
            .ok_or_else(|| fail(format!("unable to parse volume ID '{volid}'")))?;
        let inst = self
            .ctx
            .instance(sid)
            .ok_or_else(|| fail(format!("storage '{sid}' does not exist")))?;
        inst.snapshot(volname, snap, now)
            .map(|_| ())
            .map_err(|e| fail(e.to_string()))
    }
    fn remote_prepare(
        &mut self,
        target: &str,
        args: &PrepareArgs,
        log: &mut dyn FnMut(&str),
    ) -> Result<SnapMap, Error> {
        let mut argv = vec!["prepare-local-job".to_string(), args.jobid.clone()];
        if !args.scan.is_empty() {
            argv.push("--scan".into());
            argv.push(args.scan.join(","));
        }
        argv.extend(args.volids.iter().cloned());
        argv.push("--last_sync".into());
        argv.push(args.last_sync.to_string());
        if let Some(p) = &args.parent {
            argv.push("--parent_snapname".into());
            argv.push(p.clone());
        }
        if args.force {
            argv.push("--force".into());
        }
        let a = args.clone();
        self.remote(
            target,
            "remote_prepare_local_job",
            argv,
            log,
            move |t, l| prepare_local_job(t, &a, l),
        )
    }
    fn remote_finalize(
        &mut self,
        target: &str,
        jobid: &str,
        guest: u32,
        volids: &[String],
        last_sync: i64,
        log: &mut dyn FnMut(&str),
    ) -> Result<(), Error> {
        let mut argv = vec!["finalize-local-job".to_string(), jobid.to_string()];
        argv.extend(volids.iter().cloned());
        argv.push("--last_sync".into());
        argv.push(last_sync.to_string());
        let v = volids.to_vec();
        self.remote(
            target,
            "remote_finalize_local_job",
            argv,
            log,
            move |t, l| finalize_local_job(t, jobid, guest, &v, last_sync, l),
        )
    }
    fn transfer(
        &mut self,
        target: &str,
        volid: &str,
        base: Option<&str>,
        snap: &str,
        rate: Option<f64>,
        transport: &Transport,
        log: &mut dyn FnMut(&str),
    ) -> Result<(), Error> {
        let (sid, volname) = split_volid(volid)
            .ok_or_else(|| fail(format!("unable to parse volume ID '{volid}'")))?;
        let src = self
            .ctx
            .instance(sid)
            .ok_or_else(|| fail(format!("storage '{sid}' does not exist")))?;
        if !self.ctx.info.members.get(target).is_some_and(|m| m.online) {
            return Err(fail(format!(
                "command 'zfs recv -F -- {}' failed: exit code 255",
                src.zfs_path(volname)
            )));
        }
        let tctx = (self.open_node)(target)?;
        let dst_storage = tctx
            .storage
            .get(sid)
            .ok_or_else(|| fail(format!("storage '{sid}' does not exist")))?;
        let dst = Instance::open(&tctx.root, dst_storage, target);
        let opts = TransferOpts {
            bwlimit_bytes: rate.map(|r| (r * 1_000_000.0) as u64),
            insecure_target: transport.insecure.then(|| target.to_string()),
        };
        let mut lines = Vec::new();
        let r = transfer::replicate(&src, &dst, volname, snap, base, &opts, &mut lines);
        for l in lines {
            log(&l);
        }
        r.map_err(|e| fail(e.to_string()))
    }
    fn log_start(&mut self, jobid: &str) {
        let p = log_path(&self.ctx.root, &self.ctx.node, jobid);
        let _ = write_atomic(&p, b"");
    }
    fn log(&mut self, jobid: &str, msg: &str) {
        let p = log_path(&self.ctx.root, &self.ctx.node, jobid);
        let line = format!("{} {jobid}: {msg}\n", self.zone.format(self.now));
        let _ = append(&p, &line);
        if let Some(echo) = self.sinks.echo.as_mut() {
            echo.push(msg.to_string());
        }
    }
    fn lock_guest(&mut self, vmid: u32) -> Result<(), Error> {
        self.guest_lock = Some(lock_guest(&self.ctx.root, vmid, Duration::from_secs(2))?);
        Ok(())
    }
    fn unlock_guest(&mut self, _vmid: u32) {
        self.guest_lock = None;
    }
}

fn append(p: &std::path::Path, s: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(p)?;
    f.write_all(s.as_bytes())
}

/// Open a node's replication context: its `/etc/pve` view and what the
/// cluster layer says about members, quorum and guests.
pub fn load_node(root: &Root, node: &str) -> Result<NodeCtx, Error> {
    crate::store::safe_component("node", node).map_err(store_err)?;
    let (pve, info) = cluster_view(root, node)?;
    Ok(NodeCtx::new(root, node, pve, info))
}

/// What the cluster layer says to `node`: its `/etc/pve` view (read-only
/// without quorum), the configured members (online = in its partition),
/// their addresses, and the guest list of the tree.
fn cluster_view(root: &Root, node: &str) -> Result<(PveFs, ClusterInfo), Error> {
    use crate::cluster;
    use crate::sim::hardware::Hardware;
    let cerr = |e: cluster::ClusterError| fail(e.to_string());
    // one read of the hardware and the cluster state for the whole view
    let hw = Hardware::load(root).map_err(|e| fail(e.to_string()))?;
    let st = cluster::state::ClusterState::load(root).map_err(|e| fail(e.to_string()))?;
    let (pve, quorate, online) = cluster::view_with(root, &hw, &st, node).map_err(cerr)?;
    let online: BTreeSet<String> = online.into_iter().collect();
    let mut members = BTreeMap::new();
    let configured = cluster::members(root).map_err(cerr)?;
    let standalone = configured.is_empty();
    for m in configured {
        let machine = hw.machine(&m.name);
        let ip = if m.ring0_addr.parse::<std::net::IpAddr>().is_ok() {
            m.ring0_addr.clone()
        } else {
            machine
                .map(|x| x.primary_address().to_string())
                .unwrap_or_else(|| m.ring0_addr.clone())
        };
        members.insert(
            m.name.clone(),
            MemberInfo {
                online: online.contains(&m.name),
                ip,
                addresses: machine.map(|x| x.addresses.clone()).unwrap_or_default(),
            },
        );
    }
    if standalone {
        // A standalone node is a one-node cluster of itself.
        let machine = hw.machine(node);
        members.insert(
            node.to_string(),
            MemberInfo {
                online: true,
                ip: machine
                    .map(|x| x.primary_address().to_string())
                    .unwrap_or_default(),
                addresses: machine.map(|x| x.addresses.clone()).unwrap_or_default(),
            },
        );
    }
    let guests = scan_guests(root, &pve);
    Ok((
        pve,
        ClusterInfo {
            quorate,
            members,
            guests,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("BatchMode=yes"), "'BatchMode=yes'");
        assert_eq!(
            shell_quote("local-zfs:vm-100-disk-0"),
            "local-zfs:vm-100-disk-0"
        );
        assert_eq!(shell_quote("1715595300"), "1715595300");
        assert_eq!(shell_quote("a b"), "'a b'");
    }

    #[test]
    fn cidr() {
        assert!(ip_in_cidr("10.0.0.5", "10.0.0.0/24"));
        assert!(!ip_in_cidr("10.0.1.5", "10.0.0.0/24"));
        assert!(ip_in_cidr("1.2.3.4", "0.0.0.0/0"));
    }
}
