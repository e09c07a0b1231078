//! storage.cfg, the volumes each node holds, snapshots and volume transfer.
