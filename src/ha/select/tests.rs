//! Unit tests of node selection, built on the spec's worked examples
//! (ha-crm.md 14) and situations taken from the conformance logs.
use super::*;
use crate::ha::rules::{compile, RulesConfig};
use crate::ha::usage::{NodeStats, Occupancy, SchedulerMode};

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn rules(text: &str, all_nodes: &[&str]) -> CompiledRules {
    let (cfg, w) = RulesConfig::parse(text);
    assert!(w.is_empty(), "{w:?}");
    let (c, msgs) = compile(&cfg, None, &BTreeMap::new(), &names(all_nodes));
    assert!(msgs.is_empty(), "{msgs:?}");
    c
}

fn req<'a>(sid: &'a str, node: &'a str, pref: Preference) -> SelectRequest<'a> {
    SelectRequest {
        sid,
        current_node: node,
        preference: pref,
        failback: true,
        failed_nodes: &[],
        maintenance_node: None,
        stats: None,
    }
}

fn pick(r: &SelectRequest, c: &CompiledRules, u: &Usage) -> Option<String> {
    let (n, msgs) = select_service_node(r, c, u);
    assert!(msgs.is_empty(), "{msgs:?}");
    n
}

fn add(u: &mut Usage, sid: &str, state: &str, node: &str, target: Option<&str>) {
    u.add_service(sid, Occupancy::of_state(state), node, target, true, None);
}

#[test]
fn basic1_recovery_picks_least_loaded() {
    // 14.1: node3 fenced; vm:101 started on node1, vm:102 stopped on node2
    let mut u = Usage::new_basic(&names(&["node1", "node2"]));
    add(&mut u, "vm:101", "started", "node1", None);
    add(&mut u, "vm:102", "stopped", "node2", None);
    add(&mut u, "vm:103", "recovery", "node3", None);
    let c = CompiledRules::empty();
    assert_eq!(
        pick(&req("vm:103", "node3", Preference::BestScore), &c, &u).as_deref(),
        Some("node2")
    );
    // a started service stays where it is
    assert_eq!(
        pick(&req("vm:101", "node1", Preference::None), &c, &u).as_deref(),
        Some("node1")
    );
}

const NONSTRICT1: &str =
    "node-affinity: vm101-should-be-on-node3\n\tnodes node3\n\tresources vm:101\n";
const STRICT1: &str =
    "node-affinity: vm101-must-be-on-node3\n\tnodes node3\n\tresources vm:101\n\tstrict 1\n";

#[test]
fn node_affinity_back_to_rule_node() {
    // 14.3: after a manual migration to node2, failback moves it to node3
    let all = ["node1", "node2", "node3"];
    let mut u = Usage::new_basic(&names(&all));
    add(&mut u, "vm:101", "started", "node2", None);
    for text in [NONSTRICT1, STRICT1] {
        let c = rules(text, &all);
        assert_eq!(
            pick(&req("vm:101", "node2", Preference::None), &c, &u).as_deref(),
            Some("node3")
        );
        let mut r = req("vm:101", "node3", Preference::None);
        assert_eq!(pick(&r, &c, &u).as_deref(), Some("node3"));
        r.current_node = "node2";
        r.failback = false;
        let expect = if text == NONSTRICT1 { "node2" } else { "node3" };
        assert_eq!(pick(&r, &c, &u).as_deref(), Some(expect), "failback 0");
    }
}

#[test]
fn node_affinity_rule_node_offline() {
    // non-strict: fall back to the other nodes; strict: no node at all
    let all = ["node1", "node2", "node3"];
    let mut u = Usage::new_basic(&names(&["node1", "node2"]));
    add(&mut u, "vm:1", "started", "node1", None);
    let c = rules(NONSTRICT1, &all);
    assert_eq!(
        pick(&req("vm:101", "node3", Preference::BestScore), &c, &u).as_deref(),
        Some("node2")
    );
    let c = rules(STRICT1, &all);
    assert_eq!(
        pick(&req("vm:101", "node3", Preference::BestScore), &c, &u),
        None
    );
    assert_eq!(
        pick(&req("vm:101", "node2", Preference::None), &c, &u),
        None
    );
    let (a, p) = allowed_and_preferred("vm:101", &c, &u);
    assert!(a.is_empty() && p.is_empty());
}

#[test]
fn node_affinity_priorities() {
    // test-node-affinity-strict5 pattern: node2:2,node3:1
    let all = ["node1", "node2", "node3"];
    let text = "node-affinity: r1\n\tnodes node2:2,node3:1\n\tresources vm:101\n\tstrict 1\n";
    let c = rules(text, &all);
    let mut u = Usage::new_basic(&names(&all));
    add(&mut u, "vm:101", "started", "node3", None);
    assert_eq!(
        allowed_and_preferred("vm:101", &c, &u),
        (vec!["node2", "node3"], vec!["node2"])
    );
    assert_eq!(
        pick(&req("vm:101", "node3", Preference::None), &c, &u).as_deref(),
        Some("node2")
    );
    // node2 down -> node3 is the best left
    let mut u = Usage::new_basic(&names(&["node1", "node3"]));
    add(&mut u, "vm:101", "started", "node1", None);
    assert_eq!(
        pick(&req("vm:101", "node1", Preference::None), &c, &u).as_deref(),
        Some("node3")
    );
}

const MIXED1: &str = "resource-affinity: vms-100s-must-stick-together\n\tresources vm:201,vm:202,vm:203\n\taffinity positive\n\nresource-affinity: lonely-must-vms-be\n\tresources vm:201,vm:101\n\taffinity negative\n";

#[test]
fn resource_affinity_mixed1_pass2() {
    // 14.4: pass 2 of round t=20
    let all = ["node1", "node2", "node3"];
    let c = rules(MIXED1, &all);
    let mut u = Usage::new_basic(&names(&all));
    add(&mut u, "vm:101", "started", "node3", None);
    add(&mut u, "vm:201", "started", "node1", None);
    add(&mut u, "vm:202", "started", "node3", None);
    add(&mut u, "vm:203", "started", "node1", None);
    assert_eq!(
        pick(&req("vm:101", "node3", Preference::None), &c, &u).as_deref(),
        Some("node2")
    );
    add(&mut u, "vm:101", "migrate", "node3", Some("node2"));
    let (t, s) = together_and_separate("vm:201", &c, &u);
    assert_eq!(
        t.into_iter().collect::<Vec<_>>(),
        vec![("node1", 1), ("node3", 1)]
    );
    assert_eq!(s, vec!["node2", "node3"]);
    assert_eq!(
        pick(&req("vm:201", "node1", Preference::None), &c, &u).as_deref(),
        Some("node1")
    );
    assert_eq!(
        pick(&req("vm:202", "node3", Preference::None), &c, &u).as_deref(),
        Some("node1")
    );
    add(&mut u, "vm:202", "migrate", "node3", Some("node1"));
    assert_eq!(
        pick(&req("vm:203", "node1", Preference::None), &c, &u).as_deref(),
        Some("node1")
    );
    // t=40: migrations done, everyone stays
    add(&mut u, "vm:101", "started", "node2", None);
    add(&mut u, "vm:202", "started", "node1", None);
    for (sid, node) in [
        ("vm:101", "node2"),
        ("vm:201", "node1"),
        ("vm:202", "node1"),
    ] {
        assert_eq!(
            pick(&req(sid, node, Preference::None), &c, &u).as_deref(),
            Some(node)
        );
    }
}

#[test]
fn positive_affinity_follows_partner_target() {
    let all = ["node1", "node2", "node3"];
    let c = rules(
        "resource-affinity: together\n\tresources vm:1,vm:2\n\taffinity positive\n",
        &all,
    );
    let mut u = Usage::new_basic(&names(&all));
    add(&mut u, "vm:1", "migrate", "node1", Some("node3"));
    add(&mut u, "vm:2", "started", "node1", None);
    assert_eq!(
        pick(&req("vm:2", "node1", Preference::None), &c, &u).as_deref(),
        Some("node3")
    );
    // failback off and current node acceptable by affinity? node1 is not in
    // `together` (partner counted at its target) and not separated -> stays
    let mut r = req("vm:2", "node1", Preference::None);
    r.failback = false;
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node1"));
}

#[test]
fn negative_affinity_failback_off_still_leaves_separated_node() {
    let all = ["node1", "node2"];
    let c = rules(
        "resource-affinity: apart\n\tresources vm:1,vm:2\n\taffinity negative\n",
        &all,
    );
    let mut u = Usage::new_basic(&names(&all));
    add(&mut u, "vm:1", "started", "node1", None);
    add(&mut u, "vm:2", "started", "node1", None);
    let mut r = req("vm:2", "node1", Preference::None);
    r.failback = false;
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node2"));
    // no node left at all
    let u1 = {
        let mut u = Usage::new_basic(&names(&["node1"]));
        add(&mut u, "vm:1", "started", "node1", None);
        u
    };
    assert_eq!(
        pick(&req("vm:2", "node9", Preference::BestScore), &c, &u1),
        None
    );
}

#[test]
fn relocate_policy1_try_next() {
    // 14.5: scores node1 = 3, node2 = 2; fa:130 on node3
    let all = ["node1", "node2", "node3"];
    let mut u = Usage::new_basic(&names(&all));
    for (sid, node) in [
        ("vm:100", "node1"),
        ("vm:101", "node1"),
        ("vm:102", "node1"),
        ("vm:103", "node2"),
        ("vm:104", "node2"),
        ("vm:105", "node3"),
    ] {
        add(&mut u, sid, "started", node, None);
    }
    let c = CompiledRules::empty();
    let mut failed = names(&["node3"]);
    add(&mut u, "fa:130", "started", "node3", None);
    let mut r = req("fa:130", "node3", Preference::TryNext);
    r.failed_nodes = &failed;
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node2"));
    add(&mut u, "fa:130", "started", "node2", None);
    failed.push("node2".into());
    let mut r = req("fa:130", "node2", Preference::TryNext);
    r.failed_nodes = &failed;
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node1"));
    add(&mut u, "fa:130", "started", "node1", None);
    failed.push("node1".into());
    let mut r = req("fa:130", "node1", Preference::TryNext);
    r.failed_nodes = &failed;
    assert_eq!(pick(&r, &c, &u), None);
}

#[test]
fn relocate_policy_default_group_order() {
    // fa:130 alone on node2: node2 -> node1 -> node3 (all scores 0 except own)
    let all = ["node1", "node2", "node3"];
    let c = CompiledRules::empty();
    let mut u = Usage::new_basic(&names(&all));
    add(&mut u, "fa:130", "started", "node2", None);
    let failed = names(&["node2"]);
    let mut r = req("fa:130", "node2", Preference::TryNext);
    r.failed_nodes = &failed;
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node1"));
    add(&mut u, "fa:130", "started", "node1", None);
    let failed = names(&["node2", "node1"]);
    let mut r = req("fa:130", "node1", Preference::TryNext);
    r.failed_nodes = &failed;
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node3"));
}

#[test]
fn try_next_takes_the_node_after_the_current_one() {
    // current node still preferred (not failed): the next one in score order
    let all = ["node1", "node2", "node3"];
    let c = CompiledRules::empty();
    let u = Usage::new_basic(&names(&all));
    let r = req("fa:1", "node1", Preference::TryNext);
    assert_eq!(pick(&r, &c, &u).as_deref(), Some("node2"));
    let r = req("fa:1", "node3", Preference::TryNext);
    assert_eq!(
        pick(&r, &c, &u).as_deref(),
        Some("node1"),
        "last wraps to first"
    );
}

#[test]
fn shutdown_policy4_maintenance_tie_by_name() {
    // 14.6: node3 in maintenance (not online); ct:102 node1, vm:103 node2
    let mut u = Usage::new_basic(&names(&["node1", "node2"]));
    add(&mut u, "ct:102", "started", "node1", None);
    add(&mut u, "vm:103", "started", "node2", None);
    add(&mut u, "ct:105", "fence", "node3", None);
    let mut r = req("ct:105", "node3", Preference::None);
    r.maintenance_node = Some("node3");
    assert_eq!(
        pick(&r, &CompiledRules::empty(), &u).as_deref(),
        Some("node1")
    );
}

#[test]
fn maintenance_node_is_returned_when_preferred() {
    let all = ["node1", "node2", "node3"];
    let mut u = Usage::new_basic(&names(&all));
    for i in 0..5 {
        add(&mut u, &format!("vm:{i}"), "started", "node3", None);
    }
    add(&mut u, "vm:100", "started", "node1", None);
    let mut r = req("vm:100", "node1", Preference::None);
    r.maintenance_node = Some("node3");
    assert_eq!(
        pick(&r, &CompiledRules::empty(), &u).as_deref(),
        Some("node3")
    );
}

fn dyn_usage() -> Usage {
    let mut st = BTreeMap::new();
    for n in ["node1", "node2", "node3"] {
        st.insert(
            n.to_string(),
            NodeStats {
                maxcpu: 32.0,
                maxmem: 256e9,
                cpu: 0.0,
                mem: 0.0,
            },
        );
    }
    Usage::new(
        SchedulerMode::Dynamic,
        &names(&["node1", "node2", "node3"]),
        &st,
    )
    .unwrap()
}

#[test]
fn dynamic_rebalance_on_start_sequence() {
    // test-crs-dynamic-rebalance1, round t=20: five services on node3 in
    // request_start; re-balance picks node1, node2, node3 (current), node1, node2
    let stats = ServiceStats {
        maxcpu: 8.0,
        maxmem: 4294967296.0,
        cpu: 1.0,
        mem: 1e9,
    };
    let mut u = dyn_usage();
    let sids = ["vm:101", "vm:102", "vm:103", "vm:104", "vm:105"];
    for s in sids {
        u.add_service(s, Occupancy::None, "node3", None, false, Some(&stats));
    }
    let c = CompiledRules::empty();
    let expect = ["node1", "node2", "node3", "node1", "node2"];
    for (s, e) in sids.iter().zip(expect) {
        let mut r = req(s, "node3", Preference::BestScore);
        r.stats = Some(&stats);
        let got = pick(&r, &c, &u).unwrap();
        assert_eq!(got, e, "{s}");
        if got == "node3" {
            u.add_service(s, Occupancy::Current, "node3", None, false, Some(&stats));
        } else {
            u.add_service(
                s,
                Occupancy::TargetOnly,
                "node3",
                Some(&got),
                false,
                Some(&stats),
            );
        }
    }
}

#[test]
fn scoring_error_falls_back_to_name_order() {
    let mut u = dyn_usage();
    let stats = ServiceStats {
        maxcpu: 8.0,
        maxmem: 4e9,
        ..Default::default()
    };
    u.add_service(
        "vm:1",
        Occupancy::Current,
        "node1",
        None,
        false,
        Some(&stats),
    );
    let r = req("vm:2", "node2", Preference::BestScore);
    let (n, msgs) = select_service_node(&r, &CompiledRules::empty(), &u);
    assert_eq!(n.as_deref(), Some("node1"));
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].level, Level::Err);
    assert_eq!(
        msgs[0].text,
        "unable to score nodes according to dynamic usage for service 'vm:2' - no usage information for service 'vm:2'"
    );
}

proptest::proptest! {
    /// A selected node is online, allowed by a strict node affinity and not
    /// used by a negative partner; `none` without failback keeps an
    /// acceptable current node.
    #[test]
    fn selection_invariants(
        online in proptest::collection::btree_set(0usize..6, 0..6),
        rule_nodes in proptest::collection::btree_map(0usize..6, 0i64..3, 1..4),
        strict in proptest::bool::ANY,
        partners in proptest::collection::vec((0usize..6, 0usize..4, proptest::option::of(0usize..6)), 0..5),
        current in 0usize..6,
        pref in 0u8..3,
        failback in proptest::bool::ANY,
        failed in proptest::collection::vec(0usize..6, 0..3),
        maint in proptest::option::of(0usize..6),
    ) {
        let all: Vec<String> = (0..6).map(|i| format!("node{i}")).collect();
        let online_names: Vec<String> = online.iter().map(|&i| all[i].clone()).collect();
        let nodes_txt: Vec<String> = rule_nodes.iter().map(|(n, p)| format!("{}:{p}", all[*n])).collect();
        let mut text = format!(
            "node-affinity: na\n\tnodes {}\n\tresources vm:1\n\tstrict {}\n\n",
            nodes_txt.join(","), strict as u8
        );
        let neg_sids: Vec<String> = (0..partners.len()).map(|i| format!("vm:{}", 10 + i)).collect();
        if !neg_sids.is_empty() {
            text.push_str(&format!("resource-affinity: apart\n\tresources vm:1,{}\n\taffinity negative\n", neg_sids.join(",")));
        }
        let (cfg, _) = RulesConfig::parse(&text);
        // ignore feasibility here: compile the rules as they are
        let c = crate::ha::rules::transform_and_compile(&cfg.rules, &all);
        let mut u = Usage::new_basic(&online_names);
        let states = ["started", "migrate", "stopped", "request_start_balance"];
        for (sid, (n, s, t)) in neg_sids.iter().zip(&partners) {
            let tgt = t.map(|t| all[t].clone());
            u.add_service(sid, Occupancy::of_state(states[*s]), &all[*n], tgt.as_deref(), true, None);
        }
        let failed_names: Vec<String> = failed.iter().map(|&i| all[i].clone()).collect();
        let maint_name = maint.map(|m| all[m].clone());
        let r = SelectRequest {
            sid: "vm:1",
            current_node: &all[current],
            preference: [Preference::None, Preference::BestScore, Preference::TryNext][pref as usize],
            failback,
            failed_nodes: &failed_names,
            maintenance_node: maint_name.as_deref(),
            stats: None,
        };
        let (sel, _) = select_service_node(&r, &c, &u);
        let (_, separate) = together_and_separate("vm:1", &c, &u);
        if let Some(n) = &sel {
            proptest::prop_assert!(u.is_online(n));
            let idx: usize = n[4..].parse().unwrap();
            if strict {
                proptest::prop_assert!(rule_nodes.contains_key(&idx));
            }
            let stayed = !failback && r.preference == Preference::None && *n == all[current];
            if !stayed {
                proptest::prop_assert!(!separate.contains(&n.as_str()));
            }
        } else {
            // nothing online in the rule means no node
            let any_online_rule_node = rule_nodes.keys().any(|i| online.contains(i));
            if !strict && !online.is_empty() && separate.is_empty() && r.preference != Preference::TryNext {
                proptest::prop_assert!(false, "non-strict without conflicts must find a node");
            }
            let _ = any_online_rule_node;
        }
    }
}

/// Rough cost check (not a timed test): `cargo test --release --lib
/// select::tests::bench_ -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_select_10k_services_32_nodes() {
    let nodes: Vec<String> = (1..=32).map(|i| format!("node{i}")).collect();
    let mut text = String::new();
    for r in 0..500 {
        text.push_str(&format!(
            "node-affinity: na{r}\n\tnodes node{}:2,node{}\n\tresources vm:{},vm:{}\n\n",
            r % 32 + 1,
            (r + 1) % 32 + 1,
            1000 + 2 * r,
            1001 + 2 * r
        ));
        text.push_str(&format!(
            "resource-affinity: ra{r}\n\taffinity negative\n\tresources vm:{},vm:{}\n\n",
            5000 + 2 * r,
            5001 + 2 * r
        ));
    }
    let (cfg, _) = RulesConfig::parse(&text);
    let t = std::time::Instant::now();
    let (c, msgs) = compile(&cfg, None, &BTreeMap::new(), &nodes);
    eprintln!(
        "compile 1000 rules: {:?} ({} drops)",
        t.elapsed(),
        msgs.len()
    );
    let mut u = Usage::new_basic(&nodes);
    let sids: Vec<String> = (0..10_000).map(|i| format!("vm:{}", 1000 + i)).collect();
    let t = std::time::Instant::now();
    for (i, s) in sids.iter().enumerate() {
        u.add_service(s, Occupancy::Current, &nodes[i % 32], None, true, None);
    }
    eprintln!("usage add 10k: {:?}", t.elapsed());
    let mut moved = 0;
    for pass in 0..3 {
        let t = std::time::Instant::now();
        for (i, s) in sids.iter().enumerate() {
            let pref = if pass == 2 {
                Preference::BestScore
            } else {
                Preference::None
            };
            let r = req(s, &nodes[i % 32], pref);
            let (n, _) = select_service_node(&r, &c, &u);
            if n.as_deref() != Some(nodes[i % 32].as_str()) {
                moved += 1;
            }
        }
        eprintln!(
            "pass {pass}: 10k selections: {:?} ({moved} moves)",
            t.elapsed()
        );
    }
}

const MIXED3: &str = "resource-affinity: together-100s\n\tresources vm:101,vm:102,vm:103\n\taffinity positive\n\nresource-affinity: together-200s\n\tresources vm:201,vm:202,vm:203\n\taffinity positive\n\nresource-affinity: lonely-must-vms-be\n\tresources vm:101,vm:201\n\taffinity negative\n";

#[test]
fn resource_affinity_mixed3_implicit_rules_do_not_chain() {
    // test-resource-affinity-strict-mixed3, pass 2 of round t=20
    let all = ["node1", "node2", "node3"];
    let c = rules(MIXED3, &all);
    assert_eq!(c.negative("vm:202"), &names(&["vm:101"])[..]);
    assert_eq!(
        c.negative("vm:201"),
        &names(&["vm:101", "vm:102", "vm:103"])[..]
    );
    let mut u = Usage::new_basic(&names(&all));
    for (sid, node) in [
        ("vm:101", "node1"),
        ("vm:102", "node2"),
        ("vm:103", "node1"),
        ("vm:201", "node1"),
        ("vm:202", "node2"),
        ("vm:203", "node1"),
    ] {
        add(&mut u, sid, "started", node, None);
    }
    let steps = [
        ("vm:101", "node1", Some("node3")),
        ("vm:102", "node2", Some("node3")),
        ("vm:103", "node1", Some("node3")),
        ("vm:201", "node1", None),
        ("vm:202", "node2", Some("node2")),
        ("vm:203", "node1", Some("node2")),
    ];
    for (sid, node, expect) in steps {
        let got = pick(&req(sid, node, Preference::None), &c, &u);
        assert_eq!(got.as_deref(), expect, "{sid}");
        if let Some(t) = got.filter(|t| t != node) {
            add(&mut u, sid, "migrate", node, Some(&t));
        }
    }
}
