//! What pmxcfs adds to the plain files of `/etc/pve` (spec C.1–C.4, C.9):
//! the fresh tree of a new machine, the node files pvecm generates, the guest
//! config listing behind VMID uniqueness, and the virtual status files
//! `.members`, `.vmlist`, `.version`, `.clusterlog` plus the node-relative
//! links, materialised after every command for the node chosen with
//! `pvesim use` (project decision 4).

use super::state::{ClusterState, Tree};
use crate::format::corosync;
use crate::sim::hardware::Hardware;
use crate::store::{read_opt, write_atomic, Root, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// storage.cfg of a Proxmox VE installation on ZFS (qm-and-storage 6.1).
pub const FRESH_STORAGE_CFG: &str = crate::storage::config::DEFAULT_ZFS_STORAGE_CFG;

/// vzdump.cron as pve-cluster creates it.
pub const VZDUMP_CRON: &str = "# cluster wide vzdump cron schedule\n# Automatically generated file - do not edit\n\nPATH=\"/usr/sbin:/usr/bin:/sbin:/bin\"\n\n";

/// The directories `updatecerts` creates for observed files, in its order.
pub const OBSERVED_DIRS: &[&str] = &[
    "firewall",
    "ha",
    "mapping",
    "priv",
    "priv/acme",
    "sdn",
    "virtual-guest",
];

fn placeholder(kind: &str, node: &str) -> String {
    format!("-----BEGIN {kind}-----\npvesim placeholder for {node}\n-----END {kind}-----\n")
}

fn write_if_missing(base: &Path, rel: &str, content: &str) -> Result<bool, StoreError> {
    let p = base.join(rel);
    if p.exists() {
        return Ok(false);
    }
    write_atomic(&p, content.as_bytes())?;
    Ok(true)
}

/// `nodes/<node>/` with `lxc/`, `qemu-server/`, `openvz/`, `priv/` (A.5 step 11).
pub fn gen_local_dirs(base: &Path, node: &str) -> Result<(), StoreError> {
    for d in ["lxc", "qemu-server", "openvz", "priv"] {
        crate::store::create_dir_all_pve(&base.join("nodes").join(node).join(d))?;
    }
    crate::store::create_dir_all_pve(&base.join("priv"))?;
    Ok(())
}

/// The cluster-wide key files (A.3 step 7), each only if missing.
pub fn gen_cluster_files(base: &Path, node: &str) -> Result<(), StoreError> {
    write_if_missing(
        base,
        "priv/authkey.key",
        &placeholder("RSA PRIVATE KEY", node),
    )?;
    write_if_missing(base, "authkey.pub", &placeholder("PUBLIC KEY", node))?;
    write_if_missing(base, "pve-www.key", &placeholder("RSA PRIVATE KEY", node))?;
    write_if_missing(
        base,
        "priv/pve-root-ca.key",
        &placeholder("RSA PRIVATE KEY", node),
    )?;
    write_if_missing(base, "pve-root-ca.pem", &placeholder("CERTIFICATE", node))?;
    write_if_missing(base, "priv/pve-root-ca.srl", "01\n")?;
    write_if_missing(
        base,
        "priv/authorized_keys",
        &format!("ssh-rsa AAAApvesim root@{node}\n"),
    )?;
    write_if_missing(
        base,
        "priv/known_hosts",
        &format!("{node} ssh-rsa AAAApvesim\n"),
    )?;
    Ok(())
}

/// The node's own files: certificate, key, ssh_known_hosts (updatecerts / join).
pub fn gen_node_files(base: &Path, node: &str) -> Result<(), StoreError> {
    gen_local_dirs(base, node)?;
    let n = format!("nodes/{node}");
    write_if_missing(
        base,
        &format!("{n}/pve-ssl.key"),
        &placeholder("PRIVATE KEY", node),
    )?;
    write_if_missing(
        base,
        &format!("{n}/pve-ssl.pem"),
        &placeholder("CERTIFICATE", node),
    )?;
    write_if_missing(
        base,
        &format!("{n}/ssh_known_hosts"),
        &format!("{node} ssh-rsa AAAApvesim\n"),
    )?;
    write_if_missing(base, "vzdump.cron", VZDUMP_CRON)?;
    Ok(())
}

/// Create the observed directories; returns the ones that were missing.
pub fn gen_observed_dirs(base: &Path) -> Result<Vec<&'static str>, StoreError> {
    let mut created = Vec::new();
    for d in OBSERVED_DIRS {
        let p = base.join(d);
        if !p.is_dir() {
            crate::store::create_dir_all_pve(&p)?;
            created.push(*d);
        }
    }
    Ok(created)
}

/// The tree of a freshly installed machine (what `pvesim init`, `pvesim host
/// add` and `pvesim host reinstall` give a machine): storage.cfg of a ZFS
/// install, the node directories and files, the key files, the observed
/// directories (a booted node has run `pvecm updatecerts`).
pub fn fresh_tree(base: &Path, node: &str) -> Result<(), StoreError> {
    fs::create_dir_all(base)?;
    write_if_missing(base, "storage.cfg", FRESH_STORAGE_CFG)?;
    gen_cluster_files(base, node)?;
    gen_node_files(base, node)?;
    gen_observed_dirs(base)?;
    Ok(())
}

/// Guest types by directory.
pub const GUEST_DIRS: &[(&str, &str)] = &[
    ("qemu-server", "qemu"),
    ("lxc", "lxc"),
    ("openvz", "openvz"),
];

/// A guest config found in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestEntry {
    pub vmid: u32,
    pub node: String,
    /// `qemu`, `lxc` or `openvz`.
    pub kind: &'static str,
    /// Path relative to `/etc/pve`, e.g. `nodes/pve1/qemu-server/100.conf`.
    pub rel: String,
}

fn valid_vmid_name(s: &str) -> Option<u32> {
    let d = s.strip_suffix(".conf")?;
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) || d.starts_with('0') {
        return None;
    }
    d.parse::<u64>()
        .ok()
        .filter(|v| *v <= u32::MAX as u64)
        .map(|v| v as u32)
}

/// Every guest config under `nodes/*/{qemu-server,lxc,openvz}` of the tree
/// at `base`, sorted by vmid, then node, then type (C.9 item 1).
pub fn guests(base: &Path) -> Result<Vec<GuestEntry>, StoreError> {
    Ok(scan(base, false)?.into_iter().map(|(g, _)| g).collect())
}

/// For each VMID, the node and type of its first config in [`guests`]
/// order among the types in `kinds` (what a lookup by VMID finds), without
/// building the entries' paths or sorting the whole list.
pub fn guest_homes(
    base: &Path,
    kinds: &[&str],
) -> Result<BTreeMap<u32, (String, &'static str)>, StoreError> {
    let mut out: BTreeMap<u32, (String, &'static str)> = BTreeMap::new();
    let nodes = match fs::read_dir(base.join("nodes")) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for n in nodes {
        let n = n?;
        let node = n.file_name().to_string_lossy().to_string();
        if !crate::sim::hardware::valid_node_name(&node) {
            continue;
        }
        for (dir, kind) in GUEST_DIRS.iter().filter(|(_, k)| kinds.contains(k)) {
            let Ok(rd) = fs::read_dir(n.path().join(dir)) else {
                continue;
            };
            for f in rd {
                let f = f?;
                let Some(vmid) = f.file_name().to_str().and_then(valid_vmid_name) else {
                    continue;
                };
                if !entry_is_file(&f) {
                    continue;
                }
                match out.get_mut(&vmid) {
                    Some(cur) if (cur.0.as_str(), cur.1) <= (node.as_str(), *kind) => {}
                    Some(cur) => *cur = (node.clone(), kind),
                    None => {
                        out.insert(vmid, (node.clone(), kind));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Whether a directory entry is a regular file (following a symlink, as
/// `Path::is_file` does). The type comes from the directory listing itself,
/// so a plain file costs no `stat`.
fn entry_is_file(f: &fs::DirEntry) -> bool {
    match f.file_type() {
        Ok(t) if t.is_file() => true,
        Ok(t) if t.is_dir() => false,
        _ => f.path().is_file(),
    }
}

/// The change signature of a guest config found by a directory listing:
/// [`sig`] of the file, taken relative to the open directory for a plain
/// file (no path walk), through the path for anything else (a symlink).
fn entry_sig(f: &fs::DirEntry) -> String {
    let md = match f.file_type() {
        Ok(t) if t.is_file() => f.metadata().ok(),
        _ => None,
    };
    match md {
        Some(md) => sig_of(&md),
        None => sig(&f.path()).unwrap_or_default(),
    }
}

/// [`guests`], each with its change signature when `with_sig` is set
/// (empty otherwise; the entries' `rel` paths are then left empty too: the
/// change tracking only needs VMID, node and type).
fn scan(base: &Path, with_sig: bool) -> Result<Vec<(GuestEntry, String)>, StoreError> {
    let mut out = Vec::new();
    let nodes = match fs::read_dir(base.join("nodes")) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for n in nodes {
        let n = n?;
        let node = n.file_name().to_string_lossy().to_string();
        if !crate::sim::hardware::valid_node_name(&node) {
            continue;
        }
        for (dir, kind) in GUEST_DIRS {
            let Ok(rd) = fs::read_dir(n.path().join(dir)) else {
                continue;
            };
            for f in rd {
                let f = f?;
                let name = f.file_name().to_string_lossy().to_string();
                if let Some(vmid) = valid_vmid_name(&name) {
                    if entry_is_file(&f) {
                        let s = if with_sig {
                            entry_sig(&f)
                        } else {
                            String::new()
                        };
                        let rel = if with_sig {
                            String::new()
                        } else {
                            format!("nodes/{node}/{dir}/{name}")
                        };
                        out.push((
                            GuestEntry {
                                vmid,
                                node: node.clone(),
                                kind,
                                rel,
                            },
                            s,
                        ));
                    }
                }
            }
        }
    }
    out.sort_by(|(a, _), (b, _)| (a.vmid, &a.node, a.kind).cmp(&(b.vmid, &b.node, b.kind)));
    Ok(out)
}

/// The guest registered under `vmid`, if any (the first one if duplicated).
pub fn find_guest(base: &Path, vmid: u32) -> Result<Option<GuestEntry>, StoreError> {
    Ok(guests(base)?.into_iter().find(|g| g.vmid == vmid))
}

/// VMIDs configured more than once (each with all its entries).
pub fn duplicate_vmids(base: &Path) -> Result<Vec<(u32, Vec<GuestEntry>)>, StoreError> {
    let mut by: BTreeMap<u32, Vec<GuestEntry>> = BTreeMap::new();
    for g in guests(base)? {
        by.entry(g.vmid).or_default().push(g);
    }
    Ok(by.into_iter().filter(|(_, v)| v.len() > 1).collect())
}

/// Check that `vmid` may be created as `kind` on `node` (C.9 item 3): the
/// tool-level text `VM <vmid> already exists on node '<node>'` (qemu) or
/// `CT ...` when it is taken by any guest.
pub fn check_vmid_unused(base: &Path, vmid: u32, kind: &str) -> Result<(), String> {
    match find_guest(base, vmid) {
        Ok(Some(g)) => Err(format!(
            "{} {vmid} already exists on node '{}'",
            if kind == "lxc" { "CT" } else { "VM" },
            g.node
        )),
        Ok(None) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// Check that writing `nodes/<node>/<dir>/<vmid>.conf` does not clash with a
/// registration of the same VMID for another node or type (C.9 item 2); the
/// error is the text a tool's atomic write shows.
pub fn check_vmid_write(base: &Path, vmid: u32, node: &str, dir: &str) -> Result<(), String> {
    let kind = GUEST_DIRS
        .iter()
        .find(|(d, _)| *d == dir)
        .map(|(_, k)| *k)
        .unwrap_or("qemu");
    for g in guests(base).map_err(|e| e.to_string())? {
        if g.vmid == vmid && (g.node != node || g.kind != kind) {
            return Err(format!(
                "close (rename) atomic file '/etc/pve/nodes/{node}/{dir}/{vmid}.conf' failed: File exists"
            ));
        }
    }
    Ok(())
}

// ---- virtual files ---------------------------------------------------------

/// Fingerprint of a file for change detection.
fn sig(p: &Path) -> Option<String> {
    fs::metadata(p).ok().map(|md| sig_of(&md))
}

/// [`sig`] of metadata already read: modification time in nanoseconds and size.
fn sig_of(md: &fs::Metadata) -> String {
    let mt = md
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{mt}:{}", md.len())
}

/// Counters behind `.vmlist` and `.version` of one tree.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counters {
    pub vmlist_version: u64,
    pub guest_counter: u64,
    /// vmid -> (node, type, version, signature)
    pub guests: BTreeMap<u32, (String, String, u64, String)>,
    /// observed file -> (version, signature)
    pub files: BTreeMap<String, (u64, String)>,
}

/// The observed files of `.version`, in their fixed order (C.4.3).
pub const OBSERVED_FILES: &[&str] = &[
    "corosync.conf",
    "corosync.conf.new",
    "storage.cfg",
    "user.cfg",
    "domains.cfg",
    "notifications.cfg",
    "priv/notifications.cfg",
    "priv/shadow.cfg",
    "priv/acme/plugins.cfg",
    "priv/tfa.cfg",
    "priv/token.cfg",
    "priv/wg-keys.cfg",
    "datacenter.cfg",
    "vzdump.cron",
    "vzdump.conf",
    "jobs.cfg",
    "ha/crm_commands",
    "ha/manager_status",
    "ha/resources.cfg",
    "ha/rules.cfg",
    "ha/groups.cfg",
    "ha/fence.cfg",
    "status.cfg",
    "replication.cfg",
    "ceph.conf",
    "sdn/vnets.cfg",
    "sdn/zones.cfg",
    "sdn/controllers.cfg",
    "sdn/subnets.cfg",
    "sdn/ipams.cfg",
    "sdn/mac-cache.json",
    "sdn/pve-ipam-state.json",
    "sdn/dns.cfg",
    "sdn/fabrics.cfg",
    "sdn/route-maps.cfg",
    "sdn/prefix-lists.cfg",
    "sdn/.running-config",
    "virtual-guest/cpu-models.conf",
    "virtual-guest/profiles.cfg",
    "firewall/cluster.fw",
    "mapping/directory.cfg",
    "mapping/pci.cfg",
    "mapping/usb.cfg",
];

fn counters_path(root: &Root, tree: &str) -> PathBuf {
    root.sim_dir().join("pmxcfs").join(format!("{tree}.json"))
}

/// Update the counters of the tree at `base` from what changed on disk.
pub fn update_counters(root: &Root, tree: &str, base: &Path) -> Result<Counters, StoreError> {
    let p = counters_path(root, tree);
    let stored = read_opt(&p)?;
    let parsed: Option<Counters> = stored.as_deref().and_then(|t| serde_json::from_str(t).ok());
    // Written back only when something changed (a counter moved, a guest or
    // file signature is new or different, a guest is gone), or when the
    // stored text is missing or unreadable and the counters are not empty.
    let mut changed = false;
    let mut c = parsed.unwrap_or_default();
    let gs = scan(base, true)?;
    let mut seen = std::collections::BTreeSet::new();
    for (g, s) in gs {
        if !seen.insert(g.vmid) {
            continue;
        }
        let differs = match c.guests.get(&g.vmid) {
            Some((n, k, _, old)) => *n != g.node || k != g.kind || *old != s,
            None => true,
        };
        if differs {
            changed = true;
            c.guest_counter += 1;
            c.vmlist_version += 1;
            c.guests
                .insert(g.vmid, (g.node, g.kind.to_string(), c.guest_counter, s));
        }
    }
    let before = c.guests.len();
    c.guests.retain(|v, _| seen.contains(v));
    let gone = (before - c.guests.len()) as u64;
    if gone > 0 {
        changed = true;
        c.vmlist_version += gone;
    }
    for f in OBSERVED_FILES {
        if let Some(s) = sig(&base.join(f)) {
            let e = c.files.entry(f.to_string()).or_insert((0, String::new()));
            if e.1 != s {
                changed = true;
                e.0 += 1;
                e.1 = s;
            }
        }
    }
    if changed {
        let text = serde_json::to_string(&c).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if stored.as_deref() != Some(text.as_str()) {
            write_atomic(&p, text.as_bytes())?;
        }
    }
    Ok(c)
}

/// `.vmlist` text (C.4.2), entries by VMID compared as strings.
pub fn vmlist_text(c: &Counters) -> String {
    use std::fmt::Write as _;
    if c.guests.is_empty() {
        return format!("{{\n\"version\": {}\n\n}}\n", c.vmlist_version);
    }
    // string order of the decimal VMIDs without allocating: digits
    // left-aligned, padded with zero bytes (which sort before '0')
    let key = |v: u32| {
        let mut k = [0u8; 10];
        let mut d = [0u8; 10];
        let (mut n, mut len) = (v, 0);
        loop {
            d[len] = b'0' + (n % 10) as u8;
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for i in 0..len {
            k[i] = d[len - 1 - i];
        }
        k
    };
    let mut ids: Vec<_> = c.guests.iter().collect();
    ids.sort_by_cached_key(|(v, _)| key(**v));
    let mut out = String::with_capacity(64 + ids.len() * 64);
    let _ = write!(out, "{{\n\"version\": {},\n\"ids\": {{\n", c.vmlist_version);
    for (i, (v, (n, k, ver, _))) in ids.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            "\"{v}\": {{ \"node\": \"{n}\", \"type\": \"{k}\", \"version\": {ver} }}"
        );
    }
    out.push_str("}\n\n}\n");
    out
}

/// `.members` text of `node` (C.4.1).
pub fn members_text(
    root: &Root,
    hw: &Hardware,
    st: &ClusterState,
    node: &str,
) -> Result<String, StoreError> {
    let s = st.node(node).cloned().unwrap_or_default();
    let shared = if s.tree == Tree::Cluster {
        super::quorum::shared_conf(root)?
    } else {
        None
    };
    let nodes = shared.as_ref().map(corosync::nodes).unwrap_or_default();
    if nodes.is_empty() {
        return Ok(format!(
            "{{\n\"nodename\": \"{node}\",\n\"version\": {}\n}}\n",
            s.clinfo
        ));
    }
    let name = shared
        .as_ref()
        .and_then(|c| c.section("totem").and_then(|t| t.get("cluster_name")))
        .unwrap_or("")
        .to_string();
    let version = super::state::Local::new(root, node).conf_version();
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n\"nodename\": \"{node}\",\n\"version\": {},\n\"cluster\": {{ \"name\": \"{name}\", \"version\": {version}, \"nodes\": {}, \"quorate\": {} }},\n\"nodelist\": {{\n",
        s.clinfo,
        nodes.len(),
        u8::from(s.quorate && s.running)
    );
    let lines: Vec<String> = nodes
        .iter()
        .map(|n| {
            let online = if n.name == node {
                s.running
            } else {
                s.running && s.partition.contains(&n.name)
            };
            let addr = n.links.values().next().cloned().unwrap_or_default();
            let ip = if crate::sim::hardware::valid_ip(&addr) {
                addr
            } else {
                hw.resolve(&addr).unwrap_or(addr)
            };
            format!(
                "  \"{}\": {{ \"id\": {}, \"online\": {}, \"ip\": \"{ip}\"}}",
                n.name,
                n.nodeid,
                u8::from(online)
            )
        })
        .collect();
    out.push_str(&lines.join(",\n"));
    out.push_str("\n  }\n}\n");
    Ok(out)
}

/// `.version` text (C.4.3).
pub fn version_text(st: &ClusterState, c: &Counters, node: &str) -> String {
    let s = st.node(node).cloned().unwrap_or_default();
    let mut out = format!(
        "{{\n\"starttime\": {},\n\"clinfo\": {},\n\"vmlist\": {},\n",
        s.starttime, s.clinfo, c.vmlist_version
    );
    for f in OBSERVED_FILES {
        let v = c.files.get(*f).map(|x| x.0).unwrap_or(0);
        let _ = writeln!(out, "\"{f}\": {v},");
    }
    let _ = write!(out, "\"kvstore\": {{\n\"{node}\": {{\n}}\n}}\n}}\n");
    out
}

fn json_str(s: &str) -> String {
    let mut o = String::new();
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    let _ = write!(o, "\\u{:04x}", u);
                }
            }
            c => o.push(c),
        }
    }
    o
}

/// `.clusterlog` text (C.4.4), newest first.
pub fn clusterlog_text(st: &ClusterState) -> String {
    let entries: Vec<String> = st
        .clusterlog
        .iter()
        .rev()
        .map(|e| {
            format!(
                "{{\"uid\": {}, \"time\": {}, \"pri\": {}, \"tag\": \"{}\", \"pid\": {}, \"node\": \"{}\", \"user\": \"{}\", \"msg\": \"{}\"}}",
                e.uid, e.time, e.pri, json_str(&e.tag), e.pid, json_str(&e.node), json_str(&e.user), json_str(&e.msg)
            )
        })
        .collect();
    if entries.is_empty() {
        "{\n\"data\": [\n]\n}\n".to_string()
    } else {
        format!("{{\n\"data\": [\n{}\n]\n}}\n", entries.join(",\n"))
    }
}

fn write_if_changed(p: &Path, text: &str) -> Result<(), StoreError> {
    if read_opt(p)?.as_deref() != Some(text) {
        write_atomic(p, text.as_bytes())?;
    }
    Ok(())
}

fn set_link(base: &Path, name: &str, target: &str) -> Result<(), StoreError> {
    let p = base.join(name);
    if let Ok(cur) = fs::read_link(&p) {
        if cur == Path::new(target) {
            return Ok(());
        }
    }
    let _ = fs::remove_file(&p);
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, &p)?;
    Ok(())
}

fn materialise(
    root: &Root,
    hw: &Hardware,
    st: &ClusterState,
    base: &Path,
    tree: &str,
    node: &str,
) -> Result<(), StoreError> {
    if !base.is_dir() {
        return Ok(());
    }
    let c = update_counters(root, tree, base)?;
    write_if_changed(&base.join(".members"), &members_text(root, hw, st, node)?)?;
    write_if_changed(&base.join(".vmlist"), &vmlist_text(&c))?;
    write_if_changed(&base.join(".version"), &version_text(st, &c, node))?;
    write_if_changed(&base.join(".clusterlog"), &clusterlog_text(st))?;
    set_link(base, "local", &format!("nodes/{node}"))?;
    for d in ["qemu-server", "lxc", "openvz"] {
        set_link(base, d, &format!("nodes/{node}/{d}"))?;
    }
    Ok(())
}

/// Refresh the virtual files of every tree: the cluster tree shows the view
/// of the node chosen with `pvesim use` (else the first member by name),
/// each standalone tree its own machine's view.
pub fn refresh(root: &Root, hw: &Hardware, st: &ClusterState) -> Result<(), StoreError> {
    let current = read_opt(&root.sim_dir().join("current_node"))?
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let members: Vec<&String> = st
        .nodes
        .iter()
        .filter(|(_, s)| s.tree == Tree::Cluster)
        .map(|(n, _)| n)
        .collect();
    if root.etc_pve().is_dir() {
        let viewer = if members.iter().any(|m| **m == current) {
            Some(current.clone())
        } else {
            members.first().map(|s| s.to_string())
        };
        if let Some(v) = viewer {
            materialise(root, hw, st, &root.etc_pve(), "cluster", &v)?;
        }
    }
    for (n, s) in &st.nodes {
        if s.tree == Tree::Standalone {
            materialise(root, hw, st, &root.host_pve(n), &format!("host-{n}"), n)?;
        }
    }
    Ok(())
}

/// Refresh the virtual files after a command of any tool (reads the state
/// itself; takes no lock: the files are only views).
pub fn refresh_views(root: &Root) -> Result<(), StoreError> {
    if !root.exists() {
        return Ok(());
    }
    let hw = Hardware::load(root)?;
    let st = ClusterState::load(root)?;
    refresh(root, hw_ref(&hw), &st)
}

fn hw_ref(h: &Hardware) -> &Hardware {
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_listing_and_duplicates() {
        let d = tempfile::tempdir().unwrap();
        let b = d.path();
        for p in [
            "nodes/pve1/qemu-server/100.conf",
            "nodes/pve2/lxc/100.conf",
            "nodes/pve2/qemu-server/101.conf",
            "nodes/pve2/qemu-server/0101.conf",
            "nodes/pve2/qemu-server/102.conf.tmp.5",
            "nodes/bad_name/qemu-server/103.conf",
        ] {
            write_atomic(&b.join(p), b"x\n").unwrap();
        }
        let g = guests(b).unwrap();
        assert_eq!(
            g.iter().map(|g| g.vmid).collect::<Vec<_>>(),
            vec![100, 100, 101]
        );
        let dups = duplicate_vmids(b).unwrap();
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].0, 100);
        assert_eq!(
            check_vmid_unused(b, 101, "qemu").unwrap_err(),
            "VM 101 already exists on node 'pve2'"
        );
        assert!(check_vmid_unused(b, 104, "lxc").is_ok());
        assert!(check_vmid_write(b, 101, "pve2", "qemu-server").is_ok());
        assert!(check_vmid_write(b, 101, "pve1", "qemu-server").is_err());
    }

    #[test]
    fn guest_homes_is_the_first_listed_entry_per_vmid() {
        let d = tempfile::tempdir().unwrap();
        let b = d.path();
        for p in [
            "nodes/pve2/qemu-server/100.conf",
            "nodes/pve1/lxc/100.conf",
            "nodes/pve1/openvz/101.conf",
            "nodes/pve3/qemu-server/101.conf",
            "nodes/pve3/lxc/102.conf",
            "nodes/pve1/qemu-server/0103.conf",
            "nodes/bad_name/qemu-server/104.conf",
        ] {
            write_atomic(&b.join(p), b"x\n").unwrap();
        }
        fs::create_dir_all(b.join("nodes/pve1/qemu-server/105.conf")).unwrap();
        for kinds in [
            &["qemu", "lxc"][..],
            &["qemu", "lxc", "openvz"][..],
            &["qemu"][..],
        ] {
            let mut want: BTreeMap<u32, (String, &'static str)> = BTreeMap::new();
            for g in guests(b).unwrap() {
                if kinds.contains(&g.kind) {
                    want.entry(g.vmid).or_insert((g.node, g.kind));
                }
            }
            assert_eq!(guest_homes(b, kinds).unwrap(), want, "{kinds:?}");
        }
        assert_eq!(
            guest_homes(b, &["qemu", "lxc"]).unwrap()[&100],
            ("pve1".to_string(), "lxc")
        );
    }

    #[test]
    fn vmlist_orders_vmids_as_strings() {
        let mut c = Counters::default();
        for v in [99u32, 1000, 101, 100, 4_294_967_295, 10] {
            c.guests
                .insert(v, ("n".into(), "qemu".into(), 1, String::new()));
        }
        let text = vmlist_text(&c);
        let order: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix('"')?.split('"').next())
            .filter(|k| k.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        assert_eq!(order, ["10", "100", "1000", "101", "4294967295", "99"]);
    }

    #[test]
    fn vmlist_format() {
        let mut c = Counters::default();
        assert_eq!(vmlist_text(&c), "{\n\"version\": 0\n\n}\n");
        c.vmlist_version = 12;
        c.guests
            .insert(100, ("pve1".into(), "qemu".into(), 5, String::new()));
        c.guests
            .insert(101, ("pve2".into(), "lxc".into(), 11, String::new()));
        assert_eq!(
            vmlist_text(&c),
            "{\n\"version\": 12,\n\"ids\": {\n\"100\": { \"node\": \"pve1\", \"type\": \"qemu\", \"version\": 5 },\n\"101\": { \"node\": \"pve2\", \"type\": \"lxc\", \"version\": 11 }}\n\n}\n"
        );
    }
}
