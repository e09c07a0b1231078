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
    scan(base)
}

/// For each VMID, the node and type of its first config in [`guests`]
/// order among the types in `kinds` (what a lookup by VMID finds), without
/// building the entries' paths or sorting the whole list; each node name is
/// kept once.
#[derive(Debug, Clone, Default)]
pub struct GuestHomes {
    nodes: Vec<String>,
    /// (vmid, node index, type) by vmid
    homes: Vec<(u32, u32, &'static str)>,
}

impl GuestHomes {
    /// The node and type of `vmid`.
    pub fn get(&self, vmid: u32) -> Option<(&str, &'static str)> {
        let i = self.homes.binary_search_by_key(&vmid, |h| h.0).ok()?;
        let (_, n, k) = self.homes[i];
        Some((self.nodes[n as usize].as_str(), k))
    }

    pub fn len(&self) -> usize {
        self.homes.len()
    }

    /// Every entry by VMID: (vmid, node index into [`Self::node_names`],
    /// type).
    pub fn iter(&self) -> impl Iterator<Item = (u32, usize, &'static str)> + '_ {
        self.homes.iter().map(|&(v, n, k)| (v, n as usize, k))
    }

    /// The node names the entries refer to by index.
    pub fn node_names(&self) -> &[String] {
        &self.nodes
    }

    pub fn is_empty(&self) -> bool {
        self.homes.is_empty()
    }
}

/// The node directories under `base/nodes` (valid node names only), sorted
/// by name; none when `nodes` does not exist.
fn node_dirs(base: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let rd = match fs::read_dir(base.join("nodes")) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut nodes = Vec::new();
    for n in rd {
        let n = n?;
        let name = n.file_name();
        if let Some(s) = name
            .to_str()
            .filter(|s| crate::sim::hardware::valid_node_name(s))
        {
            nodes.push((s.to_string(), n.path()));
        }
    }
    nodes.sort();
    Ok(nodes)
}

/// The [`GuestHomes`] of the tree at `base` for the types in `kinds`.
pub fn guest_home_table(base: &Path, kinds: &[&str]) -> Result<GuestHomes, StoreError> {
    use std::os::unix::ffi::OsStrExt as _;
    let mut t = GuestHomes::default();
    // within a node the types by name: a stable sort by VMID then puts each
    // VMID's first entry first
    let nodes = node_dirs(base)?;
    for (i, (name, path)) in nodes.iter().enumerate() {
        for kind in KINDS {
            let Some((dir, kind)) = GUEST_DIRS
                .iter()
                .find(|(_, k)| *k == kind && kinds.contains(k))
            else {
                continue;
            };
            let Ok(rd) = fs::read_dir(path.join(dir)) else {
                continue;
            };
            for f in rd {
                let f = f?;
                let Some(vmid) = std::str::from_utf8(f.file_name().as_bytes())
                    .ok()
                    .and_then(valid_vmid_name)
                else {
                    continue;
                };
                if entry_is_file(&f) {
                    t.homes.push((vmid, i as u32, kind));
                }
            }
        }
        t.nodes.push(name.clone());
    }
    t.homes.sort_by_key(|h| h.0);
    t.homes.dedup_by_key(|h| h.0);
    Ok(t)
}

/// [`guest_home_table`] of the tree at `base`, taken from the tree's view
/// counters when they are current: no guest directory changed since the
/// guests were last listed for them, and every guest they list is of one of
/// `kinds` (a first entry of another type could hide one of `kinds`).
/// Otherwise the directories are listed.
pub fn current_guest_homes(
    root: &Root,
    base: &Path,
    kinds: &[&str],
) -> Result<GuestHomes, StoreError> {
    let tree = if base == root.etc_pve() {
        Some("cluster".to_string())
    } else {
        base.strip_prefix(root.path().join("hosts"))
            .ok()
            .and_then(|r| r.to_str())
            .and_then(|r| r.strip_suffix("/etc/pve"))
            .filter(|h| !h.contains('/'))
            .map(|h| format!("host-{h}"))
    };
    let counted = match tree {
        Some(t) => read_opt(&counters_path(root, &t))?
            .as_deref()
            .and_then(Counters::parse),
        None => None,
    };
    if let Some(c) = counted {
        let kind_of = |g: &GuestCounter| {
            KINDS
                .get(g.kind as usize)
                .copied()
                .filter(|k| kinds.contains(k))
        };
        if c.guests.iter().all(|g| kind_of(g).is_some()) && guest_dirs_unchanged(base, &c.dirs) {
            let homes = c
                .guests
                .iter()
                .filter_map(|g| Some((g.vmid, g.node, kind_of(g)?)))
                .collect();
            return Ok(GuestHomes {
                nodes: c.nodes,
                homes,
            });
        }
    }
    guest_home_table(base, kinds)
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

/// [`guests`] of the tree at `base`.
fn scan(base: &Path) -> Result<Vec<GuestEntry>, StoreError> {
    let mut out = Vec::new();
    for (node, path) in node_dirs(base)? {
        for (dir, kind) in GUEST_DIRS {
            let Ok(rd) = fs::read_dir(path.join(dir)) else {
                continue;
            };
            for f in rd {
                let f = f?;
                let name = f.file_name().to_string_lossy().to_string();
                if let Some(vmid) = valid_vmid_name(&name) {
                    if entry_is_file(&f) {
                        out.push(GuestEntry {
                            vmid,
                            node: node.clone(),
                            kind,
                            rel: format!("nodes/{node}/{dir}/{name}"),
                        });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| (a.vmid, &a.node, a.kind).cmp(&(b.vmid, &b.node, b.kind)));
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

/// Change signature of a file: modification time in nanoseconds since the
/// epoch (0 before it), size and inode. A write by rename (a new inode) is
/// noticed even within one tick of the file system clock; an edit in place
/// changes the modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sig {
    mtime: u64,
    size: u64,
    ino: u64,
}

impl Sig {
    /// What a file that could not be examined is recorded as.
    const NONE: Sig = Sig {
        mtime: u64::MAX,
        size: u64::MAX,
        ino: u64::MAX,
    };

    fn of(md: &fs::Metadata) -> Sig {
        crate::store::FileStamp::of(md).into()
    }

    /// The signature of `name` (a relative path) in the open directory
    /// `dir`, if it exists.
    fn at(dir: &crate::store::Dir, name: &str) -> Option<Sig> {
        dir.stat(name).ok().flatten().map(Sig::from)
    }

    /// Whether the file recorded as `self` is unchanged at `now`. A
    /// recorded inode of 0 stands for "not recorded" (counters written by
    /// an older pvesim kept only time and size).
    fn same(&self, now: &Sig) -> bool {
        self.mtime == now.mtime && self.size == now.size && (self.ino == now.ino || self.ino == 0)
    }

    /// The `"<mtime ns>:<size>"` text older pvesim versions recorded.
    fn from_legacy(s: &str) -> Sig {
        let parsed = s.split_once(':').and_then(|(m, z)| {
            Some(Sig {
                mtime: m.parse().ok()?,
                size: z.parse().ok()?,
                ino: 0,
            })
        });
        parsed.unwrap_or(Sig::NONE)
    }

    fn to_array(self) -> [u64; 3] {
        [self.mtime, self.size, self.ino]
    }

    fn from_array(a: [u64; 3]) -> Sig {
        Sig {
            mtime: a[0],
            size: a[1],
            ino: a[2],
        }
    }
}

impl From<crate::store::FileStamp> for Sig {
    fn from(f: crate::store::FileStamp) -> Sig {
        Sig {
            mtime: f.mtime_ns,
            size: f.size,
            ino: f.ino,
        }
    }
}

/// The signature of the file at `p` (following a symlink), if it exists.
fn sig(p: &Path) -> Option<Sig> {
    fs::metadata(p).ok().map(|md| Sig::of(&md))
}

/// Guest types in the order of their names (the order of [`guests`] among
/// configs of one VMID on one node).
const KINDS: [&str; 3] = ["lxc", "openvz", "qemu"];

/// The kind index of an unknown type name (matches no scanned config).
const NO_KIND: u8 = u8::MAX;

/// The counters of one guest config in `.vmlist`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GuestCounter {
    vmid: u32,
    /// Index into [`Counters::nodes`].
    node: u32,
    /// Index into [`KINDS`].
    kind: u8,
    version: u64,
    sig: Sig,
}

/// Counters behind `.vmlist` and `.version` of one tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub vmlist_version: u64,
    pub guest_counter: u64,
    /// Node names the guest entries refer to by index.
    nodes: Vec<String>,
    /// By VMID, one entry per VMID.
    guests: Vec<GuestCounter>,
    /// Per entry of [`OBSERVED_FILES`]: version and signature, once seen.
    files: Vec<Option<(u64, Sig)>>,
    /// The signature of the `.vmlist` last written (or found current) for
    /// these counters: while it is unchanged and no guest counter moved,
    /// `.vmlist` need not be rendered again.
    vmlist_file: Option<Sig>,
    /// The guest directories (`nodes` and every `nodes/<n>/<type dir>`,
    /// relative to the tree) as they were when the guests were last
    /// listed; empty when that listing cannot be trusted (see [`racy`]).
    dirs: Vec<(String, Sig)>,
}

/// The counters file as stored (`sim/pmxcfs/<tree>.json`), compact so that
/// reading it allocates per node and per observed file, not per guest.
#[derive(Serialize, Deserialize)]
struct StoredCounters {
    format: u32,
    vmlist_version: u64,
    guest_counter: u64,
    nodes: Vec<String>,
    /// `[vmid, node index, kind index, version, mtime ns, size, inode]`
    guests: Vec<[u64; 7]>,
    /// `(observed file, version, [mtime ns, size, inode])`
    files: Vec<(String, u64, [u64; 3])>,
    vmlist_file: Option<[u64; 3]>,
    /// `(directory, [mtime ns, size, inode])`; absent in files of older
    /// pvesim versions (which then list the guests again).
    #[serde(default)]
    dirs: Vec<(String, [u64; 3])>,
}

impl StoredCounters {
    /// Read the text exactly as [`Counters::to_text`] writes it (compact
    /// JSON, fields in order, node and file names without escapes) without
    /// the general JSON parser; `None` for anything else.
    fn parse_compact(text: &str) -> Option<StoredCounters> {
        struct Cur<'a>(&'a [u8]);
        impl<'a> Cur<'a> {
            fn lit(&mut self, l: &str) -> Option<()> {
                self.0 = self.0.strip_prefix(l.as_bytes())?;
                Some(())
            }
            fn eat(&mut self, l: &str) -> bool {
                self.lit(l).is_some()
            }
            fn num(&mut self) -> Option<u64> {
                let n = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
                if n == 0 || n > 1 && self.0[0] == b'0' {
                    return None;
                }
                let (d, rest) = self.0.split_at(n);
                self.0 = rest;
                d.iter().try_fold(0u64, |v, b| {
                    v.checked_mul(10)?.checked_add(u64::from(b - b'0'))
                })
            }
            fn string(&mut self) -> Option<&'a str> {
                self.lit("\"")?;
                let n = self.0.iter().position(|b| *b == b'"')?;
                let (s, rest) = self.0.split_at(n);
                if s.iter().any(|b| *b == b'\\' || *b < 0x20) {
                    return None;
                }
                self.0 = &rest[1..];
                std::str::from_utf8(s).ok()
            }
            fn nums<const N: usize>(&mut self) -> Option<[u64; N]> {
                self.lit("[")?;
                let mut a = [0u64; N];
                for (i, x) in a.iter_mut().enumerate() {
                    if i > 0 {
                        self.lit(",")?;
                    }
                    *x = self.num()?;
                }
                self.lit("]")?;
                Some(a)
            }
            /// `[item,item,...]`
            fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
                self.lit("[")?;
                let mut v = Vec::new();
                if self.eat("]") {
                    return Some(v);
                }
                loop {
                    v.push(item(self)?);
                    if self.eat("]") {
                        return Some(v);
                    }
                    self.lit(",")?;
                }
            }
        }
        let mut c = Cur(text.as_bytes());
        c.lit("{\"format\":")?;
        let format = u32::try_from(c.num()?).ok()?;
        c.lit(",\"vmlist_version\":")?;
        let vmlist_version = c.num()?;
        c.lit(",\"guest_counter\":")?;
        let guest_counter = c.num()?;
        c.lit(",\"nodes\":")?;
        let nodes = c.list(|c| c.string().map(str::to_string))?;
        c.lit(",\"guests\":")?;
        let guests = c.list(|c| c.nums::<7>())?;
        c.lit(",\"files\":")?;
        let files = c.list(|c| {
            c.lit("[")?;
            let f = c.string()?.to_string();
            c.lit(",")?;
            let v = c.num()?;
            c.lit(",")?;
            let sig = c.nums::<3>()?;
            c.lit("]")?;
            Some((f, v, sig))
        })?;
        c.lit(",\"vmlist_file\":")?;
        let vmlist_file = if c.eat("null") {
            None
        } else {
            Some(c.nums::<3>()?)
        };
        let dirs = if c.eat(",\"dirs\":") {
            c.list(|c| {
                c.lit("[")?;
                let d = c.string()?.to_string();
                c.lit(",")?;
                let sig = c.nums::<3>()?;
                c.lit("]")?;
                Some((d, sig))
            })?
        } else {
            Vec::new()
        };
        c.lit("}")?;
        if !c.0.is_empty() {
            return None;
        }
        Some(StoredCounters {
            format,
            vmlist_version,
            guest_counter,
            nodes,
            guests,
            files,
            vmlist_file,
            dirs,
        })
    }
}

/// The format number of [`StoredCounters`].
const COUNTERS_FORMAT: u32 = 2;

/// The counters file of older pvesim versions (format 1).
#[derive(Deserialize)]
struct LegacyCounters {
    vmlist_version: u64,
    guest_counter: u64,
    /// vmid -> (node, type, version, "<mtime ns>:<size>")
    guests: BTreeMap<u32, (String, String, u64, String)>,
    /// observed file -> (version, "<mtime ns>:<size>")
    files: BTreeMap<String, (u64, String)>,
}

impl Counters {
    /// The index of `node` in the node table, added when new.
    fn node_index(&mut self, node: &str) -> u32 {
        match self.nodes.iter().position(|n| n == node) {
            Some(i) => i as u32,
            None => {
                self.nodes.push(node.to_string());
                (self.nodes.len() - 1) as u32
            }
        }
    }

    fn node_name(&self, g: &GuestCounter) -> &str {
        self.nodes.get(g.node as usize).map_or("", String::as_str)
    }

    fn set_guests(&mut self, mut guests: Vec<GuestCounter>) {
        if !guests.is_sorted_by_key(|g| g.vmid) {
            guests.sort_by_key(|g| g.vmid);
        }
        guests.dedup_by_key(|g| g.vmid);
        self.guests = guests;
    }

    /// Record a guest entry (tests and conversions): `kind` by type name.
    #[cfg(test)]
    fn insert_guest(&mut self, vmid: u32, node: &str, kind: &str, version: u64) {
        let node = self.node_index(node);
        let kind = KINDS.iter().position(|k| *k == kind).unwrap() as u8;
        let mut gs = std::mem::take(&mut self.guests);
        gs.retain(|g| g.vmid != vmid);
        gs.push(GuestCounter {
            vmid,
            node,
            kind,
            version,
            sig: Sig::NONE,
        });
        self.set_guests(gs);
    }

    /// The counters stored in `text`, in the current format or the one of
    /// older versions; `None` when the text is neither.
    fn parse(text: &str) -> Option<Counters> {
        if text.starts_with("{\"format\":") {
            let s: StoredCounters = match StoredCounters::parse_compact(text) {
                Some(s) => s,
                None => serde_json::from_str(text).ok()?,
            };
            if s.format != COUNTERS_FORMAT {
                return None;
            }
            let mut c = Counters {
                vmlist_version: s.vmlist_version,
                guest_counter: s.guest_counter,
                nodes: s.nodes,
                guests: Vec::new(),
                files: vec![None; OBSERVED_FILES.len()],
                vmlist_file: s.vmlist_file.map(Sig::from_array),
                dirs: s
                    .dirs
                    .into_iter()
                    .map(|(d, sig)| (d, Sig::from_array(sig)))
                    .collect(),
            };
            let n_nodes = c.nodes.len() as u64;
            let guests = s
                .guests
                .iter()
                .filter(|g| g[0] <= u32::MAX as u64 && g[1] < n_nodes)
                .map(|g| GuestCounter {
                    vmid: g[0] as u32,
                    node: g[1] as u32,
                    kind: if g[2] < KINDS.len() as u64 {
                        g[2] as u8
                    } else {
                        NO_KIND
                    },
                    version: g[3],
                    sig: Sig::from_array([g[4], g[5], g[6]]),
                })
                .collect();
            c.set_guests(guests);
            for (f, v, sig) in s.files {
                if let Some(i) = OBSERVED_FILES.iter().position(|o| *o == f) {
                    c.files[i] = Some((v, Sig::from_array(sig)));
                }
            }
            Some(c)
        } else {
            let l: LegacyCounters = serde_json::from_str(text).ok()?;
            let mut c = Counters {
                vmlist_version: l.vmlist_version,
                guest_counter: l.guest_counter,
                files: vec![None; OBSERVED_FILES.len()],
                ..Counters::default()
            };
            let mut guests = Vec::with_capacity(l.guests.len());
            for (vmid, (node, kind, version, sig)) in &l.guests {
                let node = c.node_index(node);
                let kind = KINDS
                    .iter()
                    .position(|k| k == kind)
                    .map_or(NO_KIND, |k| k as u8);
                guests.push(GuestCounter {
                    vmid: *vmid,
                    node,
                    kind,
                    version: *version,
                    sig: Sig::from_legacy(sig),
                });
            }
            c.set_guests(guests);
            for (f, (v, sig)) in &l.files {
                if let Some(i) = OBSERVED_FILES.iter().position(|o| o == f) {
                    c.files[i] = Some((*v, Sig::from_legacy(sig)));
                }
            }
            Some(c)
        }
    }

    /// The stored text of the counters (only the nodes still referred to).
    fn to_text(&self) -> Result<String, StoreError> {
        let mut nodes: Vec<String> = Vec::new();
        let mut map: Vec<Option<u64>> = vec![None; self.nodes.len()];
        let guests = self
            .guests
            .iter()
            .map(|g| {
                let i = *map[g.node as usize].get_or_insert_with(|| {
                    nodes.push(self.nodes[g.node as usize].clone());
                    (nodes.len() - 1) as u64
                });
                [
                    g.vmid as u64,
                    i,
                    g.kind as u64,
                    g.version,
                    g.sig.mtime,
                    g.sig.size,
                    g.sig.ino,
                ]
            })
            .collect();
        let files = OBSERVED_FILES
            .iter()
            .zip(&self.files)
            .filter_map(|(f, e)| e.map(|(v, s)| (f.to_string(), v, s.to_array())))
            .collect();
        let s = StoredCounters {
            format: COUNTERS_FORMAT,
            vmlist_version: self.vmlist_version,
            guest_counter: self.guest_counter,
            nodes,
            guests,
            files,
            vmlist_file: self.vmlist_file.map(Sig::to_array),
            dirs: self
                .dirs
                .iter()
                .map(|(d, sig)| (d.clone(), sig.to_array()))
                .collect(),
        };
        serde_json::to_string(&s).map_err(|e| StoreError::Invalid(e.to_string()))
    }

    /// The version of observed file `f` (0 when never seen).
    fn file_version(&self, f: &str) -> u64 {
        OBSERVED_FILES
            .iter()
            .position(|o| *o == f)
            .and_then(|i| self.files.get(i).copied().flatten())
            .map_or(0, |(v, _)| v)
    }
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

/// A guest config found by [`scan_sigs`].
struct Scanned {
    vmid: u32,
    node: u32,
    kind: u8,
    sig: Sig,
}

/// How long after its last change a guest directory's signature is not
/// trusted to stand for its listing. File systems stamp times from a coarse
/// clock, so an entry added in the same tick as the recorded change would
/// leave the directory's signature as recorded. Linux ticks are at most
/// 10 ms: a time with nanoseconds is trusted after [`RACY_NS`] (ten ticks);
/// a time in whole seconds (a file system that keeps only seconds, or
/// FAT's two-second steps) after [`RACY_COARSE_NS`].
const RACY_NS: u64 = 100_000_000;
const RACY_COARSE_NS: u64 = 3_000_000_000;

/// Whether a directory signature taken at `now` may miss a change made in
/// the same clock tick as the one it records.
fn racy(s: &Sig, now: u64) -> bool {
    let window = if s.mtime.is_multiple_of(1_000_000_000) {
        RACY_COARSE_NS
    } else {
        RACY_NS
    };
    *s != Sig::NONE && s.mtime.saturating_add(window) > now
}

/// The signature of the directory `rel` of the open tree directory `base`
/// ([`Sig::NONE`] when it is missing).
fn dir_sig(base: &crate::store::Dir, rel: &str) -> Sig {
    Sig::at(base, rel).unwrap_or(Sig::NONE)
}

/// Whether the guest directories recorded in `dirs` (by [`scan_sigs`]) are
/// all as recorded: no config was added, removed, renamed or replaced in
/// them since (every write of a pvesim tool, and of an editor that saves by
/// rename, replaces the file). An edit in place that keeps the inode does
/// not change a directory: it is counted when its directory next changes.
fn guest_dirs_unchanged(base: &Path, dirs: &[(String, Sig)]) -> bool {
    let Ok(base) = crate::store::Dir::open(base) else {
        return false;
    };
    !dirs.is_empty() && dirs.iter().all(|(d, s)| dir_sig(&base, d) == *s)
}

/// The guest configs of the tree at `base` with their signatures, one per
/// VMID (the first in [`guests`] order), by VMID; node names are interned
/// into `c`'s node table. `dirs` receives the signatures of the guest
/// directories, each taken before it was listed, or nothing when one of
/// them changed too recently to be trusted ([`racy`]).
fn scan_sigs(
    base: &Path,
    c: &mut Counters,
    dirs: &mut Vec<(String, Sig)>,
) -> Result<Vec<Scanned>, StoreError> {
    use std::os::unix::ffi::OsStrExt as _;
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    let mut out = Vec::new();
    dirs.clear();
    let Ok(tree) = crate::store::Dir::open(base) else {
        return Ok(out);
    };
    dirs.push(("nodes".to_string(), dir_sig(&tree, "nodes")));
    // within a node the types by name: a stable sort by VMID then gives the
    // order of [`guests`]
    let nodes = node_dirs(base)?;
    for (name, path) in &nodes {
        let node = c.node_index(name);
        for (kind, k) in KINDS.iter().enumerate() {
            let dir = GUEST_DIRS
                .iter()
                .find(|(_, t)| t == k)
                .map_or("", |(d, _)| d);
            let rel = format!("nodes/{name}/{dir}");
            dirs.push((rel.clone(), dir_sig(&tree, &rel)));
            let Ok(rd) = fs::read_dir(path.join(dir)) else {
                continue;
            };
            for f in rd {
                let f = f?;
                let name = f.file_name();
                let Some(vmid) = std::str::from_utf8(name.as_bytes())
                    .ok()
                    .and_then(valid_vmid_name)
                else {
                    continue;
                };
                let sig = match f.file_type() {
                    Ok(t) if t.is_file() => f.metadata().map(|m| Sig::of(&m)).unwrap_or(Sig::NONE),
                    Ok(t) if t.is_dir() => continue,
                    _ => {
                        let p = f.path();
                        if !p.is_file() {
                            continue;
                        }
                        sig(&p).unwrap_or(Sig::NONE)
                    }
                };
                out.push(Scanned {
                    vmid,
                    node,
                    kind: kind as u8,
                    sig,
                });
            }
        }
    }
    if dirs.iter().any(|(_, s)| racy(s, started)) {
        dirs.clear();
    }
    out.sort_by_key(|s| s.vmid);
    out.dedup_by_key(|s| s.vmid);
    Ok(out)
}

/// The signatures of the observed files of the tree at `base` (`None` for
/// a missing one), looked up relative to the open tree directory.
fn observed_sigs(base: &Path) -> Vec<Option<Sig>> {
    match crate::store::Dir::open(base) {
        Ok(dir) => OBSERVED_FILES.iter().map(|f| Sig::at(&dir, f)).collect(),
        Err(_) => vec![None; OBSERVED_FILES.len()],
    }
}

/// What [`count`] found.
struct Update {
    counters: Counters,
    /// Whether `.vmlist` (its version or a guest entry) changed.
    vmlist_moved: bool,
    /// Whether something was counted: the counters must be stored.
    changed: bool,
    /// Whether the counters should be stored although nothing was counted
    /// (a recorded signature became more precise).
    refine: bool,
    /// The counters file's text as read.
    stored: Option<String>,
}

/// Update the counters of the tree at `base` from what changed on disk.
pub fn update_counters(root: &Root, tree: &str, base: &Path) -> Result<Counters, StoreError> {
    let mut u = count(root, tree, base)?;
    store_counters(root, tree, &mut u)?;
    Ok(u.counters)
}

/// Compare the tree at `base` with its stored counters and count what
/// changed (nothing is written).
fn count(root: &Root, tree: &str, base: &Path) -> Result<Update, StoreError> {
    let stored = read_opt(&counters_path(root, tree))?;
    let parsed = stored.as_deref().and_then(Counters::parse);
    // Stored again only when something changed (a counter moved, a guest or
    // file signature is new or different, a guest is gone), or when the
    // stored text is missing or unreadable and the counters are not empty.
    let mut changed = false;
    let mut refine = false;
    let mut c = parsed.unwrap_or_default();
    if c.files.len() != OBSERVED_FILES.len() {
        c.files = vec![None; OBSERVED_FILES.len()];
    }
    if !guest_dirs_unchanged(base, &c.dirs) {
        count_guests(base, &mut c, &mut changed, &mut refine)?;
    }
    let vmlist_moved = changed;
    for (e, s) in c.files.iter_mut().zip(observed_sigs(base)) {
        let Some(s) = s else { continue };
        match e {
            Some((_, old)) if old.same(&s) => {
                if *old != s {
                    *old = s;
                    refine = true;
                }
            }
            Some((v, old)) => {
                changed = true;
                *v += 1;
                *old = s;
            }
            None => {
                changed = true;
                *e = Some((1, s));
            }
        }
    }
    Ok(Update {
        counters: c,
        vmlist_moved,
        changed,
        refine,
        stored,
    })
}

/// List the guest configs of the tree at `base` again and count every
/// guest that is new, moved, changed or gone in `c`.
fn count_guests(
    base: &Path,
    c: &mut Counters,
    changed: &mut bool,
    refine: &mut bool,
) -> Result<(), StoreError> {
    let mut dirs = Vec::new();
    let scanned = scan_sigs(base, c, &mut dirs)?;
    if dirs != c.dirs {
        c.dirs = dirs;
        *refine = true;
    }
    let old = std::mem::take(&mut c.guests);
    let mut guests = Vec::with_capacity(scanned.len());
    let mut gone = 0u64;
    let mut old_it = old.iter().peekable();
    for s in &scanned {
        while old_it.next_if(|o| o.vmid < s.vmid).is_some() {
            gone += 1;
        }
        match old_it.next_if(|o| o.vmid == s.vmid) {
            Some(o) if o.node == s.node && o.kind == s.kind && o.sig.same(&s.sig) => {
                if o.sig != s.sig {
                    *refine = true;
                }
                guests.push(GuestCounter { sig: s.sig, ..*o });
            }
            _ => {
                *changed = true;
                c.guest_counter += 1;
                c.vmlist_version += 1;
                guests.push(GuestCounter {
                    vmid: s.vmid,
                    node: s.node,
                    kind: s.kind,
                    version: c.guest_counter,
                    sig: s.sig,
                });
            }
        }
    }
    gone += old_it.count() as u64;
    if gone > 0 {
        *changed = true;
        c.vmlist_version += gone;
    }
    c.guests = guests;
    Ok(())
}

/// Store the counters when something was counted, or when signatures were
/// only refined and no other command changed the file meanwhile (its
/// counts win over a mere refinement).
fn store_counters(root: &Root, tree: &str, u: &mut Update) -> Result<(), StoreError> {
    if !u.changed && !u.refine {
        return Ok(());
    }
    let p = counters_path(root, tree);
    if !u.changed && read_opt(&p)? != u.stored {
        return Ok(());
    }
    let text = u.counters.to_text()?;
    if u.stored.as_deref() != Some(text.as_str()) {
        write_atomic(&p, text.as_bytes())?;
        u.stored = Some(text);
    }
    u.changed = false;
    u.refine = false;
    Ok(())
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
    let mut ids: Vec<&GuestCounter> = c.guests.iter().collect();
    ids.sort_by_cached_key(|g| key(g.vmid));
    let mut out = String::with_capacity(64 + ids.len() * 64);
    let _ = write!(out, "{{\n\"version\": {},\n\"ids\": {{\n", c.vmlist_version);
    for (i, g) in ids.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        let kind = KINDS.get(g.kind as usize).copied().unwrap_or("");
        let _ = write!(
            out,
            "\"{}\": {{ \"node\": \"{}\", \"type\": \"{kind}\", \"version\": {} }}",
            g.vmid,
            c.node_name(g),
            g.version
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
        let _ = writeln!(out, "\"{f}\": {},", c.file_version(f));
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

/// Write a generated file unless it already holds `text`. Whatever else is
/// there (a hand edit, garbage, bytes that are not UTF-8) is replaced: pmxcfs
/// generates these files, nothing else owns them.
fn write_if_changed(p: &Path, text: &str) -> Result<(), StoreError> {
    if fs::read(p).ok().as_deref() != Some(text.as_bytes()) {
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
    let mut u = count(root, tree, base)?;
    write_if_changed(&base.join(".members"), &members_text(root, hw, st, node)?)?;
    // `.vmlist` is a function of the counters alone: it is rendered again
    // only when they moved or the file is not the one last written
    let vmlist = base.join(".vmlist");
    let on_disk = fs::symlink_metadata(&vmlist).ok().map(|m| Sig::of(&m));
    if u.vmlist_moved || on_disk.is_none() || on_disk != u.counters.vmlist_file {
        write_if_changed(&vmlist, &vmlist_text(&u.counters))?;
        let now = fs::symlink_metadata(&vmlist).ok().map(|m| Sig::of(&m));
        if now != u.counters.vmlist_file {
            u.counters.vmlist_file = now;
            u.refine = true;
        }
    }
    store_counters(root, tree, &mut u)?;
    let c = &u.counters;
    write_if_changed(&base.join(".version"), &version_text(st, c, node))?;
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
    refresh(root, &hw, &st)
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
    fn guest_home_table_holds_the_first_listed_entry_per_vmid() {
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
            let t = guest_home_table(b, kinds).unwrap();
            assert_eq!(t.len(), want.len());
            for v in 99..=106 {
                let w = want.get(&v).map(|(n, k)| (n.as_str(), *k));
                assert_eq!(t.get(v), w, "{kinds:?} {v}");
            }
        }
        assert_eq!(
            guest_home_table(b, &["qemu", "lxc"]).unwrap().get(100),
            Some(("pve1", "lxc"))
        );
    }

    #[test]
    fn vmlist_orders_vmids_as_strings() {
        let mut c = Counters::default();
        for v in [99u32, 1000, 101, 100, 4_294_967_295, 10] {
            c.insert_guest(v, "n", "qemu", 1);
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
        c.insert_guest(100, "pve1", "qemu", 5);
        c.insert_guest(101, "pve2", "lxc", 11);
        assert_eq!(
            vmlist_text(&c),
            "{\n\"version\": 12,\n\"ids\": {\n\"100\": { \"node\": \"pve1\", \"type\": \"qemu\", \"version\": 5 },\n\"101\": { \"node\": \"pve2\", \"type\": \"lxc\", \"version\": 11 }}\n\n}\n"
        );
    }

    /// A root with the given guest configs in its cluster tree.
    fn counted_root(confs: &[&str]) -> (tempfile::TempDir, Root, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let root = Root::at(d.path());
        let base = root.etc_pve();
        for p in confs {
            write_atomic(&base.join(p), b"memory: 512\n").unwrap();
        }
        write_atomic(&base.join("storage.cfg"), b"dir: local\n").unwrap();
        (d, root, base)
    }

    fn versions(c: &Counters) -> Vec<(u32, String, &'static str, u64)> {
        c.guests
            .iter()
            .map(|g| {
                (
                    g.vmid,
                    c.node_name(g).to_string(),
                    KINDS[g.kind as usize],
                    g.version,
                )
            })
            .collect()
    }

    #[test]
    fn counters_follow_adds_edits_moves_and_deletes() {
        let (_d, root, base) = counted_root(&[
            "nodes/pve1/qemu-server/100.conf",
            "nodes/pve2/lxc/101.conf",
            "nodes/pve2/qemu-server/101.conf",
        ]);
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(c.vmlist_version, 2);
        assert_eq!(
            versions(&c),
            [
                (100, "pve1".into(), "qemu", 1),
                (101, "pve2".into(), "lxc", 2)
            ]
        );
        assert_eq!(c.file_version("storage.cfg"), 1);
        // nothing changed: nothing counted, nothing written
        let stored = fs::read_to_string(counters_path(&root, "cluster")).unwrap();
        assert_eq!(update_counters(&root, "cluster", &base).unwrap(), c);
        assert_eq!(
            fs::read_to_string(counters_path(&root, "cluster")).unwrap(),
            stored
        );
        // an edit in place (same inode) of 100, a move of 101's lxc config
        // away (the qemu one of pve2 is then the one listed), a new 99
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::OpenOptions::new()
            .append(true)
            .open(base.join("nodes/pve1/qemu-server/100.conf"))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"name: x\n"))
            .unwrap();
        fs::remove_file(base.join("nodes/pve2/lxc/101.conf")).unwrap();
        write_atomic(&base.join("nodes/pve3/openvz/99.conf"), b"x\n").unwrap();
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(
            versions(&c),
            [
                (99, "pve3".into(), "openvz", 3),
                (100, "pve1".into(), "qemu", 4),
                (101, "pve2".into(), "qemu", 5)
            ]
        );
        assert_eq!(c.vmlist_version, 5);
        fs::remove_file(base.join("nodes/pve3/openvz/99.conf")).unwrap();
        fs::remove_file(base.join("nodes/pve2/qemu-server/101.conf")).unwrap();
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(versions(&c), [(100, "pve1".into(), "qemu", 4)]);
        assert_eq!(c.vmlist_version, 7);
        assert_eq!(c.guest_counter, 5);
    }

    #[test]
    fn a_rewrite_with_the_same_time_and_size_is_counted() {
        let (_d, root, base) = counted_root(&["nodes/pve1/qemu-server/100.conf"]);
        let conf = base.join("nodes/pve1/qemu-server/100.conf");
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(versions(&c), [(100, "pve1".into(), "qemu", 1)]);
        // a new file (new inode) with the same size and modification time
        // renamed over the config, as an atomic write within one clock tick
        let mtime = fs::metadata(&conf).unwrap().modified().unwrap();
        let tmp = base.join("nodes/pve1/qemu-server/100.conf.tmp");
        fs::write(&tmp, b"memory: 256\n").unwrap();
        fs::File::options()
            .write(true)
            .open(&tmp)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        fs::rename(&tmp, &conf).unwrap();
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(versions(&c), [(100, "pve1".into(), "qemu", 2)]);
        assert_eq!(c.vmlist_version, 2);
    }

    #[test]
    fn counters_of_the_older_format_are_taken_over() {
        let (_d, root, base) = counted_root(&[
            "nodes/pve1/qemu-server/100.conf",
            "nodes/pve1/qemu-server/101.conf",
        ]);
        let legacy_sig = |rel: &str| {
            let md = fs::metadata(base.join(rel)).unwrap();
            let s = Sig::of(&md);
            format!("{}:{}", s.mtime, s.size)
        };
        // 100 and storage.cfg as recorded, 101 recorded with an older
        // signature, 102 gone
        let legacy = serde_json::json!({
            "vmlist_version": 40,
            "guest_counter": 30,
            "guests": {
                "100": ["pve1", "qemu", 7, legacy_sig("nodes/pve1/qemu-server/100.conf")],
                "101": ["pve1", "qemu", 8, "1:2"],
                "102": ["pve2", "lxc", 9, "1:2"],
            },
            "files": {
                "storage.cfg": [5, legacy_sig("storage.cfg")],
                "datacenter.cfg": [3, "1:2"],
            },
        });
        let p = counters_path(&root, "cluster");
        write_atomic(&p, legacy.to_string().as_bytes()).unwrap();
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(
            versions(&c),
            [
                (100, "pve1".into(), "qemu", 7),
                (101, "pve1".into(), "qemu", 31)
            ]
        );
        // one change, one deletion
        assert_eq!(c.vmlist_version, 42);
        assert_eq!(c.file_version("storage.cfg"), 5);
        assert_eq!(c.file_version("datacenter.cfg"), 3);
        // stored in the current format, with the inodes now known
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("{\"format\":2,"), "{text}");
        let again = Counters::parse(&text).unwrap();
        assert_eq!(versions(&again), versions(&c));
        assert_eq!(again.guests, c.guests);
        assert_eq!(again.files, c.files);
        assert!(again.guests.iter().all(|g| g.sig.ino != 0));
        let c2 = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(versions(&c2), versions(&c));
        assert_eq!(c2.vmlist_version, 42);
        assert_eq!(fs::read_to_string(&p).unwrap(), text);
    }

    #[test]
    fn unreadable_counters_start_over() {
        let (_d, root, base) = counted_root(&["nodes/pve1/qemu-server/100.conf"]);
        for bad in ["", "{", "{\"format\":3}", "{\"format\":2,\"x\":1}", "[1,2]"] {
            write_atomic(&counters_path(&root, "cluster"), bad.as_bytes()).unwrap();
            let c = update_counters(&root, "cluster", &base).unwrap();
            assert_eq!(versions(&c), [(100, "pve1".into(), "qemu", 1)], "{bad:?}");
            assert_eq!(c.vmlist_version, 1);
            assert_eq!(c.file_version("storage.cfg"), 1);
        }
    }

    #[test]
    fn vmlist_is_rewritten_when_removed_or_edited() {
        let (_d, root, base) = counted_root(&["nodes/pve1/qemu-server/100.conf"]);
        let hw = Hardware::default();
        let st = ClusterState::default();
        let vmlist = base.join(".vmlist");
        materialise(&root, &hw, &st, &base, "cluster", "pve1").unwrap();
        let want = fs::read_to_string(&vmlist).unwrap();
        assert!(want.contains("\"100\": { \"node\": \"pve1\""), "{want}");
        fs::remove_file(&vmlist).unwrap();
        materialise(&root, &hw, &st, &base, "cluster", "pve1").unwrap();
        assert_eq!(fs::read_to_string(&vmlist).unwrap(), want);
        fs::write(&vmlist, "{}").unwrap();
        materialise(&root, &hw, &st, &base, "cluster", "pve1").unwrap();
        assert_eq!(fs::read_to_string(&vmlist).unwrap(), want);
        // left alone when current
        let before = fs::metadata(&vmlist).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        materialise(&root, &hw, &st, &base, "cluster", "pve1").unwrap();
        let after = fs::metadata(&vmlist).unwrap();
        assert_eq!(before.modified().unwrap(), after.modified().unwrap());
    }

    /// Set the modification time of `nodes` and every directory below it
    /// in the tree an hour back.
    fn age_guest_dirs(base: &Path) {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let mut dirs = vec![base.join("nodes")];
        for n in fs::read_dir(base.join("nodes")).unwrap() {
            let n = n.unwrap().path();
            for d in fs::read_dir(&n).unwrap() {
                dirs.push(d.unwrap().path());
            }
            dirs.push(n);
        }
        for d in dirs {
            fs::File::open(&d).unwrap().set_modified(hour_ago).unwrap();
        }
    }

    #[test]
    fn guest_homes_come_from_current_counters() {
        let (_d, root, base) = counted_root(&[
            "nodes/pve1/qemu-server/100.conf",
            "nodes/pve2/lxc/101.conf",
            "nodes/pve2/qemu-server/102.conf",
        ]);
        let kinds = ["qemu", "lxc"];
        let same = |a: &GuestHomes, b: &GuestHomes| {
            (90..110).all(|v| a.get(v) == b.get(v)) && a.len() == b.len()
        };
        // no counters yet: listed
        let listed = guest_home_table(&base, &kinds).unwrap();
        assert!(same(
            &current_guest_homes(&root, &base, &kinds).unwrap(),
            &listed
        ));
        age_guest_dirs(&base);
        update_counters(&root, "cluster", &base).unwrap();
        let from_counters = current_guest_homes(&root, &base, &kinds).unwrap();
        assert!(same(&from_counters, &listed));
        assert_eq!(from_counters.get(101), Some(("pve2", "lxc")));
        // they are what is used: counters that name a guest no directory
        // holds (as no pvesim command would leave them) are believed
        let mut c = update_counters(&root, "cluster", &base).unwrap();
        c.insert_guest(105, "pve1", "qemu", 9);
        write_atomic(
            &counters_path(&root, "cluster"),
            c.to_text().unwrap().as_bytes(),
        )
        .unwrap();
        assert_eq!(
            current_guest_homes(&root, &base, &kinds).unwrap().get(105),
            Some(("pve1", "qemu"))
        );
        // a changed directory: listed again
        write_atomic(&base.join("nodes/pve3/lxc/103.conf"), b"x\n").unwrap();
        let now = current_guest_homes(&root, &base, &kinds).unwrap();
        assert!(same(&now, &guest_home_table(&base, &kinds).unwrap()));
        assert_eq!(now.get(105), None);
        assert_eq!(now.get(103), Some(("pve3", "lxc")));
        // a guest of a type not asked for among the counted ones: listed
        write_atomic(&base.join("nodes/pve1/openvz/104.conf"), b"x\n").unwrap();
        age_guest_dirs(&base);
        let mut c = update_counters(&root, "cluster", &base).unwrap();
        assert!(!c.dirs.is_empty());
        c.insert_guest(106, "pve1", "qemu", 9);
        write_atomic(
            &counters_path(&root, "cluster"),
            c.to_text().unwrap().as_bytes(),
        )
        .unwrap();
        let t = current_guest_homes(&root, &base, &kinds).unwrap();
        assert_eq!(t.get(106), None, "listed, not taken from the counters");
        assert!(same(&t, &guest_home_table(&base, &kinds).unwrap()));
    }

    #[test]
    fn recent_directory_times_are_not_trusted() {
        let now = 1_800_000_000_123_456_789u64;
        let at = |mtime| Sig {
            mtime,
            size: 4096,
            ino: 7,
        };
        assert!(racy(&at(now - 50_000_000), now));
        assert!(racy(&at(now + 5_000_000_000), now), "from the future");
        assert!(!racy(&at(now - 150_000_000), now));
        // whole seconds: a file system that keeps no more
        assert!(racy(&at(1_799_999_998_000_000_000), now));
        assert!(!racy(&at(1_799_999_996_000_000_000), now));
        assert!(!racy(&Sig::NONE, now));
    }

    #[test]
    fn unchanged_guest_dirs_are_not_listed_again() {
        let (_d, root, base) =
            counted_root(&["nodes/pve1/qemu-server/100.conf", "nodes/pve2/lxc/101.conf"]);
        age_guest_dirs(&base);
        let c = update_counters(&root, "cluster", &base).unwrap();
        let dirs: Vec<&str> = c.dirs.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(
            dirs,
            [
                "nodes",
                "nodes/pve1/lxc",
                "nodes/pve1/openvz",
                "nodes/pve1/qemu-server",
                "nodes/pve2/lxc",
                "nodes/pve2/openvz",
                "nodes/pve2/qemu-server",
            ]
        );
        assert_eq!(c.dirs[2].1, Sig::NONE, "no openvz dir");
        let listed = versions(&c);
        assert_eq!(
            listed,
            [
                (100, "pve1".into(), "qemu", 1),
                (101, "pve2".into(), "lxc", 2)
            ]
        );
        // the trusted directories are stored with the counters
        assert_eq!(
            Counters::parse(&fs::read_to_string(counters_path(&root, "cluster")).unwrap())
                .unwrap()
                .dirs,
            c.dirs
        );
        // an edit in place leaves every directory as it was: not listed
        fs::OpenOptions::new()
            .append(true)
            .open(base.join("nodes/pve1/qemu-server/100.conf"))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"name: x\n"))
            .unwrap();
        assert_eq!(
            versions(&update_counters(&root, "cluster", &base).unwrap()),
            listed
        );
        // a config written (by rename) into any guest directory: all listed
        // again, and the edit in place counted with it
        write_atomic(&base.join("nodes/pve2/qemu-server/102.conf"), b"x\n").unwrap();
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(
            versions(&c),
            [
                (100, "pve1".into(), "qemu", 3),
                (101, "pve2".into(), "lxc", 2),
                (102, "pve2".into(), "qemu", 4)
            ]
        );
        // a new type directory on a node, or a new node, is noticed too
        age_guest_dirs(&base);
        update_counters(&root, "cluster", &base).unwrap();
        fs::create_dir(base.join("nodes/pve1/openvz")).unwrap();
        fs::File::open(base.join("nodes/pve1/openvz"))
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
            .unwrap();
        let before = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(before.dirs[2].0, "nodes/pve1/openvz");
        assert_ne!(before.dirs[2].1, Sig::NONE, "listed again");
        age_guest_dirs(&base);
        write_atomic(&base.join("nodes/pve3/lxc/103.conf"), b"x\n").unwrap();
        let c = update_counters(&root, "cluster", &base).unwrap();
        assert_eq!(c.guests.len(), 4);
    }

    #[test]
    fn compact_counters_read_as_json_does() {
        let mut c = Counters {
            vmlist_version: 12,
            guest_counter: 9,
            files: vec![None; OBSERVED_FILES.len()],
            vmlist_file: Some(Sig {
                mtime: 5,
                size: 6,
                ino: 7,
            }),
            ..Counters::default()
        };
        c.insert_guest(100, "pve1", "qemu", 3);
        c.insert_guest(4_294_967_295, "pve-2", "lxc", 9);
        c.files[2] = Some((
            4,
            Sig {
                mtime: u64::MAX,
                size: 0,
                ino: 1,
            },
        ));
        c.files[OBSERVED_FILES.len() - 1] = Some((1, Sig::NONE));
        c.dirs = vec![
            (
                "nodes".into(),
                Sig {
                    mtime: 1,
                    size: 2,
                    ino: 3,
                },
            ),
            ("nodes/pve-2/lxc".into(), Sig::NONE),
        ];
        let text = c.to_text().unwrap();
        // counters of the previous release (no directories) are still read
        let older = text.replace(&text[text.find(",\"dirs\":").unwrap()..], "}");
        assert!(StoredCounters::parse_compact(&older).is_some(), "{older}");
        let older: StoredCounters = serde_json::from_str(&older).unwrap();
        assert!(older.dirs.is_empty());
        let fast = StoredCounters::parse_compact(&text).unwrap();
        let json: StoredCounters = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&fast).unwrap(), text);
        assert_eq!(serde_json::to_string(&json).unwrap(), text);
        assert_eq!(Counters::parse(&text).unwrap(), c);
        let empty = Counters::default().to_text().unwrap();
        assert!(StoredCounters::parse_compact(&empty).is_some(), "{empty}");
        // anything else goes to the JSON parser
        let spaced = text.replace(",\"guests\":", ", \"guests\": ");
        assert!(StoredCounters::parse_compact(&spaced).is_none());
        assert_eq!(Counters::parse(&spaced).unwrap(), c);
        for bad in [
            text.replace("[100,", "[0100,"),
            text.replace("[100,", "[18446744073709551616,"),
            text.replace("\"pve1\"", "\"pv\\u0065\""),
            format!("{text} "),
            text[..text.len() - 1].to_string(),
        ] {
            assert!(StoredCounters::parse_compact(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn damaged_counters_do_not_panic() {
        let mut c = Counters {
            files: vec![None; OBSERVED_FILES.len()],
            ..Counters::default()
        };
        c.insert_guest(100, "pve1", "qemu", 3);
        c.insert_guest(101, "pve2", "lxc", 4);
        c.files[0] = Some((
            2,
            Sig {
                mtime: 1,
                size: 2,
                ino: 3,
            },
        ));
        let text = c.to_text().unwrap();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for cut in 0..=text.len() {
            if let Some(p) = Counters::parse(&text[..cut]) {
                let _ = (vmlist_text(&p), p.to_text());
            }
            // one byte replaced by a pseudo-random printable one
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut b = text.clone().into_bytes();
            if cut < b.len() {
                b[cut] = b' ' + (seed % 95) as u8;
            }
            let t = String::from_utf8(b).unwrap();
            if let Some(p) = Counters::parse(&t) {
                let _ = (vmlist_text(&p), p.to_text());
            }
        }
        // node index out of range, unknown kind: dropped / never matching
        let odd = text
            .replace("[100,0,2,", "[100,7,2,")
            .replace("[101,1,0,", "[101,1,9,");
        let p = Counters::parse(&odd).unwrap();
        assert_eq!(p.guests.len(), 1);
        assert_eq!(p.guests[0].kind, NO_KIND);
        let _ = vmlist_text(&p);
    }
}
