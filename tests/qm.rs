//! qm over a simulated cluster: create, migrate (offline, online, local
//! disks), rescan, the recovery path of the field guide, and bad input.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

mod common {

    pub const STORAGE_CFG: &str = "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n\n";

    /// A three-node cluster `demo` (pve1..pve3, 192.168.1.11..13) made by `pvesim init`.
    pub fn root() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let o = assert_cmd::Command::cargo_bin("pvesim")
            .unwrap()
            .env("PVESIM_ROOT", d.path())
            .args(["init", "--cluster", "demo"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            std::fs::read_to_string(d.path().join("etc/pve/storage.cfg")).unwrap(),
            STORAGE_CFG
        );
        d
    }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn qm(root: &Path, node: &str, args: &[&str]) -> Out {
    let o = Command::cargo_bin("qm")
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .env_remove("TZ")
        .args(args)
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn ok(root: &Path, node: &str, args: &[&str]) -> String {
    let o = qm(root, node, args);
    assert_eq!(
        o.code, 0,
        "qm {args:?} on {node} failed: {}{}",
        o.stdout, o.stderr
    );
    o.stdout
}

fn fails(root: &Path, node: &str, args: &[&str], stderr: &str) -> Out {
    let o = qm(root, node, args);
    assert_eq!(o.code, 255, "qm {args:?}: {}{}", o.stdout, o.stderr);
    assert_eq!(o.stderr, stderr, "qm {args:?} stdout: {}", o.stdout);
    o
}

fn vol(root: &Path, node: &str, name: &str) -> PathBuf {
    root.join(format!("nodes/{node}/storage/local-zfs/{name}.vol"))
}

fn conf(root: &Path, node: &str, vmid: u32) -> PathBuf {
    root.join(format!("etc/pve/nodes/{node}/qemu-server/{vmid}.conf"))
}

const TS: &str = "2025-01-01 00:00:00";

#[test]
fn offline_migration_copies_the_zfs_disk() {
    let d = common::root();
    let r = d.path();
    let out = ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:32",
            "--name",
            "web01",
        ],
    );
    assert_eq!(
        out,
        "scsi0: successfully created disk 'local-zfs:vm-100-disk-0,size=32G'\n"
    );
    assert!(vol(r, "pve1", "vm-100-disk-0").exists());
    let before = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    let out = ok(r, "pve1", &["migrate", "100", "pve2"]);
    let expect: Vec<String> = [
        "starting migration of VM 100 to node 'pve2' (192.168.1.12)",
        "found local disk 'local-zfs:vm-100-disk-0' (attached)",
        "copying local disk images",
        "full send of rpool/data/vm-100-disk-0@__migration__ estimated size is 32G",
        "total estimated size is 32G",
        "successfully imported 'local-zfs:vm-100-disk-0'",
        "volume 'local-zfs:vm-100-disk-0' is 'local-zfs:vm-100-disk-0' on the target",
        "migration finished successfully (duration 00:00:00)",
    ]
    .iter()
    .map(|l| format!("{TS} {l}\n"))
    .collect();
    assert_eq!(out, expect.concat());
    assert!(!vol(r, "pve1", "vm-100-disk-0").exists());
    let rec = std::fs::read_to_string(vol(r, "pve2", "vm-100-disk-0")).unwrap();
    assert!(
        rec.contains("size: 34359738368\n") && !rec.contains("__migration__"),
        "{rec}"
    );
    assert!(!conf(r, "pve1", 100).exists());
    assert_eq!(
        std::fs::read_to_string(conf(r, "pve2", 100)).unwrap(),
        before
    );
    // pve1 no longer lists it, pve2 does
    assert_eq!(ok(r, "pve1", &["list"]), "");
    assert!(ok(r, "pve2", &["list"]).contains(
        "       100 web01                stopped    512               32.00 0         \n"
    ));
}

#[test]
fn running_vm_needs_online_and_with_local_disks() {
    let d = common::root();
    let r = d.path();
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:32",
            "--memory",
            "2048",
        ],
    );
    ok(r, "pve1", &["start", "100"]);
    assert_eq!(ok(r, "pve1", &["status", "100"]), "status: running\n");
    fails(
        r,
        "pve1",
        &["migrate", "100", "pve2"],
        "can't migrate running VM without --online\n",
    );
    let o = fails(
        r,
        "pve1",
        &["migrate", "100", "pve2", "--online"],
        "migration aborted\n",
    );
    let expect: Vec<String> = [
        "conntrack state migration not supported or disabled, active connections might get dropped",
        "starting migration of VM 100 to node 'pve2' (192.168.1.12)",
        "found local disk 'local-zfs:vm-100-disk-0' (attached)",
        "can't migrate local disk 'local-zfs:vm-100-disk-0': can't live migrate attached local disks without with-local-disks option",
        "ERROR: Problem found while scanning volumes - can't migrate VM - check log",
        "aborting phase 1 - cleanup resources",
        "ERROR: migration aborted (duration 00:00:00): Problem found while scanning volumes - can't migrate VM - check log",
    ]
    .iter()
    .map(|l| format!("{TS} {l}\n"))
    .collect();
    assert_eq!(o.stdout, expect.concat());
    // nothing changed: config still on pve1 without lock
    let c = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(!c.contains("lock:"), "{c}");
    let out = ok(
        r,
        "pve1",
        &["migrate", "100", "pve2", "--online", "--with-local-disks"],
    );
    assert!(
        out.contains(&format!("{TS} starting VM 100 on remote node 'pve2'\n")),
        "{out}"
    );
    assert!(
        out.contains("drive-scsi0: transferred 32.0 GiB of 32.0 GiB (100.00%) in 0s, ready\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{TS} migration active, transferred 2.0 GiB of 2.0 GiB VM-state, 1.0 GiB/s\n"
        )),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "{TS} migration finished successfully (duration 00:00:00)\n"
        )),
        "{out}"
    );
    assert_eq!(ok(r, "pve2", &["status", "100"]), "status: running\n");
    fails(
        r,
        "pve1",
        &["status", "100"],
        "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist\n",
    );
    assert!(vol(r, "pve2", "vm-100-disk-0").exists());
    assert!(!vol(r, "pve1", "vm-100-disk-0").exists());
    let c = std::fs::read_to_string(conf(r, "pve2", 100)).unwrap();
    assert!(
        c.contains("scsi0: local-zfs:vm-100-disk-0,format=raw,size=32G\n"),
        "{c}"
    );
    assert!(!c.contains("lock:"));
}

#[test]
fn recovery_path_of_the_field_guide() {
    let d = common::root();
    let r = d.path();
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:32,iothread=1",
            "--ide2",
            "none,media=cdrom",
            "--net0",
            "virtio=BC:24:11:5E:7A:01,bridge=vmbr0,firewall=1",
            "--name",
            "web01",
            "--memory",
            "2048",
            "--cores",
            "2",
            "--scsihw",
            "virtio-scsi-single",
        ],
    );
    // HA recovery moved the config to pve3; the disk stayed on pve1
    std::fs::rename(conf(r, "pve1", 100), conf(r, "pve3", 100)).unwrap();
    // starting on pve3 fails: the volume is not there
    fails(
        r,
        "pve3",
        &["start", "100"],
        "timeout: no zvol device link for 'vm-100-disk-0' found after 300 sec.\n",
    );
    assert_eq!(
        ok(r, "pve3", &["set", "100", "--delete", "scsi0"]),
        "update VM 100: -delete scsi0\n"
    );
    let c = std::fs::read_to_string(conf(r, "pve3", 100)).unwrap();
    assert!(
        c.contains("boot: order=ide2;net0\n") && c.contains("unused0: local-zfs:vm-100-disk-0\n"),
        "{c}"
    );
    // without removing unused0 the migration scan fails
    let o = fails(
        r,
        "pve3",
        &["migrate", "100", "pve1"],
        "migration aborted\n",
    );
    assert!(o.stdout.contains("can't migrate local disk 'local-zfs:vm-100-disk-0': timeout: no zvol device link for 'vm-100-disk-0' found after 300 sec.\n"), "{}", o.stdout);
    assert_eq!(
        ok(r, "pve3", &["set", "100", "--delete", "unused0"]),
        "update VM 100: -delete unused0\n"
    );
    assert!(vol(r, "pve1", "vm-100-disk-0").exists());
    assert_eq!(
        ok(r, "pve3", &["migrate", "100", "pve1"]),
        format!("{TS} starting migration of VM 100 to node 'pve1' (192.168.1.11)\n{TS} migration finished successfully (duration 00:00:00)\n")
    );
    assert_eq!(
        ok(r, "pve1", &["rescan", "--vmid", "100"]),
        "rescan volumes...\nVM 100 add unreferenced volume 'local-zfs:vm-100-disk-0' as 'unused0' to config\n"
    );
    assert_eq!(
        ok(
            r,
            "pve1",
            &[
                "set",
                "100",
                "--scsi0",
                "local-zfs:vm-100-disk-0,iothread=1"
            ]
        ),
        "update VM 100: -scsi0 local-zfs:vm-100-disk-0,iothread=1\n"
    );
    ok(
        r,
        "pve1",
        &["set", "100", "--boot", "order=scsi0;ide2;net0"],
    );
    let c = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(
        c.contains("scsi0: local-zfs:vm-100-disk-0,iothread=1,size=32G\n")
            && c.contains("boot: order=scsi0;ide2;net0\n")
            && !c.contains("unused0"),
        "{c}"
    );
    ok(r, "pve1", &["start", "100"]);
    assert_eq!(ok(r, "pve1", &["status", "100"]), "status: running\n");
}

#[test]
fn rescan_updates_sizes_and_dry_run_changes_nothing() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--scsi0", "local-zfs:32"]);
    // grow the disk behind PVE's back and add an orphan
    let p = vol(r, "pve1", "vm-100-disk-0");
    let rec = std::fs::read_to_string(&p)
        .unwrap()
        .replace("size: 34359738368", "size: 42949672960");
    std::fs::write(&p, rec).unwrap();
    std::fs::write(vol(r, "pve1", "vm-100-disk-1"), "ctime: 1\nformat: raw\ngeneration: 1\nsize: 1073741824\nvmid: 100\nvolid: local-zfs:vm-100-disk-1\n").unwrap();
    let before = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert_eq!(
        ok(r, "pve1", &["rescan", "--dryrun"]),
        "NOTE: running in dry-run mode, won't write changes out!\nrescan volumes...\nVM 100 (scsi0): size of disk 'local-zfs:vm-100-disk-0' updated from 32G to 40G\nVM 100 add unreferenced volume 'local-zfs:vm-100-disk-1' as 'unused0' to config\n"
    );
    assert_eq!(
        std::fs::read_to_string(conf(r, "pve1", 100)).unwrap(),
        before
    );
    ok(r, "pve1", &["disk", "rescan"]);
    let c = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(
        c.contains("scsi0: local-zfs:vm-100-disk-0,size=40G\n")
            && c.contains("unused0: local-zfs:vm-100-disk-1\n"),
        "{c}"
    );
    // on a node that does not own the VM
    let o = fails(
        r,
        "pve2",
        &["rescan", "--vmid", "100"],
        "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist\n",
    );
    assert_eq!(o.stdout, "rescan volumes...\n");
}

#[test]
fn preconditions_and_bad_input() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--scsi0", "local-zfs:1"]);
    fails(
        r,
        "pve2",
        &["create", "100", "--memory", "512"],
        "unable to create VM 100 - VM 100 already exists on node 'pve1'\n",
    );
    fails(
        r,
        "pve1",
        &["create", "101", "--scsi0", "nosuch:4"],
        "storage 'nosuch' does not exist\n",
    );
    fails(r, "pve1", &["create", "101", "--scsi0", "local:4"], "400 Parameter verification failed.\nstorage: storage 'local' does not support vm images\nqm create <vmid> [OPTIONS]\n");
    fails(
        r,
        "pve1",
        &["create", "101", "--scsi0", "4"],
        "no storage ID specified (and no default storage)\n",
    );
    fails(r, "pve1", &["create", "101", "--memory", "lots"], "400 Parameter verification failed.\nmemory: invalid format - value 'lots' is not a valid memory size\nqm create <vmid> [OPTIONS]\n");
    fails(r, "pve1", &["create", "101", "--scsi0", "local-zfs:4,size=abc"], "400 Parameter verification failed.\nscsi0: invalid format - size: unable to parse size 'abc'\nqm create <vmid> [OPTIONS]\n");
    assert!(!conf(r, "pve1", 101).exists());
    fails(r, "pve1", &["migrate", "100", "pve1"], "400 Parameter verification failed.\ntarget: target is local node.\nqm migrate <vmid> <target> [OPTIONS]\n");
    fails(
        r,
        "pve1",
        &["migrate", "100", "pve9"],
        "no such cluster node 'pve9'\n",
    );
    fails(
        r,
        "pve2",
        &["migrate", "100", "pve3"],
        "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist\n",
    );
    ok(r, "pve1", &["set", "100", "--lock", "backup"]);
    fails(
        r,
        "pve1",
        &["migrate", "100", "pve2"],
        "VM is locked (backup)\n",
    );
    fails(r, "pve1", &["start", "100"], "VM is locked (backup)\n");
    ok(r, "pve1", &["unlock", "100"]);
    ok(
        r,
        "pve1",
        &[
            "set",
            "100",
            "--hostpci0",
            "0000:01:00.0",
            "--usb0",
            "host=1234:5678",
        ],
    );
    let o = fails(
        r,
        "pve1",
        &["migrate", "100", "pve2"],
        "migration aborted\n",
    );
    assert_eq!(o.stdout, format!("{TS} ERROR: migration aborted (duration 00:00:00): can't migrate VM which uses local devices: hostpci0, usb0\n"));
    ok(r, "pve1", &["set", "100", "--delete", "hostpci0,usb0"]);
    // a storage not available on the target
    let cfg = common::STORAGE_CFG.replace("\tsparse\n", "\tsparse\n\tnodes pve1,pve2\n");
    std::fs::write(r.join("etc/pve/storage.cfg"), cfg).unwrap();
    fails(
        r,
        "pve1",
        &["migrate", "100", "pve3"],
        "storage 'local-zfs' is not available on node 'pve3'\n",
    );
    fails(
        r,
        "pve3",
        &["create", "102", "--scsi0", "local-zfs:1"],
        "unable to create VM 102 - storage 'local-zfs' is not available on node 'pve3'\n",
    );
    assert!(!conf(r, "pve3", 102).exists());
    fails(
        r,
        "pve1",
        &["status", "999"],
        "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n",
    );
    fails(
        r,
        "pve1",
        &["stop", "999"],
        "unable to find configuration file for VM 999 on node 'pve1'\n",
    );
    fails(r, "pve1", &["set", "100"], "no options specified\n");
    fails(r, "pve1", &["set", "100", "--cores", "x"], "400 Parameter verification failed.\ncores: type check ('integer') failed - got 'x'\nqm set <vmid> [OPTIONS]\n");
    fails(r, "pve1", &["set", "100", "--delete", "bogus"], "400 Parameter verification failed.\ndelete: unknown option 'bogus'\nqm set <vmid> [OPTIONS]\n");
    fails(
        r,
        "pve1",
        &["set", "100", "--scsi1", "local-zfs:vm-100-disk-7"],
        "timeout: no zvol device link for 'vm-100-disk-7' found after 10 sec.\n",
    );
    // a malformed config line warns and is dropped, the rest works
    let c = conf(r, "pve1", 100);
    let text = std::fs::read_to_string(&c).unwrap();
    std::fs::write(&c, format!("{text}cores: many\n")).unwrap();
    let o = qm(r, "pve1", &["config", "100"]);
    assert_eq!(o.code, 0);
    assert_eq!(
        o.stderr,
        "vm 100 - unable to parse value of 'cores' - type check ('integer') failed - got 'many'\n"
    );
    assert!(!o.stdout.contains("cores"));
}

#[test]
fn destroy_and_pending_on_running_vm() {
    let d = common::root();
    let r = d.path();
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:1",
            "--scsi1",
            "local-zfs:2",
            "--cores",
            "2",
            "--cpu",
            "x86-64-v2-AES",
            "--ostype",
            "l26",
        ],
    );
    ok(r, "pve1", &["start", "100"]);
    assert_eq!(
        ok(
            r,
            "pve1",
            &["set", "100", "--cores", "4", "--delete", "cpu"]
        ),
        "update VM 100: -cores 4 -delete cpu\n"
    );
    ok(
        r,
        "pve1",
        &["set", "100", "--delete", "ostype", "--force", "1"],
    );
    let c = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(
        c.ends_with("\n[PENDING]\ncores: 4\ndelete: cpu,!ostype\n"),
        "{c}"
    );
    let p = ok(r, "pve1", &["pending", "100"]);
    assert!(
        p.contains("cur cores: 2\nnew cores: 4\ncur cpu: x86-64-v2-AES\ndel cpu: x86-64-v2-AES\n"),
        "{p}"
    );
    let cfgout = ok(r, "pve1", &["config", "100"]);
    assert!(
        cfgout.contains("cores: 4\n") && !cfgout.contains("cpu:"),
        "{cfgout}"
    );
    fails(
        r,
        "pve1",
        &["destroy", "100"],
        "VM 100 is running - destroy failed\n",
    );
    ok(r, "pve1", &["stop", "100"]);
    let c = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(
        c.contains("cores: 4\n") && !c.contains("PENDING") && !c.contains("cpu:"),
        "{c}"
    );
    ok(r, "pve1", &["set", "100", "--protection", "1"]);
    fails(
        r,
        "pve1",
        &["destroy", "100"],
        "can't remove VM 100 - protection mode enabled\n",
    );
    ok(r, "pve1", &["set", "100", "--protection", "0"]);
    ok(r, "pve1", &["destroy", "100"]);
    assert!(!conf(r, "pve1", 100).exists());
    assert!(!vol(r, "pve1", "vm-100-disk-0").exists() && !vol(r, "pve1", "vm-100-disk-1").exists());
}

#[test]
fn ha_managed_vm_goes_through_the_ha_stack() {
    let d = common::root();
    let r = d.path();
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:1",
            "--ha-managed",
            "1",
        ],
    );
    let res = std::fs::read_to_string(r.join("etc/pve/ha/resources.cfg")).unwrap();
    assert_eq!(res, "vm: 100\n\tstate stopped\n\n");
    assert_eq!(
        ok(r, "pve1", &["start", "100"]),
        "Requesting HA start for VM 100\n"
    );
    let res = std::fs::read_to_string(r.join("etc/pve/ha/resources.cfg")).unwrap();
    assert_eq!(res, "vm: 100\n\tstate started\n\n");
    assert_eq!(
        ok(r, "pve1", &["status", "100"]),
        "status: stopped\n",
        "the HA stack starts it, not qm"
    );
    assert_eq!(
        ok(r, "pve1", &["stop", "100"]),
        "Requesting HA stop for VM 100\n"
    );
    assert_eq!(
        ok(r, "pve1", &["shutdown", "100", "--timeout", "30"]),
        "Requesting HA stop for VM 100\n"
    );
    fails(r, "pve1", &["stop", "100", "--overrule-shutdown", "1"], "400 Parameter verification failed.\noverrule-shutdown: Not applicable for HA resources.\nqm stop <vmid> [OPTIONS]\n");
    assert_eq!(
        ok(r, "pve1", &["migrate", "100", "pve2"]),
        "Requesting HA migration for VM 100 to node pve2\n"
    );
    let cmds = std::fs::read_to_string(r.join("etc/pve/ha/crm_commands")).unwrap();
    assert_eq!(cmds, "stop vm:100 0\nstop vm:100 30\nmigrate vm:100 pve2\n");
    assert!(
        conf(r, "pve1", 100).exists(),
        "the config does not move before the HA stack acts"
    );
    // a service in error state: the HA request is refused
    std::fs::write(
        r.join("etc/pve/ha/manager_status"),
        r#"{"master_node":"pve1","node_status":{"pve1":"online","pve2":"online","pve3":"online"},"service_status":{"vm:100":{"node":"pve1","state":"error","uid":"x"}},"timestamp":1735689600}"#,
    )
    .unwrap();
    let o = qm(r, "pve1", &["migrate", "100", "pve2"]);
    assert_eq!(o.code, 255);
    assert_eq!(
        o.stdout,
        "Requesting HA migration for VM 100 to node pve2\n"
    );
    assert_eq!(o.stderr, "service 'vm:100' in error state, must be disabled and fixed first\ncommand 'ha-manager migrate vm:100 pve2' failed: exit code 255\n");
    // destroy needs --purge, which also removes the resource
    fails(
        r,
        "pve1",
        &["destroy", "100"],
        "unable to remove VM 100 - used in HA resources and purge parameter not set.\n",
    );
    assert_eq!(ok(r, "pve1", &["destroy", "100", "--purge"]), "purging VM 100 from related configurations..\nNOTE: removed VM 100 from HA resource configuration.\n");
    assert!(!conf(r, "pve1", 100).exists());
}

fn pvesim(root: &Path, args: &[&str]) {
    let o = Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", root)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "pvesim {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn target_offline_quorum_and_powered_off_machines() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--scsi0", "local-zfs:1"]);
    pvesim(r, &["power", "pve2", "off"]);
    let o = fails(
        r,
        "pve1",
        &["migrate", "100", "pve2"],
        "migration aborted\n",
    );
    assert_eq!(o.stdout, format!(
        "{TS} # /usr/bin/ssh -e none -o 'BatchMode=yes' -o 'HostKeyAlias=pve2' -o 'UserKnownHostsFile=/etc/pve/nodes/pve2/ssh_known_hosts' -o 'GlobalKnownHostsFile=none' root@192.168.1.12 /bin/true\n{TS} ssh: connect to host 192.168.1.12 port 22: No route to host\n{TS} ERROR: migration aborted (duration 00:00:00): Can't connect to destination address using public key\n"
    ));
    assert!(conf(r, "pve1", 100).exists() && vol(r, "pve1", "vm-100-disk-0").exists());
    assert!(!std::fs::read_to_string(conf(r, "pve1", 100))
        .unwrap()
        .contains("lock"));
    fails(r, "pve2", &["list"], "machine 'pve2' is powered off\n");
    // the network cut works like power for the ssh test
    pvesim(r, &["power", "pve2", "on"]);
    pvesim(r, &["network", "pve3", "off"]);
    let o = fails(
        r,
        "pve1",
        &["migrate", "100", "pve3"],
        "migration aborted\n",
    );
    assert!(
        o.stdout
            .contains("ssh: connect to host 192.168.1.13 port 22: No route to host"),
        "{}",
        o.stdout
    );
    pvesim(r, &["network", "pve3", "on"]);
    // without quorum
    pvesim(r, &["power", "pve2", "off"]);
    pvesim(r, &["power", "pve3", "off"]);
    fails(
        r,
        "pve1",
        &["migrate", "100", "pve2"],
        "cluster not ready - no quorum?\n",
    );
    fails(
        r,
        "pve1",
        &["start", "100"],
        "cluster not ready - no quorum?\n",
    );
    fails(
        r,
        "pve1",
        &["create", "101", "--memory", "512"],
        "cluster not ready - no quorum?\n",
    );
    let o = qm(r, "pve1", &["set", "100", "--memory", "1024"]);
    assert_eq!(o.code, 255);
    assert!(
        o.stderr
            .starts_with("unable to open file '/etc/pve/nodes/pve1/qemu-server/100.conf.tmp."),
        "{}",
        o.stderr
    );
    assert_eq!(
        ok(r, "pve1", &["status", "100"]),
        "status: stopped\n",
        "reads work without quorum"
    );
}

#[test]
fn live_migration_of_cpu_host_between_cpu_models_warns() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    pvesim(r, &["init", "--nodes", "2"]);
    // make pve2 a different CPU model, then form the cluster
    let hw = r.join("sim/hardware.json");
    let text = std::fs::read_to_string(&hw).unwrap();
    let n = text.rfind("EPYC-7302").unwrap();
    let text = format!(
        "{}Xeon-Gold-6338{}",
        &text[..n],
        &text[n + "EPYC-7302".len()..]
    );
    std::fs::write(&hw, text).unwrap();
    let o = Command::cargo_bin("pvecm")
        .unwrap()
        .env("PVESIM_ROOT", r)
        .env("PVESIM_NODE", "pve1")
        .args(["create", "demo"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::cargo_bin("pvecm")
        .unwrap()
        .env("PVESIM_ROOT", r)
        .env("PVESIM_NODE", "pve2")
        .args(["add", "192.168.1.11"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    ok(
        r,
        "pve1",
        &["create", "100", "--cpu", "host", "--memory", "1024"],
    );
    ok(r, "pve1", &["start", "100"]);
    let o = qm(r, "pve1", &["migrate", "100", "pve2", "--online"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stderr, "WARNING: VM 100 uses 'cpu: host' and the CPU models of 'pve1' (EPYC-7302) and 'pve2' (Xeon-Gold-6338) differ - the guest may freeze or crash after the live migration (pvesim)\n");
    assert_eq!(ok(r, "pve2", &["status", "100"]), "status: running\n");
    // a named CPU model: no warning
    ok(
        r,
        "pve1",
        &[
            "create",
            "101",
            "--cpu",
            "x86-64-v2-AES",
            "--memory",
            "1024",
        ],
    );
    ok(r, "pve1", &["start", "101"]);
    let o = qm(r, "pve1", &["migrate", "101", "pve2", "--online"]);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
}

#[test]
fn replicated_vm_migration_sends_only_the_difference() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--scsi0", "local-zfs:32"]);
    let pvesr = |args: &[&str]| {
        let o = Command::cargo_bin("pvesr")
            .unwrap()
            .env("PVESIM_ROOT", r)
            .env("PVESIM_NODE", "pve1")
            .env_remove("TZ")
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "pvesr {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    pvesr(&["create-local-job", "100-0", "pve2", "--schedule", "*/15"]);
    pvesr(&["run", "--id", "100-0"]);
    std::fs::write(r.join("sim/clock"), "1735690500\n").unwrap();
    let out = ok(r, "pve1", &["migrate", "100", "pve2"]);
    let t = "2025-01-01 00:15:00";
    let expect: Vec<String> = [
        "starting migration of VM 100 to node 'pve2' (192.168.1.12)",
        "found local, replicated disk 'local-zfs:vm-100-disk-0' (attached)",
        "replicating disk images",
        "start replication job",
        "guest => VM 100, running => 0",
        "volumes => local-zfs:vm-100-disk-0",
        "create snapshot '__replicate_100-0_1735690500__' on local-zfs:vm-100-disk-0",
        "using secure transmission, rate limit: none",
        "incremental sync 'local-zfs:vm-100-disk-0' (__replicate_100-0_1735689600__ => __replicate_100-0_1735690500__)",
        "send from @__replicate_100-0_1735689600__ to rpool/data/vm-100-disk-0@__replicate_100-0_1735690500__ estimated size is 4K",
        "total estimated size is 4K",
        "successfully imported 'local-zfs:vm-100-disk-0'",
        "delete previous replication snapshot '__replicate_100-0_1735689600__' on local-zfs:vm-100-disk-0",
        "(remote_finalize_local_job) delete stale replication snapshot '__replicate_100-0_1735689600__' on local-zfs:vm-100-disk-0",
        "end replication job",
        "# /usr/bin/ssh -e none -o 'BatchMode=yes' -o 'HostKeyAlias=pve2' -o 'UserKnownHostsFile=/etc/pve/nodes/pve2/ssh_known_hosts' -o 'GlobalKnownHostsFile=none' root@192.168.1.12 pvesr set-state 100 \\''{\"local/pve1\":{\"duration\":0,\"fail_count\":0,\"last_iteration\":1735690500,\"last_node\":\"pve1\",\"last_sync\":1735690500,\"last_try\":1735690500,\"storeid_list\":[\"local-zfs\"]}}'\\'",
        "migration finished successfully (duration 00:00:00)",
    ]
    .iter()
    .map(|l| format!("{t} {l}\n"))
    .collect();
    assert_eq!(out, expect.concat());
    // both nodes keep the volume with the common snapshot; the job flipped
    let a = std::fs::read_to_string(vol(r, "pve1", "vm-100-disk-0")).unwrap();
    let b = std::fs::read_to_string(vol(r, "pve2", "vm-100-disk-0")).unwrap();
    assert_eq!(a, b);
    assert!(a.contains("snap: __replicate_100-0_1735690500__ "), "{a}");
    let cfg = std::fs::read_to_string(r.join("etc/pve/replication.cfg")).unwrap();
    assert!(
        cfg.contains("\ttarget pve1\n") && cfg.contains("\tsource pve2\n"),
        "{cfg}"
    );
    assert!(conf(r, "pve2", 100).exists() && !conf(r, "pve1", 100).exists());
    // destroy on the new owner needs --purge; the replica on pve1 stays
    fails(
        r,
        "pve2",
        &["destroy", "100"],
        "There is a replication job '100-0' for guest '100' - Please remove that first.\n",
    );
    ok(r, "pve2", &["destroy", "100", "--purge"]);
    assert!(!vol(r, "pve2", "vm-100-disk-0").exists() && vol(r, "pve1", "vm-100-disk-0").exists());
    assert!(!std::fs::read_to_string(r.join("etc/pve/replication.cfg"))
        .unwrap()
        .contains("100-0"));
}

#[test]
fn snapshots_travel_with_an_offline_migration() {
    let d = common::root();
    let r = d.path();
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:32",
            "--memory",
            "2048",
            "--boot",
            "order=scsi0",
        ],
    );
    ok(
        r,
        "pve1",
        &[
            "snapshot",
            "100",
            "before-upgrade",
            "--description",
            "state before apt upgrade",
        ],
    );
    fails(
        r,
        "pve1",
        &["snapshot", "100", "before-upgrade"],
        "snapshot name 'before-upgrade' already used\n",
    );
    let c = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(c.contains("parent: before-upgrade\n"), "{c}");
    assert!(
        c.contains(
            "\n[before-upgrade]\n#state before apt upgrade\nboot: order=scsi0\nmemory: 2048\n"
        ),
        "{c}"
    );
    assert!(c.contains("\nsnaptime: 1735689600\nvmgenid: "), "{c}");
    let rec = std::fs::read_to_string(vol(r, "pve1", "vm-100-disk-0")).unwrap();
    assert!(rec.contains("snap: before-upgrade id="), "{rec}");
    let out = ok(r, "pve1", &["migrate", "100", "pve2"]);
    assert!(out.contains(&format!("{TS} full send of rpool/data/vm-100-disk-0@before-upgrade estimated size is 32G\n{TS} send from @before-upgrade to rpool/data/vm-100-disk-0@__migration__ estimated size is 4K\n{TS} total estimated size is 32.0G\n")), "{out}");
    let rec2 = std::fs::read_to_string(vol(r, "pve2", "vm-100-disk-0")).unwrap();
    assert_eq!(rec, rec2);
    ok(r, "pve2", &["delsnapshot", "100", "before-upgrade"]);
    let c = std::fs::read_to_string(conf(r, "pve2", 100)).unwrap();
    assert!(!c.contains("before-upgrade"), "{c}");
    assert!(!std::fs::read_to_string(vol(r, "pve2", "vm-100-disk-0"))
        .unwrap()
        .contains("snap:"));
    fails(
        r,
        "pve2",
        &["delsnapshot", "100", "before-upgrade"],
        "snapshot 'before-upgrade' does not exist\n",
    );
}

/// Append an LVM-thin storage `local-lvm`: unlike ZFS it rolls back to any
/// snapshot, so snapshot trees can branch.
fn add_lvmthin(root: &Path) {
    let p = root.join("etc/pve/storage.cfg");
    let mut cfg = std::fs::read_to_string(&p).unwrap();
    cfg.push_str("lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent images,rootdir\n\n");
    std::fs::write(p, cfg).unwrap();
}

fn set_clock(root: &Path, t: i64) {
    std::fs::write(root.join("sim/clock"), format!("{t}\n")).unwrap();
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The listsnapshot line of one entry (spec 3.14 layout).
fn snapline(depth: usize, name: &str, time: &str, desc: &str) -> String {
    let prefix = format!("{}`->", " ".repeat(depth));
    let w = 30 - prefix.len();
    format!("{prefix} {name:<w$} {time:<23} {desc}\n")
}

#[test]
fn listsnapshot_shows_the_tree_with_a_branch() {
    let d = common::root();
    let r = d.path();
    add_lvmthin(r);
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-lvm:4",
            "--memory",
            "1024",
        ],
    );
    // no snapshot yet: only `current`
    assert_eq!(
        ok(r, "pve1", &["listsnapshot", "100"]),
        "`-> current                                             You are here!\n"
    );
    ok(
        r,
        "pve1",
        &[
            "snapshot",
            "100",
            "base",
            "--description",
            "clean install\nwith second line",
        ],
    );
    set_clock(r, 1735690000);
    ok(r, "pve1", &["set", "100", "--memory", "2048"]);
    ok(r, "pve1", &["snapshot", "100", "bigger"]);
    set_clock(r, 1735693200);
    assert_eq!(ok(r, "pve1", &["rollback", "100", "base"]), "");
    ok(
        r,
        "pve1",
        &[
            "snapshot",
            "100",
            "other-way",
            "--description",
            "after rollback\nmore\ntext",
        ],
    );
    let expect = [
        snapline(0, "base", "2025-01-01 00:00:00", "clean install"),
        snapline(1, "bigger", "2025-01-01 00:06:40", "no-description"),
        snapline(1, "other-way", "2025-01-01 01:00:00", "after rollback"),
        snapline(2, "current", "", "You are here!"),
    ]
    .concat();
    assert_eq!(ok(r, "pve1", &["listsnapshot", "100"]), expect);
    // the spec's example layout, character for character
    assert!(expect.starts_with(
        "`-> base                        2025-01-01 00:00:00     clean install\n \
         `-> bigger                     2025-01-01 00:06:40     no-description\n"
    ));
    // rolled back to the newest snapshot: `current` moves under it
    set_clock(r, 1735696800);
    ok(r, "pve1", &["rollback", "100", "bigger"]);
    let out = ok(r, "pve1", &["listsnapshot", "100"]);
    assert!(
        out.ends_with(
            &[
                snapline(1, "bigger", "2025-01-01 00:06:40", "no-description"),
                snapline(2, "current", "", "You are here!"),
                snapline(1, "other-way", "2025-01-01 01:00:00", "after rollback"),
            ]
            .concat()
        ),
        "{out}"
    );
    // TZ renders the times in that zone
    let o = Command::cargo_bin("qm")
        .unwrap()
        .env("PVESIM_ROOT", r)
        .env("PVESIM_NODE", "pve1")
        .env("TZ", "UTC-2")
        .args(["listsnapshot", "100"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with(&snapline(
        0,
        "base",
        "2025-01-01 02:00:00",
        "clean install"
    )));
    fails(
        r,
        "pve1",
        &["listsnapshot", "101"],
        "Configuration file 'nodes/pve1/qemu-server/101.conf' does not exist\n",
    );
    fails(
        r,
        "pve2",
        &["listsnapshot", "100"],
        "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist\n",
    );
}

#[test]
fn rollback_restores_config_and_volumes() {
    let d = common::root();
    let r = d.path();
    add_lvmthin(r);
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-lvm:4",
            "--memory",
            "1024",
            "--description",
            "my vm",
        ],
    );
    ok(
        r,
        "pve1",
        &["snapshot", "100", "s1", "--description", "first"],
    );
    let at_snapshot = read(&conf(r, "pve1", 100));
    // the disk is written to, a second disk and a change come later
    let disk0 = r.join("nodes/pve1/storage/local-lvm/vm-100-disk-0.vol");
    let rec = read(&disk0);
    assert!(rec.contains("generation: 1\n"), "{rec}");
    std::fs::write(&disk0, rec.replace("generation: 1\n", "generation: 7\n")).unwrap();
    set_clock(r, 1735690000);
    ok(
        r,
        "pve1",
        &["set", "100", "--memory", "2048", "--scsi1", "local-lvm:1"],
    );
    ok(r, "pve1", &["snapshot", "100", "s2"]);
    ok(r, "pve1", &["start", "100"]);
    // a pending change of the running VM
    ok(r, "pve1", &["set", "100", "--cores", "4"]);
    assert!(read(&conf(r, "pve1", 100)).contains("[PENDING]\n"));

    let o = qm(r, "pve1", &["rollback", "100", "s1"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", ""));
    // the running VM was stopped; the config is s1's with parent s1, the VM
    // description kept, the disk s1 does not know listed as unused, no
    // pending change and no lock left
    assert_eq!(ok(r, "pve1", &["status", "100"]), "status: stopped\n");
    let c = read(&conf(r, "pve1", 100));
    let main = c.split("\n\n").next().unwrap();
    let s1 = at_snapshot.split("\n\n").next().unwrap();
    let expect = format!(
        "{}\nunused0: local-lvm:vm-100-disk-1",
        s1.replace("parent: s1\n", "")
            .replace("meta:", "parent: s1\nmeta:")
    );
    let mut want: Vec<&str> = expect.lines().collect();
    let mut got: Vec<&str> = main.lines().collect();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{c}");
    assert!(main.starts_with("#my vm\n"), "{c}");
    assert!(!c.contains("[PENDING]") && !c.contains("lock:"), "{c}");
    assert!(
        c.contains("\n[s1]\n#first\n") && c.contains("\n[s2]\n"),
        "{c}"
    );
    // storage: the data generation of s1 is back; LVM-thin keeps s2
    let rec = read(&disk0);
    assert!(rec.contains("generation: 1\n"), "{rec}");
    assert!(
        rec.contains("snap: s1 ") && rec.contains("snap: s2 "),
        "{rec}"
    );

    // back to s2 and start it: scsi1 is attached again, not unused
    ok(r, "pve1", &["rollback", "100", "s2", "--start"]);
    assert_eq!(ok(r, "pve1", &["status", "100"]), "status: running\n");
    let c = read(&conf(r, "pve1", 100));
    assert!(
        c.contains("memory: 2048\nmeta:")
            && c.contains("\nparent: s2\nscsi0: local-lvm:vm-100-disk-0,size=4G\nscsi1: local-lvm:vm-100-disk-1,size=1G\n")
            && !c.contains("unused0"),
        "{c}"
    );
}

#[test]
fn rollback_removes_blocking_replication_snapshots() {
    let d = common::root();
    let r = d.path();
    ok(
        r,
        "pve1",
        &[
            "create",
            "100",
            "--scsi0",
            "local-zfs:4",
            "--memory",
            "1024",
        ],
    );
    ok(r, "pve1", &["snapshot", "100", "s1"]);
    ok(r, "pve1", &["set", "100", "--memory", "2048"]);
    let pvesr = Command::cargo_bin("pvesr")
        .unwrap()
        .env("PVESIM_ROOT", r)
        .env("PVESIM_NODE", "pve1")
        .args(["create-local-job", "100-0", "pve2", "--schedule", "*/15"])
        .output()
        .unwrap();
    assert!(pvesr.status.success(), "{pvesr:?}");
    // the job runs in the first round and leaves a replication snapshot
    // newer than s1 on both sides
    pvesim(r, &["tick", "-q"]);
    let repl = "__replicate_100-0_1735689600__";
    let local = read(&vol(r, "pve1", "vm-100-disk-0"));
    let replica = read(&vol(r, "pve2", "vm-100-disk-0"));
    assert!(local.contains(&format!("\nsnap: {repl} ")), "{local}");
    assert!(replica.contains(&format!("\nsnap: {repl} ")), "{replica}");

    let o = qm(r, "pve1", &["rollback", "100", "s1"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        format!(
            "WARN: removing replication snapshot 'local-zfs:vm-100-disk-0@{repl}'\n\
             WARN: you shouldn't remove 's1' before running the next replication!\n"
        )
    );
    assert_eq!(o.stderr, "Task finished with 2 warning(s)!\n");
    let after = read(&vol(r, "pve1", "vm-100-disk-0"));
    assert_eq!(
        after,
        local.replace(
            &local[local.find(&format!("snap: {repl}")).unwrap()..local.find("vmid:").unwrap()],
            ""
        )
    );
    assert!(!after.contains("__replicate_"), "{after}");
    // the replica is untouched; the config is s1's
    assert_eq!(read(&vol(r, "pve2", "vm-100-disk-0")), replica);
    let c = read(&conf(r, "pve1", 100));
    assert!(
        c.starts_with("boot: order=scsi0\nmemory: 1024\n") && c.contains("\nparent: s1\n"),
        "{c}"
    );
    // the next run finds s1 on both sides and replicates again
    pvesim(r, &["tick", "-q", "--for", "15m"]);
    let next = read(&vol(r, "pve1", "vm-100-disk-0"));
    assert!(
        next.contains("snap: s1 ") && next.contains("snap: __replicate_100-0_1735690500__ "),
        "{next}"
    );
}

#[test]
fn rollback_errors_change_nothing() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--scsi0", "local-zfs:4"]);
    ok(r, "pve1", &["snapshot", "100", "s1"]);
    set_clock(r, 1735690000);
    ok(r, "pve1", &["snapshot", "100", "s2"]);
    let cfile = conf(r, "pve1", 100);
    let vfile = vol(r, "pve1", "vm-100-disk-0");
    let (c0, v0) = (read(&cfile), read(&vfile));
    let unchanged = |what: &str| {
        assert_eq!(read(&cfile), c0, "config changed by {what}");
        assert_eq!(read(&vfile), v0, "volume changed by {what}");
    };
    fails(
        r,
        "pve1",
        &["rollback", "101", "s1"],
        "Configuration file 'nodes/pve1/qemu-server/101.conf' does not exist\n",
    );
    fails(
        r,
        "pve2",
        &["rollback", "100", "s1"],
        "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist\n",
    );
    fails(
        r,
        "pve1",
        &["rollback", "100", "nope"],
        "snapshot 'nope' does not exist\n",
    );
    unchanged("a missing snapshot");
    fails(
        r,
        "pve1",
        &["rollback", "100", "1x"],
        "400 Parameter verification failed.\nsnapname: invalid format - invalid configuration ID '1x'\nqm rollback <vmid> <snapname> [OPTIONS]\n",
    );
    fails(
        r,
        "pve1",
        &["rollback", "100"],
        "400 not enough arguments\nqm rollback <vmid> <snapname> [OPTIONS]\n",
    );
    // ZFS only rolls back to the most recent snapshot
    fails(
        r,
        "pve1",
        &["rollback", "100", "s1"],
        "can't rollback, 's1' is not most recent snapshot on 'local-zfs:vm-100-disk-0'\n",
    );
    unchanged("a ZFS rollback past a newer snapshot");
    // lock, template
    std::fs::write(&cfile, c0.replacen("boot:", "lock: backup\nboot:", 1)).unwrap();
    fails(
        r,
        "pve1",
        &["rollback", "100", "s2"],
        "VM is locked (backup)\n",
    );
    std::fs::write(&cfile, c0.replacen("boot:", "template: 1\nboot:", 1)).unwrap();
    fails(
        r,
        "pve1",
        &["rollback", "100", "s2"],
        "you can't rollback if vm is a template\n",
    );
    std::fs::write(&cfile, &c0).unwrap();
    // a snapshot still being taken
    std::fs::write(
        &cfile,
        c0.replace(
            "\nsnaptime: 1735690000\n",
            "\nsnapstate: prepare\nsnaptime: 1735690000\n",
        ),
    )
    .unwrap();
    fails(
        r,
        "pve1",
        &["rollback", "100", "s2"],
        "unable to rollback to incomplete snapshot (snapstate = prepare)\n",
    );
    std::fs::write(&cfile, &c0).unwrap();
    unchanged("lock, template and snapstate checks");
    // the volume is gone
    std::fs::remove_file(&vfile).unwrap();
    fails(
        r,
        "pve1",
        &["rollback", "100", "s2"],
        "timeout: no zvol device link for 'vm-100-disk-0' found after 300 sec.\n",
    );
    assert_eq!(read(&cfile), c0);
    std::fs::write(&vfile, &v0).unwrap();
    // without quorum /etc/pve is read-only: the rollback fails before it
    // touches a volume
    pvesim(r, &["power", "pve2", "off"]);
    pvesim(r, &["power", "pve3", "off"]);
    let o = qm(r, "pve1", &["rollback", "100", "s2"]);
    assert_eq!(o.code, 255);
    assert!(
        o.stderr
            .starts_with("unable to open file '/etc/pve/nodes/pve1/qemu-server/100.conf.tmp."),
        "{}",
        o.stderr
    );
    unchanged("a rollback without quorum");
    pvesim(r, &["power", "pve2", "on"]);
    pvesim(r, &["power", "pve3", "on"]);
    // and the same rollback works
    ok(r, "pve1", &["rollback", "100", "s2"]);
    assert!(read(&cfile).contains("\nparent: s2\n"));
}

#[test]
fn disk_has_no_snapshot_subcommands() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--scsi0", "local-zfs:4"]);
    for sub in ["snapshot", "delsnapshot"] {
        let o = qm(r, "pve1", &["disk", sub, "100", "s1"]);
        assert_eq!(o.code, 255);
        assert!(
            o.stderr.starts_with(&format!(
                "ERROR: unknown command 'qm disk {sub}'\nUSAGE: qm <COMMAND> [ARGS] [OPTIONS]\n"
            )),
            "{}",
            o.stderr
        );
    }
    assert!(!read(&conf(r, "pve1", 100)).contains('['));
}

/// The full command listing after `USAGE:` (the CLI handler's order).
const QM_LISTING: &str = "USAGE: qm <COMMAND> [ARGS] [OPTIONS]
       qm disk rescan  [OPTIONS]
       qm config <vmid> [OPTIONS]
       qm create <vmid> [OPTIONS]
       qm delsnapshot <vmid> <snapname> [OPTIONS]
       qm destroy <vmid> [OPTIONS]
       qm list  [OPTIONS]
       qm migrate <vmid> <target> [OPTIONS]
       qm pending <vmid>
       qm reboot <vmid> [OPTIONS]
       qm resume <vmid> [OPTIONS]
       qm rollback <vmid> <snapname> [OPTIONS]
       qm set <vmid> [OPTIONS]
       qm shutdown <vmid> [OPTIONS]
       qm snapshot <vmid> <snapname> [OPTIONS]
       qm start <vmid> [OPTIONS]
       qm stop <vmid> [OPTIONS]
       qm suspend <vmid> [OPTIONS]
       qm listsnapshot <vmid>
       qm status <vmid> [OPTIONS]
       qm unlock <vmid>
       qm help [<extra-args>] [OPTIONS]
";

#[test]
fn unknown_and_missing_commands() {
    let d = common::root();
    let r = d.path();
    let o = fails(
        r,
        "pve1",
        &["foo"],
        &format!("ERROR: unknown command 'qm foo'\n{QM_LISTING}"),
    );
    assert_eq!(o.stdout, "");
    fails(
        r,
        "pve1",
        &[],
        &format!("ERROR: no command specified\n{QM_LISTING}"),
    );
    fails(
        r,
        "pve1",
        &["-x"],
        &format!("ERROR: unknown command 'qm -x'\n{QM_LISTING}"),
    );
    fails(
        r,
        "pve1",
        &["disk"],
        "ERROR: incomplete command 'qm disk'\nUSAGE: qm <COMMAND> [ARGS] [OPTIONS]\n       qm disk rescan  [OPTIONS]\n",
    );
    fails(
        r,
        "pve1",
        &["disk", "foo"],
        &format!("ERROR: unknown command 'qm disk foo'\n{QM_LISTING}"),
    );
    // `qm help` lists the same commands on stdout and succeeds
    assert_eq!(ok(r, "pve1", &["help"]), QM_LISTING);
    // the real CLI handler has no `--help` or `--version` flag of its own:
    // in the command's place they are unknown commands, after it unknown
    // options; `qm help <command>` prints the command's usage line
    for w in ["--help", "-h", "--version"] {
        fails(
            r,
            "pve1",
            &[w],
            &format!("ERROR: unknown command 'qm {w}'\n{QM_LISTING}"),
        );
    }
    fails(
        r,
        "pve1",
        &["list", "--help"],
        "Unknown option: help\n400 unable to parse option\nqm list  [OPTIONS]\n",
    );
    fails(
        r,
        "pve1",
        &["disk", "rescan", "-h"],
        "Unknown option: h\n400 unable to parse option\nqm disk rescan  [OPTIONS]\n",
    );
    assert_eq!(
        ok(r, "pve1", &["help", "migrate"]),
        "USAGE: qm migrate <vmid> <target> [OPTIONS]\n"
    );
    assert_eq!(
        ok(r, "pve1", &["help", "disk", "rescan"]),
        "USAGE: qm disk rescan  [OPTIONS]\n"
    );
    // `--verbose` adds the description and every parameter, positionals
    // first, options by name, as pvesr and ha-manager print them
    assert_eq!(
        ok(r, "pve1", &["help", "list", "--verbose"]),
        "USAGE: qm list  [OPTIONS]\n\n  Virtual machine index (per node).\n\n  \
         -full      <boolean>\n\n             Determine the full status of active VMs.\n\n"
    );
    let long = ok(r, "pve1", &["help", "migrate", "--verbose", "1"]);
    assert!(
        long.starts_with(
            "USAGE: qm migrate <vmid> <target> [OPTIONS]\n\n  Migrate virtual machine. \
             Creates a new migration task.\n\n  <vmid>     <integer> (100 - 999999999)\n\n\
             \x20            The (unique) ID of the VM.\n\n  <target>   <string>\n\n"
        ),
        "{long}"
    );
    let at = |w: &str| {
        long.find(w)
            .unwrap_or_else(|| panic!("{w} missing: {long}"))
    };
    assert!(at("  -bwlimit ") < at("  -online ") && at("  -online ") < at("  -with-local-disks "));
    // config keys carry their schema type
    let long = ok(r, "pve1", &["help", "create", "--verbose"]);
    for want in [
        "  -acpi      <boolean>\n",
        "  -cores     <integer>\n",
        "  -cpulimit  <number>\n",
        "  -name      <string>\n",
    ] {
        assert!(long.contains(want), "{want:?} missing: {long}");
    }
    assert_eq!(
        ok(r, "pve1", &["help", "migrate", "--verbose", "0"]),
        "USAGE: qm migrate <vmid> <target> [OPTIONS]\n"
    );
    assert_eq!(ok(r, "pve1", &["help", "--verbose"]), QM_LISTING);
    assert_eq!(
        ok(r, "pve1", &["help", "help"]),
        "USAGE: qm help [<extra-args>] [OPTIONS]\n"
    );
    fails(
        r,
        "pve1",
        &["help", "nosuch"],
        &format!("ERROR: unknown command 'qm nosuch'\n{QM_LISTING}"),
    );
    fails(
        r,
        "pve1",
        &["help", "list", "extra"],
        &format!("ERROR: unknown command 'qm list extra'\n{QM_LISTING}"),
    );
    fails(
        r,
        "pve1",
        &["help", "disk"],
        "ERROR: incomplete command 'qm disk'\nUSAGE: qm <COMMAND> [ARGS] [OPTIONS]\n       \
         qm disk rescan  [OPTIONS]\n",
    );
    fails(
        r,
        "pve1",
        &["help", "list", "--verbose=x"],
        "400 Parameter verification failed.\nverbose: type check ('boolean') failed - got 'x'\n\
         qm help [<extra-args>] [OPTIONS]\n",
    );
    // the same convention as pvesr
    let o = Command::cargo_bin("pvesr")
        .unwrap()
        .env("PVESIM_ROOT", r)
        .env("PVESIM_NODE", "pve1")
        .arg("foo")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with(
        "ERROR: unknown command 'pvesr foo'\nUSAGE: pvesr <COMMAND> [ARGS] [OPTIONS]\n       "
    ));
}

#[test]
fn one_vmid_created_at_once_on_several_nodes_exists_once() {
    // pmxcfs keeps VMIDs unique across the cluster; concurrent creates of
    // one VMID on different nodes: exactly one succeeds.
    let d = common::root();
    let r = d.path().to_path_buf();
    for round in 0..3u32 {
        let vmid = (400 + round).to_string();
        let handles: Vec<_> = ["pve1", "pve2", "pve3", "pve1", "pve2", "pve3"]
            .into_iter()
            .map(|node| {
                let (r, vmid) = (r.clone(), vmid.clone());
                std::thread::spawn(move || qm(&r, node, &["create", &vmid]))
            })
            .collect();
        let outs: Vec<Out> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let won = outs.iter().filter(|o| o.code == 0).count();
        assert_eq!(
            won,
            1,
            "{vmid}: {:?}",
            outs.iter().map(|o| &o.stderr).collect::<Vec<_>>()
        );
        for o in outs.iter().filter(|o| o.code != 0) {
            assert_eq!(o.code, 255);
            assert!(
                o.stderr
                    .starts_with(&format!("unable to create VM {vmid} - ")),
                "{}",
                o.stderr
            );
        }
        let confs = ["pve1", "pve2", "pve3"]
            .iter()
            .filter(|n| conf(&r, n, 400 + round).exists())
            .count();
        assert_eq!(confs, 1, "{vmid}");
    }
}

#[test]
fn values_with_line_breaks_are_refused_and_change_nothing() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100", "--name", "web"]);
    let before = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    for (key, value) in [
        ("name", "a\nmemory: 99"),
        ("tags", "t\n[evil]"),
        ("args", "x\ny: z"),
        ("scsi1", "local-zfs:1,serial=x\ncores: 9"),
        ("cores", "2\r"),
    ] {
        fails(
            r,
            "pve1",
            &["set", "100", &format!("--{key}"), value],
            &format!("detected invalid newline inside property '{key}'\n"),
        );
    }
    fails(
        r,
        "pve1",
        &["create", "101", "--name", "a\nb"],
        "detected invalid newline inside property 'name'\n",
    );
    assert_eq!(
        std::fs::read_to_string(conf(r, "pve1", 100)).unwrap(),
        before
    );
    assert!(!conf(r, "pve1", 101).exists());
    assert!(!vol(r, "pve1", "vm-100-disk-0").exists());
    // the description is written as comment lines and may have them
    ok(
        r,
        "pve1",
        &["set", "100", "--description", "line one\nline two"],
    );
    let text = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    assert!(text.starts_with("#line one\n#line two\n"), "{text}");
}

#[test]
fn a_disk_size_beyond_64_bits_of_bytes_is_refused() {
    let d = common::root();
    let r = d.path();
    ok(r, "pve1", &["create", "100"]);
    let before = std::fs::read_to_string(conf(r, "pve1", 100)).unwrap();
    for args in [
        &["set", "100", "--scsi1", "local-zfs:99999999999999999999"][..],
        &["set", "100", "--scsi1", "local-zfs:17179869184"],
    ] {
        let size = args[3].trim_start_matches("local-zfs:");
        let o = fails(
            r,
            "pve1",
            args,
            &format!("400 Parameter verification failed.\nscsi1: invalid format - disk size '{size}' GiB is too large\nqm set <vmid> [OPTIONS]\n"),
        );
        assert_eq!(o.stdout, "");
    }
    fails(
        r,
        "pve1",
        &["create", "101", "--scsi0", "local-zfs:99999999999999999999"],
        "400 Parameter verification failed.\nscsi0: invalid format - disk size '99999999999999999999' GiB is too large\nqm create <vmid> [OPTIONS]\n",
    );
    assert_eq!(
        std::fs::read_to_string(conf(r, "pve1", 100)).unwrap(),
        before
    );
    assert!(!conf(r, "pve1", 101).exists());
}
