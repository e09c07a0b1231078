//! `pvesr` end to end on temporary roots: the worked example of pvesr.md
//! §24 (exact log and status text), the config commands and their file
//! format, removal, the internal target-side commands, and bad input
//! (real messages, exit codes, nothing changed).

mod pvesr_common;

use pvesr_common::*;

#[test]
fn worked_example_full_then_incremental() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=32G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 32 << 30);
    lab.clock(1_715_594_850);
    lab.pvesr(
        "pve1",
        &["create-local-job", "100-0", "pve2", "--rate", "10"],
    )
    .success()
    .stdout("")
    .stderr("");
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-0\n\ttarget pve2\n\trate 10\n\tsource pve1\n\n"
    );
    lab.pvesr("pve1", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State\n\
         100-0      Yes        local/pve2                              -              pending          -          0 OK\n",
    );

    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["run"]).success().stdout("").stderr("");
    assert_eq!(
        lab.read("nodes/pve1/var/log/pve/replicate/100-0"),
        "2024-05-13 10:08:00 100-0: start replication job
2024-05-13 10:08:00 100-0: guest => VM 100, running => 0
2024-05-13 10:08:00 100-0: volumes => local-zfs:vm-100-disk-0
2024-05-13 10:08:00 100-0: create snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-0
2024-05-13 10:08:00 100-0: using secure transmission, rate limit: 10 MByte/s
2024-05-13 10:08:00 100-0: full sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1715594880__)
2024-05-13 10:08:00 100-0: using a bandwidth limit of 10000000 bytes per second for transferring 'local-zfs:vm-100-disk-0'
2024-05-13 10:08:00 100-0: full send of rpool/data/vm-100-disk-0@__replicate_100-0_1715594880__ estimated size is 32G
2024-05-13 10:08:00 100-0: total estimated size is 32G
2024-05-13 10:08:00 100-0: successfully imported 'local-zfs:vm-100-disk-0'
2024-05-13 10:08:00 100-0: end replication job
"
    );
    assert_eq!(
        lab.read("nodes/pve1/var/lib/pve-manager/pve-replication-state.json"),
        r#"{"100":{"local/pve2":{"duration":0,"fail_count":0,"last_iteration":1715594880,"last_node":"pve1","last_sync":1715594880,"last_try":1715594880,"storeid_list":["local-zfs"]}}}"#
    );
    lab.pvesr("pve1", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State\n\
         100-0      Yes        local/pve2            2024-05-13_10:08:00  2024-05-13_10:15:00          0          0 OK\n",
    );
    // The replica exists on pve2 with the replication snapshot.
    assert_eq!(
        lab.snapshots("pve2", "vm-100-disk-0"),
        ["__replicate_100-0_1715594880__"]
    );

    // Not due before 10:15.
    lab.clock(1_715_595_240);
    lab.pvesr("pve1", &["run", "--verbose"])
        .success()
        .stdout("");

    lab.clock(1_715_595_300);
    lab.pvesr("pve1", &["run", "--verbose"]).success().stdout(
        "start replication job
guest => VM 100, running => 0
volumes => local-zfs:vm-100-disk-0
create snapshot '__replicate_100-0_1715595300__' on local-zfs:vm-100-disk-0
using secure transmission, rate limit: 10 MByte/s
incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1715594880__ => __replicate_100-0_1715595300__)
using a bandwidth limit of 10000000 bytes per second for transferring 'local-zfs:vm-100-disk-0'
send from @__replicate_100-0_1715594880__ to rpool/data/vm-100-disk-0@__replicate_100-0_1715595300__ estimated size is 4K
total estimated size is 4K
successfully imported 'local-zfs:vm-100-disk-0'
delete previous replication snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-0
(remote_finalize_local_job) delete stale replication snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-0
end replication job
",
    );
    assert_eq!(
        lab.snapshots("pve1", "vm-100-disk-0"),
        ["__replicate_100-0_1715595300__"]
    );
    assert_eq!(
        lab.snapshots("pve2", "vm-100-disk-0"),
        ["__replicate_100-0_1715595300__"]
    );
}

#[test]
fn list_read_update_enable_disable() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.vm(101, "pve1", "scsi0: local-zfs:vm-101-disk-0,size=4G\n");
    lab.pvesr(
        "pve1",
        &["create-local-job", "100-2", "pve2", "--rate", "1.5"],
    )
    .success();
    lab.pvesr("pve1", &["create-local-job", "100-10", "pve3", "--disable"])
        .success();
    lab.pvesr(
        "pve1",
        &[
            "create-local-job",
            "101-0",
            "pve2",
            "--schedule",
            "mon..fri 22:00",
            "--comment",
            "nightly: offsite",
        ],
    )
    .success();
    lab.pvesr("pve1", &["list"]).success().stdout(
        "JobID                Target                 Schedule  Rate  Enabled
100-10               local/pve3                 */15     -       no
100-2                local/pve2                 */15   1.5      yes
101-0                local/pve2           mon..fri 22:00     -      yes
",
    );
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-2\n\ttarget pve2\n\trate 1.5\n\tsource pve1\n\n\
         local: 100-10\n\tdisable\n\ttarget pve3\n\tsource pve1\n\n\
         local: 101-0\n\tcomment nightly%3A offsite\n\ttarget pve2\n\tschedule mon..fri 22:00\n\tsource pve1\n\n"
    );
    let digest = sha1(&lab.read("etc/pve/replication.cfg"));
    lab.pvesr("pve1", &["read", "101-0"]).success().stdout(format!(
        "{{\n   \"comment\" : \"nightly: offsite\",\n   \"digest\" : \"{digest}\",\n   \"guest\" : 101,\n   \"id\" : \"101-0\",\n   \"jobnum\" : 0,\n   \"schedule\" : \"mon..fri 22:00\",\n   \"source\" : \"pve1\",\n   \"target\" : \"pve2\",\n   \"type\" : \"local\"\n}}\n"
    ));
    lab.pvesr("pve1", &["enable", "100-10"]).success();
    lab.pvesr("pve1", &["disable", "100-2"]).success();
    lab.pvesr(
        "pve1",
        &[
            "update",
            "101-0",
            "--rate",
            "20",
            "--delete",
            "comment,schedule",
        ],
    )
    .success();
    lab.pvesr("pve1", &["update", "101-0", "--digest", "0123"])
        .code(255)
        .stderr("detected modified configuration - file changed by other user? Try again.\n");
    lab.pvesr("pve1", &["update", "101-0", "--delete", "target"])
        .code(255)
        .stderr("unable to delete required option 'target'\n");
    lab.pvesr("pve1", &["update", "101-0", "--delete", "foo"])
        .code(255)
        .stderr("no such option 'foo'\n");
    lab.pvesr("pve1", &["update", "101-0", "--target", "pve3"])
        .code(255)
        .stderr_starts("Unknown option: target\n400 unable to parse option");
    lab.pvesr("pve1", &["update", "102-0", "--rate", "2"])
        .code(255)
        .stderr("no such job '102-0'\n");
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-2\n\tdisable\n\ttarget pve2\n\trate 1.5\n\tsource pve1\n\n\
         local: 100-10\n\ttarget pve3\n\tsource pve1\n\n\
         local: 101-0\n\ttarget pve2\n\trate 20\n\tsource pve1\n\n"
    );
    lab.pvesr("pve1", &["read", "100-9"])
        .code(255)
        .stderr("no such replication job '100-9'\n");
}

#[test]
fn status_shows_disabled_and_filters_guest() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.vm(200, "pve2", "scsi0: local-zfs:vm-200-disk-0,size=4G\n");
    lab.clock(1_715_594_850);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["create-local-job", "100-1", "pve3", "--disable"])
        .success();
    lab.pvesr("pve1", &["create-local-job", "200-0", "pve1"])
        .success();
    // pve1 shows only the jobs of its own guests, disabled ones included.
    lab.pvesr("pve1", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State
100-0      Yes        local/pve2                              -              pending          -          0 OK
100-1      No         local/pve3                              -              pending          -          0 OK
",
    );
    lab.pvesr("pve2", &["status", "--guest", "100"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State\n",
    );
    lab.pvesr("pve2", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State
200-0      Yes        local/pve1                              -              pending          -          0 OK
",
    );
    lab.pvesr("pve1", &["status", "--guest", "99"])
        .code(255)
        .stderr("400 Parameter verification failed.\nguest: value must have a minimum value of 100\n\npvesr status  [OPTIONS]\n");
}

#[test]
fn delete_marks_for_removal_and_the_run_removes_everything() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["run"]).success();
    assert!(lab.volume_exists("pve2", "vm-100-disk-0"));

    lab.pvesr("pve1", &["delete", "100-0"])
        .success()
        .stdout("")
        .stderr("Replication job removal is a background task and will take some time.\n");
    assert!(lab
        .read("etc/pve/replication.cfg")
        .contains("\tremove_job full\n"));
    lab.clock(1_715_594_940);
    lab.pvesr("pve1", &["run", "--verbose"]).success().stdout(
        "start replication job
guest => VM 100, running => 0
volumes => local-zfs:vm-100-disk-0
start job removal - mode 'full'
(remote_prepare_local_job) delete stale replication snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-0
(remote_prepare_local_job) 100-0: delete stale volume 'local-zfs:vm-100-disk-0'
delete stale replication snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-0
job removed
end replication job
",
    );
    assert_eq!(lab.read("etc/pve/replication.cfg"), "");
    assert!(!lab.volume_exists("pve2", "vm-100-disk-0"));
    assert!(lab.snapshots("pve1", "vm-100-disk-0").is_empty());
    assert_eq!(
        lab.read("nodes/pve1/var/lib/pve-manager/pve-replication-state.json"),
        "{}"
    );
    lab.pvesr("pve1", &["list"])
        .success()
        .stdout("JobID                Target                 Schedule  Rate  Enabled\n");
}

#[test]
fn delete_keep_force_and_errors() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["delete", "100-0", "--keep", "--force"])
        .code(255)
        .stderr("400 Parameter verification failed.\nkeep: conflicts with parameter 'force'\n\npvesr delete <id> [OPTIONS]\n");
    lab.pvesr("pve1", &["delete", "100-5"])
        .code(255)
        .stderr("no such job '100-5'\n");
    lab.pvesr("pve1", &["delete", "100-5", "--force"]).success();
    lab.pvesr("pve1", &["delete", "100-0", "--keep"]).success();
    assert!(lab
        .read("etc/pve/replication.cfg")
        .contains("\tremove_job local\n"));
    lab.pvesr("pve1", &["delete", "100-0", "--force"])
        .success()
        .stderr("");
    assert_eq!(lab.read("etc/pve/replication.cfg"), "");
}

#[test]
fn bad_input_changes_nothing() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.vm(
        101,
        "pve1",
        "scsi0: local-zfs:vm-101-disk-0,size=4G\nscsi1: local-lvm:vm-101-disk-1,size=4G\n",
    );
    lab.vm(
        102,
        "pve1",
        "scsi0: local-lvm:vm-102-disk-0,size=4G,replicate=0\n",
    );
    let usage = "pvesr create-local-job <id> <target> [OPTIONS]";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["99-0", "pve2"],
            format!("400 Parameter verification failed.\nid: invalid format - invalid replication job id '99-0' (guest IDs < 100 are reserved)\n\n{usage}\n"),
        ),
        (
            vec!["abc", "pve2"],
            format!("400 Parameter verification failed.\nid: invalid format - invalid replication job id 'abc'\n\n{usage}\n"),
        ),
        (
            vec!["0100-1", "pve2"],
            format!("400 Parameter verification failed.\nid: value does not match the regex pattern\n\n{usage}\n"),
        ),
        (vec!["100-0", "pve1"], "Source and target must not be identical\n".into()),
        (vec!["105-0", "pve2"], "Guest '105' does not exist.\n".into()),
        (vec!["100-0", "pve9"], "Target 'pve9' does not exist.\n".into()),
        (
            vec!["100-0", "pve2", "--source", "pve3"],
            "Source 'pve3' does not match current node of guest '100' (pve1)\n".into(),
        ),
        (
            vec!["100-0", "pve2", "--schedule", "mon..fri 25:00:00"],
            format!("400 Parameter verification failed.\nschedule: invalid format - invalid calendar event 'mon..fri 25:00:00' - unable to parse calendar event at ':00' - ... \n\n{usage}\n"),
        ),
        (
            vec!["100-0", "pve2", "--rate", "abc"],
            format!("400 Parameter verification failed.\nrate: type check ('number') failed - got 'abc'\n\n{usage}\n"),
        ),
        (
            vec!["100-0", "pve2", "--remove_job", "x"],
            format!("400 Parameter verification failed.\nremove_job: value 'x' does not have a value in the enumeration 'local, full'\n\n{usage}\n"),
        ),
        (
            vec!["101-0", "pve2"],
            "missing replicate feature on volume 'local-lvm:vm-101-disk-1'\n".into(),
        ),
        (vec!["102-0", "pve2"], "No replicatable volumes found\n".into()),
        (vec!["100-0"], format!("400 not enough arguments\n{usage}\n")),
        (vec!["100-0", "pve2", "x"], format!("400 too many arguments\n{usage}\n")),
    ];
    for (args, want) in cases {
        let mut full = vec!["create-local-job"];
        full.extend(&args);
        let out = lab.pvesr("pve1", &full).code(255).get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        if want.contains("... ") {
            let (head, _) = want.split_once("... ").unwrap();
            assert!(err.starts_with(head), "{args:?}: {err}");
            assert!(err.ends_with(&format!("\n\n{usage}\n")), "{args:?}: {err}");
        } else {
            assert_eq!(err, want, "{args:?}");
        }
        assert!(out.stdout.is_empty());
        assert!(
            !lab.exists("etc/pve/replication.cfg"),
            "{args:?} wrote the config"
        );
    }
    // A duplicate id and a second job to the same target.
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    let before = lab.read("etc/pve/replication.cfg");
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve3"])
        .code(255)
        .stderr("replication job '100-0' already exists\n");
    lab.pvesr("pve1", &["create-local-job", "100-1", "pve2"])
        .code(255)
        .stderr("replication job for guest '100' to target 'local/pve2' already exists\n");
    assert_eq!(lab.read("etc/pve/replication.cfg"), before);
}

#[test]
fn run_single_job_errors() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2", "--disable"])
        .success();
    lab.pvesr("pve1", &["run", "--id", "100-0"])
        .code(255)
        .stderr("job '100-0' is disabled\n");
    lab.pvesr("pve1", &["run", "--id", "100-3"])
        .code(255)
        .stderr("no such job '100-3'\n");
    lab.pvesr("pve2", &["enable", "100-0"]).success();
    lab.pvesr("pve2", &["run", "--id", "100-0"])
        .code(255)
        .stderr("guest '100' is not on local node\n");
    lab.pvesr("pve1", &["run", "--id", "100-0", "--mail"])
        .code(255)
        .stderr("Mail and id are mutually exclusive!\n");
    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["run", "--id", "100-0"])
        .success()
        .stdout("");
    assert!(lab.volume_exists("pve2", "vm-100-disk-0"));
}

#[test]
fn failing_job_backs_off_and_reports() {
    let lab = Lab::new();
    // The disk is in the config but the volume does not exist.
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["run"])
        .success()
        .stderr("100-0: got unexpected replication job error - timeout: no zvol device link for 'vm-100-disk-0' found after 300 sec.\n");
    lab.pvesr("pve1", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State
100-0      Yes        local/pve2                              -  2024-05-13_10:13:00          0          1 timeout: no zvol device link for 'vm-100-disk-0' found after 300 sec.
",
    );
    // schedule-now makes it due again at once.
    lab.pvesr("pve1", &["schedule-now", "100-0"]).success();
    lab.pvesr("pve1", &["status"])
        .success()
        .stdout_contains("pending");
}

#[test]
fn set_state_and_internal_commands() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.volume_with_snaps(
        "pve2",
        "vm-100-disk-0",
        100,
        &[
            "__replicate_100-0_100__",
            "__replicate_100-0_200__",
            "__replicate_100-10_50__",
        ],
    );
    lab.volume_with_snaps("pve2", "vm-100-disk-7", 100, &["__replicate_100-0_100__"]);
    // prepare on the target: keeps the last_sync snapshot, deletes the job's
    // other snapshots, leaves job 100-10 alone, drops the stale volume.
    let out = lab
        .pvesr(
            "pve2",
            &[
                "prepare-local-job",
                "100-0",
                "local-zfs:vm-100-disk-0",
                "--last_sync",
                "200",
                "--scan",
                "local-zfs",
            ],
        )
        .success()
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "delete stale replication snapshot '__replicate_100-0_100__' on local-zfs:vm-100-disk-0
expected snapshot __replicate_100-0_200__ not present for local-zfs:vm-100-disk-7, not removing others
100-0: delete stale volume 'local-zfs:vm-100-disk-7'
"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let snaps = json["local-zfs:vm-100-disk-0"].as_object().unwrap();
    assert_eq!(
        snaps.keys().collect::<Vec<_>>(),
        ["__replicate_100-0_200__", "__replicate_100-10_50__"]
    );
    assert!(!lab.volume_exists("pve2", "vm-100-disk-7"));
    lab.pvesr(
        "pve1",
        &["prepare-local-job", "100-0", "local-zfs:vm-100-disk-0"],
    )
    .code(255)
    .stderr("guest '100' is on local node\n");
    lab.pvesr("pve2", &["prepare-local-job", "100-0"])
        .code(255)
        .stderr("no volumes specified\n");
    lab.pvesr("pve2", &["finalize-local-job", "100-0", "local-zfs:vm-100-disk-0", "--last_sync", "300"])
        .success()
        .stderr("expected snapshot __replicate_100-0_300__ not present for local-zfs:vm-100-disk-0, not removing others\n");
    lab.pvesr(
        "pve2",
        &[
            "finalize-local-job",
            "100-0",
            "local-zfs:vm-100-disk-0",
            "--last_sync",
            "200",
        ],
    )
    .success()
    .stderr("");
    lab.pvesr("pve2", &["prepare-local-job", "100-0", "local:iso/x.iso"])
        .code(255)
        .stderr("storage 'local' is not replicatable\n");

    lab.pvesr(
        "pve2",
        &[
            "set-state",
            "100",
            r#"{"local/pve1":{"last_sync":5,"fail_count":0}}"#,
        ],
    )
    .success();
    assert_eq!(
        lab.read("nodes/pve2/var/lib/pve-manager/pve-replication-state.json"),
        r#"{"100":{"local/pve1":{"fail_count":0,"last_iteration":0,"last_sync":5,"last_try":0}}}"#
    );
    lab.pvesr("pve2", &["set-state", "100", "{x"])
        .code(255)
        .stderr_starts("unable to parse state - ");
}

#[test]
fn help_and_command_errors() {
    let lab = Lab::new();
    lab.pvesr("pve1", &["help"]).success().stdout(
        "USAGE: pvesr <COMMAND> [ARGS] [OPTIONS]

       pvesr schedule-now <id>
       pvesr status  [OPTIONS]

       pvesr create-local-job <id> <target> [OPTIONS]
       pvesr delete <id> [OPTIONS]
       pvesr list 
       pvesr read <id>
       pvesr update <id> [OPTIONS]

       pvesr disable <id>
       pvesr enable <id>
       pvesr finalize-local-job <id> [<extra-args>] [OPTIONS]
       pvesr prepare-local-job <id> [<extra-args>] [OPTIONS]
       pvesr run  [OPTIONS]
       pvesr set-state <vmid> <state>

       pvesr help [<extra-args>] [OPTIONS]
",
    );
    lab.pvesr("pve1", &["help", "delete"])
        .success()
        .stdout("USAGE: pvesr delete <id> [OPTIONS]\n");
    lab.pvesr("pve1", &["frob"]).code(255).stderr_starts(
        "ERROR: unknown command 'pvesr frob'\nUSAGE: pvesr <COMMAND> [ARGS] [OPTIONS]\n",
    );
    lab.pvesr("pve1", &["s"])
        .code(255)
        .stderr_starts("ERROR: incomplete command 'pvesr s'\n");
    lab.pvesr("pve1", &[])
        .code(255)
        .stderr_starts("ERROR: no command specified\n");
    // Abbreviation.
    lab.pvesr("pve1", &["li"])
        .success()
        .stdout("JobID                Target                 Schedule  Rate  Enabled\n");
}

#[test]
fn offline_target_fails_backs_off_and_recovers() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=32G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 32 << 30);
    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["run"]).success();
    lab.clock(1_715_595_300);
    lab.pvesr("pve1", &["run"]).success();

    lab.pvesim(&["power", "pve2", "off"]).success();
    lab.clock(1_715_596_200);
    let err = "command '/usr/bin/ssh -e none -o 'BatchMode=yes' -o 'HostKeyAlias=pve2' -o 'UserKnownHostsFile=/etc/pve/nodes/pve2/ssh_known_hosts' -o 'GlobalKnownHostsFile=none' root@192.168.1.12 -- pvesr prepare-local-job 100-0 --scan local-zfs local-zfs:vm-100-disk-0 --last_sync 1715595300' failed: exit code 255";
    lab.pvesr("pve1", &["run"]).success().stderr(format!(
        "100-0: got unexpected replication job error - {err}\n"
    ));
    let log = lab.read("nodes/pve1/var/log/pve/replicate/100-0");
    assert!(log.ends_with(&format!(
        "2024-05-13 10:30:00 100-0: volumes => local-zfs:vm-100-disk-0\n\
         2024-05-13 10:30:00 100-0: (remote_prepare_local_job) ssh: connect to host 192.168.1.12 port 22: No route to host\n\
         2024-05-13 10:30:00 100-0: end replication job with error: {err}\n"
    )), "{log}");
    // While pve2 is offline the job is never due.
    lab.pvesr("pve1", &["status"]).success().stdout(format!(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State\n\
         100-0      Yes        local/pve2            2024-05-13_10:15:00                    -          0          1 {err}\n"
    ));
    lab.clock(1_715_596_500);
    lab.pvesr("pve1", &["run"]).success().stderr("");

    // Back online: due 5 minutes after the failed try (10:35).
    lab.pvesim(&["power", "pve2", "on"]).success();
    lab.pvesr("pve1", &["status"])
        .success()
        .stdout_contains("2024-05-13_10:15:00              pending");
    lab.pvesr("pve1", &["run", "--verbose"])
        .success()
        .stdout_contains("incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1715595300__ => __replicate_100-0_1715596500__)");
    lab.pvesr("pve1", &["status"]).success().stdout(
        "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State\n\
         100-0      Yes        local/pve2            2024-05-13_10:35:00  2024-05-13_10:45:00          0          0 OK\n",
    );
}

#[test]
fn without_quorum_nothing_runs() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesim(&["power", "pve2", "off"]).success();
    lab.pvesim(&["power", "pve3", "off"]).success();
    lab.pvesr("pve1", &["status"])
        .code(255)
        .stderr("cfs-lock 'file-replication_cfg' error: no quorum!\n");
    lab.pvesr("pve1", &["run"])
        .code(255)
        .stderr("cfs-lock 'file-replication_cfg' error: no quorum!\n");
    lab.pvesr("pve1", &["create-local-job", "100-1", "pve3"])
        .code(255)
        .stderr("cfs-lock 'file-replication_cfg' error: no quorum!\n");
    assert!(!lab.volume_exists("pve2", "vm-100-disk-0"));
}

#[test]
fn running_vm_with_agent_is_frozen_for_the_snapshot() {
    let lab = Lab::new();
    lab.vm(
        100,
        "pve1",
        "agent: 1\nscsi0: local-zfs:vm-100-disk-0,size=4G\nscsi1: local-zfs:vm-100-disk-1,size=4G\nide2: none,media=cdrom\n",
    );
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.volume("pve1", "vm-100-disk-1", 100, 4 << 30);
    lab.write(
        "nodes/pve1/run/qemu-server/100.pid",
        "pid: 4242\nstarted: 1715594000\nstatus: running\n",
    );
    lab.clock(1_715_594_880);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve3"])
        .success();
    let out = lab
        .pvesr("pve1", &["run", "--verbose"])
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1..8],
        [
            "guest => VM 100, running => 4242",
            "volumes => local-zfs:vm-100-disk-0,local-zfs:vm-100-disk-1",
            "freeze guest filesystem",
            "create snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-0",
            "create snapshot '__replicate_100-0_1715594880__' on local-zfs:vm-100-disk-1",
            "thaw guest filesystem",
            "using secure transmission, rate limit: none",
        ]
    );
    assert!(lab.volume_exists("pve3", "vm-100-disk-1"));
}

#[test]
fn transport_from_datacenter_cfg() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.volume("pve1", "vm-100-disk-0", 100, 4 << 30);
    lab.write(
        "etc/pve/datacenter.cfg",
        "keyboard: en-us\nmigration: type=insecure,network=192.168.1.0/24\n",
    );
    lab.clock(1_715_594_880);
    lab.pvesr(
        "pve1",
        &["create-local-job", "100-0", "pve2", "--rate", "2.5"],
    )
    .success();
    lab.pvesr("pve1", &["run", "--verbose"])
        .success()
        .stdout_contains(
            "using insecure transmission over 192.168.1.0/24, rate limit: 2.5 MByte/s\n\
             full sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1715594880__)\n\
             using a bandwidth limit of 2500000 bytes per second for transferring 'local-zfs:vm-100-disk-0'\n",
        );
    // The replication network wins over the migration network; a target
    // without an address in it cannot be reached.
    lab.write(
        "etc/pve/datacenter.cfg",
        "replication: network=10.10.10.0/24\nmigration: type=insecure,network=192.168.1.0/24\n",
    );
    lab.clock(1_715_595_300);
    lab.pvesr("pve1", &["run"]).success().stderr(
        "100-0: got unexpected replication job error - failed to get ip for node 'pve2' in network '10.10.10.0/24'\n",
    );
}

/// `pvesr status` over a hand-written file: jobs with leading zeros in
/// their ids, several jobs with state entries, and a job without a source
/// (which the status fixes up in the file) next to jobs that need nothing.
#[test]
fn status_of_a_hand_written_file_with_states_and_a_source_fixup() {
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.vm(101, "pve1", "scsi0: local-zfs:vm-101-disk-0,size=4G\n");
    lab.vm(102, "pve1", "scsi0: local-zfs:vm-102-disk-0,size=4G\n");
    lab.clock(1_715_594_850);
    let jobs = "local: 0100-00\n\ttarget pve2\n\tsource pve1\n\n\
                local: 100-1\n\ttarget pve3\n\tsource pve1\n\tschedule */5\n\n\
                local: 101-0\n\ttarget pve2\n\tsource pve1\n\n";
    lab.write("etc/pve/replication.cfg", jobs);
    lab.write(
        "nodes/pve1/var/lib/pve-manager/pve-replication-state.json",
        r#"{"100":{"local/pve2":{"duration":1.5,"fail_count":0,"last_iteration":1715594700,"last_node":"pve1","last_sync":1715594700,"last_try":1715594700},"local/pve3":{"fail_count":2,"last_try":1715594800,"error":"no route"}},"101":{"local/pve2":{"last_sync":1715594820,"last_try":1715594820}}}"#,
    );
    let head = "JobID      Enabled    Target                           LastSync             NextSync   Duration  FailCount State\n";
    let rows = "100-0      Yes        local/pve2            2024-05-13_10:05:00  2024-05-13_10:15:00        1.5          0 OK\n\
                100-1      Yes        local/pve3                              -  2024-05-13_10:16:40          -          2 no route\n\
                101-0      Yes        local/pve2            2024-05-13_10:07:00  2024-05-13_10:15:00          -          0 OK\n";
    lab.pvesr("pve1", &["status"])
        .success()
        .stdout(format!("{head}{rows}"));
    // nothing needed fixing: the file is as written
    assert_eq!(lab.read("etc/pve/replication.cfg"), jobs);

    // a job without a source: the same rows, and the source written back
    lab.write(
        "etc/pve/replication.cfg",
        &format!("{jobs}local: 102-0\n\ttarget pve2\n\n"),
    );
    lab.pvesr("pve1", &["status"]).success().stdout(format!(
        "{head}{rows}102-0      Yes        local/pve2                              -              pending          -          0 OK\n"
    ));
    // written back in canonical form
    assert_eq!(
        lab.read("etc/pve/replication.cfg"),
        "local: 100-0\n\ttarget pve2\n\tsource pve1\n\n\
         local: 100-1\n\ttarget pve3\n\tschedule */5\n\tsource pve1\n\n\
         local: 101-0\n\ttarget pve2\n\tsource pve1\n\n\
         local: 102-0\n\ttarget pve2\n\tsource pve1\n\n"
    );
}

#[test]
fn creating_a_vm_drops_the_state_left_by_an_earlier_guest_of_that_id() {
    // pvesr.md §5 and §22: creating a VM deletes the node's state entries
    // of that VMID, so a new job does not show the old guest's last sync.
    let lab = Lab::new();
    let qm = |args: &[&str]| lab.cmd("qm", "pve1").args(args).assert().success();
    lab.clock(1_715_594_880);
    qm(&["create", "100", "--scsi0", "local-zfs:1"]);
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    lab.pvesr("pve1", &["run"]).success();
    let state = "nodes/pve1/var/lib/pve-manager/pve-replication-state.json";
    assert!(lab.read(state).contains("\"100\""), "{}", lab.read(state));
    // another guest's entry stays
    lab.write(
        state,
        &lab.read(state)
            .replacen('{', "{\"101\":{\"local/pve3\":{\"last_sync\":5}},", 1),
    );
    qm(&["destroy", "100", "--purge"]);
    qm(&["create", "100", "--scsi0", "local-zfs:1"]);
    let st: serde_json::Value = serde_json::from_str(&lab.read(state)).unwrap();
    assert!(st.get("100").is_none(), "{st}");
    assert_eq!(st["101"]["local/pve3"]["last_sync"], 5, "{st}");
    lab.pvesr("pve1", &["create-local-job", "100-5", "pve2"])
        .success();
    let out = lab.pvesr("pve1", &["status"]).success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("100-5")).expect(&text);
    assert!(line.contains(" - "), "{text}");
    // a state file that cannot be read stops the create before anything
    // exists, and the error names the file
    lab.write(state, "{\"100\":");
    let out = qm_fails(&lab, &["create", "300", "--scsi0", "local-zfs:1"]);
    assert!(
        out.starts_with("unable to create VM 300 - ")
            && out.contains("pve-replication-state.json: unable to parse replication state"),
        "{out}"
    );
    assert!(!lab.exists("etc/pve/nodes/pve1/qemu-server/300.conf"));
    assert!(!lab.exists("nodes/pve1/storage/local-zfs/vm-300-disk-0.vol"));
}

fn qm_fails(lab: &Lab, args: &[&str]) -> String {
    let out = lab.cmd("qm", "pve1").args(args).assert().code(255);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn a_replicated_vm_accepts_only_replicatable_disks() {
    // qm-and-storage.md 6.7, pvesr.md §22
    let lab = Lab::new();
    let qm = |args: &[&str]| lab.cmd("qm", "pve1").args(args).assert();
    lab.clock(1_715_594_880);
    qm(&["create", "100", "--scsi0", "local-zfs:1"]).success();
    // without a job any disk goes
    qm(&["create", "101", "--scsi0", "local-lvm:1"]).success();
    lab.pvesr("pve1", &["create-local-job", "100-0", "pve2"])
        .success();
    let conf = "etc/pve/nodes/pve1/qemu-server/100.conf";
    let before = lab.read(conf);
    qm(&["set", "100", "--scsi1", "local-lvm:1"])
        .code(255)
        .stdout("")
        .stderr("cannot add non-replicatable volume to a replicated VM\n");
    qm(&["set", "100", "--scsi1", "local-lvm:vm-101-disk-0"])
        .code(255)
        .stderr("cannot add non-replicatable volume to a replicated VM\n");
    qm(&["set", "100", "--scsi2", "/dev/sdb"])
        .code(255)
        .stderr("cannot add non-managed/pass-through volume to a replicated VM\n");
    assert_eq!(lab.read(conf), before);
    assert!(!lab.exists("nodes/pve1/storage/local-lvm/vm-100-disk-0.vol"));
    // replicatable, excluded from replication, or a CD-ROM: accepted
    qm(&["set", "100", "--scsi1", "local-zfs:1"]).success();
    qm(&["set", "100", "--scsi2", "local-lvm:1,replicate=0"]).success();
    qm(&["set", "100", "--ide2", "none,media=cdrom"]).success();
    let conf = lab.read(conf);
    assert!(
        conf.contains("scsi1: local-zfs:vm-100-disk-1,size=1G\n"),
        "{conf}"
    );
    assert!(conf.contains("replicate=0"), "{conf}");
}

#[test]
fn what_the_parser_drops_is_warned_about_with_file_and_line() {
    // pvesr.md §4: bad values, unknown keys and types, reserved IDs are
    // dropped or skipped with a warning, the rest is used
    let lab = Lab::new();
    lab.vm(100, "pve1", "scsi0: local-zfs:vm-100-disk-0,size=4G\n");
    lab.write(
        "etc/pve/replication.cfg",
        "local: 100-0\n\ttarget pve2\n\tbogus 1\n\trate abc\n\nlocal: 50-0\n\ttarget pve2\n\nfoo: 102-0\n\ttarget pve3\n",
    );
    let out = lab.pvesr("pve1", &["list"]).success();
    let o = out.get_output();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "JobID                Target                 Schedule  Rate  Enabled\n100-0                local/pve2                 */15     -      yes\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "file /etc/pve/replication.cfg line 3 (section '100-0') - unable to parse value of 'bogus': unexpected property 'bogus'
file /etc/pve/replication.cfg line 4 (section '100-0') - unable to parse value of 'rate': type check ('number') failed - got 'abc'
file /etc/pve/replication.cfg line 6 - invalid replication job id '50-0' (guest IDs < 100 are reserved)
file /etc/pve/replication.cfg line 9 - ignore section with unknown type 'foo'
"
    );
}
