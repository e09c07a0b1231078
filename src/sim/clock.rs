//! The simulated clock: seconds since the epoch, kept in `sim/clock`.
//!
//! All time in pvesim comes from here; only `pvesim tick` moves it, so every
//! run is reproducible.

use crate::store::{read_opt, write_atomic, Root, StoreError};

/// The time a new root starts at: 2025-01-01 00:00:00 UTC.
pub const DEFAULT_START: i64 = 1_735_689_600;

fn path(root: &Root) -> std::path::PathBuf {
    root.sim_dir().join("clock")
}

/// The current simulated time.
pub fn now(root: &Root) -> Result<i64, StoreError> {
    match read_opt(&path(root))? {
        None => Ok(DEFAULT_START),
        Some(s) => s.trim().parse().map_err(|_| {
            StoreError::Invalid(format!(
                "{}: malformed clock value '{}'",
                path(root).display(),
                s.trim()
            ))
        }),
    }
}

/// Set the simulated time (callers hold the tick lock).
pub fn set(root: &Root, t: i64) -> Result<(), StoreError> {
    write_atomic(&path(root), format!("{t}\n").as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_then_set() {
        let d = tempfile::tempdir().unwrap();
        let r = Root::at(d.path());
        assert_eq!(now(&r).unwrap(), DEFAULT_START);
        set(&r, 42).unwrap();
        assert_eq!(now(&r).unwrap(), 42);
        std::fs::write(r.sim_dir().join("clock"), "x").unwrap();
        assert!(now(&r).unwrap_err().to_string().contains("malformed clock"));
    }
}
