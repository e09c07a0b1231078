//! The HA domain: configuration files, the cluster resource manager (CRM),
//! the local resource manager (LRM), node status and node selection. Pure
//! logic behind an `Env` trait, driven by `sim::tick` and `sim::replay`.

pub mod digest;
pub mod groups;
pub mod rebalance;
pub mod rules;
pub mod select;
pub mod usage;
