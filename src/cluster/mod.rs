//! Cluster membership, partitions, votequorum and qdevice math, and the
//! pvecm operations (create, add, addnode, delnode, expected, qdevice).
//!
//! The public API other modules use (documented in /work/coord/found-api.md):
//! - [`pve_for`]: a node's `/etc/pve` view, writable iff quorate;
//! - [`is_quorate`], [`members`], [`online_from`], [`view`]: quorum and
//!   membership as the node sees them;
//! - [`check_acting`]: project decision 9 (powered-off machines refuse);
//! - [`pmxcfs`]: guest config listing / VMID uniqueness and the virtual
//!   files `.members`, `.vmlist`, `.version`, `.clusterlog`;
//! - [`apply`]: run a hardware or cluster event under the cluster lock and
//!   recompute every node's quorum.

pub mod bench;
pub mod ops;
pub mod pmxcfs;
pub mod quorum;
pub mod state;

use crate::format::corosync;
use crate::sim::hardware::{Hardware, HardwareError};
use crate::store::{LockGuard, PveFs, Root, StoreError};
pub use state::{ClusterState, NodeState, Tree};
use std::time::Duration;

/// Errors of the cluster layer; `Display` is the exact text the tools print.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Hardware(#[from] HardwareError),
    /// Project decision 9.
    #[error("machine '{0}' is powered off")]
    PoweredOff(String),
    /// A machine removed by `pvecm delnode` has no tree (A.6 item 9).
    #[error("pve configuration filesystem (pmxcfs) not mounted")]
    NotMounted,
    #[error("Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?")]
    NotInCluster,
    /// corosync is not running on the node (exit 1).
    #[error("Cannot initialize CMAP service")]
    NoCorosync,
    #[error("cluster not ready - no quorum?")]
    NoQuorum,
    /// Any other failure with its exact text.
    #[error("{0}")]
    Msg(String),
    /// A failure with its own exit code (e.g. `pvecm expected` refusing: 1).
    #[error("{0}")]
    Code(String, i32),
}

impl From<std::io::Error> for ClusterError {
    fn from(e: std::io::Error) -> Self {
        ClusterError::Store(e.into())
    }
}

impl ClusterError {
    pub fn msg(s: impl Into<String>) -> ClusterError {
        ClusterError::Msg(s.into())
    }
    /// The exit code a CLI should use.
    pub fn exit_code(&self) -> i32 {
        match self {
            ClusterError::NoCorosync => 1,
            ClusterError::Code(_, c) => *c,
            _ => 255,
        }
    }
}

pub type Result<T, E = ClusterError> = std::result::Result<T, E>;

/// The name of the lock that serialises all hardware and cluster state changes.
pub const CLUSTER_LOCK: &str = "cluster";
/// How long a command waits for the cluster lock.
pub const CLUSTER_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// Take the cluster lock.
pub fn lock(root: &Root) -> Result<LockGuard> {
    Ok(root.lock(CLUSTER_LOCK, CLUSTER_LOCK_TIMEOUT)?)
}

/// Load hardware and runtime state, let `f` change them and describe the
/// event, then recompute quorum for every node and save. Callers hold the
/// cluster lock.
pub fn apply<T>(
    root: &Root,
    f: impl FnOnce(&mut Hardware, &mut ClusterState) -> Result<(T, quorum::Event)>,
) -> Result<T> {
    let mut hw = Hardware::load(root)?;
    let mut st = ClusterState::load(root)?;
    let edited = quorum::shared_sig(root)? != st.shared_sig;
    let (out, mut ev) = f(&mut hw, &mut st)?;
    if edited {
        // corosync.conf was edited by hand since the last recomputation.
        ev.returned
            .extend(hw.machines.iter().map(|m| m.name.clone()));
    }
    quorum::settle(root, &hw, &mut st, &ev)?;
    hw.save(root)?;
    st.save(root)?;
    pmxcfs::refresh(root, &hw, &st)?;
    Ok(out)
}

/// Notice a corosync.conf edited by hand (a user edit or `mv` of a complete
/// file, B.9.1): every running node picks the file up as on a return
/// (B.9.3), and nodes no longer in the nodelist stop (project decision 10).
/// Called by [`check_acting`], i.e. before every command.
pub fn sync_edits(root: &Root) -> Result<()> {
    let st = ClusterState::load(root)?;
    if quorum::shared_sig(root)? == st.shared_sig {
        return Ok(());
    }
    let _g = lock(root)?;
    apply(root, |_hw, _st| Ok(((), quorum::Event::default())))
}

/// Recompute quorum after the simulated clock moved (`pvesim tick`): timed
/// rules such as `last_man_standing_window` take effect here.
pub fn sync_time(root: &Root) -> Result<()> {
    let _g = lock(root)?;
    apply(root, |_hw, _st| Ok(((), quorum::Event::default())))
}

/// Project decision 9: the machine a command runs as must exist and be on.
pub fn check_acting(root: &Root, node: &str) -> Result<()> {
    root.require()?;
    let hw = Hardware::load(root)?;
    let m = hw.get(node)?;
    if m.qnetd {
        return Err(ClusterError::msg(format!(
            "machine '{node}' is a qnetd host, not a Proxmox VE node"
        )));
    }
    if !m.powered {
        return Err(ClusterError::PoweredOff(node.to_string()));
    }
    sync_edits(root)
}

/// Which tree the machine has.
pub fn tree_of(root: &Root, node: &str) -> Result<Tree> {
    let hw = Hardware::load(root)?;
    hw.get(node)?;
    Ok(ClusterState::load(root)?
        .node(node)
        .map(|s| s.tree)
        .unwrap_or_default())
}

/// Whether `node` is quorate in its own view. Standalone machines always are;
/// a removed machine (no tree) and a powered-off one are not.
pub fn is_quorate(root: &Root, node: &str) -> Result<bool> {
    let hw = Hardware::load(root)?;
    let st = ClusterState::load(root)?;
    quorate_with(&hw, &st, node)
}

/// [`is_quorate`] from an already loaded hardware model and cluster state.
fn quorate_with(hw: &Hardware, st: &ClusterState, node: &str) -> Result<bool> {
    let powered = hw.get(node)?.powered;
    // a machine the cluster state does not know yet is standalone
    let (tree, running, quorate) = st
        .node(node)
        .map(|s| (s.tree, s.running, s.quorate))
        .unwrap_or_default();
    Ok(match tree {
        Tree::Standalone => powered,
        Tree::None => false,
        Tree::Cluster => powered && running && quorate,
    })
}

/// The node's `/etc/pve`: the cluster tree for a member (writable iff
/// quorate), its own tree for a standalone machine (always writable).
pub fn pve_for(root: &Root, node: &str) -> Result<PveFs> {
    let hw = Hardware::load(root)?;
    let st = ClusterState::load(root)?;
    view_with(root, &hw, &st, node).map(|(pve, _, _)| pve)
}

/// `node`'s `/etc/pve` view, quorum and partition members in one go, from
/// an already loaded hardware model and cluster state (the same answers as
/// [`pve_for`], [`is_quorate`] and [`online_from`], without re-reading).
pub fn view_with(
    root: &Root,
    hw: &Hardware,
    st: &ClusterState,
    node: &str,
) -> Result<(PveFs, bool, Vec<String>)> {
    let quorate = quorate_with(hw, st, node)?;
    let pve = match st.node(node).map(|s| s.tree).unwrap_or_default() {
        Tree::Standalone => PveFs::new(root.host_pve(node), node, true),
        Tree::Cluster => PveFs::new(root.etc_pve(), node, quorate),
        Tree::None => return Err(ClusterError::NotMounted),
    };
    Ok((pve, quorate, partition_in(st, node)))
}

/// A configured cluster node (from the shared corosync.conf).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub nodeid: u32,
    /// Votes as corosync counts them (a missing `quorum_votes` is 1).
    pub votes: u32,
    /// The `ring0_addr` (the first link's address).
    pub ring0_addr: String,
}

/// The configured members, in byte-wise name order (empty without a cluster).
pub fn members(root: &Root) -> Result<Vec<Member>> {
    let Some(conf) = quorum::shared_conf(root)? else {
        return Ok(Vec::new());
    };
    Ok(corosync::nodes(&conf)
        .into_iter()
        .map(|n| Member {
            votes: n.votes(),
            ring0_addr: n.links.values().next().cloned().unwrap_or_default(),
            name: n.name,
            nodeid: n.nodeid,
        })
        .collect())
}

/// The members of `node`'s partition (itself included), by node id; empty
/// when corosync does not run there.
pub fn online_from(root: &Root, node: &str) -> Result<Vec<String>> {
    Ok(partition_in(&ClusterState::load(root)?, node))
}

/// [`online_from`] from an already loaded cluster state.
fn partition_in(st: &ClusterState, node: &str) -> Vec<String> {
    st.node(node)
        .filter(|s| s.running && s.tree == Tree::Cluster)
        .map(|s| s.partition.clone())
        .unwrap_or_default()
}

/// One node's quorum view, as `pvecm status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuorumView {
    pub node: String,
    pub nodeid: u32,
    pub running: bool,
    pub quorate: bool,
    pub expected: u32,
    pub highest_expected: u32,
    pub total: u32,
    pub quorum: u32,
    pub ring_rep: u32,
    pub ring_seq: u64,
    /// Flag words in display order.
    pub flags: Vec<&'static str>,
    /// Partition members: (name, nodeid, votes, qdevice cell or None).
    pub members: Vec<MemberView>,
    /// The device: (configured votes QV, local node casts).
    pub qdevice: Option<(u32, bool)>,
    /// A qdevice column is shown.
    pub qdevice_column: bool,
}

/// A row of the membership block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberView {
    pub name: String,
    pub nodeid: u32,
    pub votes: u32,
    /// `ring0_addr` resolved to an IP.
    pub ip: String,
    /// `A,V,NMW` / `NR` ...
    pub qdevice: String,
    pub local: bool,
}

/// The full quorum view of `node` (error `NoCorosync` when it runs no corosync).
pub fn view(root: &Root, node: &str) -> Result<QuorumView> {
    let hw = Hardware::load(root)?;
    let st = ClusterState::load(root)?;
    let s = st.node(node).cloned().unwrap_or_default();
    if s.tree != Tree::Cluster || !s.running {
        return Err(ClusterError::NoCorosync);
    }
    let shared = quorum::shared_conf(root)?.unwrap_or_default();
    let nodes = corosync::nodes(&shared);
    let own = state::Local::new(root, node)
        .read_conf()?
        .and_then(|(_, c)| c)
        .map(|c| quorum::QuorumConf::from_conf(&c))
        .unwrap_or_default();
    let nodeid = |n: &str| {
        nodes
            .iter()
            .find(|e| e.name == n)
            .map(|e| e.nodeid)
            .unwrap_or(0)
    };
    let mut members = Vec::new();
    let mut any_registered = false;
    let mut highest = 0;
    for m in &s.partition {
        let ms = st.node(m).cloned().unwrap_or_default();
        highest = highest.max(ms.expected);
        let entry = nodes.iter().find(|e| &e.name == m);
        let addr = entry
            .and_then(|e| e.links.values().next().cloned())
            .unwrap_or_default();
        let ip = if hardware_ip(&addr) {
            addr
        } else {
            hw.resolve(&addr).unwrap_or(addr)
        };
        // The member's own corosync.conf only matters when its qdevice
        // daemon is enabled (a 16-node status reads no other node's file).
        let registered = ms.qdevice_enabled && {
            let mconf = state::Local::new(root, m)
                .read_conf()?
                .and_then(|(_, c)| c)
                .map(|c| quorum::QuorumConf::from_conf(&c))
                .unwrap_or_default();
            mconf.device && mconf.device_ok
        };
        any_registered |= registered;
        let cell = if registered {
            format!(
                "{},{},NMW",
                if ms.qdevice_alive { "A" } else { "NA" },
                if ms.qdevice_cast { "V" } else { "NV" }
            )
        } else {
            "NR".to_string()
        };
        members.push(MemberView {
            name: m.clone(),
            nodeid: nodeid(m),
            votes: entry.map(|e| e.votes()).unwrap_or(1),
            ip,
            qdevice: cell,
            local: m == node,
        });
    }
    let local_registered = s.qdevice_enabled && own.device && own.device_ok;
    let mut flags = Vec::new();
    if own.two_node {
        flags.push("2Node");
    }
    if s.quorate {
        flags.push("Quorate");
    }
    if own.wfa {
        flags.push("WaitForAll");
    }
    if own.lms {
        flags.push("LastManStanding");
    }
    if own.atb {
        flags.push("AutoTieBreaker");
    }
    if own.allow_downscale {
        flags.push("AllowDownscale");
    }
    if local_registered {
        flags.push("Qdevice");
    }
    Ok(QuorumView {
        node: node.to_string(),
        nodeid: nodeid(node),
        running: true,
        quorate: s.quorate,
        expected: s.expected,
        highest_expected: highest,
        total: s.total,
        quorum: s.quorum,
        ring_rep: s.ring_rep,
        ring_seq: s.ring_seq,
        flags,
        members,
        qdevice: own.device.then_some((own.qv, s.qdevice_cast)),
        qdevice_column: any_registered,
    })
}

fn hardware_ip(s: &str) -> bool {
    crate::sim::hardware::valid_ip(s)
}
