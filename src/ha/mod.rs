//! The HA domain: configuration files, the cluster resource manager (CRM),
//! the local resource manager (LRM), node status and node selection. Pure
//! logic behind an `Env` trait, driven by `sim::tick` and `sim::replay`.

pub mod config;
pub mod crm;
pub mod digest;
pub mod env;
pub mod fasthash;
pub mod groups;
pub mod lrm;
pub mod manager;
pub mod placement;
pub mod rebalance;
pub mod rules;
pub mod select;
pub mod sidmap;
pub mod types;
pub mod usage;
