//! Glue between the manager and the placement code (groups, rules, node
//! selection, usage, rebalancing; owned by `ha::{groups,rules,select,usage,
//! rebalance}`). The manager only talks to this module, so the placement
//! API can evolve without touching the state machines.
//!
//! TEMPORARY: until the placement modules land this holds a basic-mode
//! selection without rules.

use super::types::{Level, ServiceState, ServiceStatus};
use std::collections::BTreeMap;

/// Node selection preference (ha-crm 8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    None,
    BestScore,
    TryNext,
}

/// Compiled rules (placeholder: no rules).
#[derive(Debug, Clone, Default)]
pub struct CompiledRules;

impl CompiledRules {
    pub fn positive(&self, _sid: &str) -> &[String] {
        &[]
    }
    pub fn negative(&self, _sid: &str) -> &[String] {
        &[]
    }
}

/// Per-round node usage for the online node set (basic mode).
#[derive(Debug, Clone, Default)]
pub struct Usage {
    nodes: Vec<String>,
    used: BTreeMap<String, (Option<String>, Option<String>)>,
}

/// (current, target) used nodes of a service status (ha-crm 8.3), before
/// the online filter.
pub fn used_nodes(sd: &ServiceStatus) -> (Option<&str>, Option<&str>) {
    use ServiceState::*;
    let cur = match sd.state {
        Stopped | RequestStart | RequestStartBalance => None,
        _ => Some(sd.node.as_str()),
    };
    let tgt = match sd.state {
        Migrate | Relocate | RequestStartBalance => sd.target.as_deref(),
        _ => None,
    };
    (cur, tgt)
}

impl Usage {
    pub fn new(nodes: &[String]) -> Usage {
        Usage {
            nodes: nodes.to_vec(),
            used: BTreeMap::new(),
        }
    }

    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    pub fn is_online(&self, n: &str) -> bool {
        self.nodes.iter().any(|x| x == n)
    }

    pub fn add_service(
        &mut self,
        sid: &str,
        sd: &ServiceStatus,
        _log: &mut dyn FnMut(Level, String),
    ) {
        let (c, t) = used_nodes(sd);
        let c = c.filter(|n| self.is_online(n)).map(str::to_string);
        let t = t.filter(|n| self.is_online(n)).map(str::to_string);
        self.used.insert(sid.to_string(), (c, t));
    }

    pub fn remove_service(&mut self, sid: &str) {
        self.used.remove(sid);
    }

    fn score(&self, node: &str) -> usize {
        self.used
            .values()
            .filter(|(c, t)| c.as_deref() == Some(node) || t.as_deref() == Some(node))
            .count()
    }
}

/// Inputs of a node selection.
pub struct SelectRequest<'a> {
    pub sid: &'a str,
    pub current_node: &'a str,
    pub preference: Preference,
    pub failback: bool,
    pub failed_nodes: &'a [String],
    pub maintenance_node: Option<&'a str>,
}

/// Select a node for a service (ha-crm 8.4), basic mode without rules.
pub fn select_service_node(
    req: &SelectRequest,
    _rules: &CompiledRules,
    usage: &Usage,
    _log: &mut dyn FnMut(Level, String),
) -> Option<String> {
    let allowed: Vec<&str> = usage.nodes.iter().map(|s| s.as_str()).collect();
    let mut preferred = allowed.clone();
    if preferred.is_empty() {
        return None;
    }
    if req.preference == Preference::None && !req.failback && allowed.contains(&req.current_node) {
        return Some(req.current_node.to_string());
    }
    if req.preference == Preference::TryNext {
        preferred.retain(|n| !req.failed_nodes.iter().any(|f| f == n));
    }
    if let Some(m) = req.maintenance_node {
        if preferred.contains(&m) {
            return Some(m.to_string());
        }
    }
    if req.preference == Preference::None && preferred.contains(&req.current_node) {
        return Some(req.current_node.to_string());
    }
    let mut scored: Vec<(usize, &str)> = preferred.iter().map(|n| (usage.score(n), *n)).collect();
    scored.sort();
    let sorted: Vec<&str> = scored.into_iter().map(|(_, n)| n).collect();
    if req.preference == Preference::TryNext {
        if let Some(i) = sorted.iter().position(|n| *n == req.current_node) {
            if i + 1 < sorted.len() {
                return Some(sorted[i + 1].to_string());
            }
        }
    }
    sorted.first().map(|s| s.to_string())
}
