//! Cost of `pvesim tick` over a state root as the number of HA services
//! grows: 32 nodes with 1,000 and with 10,000 HA-managed VMs.
//!
//! Not a test: a measuring tool. Run with `cargo bench --bench tick`
//! (release binaries; roots under target/bench-roots). The recorded results
//! live in docs/benchmarks.md.
//!
//! The roots are built with `pvesim init`; the guest configs and
//! `ha/resources.cfg` are then written directly (creating 10,000 guests
//! through `qm create` would take minutes and measures something else).
//! The cluster is settled with `pvesim tick --until-stable` (master
//! elected, every service started and confirmed); then `pvesim tick 1`
//! (one round: every node's CRM and LRM, reading and writing the real
//! files) is run `RUNS` times as a whole process, and the median and the
//! 90th percentile wall time are reported.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 7;
const NODES: usize = 32;

fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join(name)
}

fn pvesim(root: &Path, args: &[&str]) -> f64 {
    let t = Instant::now();
    let out = Command::new(bin("pvesim"))
        .args(args)
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", "pve1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("cannot run pvesim: {e}"));
    assert!(
        out.status.success(),
        "pvesim {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed().as_secs_f64() * 1000.0
}

/// Peak resident memory of one `pvesim tick 1`, from GNU time's `%M`.
fn peak_kib(root: &Path) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin("pvesim"))
        .args(["tick", "1", "--quiet"])
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", "pve1")
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn build_root(services: usize) -> PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-roots");
    let root = base.join(format!("tick{services}"));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&base).unwrap();
    pvesim(
        &root,
        &["init", "--nodes", &NODES.to_string(), "--cluster", "bench"],
    );
    let pve = root.join("etc/pve");
    let mut resources = String::new();
    for i in 0..services {
        let vmid = 100 + i;
        let node = format!("pve{}", 1 + i % NODES);
        let dir = pve.join("nodes").join(&node).join("qemu-server");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("{vmid}.conf")),
            format!("cores: 2\nmemory: 2048\nname: vm{vmid}\n"),
        )
        .unwrap();
        let _ = write!(resources, "vm: {vmid}\n\n");
    }
    std::fs::create_dir_all(pve.join("ha")).unwrap();
    std::fs::write(pve.join("ha/resources.cfg"), resources).unwrap();
    root
}

fn main() {
    println!("pvesim tick over a state root, {NODES} nodes (release build)");
    for services in [1_000usize, 10_000] {
        let root = build_root(services);
        let settle = pvesim(
            &root,
            &["tick", "--until-stable", "--max-rounds", "30", "--quiet"],
        );
        let mut times: Vec<f64> = (0..RUNS)
            .map(|_| pvesim(&root, &["tick", "1", "--quiet"]))
            .collect();
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{services:>6} services: settle {settle:>8.0} ms; one round (`pvesim tick 1`): median {:>7.1} ms, p90 {:>7.1} ms, peak {}",
            times[RUNS / 2],
            times[RUNS * 9 / 10],
            peak_kib(&root)
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "n/a (install GNU time)".into())
        );
    }
}
