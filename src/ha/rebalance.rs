//! Automatic rebalancing (spec ha-crm.md 8.7, `crs: ha-auto-rebalance=1`):
//! the node imbalance (coefficient of variation of the node loads), the
//! hold counter, the candidate bundles (a started service with its
//! positive-affinity partners on one node), and the choice of the best move
//! by `bruteforce` or `topsis`.

use crate::ha::rules::CompiledRules;
use crate::ha::select::{preferred_without_separate, Msg};
use crate::ha::usage::{criteria, topsis, CrsSettings, SchedulerMode, ServiceStats, Usage};

/// What auto-rebalancing needs to know about one service.
#[derive(Debug, Clone, Copy)]
pub struct RebalanceService<'a> {
    pub sid: &'a str,
    /// The service state name (`started`, `migrate`, ...).
    pub state: &'a str,
    pub node: &'a str,
    /// A queued `migrate` / `relocate` command.
    pub has_move_cmd: bool,
    pub stats: Option<&'a ServiceStats>,
}

/// The chosen move.
#[derive(Debug, Clone, PartialEq)]
pub struct RebalanceMove {
    pub sid: String,
    pub target: String,
    /// `migrate` for `vm:` services, else `relocate`.
    pub task: &'static str,
    pub old_imbalance: f64,
    pub new_imbalance: f64,
}

impl RebalanceMove {
    /// `auto rebalance - <task> <sid> to <node> (expected change for imbalance from <a> to <b>)`
    pub fn log_text(&self) -> String {
        format!(
            "auto rebalance - {} {} to {} (expected change for imbalance from {:.2} to {:.2})",
            self.task, self.sid, self.target, self.old_imbalance, self.new_imbalance
        )
    }

    /// The crm command text to queue (7.1): `<task> <sid> <node>`.
    pub fn command_text(&self) -> String {
        format!("{} {} {}", self.task, self.sid, self.target)
    }
}

/// Coefficient of variation (population standard deviation / mean); 0 for
/// fewer than two values or a zero mean.
pub fn coefficient_of_variation(loads: &[f64]) -> f64 {
    if loads.len() < 2 {
        return 0.0;
    }
    let n = loads.len() as f64;
    let mean = loads.iter().sum::<f64>() / n;
    if mean == 0.0 {
        return 0.0;
    }
    let var = loads.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n;
    var.sqrt() / mean
}

/// The current imbalance of the online nodes (8.7 step 2).
pub fn imbalance(usage: &Usage) -> f64 {
    coefficient_of_variation(&usage.node_loads())
}

fn is_moving(state: &str) -> bool {
    state == "migrate" || state == "relocate"
}

struct Candidate {
    leader: String,
    source: usize,
    target: usize,
    cpu: f64,
    mem: f64,
}

/// Run one auto-rebalancing step (8.7). `services` must be sorted by SID.
/// `hold` is the manager's sustained-imbalance counter (kept across rounds,
/// 0 for a new master). Only `static` and `dynamic` usage rebalance.
pub fn auto_rebalance(
    settings: &CrsSettings,
    usage: &Usage,
    rules: &CompiledRules,
    services: &[RebalanceService],
    hold: &mut u32,
) -> (Option<RebalanceMove>, Vec<Msg>) {
    let msgs = Vec::new();
    if !settings.auto_rebalance || usage.mode() == SchedulerMode::Basic {
        return (None, msgs);
    }
    // 1. a move is already under way
    if services
        .iter()
        .any(|s| is_moving(s.state) || s.has_move_cmd)
    {
        return (None, msgs);
    }
    // 2./3. imbalance and hold counter
    let current = imbalance(usage);
    if current <= settings.threshold {
        *hold = 0;
        return (None, msgs);
    }
    *hold += 1;
    if *hold < settings.hold_duration {
        return (None, msgs);
    }
    *hold = 0;

    // 4. candidate bundles
    let by_sid = |sid: &str| {
        services
            .binary_search_by(|s| s.sid.cmp(sid))
            .ok()
            .map(|i| &services[i])
    };
    let dynamic = usage.mode() == SchedulerMode::Dynamic;
    let mut leaders: Vec<(String, usize, f64, f64)> = Vec::new();
    for s in services.iter().filter(|s| s.state == "started") {
        let mut members: Vec<&RebalanceService> = vec![s];
        let mut skip = false;
        for p in rules.positive(s.sid) {
            match by_sid(p) {
                Some(ps) if is_moving(ps.state) => {
                    skip = true;
                    break;
                }
                Some(ps) if ps.state == "started" => members.push(ps),
                _ => {}
            }
        }
        if skip || members.iter().any(|m| m.node != s.node) {
            continue;
        }
        let leader = members.iter().map(|m| m.sid).min().unwrap_or(s.sid);
        if leaders.iter().any(|(l, ..)| l == leader) {
            continue;
        }
        let Some(source) = usage.node_index(s.node) else {
            continue;
        };
        let (mut cpu, mut mem) = (0.0, 0.0);
        for m in &members {
            if let Some(st) = m.stats {
                if dynamic {
                    cpu += st.cpu;
                    mem += st.mem;
                } else {
                    cpu += st.maxcpu;
                    mem += st.maxmem;
                }
            }
        }
        leaders.push((leader.to_string(), source, cpu, mem));
    }
    leaders.sort_by(|a, b| a.0.cmp(&b.0));
    let mut candidates: Vec<Candidate> = Vec::new();
    for (leader, source, cpu, mem) in leaders {
        for t in preferred_without_separate(&leader, rules, usage) {
            if t != source {
                candidates.push(Candidate {
                    leader: leader.clone(),
                    source,
                    target: t,
                    cpu,
                    mem,
                });
            }
        }
    }
    if candidates.is_empty() {
        return (None, msgs);
    }

    // 5. score the moves
    let k = usage.nodes().len();
    let base: Vec<(f64, f64, f64, f64)> = (0..k).map(|i| usage.load(i)).collect();
    let after = |c: &Candidate| -> Vec<(f64, f64)> {
        (0..k)
            .map(|i| {
                let (mut cpu, mut mem, maxcpu, maxmem) = base[i];
                if i == c.source {
                    cpu = (cpu - c.cpu).max(0.0);
                    mem = (mem - c.mem).max(0.0);
                }
                if i == c.target {
                    cpu += c.cpu;
                    mem += c.mem;
                }
                (cpu / maxcpu, mem / maxmem)
            })
            .collect()
    };
    let imbalance_of = |loads: &[(f64, f64)]| {
        let l: Vec<f64> = loads.iter().map(|(c, m)| (c + m) / 2.0).collect();
        coefficient_of_variation(&l)
    };
    let (best, new_imbalance) = if settings.method == "topsis" {
        let post: Vec<Vec<(f64, f64)>> = candidates.iter().map(after).collect();
        let matrix: Vec<[f64; 4]> = post
            .iter()
            .map(|l| criteria(l.iter().copied(), k))
            .collect();
        let close = topsis(&matrix);
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by(|&a, &b| {
            close[b]
                .partial_cmp(&close[a])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let i = order[0];
        (i, imbalance_of(&post[i]))
    } else {
        let trunc = |x: f64| (x * 1e15).trunc() / 1e15;
        let mut best: Option<(usize, f64, f64)> = None;
        for (i, c) in candidates.iter().enumerate() {
            let imb = imbalance_of(&after(c));
            let t = trunc(imb);
            let better = match best {
                None => true,
                Some((j, bt, _)) => {
                    let o = &candidates[j];
                    t < bt
                        || (t == bt
                            && (
                                c.leader.as_str(),
                                &usage.nodes()[c.source],
                                &usage.nodes()[c.target],
                            ) < (
                                o.leader.as_str(),
                                &usage.nodes()[o.source],
                                &usage.nodes()[o.target],
                            ))
                }
            };
            if better {
                best = Some((i, t, imb));
            }
        }
        let (i, _, imb) = best.expect("candidates is not empty");
        (i, imb)
    };

    // 6. margin
    if (current - new_imbalance) / current < settings.margin {
        return (None, msgs);
    }
    let c = &candidates[best];
    let task = if c.leader.starts_with("vm:") {
        "migrate"
    } else {
        "relocate"
    };
    (
        Some(RebalanceMove {
            sid: c.leader.clone(),
            target: usage.nodes()[c.target].clone(),
            task,
            old_imbalance: current,
            new_imbalance,
        }),
        msgs,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cv_examples() {
        assert_eq!(coefficient_of_variation(&[]), 0.0);
        assert_eq!(coefficient_of_variation(&[0.5]), 0.0);
        assert_eq!(coefficient_of_variation(&[0.0, 0.0, 0.0]), 0.0);
        // one loaded node out of three -> sqrt(2) = 1.41
        let v = coefficient_of_variation(&[0.3, 0.0, 0.0]);
        assert_eq!(format!("{v:.2}"), "1.41");
    }
}
