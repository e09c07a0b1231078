//! Data behind `pvesm status` (capacity model, spec 7.7) and `pvesm list`.

use super::config::StorageConfig;
use super::volume::{Instance, VolumeRecord};
use super::StorageError;
use crate::store::Root;

/// State of one storage as `pvesm status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageState {
    Active,
    /// Enabled but cannot be activated (`.offline` marker, node off).
    Inactive,
    /// Disabled or not available on this node.
    Disabled,
}

/// One row of `pvesm status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    pub id: String,
    pub ty: String,
    pub state: StorageState,
    pub total: u64,
    pub used: u64,
    pub avail: u64,
    pub shared: bool,
    pub content: Vec<String>,
    pub enabled_cfg: bool,
}

/// Compute status rows for every storage, sorted by id, from `node`'s view.
pub fn status(
    root: &Root,
    cfg: &StorageConfig,
    node: &str,
) -> Result<Vec<StatusRow>, StorageError> {
    let mut rows = Vec::new();
    for st in &cfg.storages {
        let mut row = StatusRow {
            id: st.id.clone(),
            ty: st.ty.clone(),
            state: StorageState::Disabled,
            total: 0,
            used: 0,
            avail: 0,
            shared: st.shared(),
            content: st.content().into_iter().collect(),
            enabled_cfg: !st.disabled(),
        };
        if st.check_node(node).is_ok() {
            let inst = Instance::open(root, st, node);
            if inst.offline() {
                row.state = StorageState::Inactive;
            } else {
                row.state = StorageState::Active;
                row.total = inst.capacity()?;
                row.used = inst.list()?.iter().map(|r| r.size).sum();
                row.avail = row.total.saturating_sub(row.used);
            }
        }
        rows.push(row);
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

/// Volumes for `pvesm list`, in the display order of 6.10.
pub fn list_order(mut vols: Vec<VolumeRecord>) -> Vec<VolumeRecord> {
    vols.sort_by_key(|v| v.volid.to_lowercase());
    let (owned, mut rest): (Vec<_>, Vec<_>) = vols.into_iter().partition(|v| v.vmid.is_some());
    rest.sort_by(|a, b| a.format.cmp(&b.format));
    owned.into_iter().chain(rest).collect()
}
