//! A node's view of its `/etc/pve`: reads always work; writes are refused
//! when the node is not quorate, as pmxcfs turns read-only then.

use super::{read_opt, write_atomic, Result, StoreError};
use std::fs;
use std::path::{Path, PathBuf};

/// One node's `/etc/pve`, with the cluster layer's verdict on writes.
///
/// Build it with `cluster::pve_for(root, node)`, which knows whether the node
/// is in the cluster (tree `etc/pve`) or standalone (`hosts/<node>/etc/pve`)
/// and whether it is quorate.
#[derive(Debug, Clone)]
pub struct PveFs {
    base: PathBuf,
    node: String,
    writable: bool,
}

impl PveFs {
    pub fn new(base: PathBuf, node: impl Into<String>, writable: bool) -> PveFs {
        PveFs {
            base,
            node: node.into(),
            writable,
        }
    }

    /// The directory that plays `/etc/pve`.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// The node this view belongs to.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Whether pmxcfs would accept writes from this node (it is quorate).
    pub fn writable(&self) -> bool {
        self.writable
    }

    /// Absolute path of `rel` (relative to `/etc/pve`).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.base.join(rel)
    }

    pub fn read(&self, rel: &str) -> Result<Option<String>> {
        read_opt(&self.path(rel)).map_err(|source| StoreError::IoAt {
            path: self.path(rel),
            source,
        })
    }

    /// datacenter.cfg as this node reads it (pvecm spec C.8), with the
    /// defaults when the file is missing. What the parser drops is reported
    /// on stderr with upstream's warning text, each warning once per process.
    /// Bytes that are not UTF-8 make lines the parser ignores (with its
    /// warning), as the real parser reads bytes; they do not fail the command.
    pub fn datacenter(&self) -> Result<crate::format::datacenter::DatacenterConfig> {
        let path = self.path("datacenter.cfg");
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(StoreError::IoAt { path, source }),
        };
        let parsed = crate::format::datacenter::parse(&String::from_utf8_lossy(&bytes));
        warn_once(&parsed.warnings);
        Ok(parsed.config)
    }

    /// Fail as pmxcfs does when the node is not quorate.
    pub fn check_writable(&self, rel: &str) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(StoreError::ReadOnly {
                path: format!("/etc/pve/{rel}"),
                pid: std::process::id(),
            })
        }
    }

    /// Write a whole file atomically (refused without quorum).
    pub fn write(&self, rel: &str, data: &str) -> Result<()> {
        self.check_writable(rel)?;
        write_atomic(&self.path(rel), data.as_bytes()).map_err(|source| StoreError::IoAt {
            path: self.path(rel),
            source,
        })
    }

    /// Remove a file (refused without quorum); a missing file is not an error.
    pub fn remove(&self, rel: &str) -> Result<()> {
        self.check_writable(rel)?;
        let path = self.path(rel);
        super::remove_opt(&path).map_err(|source| StoreError::IoAt { path, source })
    }

    /// Rename within the tree (refused without quorum).
    pub fn rename(&self, from: &str, to: &str) -> Result<()> {
        self.check_writable(to)?;
        if let Some(parent) = self.path(to).parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(self.path(from), self.path(to)).map_err(|source| StoreError::IoAt {
            path: self.path(from),
            source,
        })
    }
}

/// Print parser warnings on stderr, each distinct line once per process:
/// a command or a tick may read the same file many times, and the real
/// tools parse it once per process (pmxcfs caches the parsed file).
pub fn warn_once(warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    static SHOWN: std::sync::Mutex<std::collections::BTreeSet<String>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    for w in warnings {
        if shown.insert(w.clone()) {
            eprintln!("{w}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_view_refuses_writes_but_reads() {
        let dir = tempfile::tempdir().unwrap();
        let rw = PveFs::new(dir.path().to_path_buf(), "pve1", true);
        rw.write("ha/resources.cfg", "vm: 100\n\n").unwrap();
        let ro = PveFs::new(dir.path().to_path_buf(), "pve1", false);
        assert_eq!(
            ro.read("ha/resources.cfg").unwrap().as_deref(),
            Some("vm: 100\n\n")
        );
        let err = ro.write("ha/resources.cfg", "x").unwrap_err().to_string();
        assert!(
            err.starts_with("unable to open file '/etc/pve/ha/resources.cfg.tmp.")
                && err.ends_with("' - Permission denied"),
            "{err}"
        );
        assert_eq!(
            rw.read("ha/resources.cfg").unwrap().as_deref(),
            Some("vm: 100\n\n")
        );
    }
}
