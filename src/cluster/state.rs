//! The runtime state the emulated corosync/votequorum/qdevice daemons and
//! pmxcfs keep per machine (spec B.3), persisted in `sim/cluster.json`, and
//! the node-local files of a machine (`/etc/corosync/...`).

use crate::format::corosync;
use crate::store::{read_opt, write_atomic, Root, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Which `/etc/pve` a machine has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tree {
    /// Its own tree at `hosts/<name>/etc/pve` (not clustered).
    #[default]
    Standalone,
    /// The cluster tree `etc/pve`.
    Cluster,
    /// Removed by `pvecm delnode`: no tree until `pvesim host reinstall`.
    None,
}

/// qnetd's last result for an lms client (B.5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LmsResult {
    #[default]
    New,
    Ack,
    Nack,
}

/// Per-machine runtime state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeState {
    pub tree: Tree,
    /// corosync runs (as of the last settle).
    #[serde(default)]
    pub running: bool,
    #[serde(default)]
    pub expected: u32,
    #[serde(default)]
    pub quorum: u32,
    #[serde(default)]
    pub total: u32,
    #[serde(default)]
    pub quorate: bool,
    #[serde(default)]
    pub wfa_status: bool,
    #[serde(default)]
    pub ring_seq: u64,
    #[serde(default)]
    pub ring_rep: u32,
    /// Simulated time the current ring formed.
    #[serde(default)]
    pub ring_time: i64,
    /// Names of the members of this node's partition (itself included), by node id.
    #[serde(default)]
    pub partition: Vec<String>,
    /// The qdevice daemon is enabled (by `pvecm qdevice setup`).
    #[serde(default)]
    pub qdevice_enabled: bool,
    #[serde(default)]
    pub qdevice_alive: bool,
    #[serde(default)]
    pub qdevice_cast: bool,
    #[serde(default)]
    pub qdevice_connected: bool,
    #[serde(default)]
    pub lms: LmsResult,
    #[serde(default)]
    pub last_quorate_members: Vec<String>,
    /// pmxcfs' clinfo version counter (C.4.1).
    #[serde(default)]
    pub clinfo: u64,
    #[serde(default)]
    pub known_ips: BTreeSet<String>,
    /// Simulated time pmxcfs started on this machine.
    #[serde(default)]
    pub starttime: i64,
}

/// One cluster log entry (C.4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub uid: u64,
    pub time: i64,
    pub pri: u8,
    pub tag: String,
    pub pid: u32,
    pub node: String,
    pub user: String,
    pub msg: String,
}

/// Everything in `sim/cluster.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterState {
    pub nodes: BTreeMap<String, NodeState>,
    #[serde(default)]
    pub clusterlog: Vec<LogEntry>,
    #[serde(default)]
    pub log_uid: u64,
    /// Fingerprint of the shared corosync.conf at the last recomputation
    /// (a different one means the file was edited by hand).
    #[serde(default)]
    pub shared_sig: String,
}

fn path(root: &Root) -> PathBuf {
    root.sim_dir().join("cluster.json")
}

thread_local! {
    /// The text of the last `sim/cluster.json` parsed by this thread and its
    /// result: a command asks for the state several times (acting node,
    /// tree, quorum, view, refresh) and the file rarely changes in between.
    /// Keyed by the whole text, so a hit is exactly what parsing would give.
    static LAST_PARSED: std::cell::RefCell<Option<(String, ClusterState)>> =
        const { std::cell::RefCell::new(None) };
}

impl ClusterState {
    /// Read `sim/cluster.json` (the file is read every time; parsing is
    /// skipped when its text is the one parsed last).
    pub fn load(root: &Root) -> Result<ClusterState, StoreError> {
        let Some(t) = read_opt(&path(root))? else {
            return Ok(ClusterState::default());
        };
        let hit = LAST_PARSED.with(|l| {
            l.borrow()
                .as_ref()
                .filter(|(text, _)| *text == t)
                .map(|(_, st)| st.clone())
        });
        if let Some(st) = hit {
            return Ok(st);
        }
        let st: ClusterState = serde_json::from_str(&t)
            .map_err(|e| StoreError::Invalid(format!("{}: {e}", path(root).display())))?;
        LAST_PARSED.with(|l| *l.borrow_mut() = Some((t, st.clone())));
        Ok(st)
    }

    pub fn save(&self, root: &Root) -> Result<(), StoreError> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Invalid(e.to_string()))?;
        write_atomic(&path(root), format!("{text}\n").as_bytes())?;
        Ok(())
    }

    pub fn node(&self, name: &str) -> Option<&NodeState> {
        self.nodes.get(name)
    }

    pub fn node_mut(&mut self, name: &str) -> &mut NodeState {
        self.nodes.entry(name.to_string()).or_default()
    }

    /// Append a cluster log entry (the last 50 are kept).
    pub fn log(&mut self, time: i64, pri: u8, tag: &str, node: &str, user: &str, msg: &str) {
        self.log_uid += 1;
        self.clusterlog.push(LogEntry {
            uid: self.log_uid,
            time,
            pri,
            tag: tag.into(),
            pid: std::process::id(),
            node: node.into(),
            user: user.into(),
            msg: msg.into(),
        });
        if self.clusterlog.len() > 50 {
            let cut = self.clusterlog.len() - 50;
            self.clusterlog.drain(..cut);
        }
    }
}

/// Node-local paths of a machine (outside `/etc/pve`).
pub struct Local {
    base: PathBuf,
}

impl Local {
    pub fn new(root: &Root, node: &str) -> Local {
        Local {
            base: root.node_local(node),
        }
    }
    /// `/etc/corosync/corosync.conf`
    pub fn corosync_conf(&self) -> PathBuf {
        self.base.join("etc/corosync/corosync.conf")
    }
    /// `/etc/corosync/authkey`
    pub fn authkey(&self) -> PathBuf {
        self.base.join("etc/corosync/authkey")
    }
    /// `/etc/corosync/qdevice`
    pub fn qdevice_dir(&self) -> PathBuf {
        self.base.join("etc/corosync/qdevice")
    }
    /// `/etc/corosync/qdevice/net/nssdb`
    pub fn nssdb(&self) -> PathBuf {
        self.base.join("etc/corosync/qdevice/net/nssdb")
    }
    /// `/var/lib/pve-cluster/backup`
    pub fn backup_dir(&self) -> PathBuf {
        self.base.join("var/lib/pve-cluster/backup")
    }
    /// `/var/lock`
    pub fn lock_dir(&self) -> PathBuf {
        self.base.join("var/lock")
    }

    /// The local corosync.conf copy, parsed the way corosync reads it.
    pub fn read_conf(&self) -> Result<Option<(String, Option<corosync::Section>)>, StoreError> {
        Ok(read_opt(&self.corosync_conf())?.map(|t| {
            let p = corosync::parse_corosync(&t);
            (t, p)
        }))
    }

    /// The local copy's `config_version` (0 when absent/unreadable).
    pub fn conf_version(&self) -> u64 {
        read_opt(&self.corosync_conf())
            .ok()
            .flatten()
            .and_then(|t| corosync::parse_corosync(&t))
            .and_then(|c| corosync::config_version(&c))
            .unwrap_or(0)
    }

    pub fn has_conf(&self) -> bool {
        self.corosync_conf().is_file()
    }
}
