//! Exclusive lock files (fs2) with a bounded wait.
//!
//! Every read-modify-write of a domain (cluster config, HA config, one guest,
//! replication config, ...) happens while holding that domain's lock, so
//! concurrent commands on one root serialise and no update is lost.

use super::{Result, StoreError};
use fs2::FileExt;
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The wait the real tools use for their lock files.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// A held lock; released on drop.
#[derive(Debug)]
pub struct LockGuard {
    file: File,
    path: PathBuf,
}

impl LockGuard {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

pub(super) fn acquire(path: &Path, timeout: Duration) -> Result<LockGuard> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|source| StoreError::IoAt {
            path: path.to_path_buf(),
            source,
        })?;
    let start = Instant::now();
    let mut backoff = Duration::from_millis(1);
    loop {
        match file.try_lock_exclusive() {
            Ok(()) => {
                return Ok(LockGuard {
                    file,
                    path: path.to_path_buf(),
                })
            }
            Err(_) if start.elapsed() < timeout => {
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_millis(20));
            }
            Err(_) => {
                return Err(StoreError::LockTimeout {
                    path: path.to_path_buf(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_taker_times_out_then_succeeds_after_release() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.lock");
        let g = acquire(&p, Duration::from_millis(10)).unwrap();
        let err = acquire(&p, Duration::from_millis(30)).unwrap_err();
        assert!(err.to_string().contains("got timeout"), "{err}");
        drop(g);
        acquire(&p, Duration::from_millis(10)).unwrap();
    }
}
