//! The lab bench: the hardware model (power, network, watchdog), the
//! simulated clock, the event log, and the drivers that run the HA and
//! replication engines over the state root (`tick`) or over an upstream test
//! directory (`replay`).

pub mod clock;
pub mod events;
pub mod hardware;
pub mod replay;
pub mod tick;
pub mod version;
