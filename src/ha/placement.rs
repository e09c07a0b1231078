//! Glue between the manager's state machines and the placement code
//! (`ha::{groups, rules, select, usage, rebalance}`): builds the per-round
//! usage from the service status, maps service states to occupancy, merges
//! the Env's static and dynamic stats, and turns the placement `Msg` values
//! into log lines. The manager only talks to this module.

use super::env::Stats;
use super::rebalance::{auto_rebalance, RebalanceMove, RebalanceService};
use super::select::{self, Msg, SelectRequest};
use super::types::{Level, ServiceState, ServiceStatus, SidMap};
use super::usage::{
    is_running_for_usage, CrsSettings, Occupancy, SchedulerMode, ServiceStats, Usage,
};
use std::collections::BTreeMap;

pub use super::rules::CompiledRules;
pub use super::select::Preference;

/// Forward placement messages to a log function.
pub fn log_msgs(msgs: Vec<Msg>, log: &mut dyn FnMut(Level, String)) {
    for m in msgs {
        let l = match m.level {
            select::Level::Info => Level::Info,
            select::Level::Notice => Level::Notice,
            select::Level::Warn => Level::Warning,
            select::Level::Err => Level::Err,
        };
        log(l, m.text);
    }
}

/// The scheduler statistics of one service: static maxcpu/maxmem plus
/// dynamic cpu/mem.
pub fn service_stats(stats: &Stats, sid: &str) -> Option<ServiceStats> {
    let st = stats.static_services.get(sid);
    let dy = stats.dynamic_services.get(sid);
    if st.is_none() && dy.is_none() {
        return None;
    }
    Some(ServiceStats {
        maxcpu: st.map(|s| s.maxcpu).unwrap_or(0.0),
        maxmem: st.map(|s| s.maxmem).unwrap_or(0.0),
        cpu: dy.map(|s| s.cpu).unwrap_or(0.0),
        mem: dy.map(|s| s.mem).unwrap_or(0.0),
    })
}

/// The per-round placement state: usage, scheduler stats.
pub struct Placement {
    pub usage: Usage,
    pub crs: CrsSettings,
    stats: Stats,
    /// Merged per-service stats (static + dynamic), by SID.
    service_stats: BTreeMap<String, ServiceStats>,
}

impl Placement {
    /// Rebuild the usage for the online nodes (round step 10).
    pub fn new(
        crs: CrsSettings,
        online: &[String],
        stats: Stats,
        services: &SidMap<ServiceStatus>,
        log: &mut dyn FnMut(Level, String),
    ) -> Placement {
        let (mode, warn) = crs.scheduler_mode();
        if let Some(w) = warn {
            log_msgs(vec![w], log);
        }
        let usage = if mode == SchedulerMode::Basic {
            Usage::new_basic(online)
        } else {
            match Usage::new(mode, online, &stats.nodes) {
                Ok(u) => u,
                Err(e) => {
                    log(
                        Level::Warning,
                        format!(
                            "fallback to 'basic' scheduler mode, init for '{}' failed - {e}",
                            mode.as_str()
                        ),
                    );
                    Usage::new_basic(online)
                }
            }
        };
        let mut sids: Vec<&String> = stats.static_services.keys().collect();
        sids.extend(stats.dynamic_services.keys());
        let service_stats = sids
            .into_iter()
            .filter_map(|s| service_stats(&stats, s).map(|st| (s.clone(), st)))
            .collect();
        let mut p = Placement {
            usage,
            crs,
            stats,
            service_stats,
        };
        p.usage.reserve(services.len());
        for (sid, sd) in services {
            p.add_service(sid, sd, log);
        }
        p
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// (Re-)add a service's usage from its status entry.
    pub fn add_service(
        &mut self,
        sid: &str,
        sd: &ServiceStatus,
        log: &mut dyn FnMut(Level, String),
    ) {
        let state = sd.state.as_str();
        let mut running = is_running_for_usage(state, sd.running, !sd.node.is_empty());
        if self.usage.mode() == SchedulerMode::Dynamic && !running {
            // dynamic: the measured node usage already holds a guest that
            // runs, whatever the LRM has confirmed so far
            running = self.stats.measured_running.contains(sid);
        }
        let msgs = self.usage.add_service(
            sid,
            Occupancy::of_state(state),
            &sd.node,
            sd.target.as_deref(),
            running,
            self.service_stats.get(sid),
        );
        log_msgs(msgs, log);
    }

    pub fn remove_service(&mut self, sid: &str) {
        self.usage.remove_service(sid);
    }

    /// Node selection (8.4).
    #[allow(clippy::too_many_arguments)]
    pub fn select(
        &self,
        rules: &CompiledRules,
        sid: &str,
        sd: &ServiceStatus,
        failback: bool,
        pref: Preference,
        log: &mut dyn FnMut(Level, String),
    ) -> Option<String> {
        let empty: Vec<String> = Vec::new();
        let req = SelectRequest {
            sid,
            current_node: &sd.node,
            preference: pref,
            failback,
            failed_nodes: sd.failed_nodes.as_deref().unwrap_or(&empty),
            maintenance_node: sd.maintenance_node.as_deref(),
            stats: self.service_stats.get(sid),
        };
        let (node, msgs) = select::select_service_node(&req, rules, &self.usage);
        log_msgs(msgs, log);
        node
    }

    /// Automatic rebalancing (8.7): the move to queue, if any.
    pub fn auto_rebalance(
        &self,
        rules: &CompiledRules,
        services: &SidMap<ServiceStatus>,
        hold: &mut u32,
        log: &mut dyn FnMut(Level, String),
    ) -> Option<RebalanceMove> {
        if !self.crs.auto_rebalance || self.usage.mode() == SchedulerMode::Basic {
            // off: no need to list the services (the usual case, every round)
            return None;
        }
        let list: Vec<RebalanceService> = services
            .iter()
            .map(|(sid, sd)| RebalanceService {
                sid,
                state: sd.state.as_str(),
                node: &sd.node,
                has_move_cmd: sd
                    .cmd
                    .as_ref()
                    .and_then(|c| c.first())
                    .is_some_and(|c| c == "migrate" || c == "relocate"),
                stats: self.service_stats.get(sid.as_str()),
            })
            .collect();
        let (mv, msgs) = auto_rebalance(&self.crs, &self.usage, rules, &list, hold);
        log_msgs(msgs, log);
        mv
    }
}

/// Whether a state counts as moving (for callers that need it).
pub fn is_moving(state: ServiceState) -> bool {
    matches!(state, ServiceState::Migrate | ServiceState::Relocate)
}
