//! Guest (VM/CT) configuration model and the qm operations: create, set,
//! start/stop, migrate, rescan, destroy.
