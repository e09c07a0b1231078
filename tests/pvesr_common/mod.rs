//! Shared fixtures of the pvesr tests: a three-node lab root (pve1..pve3)
//! with the default ZFS storage configuration, guests and volumes written
//! in the formats of the storage and guest model, and helpers to run the
//! binaries on it.

#![allow(dead_code)]

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const STORAGE_CFG: &str = "dir: local
\tpath /var/lib/vz
\tcontent iso,vztmpl,backup

zfspool: local-zfs
\tpool rpool/data
\tsparse
\tcontent images,rootdir

lvmthin: local-lvm
\tthinpool data
\tvgname pve
\tcontent rootdir,images

";

pub struct Lab {
    pub dir: tempfile::TempDir,
}

impl Lab {
    /// A root with nodes pve1..pve3 (192.168.1.11..13) in cluster `lab`.
    pub fn new() -> Lab {
        let dir = tempfile::tempdir().unwrap();
        let lab = Lab { dir };
        lab.cmd("pvesim", "pve1")
            .args(["init", "--cluster", "lab"])
            .assert()
            .success();
        lab.write("etc/pve/storage.cfg", STORAGE_CFG);
        lab
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_default()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn clock(&self, t: i64) {
        self.write("sim/clock", &format!("{t}\n"));
    }

    pub fn vm(&self, vmid: u32, node: &str, conf: &str) {
        self.write(
            &format!("etc/pve/nodes/{node}/qemu-server/{vmid}.conf"),
            conf,
        );
    }

    fn vol_rel(node: &str, volname: &str) -> String {
        format!("nodes/{node}/storage/local-zfs/{volname}.vol")
    }

    /// A volume record on a node's local-zfs.
    pub fn volume(&self, node: &str, volname: &str, vmid: u32, size: u64) {
        self.write(
            &Self::vol_rel(node, volname),
            &format!(
                "ctime: 1700000000\nformat: raw\ngeneration: 1\nsize: {size}\nvmid: {vmid}\nvolid: local-zfs:{volname}\n"
            ),
        );
    }

    pub fn volume_with_snaps(&self, node: &str, volname: &str, vmid: u32, snaps: &[&str]) {
        let mut text = format!(
            "ctime: 1700000000\nformat: raw\ngeneration: 1\nsize: {}\n",
            4u64 << 30
        );
        for (i, s) in snaps.iter().enumerate() {
            text.push_str(&format!(
                "snap: {s} id={},ctime={},generation=1\n",
                1000 + i,
                100 + i
            ));
        }
        text.push_str(&format!("vmid: {vmid}\nvolid: local-zfs:{volname}\n"));
        self.write(&Self::vol_rel(node, volname), &text);
    }

    pub fn volume_exists(&self, node: &str, volname: &str) -> bool {
        self.exists(&Self::vol_rel(node, volname))
    }

    /// Snapshot names of a volume, in order.
    pub fn snapshots(&self, node: &str, volname: &str) -> Vec<String> {
        self.read(&Self::vol_rel(node, volname))
            .lines()
            .filter_map(|l| l.strip_prefix("snap: "))
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect()
    }

    pub fn cmd(&self, bin: &str, node: &str) -> Command {
        let mut c = Command::cargo_bin(bin).unwrap();
        c.env("PVESIM_ROOT", self.root())
            .env("PVESIM_NODE", node)
            .env_remove("TZ");
        c
    }

    pub fn pvesr(&self, node: &str, args: &[&str]) -> Assert {
        self.cmd("pvesr", node).args(args).assert()
    }

    pub fn pvesim(&self, args: &[&str]) -> Assert {
        self.cmd("pvesim", "pve1").args(args).assert()
    }
}

pub fn sha1(text: &str) -> String {
    pvesim::replication::config::sha1_hex(text.as_bytes())
}

/// Prefix / substring checks on an assertion's output.
pub trait AssertExt {
    fn stderr_starts(self, s: &str) -> Self;
    fn stdout_contains(self, s: &str) -> Self;
}

impl AssertExt for Assert {
    fn stderr_starts(self, s: &str) -> Self {
        let err = String::from_utf8_lossy(&self.get_output().stderr).to_string();
        assert!(
            err.starts_with(s),
            "stderr {err:?} does not start with {s:?}"
        );
        self
    }
    fn stdout_contains(self, s: &str) -> Self {
        let out = String::from_utf8_lossy(&self.get_output().stdout).to_string();
        assert!(out.contains(s), "stdout {out:?} does not contain {s:?}");
        self
    }
}
