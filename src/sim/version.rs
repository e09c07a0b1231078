//! Which Proxmox VE generation the emulated cluster runs (8 or 9), kept in
//! `sim/pve-version`. Version 8 places HA resources with groups; version 9
//! replaced groups with node- and resource-affinity rules.

use crate::store::{read_opt, write_atomic, Root, StoreError};

/// The generation a new root runs unless `pvesim init --pve-version` says otherwise.
pub const DEFAULT_PVE_VERSION: u8 = 9;

fn path(root: &Root) -> std::path::PathBuf {
    root.sim_dir().join("pve-version")
}

/// The generation of the cluster in `root` (default 9 when unset).
pub fn pve_version(root: &Root) -> Result<u8, StoreError> {
    match read_opt(&path(root))? {
        None => Ok(DEFAULT_PVE_VERSION),
        Some(s) => match s.trim() {
            "8" => Ok(8),
            "9" => Ok(9),
            other => Err(StoreError::Invalid(format!(
                "{}: unsupported Proxmox VE version '{other}' (expected 8 or 9)",
                path(root).display()
            ))),
        },
    }
}

/// Record the generation (written by `pvesim init` and `pvesim upgrade`).
pub fn set_pve_version(root: &Root, v: u8) -> Result<(), StoreError> {
    if v != 8 && v != 9 {
        return Err(StoreError::Invalid(format!(
            "unsupported Proxmox VE version '{v}' (expected 8 or 9)"
        )));
    }
    write_atomic(&path(root), format!("{v}\n").as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_and_reject() {
        let d = tempfile::tempdir().unwrap();
        let r = Root::at(d.path());
        assert_eq!(pve_version(&r).unwrap(), 9);
        set_pve_version(&r, 8).unwrap();
        assert_eq!(pve_version(&r).unwrap(), 8);
        assert!(set_pve_version(&r, 7).is_err());
    }
}
