//! The field-guide walk-through: a VM on local ZFS on pve1 with jobs to pve2
//! and pve3 every 15 minutes; `pvesim tick` through an hour replicates;
//! pve1 loses power; HA recovers the VM onto a replica node, and the event
//! log says how much time of writes the recovery lost (at most 15 minutes).

mod pvesr_common;

use pvesr_common::*;

fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn ha_recovery_onto_a_replica_reports_the_lost_window() {
    let lab = Lab::new();
    lab.vm(
        100,
        "pve1",
        "memory: 512\nscsi0: local-zfs:vm-100-disk-0,size=4G\n",
    );
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["create-local-job", "100-1", "pve3"])
        .success();
    lab.cmd("ha-manager", "pve1")
        .args(["add", "vm:100", "--state", "started"])
        .assert()
        .success();

    // An hour of simulated time (the clock starts at 2025-01-01 00:00:00).
    lab.pvesim(&["tick", "--for", "1h"]).success();
    lab.pvesr("pve1", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State
100-0      Yes        local/pve2            2025-01-01_01:00:00  2025-01-01_01:15:00          0          0 OK
100-1      Yes        local/pve3            2025-01-01_01:00:00  2025-01-01_01:15:00          0          0 OK
",
    );
    // Five runs each (00:00 and every 15 minutes); the replicas are real.
    assert_eq!(
        lab.snapshots("pve2", "vm-100-disk-0")
            .last()
            .map(String::as_str),
        Some("__replicate_100-0_1735693200__")
    );
    assert!(lab.volume_exists("pve3", "vm-100-disk-0"));

    lab.pvesim(&["tick", "--for", "7m"]).success();
    lab.pvesim(&["power", "pve1", "off"]).success();
    lab.cmd("pvesim", "pve2")
        .args(["tick", "--until-stable"])
        .assert()
        .success();

    // The guest now lives on a replica node and runs there.
    let node = ["pve2", "pve3"]
        .into_iter()
        .find(|n| lab.exists(&format!("etc/pve/nodes/{n}/qemu-server/100.conf")))
        .expect("vm 100 recovered onto pve2 or pve3");
    let log = stdout(lab.cmd("pvesim", "pve2").args(["log"]).assert().success());
    let prefix = format!(
        "recovering service 'vm:100' from replica on node '{node}': last replication 2025-01-01 01:00:00, writes of the last "
    );
    let line = log
        .lines()
        .find(|l| l.contains(&prefix))
        .unwrap_or_else(|| panic!("no lost-window line in the event log:\n{log}"));
    let lost: i64 = line
        .split(&prefix)
        .nth(1)
        .and_then(|r| r.split('s').next())
        .and_then(|n| n.parse().ok())
        .expect("lost seconds");
    // the writes from the last sync (01:00:00) until pve1 lost power,
    // seven minutes later
    assert!((420..440).contains(&lost), "{line}");
    assert!(
        line.ends_with("before the failure of node 'pve1' are lost"),
        "{line}"
    );
    assert!(
        log.contains(&format!("{node}/lrm: service status vm:100 started")),
        "{log}"
    );

    // The jobs now run from the new node: the one back to pve1 waits for it.
    let status = stdout(lab.pvesr(node, &["status"]).success());
    assert!(status.contains("local/pve1"), "{status}");
    assert_eq!(
        lab.read("etc/pve/replication.cfg")
            .matches(&format!("\tsource {node}\n"))
            .count(),
        2
    );
}

#[test]
fn recovery_without_a_replica_cannot_start_the_guest() {
    let lab = Lab::new();
    lab.vm(
        100,
        "pve1",
        "memory: 512\nscsi0: local-zfs:vm-100-disk-0,size=4G\n",
    );
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.cmd("ha-manager", "pve1")
        .args(["add", "vm:100", "--state", "started"])
        .assert()
        .success();
    lab.pvesim(&["tick", "--for", "5m"]).success();
    lab.pvesim(&["power", "pve1", "off"]).success();
    lab.cmd("pvesim", "pve2")
        .args(["tick", "--for", "10m"])
        .assert()
        .success();
    let log = stdout(lab.cmd("pvesim", "pve2").args(["log"]).assert().success());
    assert!(!log.contains("from replica"), "{log}");
    assert!(
        log.contains("timeout: no zvol device link for 'vm-100-disk-0' found after 300 sec."),
        "{log}"
    );
}
