//! Storage replication: jobs, calendar-event schedules, per-node job state
//! and the job runner.

pub mod calendar;
pub mod config;
pub mod job;
pub mod localtime;
pub mod migrate;
pub mod ops;
pub mod root;
pub mod runner;
pub mod state;
pub mod volumes;
