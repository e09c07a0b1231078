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
    use crate::ha::usage::{NodeStats, Occupancy};
    use std::collections::BTreeMap;

    fn static_usage(nodes: &[&str], maxcpu: f64, maxmem: f64) -> Usage {
        let names: Vec<String> = nodes.iter().map(|s| s.to_string()).collect();
        let st: BTreeMap<String, NodeStats> = names
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    NodeStats {
                        maxcpu,
                        maxmem,
                        ..Default::default()
                    },
                )
            })
            .collect();
        Usage::new(SchedulerMode::Static, &names, &st).unwrap()
    }

    fn settings() -> CrsSettings {
        CrsSettings::from_pairs([("ha", "static"), ("ha-auto-rebalance", "1")])
    }

    /// test-crs-static-auto-rebalance2: four 2-CPU/8 GiB VMs on node1 of
    /// three 24-CPU/32 GiB nodes.
    #[test]
    fn static_auto_rebalance2() {
        let stats = ServiceStats {
            maxcpu: 2.0,
            maxmem: 8589934592.0,
            ..Default::default()
        };
        let sids = ["vm:101", "vm:102", "vm:103", "vm:104"];
        let mut nodes = ["node1"; 4];
        let mut u = static_usage(&["node1", "node2", "node3"], 24.0, 34359738368.0);
        let rules = CompiledRules::empty();
        let mut hold = 0;
        let list = |nodes: &[&'static str; 4]| -> Vec<RebalanceService<'static>> {
            sids.iter()
                .zip(nodes.iter())
                .map(|(sid, node)| RebalanceService {
                    sid,
                    state: "started",
                    node,
                    has_move_cmd: false,
                    stats: None,
                })
                .collect()
        };
        // t=20: services still in request_start -> no imbalance
        for s in sids {
            u.add_service(s, Occupancy::None, "node1", None, false, Some(&stats));
        }
        let mut l = list(&nodes);
        for s in &mut l {
            s.state = "request_start";
        }
        assert_eq!(
            auto_rebalance(&settings(), &u, &rules, &l, &mut hold).0,
            None
        );
        assert_eq!(hold, 0);
        for s in sids {
            u.add_service(s, Occupancy::Current, "node1", None, true, Some(&stats));
        }
        // t=40, 60: holding; t=80: move
        let with_stats: Vec<RebalanceService> = list(&nodes)
            .into_iter()
            .map(|mut s| {
                s.stats = Some(&stats);
                s
            })
            .collect();
        for expect_hold in [1, 2] {
            assert_eq!(
                auto_rebalance(&settings(), &u, &rules, &with_stats, &mut hold).0,
                None
            );
            assert_eq!(hold, expect_hold);
        }
        let (m, _) = auto_rebalance(&settings(), &u, &rules, &with_stats, &mut hold);
        let m = m.unwrap();
        assert_eq!(hold, 0);
        assert_eq!(
            m.log_text(),
            "auto rebalance - migrate vm:101 to node2 (expected change for imbalance from 1.41 to 0.94)"
        );
        assert_eq!(m.command_text(), "migrate vm:101 node2");
        // a migration under way blocks rebalancing without touching hold
        u.add_service(
            "vm:101",
            Occupancy::CurrentAndTarget,
            "node1",
            Some("node2"),
            true,
            Some(&stats),
        );
        let mut moving = with_stats.clone();
        moving[0].state = "migrate";
        hold = 2;
        assert_eq!(
            auto_rebalance(&settings(), &u, &rules, &moving, &mut hold).0,
            None
        );
        assert_eq!(hold, 2);
        hold = 0;
        // t=100: migrated
        u.add_service(
            "vm:101",
            Occupancy::Current,
            "node2",
            None,
            true,
            Some(&stats),
        );
        nodes[0] = "node2";
        let with_stats: Vec<RebalanceService> = list(&nodes)
            .into_iter()
            .map(|mut s| {
                s.stats = Some(&stats);
                s
            })
            .collect();
        for _ in 0..2 {
            assert_eq!(
                auto_rebalance(&settings(), &u, &rules, &with_stats, &mut hold).0,
                None
            );
        }
        let m = auto_rebalance(&settings(), &u, &rules, &with_stats, &mut hold)
            .0
            .unwrap();
        assert_eq!(
            m.log_text(),
            "auto rebalance - migrate vm:102 to node3 (expected change for imbalance from 0.94 to 0.35)"
        );
        // then balanced enough: 2/1/1 -> 0.35 > 0.3 but no move improves by 10%
        u.add_service(
            "vm:102",
            Occupancy::Current,
            "node3",
            None,
            true,
            Some(&stats),
        );
        nodes[1] = "node3";
        let with_stats: Vec<RebalanceService> = list(&nodes)
            .into_iter()
            .map(|mut s| {
                s.stats = Some(&stats);
                s
            })
            .collect();
        for _ in 0..6 {
            assert_eq!(
                auto_rebalance(&settings(), &u, &rules, &with_stats, &mut hold).0,
                None
            );
        }
    }

    #[test]
    fn cv_examples() {
        assert_eq!(coefficient_of_variation(&[]), 0.0);
        assert_eq!(coefficient_of_variation(&[0.5]), 0.0);
        assert_eq!(coefficient_of_variation(&[0.0, 0.0, 0.0]), 0.0);
        // one loaded node out of three -> sqrt(2) = 1.41
        let v = coefficient_of_variation(&[0.3, 0.0, 0.0]);
        assert_eq!(format!("{v:.2}"), "1.41");
    }

    const MIB: f64 = 1048576.0;

    /// Dynamic usage where every service runs: node usage = sum of the
    /// measured usage of its services. Returns the usage and the stats.
    fn dynamic_setup(
        placement: &[(&'static str, &'static str, f64, f64, f64)],
    ) -> (Usage, Vec<(&'static str, &'static str, ServiceStats)>) {
        let names: Vec<String> = ["node1", "node2", "node3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut st: BTreeMap<String, NodeStats> = names
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    NodeStats {
                        maxcpu: 24.0,
                        maxmem: 51539607552.0,
                        ..Default::default()
                    },
                )
            })
            .collect();
        let mut list = Vec::new();
        for &(sid, node, cpu, mem, maxcpu) in placement {
            let e = st.get_mut(node).unwrap();
            e.cpu += cpu;
            e.mem += mem;
            list.push((
                sid,
                node,
                ServiceStats {
                    maxcpu,
                    maxmem: 8589934592.0,
                    cpu,
                    mem,
                },
            ));
        }
        let mut u = Usage::new(SchedulerMode::Dynamic, &names, &st).unwrap();
        for (sid, node, stats) in &list {
            u.add_service(sid, Occupancy::Current, node, None, true, Some(stats));
        }
        (u, list)
    }

    fn run_once(
        method: &str,
        u: &Usage,
        list: &[(&'static str, &'static str, ServiceStats)],
    ) -> Option<String> {
        run_with_rules(method, u, list, "")
    }

    fn run_with_rules(
        method: &str,
        u: &Usage,
        list: &[(&'static str, &'static str, ServiceStats)],
        rules_text: &str,
    ) -> Option<String> {
        let (cfg, w) = crate::ha::rules::RulesConfig::parse(rules_text);
        assert!(w.is_empty());
        let nodes: Vec<String> = u.nodes().to_vec();
        let (rules, _) = crate::ha::rules::compile(&cfg, None, &BTreeMap::new(), &nodes);
        let settings = CrsSettings::from_pairs([
            ("ha", "dynamic"),
            ("ha-auto-rebalance", "1"),
            ("ha-auto-rebalance-method", method),
            ("ha-auto-rebalance-hold-duration", "1"),
        ]);
        let services: Vec<RebalanceService> = list
            .iter()
            .map(|(sid, node, st)| RebalanceService {
                sid,
                state: "started",
                node,
                has_move_cmd: false,
                stats: Some(st),
            })
            .collect();
        let mut hold = 0;
        auto_rebalance(&settings, u, &rules, &services, &mut hold)
            .0
            .map(|m| m.log_text())
    }

    /// test-crs-dynamic-auto-rebalance3 / -topsis3, round t=160
    #[test]
    fn dynamic_auto_rebalance3_first_move() {
        let (u, list) = dynamic_setup(&[
            ("vm:101", "node1", 0.9, 5444206592.0, 8.0),
            ("vm:102", "node1", 1.2, 2621440000.0, 8.0),
            ("vm:103", "node2", 0.8, 5444206592.0, 4.0),
            ("vm:104", "node2", 0.9, 2621440000.0, 8.0),
            ("vm:105", "node3", 7.8, 7912.0 * MIB, 8.0),
            ("vm:106", "node3", 5.7, 8192.0 * MIB, 6.0),
            ("vm:107", "node3", 6.0, 8011.0 * MIB, 6.0),
        ]);
        let expect = "auto rebalance - migrate vm:105 to node2 (expected change for imbalance from 0.85 to 0.42)";
        assert_eq!(run_once("bruteforce", &u, &list).as_deref(), Some(expect));
        assert_eq!(run_once("topsis", &u, &list).as_deref(), Some(expect));
    }

    /// test-crs-dynamic-auto-rebalance3 / -topsis3, rounds t=240 and t=320
    #[test]
    fn dynamic_auto_rebalance3_later_moves() {
        let stats = |n103: &'static str, n105: &'static str| {
            dynamic_setup(&[
                ("vm:101", "node1", 0.9, 1011.0 * MIB, 8.0),
                ("vm:102", "node1", 1.2, 2621440000.0, 8.0),
                ("vm:103", n103, 3.9, 6517.0 * MIB, 4.0),
                ("vm:104", "node2", 6.7, 8001.0 * MIB, 8.0),
                ("vm:105", n105, 1.8, 1201.0 * MIB, 8.0),
                ("vm:106", "node3", 2.1, 1211.0 * MIB, 6.0),
                ("vm:107", "node3", 0.9, 1191.0 * MIB, 6.0),
            ])
        };
        let (u, list) = stats("node2", "node2");
        assert_eq!(
            run_once("bruteforce", &u, &list).as_deref(),
            Some("auto rebalance - migrate vm:103 to node1 (expected change for imbalance from 0.81 to 0.40)")
        );
        assert_eq!(
            run_once("topsis", &u, &list).as_deref(),
            Some("auto rebalance - migrate vm:103 to node3 (expected change for imbalance from 0.81 to 0.43)")
        );
        let (u, list) = stats("node1", "node2");
        assert_eq!(
            run_once("bruteforce", &u, &list).as_deref(),
            Some("auto rebalance - migrate vm:105 to node3 (expected change for imbalance from 0.40 to 0.21)")
        );
        let (u, list) = stats("node3", "node2");
        assert_eq!(
            run_once("topsis", &u, &list).as_deref(),
            Some("auto rebalance - migrate vm:105 to node1 (expected change for imbalance from 0.43 to 0.24)")
        );
    }

    /// test-crs-dynamic-constrained-auto-rebalance1: a strict node rule pins
    /// three services; only the fourth moves.
    #[test]
    fn dynamic_constrained1() {
        let (u, list) = dynamic_setup(&[
            ("vm:101", "node1", 0.9, 2621440000.0, 8.0),
            ("vm:102", "node1", 7.9, 8589934592.0, 8.0),
            ("vm:103", "node1", 4.7, 5242880000.0, 8.0),
            ("vm:104", "node1", 4.0, 4096.0 * MIB, 8.0),
        ]);
        let rules = "node-affinity: vm101-stays-on-node1\n\tnodes node1\n\tresources vm:101,vm:102,vm:103\n\tstrict 1\n";
        assert_eq!(
            run_with_rules("bruteforce", &u, &list, rules).as_deref(),
            Some("auto rebalance - migrate vm:104 to node2 (expected change for imbalance from 1.41 to 0.98)")
        );
        let (u, list) = dynamic_setup(
            &list[..3]
                .iter()
                .map(|(s, n, st)| (*s, *n, st.cpu, st.mem, st.maxcpu))
                .collect::<Vec<_>>(),
        );
        assert_eq!(run_with_rules("bruteforce", &u, &list, rules), None);
    }

    /// test-crs-dynamic-constrained-auto-rebalance2: a positive pair moves
    /// as one bundle led by vm:101.
    #[test]
    fn dynamic_constrained2() {
        let rules = "resource-affinity: vms-stay-together\n\tresources vm:101,vm:102\n\taffinity positive\n";
        let (u, list) = dynamic_setup(&[
            ("vm:101", "node1", 0.9, 2621440000.0, 8.0),
            ("vm:102", "node1", 7.9, 8589934592.0, 8.0),
        ]);
        assert_eq!(run_with_rules("bruteforce", &u, &list, rules), None);
        let (u, list) = dynamic_setup(&[
            ("vm:101", "node1", 0.9, 2621440000.0, 8.0),
            ("vm:102", "node1", 7.9, 8589934592.0, 8.0),
            ("vm:103", "node1", 4.0, 4096.0 * MIB, 8.0),
        ]);
        assert_eq!(
            run_with_rules("bruteforce", &u, &list, rules).as_deref(),
            Some("auto rebalance - migrate vm:101 to node2 (expected change for imbalance from 1.41 to 0.86)")
        );
    }

    /// test-crs-dynamic-constrained-auto-rebalance4: negative partners on
    /// node2 block the best move.
    #[test]
    fn dynamic_constrained4() {
        let rules = "resource-affinity: vms-stay-apart1\n\tresources vm:101,vm:103\n\taffinity negative\n\nresource-affinity: vms-stay-apart2\n\tresources vm:102,vm:103\n\taffinity negative\n";
        let (u, list) = dynamic_setup(&[
            ("vm:101", "node1", 0.9, 4294967296.0, 8.0),
            ("vm:102", "node1", 2.4, 2621440000.0, 8.0),
            ("vm:103", "node2", 0.0, 0.0, 8.0),
            ("vm:104", "node3", 1.0, 1073741824.0, 8.0),
        ]);
        assert_eq!(
            run_with_rules("bruteforce", &u, &list, rules).as_deref(),
            Some("auto rebalance - migrate vm:101 to node3 (expected change for imbalance from 1.04 to 0.72)")
        );
        let (u, list) = dynamic_setup(&[
            ("vm:101", "node3", 0.9, 4294967296.0, 8.0),
            ("vm:102", "node1", 2.4, 2621440000.0, 8.0),
            ("vm:103", "node2", 0.0, 0.0, 8.0),
            ("vm:104", "node3", 1.0, 1073741824.0, 8.0),
        ]);
        assert_eq!(
            run_with_rules("bruteforce", &u, &list, rules).as_deref(),
            Some("auto rebalance - migrate vm:104 to node2 (expected change for imbalance from 0.72 to 0.33)")
        );
    }
}
