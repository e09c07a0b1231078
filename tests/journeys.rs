//! The journeys in `examples/*.sh`, run as a user would run them (the
//! emulated tools first on PATH, a fresh root each), with their key output
//! checked.

use std::path::Path;
use std::process::Command;

fn run_example(name: &str) -> String {
    let bin_dir = assert_cmd::cargo::cargo_bin("pvesim")
        .parent()
        .unwrap()
        .to_path_buf();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let root = tempfile::tempdir().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(&script)
        .env("PATH", path)
        .env("PVESIM_ROOT", root.path())
        .env_remove("PVESIM_NODE")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The lines of `text` after the line containing `marker`.
fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let i = text
        .find(marker)
        .unwrap_or_else(|| panic!("no '{marker}' in:\n{text}"));
    &text[i..]
}

#[test]
fn two_node_quorum_expected_votes_and_qdevice() {
    let out = run_example("two-node-quorum.sh");
    let lost = after(&out, "pve2 loses power: pve1 alone");
    assert!(lost.contains("Quorate:          No"), "{out}");
    let expected = after(&out, "lowers the expected votes");
    assert!(expected.contains("Quorate:          Yes"), "{out}");
    assert!(expected.contains("Expected votes:   1"), "{out}");
    let qdev = after(&out, "pve2 loses power again");
    assert!(qdev.contains("Quorate:          Yes"), "{out}");
    assert!(qdev.contains("Flags:            Quorate Qdevice"), "{out}");
    assert!(qdev.contains("update VM 100: -memory 1024"), "{out}");
}

#[test]
fn ha_groups_fail_over_and_back() {
    let out = run_example("ha-groups-failover.sh");
    let before = after(&out, "two VMs on pve1");
    assert!(before.contains("service vm:100 (pve1, started)"), "{out}");
    let failed = after(&out, "pve1 loses power");
    let failed = &failed[..failed.find("pve1 is back").unwrap()];
    assert!(failed.contains("FENCE: Try to fence node 'pve1'"), "{out}");
    assert!(!failed.contains("service vm:100 (pve1,"), "{out}");
    let back = after(&out, "pve1 is back");
    assert!(back.contains("service vm:100 (pve1, started)"), "{out}");
    assert!(
        !back.contains("service vm:101 (pve1,"),
        "nofailback moved:\n{out}"
    );
}

#[test]
fn lost_disk_recovered_with_qm_rescan() {
    let out = run_example("lost-disk-rescan.sh");
    let failed = after(&out, "pve1 fails");
    assert!(
        failed.contains("no zvol device link for 'vm-100-disk-0' found after 300 sec."),
        "{out}"
    );
    assert!(failed.contains(", error)"), "{out}");
    let back = after(&out, "rescan finds the disk");
    assert!(
        back.contains(
            "VM 100 add unreferenced volume 'local-zfs:vm-100-disk-0' as 'unused0' to config"
        ),
        "{out}"
    );
    assert!(back.contains("service vm:100 (pve1, started)"), "{out}");
    assert!(
        back.contains("scsi0: local-zfs:vm-100-disk-0,iothread=1,size=32G"),
        "{out}"
    );
}

#[test]
fn demo_runs_on_its_own_root_and_refuses_a_foreign_one() {
    let root = tempfile::tempdir().unwrap();
    let demo = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("pvesim")
            .unwrap()
            .env("PVESIM_ROOT", root.path())
            .env("TZ", "UTC")
            .arg("demo")
            .args(args)
            .output()
            .unwrap()
    };
    let out = demo(&[]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FENCE: Try to fence node 'pve1'"), "{text}");
    assert!(text.contains("service vm:100 (pve3, started)"), "{text}");
    // Running it again replaces its own root.
    assert!(demo(&[]).status.success());
    // A root the demo did not build is left alone without --force.
    std::fs::remove_file(root.path().join("sim/demo")).unwrap();
    let out = demo(&[]);
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(root.path().join("etc/pve/corosync.conf").exists());
}

#[test]
fn zfs_replication_then_failover_onto_the_replica() {
    let out = run_example("zfs-replication-failover.sh");
    let hour = after(&out, "an hour of simulated time");
    assert!(
        hour.contains("local/pve2            2025-01-01_01:00:00  2025-01-01_01:15:00"),
        "{out}"
    );
    assert!(
        hour.contains("local/pve3            2025-01-01_01:00:00  2025-01-01_01:15:00"),
        "{out}"
    );
    let failed = after(&out, "pve1 fails ten minutes after the last sync");
    assert!(
        failed.contains("from replica on node '")
            && failed.contains("last replication 2025-01-01 01:00:00, writes of the last 600s before the failure of node 'pve1' are lost"),
        "{out}"
    );
    let line = failed
        .lines()
        .find(|l| l.starts_with("service vm:100 ("))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line == "service vm:100 (pve2, started)" || line == "service vm:100 (pve3, started)",
        "{line}"
    );
}

/// `cargo run --bin pvesim -- demo` (the README's first command) builds
/// only `pvesim`: the demo must then run the other tools through the
/// `pvesim` binary itself, and `pvesim shell` must say what is missing.
#[test]
fn demo_runs_when_pvesim_is_the_only_binary_built() {
    let alone = tempfile::tempdir().unwrap();
    let exe = alone.path().join("pvesim");
    std::fs::copy(assert_cmd::cargo::cargo_bin("pvesim"), &exe).unwrap();
    let root = tempfile::tempdir().unwrap();
    let out = Command::new(&exe)
        .arg("demo")
        .env("PVESIM_ROOT", root.path())
        .env("TZ", "UTC")
        .env_remove("PVESIM_RUN_AS")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("root@pve1:~# pvecm nodes"), "{text}");
    assert!(text.contains("FENCE: Try to fence node 'pve1'"), "{text}");
    assert!(text.contains("service vm:100 (pve3, started)"), "{text}");

    // the same binary, asked to act as a tool, is that tool
    let out = Command::new(&exe)
        .arg("list")
        .env("PVESIM_ROOT", root.path())
        .env("PVESIM_NODE", "pve3")
        .env("PVESIM_RUN_AS", "qm")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("VMID NAME"),
        "{out:?}"
    );
    let out = Command::new(&exe)
        .env("PVESIM_RUN_AS", "nosuch")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PVESIM_RUN_AS: unknown tool 'nosuch'"));

    let out = Command::new(&exe)
        .args(["shell", "-c", "true"])
        .env("PVESIM_ROOT", root.path())
        .env_remove("PVESIM_RUN_AS")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("pvecm, qm, ha-manager, pvesr, pvesm not built beside pvesim"),
        "{out:?}"
    );
}
