//! The `Env` trait: everything the CRM, the manager and the LRM of one node
//! need from the outside world (clock, log, cluster membership, the shared
//! HA files, cluster locks, the watchdog, and the resource agents). Two
//! implementations exist: the replay Env over an upstream test directory
//! (`sim::replay`) and the tick Env over the state root (`sim::tick`).

use super::types::{Level, LrmStatus, ManagerStatus, ServiceConf, ServiceConfig, SharedStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Error text of an Env operation (e.g. `cfs connection refused - not mounted?`).
pub type EnvResult<T> = Result<T, String>;

/// Datacenter settings the HA stack reads (`ha` and `crs` of datacenter.cfg).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DcSettings {
    /// `ha: shutdown_policy=...`
    pub shutdown_policy: Option<String>,
    /// The `crs` property string as key -> value text.
    pub crs: BTreeMap<String, String>,
}

impl DcSettings {
    /// The `crs: ha` scheduler mode (default `basic`).
    pub fn scheduler_mode(&self) -> String {
        self.crs
            .get("ha")
            .cloned()
            .unwrap_or_else(|| "basic".to_string())
    }

    /// A boolean `crs` key (`1`/`0`), default false.
    pub fn crs_flag(&self, key: &str) -> bool {
        matches!(
            self.crs.get(key).map(|s| s.as_str()),
            Some("1") | Some("true") | Some("yes") | Some("on")
        )
    }
}

pub use super::usage::{NodeStats, ServiceStats};

/// All statistics the schedulers may use, as read from the Env.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub nodes: BTreeMap<String, NodeStats>,
    /// Static stats (maxcpu, maxmem) per SID; a SID without entry has none.
    pub static_services: BTreeMap<String, ServiceStats>,
    /// Dynamic stats (cpu, mem) per SID.
    pub dynamic_services: BTreeMap<String, ServiceStats>,
    /// The services whose measured cpu/mem the node stats already include
    /// (the hardware reports them running on their configured node). In
    /// `dynamic` mode such a service counts as running for the usage even
    /// before its LRM confirmed the start (ha-crm 8.5; the corpus pins
    /// this in test-crs-dynamic-constrained-auto-rebalance1/2).
    pub measured_running: BTreeSet<String>,
}

/// A cluster lock expires this long after its last refresh (pmxcfs).
pub const LOCK_TIMEOUT: i64 = 120;

/// The cluster locks of a simulated pmxcfs: name -> (owner, last refresh).
pub type LockTable = BTreeMap<String, (String, i64)>;

/// What [`lock_acquire`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acquired {
    /// The owner refreshed its own lock.
    Renewed,
    /// The lock was free or expired and is now `node`'s (callers log this).
    Taken,
    /// Another node holds it.
    Refused,
}

/// Take or renew lock `name` for `node` at `now`.
pub fn lock_acquire(locks: &mut LockTable, name: &str, node: &str, now: i64) -> Acquired {
    if let Some((owner, t)) = locks.get_mut(name) {
        if now - *t <= LOCK_TIMEOUT {
            if owner == node {
                *t = now;
                return Acquired::Renewed;
            }
            return Acquired::Refused;
        }
    }
    locks.insert(name.to_string(), (node.to_string(), now));
    Acquired::Taken
}

/// Release lock `name` held by `node`: true when it is free afterwards
/// (released, or already expired), false when absent or another's.
pub fn lock_release(locks: &mut LockTable, name: &str, node: &str, now: i64) -> bool {
    match locks.get(name) {
        None => false,
        Some((_, t)) if now - t > LOCK_TIMEOUT => true,
        Some((owner, _)) if owner == node => {
            locks.remove(name);
            true
        }
        Some(_) => false,
    }
}

/// The outside world of one HA daemon on one node.
pub trait Env {
    /// The node this daemon runs on.
    fn nodename(&self) -> &str;
    /// The daemon's clock (constant during one iteration in replay).
    fn get_time(&self) -> i64;
    /// Write one log line.
    fn log(&mut self, level: Level, msg: &str);
    /// Sleep (replay: only accounted, the clock does not move).
    fn sleep(&mut self, _secs: i64) {}

    /// Whether this node is in the quorate partition.
    fn quorate(&self) -> bool;
    /// Member nodes -> online flag (all offline without quorum).
    fn get_node_info(&self) -> BTreeMap<String, bool>;
    /// Refresh the cluster state; false when the cluster file system is
    /// inconsistent (skip round).
    fn cluster_state_update(&mut self) -> bool;

    fn read_manager_status(&mut self) -> EnvResult<ManagerStatus>;
    /// The manager status for read-only use (LRMs, CRM health checks); an
    /// Env may share one parsed copy between daemons.
    fn read_manager_status_shared(&mut self) -> EnvResult<Arc<SharedStatus>> {
        self.read_manager_status()
            .map(|ms| Arc::new(SharedStatus::new(ms)))
    }
    fn write_manager_status(&mut self, ms: &ManagerStatus) -> EnvResult<()>;
    /// The lrm_status of a node (`{}`-like empty status when missing).
    fn read_lrm_status(&mut self, node: &str) -> EnvResult<LrmStatus>;
    /// [`Env::read_lrm_status`] for read-only use (may be shared).
    fn read_lrm_status_shared(&mut self, node: &str) -> EnvResult<Arc<LrmStatus>> {
        self.read_lrm_status(node).map(Arc::new)
    }
    fn write_lrm_status(&mut self, st: LrmStatus) -> EnvResult<()>;

    /// The service configuration with the Env's defaults applied.
    fn read_service_config(&mut self) -> EnvResult<ServiceConfig>;
    /// The service configuration for read-only use (may be shared).
    fn read_service_config_shared(&mut self) -> EnvResult<Arc<ServiceConfig>> {
        self.read_service_config().map(Arc::new)
    }
    /// Whether the service config has no entries (cheap form of
    /// `read_service_config().is_empty()`).
    fn service_config_is_empty(&mut self) -> EnvResult<bool> {
        self.read_service_config().map(|sc| sc.is_empty())
    }
    /// A digest of the service config (None where the Env has none, as in
    /// the simulator).
    fn service_config_digest(&mut self) -> Option<String> {
        None
    }
    /// Set the configured state of a service (`stop` command).
    fn set_service_state(&mut self, sid: &str, state: &str) -> EnvResult<()>;
    /// Group migration: drop `group` of every service, set `failback 0` for
    /// the SIDs listed.
    fn migrate_service_groups(&mut self, nofailback: &[String]) -> EnvResult<()>;

    /// The groups config text (None: no file).
    fn read_group_config(&mut self) -> EnvResult<Option<String>>;
    /// The rules config text (None: no file).
    fn read_rules_config(&mut self) -> EnvResult<Option<String>>;
    fn write_rules_config(&mut self, text: &str) -> EnvResult<()>;
    fn delete_group_config(&mut self) -> EnvResult<()>;

    /// Read and truncate the crm_commands queue.
    fn read_crm_commands(&mut self) -> EnvResult<String>;
    fn any_pending_crm_command(&mut self) -> EnvResult<bool>;

    /// Move the guest config of a service to another node (recovery).
    fn steal_service(&mut self, sid: &str, current: &str, new: &str) -> EnvResult<()>;
    /// Remove a leftover guest config lock from one of `locks`; returns the
    /// lock removed.
    fn remove_locks(&mut self, sid: &str, locks: &[&str]) -> Option<String>;

    /// Take (or renew) the cluster lock `name` for this node.
    fn get_lock(&mut self, name: &str) -> bool;
    /// Release the cluster lock `name` (true when it is free afterwards).
    fn release_lock(&mut self, name: &str) -> bool;

    fn get_ha_manager_lock(&mut self) -> bool {
        self.get_lock("ha_manager_lock")
    }
    fn release_ha_manager_lock(&mut self) -> bool {
        self.release_lock("ha_manager_lock")
    }
    /// Take (or renew) the agent lock of `node` (own node by default).
    fn get_ha_agent_lock(&mut self, node: Option<&str>) -> bool {
        let n = node.unwrap_or(self.nodename()).to_string();
        self.get_lock(&format!("ha_agent_{n}_lock"))
    }
    fn release_ha_agent_lock(&mut self) -> bool {
        let n = self.nodename().to_string();
        self.release_lock(&format!("ha_agent_{n}_lock"))
    }

    fn watchdog_open(&mut self) -> EnvResult<u64>;
    fn watchdog_update(&mut self, handle: u64) -> EnvResult<()>;
    fn watchdog_close(&mut self, handle: u64) -> EnvResult<()>;

    /// (shutdown, reboot) requested for this node.
    fn is_node_shutdown(&self) -> (bool, bool);
    fn get_datacenter_settings(&mut self) -> DcSettings;
    /// The pve-manager version a node announces.
    fn get_node_version(&self, node: &str) -> Option<String>;
    /// Scheduler statistics.
    fn get_stats(&mut self) -> Stats {
        Stats::default()
    }
    /// Log a notification subject (level email).
    fn send_notification(&mut self, subject: &str) {
        self.log(Level::Email, subject);
    }

    // Resource agent (runs on this node, for the LRM).
    /// Whether the service runs on this node.
    fn service_running(&mut self, sid: &str, cd: &ServiceConf) -> bool;
    /// Start the service here (may fail silently; the LRM re-checks).
    fn service_start(&mut self, sid: &str, cd: &ServiceConf);
    /// Stop the service here.
    fn service_shutdown(&mut self, sid: &str, cd: &ServiceConf, timeout: Option<&str>);
    /// Move the service to `target` (online = live migration); false on error.
    fn service_migrate(&mut self, sid: &str, cd: &ServiceConf, target: &str, online: bool) -> bool;
}
