//! `pvesim tick` over a state root: the HA stack starts services, fences a
//! dead node and recovers its services, a node without quorum fences itself,
//! and a recovery onto a node without the guest's local disk ends in the HA
//! error state.

use assert_cmd::Command;
use std::path::Path;

fn run(root: &Path, node: &str, tool: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin(tool)
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .env("TZ", "UTC")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(root: &Path, node: &str, tool: &str, args: &[&str]) -> String {
    let (code, out, err) = run(root, node, tool, args);
    assert_eq!(code, 0, "{tool} {args:?} failed: {err}");
    out
}

const SHARED: &str = "nfs: shared\n\texport /export/pve\n\tpath /mnt/pve/shared\n\tserver 192.168.1.5\n\tcontent images\n\n";

fn three_nodes_with_shared_storage() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    ok(
        root,
        "pve1",
        "pvesim",
        &["init", "--nodes", "3", "--cluster", "lab"],
    );
    let cfg = root.join("etc/pve/storage.cfg");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(SHARED);
    std::fs::write(&cfg, text).unwrap();
    dir
}

/// Create VM `vmid` on `node` with a disk on `storage` and put it under HA.
fn ha_vm(root: &Path, node: &str, vmid: &str, storage: &str) {
    ok(
        root,
        node,
        "qm",
        &["create", vmid, "--scsi0", &format!("{storage}:4")],
    );
    ok(root, node, "ha-manager", &["add", &format!("vm:{vmid}")]);
}

/// Three nodes with shared storage and HA guest vm:100 (its disk on
/// `storage`) created on `node`, ticked until stable.
fn settled_ha_vm(node: &str, storage: &str) -> tempfile::TempDir {
    let dir = three_nodes_with_shared_storage();
    ha_vm(dir.path(), node, "100", storage);
    ok(dir.path(), "pve1", "pvesim", &["tick", "--until-stable"]);
    dir
}

fn conf_node(root: &Path, vmid: u32) -> Vec<String> {
    let mut out = Vec::new();
    for n in ["pve1", "pve2", "pve3"] {
        if root
            .join(format!("etc/pve/nodes/{n}/qemu-server/{vmid}.conf"))
            .exists()
        {
            out.push(n.to_string());
        }
    }
    out
}

#[test]
fn services_start_then_fail_over_after_power_loss() {
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    for vmid in ["100", "101"] {
        ha_vm(root, "pve1", vmid, "shared");
    }
    let out = ok(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    assert!(
        out.contains("pve1/crm: status change wait_for_quorum => master"),
        "{out}"
    );
    assert!(out.contains("pve1/lrm: starting service vm:100"), "{out}");
    let status = ok(root, "pve2", "ha-manager", &["status"]);
    assert!(
        status.contains("service vm:100 (pve1, started)"),
        "{status}"
    );
    assert!(ok(root, "pve1", "qm", &["status", "100"]).contains("status: running"));
    let ms: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("etc/pve/ha/manager_status")).unwrap(),
    )
    .unwrap();
    assert_eq!(ms["master_node"], "pve1");
    assert_eq!(ms["service_status"]["vm:100"]["state"], "started");
    assert!(root.join("etc/pve/nodes/pve1/lrm_status").exists());

    ok(root, "pve1", "pvesim", &["power", "pve1", "off"]);
    let out = ok(root, "pve2", "pvesim", &["tick", "--until-stable"]);
    // Fencing comes before any recovery, and the services end up elsewhere.
    let fence = out.find("FENCE: Try to fence node 'pve1'").expect(&out);
    let ack = out
        .find("fencing: acknowledged - got agent lock for node 'pve1'")
        .expect(&out);
    let recover = out
        .find("recover service 'vm:100' from fenced node 'pve1'")
        .expect(&out);
    assert!(fence < ack && ack < recover, "{out}");
    for vmid in [100, 101] {
        let nodes = conf_node(root, vmid);
        assert_eq!(nodes.len(), 1, "config of {vmid} in {nodes:?}");
        assert_ne!(nodes[0], "pve1");
        let st = ok(root, &nodes[0], "qm", &["status", &vmid.to_string()]);
        assert!(st.contains("running"), "{vmid} on {}: {st}", nodes[0]);
    }
    // The event log holds the bench action and the daemons' lines.
    let log = ok(root, "pve2", "pvesim", &["log"]);
    assert!(log.contains("pvesim: execute power pve1 off"), "{log}");
    assert!(log.contains("pve1/crm: killed by poweroff"), "{log}");
}

#[test]
fn a_node_that_loses_quorum_fences_itself_by_its_watchdog() {
    let dir = settled_ha_vm("pve3", "shared");
    let root = dir.path();
    ok(root, "pve1", "pvesim", &["network", "pve3", "off"]);
    let out = ok(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    assert!(
        out.contains("hardware: server 'pve3' stopped by poweroff (watchdog)"),
        "{out}"
    );
    let off = out.find("stopped by poweroff (watchdog)").unwrap();
    let recover = out
        .find("recover service 'vm:100' from fenced node 'pve3'")
        .expect(&out);
    assert!(
        off < recover,
        "recovered before the node was fenced:\n{out}"
    );
    let status = ok(root, "pve1", "pvesim", &["status"]);
    assert!(status.contains("pve3"), "{status}");
    assert_ne!(conf_node(root, 100), vec!["pve3".to_string()]);
}

#[test]
fn recovery_onto_a_node_without_the_local_disk_ends_in_error() {
    let dir = settled_ha_vm("pve1", "local-zfs");
    let root = dir.path();
    ok(root, "pve1", "pvesim", &["power", "pve1", "off"]);
    let out = ok(root, "pve2", "pvesim", &["tick", "--until-stable"]);
    assert!(
        out.contains("no zvol device link for 'vm-100-disk-0' found"),
        "{out}"
    );
    let status = ok(root, "pve2", "ha-manager", &["status"]);
    assert!(status.contains("service vm:100 ("), "{status}");
    assert!(status.contains(", error)"), "{status}");
}

#[test]
fn tick_counts_rounds_and_durations_and_rejects_bad_ones() {
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    let clock = || {
        std::fs::read_to_string(root.join("sim/clock"))
            .map(|s| s.trim().parse::<i64>().unwrap())
            .unwrap_or(1_735_689_600)
    };
    let t0 = clock();
    ok(root, "pve1", "pvesim", &["tick", "3"]);
    assert_eq!(clock() - t0, 60);
    ok(root, "pve1", "pvesim", &["tick", "--for", "15m"]);
    assert_eq!(clock() - t0, 60 + 900);
    let (code, _, err) = run(root, "pve1", "pvesim", &["tick", "--for", "15x"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid duration '15x'"), "{err}");
}

#[test]
fn a_clean_shutdown_stops_the_services_first_and_a_reboot_freezes_them() {
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    for vmid in ["100", "101"] {
        ha_vm(root, "pve2", vmid, "shared");
    }
    ok(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    assert!(ok(root, "pve2", "qm", &["status", "100"]).contains("status: running"));

    // Policy `conditional` (the default), a shutdown: the LRM stops every
    // service of its node before it exits (ha-lrm 2.7 step 4, 2.9 step 6).
    ok(root, "pve1", "pvesim", &["shutdown", "pve2"]);
    let out = ok(root, "pve1", "pvesim", &["tick", "1"]);
    let req = out
        .find("pve2/lrm: shutdown LRM, stop all services")
        .expect(&out);
    let stop = out.find("pve2/lrm: stopping service vm:100").expect(&out);
    let stopped = out
        .find("pve2/lrm: service status vm:101 stopped")
        .expect(&out);
    let exit = out.find("pve2/lrm: exit (loop end)").expect(&out);
    assert!(req < stop && stop < stopped && stopped < exit, "{out}");
    for vmid in ["100", "101"] {
        let st = ok(root, "pve2", "qm", &["status", vmid]);
        assert!(st.contains("status: stopped"), "{vmid}: {st}");
    }
    // The node is then fenced and the services recovered elsewhere.
    ok(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    for vmid in [100, 101] {
        let nodes = conf_node(root, vmid);
        assert_eq!(nodes.len(), 1, "config of {vmid} in {nodes:?}");
        assert_ne!(nodes[0], "pve2");
        let st = ok(root, &nodes[0], "qm", &["status", &vmid.to_string()]);
        assert!(st.contains("running"), "{vmid} on {}: {st}", nodes[0]);
    }

    // A reboot under `conditional`: stop and freeze, then start again on
    // the same node once it is back.
    let node = conf_node(root, 100).remove(0);
    ok(root, "pve1", "pvesim", &["reboot", &node]);
    let out = ok(root, "pve1", "pvesim", &["tick", "1"]);
    assert!(
        out.contains(&format!(
            "{node}/lrm: reboot LRM, stop and freeze all services"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("{node}/lrm: stopping service vm:100")),
        "{out}"
    );
    ok(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    assert_eq!(conf_node(root, 100), vec![node.clone()]);
    let st = ok(root, &node, "qm", &["status", "100"]);
    assert!(st.contains("status: running"), "{st}");
    let status = ok(root, "pve1", "ha-manager", &["status"]);
    assert!(
        status.contains(&format!("service vm:100 ({node}, started)")),
        "{status}"
    );
}

#[test]
fn until_stable_waits_for_the_fence_of_a_cut_off_node() {
    let dir = settled_ha_vm("pve3", "shared");
    let root = dir.path();
    ok(root, "pve1", "pvesim", &["network", "pve3", "off"]);
    // Right after the cut the manager's file still shows everything in
    // place, but pve3's armed watchdog and the fence are pending.
    let (code, _, err) = run(root, "pve1", "pvesim", &["tick", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("stable"), "{err}");
    let (code, out, err) = run(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.trim_end().ends_with(", stable"), "{err}");
    assert!(
        out.contains("recover service 'vm:100' from fenced node 'pve3'"),
        "{out}"
    );
    let nodes = conf_node(root, 100);
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    assert_ne!(nodes[0], "pve3");
    let status = ok(root, "pve1", "ha-manager", &["status"]);
    assert!(
        status.contains(&format!("service vm:100 ({}, started)", nodes[0])),
        "{status}"
    );
}

#[test]
fn a_node_cut_off_by_a_split_logs_its_lost_locks_once() {
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    for (node, vmid) in [("pve1", "101"), ("pve2", "102"), ("pve3", "103")] {
        ha_vm(root, node, vmid, "shared");
    }
    ok(root, "pve1", "pvesim", &["tick", "--until-stable"]);
    let ms: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("etc/pve/ha/manager_status")).unwrap(),
    )
    .unwrap();
    assert_eq!(ms["master_node"], "pve1");
    ok(root, "pve1", "pvesim", &["split", "pve1", "pve2,pve3"]);
    let out = ok(root, "pve2", "pvesim", &["tick", "14"]);
    // the real daemons' wording, closing quote missing (ha-lrm 2.13)
    let crm = "err      40     pve1/crm: lost lock 'ha_manager_lock - cfs lock update failed - Permission denied\n";
    let lrm =
        "pve1/lrm: lost lock 'ha_agent_pve1_lock - cfs lock update failed - Permission denied\n";
    assert_eq!(out.matches(crm).count(), 1, "{out}");
    assert_eq!(out.matches(lrm).count(), 1, "{out}");
    let lost = out.find(crm).unwrap();
    let change = out
        .find("pve1/crm: status change master => lost_manager_lock")
        .expect(&out);
    assert!(lost < change, "{out}");
    ok(root, "pve1", "pvesim", &["heal"]);
    let log = ok(root, "pve1", "pvesim", &["log"]);
    assert!(
        log.contains("pvesim: execute split pve1 pve2,pve3\n"),
        "{log}"
    );
    assert!(log.contains("pvesim: execute heal\n"), "{log}");
}

#[test]
fn garbage_in_the_generated_files_is_replaced_not_fatal() {
    // .vmlist, .members, .version and .clusterlog are pmxcfs's own output:
    // whatever a user leaves there is regenerated, and a tick goes on.
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    ok(
        root,
        "pve1",
        "qm",
        &["create", "100", "--scsi0", "shared:4"],
    );
    let junk: Vec<u8> = (0..300u32).map(|i| (i * 151 % 256) as u8).collect();
    for f in [".vmlist", ".members", ".version", ".clusterlog"] {
        std::fs::write(root.join("etc/pve").join(f), &junk).unwrap();
    }
    ok(root, "pve1", "pvesim", &["tick", "1"]);
    for f in [".vmlist", ".members", ".version"] {
        let text = std::fs::read_to_string(root.join("etc/pve").join(f)).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    let vmlist = std::fs::read_to_string(root.join("etc/pve/.vmlist")).unwrap();
    assert!(vmlist.contains("\"100\""), "{vmlist}");
    assert!(ok(root, "pve2", "pvecm", &["status"]).contains("Quorate:          Yes"));
}

#[test]
fn a_state_file_that_cannot_be_read_is_named_and_nothing_moves() {
    // a read error passed up from deep inside a command names the file
    // (not just "Is a directory"), fails the command and leaves the clock
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    let clock = root.join("sim/clock");
    let before = std::fs::read_to_string(&clock).unwrap();
    std::fs::remove_file(&clock).unwrap();
    std::fs::create_dir(&clock).unwrap();
    let (code, _, err) = run(root, "pve1", "pvesim", &["tick", "1"]);
    assert_ne!(code, 0);
    assert_eq!(err, format!("{}: Is a directory\n", clock.display()));
    std::fs::remove_dir(&clock).unwrap();
    std::fs::write(&clock, &before).unwrap();

    let state = root.join("nodes/pve2/var/lib/pve-manager/pve-replication-state.json");
    std::fs::create_dir_all(&state).unwrap();
    let (code, _, err) = run(root, "pve2", "pvesr", &["status"]);
    assert_ne!(code, 0);
    assert!(
        err.contains(&format!("{}: Is a directory", state.display())),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&clock).unwrap(), before);
}

/// Send SIGINT (Ctrl-C) to a child and collect its exit code and output.
fn interrupt(child: std::process::Child) -> (Option<i32>, String, String) {
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn live_ticking_runs_rounds_until_interrupted_and_refuses_bad_intervals() {
    use assert_cmd::cargo::CommandCargoExt as _;
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    ha_vm(root, "pve1", "100", "shared");
    let clock = || -> i64 {
        std::fs::read_to_string(root.join("sim/clock"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    let start = clock();
    let child = std::process::Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("TZ", "UTC")
        .args(["tick", "--live", "--interval", "0.05"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // wait (at most 30 s) until the service has been started by the LRM
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while clock() < start + 5 * 20 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Ctrl-C ends it after the round in progress, with a summary
    let (code, out, err) = interrupt(child);
    assert_eq!(code, Some(0), "{err}");
    assert!(clock() >= start + 5 * 20, "the clock did not move: {err}");
    assert_eq!(
        err.lines().next(),
        Some("ticking one round every 0.05 s from 2025-01-01 00:00:00; Ctrl-C stops"),
        "{err}"
    );
    assert!(
        out.contains("pve1/lrm: service status vm:100 started"),
        "{out}"
    );
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("interrupted: ") && last.contains(" round(s): 2025-01-01 00:00:00 -> "),
        "{err}"
    );
    // whole rounds only: the clock stands on a round boundary
    assert_eq!((clock() - start) % 20, 0);
    // a counted tick stops after its round in progress, too, and exits as
    // a command ended by SIGINT
    let child = std::process::Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("TZ", "UTC")
        .args(["tick", "1000000"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let before = clock();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while clock() == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (code, _, err) = interrupt(child);
    assert_eq!(code, Some(130), "{err}");
    assert!(err.starts_with("interrupted: "), "{err}");
    assert_eq!((clock() - start) % 20, 0);
    assert!(!root.join("sim/steal-journal").exists());
    // an interval that is not a sane number of seconds is refused up front
    for bad in ["0", "-1", "inf", "NaN", "1e300", "x"] {
        let arg = format!("--interval={bad}");
        let (code, _, err) = run(root, "pve1", "pvesim", &["tick", "--live", &arg]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains(&format!("invalid value '{bad}' for '--interval <SECONDS>'")),
            "{err}"
        );
    }
}

#[test]
fn a_recovery_move_lost_with_a_killed_tick_is_undone_by_the_next() {
    // A round moves a recovered guest's config at once but writes the
    // manager status at its end; a tick killed in between leaves the
    // config on a node the manager never chose. The next tick puts it back
    // (and stops what the lost round started there), and says so.
    let dir = settled_ha_vm("pve1", "shared");
    let root = dir.path();
    let conf = |n: &str| root.join(format!("etc/pve/nodes/{n}/qemu-server/100.conf"));
    let pid = |n: &str| root.join(format!("nodes/{n}/run/qemu-server/100.pid"));
    let journal = root.join("sim/steal-journal");
    std::fs::rename(conf("pve1"), conf("pve2")).unwrap();
    std::fs::create_dir_all(pid("pve2").parent().unwrap()).unwrap();
    std::fs::write(pid("pve2"), "pid: 4242\nstarted: 0\nstatus: running\n").unwrap();
    let line = "vm:100 pve1 pve2\n";
    std::fs::write(&journal, line).unwrap();
    let out = ok(root, "pve1", "pvesim", &["tick", "3"]);
    assert!(
        out.contains(
            "pvesim: undo the move of vm:100 from 'pve1' to 'pve2' by an interrupted tick"
        ),
        "{out}"
    );
    assert!(conf("pve1").exists() && !conf("pve2").exists());
    assert!(!pid("pve2").exists() && pid("pve1").exists());
    assert!(!journal.exists());
    let st = ok(root, "pve1", "ha-manager", &["status"]);
    assert!(st.contains("service vm:100 (pve1, started)"), "{st}");
    assert!(ok(root, "pve1", "pvesim", &["log"]).contains("undo the move of vm:100"));
    // a move the written manager status records is kept
    let line = "vm:100 pve2 pve1\n";
    std::fs::write(&journal, line).unwrap();
    let out = ok(root, "pve1", "pvesim", &["tick", "1"]);
    assert!(!out.contains("undo"), "{out}");
    assert!(conf("pve1").exists() && !conf("pve2").exists() && !journal.exists());
    // a journal line that would move a file out of /etc/pve is ignored:
    // VM 101 is not under HA, so nothing else keeps its config in place
    ok(root, "pve1", "qm", &["create", "101"]);
    let conf101 = root.join("etc/pve/nodes/pve1/qemu-server/101.conf");
    std::fs::create_dir_all(root.join("x/qemu-server")).unwrap();
    let line = "vm:101 ../../../x pve1\nvm:../101 pve2 pve1\n";
    std::fs::write(&journal, line).unwrap();
    let out = ok(root, "pve1", "pvesim", &["tick", "1"]);
    assert!(!out.contains("undo"), "{out}");
    assert!(conf101.exists() && !root.join("x/qemu-server/101.conf").exists());
    assert!(!journal.exists());
    // the same line with a real node name is undone: the check is what
    // kept the file in place above
    std::fs::write(&journal, "vm:101 pve2 pve1\n").unwrap();
    let out = ok(root, "pve1", "pvesim", &["tick", "1"]);
    assert!(
        out.contains("undo the move of vm:101 from 'pve2' to 'pve1'"),
        "{out}"
    );
    assert!(root
        .join("etc/pve/nodes/pve2/qemu-server/101.conf")
        .exists());
}

#[test]
fn a_recovery_takes_the_config_from_where_it_is() {
    // the config of a service on a dead node was moved by hand to another
    // node: the recovery takes it from there instead of failing every round
    let dir = three_nodes_with_shared_storage();
    let root = dir.path();
    ha_vm(root, "pve1", "100", "shared");
    ok(root, "pve2", "pvesim", &["tick", "--until-stable"]);
    ok(root, "pve2", "pvesim", &["power", "pve1", "off"]);
    let conf = |n: &str| root.join(format!("etc/pve/nodes/{n}/qemu-server/100.conf"));
    std::fs::rename(conf("pve1"), conf("pve3")).unwrap();
    let out = ok(root, "pve2", "pvesim", &["tick", "--until-stable"]);
    assert!(
        out.contains("service 'vm:100': guest config found on node 'pve3', not on 'pve1' where the manager status places it; moving it to 'pve2'"),
        "{out}"
    );
    assert!(conf("pve2").exists() && !conf("pve3").exists() && !conf("pve1").exists());
    let st = ok(root, "pve2", "ha-manager", &["status"]);
    assert!(st.contains("service vm:100 (pve2, started)"), "{st}");
}
