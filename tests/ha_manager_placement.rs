//! HA placement through `ha-manager` in both generations: groups with node
//! priorities on Proxmox VE 8 (the older field guide's walk-through), node-
//! and resource-affinity rules on Proxmox VE 9 (the newer one), the group
//! commands refused once groups are migrated, and the rule checks.

mod common;

use common::*;

fn three_vms(version: u8) -> Cluster {
    let c = Cluster::new(&["pve1", "pve2", "pve3"]);
    c.set_version(version);
    c.vm("pve1", 100);
    c.vm("pve2", 101);
    c.vm("pve3", 102);
    c
}

#[test]
fn version_8_groups_walk_through() {
    let c = three_vms(8);
    c.ok(&["groupadd", "prefer_pve1", "--nodes", "pve1:2,pve2:1,pve3:1"]);
    c.ok(&[
        "groupadd",
        "prefer_pve2",
        "--nodes",
        "pve2:2",
        "--nodes",
        "pve3:1,pve1:1",
        "--restricted",
        "1",
    ]);
    c.ok(&[
        "groupadd",
        "prefer_pve3",
        "-nodes",
        "pve3:2",
        "--nofailback",
        "--comment",
        "db tier",
    ]);
    c.ok(&[
        "add",
        "vm:100",
        "--group",
        "prefer_pve1",
        "--max_restart",
        "2",
        "--max_relocate",
        "2",
    ]);
    c.ok(&[
        "add",
        "vm:101",
        "--group",
        "prefer_pve2",
        "--max_restart",
        "3",
    ]);
    c.ok(&[
        "add",
        "102",
        "--group",
        "prefer_pve3",
        "--max_relocate",
        "3",
        "--state",
        "stopped",
    ]);
    let groups = "group: prefer_pve1\n\tnodes pve1:2,pve2:1,pve3:1\n\ngroup: prefer_pve2\n\tnodes pve2:2,pve3:1,pve1:1\n\trestricted 1\n\ngroup: prefer_pve3\n\tcomment db tier\n\tnodes pve3:2\n\tnofailback 1\n\n";
    assert_eq!(c.read("etc/pve/ha/groups.cfg"), groups);
    assert_eq!(c.stdout(&["groupconfig"]), groups);
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tgroup prefer_pve1\n\tmax_relocate 2\n\tmax_restart 2\n\nvm: 101\n\tgroup prefer_pve2\n\tmax_restart 3\n\nvm: 102\n\tgroup prefer_pve3\n\tmax_relocate 3\n\tstate stopped\n\n"
    );
    assert_eq!(
        c.stdout(&["config"]),
        "vm:100\n\tgroup prefer_pve1\n\tmax_relocate 2\n\tmax_restart 2\n\nvm:101\n\tgroup prefer_pve2\n\tmax_restart 3\n\nvm:102\n\tgroup prefer_pve3\n\tmax_relocate 3\n\tstate stopped\n\n"
    );
    // a priority change rewrites the group in place
    c.ok(&["groupset", "prefer_pve1", "--nodes", "pve1:3,pve2:1,pve3:1"]);
    assert_eq!(
        c.read("etc/pve/ha/groups.cfg"),
        groups.replace("pve1:2,pve2:1,pve3:1", "pve1:3,pve2:1,pve3:1")
    );
    c.ok(&["groupset", "prefer_pve3", "--delete", "comment,nofailback"]);
    assert!(c
        .read("etc/pve/ha/groups.cfg")
        .ends_with("group: prefer_pve3\n\tnodes pve3:2\n\n"));

    // checks
    let before = c.read("etc/pve/ha/groups.cfg");
    c.fails(
        &["groupadd", "prefer_pve1", "--nodes", "pve1"],
        "create ha group failed: ha group ID 'prefer_pve1' already defined\n",
    );
    c.fails(
        &["groupset", "nope", "--nodes", "pve1"],
        "update ha group failed: no such ha group 'nope'\n",
    );
    c.fails(
        &["groupremove", "prefer_pve2"],
        "delete ha group failed: ha group is used by service 'vm:101'\n",
    );
    c.fails(
        &["groupadd", "g1"],
        "400 Parameter verification failed.\nnodes: property is missing and it is not optional\n\nha-manager groupadd <group> [OPTIONS]\n",
    );
    c.fails(
        &["groupadd", "1g", "--nodes", "pve1:x"],
        "400 Parameter verification failed.\ngroup: invalid format - invalid configuration ID '1g'\n\nnodes: invalid format - value does not look like a valid ha group node\n\nha-manager groupadd <group> [OPTIONS]\n",
    );
    c.fails(
        &["set", "vm:100", "--group", "nope"],
        "HA group 'nope' does not exist\n",
    );
    c.fails(
        &["add", "vm:100", "--failback", "0"],
        "Unknown option: failback\n400 unable to parse option\n",
    );
    assert_eq!(c.read("etc/pve/ha/groups.cfg"), before);
    // no rules in version 8
    let err = c.fails_any(&["rules", "list"]);
    assert!(
        err.starts_with("ERROR: unknown command 'ha-manager rules'\n"),
        "{err}"
    );
    assert!(!c.stdout(&["help"]).contains("rules"));
    // a group no longer used can go
    c.ok(&["set", "vm:101", "--delete", "group"]);
    c.ok(&["groupremove", "prefer_pve2"]);
    assert!(!c.read("etc/pve/ha/groups.cfg").contains("prefer_pve2"));
}

#[test]
fn version_9_rules_walk_through() {
    let c = three_vms(9);
    for vm in ["vm:100", "vm:101", "vm:102"] {
        c.ok(&["add", vm]);
    }
    c.ok(&[
        "rules",
        "add",
        "node-affinity",
        "prefer-pve1",
        "--resources",
        "vm:100",
        "--nodes",
        "pve1:100,pve2:10",
    ]);
    c.ok(&[
        "rules",
        "add",
        "resource-affinity",
        "keep-apart",
        "--resources",
        "vm:101",
        "--resources",
        "vm:102",
        "--affinity",
        "negative",
    ]);
    assert_eq!(
        c.read("etc/pve/ha/rules.cfg"),
        "node-affinity: prefer-pve1\n\tnodes pve1:100,pve2:10\n\tresources vm:100\n\nresource-affinity: keep-apart\n\taffinity negative\n\tresources vm:101,vm:102\n\n"
    );
    assert_eq!(
        c.stdout(&["rules", "config"]),
        "\
+---------+--------+-------------+-------------------+---------------+---------+
| enabled | state  | rule        | type              | resources     | comment |
+=========+========+=============+===================+===============+=========+
| 1       | in use | prefer-pve1 | node-affinity     | vm:100        |         |
+---------+--------+-------------+-------------------+---------------+---------+
| 1       | in use | keep-apart  | resource-affinity | vm:101,vm:102 |         |
+---------+--------+-------------+-------------------+---------------+---------+
"
    );
    assert_eq!(
        c.stdout(&["rules", "list", "--noborder"]),
        "rule\nkeep-apart\nprefer-pve1\n"
    );
    assert_eq!(
        c.stdout(&[
            "rules",
            "list",
            "--resource",
            "vm:101",
            "--noborder",
            "--noheader"
        ]),
        "keep-apart\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&c.stdout(&["rules", "list", "--output-format", "json"])).unwrap();
    let digest = sha1(&c.read("etc/pve/ha/rules.cfg"));
    assert_eq!(
        json,
        serde_json::json!([
            {"rule": "prefer-pve1", "type": "node-affinity", "digest": digest, "order": 1,
             "resources": "vm:100", "nodes": "pve1:100,pve2:10", "strict": 0},
            {"rule": "keep-apart", "type": "resource-affinity", "digest": digest, "order": 2,
             "resources": "vm:101,vm:102", "affinity": "negative"}
        ])
    );
    // group commands are refused: the (absent) groups count as migrated
    c.fails(
        &["groupadd", "g1", "--nodes", "pve1"],
        "cannot create group: ha groups have been migrated to rules\n",
    );
    c.fails(
        &["groupconfig"],
        "cannot index groups: ha groups have been migrated to rules\n",
    );
    c.fails(
        &["groupset", "g1", "--nodes", "pve1"],
        "cannot update group: ha groups have been migrated to rules\n",
    );
    c.fails(
        &["groupremove", "g1"],
        "cannot delete group: ha groups have been migrated to rules\n",
    );
    c.fails(
        &["add", "vm:100", "--group", "g1"],
        "invalid parameter 'group': ha groups have been migrated to rules\n",
    );
    assert!(!c.exists("etc/pve/ha/groups.cfg"));
}

#[test]
fn rules_config_matches_the_spec_example() {
    let c = Cluster::new(&["node1", "node2", "node3"]);
    c.vm("node1", 100);
    c.vm("node2", 101);
    c.vm("node3", 102);
    for vm in ["vm:100", "vm:101", "vm:102"] {
        c.ok(&["add", vm]);
    }
    c.ok(&[
        "rules",
        "add",
        "node-affinity",
        "prefer-node1",
        "--resources",
        "vm:100",
        "--nodes",
        "node1",
        "--comment",
        "maintenance",
        "--disable",
    ]);
    c.ok(&[
        "rules",
        "add",
        "resource-affinity",
        "keep-apart",
        "--resources",
        "vm:101,vm:102",
        "--affinity",
        "negative",
        "--disable",
        "0",
    ]);
    assert_eq!(
        c.read("etc/pve/ha/rules.cfg"),
        "node-affinity: prefer-node1\n\tcomment maintenance\n\tdisable\n\tnodes node1\n\tresources vm:100\n\nresource-affinity: keep-apart\n\taffinity negative\n\tresources vm:101,vm:102\n\n"
    );
    assert_eq!(
        c.stdout(&["rules", "config"]),
        "\
+---------+--------+--------------+-------------------+---------------+-------------+
| enabled | state  | rule         | type              | resources     | comment     |
+=========+========+==============+===================+===============+=============+
| 0       | in use | prefer-node1 | node-affinity     | vm:100        | maintenance |
+---------+--------+--------------+-------------------+---------------+-------------+
| 1       | in use | keep-apart   | resource-affinity | vm:101,vm:102 |             |
+---------+--------+--------------+-------------------+---------------+-------------+
"
    );
    assert_eq!(
        c.stdout(&["rules", "config", "--noborder"]),
        "enabled state  rule         type              resources     comment\n0       in use prefer-node1 node-affinity     vm:100        maintenance\n1       in use keep-apart   resource-affinity vm:101,vm:102 \n"
    );
}

#[test]
fn rule_checks_with_real_messages() {
    let c = three_vms(9);
    c.vm("pve1", 103);
    for vm in ["vm:100", "vm:101", "vm:102"] {
        c.ok(&["add", vm]);
    }
    c.ok(&[
        "rules",
        "add",
        "node-affinity",
        "first",
        "--resources",
        "vm:100",
        "--nodes",
        "pve1",
    ]);
    let before = c.read("etc/pve/ha/rules.cfg");
    c.fails(
        &[
            "rules",
            "add",
            "node-affinity",
            "first",
            "--resources",
            "vm:101",
            "--nodes",
            "pve1",
        ],
        "create ha rule failed: HA rule 'first' already defined\n",
    );
    c.fails(
        &[
            "rules",
            "add",
            "resource-affinity",
            "r2",
            "--resources",
            "vm:100,vm:103,vm:104",
            "--affinity",
            "positive",
        ],
        "create ha rule failed: cannot use unmanaged resource(s) vm:103, vm:104.\n",
    );
    c.fails(
        &[
            "rules",
            "add",
            "node-affinity",
            "r3",
            "--resources",
            "vm:101",
            "--nodes",
            "pve1,pve8,pve9",
        ],
        "create ha rule failed: cannot use non-existent node(s) pve8, pve9.\n",
    );
    c.fails(
        &[
            "rules",
            "add",
            "node-affinity",
            "r4",
            "--resources",
            "vm:101",
        ],
        "create ha rule failed: no nodes were specified\n",
    );
    c.fails(
        &["rules", "add", "resource-affinity", "r5", "--resources", "vm:101,vm:102"],
        "400 Parameter verification failed.\naffinity: property is missing and it is not optional\n\nha-manager rules add <type> <rule> [OPTIONS]\n",
    );
    c.fails(
        &["rules", "add", "resource-affinity", "r6", "--resources", "vm:101,vm:102", "--affinity", "negative", "--strict", "1"],
        "400 Parameter verification failed.\nstrict: property is not defined in schema and the schema does not allow additional properties\n\nha-manager rules add <type> <rule> [OPTIONS]\n",
    );
    c.fails(
        &["rules", "set", "node-affinity", "nope", "--nodes", "pve2"],
        "update HA rules failed: HA rule 'nope' does not exist\n",
    );
    let err = c.fails_any(&[
        "rules",
        "add",
        "node-affinity",
        "second",
        "--resources",
        "vm:100",
        "--nodes",
        "pve2",
    ]);
    assert!(
        err.starts_with("create ha rule failed: 400 Rule 'second' is invalid.\n"),
        "{err}"
    );
    assert!(
        err.contains("resource 'vm:100' is already used in another node affinity rule"),
        "{err}"
    );
    assert_eq!(c.read("etc/pve/ha/rules.cfg"), before);
    // set changes a rule in place; remove of an unknown id is accepted
    c.ok(&[
        "rules",
        "set",
        "node-affinity",
        "first",
        "--nodes",
        "pve1:2,pve3",
        "--strict",
        "1",
    ]);
    assert_eq!(
        c.read("etc/pve/ha/rules.cfg"),
        "node-affinity: first\n\tnodes pve1:2,pve3\n\tresources vm:100\n\tstrict 1\n\n"
    );
    c.ok(&["rules", "remove", "nope"]);
    c.ok(&["rules", "remove", "first"]);
    assert_eq!(c.read("etc/pve/ha/rules.cfg"), "");
}

#[test]
fn migrate_reports_affinity_partners_and_remove_purges_rules() {
    let c = three_vms(9);
    c.vm("pve1", 103);
    for vm in ["vm:100", "vm:101", "vm:102", "vm:103"] {
        c.ok(&["add", vm]);
    }
    c.ok(&[
        "rules",
        "add",
        "resource-affinity",
        "together",
        "--resources",
        "vm:100,vm:103",
        "--affinity",
        "positive",
    ]);
    c.ok(&[
        "rules",
        "add",
        "resource-affinity",
        "apart",
        "--resources",
        "vm:101,vm:102",
        "--affinity",
        "negative",
    ]);
    c.write(
        "etc/pve/ha/manager_status",
        r#"{"master_node":"pve1","node_status":{"pve1":"online","pve2":"online","pve3":"online"},
            "service_status":{
              "vm:100":{"node":"pve1","state":"started","running":1,"uid":"a"},
              "vm:101":{"node":"pve1","state":"started","running":1,"uid":"b"},
              "vm:102":{"node":"pve2","state":"started","running":1,"uid":"c"},
              "vm:103":{"node":"pve1","state":"started","running":1,"uid":"d"}},
            "timestamp":1735689600}"#,
    );
    assert_eq!(
        c.stdout(&["migrate", "vm:100", "pve3"]),
        "also migrate resource 'vm:103' in positive affinity with resource 'vm:100' to target node 'pve3'\n"
    );
    let out = c.run(&["crm-command", "relocate", "vm:101", "pve2"]);
    assert_eq!(out.code, 255);
    assert_eq!(
        out.stderr,
        "cannot relocate resource 'vm:101' to node 'pve2':\n\n- resource 'vm:102' on target node 'pve2' in negative affinity with resource 'vm:101'\n"
    );
    // the command was queued before the partners were looked at
    assert_eq!(
        c.read("etc/pve/ha/crm_commands"),
        "migrate vm:100 pve3\nrelocate vm:101 pve2\n"
    );
    // remove purges the resource from rules; rules left empty go
    c.ok(&["remove", "vm:103"]);
    c.ok(&["remove", "vm:102", "--purge", "0"]);
    assert_eq!(
        c.read("etc/pve/ha/rules.cfg"),
        "resource-affinity: together\n\taffinity positive\n\tresources vm:100\n\nresource-affinity: apart\n\taffinity negative\n\tresources vm:101,vm:102\n\n"
    );
    c.ok(&["remove", "vm:100"]);
    assert_eq!(
        c.read("etc/pve/ha/rules.cfg"),
        "resource-affinity: apart\n\taffinity negative\n\tresources vm:101,vm:102\n\n"
    );
}

#[test]
fn version_9_before_group_migration() {
    // groups left over from version 8: group commands work, rules wait
    let c = three_vms(8);
    c.ok(&["groupadd", "g1", "--nodes", "pve1:2,pve2"]);
    c.ok(&["add", "vm:100", "--group", "g1"]);
    c.set_version(9);
    c.ok(&["groupset", "g1", "--nodes", "pve1:3,pve2"]);
    assert_eq!(c.stdout(&["config"]), "vm:100\n\tgroup g1\n\n");
    c.fails(
        &[
            "rules",
            "add",
            "node-affinity",
            "r1",
            "--resources",
            "vm:100",
            "--nodes",
            "pve1",
        ],
        "cannot create ha rule: ha groups have not been migrated yet\n",
    );
    c.fails(
        &["rules", "set", "node-affinity", "r1", "--nodes", "pve1"],
        "cannot update ha rule: ha groups have not been migrated yet\n",
    );
    // once the groups are gone (migrated), group keys are hidden
    c.write("etc/pve/ha/groups.cfg", "");
    assert_eq!(c.stdout(&["config"]), "vm:100\n\n");
}

#[test]
fn upgrade_from_8_to_9_keeps_groups_until_they_are_migrated() {
    let c = three_vms(8);
    c.ok(&["groupadd", "g1", "--nodes", "pve1:2,pve2"]);
    c.ok(&["add", "vm:100", "--group", "g1"]);
    let pvesim = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("pvesim")
            .unwrap()
            .env("PVESIM_ROOT", c.dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = pvesim(&["upgrade", "--pve-version", "9"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "upgraded the cluster from Proxmox VE 8 to 9\n1 HA group(s) still configured: the HA manager migrates them to rules; until then 'ha-manager rules' refuses changes\n"
    );
    assert_eq!(c.read("sim/pve-version"), "9\n");
    // 9 now: rules exist but wait for the group migration
    assert_eq!(
        c.stdout(&["groupconfig"]),
        "group: g1\n\tnodes pve1:2,pve2\n\n"
    );
    c.fails(
        &[
            "rules",
            "add",
            "node-affinity",
            "r1",
            "--resources",
            "vm:100",
            "--nodes",
            "pve1",
        ],
        "cannot create ha rule: ha groups have not been migrated yet\n",
    );
    let out = pvesim(&["upgrade", "--pve-version", "8"]);
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cannot downgrade from Proxmox VE 9 to 8\n"
    );
    assert_eq!(c.read("sim/pve-version"), "9\n");
}

#[test]
fn group_writes_need_quorum() {
    let c = three_vms(8);
    for n in ["pve2", "pve3"] {
        assert_eq!(c.pvesim(&["power", n, "off"]).code, 0);
    }
    c.fails(
        &["groupadd", "g1", "--nodes", "pve1"],
        "cluster not ready - no quorum?\n",
    );
    assert!(!c.exists("etc/pve/ha/groups.cfg"));
}
