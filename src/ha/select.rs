//! Node selection for HA services (spec ha-crm.md 8.1-8.4): node affinity
//! and resource affinity lookups, and `select_service_node` with its
//! preferences `none` (stay if possible), `best-score` and `try-next`,
//! honouring failback, failed nodes and the maintenance fallback node.
//!
//! Also home of [`Msg`], the log line value all placement functions return
//! instead of printing.

use std::collections::BTreeMap;

use crate::ha::rules::CompiledRules;
use crate::ha::usage::{ServiceStats, Usage};

/// Log level of a manager message (printed as `info`, `noti`, `warn`, `err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Notice,
    Warn,
    Err,
}

/// A log line: the level and the text after `<node>/crm: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub level: Level,
    pub text: String,
}

/// How node selection treats the current node (8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// Stay on the current node if it is acceptable.
    None,
    /// Pick the best-scored node.
    BestScore,
    /// Avoid the failed nodes and move to the next node after the current one.
    TryNext,
}

/// Everything about the service being placed.
#[derive(Debug, Clone, Copy)]
pub struct SelectRequest<'a> {
    pub sid: &'a str,
    pub current_node: &'a str,
    pub preference: Preference,
    /// Effective failback (group `nofailback` already applied).
    pub failback: bool,
    pub failed_nodes: &'a [String],
    pub maintenance_node: Option<&'a str>,
    /// Usage stats of this service (static / dynamic scoring).
    pub stats: Option<&'a ServiceStats>,
}

/// 8.2: (allowed, preferred) node indices into `usage.nodes()`.
fn node_affinity(sid: &str, rules: &CompiledRules, usage: &Usage) -> (Vec<usize>, Vec<usize>) {
    match rules.node_affinity(sid) {
        None => {
            let all: Vec<usize> = (0..usage.nodes().len()).collect();
            (all.clone(), all)
        }
        Some(entries) => {
            let mut allowed: Vec<(usize, i64)> = entries
                .iter()
                .filter_map(|(n, p)| usage.node_index(n).map(|i| (i, *p)))
                .collect();
            allowed.sort_unstable();
            let top = allowed.iter().map(|(_, p)| *p).max();
            let preferred = allowed
                .iter()
                .filter(|(_, p)| Some(*p) == top)
                .map(|(i, _)| *i)
                .collect();
            (allowed.into_iter().map(|(i, _)| i).collect(), preferred)
        }
    }
}

/// 8.2 by name: the allowed and preferred online nodes of a service.
pub fn allowed_and_preferred<'u>(
    sid: &str,
    rules: &CompiledRules,
    usage: &'u Usage,
) -> (Vec<&'u str>, Vec<&'u str>) {
    let (a, p) = node_affinity(sid, rules, usage);
    let name = |i: usize| usage.nodes()[i].as_str();
    (
        a.into_iter().map(name).collect(),
        p.into_iter().map(name).collect(),
    )
}

/// 8.3: `together` (node index -> count over positive partners, each at its
/// target if it has one, else its current node) and `separate` (node
/// indices of negative partners, current and target).
fn resource_affinity(
    sid: &str,
    rules: &CompiledRules,
    usage: &Usage,
) -> (BTreeMap<usize, u32>, Vec<bool>) {
    let mut together: BTreeMap<usize, u32> = BTreeMap::new();
    let mut separate = vec![false; usage.nodes().len()];
    for p in rules.positive(sid) {
        if let Some((cur, tgt)) = usage.entry_nodes(p) {
            if let Some(i) = tgt.or(cur) {
                *together.entry(i).or_default() += 1;
            }
        }
    }
    for n in rules.negative(sid) {
        if let Some((cur, tgt)) = usage.entry_nodes(n) {
            for i in [cur, tgt].into_iter().flatten() {
                separate[i] = true;
            }
        }
    }
    (together, separate)
}

/// 8.3 by name: (together node -> count, separate nodes sorted).
pub fn together_and_separate<'u>(
    sid: &str,
    rules: &CompiledRules,
    usage: &'u Usage,
) -> (BTreeMap<&'u str, u32>, Vec<&'u str>) {
    let (t, s) = resource_affinity(sid, rules, usage);
    let name = |i: usize| usage.nodes()[i].as_str();
    (
        t.into_iter().map(|(i, c)| (name(i), c)).collect(),
        s.iter()
            .enumerate()
            .filter(|(_, &b)| b)
            .map(|(i, _)| name(i))
            .collect(),
    )
}

/// The preferred online nodes of a service's node affinity minus the nodes
/// of its negative partners (used by auto-rebalancing, 8.7 step 4), as
/// indices into `usage.nodes()`.
pub(crate) fn preferred_without_separate(
    sid: &str,
    rules: &CompiledRules,
    usage: &Usage,
) -> Vec<usize> {
    let (_, preferred) = node_affinity(sid, rules, usage);
    let (_, separate) = resource_affinity(sid, rules, usage);
    preferred.into_iter().filter(|&i| !separate[i]).collect()
}

/// 8.4: pick the node for a service, or `None`. The messages are error
/// lines to log (a failed static/dynamic scoring, after which every node
/// scores 0).
pub fn select_service_node(
    req: &SelectRequest,
    rules: &CompiledRules,
    usage: &Usage,
) -> (Option<String>, Vec<Msg>) {
    let mut msgs = Vec::new();
    // Fast path (the common case): no rule for this service and "stay if
    // possible" on an online node. Equivalent to steps 1-8 below with
    // allowed = preferred = all online nodes and no affinity partners.
    if req.preference == Preference::None
        && rules.node_affinity(req.sid).is_none()
        && rules.positive(req.sid).is_empty()
        && rules.negative(req.sid).is_empty()
        && usage.is_online(req.current_node)
    {
        if req.failback {
            if let Some(m) = req.maintenance_node.filter(|m| usage.is_online(m)) {
                return (Some(m.to_string()), msgs);
            }
        }
        return (Some(req.current_node.to_string()), msgs);
    }
    let (allowed, mut preferred) = node_affinity(req.sid, rules, usage);
    if preferred.is_empty() {
        return (None, msgs);
    }
    let (mut together, separate) = resource_affinity(req.sid, rules, usage);
    let current = usage.node_index(req.current_node);
    let by_affinity = |i: usize| together.contains_key(&i) || !separate[i];

    // 3. stay without failback
    if req.preference == Preference::None && !req.failback {
        if let Some(c) = current {
            if allowed.contains(&c) && by_affinity(c) {
                return (Some(req.current_node.to_string()), msgs);
            }
        }
    }
    // 4. try-next avoids failed nodes
    if req.preference == Preference::TryNext {
        preferred.retain(|&i| !req.failed_nodes.iter().any(|f| *f == usage.nodes()[i]));
    }
    // 5. negative affinity
    preferred.retain(|&i| !separate[i]);
    // 6. positive affinity
    together.retain(|i, _| preferred.contains(i));
    if let Some((&best, _)) = together
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
    {
        preferred = vec![best];
    }
    // 7. maintenance fallback
    if let Some(m) = req.maintenance_node {
        if let Some(i) = usage.node_index(m) {
            if preferred.contains(&i) {
                return (Some(m.to_string()), msgs);
            }
        }
    }
    // 8. stay
    if req.preference == Preference::None {
        if let Some(c) = current {
            if preferred.contains(&c) {
                return (Some(req.current_node.to_string()), msgs);
            }
        }
    }
    if preferred.is_empty() {
        return (None, msgs);
    }
    // 9. scores
    let scores = match usage.score_nodes(req.sid, req.stats) {
        Ok(s) => s,
        Err(e) => {
            msgs.push(Msg {
                level: Level::Err,
                text: format!(
                    "unable to score nodes according to {} usage for service '{}' - {e}",
                    usage.mode().as_str(),
                    req.sid
                ),
            });
            vec![0.0; usage.nodes().len()]
        }
    };
    // node indices are in name order, so index order breaks score ties
    preferred.sort_by(|&a, &b| {
        scores[a]
            .partial_cmp(&scores[b])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    // 10.
    let pick = if req.preference == Preference::TryNext {
        match current.and_then(|c| preferred.iter().position(|&i| i == c)) {
            Some(p) if p + 1 < preferred.len() => preferred[p + 1],
            _ => preferred[0],
        }
    } else {
        preferred[0]
    };
    (Some(usage.nodes()[pick].clone()), msgs)
}

#[cfg(test)]
mod tests;
