//! HA safety invariants under random fault schedules (issue 5 item 5):
//! random power, network, reboot, shutdown, migrate, maintenance and
//! service state commands are replayed through the engine, and after every
//! daemon iteration and every fault the simulator checks that no service
//! runs on two nodes at once, that no service is recovered away from a node
//! that still runs it (recovery only after fencing), and that at most one
//! quorate CRM is master.

use proptest::prelude::*;
use pvesim::sim::replay::{replay_checked, TestDir};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Fault {
    Power(usize, bool),
    Network(usize, bool),
    Reboot(usize),
    Shutdown(usize),
    Migrate(usize, usize),
    Relocate(usize, usize),
    Maintenance(usize, bool),
    State(usize, &'static str),
    Delay(u32),
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        3 => (0..5usize, any::<bool>()).prop_map(|(n, on)| Fault::Power(n, on)),
        3 => (0..5usize, any::<bool>()).prop_map(|(n, on)| Fault::Network(n, on)),
        1 => (0..5usize).prop_map(Fault::Reboot),
        1 => (0..5usize).prop_map(Fault::Shutdown),
        2 => (0..6usize, 0..5usize).prop_map(|(s, n)| Fault::Migrate(s, n)),
        1 => (0..6usize, 0..5usize).prop_map(|(s, n)| Fault::Relocate(s, n)),
        1 => (0..5usize, any::<bool>()).prop_map(|(n, on)| Fault::Maintenance(n, on)),
        1 => (0..6usize, prop::sample::select(vec!["started", "stopped", "disabled"]))
            .prop_map(|(s, st)| Fault::State(s, st)),
        1 => (10..300u32).prop_map(Fault::Delay),
    ]
}

fn render(f: &Fault, nodes: usize, services: usize) -> String {
    let n = |i: usize| format!("node{}", i % nodes + 1);
    let s = |i: usize| format!("vm:{}", 101 + i % services);
    let onoff = |b: bool| if b { "on" } else { "off" };
    match f {
        Fault::Power(i, on) => format!("power {} {}", n(*i), onoff(*on)),
        Fault::Network(i, on) => format!("network {} {}", n(*i), onoff(*on)),
        Fault::Reboot(i) => format!("reboot {}", n(*i)),
        Fault::Shutdown(i) => format!("shutdown {}", n(*i)),
        Fault::Migrate(sv, i) => format!("service {} migrate {}", s(*sv), n(*i)),
        Fault::Relocate(sv, i) => format!("service {} relocate {}", s(*sv), n(*i)),
        Fault::Maintenance(i, true) => format!("crm {} enable-node-maintenance", n(*i)),
        Fault::Maintenance(i, false) => format!("crm {} disable-node-maintenance", n(*i)),
        Fault::State(sv, st) => format!("service {} {}", s(*sv), st),
        Fault::Delay(d) => format!("delay {d}"),
    }
}

#[allow(clippy::type_complexity)]
fn scenario() -> impl Strategy<Value = (usize, Vec<usize>, &'static str, Vec<Vec<Fault>>)> {
    (
        3..6usize,
        prop::collection::vec(0..5usize, 1..7),
        prop::sample::select(vec!["conditional", "freeze", "failover", "migrate"]),
        prop::collection::vec(prop::collection::vec(fault(), 0..3), 1..6),
    )
}

fn build(nodes: usize, placement: &[usize], policy: &str, batches: &[Vec<Fault>]) -> TestDir {
    let mut test = TestDir::default();
    for i in 1..=nodes {
        test.hardware.insert(
            format!("node{i}"),
            json!({"power": "off", "network": "off"}),
        );
    }
    for (k, p) in placement.iter().enumerate() {
        test.service_config.insert(
            format!("vm:{}", 101 + k),
            json!({"node": format!("node{}", p % nodes + 1), "state": "started"}),
        );
    }
    test.datacenter = Some(json!({"ha": {"shutdown_policy": policy}}));
    let mut cmdlist = vec![(1..=nodes).map(|i| format!("power node{i} on")).collect()];
    for b in batches {
        cmdlist.push(
            b.iter()
                .map(|f| render(f, nodes, placement.len()))
                .collect(),
        );
    }
    test.cmdlist = cmdlist;
    test.running = BTreeMap::new();
    // long enough after the last fault for fencing (60 s + 120 s lock) and
    // recovery to play out
    test.quiet_end = Some(300);
    test
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn safety_invariants_hold((nodes, placement, policy, batches) in scenario()) {
        let test = build(nodes, &placement, policy, &batches);
        if let Err((violation, log)) = replay_checked(&test) {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            prop_assert!(false, "{violation}\ncmdlist: {:?}\nlog tail:\n{}", test.cmdlist, tail.join("\n"));
        }
    }
}

#[test]
fn checker_sees_a_double_start() {
    // sanity check of the checker itself: a service added as running on a
    // node while the HA stack starts it elsewhere is a violation
    let mut test = TestDir::default();
    for i in 1..=3 {
        test.hardware.insert(
            format!("node{i}"),
            json!({"power": "off", "network": "off"}),
        );
    }
    test.service_config.insert(
        "vm:101".into(),
        json!({"node": "node1", "state": "started"}),
    );
    test.running.insert(
        "node2".into(),
        [("vm:101".to_string(), json!(1))].into_iter().collect(),
    );
    test.cmdlist = vec![vec![
        "power node1 on".into(),
        "power node2 on".into(),
        "power node3 on".into(),
    ]];
    let err = replay_checked(&test).expect_err("double start must be seen");
    assert!(err.0.contains("vm:101 runs on"), "{}", err.0);
}
