//! The state root: where a simulated cluster lives on disk.
//!
//! Layout (see ARCHITECTURE.md):
//!
//! ```text
//! $PVESIM_ROOT/
//!   etc/pve/            the cluster file system (pmxcfs) of the cluster
//!   hosts/<name>/etc/pve  the own tree of a machine that is not in the cluster
//!   nodes/<node>/       node-local state outside /etc/pve
//!   sim/                hardware state, simulated clock, event log
//!   lock/               lock files
//! ```
//!
//! This module knows paths, locks and atomic writes. It does not know what a
//! quorum is: the cluster layer decides whether a node may write and hands
//! that verdict to [`PveFs`].

mod atomic;
mod lock;
mod pvefs;

pub use atomic::{
    create_dir_all_pve, is_private, read_opt, remove_opt, write_atomic, write_atomic_mode, Dir,
    FileStamp,
};
pub use lock::{LockGuard, DEFAULT_LOCK_TIMEOUT};
pub use pvefs::{warn_once, PveFs};

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Errors of the store layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", os_text(.0))]
    Io(#[from] std::io::Error),
    #[error("{}", io_at_text(.path, .source))]
    IoAt {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A lock could not be taken within its timeout.
    #[error("can't lock file '{}' - got timeout", .path.display())]
    LockTimeout { path: PathBuf },
    /// The acting node is not quorate, so pmxcfs refuses the write.
    #[error("unable to open file '{path}.tmp.{pid}' - Permission denied")]
    ReadOnly { path: String, pid: u32 },
    #[error("no state root at '{}' - run 'pvesim init' first", .0.display())]
    NoRoot(PathBuf),
    #[error("no node selected - set PVESIM_NODE or run 'pvesim use NODE'")]
    NoNode,
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `<path>: <reason>`, without the path twice when the reason names it.
fn io_at_text(path: &Path, e: &std::io::Error) -> String {
    let text = os_text(e);
    let shown = path.display().to_string();
    if e.raw_os_error().is_none() && text.contains(&shown) {
        text
    } else {
        format!("{shown}: {text}")
    }
}

/// An OS error as the real tools print it (`$!` in Perl): the system's text
/// without Rust's ` (os error N)` suffix, e.g. `File name too long`.
pub fn os_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match (e.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(i)) => text[..i].to_string(),
        _ => text,
    }
}

/// A state root directory.
#[derive(Debug, Clone)]
pub struct Root {
    path: PathBuf,
}

impl Root {
    /// The root at an explicit path (it need not exist yet).
    pub fn at(path: impl Into<PathBuf>) -> Root {
        Root { path: path.into() }
    }

    /// The root named by `PVESIM_ROOT`, else the per-user data directory.
    ///
    /// `env` is the value of `PVESIM_ROOT` as read by the caller (domain code
    /// never reads the environment itself).
    pub fn resolve(env: Option<&str>) -> Result<Root> {
        if let Some(p) = env.filter(|p| !p.is_empty()) {
            return Ok(Root::at(p));
        }
        let dirs = directories::ProjectDirs::from("", "", "pvesim").ok_or_else(|| {
            StoreError::Invalid("cannot determine a home directory; set PVESIM_ROOT".into())
        })?;
        Ok(Root::at(dirs.data_dir()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when `pvesim init` has created this root.
    pub fn exists(&self) -> bool {
        self.sim_dir().is_dir()
    }

    /// Fail with a clear message unless the root has been initialised.
    pub fn require(&self) -> Result<()> {
        if self.exists() {
            Ok(())
        } else {
            Err(StoreError::NoRoot(self.path.clone()))
        }
    }

    /// The cluster's `/etc/pve`.
    pub fn etc_pve(&self) -> PathBuf {
        self.path.join("etc/pve")
    }

    /// The own `/etc/pve` of a machine outside the cluster.
    pub fn host_pve(&self, host: &str) -> PathBuf {
        self.path.join("hosts").join(host).join("etc/pve")
    }

    /// Node-local state outside `/etc/pve` (local volumes, replication state, ...).
    pub fn node_local(&self, node: &str) -> PathBuf {
        self.path.join("nodes").join(node)
    }

    /// Hardware state, the simulated clock and the event log.
    pub fn sim_dir(&self) -> PathBuf {
        self.path.join("sim")
    }

    /// Lock files.
    pub fn lock_dir(&self) -> PathBuf {
        self.path.join("lock")
    }

    /// Take the exclusive lock `name` (a file under `lock/`), waiting at most
    /// `timeout`. Locks are released when the guard drops.
    pub fn lock(&self, name: &str, timeout: Duration) -> Result<LockGuard> {
        lock::acquire(&self.lock_dir().join(format!("{name}.lock")), timeout)
    }

    /// The node commands act as: `PVESIM_NODE` (passed in by the caller), else
    /// the node chosen with `pvesim use`.
    pub fn acting_node(&self, env: Option<&str>) -> Result<String> {
        if let Some(n) = env.filter(|n| !n.is_empty()) {
            return Ok(n.to_string());
        }
        match read_opt(&self.sim_dir().join("current_node"))? {
            Some(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            _ => Err(StoreError::NoNode),
        }
    }

    /// Record the node chosen with `pvesim use`.
    pub fn set_current_node(&self, node: &str) -> Result<()> {
        write_atomic(
            &self.sim_dir().join("current_node"),
            format!("{node}\n").as_bytes(),
        )?;
        Ok(())
    }
}

/// Check that a name used as a path component cannot escape the root.
pub fn safe_component(kind: &str, name: &str) -> Result<()> {
    if name.is_empty()
        || name == "."
        || name == ".."
        || name.contains('/')
        || name.contains('\0')
        || name.contains('\\')
    {
        return Err(StoreError::Invalid(format!("invalid {kind} '{name}'")));
    }
    Ok(())
}
