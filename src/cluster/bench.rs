//! The lab bench operations on the hardware: create a root with machines,
//! add and reinstall machines, power and network switches, network
//! segments. Every operation runs under the cluster lock and ends with a
//! quorum recomputation ([`super::apply`]).

use super::quorum::Event;
use super::state::{ClusterState, Local, Tree};
use super::{apply, lock, pmxcfs, ClusterError, Result};
use crate::sim::hardware::{Hardware, Machine, DEFAULT_CPU_MODEL};
use crate::store::Root;
use std::fs;

/// Options of `pvesim init`.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// Machine names (default pve1..pveN).
    pub names: Vec<String>,
    /// Primary addresses by position (missing ones come from the range).
    pub ips: Vec<String>,
    pub cpu_model: String,
    pub pve_version: u8,
    pub force: bool,
}

/// The subdirectories `pvesim init --force` clears.
const ROOT_DIRS: &[&str] = &["etc", "hosts", "nodes", "sim", "shared-storage"];

/// Refuse a directory that holds anything but a state root (a home
/// directory, a project): pvesim would mix its tree into it, and a later
/// `--force` could take the user's own `etc` or `nodes` for its own.
pub fn check_foreign_content(root: &Root) -> Result<()> {
    let Ok(entries) = fs::read_dir(root.path()) else {
        return Ok(()); // absent (created here) or unreadable (fails later)
    };
    // a root, or a root just cleared for a rebuild (its lock directory
    // stays), may have the user's own files beside it
    if root.exists() || root.path().join("lock").is_dir() {
        return Ok(());
    }
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !ROOT_DIRS.contains(&n.as_str()) && n != "lock")
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    Err(ClusterError::msg(format!(
        "'{}' is not empty and is not a pvesim state root (it holds '{}') - \
         choose a new or empty directory for PVESIM_ROOT",
        root.path().display(),
        names.iter().min().expect("not empty")
    )))
}

/// Create the root's directory, with an error that names it.
fn create_root_dir(root: &Root) -> Result<()> {
    let p = root.path();
    if p.exists() && !p.is_dir() {
        return Err(ClusterError::msg(format!(
            "state root '{}' is not a directory",
            p.display()
        )));
    }
    fs::create_dir_all(p).map_err(|e| {
        ClusterError::msg(format!(
            "unable to create state root '{}' - {}",
            p.display(),
            crate::store::os_text(&e)
        ))
    })
}

/// Remove a state root's own directories (nothing else in its directory).
pub fn clear_root(root: &Root) -> Result<()> {
    for d in ROOT_DIRS {
        let p = root.path().join(d);
        if p.exists() {
            fs::remove_dir_all(&p).map_err(crate::store::StoreError::from)?;
        }
    }
    Ok(())
}

/// Create a fresh state root with standalone, powered-on machines.
pub fn init(root: &Root, opts: &InitOptions) -> Result<()> {
    if opts.names.is_empty() {
        return Err(ClusterError::msg(
            "nodes: value must have a minimum value of 1",
        ));
    }
    check_foreign_content(root)?;
    create_root_dir(root)?;
    let _g = lock(root)?;
    if root.exists() || root.etc_pve().exists() || root.path().join("hosts").exists() {
        if !opts.force {
            return Err(ClusterError::msg(format!(
                "state root '{}' already exists - use --force to replace it",
                root.path().display()
            )));
        }
        clear_root(root)?;
    }
    let mut hw = Hardware::default();
    for (i, name) in opts.names.iter().enumerate() {
        let ip = match opts.ips.get(i) {
            Some(ip) => ip.clone(),
            None => hw.next_free_address()?,
        };
        hw.add(Machine {
            name: name.clone(),
            addresses: vec![ip],
            cpu_model: opts.cpu_model.clone(),
            powered: true,
            network: true,
            qnetd: false,
        })?;
    }
    fs::create_dir_all(root.sim_dir()).map_err(crate::store::StoreError::from)?;
    crate::sim::version::set_pve_version(root, opts.pve_version)?;
    crate::sim::clock::set(root, crate::sim::clock::now(root)?)?;
    let mut st = ClusterState::default();
    for name in &opts.names {
        pmxcfs::fresh_tree(&root.host_pve(name), name)?;
        st.node_mut(name).tree = Tree::Standalone;
        st.node_mut(name).starttime = crate::sim::clock::now(root)?;
    }
    hw.save(root)?;
    st.save(root)?;
    root.set_current_node(&opts.names[0])?;
    pmxcfs::refresh(root, &hw, &st)?;
    Ok(())
}

/// Options of `pvesim host add`.
#[derive(Debug, Clone, Default)]
pub struct HostOptions {
    pub name: String,
    pub ips: Vec<String>,
    pub cpu_model: Option<String>,
    pub qnetd: bool,
}

/// Add a standalone machine (or a qnetd host), powered on.
pub fn host_add(root: &Root, o: &HostOptions) -> Result<String> {
    root.require()?;
    let _g = lock(root)?;
    apply(root, |hw, st| {
        let ips = if o.ips.is_empty() {
            vec![hw.next_free_address()?]
        } else {
            o.ips.clone()
        };
        if !o.qnetd && st.node(&o.name).is_some_and(|s| s.tree == Tree::Cluster) {
            return Err(ClusterError::msg(format!(
                "machine '{}' already exists",
                o.name
            )));
        }
        hw.add(Machine {
            name: o.name.clone(),
            addresses: ips.clone(),
            cpu_model: o
                .cpu_model
                .clone()
                .unwrap_or_else(|| DEFAULT_CPU_MODEL.to_string()),
            powered: true,
            network: true,
            qnetd: o.qnetd,
        })?;
        if !o.qnetd {
            pmxcfs::fresh_tree(&root.host_pve(&o.name), &o.name)?;
            let s = st.node_mut(&o.name);
            s.tree = Tree::Standalone;
            s.starttime = crate::sim::clock::now(root)?;
        }
        Ok((ips[0].clone(), Event::default()))
    })
}

/// `pvesim host reinstall NAME`: a fresh standalone machine again (C.1 item 4).
pub fn host_reinstall(root: &Root, name: &str) -> Result<()> {
    root.require()?;
    let _g = lock(root)?;
    apply(root, |hw, st| {
        let m = hw.get(name)?;
        if m.qnetd {
            return Err(ClusterError::msg(format!(
                "machine '{name}' is a qnetd host, not a Proxmox VE node"
            )));
        }
        let in_nodelist = super::members(root)?.iter().any(|m| m.name == name);
        if in_nodelist {
            let cname = super::quorum::shared_conf(root)?
                .and_then(|c| {
                    c.section("totem")
                        .and_then(|t| t.get("cluster_name").map(str::to_string))
                })
                .unwrap_or_default();
            return Err(ClusterError::msg(format!(
                "host '{name}' is a member of cluster '{cname}' - remove it with 'pvecm delnode {name}' first"
            )));
        }
        let local = Local::new(root, name);
        for p in [local.authkey(), local.corosync_conf()] {
            let _ = fs::remove_file(p);
        }
        let _ = fs::remove_dir_all(local.qdevice_dir());
        let _ = fs::remove_dir_all(local.backup_dir());
        let host = root.path().join("hosts").join(name);
        if host.exists() {
            fs::remove_dir_all(&host).map_err(crate::store::StoreError::from)?;
        }
        let _ = fs::remove_file(
            root.sim_dir()
                .join("pmxcfs")
                .join(format!("host-{name}.json")),
        );
        pmxcfs::fresh_tree(&root.host_pve(name), name)?;
        let now = crate::sim::clock::now(root)?;
        st.nodes.insert(name.to_string(), Default::default());
        let s = st.node_mut(name);
        s.tree = Tree::Standalone;
        s.starttime = now;
        Ok(((), Event::default()))
    })
}

/// `pvesim power NODE on|off`.
pub fn power(root: &Root, name: &str, on: bool) -> Result<()> {
    root.require()?;
    let _g = lock(root)?;
    apply(root, |hw, st| {
        let m = hw.machine_mut(name).ok_or_else(|| {
            ClusterError::Hardware(crate::sim::hardware::HardwareError::NoSuchMachine(
                name.into(),
            ))
        })?;
        let was = m.powered;
        m.powered = on;
        let mut ev = Event::default();
        if !on && was {
            // Guests die with their machine.
            crate::guest::vm::clear_node(root, name)
                .map_err(|e| ClusterError::msg(e.to_string()))?;
        }
        if on && !was {
            ev.returned.insert(name.to_string());
            ev.qdevice_started.insert(name.to_string());
            if st.node(name).is_some_and(|s| s.tree == Tree::Cluster) {
                ev.started.insert(name.to_string());
            } else if st.node(name).is_some_and(|s| s.tree == Tree::Standalone) {
                st.node_mut(name).starttime = crate::sim::clock::now(root)?;
            }
        }
        Ok(((), ev))
    })
}

/// `pvesim network NODE on|off`.
pub fn network(root: &Root, name: &str, on: bool) -> Result<()> {
    root.require()?;
    let _g = lock(root)?;
    apply(root, |hw, _st| {
        let m = hw.machine_mut(name).ok_or_else(|| {
            ClusterError::Hardware(crate::sim::hardware::HardwareError::NoSuchMachine(
                name.into(),
            ))
        })?;
        let was = m.network;
        m.network = on;
        let mut ev = Event::default();
        if on && !was {
            ev.returned.insert(name.to_string());
        }
        Ok(((), ev))
    })
}

/// `pvesim split G1 G2 ... [--qnetd-only-with NODE]`.
pub fn split(root: &Root, groups: &[String], qnetd_only_with: Option<&str>) -> Result<()> {
    root.require()?;
    let _g = lock(root)?;
    apply(root, |hw, _st| {
        let mut segs: Vec<Vec<String>> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for g in groups {
            let mut seg = Vec::new();
            for n in g.split(',').filter(|s| !s.is_empty()) {
                hw.get(n)?;
                if !seen.insert(n.to_string()) {
                    return Err(ClusterError::msg(format!(
                        "machine '{n}' is named in more than one group"
                    )));
                }
                seg.push(n.to_string());
            }
            if seg.is_empty() {
                return Err(ClusterError::msg(format!("empty group '{g}'")));
            }
            segs.push(seg);
        }
        if segs.is_empty() {
            return Err(ClusterError::msg(
                "split needs at least one group of machines",
            ));
        }
        if let Some(n) = qnetd_only_with {
            hw.get(n)?;
        }
        hw.segments = segs;
        hw.qnetd_only_with = qnetd_only_with.map(str::to_string);
        Ok(((), Event::default()))
    })
}

/// `pvesim heal`: one segment again (a return for every running node).
pub fn heal(root: &Root) -> Result<()> {
    root.require()?;
    let _g = lock(root)?;
    apply(root, |hw, _st| {
        hw.segments.clear();
        hw.qnetd_only_with = None;
        let ev = Event {
            returned: hw.machines.iter().map(|m| m.name.clone()).collect(),
            ..Event::default()
        };
        Ok(((), ev))
    })
}

/// `pvesim use NODE`.
pub fn use_node(root: &Root, name: &str) -> Result<()> {
    root.require()?;
    let _g = lock(root)?;
    let hw = Hardware::load(root)?;
    let m = hw.get(name)?;
    if m.qnetd {
        return Err(ClusterError::msg(format!(
            "machine '{name}' is a qnetd host, not a Proxmox VE node"
        )));
    }
    root.set_current_node(name)?;
    let st = ClusterState::load(root)?;
    pmxcfs::refresh(root, &hw, &st)?;
    Ok(())
}
