//! Where `ha-manager` meets the cluster layer: the acting node, its view of
//! `/etc/pve` (read-only without quorum), the cluster members and the guest
//! list. This is the one place that calls into `crate::cluster`.

use crate::cli::{CliError, CliResult, Context};
use crate::ha::config::GuestKind;
use crate::store::{PveFs, Root};

/// Everything an `ha-manager` command needs to know about where it runs.
pub struct HaEnv {
    pub root: Root,
    /// The node the command runs on.
    pub node: String,
    /// The node's `/etc/pve`.
    pub pve: PveFs,
    /// Proxmox VE generation (8 or 9).
    pub version: u8,
    /// `TZ`, for rendering times.
    pub tz: Option<String>,
}

/// Open the environment for the acting node: the root must exist, the
/// machine must be powered on and have a `/etc/pve`.
pub fn open(ctx: &Context) -> CliResult<HaEnv> {
    let root = ctx.store_root()?;
    root.require()?;
    let node = root.acting_node(ctx.node.as_deref())?;
    crate::store::safe_component("node", &node)?;
    let pve = pve_for(&root, &node)?;
    let version = crate::sim::version::pve_version(&root)?;
    Ok(HaEnv {
        root,
        node,
        pve,
        version,
        tz: std::env::var("TZ").ok(),
    })
}

/// The node's `/etc/pve` view (project decision 9: a powered-off machine
/// refuses every command).
fn pve_for(root: &Root, node: &str) -> CliResult<PveFs> {
    cluster::pve_for(root, node)
}

impl HaEnv {
    /// Whether this node is quorate (pmxcfs accepts its writes).
    pub fn quorate(&self) -> bool {
        self.pve.writable()
    }

    /// The configured cluster nodes (byte-wise sorted). A standalone node
    /// counts as a one-node cluster.
    pub fn members(&self) -> CliResult<Vec<String>> {
        let mut m: Vec<String> = cluster::members(&self.root)?;
        if m.is_empty() {
            m.push(self.node.clone());
        }
        m.sort();
        Ok(m)
    }

    /// Where guest `vmid` lives and what it is, from the cluster guest list.
    pub fn guest(&self, vmid: &str) -> Option<(String, GuestKind)> {
        let id: u32 = vmid.parse().ok()?;
        cluster::find_guest(&self.pve, id)
    }

    /// The cluster guest list as a lookup for bare VMIDs.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<GuestKind> + '_ {
        move |id: &str| self.guest(id).map(|(_, k)| k)
    }
}

/// Stand-in for the cluster layer until it lands on main: the cluster
/// tree is always writable, members are the node directories, guests are
/// found by scanning the node directories.
mod cluster {
    use super::*;

    pub fn pve_for(root: &Root, node: &str) -> CliResult<PveFs> {
        Ok(PveFs::new(root.etc_pve(), node, true))
    }

    pub fn members(root: &Root) -> CliResult<Vec<String>> {
        let mut out = Vec::new();
        if let Ok(rd) = std::fs::read_dir(root.etc_pve().join("nodes")) {
            for e in rd.flatten() {
                if e.path().is_dir() {
                    out.push(e.file_name().to_string_lossy().to_string());
                }
            }
        }
        Ok(out)
    }

    pub fn find_guest(pve: &PveFs, id: u32) -> Option<(String, GuestKind)> {
        let mut nodes: Vec<String> = std::fs::read_dir(pve.base().join("nodes"))
            .ok()?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        nodes.sort();
        for n in nodes {
            for (dir, kind) in [("qemu-server", GuestKind::Vm), ("lxc", GuestKind::Ct)] {
                if pve.path(&format!("nodes/{n}/{dir}/{id}.conf")).is_file() {
                    return Some((n, kind));
                }
            }
        }
        None
    }

    #[allow(dead_code)]
    fn _unused(_: CliError) {}
}
