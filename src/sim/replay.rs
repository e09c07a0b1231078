//! `pvesim replay DIR`: the upstream HA regression simulator. Loads an
//! upstream test directory (cmdlist, hardware_status, service_config,
//! manager_status, groups, rules_config, datacenter.cfg, stats), runs the
//! CRM and LRM of every simulated node through the one HA engine in the
//! simulator's round-robin on its simulated clocks, injects the cmdlist
//! faults, and produces the log in the upstream line format.
//! Spec: ha-lrm-and-replay.md part B (4.1-4.16); everything is in memory.

use crate::ha::crm::Crm;
use crate::ha::env::{
    lock_acquire, lock_release, Acquired, DcSettings, Env, EnvResult, NodeStats, ServiceStats,
    Stats,
};
use crate::ha::lrm::Lrm;
use crate::ha::types::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const WATCHDOG_TIMEOUT: i64 = 60;
const CFS_ERROR: &str = "cfs connection refused - not mounted?";

/// An upstream test directory, parsed.
#[derive(Debug, Clone, Default)]
pub struct TestDir {
    pub cmdlist: Vec<Vec<String>>,
    pub hardware: BTreeMap<String, Value>,
    pub manager_status: Option<String>,
    pub service_config: BTreeMap<String, Value>,
    pub groups: Option<String>,
    pub rules: Option<String>,
    pub datacenter: Option<Value>,
    pub static_stats: Option<BTreeMap<String, Value>>,
    pub dynamic_stats: Option<BTreeMap<String, Value>>,
    pub running: BTreeMap<String, BTreeMap<String, Value>>,
    /// Stop once the command list is exhausted and this many seconds passed
    /// since the last command (upstream: 500; only tests change it).
    pub quiet_end: Option<i64>,
}

fn read_json_map(path: &Path) -> Result<Option<BTreeMap<String, Value>>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => serde_json::from_str(&t)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn read_opt_text(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

impl TestDir {
    /// Load a test directory (errors: unusable input).
    pub fn load(dir: &Path) -> Result<TestDir, String> {
        if !dir.is_dir() {
            return Err(format!(
                "testdir '{}' does not exist or is not a directory!",
                dir.display()
            ));
        }
        let cmd_path = dir.join("cmdlist");
        let cmd_text = std::fs::read_to_string(&cmd_path)
            .map_err(|e| format!("unable to open file '{}' - {e}", cmd_path.display()))?;
        let cmdlist: Vec<Vec<String>> =
            serde_json::from_str(&cmd_text).map_err(|e| format!("{}: {e}", cmd_path.display()))?;
        let hardware = read_json_map(&dir.join("hardware_status"))?.unwrap_or_else(|| {
            let mut m = BTreeMap::new();
            for n in ["node1", "node2", "node3"] {
                m.insert(
                    n.to_string(),
                    serde_json::json!({"power": "off", "network": "off"}),
                );
            }
            m
        });
        let service_config = read_json_map(&dir.join("service_config"))?.unwrap_or_else(|| {
            let mut m = BTreeMap::new();
            for (i, n) in ["node1", "node2", "node3", "node1", "node2", "node3"]
                .iter()
                .enumerate()
            {
                m.insert(format!("vm:{}", 101 + i), serde_json::json!({ "node": n }));
            }
            m
        });
        let datacenter = match read_opt_text(&dir.join("datacenter.cfg"))? {
            Some(t) => Some(serde_json::from_str(&t).map_err(|e| format!("datacenter.cfg: {e}"))?),
            None => None,
        };
        let mut running = BTreeMap::new();
        for node in hardware.keys() {
            if let Some(m) = read_json_map(&dir.join(format!("service_status_{node}")))? {
                running.insert(node.clone(), m);
            }
        }
        Ok(TestDir {
            cmdlist,
            hardware,
            manager_status: read_opt_text(&dir.join("manager_status"))?,
            service_config,
            groups: read_opt_text(&dir.join("groups"))?,
            rules: read_opt_text(&dir.join("rules_config"))?,
            datacenter,
            static_stats: read_json_map(&dir.join("static_service_stats"))?,
            dynamic_stats: read_json_map(&dir.join("dynamic_service_stats"))?,
            running,
            quiet_end: None,
        })
    }
}

/// Replay a test directory; returns the log text (one line per entry,
/// each ending in a newline).
pub fn replay(test: &TestDir) -> String {
    let mut sim = Sim::new(test);
    sim.run();
    sim.sh.out
}

/// Replay while checking the HA safety invariants after every daemon
/// iteration and hardware command: no service runs on two nodes at once; a
/// service is never recovered away from a node that still runs it; at most
/// one CRM is master among the quorate nodes. Returns the log, or the first
/// violation (with the log so far).
pub fn replay_checked(test: &TestDir) -> Result<String, (String, String)> {
    let mut sim = Sim::new(test);
    sim.check = true;
    sim.run();
    match sim.sh.violation.take() {
        None => Ok(sim.sh.out),
        Some(v) => Err((v, sim.sh.out)),
    }
}

fn val_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn val_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[derive(Debug, Clone, Default)]
struct HwNode {
    power: bool,
    network: bool,
    shutdown: Option<String>,
    cfs_rw_fail: bool,
    cfs_update_fail: bool,
    maxcpu: f64,
    maxmem: f64,
    version: Option<String>,
    base_cpu: f64,
    base_mem: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Crm,
    Lrm,
}

/// Everything the daemons share (the simulated cluster).
struct Shared {
    hw_time: i64,
    nodes: Vec<String>,
    hw: BTreeMap<String, HwNode>,
    manager_status: std::sync::Arc<SharedStatus>,
    lrm_status: BTreeMap<String, std::sync::Arc<LrmStatus>>,
    services: BTreeMap<String, serde_json::Map<String, Value>>,
    groups: Option<String>,
    rules: Option<String>,
    dc: DcSettings,
    running: BTreeMap<String, crate::ha::sidmap::SidMap<bool>>,
    crm_commands: String,
    locks: crate::ha::env::LockTable,
    watchdogs: BTreeMap<u64, (String, i64)>,
    next_watchdog: u64,
    fa_start_tries: BTreeMap<String, u32>,
    fa_migrate_tries: BTreeMap<String, u32>,
    lrm_startup_written: bool,
    static_stats: BTreeMap<String, ServiceStats>,
    dynamic_stats: BTreeMap<String, ServiceStats>,
    /// CRM and LRM Env clocks per node.
    clocks: BTreeMap<String, [i64; 2]>,
    /// Parsed service config (None: must be rebuilt from `services`).
    sc_cache: Option<std::sync::Arc<ServiceConfig>>,
    out: String,
    /// First safety violation seen (only recorded, see `replay_checked`).
    violation: Option<String>,
}

impl Shared {
    fn log_line(&mut self, level: &str, time: i64, source: &str, msg: &str) {
        let msg = msg.strip_suffix('\n').unwrap_or(msg);
        use std::fmt::Write;
        let _ = writeln!(self.out, "{level:<5} {time:>5} {source:>12}: {msg}");
    }

    fn hw_log(&mut self, source: &str, msg: &str) {
        let t = self.hw_time;
        self.log_line("info", t, source, msg);
    }

    fn online(&self, node: &str) -> bool {
        self.hw.get(node).is_some_and(|h| h.power && h.network)
    }

    fn cluster_quorate(&self) -> bool {
        let online = self.nodes.iter().filter(|n| self.online(n)).count();
        online > self.nodes.len() / 2
    }

    fn quorate(&self, node: &str) -> bool {
        self.online(node) && self.cluster_quorate()
    }

    fn clock(&self, node: &str, kind: Kind) -> i64 {
        self.clocks.get(node).map(|c| c[kind as usize]).unwrap_or(0)
    }

    fn set_clock(&mut self, node: &str, kind: Kind, t: i64) {
        match self.clocks.get_mut(node) {
            Some(c) => c[kind as usize] = t,
            None => {
                let mut c = [0; 2];
                c[kind as usize] = t;
                self.clocks.insert(node.to_string(), c);
            }
        }
    }

    fn service_conf(&self, sid: &str) -> Result<ServiceConf, String> {
        let e = &self.services[sid];
        let Some(node) = e.get("node").map(val_str) else {
            return Err(format!("service '{sid}' without assigned node!"));
        };
        let (ty, name) = sid.split_once(':').unwrap_or(("", ""));
        if !matches!(ty, "vm" | "ct" | "fa")
            || name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("implement me".to_string());
        }
        let state = e
            .get("state")
            .map(val_str)
            .and_then(|s| ConfState::parse(&s))
            .unwrap_or(ConfState::Disabled);
        let num =
            |k: &str, d: u32| -> u32 { e.get(k).and_then(val_f64).map(|v| v as u32).unwrap_or(d) };
        Ok(ServiceConf {
            ty: ty.into(),
            name: name.into(),
            node: Some(node.into()),
            state,
            group: e.get("group").map(val_str),
            failback: num("failback", 1) != 0,
            max_restart: num("max_restart", 1),
            max_relocate: num("max_relocate", 1),
            comment: e.get("comment").map(val_str),
            lock: e.get("lock").map(val_str),
        })
    }

    fn service_config(&mut self) -> Result<std::sync::Arc<ServiceConfig>, String> {
        if let Some(sc) = &self.sc_cache {
            return Ok(std::sync::Arc::clone(sc));
        }
        let mut out = ServiceConfig::new();
        for sid in self.services.keys() {
            out.insert(sid.clone(), self.service_conf(sid)?);
        }
        let sc = std::sync::Arc::new(out);
        self.sc_cache = Some(std::sync::Arc::clone(&sc));
        Ok(sc)
    }

    /// Mutable access to the raw service entries (drops the parsed cache).
    fn services_mut(&mut self) -> &mut BTreeMap<String, serde_json::Map<String, Value>> {
        self.sc_cache = None;
        &mut self.services
    }

    fn is_running(&self, node: &str, sid: &str) -> bool {
        self.running
            .get(node)
            .and_then(|m| m.get(sid))
            .copied()
            .unwrap_or(false)
    }

    fn set_running(&mut self, node: &str, sid: &str, on: bool) {
        self.running
            .entry(node.to_string())
            .or_default()
            .insert(sid.to_string(), on);
    }
}

/// The Env of one daemon of one node in the simulator.
struct SimEnv<'a> {
    sh: &'a mut Shared,
    node: String,
    kind: Kind,
}

impl SimEnv<'_> {
    fn source(&self) -> String {
        match self.kind {
            Kind::Crm => format!("{}/crm", self.node),
            Kind::Lrm => format!("{}/lrm", self.node),
        }
    }

    fn check_cfs(&self) -> EnvResult<()> {
        if self.sh.hw[&self.node].cfs_rw_fail {
            Err(CFS_ERROR.to_string())
        } else {
            Ok(())
        }
    }

    /// fa:<digits> behaviour digit at position `i` (b=1, c=2, d=3, f=5).
    fn fa_digit(sid: &str, i: usize, default: u32) -> Option<u32> {
        let name = sid.strip_prefix("fa:")?;
        if name.len() < 3 {
            return None;
        }
        Some(
            name.as_bytes()
                .get(i)
                .map(|b| (b - b'0') as u32)
                .unwrap_or(default),
        )
    }

    fn fa_applies_here(&self, sid: &str) -> bool {
        match Self::fa_digit(sid, 5, 0) {
            Some(0) | None => true,
            Some(f) => self.node == format!("node{f}"),
        }
    }
}

impl Env for SimEnv<'_> {
    fn nodename(&self) -> &str {
        &self.node
    }

    fn get_time(&self) -> i64 {
        self.sh.clock(&self.node, self.kind)
    }

    fn log(&mut self, level: Level, msg: &str) {
        let t = self.get_time();
        let src = self.source();
        self.sh.log_line(level.short(), t, &src, msg);
    }

    fn quorate(&self) -> bool {
        self.sh.quorate(&self.node)
    }

    fn get_node_info(&self) -> BTreeMap<String, bool> {
        let q = self.sh.cluster_quorate();
        self.sh
            .nodes
            .iter()
            .map(|n| (n.clone(), q && self.sh.online(n)))
            .collect()
    }

    fn cluster_state_update(&mut self) -> bool {
        !self.sh.hw[&self.node].cfs_update_fail
    }

    fn read_manager_status(&mut self) -> EnvResult<ManagerStatus> {
        self.check_cfs()?;
        Ok((*self.sh.manager_status).clone())
    }

    fn read_manager_status_shared(&mut self) -> EnvResult<std::sync::Arc<SharedStatus>> {
        self.check_cfs()?;
        Ok(std::sync::Arc::clone(&self.sh.manager_status))
    }

    fn write_manager_status(&mut self, ms: &ManagerStatus) -> EnvResult<()> {
        self.check_cfs()?;
        self.sh.manager_status = std::sync::Arc::new(SharedStatus::new(ms.clone()));
        Ok(())
    }

    fn read_lrm_status(&mut self, node: &str) -> EnvResult<LrmStatus> {
        self.check_cfs()?;
        Ok(self
            .sh
            .lrm_status
            .get(node)
            .map(|st| (**st).clone())
            .unwrap_or_else(LrmStatus::empty))
    }

    fn read_lrm_status_shared(&mut self, node: &str) -> EnvResult<std::sync::Arc<LrmStatus>> {
        self.check_cfs()?;
        Ok(match self.sh.lrm_status.get(node) {
            Some(st) => std::sync::Arc::clone(st),
            None => std::sync::Arc::new(LrmStatus::empty()),
        })
    }

    fn write_lrm_status(&mut self, st: LrmStatus) -> EnvResult<()> {
        self.check_cfs()?;
        self.sh
            .lrm_status
            .insert(self.node.clone(), std::sync::Arc::new(st));
        Ok(())
    }

    fn read_service_config(&mut self) -> EnvResult<ServiceConfig> {
        self.check_cfs()?;
        self.sh.service_config().map(|sc| (*sc).clone())
    }

    fn read_service_config_shared(&mut self) -> EnvResult<std::sync::Arc<ServiceConfig>> {
        self.check_cfs()?;
        self.sh.service_config()
    }

    fn service_config_is_empty(&mut self) -> EnvResult<bool> {
        self.check_cfs()?;
        if self.sh.services.is_empty() {
            return Ok(true);
        }
        self.sh.service_config().map(|sc| sc.is_empty())
    }

    fn set_service_state(&mut self, sid: &str, state: &str) -> EnvResult<()> {
        if let Some(e) = self.sh.services_mut().get_mut(sid) {
            e.insert("state".into(), Value::String(state.into()));
        }
        Ok(())
    }

    fn migrate_service_groups(&mut self, nofailback: &[String]) -> EnvResult<()> {
        for (sid, e) in self.sh.services_mut().iter_mut() {
            if e.remove("group").is_some() && nofailback.contains(sid) {
                e.insert("failback".into(), Value::from(0));
            }
        }
        Ok(())
    }

    fn read_group_config(&mut self) -> EnvResult<Option<String>> {
        self.check_cfs()?;
        Ok(self.sh.groups.clone())
    }

    fn read_rules_config(&mut self) -> EnvResult<Option<String>> {
        self.check_cfs()?;
        Ok(self.sh.rules.clone())
    }

    fn write_rules_config(&mut self, text: &str) -> EnvResult<()> {
        self.check_cfs()?;
        self.sh.rules = Some(text.to_string());
        Ok(())
    }

    fn delete_group_config(&mut self) -> EnvResult<()> {
        self.check_cfs()?;
        self.sh.groups = None;
        Ok(())
    }

    fn read_crm_commands(&mut self) -> EnvResult<String> {
        self.check_cfs()?;
        Ok(std::mem::take(&mut self.sh.crm_commands))
    }

    fn any_pending_crm_command(&mut self) -> EnvResult<bool> {
        self.check_cfs()?;
        Ok(!self.sh.crm_commands.is_empty())
    }

    fn steal_service(&mut self, sid: &str, current: &str, new: &str) -> EnvResult<()> {
        self.check_cfs()?;
        if self.sh.is_running(current, sid) && self.sh.violation.is_none() {
            self.sh.violation = Some(format!(
                "t={}: {sid} recovered from '{current}' to '{new}' while still running on '{current}'",
                self.get_time()
            ));
        }
        if let Some(e) = self.sh.services_mut().get_mut(sid) {
            e.insert("node".into(), Value::String(new.into()));
        }
        Ok(())
    }

    fn remove_locks(&mut self, sid: &str, locks: &[&str]) -> Option<String> {
        let e = self.sh.services_mut().get_mut(sid)?;
        let lock = e.get("lock").map(val_str)?;
        if locks.contains(&lock.as_str()) {
            e.remove("lock");
            Some(lock)
        } else {
            None
        }
    }

    fn get_lock(&mut self, name: &str) -> bool {
        if !self.sh.quorate(&self.node) {
            return false;
        }
        let now = self.get_time();
        match lock_acquire(&mut self.sh.locks, name, &self.node, now) {
            Acquired::Renewed => true,
            Acquired::Refused => false,
            Acquired::Taken => {
                self.log(Level::Info, &format!("got lock '{name}'"));
                true
            }
        }
    }

    fn release_lock(&mut self, name: &str) -> bool {
        if !self.sh.quorate(&self.node) {
            return false;
        }
        let now = self.get_time();
        lock_release(&mut self.sh.locks, name, &self.node, now)
    }

    fn watchdog_open(&mut self) -> EnvResult<u64> {
        self.sh.next_watchdog += 1;
        let h = self.sh.next_watchdog;
        let t = self.sh.hw_time;
        self.sh.watchdogs.insert(h, (self.node.clone(), t));
        Ok(h)
    }

    fn watchdog_update(&mut self, handle: u64) -> EnvResult<()> {
        let t = self.sh.hw_time;
        match self.sh.watchdogs.get_mut(&handle) {
            None => Err(format!("no such watchdog handle '{handle}'")),
            Some((_, u)) if t - *u > WATCHDOG_TIMEOUT => Err("watchdog expired".into()),
            Some((_, u)) => {
                *u = t;
                Ok(())
            }
        }
    }

    fn watchdog_close(&mut self, handle: u64) -> EnvResult<()> {
        let t = self.sh.hw_time;
        match self.sh.watchdogs.get(&handle) {
            None => Err(format!("no such watchdog handle '{handle}'")),
            Some((_, u)) if t - *u > WATCHDOG_TIMEOUT => Err("watchdog expired".into()),
            Some(_) => {
                self.sh.watchdogs.remove(&handle);
                Ok(())
            }
        }
    }

    fn is_node_shutdown(&self) -> (bool, bool) {
        match self.sh.hw[&self.node].shutdown.as_deref() {
            Some("shutdown") => (true, false),
            Some("reboot") => (true, true),
            _ => (false, false),
        }
    }

    fn get_datacenter_settings(&mut self) -> DcSettings {
        self.sh.dc.clone()
    }

    fn get_node_version(&self, node: &str) -> Option<String> {
        Some(
            self.sh
                .hw
                .get(node)
                .and_then(|h| h.version.clone())
                .unwrap_or_else(|| "9.0.0~2".to_string()),
        )
    }

    fn get_stats(&mut self) -> Stats {
        // measured node usage: base usage plus the running services
        // configured on the node
        let mut used: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        let mut measured_running = BTreeSet::new();
        for (sid, e) in &self.sh.services {
            let Some(Value::String(n)) = e.get("node") else {
                continue;
            };
            if self.sh.is_running(n, sid) {
                measured_running.insert(sid.clone());
                if let Some(d) = self.sh.dynamic_stats.get(sid) {
                    let u = used.entry(n.as_str()).or_default();
                    u.0 += d.cpu;
                    u.1 += d.mem;
                }
            }
        }
        let nodes = self
            .sh
            .hw
            .iter()
            .map(|(n, h)| {
                let (c, m) = used.get(n.as_str()).copied().unwrap_or_default();
                (
                    n.clone(),
                    NodeStats {
                        maxcpu: h.maxcpu,
                        maxmem: h.maxmem,
                        cpu: h.base_cpu + c,
                        mem: h.base_mem + m,
                    },
                )
            })
            .collect();
        Stats {
            nodes,
            static_services: self.sh.static_stats.clone(),
            dynamic_services: self.sh.dynamic_stats.clone(),
            measured_running,
        }
    }

    fn service_running(&mut self, sid: &str, _cd: &ServiceConf) -> bool {
        self.sh.is_running(&self.node, sid)
    }

    fn service_start(&mut self, sid: &str, cd: &ServiceConf) {
        if let Some(l) = &cd.lock {
            self.log(
                Level::Err,
                &format!("service '{sid}' locked ({l}), unable to start!"),
            );
            return;
        }
        if let Some(b) = Self::fa_digit(sid, 1, 0) {
            let key = sid.to_string();
            if self.fa_applies_here(sid) {
                let c = self.sh.fa_start_tries.entry(key).or_insert(0);
                *c += 1;
                if b >= *c {
                    return;
                }
                *c = 0;
            } else {
                self.sh.fa_start_tries.insert(key, 0);
            }
        }
        let n = self.node.clone();
        self.sh.set_running(&n, sid, true);
    }

    fn service_shutdown(&mut self, sid: &str, cd: &ServiceConf, _timeout: Option<&str>) {
        if let Some(l) = &cd.lock {
            self.log(
                Level::Err,
                &format!("service '{sid}' locked ({l}), unable to shutdown!"),
            );
            return;
        }
        if Self::fa_digit(sid, 3, 0).is_some_and(|d| d != 0) {
            return;
        }
        let n = self.node.clone();
        self.sh.set_running(&n, sid, false);
    }

    fn service_migrate(&mut self, sid: &str, cd: &ServiceConf, target: &str, online: bool) -> bool {
        let mut online = online;
        let running = self.sh.is_running(&self.node, sid);
        if cd.ty == "ct" && online && running {
            self.log(
                Level::Warning,
                "unable to live migrate running container, fallback to relocate",
            );
            online = false;
        }
        if let Some(c) = Self::fa_digit(sid, 2, 0) {
            let key = sid.to_string();
            if self.fa_applies_here(sid) {
                let t = self.sh.fa_migrate_tries.entry(key).or_insert(0);
                *t += 1;
                if c >= *t {
                    return false;
                }
                *t = 0;
            } else {
                self.sh.fa_migrate_tries.insert(key, 0);
            }
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
        if let Some(e) = self.sh.services_mut().get_mut(sid) {
            e.insert("node".into(), Value::String(target.into()));
        }
        self.log(
            Level::Info,
            &format!("service {sid} - end {cmd} to node '{target}'"),
        );
        let n = self.node.clone();
        if let Some(m) = self.sh.running.get_mut(&n) {
            m.remove(sid);
        }
        true
    }
}

#[derive(Default)]
struct Daemons {
    crm: Option<Crm>,
    lrm: Option<Lrm>,
    crm_stop: bool,
    lrm_restart: bool,
}

/// The simulator: shared state plus the daemons of every node.
struct Sim {
    sh: Shared,
    daemons: BTreeMap<String, Daemons>,
    cmdlist: std::collections::VecDeque<Vec<String>>,
    check: bool,
    quiet_end: i64,
    /// Benchmark time model: all daemons of a round run at the round's
    /// start time (the hardware clock does not move per iteration).
    parallel: bool,
}

type SimResult<T = ()> = Result<T, String>;

impl Sim {
    fn new(test: &TestDir) -> Sim {
        let mut hw = BTreeMap::new();
        for (n, v) in &test.hardware {
            let s = |k: &str| v.get(k).map(val_str);
            hw.insert(
                n.clone(),
                HwNode {
                    power: s("power").as_deref() == Some("on"),
                    network: s("network").as_deref() == Some("on"),
                    shutdown: None,
                    cfs_rw_fail: false,
                    cfs_update_fail: false,
                    maxcpu: v.get("maxcpu").and_then(val_f64).unwrap_or(24.0),
                    maxmem: v
                        .get("maxmem")
                        .and_then(val_f64)
                        .unwrap_or(137_438_953_472.0),
                    version: s("pve-manager-version"),
                    base_cpu: v.get("cpu").and_then(val_f64).unwrap_or(0.0),
                    base_mem: v.get("mem").and_then(val_f64).unwrap_or(0.0),
                },
            );
        }
        let services: BTreeMap<String, serde_json::Map<String, Value>> = test
            .service_config
            .iter()
            .map(|(k, v)| (k.clone(), v.as_object().cloned().unwrap_or_default()))
            .collect();
        let mut dc = DcSettings::default();
        if let Some(d) = &test.datacenter {
            if let Some(p) = d.get("ha").and_then(|h| h.get("shutdown_policy")) {
                dc.shutdown_policy = Some(val_str(p));
            }
            if let Some(Value::Object(crs)) = d.get("crs") {
                for (k, v) in crs {
                    dc.crs.insert(k.clone(), val_str(v));
                }
            }
        }
        let static_stats: BTreeMap<String, ServiceStats> = match &test.static_stats {
            Some(m) => m
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        ServiceStats {
                            maxcpu: v.get("maxcpu").and_then(val_f64).unwrap_or(0.0),
                            maxmem: v.get("maxmem").and_then(val_f64).unwrap_or(0.0),
                            cpu: 0.0,
                            mem: 0.0,
                        },
                    )
                })
                .collect(),
            None => services
                .keys()
                .map(|k| {
                    (
                        k.clone(),
                        ServiceStats {
                            maxcpu: 4.0,
                            maxmem: 4_294_967_296.0,
                            cpu: 0.0,
                            mem: 0.0,
                        },
                    )
                })
                .collect(),
        };
        let dynamic_stats: BTreeMap<String, ServiceStats> = match &test.dynamic_stats {
            Some(m) => m
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        ServiceStats {
                            maxcpu: 0.0,
                            maxmem: 0.0,
                            cpu: v.get("cpu").and_then(val_f64).unwrap_or(0.0),
                            mem: v.get("mem").and_then(val_f64).unwrap_or(0.0),
                        },
                    )
                })
                .collect(),
            None => static_stats
                .keys()
                .map(|k| {
                    (
                        k.clone(),
                        ServiceStats {
                            maxcpu: 0.0,
                            maxmem: 0.0,
                            cpu: 2.0,
                            mem: 2_147_483_648.0,
                        },
                    )
                })
                .collect(),
        };
        let mut running = BTreeMap::new();
        for (n, m) in &test.running {
            running.insert(
                n.clone(),
                m.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            val_f64(v).unwrap_or(0.0) != 0.0 || v == &Value::Bool(true),
                        )
                    })
                    .collect(),
            );
        }
        let manager_status = test
            .manager_status
            .as_deref()
            .and_then(|t| ManagerStatus::parse(t).ok())
            .unwrap_or_default();
        let nodes: Vec<String> = hw.keys().cloned().collect();
        let daemons = nodes
            .iter()
            .map(|n| (n.clone(), Daemons::default()))
            .collect();
        Sim {
            sh: Shared {
                hw_time: 0,
                nodes,
                hw,
                manager_status: std::sync::Arc::new(SharedStatus::new(manager_status)),
                lrm_status: BTreeMap::new(),
                services,
                groups: test.groups.clone(),
                rules: test.rules.clone(),
                dc,
                running,
                crm_commands: String::new(),
                locks: BTreeMap::new(),
                watchdogs: BTreeMap::new(),
                next_watchdog: 0,
                fa_start_tries: BTreeMap::new(),
                fa_migrate_tries: BTreeMap::new(),
                lrm_startup_written: false,
                static_stats,
                dynamic_stats,
                clocks: BTreeMap::new(),
                sc_cache: None,
                out: String::new(),
                violation: None,
            },
            daemons,
            cmdlist: test.cmdlist.iter().cloned().collect(),
            check: false,
            quiet_end: test.quiet_end.unwrap_or(500),
            parallel: false,
        }
    }

    fn env(&mut self, node: &str, kind: Kind) -> SimEnv<'_> {
        SimEnv {
            sh: &mut self.sh,
            node: node.to_string(),
            kind,
        }
    }

    fn run(&mut self) {
        self.sh.hw_log("hardware", "starting simulation");
        if let Err(e) = self.run_loop() {
            let t = self.sh.hw_time;
            let msg = format!("exit simulation - {e}\n ");
            for line in msg.lines() {
                use std::fmt::Write;
                let _ = if line == " " {
                    writeln!(self.sh.out, " ")
                } else {
                    writeln!(
                        self.sh.out,
                        "{:<5} {:>5} {:>12}: {}",
                        "err", t, "hardware", line
                    )
                };
            }
            return;
        }
        self.sh.hw_log("hardware", "exit simulation - done");
    }

    fn run_loop(&mut self) -> SimResult {
        let mut loop_count: u64 = 0;
        let mut last_command_time: i64 = 0;
        let mut next_cmd_at: i64 = 0;
        let mut skip_crm: u32 = 0;
        let mut skip_lrm: u32 = 0;
        loop {
            let start = self.sh.hw_time;
            let nodes = self.sh.nodes.clone();
            let looptime = std::cmp::max(20, 2 * nodes.len() as i64);
            if looptime >= 60 {
                return Err("unable to simulate so many nodes. You need to increase watchdog/lock timeouts.".into());
            }
            self.daemon_turns(&nodes, skip_crm, skip_lrm)?;
            skip_crm = skip_crm.saturating_sub(1);
            skip_lrm = skip_lrm.saturating_sub(1);
            if self.sh.hw_time - start < looptime {
                self.sh.hw_time = start + looptime;
            }
            if self.sh.hw_time > 10000 {
                return Err("simulation exceeded maximum time (10000) - force end".into());
            }
            let h = self.sh.hw_time;
            for n in &nodes {
                self.sh.set_clock(n, Kind::Crm, h);
                self.sh.set_clock(n, Kind::Lrm, h);
            }
            if h < next_cmd_at {
                continue;
            }
            if loop_count.is_multiple_of(5) {
                match self.cmdlist.pop_front() {
                    None => {
                        if h - last_command_time > self.quiet_end {
                            break;
                        }
                    }
                    Some(batch) => {
                        for cmd in batch {
                            last_command_time = h;
                            let words: Vec<&str> = cmd.split_whitespace().collect();
                            match words.first().copied() {
                                Some("delay") => {
                                    self.sh.hw_log("cmdlist", &format!("execute {cmd}"));
                                    let n: i64 =
                                        words.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
                                    next_cmd_at = h + n;
                                }
                                Some("skip-round") => {
                                    self.sh.hw_log("cmdlist", &format!("execute {cmd}"));
                                    let n: u32 =
                                        words.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
                                    match words.get(1).copied() {
                                        Some("crm") => skip_crm += n,
                                        Some("lrm") => skip_lrm += n,
                                        _ => {}
                                    }
                                }
                                _ => self.hardware_cmd(&cmd, "cmdlist")?,
                            }
                        }
                    }
                }
            }
            loop_count += 1;
        }
        Ok(())
    }

    /// Every node's turn of one round: its CRM, then its LRM, then the
    /// watchdog check of all nodes.
    fn daemon_turns(&mut self, nodes: &[String], skip_crm: u32, skip_lrm: u32) -> SimResult {
        for (i, node) in nodes.iter().enumerate() {
            let first = i == 0;
            if self.daemons[node].crm.is_some() {
                if skip_crm == 0 {
                    let r = self.iterate(node, Kind::Crm)?;
                    if !r {
                        self.crm_exit(node)?;
                    }
                } else if first {
                    self.sh.hw_log("run-loop", "skipping CRM round");
                }
            }
            if self.daemons[node].lrm.is_some() {
                if skip_lrm == 0 {
                    let r = self.iterate(node, Kind::Lrm)?;
                    if !r {
                        self.lrm_exit(node)?;
                    }
                } else if first {
                    self.sh.hw_log("run-loop", "skipping LRM round");
                }
            }
            for n in nodes {
                self.watchdog_check(n)?;
            }
        }
        Ok(())
    }

    /// Run one iteration of a daemon with the clock hooks; Ok(false) = exit.
    fn iterate(&mut self, node: &str, kind: Kind) -> SimResult<bool> {
        let h = self.sh.hw_time;
        self.sh.set_clock(node, kind, h);
        let d = self.daemons.get_mut(node).expect("node");
        let r = match kind {
            Kind::Crm => {
                let mut crm = d.crm.take().expect("crm");
                let mut env = SimEnv {
                    sh: &mut self.sh,
                    node: node.to_string(),
                    kind,
                };
                let r = crm.do_one_iteration(&mut env);
                self.daemons.get_mut(node).expect("node").crm = Some(crm);
                r
            }
            Kind::Lrm => {
                let mut lrm = d.lrm.take().expect("lrm");
                let mut flag = self.sh.lrm_startup_written;
                let mut env = SimEnv {
                    sh: &mut self.sh,
                    node: node.to_string(),
                    kind,
                };
                let r = lrm.do_one_iteration(&mut env, &mut flag);
                self.sh.lrm_startup_written = flag;
                self.daemons.get_mut(node).expect("node").lrm = Some(lrm);
                r
            }
        }?;
        self.check_invariants();
        let c = self.sh.clock(node, kind) + 1;
        self.sh.set_clock(node, kind, c);
        if !self.parallel && c > self.sh.hw_time {
            self.sh.hw_time = c;
        }
        Ok(r)
    }

    fn check_invariants(&mut self) {
        if !self.check || self.sh.violation.is_some() {
            return;
        }
        let t = self.sh.hw_time;
        let mut where_running: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (node, m) in &self.sh.running {
            if !self.sh.hw.get(node).is_some_and(|h| h.power) {
                continue;
            }
            for (sid, on) in m {
                if *on {
                    where_running.entry(sid).or_default().push(node);
                }
            }
        }
        if let Some((sid, nodes)) = where_running.iter().find(|(_, n)| n.len() > 1) {
            self.sh.violation = Some(format!("t={t}: {sid} runs on {nodes:?}"));
            return;
        }
        let masters: Vec<&String> = self
            .daemons
            .iter()
            .filter(|(n, d)| d.crm.as_ref().is_some_and(|c| c.is_master()) && self.sh.quorate(n))
            .map(|(n, _)| n)
            .collect();
        if masters.len() > 1 {
            self.sh.violation = Some(format!("t={t}: several quorate masters {masters:?}"));
        }
    }

    fn watchdog_check(&mut self, node: &str) -> SimResult {
        let h = self.sh.hw_time;
        let expired: Vec<u64> = self
            .sh
            .watchdogs
            .iter()
            .filter(|(_, (n, t))| n == node && h - t > WATCHDOG_TIMEOUT)
            .map(|(k, _)| *k)
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        for k in expired {
            self.sh.watchdogs.remove(&k);
        }
        self.hardware_cmd(&format!("power {node} off"), "watchdog")?;
        self.sh.hw_log(
            "hardware",
            &format!("server '{node}' stopped by poweroff (watchdog)"),
        );
        Ok(())
    }

    fn crm_exit(&mut self, node: &str) -> SimResult {
        self.env(node, Kind::Crm)
            .log(Level::Info, "exit (loop end)");
        let d = self.daemons.get_mut(node).expect("node");
        d.crm = None;
        let crm_stop = std::mem::take(&mut d.crm_stop);
        match self.sh.hw[node].shutdown.clone().as_deref() {
            Some("reboot") => {
                self.hardware_cmd(&format!("power {node} off"), "reboot")?;
                self.hardware_cmd(&format!("power {node} on"), "reboot")?;
            }
            Some("shutdown") => {
                self.hardware_cmd(&format!("power {node} off"), "shutdown")?;
            }
            _ => {
                if !crm_stop {
                    return Err("unexpected CRM exit - not implemented".into());
                }
            }
        }
        Ok(())
    }

    fn lrm_exit(&mut self, node: &str) -> SimResult {
        self.env(node, Kind::Lrm)
            .log(Level::Info, "exit (loop end)");
        let d = self.daemons.get_mut(node).expect("node");
        d.lrm = None;
        let shutdown = self.sh.hw[node].shutdown.clone();
        if self.daemons[node].lrm_restart {
            if shutdown.is_some() {
                return Err("lrm restart during shutdown - not implemented".into());
            }
            self.daemons.get_mut(node).expect("node").lrm_restart = false;
            let lrm = Lrm::new(&mut self.env(node, Kind::Lrm));
            self.daemons.get_mut(node).expect("node").lrm = Some(lrm);
            return Ok(());
        }
        match shutdown.as_deref() {
            Some(s @ ("reboot" | "shutdown")) => {
                let s = s.to_string();
                self.hardware_cmd(&format!("crm {node} stop"), &s)
            }
            _ => Err("unexpected LRM exit - not implemented".into()),
        }
    }

    fn hardware_cmd(&mut self, cmdstr: &str, source: &str) -> SimResult {
        let words: Vec<&str> = cmdstr.split_whitespace().collect();
        let cmd = words.first().copied().unwrap_or("");
        let Some(obj) = words.get(1).copied() else {
            return Err("sim_hardware_cmd: no node or service for command specified".into());
        };
        let action = words.get(2).copied().unwrap_or("");
        let params: Vec<&str> = words.iter().skip(3).copied().collect();
        if cmd == "service" {
            let valid = obj.split_once(':').is_some_and(|(t, n)| {
                !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase()) && !n.is_empty()
            });
            if !valid {
                return Err("value does not look like a valid ha resource id".into());
            }
        } else if !self.sh.hw.contains_key(obj) {
            return Err(format!("sim_hardware_cmd: no such node '{obj}'"));
        }
        self.sh.hw_log(source, &format!("execute {cmdstr}"));
        let r = self.hardware_action(cmd, obj, action, &params, cmdstr);
        self.check_invariants();
        r
    }

    fn hardware_action(
        &mut self,
        cmd: &str,
        obj: &str,
        action: &str,
        params: &[&str],
        cmdstr: &str,
    ) -> SimResult {
        let node = obj;
        match cmd {
            "power" => match action {
                "on" => self.power_on(node),
                "off" => self.power_off(node),
                a => return Err(format!("sim_hardware_cmd: unknown action '{a}'")),
            },
            "network" => match action {
                "on" => self.sh.hw.get_mut(node).expect("node").network = true,
                "off" => self.sh.hw.get_mut(node).expect("node").network = false,
                a => return Err(format!("sim_hardware_cmd: unknown action '{a}'")),
            },
            "reboot" | "shutdown" => {
                self.sh.hw.get_mut(node).expect("node").shutdown = Some(cmd.to_string());
                self.lrm_shutdown_request(node);
            }
            "restart-lrm" => {
                if self.daemons[node].lrm.is_some() {
                    self.daemons.get_mut(node).expect("node").lrm_restart = true;
                    self.lrm_shutdown_request(node);
                }
            }
            "cfs" => {
                let p = params.first().copied().unwrap_or("");
                let fail = match p {
                    "work" => false,
                    "fail" => true,
                    _ => {
                        return Err(format!(
                            "sim_hardware_cmd: unknown cfs command '{p}' for '{action}' on node '{node}'"
                        ))
                    }
                };
                let h = self.sh.hw.get_mut(node).expect("node");
                match action {
                    "rw" => h.cfs_rw_fail = fail,
                    "update" => h.cfs_update_fail = fail,
                    a => {
                        return Err(format!(
                            "sim_hardware_cmd: unknown cfs action '{a}' for node '{node}'"
                        ))
                    }
                }
            }
            "pve-manager-version" => match action {
                "set" => {
                    self.sh.hw.get_mut(node).expect("node").version =
                        params.first().map(|s| s.to_string());
                }
                a => return Err(format!("sim_hardware_cmd: unknown version action '{a}'")),
            },
            "crm" => match action {
                "stop" => {
                    if self.daemons[node].crm.is_some() {
                        let d = self.daemons.get_mut(node).expect("node");
                        d.crm_stop = true;
                        let mut crm = d.crm.take().expect("crm");
                        crm.shutdown_request(&mut self.env(node, Kind::Crm));
                        self.daemons.get_mut(node).expect("node").crm = Some(crm);
                    }
                }
                "start" => {
                    if self.daemons[node].crm.is_none() {
                        let crm = Crm::new(&mut self.env(node, Kind::Crm));
                        self.daemons.get_mut(node).expect("node").crm = Some(crm);
                    }
                }
                "enable-node-maintenance" | "disable-node-maintenance" => {
                    self.sh.crm_commands.push_str(&format!("{action} {node}\n"));
                }
                "disarm-ha" => {
                    let m = params.first().copied().unwrap_or("");
                    if m != "freeze" && m != "ignore" {
                        return Err(format!("sim_hardware_cmd: unknown resource mode '{m}'"));
                    }
                    self.sh.crm_commands.push_str(&format!("disarm-ha {m}\n"));
                }
                "arm-ha" => self.sh.crm_commands.push_str("arm-ha\n"),
                a => return Err(format!("sim_hardware_cmd: unknown action '{a}'")),
            },
            "service" => self.service_cmd(obj, action, params)?,
            _ => return Err(format!("sim_hardware_cmd: unknown command '{cmdstr}'")),
        }
        Ok(())
    }

    fn service_cmd(&mut self, sid: &str, action: &str, params: &[&str]) -> SimResult {
        let exists = self.sh.services.contains_key(sid);
        match action {
            "started" | "disabled" | "stopped" | "ignored" => {
                let e = self
                    .sh
                    .services_mut()
                    .get_mut(sid)
                    .ok_or_else(|| format!("no such service '{sid}'"))?;
                e.insert("state".into(), Value::String(action.into()));
            }
            "migrate" | "relocate" => {
                let Some(t) = params.first() else {
                    return Err(format!(
                        "sim_hardware_cmd: missing target node for '{action}' command"
                    ));
                };
                self.sh
                    .crm_commands
                    .push_str(&format!("{action} {sid} {t}\n"));
            }
            "stop" => {
                let Some(t) = params.first() else {
                    return Err("sim_hardware_cmd: missing timeout for 'stop' command".into());
                };
                self.sh.crm_commands.push_str(&format!("stop {sid} {t}\n"));
            }
            "add" => {
                if exists {
                    return Err(format!("resource ID '{sid}' already defined"));
                }
                let node = params.first().copied().unwrap_or("").to_string();
                let state = params.get(1).copied().unwrap_or("started");
                let running = params.get(2).copied().unwrap_or("0");
                let mut m = serde_json::Map::new();
                m.insert("state".into(), Value::String(state.into()));
                m.insert("node".into(), Value::String(node.clone()));
                self.sh.services_mut().insert(sid.to_string(), m);
                let on = running.parse::<i64>().unwrap_or(0) != 0;
                self.sh.set_running(&node, sid, on);
            }
            "delete" => {
                if self.sh.services_mut().remove(sid).is_none() {
                    return Err(format!("no such service '{sid}'"));
                }
                self.sh.static_stats.remove(sid);
            }
            "lock" => {
                let name = params.first().copied().unwrap_or("backup");
                let e = self
                    .sh
                    .services_mut()
                    .get_mut(sid)
                    .ok_or_else(|| format!("no such service '{sid}'"))?;
                e.insert("lock".into(), Value::String(name.into()));
            }
            "unlock" => {
                let e = self
                    .sh
                    .services_mut()
                    .get_mut(sid)
                    .ok_or_else(|| format!("no such service '{sid}'"))?;
                match params.first() {
                    Some(name) => {
                        if e.get("lock").map(val_str).as_deref() == Some(*name) {
                            e.remove("lock");
                        }
                    }
                    None => {
                        e.remove("lock");
                    }
                }
            }
            "set-static-stats" | "set-dynamic-stats" => {
                if params.is_empty() {
                    return Err(format!(
                        "sim_hardware_cmd: missing target stat for '{action}' command"
                    ));
                }
                let is_static = action == "set-static-stats";
                let mut i = 0;
                while i < params.len() {
                    let k = params[i];
                    let Some(v) = params.get(i + 1).and_then(|v| v.parse::<f64>().ok()) else {
                        return Err(format!(
                            "sim_hardware_cmd: missing value for '{action} {k}' command"
                        ));
                    };
                    let map = if is_static {
                        &mut self.sh.static_stats
                    } else {
                        &mut self.sh.dynamic_stats
                    };
                    let e = map.entry(sid.to_string()).or_default();
                    match (is_static, k) {
                        (true, "maxcpu") => e.maxcpu = v,
                        (true, "maxmem") => e.maxmem = v * 1_048_576.0,
                        (false, "cpu") => e.cpu = v,
                        (false, "mem") => e.mem = v * 1_048_576.0,
                        _ => {
                            return Err(format!(
                                "sim_hardware_cmd: unknown target stat '{k}' for '{action}' command"
                            ))
                        }
                    }
                    i += 2;
                }
            }
            "manual-migrate" => {
                let target = params.first().copied().unwrap_or("").to_string();
                let ignored_state = self
                    .sh
                    .services
                    .get(sid)
                    .and_then(|e| e.get("state"))
                    .map(val_str)
                    .as_deref()
                    == Some("ignored");
                let disarm_ignore = self
                    .sh
                    .manager_status
                    .disarm
                    .as_ref()
                    .is_some_and(|d| d.mode == "ignore");
                if !ignored_state && !disarm_ignore {
                    return Err("sim_hardware_cmd: manual-migrate requires service in 'ignored' state or disarm-ha ignore mode".into());
                }
                let e = self
                    .sh
                    .services_mut()
                    .get_mut(sid)
                    .ok_or_else(|| format!("no such service '{sid}'"))?;
                e.insert("node".into(), Value::String(target));
            }
            other => {
                return Err(format!(
                    "sim_hardware_cmd: unknown service action '{other}' - not implemented"
                ))
            }
        }
        Ok(())
    }

    fn lrm_shutdown_request(&mut self, node: &str) {
        let d = self.daemons.get_mut(node).expect("node");
        if let Some(mut lrm) = d.lrm.take() {
            lrm.shutdown_request(&mut self.env(node, Kind::Lrm));
            self.daemons.get_mut(node).expect("node").lrm = Some(lrm);
        }
    }

    fn power_on(&mut self, node: &str) {
        let was_off = !self.sh.hw[node].power;
        if was_off {
            if self.daemons[node].crm.is_none() {
                let crm = Crm::new(&mut self.env(node, Kind::Crm));
                self.daemons.get_mut(node).expect("node").crm = Some(crm);
            }
            if self.daemons[node].lrm.is_none() {
                let lrm = Lrm::new(&mut self.env(node, Kind::Lrm));
                self.daemons.get_mut(node).expect("node").lrm = Some(lrm);
            }
            self.daemons.get_mut(node).expect("node").lrm_restart = false;
            let h = self.sh.hw.get_mut(node).expect("node");
            h.cfs_rw_fail = false;
            h.cfs_update_fail = false;
        }
        let h = self.sh.hw.get_mut(node).expect("node");
        h.power = true;
        h.network = true;
        h.shutdown = None;
    }

    fn power_off(&mut self, node: &str) {
        if self.sh.hw[node].power {
            if self.daemons[node].crm.is_some() {
                self.env(node, Kind::Crm)
                    .log(Level::Info, "killed by poweroff");
                self.daemons.get_mut(node).expect("node").crm = None;
            }
            if self.daemons[node].lrm.is_some() {
                self.env(node, Kind::Lrm)
                    .log(Level::Info, "killed by poweroff");
                let d = self.daemons.get_mut(node).expect("node");
                d.lrm = None;
                d.lrm_restart = false;
            }
            self.sh.watchdogs.retain(|_, (n, _)| n != node);
            self.sh.running.remove(node);
        }
        let h = self.sh.hw.get_mut(node).expect("node");
        h.power = false;
        h.network = false;
        h.shutdown = None;
    }
}

/// A large simulated cluster for benchmarks: `nodes` powered nodes and
/// `services` started VMs spread round-robin. Rounds use a parallel time
/// model (every daemon of a round runs at the round's start, rounds are 20 s
/// apart), so lock (120 s) and watchdog (60 s) timeouts keep their meaning
/// at any cluster size; the upstream simulator instead refuses 30 nodes or
/// more.
pub struct BenchCluster {
    sim: Sim,
}

impl BenchCluster {
    pub fn new(nodes: usize, services: usize) -> BenchCluster {
        let mut test = TestDir::default();
        let names: Vec<String> = (1..=nodes).map(|i| format!("node{i}")).collect();
        for n in &names {
            test.hardware.insert(
                n.clone(),
                serde_json::json!({"power": "off", "network": "off"}),
            );
        }
        for k in 0..services {
            test.service_config.insert(
                format!("vm:{}", 100 + k),
                serde_json::json!({"node": names[k % nodes], "state": "started"}),
            );
        }
        let mut sim = Sim::new(&test);
        sim.parallel = true;
        for n in &names {
            sim.power_on(n);
        }
        BenchCluster { sim }
    }

    /// One round: every node's CRM and LRM once; the clock advances 20 s.
    pub fn round(&mut self) -> Result<(), String> {
        let start = self.sim.sh.hw_time;
        let nodes = self.sim.sh.nodes.clone();
        self.sim.daemon_turns(&nodes, 0, 0)?;
        self.sim.sh.hw_time = start + 20;
        for n in &nodes {
            self.sim.sh.set_clock(n, Kind::Crm, start + 20);
            self.sim.sh.set_clock(n, Kind::Lrm, start + 20);
        }
        Ok(())
    }

    /// Number of services the manager has in state `started`.
    pub fn started(&self) -> usize {
        self.sim
            .sh
            .manager_status
            .service_status
            .values()
            .filter(|sd| sd.state == ServiceState::Started)
            .count()
    }

    /// The log so far.
    pub fn log(&self) -> &str {
        &self.sim.sh.out
    }
}
