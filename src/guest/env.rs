//! What the guest layer needs to know about the cluster and the machines,
//! behind one trait so the qm logic can be tested without a full lab and
//! the cluster layer can evolve without touching qm.

use crate::store::{PveFs, Root};

/// The cluster as one node sees it.
pub trait ClusterInfo {
    /// The state root.
    fn root(&self) -> &Root;
    /// The node's `/etc/pve` view (writes refused without quorum).
    fn pve(&self, node: &str) -> Result<PveFs, String>;
    /// Whether `node` is quorate.
    fn quorate(&self, node: &str) -> bool;
    /// The ring0 IP of a configured cluster member; `None` if not a member.
    fn member_ip(&self, node: &str) -> Option<String>;
    /// Whether the machine is powered on.
    fn powered(&self, node: &str) -> bool;
    /// Whether `a` reaches `b` over the network (both on, same segment).
    fn reach(&self, a: &str, b: &str) -> bool;
    /// The machine's CPU model.
    fn cpu_model(&self, node: &str) -> String;
    /// The node's CPU count (`maxcpu`).
    fn maxcpu(&self, _node: &str) -> u64 {
        24
    }
}

/// Scan `nodes/*/{qemu-server,lxc}` of a tree for `vmid`.
pub fn find_guest_in(base: &std::path::Path, vmid: u32) -> Option<(String, String)> {
    let mut nodes: Vec<String> = std::fs::read_dir(base.join("nodes"))
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    nodes.sort();
    for n in nodes {
        for (dir, kind) in [("qemu-server", "qemu"), ("lxc", "lxc")] {
            if base
                .join("nodes")
                .join(&n)
                .join(dir)
                .join(format!("{vmid}.conf"))
                .is_file()
            {
                return Some((n, kind.into()));
            }
        }
    }
    None
}

/// A fixed cluster for unit tests: every listed node is a quorate member,
/// powered on and reachable, unless listed otherwise.
#[derive(Debug, Clone)]
pub struct StaticCluster {
    pub root: Root,
    /// (name, ip, cpu model)
    pub nodes: Vec<(String, String, String)>,
    pub off: Vec<String>,
    pub inquorate: Vec<String>,
}

impl StaticCluster {
    pub fn new(root: Root, names: &[&str]) -> StaticCluster {
        StaticCluster {
            root,
            nodes: names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), format!("10.0.0.{}", i + 1), "EPYC".into()))
                .collect(),
            off: Vec::new(),
            inquorate: Vec::new(),
        }
    }
}

impl ClusterInfo for StaticCluster {
    fn root(&self) -> &Root {
        &self.root
    }
    fn pve(&self, node: &str) -> Result<PveFs, String> {
        Ok(PveFs::new(self.root.etc_pve(), node, self.quorate(node)))
    }
    fn quorate(&self, node: &str) -> bool {
        !self.inquorate.iter().any(|n| n == node) && !self.off.iter().any(|n| n == node)
    }
    fn member_ip(&self, node: &str) -> Option<String> {
        self.nodes.iter().find(|n| n.0 == node).map(|n| n.1.clone())
    }
    fn powered(&self, node: &str) -> bool {
        !self.off.iter().any(|n| n == node)
    }
    fn reach(&self, a: &str, b: &str) -> bool {
        self.powered(a) && self.powered(b)
    }
    fn cpu_model(&self, node: &str) -> String {
        self.nodes
            .iter()
            .find(|n| n.0 == node)
            .map(|n| n.2.clone())
            .unwrap_or_default()
    }
}

/// The cluster of a state root, through the cluster layer's API
/// (`cluster::pve_for`, quorum, corosync members) and the hardware model
/// (power, network reachability, CPU models).
#[derive(Debug, Clone)]
pub struct RootCluster {
    pub root: Root,
}

impl RootCluster {
    /// The cluster of `root` (the root must exist).
    pub fn new(root: Root) -> Result<RootCluster, String> {
        crate::sim::hardware::Hardware::load(&root).map_err(|e| e.to_string())?;
        Ok(RootCluster { root })
    }

    /// The hardware model as it is now (read on every use: the lab may
    /// change between calls within one process, e.g. in `pvesim tick`).
    fn hw(&self) -> crate::sim::hardware::Hardware {
        crate::sim::hardware::Hardware::load(&self.root).unwrap_or_default()
    }
}

impl ClusterInfo for RootCluster {
    fn root(&self) -> &Root {
        &self.root
    }
    fn pve(&self, node: &str) -> Result<PveFs, String> {
        crate::cluster::pve_for(&self.root, node).map_err(|e| e.to_string())
    }
    fn quorate(&self, node: &str) -> bool {
        crate::cluster::is_quorate(&self.root, node).unwrap_or(false)
    }
    fn member_ip(&self, node: &str) -> Option<String> {
        let m = crate::cluster::members(&self.root)
            .ok()?
            .into_iter()
            .find(|m| m.name == node)?;
        if crate::sim::hardware::valid_ip(&m.ring0_addr) {
            Some(m.ring0_addr)
        } else {
            Some(self.hw().resolve(&m.ring0_addr).unwrap_or(m.ring0_addr))
        }
    }
    fn powered(&self, node: &str) -> bool {
        self.hw().is_powered(node)
    }
    fn reach(&self, a: &str, b: &str) -> bool {
        self.hw().reach(a, b)
    }
    fn cpu_model(&self, node: &str) -> String {
        self.hw()
            .machine(node)
            .map(|m| m.cpu_model.clone())
            .unwrap_or_default()
    }
}
