//! pvesm status / list / alloc / free against the spec's exact examples.

use assert_cmd::Command;
use std::path::Path;

const STORAGE_CFG: &str = "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n\nnfs: nfs-iso\n\tdisable\n\texport /srv/iso\n\tpath /mnt/pve/nfs-iso\n\tserver 10.0.0.9\n\tcontent iso\n\n";

fn root() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", p)
        .args(["init", "--nodes", "2", "--cluster", "demo"])
        .output()
        .unwrap();
    assert!(o.status.success());
    std::fs::write(p.join("etc/pve/storage.cfg"), STORAGE_CFG).unwrap();
    let local = p.join("nodes/pve1/storage/local");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("iso%2Fdebian-12.iso.vol"), "content: iso\nctime: 1714550000\nformat: iso\nsize: 658505728\nvolid: local:iso/debian-12.iso\n").unwrap();
    std::fs::write(local.join("vztmpl%2Fdebian-12-standard_12.7-1_amd64.tar.zst.vol"), "content: vztmpl\nctime: 1714550000\nformat: tzst\nsize: 126322688\nvolid: local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst\n").unwrap();
    d
}

fn pvesm(root: &Path, node: &str, args: &[&str]) -> (i32, String, String) {
    let o = Command::cargo_bin("pvesm")
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn status_and_list_match_the_spec() {
    let d = root();
    let r = d.path();
    let (c, out, err) = pvesm(
        r,
        "pve1",
        &["alloc", "local-zfs", "100", "vm-100-disk-0", "32G"],
    );
    assert_eq!(
        (c, out.as_str(), err.as_str()),
        (0, "successfully created 'local-zfs:vm-100-disk-0'\n", "")
    );
    pvesm(
        r,
        "pve1",
        &["alloc", "local-zfs", "101", "vm-101-disk-0", "4G"],
    );
    std::fs::write(
        r.join("nodes/pve1/storage/local-zfs/.capacity"),
        "536870912000\n",
    )
    .unwrap();
    let (c, out, _) = pvesm(r, "pve1", &["status"]);
    assert_eq!(c, 0);
    assert_eq!(out, "Name             Type     Status     Total (KiB)      Used (KiB) Available (KiB)        %\nlocal             dir     active       104857600          766434       104091166    0.73%\nlocal-zfs     zfspool     active       524288000        37748736       486539264    7.20%\nnfs-iso           nfs   disabled               0               0               0      N/A\n");
    let (_, out, _) = pvesm(r, "pve1", &["list", "local-zfs"]);
    assert_eq!(out, "Volid                   Format  Type             Size VMID\nlocal-zfs:vm-100-disk-0 raw     images    34359738368 100\nlocal-zfs:vm-101-disk-0 raw     images     4294967296 101\n");
    let (_, out, _) = pvesm(r, "pve1", &["list", "local"]);
    assert_eq!(out, "Volid                                                Format  Type           Size VMID\nlocal:iso/debian-12.iso                              iso     iso       658505728\nlocal:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst tzst    vztmpl    126322688\n");
    // pve2's instance of local-zfs is independent and empty
    let (_, out, _) = pvesm(r, "pve2", &["list", "local-zfs"]);
    assert_eq!(out, "Volid Format  Type      Size VMID\n");
    let (c, _, err) = pvesm(r, "pve1", &["list", "nfs-iso"]);
    assert_eq!((c, err.as_str()), (255, "storage 'nfs-iso' is disabled\n"));
    let (c, _, err) = pvesm(r, "pve1", &["status", "--storage", "nope"]);
    assert_eq!((c, err.as_str()), (255, "400 Parameter verification failed.\nstorage: No such storage.\npvesm status  [OPTIONS]\n"));
    let (_, out, _) = pvesm(r, "pve1", &["status", "--content", "images"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    let (c, out, _) = pvesm(r, "pve1", &["free", "local-zfs:vm-101-disk-0"]);
    assert_eq!(
        (c, out.as_str()),
        (0, "Removed volume 'local-zfs:vm-101-disk-0'\n")
    );
    let (c, _, err) = pvesm(r, "pve1", &["free", "local-zfs:vm-101-disk-0"]);
    assert_eq!(
        (c, err.as_str()),
        (255, "volume 'local-zfs:vm-101-disk-0' does not exist\n")
    );
    let (c, _, err) = pvesm(
        r,
        "pve1",
        &["alloc", "local-zfs", "100", "vm-100-disk-0", "1G"],
    );
    assert_eq!(
        (c, err.as_str()),
        (255, "volume 'rpool/data/vm-100-disk-0' already exists\n")
    );
    let (c, _, err) = pvesm(r, "pve1", &["alloc", "local-zfs", "100", "disk-x", "1G"]);
    assert_eq!(
        (c, err.as_str()),
        (255, "illegal name 'disk-x' - should be 'vm-100-*'\n")
    );
}

#[test]
fn unknown_and_missing_commands() {
    let d = root();
    let r = d.path();
    let listing = "USAGE: pvesm <COMMAND> [ARGS] [OPTIONS]
       pvesm alloc <storage> <vmid> <filename> <size> [OPTIONS]
       pvesm free <volume> [OPTIONS]
       pvesm list <storage> [OPTIONS]
       pvesm status  [OPTIONS]
       pvesm help [<extra-args>] [OPTIONS]
";
    assert_eq!(
        pvesm(r, "pve1", &["foo"]),
        (
            255,
            String::new(),
            format!("ERROR: unknown command 'pvesm foo'\n{listing}")
        )
    );
    assert_eq!(
        pvesm(r, "pve1", &[]),
        (
            255,
            String::new(),
            format!("ERROR: no command specified\n{listing}")
        )
    );
    assert_eq!(
        pvesm(r, "pve1", &["help"]),
        (0, listing.to_string(), String::new())
    );
    // no `--help` flag of its own, as in the real CLI handler
    assert_eq!(
        pvesm(r, "pve1", &["--help"]),
        (
            255,
            String::new(),
            format!("ERROR: unknown command 'pvesm --help'\n{listing}")
        )
    );
    assert_eq!(
        pvesm(r, "pve1", &["status", "--help"]),
        (
            255,
            String::new(),
            "Unknown option: help\n400 unable to parse option\npvesm status  [OPTIONS]\n"
                .to_string()
        )
    );
    assert_eq!(
        pvesm(r, "pve1", &["help", "status"]),
        (
            0,
            "USAGE: pvesm status  [OPTIONS]\n".to_string(),
            String::new()
        )
    );
}

#[test]
fn nothing_is_allocated_on_an_offline_storage() {
    // 7.5: the `.offline` marker makes activation fail, and allocating
    // activates the storage first.
    let d = root();
    let r = d.path();
    let zfs = r.join("nodes/pve1/storage/local-zfs");
    std::fs::create_dir_all(&zfs).unwrap();
    std::fs::write(zfs.join(".offline"), "").unwrap();
    let (c, out, err) = pvesm(
        r,
        "pve1",
        &["alloc", "local-zfs", "100", "vm-100-disk-0", "1G"],
    );
    assert_eq!(
        (c, out.as_str(), err.as_str()),
        (255, "", "storage 'local-zfs' is not online\n")
    );
    let o = Command::cargo_bin("qm")
        .unwrap()
        .env("PVESIM_ROOT", r)
        .env("PVESIM_NODE", "pve1")
        .args(["create", "101", "--scsi0", "local-zfs:1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(255));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "unable to create VM 101 - storage 'local-zfs' is not online\n"
    );
    assert!(!r.join("etc/pve/nodes/pve1/qemu-server/101.conf").exists());
    let vols: Vec<_> = std::fs::read_dir(&zfs)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() != ".offline")
        .collect();
    assert!(vols.is_empty(), "{vols:?}");
    // back online, the same allocation works
    std::fs::remove_file(zfs.join(".offline")).unwrap();
    let (c, _, err) = pvesm(
        r,
        "pve1",
        &["alloc", "local-zfs", "100", "vm-100-disk-0", "1G"],
    );
    assert_eq!(c, 0, "{err}");
}

#[test]
fn a_volume_name_is_one_plain_name() {
    let d = root();
    let r = d.path();
    for name in ["vm-100-disk-9/../../../x", "vm-100-a b", "vm-100-x\\y"] {
        let (c, out, err) = pvesm(r, "pve1", &["alloc", "local-zfs", "100", name, "1G"]);
        assert_eq!(
            (c, out.as_str(), err.as_str()),
            (
                255,
                "",
                format!("illegal name '{name}' - should be 'vm-100-*'\n").as_str()
            )
        );
    }
    assert!(
        !r.join("nodes/pve1/storage/local-zfs").exists()
            || std::fs::read_dir(r.join("nodes/pve1/storage/local-zfs"))
                .unwrap()
                .next()
                .is_none()
    );
    let (c, out, _) = pvesm(
        r,
        "pve1",
        &["alloc", "local-zfs", "100", "vm-100-disk-9", "1G"],
    );
    assert_eq!(
        (c, out.as_str()),
        (0, "successfully created 'local-zfs:vm-100-disk-9'\n")
    );
}
