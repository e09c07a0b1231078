//! Replication and migration (pvesr.md §20.1, qm-and-storage.md 5.4 and
//! 5.7(c)): the job runs inside the migration, the state moves to the new
//! node, the jobs swap direction, and the next run replicates back to the
//! old source incrementally.

mod pvesr_common;

use pvesim::replication::localtime::Zone;
use pvesim::replication::migrate;
use pvesim::store::Root;
use pvesr_common::*;

#[test]
fn migration_to_the_replica_target_then_replication_back() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=32G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 32 << 30);
    lab.clock(1_714_556_700);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["create-local-job", "100-1", "pve3"])
        .success();
    lab.pvesr("pve1", &["run"]).success().stderr("");

    // The migration at 10:00 (1714557600), as qm migrate drives it.
    let root = Root::at(lab.root());
    let now = 1_714_557_600;
    lab.clock(now);
    let lines = migrate::run_job_for_migration(&root, "pve1", "100-0", now, &Zone::utc()).unwrap();
    assert_eq!(
        lines.join("\n"),
        "start replication job
guest => VM 100, running => 0
volumes => local-zfs:vm-100-disk-0
create snapshot '__replicate_100-0_1714557600__' on local-zfs:vm-100-disk-0
using secure transmission, rate limit: none
incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1714556700__ => __replicate_100-0_1714557600__)
send from @__replicate_100-0_1714556700__ to rpool/data/vm-100-disk-0@__replicate_100-1_1714556700__ estimated size is 4K
send from @__replicate_100-1_1714556700__ to rpool/data/vm-100-disk-0@__replicate_100-0_1714557600__ estimated size is 4K
total estimated size is 8K
successfully imported 'local-zfs:vm-100-disk-0'
delete previous replication snapshot '__replicate_100-0_1714556700__' on local-zfs:vm-100-disk-0
(remote_finalize_local_job) delete stale replication snapshot '__replicate_100-0_1714556700__' on local-zfs:vm-100-disk-0
end replication job"
    );
    // A second run in the same second is skipped.
    assert!(
        migrate::run_job_for_migration(&root, "pve1", "100-0", now, &Zone::utc())
            .unwrap()
            .is_empty()
    );
    let json = migrate::transfer_state(&root, 100, "pve1", "pve2").unwrap();
    assert_eq!(
        json,
        r#"{"local/pve1":{"duration":0,"fail_count":0,"last_iteration":1714557600,"last_node":"pve1","last_sync":1714557600,"last_try":1714557600,"storeid_list":["local-zfs"]},"local/pve3":{"duration":0,"fail_count":0,"last_iteration":1714556700,"last_node":"pve1","last_sync":1714556700,"last_try":1714556700,"storeid_list":["local-zfs"]}}"#
    );
    std::fs::rename(
        lab.path("etc/pve/nodes/pve1/qemu-server/100.conf"),
        lab.path("etc/pve/nodes/pve2/qemu-server/100.conf"),
    )
    .unwrap();
    migrate::switch_jobs(&root, "pve1", 100, "pve1", "pve2").unwrap();
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-0\n\ttarget pve1\n\tsource pve2\n\nlocal: 100-1\n\ttarget pve3\n\tsource pve2\n\n"
    );
    // Both sides keep the common snapshot; job 100-1's snapshot travelled
    // along (pvesr.md §18).
    assert_eq!(
        lab.snapshots("pve1", "vm-100-disk-0"),
        [
            "__replicate_100-1_1714556700__",
            "__replicate_100-0_1714557600__"
        ]
    );
    assert_eq!(
        lab.snapshots("pve2", "vm-100-disk-0"),
        [
            "__replicate_100-1_1714556700__",
            "__replicate_100-0_1714557600__"
        ]
    );

    // 10:15 on pve2: replicates back to pve1 from the migration's snapshot,
    // and on to pve3 from the snapshot pve1 sent it earlier.
    lab.clock(1_714_558_500);
    lab.pvesr("pve2", &["run"]).success().stderr("");
    let log = lab.read("nodes/pve2/var/log/pve/replicate/100-0");
    assert!(
        log.contains("100-0: incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1714557600__ => __replicate_100-0_1714558500__)"),
        "{log}"
    );
    assert!(log.ends_with("100-0: end replication job\n"), "{log}");
    lab.pvesr("pve2", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State
100-0      Yes        local/pve1            2024-05-01_10:15:00  2024-05-01_10:30:00          0          0 OK
100-1      Yes        local/pve3            2024-05-01_10:15:00  2024-05-01_10:30:00          0          0 OK
",
    );
    assert_eq!(
        lab.snapshots("pve1", "vm-100-disk-0"),
        [
            "__replicate_100-1_1714558500__",
            "__replicate_100-0_1714558500__"
        ]
    );
    // pve1's old state is purged by its next scheduler run.
    lab.pvesr("pve1", &["run"]).success();
    assert_eq!(
        lab.read("nodes/pve1/var/lib/pve-manager/pve-replication-state.json"),
        "{}"
    );
}

#[test]
fn stolen_guest_finds_the_common_base() {
    // HA recovery moves the config without a migration: the new node has no
    // state, switches the jobs and finds the newest common snapshot.
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["run"]).success();
    lab.pvesim(&["power", "pve1", "off"]).success();
    std::fs::rename(
        lab.path("etc/pve/nodes/pve1/qemu-server/100.conf"),
        lab.path("etc/pve/nodes/pve2/qemu-server/100.conf"),
    )
    .unwrap();
    let root = Root::at(lab.root());
    assert_eq!(
        pvesim::replication::ops::last_replica_sync(&root, 100, "pve2"),
        Some(1_715_594_880)
    );
    assert_eq!(
        pvesim::replication::ops::last_replica_sync(&root, 100, "pve3"),
        None
    );
    lab.clock(1_715_595_300);
    // Old source down: the switched job fails and then waits.
    lab.pvesr("pve2", &["run"]).success().stderr_starts(
        "100-0: got unexpected replication job error - command '/usr/bin/ssh -e none -o 'BatchMode=yes' -o 'HostKeyAlias=pve1'",
    );
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-0\n\ttarget pve1\n\tsource pve2\n\n"
    );
    lab.pvesim(&["power", "pve1", "on"]).success();
    lab.clock(1_715_595_600);
    lab.pvesr("pve2", &["run", "--verbose"])
        .success()
        .stdout_contains("incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1715594880__ => __replicate_100-0_1715595600__)");
}

#[test]
fn qm_migrate_to_the_replica_target_then_replication_back() {
    let lab = Lab::new();
    lab.vm(
        100,
        "pve1",
        "memory: 512\nscsi0: local-zfs:vm-100-disk-0,size=4G\n",
    );
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.clock(1_714_556_700);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["run"]).success();
    lab.clock(1_714_557_600);
    let out = lab
        .cmd("qm", "pve1")
        .args(["migrate", "100", "pve2"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("replicating disk images"), "{text}");
    assert!(
        text.contains("incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1714556700__ => __replicate_100-0_1714557600__)"),
        "{text}"
    );
    assert!(lab.exists("etc/pve/nodes/pve2/qemu-server/100.conf"));
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-0\n\ttarget pve1\n\tsource pve2\n\n"
    );
    // The old source keeps its copy: it is the replica now.
    assert!(lab.volume_exists("pve1", "vm-100-disk-0"));
    lab.clock(1_714_558_500);
    lab.pvesr("pve2", &["run", "--verbose"])
        .success()
        .stdout_contains("incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1714557600__ => __replicate_100-0_1714558500__)");
    assert_eq!(
        lab.snapshots("pve1", "vm-100-disk-0"),
        ["__replicate_100-0_1714558500__"]
    );
}
