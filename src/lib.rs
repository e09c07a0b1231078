//! pvesim: a Proxmox VE cluster that lives in a directory.
//!
//! The library holds everything; the binaries in `src/bin/` are thin mains.
//! Data flows one way: `cli` → domain modules (`cluster`, `guest`, `storage`,
//! `ha`, `replication`, `sim`) → `format` and `store`.

pub mod cli;
pub mod cluster;
pub mod format;
pub mod guest;
pub mod ha;
pub mod replication;
pub mod sim;
pub mod storage;
pub mod store;
