//! `ha-manager` end to end: resources.cfg written and read back exactly,
//! crm_commands queued, status text from fixture manager_status/lrm_status
//! files, and every check with its real message, exit code and no change.

mod common;

use common::*;
use std::fs;

#[test]
fn add_set_config_round_trip_in_canonical_form() {
    let c = Cluster::new(&["pve1", "pve2", "pve3"]);
    c.vm("pve1", 100);
    c.ct("pve2", 101);
    c.vm("pve3", 102);
    c.ok(&[
        "add",
        "vm:100",
        "--max_restart",
        "2",
        "--comment",
        "web server",
    ]);
    c.ok(&["add", "101", "-state", "stopped", "--max_relocate=0"]);
    c.ok(&["add", "vm:102", "--state", "disabled", "--failback", "0"]);
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tcomment web server\n\tmax_restart 2\n\nct: 101\n\tmax_relocate 0\n\tstate stopped\n\nvm: 102\n\tfailback 0\n\tstate disabled\n\n"
    );
    c.ok(&["set", "vm:100", "--state", "started", "--delete", "comment"]);
    c.ok(&["set", "102", "--max_restart", "3"]);
    assert_eq!(
        c.stdout(&["config"]),
        "ct:101\n\tmax_relocate 0\n\tstate stopped\n\nvm:100\n\tmax_restart 2\n\tstate started\n\nvm:102\n\tfailback 0\n\tmax_restart 3\n\tstate disabled\n\n"
    );
    assert_eq!(
        c.stdout(&["config", "--type", "ct"]),
        "ct:101\n\tmax_relocate 0\n\tstate stopped\n\n"
    );
    // sections stay in file order, keys canonical
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tmax_restart 2\n\tstate started\n\nct: 101\n\tmax_relocate 0\n\tstate stopped\n\nvm: 102\n\tfailback 0\n\tmax_restart 3\n\tstate disabled\n\n"
    );
    c.ok(&["remove", "ct:101"]);
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tmax_restart 2\n\tstate started\n\nvm: 102\n\tfailback 0\n\tmax_restart 3\n\tstate disabled\n\n"
    );
}

#[test]
fn add_checks_with_real_messages_and_nothing_changed() {
    let c = Cluster::new(&["pve1", "pve2"]);
    c.vm("pve1", 100);
    c.ct("pve2", 101);
    c.ok(&["add", "vm:100"]);
    let before = c.read("etc/pve/ha/resources.cfg");
    for (args, msg) in [
        (
            vec!["add", "vm:100"],
            "create resource failed: resource ID 'vm:100' already defined\n",
        ),
        (
            vec!["add", "vm:200"],
            "resource 'vm:200' does not exist in cluster\n",
        ),
        (
            vec!["add", "ct:200"],
            "resource 'ct:200' does not exist in cluster\n",
        ),
        (
            vec!["add", "vm:101"],
            "resource 'vm:101' - guest with ID 101 is not a VM\n",
        ),
        (
            vec!["add", "ct:100"],
            "resource 'ct:100' - guest with ID 100 is not a container\n",
        ),
        (
            vec!["add", "300"],
            "unable to detect SID from VMID - VM/CT 300 does not exist\n",
        ),
        (vec!["add", "vm:1"], "invalid VMID\n"),
        (
            vec!["add", "vm:100", "--comment", "two\nlines"],
            "create resource failed: property 'comment' contains a line feed\n",
        ),
        (vec!["add", "vm:101", "--type", "ct"], "types does not match\n"),
        (vec!["add", "foo:100"], "unknown resource type 'foo'\n"),
        (
            vec!["add", "VM100"],
            "400 Parameter verification failed.\nsid: invalid format - value does not look like a valid ha resource id\n\nha-manager add <sid> [OPTIONS]\n",
        ),
        (
            vec!["add", "vm:100", "--state", "foo", "--max_restart", "-1"],
            "400 Parameter verification failed.\nmax_restart: value must have a minimum value of 0\n\nstate: value 'foo' does not have a value in the enumeration 'started, stopped, enabled, disabled, ignored'\n\nha-manager add <sid> [OPTIONS]\n",
        ),
        (
            vec!["add", "vm:100", "--max_relocate", "abc"],
            "400 Parameter verification failed.\nmax_relocate: type check ('integer') failed - got 'abc'\n\nha-manager add <sid> [OPTIONS]\n",
        ),
        (vec!["add"], "400 not enough arguments\nha-manager add <sid> [OPTIONS]\n"),
        (
            vec!["add", "vm:100", "vm:101"],
            "400 too many arguments\nha-manager add <sid> [OPTIONS]\n",
        ),
        (
            vec!["add", "vm:100", "--bogus", "1"],
            "Unknown option: bogus\n400 unable to parse option\n",
        ),
        (
            vec!["add", "vm:100", "--failback", "maybe"],
            "400 unable to parse boolean option\n",
        ),
        (
            vec!["add", "vm:100", "--group", "nope"],
            "invalid parameter 'group': ha groups have been migrated to rules\n",
        ),
    ] {
        c.fails(&args, msg);
    }
    assert_eq!(c.read("etc/pve/ha/resources.cfg"), before);
}

#[test]
fn set_and_remove_checks() {
    let c = Cluster::new(&["pve1"]);
    c.vm("pve1", 100);
    c.vm("pve1", 101);
    c.ok(&["add", "vm:100"]);
    let before = c.read("etc/pve/ha/resources.cfg");
    c.fails(
        &["set", "vm:101", "--state", "stopped"],
        "update resources config failed: no such resource 'vm:101'\n",
    );
    c.fails(
        &["set", "vm:100", "--delete", "color"],
        "update resources config failed: no such option 'color'\n",
    );
    c.fails(
        &["set", "vm:100", "--digest", "0123", "--state", "stopped"],
        "update resources config failed: detected modified configuration - file changed by other user? Try again.\n",
    );
    c.fails(
        &["remove", "vm:101"],
        "cannot delete service 'vm:101', not HA managed!\n",
    );
    assert_eq!(c.read("etc/pve/ha/resources.cfg"), before);
    // the right digest is accepted
    let digest = sha1(&before);
    c.ok(&["set", "vm:100", "--digest", &digest, "--state", "stopped"]);
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tstate stopped\n\n"
    );
    // a service in error state: only --state disabled is accepted
    c.write(
        "etc/pve/ha/manager_status",
        r#"{"service_status":{"vm:100":{"node":"pve1","state":"error","uid":"x"}}}"#,
    );
    c.fails(
        &["set", "vm:100", "--state", "started"],
        "service 'vm:100' in error state, must be disabled and fixed first\n",
    );
    c.fails(
        &["migrate", "vm:100", "pve1"],
        "service 'vm:100' in error state, must be disabled and fixed first\n",
    );
    c.ok(&["set", "vm:100", "--state", "disabled"]);
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tstate disabled\n\n"
    );
    assert!(!c.exists("etc/pve/ha/crm_commands"));
}

#[test]
fn crm_commands_are_appended_one_line_each() {
    let c = Cluster::new(&["pve1", "pve2"]);
    c.vm("pve1", 100);
    c.ct("pve1", 101);
    c.vm("pve1", 102);
    c.ok(&["add", "vm:100"]);
    c.ok(&["add", "ct:101"]);
    c.ok(&["add", "vm:102", "--state", "ignored"]);
    c.ok(&["migrate", "vm:100", "pve2"]);
    c.ok(&["relocate", "101", "pve2"]);
    c.ok(&["crm-command", "stop", "vm:100", "0"]);
    c.ok(&["crm", "st", "ct:101", "60"]);
    c.ok(&["crm-command", "node-maintenance", "enable", "pve2"]);
    c.ok(&["crm-command", "node-maintenance", "disable", "pve2"]);
    c.ok(&["crm-command", "disarm-ha", "freeze"]);
    c.ok(&["crm-command", "arm-ha"]);
    let queued = "migrate vm:100 pve2\nrelocate ct:101 pve2\nstop vm:100 0\nstop ct:101 60\nenable-node-maintenance pve2\ndisable-node-maintenance pve2\ndisarm-ha freeze\narm-ha\n";
    assert_eq!(c.read("etc/pve/ha/crm_commands"), queued);
    c.fails(
        &["migrate", "vm:102", "pve2"],
        "resource 'vm:102' is not HA managed\n",
    );
    c.fails(
        &["crm-command", "stop", "vm:102", "0"],
        "resource 'vm:102' is not HA managed\n",
    );
    c.fails(
        &["migrate", "vm:103", "pve2"],
        "resource 'vm:103' is not HA managed\n",
    );
    c.fails(
        &["crm-command", "node-maintenance", "enable", "pve9"],
        "no such cluster node 'pve9'\n",
    );
    c.fails(
        &["migrate", "vm:100", "pve9"],
        "no such cluster node 'pve9'\n",
    );
    c.fails(
        &["crm-command", "stop", "vm:100", "-5"],
        "Unknown option: 5\n400 unable to parse option\n",
    );
    c.fails(
        &["crm-command", "stop", "vm:100", "x"],
        "400 Parameter verification failed.\ntimeout: type check ('integer') failed - got 'x'\n\nha-manager crm-command stop <sid> <timeout>\n",
    );
    c.fails(
        &["crm-command", "disarm-ha", "now"],
        "400 Parameter verification failed.\nresource-mode: value 'now' does not have a value in the enumeration 'freeze, ignore'\n\nha-manager crm-command disarm-ha <resource-mode>\n",
    );
    assert_eq!(c.read("etc/pve/ha/crm_commands"), queued);
    // disarmed in ignore mode: nothing counts as managed
    c.write(
        "etc/pve/ha/manager_status",
        r#"{"disarm":{"mode":"ignore","state":"disarmed"}}"#,
    );
    c.fails(
        &["migrate", "vm:100", "pve2"],
        "resource 'vm:100' is not HA managed\n",
    );
}

#[test]
fn unknown_and_incomplete_commands() {
    let c = Cluster::new(&["pve1"]);
    let err = c.fails_any(&["frobnicate"]);
    assert!(
        err.starts_with(
            "ERROR: unknown command 'ha-manager frobnicate'\nUSAGE: ha-manager <COMMAND> [ARGS] [OPTIONS]\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("       ha-manager add <sid> [OPTIONS]\n"),
        "{err}"
    );
    let err = c.fails_any(&["crm-command"]);
    assert!(
        err.starts_with("ERROR: incomplete command 'ha-manager crm-command'\n"),
        "{err}"
    );
    assert!(!err.contains("ha-manager add"), "{err}");
    let err = c.fails_any(&[]);
    assert!(err.starts_with("ERROR: no command specified\n"), "{err}");
    // abbreviations
    c.vm("pve1", 100);
    c.ok(&["ad", "vm:100"]);
    assert_eq!(c.stdout(&["conf"]), "vm:100\n\n");
    assert_eq!(
        c.stdout(&["help", "add"]),
        "USAGE: ha-manager add <sid> [OPTIONS]\n"
    );
}

fn status_fixture(name: &str) -> (Cluster, String) {
    let dir = format!("{}/tests/fixtures/ha/{name}", env!("CARGO_MANIFEST_DIR"));
    let fx = |f: &str| fs::read_to_string(format!("{dir}/{f}")).unwrap();
    let ms: serde_json::Value = serde_json::from_str(&fx("manager_status")).unwrap();
    let nodes: Vec<String> = ms["node_status"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let node_refs: Vec<&str> = nodes.iter().map(String::as_str).collect();
    let c = Cluster::new(&node_refs);
    for line in fx("guests").lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        c.write(
            &format!("etc/pve/nodes/{}/{}/{}.conf", w[0], w[1], w[2]),
            "",
        );
    }
    c.write("etc/pve/ha/manager_status", &fx("manager_status"));
    c.write("etc/pve/ha/resources.cfg", &fx("resources.cfg"));
    for n in &nodes {
        if let Ok(t) = fs::read_to_string(format!("{dir}/lrm_status_{n}")) {
            c.write(&format!("etc/pve/nodes/{n}/lrm_status"), &t);
        }
    }
    c.set_clock(fx("clock").trim().parse().unwrap());
    (c, fx("expected"))
}

#[test]
fn status_healthy_cluster() {
    let (c, expected) = status_fixture("status-healthy");
    assert_eq!(c.stdout(&["status"]), expected);
}

#[test]
fn status_node_in_fence() {
    let (c, expected) = status_fixture("status-fence");
    assert_eq!(c.stdout(&["status"]), expected);
}

#[test]
fn status_service_in_error() {
    let (c, expected) = status_fixture("status-error");
    let out = c.run(&["status"]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, expected);
    assert_eq!(
        out.stderr,
        "unable to read file '/etc/pve/nodes/node2/lrm_status'\n"
    );
    // the error-state service refuses requests other than disabling
    c.fails(
        &["crm-command", "stop", "vm:100", "0"],
        "service 'vm:100' in error state, must be disabled and fixed first\n",
    );
}

#[test]
fn status_verbose_appends_the_full_cluster_state() {
    let (c, expected) = status_fixture("status-error");
    let out = c.run(&["status", "--verbose"]).stdout;
    let (head, json) = out.split_once("full cluster state:\n").unwrap();
    assert_eq!(head, expected);
    assert!(json.starts_with("{\n   \"lrm_status\" : {\n"), "{json}");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let ms: serde_json::Value = serde_json::from_str(&c.read("etc/pve/ha/manager_status")).unwrap();
    assert_eq!(v["manager_status"], ms);
    assert_eq!(
        v["lrm_status"]["node2"],
        serde_json::json!({"mode": "unknown"})
    );
    assert_eq!(v["lrm_status"]["node1"]["state"], "wait_for_agent_lock");
    assert_eq!(
        v["quorum"],
        serde_json::json!({"node": "node1", "quorate": "1"})
    );
}

#[test]
fn status_times_follow_tz() {
    let (c, _) = status_fixture("status-healthy");
    let out = c.run_env(&["status"], &[("TZ", "EST5")]);
    assert!(
        out.stdout
            .contains("master node1 (active, Tue Nov 14 17:13:20 2023)\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn status_on_an_empty_cluster() {
    let c = Cluster::new(&["pve1"]);
    assert_eq!(
        c.stdout(&["status"]),
        "quorum OK\nfencing standby (CRM watchdog standby)\n"
    );
}

#[test]
fn tick_warns_about_datacenter_cfg_once_per_run() {
    // every round reads datacenter.cfg again; each dropped line is shown
    // once per run, and a file that cannot be read is named, not swallowed
    let c = Cluster::new(&["pve1", "pve2", "pve3"]);
    c.vm("pve1", 100);
    c.ok(&["add", "vm:100"]);
    c.write("etc/pve/datacenter.cfg", "bogus: 1\n");
    let o = c.pvesim(&["tick", "5"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let about_dc = |err: &str| -> Vec<String> {
        err.lines()
            .filter(|l| l.contains("datacenter.cfg"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        about_dc(&o.stderr),
        ["parse error in '/etc/pve/datacenter.cfg' - 'bogus': property is not defined in schema and the schema does not allow additional properties"],
        "{}",
        o.stderr
    );
    fs::remove_file(c.path("etc/pve/datacenter.cfg")).unwrap();
    fs::create_dir(c.path("etc/pve/datacenter.cfg")).unwrap();
    let o = c.pvesim(&["tick", "5"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(about_dc(&o.stderr).len(), 1, "{}", o.stderr);
}

#[test]
fn writes_need_quorum_and_a_powered_on_machine() {
    let c = Cluster::new(&["pve1", "pve2", "pve3"]);
    c.vm("pve1", 100);
    c.vm("pve1", 101);
    c.ok(&["add", "vm:100"]);
    for n in ["pve2", "pve3"] {
        let o = c.pvesim(&["power", n, "off"]);
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
    let before = c.read("etc/pve/ha/resources.cfg");
    c.fails(&["add", "vm:101"], "cluster not ready - no quorum?\n");
    c.fails(
        &["set", "vm:100", "--state", "stopped"],
        "update resources config failed: cfs-lock 'domain-ha' error: no quorum!\n",
    );
    c.fails(
        &["remove", "vm:100"],
        "delete resource failed: cfs-lock 'domain-ha' error: no quorum!\n",
    );
    c.fails(
        &["migrate", "vm:100", "pve2"],
        "cfs-lock 'domain-ha' error: no quorum!\n",
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
        "cluster not ready - no quorum?\n",
    );
    assert_eq!(c.read("etc/pve/ha/resources.cfg"), before);
    assert!(!c.exists("etc/pve/ha/crm_commands"));
    assert!(!c.exists("etc/pve/ha/rules.cfg"));
    // reads still work
    assert_eq!(c.stdout(&["config"]), "vm:100\n\n");
    assert!(c
        .stdout(&["status"])
        .starts_with("quorum No quorum on node 'pve1'!\n"));
    // a machine that is off refuses every command
    let o = c.run_as("pve2", &["status"], &[]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "machine 'pve2' is powered off\n")
    );
}

#[test]
fn parallel_writers_lose_nothing() {
    let c = Cluster::new(&["pve1", "pve2"]);
    for id in 100..110 {
        c.vm("pve1", id);
    }
    let root = c.dir.path().to_path_buf();
    let spawn = |args: Vec<String>| {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ha-manager"));
        cmd.env("PVESIM_ROOT", &root)
            .env("PVESIM_NODE", "pve1")
            .args(&args)
            .stdout(std::process::Stdio::null());
        cmd.spawn().unwrap()
    };
    let children: Vec<_> = (100..110)
        .map(|id| spawn(vec!["add".into(), format!("vm:{id}")]))
        .collect();
    for mut ch in children {
        assert!(ch.wait().unwrap().success());
    }
    let cfg = c.read("etc/pve/ha/resources.cfg");
    for id in 100..110 {
        assert!(
            cfg.contains(&format!("vm: {id}\n\n")),
            "vm:{id} lost:\n{cfg}"
        );
    }
    assert_eq!(cfg.matches("\n\n").count(), 10);
    let children: Vec<_> = (100..110)
        .map(|id| spawn(vec!["migrate".into(), format!("vm:{id}"), "pve2".into()]))
        .collect();
    for mut ch in children {
        assert!(ch.wait().unwrap().success());
    }
    let mut lines: Vec<String> = c
        .read("etc/pve/ha/crm_commands")
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    let expected: Vec<String> = (100..110)
        .map(|id| format!("migrate vm:{id} pve2"))
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn hand_edited_resources_cfg_is_read_with_warnings_and_rewritten_canonically() {
    let c = Cluster::new(&["pve1"]);
    c.vm("pve1", 100);
    c.vm("pve1", 101);
    c.write(
        "etc/pve/ha/resources.cfg",
        "# managed by hand\nvm: 100\n    state   stopped\n\tcomment  old box \n\tcolour blue\n\nqm: 7\n\tstate started\n\nvm: 101\n\tmax_restart lots\n",
    );
    let out = c.run(&["config"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "vm:100\n\tcomment old box\n\tstate stopped\n\nvm:101\n\n"
    );
    assert_eq!(
        out.stderr,
        "file /etc/pve/ha/resources.cfg line 5 (section '100') - unable to parse value of 'colour': unexpected property\n\
         file /etc/pve/ha/resources.cfg line 7 (skip section '7'): no such resource type 'qm'\n\
         file /etc/pve/ha/resources.cfg line 11 (section '101') - unable to parse value of 'max_restart': type check ('integer') failed - got 'lots'\n"
    );
    c.ok(&["set", "vm:101", "--max_restart", "4"]);
    assert_eq!(
        c.read("etc/pve/ha/resources.cfg"),
        "vm: 100\n\tcomment old box\n\tstate stopped\n\nvm: 101\n\tmax_restart 4\n\n"
    );
}

/// The per-node views follow every command, ha-manager's too (project
/// decision 4): `.version` counts the write of ha/resources.cfg at once.
#[test]
fn views_are_refreshed_after_ha_manager_commands() {
    let c = Cluster::new(&["pve1", "pve2"]);
    c.vm("pve1", 100);
    let counter = |c: &Cluster| -> Option<u64> {
        let v = c.read("etc/pve/.version");
        let line = v.lines().find(|l| l.starts_with("\"ha/resources.cfg\""))?;
        line.split(':')
            .nth(1)?
            .trim()
            .trim_end_matches(',')
            .parse()
            .ok()
    };
    let before = counter(&c);
    c.ok(&["add", "vm:100"]);
    let after_add = counter(&c).expect("ha/resources.cfg counted in .version");
    assert!(
        before.is_none_or(|b| after_add > b),
        "{before:?} -> {after_add}"
    );
    c.ok(&["set", "vm:100", "--max_restart", "3"]);
    let after_set = counter(&c).expect("still counted");
    assert!(after_set > after_add, "{after_add} -> {after_set}");
}

#[test]
fn datacenter_cfg_lines_it_drops_are_warned_about() {
    let (c, expected) = status_fixture("status-healthy");
    c.write(
        "etc/pve/datacenter.cfg",
        "\ncrs: ha=static\nbogus: 1\nno colon here\nha: shutdown_policy=never\n",
    );
    let out = c.run(&["status"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "parse error in '/etc/pve/datacenter.cfg' - 'bogus': property is not defined in schema and the schema does not allow additional properties\n\
         ignore config line: no colon here\n\
         parse error in '/etc/pve/datacenter.cfg' - 'ha': invalid format - shutdown_policy: value 'never' does not have a value in the enumeration 'freeze, failover, conditional, migrate'\n"
    );
    // the valid line still counts: the master line names the static CRS
    let master = expected.lines().find(|l| l.starts_with("master ")).unwrap();
    assert!(
        out.stdout.contains(&format!("{master} - static load CRS")),
        "{}",
        out.stdout
    );
}
