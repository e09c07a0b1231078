//! Guest (VM/CT) configuration model and the qm operations: create, set,
//! start/stop, migrate, rescan, destroy.
//!
//! - [`config`]: the `<vmid>.conf` file format (main, pending, snapshots)
//! - [`drive`]: drive keys and drive property strings
//! - [`env`]: what qm needs from the cluster layer, behind a trait
//! - [`vm`]: context, output, errors, config load/save/locks, running state
//! - [`disk`]: allocation syntax, NICs, tags, boot order
//! - operations: [`create`], [`set`], [`power`], [`info`], [`destroy`],
//!   [`rescan`], [`migrate`]; [`ha`] hands requests to the HA stack

pub mod config;
pub mod create;
pub mod destroy;
pub mod disk;
pub mod drive;
pub mod env;
pub mod ha;
pub mod info;
pub mod migrate;
pub mod power;
pub mod rescan;
pub mod set;
pub mod snapshot;
pub mod vm;
