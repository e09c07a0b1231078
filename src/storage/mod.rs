//! storage.cfg, the volumes each node holds, snapshots and volume transfer.
//!
//! - [`config`]: the storage.cfg model (types, content, availability per node)
//! - [`volid`]: volume ids and what volume names encode
//! - [`volume`]: per-node / shared storage instances and their volume records
//! - [`transfer`]: offline migration copy and replication send
//! - [`size`]: DiskSize, ZFS and binary size notations
//! - [`status`]: `pvesm status` / `pvesm list` data

pub mod config;
pub mod size;
pub mod status;
pub mod transfer;
pub mod volid;
pub mod volume;

pub use config::{Availability, Storage, StorageConfig, STORAGE_CFG};
pub use volume::{Instance, Snap, VolumeRecord};

use crate::store::{PveFs, Root, StoreError};

/// Errors of the storage layer; the message is the user-facing text.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Availability(#[from] Availability),
    #[error("{0}")]
    Msg(String),
}

/// Read storage.cfg from a node's /etc/pve view (missing file: only the
/// implicit `local`).
pub fn load_config(pve: &PveFs) -> Result<StorageConfig, StorageError> {
    let text = pve.read(STORAGE_CFG)?.unwrap_or_default();
    Ok(StorageConfig::parse(&text))
}

/// Write storage.cfg through a node's view (refused without quorum).
pub fn save_config(pve: &PveFs, cfg: &StorageConfig) -> Result<(), StorageError> {
    pve.write(STORAGE_CFG, &cfg.write())?;
    Ok(())
}

/// The instance of storage `sid` seen from `node`, if the storage exists
/// and is enabled there (no power check: callers decide about power).
pub fn instance_on(
    root: &Root,
    cfg: &StorageConfig,
    sid: &str,
    node: &str,
) -> Result<Instance, StorageError> {
    let st = cfg.enabled_on(sid, node)?;
    Ok(Instance::open(root, st, node))
}

/// Find the record of `volid` as seen from `node` (None when the storage is
/// not usable there or the volume does not exist in that instance).
pub fn find_volume(
    root: &Root,
    cfg: &StorageConfig,
    volid: &str,
    node: &str,
) -> Result<Option<VolumeRecord>, StorageError> {
    let Some((sid, volname)) = volid::parse_volid(volid) else {
        return Ok(None);
    };
    match instance_on(root, cfg, sid, node) {
        Ok(inst) => inst.get(volname),
        Err(_) => Ok(None),
    }
}
