//! Shared helpers of the `ha-manager` integration tests: a temporary state
//! root with a cluster of named nodes, guests, and ways to run the tool.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub node: String,
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Cluster {
    /// A quorate cluster of `nodes` made by `pvesim init --cluster`;
    /// commands run on the first one.
    pub fn new(nodes: &[&str]) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::cargo_bin("pvesim")
            .unwrap()
            .env("PVESIM_ROOT", dir.path())
            .env_remove("PVESIM_NODE")
            .args(["init", "--cluster", "demo", "--name", &nodes.join(",")])
            .output()
            .unwrap();
        assert!(out.status.success(), "pvesim init: {out:?}");
        Cluster {
            dir,
            node: nodes[0].to_string(),
        }
    }

    /// Run `pvesim` on this root.
    pub fn pvesim(&self, args: &[&str]) -> Out {
        let o = Command::cargo_bin("pvesim")
            .unwrap()
            .env("PVESIM_ROOT", self.dir.path())
            .env("PVESIM_NODE", &self.node)
            .args(args)
            .output()
            .unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn vm(&self, node: &str, vmid: u32) {
        self.write(
            &format!("etc/pve/nodes/{node}/qemu-server/{vmid}.conf"),
            "memory: 512\n",
        );
    }

    pub fn ct(&self, node: &str, vmid: u32) {
        self.write(
            &format!("etc/pve/nodes/{node}/lxc/{vmid}.conf"),
            "memory: 512\n",
        );
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

    pub fn set_clock(&self, t: i64) {
        self.write("sim/clock", &format!("{t}\n"));
    }

    pub fn set_version(&self, v: u8) {
        self.write("sim/pve-version", &format!("{v}\n"));
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Out {
        self.run_as(&self.node, args, env)
    }

    /// Run `ha-manager` on `node`.
    pub fn run_as(&self, node: &str, args: &[&str], env: &[(&str, &str)]) -> Out {
        let mut cmd = Command::cargo_bin("ha-manager").unwrap();
        cmd.env("PVESIM_ROOT", self.dir.path())
            .env("PVESIM_NODE", node)
            .env_remove("TZ")
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = cmd.output().unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_env(args, &[])
    }

    /// Run and require success with empty stderr; returns stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 0, "{args:?} failed: {}", o.stderr);
        assert_eq!(o.stderr, "", "{args:?}");
        o.stdout
    }

    /// Run and require success without output.
    pub fn ok(&self, args: &[&str]) {
        let out = self.stdout(args);
        assert_eq!(out, "", "{args:?} printed");
    }

    /// Run and require exit 255 with exactly `msg` on stderr.
    pub fn fails(&self, args: &[&str], msg: &str) {
        let o = self.run(args);
        assert_eq!((o.code, o.stderr.as_str()), (255, msg), "{args:?}");
        assert_eq!(o.stdout, "", "{args:?}");
    }

    /// Run and require exit 255; returns stderr.
    pub fn fails_any(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 255, "{args:?}: {}", o.stderr);
        o.stderr
    }
}

/// SHA-1 hex of a text, as the tool's digest.
pub fn sha1(text: &str) -> String {
    pvesim::ha::config::sha1_hex(text.as_bytes())
}
