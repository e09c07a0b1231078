//! Where `ha-manager` meets the cluster layer: the acting node, its view of
//! `/etc/pve` (read-only without quorum), the cluster members and the guest
//! list. This is the one place that calls into `crate::cluster`.

use crate::cli::{CliResult, Context};
use crate::cluster;
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
    let no_machines = crate::sim::hardware::Hardware::load(&root)?
        .machines
        .is_empty();
    let (root, node, pve) = if no_machines {
        // A bare tree without machines (built by hand, e.g. by another
        // tool's tests): the cluster tree, always quorate.
        let node = root.acting_node(ctx.node.as_deref())?;
        crate::store::safe_component("node", &node)?;
        let pve = PveFs::new(root.etc_pve(), node.clone(), true);
        (root, node, pve)
    } else {
        let (root, node) = crate::cli::node::acting(ctx)?;
        let pve = cluster::pve_for(&root, &node)?;
        (root, node, pve)
    };
    let version = crate::sim::version::pve_version(&root)?;
    Ok(HaEnv {
        root,
        node,
        pve,
        version,
        tz: ctx.tz.clone(),
    })
}

impl HaEnv {
    /// Whether this node is quorate (pmxcfs accepts its writes).
    pub fn quorate(&self) -> bool {
        self.pve.writable()
    }

    /// The configured cluster nodes (byte-wise sorted). A standalone node
    /// counts as a one-node cluster.
    pub fn members(&self) -> CliResult<Vec<String>> {
        let mut m: Vec<String> = cluster::members(&self.root)?
            .into_iter()
            .map(|m| m.name)
            .collect();
        if m.is_empty() {
            m.push(self.node.clone());
        }
        m.sort();
        Ok(m)
    }

    /// Where guest `vmid` lives and what it is, from the cluster guest list.
    pub fn guest(&self, vmid: &str) -> Option<(String, GuestKind)> {
        let id: u32 = vmid.parse().ok()?;
        let entry = cluster::pmxcfs::find_guest(self.pve.base(), id).ok()??;
        let kind = match entry.kind {
            "qemu" => GuestKind::Vm,
            "lxc" => GuestKind::Ct,
            _ => return None,
        };
        Some((entry.node, kind))
    }

    /// The whole cluster guest list (qemu and lxc), read once (from the
    /// view counters when they are current).
    pub fn guest_table(&self) -> cluster::pmxcfs::GuestHomes {
        cluster::pmxcfs::current_guest_homes(&self.root, self.pve.base(), &["qemu", "lxc"])
            .unwrap_or_default()
    }

    /// The cluster guest list as a lookup for bare VMIDs.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<GuestKind> + '_ {
        move |id: &str| self.guest(id).map(|(_, k)| k)
    }
}
