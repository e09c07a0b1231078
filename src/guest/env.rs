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
    /// Node owning guest `vmid` and its kind (`qemu` or `lxc`), cluster-wide.
    fn find_guest(&self, vmid: u32) -> Option<(String, String)> {
        let pve = self.pve("").ok()?;
        find_guest_in(pve.base(), vmid)
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

/// The cluster of a state root, read from the tree itself: members and
/// their ring0 addresses from `corosync.conf`. (Interim: every machine is
/// powered, reachable and quorate until the cluster layer's API is wired.)
#[derive(Debug, Clone)]
pub struct RootCluster {
    pub root: Root,
}

impl RootCluster {
    fn corosync_ring0(&self, node: &str) -> Option<String> {
        let text = crate::store::read_opt(&self.root.etc_pve().join("corosync.conf")).ok()??;
        let mut in_node = false;
        let mut name = None;
        let mut addr = None;
        for l in text.lines() {
            let t = l.trim();
            if t.starts_with("node {") || t == "node {" {
                in_node = true;
                name = None;
                addr = None;
            } else if in_node && t == "}" {
                if name.as_deref() == Some(node) {
                    return addr.or(Some(String::new()));
                }
                in_node = false;
            } else if in_node {
                if let Some(v) = t.strip_prefix("name:") {
                    name = Some(v.trim().to_string());
                } else if let Some(v) = t.strip_prefix("ring0_addr:") {
                    addr = Some(v.trim().to_string());
                }
            }
        }
        None
    }
}

impl ClusterInfo for RootCluster {
    fn root(&self) -> &Root {
        &self.root
    }
    fn pve(&self, node: &str) -> Result<PveFs, String> {
        Ok(PveFs::new(self.root.etc_pve(), node, true))
    }
    fn quorate(&self, _node: &str) -> bool {
        true
    }
    fn member_ip(&self, node: &str) -> Option<String> {
        self.corosync_ring0(node).or_else(|| {
            self.root
                .etc_pve()
                .join("nodes")
                .join(node)
                .is_dir()
                .then(String::new)
        })
    }
    fn powered(&self, _node: &str) -> bool {
        true
    }
    fn reach(&self, _a: &str, _b: &str) -> bool {
        true
    }
    fn cpu_model(&self, _node: &str) -> String {
        String::new()
    }
}
