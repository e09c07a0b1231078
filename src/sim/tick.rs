//! `pvesim tick`: the HA stack (one CRM and one LRM per powered cluster
//! node) run over the state root, with the clock discipline of the
//! upstream simulator.
//!
//! One round runs, for every node in name order, its CRM iteration, then
//! its LRM iteration, then the watchdog check of every node; each iteration
//! takes one simulated second and a round lasts `max(20, 2 * nodes)`
//! seconds, exactly as `pvesim replay` does. The upstream simulator refuses
//! 30 nodes or more, because a round would then outlast the 60 s watchdog.
//! pvesim instead treats the daemons of a large cluster as what they are on
//! real hardware, concurrent: from 30 nodes on, every iteration of a round
//! runs at the round's start time and a round lasts 20 s, so lock (120 s)
//! and watchdog (60 s) timeouts keep their meaning at any size.
//!
//! What the daemons keep in memory between rounds (CRM and LRM state, the
//! cluster locks, the watchdogs) is saved in `sim/ha-daemons.json` after
//! every round, so consecutive `pvesim tick` calls behave like one long
//! run. The HA state itself lands where the real stack puts it:
//! `etc/pve/ha/manager_status`, `etc/pve/nodes/<node>/lrm_status`, guest
//! configs moved on recovery and migration, guests started and stopped.
//! Writes go through each node's own view of `/etc/pve`, so a node without
//! quorum cannot write, exactly as with pmxcfs.

use crate::cluster::state::ClusterState;
use crate::guest::env::RootCluster;
use crate::guest::vm::{Ctx, Term};
use crate::ha::config::{lock_ha, ResourcesConfig, Sid};
use crate::ha::crm::{Crm, CrmState};
use crate::ha::env::{
    lock_acquire, lock_release, Acquired, DcSettings, Env, EnvResult, NodeStats, ServiceStats,
    Stats,
};
use crate::ha::lrm::Lrm;
use crate::ha::types::{
    ConfState, Level, LrmStatus, ManagerStatus, NodeState, ServiceConf, ServiceConfig,
    ServiceState, SharedStatus,
};
use crate::replication::localtime::Zone;
use crate::sim::events;
use crate::store::{read_opt, write_atomic, PveFs, Root, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The watchdog fires this long after its last update.
const WATCHDOG_TIMEOUT: i64 = 60;
/// From this many nodes on, iterations of a round run concurrently.
const CONCURRENT_FROM: usize = 30;
/// Round length of a large cluster.
const LARGE_ROUND: i64 = 20;

/// Errors of a tick.
#[derive(Debug, thiserror::Error)]
pub enum TickError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Cluster(#[from] crate::cluster::ClusterError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Msg(String),
}

pub type Result<T, E = TickError> = std::result::Result<T, E>;

/// How far to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// This many rounds.
    Rounds(u64),
    /// Until the clock has advanced by at least this many seconds.
    Seconds(i64),
    /// Until nothing is in flight any more, at most this many rounds.
    Stable { cap: u64 },
}

/// What a tick did.
#[derive(Debug, Clone, Default)]
pub struct TickReport {
    pub rounds: u64,
    pub start: i64,
    pub end: i64,
    /// Whether the cluster was stable after the last round (`Until::Stable`).
    pub stable: bool,
    /// The event-log lines written, in order.
    pub lines: Vec<String>,
    /// Whether [`STOP`] ended the tick before `until` was reached.
    pub interrupted: bool,
}

/// The daemons of one node.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct NodeDaemons {
    crm: Option<Crm>,
    lrm: Option<Lrm>,
    /// The CRM was asked to stop (it exits at the end of its loop).
    #[serde(default)]
    crm_stop: bool,
}

/// What survives between `pvesim tick` calls.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct TickState {
    daemons: BTreeMap<String, NodeDaemons>,
    /// Cluster lock name -> (owner node, time of last refresh).
    locks: crate::ha::env::LockTable,
    /// Watchdog handle -> (node, time of last update).
    watchdogs: BTreeMap<u64, (String, i64)>,
    next_watchdog: u64,
    lrm_startup_written: bool,
    /// Node -> `shutdown` or `reboot` while a shutdown is in progress.
    shutdown: BTreeMap<String, String>,
    /// Shutdown/reboot requests not yet handed to the daemons.
    #[serde(default)]
    pending: Vec<(String, String)>,
    /// The last simulated minute the replication scheduler ran for.
    #[serde(default)]
    last_repl_minute: i64,
    /// (node, lock) pairs whose daemon's last take or renewal succeeded:
    /// the daemon's own memory of its locks, so a failed renewal logs
    /// `lost lock` once (ha-lrm 2.13).
    #[serde(default)]
    held: BTreeSet<(String, String)>,
}

fn state_path(root: &Root) -> std::path::PathBuf {
    root.sim_dir().join("ha-daemons.json")
}

fn load_state(root: &Root) -> Result<TickState> {
    match read_opt(&state_path(root))? {
        None => Ok(TickState::default()),
        Some(t) => serde_json::from_str(&t).map_err(|e| {
            TickError::Msg(format!(
                "{}: malformed daemon state ({e}); remove it to restart the HA daemons",
                state_path(root).display()
            ))
        }),
    }
}

fn save_state(root: &Root, st: &TickState) -> Result<()> {
    let text = serde_json::to_string(st).map_err(|e| TickError::Msg(e.to_string()))?;
    write_atomic(&state_path(root), text.as_bytes())?;
    Ok(())
}

/// Ask a node to shut down (or reboot) cleanly: its LRM applies the
/// shutdown policy, then both daemons exit and the machine powers off (and,
/// for a reboot, on again). Takes effect at the next round.
pub fn request_shutdown(root: &Root, node: &str, reboot: bool) -> Result<()> {
    root.require()?;
    let _g = root.lock("tick", crate::store::DEFAULT_LOCK_TIMEOUT)?;
    let hw =
        crate::sim::hardware::Hardware::load(root).map_err(|e| TickError::Msg(e.to_string()))?;
    hw.get(node).map_err(|e| TickError::Msg(e.to_string()))?;
    if !hw.is_powered(node) {
        return Err(TickError::Msg(format!("machine '{node}' is powered off")));
    }
    let mut st = load_state(root)?;
    let what = if reboot { "reboot" } else { "shutdown" };
    st.pending.push((node.to_string(), what.to_string()));
    save_state(root, &st)?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Crm,
    Lrm,
}

/// The cluster as the daemons see it during one tick call.
struct World<'r> {
    root: &'r Root,
    zone: Zone,
    cl: RootCluster,
    hw_time: i64,
    clocks: BTreeMap<(String, Kind), i64>,
    st: TickState,
    /// Cluster members, name order.
    members: Vec<String>,
    powered: BTreeMap<String, bool>,
    /// Machines switched on (corosync running or not), by name.
    hw_on: BTreeMap<String, bool>,
    /// Each member's view of `/etc/pve` as of the last refresh.
    views: BTreeMap<String, Result<PveFs, String>>,
    quorate: BTreeMap<String, bool>,
    partition: BTreeMap<String, BTreeSet<String>>,
    version: u8,
    ms: Option<std::sync::Arc<SharedStatus>>,
    ms_dirty: bool,
    lrm: BTreeMap<String, LrmStatus>,
    lrm_dirty: BTreeSet<String>,
    sc: Option<std::sync::Arc<ServiceConfig>>,
    stats: BTreeMap<String, ServiceStats>,
    dc: Option<DcSettings>,
    lines: Vec<String>,
}

impl<'r> World<'r> {
    fn new(root: &'r Root, zone: Zone, st: TickState) -> Result<World<'r>> {
        let mut w = World {
            root,
            zone,
            cl: RootCluster::new(root.clone()).map_err(TickError::Msg)?,
            hw_time: crate::sim::clock::now(root)?,
            clocks: BTreeMap::new(),
            st,
            members: Vec::new(),
            powered: BTreeMap::new(),
            hw_on: BTreeMap::new(),
            views: BTreeMap::new(),
            quorate: BTreeMap::new(),
            partition: BTreeMap::new(),
            version: crate::sim::version::pve_version(root)?,
            ms: None,
            ms_dirty: false,
            lrm: BTreeMap::new(),
            lrm_dirty: BTreeSet::new(),
            sc: None,
            stats: BTreeMap::new(),
            dc: None,
            lines: Vec::new(),
        };
        w.refresh()?;
        Ok(w)
    }

    /// Reload membership, power and each node's quorum view.
    fn refresh(&mut self) -> Result<()> {
        let hw = crate::sim::hardware::Hardware::load(self.root)
            .map_err(|e| TickError::Msg(e.to_string()))?;
        let cs = ClusterState::load(self.root)?;
        self.members = crate::cluster::members(self.root)?
            .into_iter()
            .map(|m| m.name)
            .collect();
        self.members.sort();
        self.powered.clear();
        self.hw_on = hw
            .machines
            .iter()
            .map(|m| (m.name.clone(), m.powered))
            .collect();
        self.quorate.clear();
        self.partition.clear();
        for m in &self.members {
            let running = cs.node(m).is_some_and(|n| n.running);
            self.powered.insert(m.clone(), hw.is_powered(m) && running);
            let (q, part) = match cs.node(m) {
                Some(n) if n.running => (n.quorate, n.partition.iter().cloned().collect()),
                _ => (false, BTreeSet::new()),
            };
            self.quorate.insert(m.clone(), q);
            self.partition.insert(m.clone(), part);
        }
        self.views = self
            .members
            .iter()
            .map(|m| {
                let v = crate::cluster::view_with(self.root, &hw, &cs, m)
                    .map(|(pve, _, _)| pve)
                    .map_err(|e| e.to_string());
                (m.clone(), v)
            })
            .collect();
        Ok(())
    }

    fn log(&mut self, level: &str, t: i64, source: &str, msg: &str) {
        let msg = msg.strip_suffix('\n').unwrap_or(msg);
        for (i, part) in msg.split('\n').enumerate() {
            if i == 0 {
                self.lines.push(events::format_line(level, t, source, part));
            } else {
                self.lines.push(format!("\t  {part}"));
            }
        }
    }

    fn hw_log(&mut self, source: &str, msg: &str) {
        let t = self.hw_time;
        self.log("info", t, source, msg);
    }

    fn clock(&self, node: &str, kind: Kind) -> i64 {
        self.clocks
            .get(&(node.to_string(), kind))
            .copied()
            .unwrap_or(self.hw_time)
    }

    /// `node`'s view of `/etc/pve` (cached per refresh: power and quorum
    /// only change through `refresh`).
    fn pve(&self, node: &str) -> EnvResult<PveFs> {
        match self.views.get(node) {
            Some(v) => v.clone(),
            None => crate::cluster::pve_for(self.root, node).map_err(|e| e.to_string()),
        }
    }

    fn is_quorate(&self, node: &str) -> bool {
        self.quorate.get(node).copied().unwrap_or(false)
    }

    /// The service configuration: resources.cfg with the real defaults, the
    /// node that holds each guest's config, and its config lock.
    fn service_config(&mut self, reader: &str) -> EnvResult<std::sync::Arc<ServiceConfig>> {
        if let Some(sc) = &self.sc {
            return Ok(std::sync::Arc::clone(sc));
        }
        let pve = self.pve(reader)?;
        let text = pve.read("ha/resources.cfg").map_err(|e| e.to_string())?;
        let cfg = ResourcesConfig::parse("/etc/pve/ha/resources.cfg", &text.unwrap_or_default());
        let guests = crate::cluster::pmxcfs::guests(pve.base()).map_err(|e| e.to_string())?;
        let by_vmid: BTreeMap<u32, &crate::cluster::pmxcfs::GuestEntry> =
            guests.iter().map(|g| (g.vmid, g)).collect();
        let mut sc = ServiceConfig::new();
        self.stats.clear();
        for r in cfg.sorted() {
            let ty = r.sid.ty.clone();
            let name = r.sid.name.clone();
            let sid = format!("{ty}:{name}");
            let want = if ty == "ct" { "lxc" } else { "qemu" };
            let entry = name
                .parse::<u32>()
                .ok()
                .and_then(|v| by_vmid.get(&v))
                .filter(|g| g.kind == want);
            let mut lock = None;
            if let Some(g) = entry {
                let conf = pve.read(&g.rel).ok().flatten().unwrap_or_default();
                let (l, stats) = scan_guest_config(&conf);
                lock = l;
                self.stats.insert(sid.clone(), stats);
            }
            let state = ConfState::parse(r.request_state().as_str()).unwrap_or(ConfState::Started);
            sc.insert(
                sid,
                ServiceConf {
                    ty: ty.into(),
                    name: name.into(),
                    node: entry.map(|g| g.node.as_str().into()),
                    state,
                    group: r.group.clone(),
                    failback: r.failback.unwrap_or(true),
                    max_restart: r.max_restart.unwrap_or(1) as u32,
                    max_relocate: r.max_relocate.unwrap_or(1) as u32,
                    comment: r.comment.clone(),
                    lock,
                },
            );
        }
        let sc = std::sync::Arc::new(sc);
        self.sc = Some(std::sync::Arc::clone(&sc));
        Ok(sc)
    }

    /// Read-modify-write resources.cfg under the HA domain lock.
    fn edit_resources(
        &mut self,
        writer: &str,
        f: impl FnOnce(&mut ResourcesConfig),
    ) -> EnvResult<()> {
        let pve = self.pve(writer)?;
        let _g = lock_ha(self.root, &pve).map_err(|e| e.to_string())?;
        let text = pve
            .read("ha/resources.cfg")
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let mut cfg = ResourcesConfig::parse("/etc/pve/ha/resources.cfg", &text);
        f(&mut cfg);
        pve.write("ha/resources.cfg", &cfg.write())
            .map_err(|e| e.to_string())?;
        self.sc = None;
        Ok(())
    }

    fn manager_status(&mut self, reader: &str) -> EnvResult<ManagerStatus> {
        self.manager_status_shared(reader).map(|ms| (*ms).clone())
    }

    /// The manager status, parsed once and shared by all daemons until the
    /// next write.
    fn manager_status_shared(&mut self, reader: &str) -> EnvResult<std::sync::Arc<SharedStatus>> {
        if let Some(ms) = &self.ms {
            return Ok(std::sync::Arc::clone(ms));
        }
        let text = self
            .pve(reader)?
            .read("ha/manager_status")
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let ms = std::sync::Arc::new(SharedStatus::new(ManagerStatus::parse(&text)?));
        self.ms = Some(std::sync::Arc::clone(&ms));
        Ok(ms)
    }

    fn lrm_status(&mut self, reader: &str, node: &str) -> EnvResult<LrmStatus> {
        if let Some(s) = self.lrm.get(node) {
            return Ok(s.clone());
        }
        let rel = format!("nodes/{node}/lrm_status");
        let text = self
            .pve(reader)?
            .read(&rel)
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let st = LrmStatus::parse(&text)?;
        self.lrm.insert(node.to_string(), st.clone());
        Ok(st)
    }

    /// Write what the daemons changed, the clock and the daemon state.
    fn flush(&mut self) -> Result<()> {
        if self.ms_dirty {
            if let Some(ms) = &self.ms {
                // The writer was checked when the master wrote; any quorate
                // member may carry the write to the shared tree.
                write_atomic(
                    &self.root.etc_pve().join("ha/manager_status"),
                    ms.to_json().as_bytes(),
                )?;
            }
            self.ms_dirty = false;
        }
        // the steals of this round are in the written manager status now,
        // unless the manager's iteration failed after one
        let undone = undo_lost_steals(self.root, self.hw_time)?;
        self.lines.extend(undone);
        for node in std::mem::take(&mut self.lrm_dirty) {
            if let Some(st) = self.lrm.get(&node) {
                write_atomic(
                    &self.root.etc_pve().join(format!("nodes/{node}/lrm_status")),
                    st.to_json().as_bytes(),
                )?;
            }
        }
        crate::sim::clock::set(self.root, self.hw_time)?;
        // Time-dependent quorum features (last_man_standing) see the clock.
        crate::cluster::sync_time(self.root)?;
        save_state(self.root, &self.st)?;
        events::append(self.root, &self.lines)?;
        Ok(())
    }

    fn ctx(&self, node: &str) -> Ctx<'_> {
        Ctx {
            cl: &self.cl,
            node: node.to_string(),
            now: self.hw_time,
            zone: self.zone.clone(),
        }
    }

    fn env(&mut self, node: &str, kind: Kind) -> TickEnv<'_, 'r> {
        TickEnv {
            w: self,
            node: node.to_string(),
            kind,
        }
    }

    fn start_daemons(&mut self, node: &str) {
        if !self.st.daemons.contains_key(node) {
            // new processes remember no locks
            self.st.held.retain(|(n, _)| n != node);
        }
        let mut d = self.st.daemons.remove(node).unwrap_or_default();
        if d.crm.is_none() {
            d.crm = Some(Crm::new(&mut self.env(node, Kind::Crm)));
        }
        if d.lrm.is_none() {
            d.lrm = Some(Lrm::new(&mut self.env(node, Kind::Lrm)));
        }
        d.crm_stop = false;
        self.st.daemons.insert(node.to_string(), d);
    }

    /// A machine lost power: its daemons and guests die with it.
    fn kill_daemons(&mut self, node: &str) {
        if let Some(d) = self.st.daemons.remove(node) {
            if d.crm.is_some() {
                self.env(node, Kind::Crm)
                    .log(Level::Info, "killed by poweroff");
            }
            if d.lrm.is_some() {
                self.env(node, Kind::Lrm)
                    .log(Level::Info, "killed by poweroff");
            }
        }
        self.st.watchdogs.retain(|_, (n, _)| n != node);
        self.st.held.retain(|(n, _)| n != node);
        self.st.shutdown.remove(node);
        let _ = crate::guest::vm::clear_node(self.root, node);
    }

    /// Bring the daemons in line with the hardware: start them on machines
    /// that came up, drop them on machines that went down.
    fn reconcile(&mut self) {
        let members = self.members.clone();
        let gone: Vec<String> = self
            .st
            .daemons
            .keys()
            .filter(|n| !self.powered.get(*n).copied().unwrap_or(false))
            .cloned()
            .collect();
        for n in gone {
            self.kill_daemons(&n);
        }
        for n in &members {
            if self.powered[n] && !self.st.daemons.contains_key(n) {
                self.start_daemons(n);
            }
        }
    }

    /// Power a machine off (watchdog, shutdown) through the hardware model.
    fn power(&mut self, node: &str, on: bool, source: &str) -> Result<()> {
        let what = format!("power {node} {}", if on { "on" } else { "off" });
        self.hw_log(source, &format!("execute {what}"));
        crate::cluster::bench::power(self.root, node, on)?;
        if !on {
            self.kill_daemons(node);
        }
        self.refresh()?;
        if on {
            self.start_daemons(node);
        }
        Ok(())
    }

    fn watchdog_check(&mut self, node: &str) -> Result<()> {
        let h = self.hw_time;
        let expired: Vec<u64> = self
            .st
            .watchdogs
            .iter()
            .filter(|(_, (n, t))| n == node && h - t > WATCHDOG_TIMEOUT)
            .map(|(k, _)| *k)
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        for k in expired {
            self.st.watchdogs.remove(&k);
        }
        self.power(node, false, "watchdog")?;
        self.hw_log(
            "hardware",
            &format!("server '{node}' stopped by poweroff (watchdog)"),
        );
        Ok(())
    }

    /// Hand queued shutdown/reboot requests to the LRMs.
    fn take_pending(&mut self) {
        for (node, what) in std::mem::take(&mut self.st.pending) {
            if !self.st.daemons.contains_key(&node) {
                continue;
            }
            self.hw_log("pvesim", &format!("execute {what} {node}"));
            self.st.shutdown.insert(node.clone(), what);
            self.lrm_shutdown_request(&node);
        }
    }

    fn lrm_shutdown_request(&mut self, node: &str) {
        if let Some(mut lrm) = self.st.daemons.get_mut(node).and_then(|d| d.lrm.take()) {
            // the saved daemon state lacks the status the LRM read last; the
            // current file stands in for it (the stop jobs of a shutdown
            // come from it)
            lrm.restore_service_status(&mut self.env(node, Kind::Lrm));
            lrm.shutdown_request(&mut self.env(node, Kind::Lrm));
            if let Some(d) = self.st.daemons.get_mut(node) {
                d.lrm = Some(lrm);
            }
        }
    }

    /// One daemon iteration with the simulator's clock hooks.
    fn iterate(&mut self, node: &str, kind: Kind, concurrent: bool) -> Result<()> {
        let h = self.hw_time;
        self.clocks.insert((node.to_string(), kind), h);
        let Some(d) = self.st.daemons.get_mut(node) else {
            return Ok(());
        };
        let result = match kind {
            Kind::Crm => {
                let Some(mut crm) = d.crm.take() else {
                    return Ok(());
                };
                let r = crm.do_one_iteration(&mut self.env(node, kind));
                if let Some(d) = self.st.daemons.get_mut(node) {
                    d.crm = Some(crm);
                }
                r
            }
            Kind::Lrm => {
                let Some(mut lrm) = d.lrm.take() else {
                    return Ok(());
                };
                let mut flag = self.st.lrm_startup_written;
                let r = lrm.do_one_iteration(&mut self.env(node, kind), &mut flag);
                self.st.lrm_startup_written = flag;
                if let Some(d) = self.st.daemons.get_mut(node) {
                    d.lrm = Some(lrm);
                }
                r
            }
        };
        if !concurrent {
            let c = self.clock(node, kind) + 1;
            self.clocks.insert((node.to_string(), kind), c);
            self.hw_time = self.hw_time.max(c);
        }
        match result {
            Ok(true) => Ok(()),
            Ok(false) => self.daemon_exit(node, kind),
            Err(e) => {
                // A crashed daemon is restarted by systemd at the next round.
                let t = self.clock(node, kind);
                let src = source(node, kind);
                self.log("err", t, &src, &format!("daemon error - {e}"));
                if let Some(d) = self.st.daemons.get_mut(node) {
                    match kind {
                        Kind::Crm => d.crm = None,
                        Kind::Lrm => d.lrm = None,
                    }
                }
                Ok(())
            }
        }
    }

    /// A daemon left its loop (after a shutdown request).
    fn daemon_exit(&mut self, node: &str, kind: Kind) -> Result<()> {
        self.env(node, kind).log(Level::Info, "exit (loop end)");
        let shutdown = self.st.shutdown.get(node).cloned();
        match kind {
            Kind::Lrm => {
                if let Some(d) = self.st.daemons.get_mut(node) {
                    d.lrm = None;
                }
                if let Some(s) = shutdown {
                    // The LRM is down: now the CRM is stopped.
                    self.hw_log(&s, &format!("execute crm {node} stop"));
                    if let Some(mut crm) = self.st.daemons.get_mut(node).and_then(|d| d.crm.take())
                    {
                        crm.shutdown_request(&mut self.env(node, Kind::Crm));
                        if let Some(d) = self.st.daemons.get_mut(node) {
                            d.crm = Some(crm);
                            d.crm_stop = true;
                        }
                    }
                }
            }
            Kind::Crm => {
                if let Some(d) = self.st.daemons.get_mut(node) {
                    d.crm = None;
                }
                match shutdown.as_deref() {
                    Some("reboot") => {
                        self.power(node, false, "reboot")?;
                        self.power(node, true, "reboot")?;
                    }
                    Some("shutdown") => self.power(node, false, "shutdown")?,
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Whether `vmid` runs on `node` (machine on and a run file there); the
    /// same answer as `guest::vm::run_state(..).is_some()`, from the power
    /// state loaded at the last refresh instead of re-reading the hardware.
    fn runs(&self, node: &str, vmid: u32) -> bool {
        self.hw_on.get(node).copied().unwrap_or(false)
            && crate::guest::vm::has_run_file(self.root, node, vmid)
    }

    /// One round of every node's daemons.
    fn round(&mut self) -> Result<()> {
        self.refresh()?;
        self.reconcile();
        self.take_pending();
        let start = self.hw_time;
        let nodes = self.members.clone();
        let concurrent = nodes.len() >= CONCURRENT_FROM;
        let looptime = if concurrent {
            LARGE_ROUND
        } else {
            std::cmp::max(20, 2 * nodes.len() as i64)
        };
        self.sc = None;
        self.dc = None;
        for node in &nodes {
            if self.st.daemons.contains_key(node) {
                self.iterate(node, Kind::Crm, concurrent)?;
                self.iterate(node, Kind::Lrm, concurrent)?;
            }
            for n in &nodes {
                self.watchdog_check(n)?;
            }
        }
        if self.hw_time - start < looptime {
            self.hw_time = start + looptime;
        }
        let h = self.hw_time;
        for n in &nodes {
            self.clocks.insert((n.clone(), Kind::Crm), h);
            self.clocks.insert((n.clone(), Kind::Lrm), h);
        }
        self.replication_runs()?;
        self.flush()
    }

    /// The replication scheduler (pvesr.md §12): once per simulated minute
    /// boundary crossed since its last run, on every powered member (a node
    /// without quorum runs nothing). A long jump catches up at most a day.
    fn replication_runs(&mut self) -> Result<()> {
        let minute = self.hw_time - self.hw_time.rem_euclid(60);
        if minute <= self.st.last_repl_minute {
            return Ok(());
        }
        let mut m = if self.st.last_repl_minute == 0 {
            minute
        } else {
            (self.st.last_repl_minute + 60).max(minute - 86_400)
        };
        let nodes = self.members.clone();
        while m <= minute {
            for n in &nodes {
                if !self.powered.get(n).copied().unwrap_or(false) {
                    continue;
                }
                let src = format!("{n}/pvesr");
                match crate::replication::ops::run_due_jobs(self.root, n, m, &self.zone) {
                    Ok(warnings) => {
                        for w in warnings {
                            self.log("warn", m, &src, &w);
                        }
                    }
                    Err(e) => self.log("err", m, &src, &e),
                }
            }
            m += 60;
        }
        self.st.last_repl_minute = minute;
        Ok(())
    }

    /// Nothing in flight: a master leads, no service or node is between
    /// states, every started service runs where the manager says, and no
    /// command is queued.
    fn is_stable(&mut self) -> bool {
        // A cluster without any quorate node cannot change any more once
        // the last armed watchdog has fired.
        if !self.members.iter().any(|n| self.is_quorate(n)) {
            return self.st.watchdogs.is_empty();
        }
        let Some(master) = self.members.iter().find(|n| {
            self.st
                .daemons
                .get(*n)
                .and_then(|d| d.crm.as_ref())
                .is_some_and(|c| c.is_master())
        }) else {
            // No master: stable only if HA has nothing to manage.
            let any = self
                .members
                .first()
                .cloned()
                .and_then(|n| self.service_config(&n).ok())
                .is_some_and(|sc| !sc.is_empty());
            return !any;
        };
        let master = master.clone();
        let Ok(ms) = self.manager_status_shared(&master) else {
            return false;
        };
        let Ok(sc) = self.service_config(&master) else {
            return false;
        };
        if self
            .pve(&master)
            .ok()
            .and_then(|p| p.read("ha/crm_commands").ok().flatten())
            .is_some_and(|t| !t.trim().is_empty())
        {
            return false;
        }
        if ms.node_status.values().any(|s| *s == NodeState::Fence) {
            return false;
        }
        // A node without quorum that still has an armed watchdog will be
        // reset by it: a timer is pending.
        if self.st.watchdogs.values().any(|(n, _)| !self.is_quorate(n)) {
            return false;
        }
        // The manager has not yet seen a membership change (a node it holds
        // online has left the master's partition, or one it holds unknown
        // is back), or a node it holds unknown still has services and is on
        // its way to being fenced.
        let empty = BTreeSet::new();
        let part = self.partition.get(&master).unwrap_or(&empty);
        for (node, state) in &ms.node_status {
            let here = part.contains(node);
            let moving = match state {
                NodeState::Online => !here,
                NodeState::Unknown => here || ms.service_status.values().any(|sd| sd.node == *node),
                _ => false,
            };
            if moving {
                return false;
            }
        }
        // A CRM still waiting on an online quorate node (just booted) is
        // about to become a slave.
        let waiting = self.members.iter().any(|n| {
            self.is_quorate(n)
                && ms.node_status.get(n) == Some(&NodeState::Online)
                && self
                    .st
                    .daemons
                    .get(n)
                    .and_then(|d| d.crm.as_ref())
                    .is_some_and(|c| c.state() == CrmState::WaitForQuorum)
        });
        if waiting && !sc.is_empty() {
            return false;
        }
        for sid in sc.keys() {
            if !ms.service_status.contains_key(sid)
                && sc[sid].state != ConfState::Ignored
                && sc[sid].node.is_some()
            {
                return false;
            }
        }
        for (sid, sd) in &ms.service_status {
            match sd.state {
                ServiceState::Started => {
                    let node_ok = matches!(
                        ms.node_status.get(sd.node.as_str()),
                        Some(NodeState::Online) | Some(NodeState::Maintenance)
                    );
                    let vmid = sid.split_once(':').and_then(|(_, n)| n.parse::<u32>().ok());
                    let runs = vmid.is_some_and(|v| self.runs(&sd.node, v));
                    if !node_ok || !runs || !sd.running {
                        return false;
                    }
                }
                // frozen for a node that is down, or while HA is disarmed;
                // on a node that is up again it is about to thaw
                ServiceState::Freeze => {
                    if ms.disarm.is_none() && part.contains(sd.node.as_str()) {
                        return false;
                    }
                }
                ServiceState::Stopped | ServiceState::Error => {}
                _ => return false,
            }
        }
        true
    }
}

/// Lock line and resource statistics from a guest config's main section.
fn scan_guest_config(text: &str) -> (Option<String>, ServiceStats) {
    let mut lock = None;
    let (mut cores, mut sockets, mut memory) = (1.0, 1.0, 512.0);
    let mut vcpus: Option<f64> = None;
    for line in text.lines() {
        if line.starts_with('[') {
            break;
        }
        if let Some((k, v)) = line.split_once(": ") {
            match k {
                "lock" => lock = Some(v.trim().to_string()),
                "cores" => cores = v.trim().parse().unwrap_or(1.0),
                "sockets" => sockets = v.trim().parse().unwrap_or(1.0),
                "memory" => memory = v.trim().parse().unwrap_or(512.0),
                "vcpus" => vcpus = v.trim().parse().ok(),
                _ => {}
            }
        }
    }
    (
        lock,
        ServiceStats {
            // ha-crm 8.5: `vcpus` where set, else sockets * cores
            maxcpu: vcpus.unwrap_or(cores * sockets),
            maxmem: memory * 1024.0 * 1024.0,
            cpu: 0.0,
            mem: 0.0,
        },
    )
}

fn source(node: &str, kind: Kind) -> String {
    match kind {
        Kind::Crm => format!("{node}/crm"),
        Kind::Lrm => format!("{node}/lrm"),
    }
}

/// The Env of one daemon over the state root.
struct TickEnv<'w, 'r> {
    w: &'w mut World<'r>,
    node: String,
    kind: Kind,
}

impl TickEnv<'_, '_> {
    /// After a recovery onto `new`: if `new` holds a replica of the guest,
    /// log how much time of writes the recovery loses (last replication to
    /// the failure of `failed`, taken from its LRM's last status update).
    fn report_replica(&mut self, sid: &str, failed: &str, new: &str) {
        let Some(vmid) = sid
            .split_once(':')
            .and_then(|(_, id)| id.parse::<u32>().ok())
        else {
            return;
        };
        let now = self.get_time();
        // the guest wrote until its node lost power (a bench power-off or
        // the watchdog's reset); without such a line, until its LRM last
        // reported
        let lrm_seen = || {
            let p = self
                .w
                .root
                .etc_pve()
                .join(format!("nodes/{failed}/lrm_status"));
            std::fs::read_to_string(p)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v["timestamp"].as_i64())
        };
        let failed_at = crate::sim::events::last_power_loss(self.w.root, failed, &self.w.lines)
            .or_else(lrm_seen)
            .filter(|t| *t <= now)
            .unwrap_or(now);
        if let Some((synced, lost)) =
            crate::replication::ops::replica_report(self.w.root, vmid, new, failed_at)
        {
            let msg = format!(
                "recovering service '{sid}' from replica on node '{new}': last replication {}, writes of the last {lost}s before the failure of node '{failed}' are lost",
                self.w.zone.format(synced)
            );
            self.log(Level::Info, &msg);
        }
    }

    fn vmid(sid: &str) -> Option<u32> {
        sid.split_once(':').and_then(|(_, n)| n.parse().ok())
    }

    fn conf_rel(cd: &ServiceConf, node: &str) -> String {
        guest_conf_rel(&cd.ty, &cd.name, node)
    }

    fn log_term(&mut self, term: &Term) {
        for l in term.stdout() {
            let l = l.to_string();
            self.log(Level::Info, &l);
        }
    }
}

impl Env for TickEnv<'_, '_> {
    fn nodename(&self) -> &str {
        &self.node
    }

    fn get_time(&self) -> i64 {
        self.w.clock(&self.node, self.kind)
    }

    fn log(&mut self, level: Level, msg: &str) {
        let t = self.get_time();
        let src = source(&self.node, self.kind);
        self.w.log(level.short(), t, &src, msg);
    }

    fn quorate(&self) -> bool {
        self.w.is_quorate(&self.node)
    }

    fn get_node_info(&self) -> BTreeMap<String, bool> {
        let q = self.w.is_quorate(&self.node);
        let empty = BTreeSet::new();
        let part = self.w.partition.get(&self.node).unwrap_or(&empty);
        self.w
            .members
            .iter()
            .map(|n| (n.clone(), q && part.contains(n)))
            .collect()
    }

    fn cluster_state_update(&mut self) -> bool {
        true
    }

    fn read_manager_status(&mut self) -> EnvResult<ManagerStatus> {
        let n = self.node.clone();
        self.w.manager_status(&n)
    }

    fn read_manager_status_shared(&mut self) -> EnvResult<std::sync::Arc<SharedStatus>> {
        let n = self.node.clone();
        self.w.manager_status_shared(&n)
    }

    fn write_manager_status(&mut self, ms: &ManagerStatus) -> EnvResult<()> {
        self.w
            .pve(&self.node)?
            .check_writable("ha/manager_status")
            .map_err(|e| e.to_string())?;
        self.w.ms = Some(std::sync::Arc::new(SharedStatus::new(ms.clone())));
        self.w.ms_dirty = true;
        Ok(())
    }

    fn read_lrm_status(&mut self, node: &str) -> EnvResult<LrmStatus> {
        let n = self.node.clone();
        self.w.lrm_status(&n, node)
    }

    fn write_lrm_status(&mut self, st: LrmStatus) -> EnvResult<()> {
        let rel = format!("nodes/{}/lrm_status", self.node);
        self.w
            .pve(&self.node)?
            .check_writable(&rel)
            .map_err(|e| e.to_string())?;
        self.w.lrm.insert(self.node.clone(), st);
        self.w.lrm_dirty.insert(self.node.clone());
        Ok(())
    }

    fn read_service_config(&mut self) -> EnvResult<ServiceConfig> {
        let n = self.node.clone();
        self.w.service_config(&n).map(|sc| (*sc).clone())
    }

    fn read_service_config_shared(&mut self) -> EnvResult<std::sync::Arc<ServiceConfig>> {
        let n = self.node.clone();
        self.w.service_config(&n)
    }

    fn service_config_is_empty(&mut self) -> EnvResult<bool> {
        self.read_service_config_shared().map(|sc| sc.is_empty())
    }

    fn service_config_digest(&mut self) -> Option<String> {
        let text = self
            .w
            .pve(&self.node)
            .ok()?
            .read("ha/resources.cfg")
            .ok()
            .flatten()?;
        Some(crate::ha::config::sha1_hex(text.as_bytes()))
    }

    fn set_service_state(&mut self, sid: &str, state: &str) -> EnvResult<()> {
        let n = self.node.clone();
        let sid = sid.to_string();
        let state = crate::ha::config::RequestState::parse(state)
            .ok_or_else(|| format!("invalid state '{state}'"))?;
        self.w.edit_resources(&n, |cfg| {
            if let Some((ty, name)) = sid.split_once(':') {
                if let Some(r) = cfg.get_mut(&Sid::new(ty, name)) {
                    r.state = Some(state);
                }
            }
        })
    }

    fn migrate_service_groups(&mut self, nofailback: &[String]) -> EnvResult<()> {
        let n = self.node.clone();
        let nofailback: BTreeSet<String> = nofailback.iter().cloned().collect();
        self.w.edit_resources(&n, |cfg| {
            let sids: Vec<Sid> = cfg.sorted().iter().map(|r| r.sid.clone()).collect();
            for sid in sids {
                if let Some(r) = cfg.get_mut(&sid) {
                    if r.group.take().is_some()
                        && nofailback.contains(&format!("{}:{}", sid.ty, sid.name))
                    {
                        r.failback = Some(false);
                    }
                }
            }
        })
    }

    fn read_group_config(&mut self) -> EnvResult<Option<String>> {
        self.w
            .pve(&self.node)?
            .read("ha/groups.cfg")
            .map_err(|e| e.to_string())
    }

    fn read_rules_config(&mut self) -> EnvResult<Option<String>> {
        self.w
            .pve(&self.node)?
            .read("ha/rules.cfg")
            .map_err(|e| e.to_string())
    }

    fn write_rules_config(&mut self, text: &str) -> EnvResult<()> {
        let pve = self.w.pve(&self.node)?;
        let _g = lock_ha(self.w.root, &pve).map_err(|e| e.to_string())?;
        pve.write("ha/rules.cfg", text).map_err(|e| e.to_string())
    }

    fn delete_group_config(&mut self) -> EnvResult<()> {
        let pve = self.w.pve(&self.node)?;
        let _g = lock_ha(self.w.root, &pve).map_err(|e| e.to_string())?;
        pve.remove("ha/groups.cfg").map_err(|e| e.to_string())
    }

    fn read_crm_commands(&mut self) -> EnvResult<String> {
        let pve = self.w.pve(&self.node)?;
        let _g = lock_ha(self.w.root, &pve).map_err(|e| e.to_string())?;
        let text = pve
            .read("ha/crm_commands")
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        if !text.is_empty() {
            pve.write("ha/crm_commands", "")
                .map_err(|e| e.to_string())?;
        }
        Ok(text)
    }

    fn any_pending_crm_command(&mut self) -> EnvResult<bool> {
        Ok(self
            .w
            .pve(&self.node)?
            .read("ha/crm_commands")
            .map_err(|e| e.to_string())?
            .is_some_and(|t| !t.trim().is_empty()))
    }

    fn steal_service(&mut self, sid: &str, current: &str, new: &str) -> EnvResult<()> {
        let sc = self.read_service_config_shared()?;
        let cd = sc
            .get(sid)
            .ok_or_else(|| format!("no such service '{sid}'"))?;
        let pve = self.w.pve(&self.node)?;
        // A config that is not where the manager status places it (moved by
        // hand, or by a killed round whose move was not undone) is taken
        // from where it is; a missing one still fails the steal.
        let mut from = current.to_string();
        if !pve.path(&Self::conf_rel(cd, current)).exists() {
            if let Some(n) = self
                .w
                .members
                .iter()
                .find(|n| pve.path(&Self::conf_rel(cd, n)).exists())
            {
                from = n.clone();
            }
        }
        if from != new {
            if from != current {
                let msg = format!(
                    "service '{sid}': guest config found on node '{from}', not on '{current}' where the manager status places it; moving it to '{new}'"
                );
                self.log(Level::Warning, &msg);
                // what the lost round started there must not run twice
                if let Some(vmid) = Self::vmid(sid) {
                    crate::guest::vm::set_stopped(self.w.root, &from, vmid)
                        .map_err(|e| e.to_string())?;
                }
            }
            steal_journal_add(self.w.root, sid, &from, new).map_err(|e| e.to_string())?;
            pve.rename(&Self::conf_rel(cd, &from), &Self::conf_rel(cd, new))
                .map_err(|e| e.to_string())?;
        }
        self.w.sc = None;
        self.report_replica(sid, current, new);
        Ok(())
    }

    fn remove_locks(&mut self, sid: &str, locks: &[&str]) -> Option<String> {
        let sc = self.read_service_config_shared().ok()?;
        let cd = sc.get(sid)?;
        let node = cd.node.clone()?;
        let lock = cd.lock.clone()?;
        if !locks.contains(&lock.as_str()) {
            return None;
        }
        let rel = Self::conf_rel(cd, &node);
        let pve = self.w.pve(&self.node).ok()?;
        let text = pve.read(&rel).ok()??;
        let mut out = String::with_capacity(text.len());
        let mut in_main = true;
        for line in text.lines() {
            if line.starts_with('[') {
                in_main = false;
            }
            if in_main && line.starts_with("lock: ") {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        pve.write(&rel, &out).ok()?;
        self.w.sc = None;
        Some(lock)
    }

    fn get_lock(&mut self, name: &str) -> bool {
        let key = (self.node.clone(), name.to_string());
        // Without quorum the cluster file system is read-only, so the
        // renewal of a held lock fails; a lock taken over by another node
        // (only possible after it expired) cannot be created again.
        let error = if !self.w.is_quorate(&self.node) {
            "cfs lock update failed - Permission denied"
        } else {
            let now = self.get_time();
            match lock_acquire(&mut self.w.st.locks, name, &self.node, now) {
                Acquired::Renewed => {
                    self.w.st.held.insert(key);
                    return true;
                }
                Acquired::Taken => {
                    self.log(Level::Info, &format!("successfully acquired lock '{name}'"));
                    self.w.st.held.insert(key);
                    return true;
                }
                Acquired::Refused => "can't get cfs lock",
            }
        };
        if self.w.st.held.remove(&key) {
            // the real daemon's wording, closing quote missing (ha-lrm 2.13)
            self.log(Level::Err, &format!("lost lock '{name} - {error}"));
        }
        false
    }

    fn release_lock(&mut self, name: &str) -> bool {
        if !self.w.is_quorate(&self.node) {
            return false;
        }
        let now = self.get_time();
        let free = lock_release(&mut self.w.st.locks, name, &self.node, now);
        if free {
            self.w
                .st
                .held
                .remove(&(self.node.clone(), name.to_string()));
        }
        free
    }

    fn watchdog_open(&mut self) -> EnvResult<u64> {
        self.w.st.next_watchdog += 1;
        let h = self.w.st.next_watchdog;
        let t = self.w.hw_time;
        self.w.st.watchdogs.insert(h, (self.node.clone(), t));
        self.log(Level::Info, "watchdog active");
        Ok(h)
    }

    fn watchdog_update(&mut self, handle: u64) -> EnvResult<()> {
        let t = self.w.hw_time;
        match self.w.st.watchdogs.get_mut(&handle) {
            None => Err(format!("no such watchdog handle '{handle}'")),
            Some((_, u)) if t - *u > WATCHDOG_TIMEOUT => Err("watchdog expired".into()),
            Some((_, u)) => {
                *u = t;
                Ok(())
            }
        }
    }

    fn watchdog_close(&mut self, handle: u64) -> EnvResult<()> {
        let t = self.w.hw_time;
        match self.w.st.watchdogs.get(&handle) {
            None => Err(format!("no such watchdog handle '{handle}'")),
            Some((_, u)) if t - *u > WATCHDOG_TIMEOUT => Err("watchdog expired".into()),
            Some(_) => {
                self.w.st.watchdogs.remove(&handle);
                self.log(Level::Info, "watchdog closed (disabled)");
                Ok(())
            }
        }
    }

    fn is_node_shutdown(&self) -> (bool, bool) {
        match self.w.st.shutdown.get(&self.node).map(|s| s.as_str()) {
            Some("shutdown") => (true, false),
            Some("reboot") => (true, true),
            _ => (false, false),
        }
    }

    fn get_datacenter_settings(&mut self) -> DcSettings {
        if let Some(dc) = &self.w.dc {
            return dc.clone();
        }
        // a file that cannot be read leaves the defaults, as a missing one
        // does; the reason is shown (once per run) rather than swallowed
        let conf = match self.w.pve(&self.node).map(|p| p.datacenter()) {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                crate::store::warn_once(&[e.to_string()]);
                Default::default()
            }
            Err(_) => Default::default(),
        };
        let dc = DcSettings {
            shutdown_policy: conf
                .property("ha")
                .get("shutdown_policy")
                .map(str::to_string),
            crs: conf.property("crs").pairs.into_iter().collect(),
        };
        self.w.dc = Some(dc.clone());
        dc
    }

    fn get_node_version(&self, _node: &str) -> Option<String> {
        Some(
            if self.w.version >= 9 {
                "9.1.1"
            } else {
                "8.4.1"
            }
            .to_string(),
        )
    }

    fn get_stats(&mut self) -> Stats {
        let sc = self.read_service_config_shared().unwrap_or_default();
        let measure = self.get_datacenter_settings().scheduler_mode() == "dynamic";
        let mut nodes = BTreeMap::new();
        for n in &self.w.members {
            nodes.insert(
                n.clone(),
                NodeStats {
                    maxcpu: crate::guest::env::ClusterInfo::maxcpu(&self.w.cl, n) as f64,
                    maxmem: 137_438_953_472.0,
                    cpu: 0.0,
                    mem: 0.0,
                },
            );
        }
        // pvesim has no load model: a running guest is taken to use half of
        // its configured CPUs and memory
        let dynamic: BTreeMap<String, ServiceStats> = self
            .w
            .stats
            .iter()
            .map(|(k, s)| {
                let mut d = *s;
                d.cpu = s.maxcpu / 2.0;
                d.mem = s.maxmem / 2.0;
                (k.clone(), d)
            })
            .collect();
        // dynamic mode: the measured node usage holds the guests that run
        let mut measured_running = BTreeSet::new();
        if measure {
            for (sid, cd) in sc.iter() {
                let (Some(node), Some(vmid), Some(d)) = (
                    cd.node.as_deref(),
                    Self::vmid(sid),
                    dynamic.get(sid.as_str()),
                ) else {
                    continue;
                };
                if self.w.runs(node, vmid) {
                    if let Some(ns) = nodes.get_mut(node) {
                        ns.cpu += d.cpu;
                        ns.mem += d.mem;
                    }
                    measured_running.insert(sid.to_string());
                }
            }
        }
        Stats {
            nodes,
            static_services: self.w.stats.clone(),
            dynamic_services: dynamic,
            measured_running,
        }
    }

    fn service_running(&mut self, sid: &str, _cd: &ServiceConf) -> bool {
        Self::vmid(sid).is_some_and(|v| self.w.runs(&self.node, v))
    }

    fn service_start(&mut self, sid: &str, cd: &ServiceConf) {
        let Some(vmid) = Self::vmid(sid) else { return };
        if cd.ty == "ct" {
            let _ = crate::guest::vm::set_running(self.w.root, &self.node, vmid, self.w.hw_time);
            return;
        }
        let mut term = Term::default();
        let opts = crate::guest::power::StartOpts {
            skiplock: false,
            ha_internal: true,
        };
        let r = crate::guest::power::start(&self.w.ctx(&self.node), vmid, &opts, &mut term);
        self.log_term(&term);
        if let Err(e) = r {
            self.log(Level::Err, &format!("{e}"));
        }
    }

    fn service_shutdown(&mut self, sid: &str, cd: &ServiceConf, timeout: Option<&str>) {
        let Some(vmid) = Self::vmid(sid) else { return };
        if cd.ty == "ct" {
            let _ = crate::guest::vm::set_stopped(self.w.root, &self.node, vmid);
            return;
        }
        let mut term = Term::default();
        let opts = crate::guest::power::StopOpts {
            ha_internal: true,
            ..Default::default()
        };
        let hard = timeout == Some("0");
        let ctx = self.w.ctx(&self.node);
        let r = if hard {
            crate::guest::power::stop(&ctx, vmid, &opts, &mut term)
        } else {
            crate::guest::power::shutdown(&ctx, vmid, &opts, &mut term)
        };
        self.log_term(&term);
        if let Err(e) = r {
            self.log(Level::Err, &format!("{e}"));
        }
    }

    fn service_migrate(&mut self, sid: &str, cd: &ServiceConf, target: &str, online: bool) -> bool {
        let Some(vmid) = Self::vmid(sid) else {
            return false;
        };
        let running = self.service_running(sid, cd);
        let mut online = online;
        if cd.ty == "ct" && online && running {
            self.log(
                Level::Warning,
                "unable to live migrate running container, fallback to relocate",
            );
            online = false;
        }
        let cmd = if online { "migrate" } else { "relocate" };
        self.log(
            Level::Info,
            &format!("service {sid} - start {cmd} to node '{target}'"),
        );
        if let Some(l) = &cd.lock {
            self.log(
                Level::Err,
                &format!("service '{sid}' locked ({l}), unable to {cmd}!"),
            );
            return false;
        }
        if !online && running {
            self.log(Level::Info, &format!("stopping service {sid} (relocate)"));
            self.service_shutdown(sid, cd, None);
            self.log(Level::Info, &format!("service status {sid} stopped"));
        }
        let ok = if cd.ty == "ct" {
            let pve = match self.w.pve(&self.node) {
                Ok(p) => p,
                Err(_) => return false,
            };
            pve.rename(&Self::conf_rel(cd, &self.node), &Self::conf_rel(cd, target))
                .is_ok()
        } else {
            let mut term = Term::default();
            let opts = crate::guest::migrate::MigrateOpts {
                online: online && running,
                with_local_disks: true,
                force: true,
                ha_internal: true,
                ..Default::default()
            };
            let r = crate::guest::migrate::migrate(
                &self.w.ctx(&self.node),
                vmid,
                target,
                &opts,
                None,
                &mut term,
            );
            match r {
                Ok(()) => true,
                Err(e) => {
                    for l in term.stdout() {
                        let l = l.to_string();
                        self.log(Level::Err, &l);
                    }
                    self.log(Level::Err, &format!("{e}"));
                    false
                }
            }
        };
        self.w.sc = None;
        if ok {
            self.log(
                Level::Info,
                &format!("service {sid} - end {cmd} to node '{target}'"),
            );
        }
        ok
    }
}

/// The config of guest `name` of type `ty` (`vm`, `ct`) on `node`,
/// relative to /etc/pve.
fn guest_conf_rel(ty: &str, name: &str, node: &str) -> String {
    let dir = if ty == "ct" { "lxc" } else { "qemu-server" };
    format!("nodes/{node}/{dir}/{name}.conf")
}

/// The steals (recovery moves of a guest config) of the round in progress,
/// one line each: `<sid> <from node> <to node>`. A round's manager status
/// is written at its end; a tick killed before that leaves moved configs
/// that the written manager status knows nothing of, and the next tick
/// undoes them.
fn steal_journal_path(root: &Root) -> std::path::PathBuf {
    root.sim_dir().join("steal-journal")
}

fn steal_journal_add(root: &Root, sid: &str, from: &str, to: &str) -> Result<()> {
    let p = steal_journal_path(root);
    let mut text = read_opt(&p)?.unwrap_or_default();
    text.push_str(&format!("{sid} {from} {to}\n"));
    write_atomic(&p, text.as_bytes())?;
    Ok(())
}

/// Check the steals of the last round against the written manager status
/// (at the end of every round, and at the start of a tick after one that
/// was killed): a config the status still places on its old node goes
/// back there, and what the round started on the new node is stopped (the
/// round's decision never became the manager's). Steals the status records
/// are kept. Returns an event line (at time `t`) for each undo.
fn undo_lost_steals(root: &Root, t: i64) -> Result<Vec<String>> {
    let jp = steal_journal_path(root);
    let Some(text) = read_opt(&jp)? else {
        return Ok(Vec::new());
    };
    let ms_text = read_opt(&root.etc_pve().join("ha/manager_status"))?.unwrap_or_default();
    // an unreadable status gives no node: every recorded steal is undone
    let ms = ManagerStatus::parse(&ms_text).unwrap_or_default();
    let pve = root.etc_pve();
    let mut lines = Vec::new();
    for l in text.lines().rev() {
        let f: Vec<&str> = l.split(' ').collect();
        let [sid, from, to] = f[..] else {
            continue;
        };
        // only well-formed guests and node names: a hand-edited line
        // cannot move a file elsewhere
        let Some((ty, vmid)) = sid
            .split_once(':')
            .filter(|(ty, _)| matches!(*ty, "vm" | "ct"))
            .and_then(|(ty, n)| Some((ty, n.parse::<u32>().ok()?)))
        else {
            continue;
        };
        let valid = crate::sim::hardware::valid_node_name;
        if !valid(from) || !valid(to) {
            continue;
        }
        let name = vmid.to_string();
        let (from_rel, to_rel) = (
            guest_conf_rel(ty, &name, from),
            guest_conf_rel(ty, &name, to),
        );
        let recorded = ms
            .service_status
            .get(sid)
            .is_some_and(|sd| sd.node.as_str() == to);
        if recorded || !pve.join(&to_rel).exists() || pve.join(&from_rel).exists() {
            continue;
        }
        std::fs::rename(pve.join(&to_rel), pve.join(&from_rel)).map_err(|e| StoreError::IoAt {
            path: pve.join(&to_rel),
            source: e,
        })?;
        crate::guest::vm::set_stopped(root, to, vmid).map_err(|e| TickError::Msg(e.to_string()))?;
        lines.push(events::format_line(
            "warn",
            t,
            "pvesim",
            &format!(
                "undo the move of {sid} from '{from}' to '{to}' by an interrupted tick (the manager status still places it on '{from}')"
            ),
        ));
    }
    crate::store::remove_opt(&jp)?;
    Ok(lines)
}

/// Set (by the CLI's SIGINT/SIGTERM handler) to end a tick after the round
/// in progress, so that an interrupted tick leaves every round whole.
pub static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether [`STOP`] is set.
pub fn stop_requested() -> bool {
    STOP.load(std::sync::atomic::Ordering::Relaxed)
}

/// Run the HA stack over the state root.
pub fn tick(root: &Root, until: Until, zone: Zone) -> Result<TickReport> {
    root.require()?;
    let _g = root.lock("tick", crate::store::DEFAULT_LOCK_TIMEOUT)?;
    let undone = undo_lost_steals(root, crate::sim::clock::now(root)?)?;
    events::append(root, &undone)?;
    let st = load_state(root)?;
    let mut w = World::new(root, zone, st)?;
    let mut report = TickReport {
        start: w.hw_time,
        lines: undone,
        ..Default::default()
    };
    loop {
        if report.rounds > 0 && stop_requested() {
            report.interrupted = true;
            break;
        }
        match until {
            Until::Rounds(n) if report.rounds >= n => break,
            Until::Seconds(s) if w.hw_time - report.start >= s => break,
            Until::Stable { cap } if report.rounds >= cap => break,
            _ => {}
        }
        w.round()?;
        report.rounds += 1;
        report.lines.append(&mut w.lines);
        if let Until::Stable { .. } = until {
            if report.rounds >= 2 && w.is_stable() {
                report.stable = true;
                break;
            }
        }
    }
    if !matches!(until, Until::Stable { .. }) {
        report.stable = w.is_stable();
    }
    report.end = w.hw_time;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_stats_take_vcpus_before_sockets_times_cores() {
        let (lock, st) = scan_guest_config(
            "cores: 16\nsockets: 2\nvcpus: 3\nmemory: 2048\nlock: backup\n[snap]\nvcpus: 9\n",
        );
        assert_eq!(lock.as_deref(), Some("backup"));
        assert_eq!(st.maxcpu, 3.0);
        assert_eq!(st.maxmem, 2048.0 * 1024.0 * 1024.0);
        let (lock, st) = scan_guest_config("cores: 4\nsockets: 2\n");
        assert_eq!(lock, None);
        assert_eq!(st.maxcpu, 8.0);
        assert_eq!(st.maxmem, 512.0 * 1024.0 * 1024.0);
    }
}
