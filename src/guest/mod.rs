//! Guest (VM/CT) configuration model and the qm operations: create, set,
//! start/stop, migrate, rescan, destroy.
//!
//! - [`config`]: the `<vmid>.conf` file format (main, pending, snapshots)
//! - [`drive`]: drive keys and drive property strings

pub mod config;
pub mod drive;
