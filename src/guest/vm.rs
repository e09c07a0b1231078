//! Shared plumbing of the qm operations: the command context, terminal
//! output collected by operations, errors, loading/saving configs under the
//! per-VM lock, and the node-local running state of guests.

use super::config::VmConfig;
use super::env::ClusterInfo;
use crate::storage::{self, Instance, StorageConfig};
use crate::store::{read_opt, write_atomic, Dir, LockGuard, PveFs, Root};
use std::time::Duration;

/// Where a line goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Out(String),
    Err(String),
}

/// Output of an operation, in order; the CLI prints it.
#[derive(Debug, Default, Clone)]
pub struct Term {
    pub lines: Vec<Line>,
    /// An `ha-manager` command line the CLI must run next (HA redirection,
    /// spec 3.13); its failure ends qm with
    /// `command 'ha-manager <args>' failed: exit code 255`.
    pub ha_request: Option<Vec<String>>,
}

impl Term {
    pub fn out(&mut self, s: impl Into<String>) {
        self.lines.push(Line::Out(s.into()));
    }
    pub fn err(&mut self, s: impl Into<String>) {
        self.lines.push(Line::Err(s.into()));
    }
    /// Stdout lines only (tests).
    pub fn stdout(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|l| match l {
                Line::Out(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Errors of qm operations; `Display` is the stderr text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestError {
    /// A plain error (exit 255).
    Msg(String),
    /// `400 Parameter verification failed.` with `key: message` lines.
    Param(Vec<(String, String)>),
}

impl std::fmt::Display for GuestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuestError::Msg(m) => f.write_str(m),
            GuestError::Param(v) => {
                writeln!(f, "400 Parameter verification failed.")?;
                for (i, (k, m)) in v.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{k}: {m}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for GuestError {}

pub type GResult<T> = Result<T, GuestError>;

pub fn err<T>(m: impl Into<String>) -> GResult<T> {
    Err(GuestError::Msg(m.into()))
}

pub fn param<T>(k: &str, m: impl Into<String>) -> GResult<T> {
    Err(GuestError::Param(vec![(k.into(), m.into())]))
}

impl From<crate::store::StoreError> for GuestError {
    fn from(e: crate::store::StoreError) -> Self {
        GuestError::Msg(e.to_string())
    }
}

impl From<storage::StorageError> for GuestError {
    fn from(e: storage::StorageError) -> Self {
        GuestError::Msg(e.to_string())
    }
}

impl From<std::io::Error> for GuestError {
    fn from(e: std::io::Error) -> Self {
        GuestError::Msg(e.to_string())
    }
}

/// The context of one qm invocation.
pub struct Ctx<'a> {
    pub cl: &'a dyn ClusterInfo,
    /// The node the command runs on.
    pub node: String,
    /// Simulated time.
    pub now: i64,
    /// Time zone for rendered timestamps (task logs).
    pub zone: crate::replication::localtime::Zone,
}

impl Ctx<'_> {
    pub fn root(&self) -> &Root {
        self.cl.root()
    }

    pub fn pve(&self) -> GResult<PveFs> {
        self.cl.pve(&self.node).map_err(GuestError::Msg)
    }

    pub fn pve_of(&self, node: &str) -> GResult<PveFs> {
        self.cl.pve(node).map_err(GuestError::Msg)
    }

    pub fn check_quorum(&self) -> GResult<()> {
        if self.cl.quorate(&self.node) {
            Ok(())
        } else {
            err("cluster not ready - no quorum?")
        }
    }

    pub fn storage_cfg(&self) -> GResult<StorageConfig> {
        Ok(storage::load_config(&self.pve()?)?)
    }

    /// The instance of `sid` on `node`, enabled and reachable there.
    pub fn instance(&self, cfg: &StorageConfig, sid: &str, node: &str) -> GResult<Instance> {
        let st = cfg
            .enabled_on(sid, node)
            .map_err(|e| GuestError::Msg(e.to_string()))?;
        Ok(Instance::open(self.root(), st, node))
    }

    /// Whether a (local) instance's volumes can be read from `node`.
    pub fn visible(&self, inst: &Instance) -> bool {
        (inst.storage.shared() || self.cl.powered(&inst.node)) && !inst.offline()
    }

    /// Find a volume as seen from `node`: `Ok(None)` if missing there.
    pub fn volume(
        &self,
        cfg: &StorageConfig,
        volid: &str,
        node: &str,
    ) -> GResult<Option<storage::VolumeRecord>> {
        let Some((sid, volname)) = storage::volid::parse_volid(volid) else {
            return err(format!("unable to parse volume ID '{volid}'"));
        };
        let inst = self.instance(cfg, sid, node)?;
        if !self.visible(&inst) {
            return Ok(None);
        }
        Ok(inst.get(volname)?)
    }
}

/// Path of a VM config relative to `/etc/pve`.
pub fn conf_rel(node: &str, vmid: u32) -> String {
    format!("nodes/{node}/qemu-server/{vmid}.conf")
}

/// Load the config of `vmid` owned by `node` (error text of spec 1.1).
pub fn load(pve: &PveFs, node: &str, vmid: u32, term: &mut Term) -> GResult<VmConfig> {
    parse_loaded(pve.read(&conf_rel(node, vmid))?, node, vmid, term)
}

/// [`load`] through the open `nodes/<node>/qemu-server` directory `dir` of
/// the node's view (for listings that load every config of the node).
pub fn load_in(dir: &Dir, node: &str, vmid: u32, term: &mut Term) -> GResult<VmConfig> {
    let name = format!("{vmid}.conf");
    let text = dir
        .read_opt(&name)
        .map_err(|source| crate::store::StoreError::IoAt {
            path: dir.path().join(&name),
            source,
        })?;
    parse_loaded(text, node, vmid, term)
}

fn parse_loaded(text: Option<String>, node: &str, vmid: u32, term: &mut Term) -> GResult<VmConfig> {
    match text {
        None => err(format!(
            "Configuration file '{}' does not exist",
            conf_rel(node, vmid)
        )),
        Some(text) => {
            let (cfg, warns) = VmConfig::parse(&text, vmid);
            for w in warns {
                term.err(w);
            }
            Ok(cfg)
        }
    }
}

/// Whether the node has a config for `vmid`.
pub fn exists(pve: &PveFs, node: &str, vmid: u32) -> bool {
    pve.path(&conf_rel(node, vmid)).is_file()
}

/// Write the config of `vmid` on `node`.
pub fn save(pve: &PveFs, node: &str, vmid: u32, cfg: &VmConfig) -> GResult<()> {
    if let Some(k) = cfg.key_with_newline() {
        return err(super::config::newline_error(k));
    }
    pve.write(&conf_rel(node, vmid), &cfg.write())?;
    Ok(())
}

/// The per-VM config lock (`/var/lock/qemu-server/lock-<vmid>.conf` of the node).
pub fn lock_config(root: &Root, node: &str, vmid: u32) -> GResult<LockGuard> {
    lock_named(
        root,
        &format!("{node}/qemu-server/lock-{vmid}.conf"),
        &format!("/var/lock/qemu-server/lock-{vmid}.conf"),
        Duration::from_secs(10),
    )
}

/// The migration lock (`/var/lock/pve-manager/pve-migrate-<vmid>`).
pub fn lock_migrate(root: &Root, node: &str, vmid: u32, secs: u64) -> GResult<LockGuard> {
    lock_named(
        root,
        &format!("{node}/pve-manager/pve-migrate-{vmid}"),
        &format!("/var/lock/pve-manager/pve-migrate-{vmid}"),
        Duration::from_secs(secs),
    )
}

fn lock_named(root: &Root, name: &str, shown: &str, t: Duration) -> GResult<LockGuard> {
    root.lock(name, t).map_err(|e| match e {
        crate::store::StoreError::LockTimeout { .. } => {
            GuestError::Msg(format!("can't lock file '{shown}' - got timeout"))
        }
        other => other.into(),
    })
}

/// Check the `lock:` key (2.8).
pub fn check_lock(cfg: &VmConfig) -> GResult<()> {
    match cfg.get("lock") {
        Some(l) => err(format!("VM is locked ({l})")),
        None => Ok(()),
    }
}

/// Running state of a guest on a node (node-local, outside /etc/pve).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunState {
    pub pid: u32,
    pub started: i64,
    /// `running` or `paused`.
    pub status: String,
}

fn run_path(root: &Root, node: &str, vmid: u32) -> std::path::PathBuf {
    root.node_local(node)
        .join("run/qemu-server")
        .join(format!("{vmid}.pid"))
}

/// The VMIDs with a run file on `node` (listed once, so that a listing of
/// many guests opens only the run files that exist).
pub fn run_files(root: &Root, node: &str) -> std::collections::HashSet<u32> {
    let dir = root.node_local(node).join("run/qemu-server");
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Default::default();
    };
    rd.filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            name.to_str()?.strip_suffix(".pid")?.parse::<u32>().ok()
        })
        .collect()
}

/// Whether `node` has a run file for `vmid` (the power of the machine is
/// not checked: callers that know it avoid reloading the hardware model).
pub fn has_run_file(root: &Root, node: &str, vmid: u32) -> bool {
    run_path(root, node, vmid).exists()
}

/// The running state of `vmid` on `node` (None: not running there, or the
/// machine is off).
pub fn run_state(cl: &dyn ClusterInfo, node: &str, vmid: u32) -> Option<RunState> {
    if !cl.powered(node) {
        return None;
    }
    run_state_on(cl.root(), node, vmid)
}

/// [`run_state`] on a node already known to be powered on (for listings
/// that look at many guests of one node: the power state is read once).
pub fn run_state_on(root: &Root, node: &str, vmid: u32) -> Option<RunState> {
    parse_run(&read_opt(&run_path(root, node, vmid)).ok()??)
}

/// The open run directory (`run/qemu-server`) of a node, see
/// [`run_state_in`].
pub fn run_dir(root: &Root, node: &str) -> Option<Dir> {
    Dir::open(&root.node_local(node).join("run/qemu-server")).ok()
}

/// [`run_state_on`] through the node's open [`run_dir`].
pub fn run_state_in(dir: &Dir, vmid: u32) -> Option<RunState> {
    parse_run(&dir.read_opt(&format!("{vmid}.pid")).ok()??)
}

fn parse_run(text: &str) -> Option<RunState> {
    let mut rs = RunState {
        pid: 0,
        started: 0,
        status: "running".into(),
    };
    for l in text.lines() {
        match l.split_once(": ") {
            Some(("pid", v)) => rs.pid = v.parse().unwrap_or(0),
            Some(("started", v)) => rs.started = v.parse().unwrap_or(0),
            Some(("status", v)) => rs.status = v.into(),
            _ => {}
        }
    }
    Some(rs)
}

/// Mark `vmid` running on `node`.
pub fn set_running(root: &Root, node: &str, vmid: u32, now: i64) -> GResult<RunState> {
    let pid = 1000 + ((vmid as u64 * 7919 + now as u64 * 104729) % 60000) as u32;
    let rs = RunState {
        pid,
        started: now,
        status: "running".into(),
    };
    write_run(root, node, vmid, &rs)?;
    Ok(rs)
}

pub fn write_run(root: &Root, node: &str, vmid: u32, rs: &RunState) -> GResult<()> {
    write_atomic(
        &run_path(root, node, vmid),
        format!(
            "pid: {}\nstarted: {}\nstatus: {}\n",
            rs.pid, rs.started, rs.status
        )
        .as_bytes(),
    )?;
    Ok(())
}

/// Mark `vmid` stopped on `node`.
pub fn set_stopped(root: &Root, node: &str, vmid: u32) -> GResult<()> {
    crate::store::remove_opt(&run_path(root, node, vmid))?;
    Ok(())
}

/// Forget every running guest of a node (the machine lost power).
pub fn clear_node(root: &Root, node: &str) -> GResult<()> {
    match std::fs::remove_dir_all(root.node_local(node).join("run/qemu-server")) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Deterministic pseudo-random bytes from a seed (UUIDs, MACs).
pub fn seeded_bytes(seed: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    while out.len() < n {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51afd7ed558ccd);
        h ^= h >> 33;
        out.extend_from_slice(&h.to_le_bytes());
    }
    out.truncate(n);
    out
}

/// A random-looking (seeded) UUID.
pub fn seeded_uuid(seed: &str) -> String {
    let mut b = seeded_bytes(seed, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
