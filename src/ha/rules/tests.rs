//! Unit tests of rules.cfg parsing, checks, transforms and compilation.
use super::*;

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn nodes(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn na(id: &str, res: &[&str], ns: &[(&str, i64)], strict: bool) -> Rule {
    Rule::node_affinity(
        id,
        set(res),
        ns.iter().map(|(n, p)| (n.to_string(), *p)).collect(),
        if strict { Some(true) } else { None },
    )
}

fn pos(id: &str, res: &[&str]) -> Rule {
    Rule::resource_affinity(id, set(res), Affinity::Positive)
}

fn neg(id: &str, res: &[&str]) -> Rule {
    Rule::resource_affinity(id, set(res), Affinity::Negative)
}

fn texts(errs: &BTreeMap<String, Vec<RuleError>>) -> Vec<String> {
    drop_messages(errs).into_iter().map(|m| m.text).collect()
}

/// The conformance corpus directory (../shared or ../../shared next to the
/// crate, or PVESIM_CONFORMANCE_DIR).
fn corpus_dir() -> std::path::PathBuf {
    if let Ok(d) = std::env::var("PVESIM_CONFORMANCE_DIR") {
        return std::path::PathBuf::from(d).join("ha");
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for up in ["../shared/conformance/ha", "../../shared/conformance/ha"] {
        let p = root.join(up);
        if p.is_dir() {
            return p;
        }
    }
    panic!("conformance corpus not found next to {}", root.display());
}

#[test]
fn parses_every_corpus_rules_config() {
    let mut seen = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path().join("rules_config");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        seen += 1;
        let (cfg, w) = RulesConfig::parse(&text);
        assert!(w.is_empty(), "{}: {w:?}", path.display());
        assert!(!cfg.rules.is_empty(), "{}", path.display());
        let out = cfg.write();
        let (back, w2) = RulesConfig::parse(&out);
        assert!(w2.is_empty());
        assert_eq!(back.rules, cfg.rules, "{}", path.display());
        assert_eq!(back.write(), out);
    }
    assert!(seen >= 30, "only {seen} rules_config files found");
}

#[test]
fn parse_and_canonical_write() {
    let text = "resource-affinity: lonely-must-vms-be\n\tresources vm:102,vm:101\n\taffinity negative\n\nnode-affinity: vm102-must-be-on-node2\n\tresources vm:102\n\tnodes node3,node2:2\n\tstrict 1\n";
    let (cfg, w) = RulesConfig::parse(text);
    assert!(w.is_empty());
    assert_eq!(cfg.rules[0].order, 1);
    assert_eq!(cfg.rules[1].order, 2);
    assert_eq!(cfg.rules[0].affinity(), Some(Affinity::Negative));
    assert!(cfg.rules[1].is_strict());
    assert_eq!(cfg.rules[1].nodes_string().unwrap(), "node2:2,node3");
    assert_eq!(
        cfg.write(),
        "resource-affinity: lonely-must-vms-be\n\taffinity negative\n\tresources vm:101,vm:102\n\nnode-affinity: vm102-must-be-on-node2\n\tnodes node2:2,node3\n\tresources vm:102\n\tstrict 1\n\n"
    );
}

#[test]
fn spec_group_migration_example_is_canonical() {
    // spec ha-crm.md section 10, test-group-migrate2
    let text = "node-affinity: ha-group-group1\n\tcomment Generated from HA group 'group1'.\n\tnodes node1\n\tresources vm:101\n\tstrict 1\n\nnode-affinity: ha-group-group2\n\tcomment Generated from HA group 'group2'.\n\tnodes node2:2,node3\n\tresources vm:102,vm:103\n\n";
    let (cfg, w) = RulesConfig::parse(text);
    assert!(w.is_empty());
    assert_eq!(cfg.write(), text);

    // and the migration produces exactly it
    let (groups, _) = GroupsConfig::parse(
        "group: group1\n\tnodes node1\n\trestricted 1\n\ngroup: group2\n\tnodes node2:2,node3\n\tnofailback 1\n",
    );
    let sg: BTreeMap<String, String> = [
        ("vm:101", "group1"),
        ("vm:102", "group2"),
        ("vm:103", "group2"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let mut rules = RulesConfig::default();
    migrate_groups_into_rules(&mut rules, &groups, &sg);
    assert_eq!(rules.write(), text);
    let res = resource_group_migration(&groups, &sg);
    assert_eq!(
        res.into_iter().collect::<Vec<_>>(),
        vec![
            ("vm:101".to_string(), false),
            ("vm:102".to_string(), true),
            ("vm:103".to_string(), true)
        ]
    );
}

#[test]
fn migration_appends_and_replaces() {
    let (mut rules, _) = RulesConfig::parse(
        "node-affinity: ha-group-g1\n\tnodes n9\n\tresources vm:1\n\nresource-affinity: r1\n\taffinity positive\n\tresources vm:1,vm:2\n",
    );
    let (groups, _) = GroupsConfig::parse(
        "group: g1\n\tnodes n1\n\tcomment mine\n\ngroup: g2\n\tnodes n2\n\ngroup: g3\n\tnodes n3\n",
    );
    let sg: BTreeMap<String, String> = [("vm:5", "g2"), ("vm:6", "g1"), ("vm:7", "nogroup")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    migrate_groups_into_rules(&mut rules, &groups, &sg);
    assert_eq!(
        rules.write(),
        "node-affinity: ha-group-g1\n\tcomment mine\n\tnodes n1\n\tresources vm:6\n\nresource-affinity: r1\n\taffinity positive\n\tresources vm:1,vm:2\n\nnode-affinity: ha-group-g2\n\tcomment Generated from HA group 'g2'.\n\tnodes n2\n\tresources vm:5\n\n"
    );
}

#[test]
fn disable_semantics() {
    let text = "resource-affinity: a1\n\tdisable 0\n\taffinity positive\n\tresources vm:1,vm:2\n\nresource-affinity: a2\n\tdisable\n\taffinity positive\n\tresources vm:1,vm:2\n\nresource-affinity: a3\n\taffinity positive\n\tresources vm:1,vm:2\n";
    let (cfg, w) = RulesConfig::parse(text);
    assert!(w.is_empty());
    assert!(
        !cfg.rules[0].is_enabled(),
        "disable 0 still counts as disabled"
    );
    assert!(!cfg.rules[1].is_enabled());
    assert!(cfg.rules[2].is_enabled());
    let out = cfg.write();
    assert_eq!(
        out,
        "resource-affinity: a1\n\taffinity positive\n\tresources vm:1,vm:2\n\nresource-affinity: a2\n\tdisable\n\taffinity positive\n\tresources vm:1,vm:2\n\nresource-affinity: a3\n\taffinity positive\n\tresources vm:1,vm:2\n\n"
    );
    let (back, _) = RulesConfig::parse(&out);
    assert!(back.rules[0].is_enabled(), "rewritten without disable 0");
}

#[test]
fn comment_encoding() {
    assert_eq!(encode_comment("a b: 100% ok"), "a b%3A 100%25 ok");
    assert_eq!(encode_comment("tab\there é"), "tab%09here %C3%A9");
    assert_eq!(decode_comment("a b%3A 100%25 ok"), "a b: 100% ok");
    assert_eq!(decode_comment("%C3%A9%zz%4"), "é%zz%4");
    let (cfg, _) = RulesConfig::parse(
        "resource-affinity: a1\n\tcomment x%3Ay\n\taffinity negative\n\tresources vm:1,vm:2\n",
    );
    assert_eq!(cfg.rules[0].comment.as_deref(), Some("x:y"));
    assert!(cfg.write().contains("\tcomment x%3Ay\n"));
}

#[test]
fn parse_warnings() {
    let text = "node-affinity: r1\n\tresources vm:1\n\nresource-affinity: r2\n\tresources vm:1,vm:2\n\taffinity sideways\n\nresource-affinity: r3\n\tresources vm:1,vm:2\n\taffinity positive\n\tstrict 1\n\tresources vm:3\n\nfoo-affinity: r4\n\tresources vm:1\n\nnode-affinity: 9bad\n\tnodes n1\n\tresources vm:1\n\nnode-affinity: r5\n\tnodes n1,bad_node,n2:3\n\tresources vm:1\n";
    let (cfg, w) = RulesConfig::parse(text);
    assert_eq!(
        w,
        vec![
            "file /etc/pve/ha/rules.cfg line 1 (skip section 'r1'): missing value for required option 'nodes'",
            "file /etc/pve/ha/rules.cfg line 6 (section 'r2') - unable to parse value of 'affinity': value 'sideways' does not have a value in the enumeration 'positive, negative'",
            "file /etc/pve/ha/rules.cfg line 4 (skip section 'r2'): missing value for required option 'affinity'",
            "file /etc/pve/ha/rules.cfg line 11 (section 'r3') - unable to parse value of 'strict': unexpected property",
            "file /etc/pve/ha/rules.cfg line 12 (section 'r3') - unable to parse value of 'resources': duplicate attribute",
            "file /etc/pve/ha/rules.cfg line 14 (skip section 'r4'): unsupported type 'foo-affinity'",
            "file /etc/pve/ha/rules.cfg line 17 (skip section '9bad'): invalid configuration ID '9bad'",
        ]
    );
    let ids: Vec<&str> = cfg.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["r3", "r5"]);
    assert_eq!(cfg.rules[0].resources, set(&["vm:1", "vm:2"]));
    // unparsable node entries are dropped silently
    assert_eq!(cfg.rules[1].nodes_string().unwrap(), "n1,n2:3");
}

#[test]
fn next_order_quirk_and_append() {
    let (mut cfg, _) = RulesConfig::parse(
        "resource-affinity: ra\n\taffinity negative\n\tresources vm:1,vm:2\n\nresource-affinity: rb\n\taffinity negative\n\tresources vm:1,vm:3\n",
    );
    assert_eq!(cfg.next_order(), 2, "smallest + 1, colliding with b");
    assert_eq!(cfg.append_order(), 3);
    assert_eq!(RulesConfig::default().next_order(), 1);
    // a rule with a colliding order is written after the existing one (stable)
    let mut r = neg("rc", &["vm:4", "vm:5"]);
    r.order = cfg.next_order();
    cfg.rules.insert(0, r);
    let out = cfg.write();
    let ids: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": ") && !l.starts_with('\t'))
        .collect();
    assert_eq!(
        ids,
        vec![
            "resource-affinity: ra",
            "resource-affinity: rc",
            "resource-affinity: rb"
        ]
    );
}

#[test]
fn resource_ids() {
    assert!(check_resource_id("vm:100").is_ok());
    assert!(check_resource_id("fa:130").is_ok());
    for bad in ["100", "VM:100", "vm:", ":1", "vm 1", "vm:1 2"] {
        assert_eq!(
            check_resource_id(bad).unwrap_err(),
            "value does not look like a valid ha resource id"
        );
    }
    assert_eq!(
        parse_resource_list("vm:2,vm:1;ct:3").unwrap(),
        set(&["ct:3", "vm:1", "vm:2"])
    );
    assert!(parse_resource_list("vm:1,100").is_err());
}

// ---- feasibility checks ----------------------------------------------------

const N3: &[&str] = &["node1", "node2", "node3"];

#[test]
fn check_single_node_affinity_reference() {
    let rules = vec![
        na("a", &["vm:1", "vm:2"], &[("node1", 0)], false),
        na("b", &["vm:2"], &[("node2", 0)], true),
        na("c", &["vm:3"], &[("node2", 0)], true),
    ];
    let e = check_feasibility(&rules, &nodes(N3));
    assert_eq!(
        texts(&e),
        vec![
            "Drop rule 'a', because resource 'vm:2' is already used in another node affinity rule.",
            "Drop rule 'b', because resource 'vm:2' is already used in another node affinity rule.",
        ]
    );
    assert_eq!(e["a"][0].option, "resources");
}

#[test]
fn check_disabled_rules_do_not_count() {
    let mut b = na("b", &["vm:2"], &[("node2", 0)], true);
    b.disable = Some(true);
    let rules = vec![na("a", &["vm:1", "vm:2"], &[("node1", 0)], false), b];
    assert!(check_feasibility(&rules, &nodes(N3)).is_empty());
}

#[test]
fn check_ineffective_and_too_many_resources() {
    let rules = vec![
        pos("p", &["vm:1"]),
        neg("n", &["vm:1", "vm:2", "vm:3", "vm:4"]),
        neg("ok", &["vm:5", "vm:6", "vm:7"]),
    ];
    assert_eq!(
        texts(&check_feasibility(&rules, &nodes(N3))),
        vec![
            "Drop rule 'n', because rule defines more resources than available nodes.",
            "Drop rule 'p', because rule is ineffective as there are less than two resources.",
        ]
    );
}

#[test]
fn check_positive_vs_negative() {
    let rules = vec![
        pos("p1", &["vm:1", "vm:2"]),
        pos("p2", &["vm:2", "vm:3"]),
        neg("n1", &["vm:1", "vm:3"]),
        neg("n2", &["vm:1", "vm:9"]),
    ];
    assert_eq!(
        texts(&check_feasibility(&rules, &nodes(N3))),
        vec![
            "Drop rule 'n1', because rule shares two or more resources with a positive resource affinity rule.",
            "Drop rule 'p1', because rule shares two or more resources with a negative resource affinity rule.",
            "Drop rule 'p2', because rule shares two or more resources with a negative resource affinity rule.",
        ]
    );
}

#[test]
fn check_multi_priority_node_affinity_with_resource_affinity() {
    let rules = vec![
        na("na1", &["vm:1"], &[("node1", 2), ("node2", 1)], false),
        na("na2", &["vm:3"], &[("node1", 1), ("node2", 1)], false),
        neg("n1", &["vm:1", "vm:2"]),
        pos("p1", &["vm:3", "vm:4"]),
    ];
    assert_eq!(
        texts(&check_feasibility(&rules, &nodes(N3))),
        vec![
            "Drop rule 'n1', because resources are in node affinity rules with multiple priorities.",
            "Drop rule 'na1', because resources are in a resource affinity rule and cannot be in a node affinity rule with multiple priorities.",
        ]
    );
}

#[test]
fn check_positive_component_in_several_node_affinity_rules() {
    let rules = vec![
        na("na1", &["vm:1"], &[("node1", 0)], true),
        na("na2", &["vm:3"], &[("node2", 0)], true),
        pos("p1", &["vm:1", "vm:2"]),
        pos("p2", &["vm:2", "vm:3"]),
    ];
    assert_eq!(
        texts(&check_feasibility(&rules, &nodes(N3))),
        vec![
            "Drop rule 'na1', because at least one resource is in a positive resource affinity rule and there are other resources in at least one other node affinity rule already.",
            "Drop rule 'na2', because at least one resource is in a positive resource affinity rule and there are other resources in at least one other node affinity rule already.",
            "Drop rule 'p1', because resources are in multiple node affinity rules.",
            "Drop rule 'p2', because resources are in multiple node affinity rules.",
        ]
    );
}

#[test]
fn check_negative_restricted_to_too_few_nodes() {
    let rules = vec![
        na("na1", &["vm:1", "vm:2"], &[("node1", 0)], true),
        neg("n1", &["vm:1", "vm:2"]),
    ];
    assert_eq!(
        texts(&check_feasibility(&rules, &nodes(N3))),
        vec![
            "Drop rule 'n1', because two or more resources are restricted to less nodes than available to the resources.",
            "Drop rule 'na1', because at least one resource is in a negative resource affinity rule and this rule would restrict these to less nodes than available to the resources.",
        ]
    );
    // corpus: test-resource-affinity-with-node-affinity-strict-negative3 is fine
    let rules = vec![
        na("a", &["vm:101"], &[("node2", 0)], false),
        na("b", &["vm:102"], &[("node3", 0)], false),
        na("c", &["vm:103"], &[("node1", 0)], false),
        neg("n", &["vm:101", "vm:102", "vm:103"]),
    ];
    assert!(check_feasibility(&rules, &nodes(N3)).is_empty());
}

#[test]
fn corpus_rules_are_all_feasible() {
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path().join("rules_config");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (cfg, _) = RulesConfig::parse(&text);
        let n: Vec<String> = (1..=5).map(|i| format!("node{i}")).collect();
        let e = check_feasibility(&cfg.rules, &n);
        assert!(e.is_empty(), "{}: {:?}", path.display(), texts(&e));
    }
}

#[test]
fn cli_error_texts() {
    assert_eq!(
        unmanaged_resources_error(&nodes(&["vm:1", "vm:2"])),
        "cannot use unmanaged resource(s) vm:1, vm:2."
    );
    assert_eq!(
        unknown_nodes_error(&nodes(&["node7"])),
        "cannot use non-existent node(s) node7."
    );
    let errs = vec![
        RuleError {
            option: "resources",
            message: "m1".into(),
        },
        RuleError {
            option: "affinity",
            message: "m0".into(),
        },
        RuleError {
            option: "resources",
            message: "m2".into(),
        },
    ];
    assert_eq!(
        invalid_rule_error("r", &errs),
        "400 Rule 'r' is invalid.\naffinity: m0\nresources: m1, m2"
    );
}

// ---- transforms and compilation ---------------------------------------------

#[test]
fn compile_mixed_positive_negative_implicit_rules() {
    // spec 14.4, test-resource-affinity-strict-mixed1
    let (cfg, _) = RulesConfig::parse(
        "resource-affinity: vms-100s-must-stick-together\n\tresources vm:201,vm:202,vm:203\n\taffinity positive\n\nresource-affinity: lonely\n\tresources vm:201,vm:101\n\taffinity negative\n",
    );
    let (c, msgs) = compile(&cfg, None, &BTreeMap::new(), &nodes(N3));
    assert!(msgs.is_empty());
    assert_eq!(c.positive("vm:201"), &nodes(&["vm:202", "vm:203"])[..]);
    assert_eq!(c.positive("vm:101"), &[] as &[String]);
    assert_eq!(
        c.negative("vm:101"),
        &nodes(&["vm:201", "vm:202", "vm:203"])[..]
    );
    assert_eq!(c.negative("vm:202"), &nodes(&["vm:101"])[..]);
    assert_eq!(c.negative("vm:203"), &nodes(&["vm:101"])[..]);
    assert!(c.node_affinity("vm:101").is_none());
}

#[test]
fn compile_merges_connected_positive_rules() {
    let rules = RulesConfig {
        rules: vec![
            pos("a", &["vm:1", "vm:2"]),
            pos("b", &["vm:2", "vm:3"]),
            pos("c", &["vm:8", "vm:9"]),
        ],
        digest: String::new(),
    };
    let (c, _) = compile(&rules, None, &BTreeMap::new(), &nodes(N3));
    assert_eq!(c.positive("vm:1"), &nodes(&["vm:2", "vm:3"])[..]);
    assert_eq!(c.positive("vm:3"), &nodes(&["vm:1", "vm:2"])[..]);
    assert_eq!(c.positive("vm:9"), &nodes(&["vm:8"])[..]);
}

#[test]
fn compile_node_affinity_non_strict_fillers_and_inheritance() {
    let rules = RulesConfig {
        rules: vec![
            na("na", &["vm:1"], &[("node3", 0)], false),
            na("st", &["vm:5"], &[("node2", 2), ("node3", 1)], true),
            pos("p", &["vm:1", "vm:2"]),
        ],
        digest: String::new(),
    };
    let (c, _) = compile(&rules, None, &BTreeMap::new(), &nodes(N3));
    let expect = [
        ("node1".to_string(), -1),
        ("node2".to_string(), -1),
        ("node3".to_string(), 0),
    ];
    assert_eq!(c.node_affinity("vm:1").unwrap(), &expect[..]);
    // vm:2 inherits the node affinity through the positive rule
    assert_eq!(c.node_affinity("vm:2").unwrap(), &expect[..]);
    assert_eq!(
        c.node_affinity("vm:5").unwrap(),
        &[("node2".to_string(), 2), ("node3".to_string(), 1)][..]
    );
}

#[test]
fn compile_drops_infeasible_and_disabled_rules() {
    let mut dis = neg("dis", &["vm:7", "vm:8"]);
    dis.disable = Some(false);
    let rules = RulesConfig {
        rules: vec![
            na("a", &["vm:1"], &[("node1", 0)], true),
            na("b", &["vm:1"], &[("node2", 0)], true),
            dis,
        ],
        digest: String::new(),
    };
    let (c, msgs) = compile(&rules, None, &BTreeMap::new(), &nodes(N3));
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].level, Level::Info);
    assert!(c.node_affinity("vm:1").is_none());
    assert!(c.negative("vm:7").is_empty());
    assert!(c.is_empty());
}

#[test]
fn compile_with_groups() {
    // spec 14.2: group1 strict node1; group2 node2:2,node3 non-strict
    let (groups, _) = GroupsConfig::parse(
        "group: group1\n\tnodes node1\n\trestricted 1\n\ngroup: group2\n\tnodes node2:2,node3\n\tnofailback 1\n\ngroup: unused\n\tnodes node1\n",
    );
    let sg: BTreeMap<String, String> = [
        ("vm:101", "group1"),
        ("vm:102", "group2"),
        ("vm:103", "group2"),
        ("vm:104", "missing"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let gr = group_rules(&groups, &sg);
    assert_eq!(gr.len(), 2);
    assert_eq!(gr[0].id, "ha-group-group1");
    assert!(gr[0].is_strict());
    assert_eq!(gr[1].resources, set(&["vm:102", "vm:103"]));
    assert_eq!(
        gr[1].comment.as_deref(),
        Some("Generated from HA group 'group2'.")
    );
    // a user rule with the same id is replaced
    let user = RulesConfig {
        rules: vec![na("ha-group-group1", &["vm:999"], &[("node3", 0)], true)],
        digest: String::new(),
    };
    let (c, msgs) = compile(&user, Some(&groups), &sg, &nodes(N3));
    assert!(msgs.is_empty());
    assert_eq!(
        c.node_affinity("vm:101").unwrap(),
        &[("node1".to_string(), 0)][..]
    );
    assert!(c.node_affinity("vm:999").is_none());
    assert_eq!(
        c.node_affinity("vm:103").unwrap(),
        &[
            ("node1".to_string(), -1),
            ("node2".to_string(), 2),
            ("node3".to_string(), 0)
        ][..]
    );
    assert!(c.node_affinity("vm:104").is_none());
    // effective failback (round step 12)
    assert!(effective_failback(false, Some("group1"), Some(&groups)));
    assert!(!effective_failback(true, Some("group2"), Some(&groups)));
    assert!(effective_failback(false, Some("missing"), Some(&groups)));
    assert!(effective_failback(false, Some("group2"), None));
    assert!(!effective_failback(false, None, Some(&groups)));
}

// ---- group migration ---------------------------------------------------------

#[test]
fn version_comparison() {
    assert!(version_at_least_9_0_0_16("9.0.0~16"));
    assert!(version_at_least_9_0_0_16("9.0.0~17"));
    assert!(version_at_least_9_0_0_16("9.0.0"));
    assert!(version_at_least_9_0_0_16("9.1.2"));
    assert!(version_at_least_9_0_0_16("10.0-1"));
    assert!(!version_at_least_9_0_0_16("9.0.0~15"));
    assert!(!version_at_least_9_0_0_16("9.0.0~2"));
    assert!(!version_at_least_9_0_0_16("8.4.1"));
    assert!(!version_at_least_9_0_0_16("7.4-4"));
    assert!(!version_at_least_9_0_0_16("garbage"));
}

fn info<'a>(node: &'a str, version: &'a str) -> MigrationNodeInfo<'a> {
    MigrationNodeInfo {
        node,
        state: "online",
        lrm_state: Some("active"),
        lrm_mode: Some("active"),
        has_active_service: true,
        version: Some(version),
    }
}

#[test]
fn precheck_spec_example_group_migrate1() {
    let nodes = [
        info("node3", "8.4.1"),
        info("node1", "9.1.2"),
        info("node2", "9.0.0~16"),
    ];
    let (msgs, res) = group_migration_precheck(true, &nodes);
    let t: Vec<&str> = msgs.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        t,
        vec![
            "ha groups migration: node 'node1' is in state 'online'",
            "ha groups migration: lrm 'node1' is in state 'active' and mode 'active'",
            "ha groups migration: node 'node1' has version '9.1.2'",
            "ha groups migration: node 'node2' is in state 'online'",
            "ha groups migration: lrm 'node2' is in state 'active' and mode 'active'",
            "ha groups migration: node 'node2' has version '9.0.0~16'",
            "ha groups migration: node 'node3' is in state 'online'",
            "ha groups migration: lrm 'node3' is in state 'active' and mode 'active'",
            "ha groups migration: node 'node3' has version '8.4.1'",
        ]
    );
    assert!(msgs.iter().all(|m| m.level == Level::Notice));
    assert_eq!(
        res.unwrap_err(),
        "node 'node3' needs at least pve-manager version '9.0.0~16'"
    );
}

#[test]
fn precheck_failures() {
    assert_eq!(
        group_migration_precheck(false, &[info("n1", "9.0.0")])
            .1
            .unwrap_err(),
        "cluster is not quorate"
    );
    assert_eq!(
        group_migration_precheck(true, &[]).1.unwrap_err(),
        "node list is empty"
    );
    let mut n = info("n1", "9.0.0");
    n.state = "maintenance";
    assert_eq!(
        group_migration_precheck(true, &[n]).1.unwrap_err(),
        "node 'n1' is not online"
    );
    let mut n = info("n1", "9.0.0");
    n.lrm_mode = None;
    assert_eq!(
        group_migration_precheck(true, &[n]).1.unwrap_err(),
        "could not retrieve state for lrm 'n1'"
    );
    let mut n = info("n1", "9.0.0");
    n.lrm_state = Some("wait_for_agent_lock");
    assert_eq!(
        group_migration_precheck(true, &[n]).1.unwrap_err(),
        "lrm 'n1' is not in state 'active' or 'idle'"
    );
    n.has_active_service = false;
    assert!(
        group_migration_precheck(true, &[n]).1.is_ok(),
        "idle is fine"
    );
    let mut n = info("n1", "9.0.0");
    n.lrm_mode = Some("maintenance");
    assert_eq!(
        group_migration_precheck(true, &[n]).1.unwrap_err(),
        "lrm 'n1' is not in mode 'active'"
    );
    let mut n = info("n1", "9.0.0");
    n.version = None;
    assert_eq!(
        group_migration_precheck(true, &[n]).1.unwrap_err(),
        "could not retrieve version from node 'n1'"
    );
}

proptest::proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,400}") {
        let _ = RulesConfig::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_rule_like_text(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("node-affinity: r1".to_string()),
                proptest::strategy::Just("resource-affinity: r2".to_string()),
                proptest::strategy::Just(String::new()),
                "\t(nodes|resources|strict|affinity|disable|comment|foo)( [a-z0-9:,;%_ -]{0,12})?",
            ], 0..20)
    ) {
        let text = lines.join("\n");
        let (cfg, _) = RulesConfig::parse(&text);
        let n: Vec<String> = vec!["node1".into(), "node2".into()];
        let _ = compile(&cfg, None, &BTreeMap::new(), &n);
    }

    #[test]
    fn write_parse_round_trip(
        specs in proptest::collection::vec((
            "[a-z][a-z0-9_-]{1,8}",
            proptest::bool::ANY,
            proptest::collection::btree_set("(vm|ct):[1-9][0-9]{0,3}", 1..4),
            proptest::collection::btree_map("[a-z][a-z0-9]{0,4}", 0i64..5, 1..4),
            proptest::option::of(proptest::bool::ANY),
            proptest::bool::ANY,
            proptest::option::of("\\PC{0,16}"),
        ), 0..6)
    ) {
        let mut cfg = RulesConfig::default();
        for (i, (id, is_na, res, ns, strict, disable, comment)) in specs.into_iter().enumerate() {
            if cfg.get(&id).is_some() { continue; }
            let mut r = if is_na {
                Rule::node_affinity(id, res, ns, strict)
            } else {
                Rule::resource_affinity(id, res, if disable { Affinity::Positive } else { Affinity::Negative })
            };
            r.order = i as u32 + 1;
            r.disable = if disable { Some(true) } else { None };
            // comments are trimmed by the section parser
            r.comment = comment.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
            cfg.rules.push(r);
        }
        // renumber like the parser does
        for (i, r) in cfg.rules.iter_mut().enumerate() { r.order = i as u32 + 1; }
        let text = cfg.write();
        let (back, w) = RulesConfig::parse(&text);
        proptest::prop_assert!(w.is_empty(), "{:?}", w);
        proptest::prop_assert_eq!(&back.rules, &cfg.rules);
        proptest::prop_assert_eq!(back.write(), text);
    }
}
